"""The desk on deadline in a real Chromium, on the demo story: one figure edited in place, the
preview edited and updated, Cancel and back with the text kept, then an as-of publish — at
1280 and 360 px, with and without JavaScript, axe-clean at every step."""

from datetime import UTC, datetime

import pytest
from django.core.management import call_command
from playwright.sync_api import expect

from articles.management.commands.createeditor import editors_group
from articles.models import Revision
from tests.browser.axe import serious_violations

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

PASSWORD = "harbour-lantern-fig-42"
STORY = "/stories/valdoria-ceasefire-talks/"
# The demo's live revision 7 is dated 25 Nov 2026, 07:15 UTC: this is after it, and past.
AS_OF = datetime(2026, 11, 25, 9, 15, tzinfo=UTC)


def check_page(page, width: int, checker) -> None:
    """axe-clean and no wider than the screen. axe runs as page script, which a page without
    JavaScript does not run: its markup, as that browser got it, is checked in a page of the
    same size and origin that runs it."""
    if checker is not page:
        checker.set_content(page.content())
    assert serious_violations(checker) == []
    assert page.evaluate("document.documentElement.scrollWidth") <= width


@pytest.mark.parametrize("width", [1280, 360])
@pytest.mark.parametrize("javascript", [True, False], ids=["js", "no-js"])
def test_a_figure_edited_in_place_previewed_edited_cancelled_and_published_as_of(
    new_page, django_user_model, javascript, width
):
    call_command("loaddemo", stdout=open("/dev/null", "w"))  # noqa: SIM115
    editor = django_user_model.objects.create_user("editor-ines", password=PASSWORD)
    editor.groups.add(editors_group())
    page = new_page(javascript=javascript, width=width)
    checker = page if javascript else new_page(javascript=True, width=width)
    checker.goto("/")
    page.goto("/accounts/login/")
    page.get_by_label("Username").fill("editor-ines")
    page.get_by_label("Password").fill(PASSWORD)
    page.get_by_role("button", name="Sign in").click()

    # Edit in place: the live text is in the form; one figure changes.
    page.goto(STORY + "edit/")
    text = page.get_by_label("Edit the live text in place")
    assert "over 510 drones" in text.input_value()
    check_page(page, width, checker)
    text.fill(text.input_value().replace("over 510 drones", "over 525 drones"))
    page.get_by_role("button", name="Preview", exact=True).click()
    expect(page.get_by_role("heading", name="Preview: revision 8")).to_be_visible()
    figures = page.locator(".diff-summary .figures")
    expect(figures).to_contain_text("was 510 → now 525")
    check_page(page, width, checker)

    # A typo spotted in the preview: fixed beside the parse, the preview updated in place.
    page.evaluate("window.__samePage = true")
    source = page.get_by_label("The text")
    source.fill(source.input_value().replace("over 525 drones", "over 527 drones"))
    page.get_by_role("button", name="Update preview").click()
    expect(figures).to_contain_text("was 510 → now 527")
    expect(page.locator(".preview article")).to_contain_text("over 527 drones")
    # With JavaScript the preview was swapped in place; without, the page came back whole.
    assert page.evaluate("window.__samePage === true") is javascript
    check_page(page, width, checker)

    # Cancel goes back to the form with the text as edited; nothing was stored.
    page.get_by_role("button", name="Cancel").click()
    expect(page.get_by_role("heading", name="New revision")).to_be_visible()
    assert "over 527 drones" in page.get_by_label("Edit the live text in place").input_value()
    assert Revision.objects.count() == 7
    check_page(page, width, checker)

    # Back to the preview, dated an hour's phone call ago, and published.
    page.get_by_role("button", name="Preview", exact=True).click()
    page.get_by_label("Change note").fill("Updated drone count, phoned in by the Maren desk")
    page.get_by_label("As of").fill(AS_OF.strftime("%Y-%m-%dT%H:%M"))
    page.get_by_role("button", name="Publish", exact=True).click()
    expect(page.locator(".messages")).to_contain_text("Published revision 8")
    revision = Revision.objects.get(number=8)
    assert revision.published_at == AS_OF
    assert "over 527 drones" in revision.raw_text
    page.goto(STORY + "revisions/")  # shown in the reader's time with JavaScript: the attribute
    expect(page.locator('time[datetime="2026-11-25T09:15:00+00:00"]').first).to_be_attached()
