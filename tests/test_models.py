from datetime import timedelta

import pytest
from django.db import IntegrityError
from django.utils import timezone

from articles.models import (
    DateRefused,
    ImmutableRevisionError,
    MinorChangeRefused,
    Revision,
    StaleBase,
    Story,
    UnchangedUpload,
    content_hash,
)
from tests.conftest import article_text, at


def test_revisions_are_numbered_per_story(make_story):
    first = make_story(article_text(), article_text(drones=330), slug="first")
    second = make_story(article_text(drones=500), slug="second")
    assert list(first.revisions.values_list("number", flat=True)) == [1, 2]
    assert list(second.revisions.values_list("number", flat=True)) == [1]
    assert first.live_number == 2


def test_publish_keeps_the_text_verbatim_with_hash_and_parse(make_story):
    text = article_text().replace("\n", "\r\n") + "\r\n\u00a0 "
    revision = make_story(text).revisions.get()
    assert revision.raw_text == text
    assert len(revision.content_hash) == 64
    assert revision.parsed["headline"] == "Harbour talks in Port Tessaly stall over corridor"
    assert revision.parser_version >= 1


def test_publish_updates_the_story_listing_fields(make_story):
    story = make_story(article_text(), article_text(headline="Port Tessaly corridor opens"))
    assert story.headline == "Port Tessaly corridor opens"
    assert story.updated_at == at(1)


def test_identical_upload_is_refused_as_unchanged(make_story):
    story = make_story(article_text())
    with pytest.raises(UnchangedUpload, match="unchanged"):
        story.publish(article_text(), published_at=at(2))
    assert story.revisions.count() == 1


def test_upload_differing_only_in_line_endings_is_unchanged(make_story):
    story = make_story(article_text())
    with pytest.raises(UnchangedUpload):
        story.publish(article_text().replace("\n", "\r\n"), published_at=at(2))


def test_stale_base_is_refused(make_story):
    story = make_story(article_text(), article_text(drones=330))
    with pytest.raises(StaleBase) as refusal:
        story.publish(article_text(drones=360), published_at=at(3), base_number=1)
    assert refusal.value.live.number == 2
    assert story.revisions.count() == 2


def test_date_before_the_live_revision_is_refused(make_story):
    story = make_story(article_text(), article_text(drones=330))
    with pytest.raises(DateRefused, match="earlier than revision 2"):
        story.publish(article_text(drones=360), published_at=at(-5))


def test_a_date_in_the_future_is_refused(make_story):
    story = make_story(article_text())
    with pytest.raises(DateRefused, match="is in the future"):
        story.publish(article_text(drones=360), published_at=timezone.now() + timedelta(hours=1))
    assert story.revisions.count() == 1


def test_a_back_dated_revision_keeps_its_date_between_the_live_one_and_now(make_story):
    story = make_story(article_text())
    phoned_in = timezone.now() - timedelta(hours=1)
    revision = story.publish(article_text(drones=360), published_at=phoned_in)
    story.refresh_from_db()
    assert revision.published_at == phoned_in
    assert story.updated_at == phoned_in


def test_revision_content_cannot_be_changed(make_story):
    revision = make_story(article_text()).revisions.get()
    with pytest.raises(ImmutableRevisionError, match="raw_text"):
        revision.raw_text = "something else"
    revision.refresh_from_db()
    assert revision.raw_text == article_text()


def test_a_parse_set_on_a_revision_is_stored_by_a_plain_save(make_story):
    revision = make_story(article_text()).revisions.get()
    revision.parsed = {**revision.parsed, "dek": "Re-derived"}
    revision.parser_version += 1
    revision.save()
    assert Revision.objects.get(pk=revision.pk).document().dek == "Re-derived"


def test_loading_a_deferred_field_keeps_a_parse_not_yet_saved(make_story):
    revision = make_story(article_text()).revisions.defer("summary").get()
    revision.parsed = {**revision.parsed, "dek": "Re-derived"}
    assert revision.summary  # loads the deferred field
    revision.parser_version += 1
    revision.save(update_fields=["parsed_blob", "parser_version"])
    assert Revision.objects.get(pk=revision.pk).document().dek == "Re-derived"


def test_revision_content_cannot_be_changed_through_a_queryset(make_story):
    story = make_story(article_text())
    with pytest.raises(ImmutableRevisionError):
        Revision.objects.filter(story=story).update(raw_text="gone")
    with pytest.raises(ImmutableRevisionError):
        Revision.objects.filter(story=story).update(published_at=at(9))


def test_revisions_are_never_deleted(make_story):
    story = make_story(article_text())
    with pytest.raises(ImmutableRevisionError):
        story.revisions.get().delete()
    with pytest.raises(ImmutableRevisionError):
        Revision.objects.all().delete()
    assert story.revisions.count() == 1


def test_derived_fields_may_be_rederived(make_story):
    revision = make_story(article_text()).revisions.get()
    revision.summary = "re-derived"
    revision.save(update_fields=["summary"])
    revision.refresh_from_db()
    assert revision.summary == "re-derived"


def test_revision_numbers_are_unique_per_story(make_story):
    story = make_story(article_text())
    revision = story.revisions.get()
    duplicate = Revision(
        story=story,
        number=1,
        raw_text="x",
        content_hash=content_hash("x"),
        parsed=revision.parsed,
        parser_version=1,
        published_at=at(3),
    )
    with pytest.raises(IntegrityError):
        duplicate.save()


def test_second_revision_gets_a_change_summary(make_story):
    story = make_story(article_text(), article_text(drones=330))
    latest = story.revisions.get(number=2)
    assert latest.summary
    assert latest.summary != "First version"
    assert any("310" in figure and "330" in figure for figure in latest.figures)


def test_recently_updated_orders_by_last_update(make_story):
    older = make_story(article_text(), slug="older")
    newer = make_story(article_text(drones=999), slug="newer")
    older.publish(article_text(drones=1), published_at=at(10))
    assert list(Story.objects.recently_updated()) == [older, newer]


def test_upload_identical_to_any_earlier_revision_is_unchanged(make_story):
    story = make_story(article_text(), article_text(drones=330), article_text(drones=360))
    with pytest.raises(UnchangedUpload, match=r"^unchanged: identical to revision 1$"):
        story.publish(article_text(), published_at=at(5))
    assert story.revisions.count() == 3


def test_upload_identical_to_a_retracted_revision_says_so(make_story, django_user_model):
    story = make_story(article_text(), article_text(drones=9999))
    editor = django_user_model.objects.create_user("desk", password="unused-in-this-test")
    story.revisions.get(number=2).retract(editor, "Figure published in error")
    with pytest.raises(UnchangedUpload, match=r"identical to revision 2 \(retracted\)"):
        story.publish(article_text(drones=9999), published_at=at(5))


def test_a_revision_dated_by_the_clock_never_precedes_the_live_one(make_story):
    # The live revision stands for a moment ahead of this machine's clock (another machine's
    # clock, or a date given to ingest): the next one is not refused as "earlier".
    story = make_story(article_text())
    story.publish(article_text(drones=330), published_at=timezone.now() + timedelta(minutes=1))
    latest = story.publish(article_text(drones=360))
    assert latest.published_at == story.revisions.get(number=2).published_at


def test_minor_change_hiding_a_figure_is_refused_by_publish_itself(make_story):
    story = make_story(article_text())
    with pytest.raises(MinorChangeRefused, match=r"\(drones: 310 → 460\) is not a minor change"):
        story.publish(article_text(drones=460), published_at=at(2), kind="minor")
    typo = article_text(closing="Observers expect a further round of talks next week in Lindqvaar.")
    assert story.publish(typo, published_at=at(2), kind="minor").kind == "minor"


def test_a_revision_is_stored_only_with_the_hash_of_its_text(make_story):
    story = make_story(article_text())
    forged = Revision(
        story=story,
        number=2,
        raw_text="a forged text",
        content_hash=content_hash("another text"),
        parsed=story.revisions.get().parsed,
        parser_version=1,
        published_at=at(3),
    )
    with pytest.raises(ImmutableRevisionError, match="content_hash"):
        forged.save()


def test_retracting_a_middle_revision_resummarises_the_next_against_the_one_before(
    make_story, django_user_model
):
    story = make_story(
        article_text(drones=310), article_text(drones=4711), article_text(drones=120)
    )
    assert story.revisions.get(number=3).figures == ["drones: 4711 → 120"]
    editor = django_user_model.objects.create_user("desk", password="unused-in-this-test")
    story.revisions.get(number=2).retract(editor, "Figure published in error")
    third = story.revisions.get(number=3)
    assert third.figures == ["drones: 310 → 120"]
    assert "4711" not in third.summary
    # Its text and provenance are untouched: only what is derived from the one before.
    assert (third.based_on, third.raw_text) == (2, article_text(drones=120))


def test_revisions_are_never_inserted_in_bulk(make_story):
    story = make_story(article_text())
    with pytest.raises(TypeError, match="one at a time"):
        Revision.objects.bulk_create([Revision(story=story, number=2)])
