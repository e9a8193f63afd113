"""Provenance: for every sentence of a revision, the revision that first reported it and the one
that last changed it; for every figure of a story, its values in order.

Revisions are matched as they are published, each against the story's State after the one
before it, so publishing one costs work in proportion to its own size (and the number of
sentences it does not share with the revision before), not to the history. One module per
phase:
  sentences.py  where a sentence ends (the spans tile a block)
  state.py      what is carried from revision to revision: every sentence the story ever had
                (a lineage: the runs of revisions it appeared in, with each wording), the
                previous revision's blocks, every figure's runs of values; and a revision's
                Placement (which lineage each of its sentences is)
  matching.py   revision n against the State: 1. blocks of n-1 with the same text, 2.
                sentences with the same text (n-1's first, then any earlier revision's: a
                restored sentence keeps its origin), 3. sentences of n-1 left over whose tokens
                mostly match (the same sentence, edited), 4. the rest are new
  origins.py    read time: first and last revision of a sentence, skipping retracted ones
  history.py    read time: each figure's values across the live revisions
Retractions are not matched again: every run keeps the numbers it spans, and origins.py and
history.py skip retracted numbers when they are read, so a retraction moves an origin to the
next live revision that has the sentence without recomputing anything.
tuning.py holds every threshold.
"""

from articles.core.provenance.history import FigureRow, changes_between, figure_history
from articles.core.provenance.matching import advance, rebuild
from articles.core.provenance.origins import Origin, origins_of
from articles.core.provenance.sentences import sentence_ends, split_sentences
from articles.core.provenance.state import Placement, State

PROVENANCE_VERSION = 1

__all__ = [
    "PROVENANCE_VERSION",
    "FigureRow",
    "Origin",
    "Placement",
    "State",
    "advance",
    "changes_between",
    "figure_history",
    "origins_of",
    "rebuild",
    "sentence_ends",
    "split_sentences",
]
