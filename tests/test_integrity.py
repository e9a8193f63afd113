"""Immutability held by the database itself, and `manage.py verify` finding what got past it."""

import base64
import io
import json

import pytest
from django.core.management import CommandError, call_command
from django.db import IntegrityError, connection, transaction

from articles import storage
from articles.core import deltas
from articles.core.parsing import PARSER_VERSION
from articles.models import AuditEntry, Revision, Story
from articles.storage import CorruptText
from tests.conftest import GUARDS, article_text

pytestmark = pytest.mark.django_db


@pytest.fixture
def editor(django_user_model):
    return django_user_model.objects.create_user("desk-ines", password="unused-in-these-tests")


@pytest.fixture
def story(make_story, editor):
    story = make_story(article_text(), article_text(drones=4711), article_text(drones=120))
    story.revisions.get(number=2).retract(editor, "Figure published in error")
    return story


def refused(sql: str, *params) -> str:
    """Run one statement that the guards must refuse; the database's message."""
    with pytest.raises(IntegrityError) as refusal, transaction.atomic(), connection.cursor() as c:
        c.execute(sql, params)
    return str(refusal.value)


@pytest.mark.parametrize(
    ("column", "value"),
    [
        ("text_delta", b"A rewritten article"),
        ("content_hash", "0" * 64),
        ("published_at", "2020-01-01 00:00:00+00:00"),
        ("created_at", "2020-01-01 00:00:00+00:00"),
        ("number", 99),
        ("change_note", "a rewritten note"),
        ("kind", "correction"),
        ("based_on", 7),
    ],
)
def test_raw_sql_cannot_change_what_a_revision_is(story, column, value):
    message = refused(f"UPDATE articles_revision SET {column} = %s", value)  # noqa: S608
    assert "revision is immutable" in message
    assert story.revisions.get(number=1).raw_text == article_text()


def test_raw_sql_cannot_delete_a_revision_or_touch_the_audit_trail(story):
    assert "never deleted" in refused("DELETE FROM articles_revision")
    assert "never changed or deleted" in refused("DELETE FROM articles_auditentry")
    assert "never changed or deleted" in refused("UPDATE articles_auditentry SET detail = 'x'")
    assert Revision.objects.count() == 3
    assert AuditEntry.objects.get().detail == "Figure published in error"


def forged_blob(revision: Revision, **changes):
    """A Blob holding a parse of the revision's text that nobody derived."""
    return storage.store_parsed({**revision.parsed, **changes}, revision.raw_text, None)


def test_a_forged_parse_is_refused_and_never_reaches_the_page(story, client):
    forged = forged_blob(story.revisions.get(number=3), headline="Forged headline")
    with pytest.raises(IntegrityError, match="newer parser_version"), transaction.atomic():
        Revision._base_manager.filter(story=story, number=3).update(parsed_blob=forged)
    assert "Forged headline" not in client.get("/stories/port-tessaly-talks/").content.decode()


def test_a_stored_blob_never_changes(story):
    blob = story.revisions.get(number=3).parsed_blob
    message = refused("UPDATE articles_blob SET data = %s WHERE id = %s", b"forged", blob.pk)
    assert "a stored blob never changes" in message
    assert story.revisions.get(number=3).document().headline


def test_a_parse_changes_only_with_a_newer_parser_version(story):
    revisions = Revision._base_manager.filter(story=story, number=1)
    with pytest.raises(IntegrityError, match="newer parser_version"), transaction.atomic():
        revisions.update(parser_version=0)
    # What `reparse` does after a parser change.
    rederived = forged_blob(revisions.get(), dek="Re-derived")
    revisions.update(parsed_blob=rederived, parser_version=PARSER_VERSION + 1)
    assert revisions.get().parsed["dek"] == "Re-derived"


def test_a_retraction_is_never_cleared_or_rewritten(story, client):
    retracted = Revision._base_manager.filter(story=story, number=2)
    for change in ({"retracted_at": None}, {"retraction_reason": "Changed my mind"}):
        with pytest.raises(IntegrityError, match="retraction is final"), transaction.atomic():
            retracted.update(**change)
    assert retracted.get().is_retracted
    with pytest.raises(IntegrityError, match="retraction sets retracted_at"), transaction.atomic():
        Revision._base_manager.filter(story=story, number=1).update(retraction_reason="half")


def test_loaddata_of_an_edited_fixture_cannot_overwrite_a_revision(story, tmp_path):
    out = io.StringIO()
    call_command("dumpdata", "articles.revision", stdout=out)
    records = json.loads(out.getvalue())
    overwritten = deltas.encode(b"An overwritten article", None)
    records[0]["fields"]["text_delta"] = base64.b64encode(overwritten).decode()
    fixture = tmp_path / "edited.json"
    fixture.write_text(json.dumps(records), encoding="utf-8")
    with pytest.raises(IntegrityError, match="immutable"), transaction.atomic():
        call_command("loaddata", str(fixture), verbosity=0)
    assert story.revisions.get(number=1).raw_text == article_text()


# --- verify ------------------------------------------------------------------------------------


def verify(*args: str) -> tuple[str, str, int]:
    out, err = io.StringIO(), io.StringIO()
    try:
        call_command("verify", *args, stdout=out, stderr=err)
    except CommandError as failure:
        return out.getvalue(), err.getvalue(), failure.returncode
    return out.getvalue(), err.getvalue(), 0


def tampered(sql: str, *params) -> None:
    """What only someone who drops the guards can do."""
    GUARDS.set_guards(connection, installed=False)
    with connection.cursor() as cursor:
        cursor.execute(sql, params)
    GUARDS.set_guards(connection, installed=True)


def test_verify_passes_an_untouched_database(story):
    out, err, status = verify()
    assert (status, err) == (0, "")
    assert out.strip() == "3 content hashes checked, 3 revisions re-parsed, 0 problems"


def test_verify_finds_a_text_that_no_longer_matches_its_hash(story):
    rewritten = deltas.encode((article_text() + "\nUpdated.").encode(), None)
    tampered("UPDATE articles_revision SET text_delta = %s WHERE number = 1", rewritten)
    out, err, status = verify()
    assert status == 1
    assert "port-tessaly-talks revision 1: its text does not match its content hash" in err
    # Revisions 2 and 3 are deltas against revision 1's text: they no longer decode either,
    # and are reported, never served.
    assert "port-tessaly-talks revision 2: revision 2's text does not decode" in err
    assert "port-tessaly-talks revision 3: revision 3's text does not decode" in err
    assert out.strip().endswith("3 problems")
    for number in (1, 3):
        with pytest.raises(CorruptText):
            story.revisions.get(number=number).raw_text  # noqa: B018


def test_verify_finds_a_parse_that_no_longer_decodes(story):
    revision = story.revisions.get(number=3)
    frame = bytearray(revision.parsed_blob.data)
    frame[len(frame) // 2] ^= 0xFF
    tampered(
        "UPDATE articles_blob SET data = %s WHERE id = %s", bytes(frame), revision.parsed_blob_id
    )
    _, err, status = verify("--sample", "0")
    assert status == 1
    # zstd's checksum of the frame fails: reported, and never shown.
    assert "port-tessaly-talks revision 3: its parse does not decode" in err
    with pytest.raises(CorruptText):
        Revision.objects.get(pk=revision.pk).document()


def test_verify_finds_a_forged_parse(story):
    revision = story.revisions.get(number=3)
    forged = forged_blob(revision, headline="Forged headline")
    tampered(
        "UPDATE articles_revision SET parsed_blob_id = %s WHERE id = %s", forged.pk, revision.pk
    )
    _, err, status = verify("--sample", "0")
    assert status == 1
    assert "revision 3: its stored structure is not its text's" in err


def test_verify_finds_a_wrong_live_revision_and_an_unaudited_retraction(story):
    Story.objects.filter(pk=story.pk).update(live_number=2)
    Revision.objects.filter(story=story, number=1).update(retracted_at="2026-11-21T00:00:00Z")
    _, err, status = verify()
    assert status == 1
    assert "port-tessaly-talks: live revision is 2, expected 3" in err
    assert "port-tessaly-talks revision 1: retracted with no audit entry" in err


def test_verify_finds_a_missing_guard(story):
    name = (
        "articles_revision_guard"
        if connection.vendor == "postgresql"
        else "articles_revision_immutable"
    )
    table = " ON articles_revision" if connection.vendor == "postgresql" else ""
    with connection.cursor() as cursor:
        cursor.execute(f"DROP TRIGGER {name}{table}")
    _, err, status = verify()
    assert status == 1
    assert f"database guard {name} is missing or disabled" in err
