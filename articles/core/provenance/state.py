"""What provenance carries from one revision to the next, and what it keeps of each revision.

Members:
  lineage   one sentence through the story's history, edited or not: an id (its index in
            State.lineages) and its runs
  run       [text_key, start, end] or [text_key, start, end, figure_keys]: the lineage had the
            wording text_key in every revision numbered start..end (retracted ones included;
            readers skip those: origins.py); figure_keys name that wording's figures
  text_key  a short digest of a sentence's text, stripped (`text_key`)
  figure    State.figures[key]: runs [value, start, end] of the figure named `key`

Both types convert to and from plain JSON (`to_stored`, `from_stored`).
"""

from __future__ import annotations

import hashlib
from dataclasses import dataclass, field
from typing import Any

Run = list[Any]  # [text_key, start, end] or [text_key, start, end, [figure keys]]
FigureRun = list[Any]  # [value, start, end]


def text_key(text: str) -> str:
    """The digest a sentence (or a block) is matched by: 64 bits, as 16 hex digits."""
    return hashlib.blake2b(text.strip().encode(), digest_size=8).hexdigest()


@dataclass
class State:
    """The story's provenance after revision `through` (0: before the first)."""

    through: int = 0
    lineages: list[list[Run]] = field(default_factory=list)
    # Revision `through`'s blocks: each block's text key, its sentences' lineages and where
    # each of them ends.
    last: list[tuple[str, list[int], list[int]]] = field(default_factory=list)
    figures: dict[str, list[FigureRun]] = field(default_factory=dict)

    def to_stored(self) -> dict[str, Any]:
        """The State as JSON, without what revision `through`'s Placement holds (its blocks'
        lineages and sentence ends: stored once, with that revision)."""
        return {
            "through": self.through,
            "lineages": self.lineages,
            "last_keys": [key for key, _, _ in self.last],
            # Pairs, not an object: PostgreSQL's jsonb keeps an object's keys in its own order, and
            # the figures' order is the order they were first reported in.
            "figures": list(self.figures.items()),
        }

    @classmethod
    def from_stored(cls, data: dict[str, Any], placement: Placement | None = None) -> State:
        """The State to_stored made; `placement`, revision `through`'s, for a State to match the
        next revision against (reading origins and figures needs none)."""
        keys = data["last_keys"]
        blocks = placement.blocks if placement is not None else ()
        if placement is not None and len(blocks) != len(keys):
            raise ValueError("the placement is not the one of the State's revision")
        return cls(
            through=data["through"],
            lineages=data["lineages"],
            last=[
                (key, lineages, ends) for key, (ends, lineages) in zip(keys, blocks, strict=False)
            ],
            figures=dict(data["figures"]),
        )


@dataclass(frozen=True)
class Placement:
    """Which lineage each sentence of one revision is: per block, where its sentences end and
    their lineages, in order (a sentence starts where the one before it ended)."""

    blocks: tuple[tuple[list[int], list[int]], ...]  # (ends, lineages) per block

    def to_stored(self) -> list[list[list[int]]]:
        return [[ends, lineages] for ends, lineages in self.blocks]

    @classmethod
    def from_stored(cls, data: list[list[list[int]]]) -> Placement:
        return cls(tuple((ends, lineages) for ends, lineages in data))
