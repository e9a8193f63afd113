"""Revisions stored as deltas (articles/storage.py): texts byte for byte, damage never served,
and migration 0010 moving stored revisions into the new layout and back."""

from contextlib import contextmanager

import pytest
from django.db import connection
from django.db.migrations.executor import MigrationExecutor

from articles import storage
from articles.core import deltas
from articles.core.document import Document
from articles.models import Blob, Provenance, Revision
from articles.provenance import StoryProvenance
from tests.conftest import article_text

BEFORE = ("articles", "0009_provenance")
AFTER = ("articles", "0010_revision_texts_as_deltas")


@contextmanager
def layout_before_deltas():
    """The database as it was before migration 0010, and the models of then; 0010 applied
    again on the way out."""
    executor = MigrationExecutor(connection)
    executor.migrate([BEFORE])
    try:
        yield executor.loader.project_state([BEFORE]).apps
    finally:
        executor = MigrationExecutor(connection)
        executor.migrate([AFTER])


def texts(count: int) -> list[str]:
    # Every revision a different figure, some with a line ending or spacing of their own:
    # what is stored must come back byte for byte.
    variants = [article_text(drones=300 + k) for k in range(count)]
    for k in range(3, count, 4):
        variants[k] = variants[k].replace("\n", "\r\n")
    for k in range(5, count, 6):
        variants[k] += "  \n"
    return variants


@pytest.mark.django_db
def test_every_revision_reads_back_byte_for_byte_across_checkpoints(make_story):
    uploads = texts(deltas.CHECKPOINT_EVERY + 3)
    story = make_story(*uploads)
    for number, upload in enumerate(uploads, start=1):
        revision = Revision.objects.get(story=story, number=number)
        assert revision.raw_text == upload
    # Revision 34 is a delta against 33, which is one against revision 1: two frames back.
    assert deltas.chain(34) == [1, 33, 34]
    frames = Revision.objects.filter(story=story).values_list("text_delta", flat=True)
    assert max(len(frame) for frame in frames[1:]) < len(uploads[-1]) / 4


def test_the_chain_of_any_revision_stays_short():
    assert deltas.delta_base(1) is None
    assert deltas.delta_base(2) == 1
    assert deltas.delta_base(33) == 1 and deltas.delta_base(65) == 33
    assert deltas.delta_base(1025) == 1
    assert max(len(deltas.chain(n)) for n in range(1, 1025)) == 63  # 62 deltas and revision 1
    assert max(len(deltas.chain(n)) for n in range(1, 32769)) <= 94


def test_a_damaged_frame_fails_to_decode_instead_of_decoding_to_something_else():
    base = article_text().encode()
    frame = bytearray(deltas.encode(article_text(drones=901).encode(), base))
    frame[len(frame) // 2] ^= 0xFF
    with pytest.raises(deltas.CorruptDelta):
        deltas.decode(bytes(frame), base)


@pytest.mark.django_db
def test_a_parse_shares_nothing_with_the_one_it_replaces(make_story):
    story = make_story(article_text(), article_text(drones=330))
    first = story.revisions.get(number=1)
    blob_before = first.parsed_blob_id
    first.parsed = {**first.parsed, "dek": "Re-derived"}
    first.parser_version += 1
    first.save(update_fields=["parsed_blob", "parser_version"])
    assert first.parsed_blob_id != blob_before
    # Revision 2's stored parse is a delta against the Blob it was made against, which stays.
    second = Revision.objects.get(story=story, number=2)
    assert Blob.objects.get(pk=second.parsed_blob_id).base_id == blob_before
    assert second.document().dek != "Re-derived"
    assert Revision.objects.get(pk=first.pk).document().dek == "Re-derived"


def stored_state(story) -> dict:
    revisions = story.revisions.order_by("number")
    provenance = StoryProvenance.of(story)
    assert provenance is not None
    return {
        "texts": [revision.raw_text for revision in revisions],
        "documents": [revision.document() for revision in revisions],
        "origins": [provenance.origins(revision) for revision in revisions],
    }


@pytest.mark.django_db(transaction=True)
def test_the_migration_moves_revisions_into_deltas_and_back(make_story, django_user_model):
    uploads = texts(deltas.CHECKPOINT_EVERY + 2)
    story = make_story(*uploads)
    editor = django_user_model.objects.create_user("desk-ines", password="unused-in-these-tests")
    story.revisions.get(number=4).retract(editor, "Figure published in error")
    before = stored_state(story)

    with layout_before_deltas() as old_apps:
        OldRevision = old_apps.get_model("articles", "Revision")
        OldProvenance = old_apps.get_model("articles", "Provenance")
        rows = OldRevision.objects.filter(story_id=story.pk).order_by("number")
        assert [row.raw_text for row in rows] == uploads
        assert [Document.from_stored(row.parsed) for row in rows] == before["documents"]
        newest = OldProvenance.objects.exclude(state=None).get()
        assert newest.revision.number == len(uploads)
        assert isinstance(newest.state["lineages"], list)
        assert OldProvenance.objects.count() == len(uploads)

    story.refresh_from_db()
    assert stored_state(story) == before
    assert Provenance.objects.exclude(state=None).count() == 1
    # The guards of the new layout are in place: a stored text cannot be rewritten.
    from django.core.management import call_command

    call_command("verify", "--sample", "0")
    story.publish(article_text(drones=999))
    assert story.revisions.get(number=len(uploads) + 1).raw_text == article_text(drones=999)


@pytest.mark.django_db(transaction=True)
def test_the_migration_fills_significance_as_publish_computes_it(make_story, django_user_model):
    """Migration 0007 (before the deltas), run on revisions published today."""
    from importlib import import_module

    migration = import_module("articles.migrations.0007_revision_significance")
    typo = article_text(drones=320).replace("fictional city", "fictoinal city")
    story = make_story(article_text(), article_text(drones=320), typo, article_text(drones=330))
    story.revisions.get(number=2).retract(django_user_model.objects.create_user("d"), "Wrong")
    published = dict(story.revisions.values_list("number", "significance"))
    assert published[3] == "substantive"  # against 1, since 2 was retracted
    with layout_before_deltas() as old_apps:
        OldRevision = old_apps.get_model("articles", "Revision")
        migration.guards.set_guards(connection, installed=False)
        OldRevision.objects.update(significance="")
        migration.fill(old_apps, None)
        migration.guards.set_guards(connection, installed=True)
        assert dict(OldRevision.objects.values_list("number", "significance")) == published


def test_storage_decodes_what_it_encodes():
    stored = {"headline": "Ceasefire talks — día 3", "blocks": [["paragraph", None, "Text"]]}
    assert storage.to_json(stored).decode().startswith('{"headline":"Ceasefire talks — día 3"')
    assert storage.decompress_json(storage.compress_json(stored)) == stored


@pytest.mark.django_db
def test_reparse_keeps_no_parse_it_replaced(make_story, monkeypatch):
    from dataclasses import replace

    from articles.core.parsing import PARSER_VERSION
    from tests.test_commands import run, upgraded_parser

    story = make_story(*texts(6))
    upgraded_parser(monkeypatch, PARSER_VERSION + 1, lambda d: replace(d, dek="Re-derived"))
    assert run("reparse").strip() == "6 of 6 revisions changed"
    assert Blob.objects.count() == 6  # the six old parses are gone with nothing built on them
    assert {revision.document().dek for revision in story.revisions.all()} == {"Re-derived"}
    # Under the next parser only the first changes: its new parse is one more Blob; the one it
    # replaces stays, since the parse of revision 2 is a delta against it.
    upgraded_parser(
        monkeypatch,
        PARSER_VERSION + 2,
        lambda d: replace(d, dek="First" if "300 drones" in d.blocks[1].text else d.dek),
    )
    assert run("reparse").strip() == "1 of 6 revisions changed"
    assert Blob.objects.count() == 7
    assert [revision.document().dek for revision in story.revisions.order_by("number")] == [
        "First",
        *["Re-derived"] * 5,
    ]


@pytest.mark.django_db
def test_a_damaged_placement_is_made_again_at_the_next_publish(make_story, client):
    story = make_story(*texts(3))
    row = Provenance.objects.get(revision__story=story, revision__number=2)
    frame = bytearray(row.placement)
    frame[len(frame) // 2] ^= 0xFF
    Provenance.objects.filter(pk=row.pk).update(placement=bytes(frame))
    # Provenance is derived: the page goes on without origins rather than fail.
    page = client.get("/stories/port-tessaly-talks/?view=origins")
    assert page.status_code == 200
    story.publish(article_text(drones=777))
    provenance = StoryProvenance.of(story)
    assert provenance is not None
    assert provenance.origins(story.revisions.get(number=2)) is not None


@pytest.mark.django_db
def test_a_walk_reads_what_each_revision_reads_alone(make_story, django_user_model):
    uploads = texts(deltas.CHECKPOINT_EVERY + 4)
    story = make_story(*uploads)
    editor = django_user_model.objects.create_user("desk-ines", password="unused-in-these-tests")
    # Revision 33 is the base of 34..36: a walk of the live revisions decodes past it.
    story.revisions.get(number=33).retract(editor, "Figure published in error")
    walked = [(r.number, r.raw_text, r.document()) for r in story.revisions.live().walk()]
    alone = [
        (r.number, r.raw_text, r.document())
        for r in (Revision.objects.get(pk=r.pk) for r in story.revisions.live())
    ]
    assert walked == alone
    assert [number for number, *_ in walked] == [n for n in range(1, 37) if n != 33]
    assert [text for _, text, _ in walked] == [u for n, u in enumerate(uploads, 1) if n != 33]
