"""The public JSON API: its URLs and keys are a contract (hard-coded here), every answer is
conditional and cacheable, every error is JSON, and retracted text is never served."""

import json
from unittest import mock

import pytest
from hypothesis import HealthCheck, Phase, given, settings
from hypothesis import strategies as st

from tests.conftest import article_text, at

pytestmark = pytest.mark.django_db

SLUG = "port-tessaly-talks"
API = f"/api/v1/stories/{SLUG}"


@pytest.fixture
def story(make_story):
    return make_story(
        article_text(),
        article_text(drones=345, extra_bullet="A convoy of 12 trucks reached the port."),
        article_text(drones=360, closing="Talks resume on Monday in Lindqvar."),
    )


@pytest.fixture
def editor(django_user_model):
    return django_user_model.objects.create_user("ada", password="not-a-real-password-1")


def get(client, url, **headers):
    response = client.get(url, headers=headers)
    assert response["Content-Type"].startswith("application/json"), response.content[:200]
    return response, json.loads(response.content) if response.content else None


def test_stories_are_listed_newest_update_first_with_their_links(client, make_story):
    make_story(article_text(headline="Older Tessaly story"), slug="older")
    newer = make_story(article_text(headline="Newer Tessaly story"), slug="newer")
    newer.publish(article_text(headline="Newer Tessaly story", drones=9), published_at=at(5))
    response, page = get(client, "/api/v1/stories/")
    assert response.status_code == 200
    assert [story["slug"] for story in page["results"]] == ["newer", "older"]
    first = page["results"][0]
    assert first == {
        "slug": "newer",
        "headline": "Newer Tessaly story",
        "created_at": first["created_at"],
        "updated_at": "2026-11-20T13:00:00Z",
        "live_revision": 2,
        "revision_count": 2,
        "url": "/api/v1/stories/newer/",
        "html_url": "/stories/newer/",
        "revisions_url": "/api/v1/stories/newer/revisions/",
    }
    assert page["next"] is None


def test_the_story_list_pages_by_cursor_and_filters_by_update_time(client, db):
    from articles.models import Story

    for n in range(25):
        story = Story.objects.create(slug=f"story-{n:02}", headline="x")
        story.publish(article_text(headline=f"Tessaly story {n}"), published_at=at(n % 5))
    slugs, url = [], "/api/v1/stories/"
    while url:
        _, page = get(client, url)
        slugs += [story["slug"] for story in page["results"]]
        url = page["next"]
    assert len(slugs) == len(set(slugs)) == 25
    order = [(Story.objects.get(slug=s).updated_at, Story.objects.get(slug=s).pk) for s in slugs]
    assert order == sorted(order, reverse=True)
    _, recent = get(client, "/api/v1/stories/?updated_since=2026-11-20T12:00:00%2B00:00")
    assert {story["updated_at"] for story in recent["results"]} == {"2026-11-20T12:00:00Z"}
    assert len(recent["results"]) == 5


def test_updated_since_takes_any_offset_iso_8601_allows(client, story):
    # Found by schemathesis: PostgreSQL refused an offset of -17:56 (a 500).
    response, page = get(client, "/api/v1/stories/?updated_since=1336-03-16T07:10:45-17:56")
    assert response.status_code == 200 and len(page["results"]) == 1
    response, _ = get(client, "/api/v1/stories/?updated_since=0001-01-01T00:00:00%2B23:00")
    assert response.status_code == 400


def test_bad_parameters_are_400_with_a_json_error(client, story):
    for url in (
        "/api/v1/stories/?cursor=not-a-cursor",
        "/api/v1/stories/?updated_since=yesterday",
        "/api/v1/stories/?updated_since=2026-11-20T12:00:00",  # no offset: ambiguous
        f"{API}/revisions/?before=x",
        f"{API}/revisions/?before=0",
        f"{API}/revisions/1/?raw=yes",
    ):
        response, body = get(client, url)
        assert response.status_code == 400, url
        assert body["error"] == "bad_request" and body["detail"], url


def test_a_story_and_its_revisions(client, story):
    _, detail = get(client, f"{API}/")
    assert detail["live_revision"] == 3 and detail["revision_count"] == 3
    _, page = get(client, f"{API}/revisions/")
    assert [row["number"] for row in page["results"]] == [3, 2, 1]
    second = page["results"][1]
    assert second["published_at"] == "2026-11-20T09:00:00Z"
    assert second["kind"] == "update" and second["change_note"] == "update 2"
    # The changed figure, and the one the new bullet added (issue 13: a new figure is listed).
    assert second["figures"] == ["drones: 310 → 345", "trucks reached: 12 (added)"]
    assert second["words_added"] > 0 and second["retracted"] is False
    assert second["significance"] == "substantive"  # a figure changed
    assert second["url"] == f"{API}/revisions/2/"


def test_revisions_page_fifty_at_a_time(client, make_story):
    story = make_story(article_text())
    for n in range(1, 55):
        story.publish(article_text(drones=400 + n), published_at=at(n))
    _, first = get(client, f"{API}/revisions/")
    assert len(first["results"]) == 50 and first["results"][0]["number"] == 55
    _, second = get(client, first["next"])
    assert [row["number"] for row in second["results"]] == [5, 4, 3, 2, 1]
    assert second["next"] is None


def test_a_revision_is_its_parsed_document_and_raw_gives_the_upload(client, story):
    _, revision = get(client, f"{API}/revisions/2/")
    document = revision["document"]
    assert document["headline"] == "Harbour talks in Port Tessaly stall over corridor"
    assert {"kind": "bullet", "label": "State of play", "text": mock.ANY} in document["blocks"]
    assert any("345 drones" in block["text"] for block in document["blocks"])
    raw = client.get(revision["raw_url"])
    assert raw.status_code == 200 and raw["Content-Type"] == "text/plain; charset=utf-8"
    assert raw.content.decode() == article_text(
        drones=345, extra_bullet="A convoy of 12 trucks reached the port."
    )


def test_retracted_revisions_say_when_and_why_and_never_their_text(client, story, editor):
    story.revisions.get(number=2).retract(editor, "Wrong convoy figure")
    _, page = get(client, f"{API}/revisions/")
    row = page["results"][1]
    assert row["retracted"] is True and row["retraction_reason"] == "Wrong convoy figure"
    assert row["retracted_at"] is not None
    assert row["summary"] is row["figures"] is row["words_added"] is row["significance"] is None
    response, revision = get(client, f"{API}/revisions/2/")
    assert response.status_code == 200 and revision["document"] is None
    assert revision["raw_url"] is None and "convoy of 12" not in response.content.decode()
    response, error = get(client, f"{API}/revisions/2/?raw=1")
    assert response.status_code == 410 and error["error"] == "gone"
    response, error = get(client, f"{API}/compare/1/2/")
    assert response.status_code == 404 and error["error"] == "not_found"


def test_every_answer_is_conditional_with_its_own_cache_policy(client, story):
    live = "public, max-age=5, stale-while-revalidate=10"
    fixed = "public, max-age=86400, s-maxage=300, stale-while-revalidate=60"
    for url, policy in (
        ("/api/v1/stories/", live),
        (f"{API}/", live),
        (f"{API}/revisions/", live),
        (f"{API}/revisions/2/", fixed),
        (f"{API}/compare/1/3/", fixed),
        ("/api/v1/openapi.json", "public, max-age=3600, stale-while-revalidate=60"),
    ):
        response = client.get(url)
        assert response.status_code == 200, url
        assert response["Cache-Control"] == policy, url
        assert response["Last-Modified"] and response["ETag"].startswith('"'), url
        assert response["Access-Control-Allow-Origin"] == "*"
        again = client.get(url, headers={"If-None-Match": response["ETag"]})
        assert again.status_code == 304 and again.content == b"", url


def test_publishing_changes_the_story_etag_but_not_an_old_comparison(client, story):
    story_etag = client.get(f"{API}/")["ETag"]
    compare_etag = client.get(f"{API}/compare/1/2/")["ETag"]
    story.publish(article_text(drones=999))
    assert client.get(f"{API}/")["ETag"] != story_etag
    assert client.get(f"{API}/compare/1/2/")["ETag"] == compare_etag


def test_cors_is_open_for_get_only(client, story):
    preflight = client.options(
        "/api/v1/stories/",
        headers={"Origin": "https://elsewhere.example", "Access-Control-Request-Method": "GET"},
    )
    assert preflight.status_code == 204
    assert preflight["Access-Control-Allow-Origin"] == "*"
    assert preflight["Access-Control-Allow-Methods"] == "GET, HEAD"
    assert "If-None-Match" in preflight["Access-Control-Allow-Headers"]
    assert "ETag" in client.get("/api/v1/stories/")["Access-Control-Expose-Headers"]


@pytest.mark.parametrize(
    ("method", "url", "status", "code"),
    [
        ("get", "/api/v1/no-such-thing/", 404, "not_found"),
        ("get", "/api/v1/stories/no-such-story/", 404, "not_found"),
        ("get", f"{API}/revisions/99/", 404, "not_found"),
        ("get", f"{API}/compare/1/99/", 404, "not_found"),
        ("post", "/api/v1/stories/", 405, "method_not_allowed"),
        ("delete", f"{API}/", 405, "method_not_allowed"),
    ],
)
def test_errors_are_json_with_the_right_status(client, story, method, url, status, code):
    response, body = get(client, url) if method == "get" else (None, None)
    if method != "get":
        response = getattr(client, method)(url)
        assert response["Content-Type"] == "application/json"
        body = json.loads(response.content)
    assert response.status_code == status
    assert body == {"error": code, "detail": mock.ANY} and body["detail"]


def test_an_internal_error_is_json_without_a_traceback(client, story, settings):
    client.raise_request_exception = False
    with mock.patch("articles.api.views.story_out", side_effect=RuntimeError("secret detail")):
        response, body = get(client, f"{API}/")
    assert response.status_code == 500
    assert body == {"error": "internal_server_error", "detail": "Internal error; it was logged."}
    assert b"secret detail" not in response.content and b"Traceback" not in response.content


def test_the_openapi_document_describes_every_api_url(client):
    from django.urls import get_resolver

    _, document = get(client, "/api/v1/openapi.json")
    assert document["openapi"] == "3.1.0"
    (api,) = [p for p in get_resolver().url_patterns if str(p.pattern) == "api/v1/"]
    described = set(document["paths"])
    for pattern in api.url_patterns:
        route = "/api/v1/" + str(pattern.pattern)
        for converter in ("<slug:", "<int:"):
            route = route.replace(converter, "{")
        route = route.replace(">", "}")
        if route.endswith(("openapi.json", "docs/")):
            continue
        assert route in described
    assert document["components"]["schemas"]["Error"]["required"] == ["detail", "error"]


def test_the_browsable_docs_list_every_endpoint(client):
    response = client.get("/api/v1/docs/")
    html = response.content.decode()
    assert response.status_code == 200
    for path in ("/api/v1/stories/{slug}/compare/{a}/{b}/", "/api/v1/stories/"):
        assert f"<code>GET {path}</code>" in html


# --- the compare endpoint rebuilds the new revision -----------------------------------------

WORDS = [
    "harbour",
    "convoy",
    "council",
    "relief",
    "drones",
    "ships",
    "corridor",
    "talks",
    "port",
    "trucks",
    "families",
]
LABELS = ["State of play", "The big picture", "What to watch"]


def _paragraph(draw_words: list[str], number: int) -> str:
    return f"{' '.join(draw_words).capitalize()} counted {number} at the breakwater."


blocks = st.lists(
    st.tuples(
        st.sampled_from(LABELS),
        st.booleans(),
        st.lists(st.sampled_from(WORDS), min_size=3, max_size=9),
        st.integers(1, 999),
    ),
    min_size=1,
    max_size=7,
)


def _text(headline: str, items) -> str:
    lines = [
        headline,
        "",
        "Mediators in the fictional city of Port Tessaly said talks stalled.",
        "",
    ]
    label = None
    for item_label, bullet, words, number in sorted(items, key=lambda item: item[0]):
        text = _paragraph(words, number)
        if bullet:
            lines += [f"  • {text}"] if item_label == label else [f"{item_label}:", f"  • {text}"]
        else:
            lines.append(f"{item_label}: {text}")
        lines.append("")
        label = item_label
    return "\n".join(lines)


def rebuild(old: dict, diff: dict) -> dict:
    """The new document from the old one and the compare answer alone."""

    def edited(old_text: str, new_text: str, ranges: list[dict]) -> str:
        out, at_old = [], 0
        for edit in ranges:
            start, end = edit["old"]
            out.append(old_text[at_old:start])
            out.append(new_text[edit["new"][0] : edit["new"][1]])
            at_old = end
        out.append(old_text[at_old:])
        return "".join(out)

    blocks = []
    for op in diff["blocks"]:
        if op["kind"] == "equal":
            start = op["old_position"]
            kept = old["blocks"][start : start + op["length"]]
            if op["section"] != op["old_section"]:  # one block, under a renamed section
                kept = [{**kept[0], "label": op["section"]}]
            blocks += kept
        elif op["kind"] == "added":
            blocks.append(
                {"kind": op["block_kind"], "label": op["section"], "text": op["new_text"]}
            )
        elif op["kind"] in ("changed", "moved"):
            before = old["blocks"][op["old_position"]]
            assert before["text"] == op["old_text"]
            text = edited(before["text"], op["new_text"], op["ranges"])
            blocks.append({"kind": op["block_kind"], "label": op["section"], "text": text})
    headline = diff["headline"]
    assert headline["old"] == old["headline"]
    return {
        "headline": edited(old["headline"], headline["new"], headline["ranges"]),
        "blocks": blocks,
    }


@settings(
    max_examples=25,
    deadline=None,
    # Shrinking through the database took minutes; a failure prints its example all the same.
    phases=[Phase.explicit, Phase.reuse, Phase.generate],
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)
@given(old=blocks, new=blocks, keep=st.lists(st.integers(0, 6), max_size=6), data=st.data())
def test_applying_the_compare_ops_to_the_old_revision_rebuilds_the_new_one(
    client, db, old, new, keep, data
):
    from articles.models import Story

    # The new page keeps some old blocks (moved, edited or not) beside new ones.
    new = new + [old[k % len(old)] for k in keep]
    headline = data.draw(st.sampled_from(["Harbour talks stall", "Harbour talks stall again"]))
    story = Story.objects.create(slug=f"prop-{Story.objects.count()}", headline="x")
    story.publish(_text("Harbour talks stall", old), published_at=at(0))
    try:
        story.publish(_text(headline, new), published_at=at(1), allow_shrink=True)
    except Exception as refused:  # an identical page is refused as unchanged: nothing to diff
        assert "unchanged" in str(refused)
        return
    base = f"/api/v1/stories/{story.slug}"
    _, before = get(client, f"{base}/revisions/1/")
    _, after = get(client, f"{base}/revisions/2/")
    _, diff = get(client, f"{base}/compare/1/2/")
    rebuilt = rebuild(before["document"], diff)
    assert rebuilt["headline"] == after["document"]["headline"]
    assert rebuilt["blocks"] == after["document"]["blocks"]
    moved = [op for op in diff["blocks"] if op["kind"] == "moved"]
    away = [op for op in diff["blocks"] if op["kind"] == "moved_away"]
    assert sorted(op["moved_from"] for op in moved) == sorted(op["old_position"] for op in away)
