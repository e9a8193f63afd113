"""Assembly: the headline, publisher, category and dek, then the blocks, into a Document.

The rule: the headline is the page's chosen <h1> (or its og:title / JSON-LD headline), else the
first title-like line above the body that is more than a publisher or section name — never a
byline, a dateline or chrome; the short lines right above it are the publisher (the one printed
twice, as aggregators do) and the section; bylines and datelines between headline and body are
dropped; the dek is the first unlabelled paragraph. And the wipe guard: a body with no line of
article text — prose that is not a prompt, however it is phrased — is no article at all.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass

from articles.core.document import Block, Document, Link, ParseError
from articles.core.parsing.chrome import drop_chrome, is_article_text, is_byline
from articles.core.parsing.classify import ALNUM_RE, blocks
from articles.core.parsing.lines import Line, LineLink
from articles.core.parsing.thresholds import (
    MAX_HEAD_LINES,
    MAX_METADATA_CHARS,
    MAX_METADATA_RUN,
    MAX_METADATA_WORDS,
    SUBSTANTIAL_WORDS,
)

_OPEN_END_RE = re.compile(r"[^.!?…:;\"'”’»)\]]$")


@dataclass(frozen=True, slots=True)
class PageMeta:
    """What an HTML page says about itself (a text upload says nothing)."""

    headline: str | None = None
    publisher: str | None = None
    category: str | None = None


def _is_metadata_like(line: Line) -> bool:
    """Publisher names and section names: a few words, no sentence punctuation."""
    return (
        line.words <= MAX_METADATA_WORDS
        and len(line.text) <= MAX_METADATA_CHARS
        and not is_byline(line.text)
        and _OPEN_END_RE.search(line.text) is not None
    )


def _could_be_headline(line: Line) -> bool:
    return (
        line.words <= SUBSTANTIAL_WORDS
        and ALNUM_RE.search(line.text) is not None
        and not is_byline(line.text)
        and not line.text.rstrip("\"'”’»)]").endswith((".", "…"))
    )


def _guess_headline(lines: Sequence[Line], body_like: Sequence[bool]) -> int | None:
    """The first title-like line before the body that is more than a publisher/section name."""
    end = next((i for i, like in enumerate(body_like) if like), len(lines))
    candidates = [i for i in range(min(end, MAX_HEAD_LINES)) if _could_be_headline(lines[i])]
    for i in candidates:
        if not _is_metadata_like(lines[i]):
            return i
    return candidates[-1] if candidates else None


def _headline_index(lines: Sequence[Line], body_like: Sequence[bool], meta: PageMeta) -> int | None:
    for i, line in enumerate(lines):
        if line.hint == "headline":
            return i
    if meta.headline is None:
        return _guess_headline(lines, body_like)
    wanted = meta.headline.casefold()
    return next((i for i, line in enumerate(lines) if line.text.casefold() == wanted), None)


def _metadata_run(before: Sequence[Line]) -> list[str]:
    """The short lines right above the headline (publisher, section), nearest last; a
    newsletter's byline between its name and the headline is passed over."""
    run: list[str] = []
    for line in reversed(before):
        if is_byline(line.text) and not run:
            continue
        if not _is_metadata_like(line) or len(run) == MAX_METADATA_RUN:
            break
        run.append(line.text)
    return run[::-1]


def _pick_metadata(run: Sequence[str], meta: PageMeta) -> tuple[str | None, str | None]:
    distinct = list(dict.fromkeys(run))
    # Aggregators print the publisher twice (logo and name); a repeated line is the publisher.
    repeated = [text for text in distinct if run.count(text) > 1]
    publisher = meta.publisher or next(iter(repeated or distinct), None)
    others = [text for text in distinct if text != publisher]
    category = meta.category or (others[-1] if others else None)
    return publisher, category


def _take_dek(found: list[tuple[Block, tuple[LineLink, ...]]]) -> str | None:
    """The standfirst: the first paragraph (past any lead image caption), if it is unlabelled."""
    for i, (block, _links) in enumerate(found):
        if block.kind in ("caption", "credit"):
            continue
        if block.kind == "paragraph" and block.label is None:
            return found.pop(i)[0].text
        return None
    return None


def _bylines(lines: Sequence[Line], start: int, end: int) -> set[int]:
    """Bylines and datelines between headline and body, with the short line under a byline
    that names the writer's role or desk ("Health reporter", "BBC News")."""
    found: set[int] = set()
    for i in range(start, end):
        if is_byline(lines[i].text) or (i - 1 in found and _is_metadata_like(lines[i])):
            found.add(i)
    return found


def _drop_warnings(headline: str | None, chrome: int, bylines: int) -> list[str]:
    warnings = [] if headline else ["no headline found"]
    if chrome:
        verb = "looks like chrome and was" if chrome == 1 else "look like chrome and were"
        warnings.append(f"{chrome} line{'' if chrome == 1 else 's'} {verb} dropped")
    if bylines:
        verb = "line was" if bylines == 1 else "lines were"
        warnings.append(f"{bylines} byline/date {verb} dropped")
    return warnings


def build(lines: list[Line], meta: PageMeta, warnings: list[str]) -> Document:
    lines, body_like, chrome = drop_chrome(lines)
    head = _headline_index(lines, body_like, meta)
    headline, publisher, category = meta.headline, meta.publisher, meta.category
    start = 0
    if head is not None:
        headline = lines[head].text
        run = _metadata_run(lines[:head])
        publisher, category = _pick_metadata(run, meta)
        chrome += head - len(run)
        start = head + 1
    # A lead photo's caption often stands between the headline and the byline, and a dateline
    # may be set as a list item.
    body_start = next(
        (
            i
            for i in range(start, len(lines))
            if body_like[i] and lines[i].hint != "caption" and not is_byline(lines[i].text)
        ),
        len(lines),
    )
    bylines = _bylines(lines, start, body_start)
    found = blocks(lines[i] for i in range(start, len(lines)) if i not in bylines)
    dek = _take_dek(found)
    texts = [dek] if dek else []
    texts += [block.text for block, _ in found if block.kind in ("paragraph", "bullet")]
    if not any(map(is_article_text, texts)):
        raise ParseError("no article text found")
    warnings.extend(_drop_warnings(headline, chrome, len(bylines)))
    return Document(
        headline=headline,
        dek=dek,
        publisher=publisher,
        category=category,
        blocks=tuple(block for block, _ in found),
        warnings=tuple(warnings),
        links=tuple(Link(index, *link) for index, (_, links) in enumerate(found) for link in links),
    )
