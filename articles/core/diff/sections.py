"""Sections: which section of the new page is which section of the old one (step 2).

A section is a run of blocks under one label; a label may recur (a live page repeats "The
latest:" for every update), so sections are told apart by occurrence. Rule (`pair_sections`):
each exact match between the pages is a vote for its two sections; sections pair by label,
most votes first (then the pair whose positions differ least, then vote order); the rest of
each label pair in order; last, renamed sections that kept their blocks.

CAUTION: fastpath.outvoted restates this rule for the fast path, which pairs sections one for
one without counting votes; a change here must be made there too.
test_fast_path_gives_the_full_paths_diff pins the two together.
"""

from __future__ import annotations

from collections.abc import Sequence
from itertools import accumulate, compress
from operator import ne


def occurrences(labels: Sequence[str | None]) -> tuple[list[int], list[str | None]]:
    """The section occurrence of each block, and each occurrence's label, from the blocks'
    labels (at C speed: a page has thousands of blocks)."""
    if not labels:
        return [], []
    starts = list(map(ne, labels[1:], labels))  # True where a new section starts
    return [0, *accumulate(starts)], [labels[0], *compress(labels[1:], starts)]


def pair_sections(
    votes: dict[tuple[int, int], int], old_labels: list[str | None], new_labels: list[str | None]
) -> dict[int, int]:
    """New section occurrence -> old one, from votes {(new, old): shared blocks}."""
    pairs: dict[int, int] = {}
    taken: set[int] = set()
    ranked = sorted(votes, key=lambda pair: (-votes[pair], abs(pair[0] - pair[1])))  # stable
    for n, o in ranked:
        if new_labels[n] == old_labels[o] and n not in pairs and o not in taken:
            pairs[n] = o
            taken.add(o)
    if len(pairs) == len(new_labels) or len(taken) == len(old_labels):
        return pairs
    free_old: dict[str | None, list[int]] = {}
    for o, label in enumerate(old_labels):
        if o not in taken:
            free_old.setdefault(label, []).append(o)
    for n, label in enumerate(new_labels):
        queue = free_old.get(label)
        if n not in pairs and queue:
            pairs[n] = queue.pop(0)
            taken.add(pairs[n])
    for n, o in ranked:
        if n not in pairs and o not in taken:
            pairs[n] = o
            taken.add(o)
    return pairs
