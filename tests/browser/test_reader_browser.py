"""The reader experience in a real Chromium: live notices, last-visit memory, timeline compare,
and axe-core accessibility checks."""

import pytest
from axe_playwright_python.sync_playwright import Axe

from tests.conftest import article_text, at

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

STORY = "/stories/port-tessaly-talks/"
LONG_CLOSING = " ".join(["Observers expect a further round of talks next week in Lindqvar."] * 40)


def test_new_revision_shows_a_live_notice_without_reload(new_page, make_story):
    story = make_story(
        article_text(closing=LONG_CLOSING), article_text(drones=330, closing=LONG_CLOSING)
    )
    page = new_page(width=1000, height=600)
    page.goto(STORY)
    page.evaluate("window.scrollTo(0, 400)")
    page.evaluate("window.__sameDocument = true")

    story.publish(article_text(drones=377, closing=LONG_CLOSING), published_at=at(5))

    notice = page.locator(".update-notice")
    notice.wait_for(state="visible", timeout=30_000)
    assert "1 figure changed" in notice.inner_text()
    assert page.evaluate("window.__sameDocument") is True  # no reload happened
    assert page.evaluate("window.scrollY") == 400
    assert page.locator("[aria-live='polite'] .update-notice").count() == 1

    notice.get_by_role("link", name="Show changes").click()
    page.wait_for_url("**/compare/2/3/")
    assert page.locator("del", has_text="330").count() >= 1
    assert page.locator("ins", has_text="377").count() >= 1


def test_since_your_last_visit_offers_the_changes(new_page, make_story):
    story = make_story(article_text(), article_text(drones=330))
    page = new_page()
    page.goto(STORY)
    assert page.locator("#last-visit").is_hidden()

    story.publish(article_text(drones=340), published_at=at(5))
    story.publish(article_text(drones=350), published_at=at(6))
    # Coming back: a reload revalidates (a visit within the page's max-age of 5 s may be
    # served from the browser's cache, as Cache-Control allows; the poll then announces).
    page.reload()

    note = page.locator("#last-visit")
    assert note.is_visible()
    assert "2 updates since your last visit" in note.inner_text()
    note.get_by_role("link", name="see what changed").click()
    page.wait_for_url("**/compare/2/4/")
    assert page.locator("ins", has_text="350").count() >= 1


def test_timeline_compare_swaps_the_diff_in_and_pushes_the_url(new_page, make_story):
    make_story(article_text(), article_text(drones=330), article_text(drones=360))
    page = new_page()
    page.goto(STORY + "revisions/")
    page.check("input[name='old'][value='1']")
    page.check("input[name='new'][value='3']")
    page.get_by_role("button", name="Compare selected revisions").click()

    page.locator("#comparison-slot #comparison").wait_for()
    assert page.url.endswith("/stories/port-tessaly-talks/compare/1/3/")
    assert page.locator("h1", has_text="Timeline of updates").count() == 1  # same page, swapped
    assert page.locator("#comparison-slot ins", has_text="360").count() >= 1


def test_timeline_compare_works_without_javascript(new_page, make_story):
    make_story(article_text(), article_text(drones=330), article_text(drones=360))
    page = new_page(javascript=False)
    page.goto(STORY + "revisions/")
    page.check("input[name='old'][value='1']")
    page.check("input[name='new'][value='3']")
    page.select_option("select[name='view']", "side")
    page.get_by_role("button", name="Compare selected revisions").click()

    page.wait_for_url("**/compare/1/3/?view=side")
    assert page.locator(".diff-side ins", has_text="360").count() >= 1


@pytest.mark.parametrize(
    "path",
    [
        "",
        "?highlight=1",
        "revisions/",
        "revisions/1/",
        "compare/1/3/",
        "compare/1/3/?view=side",
    ],
)
@pytest.mark.parametrize("width", [1280, 360])
def test_reader_pages_have_no_serious_accessibility_violations(new_page, make_story, path, width):
    make_story(
        article_text(),
        article_text(drones=330, extra_bullet="Cranes at the north quay stopped at noon."),
        article_text(headline="Corridor talks resume", drones=360),
    )
    page = new_page(width=width)
    page.goto(STORY + path)
    results = Axe().run(page)
    serious = [
        f"{violation['id']}: {violation['help']} ({len(violation['nodes'])} nodes)"
        for violation in results.response["violations"]
        if violation["impact"] in ("serious", "critical")
    ]
    assert serious == []


@pytest.mark.parametrize("width", [1280, 360])
def test_n_and_p_keys_step_through_the_changes(new_page, make_story, width):
    make_story(
        article_text(),
        article_text(
            headline="Corridor talks resume", drones=360, extra_bullet="Cranes stopped at noon."
        ),
    )
    page = new_page(width=width, height=500)
    page.goto(STORY + "compare/1/2/?view=side")
    visited = []
    for key in "nnpp":
        page.keyboard.press(key)
        visited.append(page.evaluate("document.activeElement.id"))
    prefix = "narrow-" if width == 360 else ""  # narrow screens get the inline diff
    assert visited == [f"{prefix}change-{n}" for n in (1, 2, 1, 1)]


@pytest.mark.parametrize("width", [1280, 360])
def test_the_live_notice_docks_below_the_text_and_can_be_dismissed(
    new_page, make_story, settings, width
):
    settings.NEWSROOM_POLL_SECONDS = 1
    story = make_story(
        article_text(closing=LONG_CLOSING), article_text(drones=330, closing=LONG_CLOSING)
    )
    page = new_page(width=width, height=700)
    page.goto(STORY)
    story.publish(article_text(drones=377, closing=LONG_CLOSING), published_at=at(5), note="Hit")
    notice = page.locator(".update-notice")
    notice.wait_for(state="visible", timeout=20_000)
    assert notice.inner_text().index("“Hit”") < notice.inner_text().index("What changed")
    serious = [
        v["id"]
        for v in Axe().run(page).response["violations"]
        if v["impact"] in ("serious", "critical")
    ]
    assert serious == []
    # At the end of the story the notice sits below the last paragraph, not over it.
    page.evaluate("window.scrollTo(0, document.body.scrollHeight)")
    last = page.locator("#article p.block").last.bounding_box()
    assert last["y"] + last["height"] <= notice.bounding_box()["y"] + 1
    # Closed with its button, it goes; polling goes on and the next update brings a new one.
    notice.get_by_role("button", name="Dismiss this notice").click()
    assert page.locator(".update-notice").count() == 0
    story.publish(article_text(drones=388, closing=LONG_CLOSING), published_at=at(6), note="More")
    notice.wait_for(state="visible", timeout=20_000)
    assert "2 updates since you opened this page" in notice.inner_text()
    page.keyboard.press("Escape")
    assert page.locator(".update-notice").count() == 0
