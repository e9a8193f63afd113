"""The fast path: full_layout's Layout for the usual revision, without passes over every block.

It must give exactly the Layout that layout.full_layout gives, or decline (None): the diff is
the same either way, only faster. test_fast_path_gives_the_full_paths_diff pins that, both ways
round, on generated sectioned pages (it patches fast_layout out to get the full path).

It holds when no text repeats, the sections (their labels, in order) are the same on both
pages, and each exact match away from the blocks that stayed is outvoted by those: sections
then pair one for one, in order, and the blocks kept in place are the runs of identical blocks
that `_runs` finds reading the pages side by side. Only the blocks between those runs (few, in
the usual revision) are looked at one by one.
"""

from __future__ import annotations

from bisect import bisect_right
from collections import Counter, defaultdict
from collections.abc import Sequence
from itertools import repeat
from operator import itemgetter

from articles.core.diff import tuning
from articles.core.diff.layout import Layout
from articles.core.document import Block

_label_of = itemgetter(1)  # Block fields, fetched at C speed over whole pages
_text_of = itemgetter(2)
_START, _END = object(), object()  # the labels before and after a page: none is either


def fast_layout(old: tuple[Block, ...], new: tuple[Block, ...]) -> Layout | None:
    """full_layout(old, new), or None when the fast path cannot tell it."""
    n, m = len(old), len(new)
    index = dict(zip(map(_text_of, old), range(n), strict=True))
    if not n or not m or len(index) < n:
        return None
    kept = _runs(old, new, index)
    spans: list[list] = []
    # Pairing compares the sections of blocks of one gap only (no text repeats), so a section
    # is told as (gap, count within it), and as 0 in a gap that lies within one section.
    old_sec: defaultdict[int, object] = defaultdict(int)
    home: defaultdict[int, object] = defaultdict(int)
    i0 = j0 = 0
    before: object = _START
    for j, stop, i in [*kept, (m, m, n)]:  # the last one closes the page
        if i0 < i or j0 < j:
            after = new[j].label if j < m else _END
            if len({before, after, *map(_label_of, old[i0:i]), *map(_label_of, new[j0:j])}) > 1:
                olds, old_labels = _gap_sections(old, i0, i, before, after)
                news, new_labels = _gap_sections(new, j0, j, before, after)
                if old_labels != new_labels:
                    return None  # sections added, dropped or renamed here
                old_sec.update(zip(range(i0, i), zip(repeat(len(spans)), olds), strict=True))
                home.update(zip(range(j0, j), zip(repeat(len(spans)), news), strict=True))
            spans.append(["gap", i0, i, j0, j])
        if j < m:
            i0, j0 = i + stop - j, stop
            spans.append(["equal", i, i0, j, stop])
            before = new[stop - 1].label
    lone = [j for span in spans if span[0] == "gap" for j in range(span[3], span[4])]
    if not outvoted(old, new, index, kept, lone):
        return None
    return Layout(spans, old_sec, home, None)


def _runs(
    old: tuple[Block, ...], new: tuple[Block, ...], index: dict[str, int]
) -> list[tuple[int, int, int]]:
    """Runs of identical blocks, rising on both pages, as (new start, new stop, old start).
    Where the pages differ, the old blocks up to the new block's copy are taken as gone if that
    copy lies further on and the next new block does not match the old one; else the new block
    is taken as added, edited or moved in."""
    n, m = len(old), len(new)
    runs: list[tuple[int, int, int]] = []
    i = j = 0
    while i < n and j < m:
        start = j
        while i < n and j < m and old[i] == new[j]:
            i += 1
            j += 1
        if start < j:
            runs.append((start, j, i - (j - start)))
            if i == n or j == m:
                break
        block = new[j]
        at = index.get(block.text, -1)
        if at > i and block == old[at] and (j + 1 == m or new[j + 1] != old[i]):
            i = at
        else:
            j += 1
    return runs


def _gap_sections(
    blocks: tuple[Block, ...], start: int, stop: int, before: object, after: object
) -> tuple[list[int], list[object]]:
    """Each block's section, counted from the one of `before` (the label of the block before
    the gap), and the labels where sections start, `after` (the label after the gap) included.
    """
    sections: list[int] = []
    labels = [before]
    for block in blocks[start:stop]:
        if block.label != labels[-1]:
            labels.append(block.label)
        sections.append(len(labels))
    if after != labels[-1]:
        labels.append(after)
    return sections, labels


def outvoted(
    old: tuple[Block, ...],
    new: tuple[Block, ...],
    index: dict[str, int],
    kept: list[tuple[int, int, int]],
    lone: list[int],
) -> bool:
    """Whether the exact matches off the kept runs leave sections paired one for one, in order,
    as sections.pair_sections pairs them (CAUTION: its rule, restated; change both together):
    a match under another label never pairs its sections; one under the same label must not
    outvote the kept blocks of either section (votes for a section itself win ties). A match in
    its own section, of its own kind, would stay in place on the full path: not a case for the
    fast path."""
    kept_at, kept_to, kept_from = zip(*kept, strict=True) if kept else ((), (), ())
    kept_old_to = [i + stop - j for j, stop, i in kept]
    votes: Counter[tuple[int, int]] = Counter()
    floors: dict[tuple[int, int], int] = {}
    for j in lone:
        i = index.get(new[j].text, -1)
        if i < 0 or new[j].label != old[i].label:
            continue
        here, there = _extent(new, j), _extent(old, i)
        if here is None or there is None:
            return False
        k = bisect_right(kept_to, here[0])  # the first kept run in this section, if any
        if k == len(kept) or kept_at[k] >= here[1]:
            return False  # no kept block votes for this section
        mapped = kept_from[k] + max(here[0], kept_at[k]) - kept_at[k]
        if there[0] <= mapped < there[1]:  # its own section
            if new[j].kind == old[i].kind:
                return False
            continue
        votes[here[0], there[0]] += 1
        floors[here[0], there[0]] = min(
            _overlap(kept_at, kept_to, *here), _overlap(kept_from, kept_old_to, *there)
        )
    return all(n <= floors[key] for key, n in votes.items())


def _extent(blocks: tuple[Block, ...], k: int) -> tuple[int, int] | None:
    """Where the section of block k starts and stops; None past MAX_SECTION_WALK blocks."""
    label, walk = blocks[k].label, tuning.MAX_SECTION_WALK
    start = k
    while start and blocks[start - 1].label == label:
        start -= 1
        if k - start >= walk:
            return None
    stop = k + 1
    while stop < len(blocks) and blocks[stop].label == label:
        stop += 1
        if stop - start > walk:
            return None
    return start, stop


def _overlap(starts: Sequence[int], stops: Sequence[int], lo: int, hi: int) -> int:
    """Blocks of the rising runs starts[k]..stops[k] that lie in lo..hi."""
    total = 0
    for k in range(bisect_right(stops, lo), len(starts)):
        if starts[k] >= hi:
            break
        total += min(hi, stops[k]) - max(lo, starts[k])
    return total
