"""The wipe guard in the browser: a paste that removes most of the live story is not published
by a plain Publish; the banner at the top says so, and a separate confirmation publishes it."""

import pytest
from playwright.sync_api import expect

from articles.management.commands.createeditor import editors_group
from articles.models import Revision, Story
from tests.conftest import article_text

PASSWORD = "harbour-lantern-fig-42"
TEASER = (
    "Harbour talks in Port Tessaly stall over corridor\n\n"
    "Mediators in the fictional city of Port Tessaly said on Friday that talks stalled.\n"
)
CHROME = "Try it free for 14 days\nMost read on Newsgrove today\nSubscribe for unlimited access\n"


def sign_in(page) -> None:
    page.goto("/accounts/login/")
    page.get_by_label("Username").fill("editor-ines")
    page.get_by_label("Password").fill(PASSWORD)
    page.get_by_role("button", name="Sign in").click()


@pytest.mark.browser
@pytest.mark.django_db(transaction=True)
@pytest.mark.parametrize("javascript", [True, False], ids=["js", "no-js"])
def test_a_shrinking_paste_needs_the_separate_confirmation(
    new_page, make_story, django_user_model, javascript
):
    make_story(article_text())
    django_user_model.objects.create_user("editor-ines", password=PASSWORD).groups.add(
        editors_group()
    )
    page = new_page(javascript=javascript, width=360)
    sign_in(page)
    page.goto("/stories/port-tessaly-talks/edit/")
    page.get_by_label("Paste the article").fill(TEASER)
    page.get_by_role("button", name="Preview").click()

    banner = page.get_by_role("alert").filter(has_text="of the live story's text")
    expect(banner).to_contain_text("This update removes")
    box = banner.bounding_box()
    assert box is not None and box["y"] < 300  # at the top, where the editor is looking

    page.get_by_role("button", name="Publish", exact=True).click()
    expect(page.get_by_role("alert").filter(has_text="Not published.")).to_be_visible()
    assert Revision.objects.count() == 1
    assert Story.objects.get().live_number == 1

    page.get_by_label("Yes, publish it although it removes").check()
    page.get_by_role("button", name="Publish", exact=True).click()
    expect(page.locator(".messages")).to_contain_text("Published revision 2")
    assert Story.objects.get().live_number == 2


@pytest.mark.browser
@pytest.mark.django_db(transaction=True)
def test_a_chrome_paste_is_refused_with_the_reason(new_page, make_story, django_user_model):
    make_story(article_text())
    django_user_model.objects.create_user("editor-ines", password=PASSWORD).groups.add(
        editors_group()
    )
    page = new_page(width=360)
    sign_in(page)
    page.goto("/stories/port-tessaly-talks/edit/")
    page.get_by_label("Paste the article").fill(CHROME)
    page.get_by_role("button", name="Preview").click()
    expect(page.locator("body")).to_contain_text("no article text found")
    assert Revision.objects.count() == 1
