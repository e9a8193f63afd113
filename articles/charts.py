"""Geometry for the timeline's server-rendered SVG chart of words added and removed."""

from dataclasses import dataclass

from django.utils.html import format_html_join

from articles.models import Revision

WIDTH, HEIGHT, PAD = 800, 200, 24
BAR = 10
# One bar's markup, filled in Python: through the template, a 50-bar chart's ~350 lookups and
# escapes were a third of a timeline page's rendering.
BAR_SVG = (
    '<g class="bar"><title>{}</title>'
    '<rect class="added" x="{}" y="{}" width="{}" height="{}"></rect>'
    '<rect class="removed" x="{}" y="{}" width="{}" height="{}"></rect></g>'
)


@dataclass(frozen=True)
class Bar:
    number: int
    x: float
    added_y: float
    added_height: float
    removed_height: float
    title: str


def update_chart(revisions: list[Revision]) -> dict | None:
    """Bars for the updates among `revisions` (oldest first: a page of the timeline), placed by
    time; None when there is nothing to plot.

    A first version (based on no earlier revision) is left out: its "added" is the whole story
    and would flatten the rest.
    """
    updates = [revision for revision in revisions if revision.based_on is not None]
    if not updates:
        return None
    start, end = updates[0].published_at, updates[-1].published_at
    span = (end - start).total_seconds() or 1.0
    tallest = max(max(r.words_added, r.words_removed) for r in updates) or 1
    middle = HEIGHT / 2
    scale = (middle - PAD / 2) / tallest
    usable = WIDTH - 2 * PAD - BAR
    bars = []
    for revision in updates:
        offset = (revision.published_at - start).total_seconds() / span if len(updates) > 1 else 0.5
        added = revision.words_added * scale
        bars.append(
            Bar(
                number=revision.number,
                x=round(PAD + offset * usable, 1),
                added_y=round(middle - added, 1),
                added_height=round(added, 1),
                removed_height=round(revision.words_removed * scale, 1),
                title=(
                    f"Revision {revision.number}: {revision.words_added} words added, "
                    f"{revision.words_removed} removed"
                ),
            )
        )
    svg = format_html_join(
        "\n",
        BAR_SVG,
        (
            (b.title, b.x, b.added_y, BAR, b.added_height, b.x, middle, BAR, b.removed_height)
            for b in bars
        ),
    )
    return {
        "bars_svg": svg,
        "width": WIDTH,
        "height": HEIGHT,
        "middle": middle,
        "bar_width": BAR,
        "bars": bars,
        "start": start,
        "end": end,
    }
