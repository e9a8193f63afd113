"""What the API answers, as TypedDicts: the views are type-checked against them and the OpenAPI
document's schemas are made from them (articles/api/openapi.py). A key here is a public
contract: renaming one is a new API version."""

from __future__ import annotations

from datetime import datetime
from typing import Literal, TypedDict


class StoryOut(TypedDict):
    """A story. `live_revision` is null once every revision was retracted."""

    slug: str
    headline: str
    created_at: datetime
    updated_at: datetime
    live_revision: int | None
    revision_count: int
    url: str
    html_url: str
    revisions_url: str


class StoryPage(TypedDict):
    """Stories, newest update first; `next` is the next page's URL (null on the last)."""

    results: list[StoryOut]
    next: str | None


class RevisionRow(TypedDict):
    """One revision. `significance` is whether its change is substantive or a minor edit (null
    where not computed). A retracted one says when and why, and nothing of its text: its
    summary, figures, word counts and significance are null."""

    number: int
    published_at: datetime
    kind: Literal["update", "correction", "minor"]
    change_note: str
    summary: str | None
    figures: list[str] | None
    words_added: int | None
    words_removed: int | None
    significance: Literal["substantive", "minor"] | None
    retracted: bool
    retracted_at: datetime | None
    retraction_reason: str | None
    url: str


class RevisionPage(TypedDict):
    """Revisions, newest first; `next` is the next page's URL (null on the last)."""

    results: list[RevisionRow]
    next: str | None


class BlockOut(TypedDict):
    kind: Literal["paragraph", "bullet", "caption", "credit", "note"]
    label: str | None
    text: str


class DocumentOut(TypedDict):
    """A revision as parsed: headline, dek and blocks in reading order."""

    headline: str | None
    dek: str | None
    publisher: str | None
    category: str | None
    blocks: list[BlockOut]
    warnings: list[str]


class RevisionOut(TypedDict):
    """A revision with its parsed document; `document` is null when it was retracted."""

    story: str
    number: int
    published_at: datetime
    kind: Literal["update", "correction", "minor"]
    change_note: str
    parser_version: int
    retracted: bool
    retracted_at: datetime | None
    retraction_reason: str | None
    document: DocumentOut | None
    raw_url: str | None


class Range(TypedDict):
    """A word-level edit: characters [start, end) of the old text became [start, end) of the
    new one (an insert is empty on the old side, a delete on the new)."""

    kind: Literal["insert", "delete", "replace"]
    old: list[int]
    new: list[int]


class TextDiff(TypedDict):
    """The headline, dek, publisher or category: both values and the edits between them."""

    kind: Literal["equal", "added", "removed", "changed"]
    old: str | None
    new: str | None
    ranges: list[Range]


class BlockOp(TypedDict):
    """One entry in the new page's reading order. `equal`: `length` blocks kept as they were,
    from old_position and new_position on (their text is the old revision's); when `section`
    differs from `old_section`, the one block now sits under the renamed `section`. `added`,
    `removed`, `changed`, `moved`: one block, with its text on each side and the edits as
    ranges. `moved_away`: where a moved block used to stand (`moved_to` is its new position;
    the `moved` entry has `moved_from`). Positions count blocks from 0."""

    kind: Literal["equal", "added", "removed", "changed", "moved", "moved_away"]
    block_kind: Literal["paragraph", "bullet", "caption", "credit", "note"]
    section: str | None
    old_section: str | None
    old_position: int | None
    new_position: int | None
    length: int
    old_text: str | None
    new_text: str | None
    ranges: list[Range]
    moved_from: int | None
    moved_to: int | None


class FigureOut(TypedDict):
    section: str | None
    context: str
    old: str
    new: str


class SectionSummaryOut(TypedDict):
    section: str | None
    changed: int
    added: int
    removed: int
    moved: int
    figures: int
    text: str


class SummaryOut(TypedDict):
    line: str
    changed: int
    added: int
    removed: int
    moved: int
    figures: int
    words_added: int
    words_removed: int
    sections: list[SectionSummaryOut]


class RevisionRef(TypedDict):
    number: int
    published_at: datetime
    url: str


# "from" is a Python keyword: the functional form allows it as a key.
CompareOut = TypedDict(
    "CompareOut",
    {
        "story": str,
        "from": RevisionRef,
        "to": RevisionRef,
        "headline": TextDiff,
        "dek": TextDiff,
        "publisher": TextDiff,
        "category": TextDiff,
        "blocks": list[BlockOp],
        "figures": list[FigureOut],
        "summary": SummaryOut,
        "coarse": bool,
        "notes": list[str],
        "html_url": str,
    },
)
CompareOut.__doc__ = (
    "What changed from revision `from` to revision `to`, blocks in the new page's reading "
    "order. `coarse` says the engine matched more coarsely past a work budget, `notes` how."
)


class Snippet(TypedDict):
    """A piece of matching text, and where the query's words are in it ([start, end) pairs)."""

    text: str
    highlights: list[list[int]]


class LiveHit(TypedDict):
    """A story whose live text matches, best first."""

    story: StoryOut
    snippet: Snippet


class EarlierHit(TypedDict):
    """A story whose live text does not match but an earlier version did: the passage, the
    last revision that had it, the revision that removed it and their comparison."""

    story: StoryOut
    snippet: Snippet
    last_seen: int
    removed_in: int
    compare_url: str
    html_compare_url: str


class SearchOut(TypedDict):
    query: str
    results: list[LiveHit]
    earlier: list[EarlierHit]
