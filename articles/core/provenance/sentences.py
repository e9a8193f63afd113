"""Sentences: where one ends.

Rule: a sentence ends after ".", "!", "?" or "…" (and any closing quotes or brackets after
it) that is followed by whitespace and then a capital letter, a digit or an opening quote or
bracket; not after an abbreviation (tuning.ABBREVIATIONS), a single initial ("J. Marlow") or a
dotted abbreviation ("U.S."). The spans tile the block: each sentence keeps the whitespace
after it, so the spans join back to the exact text.
"""

from __future__ import annotations

import re

from articles.core.provenance import tuning

_END = re.compile(r"[.!?…]+[\"'”’»)\]]*(\s+)(?=[\"'“‘«(\[]?[^\W_a-z])")
_WORD_BEFORE = re.compile(r"(?<![\w.])([^\W\d_]+(?:\.[^\W\d_]+)*)\.$")


def sentence_ends(text: str) -> list[int]:
    """Where each sentence of `text` ends (the last one ends at len(text)); [] for no text."""
    if not text:
        return []
    ends = []
    for match in _END.finditer(text):
        if _after_abbreviation(text, match.start()):
            continue
        ends.append(match.end())
    if not ends or ends[-1] != len(text):
        ends.append(len(text))
    return ends


def split_sentences(text: str) -> list[str]:
    """The sentences of `text`, whitespace after each kept: they join back to the text."""
    start, found = 0, []
    for end in sentence_ends(text):
        found.append(text[start:end])
        start = end
    return found


def _after_abbreviation(text: str, stop: int) -> bool:
    """Is the full stop at `stop` the end of an abbreviation or an initial?"""
    if text[stop] != ".":
        return False
    word = _WORD_BEFORE.search(text, max(stop - 20, 0), stop + 1)
    if word is None:
        return False
    letters = word.group(1)
    return "." in letters or len(letters) == 1 or letters.lower() in tuning.ABBREVIATIONS
