"""Parser speed: this checkout's parser against a baseline commit's, on the same pages.

Run: .venv/bin/python bench/parser_bench.py [--baseline REF]  (default REF: main).
The baseline's `articles/` is exported with `git archive` into a temporary directory; each
parser runs in its own subprocess, the two taking turns for ROUNDS rounds so that the machine's
load weighs on both alike. Pages are generated fictional text (bench/diff_bench.py's generator):
the figure that matters is the ratio, measured in one sitting.
"""

from __future__ import annotations

import argparse
import json
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

# Run inside each subprocess: argv = [repo root to import from, page file]; prints JSON timings.
_TIMER = """
import gc, json, sys, time
sys.path.insert(0, sys.argv[1])
from articles.core.parsing import parse_article
text = open(sys.argv[2], encoding="utf-8").read()
parse_article(text)
times = []
gc.collect()
gc.disable()
for _ in range(int(sys.argv[3])):
    started = time.perf_counter()
    parse_article(text)
    times.append((time.perf_counter() - started) * 1000)
print(json.dumps(times))
"""


def page_600k() -> str:
    sys.path.insert(0, str(ROOT / "bench"))
    import random

    from diff_bench import _article, _text

    return _text(_article(random.Random(20261125), 600_000))


def export(ref: str, into: Path) -> None:
    archive = subprocess.run(
        ["git", "archive", ref, "articles"], cwd=ROOT, check=True, capture_output=True
    ).stdout
    with tarfile.open(fileobj=BytesIO(archive)) as tar:
        tar.extractall(into, filter="data")


def time_in(root: Path, page: Path) -> list[float]:
    result = subprocess.run(
        [sys.executable, "-c", _TIMER, str(root), str(page), str(RUNS_PER_ROUND)],
        check=True,
        capture_output=True,
        text=True,
    )
    return json.loads(result.stdout)


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--baseline", default="main", help="git ref of the baseline parser")
    args = parser.parse_args()
    text = page_600k()
    with tempfile.TemporaryDirectory(prefix="parser-bench-") as tmp:
        base_root = Path(tmp) / "baseline"
        export(args.baseline, base_root)
        page = Path(tmp) / "page.txt"
        page.write_text(text, encoding="utf-8")
        samples: dict[str, list[float]] = {"baseline": [], "this checkout": []}
        for _ in range(ROUNDS):
            samples["baseline"] += time_in(base_root, page)
            samples["this checkout"] += time_in(ROOT, page)
    size = len(text.encode("utf-8")) / 1024
    print(f"600 KB text page ({size:.0f} KB), {ROUNDS} alternating rounds of {RUNS_PER_ROUND}")
    medians = {name: statistics.median(times) for name, times in samples.items()}
    for name, median in medians.items():
        print(f"  {name:<14} median {median:7.1f} ms  (min {min(samples[name]):.1f})")
    ratio = medians["this checkout"] / medians["baseline"]
    print(f"  ratio this/baseline: {ratio:.2f} (baseline: {args.baseline})")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
