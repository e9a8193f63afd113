"""A DocumentDiff as the API's JSON: ops in the new page's reading order, word edits as
character ranges into the old and the new text.

The rule: everything the new revision says can be rebuilt from the old revision's document and
this JSON alone (tests/test_api.py rebuilds it through the API): an `equal` run names the old
blocks it keeps, an edited block's ranges cut its old text, and the new text between their
`new` offsets is what each edit puts there.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence

from articles.api.shapes import (
    BlockOp,
    FigureOut,
    Range,
    SectionSummaryOut,
    SummaryOut,
    TextDiff,
)
from articles.core.diff import BlockOp as EngineOp
from articles.core.diff import DocumentDiff, EqualRun, Op, Summary, TextChange, WordOp
from articles.core.diff.model import plain_words


def ranges(words: Sequence[WordOp]) -> list[Range]:
    """The edits among word ops, as offsets: each op's old/new text follows the one before.

    An equal op's two sides may differ in the space after its last word (the engine keeps each
    side's own spacing): that difference is an edit of its own here, so that the old text with
    every range applied is exactly the new text."""
    found: list[Range] = []
    old_at = new_at = 0
    for kind, old, new in plain_words(words):
        old_end, new_end = old_at + len(old), new_at + len(new)
        if kind != "equal":
            found.append({"kind": kind, "old": [old_at, old_end], "new": [new_at, new_end]})
        elif old != new:
            same = _common_prefix(old, new)
            kind = "insert" if len(old) == same else "delete" if len(new) == same else "replace"
            found.append(
                {"kind": kind, "old": [old_at + same, old_end], "new": [new_at + same, new_end]}
            )
        old_at, new_at = old_end, new_end
    return found


def _common_prefix(a: str, b: str) -> int:
    n = 0
    for x, y in zip(a, b, strict=False):
        if x != y:
            break
        n += 1
    return n


def text_diff(change: TextChange) -> TextDiff:
    return {
        "kind": change.kind,
        "old": change.old,
        "new": change.new,
        "ranges": ranges(change.words),
    }


def block_ops(diff: DocumentDiff) -> list[BlockOp]:
    """The ops in reading order, with a `moved_away` entry where each moved block stood."""
    away: dict[int, list[int]] = {}
    for origin in diff.moved_origins:
        away.setdefault(origin.before, []).append(origin.op)
    found: list[BlockOp] = []
    for k, op in enumerate(diff.ops):
        found.extend(_moved_away(diff, away.get(k, ())))
        found.append(_op(op))
    found.extend(_moved_away(diff, away.get(len(diff.ops), ())))
    return found


def _op(op: Op) -> BlockOp:
    if isinstance(op, EqualRun):
        first = op.blocks[0]
        return _entry(
            "equal",
            first.kind,
            first.label,
            first.label,
            old_position=op.old_index,
            new_position=op.new_index,
            length=op.length,
        )
    old, new = op.old_block, op.new_block
    block = new or old
    assert block is not None
    if op.kind == "equal":  # the same block, now under a renamed section
        assert old is not None
        return _entry(
            "equal",
            block.kind,
            block.label,
            old.label,
            old_position=op.old_index,
            new_position=op.new_index,
        )
    return _entry(
        op.kind,
        block.kind,
        block.label,
        old.label if old else None,
        old_position=op.old_index,
        new_position=op.new_index,
        old_text=old.text if old else None,
        new_text=new.text if new else None,
        ranges=ranges(op.words),
        moved_from=op.old_index if op.kind == "moved" else None,
    )


def _moved_away(diff: DocumentDiff, moved: Iterable[int]) -> list[BlockOp]:
    found = []
    for index in moved:
        op = diff.ops[index]
        assert isinstance(op, EngineOp) and op.old_block is not None
        found.append(
            _entry(
                "moved_away",
                op.old_block.kind,
                op.old_block.label,
                op.old_block.label,
                old_position=op.old_index,
                moved_to=op.new_index,
            )
        )
    return found


def _entry(
    kind,
    block_kind,
    section: str | None,
    old_section: str | None,
    *,
    old_position: int | None = None,
    new_position: int | None = None,
    length: int = 1,
    old_text: str | None = None,
    new_text: str | None = None,
    ranges: list[Range] | None = None,
    moved_from: int | None = None,
    moved_to: int | None = None,
) -> BlockOp:
    return {
        "kind": kind,
        "block_kind": block_kind,
        "section": section,
        "old_section": old_section,
        "old_position": old_position,
        "new_position": new_position,
        "length": length,
        "old_text": old_text,
        "new_text": new_text,
        "ranges": ranges or [],
        "moved_from": moved_from,
        "moved_to": moved_to,
    }


def figures(diff: DocumentDiff) -> list[FigureOut]:
    return [
        {"section": f.label, "context": f.context, "old": f.old, "new": f.new} for f in diff.figures
    ]


def summary(summary: Summary) -> SummaryOut:
    sections: list[SectionSummaryOut] = [
        {
            "section": s.label,
            "changed": s.changed,
            "added": s.added,
            "removed": s.removed,
            "moved": s.moved,
            "figures": s.figures,
            "text": s.text,
        }
        for s in summary.sections
    ]
    return {
        "line": summary.line,
        "changed": summary.changed,
        "added": summary.added,
        "removed": summary.removed,
        "moved": summary.moved,
        "figures": summary.figures,
        "words_added": summary.words_added,
        "words_removed": summary.words_removed,
        "sections": sections,
    }
