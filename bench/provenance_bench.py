"""Provenance benchmark: what provenance and figure history add to publishing, and what the
origins view costs against the plain story page. Run: .venv/bin/python bench/provenance_bench.py
(`make bench` runs it after the diff bench). Writes bench/results/provenance.json.

The story (generated fictional prose, seeded): a 600 KB live revision with 1,000 revisions
before it. The State after those 1,000 is made by the core itself, each generated revision
being the 600 KB page with a few blocks edited, removed, moved or added (figures change,
sentences are removed and restored); only the live revision is stored in full, the 999 before
it as small rows (publishing reads nothing of them but their numbers and hashes). Then:

- publish: Story.publish of the next revision (a dozen blocks edited, moved, added, removed:
  parse, checks, summary against the live revision, save), with provenance and without it
  (`articles.provenance.record` replaced by a no-op), taking turns, each in a transaction
  rolled back; the medians' ratio is the target (≤ 1.5: at most 50% added);
- pages: the story page and its origins view (`?view=origins`), cold (DummyCache, the
  process's page cache emptied before each request), taking turns; target ≤ 2.0.
Also printed: the gold set's origin precision (tests/fixtures/provenance/).
"""

from __future__ import annotations

import gc
import hashlib
import json
import logging
import os
import random
import statistics
import sys
import tempfile
import time
from collections.abc import Callable
from datetime import UTC, datetime, timedelta
from pathlib import Path
from unittest import mock

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from bench.diff_bench import _article, _revise, _text, _unit  # noqa: E402

RESULTS = ROOT / "bench" / "results" / "provenance.json"
# Revisions before the one published (PROVENANCE_BENCH_EARLIER: fewer, for a quick look).
EARLIER = int(os.environ.get("PROVENANCE_BENCH_EARLIER", "1000"))
SIZE = 600_000
PUBLISH_LIMIT = 1.5  # publish with provenance / without
ORIGINS_LIMIT = 2.0  # origins view / plain story page
RUNS = 7  # publishes timed each way (each parses 600 KB)
SLUG = "bench-provenance"


def progress(message: str) -> None:
    print(f"… {message}", file=sys.stderr, flush=True)


def history(rng: random.Random, base, count: int):
    """`count` documents, each the base page with a few blocks changed: the generated past."""
    from articles.core.document import Block

    blocks = base.blocks
    for _ in range(count):
        new = list(blocks)
        for action in ("edit", "edit", "edit", "remove", "move", "add"):
            at = rng.randrange(len(new))
            block = new[at]
            if action == "edit":
                digits = [c for c in block.text if c.isdigit()]
                text = (
                    block.text.replace(digits[0], str(rng.randint(1, 9)), 1)
                    if digits
                    else block.text + " Talks resumed."
                )
                new[at] = block._replace(text=text)
            elif action == "remove":
                new.pop(at)
            elif action == "move":
                new.insert(rng.randrange(len(new)), new.pop(at))
            else:
                new.insert(at, Block("paragraph", block.label, _unit(rng).lstrip(" •")))
        yield base.__class__(base.headline, base.dek, base.publisher, base.category, tuple(new))


def setup_django(workdir: Path) -> None:
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "newsroom.settings")
    os.environ.setdefault("SECRET_KEY", "bench-only-not-a-secret")
    os.environ.setdefault("HTTPS", "0")
    os.environ["DATABASE_URL"] = f"sqlite:///{workdir / 'bench.sqlite3'}"
    import django

    django.setup()
    from django.core.management import call_command
    from django.test.utils import override_settings, setup_test_environment

    setup_test_environment()
    override_settings(
        CACHES={"default": {"BACKEND": "django.core.cache.backends.dummy.DummyCache"}},
        STATIC_ROOT=workdir / "static",
    ).enable()
    logging.getLogger("django.request").setLevel(logging.CRITICAL)
    call_command("collectstatic", interactive=False, verbosity=0)
    call_command("migrate", verbosity=0)


def store_story(base_text: str, base, state, placement):
    """The story in the database: 999 small revisions, the 600 KB live one, its provenance."""
    from django.db import transaction

    from articles.core import deltas
    from articles.core.parsing import PARSER_VERSION
    from articles.core.provenance import PROVENANCE_VERSION, Placement
    from articles.models import Provenance, Revision, Story
    from articles.storage import compress_json, to_json

    start = datetime(2026, 11, 1, tzinfo=UTC)
    with transaction.atomic():
        story = Story.objects.create(slug=SLUG, headline=base.headline or SLUG)
        placements: dict[int, bytes] = {}  # each revision's Placement, for the deltas after it
        for number in range(1, EARLIER + 1):
            text = base_text if number == EARLIER else f"Bench revision {number}."
            parsed = base.to_stored() if number == EARLIER else {"headline": text, "blocks": []}
            revision = Revision(
                story=story,
                number=number,
                content_hash=hashlib.sha256(text.encode()).hexdigest(),
                headline=(base.headline or "")[:500],
                parser_version=PARSER_VERSION,
                published_at=start + timedelta(minutes=10 * number),
            )
            revision.raw_text, revision.parsed = text, parsed
            revision.save()
            # Publishing reads the Placements along the live revision's chain of deltas.
            stored = to_json((placement if number == EARLIER else Placement(())).to_stored())
            base_number = deltas.delta_base(number)
            frame = deltas.encode(stored, None if base_number is None else placements[base_number])
            placements[number] = stored
            Provenance.objects.create(
                revision=revision,
                version=PROVENANCE_VERSION,
                placement=frame,
                state=compress_json(state.to_stored()) if number == EARLIER else None,
            )
        live = story.revisions.get(number=EARLIER)
        story.show(live, base)
    return story


def interleaved(fns: dict[str, Callable[[], object]], runs: int) -> dict[str, float]:
    """Median ms of each, taking turns run by run after a warm-up of each."""
    times: dict[str, list[float]] = {name: [] for name in fns}
    for fn in fns.values():
        fn()
    for _ in range(runs):
        for name, fn in fns.items():
            gc.collect()
            gc.disable()
            started = time.perf_counter()
            fn()
            times[name].append((time.perf_counter() - started) * 1000)
            gc.enable()
    return {name: round(statistics.median(values), 1) for name, values in times.items()}


def main() -> int:
    started = time.perf_counter()
    from articles.core.parsing import parse_article
    from articles.core.provenance import advance

    rng = random.Random(20261201)
    units = _article(rng, SIZE)
    base_text = _text(units)
    base = parse_article(base_text)
    progress(f"making the State after {EARLIER} revisions of a {len(base_text) // 1000} KB page")
    from articles.core.provenance import State

    state, previous, advance_ms = State(), None, []
    for number, document in enumerate([*history(rng, base, EARLIER - 1), base], 1):
        t = time.perf_counter()
        state, placement = advance(state, number, document, previous)
        advance_ms.append((time.perf_counter() - t) * 1000)
        previous = document
    stored = json.dumps(state.to_stored())
    progress(f"State: {len(state.lineages)} sentences ever, {len(stored) // 1000} KB as JSON")

    workdir = Path(tempfile.mkdtemp(prefix="newsroom-provenance-bench-"))
    setup_django(workdir)
    from django.db import transaction
    from django.test import Client

    from articles.conditional import local_pages

    story = store_story(base_text, base, state, placement)
    new_text = _text(_revise(rng, units, 12))

    class Rollback(Exception):
        pass

    def publish(with_provenance: bool) -> Callable[[], object]:
        def run() -> None:
            patch = mock.patch("articles.provenance.record") if not with_provenance else None
            try:
                with transaction.atomic():
                    if patch:
                        patch.start()
                    try:
                        story.publish(new_text, note="bench")
                    finally:
                        if patch:
                            patch.stop()
                    raise Rollback
            except Rollback:
                pass

        return run

    progress(f"publishing revision {EARLIER + 1}, {RUNS} times with provenance and without")
    published = interleaved({"without": publish(False), "with": publish(True)}, RUNS)

    client = Client()
    url = f"/stories/{SLUG}/"
    for path in (url, url + "?view=origins"):
        response = client.get(path)
        assert response.status_code == 200, (path, response.status_code)
    assert b'class="origin ' in client.get(url + "?view=origins").content

    def cold(path: str) -> Callable[[], object]:
        def run() -> object:
            local_pages.clear()
            return client.get(path)

        return run

    progress("story page and origins view, cold, taking turns")
    pages = interleaved({"plain": cold(url), "origins": cold(url + "?view=origins")}, 15)

    from tests.core.provenance_gold import GOLD, score

    gold = score(GOLD / "lessard-floods")
    checks = [
        (
            "publish with provenance / without",
            published["with"] / published["without"],
            PUBLISH_LIMIT,
        ),
        (
            "origins view / plain story page (cold)",
            pages["origins"] / pages["plain"],
            ORIGINS_LIMIT,
        ),
    ]
    print(f"provenance bench: a {len(base_text) // 1000} KB revision after {EARLIER} revisions")
    print(
        f"  core advance per revision (median of {EARLIER}): {statistics.median(advance_ms):.1f} ms"
    )
    print(f"  State carried: {len(state.lineages)} sentences ever, {len(stored) // 1000} KB JSON")
    print(f"  publish: without provenance {published['without']} ms, with {published['with']} ms")
    print(f"  story page (cold): plain {pages['plain']} ms, origins view {pages['origins']} ms")
    print(
        f"  gold set: first revision right {gold.first_right}/{gold.sentences} "
        f"({gold.precision:.1%}), last revision {gold.last_right}/{gold.sentences} "
        f"({gold.last_precision:.1%})"
    )
    failed = False
    for name, ratio, limit in checks:
        result = "PASS" if ratio <= limit else "FAIL"
        failed |= result == "FAIL"
        print(f"{result}  {name:<42} {ratio:6.2f} (limit {limit})")
    RESULTS.parent.mkdir(parents=True, exist_ok=True)
    RESULTS.write_text(
        json.dumps(
            {
                "earlier_revisions": EARLIER,
                "revision_kb": len(base_text) // 1000,
                "advance_ms_median": round(statistics.median(advance_ms), 2),
                "state_kb": len(stored) // 1000,
                "publish_ms": published,
                "page_ms": pages,
                "gold": {
                    "sentences": gold.sentences,
                    "first": gold.first_right,
                    "last": gold.last_right,
                },
                "checks": [
                    {"check": n, "ratio": round(r, 3), "limit": lim} for n, r, lim in checks
                ],
                "seconds": round(time.perf_counter() - started, 1),
            },
            indent=2,
        )
    )
    return 1 if failed else 0


if __name__ == "__main__":
    raise SystemExit(main())
