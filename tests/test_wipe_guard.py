"""The wipe guard: no upload wipes a live story by accident.

A paste of only chrome is no article at all; an upload that keeps less than half of the live
text is published only with an explicit confirmation — in Story.publish itself, so the desk,
`ingest` and scripts all meet it.
"""

import io
import re

import pytest
from django.core.management import CommandError, call_command

from articles.core.document import ParseError
from articles.core.matching import removed_share
from articles.core.parsing import parse_article
from articles.management.commands.createeditor import editors_group
from articles.models import Revision, ShrinkRefused, Story
from tests.conftest import article_text, at

pytestmark = pytest.mark.django_db

EDIT = "/stories/port-tessaly-talks/edit/"
# The live story's first two paragraphs only: what a hurried copy from a teaser gives.
FIRST_PARAGRAPHS = (
    "Harbour talks in Port Tessaly stall over corridor\n\n"
    "Mediators in the fictional city of Port Tessaly said on Friday that talks stalled.\n"
)
CHROME_PASTE = (
    "Try it free for 14 days\nMost read on Newsgrove today\nSubscribe for unlimited access\n"
    "Already a subscriber? Log in\nTerms of use · Cookie policy\n"
)


@pytest.fixture
def story(make_story):
    return make_story(article_text())


@pytest.fixture
def editor_client(client, django_user_model):
    user = django_user_model.objects.create_user("editor-ines", password="x")
    user.groups.add(editors_group())
    client.force_login(user)
    return client


def percent_removed() -> int:
    live, upload = parse_article(article_text()), parse_article(FIRST_PARAGRAPHS)
    return int(removed_share(live, upload) * 100)


def test_removed_share_counts_the_live_words_the_upload_no_longer_has():
    live = parse_article(article_text())
    assert removed_share(live, live) == 0.0
    assert removed_share(live, parse_article(article_text(drones=410))) < 0.05
    assert 0.5 < removed_share(live, parse_article(FIRST_PARAGRAPHS)) < 1.0


def test_publish_refuses_an_upload_that_removes_most_of_the_live_text(story):
    with pytest.raises(ShrinkRefused) as refusal:
        story.publish(FIRST_PARAGRAPHS, published_at=at(2))
    assert str(refusal.value) == (
        f"removes {percent_removed()}% of the live text of port-tessaly-talks"
    )
    assert story.revisions.count() == 1


def test_publish_with_allow_shrink_publishes_it(story):
    revision = story.publish(FIRST_PARAGRAPHS, published_at=at(2), allow_shrink=True)
    assert revision.number == 2
    story.refresh_from_db()
    assert story.live_number == 2


def test_an_ordinary_update_needs_no_confirmation(story):
    assert story.publish(article_text(drones=460), published_at=at(2)).number == 2


def test_the_first_revision_of_a_story_is_never_a_shrink():
    story = Story.objects.create(slug="new-one", headline="x")
    assert story.publish(FIRST_PARAGRAPHS, published_at=at(0)).number == 1


def test_a_chrome_paste_is_no_article_whatever_headline_it_seems_to_have(story):
    with pytest.raises(ParseError, match=r"^no article text found$"):
        story.publish(CHROME_PASTE, published_at=at(2))
    assert story.revisions.count() == 1


# --- ingest ------------------------------------------------------------------------------------


def run_ingest(*args: str) -> tuple[str, str, CommandError | None]:
    out, err = io.StringIO(), io.StringIO()
    try:
        call_command("ingest", *args, stdout=out, stderr=err)
    except CommandError as error:
        return out.getvalue(), err.getvalue(), error
    return out.getvalue(), err.getvalue(), None


def test_ingest_refuses_a_shrinking_upload_with_the_exact_error_line(story, tmp_path):
    path = tmp_path / "teaser.txt"
    path.write_text(FIRST_PARAGRAPHS, encoding="utf-8")
    out, err, failure = run_ingest(str(path), "--story", "port-tessaly-talks")
    assert err.strip() == (
        f"error: {path}: removes {percent_removed()}% of the live text of port-tessaly-talks "
        "(use --allow-shrink to publish it)"
    )
    assert failure is not None and failure.returncode == 1
    assert out.strip().endswith("0 ingested, 0 unchanged, 1 failed")
    assert Revision.objects.count() == 1


def test_ingest_refuses_it_when_it_finds_the_story_itself(story, tmp_path):
    path = tmp_path / "teaser.txt"
    path.write_text(FIRST_PARAGRAPHS, encoding="utf-8")
    _, err, failure = run_ingest(str(path))
    assert "of the live text of port-tessaly-talks (use --allow-shrink" in err
    assert failure is not None


def test_ingest_allow_shrink_publishes_it(story, tmp_path):
    path = tmp_path / "teaser.txt"
    path.write_text(FIRST_PARAGRAPHS, encoding="utf-8")
    out, _, failure = run_ingest(str(path), "--story", "port-tessaly-talks", "--allow-shrink")
    assert failure is None
    assert "revision 2" in out
    assert Story.objects.get().live_number == 2


def test_ingest_reports_a_chrome_paste_as_no_article(story, tmp_path):
    path = tmp_path / "chrome.txt"
    path.write_text(CHROME_PASTE, encoding="utf-8")
    _, err, failure = run_ingest(str(path), "--story", "port-tessaly-talks")
    assert err.strip() == f"error: {path}: no article text found"
    assert failure is not None and Revision.objects.count() == 1


# --- The desk ----------------------------------------------------------------------------------


def publish_data(text: str, **extra: str) -> dict[str, object]:
    data = {"step": "publish", "raw_text": text, "base_number": 1, "note": "", "kind": "update"}
    return {**data, **extra}


def test_the_preview_says_so_in_a_banner_at_the_top(editor_client, story):
    html = editor_client.post(EDIT, {"text": FIRST_PARAGRAPHS}).content.decode()
    banner = f"This update removes {percent_removed()}% of the live story's text."
    assert banner in html
    # At the top: before the parse warnings, the diff and the article preview.
    assert html.index(banner) < html.index('id="preview-title"')
    assert html.index(banner) < html.index('class="edit-diff"')
    assert 'name="allow_shrink"' in html


def test_a_plain_publish_of_a_shrinking_upload_is_refused(editor_client, story):
    response = editor_client.post(EDIT, publish_data(FIRST_PARAGRAPHS))
    assert response.status_code == 409
    html = response.content.decode()
    top = html[: html.index('id="preview-title"')]
    assert "Not published." in top
    assert f"removes {percent_removed()}% of the live story's text" in top
    assert Revision.objects.count() == 1


def test_publish_with_the_separate_confirmation_publishes_it(editor_client, story):
    response = editor_client.post(EDIT, publish_data(FIRST_PARAGRAPHS, allow_shrink="on"))
    assert response.status_code == 302
    assert Story.objects.get().live_number == 2


def test_an_ordinary_update_shows_no_banner_and_no_confirmation(editor_client, story):
    html = editor_client.post(EDIT, {"text": article_text(drones=460)}).content.decode()
    assert "of the live story's text" not in html
    assert 'name="allow_shrink"' not in html


def test_the_desk_refuses_a_chrome_paste_with_the_reason(editor_client, story):
    response = editor_client.post(EDIT, {"text": CHROME_PASTE})
    assert response.status_code == 400
    assert "Could not read the article: no article text found." in response.content.decode()
    assert Revision.objects.count() == 1


def test_a_new_story_is_never_asked_to_confirm_a_shrink(editor_client):
    html = editor_client.post("/edit/new/", {"text": FIRST_PARAGRAPHS}).content.decode()
    assert not re.search(r"removes \d+% of the live", html)
