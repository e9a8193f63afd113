"""Turn an uploaded article (plain text or saved HTML) into a structured Document.

Uploads are what an editor copies from a news site or saves from a browser: the article plus
whatever the page wrapped around it (an aggregator's sign-up prompts, app promos, lists of
related stories, a newsletter's footer). The parser runs in phases, one module each:

    decoding   bytes -> text (refusing binary files and NUL characters)
    text       plain text -> lines            html_page  HTML -> lines, and the page's metadata
                                              content    which lines of the page are the article
    chrome     the lines that are site, aggregator or newsletter furniture
    classify   what kind of block each line is, under which section label
    assembly   headline, publisher, category, dek and blocks -> Document (and the wipe guard)

Every threshold is in thresholds.py with its reason. The rules are general (a vocabulary of the
trade and structural rules), never a copy of one page. The only exception raised is ParseError.
"""

from __future__ import annotations

from articles.core.document import Document, ParseError
from articles.core.parsing.assembly import PageMeta, build
from articles.core.parsing.content import select
from articles.core.parsing.decoding import check_size, to_text
from articles.core.parsing.html_page import looks_like_html, page_facts, page_lines, parse_html
from articles.core.parsing.lines import normalise
from articles.core.parsing.text import text_lines
from articles.core.parsing.thresholds import DEFAULT_MAX_BYTES

# Stored with every revision; `reparse` re-derives revisions parsed by an older version.
PARSER_VERSION: int = 2

__all__ = ["PARSER_VERSION", "check_size", "looks_like_html", "parse_article", "read_upload"]


def read_upload(data: str | bytes, *, max_bytes: int = DEFAULT_MAX_BYTES) -> tuple[str, Document]:
    """An upload as (text to store verbatim, Document), decoding it once; raises ParseError."""
    text, warnings = to_text(data, max_bytes)
    return text, _parse_text(text, warnings)


def parse_article(data: str | bytes, *, max_bytes: int = DEFAULT_MAX_BYTES) -> Document:
    """Parse an upload into a Document; raises ParseError (and nothing else) for bad input."""
    return read_upload(data, max_bytes=max_bytes)[1]


def _parse_text(text: str, warnings: list[str]) -> Document:
    if looks_like_html(text):
        # The page as saved: trafilatura's choices depend on its whitespace (collapsed, one
        # corpus page lost its article). Every line is normalised as it is read.
        return _parse_html(text, warnings)
    text = normalise(text)
    if not text.strip():
        raise ParseError("empty upload")
    return build(text_lines(text), PageMeta(), warnings)


def _parse_html(text: str, warnings: list[str]) -> Document:
    root = parse_html(text)
    facts = page_facts(root)
    lines = select(root, page_lines(root, facts.base_url), facts)
    headline = facts.titles[0] if facts.titles else None
    return build(lines, PageMeta(headline, facts.publisher, facts.category), warnings)
