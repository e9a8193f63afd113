"""Reading order: the ops of the new page, and where each moved block used to stand.

Rule: new blocks in order; each old block that is gone or moved goes where it stood, that is
before the first new block whose in-place partner comes after it. A stretch kept in place is
one EqualRun (split only where a renamed section gave a block a new label); only the gaps
between stretches are walked block by block, and a paired block is word-diffed as it is
reached, so figures come out in reading order too.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence

from articles.core.diff.layout import Layout
from articles.core.diff.model import BlockOp, EqualRun, MovedOrigin, Op, WordOp
from articles.core.diff.pairing import Pairs
from articles.core.document import Block

WordsOf = Callable[[int, int], Sequence[WordOp]]  # (old index, new index) -> word ops


def ops_in_reading_order(
    layout: Layout,
    pairs: Pairs,
    old: tuple[Block, ...],
    new: tuple[Block, ...],
    words_of: WordsOf,
) -> tuple[list[Op], list[MovedOrigin]]:
    """The ops and moved origins, word-diffing each paired block through `words_of`."""
    match, used, place, moved = pairs
    labels = layout.labels
    where = {i: j for j, i in moved.items()}  # old index -> new index, for moved blocks
    ops: list[Op] = []
    origins: list[tuple[int, int]] = []  # (ops length, new index of the moved block)
    op_at: dict[int, int] = {}

    def flush(start: int, stop: int) -> None:
        for i in range(start, stop):
            if not used[i]:
                ops.append(BlockOp("removed", i, None, old[i], None))
            elif i in where:
                origins.append((len(ops), where[i]))

    for tag, i1, i2, j1, j2 in layout.spans:
        if tag == "equal":
            same = labels is None or labels[0][i1:i2] == labels[1][j1:j2]
            _equal_ops(ops, old, new, i1, i2, j1, j2, same)
            continue
        anchors = [(j, place[j]) for j in range(j1, j2) if j in place]  # changed in place
        k = 0
        cursor = i1
        for j in range(j1, j2):
            block = new[j]
            i = match[j]
            if j in place:
                if cursor < i:
                    flush(cursor, i)
                cursor = max(cursor, i + 1)
                k += 1
                before = old[i]
                if before.text == block.text and before.kind == block.kind:
                    ops.append(BlockOp("equal", i, j, before, block))
                    continue
                words = words_of(i, j)
                edited = before.kind != block.kind or any(w.kind != "equal" for w in words)
                ops.append(BlockOp("changed" if edited else "equal", i, j, before, block, words))
                continue
            stop = anchors[k][1] if k < len(anchors) else i2
            if cursor < stop:
                flush(cursor, stop)
                cursor = stop
            if i < 0:
                ops.append(BlockOp("added", None, j, None, block))
            else:
                op_at[j] = len(ops)
                words = words_of(i, j) if old[i].text != block.text else ()
                ops.append(BlockOp("moved", i, j, old[i], block, words))
        if cursor < i2:
            flush(cursor, i2)
    return ops, [MovedOrigin(before, op_at[j]) for before, j in origins]


def _equal_ops(
    ops: list[Op],
    old: tuple[Block, ...],
    new: tuple[Block, ...],
    i1: int,
    i2: int,
    j1: int,
    j2: int,
    same_labels: bool,
) -> None:
    """One run for an equal stretch (same kind and text by construction); a block whose section
    was renamed (new label) stays a single equal op carrying both blocks."""
    blocks = new[j1:j2]
    if same_labels:
        ops.append(EqualRun("equal", i1, j1, i2 - i1, blocks))
        return
    start = 0
    for k in range(i2 - i1):
        if old[i1 + k] != blocks[k]:
            if start < k:
                ops.append(EqualRun("equal", i1 + start, j1 + start, k - start, blocks[start:k]))
            ops.append(BlockOp("equal", i1 + k, j1 + k, old[i1 + k], blocks[k]))
            start = k + 1
    if start < i2 - i1:
        ops.append(EqualRun("equal", i1 + start, j1 + start, i2 - i1 - start, blocks[start:]))
