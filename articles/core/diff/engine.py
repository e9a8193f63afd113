"""diff_documents: the phases in order, and the state one diff keeps between them.

The state is small and explicit: the Codec (tokens' code points and which are figures), the
blocks' Texts, the notes about coarser matching, and what the word diffs found (figures, and
the blocks whose only edits were figures). Each phase takes what it needs and returns what it
decides.
"""

from __future__ import annotations

from collections.abc import Sequence

from articles.core.diff import fastpath
from articles.core.diff.figures import figures_of_block
from articles.core.diff.layout import full_layout
from articles.core.diff.model import DocumentDiff, FigureChange, Op, WordOp
from articles.core.diff.order import ops_in_reading_order
from articles.core.diff.pairing import Notes, pair_leftovers
from articles.core.diff.summary import summarise
from articles.core.diff.tokens import BlockTexts, Codec
from articles.core.diff.words import text_change, whole_change, word_diff
from articles.core.document import Block, Document


def diff_documents(old: Document, new: Document) -> DocumentDiff:
    """Everything that changed from old to new, blocks in new reading order."""
    codec = Codec()
    headline, figures = text_change(old.headline, new.headline, "Headline", codec)
    dek, dek_figures = text_change(old.dek, new.dek, "Dek", codec)
    figures += dek_figures
    texts = {
        "headline": headline,
        "dek": dek,
        "publisher": whole_change(old.publisher, new.publisher),
        "category": whole_change(old.category, new.category),
    }
    layout = fastpath.fast_layout(old.blocks, new.blocks) or full_layout(old.blocks, new.blocks)
    notes: Notes = {}
    blocks = BlockTexts(old.blocks, new.blocks, codec)
    pairs = pair_leftovers(layout, old.blocks, new.blocks, blocks, notes)
    words = _BlockWords(blocks, new.blocks)
    ops, origins = ops_in_reading_order(layout, pairs, old.blocks, new.blocks, words)
    block_figures = words.in_reading_order(ops)
    figures += block_figures
    return DocumentDiff(
        headline=headline,
        dek=dek,
        publisher=texts["publisher"],
        category=texts["category"],
        ops=tuple(ops),
        moved_origins=tuple(origins),
        figures=tuple(figures),
        summary=summarise(ops, texts, figures, block_figures, words.figure_only),
        coarse=bool(notes),
        notes=tuple(notes),
    )


class _BlockWords:
    """The word diff of a paired block, keeping what it found: the figures, in reading order,
    and the blocks whose only edits are figures. Each pair's Texts are dropped once diffed."""

    def __init__(self, texts: BlockTexts, new: tuple[Block, ...]) -> None:
        self.texts, self.new = texts, new
        self.figures: dict[int, list[FigureChange]] = {}  # by new index
        self.figure_only: set[int] = set()  # new indexes

    def __call__(self, i: int, j: int) -> Sequence[WordOp]:
        texts = self.texts
        found = word_diff(texts.old(i), texts.new(j), self.new[j].label, texts.codec.figures)
        if found.figures:
            self.figures[j] = found.figures
        if found.figure_only:
            self.figure_only.add(j)
        texts.forget(i, j)
        return found.words

    def in_reading_order(self, ops: Sequence[Op]) -> list[FigureChange]:
        """The blocks' figures in reading order: those of paired blocks as their word diffs
        found them, and those of added and removed blocks, each figure that counts something."""
        found: list[FigureChange] = []
        for op in ops:
            if op.kind == "added" and op.new_block is not None:
                found += figures_of_block(op.new_block.text, op.new_block.label, "added")
            elif op.kind == "removed" and op.old_block is not None:
                found += figures_of_block(op.old_block.text, op.old_block.label, "removed")
            elif op.kind != "equal" and op.new_index is not None:
                found += self.figures.get(op.new_index, ())
        return found
