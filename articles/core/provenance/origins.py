"""Origins, at read time: the first and last revision of each sentence that readers may see.

Rule, for a sentence of revision `at` and the retracted revisions R:
  - first: the lowest number, up to `at`, in any run of its lineage that is not in R;
  - last: where its present wording began, looking back from `at`: the run holding `at`,
    joined with an earlier run of the same wording when every revision between them is in R
    (readers never saw the sentence differ or go); its first number not in R.
A run spans retracted numbers too, so a retraction needs no new matching: reading skips it.
"""

from __future__ import annotations

from collections.abc import Collection
from typing import NamedTuple

from articles.core.provenance.state import Placement, Run, State


class Origin(NamedTuple):
    start: int  # the sentence is text[start:end] of its block
    end: int
    first: int
    last: int


def origins_of(
    state: State, placement: Placement, at: int, retracted: Collection[int]
) -> list[list[Origin]]:
    """Each sentence of revision `at` (placed by `placement`), block by block."""
    found = []
    for ends, lineages in placement.blocks:
        start, sentences = 0, []
        for end, lineage in zip(ends, lineages, strict=True):
            first, last = first_and_last(state.lineages[lineage], at, retracted)
            sentences.append(Origin(start, end, first, last))
            start = end
        found.append(sentences)
    return found


def first_and_last(runs: list[Run], at: int, retracted: Collection[int]) -> tuple[int, int]:
    first = next(
        (
            n
            for run in runs
            if run[1] <= at and (n := _first_live(run[1], min(run[2], at), retracted))
        ),
        at,
    )
    here = next((c for c, run in enumerate(runs) if run[1] <= at <= run[2]), None)
    if here is None:
        return first, at
    wording = runs[here][0]
    last = _first_live(runs[here][1], at, retracted) or at
    low = runs[here][1]
    for run in reversed(runs[:here]):
        start = _first_live(run[1], run[2], retracted)
        if start is None:
            continue  # never seen by readers: part of the gap
        if run[0] != wording or not all(n in retracted for n in range(run[2] + 1, low)):
            break
        last, low = start, run[1]
    return min(first, last), last


def _first_live(start: int, end: int, retracted: Collection[int]) -> int | None:
    """The first number of start..end not retracted (a loop of at most len(retracted) + 1)."""
    for n in range(start, end + 1):
        if n not in retracted:
            return n
    return None
