"""Block classification: what kind of block one body line is, and under which section label.

The rule: a line is a bullet (a glyph or an HTML list item), a note ("Editor's note:",
"Correction:"), a credit ("Data: …", "Photo: …"), a caption (an HTML figcaption, or a sentence
followed by its photo credit), or a paragraph; a "Label: text" line — a known Smart-Brevity
label, a bold lead, or a short sentence-case phrase of plain words that is not a speaker —
starts a new section; a heading is a label on its own.
"""

from __future__ import annotations

import re
from collections.abc import Iterable

from articles.core.document import Block
from articles.core.parsing.lines import Line, LineLink
from articles.core.parsing.thresholds import MAX_CAPTION_CREDIT_WORDS, MAX_LABEL_CHARS

BULLET_RE = re.compile(r"^[•·▪◦●‣∙*\-–]\s+(?=\S)")
NOTE_RE = re.compile(
    r"^(Editor['’]?s['’]? note|Correction|Clarification|Go deeper)\s*:\s*(?=\S)", re.IGNORECASE
)
_CREDIT_WORDS = (
    r"(?:Data|Maps?|Charts?|Graphics?|Sources?|Photos?|Images?|Illustrations?|Videos?|Animation"
    r"|Credits?|Tables?)(?: (?:illustration|courtesy(?: of)?|visualization|by))?"
)
CREDIT_RE = re.compile(rf"^{_CREDIT_WORDS}\s*:\s*\S")
_CAPTION_CREDIT_RE = re.compile(
    r"\s\(?(?:Photo illustration|Photos?|Images?|Illustration)(?: courtesy(?: of)?| by)?\s*:\s*\S"
)
ALNUM_RE = re.compile(r"[^\W_]")

# Smart-Brevity labels; matched case- and apostrophe-insensitively (see _label_key).
_KNOWN_LABELS = frozenset(
    {
        "be smart",
        "behind the scenes",
        "between the lines",
        "by the numbers",
        "catch up quick",
        "context",
        "details",
        "driving the news",
        "flashback",
        "follow the money",
        "how it works",
        "meanwhile",
        "of note",
        "our thought bubble",
        "reality check",
        "state of play",
        "the backstory",
        "the big picture",
        "the bottom line",
        "the catch",
        "the intrigue",
        "the latest",
        "the other side",
        "threat level",
        "what happened",
        "what they're saying",
        "what to watch",
        "what we're watching",
        "what's next",
        "what's new",
        "where it stands",
        "why it matters",
        "worth noting",
        "yes, but",
        "zoom in",
        "zoom out",
    }
)
# A phrase ending in (or containing) one of these introduces a quote, not a section.
_SPEECH_VERBS = frozenset(
    [
        "said",
        "says",
        "say",
        "told",
        "tells",
        "tell",
        "added",
        "adds",
        "wrote",
        "writes",
        "asked",
        "asks",
        "tweeted",
        "posted",
        "stated",
        "noted",
        "explained",
        "argued",
        "warned",
        "replied",
        "responded",
        "according",
        "declared",
        "announced",
        "claimed",
        "insisted",
        "continued",
        "urged",
        "admitted",
        "acknowledged",
    ]
)


def _label_key(label: str) -> str:
    return label.casefold().replace("’", "'").replace("‘", "'")


def _looks_like_label(label: str) -> bool:
    """The general rule: a short sentence-case phrase of plain words, not a speaker."""
    words = label.split()
    if not 2 <= len(words) <= 5 or not words[0][:1].isupper():
        return False
    if words[0][1:] != words[0][1:].lower():  # NATO, McCarthy: names, not labels
        return False
    for position, word in enumerate(words):
        bare = word.rstrip(",")
        if not bare.replace("'", "").replace("’", "").replace("-", "").isalpha():
            return False
        if position and word != word.lower():  # a capital later on: a proper name
            return False
        if bare.lower() in _SPEECH_VERBS:
            return False
    return True


def split_label(text: str) -> tuple[str, str] | None:
    """("State of play", "rest") for a labelled line, None when the colon is something else."""
    colon = text.find(":", 0, MAX_LABEL_CHARS)
    if colon <= 0 or text[colon + 1 : colon + 2] not in ("", " "):  # times, URLs, ratios
        return None
    label, rest = text[:colon].strip(), text[colon + 1 :].strip()
    if _label_key(label) in _KNOWN_LABELS:
        return label, rest
    # Unknown phrases must be followed by a sentence: this rejects `X: "quote"` and `X: lowercase`.
    if rest and (rest[0].isupper() or rest[0].isdigit()) and _looks_like_label(label):
        return label, rest
    return None


def caption_credit(text: str) -> bool:
    """A caption with its photo credit after it, e.g. "Crowds at the rally. Photo: A. Name"."""
    match = _CAPTION_CREDIT_RE.search(text)
    return (
        match is not None
        and len(text[: match.start()].split()) >= 2
        and len(text[match.start() :].split()) <= MAX_CAPTION_CREDIT_WORDS
    )


def is_structural(text: str) -> bool:
    """A bullet, note, credit, label or captioned credit: a line with a block kind of its own."""
    return bool(
        BULLET_RE.match(text)
        or NOTE_RE.match(text)
        or CREDIT_RE.match(text)
        or split_label(text)
        or caption_credit(text)
    )


def _strong_split(line: Line) -> tuple[str, str] | None:
    if line.strong_label is None:
        return None
    return line.strong_label, line.text[len(line.strong_label) :].lstrip(" :")


def classify(
    line: Line, label: str | None, *, labels: bool = True
) -> tuple[Block | None, str | None]:
    """The block for one line, and the section label that applies from here on. With labels
    off, a "Label:" lead stays in the paragraph's text."""
    text = line.text
    if ALNUM_RE.search(text) is None:  # dividers such as "* * *" or a lone bullet glyph
        return None, label
    if line.hint in ("heading", "headline"):
        return None, text.rstrip(":").strip() or label
    if line.hint == "caption":
        return Block("caption", label, text), label
    if line.hint == "bullet" or BULLET_RE.match(text):
        return Block("bullet", label, BULLET_RE.sub("", text, count=1)), label
    note = NOTE_RE.match(text)
    if note:
        return Block("note", note.group(1), text[note.end() :]), label
    if CREDIT_RE.match(text):
        return Block("credit", label, text), label
    if caption_credit(text):
        return Block("caption", label, text), label
    found = (_strong_split(line) or split_label(text)) if labels else None
    if found is None:
        return Block("paragraph", label, text), label
    new_label, rest = found
    return (Block("paragraph", new_label, rest) if rest else None), new_label


def _block_links(line: Line, text: str) -> tuple[LineLink, ...]:
    """The line's links, moved onto the block's text (a suffix of the line: its label, glyph or
    note prefix taken off)."""
    if not line.links:
        return ()
    offset = len(line.text) - len(text) if line.text.endswith(text) else line.text.find(text)
    if offset < 0:
        return ()
    moved = []
    for start, end, href in line.links:
        start, end = max(start - offset, 0), min(end - offset, len(text))
        if href and start < end:
            moved.append(LineLink(start, end, href))
    return tuple(moved)


def blocks(lines: Iterable[Line]) -> list[tuple[Block, tuple[LineLink, ...]]]:
    """Each body line's block (dividers and bare labels yield none) with its links."""
    found: list[tuple[Block, tuple[LineLink, ...]]] = []
    label: str | None = None
    heading = False
    for line in lines:
        # Right under a heading, a "Label:" lead is the paragraph's own text: as a label it
        # would replace the heading's, and the heading would be lost.
        block, label = classify(line, label, labels=not heading)
        heading = line.hint in ("heading", "headline")
        if block is not None:
            found.append((block, _block_links(line, block.text) if line.links else ()))
    return found
