"""Layout: which blocks stayed in place (steps 1 and 2), by passes over every block.

Rule: blocks with identical text are matched by hashing (texts that repeat on the old page do
not vote); the matches vote on which sections correspond (sections.pair_sections); the blocks
that stay in place are a longest common subsequence of blocks of the same kind and text, each
in its paired section. What lies between the stretches of that subsequence is a gap, left for
pairing. fastpath.fast_layout reaches the same Layout without most of these passes, whenever
the usual revision lets it.
"""

from __future__ import annotations

from bisect import bisect_left
from collections import Counter
from collections.abc import Sequence
from itertools import compress, repeat
from operator import add, ge, itemgetter, ne
from typing import NamedTuple

from articles.core.diff import tuning
from articles.core.diff.sections import occurrences, pair_sections
from articles.core.diff.tokens import Opcodes, first_codes, opcodes
from articles.core.document import Block

Sections = Sequence[int] | dict[int, object]  # a block's section, by block index
_second = itemgetter(1)


class Layout(NamedTuple):
    """Where blocks stand before pairing: `spans`, opcode-like [tag, i1, i2, j1, j2] with tag
    "equal" (blocks kept in place) or "gap"; the section of each old block and the paired old
    section of each new block (`home`); and the blocks' labels (None when the equal spans hold
    identical blocks). The fast path tells sections apart only for the blocks in the gaps, the
    only ones asked about."""

    spans: list[list]
    old_sec: Sections
    home: Sections
    labels: tuple[Sequence[str | None], Sequence[str | None]] | None


def full_layout(old: tuple[Block, ...], new: tuple[Block, ...]) -> Layout:
    """Steps 1 and 2 over every block of both pages."""
    old_kinds, old_block_labels, old_texts = _columns(old)
    new_kinds, new_block_labels, new_texts = _columns(new)
    old_sec, old_labels = occurrences(old_block_labels)
    new_sec, new_labels = occurrences(new_block_labels)

    # 1. exact matches by hash vote on which sections correspond (repeated texts do not vote)
    index = dict(zip(old_texts, range(len(old)), strict=True))
    found = list(map(index.get, new_texts, repeat(-1)))
    if len(index) < len(old):
        repeated = {text for text, n in Counter(old_texts).items() if n > 1}
        found = [-1 if text in repeated else i for text, i in zip(new_texts, found, strict=True)]
    sec_of = [*old_sec, -1]  # found == -1 votes for section -1, dropped below
    found_sec = list(map(sec_of.__getitem__, found))
    counted = Counter(zip(new_sec, found_sec, strict=True))
    votes = dict(compress(counted.items(), map(ge, map(_second, counted), repeat(0))))
    sec_pair = pair_sections(votes, old_labels, new_labels)
    home_of = [sec_pair.get(s, -1) for s in range(len(new_labels))]
    home = list(map(home_of.__getitem__, new_sec))  # the old section each new block belongs to

    # 2. in place: the longest common subsequence of blocks, same kind and text, each in its
    # paired section; equal stretches of it become single runs
    if len(index) == len(old):  # no text repeats: key a block by its old index (or -1)
        kind_of = [*old_kinds, None]
        at = [  # one comprehension beats a chain of C maps here (measured)
            i if s == h and kind_of[i] == k else -1
            for i, s, h, k in zip(found, found_sec, home, new_kinds, strict=True)
        ]
        found_spans = rising_spans(at, len(old))
        if found_spans is None:
            found_spans = lcs_spans(range(len(old)), at, unique=True)
        spans = found_spans
    else:
        spans = lcs_spans(
            list(zip(old_sec, old_kinds, old_texts, strict=True)),
            list(zip(home, new_kinds, new_texts, strict=True)),
            unique=False,
        )
    return Layout(spans, old_sec, home, (old_block_labels, new_block_labels))


def _columns(blocks: tuple[Block, ...]) -> tuple[tuple, tuple, tuple]:
    """Kinds, labels and texts of all blocks, in one pass over them."""
    return tuple(zip(*blocks, strict=True)) if blocks else ((), (), ())  # type: ignore[return-value]


def rising_spans(at: list[int], n: int) -> list[list] | None:
    """lcs_spans' result for unique keys whose old indexes only rise along `at` (the usual
    case: blocks moved to another section are keyed -1). Every match then lies on the one
    longest common subsequence, so none is computed: equal stretches are read off where `at`
    steps by one. None when some index does not rise."""
    m = len(at)
    if not m:
        return [["gap", 0, n, 0, 0]] if n else []
    steps = map(ne, at[1:], map(add, at, repeat(1)))
    starts = [0, *compress(range(1, m), steps)]  # where at[j] is not at[j - 1] + 1
    spans: list[list] = []
    i0 = j0 = 0  # where the last equal stretch ended
    for start, stop in zip(starts, [*starts[1:], m], strict=True):
        i = at[start]
        if i < 0:  # no match; the stretch goes on only if old block 0 comes next
            start += 1
            if start == stop:
                continue
            i = 0
        if i < i0:
            return None
        if i0 < i or j0 < start:
            spans.append(["gap", i0, i, j0, start])
        i0, j0 = i + stop - start, stop
        spans.append(["equal", i, i0, start, stop])
    if i0 < n or j0 < m:
        spans.append(["gap", i0, n, j0, m])
    return spans


def lcs_spans(old_keys: Sequence, new_keys: Sequence, *, unique: bool) -> list[list]:
    """Opcode-like spans [tag, i1, i2, j1, j2] over blocks: "equal" for the stretches of a
    longest common subsequence of keys, "gap" for what lies between them. With `unique`, old
    keys are 0..n-1 and each new key is an old index or -1. Pages too big for the LCS table
    take the longest chain of first matches instead (_chain_spans)."""
    n = len(old_keys)
    if n * len(new_keys) <= tuning.MAX_BLOCK_TABLE and n < tuning.MAX_BLOCK_CODES:
        codes = first_codes(n)
        if unique:
            a = codes
            b = "".join(map(f"{codes}\0".__getitem__, new_keys))  # -1: "\0", in no old block
        else:
            code_of = dict(zip(old_keys, codes, strict=True))  # a repeated key: one code
            a = "".join(map(code_of.__getitem__, old_keys))
            b = "".join(map(code_of.get, new_keys, repeat("\0")))
        raw = opcodes(a, b)
    else:
        raw = _chain_spans(old_keys, new_keys)
    spans: list[list] = []
    for tag, i1, i2, j1, j2 in raw:
        if tag != "equal":
            tag = "gap"
        if spans and spans[-1][0] == tag and spans[-1][2] == i1 and spans[-1][4] == j1:
            spans[-1][2], spans[-1][4] = i2, j2
        elif i1 < i2 or j1 < j2:
            spans.append([tag, i1, i2, j1, j2])
    return spans


def _chain_spans(old_keys: Sequence, new_keys: Sequence) -> Opcodes:
    """For pages too big for the LCS table: each block takes the first free old block with its
    key, and the longest in-order chain of those matches stays in place (the same result as
    the LCS whenever no key repeats)."""
    free: dict[object, list[int]] = {}
    for i in range(len(old_keys) - 1, -1, -1):
        free.setdefault(old_keys[i], []).append(i)  # last first: pop() takes the first
    pairs = []
    for j, key in enumerate(new_keys):
        queue = free.get(key)
        if queue:
            pairs.append((j, queue.pop()))
    spans: Opcodes = []
    i0 = j0 = 0
    for j, i in _longest_chain(pairs):
        if i0 < i or j0 < j:
            spans.append(("gap", i0, i, j0, j))
        spans.append(("equal", i, i + 1, j, j + 1))
        i0, j0 = i + 1, j + 1
    spans.append(("gap", i0, len(old_keys), j0, len(new_keys)))
    return spans


def _longest_chain(pairs: list[tuple[int, int]]) -> list[tuple[int, int]]:
    """Longest run of (new, old) pairs whose old indexes rise with the new ones."""
    tails: list[int] = []
    tail_at: list[int] = []
    back: list[int] = []
    for k, (_, i) in enumerate(pairs):
        pos = len(tails) if not tails or i > tails[-1] else bisect_left(tails, i)
        back.append(tail_at[pos - 1] if pos else -1)
        if pos == len(tails):
            tails.append(i)
            tail_at.append(k)
        else:
            tails[pos] = i
            tail_at[pos] = k
    chain: list[tuple[int, int]] = []
    k = tail_at[-1] if tail_at else -1
    while k >= 0:
        chain.append(pairs[k])
        k = back[k]
    chain.reverse()
    return chain
