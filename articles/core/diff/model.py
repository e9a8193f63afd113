"""What a diff is: the result types, plain data that the renderer and the cache read.

A DocumentDiff holds the headline, dek, publisher and category as TextChanges, and the blocks
as ops in the new page's reading order: a BlockOp per block that changed (or kept its place
under a renamed section), an EqualRun per stretch of blocks that stayed as they were. A block
op that was paired carries its word ops. Diffs are cached pickled: ENGINE_VERSION is part of
the cache key, so bump it whenever the results or these types change.
"""

from __future__ import annotations

from array import array
from collections.abc import Iterable, Iterator, Sequence
from dataclasses import dataclass
from itertools import compress
from typing import Literal, NamedTuple, overload

from articles.core.document import Block

ENGINE_VERSION = 6

OpKind = Literal["equal", "added", "removed", "changed", "moved"]
WordKind = Literal["equal", "insert", "delete", "replace"]
TextKind = Literal["equal", "added", "removed", "changed"]
FigureKind = Literal["changed", "added", "removed"]

NO_CHANGES = "No changes"


class WordOp(NamedTuple):
    """One run of tokens. `old`/`new` are the exact text on each side, trailing space included.
    A named tuple: a heavily edited page makes thousands of them."""

    kind: WordKind
    old: str
    new: str


# WordOps' kind bytes. EQUAL is 0, so the edits of a block are compress(range(n), kinds).
EQUAL, INSERT, DELETE, REPLACE = range(4)
WORD_KINDS: tuple[WordKind, ...] = ("equal", "insert", "delete", "replace")


class WordOps(Sequence[WordOp]):
    """A block's word ops, kept as a kind byte per op and where each op starts in the old and
    the new text (a few bytes per op instead of a tuple and two strings: on a heavily edited
    page the ops outweighed the page). WordOp tuples are made as they are read."""

    __slots__ = ("_kinds", "_new", "_new_cuts", "_old", "_old_cuts")

    def __init__(self, old: str, new: str, kinds: bytes, old_cuts: array, new_cuts: array):
        self._old, self._new, self._kinds = old, new, kinds
        self._old_cuts, self._new_cuts = old_cuts, new_cuts  # one more than ops: the ends

    @property
    def old_text(self) -> str:
        """The whole old text the ops spell out."""
        return self._old

    @property
    def new_text(self) -> str:
        return self._new

    def __len__(self) -> int:
        return len(self._kinds)

    def __iter__(self) -> Iterator[WordOp]:
        old, new, oc, nc = self._old, self._new, self._old_cuts, self._new_cuts
        make = WordOp._make
        for k, kind in enumerate(self._kinds):
            yield make((WORD_KINDS[kind], old[oc[k] : oc[k + 1]], new[nc[k] : nc[k + 1]]))

    def plain(self) -> Iterator[tuple[WordKind, str, str]]:
        """The ops as plain (kind, old, new) tuples: cheaper to make than WordOps."""
        old, new, oc, nc = self._old, self._new, self._old_cuts, self._new_cuts
        for k, kind in enumerate(self._kinds):
            yield WORD_KINDS[kind], old[oc[k] : oc[k + 1]], new[nc[k] : nc[k + 1]]

    def edited_words(self) -> tuple[int, int]:
        """Words (as str.split counts them) on the old and the new side of the edits."""
        old, new, oc, nc = self._old, self._new, self._old_cuts, self._new_cuts
        removed = added = 0
        for k in compress(range(len(self._kinds)), self._kinds):  # EQUAL is 0: edits only
            removed += len(old[oc[k] : oc[k + 1]].split())
            added += len(new[nc[k] : nc[k + 1]].split())
        return removed, added

    @overload
    def __getitem__(self, k: int) -> WordOp: ...
    @overload
    def __getitem__(self, k: slice) -> tuple[WordOp, ...]: ...
    def __getitem__(self, k: int | slice) -> WordOp | tuple[WordOp, ...]:
        return tuple(self)[k]

    def __eq__(self, other: object) -> bool:
        if isinstance(other, WordOps | tuple):
            return tuple(self) == tuple(other)
        return NotImplemented

    __hash__ = None  # type: ignore[assignment]

    def __repr__(self) -> str:
        return f"WordOps({tuple(self)!r})"

    def __reduce__(self) -> tuple:
        return WordOps, (self._old, self._new, self._kinds, self._old_cuts, self._new_cuts)


def plain_words(words: Sequence[WordOp]) -> Iterable[tuple[WordKind, str, str]]:
    """Word ops as (kind, old, new) tuples, for loops that read many of them."""
    return words.plain() if isinstance(words, WordOps) else words


def edited_words(words: Sequence[WordOp]) -> tuple[int, int]:
    """Words removed and added by the edits among word ops."""
    if isinstance(words, WordOps):
        return words.edited_words()
    removed = added = 0
    for kind, old, new in words:
        if kind != "equal":
            removed += len(old.split())
            added += len(new.split())
    return removed, added


@dataclass(frozen=True, slots=True)
class TextChange:
    """A headline, dek, publisher or category: old and new values with word ops when changed."""

    kind: TextKind
    old: str | None
    new: str | None
    words: tuple[WordOp, ...] = ()

    @property
    def changed(self) -> bool:
        return self.kind != "equal"


class BlockOp(NamedTuple):
    """One block in reading order. `words` is set when a paired block's text differs."""

    kind: OpKind
    old_index: int | None
    new_index: int | None
    old_block: Block | None
    new_block: Block | None
    words: Sequence[WordOp] = ()

    @property
    def anchor(self) -> str:
        """Stable id for navigation: the block's new position, or its old one if removed."""
        return f"b{self.new_index}" if self.new_index is not None else f"r{self.old_index}"

    @property
    def block(self) -> Block:
        """The block as the reader now sees it (the old one for removals)."""
        block = self.new_block or self.old_block
        assert block is not None
        return block

    @property
    def edited(self) -> bool:
        """Whether the text changed (a changed block, or a moved block that was also edited)."""
        return any(word.kind != "equal" for word in self.words)


class EqualRun(NamedTuple):
    """A run of blocks that stayed exactly as they were (kind, label and text), in one op:
    old blocks old_index.. and new blocks new_index.., `length` of each. Most of a live page is
    such runs, so the engine and the renderer handle them without one object per block."""

    kind: Literal["equal"]
    old_index: int
    new_index: int
    length: int
    blocks: tuple[Block, ...]  # the run's blocks (identical on both sides)

    @property
    def words(self) -> tuple[WordOp, ...]:
        return ()

    @property
    def edited(self) -> bool:
        return False


Op = BlockOp | EqualRun


@dataclass(frozen=True, slots=True)
class MovedOrigin:
    """Where a moved block used to stand: just before ops[before] (or at the end)."""

    before: int
    op: int  # index in ops of the moved block


@dataclass(frozen=True, slots=True)
class FigureChange:
    """A figure that changed (old → new), was added (old is "") or removed (new is ""). `label`
    is its block's section label, `context` what the figure counts (labels.figure_label)."""

    label: str | None
    context: str
    old: str
    new: str
    kind: FigureKind = "changed"

    def __str__(self) -> str:
        if self.kind == "added":
            change = f"{self.new} (added)"
        elif self.kind == "removed":
            change = f"{self.old} (removed)"
        else:
            change = f"{self.old} → {self.new}"
        return f"{self.context}: {change}" if self.context else change


@dataclass(frozen=True, slots=True)
class SectionSummary:
    label: str | None
    changed: int
    added: int
    removed: int
    moved: int
    figures: int
    text: str  # e.g. "1 figure changed, 1 bullet added", or "moved"


@dataclass(frozen=True, slots=True)
class Summary:
    changed: int
    added: int
    removed: int
    moved: int
    figures: int
    words_added: int
    words_removed: int
    headline_changed: bool
    dek_changed: bool
    sections: tuple[SectionSummary, ...]
    line: str


@dataclass(frozen=True, slots=True)
class DocumentDiff:
    headline: TextChange
    dek: TextChange
    publisher: TextChange
    category: TextChange
    ops: tuple[Op, ...]
    moved_origins: tuple[MovedOrigin, ...]
    figures: tuple[FigureChange, ...]
    summary: Summary
    coarse: bool
    notes: tuple[str, ...]
    engine_version: int = ENGINE_VERSION

    @property
    def identical(self) -> bool:
        return self.summary.line == NO_CHANGES
