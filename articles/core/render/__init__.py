"""Plain-Python HTML for a DocumentDiff (templates are far too slow for 600 KB pages).

Every piece of document text is escaped exactly as html.escape(..., quote=True) does (see
escape). Markup contract:
- word edits are <ins>/<del>, each opening with visually hidden "added: " / "removed: ";
- every block element has data-change="equal|added|removed|changed|moved" and data-kind;
- each change has id="change-N" (N = 1.. in reading order) and a visible badge;
- a moved block links to a placeholder id="moved-from-N" where it stood, which links back;
- a section label opens its section's first block: <strong class="label">Zoom in:</strong>;
- with id_prefix="narrow-", every id and in-page href carries it: id="narrow-change-N",
  href="#narrow-moved-from-N" (two renderings of one diff on one page).
"""

from __future__ import annotations

from typing import Literal

from articles.core.diff.model import DocumentDiff, TextChange
from articles.core.render.inline import inline_blocks
from articles.core.render.markup import (
    BADGE,
    Numbers,
    block_attrs,
    escape,
    inline_words,
    new_words,
    old_words,
    row_html,
)
from articles.core.render.side import side_blocks


def _text_change(
    change: TextChange, kind: str, tag: str, number: int, side: bool, prefix: str
) -> str:
    if change.new is None and change.old is None:
        return ""
    if not change.changed:
        text = escape(change.new or "")
        if side:
            return row_html(block_attrs("equal", kind, 0), text, text)
        return f"<{tag} {block_attrs('equal', kind, 0)}>{text}</{tag}>"
    attrs = block_attrs(change.kind, kind, number, "", prefix)
    badge = BADGE[change.kind]
    if side:
        return row_html(attrs, old_words(change.words), badge + new_words(change.words))
    return f"<{tag} {attrs}>{badge}{inline_words(change.words)}</{tag}>"


def render_diff_html(
    diff: DocumentDiff,
    *,
    view: Literal["inline", "side"] = "inline",
    id_prefix: str = "",
    fold: bool = False,
) -> str:
    """The block diff as one HTML string: inline (one column) or side by side (two).

    `id_prefix` goes in front of every id and in-page link target the rendering emits
    (id="{id_prefix}change-3", href="#{id_prefix}moved-from-3"), so two renderings of one diff
    can share a page; it is escaped like document text. The default emits the plain ids.

    With `fold` (inline only: the desk's preview and compare pages), a long run of unchanged
    blocks keeps a block of context at each end and folds the rest into a closed
    <details class="unchanged-run">, which says how many blocks it holds."""
    numbers = Numbers(diff, escape(id_prefix))
    side = view == "side"
    html = f'<div class="diff-{view}">'
    prefix = numbers.prefix
    html += _text_change(diff.headline, "headline", "h2", numbers.headline, side, prefix)
    html += _text_change(diff.dek, "dek", "p", numbers.dek, side, prefix)
    # Grown in place, a piece at a time (CPython resizes a str that nothing else refers to):
    # a list of every piece joined at the end would hold the page twice at its peak.
    for piece in side_blocks(diff, numbers) if side else inline_blocks(diff, numbers, fold=fold):
        html += piece
    html += "</div>"
    return html
