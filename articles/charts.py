"""The timeline's server-rendered SVG chart: words added and removed, one bar per revision.

Bars stand in revision order, evenly spaced, with their times as axis labels: placed by time, a
burst of updates after a quiet week was squeezed into one edge. Every revision of the page has a
slot, the first report and retracted ones included, so the numbers under the bars run without
gaps. The first report "adds" the whole story: the scale is set by the updates, and a bar taller
than the scale is cut at the top and labelled with its figure, so one long revision never
flattens the rest. The same figures are printed in each timeline row, the chart's text
equivalent.

Axis times carry `data-datetime`: newsroom.js rewrites them, like every `<time>`, in the reader's
time zone; without it they read in UTC, as the axis title says.
"""

from dataclasses import dataclass
from html import escape

from django.template.defaultfilters import date as format_date
from django.utils.safestring import mark_safe

from articles.models import Revision

WIDTH, HEIGHT = 1000, 260
LEFT, RIGHT, TOP, BOTTOM = 64, 16, 22, 56  # room for the scale, the labels and a cut bar's figure
BAR_MAX = 28  # a bar's width when few revisions leave wide slots
BAR_SHARE = 0.7  # of its slot, when many revisions leave narrow ones
NUMBER_EVERY_PX = 28  # print a revision number under a bar at most this often
TIME_EVERY_PX = 120  # and a time label at most this often ("3 Dec 14:05" at 13 units)

PLOT_TOP, PLOT_BOTTOM = TOP, HEIGHT - BOTTOM
MIDDLE = (PLOT_TOP + PLOT_BOTTOM) / 2
HALF = (PLOT_BOTTOM - PLOT_TOP) / 2


@dataclass(frozen=True)
class Bar:
    revision: Revision
    x: float
    width: float
    added: float  # height above the line, cut at HALF
    removed: float  # depth below it, cut at HALF

    @property
    def cut(self) -> bool:
        return self.added >= HALF or self.removed >= HALF


def update_chart(revisions: list[Revision]) -> dict | None:
    """The chart of `revisions` (oldest first: a page of the timeline); None when it is empty."""
    if not revisions:
        return None
    live = [r for r in revisions if not r.is_retracted]
    updates = [r for r in live if r.based_on is not None] or live
    tallest = max((max(r.words_added, r.words_removed) for r in updates), default=0) or 1
    scale = (HALF - 4) / tallest
    slot = (WIDTH - LEFT - RIGHT) / len(revisions)
    width = min(BAR_MAX, slot * BAR_SHARE)
    bars = [
        Bar(
            revision=r,
            x=LEFT + i * slot + (slot - width) / 2,
            width=width,
            added=0 if r.is_retracted else min(HALF, r.words_added * scale),
            removed=0 if r.is_retracted else min(HALF, r.words_removed * scale),
        )
        for i, r in enumerate(revisions)
    ]
    svg = "\n".join(
        [
            _scale(tallest),
            *(_bar(bar) for bar in bars),
            *_labels(bars, slot),
        ]
    )
    return {
        "svg": mark_safe(svg),  # noqa: S308 - every piece of text is escaped where it is made
        "width": WIDTH,
        "height": HEIGHT,
        "start": revisions[0].published_at,
        "end": revisions[-1].published_at,
    }


def _scale(tallest: int) -> str:
    """Gridlines at the scale's top, half and zero, above the line and below, with word counts."""
    lines = []
    for share, sign in ((1.0, "+"), (0.5, "+"), (0.0, ""), (0.5, "−"), (1.0, "−")):
        above = sign != "−"
        y = round(MIDDLE - share * (HALF - 4) * (1 if above else -1), 1)
        words = round(tallest * share)
        css = "axis" if share == 0 else "grid"
        lines.append(
            f'<line class="{css}" x1="{LEFT}" x2="{WIDTH - RIGHT}" y1="{y}" y2="{y}"></line>'
            f'<text class="tick" x="{LEFT - 8}" y="{y + 4}" text-anchor="end">'
            f"{sign}{words:,}</text>"
        )
    return "\n".join(lines)


def _bar(bar: Bar) -> str:
    revision = bar.revision
    x, w = round(bar.x, 1), round(bar.width, 1)
    if revision.is_retracted:
        title = f"Revision {revision.number}: retracted"
        return (
            f'<g class="bar retracted"><title>{title}</title>'
            f'<line x1="{x}" x2="{round(x + w, 1)}" y1="{MIDDLE - 6}" y2="{MIDDLE + 6}"></line>'
            f'<line x1="{x}" x2="{round(x + w, 1)}" y1="{MIDDLE + 6}" y2="{MIDDLE - 6}"></line></g>'
        )
    what = "first report" if revision.based_on is None else "update"
    title = (
        f"Revision {revision.number} ({what}): {revision.words_added:,} words added, "
        f"{revision.words_removed:,} removed"
    )
    added_y = round(MIDDLE - bar.added, 1)
    parts = [
        f'<g class="bar"><title>{escape(title)}</title>',
        f'<rect class="added" x="{x}" y="{added_y}" width="{w}" height="{round(bar.added, 1)}">'
        "</rect>",
        f'<rect class="removed" x="{x}" y="{MIDDLE}" width="{w}" height="{round(bar.removed, 1)}">'
        "</rect>",
    ]
    if bar.cut:
        # The bar runs off the scale: a break across its end and its figure above it.
        figure = revision.words_added if bar.added >= HALF else revision.words_removed
        y = PLOT_TOP if bar.added >= HALF else PLOT_BOTTOM
        label_y = PLOT_TOP - 6 if bar.added >= HALF else PLOT_BOTTOM + 14
        parts.append(
            f'<line class="cut" x1="{x - 2}" x2="{round(x + w + 2, 1)}" y1="{y + 6}" '
            f'y2="{y + 2}"></line>'
            f'<text class="cut-label" x="{round(x + w / 2, 1)}" y="{label_y}" '
            f'text-anchor="middle">{figure:,}</text>'
        )
    parts.append("</g>")
    return "".join(parts)


def _labels(bars: list[Bar], slot: float) -> list[str]:
    """Revision numbers under the bars and times under those, as often as they fit."""
    number_every = max(1, round(NUMBER_EVERY_PX / slot + 0.49))
    time_every = max(1, round(TIME_EVERY_PX / slot + 0.49))
    labels = []
    last_day = None
    for i, bar in enumerate(bars):
        centre = round(bar.x + bar.width / 2, 1)
        revision = bar.revision
        if i % number_every == 0 or i == len(bars) - 1:
            labels.append(
                f'<text class="number" x="{centre}" y="{PLOT_BOTTOM + 30}" '
                f'text-anchor="middle">{revision.number}</text>'
            )
        if i % time_every == 0:
            moment = revision.published_at
            day = format_date(moment, "j M")
            # The day is named where it changes, at the first label and after midnight.
            form = "time" if day == last_day else "day"
            shown = format_date(moment, "H:i" if form == "time" else "j M H:i")
            last_day = day
            labels.append(
                f'<text class="time" x="{centre}" y="{PLOT_BOTTOM + 48}" text-anchor="middle" '
                f'data-datetime="{escape(format_date(moment, "c"))}" data-form="{form}">'
                f"{escape(shown)}</text>"
            )
    return labels
