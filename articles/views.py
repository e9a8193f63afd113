"""Reader pages. Each view fetches, calls the core or a model method, and renders one template;
an htmx request gets a named partial of that same template."""

from functools import partial
from urllib.parse import urlencode

from django.conf import settings
from django.core.cache import cache
from django.db.models import Max
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect
from django.template.loader import render_to_string
from django.template.response import TemplateResponse
from django.urls import reverse
from django.views.decorators.cache import cache_control
from django.views.decorators.vary import vary_on_headers
from django_htmx.http import push_url

from articles.charts import update_chart
from articles.comparisons import View, compare
from articles.core.document import sections
from articles.http import HtmxHttpRequest
from articles.models import Revision, Story
from articles.responses import SplicedTemplateResponse

# Polls are answered from the cache and by shared HTTP caches for this long.
POLL_CACHE_SECONDS = 5


@vary_on_headers("HX-Request")
def story_list(request: HtmxHttpRequest) -> HttpResponse:
    template = "articles/story_list.html" + ("#stories" if request.htmx else "")
    return TemplateResponse(request, template, _listing_context())


@cache_control(public=True, max_age=POLL_CACHE_SECONDS)
def site_updates(request: HttpRequest) -> HttpResponse:
    """Front-page poll: 204 unless a revision newer than ?since=<revision id> exists."""
    if _newest_revision_id() <= _int(request.GET.get("since")):
        return HttpResponse(status=204)
    return HttpResponse(render_to_string("articles/story_list.html#stories", _listing_context()))


@vary_on_headers("HX-Request")
def story_detail(request: HtmxHttpRequest, slug: str) -> HttpResponse:
    story = get_object_or_404(Story, slug=slug)
    revision = story.live_revision()
    if revision is None:
        raise Http404("This story has no published revision.")
    context = _reading_context(story, revision)
    previous = revision.previous_live()
    highlight = previous is not None and request.GET.get("highlight") == "1"
    if highlight:
        assert previous is not None  # for the type checker: highlight says so
        context["highlight_html"] = compare(previous, revision).html()
    context.update(previous=previous, highlight=highlight)
    # What the update poller starts from: the revision on screen.
    context.update(slug=slug, since=revision.number, reading=revision.number)
    template = "articles/story_detail.html"
    if request.htmx and request.htmx.target == "article":
        template += "#article"
    return SplicedTemplateResponse(request, template, context, spliced=("highlight_html",))


@cache_control(public=True, max_age=POLL_CACHE_SECONDS)
def story_updates(request: HttpRequest, slug: str) -> HttpResponse:
    """Story poll: 204 when the live revision is still ?since=<n> (the last one announced),
    else a new poller with the notice for the revision on screen (?reading=<n>).

    The notice says what a newer revision changed, or that the revision on screen was retracted
    (the live one is then older); if the reader is back on the live revision (one announced,
    then retracted), the notice goes. Every open tab calls this, so it reads one cached row: no
    diff, no session, no cookie.
    """
    latest = _latest_update(slug)
    since = _int(request.GET.get("since"))
    if latest["number"] == since:
        return HttpResponse(status=204)
    reading = _int(request.GET.get("reading")) or since
    context = {
        "slug": slug,
        "latest": latest,
        "since": latest["number"],
        "reading": reading,
        "withdrawn": latest["number"] < reading,
        "updated": latest["number"] > reading,
    }
    context["poll_seconds"] = settings.NEWSROOM_POLL_SECONDS
    return HttpResponse(render_to_string("articles/story_detail.html#poller", context))


def revision_list(request: HttpRequest, slug: str) -> HttpResponse:
    story = get_object_or_404(Story, slug=slug)
    revisions = list(story.revisions.order_by("-number").defer("raw_text", "parsed"))
    live = [revision for revision in revisions if not revision.is_retracted]
    context = {
        "story": story,
        "revisions": revisions,
        "chart": update_chart(list(reversed(live))),
        "default_old": live[1].number if len(live) > 1 else None,
        "default_new": live[0].number if live else None,
    }
    return TemplateResponse(request, "articles/revision_list.html", context)


def revision_detail(request: HttpRequest, slug: str, number: int) -> HttpResponse:
    story = get_object_or_404(Story, slug=slug)
    revision = get_object_or_404(Revision.objects.defer("raw_text"), story=story, number=number)
    context = _reading_context(story, revision)
    if revision.is_retracted and not request.user.has_perm("articles.add_revision"):
        # The text stays in the database; readers get the retraction notice instead.
        context.update(document=None, sections=[], hide_text=True)
    return TemplateResponse(request, "articles/revision_detail.html", context)


@vary_on_headers("HX-Request")
def compare_revisions(request: HtmxHttpRequest, slug: str, old: int, new: int) -> HttpResponse:
    if old > new:
        # One canonical URL per pair: older first.
        return redirect(_compare_url(slug, new, old, request.GET.get("view")))
    wanted = (
        Revision.objects.live()
        .filter(story__slug=slug, number__in=[old, new])
        .select_related("story")
        .defer("raw_text", "figures")
        .order_by()  # two rows: the default ordering would only cost SQL to compile
    )
    found = {revision.number: revision for revision in wanted}
    if old not in found or new not in found:
        raise Http404("No such story or revision, or the revision was retracted.")
    story = found[new].story
    comparison = compare(found[old], found[new])
    view: View = "side" if request.GET.get("view") == "side" else "inline"
    context = {
        "story": story,
        "comparison": comparison,
        "diff": comparison.diff,
        "view": view,
        "diff_html": comparison.html(view),
        # Side by side needs two columns; narrow screens get the inline diff instead.
        "fallback_html": comparison.html("inline", "narrow-") if view == "side" else "",
        "live_number": story.live_number,
    }
    template = "articles/compare.html" + ("#diff" if request.htmx else "")
    return SplicedTemplateResponse(
        request, template, context, spliced=("diff_html", "fallback_html")
    )


def compare_pick(request: HtmxHttpRequest, slug: str) -> HttpResponse:
    """The timeline's "compare" form: any two revisions, in either order."""
    old, new = _int(request.GET.get("old")), _int(request.GET.get("new"))
    if not old or not new:
        return redirect("revisions", slug)
    old, new = sorted((old, new))
    url = _compare_url(slug, old, new, request.GET.get("view"))
    if not request.htmx:
        return redirect(url)
    response = compare_revisions(request, slug, old, new)
    push_url(response, url)
    return response


def _compare_url(slug: str, old: int, new: int, view: str | None) -> str:
    url = reverse("compare", args=[slug, old, new])
    return f"{url}?{urlencode({'view': view})}" if view == "side" else url


def _listing_context() -> dict:
    return {
        "stories": Story.objects.live().recently_updated().with_live_summary(),
        "newest_revision_id": _newest_revision_id(),
        "poll_seconds": settings.NEWSROOM_POLL_SECONDS,
    }


def _newest_revision_id() -> int:
    return cache.get_or_set(  # type: ignore[return-value]  # the default makes it an int
        "updates:site",
        lambda: Revision.objects.aggregate(newest=Max("pk"))["newest"] or 0,
        POLL_CACHE_SECONDS,
    )


def _latest_update(slug: str) -> dict:
    key = f"updates:story:{slug}"
    latest = cache.get(key)
    if latest is None:
        latest = (
            Revision.objects.live()
            .filter(story__slug=slug)
            .order_by("-number")
            .values("number", "summary", "published_at", "kind")
            .first()
        )
        if latest is None:
            raise Http404("No such story.")
        cache.set(key, latest, POLL_CACHE_SECONDS)
    return latest


def _reading_context(story: Story, revision: Revision) -> dict:
    document = revision.document()
    return {
        "story": story,
        "revision": revision,
        "document": document,
        # A callable: the template calls it only when the article's markup is not cached.
        "sections": partial(sections, document.blocks, document.links),
        "revision_count": story.revisions.count(),
        "poll_seconds": settings.NEWSROOM_POLL_SECONDS,
    }


def _int(value: str | None) -> int:
    try:
        return max(int(value or 0), 0)
    except ValueError:
        return 0
