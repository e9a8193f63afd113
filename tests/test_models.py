import pytest
from django.db import IntegrityError

from articles.models import (
    ImmutableRevisionError,
    PublishRefused,
    Revision,
    StaleBase,
    Story,
    UnchangedUpload,
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
    with pytest.raises(PublishRefused, match="earlier than revision 2"):
        story.publish(article_text(drones=360), published_at=at(-5))


def test_revision_content_cannot_be_changed(make_story):
    revision = make_story(article_text()).revisions.get()
    revision.raw_text = "something else"
    with pytest.raises(ImmutableRevisionError, match="raw_text"):
        revision.save()
    revision.refresh_from_db()
    assert revision.raw_text == article_text()


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
        content_hash="x",
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


def test_parsed_blocks_are_stored_as_arrays_and_the_migration_converts_both_ways(make_story):
    import importlib

    from django.apps import apps

    migration = importlib.import_module("articles.migrations.0004_parsed_blocks_as_arrays")
    story = make_story(article_text(), article_text(drones=330))
    revision = story.revisions.get(number=2)
    document = revision.document()
    assert revision.parsed["blocks"][0] == list(document.blocks[0])

    migration.blocks_to_objects(apps, None)
    revision.refresh_from_db()
    assert revision.parsed["blocks"][0] == document.blocks[0].to_dict()
    migration.blocks_to_arrays(apps, None)
    revision.refresh_from_db()
    assert revision.document() == document
    assert revision.raw_text == article_text(drones=330)
