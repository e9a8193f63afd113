"""What the parser keeps reaches readers: links in the body, and `reparse` after a new parser."""

import io

import pytest
from django.core.management import call_command

from articles.core.document import Document
from articles.core.parsing import PARSER_VERSION
from articles.models import Revision, Story
from tests.conftest import article_text, at

pytestmark = pytest.mark.django_db

PAGE = """<!doctype html><html><head><title>Harbour talks resume | Coastline Wire</title>
<meta property="og:site_name" content="Coastline Wire"></head><body><article>
<h1>Harbour talks resume in Port Tessaly</h1>
<p>Negotiators for the invented harbour city returned to the table after a week away.</p>
<p>Mediators in the fictional city of Port Tessaly met again on Saturday, the
<a href="https://council.example/statement?id=4&amp;lang=en">council's statement</a> said.</p>
<p>The <a href="javascript:alert(1)">corridor map</a> was shown to both delegations, and a
<a href="mailto:desk@wire.example">desk address</a> was given for questions.</p>
</article></body></html>"""


def test_links_in_the_body_are_links_on_the_story_page(client):
    story = Story.objects.create(slug="harbour-talks", headline="x")
    story.publish(PAGE, published_at=at(0))
    html = client.get("/stories/harbour-talks/").content.decode()
    assert (
        '<a href="https://council.example/statement?id=4&amp;lang=en" rel="nofollow noopener">'
        "council&#x27;s statement</a>"
    ) in html
    assert "corridor map" in html and "javascript:" not in html
    assert "mailto:" not in html


def stored_by_an_older_parser(monkeypatch, story: Story, *texts: str) -> None:
    """Publish as the parser before this one did: its version, and a structure it made."""
    monkeypatch.setattr("articles.models.PARSER_VERSION", PARSER_VERSION - 1)
    for hour, text in enumerate(texts):
        story.publish(text, published_at=at(hour), document=Document("stale", f"old {hour}"))
    monkeypatch.undo()


def test_reparse_rederives_revisions_of_an_older_parser_version(monkeypatch):
    story = Story.objects.create(slug="port-tessaly-talks", headline="x")
    stored_by_an_older_parser(monkeypatch, story, article_text(), article_text(drones=400))
    assert set(story.revisions.values_list("parser_version", flat=True)) == {PARSER_VERSION - 1}
    out = io.StringIO()
    call_command("reparse", stdout=out, stderr=io.StringIO())
    assert out.getvalue().strip() == "2 of 2 revisions changed"
    assert set(story.revisions.values_list("parser_version", flat=True)) == {PARSER_VERSION}
    assert PARSER_VERSION >= 2
    live = story.live_revision()
    assert live is not None and live.document().headline == (
        "Harbour talks in Port Tessaly stall over corridor"
    )
    assert live.figures == ["drones: 310 → 400"]


def test_reparse_stores_links_found_by_the_new_parser(monkeypatch):
    story = Story.objects.create(slug="harbour-talks", headline="x")
    stored_by_an_older_parser(monkeypatch, story, PAGE)
    assert (
        "links" not in Revision.objects.get(story=story).parsed
        or not (Revision.objects.get(story=story).parsed["links"])
    )
    call_command("reparse", stdout=io.StringIO(), stderr=io.StringIO())
    stored = Revision.objects.get(story=story).parsed
    assert [link[3] for link in stored["links"]] == [
        "https://council.example/statement?id=4&lang=en"
    ]
