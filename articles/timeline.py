"""The rows of a timeline page, rendered in Python.

Through the template each row cost ~30 variable lookups, escapes and two date formats: at 50
rows a page took 2.3× the time of a 10-revision story's page, over the 2× its budget allows
(bench/loadtest.py, cold renders); format_html per piece was still 2.1×. The markup is the
template's; every piece of text is escaped here with html.escape (as in articles/core/render.py)
and the page is marked safe once. Dates are formatted by Django's `date` filter, in the current
time zone.
"""

from dataclasses import dataclass
from html import escape

from django.template.defaultfilters import date as format_date
from django.utils.safestring import SafeString, mark_safe

from articles.models import Revision

DATE = "j M Y, H:i T"


@dataclass(frozen=True)
class Links:
    """Where a page's rows link: the revision pages, the comparisons, and with what."""

    revision_url: str
    compare_url: str
    live: int | None  # the live revision: "cur" compares with it
    previous: dict[int, int]  # each live revision's previous live one: "prev" compares with it


def timeline_rows(
    revisions: list[Revision], old: int | None, new: int | None, links: Links
) -> SafeString:
    rows = "\n".join(_row(revision, old, new, links) for revision in revisions)
    return mark_safe(rows)  # noqa: S308 - every piece of text above is escaped


def _compare_links(number: int, links: Links) -> str:
    """MediaWiki's history links: "prev" shows what this revision changed, "cur" what has
    changed since; plain words where there is nothing to compare."""
    url = escape(links.compare_url)
    previous = links.previous.get(number)
    prev = (
        f'<a href="{url}{previous}/{number}/">prev<span class="vh">: compare revision {number} '
        f"with revision {previous}</span></a>"
        if previous
        else "prev"
    )
    cur = (
        f'<a href="{url}{number}/{links.live}/">cur<span class="vh">: compare revision {number} '
        f"with the current revision, {links.live}</span></a>"
        if links.live and links.live != number
        else "cur"
    )
    return f'<span class="diff-links">({cur} | {prev})</span>'


def _words(revision: Revision) -> str:
    if revision.based_on is None:
        return f'<span class="words">First report: {revision.words_added:,} words</span>'
    return (
        f'<span class="words"><span class="added">+{revision.words_added:,}</span> '
        f'<span class="removed">−{revision.words_removed:,}</span> words</span>'
    )


def _row(revision: Revision, old: int | None, new: int | None, links: Links) -> str:
    number = revision.number  # an int: nothing to escape
    url = escape(links.revision_url)
    published = revision.published_at
    correction = revision.kind == Revision.Kind.CORRECTION
    badge = ' <span class="badge">Correction</span>' if correction else ""
    if revision.significance == Revision.Significance.MINOR:
        # Computed, not the editor's choice: a minor edit changed no fact.
        badge += ' <span class="badge minor">Minor edit</span>'
    if revision.is_retracted:
        # Readers are not told which editor retracted it (the desk and the audit trail say).
        radios = "<td></td><td></td>"
        detail = (
            f'<p class="retraction">Retracted at {escape(format_date(revision.retracted_at, DATE))}'
            f": {escape(revision.retraction_reason)}</p>"
        )
    else:
        old_checked = " checked" if number == old else ""
        new_checked = " checked" if number == new else ""
        radios = (
            f'<td><label><input type="radio" name="old" value="{number}"{old_checked}>'
            f'<span class="vh">Compare from revision {number}</span></label></td>'
            f'<td><label><input type="radio" name="new" value="{number}"{new_checked}>'
            f'<span class="vh">Compare to revision {number}</span></label></td>'
        )
        note = f'<p class="note">{escape(revision.change_note)}</p>' if revision.change_note else ""
        summary = f'<p class="summary">{escape(revision.summary)}</p>' if revision.summary else ""
        detail = f'<p class="row-facts">{_compare_links(number, links)} {_words(revision)}</p>'
        detail += note + summary
    retracted = " retracted" if revision.is_retracted else ""
    return (
        f'<tr class="timeline-entry{retracted}">{radios}'
        f'<td><a href="{url}{number}/">Revision {number}</a> '
        f'<time datetime="{escape(format_date(published, "c"))}">'
        f"{escape(format_date(published, DATE))}</time>{badge}{detail}</td></tr>"
    )
