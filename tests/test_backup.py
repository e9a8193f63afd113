"""manage.py export / import: a round trip reproduces every hash and timestamp exactly."""

import io
import json
import os
import subprocess
import sys
from datetime import timedelta
from pathlib import Path

import pytest
from django.core.management import CommandError, call_command

from articles.models import AuditEntry, Revision, Story, content_hash
from tests.conftest import article_text, at

pytestmark = pytest.mark.django_db

ROOT = Path(__file__).resolve().parents[1]


@pytest.fixture
def newsroom(make_story, django_user_model):
    """Two stories: odd microseconds, non-Latin text, CRLF, a retraction and audit entries."""
    editor = django_user_model.objects.create_user("desk-ines", password="unused-here")
    story = make_story(article_text(), article_text(drones=4711))
    story.publish(
        article_text(drones=120, extra_bullet="Ärzte zählten 12 Verletzte — 港口 🚢").replace(
            "\n", "\r\n"
        ),
        published_at=at(2) + timedelta(microseconds=123_457),
        user=editor,
        note="Casualty count",
    )
    story.revisions.get(number=2).retract(editor, "Figure published in error")
    other = make_story(article_text(headline="Ferry strike closes Lindqvar"), slug="ferry-strike")
    return story, other


def export(*slugs: str) -> str:
    out = io.StringIO()
    call_command("export", *slugs, stdout=out)
    return out.getvalue()


def records(text: str) -> list[dict]:
    return [json.loads(line) for line in text.splitlines()]


def manage(env: dict, *args: str, stdin: str | None = None) -> subprocess.CompletedProcess:
    return subprocess.run(
        [sys.executable, "manage.py", *args],
        cwd=ROOT,
        env=env,
        input=stdin,
        capture_output=True,
        text=True,
        check=False,
    )


@pytest.fixture
def fresh_database(tmp_path) -> dict:
    """The environment of a new, migrated SQLite database, as a restore would start from."""
    env = {
        **os.environ,
        "DATABASE_URL": f"sqlite:///{tmp_path / 'restored.sqlite3'}",
        "SECRET_KEY": "test",
        "HTTPS": "0",
    }
    env.pop("REDIS_URL", None)
    assert manage(env, "migrate", "--verbosity", "0").returncode == 0
    return env


def test_a_round_trip_reproduces_every_hash_and_timestamp(newsroom, fresh_database, tmp_path):
    backup = tmp_path / "newsroom.jsonl"
    backup.write_text(export(), encoding="utf-8")
    restored = manage(fresh_database, "import", str(backup))
    assert restored.returncode == 0, restored.stderr
    assert restored.stdout.strip().startswith(
        "imported 2 stories, 4 revisions and 2 audit entries; 0 revisions already present; "
        "users created without a password: desk-ines"
    )
    again = manage(fresh_database, "export")
    assert again.stdout == backup.read_text(encoding="utf-8")  # byte for byte
    stored = {
        (r["story"], r["number"]): r for r in records(again.stdout) if r.get("type") == "revision"
    }
    for revision in Revision.objects.select_related("story"):
        copy = stored[(revision.story.slug, revision.number)]
        assert copy["content_hash"] == revision.content_hash == content_hash(copy["raw_text"])
        assert copy["raw_text"] == revision.raw_text
        for field in ("published_at", "created_at", "retracted_at"):
            moment = getattr(revision, field)
            assert copy[field] == (moment.isoformat() if moment else None)
    assert stored[("port-tessaly-talks", 3)]["published_at"].endswith(".123457+00:00")
    assert manage(fresh_database, "verify").returncode == 0


def test_importing_twice_adds_nothing(newsroom, tmp_path):
    backup = tmp_path / "newsroom.jsonl"
    backup.write_text(export(), encoding="utf-8")
    counts = Story.objects.count(), Revision.objects.count(), AuditEntry.objects.count()
    out = io.StringIO()
    call_command("import", str(backup), stdout=out)
    assert out.getvalue().strip() == (
        "imported 0 stories, 0 revisions and 0 audit entries; 4 revisions already present"
    )
    assert (Story.objects.count(), Revision.objects.count(), AuditEntry.objects.count()) == counts


def test_a_file_whose_text_does_not_match_its_hash_is_refused_whole(newsroom, tmp_path):
    lines = export().splitlines()
    for number, line in enumerate(lines):
        record = json.loads(line)
        if record.get("type") in ("story", "revision"):
            record["slug" if record["type"] == "story" else "story"] = "restored-copy"
        if record.get("type") == "revision" and record["number"] == 3:
            record["raw_text"] = record["raw_text"].replace("120 drones", "12 drones")
        lines[number] = json.dumps(record)
    damaged = tmp_path / "damaged.jsonl"
    damaged.write_text("\n".join(lines), encoding="utf-8")
    before = Revision.objects.count()
    with pytest.raises(CommandError, match=r"line 5: revision 3 of restored-copy: its text does"):
        call_command("import", str(damaged))
    assert Revision.objects.count() == before
    assert not Story.objects.filter(slug="restored-copy").exists()


def test_a_file_that_contradicts_a_stored_revision_is_refused(newsroom, tmp_path):
    lines = records(export("ferry-strike"))
    revision = lines[2]
    revision["raw_text"] = article_text(headline="Ferry strike ends", drones=3)
    revision["content_hash"] = content_hash(revision["raw_text"])  # a consistent, other text
    other = tmp_path / "other.jsonl"
    other.write_text("\n".join(json.dumps(r) for r in lines), encoding="utf-8")
    with pytest.raises(CommandError, match="revision 1 of ferry-strike differs from the one"):
        call_command("import", str(other))


def test_a_file_with_a_revision_missing_is_refused_whole(newsroom, tmp_path):
    # Every revision is stored as a delta against an earlier one: a gap cannot be stored.
    lines = [
        record
        for record in records(export())
        if not (record.get("type") == "revision" and record["number"] == 2)
    ]
    for record in lines:
        if record.get("type") in ("story", "revision", "audit"):
            record["slug" if record["type"] == "story" else "story"] = "restored-copy"
    gapped = tmp_path / "gapped.jsonl"
    gapped.write_text("\n".join(json.dumps(r) for r in lines), encoding="utf-8")
    with pytest.raises(
        CommandError, match="revision 3 of restored-copy does not follow revision 1"
    ):
        call_command("import", str(gapped))
    assert not Story.objects.filter(slug="restored-copy").exists()


def test_a_retraction_made_after_a_backup_is_restored_from_the_later_one(
    make_story, django_user_model, fresh_database, tmp_path
):
    story = make_story(article_text(), article_text(drones=4711))
    earlier = tmp_path / "monday.jsonl"
    earlier.write_text(export(), encoding="utf-8")
    editor = django_user_model.objects.create_user("desk-ines", password="unused-here")
    story.revisions.get(number=2).retract(editor, "Figure published in error")
    later = tmp_path / "tuesday.jsonl"
    later.write_text(export(), encoding="utf-8")
    assert manage(fresh_database, "import", str(earlier)).returncode == 0
    result = manage(fresh_database, "import", str(later))
    assert result.returncode == 0, result.stderr
    assert "users created without a password: desk-ines" in result.stdout
    assert manage(fresh_database, "export").stdout == later.read_text(encoding="utf-8")


def test_export_of_named_stories_and_of_an_unknown_one(newsroom):
    only = records(export("ferry-strike"))
    assert [r.get("type") for r in only] == [None, "story", "revision"]
    assert only[0] == {"format": "newsroom-export", "version": 1}
    with pytest.raises(CommandError, match="no such story: nope"):
        export("ferry-strike", "nope")


@pytest.mark.parametrize(
    ("content", "reason"),
    [
        ("", "line 1: not JSON"),
        ('{"format": "something-else", "version": 1}', "not a newsroom-export file"),
        ('{"format": "newsroom-export", "version": 1}\n{"type": "story"}', "line 2: story lacks"),
        ('{"format": "newsroom-export", "version": 1}\n[1]', "line 2: not a JSON object"),
    ],
)
def test_a_file_that_is_not_an_export_is_refused_with_its_line(tmp_path, content, reason):
    path = tmp_path / "bad.jsonl"
    path.write_text(content, encoding="utf-8")
    with pytest.raises(CommandError, match=reason):
        call_command("import", str(path))


def test_an_export_made_before_significance_existed_imports_and_computes_it(
    newsroom, fresh_database, tmp_path
):
    lines = []
    for record in records(export()):
        record.pop("significance", None)
        lines.append(json.dumps(record, ensure_ascii=False))
    backup = tmp_path / "older.jsonl"
    backup.write_text("\n".join(lines) + "\n", encoding="utf-8")
    restored = manage(fresh_database, "import", str(backup))
    assert restored.returncode == 0, restored.stderr
    computed = {
        (r["story"], r["number"]): r["significance"]
        for r in records(manage(fresh_database, "export").stdout)
        if r.get("type") == "revision"
    }
    assert computed == {
        (revision.story.slug, revision.number): revision.significance
        for revision in Revision.objects.select_related("story")
    }
