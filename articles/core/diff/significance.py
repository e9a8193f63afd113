"""Significance: whether a revision is substantive or minor, from its diff with the previous one.

Rule: a revision is *minor* when every edit it makes is whitespace, punctuation, letter case or
spelling: the same words in the same order, each changed word within a typo's reach of the old
one (tuning.SPELLING_*) and none of them a figure, a name, a date, a quantity or a negation.
Anything else is *substantive*: a figure changed, a block or a word added or removed, a block
moved, a section renamed, a name (a capitalised word) or a protected word (a month, "million",
"never": tuning.PROTECTED_WORDS) changed, or a word replaced by another. So a minor revision
never changes a number, whatever the editor chose, and a reader who skips minor revisions
misses no fact.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from typing import Literal

from rapidfuzz.distance import OSA

from articles.core.diff import tuning
from articles.core.diff.model import BlockOp, DocumentDiff, TextChange, WordOp, plain_words

Significance = Literal["substantive", "minor"]
SUBSTANTIVE: Significance = "substantive"
MINOR: Significance = "minor"

# A word, without the punctuation around it: what is compared once punctuation is set aside.
_WORD = re.compile(r"\w[\w'’-]*\w|\w")


def significance(diff: DocumentDiff) -> Significance:
    if diff.figures:
        return SUBSTANTIVE
    texts: list[TextChange] = [diff.headline, diff.dek, diff.publisher, diff.category]
    for text in texts:
        if text.kind in ("added", "removed"):
            return SUBSTANTIVE
        if text.changed and not _minor_edits(text.words):
            return SUBSTANTIVE
    for op in diff.ops:
        if op.kind in ("added", "removed", "moved"):
            return SUBSTANTIVE
        if op.kind == "changed" and not _minor_edits(op.words):
            return SUBSTANTIVE
        if isinstance(op, BlockOp) and op.old_block and op.new_block:
            old_label, new_label = op.old_block.label or "", op.new_block.label or ""
            if old_label != new_label and not minor_edit(old_label, new_label):
                return SUBSTANTIVE  # the block's section was renamed
    return MINOR


def _minor_edits(words: Sequence[WordOp]) -> bool:
    """Whether every edit among a block's word ops is spelling-level or less."""
    for kind, old, new in plain_words(words):
        if kind != "equal" and not minor_edit(old, new):
            return False
    return True


def minor_edit(old: str, new: str) -> bool:
    """Whether replacing `old` by `new` (a run of words and punctuation) is whitespace,
    punctuation, case or spelling only."""
    old_words, new_words = _WORD.findall(old), _WORD.findall(new)
    if len(old_words) != len(new_words):
        return False  # a word added or removed
    return all(_same_word(a, b) for a, b in zip(old_words, new_words, strict=True))


def _same_word(old: str, new: str) -> bool:
    if old.lower() == new.lower():
        return True  # case alone: "ceasefire" / "Ceasefire"
    if any(_is_fact(word) for word in (old, new)):
        return False
    a, b = old.lower(), new.lower()
    distance = OSA.distance(a, b)
    if min(len(a), len(b)) < tuning.SPELLING_SHORT_WORD:
        return distance == 1 and sorted(a) == sorted(b)  # two neighbouring letters swapped
    return distance <= min(tuning.SPELLING_EDITS, len(a) // tuning.SPELLING_LETTERS_PER_EDIT)


def _is_fact(word: str) -> bool:
    """A figure, a name, a date, a quantity or a negation: a misspelt name is another person, a
    misspelt month another day."""
    return (
        any(character.isdigit() for character in word)
        or word[0].isupper()
        or word.lower() in tuning.PROTECTED_WORDS
    )
