"""The inline view: one column, word edits in place, moved blocks linked to where they stood."""

from __future__ import annotations

from collections.abc import Iterator

from articles.core.diff.model import BlockOp, DocumentDiff, EqualRun, Op
from articles.core.document import Block
from articles.core.render import markup
from articles.core.render.markup import LabelHtml, equal_tags, escape, escape_all, label_html

# Folding (the desk's preview, compare pages): a run of unchanged blocks is folded when at
# least FOLD_MIN_BLOCKS would go out of sight once FOLD_CONTEXT blocks at each end stay shown,
# as context for the change next to them. Folding fewer would hide less than the fold's own
# line takes.
FOLD_CONTEXT = 1
FOLD_MIN_BLOCKS = 2


def inline_blocks(
    diff: DocumentDiff, numbers: markup.Numbers, *, fold: bool = False
) -> Iterator[str]:
    """The blocks' html, a piece per op; with `fold`, long unchanged runs folded."""
    ops = diff.ops
    prefix = numbers.prefix
    out: list[str] = []
    in_list = False
    last_label: object = object()
    labels = LabelHtml()
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
            if fold and op.length - 2 * FOLD_CONTEXT >= FOLD_MIN_BLOCKS:
                in_list, last_label = _folded_run(op.blocks, in_list, last_label, labels, out)
            else:
                in_list, last_label = _inline_run(op.blocks, in_list, last_label, labels, out)
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
            label = label_html(block.label)
        if op.kind == "equal" and not op.words:  # kept in place under a renamed section
            opening, closing, _ = equal_tags(kind)
            out.append(f"{opening}{label}{escape(block.text)}{closing}")
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


def _folded_run(
    blocks: tuple[Block, ...], in_list: bool, last_label: object, labels: LabelHtml, out: list[str]
) -> tuple[bool, object]:
    """An unchanged run with its middle folded: <details> may not stand inside a list, so a
    list open around the fold is closed before it and opened again inside."""
    head, middle, tail = (
        blocks[:FOLD_CONTEXT],
        blocks[FOLD_CONTEXT : len(blocks) - FOLD_CONTEXT],
        blocks[len(blocks) - FOLD_CONTEXT :],
    )
    in_list, last_label = _inline_run(head, in_list, last_label, labels, out)
    if in_list:
        out.append(_LIST_SWITCH[False])
    plural = "" if len(middle) == 1 else "s"
    summary = f"{len(middle)} unchanged paragraph{plural}"
    out.append(f'<details class="unchanged-run"><summary>{summary}</summary>')
    in_list, last_label = _inline_run(middle, False, last_label, labels, out)
    if in_list:
        out.append(_LIST_SWITCH[False])
    out.append("</details>")
    return _inline_run(tail, False, last_label, labels, out)


def _inline_run(
    blocks: tuple[Block, ...], in_list: bool, last_label: object, labels: LabelHtml, out: list[str]
) -> tuple[bool, object]:
    """A run of unchanged blocks: the texts escaped in one call, then one tight loop that looks
    tags up by kind (measured faster than a chain of C maps over the run's columns, which made
    several lists per run). Returns the list state and the last label shown."""
    if not blocks:
        return in_list, last_label
    kinds, block_labels, texts = zip(*blocks, strict=True)
    opening, closing, switch = labels.opening, labels.closing, _LIST_SWITCH
    append = out.append
    for kind, label, text in zip(kinds, block_labels, escape_all(texts), strict=True):
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


def _inline_op(op: BlockOp, tag: str, label: str, number: int, prefix: str) -> str:
    block = op.block
    if op.kind == "added":
        body = markup.BADGE["added"] + markup.inserted(block.text)
    elif op.kind == "removed":
        body = markup.BADGE["removed"] + markup.deleted(block.text)
    elif op.kind == "moved":
        badge = markup.EDITED_MOVE_BADGE if op.edited else markup.BADGE["moved"]
        text = markup.inline_words(op.words) if op.words else escape(block.text)
        body = f"{badge}{text} {markup.moved_from(op, number, prefix)}"
    elif op.kind == "changed":
        body = markup.BADGE["changed"] + markup.inline_words(op.words)
    else:  # equal apart from spacing
        body = escape(block.text)
    attrs = markup.block_attrs(op.kind, block.kind, number, "", prefix)
    return f"<{tag} {attrs}>{label}{body}</{tag}>"


def _inline_origin(op: Op, number: int, prefix: str) -> str:
    assert isinstance(op, BlockOp)  # moved_origins point at moved blocks
    kind = escape(op.block.kind)
    return (
        f'<div class="moved-origin" data-change="moved" data-kind="{kind}" '
        f'id="{prefix}moved-from-{number}"><span class="badge">Moved</span> '
        f"A {kind} that stood here {markup.moved_to(op, number, prefix)}</div>"
    )
