"""Turn an uploaded article (plain text or saved HTML) into a structured Document.

Uploads are what an editor copies from a news site or saves from a browser: the article plus
whatever the page wrapped around it (an aggregator's sign-up prompts, app promos, lists of
related stories). The rules below are general (a vocabulary of chrome phrases and a few
structural rules), never a copy of one page. The only exception raised is ParseError.
"""

from __future__ import annotations

import codecs
import itertools
import math
import re
import unicodedata
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from typing import Literal

from bs4 import BeautifulSoup, ParserRejectedMarkup
from bs4.element import NavigableString, PreformattedString, Tag

from articles.core.document import Block, Document, ParseError

PARSER_VERSION: int = 1

_MB = 1024 * 1024

_Hint = Literal["text", "headline", "heading", "paragraph", "bullet", "caption"]


@dataclass(slots=True)
class _Line:
    """One logical line before classification; HTML lines carry a hint from their element."""

    text: str
    hint: _Hint = "text"
    strong_label: str | None = None  # the bold "Label:" an HTML paragraph starts with
    # Computed once: the chrome and headline rules consult these for every line, several times.
    body_like: bool = field(init=False)
    substantial: bool = field(init=False)

    def __post_init__(self) -> None:
        self.body_like = _is_body_like(self)
        self.substantial = _is_substantial(self.text)


@dataclass(frozen=True, slots=True)
class _Meta:
    headline: str | None = None
    publisher: str | None = None
    category: str | None = None


# --- Normalisation -----------------------------------------------------------------------------

_NEWLINES_RE = re.compile(r"\r\n?|[\v\f\x85\u2028\u2029]")
_CONTROL_RE = re.compile(r"[\x00-\x08\x0e-\x1f\x7f-\x9f]")
_SURROGATE_RE = re.compile(r"[\ud800-\udfff]")
# Invisible characters that only break matching; ZWJ/ZWNJ stay because scripts and emoji need them.
_INVISIBLE_RE = re.compile(r"[\u200b\u2060\ufeff\u00ad]")
_SPACES_RE = re.compile(r"[ \t\xa0\u1680\u2000-\u200a\u202f\u205f\u3000]+")
_ANY_SPACE_RE = re.compile(r"[\s\xa0\u1680\u2000-\u200a\u202f\u205f\u3000]+")


def _normalise(text: str) -> str:
    """LF line ends, NFC, no control or invisible characters, single spaces inside lines."""
    text = _CONTROL_RE.sub("", _NEWLINES_RE.sub("\n", text))
    text = _INVISIBLE_RE.sub("", unicodedata.normalize("NFC", text))
    return _SPACES_RE.sub(" ", text)


def _clean_inline(text: str) -> str:
    """Text from an HTML element: entities may have produced odd characters, newlines are spaces."""
    return _ANY_SPACE_RE.sub(" ", _normalise(text)).strip()


# --- Decoding ----------------------------------------------------------------------------------


def _format_size(size: int) -> str:
    if size >= _MB:
        return f"{size / _MB:.1f}".removesuffix(".0") + " MB"
    if size >= 1024:
        return f"{size / 1024:.1f}".removesuffix(".0") + " KB"
    return f"{size} bytes"


def check_size(size: int, max_bytes: int) -> None:
    if size > max_bytes:
        # Round up so that an over-limit file never displays as the limit itself.
        shown = f"{math.ceil(size * 10 / _MB) / 10:.1f} MB" if size >= _MB else _format_size(size)
        raise ParseError(f"file is too large ({shown}; the limit is {_format_size(max_bytes)})")


def _decode(raw: bytes) -> tuple[str, list[str]]:
    if raw.startswith((codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE)):
        try:
            return raw.decode("utf-16"), []
        except UnicodeDecodeError:
            raise ParseError("not a valid UTF-16 text file") from None
    if b"\x00" in raw:
        raise ParseError("not a text file")
    try:
        return raw.decode("utf-8-sig"), []
    except UnicodeDecodeError:
        pass
    try:
        return raw.decode("cp1252"), ["decoded as windows-1252: the file is not valid UTF-8"]
    except UnicodeDecodeError:
        return raw.decode("latin-1"), ["decoded as latin-1: the file is not valid UTF-8"]


def _to_text(data: object, max_bytes: int) -> tuple[str, list[str]]:
    if isinstance(data, str):
        check_size(len(data.encode("utf-8", "surrogatepass")), max_bytes)
        return _SURROGATE_RE.sub("\ufffd", data), []
    if isinstance(data, bytes | bytearray | memoryview):
        raw = bytes(data)
        check_size(len(raw), max_bytes)
        text, warnings = _decode(raw)
        # Binary files without NUL bytes still decode (latin-1 accepts anything): count controls.
        if len(_CONTROL_RE.findall(text)) * 4 > len(text):
            raise ParseError("not a text file")
        return text, warnings
    raise ParseError("expected text or bytes")


# --- Line patterns -----------------------------------------------------------------------------

_BULLET_RE = re.compile(r"^[•·▪◦●‣∙*\-–]\s+(?=\S)")
_NOTE_RE = re.compile(
    r"^(Editor['’]?s['’]? note|Correction|Clarification|Go deeper)\s*:\s*(?=\S)", re.IGNORECASE
)
_CREDIT_WORDS = (
    r"(?:Data|Maps?|Charts?|Graphics?|Sources?|Photos?|Images?|Illustrations?|Videos?|Animation"
    r"|Credits?|Tables?)(?: (?:illustration|courtesy(?: of)?|visualization|by))?"
)
_CREDIT_RE = re.compile(rf"^{_CREDIT_WORDS}\s*:\s*\S")
_CAPTION_CREDIT_RE = re.compile(
    r"\s\(?(?:Photo illustration|Photos?|Images?|Illustration)(?: courtesy(?: of)?| by)?\s*:\s*\S"
)
_MAX_CAPTION_CREDIT_WORDS = 20
_SENTENCE_END_RE = re.compile(r"[.!…][\"'”’»)\]]*$")
_OPEN_END_RE = re.compile(r"[^.!?…:;\"'”’»)\]]$")
_ALNUM_RE = re.compile(r"[^\W_]")
_BYLINE_RE = re.compile(
    r"^(?:(?-i:By\s+[A-Z]).{0,60}|(?:updated|published|posted)\b.{0,60}"
    r"|(?:(?:mon|tues|wednes|thurs|fri|satur|sun)day,?\s+)?"
    r"(?:jan|feb|mar|apr|may|jun|jul|aug|sep|oct|nov|dec)[a-z]*\.?\s+\d{1,2},?\s+\d{4}\b.{0,40}"
    r"|\d{4}-\d{2}-\d{2}\b.{0,40})$",
    re.IGNORECASE,
)

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
_MAX_LABEL_CHARS = 60


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


def _split_label(text: str) -> tuple[str, str] | None:
    """("State of play", "rest") for a labelled line, None when the colon is something else."""
    colon = text.find(":", 0, _MAX_LABEL_CHARS)
    if colon <= 0 or text[colon + 1 : colon + 2] not in ("", " "):  # times, URLs, ratios
        return None
    label, rest = text[:colon].strip(), text[colon + 1 :].strip()
    if _label_key(label) in _KNOWN_LABELS:
        return label, rest
    # Unknown phrases must be followed by a sentence: this rejects `X: "quote"` and `X: lowercase`.
    if rest and (rest[0].isupper() or rest[0].isdigit()) and _looks_like_label(label):
        return label, rest
    return None


# --- Chrome ------------------------------------------------------------------------------------

_CHROME_RE = re.compile(
    r"""^(?:
        sign[ -]?(?:in|up|out)\b | log[ -]?(?:in|out)\b | subscribe\b | register\s(?:now|for\sfree)
      | start\s(?:reading|your\s(?:free\s)?trial)\b | continue\sreading\b | read\smore$
      | read\sthe\sfull\s(?:story|article)\b | (?:download|get)\s(?:the|our)\s(?:\w+\s)?app\b
      | download\snow\b | advertisement$ | sponsored(?:\scontent)?$
      | share\s(?:this(?:\sarticle|\sstory|\spage)?|on\s\w+|via\s\w+)$
      | (?:related|top|more|trending|popular|latest)\s(?:stories|articles|news|content|reads)\b
        (?![^\n]*[.!?]$)
      | our\spicks\b | editors['’]?\spicks\b | recommended(?:\sfor\syou|\sreading|\sstories)?$
      | newsletters?$ | free\strial\b
      | already\s(?:a\s(?:member|subscriber)|subscribed|registered|have\san\saccount)\b
      | (?:\d+|one|two|three|five|seven|ten|fourteen|thirty)[-\s]days?\sfree\b
      | (?:accept|manage|reject)\s(?:all\s)?cookies\b | we\suse\scookies\b
      | one\s(?:app|subscription|membership)(?:\.|\s(?:that|for|to)\b|$)
      | get\sall\syour\snews\b | read\snews\sfrom\b
      | \d[\d,]*(?:\+|['’]s)\s(?:of\s)?(?:(?:premium|trusted|global)\s)*
        (?:titles|sources|publishers|publications)\b
      | follow\sus\b | skip\sto\s(?:main\s)?content\b | (?:click|tap)\shere\b
      | (?:advertise|privacy\spolicy|terms\sof\s(?:use|service)|cookie\s(?:policy|settings))$
    )
    | \b(?:sign|log)[ -]?(?:in|up)\s(?:here|now|for\sfree|to\s(?:keep\s)?(?:read|continu))
    | \bsubscribe\s(?:now|today|to\s(?:read|continue|our))\b
    | \bcurated\s(?:specifically\s)?for\syou\b | \bpremium\stitles\b
    | \bapp\sstore\b | \bgoogle\splay\b
    """,
    re.IGNORECASE | re.VERBOSE,
)
_MAX_CHROME_WORDS = 14

# Where the page resumes after the article: everything from here on is chrome.
_HARD_STOP_RE = re.compile(
    r"""^(?:(?:sign\s?up|subscribe|log\s?in)\sto\s(?:keep\s)?(?:read|continu)
      | related\s(?:stories|articles|coverage|content|reading|links)
      | more\s(?:stories|from|on\sthis) | top\sstories | our\spicks | editors['’]?\spicks
      | recommended(?:\sfor\syou|\sreading|\sstories)?$ | read\snext | up\snext
      | you\s(?:may|might)\salso\slike | most\s(?:read|popular|viewed)
      | trending(?:\snow|\sstories)?$
    )""",
    re.IGNORECASE | re.VERBOSE,
)
_MAX_HARD_STOP_WORDS = 10
_SUBSTANTIAL_WORDS = 30
_MAX_HEAD_LINES = 40


def _is_chrome(line: _Line) -> bool:
    if line.hint == "headline":
        return False
    return len(line.text.split()) <= _MAX_CHROME_WORDS and _CHROME_RE.search(line.text) is not None


def _is_hard_stop(text: str) -> bool:
    return (
        len(text.split()) <= _MAX_HARD_STOP_WORDS
        and _split_label(text) is None
        and _HARD_STOP_RE.match(text) is not None
    )


def _is_structural(text: str) -> bool:
    return bool(
        _BULLET_RE.match(text)
        or _NOTE_RE.match(text)
        or _CREDIT_RE.match(text)
        or _split_label(text)
        or _caption_credit(text)
    )


def _is_body_like(line: _Line) -> bool:
    """A line that can only be article body: it ends the headline area."""
    words = len(line.text.split())
    if words >= _SUBSTANTIAL_WORDS or (words >= 8 and _SENTENCE_END_RE.search(line.text)):
        return True
    if line.hint in ("heading", "bullet", "caption") or line.strong_label:
        return True
    return line.hint != "headline" and _is_structural(line.text)


def _is_substantial(text: str) -> bool:
    """Real article text, which a trailing chrome run never contains."""
    return (
        len(text.split()) >= _SUBSTANTIAL_WORDS
        or _split_label(text) is not None
        or _NOTE_RE.match(text) is not None
    )


def _trailing_stop(lines: Sequence[_Line]) -> int:
    """Index where the trailing chrome run starts (len(lines) when there is none)."""
    first_body = next((i for i, line in enumerate(lines) if line.body_like), len(lines))
    last_substantial = max((i for i, line in enumerate(lines) if line.substantial), default=-1)
    start = max(first_body, last_substantial) + 1
    return next((i for i in range(start, len(lines)) if _is_hard_stop(lines[i].text)), len(lines))


def _drop_chrome(lines: Sequence[_Line]) -> tuple[list[_Line], int]:
    stop = _trailing_stop(lines)
    kept = [line for line in lines[:stop] if not _is_chrome(line)]
    return kept, len(lines) - len(kept)


# --- Headline and metadata ---------------------------------------------------------------------


def _is_byline(text: str) -> bool:
    return len(text.split()) <= 8 and _BYLINE_RE.match(text) is not None


def _is_metadata_like(text: str) -> bool:
    """Publisher names and section names: a few words, no sentence punctuation."""
    return (
        len(text.split()) <= 3
        and len(text) <= 40
        and not _is_byline(text)
        and _OPEN_END_RE.search(text) is not None
    )


def _could_be_headline(text: str) -> bool:
    return (
        len(text.split()) <= _SUBSTANTIAL_WORDS
        and _ALNUM_RE.search(text) is not None
        and not _is_byline(text)
        and not text.rstrip("\"'”’»)]").endswith((".", "…"))
    )


def _guess_headline(lines: Sequence[_Line]) -> int | None:
    """The first title-like line before the body that is more than a publisher/section name."""
    end = next((i for i, line in enumerate(lines) if line.body_like), len(lines))
    # A headline sits near the top; the cap also bounds the work on huge title-less uploads.
    candidates = [i for i in range(min(end, _MAX_HEAD_LINES)) if _could_be_headline(lines[i].text)]
    for i in candidates:
        if not _is_metadata_like(lines[i].text):
            return i
    return candidates[-1] if candidates else None


def _headline_index(lines: Sequence[_Line], meta: _Meta) -> int | None:
    for i, line in enumerate(lines):
        if line.hint == "headline":
            return i
    if meta.headline is None:
        return _guess_headline(lines)
    wanted = meta.headline.casefold()
    return next((i for i, line in enumerate(lines) if line.text.casefold() == wanted), None)


def _metadata_run(before: Sequence[_Line]) -> list[str]:
    """The short lines right above the headline (publisher, section), nearest last."""
    run: list[str] = []
    for line in reversed(before):
        if not _is_metadata_like(line.text) or len(run) == 4:
            break
        run.append(line.text)
    return run[::-1]


def _pick_metadata(run: Sequence[str], meta: _Meta) -> tuple[str | None, str | None]:
    distinct = list(dict.fromkeys(run))
    # Aggregators print the publisher twice (logo and name); a repeated line is the publisher.
    repeated = [text for text in distinct if run.count(text) > 1]
    publisher = meta.publisher or next(iter(repeated or distinct), None)
    others = [text for text in distinct if text != publisher]
    category = meta.category or (others[-1] if others else None)
    return publisher, category


# --- Block classification ----------------------------------------------------------------------


def _caption_credit(text: str) -> bool:
    """A caption with its photo credit after it, e.g. "Crowds at the rally. Photo: A. Name"."""
    match = _CAPTION_CREDIT_RE.search(text)
    return (
        match is not None
        and len(text[: match.start()].split()) >= 2
        and len(text[match.start() :].split()) <= _MAX_CAPTION_CREDIT_WORDS
    )


def _classify(line: _Line, label: str | None) -> tuple[Block | None, str | None]:
    """The block for one line, and the section label that applies from here on."""
    text = line.text
    if _ALNUM_RE.search(text) is None:  # dividers such as "* * *" or a lone bullet glyph
        return None, label
    if line.hint in ("heading", "headline"):
        return None, text.rstrip(":").strip() or label
    if line.hint == "caption":
        return Block("caption", label, text), label
    if line.hint == "bullet" or _BULLET_RE.match(text):
        return Block("bullet", label, _BULLET_RE.sub("", text, count=1)), label
    note = _NOTE_RE.match(text)
    if note:
        return Block("note", note.group(1), text[note.end() :]), label
    if _CREDIT_RE.match(text):
        return Block("credit", label, text), label
    if _caption_credit(text):
        return Block("caption", label, text), label
    found = _strong_split(line) or _split_label(text)
    if found is None:
        return Block("paragraph", label, text), label
    new_label, rest = found
    return (Block("paragraph", new_label, rest) if rest else None), new_label


def _strong_split(line: _Line) -> tuple[str, str] | None:
    if line.strong_label is None:
        return None
    return line.strong_label, line.text[len(line.strong_label) :].lstrip(" :")


def _blocks(lines: Iterable[_Line]) -> list[Block]:
    blocks: list[Block] = []
    label: str | None = None
    for line in lines:
        block, label = _classify(line, label)
        if block is not None:
            blocks.append(block)
    return blocks


def _take_dek(blocks: list[Block]) -> str | None:
    """The standfirst: the first paragraph (past any lead image caption), if it is unlabelled."""
    for i, block in enumerate(blocks):
        if block.kind in ("caption", "credit"):
            continue
        if block.kind == "paragraph" and block.label is None:
            return blocks.pop(i).text
        return None
    return None


def _drop_warnings(headline: str | None, chrome: int, bylines: int) -> list[str]:
    warnings = [] if headline else ["no headline found"]
    if chrome:
        verb = "looks like chrome and was" if chrome == 1 else "look like chrome and were"
        warnings.append(f"{chrome} line{'' if chrome == 1 else 's'} {verb} dropped")
    if bylines:
        verb = "line was" if bylines == 1 else "lines were"
        warnings.append(f"{bylines} byline/date {verb} dropped")
    return warnings


def _build(lines: list[_Line], meta: _Meta, warnings: list[str]) -> Document:
    lines, chrome = _drop_chrome(lines)
    head = _headline_index(lines, meta)
    headline, publisher, category = meta.headline, meta.publisher, meta.category
    body = lines
    if head is not None:
        headline = lines[head].text
        run = _metadata_run(lines[:head])
        publisher, category = _pick_metadata(run, meta)
        chrome += head - len(run)
        body = lines[head + 1 :]
    body_start = next((i for i, line in enumerate(body) if line.body_like), len(body))
    bylines = {i for i in range(body_start) if _is_byline(body[i].text)}
    blocks = _blocks(line for i, line in enumerate(body) if i not in bylines)
    dek = _take_dek(blocks)
    if not blocks and dek is None:
        raise ParseError("no article text found")
    warnings.extend(_drop_warnings(headline, chrome, len(bylines)))
    return Document(
        headline=headline,
        dek=dek,
        publisher=publisher,
        category=category,
        blocks=tuple(blocks),
        warnings=tuple(warnings),
    )


# --- Plain text --------------------------------------------------------------------------------


def _continues(previous: str, line: str) -> bool:
    """Hard-wrapped text: the previous line stops mid-sentence and this one carries on."""
    if _OPEN_END_RE.search(previous) is None:
        return False
    return line[0].islower() or (previous.endswith(",") and not _is_structural(line))


def _text_lines(text: str) -> list[_Line]:
    groups: list[list[str]] = []
    blank = True
    for raw in text.split("\n"):
        line = raw.strip()
        if not line:
            blank = True
            continue
        if not blank and _continues(groups[-1][-1], line):
            groups[-1].append(line)
        else:
            groups.append([line])
        blank = False
    return [_Line(" ".join(group)) for group in groups]


# --- HTML --------------------------------------------------------------------------------------

_HTML_START_RE = re.compile(
    r"^\s*<(?:!doctype\s+html|html|head|body|meta|article|main|div|section|p|h[1-6])\b",
    re.IGNORECASE,
)
_HTML_CLOSE_RE = re.compile(
    r"</(?:p|div|h[1-6]|li|ul|ol|article|section|main|figcaption|blockquote|span|a)\s*>",
    re.IGNORECASE,
)
_DROPPED_TAGS = frozenset(
    [
        "script",
        "style",
        "noscript",
        "template",
        "iframe",
        "svg",
        "form",
        "button",
        "nav",
        "aside",
        "footer",
        "select",
        "textarea",
        "object",
        "embed",
        "canvas",
        "video",
        "audio",
        "dialog",
        "head",
        "title",
    ]
)
_DROPPED_ROLES = frozenset({"navigation", "complementary", "contentinfo", "banner", "dialog"})
_INLINE_TAGS = frozenset(
    [
        "a",
        "abbr",
        "b",
        "bdi",
        "bdo",
        "cite",
        "code",
        "data",
        "del",
        "dfn",
        "em",
        "font",
        "i",
        "ins",
        "kbd",
        "label",
        "mark",
        "q",
        "s",
        "samp",
        "small",
        "span",
        "strong",
        "sub",
        "sup",
        "time",
        "u",
        "var",
        "wbr",
    ]
)
_TAG_HINTS: dict[str, _Hint] = {
    "h1": "headline",
    "h2": "heading",
    "h3": "heading",
    "h4": "heading",
    "li": "bullet",
    "figcaption": "caption",
}
_MAX_STRONG_LABEL_WORDS = 6


def looks_like_html(text: str) -> bool:
    """An HTML document or fragment, as opposed to text that merely mentions a tag or two."""
    if _HTML_START_RE.match(text):
        return True
    return sum(1 for _ in itertools.islice(_HTML_CLOSE_RE.finditer(text), 3)) >= 3


def _attr(tag: Tag, name: str) -> str:
    value = tag.get(name)
    return " ".join(value) if isinstance(value, list) else (value or "")


class _HtmlLines:
    """Walks the tree iteratively (deeply nested uploads must not hit the recursion limit)."""

    def __init__(self) -> None:
        self.lines: list[_Line] = []
        self.parts: list[str] = []
        self.lead: list[str] = []  # leading bold text of the current line: a possible label
        self.lead_open = False
        self.has_text = False
        self.hints: list[_Hint] = ["paragraph"]
        self.strong_depth = 0
        self.article_depth = 0
        self.seen_h1 = False

    def run(self, root: Tag) -> list[_Line]:
        stack: list[object] = [root]
        while stack:
            item = stack.pop()
            if isinstance(item, tuple):
                self._leave(item[0])
            elif isinstance(item, Tag):
                if self._skipped(item):
                    continue
                self._enter(item)
                stack.append((item,))
                stack.extend(reversed(item.contents))
            elif isinstance(item, NavigableString) and not isinstance(item, PreformattedString):
                self._add_text(str(item))  # comments, doctypes and CDATA are PreformattedStrings
        self._flush()
        return self.lines

    def _skipped(self, tag: Tag) -> bool:
        if tag.name in _DROPPED_TAGS or _attr(tag, "role").lower() in _DROPPED_ROLES:
            return True
        # The page's own header (logo, menus) but not an article's header, nor one holding the h1.
        return tag.name == "header" and self.article_depth == 0 and tag.find("h1") is None

    def _enter(self, tag: Tag) -> None:
        name = tag.name
        if name == "br":
            self._flush()
        elif name in _INLINE_TAGS:
            self.strong_depth += name in ("strong", "b")
        else:
            self._flush()
            self.article_depth += name in ("article", "main")
            self.hints.append(self._hint_for(name))

    def _hint_for(self, name: str) -> _Hint:
        hint = _TAG_HINTS.get(name)
        if hint == "headline":
            hint = "heading" if self.seen_h1 else "headline"
            self.seen_h1 = True
        # A paragraph inside a list item or caption keeps the outer, more specific hint.
        return hint or self.hints[-1]

    def _leave(self, tag: Tag) -> None:
        name = tag.name
        if name in _INLINE_TAGS:
            self.strong_depth -= name in ("strong", "b")
        elif name != "br":
            self._flush()
            self.article_depth -= name in ("article", "main")
            self.hints.pop()

    def _add_text(self, text: str) -> None:
        if text.strip() and not self.has_text and self.strong_depth:
            self.lead_open = True
        if self.lead_open:
            if self.strong_depth:
                self.lead.append(text)
            else:
                self.lead_open = False
        self.parts.append(text)
        self.has_text = self.has_text or bool(text.strip())

    def _flush(self) -> None:
        if not self.has_text:
            self.parts = []
            return
        text = _clean_inline("".join(self.parts))
        if text:
            self.lines.append(_Line(text, self.hints[-1], self._strong_label(text)))
        self.parts, self.lead, self.lead_open, self.has_text = [], [], False, False

    def _strong_label(self, text: str) -> str | None:
        """`<strong>State of play:</strong> text` marks a label, whatever its wording."""
        if not self.lead:
            return None
        lead = _clean_inline("".join(self.lead))
        label = lead.rstrip(" :")
        after = text[len(label) :].lstrip()
        if not label or not text.startswith(label) or not after.startswith(":"):
            return None
        if len(label.split()) > _MAX_STRONG_LABEL_WORDS or _NOTE_RE.match(text):
            return None
        return None if _CREDIT_RE.match(text) else label


def _first(landmarks: Sequence[Tag], name: str) -> Tag | None:
    return next((tag for tag in landmarks if tag.name == name), None)


def _html_meta(landmarks: Sequence[Tag]) -> _Meta:
    properties: dict[str, str] = {}
    for tag in landmarks:
        if tag.name == "meta":
            key = (_attr(tag, "property") or _attr(tag, "name")).lower()
            properties.setdefault(key, _clean_inline(_attr(tag, "content")))
    publisher = properties.get("og:site_name") or None
    h1, title = _first(landmarks, "h1"), _first(landmarks, "title")
    headline = (
        (_clean_inline(h1.get_text()) if h1 else "")
        or properties.get("og:title")
        or _strip_site_suffix(_clean_inline(title.get_text()) if title else "", publisher)
    )
    return _Meta(headline or None, publisher, properties.get("article:section") or None)


def _strip_site_suffix(title: str, publisher: str | None) -> str:
    """ "Headline | Site" -> "Headline" when Site is the publisher."""
    for separator in (" | ", " - ", " – ", " — "):
        if publisher and title.endswith(separator + publisher):
            return title[: -len(separator + publisher)]
    return title


def _html_root(soup: BeautifulSoup, landmarks: Sequence[Tag]) -> Tag:
    """The element holding the article: the one around the h1, else the largest <article>."""
    h1 = _first(landmarks, "h1")
    if h1 is not None:
        return h1.find_parent(["article", "main"]) or soup.body or soup
    articles = [tag for tag in landmarks if tag.name == "article"]
    largest = max(articles, key=lambda tag: len(tag.get_text()), default=None)
    return largest or _first(landmarks, "main") or soup.body or soup


def _html_document(text: str) -> tuple[list[_Line], _Meta]:
    try:
        soup = BeautifulSoup(text, "html.parser")
        # One pass over the tree for everything looked up by name.
        landmarks = soup.find_all(["h1", "title", "meta", "article", "main"])
        return _HtmlLines().run(_html_root(soup, landmarks)), _html_meta(landmarks)
    except (ParserRejectedMarkup, RecursionError, ValueError, AssertionError) as error:
        # html.parser and bs4 reject some malformed markup; report it as a bad upload.
        raise ParseError("could not read this HTML file") from error


# --- Entry point -------------------------------------------------------------------------------


def read_upload(data: str | bytes, *, max_bytes: int = 5 * _MB) -> tuple[str, Document]:
    """An upload as (text to store verbatim, Document), decoding it once; raises ParseError."""
    text, warnings = _to_text(data, max_bytes)
    return text, _parse_text(text, warnings)


def parse_article(data: str | bytes, *, max_bytes: int = 5 * _MB) -> Document:
    """Parse an upload into a Document; raises ParseError (and nothing else) for bad input."""
    return read_upload(data, max_bytes=max_bytes)[1]


def _parse_text(text: str, warnings: list[str]) -> Document:
    text = _normalise(text)
    if not text.strip():
        raise ParseError("empty upload")
    if looks_like_html(text):
        lines, meta = _html_document(text)
    else:
        lines, meta = _text_lines(text), _Meta()
    return _build(lines, meta, warnings)
