"""Reader pages. Each view fetches, calls the core or a model method, and renders one template;
an htmx request gets a named partial of that same template.

Every page is wrapped by `reader_page` (articles/conditional.py) with the function that says what
the page shows (its Version, from the story's cached state): a request that has the page gets
304 without the view running; otherwise the view runs only when the page is not in the cache.
"""

from dataclasses import dataclass
from datetime import UTC, datetime
from functools import partial
from itertools import pairwise
from urllib.parse import urlencode

from django.conf import settings
from django.db.models import Count, Q
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect
from django.template.loader import render_to_string
from django.template.response import TemplateResponse
from django.urls import reverse
from django.views.decorators.http import require_safe
from django_htmx.http import HttpResponseClientRedirect, push_url

from articles.charts import update_chart
from articles.comparisons import View, compare
from articles.conditional import FIXED, LIVE, Version, local_pages, reader_page
from articles.core.diff import FigureChange
from articles.core.document import sections
from articles.http import HtmxHttpRequest
from articles.models import Revision, Story
from articles.provenance import StoryProvenance
from articles.responses import SplicedTemplateResponse
from articles.search import search
from articles.state import POLL_CACHE_SECONDS, StoryState, site_state, story_state
from articles.structured_data import live_blog_posting
from articles.templatetags.newsroom import ago
from articles.timeline import Links, timeline_rows

# A timeline page lists this many revisions: its cost no longer grows with the story's history.
TIMELINE_ROWS = 50
POLL_CACHE_CONTROL = f"public, max-age={POLL_CACHE_SECONDS}"
# A query is cut to this length: longer ones are not searches.
MAX_QUERY_CHARACTERS = 200
# The front page's Last-Modified before any story exists.
EPOCH = datetime(2000, 1, 1, tzinfo=UTC)


def story_state_or_404(slug: str, *, live: bool = False) -> StoryState:
    state = story_state(slug)
    if state is None:
        raise Http404("No such story.")
    if live and not state.live_number:
        raise Http404("This story has no published revision.")
    return state


def _front_page_version(request: HttpRequest) -> Version:
    site = site_state()
    parts = (site.changed_at, site.story_count, site.newest_revision_id)
    return Version(parts, site.changed_at or EPOCH)


@reader_page(_front_page_version, LIVE)
def story_list(request: HtmxHttpRequest) -> HttpResponse:
    template = "articles/story_list.html" + ("#stories" if request.htmx else "")
    return TemplateResponse(request, template, _listing_context())


def _poll_answer(content: str | bytes = "", status: int = 200) -> HttpResponse:
    """A poll's answer: shared caches may keep it as long as the state it comes from. The
    header is set as a constant (every open tab polls; patch_cache_control parses and rebuilds
    it on every call)."""
    response = HttpResponse(content, status=status)
    response["Cache-Control"] = POLL_CACHE_CONTROL
    return response


@require_safe
def site_updates(request: HttpRequest) -> HttpResponse:
    """Front-page poll: 204 unless a revision newer than ?since=<revision id> exists."""
    if site_state().newest_revision_id <= _int(request.GET.get("since")):
        return _poll_answer(status=204)
    return _poll_answer(render_to_string("articles/story_list.html#stories", _listing_context()))


def _story_version(request: HttpRequest, slug: str) -> Version:
    state = story_state_or_404(slug, live=True)
    parts = (state.pk, state.changed_at, request.GET.get("highlight") == "1", _origins(request))
    return Version(parts, state.changed_at)


def _origins(request: HttpRequest) -> bool:
    """Is the story page asked for in its origins view (`?view=origins`)?"""
    return request.GET.get("view") == "origins"


@reader_page(_story_version, LIVE)
def story_detail(request: HtmxHttpRequest, slug: str) -> HttpResponse:
    story = get_object_or_404(Story, slug=slug)
    revision = story.live_revision()
    if revision is None:
        raise Http404("This story has no published revision.")
    context = _reading_context(story, revision)
    # Its number, and its identity for the diff's cache key: not its document.
    previous = (
        story.revisions.live()
        .filter(number__lt=revision.number)
        .order_by("-number")
        .only("story_id", "number", "parser_version", "parsed_blob", "content_hash")
        .first()
    )
    highlight = previous is not None and request.GET.get("highlight") == "1"
    if highlight:
        assert previous is not None  # for the type checker: highlight says so
        context["highlight_html"] = compare(previous, revision).html()
    elif _origins(request):
        found = StoryProvenance.of(story)
        html = found and found.origins_html(revision, context["document"])
        context.update(origins=True, origins_html=html or "")
    context.update(previous=previous, highlight=highlight)
    # What the update poller starts from: the revision on screen.
    context.update(slug=slug, since=revision.number, reading=revision.number)
    template = "articles/story_detail.html"
    if request.htmx and request.htmx.target == "article":
        template += "#article"
    else:
        document = context["document"]
        context["structured_data"] = live_blog_posting(
            story, revision, document.headline or story.headline, document.dek
        )
    return SplicedTemplateResponse(
        request, template, context, spliced=("highlight_html", "origins_html")
    )


def _figures_version(request: HttpRequest, slug: str) -> Version:
    state = story_state_or_404(slug, live=True)
    return Version((state.pk, state.changed_at), state.changed_at)


@reader_page(_figures_version, LIVE)
def story_figures(request: HttpRequest, slug: str) -> HttpResponse:
    """Every figure of the story with its values across the live revisions, oldest first."""
    story = get_object_or_404(Story, slug=slug)
    found = StoryProvenance.of(story)
    rows = found.figure_table() if found else []
    context = {
        "story": story,
        "rows": rows,
        "columns": max((len(cells) for _, cells in rows), default=1),
    }
    return TemplateResponse(request, "articles/story_figures.html", context)


@require_safe
def story_updates(request: HttpRequest, slug: str) -> HttpResponse:
    """Story poll: 204 when the live revision is still ?since=<n> (the last one announced),
    else a new poller with the notice for the revision on screen (?reading=<n>).

    The notice says what a newer revision changed, or that the revision on screen was retracted
    (the live one is then older); if the reader is back on the live revision (one announced,
    then retracted), the notice goes. Every open tab calls this, so it reads the story's state
    from memory (articles/state.py): no query, no diff, no session, no cookie.
    """
    state = story_state_or_404(slug, live=True)
    latest = state.latest
    since = _int(request.GET.get("since"))
    if latest is None or latest["number"] == since:
        return _poll_answer(status=204)
    reading = _int(request.GET.get("reading")) or since
    # After an update every open tab's next poll gets this notice: made once per version of
    # the story, pair of numbers and minute of "Updated … ago" in each process, not per tab.
    updated = ago(latest["published_at"])
    key = f"notice:{state.pk}:{state.changed_at.isoformat()}:{since}:{reading}:{updated}"
    notice = local_pages.get(key)
    if notice is None:
        context = {
            "slug": slug,
            "latest": latest,
            "since": latest["number"],
            "reading": reading,
            "withdrawn": latest["number"] < reading,
            "updated": latest["number"] > reading,
            "poll_seconds": settings.NEWSROOM_POLL_SECONDS,
        }
        if context["updated"]:
            context.update(_updates_since(state, reading))
        html = render_to_string("articles/story_detail.html#poller", context)
        notice = ("text/html; charset=utf-8", html.encode())
        local_pages.put(key, notice)
    return _poll_answer(notice[1])


NOTICE_NOTES = 3  # the newest updates whose notes a notice quotes; the comparison has the rest


def _updates_since(state: StoryState, reading: int) -> dict:
    """What the notice rolls up: how many live updates came after the revision on screen, the
    newest ones' change notes, and what changed across them all (the range "Show changes"
    opens). Its queries don't grow with the number of updates."""
    since = Revision.objects.live().filter(story_id=state.pk, number__gt=reading)
    count = since.count()
    recent = list(
        since.order_by("-number").only(
            "story_id", "number", "change_note", "published_at", "kind", "summary", "figures"
        )[:NOTICE_NOTES]
    )
    summary, figures = recent[0].summary, recent[0].figures
    if count > 1 and state.is_live(reading):
        pair = {
            r.number: r
            for r in Revision.objects.filter(
                story_id=state.pk, number__in=[reading, recent[0].number]
            ).defer("text_delta")
        }
        diff = compare(pair[reading], pair[recent[0].number]).diff
        summary, figures = diff.summary.line, [str(figure) for figure in diff.figures]
    return {
        "update_count": count,
        "notes": [update for update in recent if update.change_note],
        "range_summary": summary,
        "range_figures": figures,
    }


@dataclass(frozen=True)
class TimelinePage:
    """Which rows a timeline page shows, and the compare selection it carries."""

    before: int  # the page lists the TIMELINE_ROWS revisions numbered below this
    old: int | None
    new: int | None
    view: str
    hide_minor: bool  # ?hide=minor: only substantive revisions are listed

    @classmethod
    def of(cls, request: HttpRequest, state: StoryState) -> "TimelinePage":
        before = _int(request.GET.get("before"))
        if not 1 < before <= state.revision_count:
            before = state.revision_count + 1  # the first page: the newest revisions
        old, new = (_int(request.GET.get(name)) for name in ("old", "new"))
        return cls(
            before=before,
            old=old if state.is_live(old) else None,
            new=new if state.is_live(new) else None,
            view="side" if request.GET.get("view") == "side" else "inline",
            hide_minor=request.GET.get("hide") == "minor",
        )


def _timeline_version(request: HttpRequest, slug: str) -> Version:
    state = story_state_or_404(slug)
    page = TimelinePage.of(request, state)
    parts = (state.pk, state.changed_at, page.before, page.old, page.new, page.view)
    return Version((*parts, page.hide_minor), state.changed_at)


@reader_page(_timeline_version, LIVE)
def revision_list(request: HttpRequest, slug: str) -> HttpResponse:
    story = get_object_or_404(Story, slug=slug)
    page = TimelinePage.of(request, story_state_or_404(slug))
    listed = story.revisions.filter(number__lt=page.before, number__gte=page.before - TIMELINE_ROWS)
    if page.hide_minor:
        listed = listed.without_minor()
    revisions = list(
        listed.order_by("-number").only(
            *("story_id", "number", "published_at", "kind", "change_note", "summary"),
            *("words_added", "words_removed", "based_on", "significance"),
            *("retracted_at", "retraction_reason"),
        )
    )
    shown = [revision.number for revision in revisions if not revision.is_retracted]
    new = page.new or story.live_number or None
    old = page.old or next((number for number in shown if new and number < new), None)
    lowest = page.before - TIMELINE_ROWS
    links = Links(
        revision_url=reverse("revisions", args=[slug]),
        compare_url=reverse("compare-pick", args=[slug]),
        live=story.live_number,
        previous=_previous_live(story, shown),
    )
    context = {
        "story": story,
        "revisions": revisions,
        "rows": timeline_rows(revisions, old, new, links),
        "revision_url": links.revision_url,
        "chart": update_chart(revisions[::-1]),
        "old": old,
        "new": new,
        "view": page.view,
        "hide_minor": page.hide_minor,
        # The selection made on other pages travels with the form, so any two revisions can
        # be compared, wherever they are listed.
        "carried": [(name, n) for name, n in (("old", old), ("new", new)) if n and n not in shown],
        "first": max(lowest, 1),
        "last": page.before - 1,
        "older": lowest if lowest > 1 else None,
        # "" is the first page: its address stays the same as revisions are added.
        "newer": None if page.before > story.revision_count else _newer(page, story),
    }
    return TemplateResponse(request, "articles/revision_list.html", context)


def _previous_live(story: Story, shown: list[int]) -> dict[int, int]:
    """Each listed live revision's previous live one (`shown` is newest first); the last row's
    lies on the next page: one query finds it."""
    if not shown:
        return {}
    below = (
        story.revisions.live()
        .filter(number__lt=shown[-1])
        .order_by("-number")
        .values_list("number", flat=True)
        .first()
    )
    previous = dict(pairwise(shown))
    if below:
        previous[shown[-1]] = below
    return previous


def _newer(page: TimelinePage, story: Story) -> int | str:
    newer = page.before + TIMELINE_ROWS
    return "" if newer > story.revision_count else newer


def _revision_version(request: HttpRequest, slug: str, number: int) -> Version:
    state = story_state_or_404(slug)
    if not 1 <= number <= state.revision_count:
        raise Http404("No such revision.")
    return Version((state.pk, state.changed_at, number), state.changed_at)


@reader_page(_revision_version, LIVE)
def revision_detail(request: HttpRequest, slug: str, number: int) -> HttpResponse:
    story = get_object_or_404(Story, slug=slug)
    revision = get_object_or_404(Revision.objects.defer("text_delta"), story=story, number=number)
    if revision.is_retracted:
        # The text stays in the database; readers get the retraction notice instead (editors
        # read it on the retraction page at the desk).
        context = {"story": story, "revision": revision, "document": None}
    else:
        context = _reading_context(story, revision)
    return TemplateResponse(request, "articles/revision_detail.html", context)


def _compare_version(request: HttpRequest, slug: str, old: int, new: int) -> Version | None:
    if old >= new:
        return None  # the view redirects: to the canonical URL, or to the one revision
    state = story_state_or_404(slug)
    if not (state.is_live(old) and state.is_live(new)):
        raise Http404("No such story or revision, or the revision was retracted.")
    # The pair never changes; only a retraction or a reparse changes what is shown of it.
    view = "side" if request.GET.get("view") == "side" else "inline"
    every = request.GET.get("context") == "all"
    return Version((state.pk, state.amended_at, old, new, view, every), state.changed_at)


@reader_page(_compare_version, FIXED)
def compare_revisions(request: HtmxHttpRequest, slug: str, old: int, new: int) -> HttpResponse:
    if old == new:
        # A revision compared with itself has no changes to show: the revision is the page.
        return redirect("revision", slug, new)
    if old > new:
        # One canonical URL per pair: older first.
        return redirect(_compare_url(slug, new, old, request.GET.get("view")))
    wanted = (
        Revision.objects.live()
        .filter(story__slug=slug, number__in=[old, new])
        .select_related("story")
        # The documents load only if the pair's diff is not cached (compare() asks for them).
        .defer("text_delta", "figures")
        .order_by()  # two rows: the default ordering would only cost SQL to compile
    )
    found = {revision.number: revision for revision in wanted}
    if old not in found or new not in found:
        raise Http404("No such story or revision, or the revision was retracted.")
    story = found[new].story
    comparison = compare(found[old], found[new])
    view: View = "side" if request.GET.get("view") == "side" else "inline"
    every = request.GET.get("context") == "all"
    live = story.revisions.live()
    # MediaWiki's "older edit" / "newer edit": the change before `old` and the one after `new`.
    before = live.filter(number__lt=old).order_by("-number").values_list("number", flat=True)
    after = live.filter(number__gt=new).order_by("number").values_list("number", flat=True)
    older, newer = before.first(), after.first()
    context = {
        "story": story,
        "older_url": _compare_url(slug, older, old, view) if older else None,
        "newer_url": _compare_url(slug, new, newer, view) if newer else None,
        "comparison": comparison,
        "diff": comparison.diff,
        "view": view,
        "figure_changes": _changed_figures(story, old, new) or comparison.diff.figures,
        # Unchanged runs fold (each opens in place, no script needed) unless ?context=all.
        "every": every,
        "diff_html": comparison.html(view, fold=not every),
        # Side by side needs two columns; narrow screens get the inline diff instead.
        "fallback_html": comparison.html("inline", "narrow-", fold=not every)
        if view == "side"
        else "",
    }
    template = "articles/compare.html" + ("#diff" if request.htmx else "")
    return SplicedTemplateResponse(
        request, template, context, spliced=("diff_html", "fallback_html")
    )


def _changed_figures(story: Story, old: int, new: int) -> list[FigureChange]:
    """The figures whose values differ between two live revisions, from the story's figure
    history ([] when it is not derived yet)."""
    found = StoryProvenance.of(story)
    return found.changed_figures(old, new) if found else []


def compare_pick(request: HtmxHttpRequest, slug: str) -> HttpResponse:
    """The timeline's "compare" form: any two revisions, in either order."""
    old, new = _int(request.GET.get("old")), _int(request.GET.get("new"))
    if not old or not new:
        return redirect("revisions", slug)
    old, new = sorted((old, new))
    url = _compare_url(slug, old, new, request.GET.get("view"))
    if old == new:
        # One revision picked twice: its page, in full, not a comparison spliced in.
        url = reverse("revision", args=[slug, new])
        return HttpResponseClientRedirect(url) if request.htmx else redirect(url)
    if not request.htmx:
        return redirect(url)
    response = compare_revisions(request, slug, old, new)
    push_url(response, url)
    return response


def _compare_url(slug: str, old: int, new: int, view: str | None) -> str:
    url = reverse("compare", args=[slug, old, new])
    return f"{url}?{urlencode({'view': view})}" if view == "side" else url


def search_version(request: HttpRequest) -> Version:
    """A search's answer changes with any story: the site's state, and the query."""
    site = site_state()
    parts = (site.changed_at, site.story_count, site.newest_revision_id, _query(request))
    return Version(parts, site.changed_at or EPOCH)


def _query(request: HttpRequest) -> str:
    return " ".join(request.GET.get("q", "").split())[:MAX_QUERY_CHARACTERS]


@reader_page(search_version, LIVE)
def search_page(request: HttpRequest) -> HttpResponse:
    """Stories whose live text matches, then those whose earlier versions did."""
    query = _query(request)
    results = search(query) if query else None
    return TemplateResponse(request, "articles/search.html", {"query": query, "results": results})


def _listing_context() -> dict:
    return {
        "stories": Story.objects.live().recently_updated().with_live_summary(),
        "newest_revision_id": site_state().newest_revision_id,
        "poll_seconds": settings.NEWSROOM_POLL_SECONDS,
    }


def _reading_context(story: Story, revision: Revision) -> dict:
    document = revision.document()
    # Readers count what they can see: retracted revisions are not versions of the story.
    counts = story.revisions.live().aggregate(
        shown=Count("pk"), position=Count("pk", filter=Q(number__lte=revision.number))
    )
    return {
        "story": story,
        "revision": revision,
        "document": document,
        # A callable: the template calls it only when the article's markup is not cached.
        "sections": partial(sections, document.blocks, document.links),
        "revision_count": counts["shown"],
        "version_number": counts["position"],
        # Every correction stands, not only the latest revision's.
        "corrections": list(
            story.revisions.live()
            .filter(kind=Revision.Kind.CORRECTION, number__lte=revision.number)
            .order_by("number")
            .only("story_id", "number", "published_at", "change_note")
        ),
        "poll_seconds": settings.NEWSROOM_POLL_SECONDS,
    }


def _int(value: str | None) -> int:
    try:
        return max(int(value or 0), 0)
    except ValueError:
        return 0
