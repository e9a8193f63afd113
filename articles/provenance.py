"""Provenance kept in the database: made by Story.publish, rebuilt by `manage.py provenance`
and `reparse`, read by the story's origins view and its Figures page (articles/core/provenance/
decides everything; this module only loads and stores).

Each revision gets a Provenance row (its Placement); the story's newest one also holds the State
after it. Publishing revision n reads that State, matches n against it and moves it to n's row:
the work is in proportion to revision n, not to the history. A State missing or made by another
PROVENANCE_VERSION is rebuilt from every revision, once.
"""

from __future__ import annotations

import gc
import json
from bisect import bisect_left
from collections.abc import Collection, Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from datetime import datetime

from django.db import transaction
from django.template.defaultfilters import date as format_date
from django.urls import reverse

from articles.core import deltas
from articles.core.diff.model import FigureChange
from articles.core.document import Document
from articles.core.provenance import (
    PROVENANCE_VERSION,
    FigureRow,
    Origin,
    Placement,
    State,
    advance,
    changes_between,
    figure_history,
    origins_of,
)
from articles.core.provenance.history import FigurePoint
from articles.core.render.origins import origins_markup
from articles.models import Provenance, Revision, Story
from articles.storage import CorruptText, compress_json, decode_each, decompress_json, to_json

# Rows written at once when a story's provenance is rebuilt.
BATCH = 50


@contextmanager
def _without_cycle_collection() -> Iterator[None]:
    """A State is a tree of lists, millions of them on a long story, with no cycle among them:
    the cycle collector would only walk them all, several times while one is loaded (a full
    collection per publish, growing with the story's history). Reference counting frees it."""
    enabled = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        if enabled:
            gc.enable()


def record(story: Story, revision: Revision, document: Document, live: Revision | None) -> None:
    """Match the revision just saved against the story's State; inside publish's transaction.
    `live` is the revision readers saw before it (its document is usually the one the State
    was made after, so it is not read again)."""
    newest = (
        Provenance.objects.filter(revision__story=story, state__isnull=False)
        .order_by("-revision__number")
        .values_list("pk", "version", "revision__number", "state")
        .first()
    )
    placements: dict[int, bytes] | None = {}
    if revision.number > 1:
        consecutive = newest is not None and newest[2] == revision.number - 1
        placements = _placements(story, newest[2]) if newest and consecutive else None
    if placements is None or (newest is not None and newest[1] != PROVENANCE_VERSION):
        rebuild(story)  # this revision included
        return
    previous = None
    if newest is not None:
        if live is not None and live.number == newest[2]:
            previous = live.document()
        else:  # the newest revision was retracted: the State was made after it all the same
            previous = Revision.objects.get(pk=newest[0]).document()
    with _without_cycle_collection():
        state = State()
        if newest is not None:
            placement = Placement.from_stored(json.loads(placements[newest[2]]))
            state = State.from_stored(decompress_json(newest[3]), placement)
        state, placement = advance(state, revision.number, document, previous)
        stored_state = compress_json(state.to_stored())
    if newest is not None:
        Provenance.objects.filter(pk=newest[0]).update(state=None)
    Provenance.objects.create(
        revision=revision,
        version=PROVENANCE_VERSION,
        placement=_placement_frame(revision.number, placement, placements),
        state=stored_state,
    )


def rebuild(story: Story) -> int:
    """Make the story's provenance again from every revision in order; how many revisions."""
    with transaction.atomic():
        # Publish's lock: no revision is added while the rows it would be a delta against are
        # made again.
        Story.objects.select_for_update().get(pk=story.pk)
        Provenance.objects.filter(revision__story=story).delete()
        state, previous = State(), None
        rows: list[Provenance] = []
        # The Placements later revisions may be deltas against (deltas.chain of the last one).
        bases: dict[int, bytes] = {}
        count = 0
        for revision, document in _documents(story):
            with _without_cycle_collection():
                state, placement = advance(state, revision.number, document, previous)
            frame = _placement_frame(revision.number, placement, bases)
            bases = {n: bases[n] for n in deltas.chain(revision.number)[:-1]}
            bases[revision.number] = to_json(placement.to_stored())
            rows.append(Provenance(revision=revision, version=PROVENANCE_VERSION, placement=frame))
            previous, count = document, count + 1
            if len(rows) == BATCH:
                Provenance.objects.bulk_create(rows[:-1])
                rows = rows[-1:]
        if rows:
            with _without_cycle_collection():
                rows[-1].state = compress_json(state.to_stored())
            Provenance.objects.bulk_create(rows)
    return count


def _placement_frame(number: int, placement: Placement, placements: dict[int, bytes]) -> bytes:
    """Revision `number`'s Placement stored as a delta against its base's (in `placements`)."""
    base_number = deltas.delta_base(number)
    base = None if base_number is None else placements[base_number]
    return deltas.encode(to_json(placement.to_stored()), base)


def _placements(story: Story, number: int) -> dict[int, bytes] | None:
    """The Placements along revision `number`'s chain, by number (None: one is missing or was
    made by another PROVENANCE_VERSION)."""
    numbers = deltas.chain(number)
    rows = dict(
        Provenance.objects.filter(
            revision__story=story, revision__number__in=numbers, version=PROVENANCE_VERSION
        ).values_list("revision__number", "placement")
    )
    if len(rows) != len(numbers):
        return None
    try:
        texts = decode_each([rows[n] for n in numbers], f"{story.slug} revision {number}")
    except CorruptText:
        return None  # damaged: provenance is derived, and made again at the next publish
    return dict(zip(numbers, texts, strict=True))


def _documents(story: Story) -> Iterator[tuple[Revision, Document]]:
    for revision in story.revisions.walk():
        yield revision, revision.document()


@dataclass(frozen=True)
class StoryProvenance:
    """What the story's pages read: the State, and which revisions readers may see."""

    story: Story
    state: State
    retracted: Collection[int]
    live: list[int]  # ascending
    published: dict[int, datetime]

    @classmethod
    def of(cls, story: Story) -> StoryProvenance | None:
        stored = (
            Provenance.objects.filter(revision__story=story, state__isnull=False)
            .values_list("state", flat=True)
            .first()
        )
        if stored is None:
            return None
        numbers = story.revisions.values_list("number", "retracted_at", "published_at")
        rows = list(numbers.order_by("number"))
        live = [number for number, retracted_at, _ in rows if retracted_at is None]
        retracted = frozenset(number for number, retracted_at, _ in rows if retracted_at)
        published = {number: at for number, _, at in rows}
        with _without_cycle_collection():
            state = State.from_stored(decompress_json(stored))
        return cls(story, state, retracted, live, published)

    def when(self, number: int) -> str:
        """Revision `number`'s time, as the story page shows times."""
        return format_date(self.published[number], "j M Y, H:i T")

    def introduced(self, number: int) -> str:
        """The address of the comparison that introduced revision `number` (the revision itself
        when no live revision came before it)."""
        k = bisect_left(self.live, number)
        if k == 0:
            return reverse("revision", args=[self.story.slug, number])
        return reverse("compare", args=[self.story.slug, self.live[k - 1], number])

    def origins_html(self, revision: Revision, document: Document) -> str | None:
        """The story body with every sentence's origin (None: not derived yet)."""
        origins = self.origins(revision)
        if origins is None or len(origins) != len(document.blocks):
            return None
        links: dict[int, str] = {}

        def link(number: int) -> str:
            if number not in links:
                links[number] = self.introduced(number)
            return links[number]

        return origins_markup(
            document.blocks,
            origins,
            live=[n for n in self.live if n <= revision.number],
            when=self.when,
            link=link,
        )

    def origins(self, revision: Revision) -> list[list[Origin]] | None:
        """Each sentence's first and last revision, block by block (None: not yet derived)."""
        placements = _placements(self.story, revision.number)
        if placements is None:
            return None
        placement = Placement.from_stored(json.loads(placements[revision.number]))
        return origins_of(self.state, placement, revision.number, self.retracted)

    def figures(self) -> list[FigureRow]:
        return figure_history(self.state, self.live, self.retracted)

    def figure_table(self) -> list[tuple[str, list[tuple[FigurePoint, str, str]]]]:
        """The Figures page's rows: each figure's key, and its values with their times and the
        address of the comparison that reported each."""
        return [
            (row.key, [(p, self.when(p.number), self.introduced(p.number)) for p in row.points])
            for row in self.figures()
        ]

    def changed_figures(self, old: int, new: int) -> list[FigureChange]:
        """The figures whose values differ between live revisions old and new."""
        return changes_between(self.figures(), old, new)
