"""The public JSON API, read-only, under /api/v1/. Plain views, each registered in the OpenAPI
document with the TypedDict it answers (articles/api/openapi.py), each conditional and cached
like the reader pages (`reader_page`: ETag, Last-Modified, 304, Cache-Control): what a response
shows is a function of the story's state, so the same state machinery decides it.

Retracted revisions' text is never served: their rows say retracted, when and why.
"""

from __future__ import annotations

import base64
import binascii
from datetime import UTC, datetime
from typing import Any
from urllib.parse import urlencode

from django.db.models import Q
from django.http import HttpRequest, HttpResponse, JsonResponse
from django.template.response import TemplateResponse
from django.urls import reverse
from django.utils import timezone
from django.utils.dateparse import parse_datetime

from articles.api import diffs
from articles.api.middleware import ApiError
from articles.api.openapi import SLUG, Param, document, endpoint, number
from articles.api.shapes import (
    CompareOut,
    DocumentOut,
    EarlierHit,
    RevisionOut,
    RevisionPage,
    RevisionRef,
    RevisionRow,
    SearchOut,
    Snippet,
    StoryOut,
    StoryPage,
)
from articles.comparisons import compare
from articles.conditional import FIXED, LIVE, CachePolicy, Version, reader_page
from articles.models import Revision, Story
from articles.search import Hit, search
from articles.state import site_state
from articles.views import EPOCH, MAX_QUERY_CHARACTERS, search_version, story_state_or_404

STORIES_PER_PAGE = 20
REVISIONS_PER_PAGE = 50
# The document changes only with a deploy (its ETag comes from the code: RELEASE).
DOCUMENT = CachePolicy(max_age=60 * 60, stale_while_revalidate=60)
STARTED = timezone.now().replace(microsecond=0)


def _json(data: Any) -> JsonResponse:
    return JsonResponse(data, json_dumps_params={"ensure_ascii": False})


def story_out(story: Story) -> StoryOut:
    slug = story.slug
    return {
        "slug": slug,
        "headline": story.reader_headline,
        "created_at": story.created_at,
        "updated_at": story.updated_at,
        "live_revision": story.live_number or None,
        "revision_count": story.revision_count,
        "url": reverse("api-story", args=[slug]),
        "html_url": reverse("story", args=[slug]) if story.live_number else "",
        "revisions_url": reverse("api-revisions", args=[slug]),
    }


# --- stories ---------------------------------------------------------------------------------

CURSOR = Param("cursor", "query", {"type": "string"}, "From a page's `next` URL.")
UPDATED_SINCE = Param(
    "updated_since",
    "query",
    {"type": "string", "format": "date-time"},
    "Only stories updated at or after this time (ISO 8601 with a UTC offset).",
)


def _story_page_args(request: HttpRequest) -> tuple[tuple[datetime, int] | None, datetime | None]:
    cursor = request.GET.get("cursor")
    since = request.GET.get("updated_since")
    return (_cursor(cursor) if cursor else None), (_since(since) if since else None)


def _cursor(value: str) -> tuple[datetime, int]:
    try:
        at, _, pk = base64.urlsafe_b64decode(value.encode("ascii")).decode().partition("|")
        when = datetime.fromisoformat(at)
        if when.tzinfo is None:
            raise ValueError
        return when, int(pk)
    except (ValueError, UnicodeError, binascii.Error):
        raise ApiError(400, "cursor: not one this API made") from None


def _make_cursor(story: Story) -> str:
    value = f"{story.updated_at.astimezone(UTC).isoformat()}|{story.pk}"
    return base64.urlsafe_b64encode(value.encode()).decode()


def _since(value: str) -> datetime:
    try:
        when = parse_datetime(value.replace(" ", "+"))  # a "+" in a query string reads as a space
    except ValueError:
        when = None
    if when is None or when.tzinfo is None:
        raise ApiError(400, "updated_since: expected ISO 8601 with a UTC offset")
    try:
        # In UTC: PostgreSQL refuses offsets past ±15:59 that ISO 8601 allows.
        return when.astimezone(UTC)
    except OverflowError:
        raise ApiError(400, "updated_since: out of range") from None


def _stories_version(request: HttpRequest) -> Version:
    cursor, since = _story_page_args(request)
    site = site_state()
    parts = (site.changed_at, site.story_count, site.newest_revision_id, cursor, since)
    return Version(parts, site.changed_at or EPOCH)


@endpoint("/api/v1/stories/", StoryPage, params=(CURSOR, UPDATED_SINCE), cache_control=LIVE.header)
@reader_page(_stories_version, LIVE)
def story_list(request: HttpRequest) -> HttpResponse:
    """Stories with a published revision, newest update first.
    Cursor-paginated, 20 a page: follow `next`. `updated_since` keeps those updated since then."""
    cursor, since = _story_page_args(request)
    stories = Story.objects.live().recently_updated()
    if since is not None:
        stories = stories.filter(updated_at__gte=since)
    if cursor is not None:
        at, pk = cursor
        stories = stories.filter(Q(updated_at__lt=at) | Q(updated_at=at, pk__lt=pk))
    found = list(stories[: STORIES_PER_PAGE + 1])
    page: StoryPage = {"results": [story_out(s) for s in found[:STORIES_PER_PAGE]], "next": None}
    if len(found) > STORIES_PER_PAGE:
        query = {"cursor": _make_cursor(found[STORIES_PER_PAGE - 1])}
        if since is not None:
            query["updated_since"] = since.isoformat()
        page["next"] = f"{reverse('api-stories')}?{urlencode(query)}"
    return _json(page)


def _story_version(request: HttpRequest, slug: str) -> Version:
    state = story_state_or_404(slug)
    return Version((state.pk, state.changed_at), state.changed_at)


@endpoint("/api/v1/stories/{slug}/", StoryOut, params=(SLUG,), cache_control=LIVE.header)
@reader_page(_story_version, LIVE)
def story_detail(request: HttpRequest, slug: str) -> HttpResponse:
    """One story.
    Its headline is the live revision's; `live_revision` is null once every one was retracted."""
    return _json(story_out(Story.objects.get(slug=slug)))


# --- revisions -------------------------------------------------------------------------------

BEFORE = Param(
    "before",
    "query",
    {"type": "integer", "minimum": 1},
    "List the revisions numbered below this (from a page's `next` URL).",
)


def _before(request: HttpRequest, revision_count: int) -> int:
    value = request.GET.get("before")
    if value is None:
        return revision_count + 1
    try:
        before = int(value)
    except ValueError:
        before = 0
    if before < 1:
        raise ApiError(400, "before: expected a whole number from 1")
    return min(before, revision_count + 1)


def _revisions_version(request: HttpRequest, slug: str) -> Version:
    state = story_state_or_404(slug)
    parts = (state.pk, state.changed_at, _before(request, state.revision_count))
    return Version(parts, state.changed_at)


def revision_row(slug: str, revision: Revision) -> RevisionRow:
    retracted = revision.is_retracted
    return {
        "number": revision.number,
        "published_at": revision.published_at,
        "kind": revision.kind,  # type: ignore[typeddict-item]  # one of Revision.Kind
        "change_note": revision.change_note,
        "summary": None if retracted else revision.summary,
        "figures": None if retracted else list(revision.figures),
        "words_added": None if retracted else revision.words_added,
        "words_removed": None if retracted else revision.words_removed,
        "significance": None if retracted else (revision.significance or None),  # type: ignore[typeddict-item]
        "retracted": retracted,
        "retracted_at": revision.retracted_at,
        "retraction_reason": revision.retraction_reason if retracted else None,
        "url": reverse("api-revision", args=[slug, revision.number]),
    }


@endpoint(
    "/api/v1/stories/{slug}/revisions/",
    RevisionPage,
    params=(SLUG, BEFORE),
    cache_control=LIVE.header,
)
@reader_page(_revisions_version, LIVE)
def revision_list(request: HttpRequest, slug: str) -> HttpResponse:
    """A story's revisions, newest first, 50 a page: follow `next`.
    Each with its number, date, kind, change note, summary, figures changed and words added
    and removed; a retracted one says when and why, and nothing of its text."""
    story = Story.objects.get(slug=slug)
    before = _before(request, story.revision_count)
    lowest = max(before - REVISIONS_PER_PAGE, 1)
    revisions = (
        story.revisions.filter(number__lt=before, number__gte=lowest)
        .defer("text_delta")
        .order_by("-number")
    )
    page: RevisionPage = {
        "results": [revision_row(slug, revision) for revision in revisions],
        "next": f"{reverse('api-revisions', args=[slug])}?before={lowest}" if lowest > 1 else None,
    }
    return _json(page)


RAW = Param("raw", "query", {"enum": ["1"]}, "1: the verbatim upload, as text/plain.")


def _raw(request: HttpRequest) -> bool:
    raw = request.GET.get("raw")
    if raw not in (None, "1"):
        raise ApiError(400, "raw: only raw=1")
    return raw == "1"


def _revision_version(request: HttpRequest, slug: str, number: int) -> Version:
    raw = _raw(request)
    state = story_state_or_404(slug)
    if not 1 <= number <= state.revision_count:
        raise ApiError(404, "No such revision.")
    parts = (state.pk, state.amended_at, number, raw)
    return Version(parts, state.amended_at)


@endpoint(
    "/api/v1/stories/{slug}/revisions/{number}/",
    RevisionOut,
    params=(SLUG, number("number", "The revision's number."), RAW),
    cache_control=FIXED.header,
    other={
        "200": ("text/plain", "With raw=1: the verbatim upload."),
        "410": ("application/json", "With raw=1, a retracted revision: its text is not served."),
    },
)
@reader_page(_revision_version, FIXED)
def revision_detail(request: HttpRequest, slug: str, number: int) -> HttpResponse:
    """One revision, parsed: headline, dek and blocks (kind, section label, text).
    `?raw=1` gives the verbatim upload instead. A retracted revision's document is null."""
    revision = Revision.objects.select_related("story").get(story__slug=slug, number=number)
    if _raw(request):
        if revision.is_retracted:
            raise ApiError(410, f"Revision {number} was retracted: its text is not served.")
        return HttpResponse(revision.raw_text, content_type="text/plain; charset=utf-8")
    document: DocumentOut | None = None
    if not revision.is_retracted:
        document = revision.document().to_dict()
    found: RevisionOut = {
        "story": slug,
        "number": number,
        "published_at": revision.published_at,
        "kind": revision.kind,
        "change_note": revision.change_note,
        "parser_version": revision.parser_version,
        "retracted": revision.is_retracted,
        "retracted_at": revision.retracted_at,
        "retraction_reason": revision.retraction_reason if revision.is_retracted else None,
        "document": document,
        "raw_url": None
        if revision.is_retracted
        else reverse("api-revision", args=[slug, number]) + "?raw=1",
    }
    return _json(found)


# --- comparisons -----------------------------------------------------------------------------


def _compare_version(request: HttpRequest, slug: str, a: int, b: int) -> Version:
    state = story_state_or_404(slug)
    if not (state.is_live(a) and state.is_live(b)):
        raise ApiError(404, "No such revision, or it was retracted.")
    return Version((state.pk, state.amended_at, a, b), state.amended_at)


def _ref(slug: str, revision: Revision) -> RevisionRef:
    return {
        "number": revision.number,
        "published_at": revision.published_at,
        "url": reverse("api-revision", args=[slug, revision.number]),
    }


@endpoint(
    "/api/v1/stories/{slug}/compare/{a}/{b}/",
    CompareOut,
    params=(SLUG, number("a", "From this revision…"), number("b", "…to this one (either order).")),
    cache_control=FIXED.header,
)
@reader_page(_compare_version, FIXED)
def compare_revisions(request: HttpRequest, slug: str, a: int, b: int) -> HttpResponse:
    """What changed from revision a to revision b: the structured diff.
    Headline and dek changes, then block ops in the new page's reading order, each with its
    kind, section, old and new positions, word-level edits as character ranges into the old and
    new text, and moves (from/to); the figures that changed and the summary."""
    found = {
        revision.number: revision
        for revision in Revision.objects.live()
        .filter(story__slug=slug, number__in=[a, b])
        .defer("text_delta", "figures")
        .order_by()
    }
    if a not in found or b not in found:
        raise ApiError(404, "No such revision, or it was retracted.")
    old, new = found[a], found[b]
    diff = compare(old, new).diff
    answer: CompareOut = {
        "story": slug,
        "from": _ref(slug, old),
        "to": _ref(slug, new),
        "headline": diffs.text_diff(diff.headline),
        "dek": diffs.text_diff(diff.dek),
        "publisher": diffs.text_diff(diff.publisher),
        "category": diffs.text_diff(diff.category),
        "blocks": diffs.block_ops(diff),
        "figures": diffs.figures(diff),
        "summary": diffs.summary(diff.summary),
        "coarse": diff.coarse,
        "notes": list(diff.notes),
        "html_url": reverse("compare", args=[slug, *sorted((a, b))]),
    }
    return _json(answer)


# --- search ---------------------------------------------------------------------------------

QUERY = Param(
    "q",
    "query",
    {"type": "string", "minLength": 1, "maxLength": MAX_QUERY_CHARACTERS},
    'Words (all must match), "a phrase", `or` between two terms, -word to leave one out.',
    True,
)


def _search_query(request: HttpRequest) -> str:
    query = " ".join(request.GET.get("q", "").split())
    if not query or len(query) > MAX_QUERY_CHARACTERS:
        raise ApiError(400, f"q: from 1 to {MAX_QUERY_CHARACTERS} characters")
    return query


def _search_version(request: HttpRequest) -> Version:
    _search_query(request)
    return search_version(request)


def _snippet(hit: Hit) -> Snippet:
    return {"text": hit.snippet.text, "highlights": [list(span) for span in hit.snippet.highlights]}


@endpoint("/api/v1/search/", SearchOut, params=(QUERY,), cache_control=LIVE.header)
@reader_page(_search_version, LIVE)
def search_stories(request: HttpRequest) -> HttpResponse:
    """Stories whose live text matches, best first, then text found only in earlier versions.
    Each with a snippet and where the query's words are in it. `earlier` lists stories whose
    live text does not match but a passage that a later revision removed does: the last
    revision that had it, the one that removed it, and their comparison."""
    results = search(_search_query(request))
    earlier: list[EarlierHit] = []
    for hit in results.earlier:
        assert hit.last_seen is not None and hit.removed_in is not None
        slug, pair = hit.story.slug, (hit.last_seen, hit.removed_in)
        earlier.append(
            {
                "story": story_out(hit.story),
                "snippet": _snippet(hit),
                "last_seen": hit.last_seen,
                "removed_in": hit.removed_in,
                "compare_url": reverse("api-compare", args=[slug, *pair]),
                "html_compare_url": reverse("compare", args=[slug, *pair]),
            }
        )
    found: SearchOut = {
        "query": results.query,
        "results": [{"story": story_out(h.story), "snippet": _snippet(h)} for h in results.live],
        "earlier": earlier,
    }
    return _json(found)


# --- the document ----------------------------------------------------------------------------


def _document_version(request: HttpRequest) -> Version:
    return Version(("openapi",), STARTED)


@reader_page(_document_version, DOCUMENT)
def openapi_document(request: HttpRequest) -> HttpResponse:
    return _json(document())


@reader_page(_document_version, DOCUMENT)
def docs(request: HttpRequest) -> HttpResponse:
    """The browsable documentation: the OpenAPI document as a page, with a curl line each."""
    return TemplateResponse(request, "articles/api_docs.html", {"api": document()})
