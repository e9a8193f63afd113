"""Real publisher pages (../shared/corpora/publisher-pages): floors on what the parser finds.

The pages are other people's writing: read from ../shared, never copied here; the tests skip
when the corpus is absent. The scoring is the corpus README's, as `make fidelity` applies it
(bench/fidelity.py); the floors are the figures the parser reaches, so a regression fails.
"""

from __future__ import annotations

import gzip
import json
from pathlib import Path

import pytest

from bench.fidelity import CORPUS_CANDIDATES, ours, score

TITLES_FLOOR = 47  # of 48 pages with a gold title
PARAGRAPHS_FLOOR = 116  # of 118 paragraphs that must be found
LEAKS_CEILING = 2  # of 24 patterns that must not appear


@pytest.fixture(scope="module")
def corpus() -> Path:
    found = next((path for path in CORPUS_CANDIDATES if (path / "gold.json").is_file()), None)
    if found is None:
        pytest.skip("the publisher-pages corpus is not available in ../shared/corpora")
    return found


@pytest.fixture(scope="module")
def totals(corpus: Path) -> dict[str, int]:
    gold = json.loads((corpus / "gold.json").read_text(encoding="utf-8"))
    found = {"titles": 0, "paragraphs": 0, "leaks": 0, "pages": len(gold), "parsed": 0}
    for name, expected in gold.items():
        extraction = ours(gzip.decompress((corpus / "pages" / name).read_bytes()))
        found["parsed"] += bool(extraction.body.strip())
        title, paragraphs, leaks, _ = score(expected, extraction)
        found["titles"] += title
        found["paragraphs"] += paragraphs
        found["leaks"] += leaks
    return found


def test_corpus_titles_found(totals: dict[str, int]) -> None:
    assert totals["titles"] >= TITLES_FLOOR


def test_corpus_paragraphs_found(totals: dict[str, int]) -> None:
    assert totals["paragraphs"] >= PARAGRAPHS_FLOOR


def test_corpus_leaks(totals: dict[str, int]) -> None:
    assert totals["leaks"] <= LEAKS_CEILING


def test_every_corpus_page_yields_an_article(totals: dict[str, int]) -> None:
    assert totals["parsed"] == totals["pages"]
