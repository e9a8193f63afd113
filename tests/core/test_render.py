"""The diff renderer's public markup contract. All text here is invented."""

from __future__ import annotations

import html
import re

from bs4 import BeautifulSoup
from hypothesis import given
from hypothesis import strategies as st

from articles.core.diff import diff_documents
from articles.core.document import Block, Document
from articles.core.render import render_diff_html

DRONES = "Ostmark forces have launched 625 missiles at the port since the siege began."
GRAIN = "The grain terminal in Lindqvar has not loaded a ship since early spring."


def doc(*blocks: Block, headline: str = "Harbour talks stall") -> Document:
    return Document(headline=headline, dek="Talks stalled on Friday.", blocks=blocks)


OLD = doc(
    Block("paragraph", None, "Negotiators left the table after six hours."),
    Block("paragraph", "State of play", DRONES),
    Block("bullet", "State of play", "The harbour authority counted 14 ships."),
    Block("bullet", "State of play", "Ferries stopped running at noon."),
    Block("paragraph", "Zoom in", GRAIN),
    Block("caption", "Zoom in", "Cranes stand idle at the terminal. Photo: Ana Vell"),
)
NEW = doc(
    Block("paragraph", None, "Negotiators left the table after six hours."),
    Block("paragraph", "State of play", DRONES.replace("625", "670")),
    Block("bullet", "State of play", "The harbour authority counted 14 ships."),
    Block("bullet", "State of play", "Two more ferries were turned back at dawn."),
    Block("caption", "Zoom in", "Cranes stand idle at the terminal. Photo: Ana Vell"),
    Block("paragraph", "What to watch", GRAIN),
    headline="Harbour talks stall again",
)


def soup(view: str = "inline") -> BeautifulSoup:
    return BeautifulSoup(render_diff_html(diff_documents(OLD, NEW), view=view), "html.parser")


def test_word_changes_are_ins_and_del_with_hidden_words_for_screen_readers():
    html = render_diff_html(diff_documents(OLD, NEW))
    assert '<del><span class="vh">removed: </span>625</del>' in html
    assert '<ins><span class="vh">added: </span>670</ins>' in html
    for mark in soup().find_all(["ins", "del"]):
        first = mark.contents[0]
        assert first.name == "span" and first["class"] == ["vh"]


def test_every_block_has_change_and_kind_and_a_visible_badge_when_changed():
    page = soup()
    blocks = page.select("[data-change]")
    assert {b["data-change"] for b in blocks} == {"equal", "added", "removed", "changed", "moved"}
    assert all(b.get("data-kind") for b in blocks)
    for block in blocks:
        if block["data-change"] != "equal":
            assert block.select_one(".badge").get_text().strip()


def test_change_ids_count_up_in_reading_order():
    ids = [el["id"] for el in soup().select('[id^="change-"]')]
    assert ids == [f"change-{n}" for n in range(1, len(ids) + 1)]
    assert len(ids) == 1 + 4  # headline, changed, added, removed, moved


def test_moved_block_and_its_old_place_link_to_each_other():
    for view in ("inline", "side"):
        page = soup(view)
        (link,) = page.select("a.moved-from")
        origin = page.select_one(link["href"])
        assert origin is not None and origin["data-change"] == "moved"
        assert "moved from Zoom in" in link.get_text()
        back = origin.select_one("a")["href"]
        assert page.select_one(back)["data-change"] == "moved"


def test_a_block_moved_and_edited_stands_once_in_each_side_by_side_column():
    edited = GRAIN.replace("early spring", "late winter")
    new = doc(*(b._replace(text=edited) if b.text == GRAIN else b for b in NEW.blocks))
    page = BeautifulSoup(render_diff_html(diff_documents(OLD, new), view="side"), "html.parser")
    old_column = " ".join(cell.get_text() for cell in page.select(".cell.old"))
    new_column = " ".join(cell.get_text() for cell in page.select(".cell.new"))
    assert old_column.count("has not loaded a ship") == 1
    assert new_column.count("has not loaded a ship") == 1
    # The old place shows the old words with the edit marked, and links to the new place.
    (origin,) = page.select(".moved-origin")
    assert "early spring" in origin.select_one("del").get_text()
    assert page.select_one(origin.select_one("a")["href"]).select_one("a.moved-from")


def test_section_labels_open_their_sections_and_bullets_are_list_items():
    page = soup()
    labels = [label.get_text() for label in page.select("strong.label")]
    assert labels == ["State of play:", "Zoom in:", "What to watch:"]
    assert all(li.parent.name == "ul" for li in page.select("li"))
    assert {li["data-kind"] for li in page.select("li")} == {"bullet"}


def test_side_view_rows_keep_deletions_left_and_insertions_right():
    page = soup("side")
    assert page.select_one("div.diff-side")
    rows = page.select("div.diff-side > div[data-change]")
    assert rows and all(len(row.select(":scope > .cell")) == 2 for row in rows)
    assert not page.select(".cell.new del") and not page.select(".cell.old ins")
    equal = next(
        row for row in rows if row["data-change"] == "equal" and row["data-kind"] == "bullet"
    )
    old_cell, new_cell = equal.select(":scope > .cell")
    assert old_cell.get_text() == new_cell.get_text() != ""


def test_headline_change_renders_at_the_top():
    first = soup().select_one("[data-change]")
    assert first["data-kind"] == "headline" and first["data-change"] == "changed"
    assert first.select_one("ins").get_text() == "added: again"


HOSTILE = [
    '<script>alert("x")</script>',
    '" onmouseover="alert(1)" x="',
    "<a href=\"javascript:alert('x')\">tap</a>",
    "{{ request.user }} {% debug %}",
    "<img src=x onerror=alert(1)>",
]


def test_hostile_text_is_escaped_everywhere():
    old = Document(
        headline=HOSTILE[0],
        dek=HOSTILE[1],
        blocks=(*[Block("paragraph", h, h) for h in HOSTILE], Block("bullet", "X", "gone")),
    )
    new = Document(
        headline=HOSTILE[0] + " now",
        dek=HOSTILE[2],
        blocks=(
            Block("bullet", HOSTILE[3], HOSTILE[4] + " added"),
            *[Block("paragraph", h, h + " <b>") for h in reversed(HOSTILE)],
        ),
    )
    for view in ("inline", "side"):
        html = render_diff_html(diff_documents(old, new), view=view)
        assert "<script" not in html and "<img" not in html and '<a href="javascript' not in html
        assert "<b>" not in html
        tags = set(re.findall(r"<\s*/?\s*([a-zA-Z0-9]+)", html))
        assert tags <= {"div", "p", "ul", "li", "h2", "ins", "del", "span", "strong", "a"}
        page = BeautifulSoup(html, "html.parser")
        for element in page.find_all(True):
            assert not [name for name in element.attrs if name.startswith("on")]
            assert not element.get("href", "#").lower().startswith("javascript")
        assert "{{ request.user }}" in page.get_text()  # shown as text, never a tag or attribute


def test_change_count_from_ops_matches_the_anchors_with_runs_of_equal_blocks():
    """The compare page counts changes as headline + dek + non-equal ops (equal runs are one op
    each and never count); that must equal the number of change-N anchors in both views."""
    diff = diff_documents(OLD, NEW)
    count = diff.headline.changed + diff.dek.changed + sum(op.kind != "equal" for op in diff.ops)
    for view in ("inline", "side"):
        page = BeautifulSoup(render_diff_html(diff, view=view), "html.parser")
        assert len(page.select('[id^="change-"]')) == count
        assert len(page.select('[data-change="equal"]')) == 3 + 1  # three blocks and the dek


def test_unchanged_run_keeps_labels_lists_and_escaping():
    blocks = (
        Block("paragraph", None, "Intro <b>bold</b> & more."),
        Block("bullet", None, 'First "quoted" bullet.'),
        Block("bullet", None, "Second bullet."),
        Block("paragraph", "Zoom in", "Zoomed paragraph."),
        Block("bullet", "Zoom in", "Zoomed bullet."),
        Block("paragraph", "What's next", "Next paragraph."),
    )
    old, new = doc(*blocks), doc(*blocks, Block("paragraph", "What's next", "Added at the end."))
    for view in ("inline", "side"):
        html = render_diff_html(diff_documents(old, new), view=view)
        assert "<b>" not in html and "&lt;b&gt;bold&lt;/b&gt; &amp; more." in html
        page = BeautifulSoup(html, "html.parser")
        labels = page.select(".cell.new strong.label" if view == "side" else "strong.label")
        assert [label.get_text() for label in labels] == ["Zoom in:", "What's next:"]
    inline = BeautifulSoup(render_diff_html(diff_documents(old, new)), "html.parser")
    assert [[li.get_text() for li in ul.select("li")] for ul in inline.select("ul")] == [
        ['First "quoted" bullet.', "Second bullet."],
        ["Zoomed bullet."],
    ]
    assert [p["data-change"] for p in inline.select("p")][-1] == "added"


@given(st.text(alphabet=st.sampled_from("a&<>\"'’é\0 ;#x27") | st.characters()))
def test_block_text_is_escaped_exactly_as_html_escape_with_quotes(text: str):
    document = doc(Block("paragraph", None, text), Block("bullet", None, "Closing line."))
    escaped = html.escape(text, quote=True)
    diff = diff_documents(document, document)
    assert f'data-kind="paragraph">{escaped}</p>' in render_diff_html(diff)
    assert f'<div class="cell new">{escaped}</div>' in render_diff_html(diff, view="side")


def test_id_prefix_lets_two_renderings_share_a_page():
    diff = diff_documents(OLD, NEW)
    side = render_diff_html(diff, view="side")
    narrow = render_diff_html(diff, id_prefix="narrow-")
    assert render_diff_html(diff, id_prefix="") == render_diff_html(diff)
    assert 'id="narrow-change-1"' in narrow and 'href="#narrow-moved-from-' in narrow
    assert 'id="change-' not in narrow and 'href="#change-' not in narrow
    assert 'href="#moved-from-' not in narrow
    page = BeautifulSoup(side + narrow, "html.parser")
    ids = [el["id"] for el in page.select("[id]")]
    assert len(ids) == len(set(ids)) == 2 * len(re.findall(r' id="', side))
    for rendering in (side, narrow):
        part = BeautifulSoup(rendering, "html.parser")
        links = part.select('a[href^="#"]')
        assert links
        for link in links:
            assert part.select_one(link["href"]) is not None  # resolves within its rendering
    # the prefix only renames: stripped, the narrow rendering is the plain one
    plain = render_diff_html(diff)
    assert narrow.replace('id="narrow-', 'id="').replace('href="#narrow-', 'href="#') == plain


def test_id_prefix_is_escaped():
    html = render_diff_html(diff_documents(OLD, NEW), id_prefix='x"><b>')
    assert "<b>" not in html and 'id="x&quot;&gt;&lt;b&gt;change-1"' in html


MARKED_WORDS = st.sampled_from(["harbour", "talks", "&", "<b>", "'quoted'", '"', "625", ",", "R&D"])


@given(st.lists(MARKED_WORDS, min_size=1, max_size=8), st.lists(MARKED_WORDS, max_size=8))
def test_word_edits_are_escaped_whichever_side_holds_the_marks(old_words, new_words):
    """Word ops skip escaping only when neither whole text holds a mark: every piece is
    escaped exactly as html.escape does whenever one side holds one."""
    old = doc(Block("paragraph", None, " ".join(old_words)))
    new = doc(Block("paragraph", None, " ".join(["talks", *new_words])))
    diff = diff_documents(old, new)
    for view in ("inline", "side"):
        page = render_diff_html(diff, view=view)
        assert "<b>" not in page and "R&D" not in page and "'quoted'" not in page
        for op in diff.ops:
            for word in op.words:
                for piece in (word.old.strip(), word.new.strip()):
                    assert html.escape(piece, quote=True) in page
