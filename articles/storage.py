"""Where revisions' texts live: zstd deltas (articles/core/deltas.py decides their bases).

- A revision's verbatim text is its row's `text_delta`: a frame against the text of revision
  `delta_base(number)` of the same story. Texts never change, so neither do their frames.
- A revision's parsed document is a Blob: its skeleton (articles/core/skeleton.py: the block
  texts its verbatim text holds are not stored again) as JSON, a frame against the skeleton
  of revision `delta_base(number)`'s parse as it was when this one was stored. `reparse` stores new
  Blobs; the ones they replace stay as long as a stored Blob is a delta against them.
- A revision's provenance Placement (JSON) is its Provenance row's `placement`, a frame
  against revision `delta_base(number)`'s Placement (articles/provenance.py; rows are rebuilt
  whole, never one at a time).

Nothing decoded is kept between calls: a chain is at most a few dozen frames (~4 ms for a
700 KB page), and a cache keyed by row would serve a text rolled back with its transaction.
"""

from __future__ import annotations

import json
from collections.abc import Iterable
from typing import Any

import orjson
from django.db import connection

from articles.core import deltas, skeleton

# Frames a parse's chain may have: deltas.chain is 94 long at most below revision 32,769;
# past this the chain is not one that storing made.
MAX_CHAIN = 1_000


class CorruptText(Exception):
    """A stored text does not decode, or decodes to something other than what was stored:
    never served."""


def to_json(value: Any) -> bytes:
    # orjson: the State of a 1,000-revision story (4.7 MB of JSON) in 5 ms, not json's 43 ms,
    # at every publish. Read back with json (no faster from orjson).
    return orjson.dumps(value)


# --- Verbatim texts ----------------------------------------------------------------------------


class Walk:
    """What was decoded while one story's revisions are read in number order: each chain is
    decoded from the deepest text already decoded (one frame, mostly, instead of the chain),
    and only what a later revision's chain may start from is kept."""

    def __init__(self) -> None:
        self.texts: dict[int, bytes] = {}  # by revision number
        self.blobs: dict[int, bytes] = {}  # by Blob id


def encode_text(story_id: int, number: int, text: str) -> bytes:
    """The frame that stores revision `number`'s text."""
    base_number = deltas.delta_base(number)
    base = None if base_number is None else read_text_bytes(story_id, base_number)
    return deltas.encode(text.encode(), base)


def read_text_bytes(story_id: int, number: int, walk: Walk | None = None) -> bytes:
    """Revision `number`'s text as stored, decoded through its chain (not yet hash-checked:
    Revision.raw_text checks it)."""
    from articles.models import Revision

    numbers = deltas.chain(number)
    known = walk.texts if walk is not None else {}
    start = max((k for k, n in enumerate(numbers) if n in known), default=-1)
    wanted = numbers[start + 1 :]
    frames = dict(
        Revision._base_manager.filter(story_id=story_id, number__in=wanted).values_list(
            "number", "text_delta"
        )
    )
    base = known[numbers[start]] if start >= 0 else None
    data = _decode([frames.get(n) for n in wanted], f"revision {number}'s text", base)
    if walk is not None:
        walk.texts = {n: known[n] for n in numbers if n in known}
        walk.texts[number] = data
    return data


# --- Parsed documents --------------------------------------------------------------------------


def store_parsed(stored: dict[str, Any], upload: str, base_blob_id: int | None):
    """A new Blob holding a parsed document of `upload` (its skeleton: the texts the upload
    holds are not stored twice), as a delta against Blob `base_blob_id`'s."""
    from articles.models import Blob

    data = to_json(skeleton.strip(stored, upload))
    base = None if base_blob_id is None else read_blob(base_blob_id)
    return Blob.objects.create(base_id=base_blob_id, data=deltas.encode(data, base))


def forget(blob_ids: Iterable[int]) -> int:
    """Delete those of the Blobs that no revision reads and no Blob is a delta against (what
    a reparse replaced); how many. Newest first: a chain of such Blobs goes whole."""
    from articles.models import Blob, Revision

    deleted, candidates = 0, set(blob_ids)
    while candidates:
        blob_id = max(candidates)
        candidates.remove(blob_id)
        read = Revision._base_manager.filter(parsed_blob_id=blob_id).exists()
        if read or Blob.objects.filter(base_id=blob_id).exists():
            continue
        base_id = Blob.objects.filter(pk=blob_id).values_list("base_id", flat=True).first()
        Blob.objects.filter(pk=blob_id).delete()
        deleted += 1
        if base_id is not None:  # kept for this one alone, maybe
            candidates.add(base_id)
    return deleted


def read_parsed(blob_id: int, upload: str, walk: Walk | None = None) -> dict[str, Any]:
    """The parsed document Blob `blob_id` holds, of `upload`."""
    return skeleton.dress(json.loads(read_blob(blob_id, walk)), upload)


def read_blob(blob_id: int, walk: Walk | None = None) -> bytes:
    # The chain in one query: the blob, its base, its base's base… down to one with none.
    with connection.cursor() as cursor:
        cursor.execute(
            """
            WITH RECURSIVE chain(id, base_id, data, depth) AS (
                SELECT id, base_id, data, 0 FROM articles_blob WHERE id = %s
                UNION ALL
                SELECT blob.id, blob.base_id, blob.data, chain.depth + 1
                FROM articles_blob blob JOIN chain ON blob.id = chain.base_id
                WHERE chain.depth < %s
            )
            SELECT id, base_id, data FROM chain ORDER BY depth DESC
            """,
            [blob_id, MAX_CHAIN],
        )
        rows = cursor.fetchall()
    if not rows or rows[0][1] is not None:
        # A missing base, or a chain longer than any deltas.chain (a cycle made by hand).
        raise CorruptText(f"parsed document {blob_id}: its chain of deltas is incomplete")
    known = walk.blobs if walk is not None else {}
    start = max((k for k, row in enumerate(rows) if row[0] in known), default=-1)
    base = known[rows[start][0]] if start >= 0 else None
    frames = [frame for _, _, frame in rows[start + 1 :]]
    data = _decode(frames, f"parsed document {blob_id}", base)
    if walk is not None:
        walk.blobs = {row[0]: known[row[0]] for row in rows if row[0] in known}
        walk.blobs[blob_id] = data
    return data


# --- Chains read whole ------------------------------------------------------------------------


def decode_each(frames: list[Any], what: str) -> list[bytes]:
    """The text of each frame of a chain (deltas.chain's order): for placements, whose every
    step may be the base of the next one stored."""
    return _checked(deltas.decode_each, frames, what)


def _decode(frames: list[Any], what: str, base: bytes | None = None) -> bytes:
    """The text at the end of a chain of frames; the first is a delta against `base` if given."""
    if base is not None and not frames:
        return base
    return _checked(lambda chain: deltas.decode_chain(chain, base), frames, what)


def _checked(decode, frames: list[Any], what: str):
    if not frames or any(frame is None for frame in frames):
        raise CorruptText(f"{what}: a delta of its chain is missing")
    try:
        return decode([bytes(frame) for frame in frames])
    except deltas.CorruptDelta as error:
        raise CorruptText(f"{what} does not decode: {error}") from error


def compress_json(value: Any) -> bytes:
    return deltas.compress(to_json(value))


def decompress_json(frame: Any) -> Any:
    try:
        return json.loads(deltas.decompress(bytes(frame)))
    except deltas.CorruptDelta as error:
        raise CorruptText(f"a compressed record does not decode: {error}") from error
