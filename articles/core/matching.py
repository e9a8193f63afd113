"""Does an upload continue a story, and how much of it does it keep? Headlines change between
updates, so both compare the body (dek and blocks)."""

from __future__ import annotations

import re
from collections import Counter
from typing import TypeVar

from articles.core.document import Document

SHINGLE_WORDS = 4
# An update keeps most of the story it continues; two different stories on one topic
# share a few stock phrases, not a third of their four-word runs.
CONTINUES_THRESHOLD = 0.3
# A live story is cut down, by a later update, to a brief or a correction now and then; an
# upload that drops more than half of its words is far more often a wrong paste (a teaser, the
# first paragraphs, a page of sign-up chrome), so publishing it takes an explicit confirmation.
SHRINK_CONFIRMATION_SHARE = 0.5

_WORD = re.compile(r"\w+")
K = TypeVar("K")


def _body_words(document: Document) -> list[str]:
    texts = [document.dek or ""] + [block.text for block in document.blocks]
    return _WORD.findall(" ".join(texts).lower())


def shingles(document: Document) -> frozenset[int]:
    """Hashes of every run of four words in the dek and body."""
    words = _body_words(document)
    return frozenset(
        hash(tuple(words[i : i + SHINGLE_WORDS]))
        for i in range(max(len(words) - SHINGLE_WORDS + 1, 0))
    )


def shared_content(a: frozenset[int], b: frozenset[int]) -> float:
    """Share of the smaller document's word runs found in the other (0.0 to 1.0)."""
    if not a or not b:
        return 0.0
    return len(a & b) / min(len(a), len(b))


def best_continuation(
    upload: frozenset[int], candidates: dict[K, frozenset[int]]
) -> tuple[K, float] | None:
    """The candidate the upload clearly continues, with its score, or None."""
    scored = [(key, shared_content(upload, other)) for key, other in candidates.items()]
    best = max(scored, key=lambda pair: pair[1], default=None)
    if best is None or best[1] < CONTINUES_THRESHOLD:
        return None
    return best


def removed_share(live: Document, upload: Document) -> float:
    """Share of the live body's words (counted with repeats) that the upload no longer has:
    0.0 when it keeps them all (moved or not), 1.0 when it keeps none."""
    before = Counter(_body_words(live))
    total = sum(before.values())
    if not total:
        return 0.0
    return (before - Counter(_body_words(upload))).total() / total


def needs_shrink_confirmation(live: Document, upload: Document) -> float | None:
    """The share removed when it is past SHRINK_CONFIRMATION_SHARE, else None."""
    share = removed_share(live, upload)
    return share if share > SHRINK_CONFIRMATION_SHARE else None
