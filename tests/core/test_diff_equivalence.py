"""Transitional: the diff package must give exactly the old module's diffs (dropped with it)."""

from __future__ import annotations

import dataclasses
import random
import sys
from contextlib import ExitStack
from pathlib import Path
from unittest import mock

from hypothesis import given, settings
from hypothesis import strategies as st

from articles.core import diffing as old_engine
from articles.core.diff import diff_documents, tuning
from articles.core.document import Document
from tests.core.test_diffing import DOCS, revisions, sectioned_revisions


def normal(diff) -> tuple:
    def words(ws):
        return type(ws).__name__ if not isinstance(ws, tuple) else "tuple", [tuple(w) for w in ws]

    def text(change):
        return change.kind, change.old, change.new, words(change.words)

    ops = []
    for op in diff.ops:
        if type(op).__name__ == "EqualRun":
            ops.append(("run", op.old_index, op.new_index, op.length, op.blocks))
        else:
            ops.append(
                (op.kind, op.old_index, op.new_index, op.old_block, op.new_block, words(op.words))
            )
    return (
        text(diff.headline),
        text(diff.dek),
        text(diff.publisher),
        text(diff.category),
        ops,
        [(o.before, o.op) for o in diff.moved_origins],
        [dataclasses.astuple(f) for f in diff.figures],
        dataclasses.astuple(diff.summary),
        diff.coarse,
        diff.notes,
    )


def same(old: Document, new: Document, **budgets) -> None:
    with ExitStack() as stack:
        for name, value in budgets.items():
            stack.enter_context(mock.patch.object(old_engine, name, value))
            stack.enter_context(mock.patch.object(tuning, name, value))
        assert normal(diff_documents(old, new)) == normal(old_engine.diff_documents(old, new))


BUDGETS = st.fixed_dictionaries(
    {},
    optional={
        "MAX_BLOCK_TABLE": st.sampled_from([0, 4]),
        "MAX_GAP_COMPARISONS": st.sampled_from([0, 1, 3]),
        "MAX_CROSS_COMPARISONS": st.sampled_from([0, 2]),
        "MAX_BLOCK_TOKENS": st.sampled_from([2, 6]),
        "SIMILARITY_THRESHOLD": st.sampled_from([0.2, 0.8]),
    },
)


@settings(max_examples=1500, deadline=None)
@given(revisions(), BUDGETS)
def test_revisions(pair, budgets):
    same(*pair, **budgets)
    same(*pair[::-1], **budgets)


@settings(max_examples=1500, deadline=None)
@given(sectioned_revisions(), BUDGETS)
def test_sectioned(pair, budgets):
    same(*pair, **budgets)
    same(*pair[::-1], **budgets)


@settings(max_examples=500, deadline=None)
@given(DOCS, DOCS)
def test_unrelated(old, new):
    same(old, new)


def test_bench_pairs():
    sys.path.insert(0, str(Path(__file__).resolve().parents[2] / "bench"))
    import diff_bench

    for pair in diff_bench.build_pairs():
        same(pair.old, pair.new)
        same(pair.new, pair.old)
        rng = random.Random(pair.name)
        shuffled = list(pair.new.blocks)
        rng.shuffle(shuffled)
        same(pair.old, dataclasses.replace(pair.new, blocks=tuple(shuffled)))
