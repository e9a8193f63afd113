"""Reader URLs: compare views, live-update polls, timeline, highlight and feeds."""

import re
from html import unescape

import feedparser
import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from articles.models import Story
from tests.conftest import article_text, at

pytestmark = pytest.mark.django_db

XSS = '<script>alert("owned")</script>'


@pytest.fixture
def story(make_story) -> Story:
    return make_story(
        article_text(),
        article_text(drones=345, extra_bullet="Fuel for the harbour cranes ran out on Friday."),
        article_text(headline="Corridor talks resume in Port Tessaly", drones=380),
    )


def get(client, url: str, **headers):
    return client.get(url, headers=headers)


def test_compare_inline_marks_words_and_blocks(client, story):
    html = get(client, "/stories/port-tessaly-talks/compare/1/2/").content.decode()
    assert '<del><span class="vh">removed: </span>310</del>' in html
    assert '<ins><span class="vh">added: </span>345</ins>' in html
    assert 'data-change="added"' in html and "Fuel for the harbour cranes" in html
    assert 'data-change="equal"' in html
    assert "drones: 310 → 345" in re.sub(r"<[^>]+>", "", html).replace("was ", "").replace(
        "now ", ""
    )


def test_compare_side_by_side_has_two_aligned_columns_and_an_inline_fallback(client, story):
    html = get(client, "/stories/port-tessaly-talks/compare/1/2/?view=side").content.decode()
    assert '<div class="diff-side">' in html
    assert 'class="cell old"' in html and 'class="cell new"' in html
    assert "narrow-fallback" in html
    ids = re.findall(r' id="([^"]+)"', html)
    assert len(ids) == len(set(ids)), "the inline fallback must not repeat the side view's ids"
    assert 'id="narrow-change-1"' in html and 'id="change-1"' in html
    assert 'aria-current="page">Side by side' in html


def test_compare_page_splices_the_diff_into_its_place(client, story):
    # The diff HTML is spliced into the rendered page (articles/responses.py): it must land
    # exactly where the template puts it, in the page and in the htmx partial.
    for headers in ({}, {"HX-Request": "true"}):
        html = get(client, "/stories/port-tessaly-talks/compare/1/3/?view=side", **headers)
        html = html.content.decode()
        assert re.search(
            r'<div class="diff view-side" data-changes="\d+"><div class="diff-side">', html
        )
        assert '<div class="diff view-inline narrow-fallback"><div class="diff-inline">' in html
        assert "<!--" not in html


def test_compare_in_reverse_order_redirects_to_the_canonical_url(client, story):
    response = get(client, "/stories/port-tessaly-talks/compare/3/1/?view=side")
    assert response.status_code == 302
    assert response["Location"] == "/stories/port-tessaly-talks/compare/1/3/?view=side"


def test_compare_of_missing_revision_is_404(client, story):
    assert get(client, "/stories/port-tessaly-talks/compare/1/9/").status_code == 404
    assert get(client, "/stories/nope/compare/1/2/").status_code == 404


def test_compare_of_a_revision_with_itself_goes_to_the_revision(client, story):
    response = get(client, "/stories/port-tessaly-talks/compare/2/2/")
    assert response.status_code == 302
    assert response["Location"] == "/stories/port-tessaly-talks/revisions/2/"
    picked = get(
        client, "/stories/port-tessaly-talks/compare/?old=2&new=2", **{"HX-Request": "true"}
    )
    assert picked["HX-Redirect"] == "/stories/port-tessaly-talks/revisions/2/"


def test_compare_links_the_older_and_newer_edits_and_heads_its_columns(client, story):
    html = get(client, "/stories/port-tessaly-talks/compare/2/3/?view=side").content.decode()
    assert 'href="/stories/port-tessaly-talks/compare/1/2/?view=side" rel="prev"' in html
    assert "No newer edit" in html
    heads = html[html.index('class="side-heads') :]
    heads = heads[: heads.index("</div>")]
    assert "Revision 2</strong>" in heads and "Revision 3</strong>" in heads
    assert heads.count("<time datetime=") == 2
    first = get(client, "/stories/port-tessaly-talks/compare/1/2/").content.decode()
    assert (
        "No older edit" in first
        and 'href="/stories/port-tessaly-talks/compare/2/3/" rel="next"' in first
    )
    assert "side-heads" not in first  # inline has one column


def test_compare_htmx_request_gets_the_diff_partial_only(client, story):
    response = get(client, "/stories/port-tessaly-talks/compare/1/2/", HX_Request="true")
    html = response.content.decode()
    assert html.lstrip().startswith('<section id="comparison"')
    assert "<html" not in html
    assert "HX-Request" in response["Vary"]


def test_compare_lists_changes_for_navigation(client, story):
    html = get(client, "/stories/port-tessaly-talks/compare/1/3/").content.decode()
    assert 'id="change-1"' in html
    assert 'href="#change-1"' in html


def test_timeline_form_redirects_to_the_comparison_without_javascript(client, story):
    response = get(client, "/stories/port-tessaly-talks/compare/?old=3&new=1&view=side")
    assert response.status_code == 302
    assert response["Location"] == "/stories/port-tessaly-talks/compare/1/3/?view=side"


def test_timeline_form_over_htmx_swaps_the_diff_and_pushes_the_url(client, story):
    response = get(client, "/stories/port-tessaly-talks/compare/?old=1&new=2", HX_Request="true")
    assert response.status_code == 200
    assert response["HX-Push-Url"] == "/stories/port-tessaly-talks/compare/1/2/"
    assert response.content.decode().lstrip().startswith('<section id="comparison"')


def test_timeline_form_without_two_revisions_goes_back_to_the_timeline(client, story):
    response = get(client, "/stories/port-tessaly-talks/compare/?old=2")
    assert response["Location"] == "/stories/port-tessaly-talks/revisions/"


def test_timeline_lists_revisions_with_summary_radios_and_chart(client, story):
    html = get(client, "/stories/port-tessaly-talks/revisions/").content.decode()
    assert html.count('type="radio" name="old"') == 3
    assert html.count('type="radio" name="new"') == 3
    assert "<svg" in html and html.count('class="bar"') == 3  # the first report too
    assert "Headline changed" in html
    assert 'action="/stories/port-tessaly-talks/compare/"' in html


def test_story_page_shows_what_changed_in_this_update(client, story):
    html = get(client, "/stories/port-tessaly-talks/").content.decode()
    # The headline first; then one line, the full summary behind it (a <details>: no script).
    assert html.index("<h1>") < html.index('<details class="what-changed">')
    assert re.search(r"<summary>Updated <time datetime=\S+>\d\d:\d\d UTC</time> — what", html)
    assert "drones: 345 → 380" in html
    assert 'href="/stories/port-tessaly-talks/compare/2/3/"' in html


def test_story_page_counts_versions_readers_can_see_and_keeps_every_correction(
    client, story, django_user_model
):
    desk = django_user_model.objects.create_user("desk")
    story.publish(article_text(drones=381), published_at=at(4), kind="correction", note="Fixed")
    story.publish(article_text(drones=390), published_at=at(5), note="Later")
    story.revisions.get(number=2).retract(desk, "Wrong")
    html = get(client, "/stories/port-tessaly-talks/").content.decode()
    assert "version 4 of 4" in html  # revisions 1, 3, 4, 5: the retracted 2 is not counted
    assert "Timeline of 4 versions" in html
    corrections = html[html.index('<aside class="corrections"') :]
    corrections = corrections[: corrections.index("</aside>")]
    # The correction stands after a later update.
    assert "Corrected at <time" in corrections and ": Fixed</li>" in corrections


def test_story_page_highlight_shows_the_changes_in_place(client, story):
    html = get(client, "/stories/port-tessaly-talks/?highlight=1").content.decode()
    assert '<ins><span class="vh">added: </span>380</ins>' in html
    assert "Hide what changed" in html


def test_story_page_highlight_over_htmx_swaps_only_the_article(client, story):
    response = get(
        client, "/stories/port-tessaly-talks/?highlight=1", HX_Request="true", HX_Target="article"
    )
    html = response.content.decode()
    assert html.lstrip().startswith('<article class="article highlighting" id="article">')
    assert "<html" not in html


def test_first_revision_has_no_what_changed_box(client, make_story):
    make_story(article_text())
    assert "What changed" not in get(client, "/stories/port-tessaly-talks/").content.decode()


def test_story_page_polls_for_updates_from_the_revision_on_screen(client, story):
    html = get(client, "/stories/port-tessaly-talks/").content.decode()
    assert 'hx-get="/stories/port-tessaly-talks/updates/?since=3&amp;reading=3"' in html
    assert 'aria-live="polite"' in html


def test_update_poll_answers_204_when_nothing_is_newer(client, story):
    response = get(client, "/stories/port-tessaly-talks/updates/?since=3")
    assert response.status_code == 204
    assert response.content == b""


def test_update_poll_returns_the_notice_when_a_revision_is_newer(client, story):
    response = get(client, "/stories/port-tessaly-talks/updates/?since=2")
    html = response.content.decode()
    assert response.status_code == 200
    # The editor's note first, then what changed, and a way to close it.
    assert html.index("“update 3”") < html.index("What changed: Headline changed")
    assert "data-dismiss-notice" in html
    assert 'href="/stories/port-tessaly-talks/compare/2/3/">Show changes' in html
    assert 'href="/stories/port-tessaly-talks/">Load update' in html
    # The replacement poller waits for anything newer than what it announced.
    assert "since=3&amp;reading=2" in html


def test_the_notice_rolls_up_every_update_since_the_revision_on_screen(client, story):
    story.publish(article_text(drones=390, headline="Talks <b>resume</b>"), note="<i>Talks</i>")
    html = get(client, "/stories/port-tessaly-talks/updates/?since=2&reading=2").content.decode()
    assert "2 updates since you opened this page" in html
    assert html.index("“&lt;i&gt;Talks&lt;/i&gt;”") < html.index("“update 3”")  # newest first
    # What changed across both, as "Show changes" opens it: 345 → 390, not 380 → 390.
    assert "drones: 345 → 390" in html
    assert 'href="/stories/port-tessaly-talks/compare/2/4/">Show changes' in html


def test_update_poll_is_cheap_and_cacheable(client, story):
    with CaptureQueriesContext(connection) as first:
        response = get(client, "/stories/port-tessaly-talks/updates/?since=3")
    with CaptureQueriesContext(connection) as second:
        get(client, "/stories/port-tessaly-talks/updates/?since=3")
    assert len(first) <= 2  # the story's state, read once for every page and poll of it
    assert len(second) == 0
    assert "public" in response["Cache-Control"] and "max-age=5" in response["Cache-Control"]
    assert "Cookie" not in response.get("Vary", "")
    assert "Set-Cookie" not in response


@pytest.mark.parametrize(
    "url",
    [
        "/",
        "/stories/port-tessaly-talks/",
        "/stories/port-tessaly-talks/revisions/",
        "/stories/port-tessaly-talks/revisions/1/",
        "/stories/port-tessaly-talks/compare/1/3/",
        "/stories/port-tessaly-talks/compare/1/3/?view=side",
    ],
)
def test_reader_pages_set_no_cookie(client, story, url):
    # A reader page carries no form that posts, so it needs no CSRF token: an anonymous reader
    # gets no cookie (the page still varies on Cookie: signed-in editors see their own links).
    response = get(client, url)
    assert response.status_code == 200
    assert not response.cookies


def test_update_poll_sees_a_new_revision_at_once(client, story):
    get(client, "/stories/port-tessaly-talks/updates/?since=3")
    story.publish(article_text(drones=400), published_at=at(5))
    # Publishing forgets the story's cached state: the next poll announces it.
    assert get(client, "/stories/port-tessaly-talks/updates/?since=3").status_code == 200


def test_update_poll_says_when_the_revision_on_screen_was_retracted(
    client, story, django_user_model
):
    editor = django_user_model.objects.create_user("desk", password="unused-in-this-test")
    story.revisions.get(number=3).retract(editor, "Published in error")
    response = get(client, "/stories/port-tessaly-talks/updates/?since=3&reading=3")
    html = response.content.decode()
    assert "The version you are reading was retracted." in html
    assert 'href="/stories/port-tessaly-talks/">Load the current version' in html
    # The next poll starts from the revision now live, so the notice is said once.
    assert "since=2&amp;reading=3" in html
    assert get(client, "/stories/port-tessaly-talks/updates/?since=2").status_code == 204


def test_update_poll_for_an_unknown_story_is_404(client):
    assert get(client, "/stories/nope/updates/?since=1").status_code == 404


def test_update_poll_ignores_a_malformed_since(client, story):
    assert get(client, "/stories/port-tessaly-talks/updates/?since=abc").status_code == 200


def test_front_page_shows_time_count_and_summary(client, story):
    html = get(client, "/").content.decode()
    assert "3 revisions" in html
    assert "Headline changed" in html
    # The same bytes at any time (the page is cached): newsroom.js adds "… ago" in the browser.
    time = '<time datetime="2026-11-20T10:00:00+00:00" data-ago>20 Nov 2026, 10:00 UTC</time>'
    assert time in html


def test_front_page_polls_and_gets_the_list_when_something_is_newer(client, story):
    html = get(client, "/").content.decode()
    since = re.search(r"/updates/\?since=(\d+)", html).group(1)
    assert get(client, f"/updates/?since={since}").status_code == 204
    response = get(client, f"/updates/?since={int(since) - 1}")
    assert response.status_code == 200
    assert 'id="stories"' in response.content.decode()


def test_site_feed_is_valid_atom_with_one_entry_per_revision(client, story):
    response = get(client, "/feeds/updates.atom")
    assert response["Content-Type"].startswith("application/atom+xml")
    feed = feedparser.parse(response.content)
    assert not feed.bozo, feed.get("bozo_exception")
    assert len(feed.entries) == 3
    newest = feed.entries[0]
    # Titled by what happened, with the story it happened to; linked to what changed.
    assert newest.title == "Corridor talks resume in Port Tessaly: update 3"
    assert newest.link.endswith("/stories/port-tessaly-talks/compare/2/3/")
    assert newest.id.endswith("/stories/port-tessaly-talks/revisions/3/")
    assert "drones: 345 → 380" in newest.summary


def test_story_feed_lists_that_story_only(client, story, make_story):
    make_story(article_text(headline="Other coverage"), slug="other")
    feed = feedparser.parse(get(client, "/stories/port-tessaly-talks/feed.atom").content)
    assert not feed.bozo
    assert [entry.id.rsplit("/", 2)[-2] for entry in feed.entries] == ["3", "2", "1"]
    assert [entry.title for entry in feed.entries] == ["update 3", "update 2", "First report"]
    assert [entry.link.split("/stories/port-tessaly-talks/")[1] for entry in feed.entries] == [
        "compare/2/3/",
        "compare/1/2/",
        "revisions/1/",
    ]
    assert get(client, "/stories/nope/feed.atom").status_code == 404


def test_feed_entries_without_a_note_are_titled_by_the_summary_and_skip_retractions(
    client, story, django_user_model
):
    story.publish(article_text(drones=400), published_at=at(5), note="")
    story.revisions.get(number=3).retract(
        django_user_model.objects.create_user("desk"), "Published in error"
    )
    feed = feedparser.parse(get(client, "/stories/port-tessaly-talks/feed.atom").content)
    newest = feed.entries[0]
    # Compared with revision 2, the one readers saw before it once 3 was withdrawn.
    assert newest.link.endswith("/stories/port-tessaly-talks/compare/2/4/")
    assert newest.title == Story.objects.get().revisions.get(number=4).summary.split(" · ")[0]
    assert [entry.id.rsplit("/", 2)[-2] for entry in feed.entries] == ["4", "2", "1"]


def test_feed_escapes_markup_from_uploads(client, make_story):
    make_story(article_text(), article_text(headline=f"Headline {XSS}", closing=XSS))
    body = get(client, "/feeds/updates.atom").content.decode()
    assert XSS not in body
    feed = feedparser.parse(body)
    assert not feed.bozo
    assert "<script>" not in feed.entries[0].summary


@pytest.mark.parametrize(
    "url",
    [
        "/stories/port-tessaly-talks/compare/1/2/",
        "/stories/port-tessaly-talks/compare/1/2/?view=side",
        "/stories/port-tessaly-talks/?highlight=1",
        "/stories/port-tessaly-talks/updates/?since=1",
    ],
)
def test_markup_in_uploads_is_escaped_in_diffs_and_notices(client, make_story, url):
    make_story(article_text(), article_text(headline=f"Headline {XSS}", closing=XSS))
    html = get(client, url).content.decode()
    assert XSS not in html
    assert "<script>alert" not in html


@pytest.mark.parametrize(
    ("seconds", "text"),
    [
        (5, "just now"),
        (12 * 60, "12 min ago"),
        (3 * 3600 + 5, "3 h ago"),
        (86400, "1 day ago"),
        (3 * 86400, "3 days ago"),
    ],
)
def test_relative_times_are_compact(seconds, text):
    from datetime import timedelta

    from articles.templatetags.newsroom import ago

    assert ago(at(0), now=at(0) + timedelta(seconds=seconds)) == text


def test_a_fresh_update_notice_says_just_now(client, story):
    story.publish(article_text(drones=390), published_at=timezone.now())
    html = get(client, "/stories/port-tessaly-talks/updates/?since=3").content.decode()
    assert "<strong>Updated just now</strong>" in html


def test_a_pair_is_diffed_once_then_served_from_the_cache(client, story, monkeypatch):
    import articles.comparisons

    calls = []
    real = articles.comparisons.diff_documents

    def counting(old, new):
        calls.append((old.headline, new.headline))
        return real(old, new)

    monkeypatch.setattr(articles.comparisons, "diff_documents", counting)
    first = get(client, "/stories/port-tessaly-talks/compare/1/3/").content.decode()
    second = get(client, "/stories/port-tessaly-talks/compare/1/3/").content.decode()
    get(client, "/stories/port-tessaly-talks/compare/1/3/?view=side")
    assert len(calls) == 1
    assert (
        first.split('<div class="diff view-inline"')[1]
        == second.split('<div class="diff view-inline"')[1]
    )


# --- Retractions leave nothing behind ----------------------------------------------------------


@pytest.fixture
def retracted_middle(make_story, django_user_model):
    """Revision 2 (4711 tonnes, in error) retracted; revision 3's figures were made against it."""
    story = make_story(
        article_text(drones=310), article_text(drones=4711), article_text(drones=120)
    )
    editor = django_user_model.objects.create_user("desk-ines", password="unused-in-this-test")
    story.revisions.get(number=2).retract(editor, "Figure published in error")
    return story


@pytest.mark.parametrize(
    ("url", "shown"),
    [
        ("/stories/port-tessaly-talks/", "drones: 310 → 120"),
        ("/stories/port-tessaly-talks/?highlight=1", "310 120 drones"),
        ("/stories/port-tessaly-talks/revisions/", "State of play: 1 figure changed"),
        ("/stories/port-tessaly-talks/feed.atom", "drones: 310 → 120"),
        ("/feeds/updates.atom", "drones: 310 → 120"),
    ],
)
def test_a_retracted_revision_leaves_no_figure_behind(client, retracted_middle, url, shown):
    html = get(client, url).content.decode()
    text = " ".join(re.sub(r"<[^>]+>|removed: |added: ", " ", unescape(unescape(html))).split())
    assert "4711" not in text
    assert shown in text


def test_the_notice_of_an_update_retracted_again_is_withdrawn_not_misread(
    client, story, django_user_model
):
    from django.core.cache import cache

    # A reader is on revision 3, the live one; revision 4 lands, is announced, then retracted.
    story.publish(article_text(drones=999), published_at=at(5))
    notice = get(client, "/stories/port-tessaly-talks/updates/?since=3&reading=3")
    assert "since=4&amp;reading=3" in notice.content.decode()
    editor = django_user_model.objects.create_user("desk-ines", password="unused-in-this-test")
    story.revisions.get(number=4).retract(editor, "Published in error")
    cache.delete("updates:story:port-tessaly-talks")
    html = get(client, "/stories/port-tessaly-talks/updates/?since=4&reading=3").content.decode()
    # Revision 3, on screen, was not retracted: no false alarm, and the update notice goes.
    assert "retracted" not in html
    assert "update-notice" not in html
    assert "since=3&amp;reading=3" in html
    assert get(client, "/stories/port-tessaly-talks/updates/?since=3&reading=3").status_code == 204
