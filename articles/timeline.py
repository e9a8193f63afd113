"""The rows of a timeline page, rendered in Python.

Through the template each row cost ~30 variable lookups, escapes and two date formats: at 50
rows a page took 2.3× the time of a 10-revision story's page, over the 2× its budget allows
(bench/loadtest.py, cold renders). The markup is the template's, every piece of text escaped by
format_html; dates are formatted by Django's `date` filter, in the current time zone.
"""

from django.template.defaultfilters import date as format_date
from django.utils.html import format_html, format_html_join
from django.utils.safestring import SafeString

from articles.models import Revision

RADIOS = (
    '<td><label><input type="radio" name="old" value="{0}"{1}>'
    '<span class="vh">Compare from revision {0}</span></label></td>'
    '<td><label><input type="radio" name="new" value="{0}"{2}>'
    '<span class="vh">Compare to revision {0}</span></label></td>'
)
ENTRY = '<td><a href="{0}{1}/">Revision {1}</a> <time datetime="{2}">{3}</time>{4}{5}</td>'
CHECKED = SafeString(" checked")
DATE = "j M Y, H:i T"


def timeline_rows(
    revisions: list[Revision], old: int | None, new: int | None, revision_url: str
) -> SafeString:
    return format_html_join("\n", "{}", ((_row(r, old, new, revision_url),) for r in revisions))


def _row(revision: Revision, old: int | None, new: int | None, revision_url: str) -> SafeString:
    number = revision.number
    badge = (
        format_html(' <span class="badge">{}</span>', revision.get_kind_display())
        if revision.kind != "update"
        else ""
    )
    if revision.is_retracted:
        # Readers are not told which editor retracted it (the desk and the audit trail say).
        radios = SafeString("<td></td><td></td>")
        detail = format_html(
            '<p class="retraction">Retracted at {}: {}</p>',
            format_date(revision.retracted_at, DATE),
            revision.retraction_reason,
        )
    else:
        radios = format_html(
            RADIOS, number, CHECKED if number == old else "", CHECKED if number == new else ""
        )
        detail = format_html(
            "{}{}",
            format_html('<p class="note">{}</p>', revision.change_note)
            if revision.change_note
            else "",
            format_html('<p class="summary">{}</p>', revision.summary) if revision.summary else "",
        )
    entry = format_html(
        ENTRY,
        revision_url,
        number,
        format_date(revision.published_at, "c"),
        format_date(revision.published_at, DATE),
        badge,
        detail,
    )
    return format_html(
        '<tr class="timeline-entry{}">{}{}</tr>',
        " retracted" if revision.is_retracted else "",
        radios,
        entry,
    )
