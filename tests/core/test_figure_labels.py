"""What a figure counts: its label is the noun phrase the number quantifies."""

import pytest

from articles.core.diff import diff_documents
from articles.core.diff.labels import figures_in
from articles.core.document import Block, Document


@pytest.mark.parametrize(
    ("sentence", "figures"),
    [
        # The demo story's figures, as the issue found them mislabelled.
        (
            "Colonel Aurel Venn, a General Staff spokesperson, said about 78% of last week's "
            "drones were intercepted.",
            [("drones intercepted", "78%")],
        ),
        (
            "At least 3 people were killed and 52 wounded when a shell hit the market.",
            [("people killed", "3"), ("wounded", "52")],
        ),
        (
            "About 102,000 people have been displaced from Maren and its suburbs.",
            [("people displaced", "102,000")],
        ),
        (
            "Korvan forces have launched over 460 drones and 101 missiles at Valdorian territory.",
            [("drones", "460"), ("missiles", "101")],
        ),
        ("Korvan fired 96 more missiles overnight.", [("missiles", "96")]),
        ("Valdoria must accept a 30-kilometre buffer zone.", [("kilometre buffer", "30")]),
        ("Turnout in the harbour ward rose to 41%.", [("rose", "41%")]),
    ],
)
def test_a_figure_is_named_by_what_it_counts(sentence, figures):
    assert figures_in(sentence) == figures


def test_dates_times_and_years_count_nothing():
    text = "The convoy leaves at 7am on November 24, as it did in 1961 and on the 3rd."
    assert figures_in(text) == []
    assert figures_in("In 2000 people fled.") == [("people fled", "2000")]


def doc(*texts: str) -> Document:
    return Document(
        "Fictional strike on Maren",
        None,
        blocks=tuple(Block("bullet", "Zoom in", t) for t in texts),
    )


WATER = "Mayor Davor Kesk said the main water pumping station was hit again overnight."
MARKET = "At least 3 people were killed and 40 wounded when a shell hit the fish market."


def test_a_new_bullet_reporting_casualties_lists_its_figures_as_added():
    diff = diff_documents(doc(WATER), doc(MARKET, WATER))
    assert [str(figure) for figure in diff.figures] == [
        "people killed: 3 (added)",
        "wounded: 40 (added)",
    ]
    assert diff.summary.figures == 0  # none changed: the summary tells of the bullet added
    assert diff.summary.line == "Zoom in: 1 bullet added"


def test_a_removed_bullet_lists_its_figures_as_removed():
    diff = diff_documents(doc(MARKET, WATER), doc(WATER))
    assert [f.kind for f in diff.figures] == ["removed", "removed"]


def test_a_changed_casualty_figure_is_labelled_by_what_it_counts():
    diff = diff_documents(doc(MARKET), doc(MARKET.replace("40", "52")))
    assert [str(figure) for figure in diff.figures] == ["wounded: 40 → 52"]


def test_a_sentence_with_a_figure_inserted_into_a_paragraph_adds_the_figure():
    old = doc(WATER)
    new = doc(WATER + " Engineers said 2 pumps were lost.")
    assert [str(figure) for figure in diff_documents(old, new).figures] == ["pumps lost: 2 (added)"]
