"""Two app servers (gunicorn, the checked-in config) sharing one PostgreSQL and one Redis: a
revision published through one is announced by the other's poll within the poll interval, and
both serve the same ETag for the same page.

Runs on PostgreSQL with Redis (the CI's second pass); on SQLite's in-memory test database a
second process could not see the data, so it is skipped there with the reason.
"""

import http.cookiejar
import os
import re
import socket
import subprocess
import sys
import time
import urllib.error
import urllib.parse
import urllib.request
from pathlib import Path

import pytest
from django.conf import settings
from django.db import connection

from articles.management.commands.createeditor import editors_group
from tests.conftest import article_text

pytestmark = pytest.mark.django_db(transaction=True)

ROOT = Path(__file__).resolve().parents[1]
PORTS = range(9400, 9500)  # this project's ports for test servers
PASSWORD = "harbour-lantern-fig-42"
SLUG = "port-tessaly-talks"


def _free_port(taken: set[int]) -> int:
    offset = int(os.environ.get("PYTEST_XDIST_WORKER", "gw0").removeprefix("gw") or 0) * 10
    for port in [*PORTS[offset:], *PORTS[:offset]]:
        if port in taken:
            continue
        with socket.socket() as probe:
            try:
                probe.bind(("127.0.0.1", port))
            except OSError:
                continue
        return port
    raise RuntimeError("no free port in 9400-9499")


def _database_url() -> str:
    db = connection.settings_dict
    user = urllib.parse.quote(db["USER"] or "")
    password = f":{urllib.parse.quote(db['PASSWORD'])}" if db["PASSWORD"] else ""
    return f"postgres://{user}{password}@{db['HOST']}:{db['PORT'] or 5432}/{db['NAME']}"


def _get(url: str, headers: dict[str, str] | None = None) -> tuple[int, dict[str, str], bytes]:
    request = urllib.request.Request(url, headers=headers or {})  # noqa: S310
    try:
        with urllib.request.urlopen(request, timeout=10) as response:  # noqa: S310
            return response.status, dict(response.headers), response.read()
    except urllib.error.HTTPError as error:
        return error.code, dict(error.headers), error.read()


@pytest.fixture
def two_servers():
    if connection.vendor != "postgresql" or not settings.REDIS_URL:
        pytest.skip("two app servers need a shared PostgreSQL and Redis (DATABASE_URL, REDIS_URL)")
    ports: set[int] = set()
    servers = []
    env = {
        **os.environ,
        "DJANGO_SETTINGS_MODULE": "newsroom.settings",
        "DEBUG": "0",
        "SECRET_KEY": "two-servers-test-only",
        "HTTPS": "0",
        "ALLOWED_HOSTS": "127.0.0.1",
        "DATABASE_URL": _database_url(),
        "REDIS_URL": settings.REDIS_URL,
        "WEB_CONCURRENCY": "1",
        "GUNICORN_THREADS": "2",
        "GUNICORN_ACCESS_LOG": "",
    }
    gunicorn = Path(sys.executable).parent / "gunicorn"
    config = ROOT / "newsroom" / "gunicorn.conf.py"
    try:
        for _ in range(2):
            port = _free_port(ports)
            ports.add(port)
            server = subprocess.Popen(
                [str(gunicorn), "-c", str(config), "newsroom.wsgi"],
                cwd=ROOT,
                env={**env, "BIND": f"127.0.0.1:{port}"},
                stdout=subprocess.DEVNULL,
                stderr=subprocess.DEVNULL,
            )
            servers.append((f"http://127.0.0.1:{port}", server))
        for base, server in servers:
            deadline = time.monotonic() + 30
            while True:
                assert server.poll() is None, "gunicorn exited at start-up"
                try:
                    if _get(f"{base}/healthz")[0] == 200:
                        break
                except OSError:
                    pass
                assert time.monotonic() < deadline, f"{base} did not come up in 30 s"
                time.sleep(0.2)
        yield [base for base, _ in servers]
    finally:
        for _, server in servers:
            server.terminate()
        for _, server in servers:
            try:
                server.wait(timeout=30)
            except subprocess.TimeoutExpired:
                server.kill()


def _publish_through(base: str, text: str) -> None:
    """Sign in and publish as an editor does, through this server's desk."""
    browser = urllib.request.build_opener(
        urllib.request.HTTPCookieProcessor(http.cookiejar.CookieJar())
    )

    def token(path: str) -> str:
        html = browser.open(f"{base}{path}", timeout=10).read().decode()
        return re.search(r'name="csrfmiddlewaretoken" value="([^"]+)"', html).group(1)

    def post(path: str, fields: dict[str, str]) -> str:
        data = urllib.parse.urlencode({"csrfmiddlewaretoken": token(path), **fields}).encode()
        with browser.open(f"{base}{path}", data=data, timeout=30) as response:
            return response.geturl()

    landed = post("/accounts/login/", {"username": "editor-ines", "password": PASSWORD})
    assert landed.endswith("/edit/")
    fields = {"step": "publish", "raw_text": text, "base_number": "1", "note": "Via A"}
    assert post(f"/stories/{SLUG}/edit/", {**fields, "kind": "update"}).endswith("/edit/")


def test_a_revision_published_through_one_server_is_announced_by_the_other(
    two_servers, make_story, django_user_model
):
    make_story(article_text())
    editor = django_user_model.objects.create_user("editor-ines", password=PASSWORD)
    editor.groups.add(editors_group())
    first, second = two_servers
    story, poll = f"/stories/{SLUG}/", f"/stories/{SLUG}/updates/?since=1&reading=1"
    brotli = {"Accept-Encoding": "br"}

    before = [_get(base + story, brotli) for base in (first, second)]
    assert before[0][0] == before[1][0] == 200
    assert before[0][1]["ETag"] == before[1][1]["ETag"]
    assert before[0][2] == before[1][2]  # the same bytes, too
    assert _get(second + poll)[0] == 204

    _publish_through(first, article_text(drones=460))
    published = time.monotonic()
    while (status := _get(second + poll))[0] == 204:
        assert time.monotonic() - published < settings.NEWSROOM_POLL_SECONDS, "not announced"
        time.sleep(0.2)
    assert status[0] == 200
    assert b"Show changes" in status[2] and b"/compare/1/2/" in status[2]

    after = [_get(base + story, brotli)[1]["ETag"] for base in (first, second)]
    assert after[0] == after[1] != before[0][1]["ETag"]
    conditional = _get(second + story, {**brotli, "If-None-Match": after[0]})
    assert conditional[0] == 304
