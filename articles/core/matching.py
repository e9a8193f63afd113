"""Does an upload continue a story? Headlines change between updates, so compare the body."""

from __future__ import annotations

import re
from typing import TypeVar

from articles.core.document import Document

SHINGLE_WORDS = 4
# An update keeps most of the story it continues; two different stories on one topic
# share a few stock phrases, not a third of their four-word runs.
CONTINUES_THRESHOLD = 0.3

_WORD = re.compile(r"\w+")
K = TypeVar("K")


def shingles(document: Document) -> frozenset[int]:
    """Hashes of every run of four words in the dek and body."""
    texts = [document.dek or ""] + [block.text for block in document.blocks]
    words = _WORD.findall(" ".join(texts).lower())
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
