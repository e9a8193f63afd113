"""Pairing: which of the blocks left over by the layout are one block, moved or edited.

The rule (`pairs_as_changed`): an old and a new block are one block, edited, when each has at
most MAX_BLOCK_TOKENS tokens and their longest common subsequence of tokens covers at least
SIMILARITY_THRESHOLD of the longer one. `_best_partner` applies the same rule to many old
blocks at once, in C, and takes the most similar (the first among equals) — of the new block's
own kind first: a bullet pairs with a bullet, and only with no bullet to pair with does it pair
with a paragraph (a bullet turned into a paragraph is still one block, edited).

3. a leftover new block whose exact text and kind are left over on the old page is that block,
   moved (the copy in its own section first);
4. leftovers between the same two in-place blocks, in paired sections, pair in order, each with
   its best partner: changed in place;
5. leftovers anywhere pair with their best partner: moved (and edited).
"""

from __future__ import annotations

from typing import NamedTuple

from rapidfuzz import process
from rapidfuzz.distance import LCSseq

from articles.core.diff import tuning
from articles.core.diff.layout import Layout
from articles.core.diff.tokens import BlockTexts, Text
from articles.core.document import Block, BlockKind

# The rule's score: the longest common subsequence of two code strings over the longer one.
_similarity = LCSseq.normalized_similarity

Notes = dict[str, None]  # what got coarser, in the order it happened (a dict: each note once)

_LONG_BLOCK = "Blocks over {} words are compared whole, not word by word."
_CROWDED_GAP = "Too many edited blocks in one stretch: blocks were paired by position."
_CROWDED_PAGE = "Too many unmatched blocks to look for edited blocks moved across sections."


class Pairs(NamedTuple):
    """Who pairs with whom. match: new index -> old index (-1: none); used: old blocks paired;
    place: the pairs changed in place (new -> old); moved: the pairs moved (new -> old)."""

    match: list[int]
    used: bytearray
    place: dict[int, int]
    moved: dict[int, int]


def pairs_as_changed(a: Text, b: Text) -> bool:
    """Whether two blocks are one block, edited (the rule above)."""
    longest = tuning.MAX_BLOCK_TOKENS
    if len(a.enc) > longest or len(b.enc) > longest:
        return False
    return _similarity(a.enc, b.enc) >= tuning.SIMILARITY_THRESHOLD


def pair_leftovers(
    layout: Layout, old: tuple[Block, ...], new: tuple[Block, ...], texts: BlockTexts, notes: Notes
) -> Pairs:
    """Steps 3 to 5 over the blocks in the layout's gaps."""
    gaps = [span for span in layout.spans if span[0] != "equal"]
    old_sec, home = layout.old_sec, layout.home
    pairs = Pairs([-1] * len(new), bytearray(len(old)), {}, {})
    match, used, place, moved = pairs

    # 3. blocks off the layout whose exact text is elsewhere: moved
    lone_old = [i for _, i1, i2, _, _ in gaps for i in range(i1, i2)]
    lone_new = [j for _, _, _, j1, j2 in gaps for j in range(j1, j2)]
    if lone_old and lone_new:
        spare: dict[str, list[int]] = {}
        for i in lone_old:
            spare.setdefault(old[i].text, []).append(i)
        for j in lone_new:
            free = spare.get(new[j].text)
            if free:
                kind = new[j].kind
                same = [i for i in free if old[i].kind == kind]
                if same:  # prefer the copy in the block's own section
                    i = next((i for i in same if old_sec[i] == home[j]), same[0])
                    free.remove(i)
                    moved[j] = match[j] = i
                    used[i] = 1

    # 4. leftovers between the same two in-place blocks, in paired sections: changed in place
    for _, i1, i2, j1, j2 in gaps:
        olds = [i for i in range(i1, i2) if not used[i]]
        news = [j for j in range(j1, j2) if match[j] < 0]
        if olds and news:
            for i, j in _pair_gap(texts, notes, olds, news, layout, old, new):
                place[j] = match[j] = i
                used[i] = 1

    # 5. leftovers anywhere: moved and edited
    lone_old = [i for i in lone_old if not used[i]]
    lone_new = [j for j in lone_new if match[j] < 0]
    if lone_old and lone_new:
        for i, j in _pair_across(texts, notes, lone_old, lone_new, old, new):
            moved[j] = match[j] = i
            used[i] = 1
    return pairs


def _fits(text: Text, notes: Notes) -> bool:
    """pairs_as_changed's length rule for one block, noted when it rules a block out."""
    if len(text.enc) > tuning.MAX_BLOCK_TOKENS:
        notes[_LONG_BLOCK.format(tuning.MAX_BLOCK_TOKENS)] = None
        return False
    return True


def _best_partner(
    query: Text, kind: BlockKind, choices: dict[int, str], kinds: dict[int, BlockKind], notes: Notes
) -> int | None:
    """The key of the old block (by its code string) that pairs_as_changed would pair with
    `query` and that is most similar to it, the first among equals, looked for among the old
    blocks of `kind` first (`kinds`: each choice's block kind); None if there is none."""
    if not choices or not _fits(query, notes):
        return None
    best = _most_similar(query, choices)
    if best is None or kinds[best] == kind:
        return best  # the usual case: one search (filtering first: +30% on pathological-60k)
    same = {k: enc for k, enc in choices.items() if kinds[k] == kind}
    found = _most_similar(query, same) if same else None
    return best if found is None else found


def _most_similar(query: Text, choices: dict[int, str]) -> int | None:
    best = process.extractOne(
        query.enc,
        choices,
        scorer=_similarity,
        score_cutoff=tuning.SIMILARITY_THRESHOLD,
    )
    return None if best is None else best[2]


def _pair_gap(
    texts: BlockTexts,
    notes: Notes,
    olds: list[int],
    news: list[int],
    layout: Layout,
    old: tuple[Block, ...],
    new: tuple[Block, ...],
) -> list[tuple[int, int]]:
    """Step 4 for one gap: its new blocks in order, each with its best partner among the old
    blocks of its section after the last one paired; by position past MAX_GAP_COMPARISONS."""
    if len(olds) * len(news) > tuning.MAX_GAP_COMPARISONS:
        notes[_CROWDED_GAP] = None
        return _pair_by_position(texts, notes, olds, news, layout)
    old_sec, home = layout.old_sec, layout.home
    kinds = {k: old[i].kind for k, i in enumerate(olds)}
    pairs: list[tuple[int, int]] = []
    start = 0
    for j in news:
        choices = {
            k: texts.old(olds[k]).enc
            for k in range(start, len(olds))
            if old_sec[olds[k]] == home[j] and _fits(texts.old(olds[k]), notes)
        }
        k = _best_partner(texts.new(j), new[j].kind, choices, kinds, notes)
        if k is not None:
            pairs.append((olds[k], j))
            start = k + 1
    return pairs


def _pair_by_position(
    texts: BlockTexts, notes: Notes, olds: list[int], news: list[int], layout: Layout
) -> list[tuple[int, int]]:
    """Each new block with the next old block of its section, if the two pair as changed. By
    position alone, kinds aside: this is the coarse way, past a budget, and it says so."""
    old_sec, home = layout.old_sec, layout.home
    by_section: dict[object, list[int]] = {}
    for i in olds:
        by_section.setdefault(old_sec[i], []).append(i)
    pairs: list[tuple[int, int]] = []
    for j in news:
        queue = by_section.get(home[j])
        if queue:
            i = queue.pop(0)
            a, b = texts.old(i), texts.new(j)
            if _fits(a, notes) and _fits(b, notes) and pairs_as_changed(a, b):
                pairs.append((i, j))
    return pairs


def _pair_across(
    texts: BlockTexts,
    notes: Notes,
    olds: list[int],
    news: list[int],
    old: tuple[Block, ...],
    new: tuple[Block, ...],
) -> list[tuple[int, int]]:
    """Step 5: each new block with its best partner among all leftover old blocks; none past
    MAX_CROSS_COMPARISONS."""
    if len(olds) * len(news) > tuning.MAX_CROSS_COMPARISONS:
        notes[_CROWDED_PAGE] = None
        return []
    choices = {i: texts.old(i).enc for i in olds if _fits(texts.old(i), notes)}
    kinds = {i: old[i].kind for i in choices}
    pairs: list[tuple[int, int]] = []
    for j in news:
        i = _best_partner(texts.new(j), new[j].kind, choices, kinds, notes)
        if i is not None:
            pairs.append((i, j))
            del choices[i]
    return pairs
