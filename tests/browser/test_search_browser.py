"""The header's search box in a real Chromium: with and without JavaScript, at 1280 and 360 px,
and the results page and the API's documentation axe-clean."""

import pytest

from tests.browser.axe import serious_violations
from tests.conftest import article_text

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


@pytest.fixture
def stories(make_story):
    make_story(
        article_text(closing="Shelling was reported near Mykolaiv overnight."),
        article_text(closing="The port was quiet overnight.", drones=320),
    )
    make_story(article_text(headline="Mykolaiv harbour reopens after the storm"), slug="harbour")


@pytest.mark.parametrize("javascript", [True, False])
@pytest.mark.parametrize("width", [1280, 360])
def test_the_header_box_searches_from_any_page(new_page, stories, javascript, width):
    page = new_page(javascript=javascript, width=width)
    page.goto("/stories/harbour/")
    box = page.get_by_role("searchbox", name="Search stories")
    assert box.is_visible()
    box.fill("Mykolaiv")
    box.press("Enter")
    page.wait_for_url("**/search/?q=Mykolaiv")
    live = page.get_by_role("region", name="In the stories as they are now")
    assert live.get_by_role("link", name="Mykolaiv harbour reopens after the storm").is_visible()
    earlier = page.get_by_role("region", name="In earlier versions")
    assert earlier.locator("mark", has_text="Mykolaiv").count() == 1
    earlier.get_by_role("link", name="see what revision 2 changed").click()
    page.wait_for_url("**/stories/port-tessaly-talks/compare/1/2/")
    assert page.locator("del", has_text="Mykolaiv").count() >= 1


@pytest.mark.parametrize("width", [1280, 360])
def test_search_and_api_pages_fit_and_are_axe_clean(new_page, stories, width):
    page = new_page(width=width)
    for url in ("/search/?q=Mykolaiv", "/search/", "/api/v1/docs/"):
        page.goto(url)
        assert page.evaluate("document.documentElement.scrollWidth") <= width, url
        assert serious_violations(page) == [], url
