"""The summary: what a reader is told changed, in counts and in one line.

Rule: blocks are counted by kind of change, per section, in the order the sections first show
a change; a changed block whose only edits are figures is told as its figures ("1 figure
changed"), not as a changed paragraph; a section none of whose blocks kept its place, and which
has moved blocks, is told as "moved". Words added and removed count the words of added and
removed blocks and of every edit.
"""

from __future__ import annotations

from collections.abc import Sequence
from operator import itemgetter

from articles.core.diff.model import (
    NO_CHANGES,
    BlockOp,
    EqualRun,
    FigureChange,
    Op,
    SectionSummary,
    Summary,
    TextChange,
    edited_words,
)

_PLURAL = {"paragraph": "paragraphs", "bullet": "bullets", "caption": "captions"}
# What readers call the document's fields: "dek" is newsroom jargon.
_READER_NAMES = {
    "headline": "Headline",
    "dek": "Summary",
    "publisher": "Publisher",
    "category": "Category",
}
_label_of = itemgetter(1)


def summarise(
    ops: Sequence[Op],
    texts: dict[str, TextChange],
    figures: Sequence[FigureChange],
    block_figures: Sequence[FigureChange],
    figure_only: set[int],
) -> Summary:
    """The Summary of a diff: `texts` are the headline, dek, publisher and category changes;
    `block_figures` the figures changed in blocks; `figure_only` the new indexes of changed
    blocks whose only edits are figures."""
    totals = {"changed": 0, "added": 0, "removed": 0, "moved": 0}
    words_added = words_removed = 0
    per_label: dict[str | None, dict[str, dict[str, int]]] = {}
    settled: set[str | None] = set()  # labels with blocks that kept their place
    changes: list[BlockOp] = []
    for op in ops:
        if op.kind != "equal":
            changes.append(op)
        elif isinstance(op, EqualRun):
            settled.update(map(_label_of, op.blocks))
        else:
            settled.add(op.block.label)
    for op in changes:
        block = op.block
        if op.kind == "changed":
            settled.add(block.label)
        totals[op.kind] += 1
        if op.kind == "added":
            words_added += len(block.text.split())
        elif op.kind == "removed":
            words_removed += len(block.text.split())
        if op.kind == "changed" and op.new_index in figure_only:
            continue  # told as changed figures
        kinds = per_label.setdefault(block.label, {}).setdefault(op.kind, {})
        kinds[block.kind] = kinds.get(block.kind, 0) + 1
    for words in [op.words for op in changes] + [change.words for change in texts.values()]:
        removed, added = edited_words(words)
        words_removed += removed
        words_added += added
    figures_by_label: dict[str | None, int] = {}
    for figure in block_figures:
        if figure.kind != "changed":
            continue  # told as the block or words added or removed
        figures_by_label[figure.label] = figures_by_label.get(figure.label, 0) + 1

    wanted = set(per_label) | set(figures_by_label)
    labels = dict.fromkeys(label for op in changes if (label := op.block.label) in wanted)
    sections = [
        _section_summary(
            label, per_label.get(label, {}), figures_by_label.get(label, 0), label not in settled
        )
        for label in labels
    ]
    parts = [f"{_READER_NAMES[name]} changed" for name, change in texts.items() if change.changed]
    parts += [f"{s.label}: {s.text}" if s.label else s.text for s in sections]
    return Summary(
        changed=totals["changed"],
        added=totals["added"],
        removed=totals["removed"],
        moved=totals["moved"],
        figures=sum(figure.kind == "changed" for figure in figures),
        words_added=words_added,
        words_removed=words_removed,
        headline_changed=texts["headline"].changed,
        dek_changed=texts["dek"].changed,
        sections=tuple(sections),
        line=" · ".join(parts) or NO_CHANGES,
    )


def _section_summary(
    label: str | None, kinds: dict[str, dict[str, int]], figures: int, uprooted: bool
) -> SectionSummary:
    """One section's changes in words; "moved" alone when no block of it kept its place."""
    counts = {kind: sum(by_kind.values()) for kind, by_kind in kinds.items()}
    whole_move = uprooted and "moved" in counts
    items = ["moved"] if whole_move else []
    if figures:
        items.append(_count(figures, "figure") + " changed")
    for change in ("changed", "added", "removed", "moved"):
        if change == "moved" and whole_move:
            break
        for kind, n in kinds.get(change, {}).items():
            items.append(f"{_count(n, kind)} {change}")
    return SectionSummary(
        label=label,
        changed=counts.get("changed", 0),
        added=counts.get("added", 0),
        removed=counts.get("removed", 0),
        moved=counts.get("moved", 0),
        figures=figures,
        text=", ".join(items),
    )


def _count(n: int, noun: str) -> str:
    return f"{n} {noun if n == 1 else _PLURAL.get(noun, noun + 's')}"
