"""Load test: the production server under wrk, every figure a ratio to hello-world in the same run.

Run: `make loadtest` (DATABASE_URL and REDIS_URL as for the app; without them SQLite and local
memory, which is not what the targets are for). Needs wrk (`apt-get install wrk`).

1. Builds fictional stories once into the database (kept for later runs): a 1,000-revision story
   of a ~6 KB article, a 10-revision one, and a 50-revision ~600 KB one; collects static files.
2. Times cold renders in-process with nothing cached: the timeline at 1,000 revisions against
   10, and the feed of the 600 KB story.
3. Starts gunicorn with the checked-in config (newsroom/gunicorn.conf.py) and the production
   settings, DEBUG off, plus one URL: /hello/, a view that does nothing behind the same
   middleware (bench/loadtest_urls.py).
4. Warms every URL, then runs wrk on each endpoint in turn, ROUNDS times, each run right after
   a run of hello-world. A ratio is an endpoint's req/s over the hello-world run just before it
   (the machine is shared: its load drifts within a round); the table shows medians over the
   rounds. CPU ms is the workers' CPU time per request, and "CPU ×" hello-world's CPU time per
   request over the endpoint's (the server's own cost, which other work on a shared machine
   moves less than req/s). Every request sends a browser's Accept-Encoding.

Traffic goes only to 127.0.0.1, each run bounded by its duration. Writes
bench/results/loadtest.json.
"""

from __future__ import annotations

import json
import os
import random
import re
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
import urllib.error
import urllib.request
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parents[1]
RESULTS = ROOT / "bench" / "results" / "loadtest.json"
BIN = Path(sys.executable).parent

PORT = int(os.environ.get("LOADTEST_PORT", "9400"))
SECONDS = int(os.environ.get("LOADTEST_SECONDS", "3"))
ROUNDS = int(os.environ.get("LOADTEST_ROUNDS", "5"))
CONNECTIONS = int(os.environ.get("LOADTEST_CONNECTIONS", "32"))
ACCEPT_ENCODING = "gzip, deflate, br, zstd"  # what Chromium sends

# Targets: req/s as a ratio to hello-world in the same round (issue 12).
TARGETS = {
    "poll": 0.8,
    "story": 0.5,
    "story 304": 0.8,
    "compare (warm)": 0.5,
    "timeline p1": 0.3,
    "timeline p20": 0.3,
    "feed (600 KB story)": 0.3,
}
COLD_TIMELINE_SLACK = 2.0  # a page of 1,000 revisions renders within 2× the time of 10
COLD_FEED_MS = 20.0
FEED_MEMORY_MB = 20.0

STORIES = {
    # slug: (article size in bytes, revisions, edits per revision)
    "loadtest-1000": (6_000, 1_000, 2),
    "loadtest-10": (6_000, 10, 2),
    "loadtest-600k": (600_000, 50, 30),
}

WRK_REPORT = """
done = function(summary, latency, requests)
  io.write(string.format(
    '{"requests": %d, "duration_us": %d, "bytes": %d, "status_errors": %d, '
    .. '"socket_errors": %d, "p50_us": %d, "p99_us": %d}\\n',
    summary.requests, summary.duration, summary.bytes, summary.errors.status,
    summary.errors.connect + summary.errors.read + summary.errors.write
      + summary.errors.timeout,
    latency:percentile(50), latency:percentile(99)))
end
"""


def server_environment() -> dict[str, str]:
    env = dict(os.environ)
    env.setdefault("DATABASE_URL", f"sqlite:///{RESULTS.parent / 'loadtest.sqlite3'}")
    env.update(
        DJANGO_SETTINGS_MODULE="bench.loadtest_settings",
        DEBUG="0",
        SECRET_KEY="loadtest-only-not-a-secret",  # noqa: S106
        HTTPS="0",
        ALLOWED_HOSTS="127.0.0.1,testserver",
        BIND=f"127.0.0.1:{PORT}",
        GUNICORN_ACCESS_LOG="",
        PYTHONPATH=str(ROOT),
    )
    return env


# --- run inside Django (a subprocess with the server's environment) -------------------------


def setup_django() -> None:
    sys.path.insert(0, str(ROOT))
    sys.path.insert(0, str(ROOT / "bench"))
    import django

    django.setup()


def prepare() -> None:
    """Migrate, collect static files, and build the stories that are missing."""
    setup_django()
    from django.core.management import call_command

    call_command("migrate", verbosity=0)
    call_command("collectstatic", interactive=False, verbosity=0)
    for slug, spec in STORIES.items():
        build_story(slug, *spec)


def build_story(slug: str, size: int, count: int, edits: int) -> None:
    from diff_bench import _article, _revise, _text

    from articles.models import Story, UnchangedUpload

    story = Story.objects.filter(slug=slug).first()
    if story is not None and story.revision_count == count:
        return
    if story is not None:
        raise SystemExit(f"{slug} has {story.revision_count} revisions, not {count}: drop it")
    started = time.perf_counter()
    rng = random.Random(slug)
    story = Story.objects.create(slug=slug, headline=slug)
    units = _article(rng, size)
    start = datetime(2026, 11, 1, 6, 0, tzinfo=UTC)
    for number in range(count):
        while True:
            try:
                story.publish(
                    _text(units),
                    published_at=start + timedelta(minutes=7 * number),
                    note=f"Update {number + 1}: fictional coverage for the load test",
                    kind="correction" if number % 97 == 96 else "update",
                )
                break
            except UnchangedUpload:  # a move that put a block back where it was
                units = _revise(rng, units, edits)
        units = _revise(rng, units, edits)
    progress(f"built {slug}: {count} revisions in {time.perf_counter() - started:.0f} s")


def measure_cold() -> None:
    """Median ms of cold renders (nothing cached) through Django, printed as JSON."""
    setup_django()
    from django.test import Client
    from django.test.utils import override_settings, setup_test_environment

    from articles.conditional import local_pages

    setup_test_environment()
    client = Client()
    local_pages.budget = 0  # nothing kept in this process's memory either
    urls = {
        "timeline 1,000 p1": "/stories/loadtest-1000/revisions/",
        "timeline 1,000 p20": "/stories/loadtest-1000/revisions/?before=51",
        "timeline 10": "/stories/loadtest-10/revisions/",
        "feed 600 KB story": "/stories/loadtest-600k/feed.atom",
    }
    dummy = {"default": {"BACKEND": "django.core.cache.backends.dummy.DummyCache"}}
    results: dict[str, float] = {}
    with override_settings(CACHES=dummy):
        for url in urls.values():  # warm the code paths, not the data
            assert client.get(url).status_code == 200, url
        samples: dict[str, list[float]] = {name: [] for name in urls}
        deadline = time.perf_counter() + 8
        while time.perf_counter() < deadline or min(map(len, samples.values())) < 15:
            for name, url in urls.items():  # interleaved: load changes weigh on all alike
                started = time.perf_counter()
                client.get(url)
                samples[name].append((time.perf_counter() - started) * 1000)
        results = {name: round(statistics.median(times), 2) for name, times in samples.items()}
    print(json.dumps(results))


# --- the load test --------------------------------------------------------------------------


def progress(message: str) -> None:
    print(message, file=sys.stderr, flush=True)


def fetch(path: str, headers: dict[str, str] | None = None) -> tuple[int, dict[str, str], bytes]:
    request = urllib.request.Request(f"http://127.0.0.1:{PORT}{path}", headers=headers or {})
    try:
        with urllib.request.urlopen(request, timeout=10) as response:  # noqa: S310
            return response.status, dict(response.headers), response.read()
    except urllib.error.HTTPError as error:
        return error.code, dict(error.headers), error.read()


def wait_for_server(server: subprocess.Popen[bytes]) -> None:
    deadline = time.monotonic() + 30
    while time.monotonic() < deadline:
        if server.poll() is not None:
            raise SystemExit("gunicorn exited at start-up")
        try:
            if fetch("/healthz")[0] == 200:
                return
        except OSError:
            pass
        time.sleep(0.2)
    raise SystemExit("gunicorn did not answer /healthz within 30 s")


def worker_pids(master: int) -> list[int]:
    children = Path(f"/proc/{master}/task/{master}/children").read_text().split()
    return [int(pid) for pid in children]


def cpu_seconds(pids: list[int]) -> float:
    ticks = os.sysconf("SC_CLK_TCK")
    total = 0
    for pid in pids:
        fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
        total += int(fields[11]) + int(fields[12])  # utime, stime
    return total / ticks


def rss_mb(pids: list[int]) -> list[float]:
    sizes = []
    for pid in pids:
        for line in Path(f"/proc/{pid}/status").read_text().splitlines():
            if line.startswith("VmRSS:"):
                sizes.append(int(line.split()[1]) / 1024)
    return sizes


def endpoints() -> list[tuple[str, str, dict[str, str], int]]:
    """(name, path, extra headers, expected status), discovered from the pages themselves."""
    encoding = {"Accept-Encoding": ACCEPT_ENCODING}
    story = "/stories/loadtest-1000/"
    html = fetch(story)[2].decode()
    live = int(re.search(r'data-live="(\d+)"', html).group(1))
    old, new = re.search(r'href="/stories/loadtest-1000/compare/(\d+)/(\d+)/"', html).groups()
    etag = fetch(story, encoding)[1]["ETag"]
    timeline = f"{story}revisions/"
    page = timeline
    for _ in range(19):  # page 20, reached by the timeline's own "Older" button
        older = re.search(r'name="before" value="(\d+)">Older', fetch(page)[2].decode())
        page = f"{timeline}?before={older.group(1)}"
    return [
        ("hello", "/hello/", encoding, 200),
        ("poll", f"{story}updates/?since={live}&reading={live}", encoding, 204),
        ("story", story, encoding, 200),
        ("story 304", story, {**encoding, "If-None-Match": etag}, 304),
        ("compare (warm)", f"{story}compare/{old}/{new}/", encoding, 200),
        ("timeline p1", timeline, encoding, 200),
        ("timeline p20", page, encoding, 200),
        ("feed (600 KB story)", "/stories/loadtest-600k/feed.atom", encoding, 200),
        ("front page", "/", encoding, 200),
        ("healthz", "/healthz", encoding, 200),
    ]


def wrk(path: str, headers: dict[str, str], script: Path) -> dict[str, Any]:
    command = [
        "wrk",
        *("-t2", f"-c{CONNECTIONS}", f"-d{SECONDS}s", "--timeout", "5s", "-s", str(script)),
    ]
    for name, value in headers.items():
        command += ["-H", f"{name}: {value}"]
    command.append(f"http://127.0.0.1:{PORT}{path}")
    output = subprocess.run(command, capture_output=True, text=True, check=True).stdout
    report = json.loads(output.strip().splitlines()[-1])
    report["rps"] = report["requests"] / (report["duration_us"] / 1e6)
    return report


def run_load(env: dict[str, str]) -> dict[str, Any]:
    server = subprocess.Popen(
        [str(BIN / "gunicorn"), "-c", str(ROOT / "newsroom" / "gunicorn.conf.py"), "newsroom.wsgi"],
        cwd=ROOT,
        env=env,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.PIPE,
    )
    try:
        wait_for_server(server)
        pids = worker_pids(server.pid)
        targets = endpoints()
        for _, path, headers, expected in targets:
            for _ in range(3):
                status = fetch(path, headers)[0]
            if status != expected:
                raise SystemExit(f"GET {path} answered {status}, expected {expected}")
        rounds: list[dict[str, dict[str, Any]]] = []
        memory: dict[str, list[float]] = {}
        with tempfile.NamedTemporaryFile("w", suffix=".lua", delete=False) as script:
            script.write(WRK_REPORT)
        hello = targets[0]
        for number in range(ROUNDS):
            progress(f"round {number + 1} of {ROUNDS}")
            runs: dict[str, dict[str, Any]] = {}
            for name, path, headers, _ in targets[1:]:
                # hello-world right before each endpoint: the machine is shared, and its load
                # drifts within a round; each ratio compares two neighbouring runs.
                for label, run_path, run_headers in (
                    (f"hello/{name}", hello[1], hello[2]),
                    (name, path, headers),
                ):
                    before_cpu, before_rss = cpu_seconds(pids), rss_mb(pids)
                    report = wrk(run_path, run_headers, Path(script.name))
                    if worker_pids(server.pid) != pids:
                        raise SystemExit("a gunicorn worker restarted during the run")
                    cpu = cpu_seconds(pids) - before_cpu
                    report["cpu_ms"] = cpu * 1000 / max(report["requests"], 1)
                    if label.startswith("feed"):
                        after = rss_mb(pids)
                        memory.setdefault("feed_growth_mb", []).append(
                            max(a - b for a, b in zip(after, before_rss, strict=True))
                        )
                    runs[label] = report
            rounds.append(runs)
        os.unlink(script.name)
        return {"rounds": rounds, "memory": memory, "workers": len(pids)}
    finally:
        server.terminate()
        try:
            server.wait(timeout=30)
        except subprocess.TimeoutExpired:
            server.kill()


def summarise(load: dict[str, Any]) -> list[dict[str, Any]]:
    names = [name for name in load["rounds"][0] if not name.startswith("hello/")]
    hellos = [
        run for each in load["rounds"] for key, run in each.items() if key.startswith("hello/")
    ]
    rows = [_row("hello", hellos, [1.0] * len(hellos))]
    for name in names:
        runs = [each[name] for each in load["rounds"]]
        ratios = [each[name]["rps"] / each[f"hello/{name}"]["rps"] for each in load["rounds"]]
        cpu = [each[f"hello/{name}"]["cpu_ms"] / each[name]["cpu_ms"] for each in load["rounds"]]
        rows.append(_row(name, runs, ratios, cpu))
    return rows


def _row(
    name: str, runs: list[dict[str, Any]], ratios: list[float], cpu: list[float] | None = None
) -> dict[str, Any]:
    target = TARGETS.get(name)
    ratio = statistics.median(ratios)
    return {
        "endpoint": name,
        "rps": round(statistics.median(run["rps"] for run in runs)),
        "p50_ms": round(statistics.median(run["p50_us"] for run in runs) / 1000, 2),
        "p99_ms": round(statistics.median(run["p99_us"] for run in runs) / 1000, 2),
        "cpu_ms": round(statistics.median(run["cpu_ms"] for run in runs), 3),
        "ratio": round(ratio, 3),
        # hello-world's CPU time per request over this endpoint's, in the same pair of runs:
        # the server's own cost, less moved by other work on the machine than req/s.
        "cpu_ratio": round(statistics.median(cpu), 3) if cpu else 1.0,
        "ratios": [round(each, 3) for each in ratios] if name != "hello" else [],
        "errors": sum(run["status_errors"] + run["socket_errors"] for run in runs),
        "target": target,
        "result": "" if target is None else ("PASS" if ratio >= target else "FAIL"),
    }


def cold_checks(cold: dict[str, float], memory: dict[str, list[float]]) -> list[dict[str, Any]]:
    ratio = cold["timeline 1,000 p1"] / cold["timeline 10"]
    ratio20 = cold["timeline 1,000 p20"] / cold["timeline 10"]
    growth = max(memory["feed_growth_mb"])
    checks = [
        ("timeline page at 1,000 / at 10 revisions (p1)", ratio, COLD_TIMELINE_SLACK),
        ("timeline page at 1,000 / at 10 revisions (p20)", ratio20, COLD_TIMELINE_SLACK),
        ("feed of the 600 KB story, cold ms", cold["feed 600 KB story"], COLD_FEED_MS),
        ("worker memory growth over the feed runs, MB", growth, FEED_MEMORY_MB),
    ]
    return [
        {"check": name, "value": round(value, 2), "limit": limit, "result": _below(value, limit)}
        for name, value, limit in checks
    ]


def _below(value: float, limit: float) -> str:
    return "PASS" if value <= limit else "FAIL"


def print_report(rows, checks, cold, meta) -> None:
    print(
        f"wrk -t2 -c{CONNECTIONS} -d{SECONDS}s × {ROUNDS} rounds, gunicorn "
        f"({meta['workers']} workers, newsroom/gunicorn.conf.py), {meta['database']} + "
        f"{meta['cache']}, load average {meta['load_before']} → {meta['load_after']}"
    )
    header = f"{'endpoint':<20} {'req/s':>7} {'p50 ms':>7} {'p99 ms':>7} {'CPU ms':>7}"
    print(f"{header} {'CPU ×':>6} {'× hello':>8} {'target':>7}  result  req/s ratios per round")
    for row in rows:
        target = f"≥ {row['target']}" if row["target"] else ""
        print(
            f"{row['endpoint']:<20} {row['rps']:>7} {row['p50_ms']:>7} {row['p99_ms']:>7} "
            f"{row['cpu_ms']:>7} {row['cpu_ratio']:>6} {row['ratio']:>8} {target:>7}  "
            f"{row['result']:<6}  "
            f"{' '.join(map(str, row['ratios']))}"
            + (f"  ({row['errors']} errors)" if row["errors"] else "")
        )
    print()
    print("cold renders in-process, nothing cached (median ms): " + json.dumps(cold))
    for check in checks:
        print(
            f"{check['result']:<5} {check['check']:<50} {check['value']:>8} "
            f"(limit {check['limit']})"
        )


def main() -> int:
    if len(sys.argv) > 1 and sys.argv[1] in {"prepare", "cold"}:
        prepare() if sys.argv[1] == "prepare" else measure_cold()
        return 0
    if shutil.which("wrk") is None:
        raise SystemExit("wrk is not installed: apt-get install wrk")
    RESULTS.parent.mkdir(parents=True, exist_ok=True)
    env = server_environment()
    started = time.monotonic()
    progress("preparing the database (the stories are built once)")
    subprocess.run([sys.executable, __file__, "prepare"], env=env, check=True)
    progress("cold renders")
    cold_run = subprocess.run(
        [sys.executable, __file__, "cold"], env=env, check=True, capture_output=True, text=True
    )
    cold = json.loads(cold_run.stdout.strip().splitlines()[-1])
    load_before = round(os.getloadavg()[0], 2)
    load = run_load(env)
    meta = {
        "workers": load["workers"],
        "database": env["DATABASE_URL"].split(":", 1)[0],
        "cache": "Redis" if env.get("REDIS_URL") else "local memory",
        "load_before": load_before,
        "load_after": round(os.getloadavg()[0], 2),
        "cpus": os.cpu_count(),
        "seconds": round(time.monotonic() - started),
        "wrk": f"-t2 -c{CONNECTIONS} -d{SECONDS}s",
        "rounds": ROUNDS,
        "accept_encoding": ACCEPT_ENCODING,
    }
    rows = summarise(load)
    checks = cold_checks(cold, load["memory"])
    print_report(rows, checks, cold, meta)
    RESULTS.write_text(
        json.dumps(
            {"meta": meta, "endpoints": rows, "cold_ms": cold, "checks": checks, "raw": load},
            indent=2,
        )
    )
    print(f"wrote {RESULTS.relative_to(ROOT)}")
    failed = [row for row in rows if row["result"] == "FAIL"] + [
        check for check in checks if check["result"] == "FAIL"
    ]
    return 1 if failed else 0


if __name__ == "__main__":
    raise SystemExit(main())
