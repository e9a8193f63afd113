"""Storage benchmark: what 1,000 revisions of a 600 KB live page cost to store, to publish and to
read back, on SQLite and on PostgreSQL. Run: .venv/bin/python bench/storage_bench.py (`make
bench-storage`; not part of `make test` nor `make bench`). Writes bench/results/storage.json.

The story (generated fictional prose, seeded; bench/diff_bench.py's generator): revision 1 is a
~600 KB page; each later one edits ~1% of the body's paragraphs and bullets by one word or one
figure and adds one paragraph at the top, as a live page grows. Every revision goes through
`Story.publish` (dated 3 minutes after the one before, all in the past). Each database is built
by this script re-run in a subprocess (`run <database> <code root> <result file>`) in a fresh
database: a temporary SQLite file under /tmp, or the PostgreSQL database
`newsroom_storagebench` (dropped and made again; STORAGE_BENCH_PG_URL names the server, the
maintenance database `postgres` on it makes and drops it), with the settings `make test` uses
(SECRET_KEY=test-only-not-a-secret HTTPS=0, DEBUG and REDIS_URL unset) and DB_POOL=0, so that
closing the connection opens a new one for the cold reads. Then it prints, per database:

- bytes of the revision tables (`articles_revision`, `articles_provenance`, `articles_blob` if
  there is one; each with its indexes, and on PostgreSQL its TOAST) after VACUUM (VACUUM FULL on
  PostgreSQL), each and in total; for information only, the search tables (`articles_searchtext`,
  `articles_removedpassage` and SQLite's FTS5 tables), any other `articles_` table and the
  whole database;
- the total divided by one revision's verbatim text size (the first, ≤ 5 is the target; the last
  too) and by the number of revisions (bytes per revision);
- the median publish time of the first 20 and of the last 20 revisions (`Story.publish` alone,
  gc.collect() between publishes, outside the timing); target: last 20 ÷ first 20 ≤ 1.25;
- cold reads, in a new connection with Django's cache cleared before each read, of all
  revisions (200 evenly spaced past 200, with the first and the last, plus the 10 with the
  longest chains of deltas, `articles.core.deltas.chain`, where the code has them), in a seeded
  shuffled order: `Revision.objects.get(...)
  .raw_text` and, timed apart, `Revision.objects.get(...).document()`, the query included each
  time (gc.collect() before each, outside the timing); median and worst. Target: worst verbatim
  read ≤ 50 ms. Each text read back is checked against the one published.

STORAGE_BENCH_BASELINE=<commit> (`make bench-storage` passes one) also runs the same on that
commit's code, from a temporary `git worktree` under /tmp (removed at the end), and puts it
beside the current code with current ÷ baseline: publish times ≤ 1.1 (first and last 20), the
parsed document's median read ≤ 1.1. STORAGE_BENCH_REVISIONS=50 makes a shorter story for a
quick look; the targets are for 1,000. Exit status 0 whether targets pass or not.
"""

from __future__ import annotations

import gc
import hashlib
import json
import os
import random
import statistics
import subprocess
import sys
import tempfile
import time
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parents[1]
RESULTS = ROOT / "bench" / "results" / "storage.json"

REVISIONS = int(os.environ.get("STORAGE_BENCH_REVISIONS", "1000"))
BASELINE = os.environ.get("STORAGE_BENCH_BASELINE", "").strip()
PG_SERVER = os.environ.get("STORAGE_BENCH_PG_URL", "postgres://postgres@127.0.0.1:5432")
PG_NAME = "newsroom_storagebench"
SIZE = 600_000
SEED = 15
SPACING = timedelta(minutes=3)
EDGE = 20  # publishes timed at the start and at the end
SAMPLE = 200  # revisions read back cold
DEEPEST = 10  # more to read back: the longest chains of deltas to decode

# Targets (the issue's).
SIZE_LIMIT = 5.0  # revision tables ÷ one revision's verbatim text
RAW_READ_LIMIT_MS = 50.0  # worst cold read of a revision's verbatim text
# Our threshold for "flat from revision 1 to 1,000": the last 20 publishes' median at most 25%
# above the first 20's (the page has grown by 1,000 paragraphs, ~10%, by then).
FLAT_LIMIT = 1.25
# "No worse / no slower than today": current ÷ baseline, with 10% allowed for a shared machine.
BASELINE_LIMIT = 1.1

SEARCH_TABLES = ("articles_searchtext", "articles_removedpassage")
REVISION_TABLES = ("articles_revision", "articles_provenance", "articles_blob")


def progress(message: str) -> None:
    print(f"… {message}", file=sys.stderr, flush=True)


# --- the story -------------------------------------------------------------------------------


def revisions(count: int):
    """The `count` texts of the live page, oldest first (the lead's prototype: keep it as it is,
    so that figures stay comparable between runs)."""
    from bench.diff_bench import COMMON, NOUNS, _article, _text, _unit

    rng = random.Random(SEED)
    units = _article(rng, SIZE)
    yield _text(units)
    for _ in range(count - 1):
        body = [i for i in range(3, len(units)) if ": " not in units[i][:30]]
        for at in rng.sample(body, max(1, len(units) // 100)):
            words = units[at].split(" ")
            k = rng.randrange(len(words))
            words[k] = (
                str(rng.randint(2, 9999)) if rng.random() < 0.5 else rng.choice(COMMON + NOUNS)
            )
            units[at] = " ".join(words)
        units.insert(3, _unit(rng))
        yield _text(units)


# --- one database, one code version (the subprocess) -----------------------------------------


def clear_caches() -> None:
    from django.core.cache import cache

    cache.clear()


def table_sizes(vendor: str) -> tuple[dict[str, int], int]:
    """Bytes of each table with its indexes (and TOAST), after VACUUM; and the whole database."""
    from django.db import connection

    with connection.cursor() as cursor:
        if vendor == "postgresql":
            cursor.execute("VACUUM FULL")
            cursor.execute(
                "SELECT c.relname, pg_total_relation_size(c.oid) FROM pg_class c "
                "JOIN pg_namespace n ON n.oid = c.relnamespace "
                "WHERE c.relkind = 'r' AND n.nspname = 'public'"
            )
            sizes = {name: int(size) for name, size in cursor.fetchall()}
            cursor.execute("SELECT pg_database_size(current_database())")
            whole = int(cursor.fetchone()[0])
        else:
            cursor.execute("VACUUM")
            cursor.execute("PRAGMA wal_checkpoint(TRUNCATE)")
            cursor.execute("SELECT name, tbl_name FROM sqlite_master")
            owner = dict(cursor.fetchall())
            cursor.execute("SELECT name, SUM(pgsize) FROM dbstat GROUP BY name")
            sizes = {}
            for name, size in cursor.fetchall():
                table = owner.get(name, name)  # an index counts for its table
                sizes[table] = sizes.get(table, 0) + int(size)
            cursor.execute("PRAGMA page_count")
            pages = int(cursor.fetchone()[0])
            cursor.execute("PRAGMA page_size")
            whole = pages * int(cursor.fetchone()[0])
    return sizes, whole


def read_sample(story, count: int) -> list[int]:
    if count <= SAMPLE:
        numbers = set(range(1, count + 1))
    else:
        numbers = {1 + round(i * (count - 1) / (SAMPLE - 1)) for i in range(SAMPLE)}
    try:
        from articles.core import deltas
    except ImportError:  # code before the deltas: every text is stored whole
        pass
    else:  # the revisions with the longest chains of deltas to decode
        deepest = sorted(range(1, count + 1), key=lambda n: (-len(deltas.chain(n)), n))
        numbers |= set(deepest[:DEEPEST])
    order = sorted(numbers)
    random.Random(SEED).shuffle(order)
    return order


def run_one(vendor: str, code_root: Path, out: Path) -> None:
    # The code measured is the one in code_root (this checkout, or the baseline's worktree).
    sys.path.insert(0, str(code_root))
    os.chdir(code_root)
    import django

    django.setup()
    import articles

    if Path(articles.__file__).resolve().parent != (code_root / "articles").resolve():
        raise RuntimeError(f"articles imported from {articles.__file__}, not from {code_root}")
    from django.core.management import call_command
    from django.db import connection

    from articles.models import Revision, Story

    call_command("migrate", interactive=False, verbosity=0)
    began = time.perf_counter()
    start = datetime.now(UTC).replace(microsecond=0) - SPACING * (REVISIONS + 10)
    story = Story.objects.create(slug="bench-storage", headline="Storage bench")
    publish_ms: list[float] = []
    text_bytes: list[int] = []
    hashes: list[str] = []
    for number, text in enumerate(revisions(REVISIONS), start=1):
        gc.collect()
        t0 = time.perf_counter()
        story.publish(text, published_at=start + SPACING * number)
        publish_ms.append((time.perf_counter() - t0) * 1000)
        encoded = text.encode("utf-8")
        text_bytes.append(len(encoded))
        hashes.append(hashlib.sha256(encoded).hexdigest())
        if number % 100 == 0 or number == REVISIONS:
            progress(f"{vendor}: {number} of {REVISIONS} revisions published")
    built = time.perf_counter() - began

    sizes, whole = table_sizes(vendor)
    progress(f"{vendor}: vacuumed, {whole / 1e6:.1f} MB; reading back")

    sample = read_sample(story, REVISIONS)
    # The reads start in a new connection, opened before the first is timed.
    connection.close()
    connection.ensure_connection()
    raw_ms: list[float] = []
    parsed_ms: list[float] = []
    mismatched = []
    for number in sample:
        # A collection of the big heap would land on some reads (30 to 80 ms, one read in 8 or
        # so): made before each, outside the timing, as for the publishes.
        gc.collect()
        clear_caches()
        t0 = time.perf_counter()
        raw = Revision.objects.get(story=story, number=number).raw_text
        raw_ms.append((time.perf_counter() - t0) * 1000)
        if hashlib.sha256(raw.encode("utf-8")).hexdigest() != hashes[number - 1]:
            mismatched.append(number)
        del raw
        gc.collect()
        clear_caches()
        t0 = time.perf_counter()
        Revision.objects.get(story=story, number=number).document()
        parsed_ms.append((time.perf_counter() - t0) * 1000)
    read = time.perf_counter() - began - built

    out.write_text(
        json.dumps(
            {
                "vendor": vendor,
                "revisions": REVISIONS,
                "tables": sizes,
                "database_bytes": whole,
                "text_bytes": text_bytes,
                "first_text_sha256": hashes[0],
                "last_text_sha256": hashes[-1],
                "publish_ms": publish_ms,
                "sample": sample,
                "raw_read_ms": raw_ms,
                "parsed_read_ms": parsed_ms,
                "mismatched": mismatched,
                "build_s": built,
                "read_s": read,
            }
        )
    )


# --- the parent: databases, baseline, report -------------------------------------------------


def _pg_admin(sql: str) -> None:
    import psycopg

    with psycopg.connect(f"{PG_SERVER}/postgres", autocommit=True) as conn:
        conn.execute(sql)


def measure(vendor: str, code_root: Path, label: str) -> dict[str, Any]:
    """Run one database on one code version in a subprocess, in a fresh database."""
    tmp = Path(tempfile.mkdtemp(prefix=f"storagebench_{os.getpid()}_{label}_"))
    env = {k: v for k, v in os.environ.items() if k not in ("DEBUG", "REDIS_URL", "DATABASE_URL")}
    env.update(
        DJANGO_SETTINGS_MODULE="newsroom.settings",
        # The settings `make test` runs (its TEST_ENV).
        SECRET_KEY="test-only-not-a-secret",  # noqa: S106
        HTTPS="0",
        DB_POOL="0",
        PYTHONPATH=str(code_root),
    )
    name = PG_NAME if label == "current" else f"{PG_NAME}_{label}"
    if vendor == "postgresql":
        _pg_admin(f"DROP DATABASE IF EXISTS {name}")
        _pg_admin(f"CREATE DATABASE {name}")
        env["DATABASE_URL"] = f"{PG_SERVER}/{name}"
    else:
        env["DATABASE_URL"] = f"sqlite:///{tmp / 'bench.sqlite3'}"
    out = tmp / "result.json"
    progress(f"{vendor}, {label} code ({code_root}): {REVISIONS} revisions")
    began = time.perf_counter()
    try:
        subprocess.run(
            [
                sys.executable,
                str(Path(__file__).resolve()),
                "run",
                vendor,
                str(code_root),
                str(out),
            ],
            cwd=code_root,
            env=env,
            check=True,
        )
        result = json.loads(out.read_text())
    finally:
        if vendor == "postgresql" and not os.environ.get("STORAGE_BENCH_KEEP"):
            _pg_admin(f"DROP DATABASE IF EXISTS {name}")
        if not os.environ.get("STORAGE_BENCH_KEEP"):
            for path in sorted(tmp.iterdir(), reverse=True):
                path.unlink()
            tmp.rmdir()
    result["wall_s"] = time.perf_counter() - began
    progress(f"{vendor}, {label}: {result['wall_s']:.0f} s")
    return result


def figures(result: dict[str, Any]) -> dict[str, Any]:
    tables = result["tables"]
    counted = {name: tables.get(name) for name in REVISION_TABLES}
    total = sum(size for size in counted.values() if size is not None)
    search = {
        name: size for name, size in tables.items() if name.startswith(SEARCH_TABLES)
    }  # FTS5's shadow tables are named after theirs
    other = {
        name: size
        for name, size in tables.items()
        if name.startswith("articles_") and name not in counted and name not in search
    }
    texts = result["text_bytes"]
    publish = result["publish_ms"]
    return {
        "tables": counted,
        "total": total,
        "search": search,
        "other": other,
        "database": result["database_bytes"],
        "text_first": texts[0],
        "text_median": statistics.median(texts),
        "text_last": texts[-1],
        "ratio_first": total / texts[0],
        "ratio_last": total / texts[-1],
        "per_revision": total / result["revisions"],
        "publish_first": statistics.median(publish[:EDGE]),
        "publish_last": statistics.median(publish[-EDGE:]),
        "flat": statistics.median(publish[-EDGE:]) / statistics.median(publish[:EDGE]),
        "raw_median": statistics.median(result["raw_read_ms"]),
        "raw_worst": max(result["raw_read_ms"]),
        "parsed_median": statistics.median(result["parsed_read_ms"]),
        "parsed_worst": max(result["parsed_read_ms"]),
        "reads": len(result["sample"]),
        "mismatched": result["mismatched"],
        "build_s": result["build_s"],
        "read_s": result["read_s"],
        "wall_s": result["wall_s"],
    }


def _mb(size: float | None) -> str:
    return "—" if size is None else f"{size / 1e6:,.2f} MB"


def _verdict(ok: bool) -> str:
    return "PASS" if ok else "FAIL"


def report(vendor: str, cur: dict[str, Any], base: dict[str, Any] | None) -> list[str]:
    """The Markdown table for one database; and the PASS/FAIL lines."""
    rows: list[tuple[str, str, str | None, str, str]] = []  # figure, current, baseline, ÷, target

    def row(label: str, key: str, show, ratio: bool = False, target: str = "", value=None):
        now = value(cur) if value else cur[key]
        then = (value(base) if value else base[key]) if base else None
        quotient = f"{now / then:.2f}" if ratio and then else ""
        rows.append((label, show(now), show(then) if base else None, quotient, target))

    for name in REVISION_TABLES:
        row(f"`{name}` (with indexes)", name, _mb, value=lambda f, n=name: f["tables"][n])
    row("**revision tables, total**", "total", _mb, ratio=True)
    row("search tables (not counted)", "", _mb, value=lambda f: sum(f["search"].values()))
    if cur["other"] or (base and base["other"]):
        names = ", ".join(sorted(set(cur["other"]) | set(base["other"] if base else ())))
        row(f"other (not counted): {names}", "", _mb, value=lambda f: sum(f["other"].values()))
    row("whole database (not counted)", "database", _mb)
    row("verbatim text: first revision", "text_first", lambda v: f"{v / 1e3:,.1f} KB")
    row("verbatim text: median", "text_median", lambda v: f"{v / 1e3:,.1f} KB")
    row("verbatim text: last revision", "text_last", lambda v: f"{v / 1e3:,.1f} KB")
    row(
        "total ÷ first revision's text", "ratio_first", "{:.1f}×".format, True, f"≤ {SIZE_LIMIT:g}×"
    )
    row("total ÷ last revision's text", "ratio_last", "{:.1f}×".format, True)
    row("bytes per revision", "per_revision", _mb, ratio=True)
    ms = "{:.1f} ms".format
    target = f"≤ {BASELINE_LIMIT:g}× baseline" if base else ""
    row(f"publish, median of the first {EDGE}", "publish_first", ms, True, target)
    row(f"publish, median of the last {EDGE}", "publish_last", ms, True, target)
    row("publish: last ÷ first", "flat", "{:.2f}".format, target=f"≤ {FLAT_LIMIT:g}")
    row("cold read, verbatim text: median", "raw_median", ms, True)
    row("cold read, verbatim text: worst", "raw_worst", ms, True, f"≤ {RAW_READ_LIMIT_MS:g} ms")
    row("cold read, parsed document: median", "parsed_median", ms, True, target)
    row("cold read, parsed document: worst", "parsed_worst", ms, True)
    row("revisions read back", "reads", str)
    row("time: publishing all / reading back", "", str, value=lambda f: _duration(f))

    header = (
        ["figure", "current"] + (["baseline", "current ÷ baseline"] if base else []) + ["target"]
    )
    lines = [f"### {vendor}: {REVISIONS:,} revisions of a ~600 KB page", ""]
    lines.append("| " + " | ".join(header) + " |")
    lines.append("|" + "---|" * len(header))
    for label, now, then, quotient, goal in rows:
        cells = [label, now] + ([then or "", quotient] if base else []) + [goal]
        lines.append("| " + " | ".join(cells) + " |")
    lines.append("")

    checks = [(f"total ÷ first revision's text ≤ {SIZE_LIMIT:g}", cur["ratio_first"] <= SIZE_LIMIT)]
    checks.append(
        (f"worst verbatim read ≤ {RAW_READ_LIMIT_MS:g} ms", cur["raw_worst"] <= RAW_READ_LIMIT_MS)
    )
    checks.append(
        (f"publish last {EDGE} ÷ first {EDGE} ≤ {FLAT_LIMIT:g}", cur["flat"] <= FLAT_LIMIT)
    )
    checks.append(("every text read back as published", not cur["mismatched"]))
    if base:
        for key, what in (
            ("publish_first", f"publish first {EDGE}"),
            ("publish_last", f"publish last {EDGE}"),
            ("parsed_median", "parsed document median read"),
        ):
            checks.append(
                (f"{what} ÷ baseline ≤ {BASELINE_LIMIT:g}", cur[key] / base[key] <= BASELINE_LIMIT)
            )
    for what, ok in checks:
        lines.append(f"- {_verdict(ok)} {vendor}: {what}")
    if cur["mismatched"]:
        lines.append(f"  (revisions read back wrong: {cur['mismatched'][:20]})")
    lines.append("")
    return lines


def _duration(f: dict[str, Any]) -> str:
    return f"{f['build_s']:.0f} s / {f['read_s']:.0f} s"


def baseline_worktree(commit: str) -> Path:
    # Under /tmp, where the machine's other runs keep out of storagebench_*.
    path = Path(f"/tmp/storagebench_baseline_{os.getpid()}")  # noqa: S108
    subprocess.run(
        ["git", "-C", str(ROOT), "worktree", "add", "--detach", "--quiet", str(path), commit],
        check=True,
    )
    return path


def main() -> int:
    if sys.argv[1:2] == ["run"]:
        vendor, code_root, out = sys.argv[2], Path(sys.argv[3]), Path(sys.argv[4])
        run_one(vendor, code_root, out)
        return 0

    results: dict[str, dict[str, Any]] = {}
    worktree = None
    try:
        if BASELINE:
            worktree = baseline_worktree(BASELINE)
        for vendor in ("sqlite", "postgresql"):
            if worktree is not None:
                results[f"{vendor}/baseline"] = measure(vendor, worktree, "baseline")
            results[f"{vendor}/current"] = measure(vendor, ROOT, "current")
    finally:
        if worktree is not None:
            subprocess.run(
                ["git", "-C", str(ROOT), "worktree", "remove", "--force", str(worktree)],
                check=False,
            )

    commit = subprocess.run(
        ["git", "-C", str(ROOT), "rev-parse", "--short", "HEAD"],
        capture_output=True,
        text=True,
        check=False,
    ).stdout.strip()
    lines = [
        f"Storage bench: current code ({commit or 'uncommitted'}, working tree)"
        + (f" against baseline {BASELINE}" if BASELINE else " (no baseline)"),
        "MB = 1,000,000 bytes; reads cold, in a new connection, caches cleared before each.",
        "",
    ]
    summary: dict[str, Any] = {"commit": commit, "baseline": BASELINE or None, "databases": {}}
    for vendor in ("sqlite", "postgresql"):
        cur = figures(results[f"{vendor}/current"])
        base = figures(results[f"{vendor}/baseline"]) if BASELINE else None
        if base and (
            results[f"{vendor}/current"]["last_text_sha256"]
            != results[f"{vendor}/baseline"]["last_text_sha256"]
        ):
            lines.append(f"NOTE {vendor}: the baseline's generator made different texts")
        lines += report(vendor, cur, base)
        summary["databases"][vendor] = {
            "current": {**cur, "raw": results[f"{vendor}/current"]},
            "baseline": {**base, "raw": results[f"{vendor}/baseline"]} if base else None,
        }
    print("\n".join(lines))
    RESULTS.parent.mkdir(parents=True, exist_ok=True)
    RESULTS.write_text(json.dumps(summary, indent=1))
    print(f"wrote {RESULTS.relative_to(ROOT)}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
