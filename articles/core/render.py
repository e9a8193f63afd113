"""Plain-Python HTML for a DocumentDiff (templates are far too slow for 600 KB pages).

Every piece of document text is escaped exactly as html.escape(..., quote=True) does (see
_esc). Markup contract:
- word edits are <ins>/<del>, each opening with visually hidden "added: " / "removed: ";
- every block element has data-change="equal|added|removed|changed|moved" and data-kind;
- each change has id="change-N" (N = 1.. in reading order) and a visible badge;
- a moved block links to a placeholder id="moved-from-N" where it stood, which links back;
- a section label opens its section's first block: <strong class="label">Zoom in:</strong>;
- with id_prefix="narrow-", every id and in-page href carries it: id="narrow-change-N",
  href="#narrow-moved-from-N" (two renderings of one diff on one page).
"""

from __future__ import annotations

from collections.abc import Callable, Iterator, Sequence
from itertools import chain, compress, repeat
from operator import ne
from typing import Literal

from articles.core.diff.model import (
    BlockOp,
    DocumentDiff,
    EqualRun,
    Op,
    TextChange,
    WordOp,
    WordOps,
    plain_words,
)
from articles.core.document import BLOCK_KINDS

_BADGE = {
    "added": '<span class="badge">Added</span> ',
    "removed": '<span class="badge">Removed</span> ',
    "changed": '<span class="badge">Changed</span> ',
    "moved": '<span class="badge">Moved</span> ',
}
_EDITED_MOVE_BADGE = '<span class="badge">Moved and changed</span> '
_INS = '<ins><span class="vh">added: </span>'
_DEL = '<del><span class="vh">removed: </span>'


def _esc(text: str) -> str:
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


def _ins(text: str, esc: Callable[[str], str] = _esc) -> str:
    core = text.rstrip()
    return f"{_INS}{esc(core)}</ins>{text[len(core) :]}" if core else text


def _del(text: str, esc: Callable[[str], str] = _esc) -> str:
    core = text.rstrip()
    return f"{_DEL}{esc(core)}</del>{text[len(core) :]}" if core else text


def _escaper(words: Sequence[WordOp]) -> Callable[[str], str]:
    """_esc, or str (which hands a str back as it is) when neither whole text of the word ops
    holds a mark to escape: one check per block instead of one per op."""
    if isinstance(words, WordOps):
        old, new = words.old_text, words.new_text
        if _esc(old) is old and _esc(new) is new:
            return str
    return _esc


def _escape_all(texts: Sequence[str]) -> Sequence[str]:
    """html.escape over many texts in one call: join, escape, split (and no split when no text
    holds a mark: _esc hands back the very string it was given)."""
    joined = "\0".join(texts)
    escaped_text = _esc(joined)
    if escaped_text is joined:
        return texts
    escaped = escaped_text.split("\0")
    if len(escaped) != len(texts):  # a text holds the separator itself: escape one by one
        escaped = [_esc(text) for text in texts]
    return escaped


def _inline_words(words: Sequence[WordOp]) -> str:
    esc = _escaper(words)
    out: list[str] = []
    for kind, old, new in plain_words(words):
        if kind == "equal":
            out.append(esc(new))
            continue
        if kind != "insert":  # a replace keeps only the new side's spacing
            out.append(_del(old if kind == "delete" else old.rstrip(), esc))
        if kind != "delete":
            out.append(_ins(new, esc))
    return "".join(out)


def _old_words(words: Sequence[WordOp]) -> str:
    esc = _escaper(words)
    return "".join(
        [esc(old) if kind == "equal" else _del(old, esc) for kind, old, _ in plain_words(words)]
    )


def _new_words(words: Sequence[WordOp]) -> str:
    esc = _escaper(words)
    return "".join(
        [esc(new) if kind == "equal" else _ins(new, esc) for kind, _, new in plain_words(words)]
    )


def _label(label: str | None) -> str:
    return f'<strong class="label">{_esc(label.rstrip(":"))}:</strong> ' if label else ""


def _section_name(label: str | None) -> str:
    return _esc(label.rstrip(":")) if label else "the top"


class _Numbers:
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


def _attrs(change: str, kind: str, number: int, extra: str = "", prefix: str = "") -> str:
    ident = f' id="{prefix}change-{number}"' if number else ""
    return f'class="block{extra}" data-change="{change}" data-kind="{_esc(kind)}"{ident}'


def _text_change(
    change: TextChange, kind: str, tag: str, number: int, side: bool, prefix: str
) -> str:
    if change.new is None and change.old is None:
        return ""
    if not change.changed:
        text = _esc(change.new or "")
        if side:
            return _row(_attrs("equal", kind, 0), text, text)
        return f"<{tag} {_attrs('equal', kind, 0)}>{text}</{tag}>"
    attrs = _attrs(change.kind, kind, number, "", prefix)
    badge = _BADGE[change.kind]
    if side:
        return _row(attrs, _old_words(change.words), badge + _new_words(change.words))
    return f"<{tag} {attrs}>{badge}{_inline_words(change.words)}</{tag}>"


def _row(attrs: str, old_html: str, new_html: str) -> str:
    attrs = attrs.replace('class="block', 'class="row', 1)
    return (
        f'<div {attrs}><div class="cell old">{old_html}</div>'
        f'<div class="cell new">{new_html}</div></div>'
    )


def render_diff_html(
    diff: DocumentDiff, *, view: Literal["inline", "side"] = "inline", id_prefix: str = ""
) -> str:
    """The block diff as one HTML string: inline (one column) or side by side (two).

    `id_prefix` goes in front of every id and in-page link target the rendering emits
    (id="{id_prefix}change-3", href="#{id_prefix}moved-from-3"), so two renderings of one diff
    can share a page; it is escaped like document text. The default emits the plain ids."""
    numbers = _Numbers(diff, _esc(id_prefix))
    side = view == "side"
    html = f'<div class="diff-{view}">'
    prefix = numbers.prefix
    html += _text_change(diff.headline, "headline", "h2", numbers.headline, side, prefix)
    html += _text_change(diff.dek, "dek", "p", numbers.dek, side, prefix)
    # Grown in place, a piece at a time (CPython resizes a str that nothing else refers to):
    # a list of every piece joined at the end would hold the page twice at its peak.
    for piece in _side_blocks(diff, numbers) if side else _inline_blocks(diff, numbers):
        html += piece
    html += "</div>"
    return html


def _inline_blocks(diff: DocumentDiff, numbers: _Numbers) -> Iterator[str]:
    """The blocks' html, a piece per op."""
    ops = diff.ops
    prefix = numbers.prefix
    out: list[str] = []
    in_list = False
    last_label: object = object()
    labels = _LabelHtml()
    origins = sorted(numbers.origin_before)
    origins.append(len(ops) + 1)
    next_origin = origins.pop(0)
    for k, op in enumerate(ops):
        if out:
            yield "".join(out)
            out.clear()
        if k == next_origin:
            if in_list:
                out.append("</ul>")
                in_list = False
            out.extend(
                _inline_origin(ops[m], numbers.ops[m], prefix) for m in numbers.origin_before[k]
            )
            next_origin = origins.pop(0)
        if isinstance(op, EqualRun):
            in_list, last_label = _inline_run(op, in_list, last_label, labels, out)
            continue
        block = op.new_block or op.old_block
        assert block is not None
        kind = block.kind
        if (kind == "bullet") != in_list:
            in_list = not in_list
            out.append('<ul class="bullets">' if in_list else "</ul>")
        label = ""
        if block.label != last_label:
            last_label = block.label
            label = _label(block.label)
        if op.kind == "equal" and not op.words:  # kept in place under a renamed section
            opening, closing, _ = _equal_tags(kind)
            out.append(f"{opening}{label}{_esc(block.text)}{closing}")
        else:
            number = numbers.ops.get(k, 0)
            out.append(_inline_op(op, "li" if in_list else "p", label, number, prefix))
    if in_list:
        out.append("</ul>")
    out.extend(
        _inline_origin(ops[m], numbers.ops[m], prefix)
        for m in numbers.origin_before.get(len(ops), ())
    )
    yield "".join(out)


class _LabelHtml(dict):
    """Label markup by label, and unchanged blocks' tags by kind, made once per render."""

    def __init__(self) -> None:
        super().__init__()
        self.opening, self.closing, self.row = _OPENING, _CLOSING, _ROW_START

    def __missing__(self, label: str | None) -> str:
        html = self[label] = _label(label)
        return html


class _ByKind(dict):
    """A piece of an unchanged block's markup by block kind (`part` of _equal_tags)."""

    def __init__(self, part: int) -> None:
        super().__init__()
        self.part = part

    def __missing__(self, kind: str) -> str:
        html = _equal_tags(kind)[self.part]
        if kind in BLOCK_KINDS:  # the parser's kinds are kept; anything else is made each time
            self[kind] = html
        return html


def _inline_run(
    run: EqualRun, in_list: bool, last_label: object, labels: _LabelHtml, out: list[str]
) -> tuple[bool, object]:
    """A run of unchanged blocks: the texts escaped in one call, then one tight loop that looks
    tags up by kind (measured faster than a chain of C maps over the run's columns, which made
    several lists per run). Returns the list state and the last label shown."""
    kinds, block_labels, texts = zip(*run.blocks, strict=True)
    opening, closing, switch = labels.opening, labels.closing, _LIST_SWITCH
    append = out.append
    for kind, label, text in zip(kinds, block_labels, _escape_all(texts), strict=True):
        bullet = kind == "bullet"
        if bullet is not in_list:
            append(switch[bullet])
            in_list = bullet
        if label != last_label:
            last_label = label
            append(opening[kind] + labels[label])
        else:
            append(opening[kind])
        append(text)
        append(closing[kind])
    return in_list, last_label


_LIST_SWITCH = {True: '<ul class="bullets">', False: "</ul>"}


def _equal_tags(kind: str) -> tuple[str, str, str]:
    """An unchanged block's opening and closing tags inline, and its side-view row up to the
    old cell's content (the rest of the row is the same for every kind)."""
    tag = "li" if kind == "bullet" else "p"
    row = _row(_attrs("equal", kind, 0), "\0", "\0").split("\0")
    assert row[1:] == [_ROW_MIDDLE, _ROW_END]
    return f"<{tag} {_attrs('equal', kind, 0)}>", f"</{tag}>", row[0]


_ROW_MIDDLE = '</div><div class="cell new">'
_ROW_END = "</div></div>"
_OPENING, _CLOSING, _ROW_START = _ByKind(0), _ByKind(1), _ByKind(2)


def _inline_op(op: BlockOp, tag: str, label: str, number: int, prefix: str) -> str:
    block = op.block
    if op.kind == "added":
        body = _BADGE["added"] + _ins(block.text)
    elif op.kind == "removed":
        body = _BADGE["removed"] + _del(block.text)
    elif op.kind == "moved":
        badge = _EDITED_MOVE_BADGE if op.edited else _BADGE["moved"]
        text = _inline_words(op.words) if op.words else _esc(block.text)
        body = f"{badge}{text} {_moved_from(op, number, prefix)}"
    elif op.kind == "changed":
        body = _BADGE["changed"] + _inline_words(op.words)
    else:  # equal apart from spacing
        body = _esc(block.text)
    return f"<{tag} {_attrs(op.kind, block.kind, number, '', prefix)}>{label}{body}</{tag}>"


def _moved_from(op: BlockOp, number: int, prefix: str) -> str:
    assert op.old_block is not None
    where = _where(op.old_block.label, op.block.label, "its old place in")
    return f'<a class="moved-from" href="#{prefix}moved-from-{number}">moved from {where}</a>'


def _moved_to(op: BlockOp, number: int, prefix: str) -> str:
    assert op.old_block is not None
    where = _where(op.block.label, op.old_block.label, "a new place in")
    return f'<a href="#{prefix}change-{number}">moved to {where}</a>'


def _where(label: str | None, other: str | None, same: str) -> str:
    """The section a move went from or to; within one section, say so."""
    return f"{same} {_section_name(label)}" if label == other else _section_name(label)


def _inline_origin(op: Op, number: int, prefix: str) -> str:
    assert isinstance(op, BlockOp)  # moved_origins point at moved blocks
    kind = _esc(op.block.kind)
    return (
        f'<div class="moved-origin" data-change="moved" data-kind="{kind}" '
        f'id="{prefix}moved-from-{number}"><span class="badge">Moved</span> '
        f"A {kind} that stood here {_moved_to(op, number, prefix)}</div>"
    )


def _side_blocks(diff: DocumentDiff, numbers: _Numbers) -> Iterator[str]:
    """The blocks' rows, a piece per row or run of rows."""
    ops = diff.ops
    prefix = numbers.prefix
    labels: list[object] = [object(), object()]  # last label shown in the old / new column

    def label_for(column: int, label: str | None) -> str:
        if labels[column] == label:
            return ""
        labels[column] = label
        return _label(label)

    label_html = _LabelHtml()
    for k, op in enumerate(ops):
        for moved in numbers.origin_before.get(k, ()):
            yield _side_origin(ops[moved], numbers.ops[moved], label_for, prefix)
        if isinstance(op, EqualRun):
            yield _side_run(op, labels, label_html)
        else:
            yield _side_op(op, numbers.ops.get(k, 0), label_for, prefix)
    for moved in numbers.origin_before.get(len(ops), ()):
        yield _side_origin(ops[moved], numbers.ops[moved], label_for, prefix)


def _side_run(run: EqualRun, shown: list[object], labels: _LabelHtml) -> str:
    """Rows for a run of unchanged blocks, the same text in both cells; `shown` holds the last
    label shown in the old and the new column, and is updated."""
    kinds, block_labels, texts = zip(*run.blocks, strict=True)
    rows = list(map(labels.row.__getitem__, kinds))  # up to the old cell's content
    between = [_ROW_MIDDLE] * len(rows)  # from the old cell's end to the new cell's content
    first = block_labels[0]
    if shown[0] != first:
        rows[0] += labels[first]
    if shown[1] != first:
        between[0] += labels[first]
    for k in compress(range(1, len(rows)), map(ne, block_labels[1:], block_labels)):
        rows[k] += labels[block_labels[k]]
        between[k] += labels[block_labels[k]]
    shown[0] = shown[1] = block_labels[-1]
    escaped = _escape_all(texts)
    return "".join(
        chain.from_iterable(zip(rows, escaped, between, escaped, repeat(_ROW_END), strict=False))
    )


def _side_op(
    op: BlockOp, number: int, label_for: Callable[[int, str | None], str], prefix: str
) -> str:
    old, new = op.old_block, op.new_block
    old_label = label_for(0, old.label) if old and op.kind != "moved" else ""
    new_label = label_for(1, new.label) if new else ""
    attrs = _attrs(op.kind, op.block.kind, number, "", prefix)
    badge = _BADGE.get(op.kind, "")
    if op.kind == "added":
        assert new is not None
        return _row(attrs, "", f"{new_label}{badge}{_ins(new.text)}")
    if op.kind == "removed":
        assert old is not None
        return _row(attrs, f"{old_label}{badge}{_del(old.text)}", "")
    assert old is not None and new is not None
    if op.kind == "moved":
        edits = " " + _old_words(op.words) if op.edited else ""
        old_html = _moved_from(op, number, prefix) + edits
        badge = _EDITED_MOVE_BADGE if op.edited else badge
    else:
        old_html = old_label + (_old_words(op.words) if op.words else _esc(old.text))
    new_html = _new_words(op.words) if op.words else _esc(new.text)
    return _row(attrs, old_html, new_label + badge + new_html)


def _side_origin(
    op: Op, number: int, label_for: Callable[[int, str | None], str], prefix: str
) -> str:
    assert isinstance(op, BlockOp) and op.old_block is not None  # a moved block
    attrs = _attrs("moved", op.block.kind, 0, " moved-origin")
    attrs += f' id="{prefix}moved-from-{number}"'
    label = label_for(0, op.old_block.label)
    old_html = f"{label}{_esc(op.old_block.text)} {_moved_to(op, number, prefix)}"
    return _row(attrs, old_html, "")
