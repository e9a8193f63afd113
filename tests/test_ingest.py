import io
import sys
from pathlib import Path

import pytest
from django.core.management import CommandError, call_command
from django.test import override_settings

from articles.models import PublishRefused, Revision, Story
from tests.conftest import article_text

pytestmark = pytest.mark.django_db


def ingest(*args: str) -> tuple[str, str]:
    out, err = io.StringIO(), io.StringIO()
    call_command("ingest", *args, stdout=out, stderr=err)
    return out.getvalue(), err.getvalue()


def ingest_failing(*args: str) -> tuple[str, str, CommandError]:
    out, err = io.StringIO(), io.StringIO()
    with pytest.raises(CommandError) as failure:
        call_command("ingest", *args, stdout=out, stderr=err)
    return out.getvalue(), err.getvalue(), failure.value


def write(directory: Path, name: str, content: str | bytes) -> str:
    path = directory / name
    if isinstance(content, bytes):
        path.write_bytes(content)
    else:
        path.write_text(content, encoding="utf-8")
    return str(path)


def test_first_upload_starts_a_story_with_a_slug_from_its_headline(tmp_path):
    out, _ = ingest(write(tmp_path, "a.txt", article_text()))
    story = Story.objects.get()
    assert story.slug == "harbour-talks-in-port-tessaly-stall-over-corridor"
    assert "new story" in out
    assert out.strip().endswith("1 ingested, 0 unchanged, 0 failed")


def test_update_with_a_new_headline_joins_the_story_it_continues(tmp_path):
    ingest(write(tmp_path, "a.txt", article_text()))
    out, _ = ingest(
        write(tmp_path, "b.txt", article_text(headline="Corridor deal near", drones=340))
    )
    story = Story.objects.get()
    assert story.revisions.count() == 2
    assert story.headline == "Corridor deal near"
    assert "continues" in out


def test_unrelated_article_starts_its_own_story(tmp_path):
    ingest(write(tmp_path, "a.txt", article_text()))
    other = (
        "Flood barriers hold in Vesmark\n\n"
        "Engineers in the fictional town of Vesmark said the new barriers held overnight.\n\n"
        "The latest: Water levels on the Orrin river fell by 40 centimetres before dawn.\n\n"
        "Zoom in: Volunteers filled 9,000 sandbags at the old grain market.\n"
    )
    out, _ = ingest(write(tmp_path, "b.txt", other))
    assert Story.objects.count() == 2
    assert "new story flood-barriers-hold-in-vesmark" in out


def test_identical_upload_is_skipped_as_unchanged(tmp_path):
    path = write(tmp_path, "a.txt", article_text())
    ingest(path)
    out, _ = ingest(path)
    assert "unchanged" in out
    assert out.strip().endswith("0 ingested, 1 unchanged, 0 failed")
    assert Revision.objects.count() == 1


def test_directory_is_ingested_in_name_order(tmp_path):
    write(tmp_path, "02.txt", article_text(drones=320))
    write(tmp_path, "01.txt", article_text(drones=310))
    write(tmp_path, "03.txt", article_text(drones=330))
    ingest(str(tmp_path))
    story = Story.objects.get()
    texts = [revision.raw_text for revision in story.revisions.order_by("number")]
    assert [("310" in t, "320" in t, "330" in t) for t in texts] == [
        (True, False, False),
        (False, True, False),
        (False, False, True),
    ]


def test_stdin_is_read_for_dash(monkeypatch):
    monkeypatch.setattr(sys, "stdin", io.TextIOWrapper(io.BytesIO(article_text().encode())))
    out, _ = ingest("-")
    assert "1 ingested" in out
    assert Story.objects.count() == 1


def test_story_option_as_of_and_note_are_applied(tmp_path):
    ingest(
        write(tmp_path, "a.txt", article_text()),
        "--story",
        "tessaly",
        "--as-of",
        "2026-11-01T09:30:00+00:00",
        "--note",
        "Imported from the wire",
    )
    revision = Revision.objects.get()
    assert revision.story.slug == "tessaly"
    assert revision.published_at.isoformat() == "2026-11-01T09:30:00+00:00"
    assert revision.change_note == "Imported from the wire"


def test_bad_as_of_is_refused_before_anything_is_read(tmp_path):
    with pytest.raises(CommandError, match="ISO 8601"):
        ingest(write(tmp_path, "a.txt", article_text()), "--as-of", "yesterday")
    assert Story.objects.count() == 0


@pytest.mark.parametrize(
    ("content", "reason"),
    [
        (b"", "empty"),
        (b"   \n\t\r\n  ", "empty"),
        (b"Sign up to read this article\nAlready a member? Sign in here\n", "no article text"),
        (b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR\x00\x00", "not a text file"),
        (b"plain words\x00with a NUL", "not a text file"),
    ],
)
def test_bad_input_gets_one_clear_error_and_writes_nothing(tmp_path, content, reason):
    path = write(tmp_path, "bad.txt", content)
    _, err, failure = ingest_failing(path)
    assert err.strip() == err.strip().splitlines()[0]
    assert err.startswith(f"error: {path}: ")
    assert reason in err
    assert failure.returncode == 1
    assert Story.objects.count() == 0
    assert Revision.objects.count() == 0


@override_settings(NEWSROOM_MAX_UPLOAD_BYTES=2000)
def test_upload_over_the_size_limit_is_refused(tmp_path):
    path = write(tmp_path, "big.txt", article_text() + "\n" + "More words here. " * 200)
    _, err, _ = ingest_failing(path)
    assert "too large" in err
    assert Story.objects.count() == 0


def test_bad_file_does_not_stop_the_batch(tmp_path):
    good = write(tmp_path, "1.txt", article_text())
    bad = write(tmp_path, "2.txt", b"")
    later = write(tmp_path, "3.txt", article_text(drones=333))
    missing = str(tmp_path / "missing.txt")
    out, err, failure = ingest_failing(good, bad, later, missing)
    assert out.strip().endswith("2 ingested, 0 unchanged, 2 failed")
    assert f"error: {bad}: " in err
    assert f"error: {missing}: " in err
    assert failure.returncode == 1
    assert Revision.objects.count() == 2


def test_failed_file_leaves_no_half_made_story(tmp_path, monkeypatch):
    def fail(self, *args, **kwargs):
        raise PublishRefused("storage refused the revision")

    monkeypatch.setattr(Revision, "save", fail)
    _, err, _ = ingest_failing(write(tmp_path, "a.txt", article_text()))
    assert "storage refused the revision" in err
    assert Story.objects.count() == 0


def test_date_before_the_live_revision_is_a_per_file_error(tmp_path):
    ingest(write(tmp_path, "a.txt", article_text()), "--as-of", "2026-11-10T00:00:00+00:00")
    _, err, _ = ingest_failing(
        write(tmp_path, "b.txt", article_text(drones=998)), "--as-of", "2026-11-01T00:00:00+00:00"
    )
    assert "earlier than revision 1" in err
    assert Revision.objects.count() == 1


def test_windows_1252_upload_is_decoded_with_a_warning(tmp_path):
    text = article_text(dek="The council’s envoy — Ana Brisk — spoke in Tessaly on Friday.")
    ingest(write(tmp_path, "cp.txt", text.encode("cp1252")))
    revision = Revision.objects.get()
    assert "’" in revision.raw_text
    assert revision.document().dek.startswith("The council’s envoy")


def test_ingesting_a_directory_again_adds_nothing(tmp_path):
    write(tmp_path, "1.txt", article_text())
    write(tmp_path, "2.txt", article_text(drones=330))
    write(tmp_path, "3.txt", article_text(drones=360, headline="Corridor talks resume"))
    write(tmp_path, "4.txt", article_text(headline="Ferry strike closes Lindqvar", drones=1))
    first, _ = ingest(str(tmp_path))
    assert first.strip().endswith("4 ingested, 0 unchanged, 0 failed")
    again, _ = ingest(str(tmp_path))
    assert again.strip().endswith("0 ingested, 4 unchanged, 0 failed")
    assert f"{tmp_path / '1.txt'}: unchanged: identical to revision 1" in again
    assert Revision.objects.count() == 4


def test_a_file_identical_to_an_earlier_revision_is_unchanged_even_when_named(tmp_path):
    ingest(write(tmp_path, "1.txt", article_text()), "--story", "harbour")
    ingest(write(tmp_path, "2.txt", article_text(drones=330)), "--story", "harbour")
    out, _ = ingest(str(tmp_path / "1.txt"), "--story", "harbour")
    assert "unchanged: identical to revision 1" in out
    assert Revision.objects.count() == 2


def test_a_database_error_is_one_failed_file_in_the_summary(tmp_path, monkeypatch):
    from django.db import OperationalError

    real_publish = Story.publish

    def lost_connection(story, text, **kwargs):
        if "330 drones" in text:
            raise OperationalError("server closed the connection unexpectedly\n\tdetails")
        return real_publish(story, text, **kwargs)

    monkeypatch.setattr(Story, "publish", lost_connection)
    files = [
        write(tmp_path, "1.txt", article_text()),
        write(tmp_path, "2.txt", article_text(drones=330)),
        write(tmp_path, "3.txt", article_text(drones=360)),
    ]
    out, err, failure = ingest_failing(*files)
    assert out.strip().endswith("2 ingested, 0 unchanged, 1 failed")
    assert err.strip() == (
        f"error: {files[1]}: database error: server closed the connection unexpectedly"
    )
    assert failure.returncode == 1


def test_a_story_option_that_is_not_a_web_address_is_refused_before_anything(tmp_path):
    with pytest.raises(CommandError, match="--story: not a web address"):
        ingest(write(tmp_path, "a.txt", article_text()), "--story", "harbour talks")
    assert Story.objects.count() == 0


def test_a_date_in_the_future_is_a_per_file_error(tmp_path):
    _, err, _ = ingest_failing(write(tmp_path, "a.txt", article_text()), "--as-of", "2099-01-01")
    assert "is in the future" in err
    assert Revision.objects.count() == 0
