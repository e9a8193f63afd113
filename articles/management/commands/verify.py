import hashlib
import random

from django.core.management.base import BaseCommand, CommandError
from django.db import connection
from django.db.models import Exists, Max, OuterRef, Q

from articles.core.document import ParseError
from articles.core.parsing import PARSER_VERSION, parse_article
from articles.models import AuditEntry, Revision, Story
from articles.storage import CorruptText, Walk, read_blob, read_text_bytes

# The triggers of migrations 0005 and 0010, by database: without them, nothing stops a raw
# UPDATE.
GUARD_TRIGGERS = {
    "postgresql": {"articles_revision_guard", "articles_auditentry_guard", "articles_blob_guard"},
    "sqlite": {
        "articles_blob_immutable",
        "articles_revision_no_delete",
        "articles_revision_immutable",
        "articles_revision_retraction_final",
        "articles_revision_retraction_whole",
        "articles_revision_parse_versioned",
        "articles_auditentry_no_update",
        "articles_auditentry_no_delete",
    },
}
DEFAULT_SAMPLE = 200


class Command(BaseCommand):
    help = (
        "Check what is stored: every revision's text against its content hash, the stored "
        "structure of a sample re-parsed, each story's live revision, retractions against the "
        "audit trail, and the database's immutability triggers. Exit status 1 on any problem."
    )

    def add_arguments(self, parser):
        parser.add_argument(
            "--sample",
            type=int,
            default=DEFAULT_SAMPLE,
            help=f"how many revisions to re-parse (default {DEFAULT_SAMPLE}; 0 for all)",
        )

    def handle(self, *, sample: int, **options) -> str:
        problems = [*missing_guards()]
        hashed, mismatched = check_hashes()
        problems += mismatched
        reparsed, differing = check_parses(sample)
        problems += differing
        problems += check_live_numbers()
        problems += check_retractions_audited()
        for problem in problems:
            self.stderr.write(f"error: {problem}")
        stale = Revision.objects.filter(parser_version__lt=PARSER_VERSION).count()
        summary = (
            f"{hashed} content hashes checked, {reparsed} revisions re-parsed"
            + (f" ({stale} stored by an older parser: run reparse)" if stale else "")
            + f", {len(problems)} problem{'s' if len(problems) != 1 else ''}"
        )
        if problems:
            self.stdout.write(summary)
            raise CommandError(f"{len(problems)} stored records do not check out", returncode=1)
        return summary


def missing_guards() -> list[str]:
    expected = GUARD_TRIGGERS.get(connection.vendor)
    if expected is None:
        return []
    with connection.cursor() as cursor:
        if connection.vendor == "postgresql":
            cursor.execute(
                "SELECT tgname FROM pg_trigger WHERE NOT tgisinternal AND tgenabled <> 'D' "
                "AND tgrelid IN ('articles_revision'::regclass, 'articles_auditentry'::regclass, "
                "'articles_blob'::regclass)"
            )
        else:
            cursor.execute("SELECT name FROM sqlite_master WHERE type = 'trigger'")
        present = {name for (name,) in cursor.fetchall()}
    return [f"database guard {name} is missing or disabled" for name in sorted(expected - present)]


def check_hashes() -> tuple[int, list[str]]:
    """Every revision's text decoded from its deltas and checked against its content hash, and
    its parse decoded from its own."""
    revisions = (
        Revision.objects.select_related("story").defer("text_delta").order_by("story_id", "number")
    )
    checked, problems, walk = 0, [], Walk()
    for revision in revisions.iterator(chunk_size=100):
        checked += 1
        if revision.number == 1:
            walk = Walk()
        where = f"{revision.story.slug} revision {revision.number}"
        try:
            text = read_text_bytes(revision.story_id, revision.number, walk)
        except CorruptText as error:
            problems.append(f"{where}: {error}")
        else:
            if hashlib.sha256(text).hexdigest() != revision.content_hash:
                problems.append(f"{where}: its text does not match its content hash")
        try:
            read_blob(revision.parsed_blob_id, walk)
        except CorruptText as error:
            problems.append(f"{where}: its parse does not decode: {error}")
    return checked, problems


def check_parses(sample: int) -> tuple[int, list[str]]:
    """Re-parse revisions stored by the current parser: their structure must be what it makes."""
    current = list(
        Revision.objects.filter(parser_version=PARSER_VERSION).values_list("pk", flat=True)
    )
    if 0 < sample < len(current):
        current = random.sample(current, sample)
    revisions = Revision.objects.filter(pk__in=current).select_related("story")
    problems = []
    for revision in revisions.iterator(chunk_size=50):
        where = f"{revision.story.slug} revision {revision.number}"
        try:
            text, document = revision.raw_text, revision.document()
        except CorruptText:
            continue  # check_hashes reports it, text or parse
        try:
            differs = parse_article(text) != document
        except ParseError as error:
            problems.append(f"{where}: its text no longer parses: {error}")
            continue
        if differs:
            problems.append(f"{where}: its stored structure is not its text's")
    return len(current), problems


def check_live_numbers() -> list[str]:
    stories = Story.objects.annotate(
        expected=Max("revisions__number", filter=Q(revisions__retracted_at=None))
    )
    return [
        f"{story.slug}: live revision is {story.live_number}, expected {story.expected or 0}"
        for story in stories
        if story.live_number != (story.expected or 0)
    ]


def check_retractions_audited() -> list[str]:
    audited = AuditEntry.objects.filter(revision=OuterRef("pk"), action=AuditEntry.Action.RETRACTED)
    unaudited = (
        Revision.objects.exclude(retracted_at=None)
        .filter(~Exists(audited))
        .values_list("story__slug", "number")
    )
    return [
        f"{slug} revision {number}: retracted with no audit entry" for slug, number in unaudited
    ]
