"""Figure history, at read time: each figure's values across the live revisions of a story.

Rule: a figure (State.figures, by key) has the value of its run in every revision the run
spans; readers get, in order, each value from the first live revision that showed it, and
"removed" from the first live revision after a run that showed none of it; a value equal to
the one before is not repeated. Retracted revisions are skipped, as origins.py skips them.
Rows come in the order their figures were first reported. Between two revisions
(`changes_between`), a figure changed, was added or was removed when its values there differ:
the changed-figures list of a comparison and of the live notice.
"""

from __future__ import annotations

from bisect import bisect_right
from collections.abc import Collection, Sequence
from typing import NamedTuple

from articles.core.diff.model import FigureChange
from articles.core.provenance.state import State


class FigurePoint(NamedTuple):
    number: int  # the revision
    value: str | None  # None: removed


class FigureRow(NamedTuple):
    key: str  # what the figure counts: "missiles", "people displaced", "killed (2)"
    points: tuple[FigurePoint, ...]

    @property
    def current(self) -> str | None:
        return self.points[-1].value


def figure_history(
    state: State, live: Sequence[int], retracted: Collection[int] = ()
) -> list[FigureRow]:
    """Every figure with its values over the live revision numbers `live` (ascending)."""
    if not live:
        return []
    at = live[-1]
    rows = []
    for key, runs in state.figures.items():
        points: list[FigurePoint] = []
        for k, (value, start, end) in enumerate(runs):
            shown = next((n for n in range(start, min(end, at) + 1) if n not in retracted), None)
            if shown is None:
                continue
            if not points or points[-1].value != value:
                points.append(FigurePoint(shown, value))
            after = bisect_right(live, end)  # the first live revision after the run
            next_start = runs[k + 1][1] if k + 1 < len(runs) else None
            if after < len(live) and (next_start is None or live[after] < next_start):
                points.append(FigurePoint(live[after], None))
        if points:
            rows.append(FigureRow(key, tuple(points)))
    rows.sort(key=lambda row: row.points[0].number)  # stable: keys in the order first seen
    return rows


def changes_between(rows: Sequence[FigureRow], old: int, new: int) -> list[FigureChange]:
    """The figures whose value differs between live revisions `old` and `new` (old < new),
    in the order of `rows`: changed, added (none in `old`) or removed (none in `new`)."""
    found = []
    for row in rows:
        before, after = _value_at(row, old), _value_at(row, new)
        if before == after:
            continue
        if before is None:
            found.append(FigureChange(None, row.key, "", after or "", "added"))
        elif after is None:
            found.append(FigureChange(None, row.key, before, "", "removed"))
        else:
            found.append(FigureChange(None, row.key, before, after))
    return found


def _value_at(row: FigureRow, number: int) -> str | None:
    value = None
    for point in row.points:
        if point.number > number:
            break
        value = point.value
    return value
