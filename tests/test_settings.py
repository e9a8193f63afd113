"""Settings from the environment: a value that is not clearly one thing is refused by name."""

import os
import subprocess
import sys
from pathlib import Path

import pytest
from django.core.exceptions import ImproperlyConfigured

from newsroom.settings import env_bool, env_int

ROOT = Path(__file__).resolve().parents[1]


@pytest.mark.parametrize(
    ("value", "expected"),
    [("1", True), ("true", True), (" Yes ", True), ("ON", True), ("0", False), ("off", False),
     ("No", False), ("false", False), ("", None), ("  ", None)],
)  # fmt: skip
def test_env_bool_reads_clear_values_and_defaults_when_empty(monkeypatch, value, expected):
    monkeypatch.setenv("NEWSROOM_FLAG", value)
    assert env_bool("NEWSROOM_FLAG", True) is (True if expected is None else expected)
    assert env_bool("NEWSROOM_FLAG", False) is (False if expected is None else expected)


def test_env_bool_defaults_when_unset(monkeypatch):
    monkeypatch.delenv("NEWSROOM_FLAG", raising=False)
    assert env_bool("NEWSROOM_FLAG", True) is True


@pytest.mark.parametrize("value", ["ture", "2", "enabled", "yes please"])
def test_env_bool_refuses_anything_unclear_naming_the_variable(monkeypatch, value):
    monkeypatch.setenv("HTTPS", value)
    with pytest.raises(ImproperlyConfigured, match=f"HTTPS='{value}'"):
        env_bool("HTTPS", True)


def test_env_int_reads_whole_numbers_and_refuses_the_rest(monkeypatch):
    monkeypatch.setenv("NEWSROOM_MAX_UPLOAD_BYTES", " 2048 ")
    assert env_int("NEWSROOM_MAX_UPLOAD_BYTES", 1) == 2048
    monkeypatch.setenv("NEWSROOM_MAX_UPLOAD_BYTES", "")
    assert env_int("NEWSROOM_MAX_UPLOAD_BYTES", 7) == 7
    for bad in ("5MB", "1.5", "ten"):
        monkeypatch.setenv("NEWSROOM_MAX_UPLOAD_BYTES", bad)
        with pytest.raises(ImproperlyConfigured, match="NEWSROOM_MAX_UPLOAD_BYTES"):
            env_int("NEWSROOM_MAX_UPLOAD_BYTES", 1)


def test_a_typo_in_https_stops_the_server_from_starting():
    env = {**os.environ, "SECRET_KEY": "test-only-not-a-secret", "HTTPS": "ture"}
    env.pop("DEBUG", None)
    result = subprocess.run(
        [sys.executable, "manage.py", "check"],
        cwd=ROOT,
        env=env,
        capture_output=True,
        text=True,
        check=False,
    )
    assert result.returncode != 0
    assert "HTTPS='ture': expected 1/0, true/false, yes/no or on/off." in result.stderr
