"""Factories and fixtures shared by the Django-side tests. All coverage here is fictional."""

from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest
from django.core.cache import cache

SHARED_SAMPLES = Path(__file__).resolve().parents[1].parent / "shared" / "samples"

BASE_TIME = datetime(2026, 11, 20, 8, 0, tzinfo=UTC)


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
