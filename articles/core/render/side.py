"""The side-by-side view: a row per block, the old text on the left and the new on the right."""

from __future__ import annotations

from collections.abc import Callable, Iterator
from itertools import chain, compress, repeat
from operator import ne

from articles.core.diff.model import BlockOp, DocumentDiff, EqualRun, Op
from articles.core.render import markup
from articles.core.render.markup import ROW_END, LabelHtml, escape, escape_all, label_html


def side_blocks(diff: DocumentDiff, numbers: markup.Numbers) -> Iterator[str]:
    """The blocks' rows, a piece per row or run of rows."""
    ops = diff.ops
    prefix = numbers.prefix
    labels: list[object] = [object(), object()]  # last label shown in the old / new column

    def label_for(column: int, label: str | None) -> str:
        if labels[column] == label:
            return ""
        labels[column] = label
        return label_html(label)

    run_labels = LabelHtml()
    for k, op in enumerate(ops):
        for moved in numbers.origin_before.get(k, ()):
            yield _side_origin(ops[moved], numbers.ops[moved], label_for, prefix)
        if isinstance(op, EqualRun):
            yield _side_run(op, labels, run_labels)
        else:
            yield _side_op(op, numbers.ops.get(k, 0), label_for, prefix)
    for moved in numbers.origin_before.get(len(ops), ()):
        yield _side_origin(ops[moved], numbers.ops[moved], label_for, prefix)


def _side_run(run: EqualRun, shown: list[object], labels: LabelHtml) -> str:
    """Rows for a run of unchanged blocks, the same text in both cells; `shown` holds the last
    label shown in the old and the new column, and is updated."""
    kinds, block_labels, texts = zip(*run.blocks, strict=True)
    rows = list(map(labels.row.__getitem__, kinds))  # up to the old cell's content
    between = [markup.ROW_MIDDLE] * len(rows)  # from the old cell's end to the new cell's content
    first = block_labels[0]
    if shown[0] != first:
        rows[0] += labels[first]
    if shown[1] != first:
        between[0] += labels[first]
    for k in compress(range(1, len(rows)), map(ne, block_labels[1:], block_labels)):
        rows[k] += labels[block_labels[k]]
        between[k] += labels[block_labels[k]]
    shown[0] = shown[1] = block_labels[-1]
    escaped = escape_all(texts)
    return "".join(
        chain.from_iterable(zip(rows, escaped, between, escaped, repeat(ROW_END), strict=False))
    )


def _side_op(
    op: BlockOp, number: int, label_for: Callable[[int, str | None], str], prefix: str
) -> str:
    old, new = op.old_block, op.new_block
    old_label = label_for(0, old.label) if old and op.kind != "moved" else ""
    new_label = label_for(1, new.label) if new else ""
    attrs = markup.block_attrs(op.kind, op.block.kind, number, "", prefix)
    badge = markup.BADGE.get(op.kind, "")
    if op.kind == "added":
        assert new is not None
        return markup.row_html(attrs, "", f"{new_label}{badge}{markup.inserted(new.text)}")
    if op.kind == "removed":
        assert old is not None
        return markup.row_html(attrs, f"{old_label}{badge}{markup.deleted(old.text)}", "")
    assert old is not None and new is not None
    if op.kind == "moved":
        # The old text stands once in the old column, at its old place (_side_origin), with
        # its edits marked there; here the old column only points to it.
        old_html = markup.moved_from(op, number, prefix)
        badge = markup.EDITED_MOVE_BADGE if op.edited else badge
    else:
        old_html = old_label + (markup.old_words(op.words) if op.words else escape(old.text))
    new_html = markup.new_words(op.words) if op.words else escape(new.text)
    return markup.row_html(attrs, old_html, new_label + badge + new_html)


def _side_origin(
    op: Op, number: int, label_for: Callable[[int, str | None], str], prefix: str
) -> str:
    assert isinstance(op, BlockOp) and op.old_block is not None  # a moved block
    attrs = markup.block_attrs("moved", op.block.kind, 0, " moved-origin")
    attrs += f' id="{prefix}moved-from-{number}"'
    label = label_for(0, op.old_block.label)
    text = markup.old_words(op.words) if op.edited else escape(op.old_block.text)
    old_html = f"{label}{text} {markup.moved_to(op, number, prefix)}"
    return markup.row_html(attrs, old_html, "")
