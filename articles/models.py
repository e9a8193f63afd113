"""Stories and their immutable, dated revisions."""

from __future__ import annotations

import hashlib
from datetime import datetime

from django.conf import settings
from django.db import models, transaction
from django.utils import timezone
from django.utils.text import slugify

from articles.core.document import Document
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
        return self.revisions.live().defer("raw_text").order_by("-number").first()

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
    ) -> Revision:
        """Append a revision. Refuses unchanged content and, given base_number, a stale base.

        Raises ParseError for text with no article in it, PublishRefused for the rest.
        """
        document = document or parse_article(text)
        published_at = published_at or timezone.now()
        with transaction.atomic():
            # Lock the story row so two publishers get consecutive numbers, one at a time.
            story = Story.objects.select_for_update().get(pk=self.pk)
            live = story.live_revision()
            if base_number is not None and live is not None and live.number != base_number:
                raise StaleBase(base_number, live)
            if live is not None:
                if live.content_hash == content_hash(text) or live.document() == document:
                    raise UnchangedUpload(f"unchanged: identical to revision {live.number}")
                if published_at < live.published_at:
                    raise PublishRefused(
                        f"the date {published_at.isoformat()} is earlier than revision "
                        f"{live.number} ({live.published_at.isoformat()})"
                    )
            last_number = story.revisions.aggregate(n=models.Max("number"))["n"] or 0
            revision = Revision(
                story=story,
                number=last_number + 1,
                raw_text=text,
                content_hash=content_hash(text),
                parsed=document.to_stored(),
                headline=(document.headline or "")[:500],
                parser_version=PARSER_VERSION,
                published_at=published_at,
                change_note=note.strip(),
                kind=kind,
                uploaded_by=user,
                based_on=live.number if live else None,
            )
            revision.summarise(previous=live)
            revision.save()
            story.headline = (document.headline or story.headline or story.slug)[:500]
            story.updated_at = published_at
            story.live_number = story.revision_count = revision.number
            story.changed_at = timezone.now()
            story.save(
                update_fields=[
                    "headline",
                    "updated_at",
                    "live_number",
                    "revision_count",
                    "changed_at",
                ]
            )
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


class RevisionQuerySet(models.QuerySet):
    def update(self, **kwargs):
        refused = {name.removesuffix("_id") for name in kwargs} & set(Revision.IMMUTABLE_FIELDS)
        if refused:
            raise ImmutableRevisionError(f"revisions are immutable: {', '.join(sorted(refused))}")
        return super().update(**kwargs)

    def delete(self):
        raise ImmutableRevisionError("revisions are never deleted")

    def live(self) -> RevisionQuerySet:
        return self.filter(retracted_at=None)


class Revision(models.Model):
    class Kind(models.TextChoices):
        UPDATE = "update", "Update"
        CORRECTION = "correction", "Correction"
        MINOR = "minor", "Minor"

    # What was uploaded and when it stands for: never changes once saved.
    IMMUTABLE_FIELDS = (
        "story",
        "number",
        "raw_text",
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
    raw_text = models.TextField()
    content_hash = models.CharField(max_length=64)
    published_at = models.DateTimeField(db_index=True)
    created_at = models.DateTimeField(default=timezone.now)
    change_note = models.CharField(max_length=500, blank=True)
    kind = models.CharField(max_length=12, choices=Kind.choices, default=Kind.UPDATE)
    uploaded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    based_on = models.PositiveIntegerField(null=True, blank=True)

    # Derived from raw_text by the parser and diff engine; `reparse` may re-derive them.
    parsed = models.JSONField()  # Document.to_stored()
    # The parsed headline, for listings and feeds that must not load the whole document.
    headline = models.CharField(max_length=500, blank=True)
    parser_version = models.PositiveIntegerField()
    summary = models.CharField(max_length=1000, blank=True)
    figures = models.JSONField(default=list, blank=True)
    words_added = models.PositiveIntegerField(default=0)
    words_removed = models.PositiveIntegerField(default=0)

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

    def __str__(self) -> str:
        return f"{self.story.slug} #{self.number}"

    def save(self, *args, **kwargs):
        if not self._state.adding:
            columns = [self._meta.get_field(name).attname for name in self.IMMUTABLE_FIELDS]
            stored = Revision.objects.filter(pk=self.pk).values(*columns).first() or {}
            changed = [column for column, value in stored.items() if getattr(self, column) != value]
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
            live = story.live_revision()
            # With nothing left to show the story has no live revision; its headline stays for
            # editors, and readers get a 404 (the front page already skips live_number=0).
            story.live_number = live.number if live else 0
            if live is not None:
                story.headline = (live.document().headline or story.headline)[:500]
                story.updated_at = live.published_at
            story.changed_at = story.amended_at = timezone.now()
            story.save(
                update_fields=["headline", "updated_at", "live_number", "changed_at", "amended_at"]
            )
            AuditEntry.objects.create(
                story=story,
                revision=self,
                action=AuditEntry.Action.RETRACTED,
                user=user,
                detail=self.retraction_reason,
            )
        self.story.refresh_from_db()

    def summarise(self, previous: Revision | None) -> None:
        """Fill the derived change fields against the revision this one follows."""
        if previous is None:
            self.summary, self.figures = "First version", []
            self.words_added, self.words_removed = self.document().word_count(), 0
            return
        from articles.core.diffing import diff_documents

        diff = diff_documents(previous.document(), self.document())
        self.summary = diff.summary.line[:1000]
        self.figures = [str(figure) for figure in diff.figures]
        self.words_added, self.words_removed = diff.summary.words_added, diff.summary.words_removed


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
