"""The rows of a timeline page, rendered in Python.

Through the template each row cost ~30 variable lookups, escapes and two date formats: at 50
rows a page took 2.3× the time of a 10-revision story's page, over the 2× its budget allows
(bench/loadtest.py, cold renders); format_html per piece was still 2.1×. The markup is the
template's; every piece of text is escaped here with html.escape (as in articles/core/render.py)
and the page is marked safe once. Dates are formatted by Django's `date` filter, in the current
time zone.
"""

from html import escape

from django.template.defaultfilters import date as format_date
from django.utils.safestring import SafeString, mark_safe

from articles.models import Revision

DATE = "j M Y, H:i T"


def timeline_rows(
    revisions: list[Revision], old: int | None, new: int | None, revision_url: str
) -> SafeString:
    url = escape(revision_url)
    rows = "\n".join(_row(revision, old, new, url) for revision in revisions)
    return mark_safe(rows)  # noqa: S308 - every piece of text above is escaped


def _row(revision: Revision, old: int | None, new: int | None, url: str) -> str:
    number = revision.number  # an int: nothing to escape
    published = revision.published_at
    badge = (
        f' <span class="badge">{escape(revision.get_kind_display())}</span>'
        if revision.kind != "update"
        else ""
    )
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
        detail = note + summary
    retracted = " retracted" if revision.is_retracted else ""
    return (
        f'<tr class="timeline-entry{retracted}">{radios}'
        f'<td><a href="{url}{number}/">Revision {number}</a> '
        f'<time datetime="{escape(format_date(published, "c"))}">'
        f"{escape(format_date(published, DATE))}</time>{badge}{detail}</td></tr>"
    )
