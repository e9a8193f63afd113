"""Parser speed: this checkout's parser against a baseline commit's, on the same inputs.

Run: .venv/bin/python bench/parser_bench.py [--baseline REF]  (or `make parser-bench`;
default REF: main). The baseline's `articles/` is exported with `git archive` into a
temporary directory and each parser runs in its own subprocess. The 600 KB text page
(fictional, bench/diff_bench.py's generator) is timed in alternating rounds so that the
machine's load weighs on both alike: the figure that matters is the ratio, in one sitting.
Hostile markup is timed once per parser, with a time limit (the old parser took seconds).
"""

from __future__ import annotations

import argparse
import json
import random
import statistics
import subprocess
import sys
import tarfile
import tempfile
from io import BytesIO
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
ROUNDS = 8
RUNS_PER_ROUND = 5
HOSTILE_LIMIT_S = 60

# Run in each subprocess: argv = [root to import from, input file, runs]; prints JSON
# [wall ms, CPU ms] per run (ParseError counts as an answer: refusing hostile input quickly is
# the point). CPU time is reported beside wall time: on a machine shared with other work, it
# is the steadier of the two.
_TIMER = """
import gc, json, sys, time
sys.path.insert(0, sys.argv[1])
from articles.core.document import ParseError
from articles.core.parsing import parse_article
text = open(sys.argv[2], encoding="utf-8").read()
runs = int(sys.argv[3])
def once():
    started, cpu = time.perf_counter(), time.process_time()
    try:
        parse_article(text)
    except ParseError:
        pass
    return [(time.perf_counter() - started) * 1000, (time.process_time() - cpu) * 1000]
if runs > 1:
    once()
gc.collect()
gc.disable()
print(json.dumps([once() for _ in range(runs)]))
"""

HOSTILE = {
    '"<article>" * 8000 + "words"': "<article>" * 8000 + "words",
    '"<article>" * 20000 + "words"': "<article>" * 20000 + "words",
    '"<p>" * 20000 + "words"': "<p>" * 20000 + "words",
    "5 MB of <div><span>x</span></div>": "<div><span>x</span></div>" * 200_000,
}


def page_600k() -> str:
    sys.path.insert(0, str(ROOT / "bench"))
    from diff_bench import _article, _text

    return _text(_article(random.Random(20261125), 600_000))


def export(ref: str, into: Path) -> None:
    archive = subprocess.run(
        ["git", "archive", ref, "articles"], cwd=ROOT, check=True, capture_output=True
    ).stdout
    with tarfile.open(fileobj=BytesIO(archive)) as tar:
        tar.extractall(into, filter="data")


def time_in(
    root: Path, page: Path, runs: int, limit: float | None = None
) -> list[list[float]] | None:
    try:
        result = subprocess.run(
            [sys.executable, "-c", _TIMER, str(root), str(page), str(runs)],
            check=True,
            capture_output=True,
            text=True,
            timeout=limit,
        )
    except subprocess.TimeoutExpired:
        return None
    return json.loads(result.stdout)


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--baseline", default="main", help="git ref of the baseline parser")
    args = parser.parse_args()
    text = page_600k()
    with tempfile.TemporaryDirectory(prefix="parser-bench-") as tmp:
        roots = {"baseline": Path(tmp) / "baseline", "this checkout": ROOT}
        export(args.baseline, roots["baseline"])
        page = Path(tmp) / "page.txt"
        page.write_text(text, encoding="utf-8")
        samples: dict[str, list[list[float]]] = {name: [] for name in roots}
        for _ in range(ROUNDS):
            for name, root in roots.items():
                samples[name] += time_in(root, page, RUNS_PER_ROUND) or []
        size = len(text.encode("utf-8")) / 1024
        print(f"600 KB text page ({size:.0f} KB), {ROUNDS} alternating rounds of {RUNS_PER_ROUND}")
        wall = {name: statistics.median(t[0] for t in times) for name, times in samples.items()}
        cpu = {name: statistics.median(t[1] for t in times) for name, times in samples.items()}
        for name in roots:
            print(f"  {name:<14} median {wall[name]:7.1f} ms wall, {cpu[name]:7.1f} ms CPU")
        print(
            f"  ratio this/baseline: {wall['this checkout'] / wall['baseline']:.2f} wall, "
            f"{cpu['this checkout'] / cpu['baseline']:.2f} CPU (baseline: {args.baseline})"
        )
        print(f"\nhostile markup, one run each (limit {HOSTILE_LIMIT_S} s)")
        for label, markup in HOSTILE.items():
            hostile = Path(tmp) / "hostile.html"
            hostile.write_text(markup, encoding="utf-8")
            cells = []
            for root in roots.values():
                times = time_in(root, hostile, 1, HOSTILE_LIMIT_S)
                cells.append(f"> {HOSTILE_LIMIT_S} s" if times is None else f"{times[0][0]:.0f} ms")
            print(f"  {label:<36} baseline {cells[0]:>10}   this checkout {cells[1]:>10}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
