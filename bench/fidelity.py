"""Fidelity benchmark: our HTML extraction against trafilatura on real publisher pages.

Run: .venv/bin/python bench/fidelity.py [--baseline REF]  (or `make fidelity`). Reads the
corpus in ../shared/corpora/publisher-pages/ (never copied here), scores the extractors by the
corpus README's rule, prints a table and writes bench/results/fidelity.csv (one row per page).
Ours and trafilatura take turns on each page; with --baseline, the parser of a git ref (say
the commit before trafilatura came in) is scored too, in a subprocess of its own.
"""

from __future__ import annotations

import argparse
import csv
import gc
import gzip
import json
import re
import statistics
import subprocess
import sys
import tempfile
import time
import unicodedata
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from articles.core.document import Document, ParseError, sections  # noqa: E402
from articles.core.parsing import parse_article  # noqa: E402

CORPUS_CANDIDATES = [
    base / "shared" / "corpora" / "publisher-pages" for base in (ROOT.parent, ROOT)
]
RESULTS = ROOT / "bench" / "results" / "fidelity.csv"
RUNS = 5  # timed runs per page and extractor (alternating); the median is kept

# The targets, as (our count) against the corpus totals and trafilatura's time.
TARGET_TITLES = 46
TARGET_PARAGRAPHS = 115
TARGET_LEAKS = 3
TARGET_TIME_RATIO = 1.5

_TOKEN_RE = re.compile(r"\w+")


def tokens(text: str) -> str:
    """The README's scoring: casefold, NFKC, \\w+ tokens (joined so that runs can be found)."""
    return " " + " ".join(_TOKEN_RE.findall(unicodedata.normalize("NFKC", text).casefold())) + " "


def contains(haystack: str, needle: str) -> bool:
    wanted = tokens(needle)
    return wanted.strip() != "" and wanted in tokens(haystack)


@dataclass
class Extraction:
    title: str
    body: str


def ours(raw: bytes) -> Extraction:
    try:
        document = parse_article(raw)
    except ParseError:
        return Extraction("", "")
    return Extraction(document.headline or "", reading_text(document))


def reading_text(document: Document) -> str:
    """The body as the story page shows it: the dek, then each section's label and blocks."""
    lines = [document.dek or ""]
    for section in sections(document.blocks):
        if section.label:
            lines.append(f"{section.label}:")
        lines.extend(block.text for part in section.parts for block in part.blocks)
    return "\n".join(lines)


def trafilatura_extract(raw: bytes) -> Extraction:
    import trafilatura

    result = trafilatura.bare_extraction(raw, include_comments=False, with_metadata=True)
    if result is None:
        return Extraction("", "")
    return Extraction(result.title or "", result.text or "")


# Run by the baseline's subprocess: argv = [root to import from, corpus]; prints JSON
# {page: [headline, reading text, ms]}, the reading text made as reading_text() makes it.
_BASELINE = """
import gzip, json, sys, time
sys.path.insert(0, sys.argv[1])
from pathlib import Path
from articles.core.document import ParseError, sections
from articles.core.parsing import parse_article
corpus = Path(sys.argv[2])
out = {}
for name in sorted(json.loads((corpus / "gold.json").read_text(encoding="utf-8"))):
    raw = gzip.decompress((corpus / "pages" / name).read_bytes())
    started = time.perf_counter()
    try:
        document = parse_article(raw)
    except ParseError:
        out[name] = ["", "", (time.perf_counter() - started) * 1000]
        continue
    ms = (time.perf_counter() - started) * 1000
    lines = [document.dek or ""]
    for section in sections(document.blocks):
        if section.label:
            lines.append(section.label + ":")
        lines.extend(block.text for part in section.parts for block in part.blocks)
    out[name] = [document.headline or "", "\\n".join(lines), ms]
print(json.dumps(out))
"""


def baseline_results(ref: str, corpus: Path) -> dict[str, tuple[Extraction, float]]:
    sys.path.insert(0, str(ROOT / "bench"))
    from parser_bench import export

    with tempfile.TemporaryDirectory(prefix="fidelity-") as tmp:
        export(ref, Path(tmp))
        result = subprocess.run(
            [sys.executable, "-c", _BASELINE, tmp, str(corpus)],
            check=True,
            capture_output=True,
            text=True,
        )
    found = json.loads(result.stdout)
    return {name: (Extraction(title, body), ms) for name, (title, body, ms) in found.items()}


@dataclass
class Score:
    titles: int = 0
    paragraphs: int = 0
    leaks: int = 0


def score(gold: dict, got: Extraction) -> tuple[int, int, int, list[str]]:
    """(title found 0/1, paragraphs found, patterns leaked, the leaked patterns)."""
    titles = gold.get("titles") or []
    title = int(any(contains(got.title, wanted) for wanted in titles))
    found = sum(contains(got.body, wanted) for wanted in gold.get("must_contain") or [])
    leaked = []
    for pattern in gold.get("must_not_match") or []:
        flags = re.IGNORECASE if pattern.get("ignorecase") else 0
        if re.search(pattern["regex"], got.body, flags):
            leaked.append(pattern["regex"])
    return title, found, len(leaked), leaked


def timed(fn: Callable[[bytes], Extraction], raw: bytes) -> tuple[Extraction, float]:
    gc.disable()
    try:
        started = time.perf_counter()
        result = fn(raw)
        return result, (time.perf_counter() - started) * 1000
    finally:
        gc.enable()


def main() -> int:
    options = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    options.add_argument("--baseline", help="also score the parser of this git ref")
    args = options.parse_args()
    corpus = next((path for path in CORPUS_CANDIDATES if (path / "gold.json").is_file()), None)
    if corpus is None:
        print("the publisher-pages corpus is not available (../shared/corpora/publisher-pages)")
        return 1
    try:
        import trafilatura  # noqa: F401
    except ImportError:
        print("trafilatura is not installed: .venv/bin/pip install trafilatura")
        return 1
    gold = json.loads((corpus / "gold.json").read_text(encoding="utf-8"))
    extractors = {"ours": ours, "trafilatura": trafilatura_extract}
    baseline = baseline_results(args.baseline, corpus) if args.baseline else {}
    names = [*extractors, *(["baseline"] if baseline else [])]
    totals = {name: Score() for name in names}
    times: dict[str, list[float]] = {name: [] for name in names}
    rows = []
    for name in sorted(gold):
        raw = gzip.decompress((corpus / "pages" / name).read_bytes())
        row: dict[str, object] = {"page": name}
        runs: dict[str, list[float]] = {key: [] for key in extractors}
        results: dict[str, Extraction] = {}
        for _ in range(RUNS):
            for key, fn in extractors.items():
                results[key], ms = timed(fn, raw)
                runs[key].append(ms)
        if baseline:
            results["baseline"], ms = baseline[name]
            runs["baseline"] = [ms]
        for key in names:
            title, found, leaks, leaked = score(gold[name], results[key])
            totals[key].titles += title
            totals[key].paragraphs += found
            totals[key].leaks += leaks
            ms = statistics.median(runs[key])
            times[key].append(ms)
            row |= {
                f"{key}_title": title,
                f"{key}_paragraphs": found,
                f"{key}_leaks": leaks,
                f"{key}_leaked": " | ".join(leaked),
                f"{key}_ms": round(ms, 2),
                f"{key}_headline": results[key].title,
            }
        row["titles"] = int(bool(gold[name].get("titles")))
        row["paragraphs"] = len(gold[name].get("must_contain") or [])
        row["patterns"] = len(gold[name].get("must_not_match") or [])
        rows.append(row)
    n_titles = sum(int(bool(g.get("titles"))) for g in gold.values())
    n_paragraphs = sum(len(g.get("must_contain") or []) for g in gold.values())
    n_patterns = sum(len(g.get("must_not_match") or []) for g in gold.values())
    RESULTS.parent.mkdir(parents=True, exist_ok=True)
    with RESULTS.open("w", newline="", encoding="utf-8") as handle:
        writer = csv.DictWriter(handle, fieldnames=list(rows[0]))
        writer.writeheader()
        writer.writerows(rows)
    median = {key: statistics.median(values) for key, values in times.items()}
    print(f"{len(gold)} pages, {RUNS} alternating runs each (median per page)\n")
    labels = {"baseline": f"{args.baseline} (one run)"}
    print("| extractor            | titles | paragraphs | leaks | median ms/page |")
    print("|----------------------|--------|------------|-------|----------------|")
    for key in names:
        total = totals[key]
        print(
            f"| {labels.get(key, key):<20} | {total.titles:>2}/{n_titles}  "
            f"|    {total.paragraphs:>3}/{n_paragraphs} | {total.leaks:>2}/{n_patterns} "
            f"| {median[key]:>14.1f} |"
        )
    ratio = median["ours"] / median["trafilatura"]
    ok = {
        "titles": totals["ours"].titles >= TARGET_TITLES,
        "paragraphs": totals["ours"].paragraphs >= TARGET_PARAGRAPHS,
        "leaks": totals["ours"].leaks <= TARGET_LEAKS,
        "time": ratio <= TARGET_TIME_RATIO,
    }
    print(
        f"\ntargets: titles >= {TARGET_TITLES}/{n_titles} {'met' if ok['titles'] else 'MISSED'}; "
        f"paragraphs >= {TARGET_PARAGRAPHS}/{n_paragraphs} "
        f"{'met' if ok['paragraphs'] else 'MISSED'}; "
        f"leaks <= {TARGET_LEAKS}/{n_patterns} {'met' if ok['leaks'] else 'MISSED'}; "
        f"time {ratio:.2f}x trafilatura (<= {TARGET_TIME_RATIO}x) "
        f"{'met' if ok['time'] else 'MISSED'}"
    )
    print(f"per-page results: {RESULTS.relative_to(ROOT)}")
    return 0 if all(ok.values()) else 1


if __name__ == "__main__":
    sys.exit(main())
