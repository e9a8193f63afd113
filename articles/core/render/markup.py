"""The pieces of diff markup both views share: escaping, word edits, badges, ids, labels."""

from __future__ import annotations

from collections.abc import Callable, Sequence

from articles.core.diff.model import (
    BlockOp,
    DocumentDiff,
    WordOp,
    WordOps,
    plain_words,
)
from articles.core.document import BLOCK_KINDS

BADGE = {
    "added": '<span class="badge">Added</span> ',
    "removed": '<span class="badge">Removed</span> ',
    "changed": '<span class="badge">Changed</span> ',
    "moved": '<span class="badge">Moved</span> ',
}


EDITED_MOVE_BADGE = '<span class="badge">Moved and changed</span> '


_INS = '<ins><span class="vh">added: </span>'


_DEL = '<del><span class="vh">removed: </span>'


def escape(text: str) -> str:
    """html.escape(text, quote=True), exactly; a replace only for marks the text holds (a check
    is a fast scan, a replace that finds nothing still costs several times more)."""
    if "&" in text:
        text = text.replace("&", "&amp;")
    if "<" in text:
        text = text.replace("<", "&lt;")
    if ">" in text:
        text = text.replace(">", "&gt;")
    if '"' in text:
        text = text.replace('"', "&quot;")
    if "'" in text:
        text = text.replace("'", "&#x27;")
    return text


def inserted(text: str, esc: Callable[[str], str] = escape) -> str:
    core = text.rstrip()
    return f"{_INS}{esc(core)}</ins>{text[len(core) :]}" if core else text


def deleted(text: str, esc: Callable[[str], str] = escape) -> str:
    core = text.rstrip()
    return f"{_DEL}{esc(core)}</del>{text[len(core) :]}" if core else text


def _escaper(words: Sequence[WordOp]) -> Callable[[str], str]:
    """escape, or str (which hands a str back as it is) when neither whole text of the word ops
    holds a mark to escape: one check per block instead of one per op."""
    if isinstance(words, WordOps):
        old, new = words.old_text, words.new_text
        if escape(old) is old and escape(new) is new:
            return str
    return escape


def escape_all(texts: Sequence[str]) -> Sequence[str]:
    """html.escape over many texts in one call: join, escape, split (and no split when no text
    holds a mark: escape hands back the very string it was given)."""
    joined = "\0".join(texts)
    escaped_text = escape(joined)
    if escaped_text is joined:
        return texts
    escaped = escaped_text.split("\0")
    if len(escaped) != len(texts):  # a text holds the separator itself: escape one by one
        escaped = [escape(text) for text in texts]
    return escaped


def inline_words(words: Sequence[WordOp]) -> str:
    esc = _escaper(words)
    out: list[str] = []
    for kind, old, new in plain_words(words):
        if kind == "equal":
            out.append(esc(new))
            continue
        if kind != "insert":  # a replace keeps only the new side's spacing
            out.append(deleted(old if kind == "delete" else old.rstrip(), esc))
        if kind != "delete":
            out.append(inserted(new, esc))
    return "".join(out)


def old_words(words: Sequence[WordOp]) -> str:
    esc = _escaper(words)
    return "".join(
        [esc(old) if kind == "equal" else deleted(old, esc) for kind, old, _ in plain_words(words)]
    )


def new_words(words: Sequence[WordOp]) -> str:
    esc = _escaper(words)
    return "".join(
        [esc(new) if kind == "equal" else inserted(new, esc) for kind, _, new in plain_words(words)]
    )


def label_html(label: str | None) -> str:
    return f'<strong class="label">{escape(label.rstrip(":"))}:</strong> ' if label else ""


def _section_name(label: str | None) -> str:
    return escape(label.rstrip(":")) if label else "the top"


class Numbers:
    """Change numbers in reading order: headline, dek, then each non-equal block op."""

    def __init__(self, diff: DocumentDiff, prefix: str = "") -> None:
        self.prefix = prefix  # escaped: goes in front of every id and in-page href
        n = 0
        self.headline = self.dek = 0
        if diff.headline.changed:
            n += 1
            self.headline = n
        if diff.dek.changed:
            n += 1
            self.dek = n
        changed = [k for k, op in enumerate(diff.ops) if op.kind != "equal"]
        self.ops: dict[int, int] = {k: n + m for m, k in enumerate(changed, start=1)}
        # op index -> where the placeholder for that moved op goes
        self.origin_before: dict[int, list[int]] = {}
        for origin in diff.moved_origins:
            self.origin_before.setdefault(origin.before, []).append(origin.op)


def block_attrs(change: str, kind: str, number: int, extra: str = "", prefix: str = "") -> str:
    ident = f' id="{prefix}change-{number}"' if number else ""
    return f'class="block{extra}" data-change="{change}" data-kind="{escape(kind)}"{ident}'


def row_html(attrs: str, old_html: str, new_html: str) -> str:
    attrs = attrs.replace('class="block', 'class="row', 1)
    return (
        f'<div {attrs}><div class="cell old">{old_html}</div>'
        f'<div class="cell new">{new_html}</div></div>'
    )


class LabelHtml(dict):
    """Label markup by label, and unchanged blocks' tags by kind, made once per render."""

    def __init__(self) -> None:
        super().__init__()
        self.opening, self.closing, self.row = _OPENING, _CLOSING, _ROW_START

    def __missing__(self, label: str | None) -> str:
        html = self[label] = label_html(label)
        return html


class _ByKind(dict):
    """A piece of an unchanged block's markup by block kind (`part` of equal_tags)."""

    def __init__(self, part: int) -> None:
        super().__init__()
        self.part = part

    def __missing__(self, kind: str) -> str:
        html = equal_tags(kind)[self.part]
        if kind in BLOCK_KINDS:  # the parser's kinds are kept; anything else is made each time
            self[kind] = html
        return html


def equal_tags(kind: str) -> tuple[str, str, str]:
    """An unchanged block's opening and closing tags inline, and its side-view row up to the
    old cell's content (the rest of the row is the same for every kind)."""
    tag = "li" if kind == "bullet" else "p"
    row = row_html(block_attrs("equal", kind, 0), "\0", "\0").split("\0")
    assert row[1:] == [ROW_MIDDLE, ROW_END]
    return f"<{tag} {block_attrs('equal', kind, 0)}>", f"</{tag}>", row[0]


ROW_MIDDLE = '</div><div class="cell new">'


ROW_END = "</div></div>"


_OPENING, _CLOSING, _ROW_START = _ByKind(0), _ByKind(1), _ByKind(2)


def moved_from(op: BlockOp, number: int, prefix: str) -> str:
    assert op.old_block is not None
    where = _where(op.old_block.label, op.block.label, "its old place in")
    return f'<a class="moved-from" href="#{prefix}moved-from-{number}">moved from {where}</a>'


def moved_to(op: BlockOp, number: int, prefix: str) -> str:
    assert op.old_block is not None
    where = _where(op.block.label, op.old_block.label, "a new place in")
    return f'<a href="#{prefix}change-{number}">moved to {where}</a>'


def _where(label: str | None, other: str | None, same: str) -> str:
    """The section a move went from or to; within one section, say so."""
    return f"{same} {_section_name(label)}" if label == other else _section_name(label)
