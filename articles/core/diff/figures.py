"""Figures: which numbers changed into which, and the words that say what they count.

Rule: in a replaced run of tokens, figures (tokens.is_figure) swapped one for one are changed
figures, the n-th old one becoming the n-th new one; a run whose figures do not pair up so
reports none. Each is named by up to two words right after the new figure ("625 drones"), else
by the nearest word before it ("rose to 44%"), never a stop word.
"""

from __future__ import annotations

import re

from articles.core.diff import tuning
from articles.core.diff.model import FigureChange
from articles.core.diff.tokens import Text, is_figure

_WORDLIKE = re.compile(r"[^\W\d_][\w'’.-]*")


def find_figures(
    a: Text, i1: int, i2: int, b: Text, j1: int, j2: int, label: str | None
) -> list[FigureChange]:
    """The figures changed where tokens a[i1:i2] were replaced by b[j1:j2], in order."""
    old = [token for token in map(str.strip, a.pieces(i1, i2)) if is_figure(token)]
    new_at = [k for k in range(j1, j2) if is_figure(b.piece(k).strip())]
    if not old or len(old) != len(new_at):
        return []
    return [
        FigureChange(label, _context(b, k), token, b.piece(k).strip())
        for token, k in zip(old, new_at, strict=True)
    ]


def _context(text: Text, at: int) -> str:
    """The noun-ish words naming a figure: up to two right after it, else the nearest before."""
    stopwords = tuning.STOPWORDS
    after = []
    for piece in text.pieces(at + 1, at + 3):
        word = piece.strip()
        if not _WORDLIKE.fullmatch(word) or word.lower() in stopwords:
            break
        after.append(word)
    if after:
        return " ".join(after)
    for piece in reversed(text.pieces(at - 4, at)):
        word = piece.strip()
        if _WORDLIKE.fullmatch(word) and word.lower() not in stopwords:
            return word
    return ""
