"""HTML pages: the article is found, with its structure, and the page around it is not.

The fixtures are invented pages in the shapes of real templates: an ASP.NET page inside one
<form>, a story whose <h1> sits outside any <article> beside a rail of teaser <article>s with
<h1>s of their own, a comments section, a cookie banner, JSON-LD metadata.
"""

from __future__ import annotations

from pathlib import Path

import pytest

from articles.core.document import Link, LinkedText, ParseError, sections
from articles.core.parsing import parse_article

FIXTURES = Path(__file__).resolve().parents[1] / "fixtures" / "parsing"


def page(name: str) -> bytes:
    return (FIXTURES / name).read_bytes()


def body_text(name: str) -> str:
    document = parse_article(page(name))
    labels = [block.label or "" for block in document.blocks]
    return " ".join([document.dek or "", *labels, *(block.text for block in document.blocks)])


def test_a_page_inside_one_form_still_finds_its_article() -> None:
    document = parse_article(page("aspnet_form_page.html"))
    assert document.headline == "Lindqvar council votes to rebuild the old ferry pier"
    assert document.dek is not None and document.dek.startswith("The council of the invented")
    assert document.blocks[-1].text.startswith("Work is due to begin in May")
    assert len(document.blocks) == 4


@pytest.mark.parametrize(
    "chrome",
    ["Most read", "Lighthouse keeper retires", "Staff directory", "Paulo Renner", "555 0140",
     "Copyright", "Privacy policy", "Jobs", "VIEWSTATE", "By Marta Oyelaran"],
)  # fmt: skip
def test_the_form_page_keeps_none_of_the_page_around_the_article(chrome: str) -> None:
    assert chrome not in body_text("aspnet_form_page.html")


def test_h1_outside_the_article_beside_teaser_h1s_finds_the_article() -> None:
    document = parse_article(page("teaser_rail_page.html"))
    assert document.headline == "Night trains return to the Gannet Coast"
    assert document.publisher == "The Coastline Wire"
    assert document.category == "Travel"  # from the JSON-LD
    assert document.dek is not None and document.dek.startswith("Sleeper services between")
    assert [(block.kind, block.label) for block in document.blocks] == [
        ("caption", None),
        ("paragraph", None),
        ("paragraph", None),
        ("paragraph", "What changes for passengers"),
        ("bullet", "What changes for passengers"),
        ("bullet", "What changes for passengers"),
        ("paragraph", "What changes for passengers"),
    ]


@pytest.mark.parametrize(
    "chrome",
    ["cookies", "Accept all", "By Tomas Reyl", "Published", "Share this article",
     "Ferry timetable", "coastal walks", "Bridge reopens", "Related stories", "Comments",
     "harbourfan", "About time too", "money was there all along", "All rights reserved"],
)  # fmt: skip
def test_teasers_comments_cookie_banner_and_footer_are_not_the_article(chrome: str) -> None:
    assert chrome not in body_text("teaser_rail_page.html")


def test_a_figure_with_figcaption_is_a_caption_with_its_credit() -> None:
    caption = parse_article(page("teaser_rail_page.html")).blocks[0]
    assert caption.kind == "caption"
    assert caption.text == (
        "The first sleeper of the season waits at Port Averly. "
        "Photo: Ilse Marlow/The Coastline Wire"
    )


def test_an_inline_image_never_splits_a_paragraph() -> None:
    paragraph = parse_article(page("teaser_rail_page.html")).blocks[2]
    assert paragraph.text.startswith("The service was suspended")
    assert paragraph.text.endswith(
        "Rebuilding the wall took three years and cost 61 million crowns."
    )


def test_links_are_kept_http_only_and_relative_ones_resolved_against_the_page() -> None:
    document = parse_article(page("teaser_rail_page.html"))
    first, second = document.blocks[1], document.blocks[2]
    assert document.links == (
        Link(1, first.text.index("Gannet Coast railway"), first.text.index(" said"),
             "https://rail.example/gannet"),
        Link(2, second.text.index("Marrow"), second.text.index(" had begun"),
             "https://wire.example/places/marrow"),
    )  # fmt: skip


def test_links_render_escaped_with_nofollow_and_never_with_an_unsafe_scheme() -> None:
    text = 'See <the "map"> & the plan'
    linked = LinkedText(
        text,
        [
            Link(0, text.index("<"), text.index(" &"), 'https://example.org/a?b=1&c="2"'),
            Link(0, text.index("plan"), len(text), "javascript:alert(1)"),
        ],
    )
    assert linked == text
    assert linked.__html__() == (
        'See <a href="https://example.org/a?b=1&amp;c=&quot;2&quot;" rel="nofollow noopener">'
        "&lt;the &quot;map&quot;&gt;</a> &amp; the plan"
    )


def test_sections_give_linked_blocks_their_links() -> None:
    document = parse_article(page("teaser_rail_page.html"))
    texts = [
        block.text
        for section in sections(document.blocks, document.links)
        for part in section.parts
        for block in part.blocks
    ]
    assert isinstance(texts[1], LinkedText)
    assert 'href="https://rail.example/gannet"' in texts[1].__html__()
    assert not isinstance(texts[3], LinkedText)


def test_headline_from_json_ld_when_there_is_no_h1_site_name_stripped() -> None:
    html = """<html><head><title>Kite festival returns to Dunmore Bay | Bay Post</title>
    <meta property="og:site_name" content="Bay Post">
    <script type="application/ld+json">{"@type": "NewsArticle",
      "headline": "Kite festival returns to Dunmore Bay"}</script></head><body><main>
    <p>The fictional kite festival in Dunmore Bay returned on Sunday after a two-year gap,
    with more than 300 kites over the invented beach.</p>
    <p>Organisers said the wind held all afternoon and that next year's festival would run
    for two days instead of one.</p></main></body></html>"""
    document = parse_article(html)
    assert document.headline == "Kite festival returns to Dunmore Bay"
    assert document.publisher == "Bay Post"


def test_title_suffix_is_stripped_when_it_is_the_site() -> None:
    html = """<html><head><title>Kite festival returns | Bay Post</title>
    <meta property="og:site_name" content="Bay Post"></head><body>
    <p>The fictional kite festival in Dunmore Bay returned on Sunday after a two-year gap.</p>
    </body></html>"""
    assert parse_article(html).headline == "Kite festival returns"


def test_a_page_of_only_chrome_is_no_article() -> None:
    html = """<html><body><nav><a href="/">Home</a></nav><div class="cookie-banner">
    <p>We use cookies.</p><button>Accept all</button></div><h1>Try it free for 14 days</h1>
    <p>Subscribe for unlimited access</p><p>Most popular right now</p>
    <footer>© 2032 Example Media</footer></body></html>"""
    with pytest.raises(ParseError, match=r"^no article text found$"):
        parse_article(html)


@pytest.mark.parametrize(
    "markup",
    [
        "<article>" * 8000 + "words",
        "<article>" * 20000 + "words",
        "<div>" * 3000 + "<p>The fictional pier reopened on Monday, officials said.</p>",
    ],
    ids=["8000-articles", "20000-articles", "3000-divs"],
)
def test_hostile_nesting_is_a_clear_error(markup: str) -> None:
    with pytest.raises(ParseError, match=r"^the HTML nests elements more than 255 deep$"):
        parse_article(markup)


def test_a_page_too_large_for_the_selector_is_read_by_landmarks() -> None:
    teaser = "<div class='card'><span>Card</span></div>" * 21_000
    html = (
        "<html><body>" + teaser + "<article><h1>Invented pier reopens</h1>"
        "<p>The fictional pier in Lindqvar reopened on Monday after a year of repairs, "
        "officials said.</p></article></body></html>"
    )
    document = parse_article(html)
    assert document.headline == "Invented pier reopens"
    assert document.dek == (
        "The fictional pier in Lindqvar reopened on Monday after a year of repairs, officials said."
    )


def test_xml_declaration_and_declared_charset_are_honoured() -> None:
    html = (
        '<?xml version="1.0" encoding="iso-8859-1"?>\n<html><head>'
        '<meta http-equiv="Content-Type" content="text/html; charset=iso-8859-1"></head><body>'
        "<h1>Caf\xe9 reopens on the invented pier</h1><p>The caf\xe9 on the fictional pier "
        "reopened on Monday after the winter, its owner said.</p></body></html>"
    ).encode("latin-1")
    document = parse_article(html)
    assert document.headline == "Café reopens on the invented pier"
    assert document.warnings == ()  # declared, not guessed
