"""Significance: a minor revision is typo-level at most, and never hides a fact. Invented text."""

from __future__ import annotations

import re

from hypothesis import given, settings
from hypothesis import strategies as st

from articles.core.diff import diff_documents
from articles.core.diff.significance import MINOR, SUBSTANTIVE, minor_edit, significance
from articles.core.document import Block, Document

INTRO = "Negotiators for the harbour council left the table after six hours in Port Tessaly."
DRONES = "Ostmark forces have launched 625 missiles at the port since the siege began."
SHIPS = "The harbour authority counted 14 ships waiting outside the breakwater on Tuesday."
ENVOY = "The envoy, Ilse Marrow, said the negotiations would resume."


def doc(*texts: str, headline: str = "Harbour talks stall") -> Document:
    blocks = tuple(Block("paragraph", "The latest" if i else None, t) for i, t in enumerate(texts))
    return Document(headline=headline, dek="Talks stalled.", blocks=blocks)


BASE = doc(INTRO, DRONES, SHIPS, ENVOY)


def of(*texts: str, **kwargs) -> str:
    return significance(diff_documents(BASE, doc(*texts, **kwargs)))


def test_no_change_is_minor():
    assert significance(diff_documents(BASE, BASE)) == MINOR


def test_punctuation_spacing_and_typos_are_minor():
    assert of(INTRO.replace("table after", "table  after"), DRONES, SHIPS, ENVOY) == MINOR
    assert of(INTRO, DRONES.replace("began.", "began!"), SHIPS, ENVOY) == MINOR
    assert of(INTRO, DRONES, SHIPS, ENVOY.replace("negotiations", "negotations")) == MINOR
    assert of(INTRO.replace("the table", "teh table"), DRONES, SHIPS, ENVOY) == MINOR


def test_facts_are_substantive():
    # A figure, a name, a date, a quantity word, a negation, a new word, another word.
    assert of(INTRO, DRONES.replace("625", "670"), SHIPS, ENVOY) == SUBSTANTIVE
    assert of(INTRO, DRONES, SHIPS, ENVOY.replace("Marrow", "Marlow")) == SUBSTANTIVE
    assert of(INTRO, DRONES, SHIPS.replace("Tuesday", "Thursday"), ENVOY) == SUBSTANTIVE
    assert of(INTRO.replace("six hours", "ten hours"), DRONES, SHIPS, ENVOY) == SUBSTANTIVE
    assert of(INTRO, DRONES, SHIPS, ENVOY.replace("would", "would not")) == SUBSTANTIVE
    assert of(INTRO, DRONES, SHIPS, ENVOY.replace("said", "denied")) == SUBSTANTIVE
    assert of(INTRO.replace("left", "fled"), DRONES, SHIPS, ENVOY) == SUBSTANTIVE


def test_blocks_added_removed_or_moved_and_headlines_rewritten_are_substantive():
    assert of(INTRO, DRONES, SHIPS, ENVOY, "Shelling resumed at dawn.") == SUBSTANTIVE
    assert of(INTRO, DRONES, SHIPS) == SUBSTANTIVE
    assert of(INTRO, SHIPS, DRONES, ENVOY) == SUBSTANTIVE
    assert of(INTRO, DRONES, SHIPS, ENVOY, headline="Harbour talks collapse") == SUBSTANTIVE
    assert of(INTRO, DRONES, SHIPS, ENVOY, headline="Harbour talks stall.") == MINOR


def test_short_words_change_meaning_with_one_letter():
    assert not minor_edit("not ", "now ")
    assert minor_edit("teh ", "the ")
    assert not minor_edit("million", "billion")
    assert not minor_edit("never", "ever")


WORDS = st.sampled_from(
    ["harbour", "council", "convoy", "shelling", "corridor", "talks", "ceasefire", "envoy"]
)
SENTENCES = st.lists(WORDS, min_size=3, max_size=12).map(lambda w: " ".join(w).capitalize() + ".")
NUMBERS = st.integers(min_value=0, max_value=10**7)


@settings(max_examples=200, deadline=None)
@given(
    st.lists(SENTENCES, min_size=1, max_size=6, unique=True),
    st.data(),
)
def test_changing_any_number_is_never_minor(sentences, data):
    where = data.draw(st.integers(0, len(sentences) - 1))
    old_number, new_number = data.draw(NUMBERS), data.draw(NUMBERS)
    if old_number == new_number:
        new_number += 1
    old = list(sentences)
    new = list(sentences)
    old[where] = f"{old[where][:-1]} at {old_number:,} sites."
    new[where] = f"{new[where][:-1]} at {new_number:,} sites."
    assert significance(diff_documents(doc(*old), doc(*new))) == SUBSTANTIVE


@settings(max_examples=200, deadline=None)
@given(st.lists(SENTENCES, min_size=1, max_size=6, unique=True), st.data())
def test_respacing_and_repunctuating_is_minor(sentences, data):
    def noisy(text: str) -> str:
        spaced = re.sub(" ", lambda _: data.draw(st.sampled_from([" ", "  ", " "])), text)
        return spaced[:-1] + data.draw(st.sampled_from([".", "!", ";", "…"]))

    new = [noisy(sentence) for sentence in sentences]
    assert significance(diff_documents(doc(*sentences), doc(*new))) == MINOR


@settings(max_examples=200, deadline=None)
@given(st.lists(SENTENCES, min_size=1, max_size=6, unique=True), SENTENCES, st.data())
def test_adding_or_removing_a_sentence_is_substantive(sentences, extra, data):
    where = data.draw(st.integers(0, len(sentences)))
    longer = [*sentences[:where], extra, *sentences[where:]]
    assert significance(diff_documents(doc(*sentences), doc(*longer))) == SUBSTANTIVE
    assert significance(diff_documents(doc(*longer), doc(*sentences))) == SUBSTANTIVE
