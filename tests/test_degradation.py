"""The cache is an accelerator: with Redis down, every page is served from the database."""

import logging
import shutil
import subprocess
import time

import pytest
from django.core.cache import cache

import newsroom.cache
from tests.conftest import article_text, free_port

pytestmark = pytest.mark.django_db

READER_URLS = [
    "/",
    "/updates/?since=0",
    "/feeds/updates.atom",
    "/stories/port-tessaly-talks/",
    "/stories/port-tessaly-talks/?highlight=1",
    "/stories/port-tessaly-talks/updates/?since=1",
    "/stories/port-tessaly-talks/revisions/",
    "/stories/port-tessaly-talks/revisions/1/",
    "/stories/port-tessaly-talks/compare/1/2/",
    "/stories/port-tessaly-talks/compare/1/2/?view=side",
    "/stories/port-tessaly-talks/feed.atom",
]


def use_redis(settings, port: int) -> None:
    settings.CACHES = {
        "default": {
            "BACKEND": "newsroom.cache.DegradingRedisCache",
            "LOCATION": f"redis://127.0.0.1:{port}/0",
            "OPTIONS": {"socket_connect_timeout": 0.5, "socket_timeout": 0.5},
        }
    }


@pytest.fixture
def story(make_story):
    return make_story(article_text(), article_text(drones=460))


@pytest.mark.parametrize("url", READER_URLS)
def test_every_reader_page_is_served_with_the_cache_down(client, story, settings, url):
    use_redis(settings, free_port())  # nothing listens there
    assert client.get(url).status_code == 200


def test_the_cache_failure_is_logged(client, story, settings, caplog):
    use_redis(settings, free_port())
    with caplog.at_level(logging.WARNING, logger="newsroom.cache"):
        assert client.get("/stories/port-tessaly-talks/").status_code == 200
    assert "cache unavailable, serving from the database (next try in 5 s)" in caplog.text


def test_a_failing_cache_is_left_alone_for_a_while(settings, monkeypatch, caplog):
    use_redis(settings, free_port())
    attempts = []
    real = newsroom.cache.RedisCacheClient.get
    monkeypatch.setattr(
        newsroom.cache.RedisCacheClient,
        "get",
        lambda client, key, default: attempts.append(key) or real(client, key, default),
    )
    with caplog.at_level(logging.WARNING, logger="newsroom.cache"):
        assert cache.get("a", "missing") == "missing"
        assert cache.get("b", "missing") == "missing"
    assert attempts == [":1:a"]  # the second call did not wait on a dead Redis again
    assert caplog.text.count("cache unavailable") == 1


@pytest.mark.skipif(not shutil.which("redis-server"), reason="redis-server is not installed")
def test_pages_use_redis_again_once_it_is_back(client, story, settings, monkeypatch, tmp_path):
    monkeypatch.setattr(newsroom.cache, "RETRY_SECONDS", 0.0)
    port = free_port()
    use_redis(settings, port)
    server = start_redis(port, tmp_path)
    try:
        assert client.get("/stories/port-tessaly-talks/compare/1/2/").status_code == 200
        assert cache.get("updates:site") is not None or cache.set("probe", 1) is None
        assert cache.get("probe") == 1
    finally:
        stop(server)
    # Redis is gone mid-session: the pages stay up.
    for url in READER_URLS:
        assert client.get(url).status_code == 200, url
    assert cache.get("probe") is None
    server = start_redis(port, tmp_path)
    try:
        cache.set("probe", 2)
        assert cache.get("probe") == 2
        assert client.get("/").status_code == 200
    finally:
        stop(server)


def start_redis(port: int, directory) -> subprocess.Popen:
    server = subprocess.Popen(
        [
            "redis-server",
            "--bind",
            "127.0.0.1",
            "--port",
            str(port),
            "--save",
            "",
            "--dir",
            str(directory),
            "--appendonly",
            "no",
        ],
        stdout=subprocess.DEVNULL,
    )
    deadline = time.monotonic() + 10
    while time.monotonic() < deadline:
        ping = subprocess.run(
            ["redis-cli", "-p", str(port), "ping"], capture_output=True, text=True, check=False
        )
        if ping.stdout.strip() == "PONG":
            return server
        time.sleep(0.05)
    stop(server)
    raise RuntimeError(f"redis-server did not start on port {port}")


def stop(server: subprocess.Popen) -> None:
    server.terminate()
    server.wait(timeout=10)
