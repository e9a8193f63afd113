"""Atom feeds of updates: one entry per published (non-retracted) revision.

An entry prints a revision's headline, number, kind, summary, note, figures and date, so the
feeds read those columns and never the verbatim upload or the parsed document (on a 600 KB story
that was 50 × 1.2 MB per request). Both feeds are conditional and cached like the reader pages.
"""

from django.contrib.syndication.views import Feed
from django.http import HttpRequest
from django.shortcuts import get_object_or_404
from django.urls import reverse
from django.utils.feedgenerator import Atom1Feed
from django.utils.html import format_html, format_html_join

from articles.conditional import LIVE, Version, reader_page
from articles.models import Revision, Story
from articles.state import site_state
from articles.views import EPOCH, story_state_or_404

FEED_ENTRIES = 50
ENTRY_COLUMNS = (
    *("story_id", "number", "headline", "kind", "summary", "change_note", "figures"),
    "published_at",
)


class SiteUpdatesFeed(Feed):
    feed_type = Atom1Feed
    title = "Newsroom: every update"
    subtitle = "Each entry is one update of a story, with what changed."

    def link(self) -> str:
        return reverse("home")

    def items(self):
        return (
            Revision.objects.live()
            .select_related("story")
            .only(*ENTRY_COLUMNS, "story__slug", "story__headline")
            .order_by("-published_at", "-pk")[:FEED_ENTRIES]
        )

    def item_title(self, revision: Revision) -> str:
        headline = revision.headline or revision.story.headline
        kind = "Correction" if revision.kind == "correction" else "Update"
        return f"{headline} ({kind} {revision.number})"

    def item_description(self, revision: Revision) -> str:
        # Atom summaries are type="html": every piece of text is escaped here.
        parts = [format_html("<p>{}</p>", revision.summary)]
        if revision.change_note:
            parts.append(format_html("<p>Note: {}</p>", revision.change_note))
        if revision.figures:
            figures = format_html_join("", "<li>{}</li>", ((f,) for f in revision.figures))
            parts.append(format_html("<p>Changed figures:</p><ul>{}</ul>", figures))
        return "".join(parts)

    def item_link(self, revision: Revision) -> str:
        return revision.get_absolute_url()

    def item_pubdate(self, revision: Revision):
        return revision.published_at

    def item_updateddate(self, revision: Revision):
        return revision.published_at


class StoryUpdatesFeed(SiteUpdatesFeed):
    def get_object(self, request, slug: str) -> Story:
        return get_object_or_404(Story.objects.live(), slug=slug)

    def title(self, story: Story) -> str:
        return f"{story.headline}: updates"

    def link(self, story: Story) -> str:
        return story.get_absolute_url()

    def items(self, story: Story):
        return story.revisions.live().only(*ENTRY_COLUMNS).order_by("-number")[:FEED_ENTRIES]


def _site_feed_version(request: HttpRequest) -> Version:
    site = site_state()
    return Version((site.changed_at, site.story_count), site.changed_at or EPOCH)


def _story_feed_version(request: HttpRequest, slug: str) -> Version:
    state = story_state_or_404(slug, live=True)
    return Version((state.pk, state.changed_at), state.changed_at)


site_feed = reader_page(_site_feed_version, LIVE)(SiteUpdatesFeed())
story_feed = reader_page(_story_feed_version, LIVE)(StoryUpdatesFeed())
