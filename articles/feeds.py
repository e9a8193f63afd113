"""Atom feeds of updates: one entry per published (non-retracted) revision."""

from django.contrib.syndication.views import Feed
from django.shortcuts import get_object_or_404
from django.urls import reverse
from django.utils.feedgenerator import Atom1Feed
from django.utils.html import format_html, format_html_join

from articles.models import Revision, Story

FEED_ENTRIES = 50


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
            .order_by("-published_at", "-pk")[:FEED_ENTRIES]
        )

    def item_title(self, revision: Revision) -> str:
        headline = revision.parsed.get("headline") or revision.story.headline
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

    def title(self, story: Story) -> str:  # type: ignore[override]  # Feed passes the object
        return f"{story.headline}: updates"

    def link(self, story: Story) -> str:  # type: ignore[override]  # Feed passes the object
        return story.get_absolute_url()

    def items(self, story: Story):  # type: ignore[override]  # Feed passes the object
        return story.revisions.live().order_by("-number")[:FEED_ENTRIES]
