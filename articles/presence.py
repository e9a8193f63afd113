"""Who has a story's edit page open: a soft hint for the desk, kept in the cache, never a lock.

An editor counts as having the page open from the moment they open it ("since 14:02") for as
long as they or their page (its htmx refresh every REFRESH_SECONDS) came back within
WINDOW_SECONDS. One cache entry per story maps usernames to (since, last seen) timestamps. Two
editors opening the page in the same instant may lose one of the two writes: the next refresh
puts it back, and a hint is all this is. With the cache down, nobody is shown.
"""

from __future__ import annotations

import time
from dataclasses import dataclass
from datetime import UTC, datetime

from django.core.cache import cache

# Long enough to cover an editor reading a preview with JavaScript off (nothing refreshes);
# short enough that a colleague who has gone is no longer shown a few minutes later.
WINDOW_SECONDS = 300
# How often an open page says it is still open (and refreshes the hint): well inside WINDOW.
REFRESH_SECONDS = 60


@dataclass(frozen=True, slots=True)
class Colleague:
    username: str
    since: datetime


def _key(story_pk: int) -> str:
    return f"presence:story:{story_pk}"


def note_open(story_pk: int, username: str) -> list[Colleague]:
    """Record that `username` has the story open now; the others who have it open, earliest
    first."""
    now = time.time()
    seen: dict[str, tuple[float, float]] = {
        name: (since, last)
        for name, (since, last) in (cache.get(_key(story_pk)) or {}).items()
        if now - last <= WINDOW_SECONDS
    }
    since = seen[username][0] if username in seen else now
    seen[username] = (since, now)
    cache.set(_key(story_pk), seen, WINDOW_SECONDS)
    others = sorted((since, name) for name, (since, _last) in seen.items() if name != username)
    return [Colleague(name, datetime.fromtimestamp(since, UTC)) for since, name in others]
