"""HTML to lines, and what the page says about itself.

The rule: the page is read as a browser reads it (lxml's HTML parser, entities decoded), and
refused when it nests deeper than MAX_HTML_DEPTH (the parser would silently drop the rest).
Scripts, styles, navigation, asides, footers, dialogs, form controls, hidden and
screen-reader-only text and the page's own header are not article text — but a <form> is only
a wrapper (ASP.NET pages put the whole page in one). Each block element (paragraph, heading,
list item, table cell) is one line; inline elements, an inline <img> among them, stay inside
their line; a <figure> that holds a photo is one caption line, credit included; a link keeps
its target when that is an http(s) address; a bold lead ending in a colon marks a label. Every
<h1> is a headline candidate (content selection picks one); the page's metadata gives
og:title, the JSON-LD headline and <title> (site name stripped), the publisher and the section.
"""

from __future__ import annotations

import json
import re
from collections.abc import Iterator
from dataclasses import dataclass, field
from typing import Any
from urllib.parse import urljoin, urlsplit

import lxml.html
from lxml import etree

from articles.core.document import ParseError
from articles.core.parsing.classify import CREDIT_RE, NOTE_RE
from articles.core.parsing.lines import Hint, Line, LineLink, clean_inline
from articles.core.parsing.thresholds import (
    HTML_SNIFF_CHARS,
    MAX_CAPTION_WORDS,
    MAX_HTML_DEPTH,
    MAX_STRONG_LABEL_WORDS,
)

_HTML_START_RE = re.compile(
    r"^[\s\ufeff\u200b]*<(?:\?xml|!doctype\s+html|html|head|body|meta|article|main|div|section|p"
    r"|h[1-6])\b",
    re.IGNORECASE,
)
_HTML_CLOSE_RE = re.compile(
    r"</(?:p|div|h[1-6]|li|ul|ol|article|section|main|figcaption|blockquote|span|a)\s*>",
    re.IGNORECASE,
)
# lxml refuses a str that declares its own encoding; the text is already decoded.
_XML_DECLARATION_RE = re.compile(r"^\s*<\?xml[^>]*>")

_DROPPED_TAGS = frozenset(
    [
        "script",
        "style",
        "noscript",
        "template",
        "iframe",
        "svg",
        "button",
        "nav",
        "aside",
        "footer",
        "select",
        "textarea",
        "input",
        "option",
        "object",
        "embed",
        "canvas",
        "video",
        "audio",
        "dialog",
        "head",
        "title",
        "menu",
    ]
)
_DROPPED_ROLES = frozenset({"navigation", "complementary", "contentinfo", "banner", "dialog"})
# Text for screen readers only ("Image caption,", "opens in a new window"): interface, not article.
_SCREEN_READER_CLASS_RE = re.compile(
    r"visually-?hidden|(?<![\w-])(?:sr-only|screen-?reader(?:-only|-text)?|off-?screen)(?![\w-])",
    re.IGNORECASE,
)
_HIDDEN_STYLE_RE = re.compile(r"display\s*:\s*none|visibility\s*:\s*hidden", re.IGNORECASE)
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
        "img",
        "ins",
        "kbd",
        "label",
        "mark",
        "picture",
        "q",
        "s",
        "samp",
        "small",
        "source",
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
_TAG_HINTS: dict[str, Hint] = {
    "h1": "headline",
    "h2": "heading",
    "h3": "heading",
    "h4": "heading",
    "li": "bullet",
    "figcaption": "caption",
}
# Class names that CMSs give a subheading set in a <div> or <p>.
_SUBHEADING_CLASS_RE = re.compile(
    r"(?<![a-z])(?:sub-?head(?:ing|line)?|cross-?head(?:ing)?|inter-?title)(?![a-z])", re.IGNORECASE
)
# A figure holding a photo is a caption; one holding a video player holds its controls and
# transcript, which are not.
_MEDIA_TAGS = ("img", "picture")
_ARTICLE_TYPES = frozenset(
    {
        "Article",
        "NewsArticle",
        "ReportageNewsArticle",
        "AnalysisNewsArticle",
        "OpinionNewsArticle",
        "BackgroundNewsArticle",
        "LiveBlogPosting",
        "BlogPosting",
        "Report",
    }
)
# Marks where a link starts and ends inside a line's text, until the text is clean. Private-use
# code points that the upload's own text is stripped of first.
_LINK_START, _LINK_END = "\ue000", "\ue001"
_LINK_MARK_RE = re.compile(f"([{_LINK_START}{_LINK_END}])")
_SEPARATORS = (" | ", " - ", " – ", " — ", " :: ", " · ")


def looks_like_html(text: str) -> bool:
    """An HTML document or fragment, as opposed to text that merely mentions a tag or two."""
    if _HTML_START_RE.match(text):
        return True
    return len(_HTML_CLOSE_RE.findall(text, 0, HTML_SNIFF_CHARS)[:3]) >= 3


def parse_html(text: str) -> Any:
    """The page's root element; raises ParseError for markup that cannot be read whole."""
    parser = lxml.html.HTMLParser(remove_comments=True, remove_pis=True)
    markup = _XML_DECLARATION_RE.sub("", text, count=1)
    if _LINK_START in markup or _LINK_END in markup:
        markup = markup.replace(_LINK_START, "").replace(_LINK_END, "")
    try:
        root = lxml.html.document_fromstring(markup, parser=parser)
    except etree.ParserError:  # "Document is empty": comments or doctype only
        raise ParseError("no article text found") from None
    except (ValueError, etree.LxmlError) as error:
        raise ParseError("could not read this HTML file") from error
    for entry in parser.error_log:
        if entry.level_name == "FATAL":
            # libxml2 stops at its nesting limit and drops the rest: refuse, never half-read.
            if "depth" in entry.message.lower():
                raise ParseError(f"the HTML nests elements more than {MAX_HTML_DEPTH} deep")
            raise ParseError("could not read this HTML file")
    return root


def _is_skipped(element: Any, article_depth: int) -> bool:
    tag = element.tag
    if tag in _DROPPED_TAGS:
        return True
    role = element.get("role")
    if role and role.lower() in _DROPPED_ROLES:
        return True
    if element.get("hidden") is not None or element.get("aria-hidden") == "true":
        return True
    style = element.get("style")
    if style and _HIDDEN_STYLE_RE.search(style):
        return True
    classes = element.get("class")
    if classes and _SCREEN_READER_CLASS_RE.search(classes):
        return True
    # The page's own header (logo, menus) but not an article's header, nor one holding an h1.
    return tag == "header" and article_depth == 0 and element.find(".//h1") is None


@dataclass
class _LineBuilder:
    """Collects the text of the line being read: its pieces, bold lead and link marks."""

    parts: list[str] = field(default_factory=list)
    lead: list[str] = field(default_factory=list)  # leading bold text: a possible label
    lead_open: bool = False
    has_text: bool = False
    hrefs: list[str] = field(default_factory=list)

    def add(self, text: str, bold: bool) -> None:
        if not text:
            return
        visible = not text.isspace()
        if visible and not self.has_text and bold:
            self.lead_open = True
        if self.lead_open:
            if bold:
                self.lead.append(text)
            elif visible:
                self.lead_open = False
        self.parts.append(text)
        self.has_text = self.has_text or visible


def _take_links(marked: str, hrefs: list[str]) -> tuple[str, tuple[LineLink, ...]]:
    """The text without its link marks, and where each link lies in it. A space on each side of
    a mark ("word <a> link") is one space, as the text's own runs of spaces are."""
    pieces: list[str] = []
    length = 0
    after_space = True  # no space at the start of a line
    targets = iter(hrefs)
    start: int | None = None
    spans: list[LineLink] = []
    for piece in _LINK_MARK_RE.split(marked):
        if piece == _LINK_START:
            start = length
        elif piece == _LINK_END:
            href = next(targets)
            if start is not None:
                spans.append(LineLink(start, length, href))
            start = None
        else:
            if after_space and piece.startswith(" "):
                piece = piece[1:]
            if piece:
                pieces.append(piece)
                length += len(piece)
                after_space = piece.endswith(" ")
    text = "".join(pieces).rstrip()
    links = []
    for start, end, href in spans:
        end = min(end, len(text))
        while start < end and text[start] == " ":
            start += 1
        while end > start and text[end - 1] == " ":
            end -= 1
        if start < end:
            links.append(LineLink(start, end, href))
    return text, tuple(links)


class _HtmlLines:
    """Walks the tree (lxml's iterwalk: no recursion, however deep the markup)."""

    def __init__(self, base_url: str | None) -> None:
        self.base_url = base_url
        self.lines: list[Line] = []
        self.line = _LineBuilder()
        self.hints: list[Hint] = ["paragraph"]
        self.bold = 0
        self.article_depth = 0
        self.figure_depth = 0  # inside a figure with an image: one caption line
        self.link_depth = 0
        # The outermost open link's target: "" for one we do not keep (not http or https),
        # which still counts as link text (menus of mailto: or javascript: links).
        self.open_href: str | None = None

    def run(self, root: Any) -> list[Line]:
        walker = etree.iterwalk(root, events=("start", "end"))
        skipped: Any = None
        for event, element in walker:
            if skipped is not None:
                if element is skipped and event == "end":
                    skipped = None
                    self._text(element.tail)
                continue
            if not isinstance(element.tag, str):
                continue
            if event == "start":
                if _is_skipped(element, self.article_depth):
                    skipped = element
                    walker.skip_subtree()
                    continue
                self._enter(element)
                self._text(element.text)
            else:
                self._leave(element)
                self._text(element.tail)
        self._flush()
        return self.lines

    def _text(self, text: str | None) -> None:
        if text:
            self.line.add(text, self.bold > 0)

    def _enter(self, element: Any) -> None:
        tag = element.tag
        if tag == "br":
            self._break()
        elif tag in _INLINE_TAGS:
            self.bold += tag in ("strong", "b")
            if tag == "a":
                self._open_link(element.get("href"))
        elif tag == "figure" and (self.figure_depth or _has_media(element)):
            self._break()
            self.figure_depth += 1
            self.hints.append("caption")
        else:
            self._break()
            self.article_depth += tag in ("article", "main")
            self.hints.append(_TAG_HINTS.get(tag) or _class_hint(element) or self.hints[-1])

    def _leave(self, element: Any) -> None:
        tag = element.tag
        if tag == "br":
            return
        if tag in _INLINE_TAGS:
            self.bold -= tag in ("strong", "b")
            if tag == "a":
                self._close_link()
        elif tag == "figure" and self.figure_depth:
            self.figure_depth -= 1
            self._break()  # under the figure's caption hint
            self.hints.pop()
        else:
            self._break()
            self.article_depth -= tag in ("article", "main")
            self.hints.pop()

    def _break(self) -> None:
        """A block boundary: a new line, except inside a captioned figure (a space there)."""
        if self.figure_depth:
            self.line.parts.append(" ")
        else:
            self._flush()

    def _open_link(self, href: str | None) -> None:
        self.link_depth += 1
        if self.link_depth == 1:
            self.open_href = self._absolute(href) or ""
            self.line.parts.append(_LINK_START)
            self.line.hrefs.append(self.open_href)

    def _close_link(self) -> None:
        self.link_depth -= 1
        if self.link_depth == 0 and self.open_href is not None:
            self.line.parts.append(_LINK_END)
            self.open_href = None

    def _absolute(self, href: str | None) -> str | None:
        """The link's http(s) address (relative ones resolved against the page's), or None."""
        if not href:
            return None
        address = href.strip()
        try:
            if self.base_url and not address.startswith(("http://", "https://")):
                address = urljoin(self.base_url, address)
            parts = urlsplit(address)
        except ValueError:
            return None
        if parts.scheme not in ("http", "https") or not parts.netloc:
            return None
        return address

    def _flush(self) -> None:
        if not self.line.parts:
            return
        line, self.line = self.line, _LineBuilder()
        if self.open_href is not None:
            # A link open across a block boundary ends here and carries on in the next line.
            line.parts.append(_LINK_END)
            self.line.parts.append(_LINK_START)
            self.line.hrefs.append(self.open_href)
        if not line.has_text:
            return
        text = clean_inline("".join(line.parts))
        links: tuple[LineLink, ...] = ()
        if line.hrefs:
            text, links = _take_links(text, line.hrefs)
        if text:
            found = Line(text, self.hints[-1], _strong_label(line.lead, text), links)
            if found.hint == "caption" and found.words > MAX_CAPTION_WORDS:
                found.hint = "paragraph"  # a video's transcript or an embed, not a caption
            self.lines.append(found)


def _class_hint(element: Any) -> Hint | None:
    classes = element.get("class")
    return "heading" if classes and _SUBHEADING_CLASS_RE.search(classes) else None


def _has_media(figure: Any) -> bool:
    return next(figure.iter(*_MEDIA_TAGS), None) is not None


def _strong_label(lead: list[str], text: str) -> str | None:
    """`<strong>State of play:</strong> text` marks a label, whatever its wording."""
    if not lead:
        return None
    label = clean_inline("".join(lead)).rstrip(" :")
    after = text[len(label) :].lstrip()
    if not label or not text.startswith(label) or not after.startswith(":"):
        return None
    if len(label.split()) > MAX_STRONG_LABEL_WORDS or NOTE_RE.match(text):
        return None
    return None if CREDIT_RE.match(text) else label


def page_lines(root: Any, base_url: str | None) -> list[Line]:
    return _HtmlLines(base_url).run(root)


# --- What the page says about itself -----------------------------------------------------------


@dataclass(frozen=True, slots=True)
class PageFacts:
    titles: tuple[str, ...]  # og:title, JSON-LD headline, <title>: site name stripped, in order
    publisher: str | None
    category: str | None
    base_url: str | None


def _json_objects(data: Any) -> Iterator[dict[str, Any]]:
    """Every JSON object in a JSON-LD value, outermost first (no recursion)."""
    stack = [data]
    while stack:
        item = stack.pop()
        if isinstance(item, dict):
            yield item
            stack.extend(reversed([v for v in item.values() if isinstance(v, dict | list)]))
        elif isinstance(item, list):
            stack.extend(reversed(item))


def _json_ld(root: Any) -> list[dict[str, Any]]:
    objects: list[dict[str, Any]] = []
    for script in root.iter("script"):
        if (script.get("type") or "").strip().lower() != "application/ld+json" or not script.text:
            continue
        try:
            objects.extend(_json_objects(json.loads(script.text)))
        except (ValueError, RecursionError):
            continue  # broken JSON-LD is common; the page's other metadata still counts
    return objects


def _is_article_type(item: dict[str, Any]) -> bool:
    kinds = item.get("@type")
    kinds = kinds if isinstance(kinds, list) else [kinds]
    return any(isinstance(kind, str) and kind in _ARTICLE_TYPES for kind in kinds)


def _string(value: Any) -> str:
    if isinstance(value, list):
        value = next((v for v in value if isinstance(v, str)), "")
    if isinstance(value, dict):
        value = value.get("name", "")
    return clean_inline(value) if isinstance(value, str) else ""


def strip_site_name(title: str, publisher: str | None) -> str:
    """ "Headline | Site" -> "Headline" when Site is the publisher (or the page's own name)."""
    if not publisher:
        return title
    for separator in _SEPARATORS:
        if title.endswith(separator + publisher):
            return title[: -len(separator + publisher)].strip()
        if title.startswith(publisher + separator):
            return title[len(publisher + separator) :].strip()
    return title


def page_facts(root: Any) -> PageFacts:
    properties: dict[str, str] = {}
    for meta in root.iter("meta"):
        key = (meta.get("property") or meta.get("name") or "").strip().lower()
        if key and key not in properties:
            properties[key] = clean_inline(meta.get("content") or "")
    articles = [item for item in _json_ld(root) if _is_article_type(item)]
    article = articles[0] if articles else {}
    publisher = (
        properties.get("og:site_name")
        or _string(article.get("publisher"))
        or properties.get("application-name")
        or None
    )
    title_element = root.find(".//title")
    candidates = [
        properties.get("og:title", ""),
        _string(article.get("headline")),
        properties.get("headline", ""),
        properties.get("twitter:title", ""),
        clean_inline(title_element.text_content()) if title_element is not None else "",
    ]
    titles = tuple(
        dict.fromkeys(
            strip_site_name(title, publisher)
            for title in candidates
            if title and publisher != title
        )
    )
    category = properties.get("article:section") or _string(article.get("articleSection"))
    base = None
    for candidate in (
        root.find(".//base"),
        root.find('.//link[@rel="canonical"]'),
    ):
        if candidate is not None and candidate.get("href", "").startswith(("http://", "https://")):
            base = candidate.get("href")
            break
    if base is None and properties.get("og:url", "").startswith(("http://", "https://")):
        base = properties["og:url"]
    return PageFacts(titles, publisher, category or None, base)
