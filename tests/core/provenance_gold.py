"""The hand-made gold set of tests/fixtures/provenance/ and its score: what share of the
sentences of every revision get the first revision (and the last) a reader checking by hand
gives them. Used by test_provenance_gold.py and `make bench`."""

from __future__ import annotations

import re
from dataclasses import dataclass
from pathlib import Path

from articles.core.parsing import parse_article
from articles.core.provenance import origins_of, rebuild

GOLD = Path(__file__).resolve().parents[1] / "fixtures" / "provenance"
_MARK = re.compile(r"⟦(\d+)(?:-(\d+))?⟧")


@dataclass(frozen=True)
class Score:
    sentences: int
    first_right: int
    last_right: int
    misses: tuple[str, ...]  # "revision 4: sentence: got (1, 2), gold (1, 4)"

    @property
    def precision(self) -> float:
        return self.first_right / self.sentences

    @property
    def last_precision(self) -> float:
        return self.last_right / self.sentences


def gold_of(marked: str) -> dict[str, tuple[int, int]]:
    """{sentence: (first, last)} from a marked revision: the text before each mark, back to
    the mark before it or the start of its line."""
    found = {}
    for line in marked.splitlines():
        start = 0
        for mark in _MARK.finditer(line):
            sentence = line[start : mark.start()].strip().lstrip("•").strip()
            first = int(mark.group(1))
            found[sentence] = (first, int(mark.group(2) or first))
            start = mark.end()
    return found


def score(story: Path) -> Score:
    files = sorted(story.glob("[0-9][0-9].txt"))
    marked = [path.read_text(encoding="utf-8") for path in files]
    documents = [parse_article(_MARK.sub("", text)) for text in marked]
    state, placements = rebuild(enumerate(documents, 1))
    total = first_right = last_right = 0
    misses = []
    for number, (text, document, placement) in enumerate(
        zip(marked, documents, placements, strict=True), 1
    ):
        gold = gold_of(text)
        # The State after the last revision answers for every earlier one: runs keep numbers.
        for block, origins in zip(
            document.blocks, origins_of(state, placement, number, ()), strict=True
        ):
            for origin in origins:
                sentence = block.text[origin.start : origin.end].strip()
                expected = next((g for s, g in gold.items() if s.endswith(sentence)), None)
                total += 1
                got = (origin.first, origin.last)
                first_right += expected is not None and got[0] == expected[0]
                last_right += expected is not None and got[1] == expected[1]
                if got != expected:
                    misses.append(f"revision {number}: {sentence}: got {got}, gold {expected}")
    return Score(total, first_right, last_right, tuple(misses))
