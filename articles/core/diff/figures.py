"""Figures: which numbers changed into which, which were added or removed, and what each counts.

Rule: in a replaced run of tokens, figures (tokens.is_figure) swapped one for one are changed
figures, the n-th old one becoming the n-th new one; a run whose figures do not pair up so
reports none. A figure that counts something (labels.counts_something) in an added block or an
inserted run is added; in a removed block or a deleted run, removed. Each is named by the noun
phrase it quantifies in its block (labels.figure_label: "drones intercepted", "people
displaced").
"""

from __future__ import annotations

from articles.core.diff.labels import counts_something, figure_label, figures_in
from articles.core.diff.model import FigureChange, FigureKind
from articles.core.diff.tokens import Text, is_figure


def find_figures(
    a: Text, i1: int, i2: int, b: Text, j1: int, j2: int, label: str | None
) -> list[FigureChange]:
    """The figures changed where tokens a[i1:i2] were replaced by b[j1:j2], in order."""
    old = [token for token in map(str.strip, a.pieces(i1, i2)) if is_figure(token)]
    new_at = [k for k in range(j1, j2) if is_figure(b.piece(k).strip())]
    if not old or len(old) != len(new_at):
        return []
    tokens = _tokens(b)
    return [
        FigureChange(label, figure_label(tokens, k), token, tokens[k])
        for token, k in zip(old, new_at, strict=True)
    ]


def figures_of_run(
    text: Text, k1: int, k2: int, label: str | None, kind: FigureKind
) -> list[FigureChange]:
    """The figures counting something among tokens text[k1:k2], inserted (kind "added") or
    deleted ("removed")."""
    tokens = _tokens(text)
    found = [k for k in range(k1, k2) if is_figure(tokens[k]) and counts_something(tokens, k)]
    return [_one(label, figure_label(tokens, k), tokens[k], kind) for k in found]


def figures_of_block(text: str, label: str | None, kind: FigureKind) -> list[FigureChange]:
    """The figures of a whole block added or removed."""
    return [_one(label, context, value, kind) for context, value in figures_in(text)]


def _one(label: str | None, context: str, value: str, kind: FigureKind) -> FigureChange:
    if kind == "added":
        return FigureChange(label, context, "", value, kind)
    return FigureChange(label, context, value, "", kind)


def _tokens(text: Text) -> list[str]:
    return [piece.strip() for piece in text.pieces(0, len(text.enc))]
