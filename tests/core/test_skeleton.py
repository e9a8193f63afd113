"""The skeleton of a parsed document (articles/core/skeleton.py) dresses back into it exactly."""

from hypothesis import given
from hypothesis import strategies as st

from articles.core.parsing import parse_article
from articles.core.skeleton import SEARCH_AHEAD, dress, strip

# Invented coverage, with a reader app's chrome above it.
ARTICLE = """Start reading
Coastline Wire

Ferry crossings to Port Tessaly resume after storm

Harbour officials in the fictional port said two ferries would sail on Tuesday.

The latest: The first crossing left at 07:10 with 212 passengers.

State of play: Crews cleared the north pier overnight.
  • The coast guard reopened the outer channel.
  • Fuel deliveries arrive on Wednesday.

What to watch: A second storm front is forecast for the weekend.
"""


def article_text() -> str:
    return ARTICLE


def test_block_texts_the_upload_holds_are_stored_as_gaps_and_lengths():
    upload = article_text()
    stored = parse_article(upload).to_stored()
    skeleton = strip(stored, upload)
    assert dress(skeleton, upload) == stored
    referenced = [block for block in skeleton["blocks"] if len(block) == 4]
    assert len(referenced) == len(stored["blocks"])
    assert all(isinstance(gap, int) and gap >= 0 for _, _, gap, _ in referenced)


def test_an_added_paragraph_changes_no_other_block_of_the_skeleton():
    upload = article_text()
    later = upload.replace(
        "\n\nState of play:", "\n\nCrews reopened the ferry pier.\n\nState of play:"
    )
    before = strip(parse_article(upload).to_stored(), upload)["blocks"]
    after = strip(parse_article(later).to_stored(), later)["blocks"]
    assert len(after) == len(before) + 1
    assert sum(block not in before for block in after) <= 2  # the new block, and the one after it


def test_a_text_the_upload_does_not_hold_is_kept_as_it_is():
    stored = {"headline": "H", "blocks": [["paragraph", None, "Not in the upload"]]}
    assert strip(stored, "Something else entirely") == stored
    far = "x" * (SEARCH_AHEAD + 10) + "Far text"
    assert strip({"blocks": [["paragraph", None, "Far text"]]}, far)["blocks"] == [
        ["paragraph", None, "Far text"]
    ]


words = st.text(alphabet=st.characters(codec="utf-8"), max_size=40)


@given(
    upload=st.text(max_size=300),
    blocks=st.lists(st.tuples(st.sampled_from(["paragraph", "bullet"]), words), max_size=12),
    picks=st.lists(st.tuples(st.integers(0, 300), st.integers(0, 40)), max_size=12),
)
def test_any_document_dresses_back_exactly(upload, blocks, picks):
    # Some block texts taken from the upload (possibly overlapping, out of order), some not.
    texts = [upload[start : start + length] for start, length in picks]
    stored = {
        "headline": None,
        "blocks": [[kind, None, text] for kind, text in blocks]
        + [["paragraph", "Label", text] for text in texts],
    }
    assert dress(strip(stored, upload), upload) == stored
