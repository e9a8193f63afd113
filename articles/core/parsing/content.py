"""Main-content selection: which lines of a page are the article.

The rule: trafilatura (made for exactly this, and measured better on real pages than landmark
rules: see README) decides which text is the article; the article is our lines that it kept,
from the first to the last, with the figure captions among them (trafilatura drops figures).
Above them, the headline is the <h1> that the page's og:title / JSON-LD headline names, else the
last <h1> before the article text; between it and the text, the lines that can be a dek, a
caption or a byline stay for assembly to sort. When trafilatura keeps nothing, or the page is
too large for it, landmark rules choose: the <article> or <main> around the headline if it
holds the article text, else the largest <article>, else <main>, else the whole <body>.
"""

from __future__ import annotations

import logging
import re
import unicodedata
from collections.abc import Sequence
from dataclasses import replace
from typing import Any

import trafilatura

from articles.core.parsing.chrome import is_byline, is_chrome, is_hard_stop, is_substantial
from articles.core.parsing.html_page import PageFacts, page_lines
from articles.core.parsing.lines import Line, clean_inline
from articles.core.parsing.thresholds import (
    LONG_LINE_TOKENS,
    MAX_HEAD_LINES,
    MIN_SENTENCE_WORDS,
    SELECTOR_MAX_ELEMENTS,
    SHORT_LINE_SHARE,
)

# trafilatura logs each page it finds no article in at WARNING; for us that is an ordinary
# outcome (the landmark rules take over), not something to print on a server's stderr.
logging.getLogger("trafilatura").setLevel(logging.ERROR)

_TOKEN_RE = re.compile(r"\w+")


def tokens(text: str) -> str:
    """Casefolded \\w+ tokens joined by spaces: how two extractions of one text compare."""
    return " ".join(_TOKEN_RE.findall(unicodedata.normalize("NFKC", text).casefold()))


def _selected_text(root: Any) -> list[str] | None:
    """The lines of text trafilatura keeps as the article (token form), None if it keeps none."""
    if sum(1 for _ in root.iter()) > SELECTOR_MAX_ELEMENTS:
        return None
    try:
        result = trafilatura.bare_extraction(
            root, include_comments=False, include_tables=True, with_metadata=False
        )
    except Exception:
        return None  # trafilatura is a selector we can do without: the landmark rules follow
    text = result.get("text") if isinstance(result, dict) else getattr(result, "text", None)
    if not text:
        return None
    kept = [tokens(line) for line in text.split("\n")]
    return [line for line in kept if line] or None


class _Selected:
    """The selected text, indexed so that each of our lines is looked up, not searched for (a
    search of the whole text for each line took seconds on a page of 19,000 paragraphs)."""

    def __init__(self, selected: list[str]) -> None:
        self.exact = set(selected)
        self.whole = " ".join(selected)
        # Where each run of LONG_LINE_TOKENS words starts: a long line is verified there.
        self.runs: dict[str, list[int]] = {}
        starts, ends = _word_spans(self.whole)
        for i in range(len(starts) - LONG_LINE_TOKENS + 1):
            run = self.whole[starts[i] : ends[i + LONG_LINE_TOKENS - 1]]
            self.runs.setdefault(run, []).append(starts[i])
        # Every run of fewer than LONG_LINE_TOKENS words (a short line of ours) that makes
        # SHORT_LINE_SHARE of a selected line.
        self.parts: set[str] = set()
        for line in self.exact:
            starts, ends = _word_spans(line)
            if len(starts) >= 2 * LONG_LINE_TOKENS:
                continue  # no short run makes half of it
            need = SHORT_LINE_SHARE * len(line)
            for i, start in enumerate(starts):
                for end in ends[i : i + LONG_LINE_TOKENS - 1]:
                    if end - start >= need:
                        self.parts.add(line[start:end])

    def holds(self, ours: str) -> bool:
        """A long line anywhere in the selected text; a short one only as a good part of a
        selected line of its own, so that a menu word never matches prose."""
        if ours in self.exact:
            return True
        words = ours.split(" ")
        if len(words) < LONG_LINE_TOKENS:
            return ours in self.parts
        # Verify at the places of the line's rarest run: pages repeat their phrases.
        rarest, places = 0, None
        for i in range(len(words) - LONG_LINE_TOKENS + 1):
            found = self.runs.get(" ".join(words[i : i + LONG_LINE_TOKENS]))
            if found is None:
                return False  # one of its runs is nowhere in the text
            if places is None or len(found) < len(places):
                rarest, places = i, found
        before = len(" ".join(words[:rarest])) + (1 if rarest else 0)
        end = len(self.whole)
        return any(
            self.whole.startswith(ours, at - before)
            and (at - before + len(ours) == end or self.whole[at - before + len(ours)] == " ")
            for at in places or ()
            if at >= before
        )


def _word_spans(text: str) -> tuple[list[int], list[int]]:
    """Where each word of a single-spaced text starts and ends."""
    starts, ends, at = [], [], 0
    for word in text.split(" "):
        starts.append(at)
        at += len(word)
        ends.append(at)
        at += 1
    return starts, ends


def _kept(lines: Sequence[Line], selected: list[str]) -> list[bool]:
    """Which of our lines are in the selected text."""
    index = _Selected(selected)
    kept = []
    for line in lines:
        ours = tokens(line.text)
        kept.append(bool(ours) and index.holds(ours))
    return kept


def _names(text: str, titles: Sequence[str]) -> bool:
    """Is this h1 text the headline the page's metadata names?"""
    ours = tokens(text)
    return bool(ours) and any(
        ours == theirs or (len(ours.split()) >= 3 and f" {ours} " in f" {theirs} ")
        for theirs in map(tokens, titles)
    )


def _headline_at(lines: Sequence[Line], first: int, titles: Sequence[str]) -> int | None:
    h1s = [i for i, line in enumerate(lines) if line.hint == "headline"]
    named = [i for i in h1s if _names(lines[i].text, titles)]
    before = [i for i in h1s if i <= first]
    if named:
        return min(named, key=lambda i: (i > first, abs(first - i)))
    return before[-1] if before else None


def _last_before_the_page_resumes(lines: Sequence[Line], kept: Sequence[bool], first: int) -> int:
    """The last kept line, unless a "Related stories"-style heading follows the article's last
    substantial text: trafilatura keeps a teaser or two past it now and then."""
    last = len(kept) - 1 - kept[::-1].index(True)
    text_end = max(
        (i for i in range(first, last + 1) if kept[i] and is_substantial(lines[i])), default=first
    )
    stop = next((i for i in range(text_end + 1, last + 1) if is_hard_stop(lines[i])), None)
    if stop is None:
        return last
    return max((i for i in range(first, stop) if kept[i]), default=first)


def _rejoins(lines: Sequence[Line], kept: Sequence[bool], i: int) -> bool:
    """Lines that trafilatura drops among the article's own: figure captions, list items that
    are not links (a list of links is related stories), and a heading whose text it keeps."""
    hint = lines[i].hint
    if hint == "caption" or (hint == "bullet" and not lines[i].is_link_only):
        return True
    return (
        hint == "heading"
        and i + 1 < len(kept)
        and kept[i + 1]
        and lines[i + 1].words >= MIN_SENTENCE_WORDS
    )


def _heads_dropped_text(lines: Sequence[Line], kept: Sequence[bool], i: int) -> bool:
    """A heading over text that is not the article's ("Market data" over a table of prices):
    kept, it would label the article text that follows."""
    if lines[i].hint != "heading":
        return False
    after = next((j for j in range(i + 1, len(lines)) if not is_chrome(lines[j])), None)
    return after is None or not kept[after]


def _may_head_the_article(line: Line) -> bool:
    """Between headline and article text: a dek, a lead image caption or a byline."""
    if line.hint == "caption":
        return True
    if is_chrome(line) or line.hint == "headline":
        return False
    return line.words >= MIN_SENTENCE_WORDS or is_byline(line.text)


def _demote_other_h1s(lines: list[Line], headline: int | None) -> list[Line]:
    return [
        replace(line, hint="heading") if line.hint == "headline" and i != headline else line
        for i, line in enumerate(lines)
    ]


def select(root: Any, lines: list[Line], facts: PageFacts) -> list[Line]:
    """The article's lines; its headline line, if any, is the one hinted "headline"."""
    selected = _selected_text(root)
    kept = _kept(lines, selected) if selected else []
    if not any(kept):
        return _by_landmarks(root, lines, facts)
    first = kept.index(True)
    last = _last_before_the_page_resumes(lines, kept, first)
    chosen = {
        i
        for i in range(first, last + 1)
        if (kept[i] or _rejoins(lines, kept, i)) and not _heads_dropped_text(lines, kept, i)
    }
    headline = _headline_at(lines, first, facts.titles)
    if headline is not None:
        # trafilatura drops most of what stands between a headline and the article text.
        text_at = next((i for i in range(headline + 1, last + 1) if kept[i]), last + 1)
        head_zone = range(headline + 1, min(text_at, headline + 1 + MAX_HEAD_LINES))
        chosen.add(headline)
        chosen.update(i for i in head_zone if _may_head_the_article(lines[i]))
    article = _demote_other_h1s(lines, headline)
    return [article[i] for i in sorted(chosen)]


# --- Landmark rules: when trafilatura keeps nothing -------------------------------------------


def _text_length(element: Any) -> int:
    return len(element.text_content())


def _landmark(root: Any, h1: Any) -> Any:
    """The <article> or <main> around the headline if it holds more than the headline (not a
    teaser's), else the largest <article>, else <main>, else None (the whole page)."""
    if h1 is not None:
        own = len(h1.text_content())
        for container in h1.iterancestors("article", "main"):
            if _text_length(container) > 2 * own:
                return container
    articles = list(root.iter("article"))
    if articles:
        return max(articles, key=_text_length)
    return root.find(".//main")


def _by_landmarks(root: Any, lines: list[Line], facts: PageFacts) -> list[Line]:
    h1s = [(h1, clean_inline(h1.text_content())) for h1 in root.iter("h1")]
    h1s = [(h1, text) for h1, text in h1s if text]
    named = [(h1, text) for h1, text in h1s if _names(text, facts.titles)]
    h1, headline = (named or h1s)[0] if h1s else (None, None)
    container = _landmark(root, h1)
    found = lines if container is None else page_lines(container, facts.base_url)
    if headline is not None and not any(line.text == headline for line in found):
        found = [Line(headline, "headline"), *found]  # the h1 stands above the article element
    at = next(
        (i for i, line in enumerate(found) if line.hint == "headline" and line.text == headline),
        None,
    )
    return _demote_other_h1s(found, at)
