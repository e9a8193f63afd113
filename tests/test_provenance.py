"""Provenance in the app: derived at publish, rebuilt by commands, shown on the story's pages."""

import io
import re
from unittest import mock

import pytest
from django.core.management import call_command

from articles import provenance
from articles.models import Provenance
from articles.storage import decompress_json
from tests.conftest import article_text, at

pytestmark = pytest.mark.django_db

STORY = "/stories/port-tessaly-talks/"
CASUALTIES = "At least 3 people were killed and 40 wounded when a shell hit the fish market."


def spans(html: str) -> dict[str, tuple[int, int]]:
    """{sentence: (first, last)} of the origins view."""
    found = re.findall(
        r'<span class="origin [^"]+" data-first="(\d+)" data-last="(\d+)">(.*?)<a ', html
    )
    return {text: (int(first), int(last)) for first, last, text in found}


def three_revisions(make_story):
    return make_story(
        article_text(),
        article_text(drones=345, extra_bullet=CASUALTIES),
        article_text(drones=345, extra_bullet=CASUALTIES.replace("40", "52")),
    )


def test_publish_derives_provenance_and_keeps_the_state_on_the_newest_revision_only(make_story):
    story = three_revisions(make_story)
    rows = Provenance.objects.filter(revision__story=story).order_by("revision__number")
    assert [row.revision.number for row in rows] == [1, 2, 3]
    assert [row.state is not None for row in rows] == [False, False, True]
    assert decompress_json(rows[2].state)["through"] == 3


def test_the_origins_view_wraps_every_sentence_with_its_first_and_last_revision(client, make_story):
    three_revisions(make_story)
    html = client.get(STORY + "?view=origins").content.decode()
    found = spans(html)
    assert found[CASUALTIES.replace("40", "52")] == (2, 3)
    drones = next(text for text in found if "345 drones" in text)
    assert found[drones] == (1, 2)
    assert found["The harbour authority counted 14 ships waiting outside the breakwater."] == (1, 1)
    # The time of the first revision in text screen readers get, and the link to what introduced it.
    assert (
        "first reported in revision 2, 20 Nov 2026, 09:00 UTC; last changed in revision 3" in html
    )
    assert 'href="/stories/port-tessaly-talks/compare/1/2/"' in html


def test_the_story_page_links_to_the_origins_view_and_the_figures_page(client, make_story):
    three_revisions(make_story)
    html = client.get(STORY).content.decode()
    assert 'href="?view=origins" hx-get="?view=origins" hx-target="#article"' in html
    assert 'href="/stories/port-tessaly-talks/figures/"' in html
    assert 'class="origin ' not in html


def test_the_origins_toggle_answers_htmx_with_the_article_alone(client, make_story):
    three_revisions(make_story)
    response = client.get(
        STORY + "?view=origins", headers={"HX-Request": "true", "HX-Target": "article"}
    )
    html = response.content.decode()
    assert html.lstrip().startswith('<article class="article')
    assert 'data-first="2" data-last="3"' in html
    assert "Hide when each line was reported" in html


def test_retracting_the_revision_that_introduced_a_sentence_moves_its_origin(
    client, make_story, django_user_model
):
    story = make_story(
        article_text(),
        article_text(extra_bullet="Ferries resumed at dawn."),
        article_text(extra_bullet="Ferries resumed at dawn.", drones=400),
    )
    editor = django_user_model.objects.create_user("desk", password="unused-in-this-test")
    assert spans(client.get(STORY + "?view=origins").content.decode())[
        "Ferries resumed at dawn."
    ] == (2, 2)
    story.revisions.get(number=2).retract(editor, "Published in error")
    assert spans(client.get(STORY + "?view=origins").content.decode())[
        "Ferries resumed at dawn."
    ] == (3, 3)


def test_the_figures_page_has_a_row_per_figure_with_its_values_oldest_first(client, make_story):
    three_revisions(make_story)
    html = client.get("/stories/port-tessaly-talks/figures/").content.decode()
    rows = dict(re.findall(r'<tr data-figure="([^"]+)">(.*?)</tr>', html, re.S))
    values = {
        label: re.findall(r'<span class="value">([^<]+)</span>', row) for label, row in rows.items()
    }
    assert values["drones"] == ["310", "345"]
    assert values["wounded"] == ["40", "52"]
    assert values["people killed"] == ["3"]
    assert values["families registered"] == ["2,400"]
    assert "added 20 Nov 2026, 09:00 UTC" in rows["wounded"]


def test_compare_page_and_live_notice_list_the_figures_changed_and_added(client, make_story):
    three_revisions(make_story)
    compare = client.get("/stories/port-tessaly-talks/compare/1/3/").content.decode()
    listed = re.search(
        r'<ul class="figures" aria-label="Changed figures">(.*?)</ul>', compare, re.S
    ).group(1)
    text = " ".join(re.sub(r"<[^>]+>", "", listed).split())
    assert (
        text
        == "drones: was 310 → now 345 people killed: added: 3 (added) wounded: added: 52 (added)"
    )
    notice = client.get("/stories/port-tessaly-talks/updates/?since=1&reading=1").content.decode()
    # The notice tells what changed across the updates with the same labels.
    assert "drones: 310 → 345" in notice and "wounded: 52 (added)" in notice


def test_the_provenance_command_and_reparse_rebuild_it(make_story):
    story = three_revisions(make_story)
    Provenance.objects.filter(revision__story=story).delete()
    out = io.StringIO()
    call_command("provenance", stdout=out)
    assert out.getvalue().strip() == "provenance rebuilt: 1 stories, 3 revisions"
    assert Provenance.objects.filter(revision__story=story).count() == 3
    call_command("reparse", stdout=io.StringIO())
    found = provenance.StoryProvenance.of(story)
    assert found is not None and found.state.through == 3


def test_a_publish_with_no_state_to_start_from_rebuilds_the_history(make_story):
    story = make_story(article_text(), article_text(drones=345))
    Provenance.objects.filter(revision__story=story).delete()
    story.publish(article_text(drones=360), published_at=at(3))
    assert Provenance.objects.filter(revision__story=story).count() == 3
    found = provenance.StoryProvenance.of(story)
    assert [value for _, value in [(p.number, p.value) for p in found.figures()[0].points]] == [
        "310",
        "345",
        "360",
    ]


def test_an_imported_story_gets_its_provenance(make_story):
    three_revisions(make_story)
    out = io.StringIO()
    call_command("export", "port-tessaly-talks", stdout=out)
    copy = out.getvalue().replace('"port-tessaly-talks"', '"port-tessaly-copy"')
    source = io.StringIO(copy)
    with mock.patch("sys.stdin", source):
        call_command("import", "-", stdout=io.StringIO())
    rows = Provenance.objects.filter(revision__story__slug="port-tessaly-copy")
    assert rows.count() == 3 and rows.filter(state__isnull=False).count() == 1
