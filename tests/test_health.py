"""/healthz: the database and the cache both answer, or 503 says which does not."""

from unittest import mock

import pytest

pytestmark = pytest.mark.django_db


def test_healthz_says_ok_and_is_never_cached(client):
    response = client.get("/healthz")
    assert response.status_code == 200
    assert response.json() == {"database": "ok", "cache": "ok"}
    assert "no-store" in response["Cache-Control"]
    assert not response.cookies
    assert "Cookie" not in response.get("Vary", "")


def test_healthz_is_not_redirected_to_https(client, settings):
    settings.SECURE_SSL_REDIRECT = True  # a load balancer checks the app port over plain HTTP
    assert client.get("/healthz").status_code == 200
    assert client.get("/").status_code == 301


@pytest.mark.parametrize("failing", ["database", "cache"])
def test_healthz_names_what_is_failing(client, failing):
    target = {
        "database": "newsroom.health.connection.cursor",
        "cache": "newsroom.health.cache.get",
    }[failing]
    with mock.patch(target, side_effect=ConnectionError("down")):
        response = client.get("/healthz")
    assert response.status_code == 503
    assert response.json()[failing] == "failing"
