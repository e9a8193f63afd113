"""Reader pages are conditional, cached whole, and the same bytes for everyone.

A reader page is a function of a few values: the story's state (articles/state.py), the page's
own arguments, the variant asked for (the whole page or an htmx partial) and the code that
renders it (RELEASE). `reader_page` hashes them into a strong ETag before the view runs:

- a request that already holds that ETag (If-None-Match), or whose If-Modified-Since is not
  older than the page, gets 304 Not Modified: nothing is read but the state, nothing rendered;
- otherwise the page comes from the cache, where it is kept under its ETag once per content
  coding (identity, gzip, brotli), compressed once when stored. The key changes whenever what
  the page shows changes, so an entry never goes stale, it only ages out; app servers sharing
  Redis render each version of a page once between them;
- every answer carries the page's Cache-Control, ETag, Last-Modified and Vary.

Reader pages never read the session (base.html shows nobody's name or token; editors get their
links and messages on editor pages), so they send no `Vary: Cookie`, set no cookie, and any
browser, proxy or CDN may keep them. That is also why they may be compressed (see
newsroom/compression.py on BREACH).
"""

from __future__ import annotations

import hashlib
import threading
from collections import OrderedDict
from collections.abc import Callable
from dataclasses import dataclass
from datetime import datetime
from functools import cached_property, lru_cache, wraps
from pathlib import Path
from typing import Any

from django.conf import settings
from django.core.cache import cache
from django.http import HttpRequest, HttpResponse
from django.utils.cache import get_conditional_response
from django.utils.http import http_date, quote_etag
from django.views.decorators.http import require_safe

from articles.state import POLL_CACHE_SECONDS
from newsroom.compression import IDENTITY, compress, negotiate

# Entries are named by their ETag and never go stale: the lifetime only lets old versions age
# out when Redis runs without maxmemory (README: "Running in production").
PAGE_CACHE_SECONDS = 24 * 60 * 60
# Each process keeps the pages it served last in memory too, up to this many bytes.
LOCAL_PAGE_BYTES = 16 * 1024 * 1024
# Reader pages vary on these request headers besides Accept-Encoding: htmx asks for partials.
VARY = "Accept-Encoding, HX-Request, HX-Target"


@dataclass(frozen=True)
class CachePolicy:
    """How long browsers (max_age) and shared caches (shared_max_age) may keep a page, and how
    long past that a cache may still serve it while it fetches the new one."""

    max_age: int
    stale_while_revalidate: int
    shared_max_age: int | None = None

    @cached_property
    def header(self) -> str:
        parts = ["public", f"max-age={self.max_age}"]
        if self.shared_max_age is not None:
            parts.append(f"s-maxage={self.shared_max_age}")
        parts.append(f"stale-while-revalidate={self.stale_while_revalidate}")
        return ", ".join(parts)


@dataclass(frozen=True)
class Version:
    """What a page shows, as plain values (ints, strings, datetimes, tuples of them), and when
    that last changed."""

    parts: tuple[Any, ...]
    last_modified: datetime


def _release() -> str:
    """A digest of the code, templates and static files that render the pages: a deploy that
    changes any of them changes every ETag (a page kept under the old markup is not revalidated
    as current), and every app server of one deploy computes the same."""
    digest = hashlib.blake2b(digest_size=8)
    root = Path(settings.BASE_DIR)
    for folder in ("articles", "newsroom", "templates", "static"):
        for path in sorted((root / folder).rglob("*")):
            if path.suffix in {".py", ".html", ".css", ".js"} and "__pycache__" not in path.parts:
                digest.update(str(path.relative_to(root)).encode())
                digest.update(path.read_bytes())
    return digest.hexdigest()


RELEASE = _release()

# Pages that change with their story (story, timeline, revision, front page, feeds): fresh in any
# cache for as long as a poll's answer, then served stale while a fresh copy is fetched for at
# most the rest of one poll interval. No reader is shown a copy older than the poll would be.
LIVE = CachePolicy(
    max_age=POLL_CACHE_SECONDS,
    stale_while_revalidate=max(settings.NEWSROOM_POLL_SECONDS - POLL_CACHE_SECONDS, 0),
)
# A comparison of two revisions changes only if one of them is retracted or re-derived. A
# browser keeps it a day (its reader has seen it); a shared cache asks again after 5 minutes,
# which bounds how long a retraction takes to reach the readers of a CDN nobody purged.
FIXED = CachePolicy(max_age=24 * 60 * 60, shared_max_age=5 * 60, stale_while_revalidate=60)


def reader_page(
    version_of: Callable[..., Version | None], policy: CachePolicy
) -> Callable[[Callable[..., HttpResponse]], Callable[..., HttpResponse]]:
    """Make a GET view conditional and cached whole. `version_of(request, *args, **kwargs)`
    returns the page's Version, raises Http404, or returns None for a request the view answers
    itself, uncached (a redirect to the canonical URL)."""

    def decorator(view: Callable[..., HttpResponse]) -> Callable[..., HttpResponse]:
        name = f"{view.__module__}.{getattr(view, '__qualname__', type(view).__qualname__)}"

        @require_safe
        @wraps(view)
        def page(request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
            version = version_of(request, *args, **kwargs)
            if version is None:
                return view(request, *args, **kwargs)
            # From META: building request.headers was an eighth of a 304 (profiled).
            meta = request.META
            variant = (meta.get("HTTP_HX_REQUEST", ""), meta.get("HTTP_HX_TARGET", ""))
            key = repr((RELEASE, name, version.parts, variant))
            tag = hashlib.blake2b(key.encode(), digest_size=16).hexdigest()
            coding = negotiate(meta.get("HTTP_ACCEPT_ENCODING", ""))
            # One strong ETag per content coding: the gzip and brotli bodies are other bytes.
            etag = quote_etag(tag if coding == IDENTITY else f"{tag}-{coding}")
            last_modified = int(version.last_modified.timestamp())
            response = get_conditional_response(request, etag=etag, last_modified=last_modified)
            if response is None:
                response = _cached(request, view, args, kwargs, tag, coding)
                if response.status_code != 200:
                    return response
            response["ETag"] = etag
            response["Last-Modified"] = _http_date(last_modified)
            response["Cache-Control"] = policy.header
            response["Vary"] = VARY  # a response made here, with no Vary of its own yet
            return response

        return page

    return decorator


class LocalPages:
    """The pages this process served last, up to a budget of bytes, least recently used first
    out. A page's key names its content, so a copy here never goes stale. In an update's burst
    every reader asks for the same few pages, and the Redis round trip was about half of what a
    cached page cost over hello-world (bench/loadtest.py)."""

    def __init__(self, budget: int) -> None:
        self.budget = budget
        self.size = 0
        self._pages: OrderedDict[str, tuple[str, bytes]] = OrderedDict()
        self._lock = threading.Lock()

    def get(self, key: str) -> tuple[str, bytes] | None:
        with self._lock:
            page = self._pages.get(key)
            if page is not None:
                self._pages.move_to_end(key)
            return page

    def put(self, key: str, page: tuple[str, bytes]) -> None:
        if len(page[1]) > self.budget // 16:
            return  # a 1 MB page of a 600 KB story is not worth the room of sixteen small ones
        with self._lock:
            if key in self._pages:
                return
            self._pages[key] = page
            self.size += len(page[1])
            while self.size > self.budget:
                _, (_, body) = self._pages.popitem(last=False)
                self.size -= len(body)

    def clear(self) -> None:
        with self._lock:
            self._pages.clear()
            self.size = 0


local_pages = LocalPages(LOCAL_PAGE_BYTES)


@lru_cache(maxsize=1024)
def _http_date(timestamp: int) -> str:
    return http_date(timestamp)


def _cached(
    request: HttpRequest,
    view: Callable[..., HttpResponse],
    args: tuple[Any, ...],
    kwargs: dict[str, Any],
    tag: str,
    coding: str,
) -> HttpResponse:
    """The page's body in `coding`: from this process's memory, the cache, or made from the
    plain body (itself from memory, the cache, or rendered). Each coding is made when first
    asked for: compressing a 900 KB compare page in both codings up front cost 70 ms of a
    110 ms cold render (gzip 42, brotli 28), for a coding its reader may never ask for."""
    key = f"page:{tag}:{coding}"
    stored = local_pages.get(key) or cache.get(key)
    if stored is None:
        plain_key = f"page:{tag}:{IDENTITY}"
        plain = local_pages.get(plain_key) or cache.get(plain_key)
        fresh: dict[str, tuple[str, bytes]] = {}
        if plain is None:
            rendered = view(request, *args, **kwargs)
            if hasattr(rendered, "render"):
                rendered.render()
            if rendered.status_code != 200 or rendered.streaming:
                return rendered
            plain = fresh[plain_key] = (rendered["Content-Type"], rendered.content)
        stored = fresh[key] = (plain[0], compress(plain[1], coding))
        cache.set_many(fresh, PAGE_CACHE_SECONDS)
    local_pages.put(key, stored)
    content_type, body = stored
    response = HttpResponse(body, content_type=content_type)
    if coding != IDENTITY:
        response["Content-Encoding"] = coding
    return response
