"""What every reader page is a function of, read without touching the database.

A story's reader pages (story, timeline, revision, comparison, feed) and its poll depend on a
handful of values: which revision is live, how many there are, which were retracted, and when
any of that last changed. `story_state(slug)` returns them as one small record, from two levels
of cache in front of the database:

- this process's memory, for MEMO_SECONDS: every open tab polls, and a Redis round trip was
  most of what a poll cost over a hello-world view (measured: bench/loadtest.py);
- the shared cache (Redis in production) for POLL_CACHE_SECONDS, deleted whenever a story is
  saved (publish, retract, reparse), so that app servers sharing Redis see a change at once and
  the database answers one query per story per change, not one per reader.

A process's memory is not told of a change made by another process: it lags by at most
MEMO_SECONDS. Without Redis each process's cache is its own and lags by POLL_CACHE_SECONDS.
"""

from __future__ import annotations

import time
from dataclasses import dataclass
from datetime import datetime
from typing import Any

from django.core.cache import cache
from django.db import transaction
from django.db.models import Count, Max, OuterRef, Subquery

from articles.models import Revision, Story

# How stale a poll's answer may be: the shared cache's lifetime, and the HTTP lifetime of polls.
POLL_CACHE_SECONDS = 5
MEMO_SECONDS = 1.0
# The memo holds only stories that exist; past this many it starts again (a bound, not a policy).
MEMO_MAX_ENTRIES = 1000
SITE = "site"
# What a poll's notice says of the live revision.
LATEST = ("number", "summary", "published_at", "kind")


@dataclass(frozen=True)
class StoryState:
    pk: int
    slug: str
    headline: str
    live_number: int  # 0: nothing to show readers
    revision_count: int
    retracted: frozenset[int]
    changed_at: datetime
    amended_at: datetime
    # The live revision's number, summary, published_at and kind: what a poll announces.
    latest: dict[str, Any] | None

    def is_live(self, number: int) -> bool:
        """Is revision `number` published and not retracted?"""
        return 1 <= number <= self.revision_count and number not in self.retracted


@dataclass(frozen=True)
class SiteState:
    changed_at: datetime | None
    story_count: int
    newest_revision_id: int


_memo: dict[str, tuple[float, Any]] = {}


def story_state(slug: str) -> StoryState | None:
    """The story's state, or None when there is no such story."""
    return _remembered(f"story:{slug}", lambda: _read_story(slug))


def site_state() -> SiteState:
    return _remembered(SITE, _read_site)


def forget(slug: str) -> None:
    """Drop a story's state (and the site's) from both levels: call when a story changes."""
    keys = [f"story:{slug}", SITE]
    for key in keys:
        _memo.pop(key, None)
    cache.delete_many([f"state:{key}" for key in keys])


def forget_story_on_save(sender: type[Story], instance: Story, **kwargs: Any) -> None:
    """post_save of Story. Forgotten at once, for this transaction's own later reads, and again
    after commit: a reader may have cached the old state from the database in between."""
    forget(instance.slug)
    transaction.on_commit(lambda: forget(instance.slug))


def clear_memo() -> None:
    """Forget this process's memory only (the tests start each test from nothing)."""
    _memo.clear()


def _remembered(key: str, read: Any) -> Any:
    now = time.monotonic()
    remembered = _memo.get(key)
    if remembered is not None and remembered[0] > now:
        return remembered[1]
    value = cache.get(f"state:{key}")
    if value is None:
        value = read()
        if value is None:
            return None  # no such story: nothing kept, so a new story shows at once
        cache.set(f"state:{key}", value, POLL_CACHE_SECONDS)
    if len(_memo) >= MEMO_MAX_ENTRIES:
        _memo.clear()
    _memo[key] = (now + MEMO_SECONDS, value)
    return value


def _read_story(slug: str) -> StoryState | None:
    live = Revision.objects.filter(story=OuterRef("pk"), number=OuterRef("live_number"))
    latest = {f"latest_{name}": Subquery(live.values(name)[:1]) for name in LATEST}
    story = (
        Story.objects.filter(slug=slug)
        .annotate(**latest)
        .values(
            *("pk", "headline", "live_number", "revision_count", "changed_at", "amended_at"),
            *latest,
        )
        .first()
    )
    if story is None:
        return None
    retracted = Revision.objects.filter(story_id=story["pk"], retracted_at__isnull=False)
    announced = {name: story.pop(f"latest_{name}") for name in LATEST}
    return StoryState(
        slug=slug,
        retracted=frozenset(retracted.values_list("number", flat=True)),
        latest=announced if story["live_number"] else None,
        **story,
    )


def _read_site() -> SiteState:
    stories = Story.objects.aggregate(changed_at=Max("changed_at"), story_count=Count("pk"))
    newest = Revision.objects.aggregate(newest=Max("pk"))["newest"] or 0
    return SiteState(newest_revision_id=newest, **stories)
