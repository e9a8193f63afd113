"""The editor workflow: permissions, upload, preview, publish, conflicts, retraction, audit."""

import importlib
import re
from html import unescape
from io import StringIO
from urllib.parse import urlencode

import pytest
from django.apps import apps as django_apps
from django.contrib.auth.models import Group
from django.core.files.uploadedfile import SimpleUploadedFile
from django.core.management import CommandError, call_command
from django.db import IntegrityError
from django.test import Client

from articles.models import AuditEntry, ImmutableRevisionError, Revision, Story
from tests.conftest import PASSWORD, article_text

pytestmark = pytest.mark.django_db

EDIT = "/stories/port-tessaly-talks/edit/"


@pytest.fixture
def reader_client(client, django_user_model):
    client.force_login(django_user_model.objects.create_user("reader-olek", password=PASSWORD))
    return client


@pytest.fixture
def story(make_story):
    return make_story(article_text())


def changed_figure(old: int, new: int) -> str:
    """How the changed-figures list marks "drones: old → new"."""
    was, now = '<span class="vh">was </span>', '<span class="vh">now </span>'
    return f"drones: <del>{was}{old}</del> → <ins>{now}{new}</ins>"


def publish(client, url, text, base, note="", kind="update", **extra):
    data = {"step": "publish", "raw_text": text, "base_number": base, "note": note, "kind": kind}
    return client.post(url, {**data, **extra})


def row_counts() -> tuple[int, int, int]:
    return Story.objects.count(), Revision.objects.count(), AuditEntry.objects.count()


# --- Who may edit ------------------------------------------------------------------------------

EDITOR_URLS = [
    "/edit/",
    "/edit/new/",
    EDIT,
    "/stories/port-tessaly-talks/revisions/1/retract/",
]


def valid_post(url: str) -> dict:
    if url.endswith("/retract/"):
        return {"reason": "Published in error."}
    return {"text": article_text(drones=460)}


@pytest.mark.parametrize("url", EDITOR_URLS)
@pytest.mark.parametrize("method", ["get", "post"])
def test_anonymous_visitors_are_sent_to_sign_in(client, story, url, method):
    before = row_counts()
    response = getattr(client, method)(url, valid_post(url) if method == "post" else None)
    assert response.status_code == 302
    assert response["Location"] == f"/accounts/login/?next={url}"
    assert row_counts() == before


@pytest.mark.parametrize("url", EDITOR_URLS)
@pytest.mark.parametrize("method", ["get", "post"])
def test_signed_in_readers_are_forbidden(reader_client, story, url, method):
    before = row_counts()
    response = getattr(reader_client, method)(url, valid_post(url) if method == "post" else None)
    assert response.status_code == 403
    assert row_counts() == before
    revision = Revision.objects.get(number=1)
    assert not revision.is_retracted


@pytest.mark.parametrize("url", EDITOR_URLS)
def test_editors_may_open_every_editor_page(editor_client, story, url):
    assert editor_client.get(url).status_code == 200


@pytest.mark.parametrize(
    ("url", "status"),
    [("/edit/", 405), ("/edit/new/", 200), (EDIT, 200), (EDITOR_URLS[3], 302)],
)
def test_editors_may_post_to_every_editor_form(editor_client, story, url, status):
    assert editor_client.post(url, valid_post(url)).status_code == status


def test_publishing_as_an_editor_needs_the_permission_not_just_staff(
    client, story, django_user_model
):
    staff = django_user_model.objects.create_user("staff-pim", password=PASSWORD, is_staff=True)
    client.force_login(staff)
    response = publish(client, EDIT, article_text(drones=460), base=1)
    assert response.status_code == 403
    assert Revision.objects.count() == 1


def test_migration_creates_the_editors_group_with_the_permission(django_user_model):
    Group.objects.filter(name="Editors").delete()
    migration = importlib.import_module("articles.migrations.0003_editors_group")
    migration.create_editors(django_apps, None)
    user = django_user_model.objects.create_user("editor-tam", password=PASSWORD)
    user.groups.add(Group.objects.get(name="Editors"))
    assert user.has_perm("articles.add_revision")


# --- createeditor ------------------------------------------------------------------------------


def test_createeditor_reads_the_password_from_the_environment(monkeypatch, django_user_model):
    monkeypatch.setenv("NEWSROOM_EDITOR_PASSWORD", PASSWORD)
    call_command("createeditor", "editor-noor", stdout=(out := StringIO()))
    assert "created editor editor-noor" in out.getvalue()
    user = django_user_model.objects.get(username="editor-noor")
    assert user.check_password(PASSWORD)
    assert user.has_perm("articles.add_revision")


def test_createeditor_prompts_twice_and_makes_an_existing_user_an_editor(
    monkeypatch, django_user_model
):
    django_user_model.objects.create_user("reader-ada", password="x")
    monkeypatch.delenv("NEWSROOM_EDITOR_PASSWORD", raising=False)
    monkeypatch.setattr("getpass.getpass", lambda prompt: PASSWORD)
    call_command("createeditor", "reader-ada", stdout=(out := StringIO()))
    assert "updated editor reader-ada" in out.getvalue()
    user = django_user_model.objects.get(username="reader-ada")
    assert user.check_password(PASSWORD)
    assert user.has_perm("articles.add_revision")


def test_createeditor_refuses_mismatched_and_weak_passwords(monkeypatch, django_user_model):
    monkeypatch.delenv("NEWSROOM_EDITOR_PASSWORD", raising=False)
    answers = iter([PASSWORD, PASSWORD + "x"])
    monkeypatch.setattr("getpass.getpass", lambda prompt: next(answers))
    with pytest.raises(CommandError, match="do not match"):
        call_command("createeditor", "editor-kit")
    monkeypatch.setenv("NEWSROOM_EDITOR_PASSWORD", "12345")
    with pytest.raises(CommandError, match="too short"):
        call_command("createeditor", "editor-kit")
    assert not django_user_model.objects.filter(username="editor-kit").exists()


# --- Signing in --------------------------------------------------------------------------------


def test_login_form_signs_an_editor_in_and_lands_on_the_desk(client, editor):
    page = client.get("/accounts/login/")
    assert 'name="password"' in page.content.decode()
    response = client.post("/accounts/login/", {"username": "editor-ines", "password": PASSWORD})
    assert response.status_code == 302
    assert response["Location"] == "/edit/"
    html = client.get("/edit/").content.decode()
    assert 'href="/edit/"' in html
    assert 'action="/accounts/logout/"' in html
    # Reader pages are the same for everyone: "Sign in" leads a signed-in editor to the desk.
    assert 'href="/accounts/login/"' in client.get("/").content.decode()
    assert client.get("/accounts/login/")["Location"] == "/edit/"


def test_the_sixth_bad_password_is_locked_out_even_if_right(client, editor):
    for _ in range(4):
        response = client.post("/accounts/login/", {"username": "editor-ines", "password": "no"})
        assert response.status_code == 200
        assert "enter a correct username and password" in response.content.decode()
    fifth = client.post("/accounts/login/", {"username": "editor-ines", "password": "no"})
    assert fifth.status_code == 429
    sixth = client.post("/accounts/login/", {"username": "editor-ines", "password": PASSWORD})
    assert sixth.status_code == 429
    assert "Too many sign-in attempts" in sixth.content.decode()
    assert "_auth_user_id" not in client.session


def test_sign_out_is_a_post(editor_client):
    assert editor_client.get("/accounts/logout/").status_code == 405
    response = editor_client.post("/accounts/logout/")
    assert response.status_code == 302
    assert "_auth_user_id" not in editor_client.session
    assert 'href="/accounts/login/"' in editor_client.get("/").content.decode()


def test_readers_see_no_editor_desk_link(reader_client):
    assert 'href="/edit/"' not in reader_client.get("/").content.decode()


# --- Upload and preview ------------------------------------------------------------------------


def test_desk_lists_stories_with_new_revision_buttons(editor_client, story):
    html = editor_client.get("/edit/").content.decode()
    assert f'href="{EDIT}"' in html
    assert 'href="/edit/new/"' in html


def test_preview_shows_article_warnings_diff_and_prefilled_note(editor_client, story):
    response = editor_client.post(EDIT, {"text": article_text(drones=460)})
    html = response.content.decode()
    assert response.status_code == 200
    assert "As readers will see it" in html
    assert '<strong class="label">State of play:</strong>' in html
    assert "Parser warnings" in html and "dropped" in html
    assert changed_figure(310, 460) in html
    assert "<ins>" in html and "<del>" in html
    assert 'name="base_number" value="1"' in html
    summary = "<strong>What changed:</strong> State of play: 1 figure changed</p>"
    assert f'<p class="summary">{summary}' in html
    assert 'name="note" value="State of play: 1 figure changed"' in html


def test_preview_writes_nothing(editor_client, story):
    before = row_counts()
    assert editor_client.post(EDIT, {"text": article_text(drones=460)}).status_code == 200
    assert editor_client.post("/edit/new/", {"text": article_text()}).status_code == 200
    assert row_counts() == before
    assert "raw_text" not in dict(editor_client.session)


def test_preview_carries_the_upload_verbatim_to_publish(editor_client, story):
    upload = SimpleUploadedFile("update.txt", article_text(drones=460).encode("utf-8"))
    html = editor_client.post(EDIT, {"file": upload}).content.decode()
    assert '<textarea name="raw_text"' in html
    assert "460 drones at the port" in html.split('<textarea name="raw_text"')[1]


@pytest.mark.parametrize("name", ["update.pdf", "update.docx", "update", "update.txt.exe"])
def test_files_other_than_text_or_html_are_refused(editor_client, story, name):
    upload = SimpleUploadedFile(name, article_text(drones=460).encode("utf-8"))
    response = editor_client.post(EDIT, {"file": upload})
    assert response.status_code == 400
    assert "upload a .txt, .html or .htm file" in response.content.decode()


def test_html_files_are_parsed_like_ingest(editor_client, story):
    page = (
        "<html><head><title>Harbour talks resume</title></head><body><article>"
        "<h1>Harbour talks resume in Port Tessaly</h1>"
        "<p><strong>The latest:</strong> Negotiators returned to the table on Saturday.</p>"
        "</article></body></html>"
    )
    upload = SimpleUploadedFile("update.HTM", page.encode("utf-8"), content_type="text/html")
    html = editor_client.post(EDIT, {"file": upload}).content.decode()
    assert "<h1>Harbour talks resume in Port Tessaly</h1>" in html


def test_uploads_over_the_size_limit_are_refused(editor_client, story, settings):
    settings.NEWSROOM_MAX_UPLOAD_BYTES = 2_000
    big = article_text(extra_bullet="Harbour pilots waited. " * 100)
    upload = SimpleUploadedFile("update.txt", big.encode("utf-8"))
    for data in ({"file": upload}, {"text": big}):
        response = editor_client.post(EDIT, data)
        assert response.status_code == 400
        assert "too large" in response.content.decode()
    publish_response = publish(editor_client, EDIT, big, base=1)
    assert publish_response.status_code == 400
    assert Revision.objects.count() == 1


def test_an_upload_needs_text_or_a_file_but_not_both(editor_client, story):
    empty = editor_client.post(EDIT, {"text": "  "})
    assert empty.status_code == 400
    assert "Paste the article or choose a file" in empty.content.decode()
    upload = SimpleUploadedFile("update.txt", article_text(drones=460).encode("utf-8"))
    both = editor_client.post(EDIT, {"text": article_text(), "file": upload})
    assert both.status_code == 400
    assert "not both" in both.content.decode()


def test_binary_files_are_refused_clearly(editor_client, story):
    upload = SimpleUploadedFile("photo.txt", bytes(range(256)) * 4)
    response = editor_client.post(EDIT, {"file": upload})
    assert response.status_code == 400
    assert "not a text file" in response.content.decode()


# --- Publish -----------------------------------------------------------------------------------


def test_publish_appends_a_revision_and_the_reader_page_updates(editor_client, story, editor):
    response = publish(editor_client, EDIT, article_text(drones=460), base=1, note="New count")
    assert response.status_code == 302
    # To the desk's page of the story, which shows the message; reader pages read no session.
    assert response["Location"] == "/stories/port-tessaly-talks/edit/"
    assert "Published revision 2" in editor_client.get(response["Location"]).content.decode()
    revision = Revision.objects.get(story=story, number=2)
    assert (revision.change_note, revision.kind, revision.uploaded_by, revision.based_on) == (
        "New count",
        "update",
        editor,
        1,
    )
    assert revision.figures == ["drones: 310 → 460"]
    assert "460 drones" in editor_client.get("/stories/port-tessaly-talks/").content.decode()


def test_published_text_has_unified_line_endings(editor_client, story):
    text = article_text(drones=460)
    publish(editor_client, EDIT, text.replace("\n", "\r\n"), base=1)
    assert Revision.objects.get(number=2).raw_text == text


def test_publish_writes_an_audit_entry_shown_on_the_edit_page(editor_client, story, editor):
    publish(editor_client, EDIT, article_text(drones=460), base=1, note="New count")
    entry = AuditEntry.objects.get()
    assert (entry.action, entry.user, entry.revision.number, entry.base_number, entry.detail) == (
        "published",
        editor,
        2,
        1,
        "New count",
    )
    html = editor_client.get(EDIT).content.decode()
    assert "editor-ines published revision 2 (based on revision 1): New count" in html


def test_publishing_without_a_user_writes_no_audit_entry(story):
    story.publish(article_text(drones=460))
    assert not AuditEntry.objects.exists()


def test_stale_base_is_refused_and_the_conflict_diff_shown(editor_client, story):
    # A colleague publishes revision 2 while this editor still looks at a preview based on 1.
    story.publish(article_text(drones=400), note="Colleague's update")
    mine = article_text(drones=460)
    response = publish(editor_client, EDIT, mine, base=1, note="My update")
    html = response.content.decode()
    assert response.status_code == 409
    assert Revision.objects.count() == 2
    assert "Someone published first" in html
    assert changed_figure(400, 460) in html  # theirs vs mine
    assert 'name="base_number" value="2"' in html
    assert "Publish anyway, over revision 2" in html
    assert 'name="note" value="My update"' in html
    rebased = publish(editor_client, EDIT, mine, base=2, note="My update")
    assert rebased.status_code == 302
    assert Revision.objects.get(number=3).based_on == 2


def test_a_new_story_base_of_zero_is_stale_once_anything_is_live(editor_client, story):
    response = publish(editor_client, EDIT, article_text(drones=460), base=0)
    assert response.status_code == 409
    assert Revision.objects.count() == 1


def test_unchanged_upload_is_refused(editor_client, story):
    # Said before any preview: the upload form again, the revision linked, nothing to publish.
    response = editor_client.post(EDIT, {"text": article_text()})
    html = response.content.decode()
    assert response.status_code == 409
    assert 'identical to <a href="/stories/port-tessaly-talks/revisions/1/">revision 1</a>' in html
    assert "As readers will see it" not in html and 'value="publish"' not in html
    response = publish(editor_client, EDIT, article_text(), base=1)
    assert response.status_code == 409
    assert "unchanged: identical to revision 1" in response.content.decode()
    assert Revision.objects.count() == 1
    assert not AuditEntry.objects.exists()


def test_correction_is_shown_to_readers(editor_client, story):
    publish(
        editor_client, EDIT, article_text(drones=301), base=1, kind="correction", note="Count fixed"
    )
    page = editor_client.get("/stories/port-tessaly-talks/").content.decode()
    assert "Corrected at <time" in page and ": Count fixed</li>" in page
    timeline = editor_client.get("/stories/port-tessaly-talks/revisions/").content.decode()
    assert '<span class="badge">Correction</span>' in timeline


def test_minor_change_may_not_hide_a_changed_figure(editor_client, story):
    response = publish(editor_client, EDIT, article_text(drones=460), base=1, kind="minor")
    assert response.status_code == 400
    assert "is not a minor change" in response.content.decode()
    assert Revision.objects.count() == 1
    # A misspelt name is another person: published as the editor chose, yet not shown as minor.
    name = article_text(closing="Observers expect a further round of talks next week in Lindqvaar.")
    assert publish(editor_client, EDIT, name, base=1, kind="minor").status_code == 302
    timeline = editor_client.get("/stories/port-tessaly-talks/revisions/").content.decode()
    assert "Minor edit</span>" not in timeline
    typo = article_text(closing="Observers expect a furhter round of talks next week in Lindqvaar.")
    assert publish(editor_client, EDIT, typo, base=2, kind="minor").status_code == 302
    timeline = editor_client.get("/stories/port-tessaly-talks/revisions/").content.decode()
    assert timeline.count('<span class="badge minor">Minor edit</span>') == 1


def test_new_story_gets_a_slug_from_its_headline(editor_client):
    text = article_text(headline="Ferry strike closes Lindqvar crossing")
    preview = editor_client.post("/edit/new/", {"text": text}).content.decode()
    assert 'value="ferry-strike-closes-lindqvar-crossing"' in preview
    response = publish(editor_client, "/edit/new/", text, base=0, slug="")
    assert response["Location"] == "/stories/ferry-strike-closes-lindqvar-crossing/edit/"
    story = Story.objects.get()
    assert (story.headline, story.live_number) == ("Ferry strike closes Lindqvar crossing", 1)


def test_new_story_slug_may_be_chosen_but_not_taken(editor_client, story):
    taken = publish(editor_client, "/edit/new/", article_text(), base=0, slug=story.slug)
    assert taken.status_code == 400
    assert "already a story at" in taken.content.decode()
    chosen = publish(editor_client, "/edit/new/", article_text(), base=0, slug="ferry-strike")
    assert chosen["Location"] == "/stories/ferry-strike/edit/"
    assert Story.objects.count() == 2


def test_story_address_taken_between_check_and_save_is_refused_cleanly(
    editor_client, story, monkeypatch
):
    from articles.forms import NewStoryForm

    # The colleague's story appears after the form checked the address: only the database knows.
    monkeypatch.setattr(NewStoryForm, "clean_slug", lambda form: form.cleaned_data["slug"])
    response = publish(editor_client, "/edit/new/", article_text(), base=0, slug=story.slug)
    assert response.status_code == 409
    assert "already a story at" in response.content.decode()
    assert Story.objects.count() == 1
    assert Revision.objects.count() == 1


def test_unreadable_text_at_publish_goes_back_to_the_upload_form(editor_client, story):
    response = publish(editor_client, EDIT, "   ", base=1)
    assert response.status_code == 400
    assert "Paste the article or choose a file" in response.content.decode()
    assert Revision.objects.count() == 1


# --- Retract -----------------------------------------------------------------------------------


@pytest.fixture
def two_revisions(make_story):
    return make_story(
        article_text(),
        article_text(headline="Harbour talks collapse in error", drones=9999),
    )


def retract(client, number: int, reason: str = "Figure published in error."):
    url = f"/stories/port-tessaly-talks/revisions/{number}/retract/"
    return client.post(url, {"reason": reason})


def test_retraction_needs_a_reason(editor_client, two_revisions):
    response = retract(editor_client, 2, reason="  ")
    assert response.status_code == 400
    assert not Revision.objects.get(number=2).is_retracted


def test_retraction_hides_the_revision_but_keeps_it(editor_client, client, two_revisions, editor):
    assert retract(editor_client, 2).status_code == 302
    revision = Revision.objects.get(number=2)
    assert "9999 drones" in revision.raw_text
    assert (revision.retracted_by, revision.retraction_reason) == (
        editor,
        "Figure published in error.",
    )
    story = Story.objects.get()
    assert (story.live_number, story.headline) == (1, article_text.__defaults__[0])
    assert story.updated_at == Revision.objects.get(number=1).published_at

    client.logout()
    page = client.get("/stories/port-tessaly-talks/").content.decode()
    assert "310 drones" in page and "9999" not in page
    permalink = client.get("/stories/port-tessaly-talks/revisions/2/").content.decode()
    assert "<strong>Retracted</strong> at" in permalink
    assert "9999" not in permalink and "collapse in error" not in permalink
    timeline = client.get("/stories/port-tessaly-talks/revisions/").content.decode()
    assert "Retracted at" in timeline
    assert "Figure published in error." in timeline
    # A desk's logins are not for the public: the editor desk says who retracted it.
    assert "editor-ines" not in permalink + timeline


def test_editors_may_still_read_a_retracted_revision(editor_client, two_revisions):
    retract(editor_client, 2)
    # At the desk: the reader permalink is the same for everyone, editors included.
    desk = editor_client.get("/stories/port-tessaly-talks/revisions/2/retract/").content.decode()
    assert "9999 drones" in desk
    assert "Its text, for editors" in desk
    permalink = editor_client.get("/stories/port-tessaly-talks/revisions/2/").content.decode()
    assert "9999" not in permalink


def test_retraction_writes_an_audit_entry(editor_client, two_revisions, editor):
    retract(editor_client, 2)
    entry = AuditEntry.objects.get()
    assert (entry.action, entry.user, entry.revision.number, entry.detail) == (
        "retracted",
        editor,
        2,
        "Figure published in error.",
    )
    html = editor_client.get(EDIT).content.decode()
    assert "editor-ines retracted revision 2: Figure published in error." in html


def test_a_revision_is_retracted_once(editor_client, two_revisions):
    retract(editor_client, 2)
    again = retract(editor_client, 2, reason="Second thoughts.")
    assert again.status_code == 409
    assert Revision.objects.get(number=2).retraction_reason == "Figure published in error."
    assert AuditEntry.objects.count() == 1


def test_retracting_the_only_revision_withdraws_the_story(editor_client, story):
    retract(editor_client, 1)
    story.refresh_from_db()
    assert story.live_number == 0
    assert "Withdrawn" in editor_client.get("/edit/").content.decode()
    client = Client()  # a reader
    assert client.get("/stories/port-tessaly-talks/").status_code == 404
    assert "port-tessaly-talks" not in client.get("/").content.decode()
    timeline = client.get("/stories/port-tessaly-talks/revisions/").content.decode()
    assert "Retracted at" in timeline and "editor-ines" not in timeline
    # Its headline was the retracted revision's: readers no longer see it anywhere.
    headline = article_text.__defaults__[0]
    permalink = client.get("/stories/port-tessaly-talks/revisions/1/").content.decode()
    assert headline not in timeline and headline not in permalink
    assert "<title>Revision 1: Withdrawn story — Newsroom</title>" in permalink
    assert "Withdrawn story" in timeline
    # A withdrawn story can be published again, on top of nothing.
    assert publish(editor_client, EDIT, article_text(drones=460), base=1).status_code == 302
    assert Story.objects.get().live_number == 2


def test_publishing_after_a_retraction_diffs_against_the_live_revision(
    editor_client, two_revisions
):
    retract(editor_client, 2)
    html = editor_client.post(EDIT, {"text": article_text(drones=460)}).content.decode()
    assert changed_figure(310, 460) in html
    assert 'name="base_number" value="1"' in html
    assert publish(editor_client, EDIT, article_text(drones=460), base=1).status_code == 302
    assert Revision.objects.get(number=3).based_on == 1


def test_retract_keeps_content_immutable(two_revisions, editor):
    revision = Revision.objects.get(number=2)
    revision.retract(editor, "Published in error.")
    with pytest.raises(ImmutableRevisionError):
        revision.raw_text = "rewritten"
    revision.change_note = "rewritten"
    with pytest.raises(ImmutableRevisionError):
        revision.save()
    assert Revision.objects.count() == 2


def test_audit_entries_are_read_only_in_the_admin(admin_client, editor_client, two_revisions):
    retract(editor_client, 2)
    assert admin_client.get("/admin/articles/auditentry/").status_code == 200
    assert admin_client.get("/admin/articles/auditentry/add/").status_code == 403
    entry = AuditEntry.objects.get()
    response = admin_client.post(f"/admin/articles/auditentry/{entry.pk}/delete/", {"post": "yes"})
    assert response.status_code == 403
    assert AuditEntry.objects.count() == 1


# --- The desk under a busy news day ---------------------------------------------------------


def test_the_upload_form_carries_the_revision_it_was_opened_on(editor_client, story):
    form = editor_client.get(EDIT).content.decode()
    assert 'name="base_number" value="1"' in form
    # A colleague publishes while this editor is still pasting their update.
    story.publish(article_text(drones=400), note="Colleague's update")
    mine = article_text(drones=460)
    preview = editor_client.post(EDIT, {"text": mine, "base_number": 1})
    html = preview.content.decode()
    assert "Someone published first" in html
    assert changed_figure(400, 460) in html  # what mine changes in theirs
    assert 'name="base_number" value="2"' in html
    assert "Publish anyway, over revision 2" in html
    assert Revision.objects.count() == 2


def test_publishing_from_a_form_opened_before_a_colleagues_update_shows_the_conflict(
    editor_client, story
):
    # The whole flow: form opened on revision 1, preview and publish after revision 2 landed.
    base = re.search(r'name="base_number" value="(\d+)"', editor_client.get(EDIT).content.decode())
    story.publish(article_text(drones=400), note="Colleague's update")
    preview = editor_client.post(EDIT, {"text": article_text(drones=460), "base_number": base[1]})
    carried = re.search(r'name="base_number" value="(\d+)"', preview.content.decode())[1]
    assert carried == "2"  # the preview said so; Publish is now a knowing choice
    assert publish(editor_client, EDIT, article_text(drones=460), base=base[1]).status_code == 409
    assert Revision.objects.get(number=2).change_note == "Colleague's update"


def long_summary_text(count: int) -> str:
    """Twenty-four labelled sections, each with a figure: a machine summary of 900 characters."""
    wards = "aldmoor brisk calder dunmere eastgate fenwick glass harrow isen juniper kettle lantern"
    wards += " millbrook northwall oxbow pellmarsh quarry rookfield saltings tannery upper vane wex"
    paragraphs = [
        f"The {ward} ward: Relief workers counted {count + i} families waiting at the depot."
        for i, ward in enumerate((wards + " yarrow").split())
    ]
    return article_text(closing="Observers expect more talks.\n\n" + "\n\n".join(paragraphs))


def test_a_long_machine_summary_is_cut_to_fit_the_change_note(editor_client, make_story):
    make_story(long_summary_text(100))
    html = editor_client.post(EDIT, {"text": long_summary_text(200)}).content.decode()
    note = unescape(re.search(r'name="note" value="([^"]*)"', html)[1])
    assert len(note) == 500 and note.endswith("…")
    assert note.startswith("The aldmoor ward: 1 figure changed · The brisk ward")
    response = publish(editor_client, EDIT, long_summary_text(200), base=1, note=note)
    assert response.status_code == 302
    assert Revision.objects.get(number=2).change_note == note


def test_what_stopped_publish_is_said_at_the_top_of_the_preview(editor_client, story):
    response = publish(
        editor_client, EDIT, article_text(drones=460), base=1, kind="minor", note="x" * 501
    )
    html = response.content.decode()
    assert response.status_code == 400
    summary = html.index('class="error-summary" role="alert"')
    assert summary < html.index("Changes against") < html.index("As readers will see it")
    top = html[summary : html.index("</div>", summary)]
    assert '<a href="#id_note">Change note: Ensure this value has at most 500 characters' in top
    assert Revision.objects.count() == 1


def test_a_minor_change_refused_by_publish_is_shown_on_the_kind(editor_client, story):
    html = publish(editor_client, EDIT, article_text(drones=460), base=1, kind="minor")
    top = html.content.decode().split('class="error-summary"')[1].split("</div>")[0]
    assert '<a href="#id_kind">Kind of change: Not published: a changed figure' in top
    assert 'id="id_kind"' in html.content.decode()


@pytest.mark.parametrize("slug", ["ferry strike", "ferry/strike", "Ferry_Strike!"])
def test_a_web_address_that_is_not_one_is_a_clear_error(editor_client, slug):
    response = publish(editor_client, "/edit/new/", article_text(), base=0, slug=slug)
    assert response.status_code == 400
    assert "Web address: Enter a valid “slug”" in response.content.decode()
    assert Story.objects.count() == 0


@pytest.mark.parametrize("base", ["99999999999", "-1", "two", ""])
def test_a_tampered_base_number_is_a_clear_error(editor_client, story, base):
    response = publish(editor_client, EDIT, article_text(drones=460), base=base)
    assert response.status_code == 400
    assert "The form names no revision of this story" in response.content.decode()
    preview = editor_client.post(EDIT, {"text": article_text(drones=460), "base_number": base})
    if base:  # absent from the upload form, it is the live revision
        assert preview.status_code == 400
        assert "The form names no revision of this story" in preview.content.decode()
    assert Revision.objects.count() == 1


def test_a_database_refusal_during_publish_is_a_conflict_not_a_crash(
    editor_client, story, monkeypatch
):
    def clash(*args, **kwargs):
        raise IntegrityError("duplicate key value violates unique constraint")

    monkeypatch.setattr(Story, "publish", clash)
    response = publish(editor_client, EDIT, article_text(drones=460), base=1)
    assert response.status_code == 409
    assert "another change to this story was stored at the same moment" in (
        response.content.decode()
    )


def big_non_latin_article() -> str:
    """About 2.3 MB of UTF-8: three bytes a character, nine once URL-encoded."""
    sentence = "泰萨利港的调解人说，关于救援走廊的谈判在第{n}轮后仍未达成协议。"
    paragraphs = ("".join(sentence.format(n=p * 10 + i) for i in range(12)) for p in range(2000))
    return article_text(closing="Observers expect more talks.\n\n" + "\n\n".join(paragraphs))


def test_a_big_non_latin_article_that_previews_also_publishes(editor_client, story, settings):
    text = big_non_latin_article()
    assert 2_200_000 < len(text.encode("utf-8")) < settings.NEWSROOM_MAX_UPLOAD_BYTES
    # URL-encoded, the text is past what Django accepts in a request body ("Bad Request").
    assert len(urlencode({"raw_text": text})) > settings.DATA_UPLOAD_MAX_MEMORY_SIZE
    upload = SimpleUploadedFile("update.txt", text.encode("utf-8"))
    preview = editor_client.post(EDIT, {"file": upload}).content.decode()
    form = preview.split('<form method="post" class="edit-form publish-form"')[1].split(">")[0]
    assert 'enctype="multipart/form-data"' in form
    # The test client posts multipart, as the browser now does.
    response = publish(editor_client, EDIT, carried_text(preview), base=1)
    assert response.status_code == 302
    assert Revision.objects.get(number=2).raw_text == text


def carried_text(preview_html: str) -> str:
    found = re.search(r'<textarea name="raw_text"[^>]*>\n(.*?)</textarea>', preview_html, re.DOTALL)
    return unescape(found.group(1))


def test_each_preview_shows_its_own_text(editor_client, story):
    # The article body is cached per revision; an unsaved preview must not share one key.
    first = editor_client.post(EDIT, {"text": article_text(drones=460)}).content.decode()
    second = editor_client.post(EDIT, {"text": article_text(drones=470)}).content.decode()
    body = '<section class="preview"'
    assert "460 drones" in first.split(body)[1]
    assert "470 drones" in second.split(body)[1] and "460 drones" not in second.split(body)[1]


def test_the_preview_says_when_an_upload_is_an_earlier_revision_again(editor_client, story):
    story.publish(article_text(drones=400))
    html = editor_client.post(EDIT, {"text": article_text()}).content.decode()
    assert 'identical to <a href="/stories/port-tessaly-talks/revisions/1/">revision 1</a>' in html
    assert "As readers will see it" not in html
    response = publish(editor_client, EDIT, article_text(), base=2)
    assert response.status_code == 409
    assert "unchanged: identical to revision 1" in response.content.decode()
