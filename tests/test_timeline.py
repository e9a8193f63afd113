"""The timeline in pages of 50: newest first, stable ?before=N addresses, a chart of the page's
range, and a compare form that carries its selection from page to page."""

import re

import pytest

from articles.core.parsing import parse_article
from articles.models import Story
from tests.conftest import article_text, at

pytestmark = pytest.mark.django_db

TIMELINE = "/stories/port-tessaly-talks/revisions/"


@pytest.fixture
def long_story(django_user_model) -> Story:
    """120 revisions; revision 60 retracted."""
    story = Story.objects.create(slug="port-tessaly-talks", headline="port-tessaly-talks")
    for number in range(1, 121):
        text = article_text(drones=300 + number)
        story.publish(
            text, published_at=at(number), note=f"update {number}", document=parse_article(text)
        )
    desk = django_user_model.objects.create_user("desk", password="unused")
    story.revisions.get(number=60).retract(desk, "Published in error")
    story.refresh_from_db()
    return story


def listed(html: str) -> list[int]:
    return [
        int(n) for n in re.findall(r'href="/stories/port-tessaly-talks/revisions/(\d+)/"', html)
    ]


def test_the_first_page_lists_the_newest_fifty(client, long_story):
    html = client.get(TIMELINE).content.decode()
    assert listed(html) == list(range(120, 70, -1))
    assert "Revisions 71–120 of 120" in html
    assert 'name="before" value="71">Older revisions' in html
    assert "Newer revisions" not in html
    # The newest pair is selected, as before pages existed.
    assert 'name="new" value="120" checked' in html and 'name="old" value="119" checked' in html


def test_before_n_lists_the_fifty_below_n_and_stays_put_as_revisions_arrive(client, long_story):
    page = f"{TIMELINE}?before=71"
    html = client.get(page).content.decode()
    assert listed(html) == list(range(70, 20, -1))
    assert 'name="before" value="21">Older revisions' in html
    assert 'name="before" value="">← Newer revisions' in html  # back to the first page
    long_story.publish(article_text(drones=999), published_at=at(200))
    assert listed(client.get(page).content.decode()) == list(range(70, 20, -1))
    newest = client.get(TIMELINE).content.decode()
    assert listed(newest)[0] == 121


def test_the_last_page_ends_at_the_first_revision(client, long_story):
    html = client.get(f"{TIMELINE}?before=21").content.decode()
    assert listed(html) == list(range(20, 0, -1))
    assert "Older revisions" not in html
    assert 'name="before" value="71">← Newer revisions' in html


def test_nonsense_before_is_the_first_page(client, long_story):
    first = listed(client.get(TIMELINE).content.decode())
    for value in ("abc", "0", "1", "9999", "-5"):
        assert listed(client.get(f"{TIMELINE}?before={value}").content.decode()) == first


def test_a_retracted_revision_is_listed_without_radios(client, long_story):
    html = client.get(f"{TIMELINE}?before=71").content.decode()
    assert "Retracted at" in html and "desk" not in html  # readers are not told who
    assert 'value="60"' not in html.replace('href="/stories/port-tessaly-talks/revisions/60/"', "")


def test_the_chart_has_one_slot_per_revision_of_the_page_in_order(client, long_story):
    html = client.get(f"{TIMELINE}?before=71").content.decode()
    # Revisions 21..70: 49 bars and a marked slot for the retracted one, numbered in order.
    assert html.count('class="bar"') == 49
    assert html.count('class="bar retracted"') == 1 and "Revision 60: retracted" in html
    assert "Revision 21 (update): " in html and "Revision 70 (update): " in html
    assert "Revision 71 " not in html
    numbers = [int(n) for n in re.findall(r'<text class="number"[^>]*>(\d+)</text>', html)]
    assert numbers == sorted(numbers) and numbers[0] == 21 and numbers[-1] == 70
    first_page = client.get(f"{TIMELINE}?before=21").content.decode()
    assert first_page.count('class="bar"') == 20  # revision 1, the first report, included


def test_the_chart_s_axis_is_labelled_with_a_scale_and_times(client, long_story):
    html = client.get(TIMELINE).content.decode()
    ticks = re.findall(r'<text class="tick"[^>]*>([^<]+)</text>', html)
    assert ticks[2] == "0" and ticks[0].startswith("+") and ticks[-1].startswith("−")
    times = re.findall(r'<text class="time"[^>]*data-datetime="([^"]+)"[^>]*>([^<]+)</text>', html)
    assert len(times) >= 5
    # The day is named at the first label; times (UTC without JavaScript) follow.
    assert re.fullmatch(r"\d+ \w{3} \d\d:\d\d", times[0][1])
    assert "times (UTC)" in html


def test_a_first_report_taller_than_the_scale_is_cut_and_labelled(client, make_story):
    convoy = " ".join(["Convoy"] * 400) + "."
    make_story(*(article_text(drones=drones, extra_bullet=convoy) for drones in (300, 310, 320)))
    html = client.get(TIMELINE).content.decode()
    first = html[html.index("Revision 1 (first report)") :]
    first = first[: first.index("</g>")]
    assert 'class="cut"' in first
    words = Story.objects.get().revisions.get(number=1).words_added
    assert 'class="cut-label"' in first and f">{words:,}</text>" in first


def test_each_row_says_what_it_changed_and_links_prev_and_cur(client, long_story):
    html = client.get(f"{TIMELINE}?before=71").content.decode()
    compare = "/stories/port-tessaly-talks/compare/"
    # Revision 61's previous live revision is 59 (60 was retracted); cur is the live 120.
    assert f'href="{compare}59/61/">prev' in html
    assert f'href="{compare}61/120/">cur' in html
    # The page's last row compares with the previous page's first: 21 with 20.
    assert f'href="{compare}20/21/">prev' in html
    assert html.count('class="words"') == 49
    first = client.get(f"{TIMELINE}?before=21").content.decode()
    assert "First report: " in first and "(<a" in first and "| prev)" in first
    newest = client.get(TIMELINE).content.decode()
    assert "(cur | " in newest  # the live revision has nothing newer to compare with


def test_the_selection_travels_between_pages(client, long_story):
    # Picked "from 30" on page 2, then went to page 1: 30 is carried, 120 is picked there.
    html = client.get(f"{TIMELINE}?old=30&new=120&before=").content.decode()
    assert '<input type="hidden" name="old" value="30">' in html
    assert 'name="new" value="120" checked' in html
    assert 'name="old" value="119" checked' not in html
    assert "Selected: from revision 30 to revision 120" in html
    # The hidden input comes first: a radio picked on this page wins (QueryDict.get: the last).
    assert html.index('type="hidden" name="old"') < html.index('type="radio" name="old"')
    response = client.get("/stories/port-tessaly-talks/compare/?old=30&old=115&new=120")
    assert response["Location"] == "/stories/port-tessaly-talks/compare/115/120/"


def test_a_later_page_compares_with_the_live_revision_by_default(client, long_story):
    html = client.get(f"{TIMELINE}?before=71").content.decode()
    assert '<input type="hidden" name="new" value="120">' in html
    assert 'name="old" value="70" checked' in html


def test_a_retracted_or_unknown_selection_is_dropped(client, long_story):
    html = client.get(f"{TIMELINE}?old=60&new=999").content.decode()
    assert 'type="hidden"' not in html
    assert 'name="new" value="120" checked' in html


def test_compare_submits_to_the_pick_view_and_pages_to_the_timeline(client, long_story):
    html = client.get(TIMELINE).content.decode()
    assert (
        '<form class="timeline-form" method="get" action="/stories/port-tessaly-talks/compare/">'
        in html
    )
    assert f'formaction="{TIMELINE}" name="before"' in html
    assert 'hx-get="/stories/port-tessaly-talks/compare/" hx-include="closest form"' in html


def test_minor_edits_are_marked_and_can_be_hidden_with_the_choice_kept(client, make_story):
    typo = article_text(drones=320).replace("fictional city", "fictoinal city")
    story = make_story(article_text(), article_text(drones=320), typo, article_text(drones=330))
    significance = dict(story.revisions.values_list("number", "significance"))
    assert significance == {1: "substantive", 2: "substantive", 3: "minor", 4: "substantive"}
    html = client.get(TIMELINE).content.decode()
    assert html.count("Minor edit</span>") == 1 and listed(html) == [4, 3, 2, 1]
    hidden = client.get(f"{TIMELINE}?hide=minor").content.decode()
    assert listed(hidden) == [4, 2, 1] and "Show every revision" in hidden
    # The pager and the compare form carry the choice.
    assert '<input type="hidden" name="hide" value="minor">' in hidden
    # A different page for a different choice: its own validator.
    etag = client.get(TIMELINE)["ETag"]
    assert client.get(f"{TIMELINE}?hide=minor", headers={"if-none-match": etag}).status_code == 200


def test_a_figure_change_is_substantive_whatever_the_editor_chose(make_story):
    story = make_story(article_text(), article_text(drones=320))
    assert story.revisions.get(number=2).significance == "substantive"


def test_retracting_recomputes_the_next_revision_s_significance(make_story, django_user_model):
    typo = article_text(drones=320).replace("fictional city", "fictoinal city")
    story = make_story(article_text(), article_text(drones=320), typo)
    assert story.revisions.get(number=3).significance == "minor"
    story.revisions.get(number=2).retract(django_user_model.objects.create_user("d"), "Wrong")
    # Readers now come to 3 from 1: its drones figure changed, so it is no longer minor.
    assert story.revisions.get(number=3).significance == "substantive"
