"""The article parser: plain pytest, no Django.

Fixtures under tests/fixtures/parsing are invented text. The shared Axios sample is someone
else's writing: it is only read here (never copied), and its tests skip when it is absent.
"""

from __future__ import annotations

import codecs
import contextlib
from collections import Counter
from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from articles.core.document import Block, Document, ParseError
from articles.core.parsing import PARSER_VERSION, looks_like_html, parse_article, read_upload

FIXTURES = Path(__file__).resolve().parents[1] / "fixtures" / "parsing"
# shared/ sits beside the clone (../shared from the repo root); accept it inside the repo too.
_REPO = Path(__file__).resolve().parents[2]
SAMPLE_NAME = "axios-ukraine-talks-2022-03-07.inkl.txt"
SAMPLE_CANDIDATES = [base / "shared" / "samples" / SAMPLE_NAME for base in (_REPO.parent, _REPO)]


def fixture(name: str) -> bytes:
    return (FIXTURES / name).read_bytes()


def all_texts(document: Document) -> list[str]:
    texts = [document.headline or "", document.dek or ""]
    return texts + [block.text for block in document.blocks]


def section_labels(document: Document) -> list[str]:
    """Labels in reading order, consecutive repeats collapsed; notes carry their own label."""
    labels: list[str] = []
    for block in document.blocks:
        if block.kind != "note" and block.label and (not labels or labels[-1] != block.label):
            labels.append(block.label)
    return labels


# --- The shared sample -------------------------------------------------------------------------


@pytest.fixture(scope="module")
def sample_text() -> str:
    for path in SAMPLE_CANDIDATES:
        if path.is_file():
            return path.read_text(encoding="utf-8")
    pytest.skip("the shared Axios sample is not available")


@pytest.fixture(scope="module")
def sample(sample_text: str) -> Document:
    return parse_article(sample_text)


def test_sample_headline_publisher_and_category(sample: Document, sample_text: str) -> None:
    headline_line = next(line for line in sample_text.splitlines() if "peace talks ends" in line)
    assert sample.headline == headline_line.strip()
    assert sample.publisher == "Axios"
    assert sample.category == "World"


def test_sample_dek_is_the_unlabelled_first_paragraph(sample: Document) -> None:
    assert sample.dek is not None
    assert sample.dek.startswith("Ukraine on Monday")
    assert all(block.text != sample.dek for block in sample.blocks)


def test_sample_labels_in_order(sample: Document) -> None:
    assert section_labels(sample) == [
        "The latest",
        "State of play",
        "The big picture",
        "What to watch",
        "State of play",
        "Zoom in",
        "What they're saying",
        "Between the lines",
        "Yes, but",
        "Zoom out",
    ]


def test_sample_block_kinds(sample: Document) -> None:
    assert Counter(block.kind for block in sample.blocks) == {
        "paragraph": 10,
        "bullet": 15,
        "caption": 1,
        "credit": 1,
        "note": 2,
    }
    assert not any(block.text.startswith("•") for block in sample.blocks)


def test_sample_caption_keeps_its_photo_credit(sample: Document) -> None:
    (caption,) = [block for block in sample.blocks if block.kind == "caption"]
    assert caption.text.startswith("Ukrainian (L) and Russian (R) delegations")
    assert "Photo: Maxim Guchek" in caption.text
    assert caption.label == "What to watch"


def test_sample_data_and_map_credit(sample: Document) -> None:
    (credit,) = [block for block in sample.blocks if block.kind == "credit"]
    assert credit.text.startswith("Data: ")
    assert "Map: " in credit.text
    assert credit.label == "State of play"


def test_sample_notes(sample: Document) -> None:
    notes = [block for block in sample.blocks if block.kind == "note"]
    assert [note.label for note in notes] == ["Go deeper", "Editor's note"]
    assert notes[0].text.startswith("The latest on")
    assert notes[1].text.startswith("This article has been updated")


def test_sample_has_no_chrome_left(sample: Document, sample_text: str) -> None:
    lines = [line.strip() for line in sample_text.splitlines() if line.strip()]
    chrome = lines[:4] + lines[-11:]
    for text in all_texts(sample):
        for line in chrome:
            assert line not in text
    assert sample.warnings == ("16 lines look like chrome and were dropped",)


def test_sample_bytes_and_crlf_parse_the_same(sample: Document, sample_text: str) -> None:
    crlf = sample_text.replace("\n", "\r\n").encode("utf-8")
    assert parse_article(crlf).to_dict() == sample.to_dict()


# --- Invented fixtures -------------------------------------------------------------------------


def test_plain_article_with_chrome() -> None:
    document = parse_article(fixture("harbor_ledger_with_chrome.txt"))
    assert document.headline == "Keepers in fictional Port Averly vote to keep the old lamp lit"
    assert document.publisher == "The Harbor Ledger"
    assert document.category == "Science"
    assert document.dek is not None and document.dek.startswith("The invented town council")
    assert section_labels(document) == [
        "Why it matters",
        "Driving the news",
        "Tidal records",
        "What’s next",
    ]
    assert document.warnings == ("9 lines look like chrome and were dropped",)
    texts = all_texts(document)
    lines = fixture("harbor_ledger_with_chrome.txt").decode().splitlines()
    for chrome in lines[:4] + lines[-5:]:
        assert chrome not in texts
    for phrase in ("free trial", "Fog season", "the app", "Log in"):
        assert not any(phrase in text for text in texts), phrase


@pytest.mark.parametrize(
    "chrome",
    [
        "Sign up to keep reading",
        "Already subscribed? Log in here",
        "Already have an account? Sign in",
        "Log in to continue reading",
    ],
)
def test_paywall_prompts_after_the_article_are_dropped(chrome: str) -> None:
    text = HEAD + "The latest: The ferry board met in the invented town of Lindqvar.\n\n" + chrome
    document = parse_article(text)
    assert all(chrome not in block.text for block in document.blocks)
    assert document.blocks[-1].text == "The ferry board met in the invented town of Lindqvar."


def test_real_body_lines_with_chrome_words_are_kept() -> None:
    texts = all_texts(parse_article(fixture("harbor_ledger_with_chrome.txt")))
    assert "Subscribers to the keepers' newsletter rose by a third this year." in texts
    assert "More news is expected after the harbor board meets on Friday." in texts


def test_bullets_lose_their_glyph_and_take_the_section_label() -> None:
    document = parse_article(fixture("harbor_ledger_with_chrome.txt"))
    bullets = [block for block in document.blocks if block.kind == "bullet"]
    assert [bullet.text for bullet in bullets] == [
        "Keepers log the fog by hand every 30 minutes.",
        "The council will review the budget again in 2031.",
        "Two volunteer keepers joined this year.",
    ]
    assert {bullet.label for bullet in bullets} == {"Why it matters"}


def test_caption_credit_and_notes_in_plain_text() -> None:
    blocks = parse_article(fixture("harbor_ledger_with_chrome.txt")).blocks
    kinds = {block.kind: block for block in reversed(blocks)}
    assert kinds["caption"].text.endswith("Photo: Mira Solberg/The Harbor Ledger")
    assert kinds["credit"].text.startswith("Data: Port Averly Historical Society")
    notes = [(block.label, block.text) for block in blocks if block.kind == "note"]
    assert notes == [
        ("Correction", "An earlier version of this story misstated the vote count."),
        ("Go deeper", "A short history of the Gannet Coast lights"),
    ]


def test_curly_apostrophe_label_keeps_its_spelling() -> None:
    blocks = parse_article(fixture("harbor_ledger_with_chrome.txt")).blocks
    assert (
        Block("paragraph", "What’s next", "The council meets again in May to set the keepers' pay.")
        in blocks
    )


def test_hard_wrapped_lines_are_joined() -> None:
    document = parse_article(fixture("hard_wrapped.txt"))
    assert (
        document.headline
        == "Clockmakers of fictional Vell Lane restore the town's oldest tower clock"
    )
    assert document.dek is not None and "volunteers, working mostly at night, took" in document.dek
    assert [block.text for block in document.blocks] == [
        "The volunteers say the clock now loses about two seconds a week, which they plan to fix "
        "in the spring.",
        "The bell will ring on the hour again from next Monday.",
        "A small museum display will show the old worn gears.",
    ]


def test_html_page() -> None:
    document = parse_article(fixture("pine_gazette.html"))
    assert document.headline == "Fictional orchard tries night harvest"
    assert document.publisher == "The Pine Gazette"
    assert document.category == "Business"
    assert document.dek is not None and document.dek.startswith("An invented apple orchard")
    assert [(block.kind, block.label) for block in document.blocks] == [
        ("paragraph", "Why it matters"),
        ("caption", "Why it matters"),
        ("bullet", "Details"),
        ("bullet", "Details"),
        ("paragraph", "The catch"),
        ("credit", "The catch"),
    ]


def test_html_drops_page_chrome_and_markup() -> None:
    texts = " ".join(all_texts(parse_article(fixture("pine_gazette.html"))))
    for dropped in (
        "font-family",
        "tracker",
        "alert",
        "JavaScript",
        "editor's comment",
        "Menu",
        "Sport",
        "Newsletter",
        "Frost warnings",
        "Most read",
        "Copyright",
    ):
        assert dropped not in texts, dropped


def test_html_entities_become_literal_text() -> None:
    blocks = parse_article(fixture("pine_gazette.html")).blocks
    assert "whether the <b>night shift</b> pays off." in blocks[0].text


def test_html_without_h1_falls_back_to_og_title() -> None:
    html = (
        '<html><head><meta property="og:title" content="Invented kite festival returns">'
        "<title>Kites | Example</title></head><body>"
        "<p>The fictional kite festival in Dunmore Bay returned on Sunday after a two-year gap.</p>"
        "<p>Organisers counted more than 300 kites over the invented beach.</p></body></html>"
    )
    document = parse_article(html)
    assert document.headline == "Invented kite festival returns"
    assert document.dek is not None and document.dek.startswith("The fictional kite festival")


def test_windows_1252_file_is_decoded_with_a_warning() -> None:
    document = parse_article(fixture("cp1252_cafe.txt"))
    assert document.headline == "Fictional ferry café reopens after the “long winter”"
    assert document.dek is not None and "— its owner, Zoë Hale," in document.dek
    assert document.warnings == ("decoded as windows-1252: the file is not valid UTF-8",)


# --- Labels ------------------------------------------------------------------------------------

HEAD = "Invented headline about a harbor\n\n"


def only_block(text: str) -> Block:
    (block,) = parse_article(HEAD + text).blocks
    return block


@pytest.mark.parametrize(
    "line",
    [
        'Marrow said: "We will see."',
        'The minister told reporters: "Nothing has changed."',
        'A spokesperson added: "Talks continue."',
        'Harbor officials: "The pier is closed."',
        "At 10:30: the ferry left on time.",
        "The ratio was 3:1 in favour of the plan.",
        "See https://example.org/page for the full report today.",
        "Mayor Dana Cole: The budget passes next week.",
    ],
)
def test_colons_that_are_not_labels(line: str) -> None:
    block = parse_article(HEAD + "Why it matters: An opening sentence.\n\n" + line).blocks[-1]
    assert block.kind == "paragraph"
    assert block.label == "Why it matters"
    assert block.text == line


@pytest.mark.parametrize(
    ("line", "label", "text"),
    [
        ("State of play: Ferries run again.", "State of play", "Ferries run again."),
        ("STATE OF PLAY: Ferries run again.", "STATE OF PLAY", "Ferries run again."),
        ("What they’re saying: “We are ready.”", "What they’re saying", "“We are ready.”"),
        ("Yes, but: Fares are up.", "Yes, but", "Fares are up."),
        ("Flashback: In 1990 the pier burned.", "Flashback", "In 1990 the pier burned."),
        ("The fine print: Refunds take a week.", "The fine print", "Refunds take a week."),
    ],
)
def test_labels(line: str, label: str, text: str) -> None:
    assert only_block(line) == Block("paragraph", label, text)


@pytest.mark.parametrize("prefix", ["Photo", "Photos", "Data", "Map", "Source", "Chart", "Graphic"])
def test_credit_words_are_credits_not_labels(prefix: str) -> None:
    text = f"Zoom in: A first sentence here.\n\n{prefix}: Harbor Ledger research"
    block = parse_article(HEAD + text).blocks[-1]
    assert block.kind == "credit"
    assert block.label == "Zoom in"
    assert block.text == f"{prefix}: Harbor Ledger research"


def test_label_on_its_own_line_labels_what_follows() -> None:
    document = parse_article(HEAD + "The big picture:\n\nTides are rising faster than planned.")
    assert document.blocks == (
        Block("paragraph", "The big picture", "Tides are rising faster than planned."),
    )
    assert document.dek is None


def test_dek_is_none_when_the_first_paragraph_is_labelled() -> None:
    document = parse_article(HEAD + "The latest: Ferries resumed at noon on the invented route.")
    assert document.dek is None
    assert document.blocks[0].label == "The latest"


def test_note_labels() -> None:
    text = (
        "Editor’s note: Updated with the final vote.\n\nClarification: The pier is council-owned."
    )
    blocks = parse_article(HEAD + "A first paragraph.\n\n" + text).blocks
    assert [(b.kind, b.label) for b in blocks] == [
        ("note", "Editor’s note"),
        ("note", "Clarification"),
    ]


def test_bullet_glyphs() -> None:
    glyphs = ["•", "-", "*", "·", "▪", "–"]
    text = "\n".join(f"   {glyph} Item number {i}." for i, glyph in enumerate(glyphs))
    blocks = parse_article(HEAD + "Zoom out: Context first.\n" + text).blocks[1:]
    assert [(b.kind, b.label, b.text) for b in blocks] == [
        ("bullet", "Zoom out", f"Item number {i}.") for i in range(len(glyphs))
    ]


# --- Input handling ----------------------------------------------------------------------------

ARTICLE = HEAD + "The invented harbor reopened on Monday after a week of repairs to the pier.\n"


def test_decoding_variants_agree() -> None:
    expected = parse_article(ARTICLE).to_dict()
    for data in (
        ARTICLE.encode("utf-8"),
        ARTICLE.encode("utf-8-sig"),
        ARTICLE.encode("utf-16"),
        codecs.BOM_UTF16_BE + ARTICLE.encode("utf-16-be"),
    ):
        assert parse_article(data).to_dict() == expected


def test_read_upload_returns_the_text_or_raises_parse_error() -> None:
    assert read_upload(("Café\n\n" + ARTICLE).encode("cp1252"))[0] == "Café\n\n" + ARTICLE
    assert read_upload(("Café\n\n" + ARTICLE).encode("utf-16"))[0] == "Café\n\n" + ARTICLE
    with pytest.raises(ParseError, match=r"^not a text file$"):
        read_upload(b"\x89PNG\r\n\x1a\n\x00\x00")
    with pytest.raises(ParseError, match=r"^file is too large"):
        read_upload(b"abc", max_bytes=2)


@pytest.mark.parametrize(
    "data",
    [
        ("Invented headline\n\nThe pier\x00 reopened on Monday.").encode("utf-16"),
        ("Invented headline\n\nThe pier\x00 reopened on Monday.").encode("utf-16-le"),
        "Invented headline\n\nThe pier\x00 reopened on Monday.",
        b"Invented headline\n\nThe pier\x00 reopened on Monday.",
    ],
    ids=["utf-16", "utf-16-le-no-bom", "text", "utf-8"],
)
def test_nul_characters_are_refused_however_they_are_encoded(data: str | bytes) -> None:
    # A database text column refuses U+0000: refused here, with a reason, not as a DataError.
    with pytest.raises(ParseError, match=r"^not a text file"):
        read_upload(data)


def test_read_upload_keeps_the_text_verbatim_and_the_decoding_warning() -> None:
    raw = ("Caf\u00e9 talks\r\n\r\n" + ARTICLE).encode("cp1252")
    text, document = read_upload(raw)
    assert text == raw.decode("cp1252")
    assert document == parse_article(raw)
    assert "decoded as windows-1252: the file is not valid UTF-8" in document.warnings


def test_latin_1_fallback() -> None:
    document = parse_article((ARTICLE + "Caf\xe9 owner\x81s agree.\n").encode("latin-1"))
    assert document.warnings == ("decoded as latin-1: the file is not valid UTF-8",)


def test_whitespace_is_normalised() -> None:
    text = (
        "\ufeffInvented\u00a0headline\u2009here\n\n"
        "The\tpier\u200b is\u3000open again, officials say."
    )
    document = parse_article(text)
    assert document.headline == "Invented headline here"
    assert document.dek == "The pier is open again, officials say."


def test_text_is_nfc() -> None:
    document = parse_article(HEAD + "The cafe\u0301 reopened on the invented pier this week.")
    assert document.dek == "The café reopened on the invented pier this week."


@pytest.mark.parametrize(
    ("data", "message"),
    [
        (b"", "empty upload"),
        ("  \n\t\r\n ", "empty upload"),
        (b"\xef\xbb\xbf", "empty upload"),
        (b"GIF89a\x00\x01\x02", "not a text file"),
        (bytes(range(1, 32)) * 20, "not a text file"),
        ("Sign in\nSubscribe\nDownload the app\n", "no article text found"),
        (b"\xff\xfe\x00\xd8", "not a valid UTF-16 text file"),
        (42, "expected text or bytes"),
    ],
)
def test_bad_input_raises_parse_error(data: object, message: str) -> None:
    with pytest.raises(ParseError, match=f"^{message}$"):
        parse_article(data)  # type: ignore[arg-type]


def test_size_limit_counts_utf8_bytes() -> None:
    text = "é" * 600  # 1,200 bytes in UTF-8
    with pytest.raises(
        ParseError, match=r"^file is too large \(1\.2 KB; the limit is 1000 bytes\)$"
    ):
        parse_article(text, max_bytes=1000)
    with pytest.raises(ParseError, match=r"^file is too large \(6\.2 MB; the limit is 5 MB\)$"):
        parse_article(b"a" * int(6.15 * 1024 * 1024))


def test_script_in_plain_text_is_literal() -> None:
    line = "The invented site showed <script>alert(1)</script> to visitors, officials said."
    document = parse_article(HEAD + line)
    assert not looks_like_html(HEAD + line)
    assert document.dek == line


def test_looks_like_html() -> None:
    assert looks_like_html("<!doctype html><p>x</p>")
    assert looks_like_html("<p>One</p><p>Two</p><p>Three</p>")
    assert not looks_like_html("Use a <p> tag, then a </p> tag.")


def test_parser_version_is_an_int() -> None:
    assert isinstance(PARSER_VERSION, int) and PARSER_VERSION >= 1


def test_large_input_parses_completely() -> None:
    paragraph = (
        "State of play: The invented harbor board met again on Tuesday and approved "
        "a longer season for the ferries, officials said.\n\n"
        "  • Fares stay the same.\n\n"
    )
    text = HEAD + paragraph * (600_000 // len(paragraph))
    document = parse_article(text)
    assert len(document.blocks) == 2 * (600_000 // len(paragraph))


# --- Properties --------------------------------------------------------------------------------

PIECES = st.sampled_from(
    [
        "\n",
        "\n\n",
        " ",
        "• ",
        "State of play: ",
        "Photo: ",
        "Data: ",
        "Editor's note: ",
        "Related Stories\n",
        "Sign in\n",
        "<p>",
        "</p>",
        "<h1>",
        "</h1>",
        "<script>",
        "</script>",
        "<strong>",
        "</strong>",
        "<!doctype html>",
        "&lt;b&gt;",
        "\u00a0",
        "\ufeff",
        "Invented harbor news",
        "The pier reopened on Monday after repairs, officials said.",
    ]
)
TEXTS = st.one_of(st.text(max_size=300), st.lists(PIECES | st.text(max_size=8)).map("".join))
FAST = settings(max_examples=150, deadline=None)


def parse_or_error(data: str | bytes) -> dict[str, object] | str:
    try:
        return parse_article(data).to_dict()
    except ParseError as error:
        return f"ParseError: {error}"


TAG_NAMES = st.sampled_from(
    ["p", "div", "article", "main", "h1", "h2", "li", "ul", "figure", "figcaption", "strong",
     "b", "a", "span", "section", "form", "header", "footer", "nav", "aside", "table", "td",
     "script", "style", "title", "template", "blockquote", "br", "img"]
)  # fmt: skip
ATTRIBUTES = st.sampled_from(
    ["", ' href="https://example.org/a"', ' href="javascript:alert(1)"', ' href="/relative"',
     ' class="visually-hidden"', ' role="navigation"', ' hidden', ' src="x.png"',
     ' style="display:none"', ' type="application/ld+json"']
)  # fmt: skip
MARKUP = st.one_of(
    st.builds("<{}{}>".format, TAG_NAMES, ATTRIBUTES),
    st.builds("</{}>".format, TAG_NAMES),
    st.sampled_from(
        ["<!--", "-->", "<![CDATA[", "]]>", "<!doctype html>", "<?xml version='1.0'?>",
         "&amp;", "&#0;", "&#x0;", "&nbsp;", "&lt;b&gt;", "\ue000", "\ue001", '{"headline": 1',
         '<meta property="og:title" content="Invented">', "<meta charset='utf-16'>"]
    ),
    PIECES,
    st.text(max_size=12),
)  # fmt: skip
TAG_SOUP = st.lists(MARKUP, max_size=60).map("".join)
# Hostile shapes: one tag repeated, nested or not, thousands of times.
HOSTILE = st.builds(
    lambda tag, count, tail: f"<{tag}>" * count + tail,
    TAG_NAMES,
    st.integers(min_value=1, max_value=1_500),
    st.sampled_from(["words", "", "</p>" * 50, "The pier reopened on Monday, officials said."]),
)
ENCODED = st.builds(
    lambda text, encoding: text.encode(encoding, "replace"),
    st.one_of(TEXTS, TAG_SOUP, st.text(alphabet=st.characters(max_codepoint=0x7F), max_size=40)),
    st.sampled_from(["utf-8", "utf-8-sig", "utf-16", "cp1252", "latin-1"]),
)
ANY_UPLOAD = st.one_of(TEXTS, TAG_SOUP, HOSTILE, ENCODED, st.binary(max_size=300))


@pytest.fixture(scope="module")
def warm_parser() -> None:
    """One parse of a page first: the first call pays one-time costs (trafilatura compiles its
    XPath expressions), which are no example's."""
    parse_article(fixture("pine_gazette.html"))


# The profile (tests/core/conftest.py) sets the examples: 10,000 in CI, and a deadline of 1 s
# per example.
@pytest.mark.usefixtures("warm_parser")
@given(ANY_UPLOAD)
def test_any_upload_parses_or_raises_only_a_one_line_parse_error(data: str | bytes) -> None:
    try:
        document = parse_article(data)
    except ParseError as error:
        assert str(error) and "\n" not in str(error)
    else:
        assert document.blocks or document.dek
        assert all("\x00" not in text for text in all_texts(document))


@FAST
@given(TEXTS)
def test_parsing_is_deterministic(text: str) -> None:
    assert parse_or_error(text) == parse_or_error(text)


@FAST
@given(TEXTS.filter(lambda text: "\r" not in text))
def test_crlf_and_lf_give_the_same_document(text: str) -> None:
    assert parse_or_error(text.replace("\n", "\r\n")) == parse_or_error(text)


@FAST
@given(st.lists(PIECES | st.text(max_size=8).map(lambda text: text.replace("<", ""))).map("".join))
def test_html_never_yields_script_content(body: str) -> None:
    # Stray "<" from random text could open a bogus comment that swallows the "<script" tag
    # itself (browsers agree), so the body only uses well-formed tags from PIECES.
    html = (
        f"<!doctype html><html><body><h1>Invented</h1>{body}<script>evil()</script></body></html>"
    )
    result = parse_or_error(html)
    if isinstance(result, dict):
        blocks = result["blocks"]
        assert isinstance(blocks, list)
        assert not any("evil()" in block["text"] or "<script" in block["text"] for block in blocks)


def test_byline_and_date_under_the_headline_are_dropped() -> None:
    text = (
        "Invented ferry strike ends after two days\n"
        "By Rosa Imrie and Tam Okafor\n"
        "March 9, 2031\n\n"
        "Crews on the fictional Skerra ferry line returned to work on Thursday after a deal on pay."
    )
    document = parse_article(text)
    assert document.headline == "Invented ferry strike ends after two days"
    assert document.dek is not None and document.dek.startswith("Crews on the fictional")
    assert document.blocks == ()
    assert document.warnings == ("2 byline/date lines were dropped",)


def test_page_header_is_dropped_but_the_article_header_is_kept() -> None:
    document = parse_article(fixture("pine_gazette.html"))
    assert "The Pine Gazette" not in all_texts(document)
    assert document.headline == "Fictional orchard tries night harvest"


def test_deeply_nested_html_does_not_recurse() -> None:
    html = (
        "<div>" * 200
        + "<h1>Invented</h1><p>The fictional pier reopened on Monday, officials said.</p>"
    )
    assert parse_article(html).dek == "The fictional pier reopened on Monday, officials said."


@pytest.mark.parametrize("depth", [255, 3000, 8000])
def test_html_nested_past_the_parsers_limit_is_refused_not_half_read(depth: int) -> None:
    # libxml2 would silently drop everything past its limit; refusing says so.
    html = "<article>" * depth + "The fictional pier reopened on Monday, officials said."
    with pytest.raises(ParseError, match=r"^the HTML nests elements more than 255 deep$"):
        parse_article(html)


@pytest.mark.parametrize("html", ["<!doctype html><![<p>x</p>", "<html><![if x]><p>y</p>"])
def test_markup_the_html_parser_rejects_is_a_parse_error_or_a_document(html: str) -> None:
    # Older html.parser versions reject "<![" outright (bs4 raises ParserRejectedMarkup).
    with contextlib.suppress(ParseError):
        parse_article(html)
