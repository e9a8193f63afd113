"""Provenance: which revision first reported each sentence, and which last changed it."""

from hypothesis import given, settings
from hypothesis import strategies as st

from articles.core.document import Block, Document
from articles.core.provenance import (
    State,
    advance,
    changes_between,
    figure_history,
    origins_of,
    rebuild,
    split_sentences,
)
from articles.core.provenance.state import Placement


def doc(*blocks: str | tuple[str, str]) -> Document:
    made = []
    for block in blocks:
        label, text = block if isinstance(block, tuple) else (None, block)
        made.append(Block("paragraph", label, text))
    return Document(headline="Fictional floods in the Lessard valley", dek=None, blocks=tuple(made))


def origins(
    documents: list[Document], retracted: frozenset[int] = frozenset()
) -> dict[str, tuple[int, int]]:
    """{sentence: (first, last)} for the last of `documents` (numbered 1..)."""
    state, placements = rebuild(enumerate(documents, 1))
    at = len(documents)
    found = {}
    for block, sentences in zip(
        documents[-1].blocks, origins_of(state, placements[-1], at, retracted), strict=True
    ):
        for origin in sentences:
            found[block.text[origin.start : origin.end].strip()] = (origin.first, origin.last)
    return found


RAIN = "Rain fell for a third day on Lessard."
LEVEE = "The river breached the north levee at Orvel overnight."
DEAD = "Officials said 4 people have died in the floods."
SHELTER = "About 1,200 residents have been moved to school shelters."
TRAINS = "Rail services to the coast are suspended."


# --- sentences -------------------------------------------------------------------------------


def test_sentences_tile_the_block_and_keep_abbreviations_and_quotes_whole():
    text = (
        'Gen. Arlo Venn met J. Marrow in the U.S. on Monday. She said: "We wait." Talks end at 9.'
    )
    found = split_sentences(text)
    assert "".join(found) == text
    assert found == [
        "Gen. Arlo Venn met J. Marrow in the U.S. on Monday. ",
        'She said: "We wait." ',
        "Talks end at 9.",
    ]


def test_a_lower_case_word_after_a_full_stop_does_not_start_a_sentence():
    assert split_sentences("It cost $4.5m. and more.") == ["It cost $4.5m. and more."]


# --- origins ---------------------------------------------------------------------------------


def test_a_sentence_whose_figure_changed_is_first_reported_in_1_and_last_changed_in_3():
    one = doc(f"{RAIN} {DEAD}")
    two = doc(f"{RAIN} {DEAD}", LEVEE)
    three = doc(f"{RAIN} {DEAD.replace('4', '7')}", LEVEE)
    found = origins([one, two, three])
    assert found[DEAD.replace("4", "7")] == (1, 3)
    assert found[RAIN] == (1, 1) and found[LEVEE] == (2, 2)


def test_a_sentence_exactly_at_the_similarity_threshold_is_the_same_sentence_edited():
    """Regression: 6 of 11 and 9 tokens in common, a similarity of exactly 0.6, read as new."""
    old = "The weather office expects the rain to ease by Wednesday."
    new = "The weather office expects more rain on Thursday."
    assert origins([doc(old), doc(new)])[new] == (1, 2)


def test_a_restored_sentence_keeps_its_origin_and_is_last_changed_in_the_restore():
    found = origins([doc(RAIN, TRAINS), doc(RAIN), doc(RAIN), doc(RAIN, TRAINS)])
    assert found[TRAINS] == (1, 4)
    assert found[RAIN] == (1, 1)


def test_a_block_moved_to_another_section_keeps_its_sentences_origins():
    one = doc(("Latest", RAIN), ("Latest", f"{LEVEE} {SHELTER}"), ("Travel", TRAINS))
    two = doc(
        ("Latest", RAIN), ("Travel", TRAINS), ("Travel", f"{LEVEE} {SHELTER}"), ("Latest", DEAD)
    )
    found = origins([one, two])
    assert found[LEVEE] == found[SHELTER] == (1, 1)
    assert found[DEAD] == (2, 2)


def test_a_sentence_split_off_into_a_new_block_keeps_its_origin():
    found = origins([doc(f"{RAIN} {LEVEE}"), doc(RAIN, LEVEE)])
    assert found == {RAIN: (1, 1), LEVEE: (1, 1)}


def test_retracting_the_revision_that_introduced_a_sentence_moves_its_origin_to_the_next_live_one():
    documents = [doc(RAIN), doc(RAIN, LEVEE), doc(RAIN, LEVEE), doc(RAIN, LEVEE, TRAINS)]
    assert origins(documents)[LEVEE] == (2, 2)
    assert origins(documents, frozenset({2}))[LEVEE] == (3, 3)
    assert origins(documents, frozenset({2, 3}))[LEVEE] == (4, 4)


def test_an_edit_readers_never_saw_is_not_a_change():
    """Revision 2 changed the figure and was retracted; 3 went back to revision 1's wording."""
    documents = [doc(DEAD), doc(DEAD.replace("4", "5")), doc(DEAD)]
    assert origins(documents)[DEAD] == (1, 3)
    assert origins(documents, frozenset({2}))[DEAD] == (1, 1)


def test_the_state_survives_being_stored_and_read_back():
    state, placement = advance(State(), 1, doc(RAIN, LEVEE), None)
    again = Placement.from_stored(placement.to_stored())
    stored = State.from_stored(state.to_stored(), again)
    state, placement = advance(stored, 2, doc(RAIN, f"{LEVEE} {TRAINS}"), doc(RAIN, LEVEE))
    assert again == Placement((([len(RAIN)], [0]), ([len(LEVEE)], [1])))
    assert [o.first for block in origins_of(state, placement, 2, ()) for o in block] == [1, 1, 2]


def test_revisions_must_come_in_order():
    state, _ = advance(State(), 2, doc(RAIN), None)
    try:
        advance(state, 2, doc(RAIN), doc(RAIN))
    except ValueError as error:
        assert "does not follow revision 2" in str(error)
    else:
        raise AssertionError("a revision matched twice")


# --- figure history --------------------------------------------------------------------------


def test_each_figure_has_its_values_oldest_first_and_a_removed_one_says_so():
    documents = [
        doc(DEAD, SHELTER),
        doc(DEAD.replace("4", "7"), SHELTER.replace("1,200", "3,500")),
        doc(DEAD.replace("4", "7")),
        doc(DEAD.replace("4", "9"), "Rescuers said 12 boats were lost."),
    ]
    state, _ = rebuild(enumerate(documents, 1))
    rows = {
        row.key: [(p.number, p.value) for p in row.points]
        for row in figure_history(state, [1, 2, 3, 4])
    }
    assert rows["people died"] == [(1, "4"), (2, "7"), (4, "9")]
    assert rows["residents moved"] == [(1, "1,200"), (2, "3,500"), (3, None)]
    assert rows["boats lost"] == [(4, "12")]
    retracted = figure_history(state, [1, 3, 4], frozenset({2}))
    assert [(p.number, p.value) for p in retracted[0].points] == [(1, "4"), (3, "7"), (4, "9")]
    assert [
        str(change) for change in changes_between(figure_history(state, [1, 2, 3, 4]), 1, 4)
    ] == [
        "people died: 4 → 9",
        "residents moved: 1,200 (removed)",
        "boats lost: 12 (added)",
    ]


def test_a_figure_keeps_its_row_when_its_sentence_is_rewritten_past_recognition():
    documents = [
        doc("Officials said 4 people have died."),
        doc("The toll rose overnight as 6 people died in Orvel."),
    ]
    state, _ = rebuild(enumerate(documents, 1))
    (row,) = figure_history(state, [1, 2])
    assert (row.key, [p.value for p in row.points]) == ("people died", ["4", "6"])


# --- properties ------------------------------------------------------------------------------

# Sentences that share no word: only an exact match can pair them.
POOL = [f"Q{n}a q{n}b q{n}c q{n}d." for n in range(12)]


@st.composite
def histories(draw, max_revisions: int = 6) -> list[list[list[int]]]:
    """Revisions as blocks of sentence numbers; a sentence at most once per revision."""
    revisions = []
    for _ in range(draw(st.integers(2, max_revisions))):
        chosen = draw(
            st.lists(st.sampled_from(range(len(POOL))), unique=True, min_size=1, max_size=8)
        )
        cuts = sorted(draw(st.sets(st.integers(1, len(chosen)), max_size=3)) | {len(chosen)})
        blocks, start = [], 0
        for cut in cuts:
            if cut > start:
                blocks.append(chosen[start:cut])
                start = cut
        revisions.append(blocks)
    return revisions


def as_documents(history: list[list[list[int]]]) -> list[Document]:
    return [doc(*(" ".join(POOL[n] for n in block) for block in blocks)) for blocks in history]


def expected(
    history: list[list[list[int]]], retracted: frozenset[int] = frozenset()
) -> dict[str, tuple[int, int]]:
    """first: the first live revision having the sentence; last: where its present unbroken run
    of live revisions began."""
    live = [number for number in range(1, len(history) + 1) if number not in retracted]
    having = {number: {n for block in history[number - 1] for n in block} for number in live}
    found = {}
    for n in having[live[-1]]:
        first = next(number for number in live if n in having[number])
        k = len(live) - 1
        while k > 0 and n in having[live[k - 1]]:
            k -= 1
        found[POOL[n]] = (first, live[k])
    return found


# Each example publishes a whole history: a few hundred, not CI's 10,000 (tests/core/conftest.py).
HISTORIES = settings(max_examples=300, deadline=None)


@HISTORIES
@given(histories())
def test_a_sentence_unchanged_since_revision_k_has_first_k(history):
    assert origins(as_documents(history)) == expected(history)


@HISTORIES
@given(histories(), st.randoms(use_true_random=False))
def test_moving_blocks_never_changes_their_sentences_origins(history, random):
    moved = [*history[:-1], random.sample(history[-1], len(history[-1]))]
    assert origins(as_documents(moved)) == origins(as_documents(history))


@HISTORIES
@given(histories(), st.data())
def test_retracting_the_introducing_revision_moves_the_origin_to_the_next_live_revision_having_it(
    history, data
):
    documents = as_documents(history)
    before = origins(documents)
    sentence = data.draw(st.sampled_from(sorted(before)))
    introduced = before[sentence][0]
    if introduced == len(history):
        return  # the live revision itself: it cannot be retracted and stay the one shown
    retracted = frozenset({introduced})
    after = origins(documents, retracted)
    having = [
        n
        for n in range(introduced + 1, len(history) + 1)
        if sentence in " ".join(b.text for b in documents[n - 1].blocks)
    ]
    assert after[sentence][0] == having[0]
    assert after == expected(history, retracted)
