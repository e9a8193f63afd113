"""apply_diff: the new document rebuilt from the old one and a diff, which proves the diff
holds everything the new revision says (the property tests rebuild every generated pair)."""

from __future__ import annotations

from collections.abc import Sequence

from articles.core.diff.model import DocumentDiff, EqualRun, TextChange, WordOp
from articles.core.document import Block, Document


def apply_diff(old: Document, diff: DocumentDiff) -> Document:
    """Rebuild the new document from the old one and the diff's own content.

    Kept blocks are copied from `old` (by old_index); edited ones are rebuilt from their word
    ops, whose old sides must spell out the old text exactly; added ones come from the op.
    Raises ValueError if the diff does not fit `old`.
    """
    blocks: list[Block] = []
    for op in diff.ops:
        if isinstance(op, EqualRun):
            blocks.extend(old.blocks[op.old_index : op.old_index + op.length])
            continue
        if op.kind == "removed":
            continue
        assert op.new_block is not None
        if op.old_index is None:
            blocks.append(op.new_block)
            continue
        text = _rebuild(old.blocks[op.old_index].text, op.words)
        blocks.append(Block(kind=op.new_block.kind, label=op.new_block.label, text=text))
    return Document(
        headline=_apply_text(old.headline, diff.headline),
        dek=_apply_text(old.dek, diff.dek),
        publisher=_apply_text(old.publisher, diff.publisher),
        category=_apply_text(old.category, diff.category),
        blocks=tuple(blocks),
    )


def _rebuild(old_text: str, words: Sequence[WordOp]) -> str:
    if not words:
        return old_text
    if "".join(word.old for word in words) != old_text:
        raise ValueError("diff does not fit this document")
    return "".join(word.new for word in words)


def _apply_text(old: str | None, change: TextChange) -> str | None:
    if change.old != old:
        raise ValueError("diff does not fit this document")
    if change.new is None:
        return None
    return _rebuild(old or "", change.words)
