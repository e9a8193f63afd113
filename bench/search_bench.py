"""Search over 1,000 stories × 20 revisions: how long a query takes (part of `make bench`).

Run: .venv/bin/python bench/search_bench.py, on the database DATABASE_URL names (SQLite when
unset); `make bench` runs it on SQLite and on PostgreSQL. It makes a throwaway test database
(Django's test-database machinery: `test_` + the name), fills it with generated fictional
stories (seeded), each the live text of its 20th revision plus the passages its 19 updates
removed, exactly as `articles.search.rebuild` stores them, then times `articles.search.search`
(both groups, snippets included) for a mix of queries, in rounds. Target (PostgreSQL): median
under 50 ms.
"""

from __future__ import annotations

import os
import random
import statistics
import sys
import time
from itertools import accumulate
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "newsroom.settings")
os.environ.setdefault("SECRET_KEY", "bench-only-not-a-secret")
os.environ.setdefault("HTTPS", "0")

import django  # noqa: E402

STORIES = 1000
REVISIONS = 20
BLOCKS = 14
ROUNDS = 5
TARGET_MS = 50.0
SEED = 16

SYLLABLES = ["ka", "lo", "ver", "an", "dri", "mos", "tel", "un", "sa", "bri", "ost", "mar", "en"]
PLACES = ["Mykolaiv", "Lindqvar", "Korsholm", "Tessaly", "Halvik", "Maren", "Ostmark", "Zelmira"]


def vocabulary(rng: random.Random) -> list[str]:
    words = {"".join(rng.choice(SYLLABLES) for _ in range(rng.randint(2, 4))) for _ in range(6000)}
    return sorted(words)


def documents(rng: random.Random, words: list[str]):
    """One story's 20 revisions: each update edits two blocks, adds one and removes one."""
    from articles.core.document import Block, Document

    cumulative = list(accumulate(1 / (rank + 1) for rank in range(len(words))))  # Zipf-like

    def sentence() -> str:
        chosen = rng.choices(words, cum_weights=cumulative, k=rng.randint(18, 40))
        if rng.random() < 0.3:
            chosen.insert(rng.randrange(len(chosen)), rng.choice(PLACES))
        return " ".join(chosen).capitalize() + f" {rng.randint(2, 9999)}."

    headline = " ".join(rng.choices(words, cum_weights=cumulative, k=8)).capitalize()
    blocks = [Block("paragraph", "State of play", sentence()) for _ in range(BLOCKS)]
    history = []
    for number in range(1, REVISIONS + 1):
        history.append((number, Document(headline=headline, dek=sentence(), blocks=tuple(blocks))))
        for _ in range(2):
            k = rng.randrange(len(blocks))
            blocks[k] = blocks[k]._replace(text=sentence())
        blocks.pop(rng.randrange(len(blocks)))
        blocks.insert(rng.randrange(len(blocks) + 1), Block("bullet", "Zoom in", sentence()))
    return history


def fill() -> int:
    from articles.core.search import live_text, removals
    from articles.models import RemovedPassage, SearchText, Story

    rng = random.Random(SEED)
    words = vocabulary(rng)
    stories = Story.objects.bulk_create(
        Story(slug=f"bench-{n}", headline="x", live_number=REVISIONS, revision_count=REVISIONS)
        for n in range(STORIES)
    )
    texts, passages = [], []
    for story in stories:
        history = documents(rng, words)
        headline, dek, body = live_text(history[-1][1])
        texts.append(SearchText(story=story, headline=headline, dek=dek, body=body))
        for key, removed in removals(history).items():
            passages.append(
                RemovedPassage(
                    story=story,
                    key=key,
                    text=removed.text,
                    last_seen=removed.last_seen,
                    removed_in=removed.removed_in,
                )
            )
    SearchText.objects.bulk_create(texts, batch_size=500)
    RemovedPassage.objects.bulk_create(passages, batch_size=2000)
    return len(passages)


def queries(words: list[str]) -> dict[str, list[str]]:
    """A mix of what readers type. Word 0 is in nearly every paragraph (a stop word in all but
    name, which PostgreSQL would drop from a query): its row is shown, not counted as typical."""
    return {
        "top word": words[:1],
        "common word": words[20:23],
        "rare word": words[-3:],
        "place": PLACES[:4],
        "two words": [f"{words[20]} {words[40]}", f"{PLACES[0]} {words[30]}"],
        "phrase": [f'"{PLACES[2]} {words[10]}"', f'"{words[30]} {words[31]}"'],
        "or": [f"{PLACES[0]} or {PLACES[1]}"],
        "exclusion": [f"{PLACES[3]} -{words[20]}"],
        "no match": ["nonexistentword"],
    }


def main() -> None:
    django.setup()
    from django.db import connection
    from django.test.utils import setup_databases, teardown_databases

    from articles.search import search

    old = setup_databases(verbosity=0, interactive=False)
    try:
        started = time.perf_counter()
        removed = fill()
        if connection.vendor == "postgresql":
            with connection.cursor() as cursor:
                cursor.execute("VACUUM ANALYZE articles_searchtext")
                cursor.execute("VACUUM ANALYZE articles_removedpassage")
        built = time.perf_counter() - started
        mix = queries(vocabulary(random.Random(SEED)))
        times: dict[str, list[float]] = {kind: [] for kind in mix}
        for text in [q for group in mix.values() for q in group]:
            search(text)  # warm-up: plans and caches
        for _ in range(ROUNDS):
            for kind, group in mix.items():
                for text in group:
                    started = time.perf_counter()
                    results = search(text)
                    times[kind].append((time.perf_counter() - started) * 1000)
        everything = [t for kind in times.values() for t in kind]
        median = statistics.median(everything)
        print(
            f"search on {connection.vendor}: {STORIES} stories × {REVISIONS} revisions, "
            f"{removed} removed passages (index made in {built:.1f} s); "
            f"{len(everything)} searches in {ROUNDS} rounds"
        )
        print(f"{'queries':<14}{'median ms':>10}{'max ms':>9}")
        for kind, found in times.items():
            print(f"{kind:<14}{statistics.median(found):>10.2f}{max(found):>9.2f}")
        print(f"{'all':<14}{median:>10.2f}{max(everything):>9.2f}")
        assert results is not None
        if connection.vendor == "postgresql":
            verdict = "PASS" if median < TARGET_MS else "FAIL"
            print(f"{verdict}  median search on PostgreSQL {median:.2f} ms (limit {TARGET_MS})")
        else:
            print(f"(the {TARGET_MS:.0f} ms target is PostgreSQL's; this is for comparison)")
    finally:
        teardown_databases(old, verbosity=0)


if __name__ == "__main__":
    main()
