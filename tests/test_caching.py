"""Reader pages are cacheable and conditional, compressed only where no secret can leak, and cost
the same whatever the story's history."""

import gzip
import re
from datetime import timedelta
from unittest import mock

import brotli
import pytest
from django.core.cache import cache
from django.db import connection
from django.test import RequestFactory
from django.test.utils import CaptureQueriesContext
from django.utils.http import http_date

from articles.core.parsing import parse_article
from articles.management.commands.createeditor import editors_group
from articles.models import Story
from newsroom.compression import compress
from tests.conftest import article_text, at

pytestmark = pytest.mark.django_db

SLUG = "port-tessaly-talks"
STORY = f"/stories/{SLUG}/"
READER_PAGES = {
    "front": "/",
    "story": STORY,
    "highlight": f"{STORY}?highlight=1",
    "revision": f"{STORY}revisions/2/",
    "timeline": f"{STORY}revisions/",
    "compare": f"{STORY}compare/1/3/",
    "compare-side": f"{STORY}compare/1/3/?view=side",
    "site-feed": "/feeds/updates.atom",
    "story-feed": f"{STORY}feed.atom",
}


@pytest.fixture
def story(make_story) -> Story:
    return make_story(
        article_text(),
        article_text(drones=345, extra_bullet="Fuel for the harbour cranes ran out on Friday."),
        article_text(headline="Corridor talks resume in Port Tessaly", drones=380),
    )


@pytest.fixture
def editor_client(client, django_user_model):
    user = django_user_model.objects.create_user("editor-ines", password="unused")
    user.groups.add(editors_group())
    client.force_login(user)
    return client


def vary(response) -> set[str]:
    return {part.strip() for part in response.get("Vary", "").split(",") if part.strip()}


# --- Headers --------------------------------------------------------------------------------


@pytest.mark.parametrize("url", READER_PAGES.values(), ids=READER_PAGES.keys())
def test_reader_pages_send_strong_validators_and_a_public_cache_policy(client, story, url):
    response = client.get(url)
    assert response.status_code == 200
    assert re.fullmatch(r'"[0-9a-f]{32}"', response["ETag"]), "a strong ETag"
    assert response["Last-Modified"].endswith(" GMT")
    policy = response["Cache-Control"]
    assert policy.startswith("public, max-age=") and "stale-while-revalidate=" in policy
    assert {"Accept-Encoding", "HX-Request"} <= vary(response)


@pytest.mark.parametrize("url", READER_PAGES.values(), ids=READER_PAGES.keys())
def test_reader_pages_read_no_session_even_for_a_signed_in_editor(editor_client, story, url):
    response = editor_client.get(url)
    assert response.status_code == 200
    assert "Cookie" not in vary(response)
    assert not response.cookies
    assert "Sign out" not in response.content.decode(errors="replace")


def test_live_pages_are_fresh_for_a_poll_and_comparisons_for_a_day(client, story):
    assert client.get(STORY)["Cache-Control"] == "public, max-age=5, stale-while-revalidate=10"
    compare = client.get(READER_PAGES["compare"])["Cache-Control"]
    assert compare == "public, max-age=86400, s-maxage=300, stale-while-revalidate=60"


def test_polls_and_health_checks_keep_their_own_policies(client, story):
    poll = client.get(f"{STORY}updates/?since=3")
    assert poll["Cache-Control"] == "public, max-age=5"
    health = client.get("/healthz")
    assert "no-store" in health["Cache-Control"] and "max-age=0" in health["Cache-Control"]
    assert "ETag" not in health and "Cookie" not in vary(health)


# --- Conditional requests -------------------------------------------------------------------


@pytest.mark.parametrize("url", READER_PAGES.values(), ids=READER_PAGES.keys())
def test_a_page_the_reader_has_is_answered_304_without_rendering(client, story, url):
    etag = client.get(url)["ETag"]
    with (
        mock.patch("django.template.response.SimpleTemplateResponse.render") as render,
        mock.patch("articles.feeds._atom") as feed,
        CaptureQueriesContext(connection) as queries,
    ):
        response = client.get(url, headers={"If-None-Match": etag})
    assert response.status_code == 304
    assert response.content == b""
    assert response["ETag"] == etag and "public" in response["Cache-Control"]
    assert not render.called and not feed.called
    assert len(queries) == 0  # the story's state is remembered


def test_if_modified_since_is_answered_too(client, story):
    for url in (STORY, "/feeds/updates.atom", f"{STORY}feed.atom"):
        last_modified = client.get(url)["Last-Modified"]
        assert client.get(url, headers={"If-Modified-Since": last_modified}).status_code == 304
        story_changed = Story.objects.get().changed_at
        older = http_date((story_changed - timedelta(hours=1)).timestamp())
        assert client.get(url, headers={"If-Modified-Since": older}).status_code == 200


def test_a_stale_etag_gets_the_whole_page(client, story):
    response = client.get(STORY, headers={"If-None-Match": '"0123456789abcdef0123456789abcdef"'})
    assert response.status_code == 200
    assert "380 drones" in response.content.decode()


def test_publishing_changes_the_story_pages_etag_but_not_an_older_comparison(client, story):
    story_etag, compare_etag = (
        client.get(STORY)["ETag"],
        client.get(READER_PAGES["compare"])["ETag"],
    )
    timeline_etag = client.get(READER_PAGES["timeline"])["ETag"]
    story.publish(article_text(drones=400), published_at=at(5))
    assert client.get(STORY, headers={"If-None-Match": story_etag}).status_code == 200
    assert client.get(READER_PAGES["timeline"])["ETag"] != timeline_etag
    # A comparison of two revisions does not change when a third is published.
    refetched = client.get(READER_PAGES["compare"], headers={"If-None-Match": compare_etag})
    assert refetched.status_code == 304


def test_retracting_a_revision_of_the_pair_takes_its_comparison_down(
    client, story, django_user_model
):
    etag = client.get(READER_PAGES["compare"])["ETag"]
    desk = django_user_model.objects.create_user("desk", password="unused")
    Story.objects.get().revisions.get(number=3).retract(desk, "Published in error")
    assert client.get(READER_PAGES["compare"], headers={"If-None-Match": etag}).status_code == 404


def test_the_htmx_partial_is_a_variant_of_its_own(client, story):
    page = client.get(READER_PAGES["compare"])
    partial = client.get(READER_PAGES["compare"], headers={"HX-Request": "true"})
    assert partial.content.decode().lstrip().startswith('<section id="comparison"')
    assert partial["ETag"] != page["ETag"]
    again = client.get(READER_PAGES["compare"], headers={"If-None-Match": page["ETag"]})
    assert again.status_code == 304


def forget_everything() -> None:
    """As a new app server would start: nothing remembered, nothing cached."""
    from articles.conditional import local_pages
    from articles.state import clear_memo

    cache.clear()
    clear_memo()
    local_pages.clear()


def test_the_same_page_has_the_same_etag_on_every_request_and_server(client, story):
    first = client.get(STORY)
    forget_everything()
    second = client.get(STORY)
    assert first["ETag"] == second["ETag"]
    assert first.content == second.content


# --- The page cache -------------------------------------------------------------------------


def test_a_page_is_rendered_once_then_served_from_the_cache(client, story):
    from articles.conditional import local_pages

    client.get(STORY)
    local_pages.clear()  # from the shared cache, as another app server would serve it
    with (
        mock.patch("articles.views.SplicedTemplateResponse") as rendered,
        CaptureQueriesContext(connection) as queries,
    ):
        again = client.get(STORY)
    assert again.status_code == 200 and "380 drones" in again.content.decode()
    assert not rendered.called
    assert len(queries) == 0


def test_a_coding_is_made_when_first_asked_for_from_the_cached_plain_page(client, story):
    """A cold page is compressed only in the coding its reader asked for; a reader asking for
    another coding later gets it from the plain page, without a second render."""
    from articles.conditional import local_pages

    with mock.patch("articles.conditional.compress", wraps=compress) as compressing:
        first = client.get(STORY, headers={"accept-encoding": "br"})
        assert [call.args[1] for call in compressing.call_args_list] == ["br"]
        local_pages.clear()
        with mock.patch("articles.views.SplicedTemplateResponse") as rendered:
            second = client.get(STORY, headers={"accept-encoding": "gzip"})
        assert not rendered.called
    assert brotli.decompress(first.content) == gzip.decompress(second.content)
    assert "380 drones" in gzip.decompress(second.content).decode()


def test_the_local_copies_stay_within_their_budget():
    from articles.conditional import LocalPages

    pages = LocalPages(budget=1000)
    for number in range(20):
        pages.put(f"page:{number}", ("text/html", b"x" * 60))
    assert pages.size <= 1000
    assert pages.get("page:0") is None and pages.get("page:19") is not None
    pages.put("page:big", ("text/html", b"x" * 100))  # over a sixteenth of the budget
    assert pages.get("page:big") is None


def test_not_found_is_not_cached(client, story):
    assert client.get(f"{STORY}revisions/9/").status_code == 404
    assert client.get("/stories/nope/").status_code == 404
    assert client.get(f"{STORY}compare/1/9/").status_code == 404
    story.publish(article_text(drones=400), published_at=at(5))
    assert client.get(f"{STORY}revisions/4/").status_code == 200


# --- Compression ----------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("coding", "decompress"), [("br", brotli.decompress), ("gzip", gzip.decompress)]
)
@pytest.mark.parametrize("url", READER_PAGES.values(), ids=READER_PAGES.keys())
def test_reader_pages_are_compressed_with_their_own_etag(client, story, url, coding, decompress):
    plain = client.get(url)
    packed = client.get(url, headers={"Accept-Encoding": f"{coding}, identity;q=0.5"})
    assert "Content-Encoding" not in plain
    assert packed["Content-Encoding"] == coding
    assert decompress(packed.content) == plain.content
    assert len(packed.content) < len(plain.content)
    # Other bytes, another strong validator; each validates its own coding.
    assert packed["ETag"] == plain["ETag"][:-1] + f'-{coding}"'
    revalidated = client.get(
        url, headers={"Accept-Encoding": coding, "If-None-Match": packed["ETag"]}
    )
    assert revalidated.status_code == 304


def test_brotli_is_preferred_and_refused_codings_are_not_sent(client, story):
    browser = client.get(STORY, headers={"Accept-Encoding": "gzip, deflate, br, zstd"})
    assert browser["Content-Encoding"] == "br"
    no_br = client.get(STORY, headers={"Accept-Encoding": "br;q=0, gzip"})
    assert no_br["Content-Encoding"] == "gzip"
    nothing = client.get(STORY, headers={"Accept-Encoding": "identity"})
    assert "Content-Encoding" not in nothing


def test_a_public_notice_is_compressed_by_the_middleware(client, story):
    notice = client.get(f"{STORY}updates/?since=2", headers={"Accept-Encoding": "gzip"})
    assert notice["Content-Encoding"] == "gzip"
    assert b"Show changes" in gzip.decompress(notice.content)
    assert "Accept-Encoding" in vary(notice)
    assert int(notice["Content-Length"]) == len(notice.content)


@pytest.mark.parametrize(
    "url", ["/edit/", "/stories/port-tessaly-talks/edit/", "/accounts/login/", "/admin/login/"]
)
def test_pages_with_a_secret_are_never_compressed(editor_client, story, url):
    # A CSRF token and an editor's session: BREACH could recover them from compressed bytes.
    response = editor_client.get(url, headers={"Accept-Encoding": "gzip, br"}, follow=True)
    assert response.status_code == 200
    assert "Content-Encoding" not in response
    assert "csrfmiddlewaretoken" in response.content.decode()


# --- Cost independent of history ------------------------------------------------------------

COLD_PAGES = {
    "front": "/",
    "story": STORY,
    "revision": f"{STORY}revisions/1/",
    "timeline": f"{STORY}revisions/",
    "compare": f"{STORY}compare/1/{{n}}/",
    "story-feed": f"{STORY}feed.atom",
    "site-feed": "/feeds/updates.atom",
    "poll": f"{STORY}updates/?since=1",
}


def _story_with(count: int) -> Story:
    document = parse_article(article_text())
    story = Story.objects.create(slug=SLUG, headline=SLUG)
    for number in range(count):
        text = article_text(drones=300 + number)
        doc = document if number == 0 else parse_article(text)
        story.publish(text if number else article_text(), published_at=at(number), document=doc)
    return story


def _queries(client, url: str) -> int:
    forget_everything()
    with CaptureQueriesContext(connection) as queries:
        assert client.get(url).status_code in (200, 204), url
    return len(queries)


def test_each_reader_page_makes_as_many_queries_at_200_revisions_as_at_1(client):
    story = _story_with(1)
    at_start = {name: _queries(client, url) for name, url in COLD_PAGES.items() if "{n}" not in url}
    story.publish(article_text(drones=599), published_at=at(1))  # a comparison needs a pair
    at_start["compare"] = _queries(client, COLD_PAGES["compare"].format(n=2))
    # A notice that rolls up updates since revision 1, as at 200.
    story.publish(article_text(drones=598), published_at=at(2))
    at_start["poll"] = _queries(client, COLD_PAGES["poll"])
    for number in range(3, 200):
        story.publish(article_text(drones=600 + number), published_at=at(number))
    at_200 = {name: _queries(client, url.format(n=200)) for name, url in COLD_PAGES.items()}
    assert at_200 == at_start


def test_feeds_read_neither_the_upload_nor_the_parsed_document(client, story):
    for url in ("/feeds/updates.atom", f"{STORY}feed.atom"):
        with CaptureQueriesContext(connection) as queries:
            assert client.get(url).status_code == 200
        sql = " ".join(query["sql"] for query in queries)
        assert "articles_blob" not in sql and '"text_delta"' not in sql


def test_the_story_page_decodes_only_the_live_revisions_document(client, story):
    with CaptureQueriesContext(connection) as queries:
        client.get(STORY)
    # One chain of deltas for its parse, one for the text the parse's skeleton is dressed in.
    reading = [query["sql"] for query in queries if "articles_blob" in query["sql"]]
    assert len(reading) == 1
    assert len([query for query in queries if '"text_delta"' in query["sql"]]) == 1


def test_a_warm_comparison_reads_neither_document(story):
    from articles.views import compare_revisions

    view = compare_revisions.__wrapped__.__wrapped__  # the view under reader_page
    request = RequestFactory().get(READER_PAGES["compare"])
    request.htmx = False
    view(request, SLUG, 1, 3).render()  # the pair's diff is now cached
    with CaptureQueriesContext(connection) as queries:
        html = view(request, SLUG, 1, 3).render().content.decode()
    assert "<ins>" in html
    sql = " ".join(query["sql"] for query in queries)
    assert "articles_blob" not in sql and '"text_delta"' not in sql


def test_counts_come_from_the_story_row(client, story):
    assert Story.objects.get().revision_count == 3
    with CaptureQueriesContext(connection) as queries:
        html = client.get("/").content.decode()
    assert "3 revisions" in html
    assert not any(
        "COUNT(" in query["sql"].upper() for query in queries if "revision" in query["sql"]
    )


def test_an_update_notice_is_made_once_for_every_tab_reading_the_same_revision(client, story):
    from django.template.loader import render_to_string

    with mock.patch("articles.views.render_to_string", wraps=render_to_string) as render:
        for _ in range(3):
            notice = client.get(f"{STORY}updates/?since=2&reading=2")
            assert b"Show changes" in notice.content
        assert b"reading=1" in client.get(f"{STORY}updates/?since=2&reading=1").content
    assert render.call_count == 2
    story.publish(article_text(drones=400), published_at=at(5))
    assert b"since=4&amp;reading=2" in client.get(f"{STORY}updates/?since=2&reading=2").content
