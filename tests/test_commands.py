import io
import json

import pytest
from django.core.management import CommandError, call_command

from articles.models import Revision, Story
from tests.conftest import SHARED_SAMPLES, article_text

pytestmark = pytest.mark.django_db


def run(*args: str) -> str:
    out = io.StringIO()
    call_command(*args, stdout=out, stderr=io.StringIO())
    return out.getvalue()


def test_parse_json_has_exactly_the_public_keys(tmp_path):
    path = tmp_path / "a.txt"
    path.write_text(article_text(), encoding="utf-8")
    document = json.loads(run("parse", str(path), "--json"))
    assert list(document) == ["headline", "dek", "publisher", "category", "blocks", "warnings"]
    assert {tuple(block) for block in document["blocks"]} == {("kind", "label", "text")}
    assert document["headline"] == "Harbour talks in Port Tessaly stall over corridor"


def test_parse_prints_a_readable_outline(tmp_path):
    path = tmp_path / "a.txt"
    path.write_text(article_text(), encoding="utf-8")
    out = run("parse", str(path))
    assert "headline:  Harbour talks in Port Tessaly stall over corridor" in out
    assert "bullet" in out and "[State of play]" in out


def test_parse_reports_bad_input_in_one_line(tmp_path):
    path = tmp_path / "empty.txt"
    path.write_bytes(b"")
    with pytest.raises(CommandError, match=r"empty\.txt: .*empty"):
        run("parse", str(path))


def upgraded_parser(monkeypatch, version: int, rewrite):
    """Run `reparse` as under a new parser: its version and what it makes of a text."""
    import articles.management.commands.reparse as reparse

    real = reparse.parse_article
    monkeypatch.setattr(reparse, "PARSER_VERSION", version)
    monkeypatch.setattr(reparse, "parse_article", lambda text: rewrite(real(text)))


def test_reparse_rederives_structure_and_counts_changes(make_story, monkeypatch):
    from dataclasses import replace

    from articles.core.parsing import PARSER_VERSION

    story = make_story(article_text(), article_text(drones=400))

    def retitled(document):
        # The new parser reads the first revision's headline differently.
        if "310 drones" in document.blocks[1].text:
            return replace(document, headline="Harbour talks stall")
        return document

    upgraded_parser(monkeypatch, PARSER_VERSION + 1, retitled)
    assert run("reparse").strip() == "1 of 2 revisions changed"
    first = story.revisions.get(number=1)
    assert (first.parsed["headline"], first.parser_version) == (
        "Harbour talks stall",
        PARSER_VERSION + 1,
    )
    assert "Headline changed" in story.revisions.get(number=2).summary
    assert run("reparse").strip() == "0 of 2 revisions changed"


def test_reparse_refuses_a_new_structure_under_the_same_parser_version(make_story, monkeypatch):
    from dataclasses import replace

    from articles.core.parsing import PARSER_VERSION

    story = make_story(article_text())
    upgraded_parser(monkeypatch, PARSER_VERSION, lambda d: replace(d, headline="Changed"))
    err = io.StringIO()
    call_command("reparse", stdout=(out := io.StringIO()), stderr=err)
    assert out.getvalue().strip() == "0 of 1 revisions changed, 1 failed"
    assert "raise PARSER_VERSION" in err.getvalue()
    assert story.revisions.get().parsed["headline"] == article_text.__defaults__[0]


def test_loaddemo_is_idempotent():
    assert "revisions added" in run("loaddemo")
    count = Revision.objects.count()
    assert count >= 4
    assert run("loaddemo").strip() == "demo loaded: 0 revisions added"
    assert Revision.objects.count() == count
    story = Story.objects.get()
    assert story.live_number == count
    assert "fictional" in story.live_revision().raw_text.lower()


def test_parse_json_on_the_shared_sample():
    samples = sorted(SHARED_SAMPLES.glob("*.txt"))
    if not samples:
        pytest.skip(f"no sample articles in {SHARED_SAMPLES}")
    document = json.loads(run("parse", str(samples[0]), "--json"))
    assert document["publisher"] == "Axios"
    assert document["category"] == "World"
    kinds = [block["kind"] for block in document["blocks"]]
    assert kinds.count("caption") == 1 and kinds.count("credit") == 1
    assert document["blocks"][-1]["label"] == "Editor's note"


def test_ingest_shows_a_progress_bar_on_a_terminal_for_many_files(tmp_path, monkeypatch):
    for number in range(12):
        (tmp_path / f"{number:02}.txt").write_text(
            article_text(drones=300 + number), encoding="utf-8"
        )
    terminal = io.StringIO()
    monkeypatch.setattr(terminal, "isatty", lambda: True, raising=False)
    call_command("ingest", str(tmp_path), stdout=io.StringIO(), stderr=terminal)
    assert "[" + "#" * 30 + "] 12/12" in terminal.getvalue()
    assert Revision.objects.count() == 12


def test_ingest_shows_no_progress_bar_when_not_a_terminal(tmp_path):
    for number in range(12):
        (tmp_path / f"{number:02}.txt").write_text(
            article_text(drones=300 + number), encoding="utf-8"
        )
    err = io.StringIO()
    call_command("ingest", str(tmp_path), stdout=io.StringIO(), stderr=err)
    assert err.getvalue() == ""
