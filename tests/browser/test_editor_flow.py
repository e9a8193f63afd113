"""An editor signs in, uploads a file, checks the preview and diff, publishes; readers see it."""

import pytest
from playwright.sync_api import expect

from articles.management.commands.createeditor import editors_group
from articles.models import AuditEntry, Revision
from tests.conftest import article_text

PASSWORD = "harbour-lantern-fig-42"


@pytest.mark.browser
@pytest.mark.django_db(transaction=True)
@pytest.mark.parametrize("javascript", [True, False], ids=["js", "no-js"])
def test_editor_publishes_an_uploaded_file_from_a_phone(
    new_page, make_story, django_user_model, tmp_path, javascript
):
    story = make_story(article_text())
    editor = django_user_model.objects.create_user("editor-ines", password=PASSWORD)
    editor.groups.add(editors_group())
    upload = tmp_path / "update.txt"
    upload.write_text(article_text(drones=460), encoding="utf-8")
    page = new_page(javascript=javascript, width=360)

    page.goto("/accounts/login/")
    page.get_by_label("Username").fill("editor-ines")
    page.get_by_label("Password").fill(PASSWORD)
    page.get_by_role("button", name="Sign in").click()
    expect(page.get_by_role("heading", name="Editor desk")).to_be_visible()

    page.get_by_role("link", name=f"New revision of {story.headline}").click()
    page.get_by_label("or upload a file").set_input_files(upload)
    page.get_by_role("button", name="Preview").click()
    expect(page.get_by_role("heading", name="Preview: revision 2")).to_be_visible()
    expect(page.locator(".diff-summary .figures")).to_contain_text("drones: was 310 → now 460")
    expect(page.locator(".edit-diff ins").first).to_be_visible()
    expect(page.locator(".preview article")).to_contain_text("460 drones")
    assert page.evaluate("document.documentElement.scrollWidth") <= 360
    assert Revision.objects.count() == 1  # the preview stored nothing

    page.get_by_label("Change note").fill("Council raises the drone count")
    page.get_by_role("button", name="Publish", exact=True).click()
    # Back at the desk's page of the story (reader pages read no session, so show no message).
    expect(page.locator(".messages")).to_contain_text("Published revision 2")
    assert page.url.endswith("/stories/port-tessaly-talks/edit/")
    page.get_by_role("link", name=story.headline).click()
    expect(page.locator("article h1")).to_have_text(story.headline)
    expect(page.locator("article")).to_contain_text("460 drones")
    assert AuditEntry.objects.get().user == editor

    reader = new_page(javascript=javascript, width=360)
    reader.goto("/stories/port-tessaly-talks/")
    expect(reader.locator("article")).to_contain_text("460 drones")
    reader.goto("/stories/port-tessaly-talks/revisions/")
    expect(reader.locator("body")).to_contain_text("Council raises the drone count")


@pytest.mark.browser
@pytest.mark.django_db(transaction=True)
def test_a_big_non_latin_article_publishes_from_the_browser(
    new_page, make_story, django_user_model, tmp_path
):
    # 2.3 MB of UTF-8 that URL-encodes to 6.9 MB: past the request limit unless sent multipart.
    from tests.test_editing import big_non_latin_article

    story = make_story(article_text())
    editor = django_user_model.objects.create_user("editor-ines", password=PASSWORD)
    editor.groups.add(editors_group())
    upload = tmp_path / "update.txt"
    upload.write_text(big_non_latin_article(), encoding="utf-8")
    page = new_page(javascript=False)
    page.goto("/accounts/login/")
    page.get_by_label("Username").fill("editor-ines")
    page.get_by_label("Password").fill(PASSWORD)
    page.get_by_role("button", name="Sign in").click()
    page.goto(f"/stories/{story.slug}/edit/")
    page.get_by_label("or upload a file").set_input_files(upload)
    page.get_by_role("button", name="Preview").click()
    expect(page.get_by_role("heading", name="Preview: revision 2")).to_be_visible()
    # 2.3 MB goes up, and the story's edit page comes back with it in its textarea (the live
    # text, to edit in place): more than the default 10 s on a loaded machine.
    page.get_by_role("button", name="Publish", exact=True).click(timeout=60_000)
    expect(page.locator(".messages")).to_contain_text("Published revision 2", timeout=60_000)
    assert Revision.objects.get(number=2).raw_text == upload.read_text(encoding="utf-8")
