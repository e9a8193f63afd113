"""What search counts as removed, decided without a database (articles/core/search.py)."""

from articles.core.document import Block, Document
from articles.core.search import passage_key, passages, removals


def page(*texts: str, headline: str = "Harbour talks stall") -> Document:
    return Document(
        headline=headline, dek=None, blocks=tuple(Block("paragraph", None, t) for t in texts)
    )


def test_a_passage_is_removed_by_the_first_revision_without_it():
    removed = removals(
        [(1, page("Mykolaiv shelled.", "Calm.")), (2, page("Calm.")), (3, page("Calm!"))]
    )
    assert removed[passage_key("Mykolaiv shelled.")].last_seen == 1
    assert removed[passage_key("Mykolaiv shelled.")].removed_in == 2
    assert removed[passage_key("Calm.")].removed_in == 3  # passages are compared whole


def test_a_passage_that_comes_back_is_live_and_its_latest_removal_counts():
    history = [
        (1, page("Convoy left.")),
        (2, page("Quiet.")),
        (4, page("Convoy left.")),
        (5, page()),
    ]
    removed = removals(history)
    assert (
        removed[passage_key("Convoy left.")].last_seen,
        removed[passage_key("Convoy left.")].removed_in,
    ) == (4, 5)
    assert passage_key("Quiet.") in removed
    assert removals(history[:3]).get(passage_key("Convoy left.")) is None


def test_the_headline_and_dek_are_passages_and_blank_ones_are_not():
    document = Document(
        headline="Talks stall", dek="  ", blocks=(Block("note", None, "Fictional."),)
    )
    assert sorted(passages(document).values()) == ["Fictional.", "Talks stall"]
