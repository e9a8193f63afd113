import os
import sys
from datetime import datetime
from pathlib import Path

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError
from django.core.validators import slug_re
from django.db import DatabaseError, connection, transaction
from django.utils import timezone

from articles.core.document import Document, ParseError
from articles.core.matching import best_continuation, shingles
from articles.core.parsing import check_size, read_upload
from articles.models import PublishRefused, Revision, Story, UnchangedUpload, content_hash

PROGRESS_MIN_FILES = 10


class Command(BaseCommand):
    help = (
        "Append revisions from raw text or HTML files (or - for stdin). Each upload joins the "
        "story it clearly continues, or starts a new one."
    )

    def add_arguments(self, parser):
        parser.add_argument("paths", nargs="+", help="files, directories (in name order) or -")
        parser.add_argument("--story", help="append to this story (created if absent)")
        parser.add_argument("--as-of", help="the date the revisions stand for (ISO 8601)")
        parser.add_argument("--note", default="", help="change note for the revisions")

    def handle(
        self, *, paths: list[str], story: str | None, as_of: str | None, note: str, **options
    ):
        published_at = parse_as_of(as_of) if as_of else None
        longest = Story._meta.get_field("slug").max_length or 0
        if story is not None and not (slug_re.fullmatch(story) and len(story) <= longest):
            raise CommandError(
                f"--story: not a web address (up to {longest} letters, digits, - and _): {story!r}"
            )
        sources = list(expand(paths))
        self.story_shingles: dict[int, frozenset[int]] | None = None
        counts = {"ingested": 0, "unchanged": 0, "failed": 0}
        show_progress = self.stderr.isatty() and len(sources) >= PROGRESS_MIN_FILES
        for done, source in enumerate(sources, start=1):
            reconnect_if_lost()
            try:
                message = self.ingest_one(source, story, published_at, note)
                counts["ingested"] += 1
                self.stdout.write(f"{source}: {message}")
            except UnchangedUpload as refusal:
                counts["unchanged"] += 1
                self.stdout.write(f"{source}: {refusal}")
            except (ParseError, PublishRefused, OSError, DatabaseError) as error:
                counts["failed"] += 1
                self.stderr.write(f"error: {source}: {error_text(error)}")
            if show_progress:
                self.stderr.write(progress_bar(done, len(sources)), ending="\r")
        if show_progress:
            self.stderr.write("")
        summary = ", ".join(f"{n} {what}" for what, n in counts.items())
        self.stdout.write(summary)
        if counts["failed"]:
            raise CommandError(f"{counts['failed']} of {len(sources)} failed", returncode=1)

    def ingest_one(
        self, source: str, slug: str | None, published_at: datetime | None, note: str
    ) -> str:
        # Read and parsed before the transaction: no transaction waits on a slow file or pipe.
        text, document = read_upload(
            read_source(source), max_bytes=settings.NEWSROOM_MAX_UPLOAD_BYTES
        )
        with transaction.atomic():
            story, how = self.find_story(text, document, slug)
            revision = story.publish(text, document=document, published_at=published_at, note=note)
        self.remember(story.pk, document)
        return f"{how} {story.slug}, revision {revision.number}"

    def find_story(self, text: str, document: Document, slug: str | None) -> tuple[Story, str]:
        if slug:
            story = Story.objects.filter(slug=slug).first()
            if story:
                return story, "appended to"
            return Story.objects.create(slug=slug, headline=document.headline or slug), "new story"
        # A file ingested before goes back to its story, which refuses it as unchanged.
        stored = Revision.objects.filter(content_hash=content_hash(text)).select_related("story")
        if earlier := stored.first():
            return earlier.story, "already in"
        match = best_continuation(shingles(document), self.known_stories())
        if match:
            story_pk, score = match
            return Story.objects.get(pk=story_pk), f"continues ({score:.0%} shared)"
        story = Story.objects.create(
            slug=Story.unique_slug_for(document.headline or "untitled story"),
            headline=document.headline or "Untitled story",
        )
        return story, "new story"

    def known_stories(self) -> dict[int, frozenset[int]]:
        """Word-run fingerprints of each story's live revision, read once per run."""
        if self.story_shingles is None:
            self.story_shingles = {}
            for story in Story.objects.exclude(live_number=0):
                live = story.live_revision()
                if live is not None:
                    self.story_shingles[story.pk] = shingles(live.document())
        return self.story_shingles

    def remember(self, story_pk: int, document: Document) -> None:
        if self.story_shingles is not None:
            self.story_shingles[story_pk] = shingles(document)


def parse_as_of(value: str) -> datetime:
    try:
        moment = datetime.fromisoformat(value)
    except ValueError as error:
        raise CommandError(f"--as-of: not an ISO 8601 date: {value!r}") from error
    if timezone.is_naive(moment):
        moment = timezone.make_aware(moment)
    return moment


def expand(paths: list[str]):
    for name in paths:
        path = Path(name)
        if name != "-" and path.is_dir():
            yield from (
                str(child)
                for child in sorted(path.iterdir())
                if child.is_file() and not child.name.startswith(".")
            )
        else:
            yield name


def read_source(source: str) -> bytes:
    """The bytes of a file or stdin, refusing one over the size limit before reading it all."""
    limit = settings.NEWSROOM_MAX_UPLOAD_BYTES
    if source == "-":
        # A pipe has no size to ask for: one byte past the limit is enough to refuse it.
        return sys.stdin.buffer.read(limit + 1)
    with open(source, "rb") as handle:
        check_size(os.fstat(handle.fileno()).st_size, limit)
        return handle.read()


def reconnect_if_lost() -> None:
    """A connection the database dropped (a restart) is replaced before the next file; never
    inside a caller's transaction."""
    if not connection.in_atomic_block:
        connection.close_if_unusable_or_obsolete()


def error_text(error: Exception) -> str:
    if isinstance(error, DatabaseError):
        # The driver's message can run to several lines; the first says what happened. Whether
        # a commit cut short was stored is unknown: running ingest again skips files stored.
        reason = (str(error).strip().splitlines() or [type(error).__name__])[0]
        return f"database error: {reason}"
    if isinstance(error, OSError):
        return error.strerror or str(error)
    return str(error)


def progress_bar(done: int, total: int, width: int = 30) -> str:
    filled = width * done // total
    return f"[{'#' * filled}{'.' * (width - filled)}] {done}/{total}"
