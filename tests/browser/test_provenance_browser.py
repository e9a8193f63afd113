"""When each line was reported, and every figure's history, in a real Chromium: with and without
JavaScript, at 1280 and 360 px, axe-clean."""

import pytest

from tests.browser.axe import serious_violations
from tests.conftest import article_text

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

STORY = "/stories/port-tessaly-talks/"
CASUALTIES = "At least 3 people were killed and 40 wounded when a shell hit the fish market."


def story(make_story):
    return make_story(
        article_text(),
        article_text(drones=345, extra_bullet=CASUALTIES),
        article_text(drones=345, extra_bullet=CASUALTIES.replace("40", "52")),
    )


@pytest.mark.parametrize("path", ["?view=origins", "figures/"])
@pytest.mark.parametrize("width", [1280, 360])
def test_origins_view_and_figures_page_are_accessible_and_fit_the_screen(
    new_page, make_story, path, width
):
    story(make_story)
    page = new_page(width=width)
    page.goto(STORY + path)
    assert serious_violations(page) == []
    # Nothing but the figures table (which scrolls in its own region) is wider than the screen.
    assert page.evaluate("document.documentElement.scrollWidth") <= width


@pytest.mark.parametrize("javascript", [True, False])
def test_the_toggle_shows_when_each_line_was_reported_and_links_to_what_introduced_it(
    new_page, make_story, javascript
):
    story(make_story)
    page = new_page(javascript=javascript, width=360)
    page.goto(STORY)
    page.get_by_role("link", name="When each line was reported").click()
    page.wait_for_url("**/?view=origins")
    line = page.locator('.origin[data-first="2"][data-last="3"]')
    assert CASUALTIES.replace("40", "52") in line.inner_text()
    mark = line.locator(".origin-mark")
    assert "first reported in revision 2, 20 Nov 2026, 09:00 UTC" in mark.text_content()
    mark.click()
    page.wait_for_url("**/compare/1/2/")
    page.go_back()
    page.get_by_role("link", name="Hide when each line was reported").click()
    page.wait_for_url(f"**{STORY}")
    assert page.locator(".origin").count() == 0


def test_the_figures_page_is_linked_from_the_story_and_lists_values_oldest_first(
    new_page, make_story
):
    story(make_story)
    page = new_page(javascript=False, width=360)
    page.goto(STORY)
    page.get_by_role("link", name="Figures").click()
    page.wait_for_url("**/figures/")
    row = page.locator('tr[data-figure="wounded"]')
    assert row.locator(".value").all_inner_texts() == ["40", "52"]
    assert page.locator('tr[data-figure="drones"] td').count() == 2
