"""The parser's unit of work: a Line.

The rule: every upload, text or HTML, becomes a list of logical lines in reading order —
normalised text (LF, NFC, no control or invisible characters, single spaces) with, for HTML,
a hint from the element it came from and the links inside it — and every later phase (chrome,
headline, blocks) reads those lines, never the raw upload.
"""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass, field
from typing import Literal, NamedTuple

from articles.core.parsing.decoding import CONTROL_RE
from articles.core.parsing.thresholds import LINK_ONLY_SHARE

Hint = Literal["text", "headline", "heading", "paragraph", "bullet", "caption"]


class LineLink(NamedTuple):
    start: int
    end: int
    href: str  # "" for a link the article does not keep (a scheme other than http or https)


@dataclass(slots=True)
class Line:
    text: str
    hint: Hint = "text"
    strong_label: str | None = None  # the bold "Label:" an HTML paragraph starts with
    links: tuple[LineLink, ...] = ()
    words: int = field(init=False)  # consulted by nearly every rule, so counted once

    def __post_init__(self) -> None:
        self.words = len(self.text.split())

    @property
    def is_link_only(self) -> bool:
        """All of its text is one link: an item of a list of links (menus, related stories)."""
        return (
            bool(self.links)
            and sum(end - start for start, end, _ in self.links) >= len(self.text) * LINK_ONLY_SHARE
        )


_NEWLINES_RE = re.compile(r"\r\n?|[\v\f\x85\u2028\u2029]")
# Invisible characters that only break matching; ZWJ/ZWNJ stay because scripts and emoji need them.
_INVISIBLE_RE = re.compile(r"[\u200b\u2060\ufeff\u00ad]")
_SPACES_RE = re.compile(r"[ \t\xa0\u1680\u2000-\u200a\u202f\u205f\u3000]+")
_ANY_SPACE_RE = re.compile(r"[\s\xa0\u1680\u2000-\u200a\u202f\u205f\u3000]+")


def normalise(text: str) -> str:
    """LF line ends, NFC, no control or invisible characters, single spaces inside lines."""
    text = CONTROL_RE.sub("", _NEWLINES_RE.sub("\n", text))
    text = _INVISIBLE_RE.sub("", unicodedata.normalize("NFC", text))
    return _SPACES_RE.sub(" ", text)


def clean_inline(text: str) -> str:
    """Text from an HTML element: entities may have produced odd characters, newlines are spaces."""
    return _ANY_SPACE_RE.sub(" ", normalise(text)).strip()
