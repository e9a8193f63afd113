"""Search across every version: what is indexed, what counts as removed, and how a query and a
highlighted snippet are read. No database here (articles/search.py stores and queries).

The rule: a story is found by its live text (headline, dek and blocks of its live revision);
text that an earlier live revision had and the live one no longer has is a *removed passage*,
found in a group of its own, "in earlier versions", with the last revision that had it and the
revision that removed it. A passage is a headline, a dek or a block's text, compared whole: a
paragraph edited by one word is removed as it was and live as it is. Retracted revisions are
never part of either: the passages are made from the live revisions only, in order.
"""

from __future__ import annotations

import hashlib
import re
from collections.abc import Iterable
from dataclasses import dataclass

from articles.core.document import Document

# Marks a snippet's matches in the text a database returns: control characters, which no
# parsed text holds (the parser keeps printable text only), and are dropped from user queries.
START, STOP = "\x02", "\x03"
# How many stories each group shows: search is a way into a story, not a listing.
RESULTS_PER_GROUP = 10
# Each text (a body, a passage) is indexed up to this many characters. PostgreSQL's tsvector
# holds at most 1 MB: the 2.2 MB non-Latin article of tests/test_editing.py made one of 1.3 MB
# and its publish failed; its first 200,000 characters make one of 345 KB. A 600 KB English page
# is indexed to about a third of its length.
MAX_INDEXED_CHARACTERS = 200_000


@dataclass(frozen=True, slots=True)
class Removed:
    """A passage no longer live: its text, the last live revision with it, the one without."""

    text: str
    last_seen: int
    removed_in: int


def passage_key(text: str) -> str:
    return hashlib.sha256(text.encode("utf-8")).hexdigest()


def passages(document: Document) -> dict[str, str]:
    """A document's passages by key: headline, dek and every block's text."""
    texts = [document.headline or "", document.dek or "", *(b.text for b in document.blocks)]
    return {passage_key(text): text[:MAX_INDEXED_CHARACTERS] for text in texts if text.strip()}


def live_text(document: Document) -> tuple[str, str, str]:
    """What the live index holds of a document: headline, dek and the body, a block a line."""
    body = "\n".join(block.text for block in document.blocks)
    limit = MAX_INDEXED_CHARACTERS
    return (document.headline or "")[:limit], (document.dek or "")[:limit], body[:limit]


def track_removals(
    removed: dict[str, Removed],
    old: dict[str, str] | None,
    old_number: int,
    new: dict[str, str],
    new_number: int,
) -> tuple[dict[str, Removed], set[str]]:
    """A new revision becomes live after `old` (passages by key, None for the first). Returns
    the passages it removes (to add or overwrite: the latest removal is the one shown) and the
    keys of removed passages it brings back (live again: no longer "earlier")."""
    gone = {
        key: Removed(text, old_number, new_number)
        for key, text in (old or {}).items()
        if key not in new
    }
    back = {key for key in new if key in removed}
    return gone, back


def removals(history: Iterable[tuple[int, Document]]) -> dict[str, Removed]:
    """The removed passages after a story's live revisions, (number, document) in order."""
    removed: dict[str, Removed] = {}
    previous: dict[str, str] | None = None
    previous_number = 0
    for number, document in history:
        current = passages(document)
        gone, back = track_removals(removed, previous, previous_number, current, number)
        for key in back:
            del removed[key]
        removed.update(gone)
        previous, previous_number = current, number
    return removed


# --- queries ---------------------------------------------------------------------------------

_TERM = re.compile(r'(-?)"([^"]*)"?|(\S+)')


@dataclass(frozen=True, slots=True)
class Query:
    """A web-search style query: words and "quoted phrases" must all match, `or` between two
    terms makes either do, a leading `-` excludes. PostgreSQL reads the text itself
    (websearch_to_tsquery); SQLite gets it as an FTS5 expression (`fts5`)."""

    text: str
    groups: tuple[tuple[str, ...], ...]  # all groups must match; any term within a group
    excluded: tuple[str, ...]

    @property
    def searchable(self) -> bool:
        """Is there anything to find? A query of nothing but exclusions finds nothing."""
        return bool(self.groups)

    def fts5(self) -> str:
        def phrase(term: str) -> str:
            return '"' + term.replace('"', '""') + '"'

        expression = " AND ".join(
            "(" + " OR ".join(phrase(term) for term in group) + ")" for group in self.groups
        )
        for term in self.excluded:
            expression = f"({expression}) NOT {phrase(term)}"
        return expression


def parse_query(text: str) -> Query:
    text = text.replace(START, " ").replace(STOP, " ").replace("\x00", " ").strip()
    groups: list[list[str]] = []
    excluded: list[str] = []
    join_next = False
    for match in _TERM.finditer(text):
        negated, quoted, word = match.groups()
        if word is not None and word.lower() == "or":
            join_next = bool(groups)
            continue
        if word is not None and word.startswith("-") and len(word) > 1:
            negated, word = "-", word[1:]
        term = " ".join((quoted if quoted is not None else word).split())
        term = _strip_punctuation(term)
        if not term:
            continue
        if negated:
            excluded.append(term)
        elif join_next:
            groups[-1].append(term)
        else:
            groups.append([term])
        join_next = False
    return Query(text, tuple(tuple(group) for group in groups), tuple(excluded))


def _strip_punctuation(term: str) -> str:
    """Words only: "Mykolaiv," is the word Mykolaiv (both databases split on punctuation)."""
    return " ".join(re.findall(r"\w+", term))


# --- snippets --------------------------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class Snippet:
    """A piece of matching text, and the [start, end) spans of the query's words in it."""

    text: str
    highlights: tuple[tuple[int, int], ...]


def read_marks(marked: str) -> Snippet:
    """A database's snippet, its matches between START and STOP, as text and spans."""
    pieces: list[str] = []
    spans: list[tuple[int, int]] = []
    at = 0
    for k, piece in enumerate(re.split(f"[{START}{STOP}]", marked)):
        if k % 2 and piece:
            spans.append((at, at + len(piece)))
        pieces.append(piece)
        at += len(piece)
    return Snippet(" ".join("".join(pieces).split("\n")), tuple(spans))
