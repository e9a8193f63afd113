"""Matching: which lineage each sentence of a new revision continues, coarse to fine.

Rule, for revision n against the State after revision n-1 (`advance`):
  1. a block whose text is exactly a block of n-1 takes that block's lineages, sentence for
     sentence (the n-th copy of a text the n-th copy's: a moved block keeps its origins);
  2. a sentence left over whose text is exactly a sentence of n-1 not yet taken continues it;
     else one whose text any earlier revision had (the lineage seen last): a sentence restored
     after its removal keeps its origin;
  3. sentences of n left over are compared by their tokens with the sentences of n-1 left over
     (tuning.SIMILARITY_THRESHOLD; the most similar pair first): the same sentence, edited,
     keeps its first revision and is last changed in n;
  4. what is left is new in n.
A lineage is taken at most once per revision. Only phase 2's second step reads beyond n-1: an
index of every wording the story ever had, built once per publish from the State.
"""

from __future__ import annotations

import re
from collections import defaultdict, deque
from collections.abc import Iterable, Sequence
from functools import lru_cache

from rapidfuzz import process
from rapidfuzz.distance import Indel

from articles.core.diff.labels import figures_in
from articles.core.diff.tokens import tokenize
from articles.core.document import Document
from articles.core.provenance import tuning
from articles.core.provenance.sentences import sentence_ends
from articles.core.provenance.state import Placement, State, text_key

_DIGIT = re.compile(r"\d")
Slot = tuple[int, int]  # (block index, sentence index) in the new revision


def rebuild(documents: Iterable[tuple[int, Document]]) -> tuple[State, list[Placement]]:
    """The State after every (number, document) in order, from nothing, and each Placement."""
    state, placements = State(), []
    previous: Document | None = None
    for number, document in documents:
        state, placement = advance(state, number, document, previous)
        placements.append(placement)
        previous = document
    return state, placements


def advance(
    state: State, number: int, document: Document, previous: Document | None
) -> tuple[State, Placement]:
    """The State after revision `number` (> state.through) and that revision's Placement.
    `previous` is revision state.through's document (None for the first revision). The State
    given is updated in place and returned."""
    if number <= state.through or (state.through and number != state.through + 1):
        raise ValueError(f"revision {number} does not follow revision {state.through}")
    blocks = document.blocks
    block_keys = [text_key(block.text) for block in blocks]
    taken: set[int] = set()
    # Phase 1 first: a block of n-1 kept as it was needs no splitting and no sentence digests
    # (on a 600 KB page of small edits, nine blocks in ten; splitting them all was most of the
    # time of a publish's provenance).
    copied = _same_blocks(state, block_keys, taken)
    ends: list[list[int]] = []
    texts: list[list[str]] = []  # the sentences of blocks not copied ([] for copied ones)
    keys: list[list[str]] = []
    found: list[list[int | None]] = []
    split: list[int] = []  # the blocks not copied
    for i, block in enumerate(blocks):
        copy = copied.get(i)
        if copy is not None:
            ends.append(copy[1])
            texts.append([])
            keys.append([])
            found.append(copy[0])  # type: ignore[arg-type]  # list[int]: no None in it
            continue
        split.append(i)
        block_ends = sentence_ends(block.text)
        sentences = [
            block.text[start:end] for start, end in zip([0, *block_ends], block_ends, strict=False)
        ]
        ends.append(block_ends)
        texts.append(sentences)
        keys.append([text_key(sentence) for sentence in sentences])
        found.append([None] * len(sentences))
    _same_sentences(state, keys, found, taken)
    _edited_sentences(state, document, previous, texts, found, taken)
    for i in split:
        block_found = found[i]
        for k, lineage in enumerate(block_found):
            if lineage is None:
                block_found[k] = len(state.lineages)
                state.lineages.append([])
    lineages: list[list[int]] = found  # type: ignore[assignment]  # every None is filled
    _record(state, number, texts, keys, lineages)
    state.last = list(zip(block_keys, lineages, ends, strict=True))
    state.through = number
    placement = Placement(tuple(zip(ends, lineages, strict=True)))
    return state, placement


def _same_blocks(
    state: State, block_keys: list[str], taken: set[int]
) -> dict[int, tuple[list[int], list[int]]]:
    """Phase 1: blocks of n-1 with exactly this text, copy by copy: {block index: (lineages,
    sentence ends)}."""
    before: dict[str, deque[tuple[list[int], list[int]]]] = defaultdict(deque)
    for key, lineages, ends in state.last:
        before[key].append((lineages, ends))
    copied = {}
    for i, key in enumerate(block_keys):
        copies = before.get(key)
        if not copies:
            continue
        lineages, ends = copies.popleft()
        if taken.isdisjoint(lineages):
            copied[i] = (lineages, ends)
            taken.update(lineages)
    return copied


def _same_sentences(
    state: State, keys: list[list[str]], found: list[list[int | None]], taken: set[int]
) -> None:
    """Phase 2: sentences with exactly this text, in n-1 first, then anywhere earlier."""
    wanted = _slots_left(found)
    if not wanted:
        return
    in_last: dict[str, deque[int]] = defaultdict(deque)
    for _, lineages, _ in state.last:
        for lineage in lineages:
            if lineage not in taken:
                in_last[state.lineages[lineage][-1][0]].append(lineage)
    later: list[Slot] = []
    for i, k in wanted:
        candidates = in_last.get(keys[i][k])
        if candidates:
            lineage = candidates.popleft()
            found[i][k] = lineage
            taken.add(lineage)
        else:
            later.append((i, k))
    if not later:
        return
    # Wording -> lineages, seen last first; only the wordings looked for (the story's whole
    # history is walked, but nothing is kept of the rest of it).
    looked_for = {keys[i][k] for i, k in later}
    ever: dict[str, list[int]] = defaultdict(list)
    by_last_seen = sorted(range(len(state.lineages)), key=lambda n: -state.lineages[n][-1][2])
    for lineage in by_last_seen:
        if lineage not in taken:
            for run in state.lineages[lineage]:
                if run[0] in looked_for:
                    ever[run[0]].append(lineage)
    for i, k in later:
        for lineage in ever.get(keys[i][k], ()):
            if lineage not in taken:
                found[i][k] = lineage
                taken.add(lineage)
                break


def _edited_sentences(
    state: State,
    document: Document,
    previous: Document | None,
    texts: list[list[str]],
    found: list[list[int | None]],
    taken: set[int],
) -> None:
    """Phase 3: leftovers of n against leftovers of n-1, by their tokens."""
    wanted = _slots_left(found)
    if not wanted or previous is None or len(previous.blocks) != len(state.last):
        return
    old: list[tuple[int, str, str | None]] = []  # (lineage, text, section label)
    for block, (_, lineages, ends) in zip(previous.blocks, state.last, strict=True):
        if taken.issuperset(lineages):
            continue  # every sentence of it is matched: not split again
        text = block.text
        sentences = [text[start:end] for start, end in zip([0, *ends], ends, strict=False)]
        old += [
            (n, sentence, block.label)
            for n, sentence in zip(lineages, sentences, strict=True)
            if n not in taken
        ]
    if not old:
        return
    codes: dict[str, str] = {}
    encode = _encoder(codes)
    old_codes = [encode(text) for _, text, _ in old]
    whole = len(wanted) * len(old) <= tuning.MAX_FUZZY_PAIRS
    scored: list[tuple[float, int, int]] = []  # (similarity, wanted index, old index)
    for w, (i, k) in enumerate(wanted):
        label = document.blocks[i].label
        choices = (
            range(len(old)) if whole else [o for o, item in enumerate(old) if item[2] == label]
        )
        query = encode(texts[i][k])
        # As a distance: with score_cutoff, process.extract drops a similarity of exactly the
        # threshold (its integer cutoff rounds it away); a distance cutoff keeps it.
        hits = process.extract(
            query,
            {o: old_codes[o] for o in choices},
            scorer=Indel.normalized_distance,
            score_cutoff=1 - tuning.SIMILARITY_THRESHOLD,
            limit=None,
        )
        scored += [(1 - distance, w, o) for _, distance, o in hits]
    scored.sort(key=lambda hit: (-hit[0], hit[1], hit[2]))
    for _, w, o in scored:
        i, k = wanted[w]
        lineage = old[o][0]
        if found[i][k] is None and lineage not in taken:
            found[i][k] = lineage
            taken.add(lineage)


def _encoder(codes: dict[str, str]):
    """Each distinct token one character, as the diff engine codes them (tokens.py)."""

    def encode(text: str) -> str:
        return "".join(codes.setdefault(token, chr(0x100 + len(codes))) for token in _tokens(text))

    return encode


@lru_cache(maxsize=tuning.TOKENS_KEPT)
def _tokens(text: str) -> tuple[str, ...]:
    """A sentence's tokens, made once for the token phase and the figures both (tokenizing was
    most of the time of a 2 MB first revision's provenance: it was done twice)."""
    return tuple(tokenize(text))


def _figures(text: str) -> list[tuple[str, str]]:
    # A figure has a digit: a sentence without one is not tokenized for figures at all.
    return figures_in(text, _tokens(text)) if _DIGIT.search(text) else []


def _slots_left(found: list[list[int | None]]) -> list[Slot]:
    return [(i, k) for i, block in enumerate(found) for k, n in enumerate(block) if n is None]


def _record(
    state: State,
    number: int,
    texts: list[list[str]],
    keys: list[list[str]],
    lineages: list[list[int]],
) -> None:
    """Add revision `number` to the runs of its sentences' lineages and of its figures."""
    # (run, the lineage's figure keys before, the run's figures)
    new_runs: list[tuple[list, list[str], list[tuple[str, str]]]] = []
    used: set[str] = set()
    values: list[tuple[str, str]] = []  # (figure key, value) of this revision
    for block_texts, block_keys, block_lineages in zip(texts, keys, lineages, strict=True):
        if not block_texts:  # a block copied from n-1: every sentence's wording goes on
            for lineage in block_lineages:
                current = state.lineages[lineage][-1]
                current[2] = number
                for figure_key in current[3] if len(current) > 3 else ():
                    used.add(figure_key)
                    values.append((figure_key, state.figures[figure_key][-1][0]))
            continue
        for text, key, lineage in zip(block_texts, block_keys, block_lineages, strict=True):
            runs = state.lineages[lineage]
            last = runs[-1] if runs else None
            if last is not None and last[0] == key and last[2] == number - 1:
                last[2] = number  # the same wording, one more revision
                for figure_key in last[3] if len(last) > 3 else ():
                    used.add(figure_key)
                    values.append((figure_key, state.figures[figure_key][-1][0]))
                continue
            figures = _figures(text)
            run: list = [key, number, number]
            runs.append(run)
            if figures:
                new_runs.append((run, _keys_before(runs), figures))
    # Keys a wording inherits from the lineage's earlier wording first, then new keys: a new
    # figure never takes the key of one that goes on.
    chosen = [_inherited_keys(figures, before, used) for _, before, figures in new_runs]
    for (run, _, figures), inherited in zip(new_runs, chosen, strict=True):
        run.append(_free_keys(figures, inherited, used))
        values += zip(run[3], (value for _, value in figures), strict=True)
    for figure_key, value in values:
        figure_runs = state.figures.setdefault(figure_key, [])
        if figure_runs and figure_runs[-1][0] == value and figure_runs[-1][2] == number - 1:
            figure_runs[-1][2] = number
        else:
            figure_runs.append([value, number, number])


def _keys_before(runs: Sequence[list]) -> list[str]:
    """The figure keys of the lineage's latest earlier wording that had figures."""
    for run in reversed(runs[:-1]):
        if len(run) > 3:
            return list(run[3])
    return []


def _inherited_keys(
    figures: list[tuple[str, str]], before: list[str], used: set[str]
) -> list[str | None]:
    """For each figure of a new wording, the key the lineage's figure with the same label had
    (the same figure with a new value), if any and not taken."""
    keys: list[str | None] = []
    for label, _ in figures:
        name = label or "figure"
        key = next((key for key in before if _label_of(key) == name and key not in used), None)
        if key is not None:
            used.add(key)
        keys.append(key)
    return keys


def _free_keys(figures: list[tuple[str, str]], keys: list[str | None], used: set[str]) -> list[str]:
    """The figures' keys: the inherited one, else the label itself, or "label (2)" … when the
    label is already used in this revision."""
    chosen = []
    for (label, _), key in zip(figures, keys, strict=True):
        if key is None:
            key = _free_key(label or "figure", used)
            used.add(key)
        chosen.append(key)
    return chosen


def _label_of(key: str) -> str:
    base, _, suffix = key.rpartition(" (")
    return base if base and suffix.endswith(")") and suffix[:-1].isdigit() else key


def _free_key(name: str, used: set[str]) -> str:
    key, n = name, 2
    while key in used:
        key, n = f"{name} ({n})", n + 1
    return key
