"""Factories and fixtures shared by the Django-side tests. All coverage here is fictional."""

import importlib
import os
import random
import socket
from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest
from django.core.cache import cache

SHARED_SAMPLES = Path(__file__).resolve().parents[1].parent / "shared" / "samples"

BASE_TIME = datetime(2026, 11, 20, 8, 0, tzinfo=UTC)
PASSWORD = "harbour-lantern-fig-42"  # every test user's


def article_text(
    headline: str = "Harbour talks in Port Tessaly stall over corridor",
    dek: str = "Mediators in the fictional city of Port Tessaly said on Friday that talks stalled.",
    drones: int = 310,
    extra_bullet: str = "",
    closing: str = "Observers expect a further round of talks next week in Lindqvar.",
) -> str:
    """A fictional Smart-Brevity article with aggregator chrome, easy to vary per test."""
    bullets = [
        "  • The harbour authority counted 14 ships waiting outside the breakwater.",
        "  • Relief agencies said 2,400 families had registered for evacuation.",
    ]
    if extra_bullet:
        bullets.append(f"  • {extra_bullet}")
    return "\n".join(
        [
            "All your news, one feed.",
            "Start reading",
            "Coastline Wire",
            "Coastline Wire",
            "World",
            "",
            headline,
            "",
            dek,
            "",
            "The latest: Negotiators for the Tessaly council and the Ostmark command left "
            "the table after six hours without agreeing on a relief corridor.",
            "",
            f"State of play: Ostmark forces have launched {drones} drones at the port since "
            "the siege began, according to the council.",
            "",
            *bullets,
            "",
            f"What to watch: {closing}",
            "",
            "Editor's note: Fictional coverage written for Newsroom's tests.",
            "",
            "Sign up to read this article",
            "Already a member? Sign in here",
            "Related Stories",
        ]
    )


def at(hours: float) -> datetime:
    return BASE_TIME + timedelta(hours=hours)


def free_port() -> int:
    """A TCP port on 127.0.0.1 nothing listens on, for a server a test starts itself: from
    NEWSROOM_TEST_PORTS ("9100-9199") when set (machines shared by several test runs), else any
    the system gives."""
    first, _, last = os.environ.get("NEWSROOM_TEST_PORTS", "0-0").partition("-")
    ports = list(range(int(first), int(last or first) + 1))
    random.shuffle(ports)  # two test processes probing at once rarely pick the same one
    for port in ports:
        with socket.socket() as probe:
            try:
                probe.bind(("127.0.0.1", port))
            except OSError:
                continue
            return probe.getsockname()[1]
    raise RuntimeError(f"no free port in NEWSROOM_TEST_PORTS={first}-{last}")


GUARDS = importlib.import_module("articles.migrations.0010_revision_texts_as_deltas")


@pytest.fixture(autouse=True, scope="session")
def _sqlite_flush_lifts_the_guards():
    """Transactional tests (the live server's) end with a flush. On PostgreSQL that is a
    TRUNCATE, which row triggers do not see; on SQLite it is a DELETE, which the immutability
    guards refuse: the flush lifts them while it empties the tables, as TRUNCATE does."""
    from django.db.backends.sqlite3.base import DatabaseOperations

    plain_flush = DatabaseOperations.sql_flush

    def sql_flush(self, style, tables, **options):
        statements = plain_flush(self, style, tables, **options)
        return [*GUARDS.SQLITE_UNINSTALL, *statements, *GUARDS.SQLITE_INSTALL] if statements else []

    with pytest.MonkeyPatch.context() as patch:
        patch.setattr(DatabaseOperations, "sql_flush", sql_flush)
        yield


@pytest.fixture(autouse=True)
def _fresh_cache():
    from articles.conditional import local_pages
    from articles.state import clear_memo

    cache.clear()
    clear_memo()
    local_pages.clear()
    yield
    cache.clear()
    clear_memo()
    local_pages.clear()


@pytest.fixture
def make_story(db):
    """make_story(text, text, ...) -> Story with one revision per text, an hour apart."""
    from articles.models import Story

    def make(*texts: str, slug: str = "port-tessaly-talks"):
        story = Story.objects.create(slug=slug, headline=slug)
        for hour, text in enumerate(texts):
            story.publish(text, published_at=at(hour), note=f"update {hour + 1}")
        story.refresh_from_db()
        return story

    return make


@pytest.fixture
def editor(django_user_model):
    """A user in the Editors group."""
    from articles.management.commands.createeditor import editors_group

    user = django_user_model.objects.create_user("editor-ines", password=PASSWORD)
    user.groups.add(editors_group())
    return user


@pytest.fixture
def editor_client(client, editor):
    client.force_login(editor)
    return client
