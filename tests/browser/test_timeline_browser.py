"""The paginated timeline in a real Chromium: two revisions listed on different pages compare,
with JavaScript and without."""

import pytest

from articles.core.parsing import parse_article
from articles.models import Story
from tests.conftest import article_text, at

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

TIMELINE = "/stories/port-tessaly-talks/revisions/"


@pytest.mark.parametrize("javascript", [True, False], ids=["js", "no-js"])
def test_revisions_on_different_pages_compare(new_page, javascript):
    story = Story.objects.create(slug="port-tessaly-talks", headline="port-tessaly-talks")
    for number in range(1, 56):
        text = article_text(drones=300 + number)
        story.publish(text, published_at=at(number), document=parse_article(text))
    page = new_page(javascript=javascript, width=360)
    page.goto(TIMELINE)
    page.get_by_role("button", name="Older revisions").click()
    page.check("input[name='old'][value='3']")
    page.get_by_role("button", name="Newer revisions").click()
    assert page.locator("input[type='hidden'][name='old']").get_attribute("value") == "3"
    page.check("input[name='new'][value='54']")
    page.get_by_role("button", name="Compare selected revisions").click()
    page.wait_for_url("**/compare/3/54/")
    assert page.locator("del", has_text="303").count() >= 1
    assert page.locator("ins", has_text="354").count() >= 1
