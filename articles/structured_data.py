"""The story page's schema.org `LiveBlogPosting`, as JSON-LD.

Search engines and aggregators read a live story's updates from it: when coverage started, when
it was last modified, and the recent updates with what happened in each. It is a data block
(`<script type="application/ld+json">`), which browsers never execute, so the page's CSP needs
no `unsafe-inline`. Addresses are relative: JSON-LD resolves them against the page's own, and
the cached page stays the same for every host name it is served under. A story has no "ended"
state, so `coverageEndTime` is never claimed.
"""

import json

from django.urls import reverse

from articles.models import Revision, Story

RECENT_UPDATES = 10  # liveBlogUpdate entries: the newest, as the page's own "what changed"

# As Django's json_script: the text can't close the script element or open a comment.
_SCRIPT_ESCAPES = {ord(">"): "\\u003E", ord("<"): "\\u003C", ord("&"): "\\u0026"}


def live_blog_posting(story: Story, revision: Revision, headline: str, dek: str) -> str:
    """The JSON text for the story page showing `revision` (the live one)."""
    # One more than is listed: the oldest listed update's previous revision, for its link.
    recent = list(
        story.revisions.live()
        .order_by("-number")
        .only("story_id", "number", "published_at", "kind", "change_note", "summary")[
            : RECENT_UPDATES + 1
        ]
    )
    first = story.revisions.live().order_by("number").only("published_at").first()
    updates: list[dict[str, str]] = []
    for newer, older in zip(recent, [*recent[1:], None], strict=False):
        if len(updates) == RECENT_UPDATES:
            break
        # With fewer than RECENT_UPDATES + 1 live revisions, the last one is the first report.
        url = (
            newer.get_absolute_url()
            if older is None
            else reverse("compare", args=[story.slug, older.number, newer.number])
        )
        updates.append(
            {
                "@type": "BlogPosting",
                "headline": newer.what_happened(first_report=older is None),
                "datePublished": newer.published_at.isoformat(),
                "url": url,
            }
        )
    data = {
        "@context": "https://schema.org",
        "@type": "LiveBlogPosting",
        "url": story.get_absolute_url(),
        "headline": headline,
        "description": dek,
        "datePublished": first.published_at.isoformat() if first else None,
        "dateModified": revision.published_at.isoformat(),
        "coverageStartTime": first.published_at.isoformat() if first else None,
        "liveBlogUpdate": updates,
    }
    data = {key: value for key, value in data.items() if value}
    return json.dumps(data, ensure_ascii=False, indent=None).translate(_SCRIPT_ESCAPES)
