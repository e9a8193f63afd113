from unittest import mock

import pytest

from articles.core.document import sections
from tests.conftest import article_text

pytestmark = pytest.mark.django_db

XSS = '<script>alert("owned")</script>'


def test_front_page_lists_stories_most_recently_updated_first(client, make_story):
    make_story(article_text(headline="Older story about Tessaly"), slug="older")
    newer = make_story(article_text(headline="Newer story about Tessaly", drones=7), slug="newer")
    newer.publish(article_text(headline="Newest headline", drones=8), published_at=newer.updated_at)
    html = client.get("/").content.decode()
    assert html.index("Newest headline") < html.index("Older story about Tessaly")


def test_front_page_has_a_sensible_empty_state(client):
    response = client.get("/")
    assert response.status_code == 200
    assert "No stories yet" in response.content.decode()


def test_story_page_renders_the_latest_revision_from_blocks(client, make_story):
    make_story(article_text(), article_text(drones=345, extra_bullet="A new bullet arrived."))
    html = client.get("/stories/port-tessaly-talks/").content.decode()
    assert '<strong class="label">State of play:</strong>' in html
    assert "345 drones" in html
    assert "<li>A new bullet arrived.</li>" in html
    assert "Sign up to read" not in html
    assert "version 2 of 2" in html


def test_article_markup_is_made_once_per_revision_and_never_goes_stale(client, make_story):
    from django.core.cache import cache
    from django.core.cache.utils import make_template_fragment_key

    story = make_story(article_text(), article_text(drones=345))
    client.get("/stories/port-tessaly-talks/")
    live = story.revisions.get(number=2)
    key = make_template_fragment_key(
        "article-body", [live.pk, live.content_hash, live.parser_version]
    )
    assert "345 drones" in cache.get(key)
    # Cached, the page does not group the blocks into sections again.
    with mock.patch("articles.views.sections", wraps=sections) as grouping:
        assert "345 drones" in client.get("/stories/port-tessaly-talks/").content.decode()
    assert grouping.call_count == 0
    # The earlier revision's page shares the markup of that revision, not of the live one.
    assert "310 drones" in client.get("/stories/port-tessaly-talks/revisions/1/").content.decode()
    story.publish(article_text(drones=360))
    html = client.get("/stories/port-tessaly-talks/").content.decode()
    assert "360 drones" in html and "345 drones" not in html


def test_unknown_story_is_404(client):
    assert client.get("/stories/no-such-story/").status_code == 404
    assert client.get("/stories/no-such-story/revisions/").status_code == 404


def test_revision_list_links_every_revision(client, make_story):
    make_story(article_text(), article_text(drones=345))
    html = client.get("/stories/port-tessaly-talks/revisions/").content.decode()
    assert 'href="/stories/port-tessaly-talks/revisions/1/"' in html
    assert 'href="/stories/port-tessaly-talks/revisions/2/"' in html


def test_earlier_revision_says_it_is_not_the_latest(client, make_story):
    make_story(article_text(), article_text(drones=345))
    html = client.get("/stories/port-tessaly-talks/revisions/1/").content.decode()
    assert "You are reading an earlier version (version 1 of 2)" in html
    assert "310 drones" in html
    assert client.get("/stories/port-tessaly-talks/revisions/3/").status_code == 404


@pytest.mark.parametrize(
    "url",
    [
        "/",
        "/stories/port-tessaly-talks/",
        "/stories/port-tessaly-talks/revisions/",
        "/stories/port-tessaly-talks/revisions/1/",
    ],
)
def test_script_in_an_upload_is_escaped_on_every_page(client, make_story, url):
    make_story(article_text(headline=f"Headline {XSS}", dek=f"Dek {XSS}", closing=XSS))
    html = client.get(url).content.decode()
    assert XSS not in html
    assert "&lt;script&gt;" in html
