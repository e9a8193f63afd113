"""The desk on deadline: edit in place, an editable preview, Cancel that keeps the text, as-of
dating, identical uploads said at once, presence. All coverage here is fictional."""

import re
from datetime import timedelta
from html import unescape

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.utils import timezone

from articles import presence
from articles.core.parsing import parse_article
from articles.core.plaintext import document_text
from articles.management.commands.createeditor import editors_group
from articles.models import Revision, content_hash
from tests.conftest import PASSWORD, article_text, at

pytestmark = pytest.mark.django_db

EDIT = "/stories/port-tessaly-talks/edit/"


@pytest.fixture
def story(make_story):
    return make_story(article_text())


def textarea(html: str, name: str) -> str:
    found = re.search(rf'<textarea name="{name}"[^>]*>\n(.*?)</textarea>', html, re.DOTALL)
    assert found, f"no textarea {name}"
    return unescape(found.group(1))


def preview_data(text: str, base: int, **extra) -> dict:
    data = {"step": "preview", "raw_text": text, "base_number": base, "kind": "update"}
    return {**data, **extra}


# --- Edit in place -----------------------------------------------------------------------------


def test_the_edit_page_offers_the_live_text_verbatim(editor_client, story):
    html = editor_client.get(EDIT).content.decode()
    assert textarea(html, "text") == article_text()
    assert f'name="offered" value="{content_hash(article_text())}"' in html
    assert 'href="/stories/port-tessaly-talks/edit/?blank=1"' in html
    assert textarea(editor_client.get(EDIT + "?blank=1").content.decode(), "text") == ""


def test_an_html_revision_is_offered_as_clean_text_that_parses_back_the_same(
    editor_client, make_story
):
    page = (
        "<html><head><title>Harbour talks stall</title></head><body><article>"
        "<h1>Harbour talks in Port Tessaly stall over corridor</h1>"
        "<p>Mediators in the fictional city of Port Tessaly said on Friday that talks stalled.</p>"
        "<p><strong>The latest:</strong> Negotiators left the table after six hours without "
        "agreeing on a relief corridor for the harbour.</p>"
        "<ul><li>The harbour authority counted 14 ships waiting outside the breakwater.</li></ul>"
        "</article></body></html>"
    )
    story = make_story(page)
    html = editor_client.get(EDIT).content.decode()
    offered = textarea(html, "text")
    live = story.live_revision()
    assert "<" not in offered and offered == document_text(live.document())
    assert "• The harbour authority counted 14 ships" in offered
    assert parse_article(offered) == live.document()
    assert "a caption or a heading may read differently" not in html


def test_the_edited_live_text_previews_the_change(editor_client, story):
    edited = article_text().replace("310 drones", "325 drones")
    html = editor_client.post(EDIT, {"text": edited, "base_number": 1}).content.decode()
    assert "drones: <del>" in html and "325" in html
    assert textarea(html, "raw_text") == edited


def test_a_file_chosen_over_the_untouched_offered_text_is_the_new_version(editor_client, story):
    upload = SimpleUploadedFile("update.txt", article_text(drones=460).encode("utf-8"))
    response = editor_client.post(
        EDIT,
        {"text": article_text(), "offered": content_hash(article_text()), "file": upload},
    )
    assert response.status_code == 200
    assert "460 drones" in textarea(response.content.decode(), "raw_text")


def test_a_file_chosen_over_edited_text_is_refused_so_neither_is_lost(editor_client, story):
    upload = SimpleUploadedFile("update.txt", article_text(drones=460).encode("utf-8"))
    edited = article_text(drones=330)
    response = editor_client.post(
        EDIT, {"text": edited, "offered": content_hash(article_text()), "file": upload}
    )
    assert response.status_code == 400
    assert "not both" in response.content.decode()
    assert textarea(response.content.decode(), "text") == edited


def test_an_upload_identical_to_a_retracted_revision_links_the_desks_copy(
    editor_client, make_story, editor
):
    story = make_story(article_text(), article_text(drones=9999))
    story.revisions.get(number=2).retract(editor, "Figure published in error")
    response = editor_client.post(EDIT, {"text": article_text(drones=9999), "base_number": 1})
    html = response.content.decode()
    assert response.status_code == 409
    retract_url = "/stories/port-tessaly-talks/revisions/2/retract/"
    assert f'identical to <a href="{retract_url}">revision 2</a> (retracted)' in html


# --- The preview you can act on ----------------------------------------------------------------


def test_update_preview_parses_the_edited_text_and_keeps_what_was_typed(editor_client, story):
    first = article_text(drones=460)
    html = editor_client.post(EDIT, {"text": first, "base_number": 1}).content.decode()
    suggested = re.search(r'name="suggested_note" value="([^"]*)"', html)[1]
    fixed = article_text(drones=470)  # a typo spotted in the preview
    response = editor_client.post(
        EDIT,
        preview_data(fixed, 1, note="Council revises the count", suggested_note=suggested),
    )
    html = response.content.decode()
    assert response.status_code == 200
    assert textarea(html, "raw_text") == fixed
    assert "470" in html.split('<section class="preview"')[1]
    assert 'name="note" value="Council revises the count"' in html
    assert Revision.objects.count() == 1


def test_an_untouched_suggested_note_follows_the_new_diff(editor_client, story):
    same_figure = article_text(closing="Observers expect more talks in Lindqvar on Monday.")
    suggested = "State of play: 1 figure changed"
    response = editor_client.post(
        EDIT, preview_data(same_figure, 1, note=suggested, suggested_note=suggested)
    )
    html = response.content.decode()
    assert 'name="note" value="What to watch: 1 paragraph changed"' in html


def test_update_preview_over_htmx_answers_the_preview_alone(editor_client, story):
    response = editor_client.post(
        EDIT, preview_data(article_text(drones=470), 1), headers={"HX-Request": "true"}
    )
    html = response.content.decode()
    assert response.status_code == 200
    assert html.lstrip().startswith(
        '<form method="post" class="edit-form publish-form" id="preview"'
    )
    assert "<html" not in html and "site-header" not in html
    assert 'hx-preserve="true"' in html  # the editor's textarea stays as it is during the swap


def test_a_preview_edited_back_to_the_live_text_cannot_be_published(editor_client, story):
    html = editor_client.post(EDIT, preview_data(article_text(), 1)).content.decode()
    assert 'identical to <a href="/stories/port-tessaly-talks/revisions/1/">revision 1</a>' in html
    assert re.search(r'<button type="submit" name="step" value="publish"[^>]* disabled>', html)


def test_cancel_returns_to_the_form_with_the_text_kept(editor_client, story):
    edited = article_text(drones=470) + "\n\nA line typed in the preview."
    response = editor_client.post(
        EDIT, {"step": "cancel", "raw_text": edited.replace("\n", "\r\n"), "base_number": 1}
    )
    html = response.content.decode()
    assert response.status_code == 200
    assert textarea(html, "text") == edited
    assert 'name="base_number" value="1"' in html
    assert Revision.objects.count() == 1


def test_cancel_of_a_new_story_keeps_its_text_too(editor_client):
    response = editor_client.post("/edit/new/", {"step": "cancel", "raw_text": article_text()})
    assert textarea(response.content.decode(), "text") == article_text()


def test_the_preview_puts_summary_warnings_and_publish_before_the_text(editor_client, story):
    html = editor_client.post(EDIT, {"text": article_text(drones=460)}).content.decode()
    order = [
        html.index('class="diff-summary"'),
        html.index("Parser warnings"),
        html.index('value="publish"'),
        html.index('<textarea name="raw_text"'),
        html.index('class="edit-diff"'),
        html.index('<section class="preview"'),
    ]
    assert order == sorted(order)
    assert "Check beside that no line of the article is missing" in html  # the warning's action


# --- As of -------------------------------------------------------------------------------------


def publish(client, text, base, **extra):
    data = {"step": "publish", "raw_text": text, "base_number": base, "kind": "update"}
    return client.post(EDIT, {**data, **extra})


def test_an_update_phoned_in_an_hour_ago_is_dated_then(editor_client, story, client):
    phoned = timezone.now().replace(second=0, microsecond=0) - timedelta(hours=1)
    response = publish(
        editor_client, article_text(drones=460), 1, as_of=phoned.strftime("%Y-%m-%dT%H:%M")
    )
    assert response.status_code == 302
    revision = Revision.objects.get(number=2)
    assert revision.published_at == phoned
    reader = client.get("/stories/port-tessaly-talks/revisions/").content.decode()
    assert phoned.strftime("%H:%M") in reader


def test_a_time_in_the_future_is_a_form_error(editor_client, story):
    later = (timezone.now() + timedelta(hours=2)).strftime("%Y-%m-%dT%H:%M")
    response = publish(editor_client, article_text(drones=460), 1, as_of=later)
    assert response.status_code == 400
    assert "This time is in the future" in response.content.decode()
    assert Revision.objects.count() == 1


def test_a_time_before_the_live_revision_is_refused_with_the_earliest_allowed(editor_client, story):
    before = at(-3).strftime("%Y-%m-%dT%H:%M")  # revision 1 is dated at(0)
    response = publish(editor_client, article_text(drones=460), 1, as_of=before)
    html = unescape(response.content.decode())
    assert response.status_code == 400
    assert "is earlier than revision 1" in html
    assert "Choose a time from revision 1's (20 Nov 2026, 08:00 UTC) up to now" in html
    assert 'href="#id_as_of"' in response.content.decode()
    assert Revision.objects.count() == 1


def test_the_preview_shows_the_as_of_time_readers_will_see(editor_client, story):
    html = editor_client.post(
        EDIT, preview_data(article_text(drones=460), 1, as_of="2026-11-21T09:30")
    ).content.decode()
    assert 'datetime="2026-11-21T09:30:00+00:00"' in html.split('<section class="preview"')[1]


# --- Presence ----------------------------------------------------------------------------------


def test_a_colleague_with_the_story_open_is_shown_not_oneself(
    editor_client, story, django_user_model, client
):
    ada = django_user_model.objects.create_user("ada", password=PASSWORD)
    ada.groups.add(editors_group())
    assert "has this story open" not in editor_client.get(EDIT).content.decode()
    from django.test import Client

    other = Client()
    other.force_login(ada)
    html = other.get(EDIT).content.decode()
    assert re.search(r"editor-ines has this story open since <time[^>]*>\d\d:\d\d</time>", html)
    assert "ada has this story open" not in html
    hint = other.get(EDIT + "presence/", headers={"HX-Request": "true"}).content.decode()
    assert hint.lstrip().startswith('<div class="presence" id="presence"')
    assert "editor-ines has this story open" in hint


def test_presence_lapses_after_the_window_and_since_is_kept_while_open(monkeypatch):
    clock = [1_000_000.0]
    monkeypatch.setattr(presence.time, "time", lambda: clock[0])
    presence.note_open(1, "ada")
    clock[0] += 200
    presence.note_open(1, "ada")  # still open: "since" stays the first visit
    assert [c.since.timestamp() for c in presence.note_open(1, "ben")] == [1_000_000.0]
    clock[0] += presence.WINDOW_SECONDS + 1
    assert presence.note_open(1, "ben") == []


def test_sign_out_reads_as_a_link(editor_client):
    html = editor_client.get("/edit/").content.decode()
    assert '<button type="submit" class="link">Sign out</button>' in html


def test_an_html_page_that_text_cannot_say_exactly_is_offered_with_a_note(
    editor_client, make_story
):
    # A figure caption without a photo credit: written as text, it reads as a paragraph.
    page = (
        "<html><head><title>Harbour talks stall</title></head><body><article>"
        "<h1>Harbour talks in Port Tessaly stall over corridor</h1>"
        "<p>Mediators in the fictional city of Port Tessaly said on Friday that talks stalled.</p>"
        "<figure><img src='ships.jpg' alt=''><figcaption>Ships wait outside the breakwater at "
        "dawn on Friday.</figcaption></figure>"
        "<p><strong>The latest:</strong> Negotiators left the table after six hours without "
        "agreeing on a relief corridor for the harbour.</p>"
        "</article></body></html>"
    )
    make_story(page)
    html = editor_client.get(EDIT).content.decode()
    assert "a caption or a heading may read differently" in html
    assert "Ships wait outside the breakwater" in textarea(html, "text")


def test_a_preview_edited_into_something_unreadable_says_so_and_keeps_the_text(
    editor_client, story
):
    response = editor_client.post(
        EDIT, preview_data("Sign up to read this article\n", 1), headers={"HX-Request": "true"}
    )
    html = unescape(response.content.decode())
    assert response.status_code == 200  # htmx swaps it in
    assert "What stops Publish" in html and "no article text found" in html
    assert textarea(html, "raw_text") == "Sign up to read this article\n"
    assert re.search(r'<button type="submit" name="step" value="publish"[^>]* disabled>', html)
    assert "As readers will see it" not in html


def test_the_preview_says_at_once_when_the_time_is_before_the_live_revision(editor_client, story):
    html = editor_client.post(
        EDIT, preview_data(article_text(drones=460), 1, as_of="2026-11-19T10:00")
    ).content.decode()
    assert "What stops Publish" in html
    assert "This is before revision 1." in unescape(html)
