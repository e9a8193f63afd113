"""Stored texts as deltas: which earlier revision's text each revision's is encoded against.

The rule: revision n (counting from 0 as m = n - 1) is a zstd frame whose dictionary is the
text of revision `delta_base(n)`: m with its lowest non-zero base-CHECKPOINT_EVERY digit
lowered by one. So most revisions are a delta against the one before; every 32nd against the
32nd before it; every 1,024th against the 1,024th before; revision 1 alone stands alone.
Reading revision n decodes the chain from revision 1 down to it: revision 1 and as many
deltas as the sum of m's base-32 digits, at most 62 below revision 1,025 and 93 below 32,769
(Subversion's skip-deltas, with radix 32 instead of 2: each level of the chain stores every
edit once more, and two levels cost a fifth of what ten do).

zstd with the base text as a raw-content dictionary is `zstd --patch-from`: matches reach back
into the whole base, however far apart the edits are. Every frame carries zstd's checksum of
its content, so a corrupted frame fails to decode instead of decoding to something else.

Plain Python: no Django here; articles/storage.py keeps the frames in the database.
"""

from __future__ import annotations

from collections.abc import Sequence

import zstandard

# Digits of the skip-delta numbering: a delta of a revision against one CHECKPOINT_EVERY
# revisions back stores that many revisions' edits; a larger radix makes the chain longer
# (up to 2 x 31 steps below revision 1,025, ~0.1 ms each for a 700 KB page), a smaller one
# adds levels, each storing every edit once more (radix 8: 2.84x the page for 1,000
# revisions, radix 16: 2.48x, at level 9). Part of the stored format: every frame was made
# against the base this rule named, so changing it needs a migration that encodes them again.
CHECKPOINT_EVERY = 32

# zstd level 12 (btlazy2): deltas of a 700 KB page edited in 1% of its paragraphs come out at
# ~550 bytes in ~3 ms; level 9 gave ~660 bytes, level 15 ~520 bytes but took 70 ms a publish.
LEVEL = 12

# Level 3 for a text rewritten at every publish: provenance's State of a 1,000-revision story
# (4.7 MB of JSON) takes 17 ms to 1.37 MB; level 12 would take 270 ms for 1.25 MB.
SNAPSHOT_LEVEL = 3

# The window must hold the base and the new text: the frame refers back into both. 2 MiB at
# least (level 12's own window), so that small texts get the window the level would give them.
MIN_WINDOW_LOG = 21
MAX_WINDOW_LOG = 30  # zstd's limit for 64-bit builds (1 GiB), far above any upload


class CorruptDelta(Exception):
    """A stored frame does not decode to what was stored."""


def delta_base(number: int) -> int | None:
    """The revision whose text revision `number`'s is a delta against; None for the first."""
    m = number - 1
    if m <= 0:
        return None
    step = 1
    while m % (step * CHECKPOINT_EVERY) == 0:
        step *= CHECKPOINT_EVERY
    return m - step + 1


def chain(number: int) -> list[int]:
    """The revisions to decode, first to last, to read revision `number`."""
    numbers = [number]
    while (base := delta_base(numbers[-1])) is not None:
        numbers.append(base)
    return numbers[::-1]


def encode(data: bytes, base: bytes | None) -> bytes:
    """`data` as one zstd frame, against `base` when given."""
    if base is None:
        return zstandard.ZstdCompressor(level=LEVEL, write_checksum=True).compress(data)
    window_log = min(MAX_WINDOW_LOG, max(MIN_WINDOW_LOG, (len(base) + len(data)).bit_length()))
    parameters = zstandard.ZstdCompressionParameters.from_level(
        LEVEL, window_log=window_log, enable_ldm=True, write_checksum=True
    )
    compressor = zstandard.ZstdCompressor(
        dict_data=_dictionary(base), compression_params=parameters
    )
    return compressor.compress(data)


def decode(frame: bytes, base: bytes | None) -> bytes:
    try:
        if base is None:
            return zstandard.ZstdDecompressor().decompress(frame)
        decompressor = zstandard.ZstdDecompressor(
            dict_data=_dictionary(base), max_window_size=1 << MAX_WINDOW_LOG
        )
        return decompressor.decompress(frame)
    except zstandard.ZstdError as error:
        raise CorruptDelta(str(error)) from error


def decode_chain(frames: Sequence[bytes], base: bytes | None = None) -> bytes:
    """The text of the last frame of a chain (chain()'s order: the first stands alone, or is a
    delta against `base`, the text decoded before it). Each text is dropped once the next is
    decoded: keeping them all (62 texts of 700 KB) made the allocator fault in fresh pages for
    each, three times the work of the decoding itself."""
    if not frames:
        raise CorruptDelta("no frames to decode")
    text = base
    for frame in frames:
        text = decode(frame, text)
    assert text is not None
    return text


def decode_each(frames: Sequence[bytes]) -> list[bytes]:
    """The text of each frame of a chain: for small texts whose every step is needed."""
    if not frames:
        raise CorruptDelta("no frames to decode")
    texts: list[bytes] = []
    for frame in frames:
        texts.append(decode(frame, texts[-1] if texts else None))
    return texts


def compress(data: bytes) -> bytes:
    """A text rewritten at every publish (provenance's State), as a frame of its own."""
    return zstandard.ZstdCompressor(level=SNAPSHOT_LEVEL, write_checksum=True).compress(data)


def decompress(frame: bytes) -> bytes:
    return decode(frame, None)


def _dictionary(base: bytes) -> zstandard.ZstdCompressionDict:
    return zstandard.ZstdCompressionDict(base, dict_type=zstandard.DICT_TYPE_RAWCONTENT)
