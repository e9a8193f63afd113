"""The diff engine: what changed between two revisions, block by block and word by word.

It compares two parsed Documents, cheapest first, one module per phase (engine.py runs them):
  tokens.py    words and figures as tokens, each distinct token one code point (`code_points`)
  layout.py    1. blocks with identical text match by hash; 2. the matches vote on which
               sections pair (sections.py), and the longest common subsequence of blocks in
               paired sections stays in place; the rest lies in gaps
  fastpath.py  the same layout for the usual revision (same sections), read side by side
  pairing.py   3. exact copies in the gaps are moved; 4. leftovers between the same two
               in-place blocks pair as changed (`pairs_as_changed`); 5. leftovers anywhere
               pair as moved and edited
  order.py     the ops in new reading order, removed and moved-from blocks where they stood
  words.py     word ops inside a paired block, confetti folded; figures.py the figures changed
  summary.py   the counts and the summary line; apply.py rebuilds the new page from a diff
model.py holds the result types, tuning.py every threshold and budget with its reason. Past a
budget the engine matches more coarsely and says so (DocumentDiff.coarse and .notes).
"""

from articles.core.diff.apply import apply_diff
from articles.core.diff.engine import diff_documents
from articles.core.diff.model import (
    ENGINE_VERSION,
    BlockOp,
    DocumentDiff,
    EqualRun,
    FigureChange,
    MovedOrigin,
    Op,
    SectionSummary,
    Summary,
    TextChange,
    WordOp,
    WordOps,
)
from articles.core.diff.tokens import tokenize

__all__ = [
    "ENGINE_VERSION",
    "BlockOp",
    "DocumentDiff",
    "EqualRun",
    "FigureChange",
    "MovedOrigin",
    "Op",
    "SectionSummary",
    "Summary",
    "TextChange",
    "WordOp",
    "WordOps",
    "apply_diff",
    "diff_documents",
    "tokenize",
]
