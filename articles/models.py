"""Stories and their immutable, dated revisions."""

from __future__ import annotations

import hashlib
import math
from collections.abc import Iterator
from datetime import datetime, timedelta
from typing import Any

from django.conf import settings
from django.db import models, transaction
from django.utils import timezone
from django.utils.text import slugify

from articles import storage
from articles.core import deltas
from articles.core.document import Document
from articles.core.matching import needs_shrink_confirmation
from articles.core.parsing import PARSER_VERSION, parse_article


class PublishRefused(Exception):
    """A revision was not stored; the message says why in one line."""


class UnchangedUpload(PublishRefused):
    pass


class StaleBase(PublishRefused):
    """Someone published after the revision the upload was based on."""

    def __init__(self, base_number: int, live: Revision):
        self.base_number = base_number
        self.live = live
        super().__init__(
            f"revision {live.number} was published after revision {base_number}, "
            "which this upload was based on"
        )


class DateRefused(PublishRefused):
    """The date asked for is in the future or before the live revision's."""


# How far ahead of this machine's clock a given date may be and still not be "in the future":
# another machine's clock may run a little ahead (the desk's form refuses any future date).
CLOCK_AHEAD_TOLERANCE = timedelta(minutes=2)


class MinorChangeRefused(PublishRefused):
    """A revision marked minor changes a figure."""


class ShrinkRefused(PublishRefused):
    """The upload keeps less than half of the live revision's text (the wipe guard): it is
    published only when the caller says so, with publish(allow_shrink=True)."""

    def __init__(self, story: Story, removed: float):
        self.removed = removed
        super().__init__(f"removes {shown_share(removed)} of the live text of {story.slug}")


def shown_share(share: float) -> str:
    """ "87%" for 0.874: rounded down, so that a share is never shown as more than it is."""
    return f"{math.floor(share * 100)}%"


class ImmutableRevisionError(Exception):
    pass


class RetractRefused(Exception):
    """The revision was already retracted; the message says by whom."""


def content_hash(text: str) -> str:
    return hashlib.sha256(text.encode("utf-8")).hexdigest()


class StoryQuerySet(models.QuerySet):
    def recently_updated(self) -> StoryQuerySet:
        return self.order_by("-updated_at", "-pk")

    def live(self) -> StoryQuerySet:
        """Stories with a revision readers may see."""
        return self.exclude(live_number=0)

    def with_live_summary(self) -> StoryQuerySet:
        """Annotate each story with its live revision's change summary."""
        live = Revision.objects.filter(
            story=models.OuterRef("pk"), number=models.OuterRef("live_number")
        )
        return self.annotate(live_summary=models.Subquery(live.values("summary")[:1]))


class Story(models.Model):
    slug = models.SlugField(max_length=120, unique=True)
    # Denormalised from the live revision so listings and polls need one cheap query.
    headline = models.CharField(max_length=500)
    created_at = models.DateTimeField(default=timezone.now)
    updated_at = models.DateTimeField(default=timezone.now, db_index=True)
    live_number = models.PositiveIntegerField(default=0)
    # Kept by publish, retract and reparse so that reader pages need no count and no join: every
    # reader page's ETag comes from these (articles/state.py). Revisions are numbered 1..count.
    revision_count = models.PositiveIntegerField(default=0)
    # When anything readers see of the story last changed: a publish, a retraction, a reparse.
    changed_at = models.DateTimeField(default=timezone.now)
    # When a revision already published was last retracted or re-derived: what the pages of
    # old revisions (a comparison, a revision's permalink) depend on, beside the revision itself.
    amended_at = models.DateTimeField(default=timezone.now)

    objects = StoryQuerySet.as_manager()

    class Meta:
        verbose_name_plural = "stories"

    def __str__(self) -> str:
        return self.headline or self.slug

    def get_absolute_url(self) -> str:
        from django.urls import reverse

        return reverse("story", args=[self.slug])

    @classmethod
    def unique_slug_for(cls, headline: str) -> str:
        base = slugify(headline)[:80].strip("-") or "story"
        slug, n = base, 2
        while cls.objects.filter(slug=slug).exists():
            slug, n = f"{base}-{n}", n + 1
        return slug

    def live_revision(self) -> Revision | None:
        # Readers and the diff need the parsed structure, not the verbatim upload.
        return self.revisions.live().defer("text_delta").order_by("-number").first()

    def publish(
        self,
        text: str,
        *,
        published_at: datetime | None = None,
        note: str = "",
        kind: str = "update",
        user=None,
        base_number: int | None = None,
        document: Document | None = None,
        allow_shrink: bool = False,
    ) -> Revision:
        """Append a revision, one rule at a time; each refusal is a PublishRefused saying why.
        An upload that removes most of the live text needs allow_shrink (the wipe guard).

        Raises ParseError for text with no article in it.
        """
        # The parse depends on the text alone: made before the lock, so the lock is held only
        # for what depends on the story's other revisions.
        document = document or parse_article(text)
        text_hash = content_hash(text)
        with transaction.atomic():
            # Lock the story row: publishers and retractions take turns, each seeing every
            # revision stored before it.
            story = Story.objects.select_for_update().get(pk=self.pk)
            live = story.live_revision()
            _refuse_stale_base(base_number, live)
            story._refuse_unchanged(text_hash, document, live)
            if not allow_shrink:
                _refuse_shrink(story, live, document)
            published_at = _publication_date(published_at, live)
            last_number = story.revisions.aggregate(n=models.Max("number"))["n"] or 0
            revision = Revision(
                story=story,
                number=last_number + 1,
                content_hash=text_hash,
                headline=(document.headline or "")[:500],
                parser_version=PARSER_VERSION,
                published_at=published_at,
                change_note=note.strip(),
                kind=kind,
                uploaded_by=user,
                based_on=live.number if live else None,
            )
            revision.raw_text, revision.parsed = text, document.to_stored()
            revision.summarise(previous=live)
            _refuse_minor_hiding_a_figure(revision)
            revision.save()
            # Which revision first reported each sentence: derived with the revision, or not at all.
            from articles import provenance

            provenance.record(story, revision, document, live)
            story.show(revision, document)
            # The search index moves with the live revision, in this transaction.
            from articles.search import index_published

            previous = (live.number, live.document()) if live else None
            index_published(story, document, revision.number, previous)
            if user is not None:
                AuditEntry.objects.create(
                    story=story,
                    revision=revision,
                    action=AuditEntry.Action.PUBLISHED,
                    user=user,
                    base_number=base_number,
                    detail=revision.change_note,
                )
        self.refresh_from_db()
        return revision

    def _refuse_unchanged(self, text_hash: str, document: Document, live: Revision | None) -> None:
        """An upload identical to any revision of the story is a no-op: re-running `ingest` on
        files already ingested adds nothing. The live revision is also compared parsed, so an
        upload differing only in line endings or spacing is unchanged too."""
        earlier = (
            self.revisions.filter(content_hash=text_hash)
            .order_by("-number")
            .values_list("number", "retracted_at")
            .first()
        )
        if earlier is not None:
            number, retracted_at = earlier
            retracted = " (retracted)" if retracted_at else ""
            raise UnchangedUpload(f"unchanged: identical to revision {number}{retracted}")
        if live is not None and live.document() == document:
            raise UnchangedUpload(f"unchanged: identical to revision {live.number}")

    def show(
        self, live: Revision | None, document: Document | None = None, *, amended: bool = False
    ) -> None:
        """Point the listing fields at the live revision. With none left to show, the headline
        stays for the editor desk; readers get a 404 and the front page skips the story."""
        self.live_number = live.number if live else 0
        if live is not None:
            headline = (document or live.document()).headline
            self.headline = (headline or self.headline or self.slug)[:500]
            self.updated_at = live.published_at
        self.save_listing(amended=amended)

    def save_listing(self, *, amended: bool = False) -> None:
        """Save the listing fields with what every reader page's ETag comes from: the revision
        count and when what readers see changed; `amended` when a revision already published
        changed (retracted, re-derived, imported), which old revisions' pages depend on."""
        self.revision_count = self.revisions.aggregate(n=models.Max("number"))["n"] or 0
        self.changed_at = timezone.now()
        fields = ["headline", "updated_at", "live_number", "revision_count", "changed_at"]
        if amended:
            self.amended_at = self.changed_at
            fields.append("amended_at")
        self.save(update_fields=fields)

    @property
    def reader_headline(self) -> str:
        """The headline readers may see: none once every revision is retracted (the stored one
        is the retracted revision's, kept for the editor desk)."""
        return self.headline if self.live_number else "Withdrawn story"


def _refuse_stale_base(base_number: int | None, live: Revision | None) -> None:
    if base_number is not None and live is not None and live.number != base_number:
        raise StaleBase(base_number, live)


def _refuse_shrink(story: Story, live: Revision | None, document: Document) -> None:
    """The wipe guard: an upload that keeps less than half of the live revision's body text is
    more often a wrong paste than an update; it is published only when confirmed."""
    removed = needs_shrink_confirmation(live.document(), document) if live else None
    if removed is not None:
        raise ShrinkRefused(story, removed)


def _publication_date(published_at: datetime | None, live: Revision | None) -> datetime:
    """The date a new revision stands for, decided while holding the story lock.

    The clock is read only now: a publisher that waited for the lock must not carry a date from
    before the revision it waited for. A date given by the caller (the desk's "as of",
    `ingest --as-of`, the demo) must not be earlier than the live revision's, nor in the future
    (beyond CLOCK_AHEAD_TOLERANCE): a revision stands for what was known at its date.
    """
    now = timezone.now()
    if published_at is None:
        # The lock orders the clock reads of one machine; another machine's clock may lag a
        # little behind: a revision is never dated before the one it follows.
        return max(now, live.published_at) if live else now
    if published_at > now + CLOCK_AHEAD_TOLERANCE:
        raise DateRefused(f"the date {published_at.isoformat()} is in the future")
    if live is not None and published_at < live.published_at:
        raise DateRefused(
            f"the date {published_at.isoformat()} is earlier than revision "
            f"{live.number} ({live.published_at.isoformat()})"
        )
    return published_at


def _refuse_minor_hiding_a_figure(revision: Revision) -> None:
    # Readers may skim past minor changes; a changed figure must never hide there.
    if revision.kind == Revision.Kind.MINOR and revision.figures:
        raise MinorChangeRefused(
            f"a changed figure ({revision.figures[0]}) is not a minor change: "
            "publish it as an update or a correction"
        )


class RevisionQuerySet(models.QuerySet):
    def update(self, **kwargs):
        # raw_text is what text_delta stores: named either way, it is refused.
        immutable = {*Revision.IMMUTABLE_FIELDS, "raw_text"}
        refused = {name.removesuffix("_id") for name in kwargs} & immutable
        if refused:
            raise ImmutableRevisionError(f"revisions are immutable: {', '.join(sorted(refused))}")
        return super().update(**kwargs)

    def delete(self):
        raise ImmutableRevisionError("revisions are never deleted")

    def bulk_create(self, *args, **kwargs):
        # save() stores a revision's text as a delta against an earlier one: a bulk insert
        # would store rows with no text.
        raise TypeError("revisions are stored one at a time, by Revision.save()")

    def live(self) -> RevisionQuerySet:
        return self.filter(retracted_at=None)

    def without_minor(self) -> RevisionQuerySet:
        return self.exclude(significance=Revision.Significance.MINOR)

    def walk(self) -> Iterator[Revision]:
        """The revisions in story and number order with their texts and parses read: a story's
        history decoded one frame per revision, not one chain each (storage.Walk)."""
        walk, story_id = storage.Walk(), None
        for revision in self.order_by("story_id", "number").iterator(chunk_size=50):
            if revision.story_id != story_id:
                walk, story_id = storage.Walk(), revision.story_id
            revision._read(walk)
            yield revision


class Revision(models.Model):
    class Significance(models.TextChoices):
        # The rule is articles/core/diff/significance.py; the first report is substantive.
        SUBSTANTIVE = "substantive", "Substantive"
        MINOR = "minor", "Minor edit"

    class Kind(models.TextChoices):
        UPDATE = "update", "Update"
        CORRECTION = "correction", "Correction"
        MINOR = "minor", "Minor"

    # What was uploaded and when it stands for: never changes once saved.
    IMMUTABLE_FIELDS = (
        "story",
        "number",
        "text_delta",
        "content_hash",
        "published_at",
        "created_at",
        "change_note",
        "kind",
        "uploaded_by",
        "based_on",
    )

    story = models.ForeignKey(Story, on_delete=models.PROTECT, related_name="revisions")
    number = models.PositiveIntegerField()
    # The verbatim upload, as a zstd delta against an earlier revision's (articles/storage.py);
    # read it as `raw_text`, checked against content_hash on every read.
    text_delta = models.BinaryField()
    content_hash = models.CharField(max_length=64)
    published_at = models.DateTimeField(db_index=True)
    created_at = models.DateTimeField(default=timezone.now)
    change_note = models.CharField(max_length=500, blank=True)
    kind = models.CharField(max_length=12, choices=Kind.choices, default=Kind.UPDATE)
    uploaded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    based_on = models.PositiveIntegerField(null=True, blank=True)

    # What summarise() derives from this revision and the one readers saw before it.
    CHANGE_FIELDS = ("summary", "figures", "words_added", "words_removed", "significance")

    # Derived from raw_text by the parser and diff engine; `reparse` may re-derive them. The
    # database refuses a change of the parse that does not come with a newer parser_version.
    # Document.to_stored() as JSON in a Blob; read it as `parsed`.
    parsed_blob = models.ForeignKey("Blob", on_delete=models.PROTECT, related_name="+")
    # The parsed headline, for listings and feeds that must not load the whole document.
    headline = models.CharField(max_length=500, blank=True)
    parser_version = models.PositiveIntegerField()
    summary = models.CharField(max_length=1000, blank=True)
    figures = models.JSONField(default=list, blank=True)
    words_added = models.PositiveIntegerField(default=0)
    words_removed = models.PositiveIntegerField(default=0)
    # Computed, whatever kind the editor chose: a minor revision changed no fact.
    significance = models.CharField(max_length=12, choices=Significance.choices, blank=True)

    # Retraction hides a revision from readers; the row and its text stay.
    retracted_at = models.DateTimeField(null=True, blank=True)
    retracted_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    retraction_reason = models.CharField(max_length=500, blank=True)

    objects = RevisionQuerySet.as_manager()

    class Meta:
        ordering = ["story", "number"]
        constraints = [
            models.UniqueConstraint(fields=["story", "number"], name="unique_revision_number"),
        ]
        # An upload is looked up by its hash among all revisions: re-ingesting adds nothing.
        indexes = [models.Index(fields=["content_hash"], name="revision_content_hash")]

    def __str__(self) -> str:
        return f"{self.story.slug} #{self.number}"

    # What the revision holds once decoded (articles/storage.py), or what a new one will store.
    _raw_text: str | None = None
    _parsed: dict[str, Any] | None = None
    _parsed_stored = True

    def save(self, *args, **kwargs):
        # The database refuses these too (migration 0010); checked here first for a clear error.
        if self._state.adding:
            if self.content_hash != content_hash(self.raw_text):
                raise ImmutableRevisionError(
                    f"revision {self.number}: content_hash is not the SHA-256 of its text"
                )
            self.text_delta = storage.encode_text(self.story_id, self.number, self.raw_text)
            self._store_parsed()
        else:
            update_fields = kwargs.get("update_fields")
            if not self._parsed_stored and (
                update_fields is None or "parsed_blob" in update_fields
            ):
                self._store_parsed()
            written = kwargs.get("update_fields") or self.IMMUTABLE_FIELDS
            columns = [
                self._meta.get_field(name).attname
                for name in self.IMMUTABLE_FIELDS
                if name in written
            ]
            stored = columns and Revision.objects.filter(pk=self.pk).values(*columns).first()
            changed = [
                column for column, value in (stored or {}).items() if getattr(self, column) != value
            ]
            if changed:
                raise ImmutableRevisionError(
                    f"revision {self.number} is immutable; refused change to {', '.join(changed)}"
                )
        super().save(*args, **kwargs)

    def get_absolute_url(self) -> str:
        from django.urls import reverse

        return reverse("revision", args=[self.story.slug, self.number])

    def delete(self, *args, **kwargs):
        raise ImmutableRevisionError("revisions are never deleted")

    @property
    def raw_text(self) -> str:
        """The verbatim upload, byte for byte; a text that does not match content_hash is
        never returned (CorruptText)."""
        if self._raw_text is None:
            self._read_text()
        assert self._raw_text is not None
        return self._raw_text

    @raw_text.setter
    def raw_text(self, text: str) -> None:
        # Only a new revision takes a text: a stored one's parse is dressed in its own.
        if not self._state.adding:
            raise ImmutableRevisionError(
                f"revision {self.number} is immutable; refused change to raw_text"
            )
        self._raw_text = text

    def _read_text(self, walk: storage.Walk | None = None) -> None:
        data = storage.read_text_bytes(self.story_id, self.number, walk)
        if hashlib.sha256(data).hexdigest() != self.content_hash:
            raise storage.CorruptText(
                f"revision {self.number} of story {self.story_id}: "
                "its stored text does not match its content hash"
            )
        self._raw_text = data.decode()

    def _read(self, walk: storage.Walk) -> None:
        """Decode the text and the parse along a Walk of the story (RevisionQuerySet.walk)."""
        self._read_text(walk)
        self._parsed = storage.read_parsed(self.parsed_blob_id, self.raw_text, walk)

    @property
    def parsed(self) -> dict[str, Any]:
        """Document.to_stored() of this revision."""
        if self._parsed is None:
            self._parsed = storage.read_parsed(self.parsed_blob_id, self.raw_text)
        return self._parsed

    @parsed.setter
    def parsed(self, stored: dict[str, Any]) -> None:
        # Stored by save(): on a new revision, or with update_fields naming parsed_blob.
        self._parsed, self._parsed_stored = stored, False

    def _store_parsed(self) -> None:
        base_number = deltas.delta_base(self.number)
        base = (
            Revision._base_manager.filter(story_id=self.story_id, number=base_number)
            .values_list("parsed_blob_id", flat=True)
            .first()
            if base_number is not None
            else None
        )
        self.parsed_blob = storage.store_parsed(self.parsed, self.raw_text, base)
        self._parsed_stored = True

    # Loading any of these again may change what raw_text and parsed decode to.
    _DECODED_FROM = frozenset(
        {
            "story",
            "story_id",
            "number",
            "text_delta",
            "content_hash",
            "parsed_blob",
            "parsed_blob_id",
        }
    )

    def refresh_from_db(self, using=None, fields=None, from_queryset=None) -> None:
        # Django also calls this to load one deferred field: only a reload of what the decoded
        # text and parse come from forgets them (and a parse set but not saved).
        if fields is None or self._DECODED_FROM.intersection(fields):
            self._raw_text, self._parsed, self._parsed_stored = None, None, True
        super().refresh_from_db(using=using, fields=fields, from_queryset=from_queryset)

    def what_happened(self, *, first_report: bool) -> str:
        """This revision in a few words, for feeds and structured data: the editor's change
        note, else the first part of the summary."""
        if first_report:
            return "First report"
        what = self.change_note or self.summary.split(" · ")[0] or "Update"
        return f"Correction: {what}" if self.kind == self.Kind.CORRECTION else what

    def document(self) -> Document:
        return Document.from_stored(self.parsed)

    @property
    def is_retracted(self) -> bool:
        return self.retracted_at is not None

    def retract(self, user, reason: str) -> None:
        """Hide this revision from readers (the row and its text stay) and re-point the story."""
        with transaction.atomic():
            # The same lock as publish: a retraction and a publish never interleave.
            story = Story.objects.select_for_update().get(pk=self.story_id)
            current = Revision.objects.get(pk=self.pk)
            if current.is_retracted:
                raise RetractRefused(f"revision {self.number} is already retracted")
            self.retracted_at = timezone.now()
            self.retracted_by = user
            self.retraction_reason = reason.strip()[:500]
            self.save(update_fields=["retracted_at", "retracted_by", "retraction_reason"])
            # A published revision changed: its comparisons and permalink get new ETags too.
            story.show(story.live_revision(), amended=True)
            # Its text leaves the search index, live and removed alike, in this transaction.
            from articles.search import rebuild

            rebuild(story)
            following = (
                story.revisions.live()
                .filter(number__gt=self.number)
                .defer("text_delta")
                .order_by("number")
                .first()
            )
            if following is not None:
                # Its change summary and figures were made against this revision; readers now
                # come to it from the one before, so they are made again against that one.
                following.summarise(previous=following.previous_live())
                following.save(update_fields=Revision.CHANGE_FIELDS)
            AuditEntry.objects.create(
                story=story,
                revision=self,
                action=AuditEntry.Action.RETRACTED,
                user=user,
                detail=self.retraction_reason,
            )
        self.story.refresh_from_db()

    def previous_live(self) -> Revision | None:
        """The revision readers saw before this one: the latest earlier one not retracted."""
        earlier = Revision.objects.live().filter(story_id=self.story_id, number__lt=self.number)
        return earlier.defer("text_delta").order_by("-number").first()

    def significance_against(self, previous: Revision | None) -> str:
        from articles.core.diff import diff_documents
        from articles.core.diff.significance import significance

        if previous is None:
            return self.Significance.SUBSTANTIVE
        return significance(diff_documents(previous.document(), self.document()))

    def summarise(self, previous: Revision | None) -> None:
        """Fill the change fields against the revision readers saw before this one
        (previous_live(); at publish, the live revision)."""
        if previous is None:
            self.summary, self.figures = "First version", []
            self.words_added, self.words_removed = self.document().word_count(), 0
            self.significance = self.Significance.SUBSTANTIVE
            return
        from articles.core.diff import diff_documents
        from articles.core.diff.significance import significance

        diff = diff_documents(previous.document(), self.document())
        self.summary = diff.summary.line[:1000]
        self.figures = [str(figure) for figure in diff.figures]
        self.words_added, self.words_removed = diff.summary.words_added, diff.summary.words_removed
        self.significance = significance(diff)


class AuditEntry(models.Model):
    """Who published or retracted what, and when: written in the same transaction as the change."""

    class Action(models.TextChoices):
        PUBLISHED = "published", "Published"
        RETRACTED = "retracted", "Retracted"

    story = models.ForeignKey(Story, on_delete=models.PROTECT, related_name="audit_entries")
    revision = models.ForeignKey(Revision, on_delete=models.PROTECT, related_name="audit_entries")
    action = models.CharField(max_length=12, choices=Action.choices)
    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    at = models.DateTimeField(default=timezone.now, db_index=True)
    # The live revision the editor saw when they published (None when not given).
    base_number = models.PositiveIntegerField(null=True, blank=True)
    detail = models.CharField(max_length=500, blank=True)

    class Meta:
        ordering = ["-at", "-pk"]
        verbose_name_plural = "audit entries"

    def __str__(self) -> str:
        return f"{self.user} {self.action} {self.revision}"


class SearchText(models.Model):
    """A story's live text as search indexes it (articles/search.py keeps it, in the same
    transaction as the publish or retraction that changes it). PostgreSQL adds a stored,
    GIN-indexed tsvector column; SQLite an FTS5 table kept by triggers (migration 0008)."""

    story = models.OneToOneField(Story, on_delete=models.CASCADE, related_name="search_text")
    headline = models.TextField()
    dek = models.TextField(blank=True)
    body = models.TextField()

    def __str__(self) -> str:
        return self.headline


class RemovedPassage(models.Model):
    """A headline, dek or block that an earlier live revision had and the live one has not:
    the last revision with it and the revision that removed it (articles/core/search.py)."""

    story = models.ForeignKey(Story, on_delete=models.CASCADE, related_name="removed_passages")
    key = models.CharField(max_length=64)
    text = models.TextField()
    last_seen = models.PositiveIntegerField()
    removed_in = models.PositiveIntegerField()

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["story", "key"], name="unique_removed_passage"),
        ]

    def __str__(self) -> str:
        return f"{self.text[:60]} (removed in {self.removed_in})"


class Provenance(models.Model):
    """Derived at publish, in the same transaction, from the revision and the story's history
    (articles/provenance.py): which lineage each sentence of the revision is, and, on the
    story's newest revision only, the provenance State after it, which the next publish starts
    from. Not part of the revision (revisions are immutable): `manage.py provenance` and
    `reparse` rebuild it."""

    revision = models.OneToOneField(
        Revision, on_delete=models.PROTECT, primary_key=True, related_name="provenance"
    )
    version = models.PositiveIntegerField()  # PROVENANCE_VERSION it was made by
    # Placement.to_stored() as JSON, a zstd delta against the Placement of revision
    # delta_base(number) (articles/storage.py).
    placement = models.BinaryField()
    # State.to_stored() as zstd-compressed JSON, on the newest revision only.
    state = models.BinaryField(null=True, blank=True)

    def __str__(self) -> str:
        return f"provenance of {self.revision_id}"


class Blob(models.Model):
    """A revision's parsed document: a zstd frame, alone or a delta against its base's
    (articles/storage.py). The database refuses any change to a stored Blob; one no longer
    referenced, by a revision or as a base, may be deleted."""

    base = models.ForeignKey(
        "self", null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    data = models.BinaryField()

    def __str__(self) -> str:
        return f"blob {self.pk}"
