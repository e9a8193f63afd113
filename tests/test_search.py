"""Search across every version, on SQLite (FTS5) and PostgreSQL (tsvector + GIN) alike: live
text ranked with snippets, and text later removed found "in earlier versions"."""

import json
from unittest import mock

import pytest

from articles.core.search import parse_query, read_marks
from tests.conftest import article_text, at

pytestmark = pytest.mark.django_db


@pytest.fixture
def editor(django_user_model):
    return django_user_model.objects.create_user("ada", password="not-a-real-password-1")


def found(query):
    from articles.search import search

    results = search(query)
    return [hit.story.slug for hit in results.live], [
        (hit.story.slug, hit.last_seen, hit.removed_in) for hit in results.earlier
    ]


def test_live_text_is_found_with_the_headline_ranked_first(make_story):
    make_story(article_text(closing="Observers mention Mykolaiv in passing."), slug="body")
    make_story(article_text(headline="Mykolaiv harbour reopens after the storm"), slug="headline")
    make_story(article_text(), slug="neither")
    assert found("Mykolaiv") == (["headline", "body"], [])


def test_words_must_all_match_phrases_either_and_exclusions(make_story):
    make_story(article_text(closing="A grain convoy reached Lindqvar."), slug="grain")
    make_story(article_text(closing="A medical convoy reached Korsholm."), slug="medical")
    assert found("convoy Lindqvar")[0] == ["grain"]
    assert found('"medical convoy"')[0] == ["medical"]
    assert found('"convoy medical"')[0] == []
    assert sorted(found("Lindqvar or Korsholm")[0]) == ["grain", "medical"]
    assert found("convoy -Korsholm")[0] == ["grain"]
    assert found("convoys")[0] != []  # stemmed: convoys finds convoy
    assert found("-convoy") == ([], [])  # nothing but an exclusion finds nothing


def test_removed_text_is_found_in_earlier_versions_with_the_revision_that_removed_it(make_story):
    make_story(
        article_text(closing="Shelling was reported near Mykolaiv overnight."),
        article_text(closing="Shelling was reported near Mykolaiv overnight.", drones=320),
        article_text(closing="The port was quiet overnight.", drones=330),
    )
    assert found("Mykolaiv") == ([], [("port-tessaly-talks", 2, 3)])
    assert found("quiet") == (["port-tessaly-talks"], [])


def test_a_story_whose_live_text_matches_is_not_listed_again_as_earlier(make_story):
    make_story(
        article_text(closing="Mykolaiv reported shelling."),
        article_text(closing="Mykolaiv reported calm.", drones=320),
    )
    assert found("Mykolaiv") == (["port-tessaly-talks"], [])


def test_text_that_comes_back_is_live_again_not_earlier(make_story):
    story = make_story(
        article_text(closing="Mykolaiv reported shelling."),
        article_text(closing="Calm.", drones=320),
    )
    assert found("Mykolaiv")[1] == [("port-tessaly-talks", 1, 2)]
    story.publish(article_text(closing="Mykolaiv reported shelling.", drones=330))
    assert found("Mykolaiv") == (["port-tessaly-talks"], [])


def test_a_retracted_revisions_text_is_never_found(make_story, editor):
    story = make_story(
        article_text(closing="Talks resume on Monday."),
        article_text(closing="A leaked draft mentions Zelmira.", drones=320),
    )
    assert found("Zelmira") == (["port-tessaly-talks"], [])
    story.revisions.get(number=2).retract(editor, "Published in error")
    assert found("Zelmira") == ([], [])
    assert found("Monday") == (["port-tessaly-talks"], [])
    story.publish(article_text(closing="Talks resume on Tuesday.", drones=330))
    # Revision 3 follows revision 1 for readers: Monday was removed by 3, Zelmira never existed.
    assert found("Monday") == ([], [("port-tessaly-talks", 1, 3)])
    assert found("Zelmira") == ([], [])


def test_a_story_with_every_revision_retracted_is_not_found(make_story, editor):
    story = make_story(article_text(closing="Zelmira."))
    story.revisions.get(number=1).retract(editor, "Published in error")
    assert found("Zelmira") == ([], [])


def test_the_index_is_written_in_the_publishing_transaction(make_story, editor):
    story = make_story(article_text())
    with (
        mock.patch("articles.models.AuditEntry.objects.create", side_effect=RuntimeError),
        pytest.raises(RuntimeError),
    ):
        story.publish(article_text(closing="Zelmira arrives.", drones=999), user=editor)
    assert story.revisions.count() == 1
    assert found("Zelmira") == ([], [])


def test_reparse_rebuilds_the_index(make_story):
    from django.core.management import call_command

    from articles.models import RemovedPassage, SearchText

    make_story(
        article_text(closing="Mykolaiv reported shelling."),
        article_text(closing="Calm.", drones=320),
    )
    SearchText.objects.all().delete()
    RemovedPassage.objects.all().delete()
    assert found("Calm") == ([], []) and found("Mykolaiv") == ([], [])
    call_command("reparse", stdout=mock.Mock())
    assert found("Calm") == (["port-tessaly-talks"], [])
    assert found("Mykolaiv") == ([], [("port-tessaly-talks", 1, 2)])


def test_the_snippet_marks_the_query_words_and_escapes_the_text(make_story):
    from articles.search import search

    make_story(article_text(closing="Convoys <b>reached</b> Lindqvar & the port."))
    (hit,) = search("Lindqvar").live
    text, (start, end) = hit.snippet.text, hit.snippet.highlights[0]
    assert text[start:end] == "Lindqvar"
    html = str(hit.snippet_html)
    assert "<mark>Lindqvar</mark>" in html and "&amp; the port" in html
    # Escaped (SQLite) or dropped as markup by ts_headline (PostgreSQL): never a tag.
    assert "<b>" not in html and "reached" in html


def test_queries_are_read_as_web_search_syntax():
    query = parse_query('harbour "relief convoy" Lindqvar or Ostmark -drones')
    assert query.groups == (("harbour",), ("relief convoy",), ("Lindqvar", "Ostmark"))
    assert query.excluded == ("drones",)
    assert query.fts5() == (
        '(("harbour") AND ("relief convoy") AND ("Lindqvar" OR "Ostmark")) NOT "drones"'
    )
    assert parse_query('"an "unclosed').groups == (("an",), ("unclosed",))
    assert not parse_query("-only -exclusions").searchable
    assert parse_query('say "" \x02 ""').groups == (("say",),)


def test_marks_become_spans():
    snippet = read_marks("a \x02word\x03 and \x02two\x03\nlines")
    assert snippet.text == "a word and two lines"
    assert snippet.highlights == ((2, 6), (11, 14))


# --- the page and the API --------------------------------------------------------------------


def test_every_page_has_a_search_box_that_works_without_javascript(client, make_story):
    make_story(article_text())
    for url in ("/", "/stories/port-tessaly-talks/", "/stories/port-tessaly-talks/revisions/"):
        html = client.get(url).content.decode()
        assert '<form class="site-search" role="search" action="/search/" method="get">' in html
        assert '<input id="site-search-q" type="search" name="q"' in html


def test_the_search_page_shows_both_groups_and_links_the_comparison(client, make_story):
    make_story(
        article_text(closing="Shelling was reported near Mykolaiv overnight."),
        article_text(closing="The port was quiet overnight.", drones=320),
    )
    response = client.get("/search/", {"q": "Mykolaiv"})
    html = response.content.decode()
    assert response.status_code == 200
    assert response["Cache-Control"].startswith("public, max-age=5")
    assert "No story says that now." in html
    assert "<mark>Mykolaiv</mark>" in html
    assert 'href="/stories/port-tessaly-talks/compare/1/2/"' in html
    assert 'value="Mykolaiv"' in html  # the header box keeps the query
    assert client.get("/search/").status_code == 200


def test_the_search_page_escapes_the_query(client, db):
    html = client.get("/search/", {"q": '<script>alert("x")</script>'}).content.decode()
    assert "<script>alert" not in html and "&lt;script&gt;" in html


def test_a_new_publish_changes_the_search_pages_etag(client, make_story):
    story = make_story(article_text())
    etag = client.get("/search/?q=Lindqvar")["ETag"]
    assert client.get("/search/?q=Lindqvar", headers={"If-None-Match": etag}).status_code == 304
    story.publish(article_text(drones=999))
    assert client.get("/search/?q=Lindqvar")["ETag"] != etag


def test_the_api_answers_both_groups(client, make_story):
    make_story(
        article_text(closing="Shelling was reported near Mykolaiv overnight."),
        article_text(closing="The port was quiet overnight.", drones=320),
    )
    response = client.get("/api/v1/search/", {"q": "Mykolaiv"})
    body = json.loads(response.content)
    assert response.status_code == 200 and body["query"] == "Mykolaiv"
    assert body["results"] == []
    (hit,) = body["earlier"]
    assert hit["story"]["slug"] == "port-tessaly-talks"
    assert (hit["last_seen"], hit["removed_in"]) == (1, 2)
    assert hit["compare_url"] == "/api/v1/stories/port-tessaly-talks/compare/1/2/"
    assert hit["html_compare_url"] == "/stories/port-tessaly-talks/compare/1/2/"
    start, end = hit["snippet"]["highlights"][0]
    assert hit["snippet"]["text"][start:end] == "Mykolaiv"
    live = json.loads(client.get("/api/v1/search/?q=quiet").content)["results"]
    assert [hit["story"]["slug"] for hit in live] == ["port-tessaly-talks"]


def test_the_api_refuses_an_empty_query(client, db):
    response = client.get("/api/v1/search/")
    assert response.status_code == 400
    assert json.loads(response.content)["error"] == "bad_request"


def test_many_stories_at_once_each_appear_once(make_story, db):
    from articles.models import Story

    for n in range(30):
        story = Story.objects.create(slug=f"story-{n}", headline="x")
        story.publish(article_text(closing=f"Lindqvar note {n}."), published_at=at(n))
    live, _ = found("Lindqvar")
    assert len(live) == len(set(live)) == 10
