"""Diffs between stored revisions, computed once per pair and cached."""

from __future__ import annotations

from dataclasses import dataclass
from functools import cached_property
from typing import Literal

from django.core.cache import cache
from django.utils.safestring import SafeString, mark_safe

from articles.core.diff import ENGINE_VERSION, DocumentDiff, diff_documents
from articles.core.render import render_diff_html
from articles.models import Revision

View = Literal["inline", "side"]
# Diffs of immutable revisions never go stale; the limit only lets unread ones age out.
DIFF_CACHE_SECONDS = 7 * 24 * 60 * 60


@dataclass(frozen=True)
class Comparison:
    old: Revision
    new: Revision
    diff: DocumentDiff

    @cached_property  # the page asks three times; a 600 KB diff has thousands of ops
    def change_count(self) -> int:
        """How many change-N anchors the rendered diff has, for next/previous navigation."""
        return (
            self.diff.headline.changed
            + self.diff.dek.changed
            + sum(op.kind != "equal" for op in self.diff.ops)
        )

    def html(self, view: View = "inline", id_prefix: str = "", fold: bool = False) -> SafeString:
        # render_diff_html escapes every piece of document text itself (articles/core/render/).
        fold = fold and view == "inline"  # side by side keeps its rows aligned
        key = f"{self._key()}:html:{view}:{id_prefix}:{'fold' if fold else 'all'}"
        rendered = cache.get(key)
        if rendered is None:
            rendered = render_diff_html(self.diff, view=view, id_prefix=id_prefix, fold=fold)
            cache.set(key, rendered, DIFF_CACHE_SECONDS)
        return mark_safe(rendered)  # noqa: S308

    def _key(self) -> str:
        return _cache_key(self.old, self.new)


def _cache_key(old: Revision, new: Revision) -> str:
    # Revisions never change; only a new parser or engine can change their diff.
    return f"diff:e{ENGINE_VERSION}:{old.pk}p{old.parser_version}:{new.pk}p{new.parser_version}"


def compare(old: Revision, new: Revision) -> Comparison:
    key = _cache_key(old, new)
    diff = cache.get(key)
    if diff is None:
        diff = diff_documents(old.document(), new.document())
        cache.set(key, diff, DIFF_CACHE_SECONDS)
    return Comparison(old, new, diff)
