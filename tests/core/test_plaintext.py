"""A parsed document written back as text parses to the same document (the desk's edit in place).

The demo story and the shared Axios sample (skipped when ../shared is absent) are text
uploads; the invented documents below stand for what an HTML page gives."""

from __future__ import annotations

from pathlib import Path

import pytest

from articles.core.document import Block, Document
from articles.core.parsing import parse_article
from articles.core.plaintext import document_text, round_trips

_REPO = Path(__file__).resolve().parents[2]
DEMO = sorted((_REPO / "articles" / "demo" / "valdoria-ceasefire").glob("*.txt"))
SAMPLES = sorted((_REPO.parent / "shared" / "samples").glob("*.txt"))


@pytest.mark.parametrize("path", DEMO, ids=[path.name for path in DEMO])
def test_every_demo_revision_round_trips(path):
    document = parse_article(path.read_text(encoding="utf-8"))
    assert parse_article(document_text(document)) == document
    assert round_trips(document)


@pytest.mark.skipif(not SAMPLES, reason="../shared/samples is absent")
@pytest.mark.parametrize("path", SAMPLES, ids=[path.name for path in SAMPLES])
def test_the_shared_samples_round_trip(path):
    document = parse_article(path.read_bytes())
    assert parse_article(document_text(document)) == document


def test_the_text_has_no_chrome_and_reads_as_the_desk_writes():
    document = parse_article(DEMO[-1].read_text(encoding="utf-8"))
    text = document_text(document)
    assert text.startswith("Dispatch Desk\n\nWorld\n\nValdoria-Korvan talks end")
    assert "Sign up" not in text and "Start reading" not in text
    assert "\n\nState of play: Valdoria's General Staff says" in text
    assert "\n\n• About 102,000 people have been displaced" in text
    assert "\n\nEditor's note: This is fictional demo coverage" in text


def test_a_section_opening_with_a_bullet_gets_a_label_line_of_its_own():
    document = Document(
        headline="Harbour talks in Port Tessaly stall over corridor",
        dek="Mediators in the fictional city of Port Tessaly said on Friday that talks stalled.",
        blocks=(
            Block("paragraph", "The latest", "Negotiators left the table after six hours."),
            Block("bullet", "By the numbers", "14 ships waited outside the breakwater."),
            Block("bullet", "By the numbers", "2,400 families registered for evacuation."),
            Block("note", "Editor's note", "Fictional coverage written for Newsroom's tests."),
            Block("paragraph", "By the numbers", "The council expects more ships on Monday."),
        ),
    )
    text = document_text(document)
    assert "\n\nBy the numbers:\n\n• 14 ships waited" in text
    assert round_trips(document)


def test_a_caption_the_text_parser_cannot_tell_from_a_paragraph_does_not_round_trip():
    # An HTML figcaption without a photo credit: in text it reads as a paragraph. The desk
    # says so instead of changing the document silently.
    document = Document(
        headline="Harbour talks in Port Tessaly stall over corridor",
        dek="Mediators in the fictional city of Port Tessaly said on Friday that talks stalled.",
        blocks=(
            Block("caption", None, "Ships wait outside the breakwater at dawn."),
            Block("paragraph", "The latest", "Negotiators left the table after six hours."),
        ),
    )
    assert not round_trips(document)
