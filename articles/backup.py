"""Export and import: every story, revision and audit entry as JSON lines, exactly.

A file is a header line, then per story one "story" line, its "revision" lines (in number
order) and its "audit" lines. Revisions carry their verbatim text, content hash and derived
fields; every timestamp is ISO 8601 in UTC with its microseconds; users are named by username.
`dumpdata` would cut timestamps to milliseconds: an import of this format reproduces every
content hash and timestamp exactly.

Import checks the whole file before writing anything (every text against its content hash,
every record's shape), then writes it in one transaction. It is idempotent: a revision
already stored (same story, number, hash and date) is skipped, a different one refuses the
file.
"""

from __future__ import annotations

import json
from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field
from datetime import UTC, datetime
from typing import Any

from django.contrib.auth import get_user_model
from django.db import transaction

from articles import provenance, search
from articles.models import AuditEntry, Revision, Story, content_hash

FORMAT = "newsroom-export"
VERSION = 1

STORY_KEYS = ("slug", "headline", "created_at", "updated_at", "live_number")
# "story" first: a revision line names its story by slug.
REVISION_KEYS = (
    # The verbatim text by its name, raw_text: stored as a delta (text_delta), exported whole.
    *(name if name != "text_delta" else "raw_text" for name in Revision.IMMUTABLE_FIELDS),
    "parsed",
    "parser_version",
    *Revision.CHANGE_FIELDS,
    "retracted_at",
    "retracted_by",
    "retraction_reason",
)
# Keys that exports made before they existed lack: computed on import instead.
LATER_KEYS = {"significance"}
AUDIT_KEYS = ("story", "revision", "action", "user", "at", "base_number", "detail")
RECORD_KEYS = {"story": STORY_KEYS, "revision": REVISION_KEYS, "audit": AUDIT_KEYS}
TIME_KEYS = {"created_at", "updated_at", "published_at", "retracted_at", "at"}
USER_KEYS = {"uploaded_by", "retracted_by", "user"}


class ImportRefused(Exception):
    """The file was not imported; the message says where and why. Nothing was written."""


# --- Export ------------------------------------------------------------------------------------


def export_lines(slugs: Iterable[str] = ()) -> Iterator[str]:
    """The export of the given stories (all if none), one JSON document per line."""
    yield _dumps({"format": FORMAT, "version": VERSION})
    stories = Story.objects.order_by("pk")
    if slugs := list(slugs):
        stories = stories.filter(slug__in=slugs)
    for story in stories.iterator():
        yield _dumps({"type": "story", **_fields(story, STORY_KEYS)})
        revisions = story.revisions.select_related("uploaded_by", "retracted_by")
        for revision in revisions.walk():
            record = _fields(revision, REVISION_KEYS[1:])
            yield _dumps({"type": "revision", "story": story.slug, **record})
        entries = story.audit_entries.order_by("at", "pk").select_related("user", "revision")
        for entry in entries.iterator():
            record = _fields(entry, AUDIT_KEYS[2:])
            record = {"story": story.slug, "revision": entry.revision.number, **record}
            yield _dumps({"type": "audit", **record})


def _fields(instance: Any, keys: Iterable[str]) -> dict[str, Any]:
    record = {}
    for key in keys:
        value = getattr(instance, key)
        if key in TIME_KEYS and value is not None:
            value = value.astimezone(UTC).isoformat()
        elif key in USER_KEYS and value is not None:
            value = value.get_username()
        record[key] = value
    return record


def _dumps(record: dict[str, Any]) -> str:
    # ASCII only, so the file is exact whatever encoding the pipe has; keys sorted, so that one
    # database exports what another does (PostgreSQL keeps JSON keys in its own order).
    return json.dumps(record, ensure_ascii=True, separators=(",", ":"), sort_keys=True)


# --- Import ------------------------------------------------------------------------------------


@dataclass
class ImportCounts:
    stories: int = 0
    revisions: int = 0
    audit_entries: int = 0
    present: int = 0
    users: list[str] = field(default_factory=list)

    def line(self) -> str:
        line = (
            f"imported {self.stories} stories, {self.revisions} revisions and "
            f"{self.audit_entries} audit entries; {self.present} revisions already present"
        )
        if self.users:
            line += f"; users created without a password: {', '.join(self.users)}"
        return line


def check_export(lines: Iterable[str]) -> int:
    """Check a whole file before anything is written; the number of records, or ImportRefused."""
    count = 0
    for _ in _records(lines):
        count += 1
    return count


def import_export(lines: Iterable[str]) -> ImportCounts:
    """Import a file that check_export accepted, in one transaction."""
    counts = ImportCounts()
    users: dict[str, Any] = {}
    story: Story | None = None
    story_record: dict[str, Any] = {}
    moved = False  # whether the story being read gained revisions or retractions
    with transaction.atomic():
        for line, record in _records(lines):
            kind = record.pop("type")
            if kind == "story":
                if story is not None and moved:
                    _point_story(story, story_record)
                story, moved = _story(record)
                story_record = record
                counts.stories += moved
                continue
            assert story is not None  # _records refuses a record outside its story
            if kind == "revision":
                moved |= _revision(story, record, users, counts, line)
            else:
                counts.audit_entries += _audit(story, record, users, counts, line)
        if story is not None and moved:
            _point_story(story, story_record)
    return counts


def _records(lines: Iterable[str]) -> Iterator[tuple[int, dict[str, Any]]]:
    """Each record of a file with its line number, checked and with its values converted."""
    lines = iter(lines)
    header = _parse(next(lines, ""), 1)
    if header.get("format") != FORMAT or header.get("version") != VERSION:
        raise ImportRefused(f"line 1: not a {FORMAT} file of version {VERSION}")
    story_slug, last_number = None, 0
    for number, line in enumerate(lines, start=2):
        if not line.strip():
            continue
        record = _parse(line, number)
        kind = str(record.get("type"))
        keys = RECORD_KEYS.get(kind)
        if keys is None:
            raise ImportRefused(f"line {number}: unknown record type {kind!r}")
        missing = [key for key in keys if key not in record and key not in LATER_KEYS]
        if missing:
            raise ImportRefused(f"line {number}: {kind} lacks {', '.join(missing)}")
        if kind == "story":
            story_slug, last_number = record["slug"], 0
        elif record["story"] != story_slug:
            raise ImportRefused(f"line {number}: {kind} of {record['story']!r} outside its story")
        if kind == "revision":
            # Each revision is stored as a delta against an earlier one: none may be missing.
            if record["number"] != last_number + 1:
                raise ImportRefused(
                    f"line {number}: revision {record['number']} of {story_slug} does not "
                    f"follow revision {last_number}: a story's revisions come 1, 2, 3… in order"
                )
            last_number = record["number"]
        if kind == "revision" and content_hash(record["raw_text"]) != record["content_hash"]:
            raise ImportRefused(
                f"line {number}: revision {record['number']} of {story_slug}: its text does not "
                "match its content hash (the file was altered or damaged); nothing imported"
            )
        for key in TIME_KEYS.intersection(record):
            record[key] = _time(record[key], number)
        yield number, record


def _parse(line: str, number: int) -> dict[str, Any]:
    try:
        record = json.loads(line)
    except ValueError as error:
        raise ImportRefused(f"line {number}: not JSON ({error})") from None
    if not isinstance(record, dict):
        raise ImportRefused(f"line {number}: not a JSON object")
    return record


def _time(value: str | None, number: int) -> datetime | None:
    if value is None:
        return None
    try:
        moment = datetime.fromisoformat(value)
    except (TypeError, ValueError):
        raise ImportRefused(f"line {number}: not an ISO 8601 time: {value!r}") from None
    if moment.tzinfo is None:
        raise ImportRefused(f"line {number}: a time without its UTC offset: {value!r}")
    return moment


def _story(record: dict[str, Any]) -> tuple[Story, bool]:
    story = Story.objects.filter(slug=record["slug"]).first()
    if story is not None:
        return story, False
    fields = {key: record[key] for key in STORY_KEYS}
    # live_number follows the revisions as they are stored (see _point_story).
    return Story.objects.create(**{**fields, "live_number": 0}), True


def _revision(
    story: Story, record: dict[str, Any], users: dict[str, Any], counts: ImportCounts, line: int
) -> bool:
    """Store one revision unless it is there already; True if the story's live state moved."""
    stored = story.revisions.filter(number=record["number"]).first()
    if stored is not None:
        if (stored.content_hash, stored.published_at) != (
            record["content_hash"],
            record["published_at"],
        ):
            raise ImportRefused(
                f"line {line}: revision {record['number']} of {story.slug} differs from the one "
                "stored here; nothing imported"
            )
        counts.present += 1
        if record["retracted_at"] is None or stored.is_retracted:
            return False
        # Retracted since the copy here was made: a retraction is set once, as retract() does.
        stored.retracted_at = record["retracted_at"]
        stored.retracted_by = _user(record["retracted_by"], users, counts)
        stored.retraction_reason = record["retraction_reason"]
        stored.save(update_fields=["retracted_at", "retracted_by", "retraction_reason"])
        return True
    values = {key: record[key] for key in REVISION_KEYS[1:] if key in record}
    values["uploaded_by"] = _user(record["uploaded_by"], users, counts)
    values["retracted_by"] = _user(record["retracted_by"], users, counts)
    revision = Revision(story=story, **values)
    if "significance" not in record:
        revision.significance = revision.significance_against(revision.previous_live())
    revision.save()
    counts.revisions += 1
    return True


def _audit(
    story: Story, record: dict[str, Any], users: dict[str, Any], counts: ImportCounts, line: int
) -> int:
    revision = story.revisions.filter(number=record["revision"]).first()
    if revision is None:
        raise ImportRefused(f"line {line}: audit entry for a revision not in the file")
    user = _user(record["user"], users, counts)
    values = {key: record[key] for key in AUDIT_KEYS[2:]}
    values["user"] = user
    _, created = AuditEntry.objects.get_or_create(
        story=story,
        revision=revision,
        action=values.pop("action"),
        user=user,
        at=values.pop("at"),
        defaults=values,
    )
    return int(created)


def _user(username: str | None, users: dict[str, Any], counts: ImportCounts) -> Any:
    """The user of that name; made inactive and without a password if absent (createeditor
    gives one a password)."""
    if username is None:
        return None
    if username not in users:
        User = get_user_model()
        user = User.objects.filter(**{User.USERNAME_FIELD: username}).first()
        if user is None:
            user = User(**{User.USERNAME_FIELD: username}, is_active=False)
            user.set_unusable_password()
            user.save()
            counts.users.append(username)
        users[username] = user
    return users[username]


def _point_story(story: Story, record: dict[str, Any]) -> None:
    """The story's listing fields after an import: the file's, when its live revision is the
    one live here; else made from the live revision, as publish and retract make them. Its
    provenance is made again from every revision, the imported ones among them."""
    provenance.rebuild(story)
    live = story.live_revision()
    if live is not None and live.number == record["live_number"]:
        story.headline = record["headline"]
        story.updated_at = record["updated_at"]
        story.live_number = live.number
        story.save_listing(amended=True)
    else:
        story.show(live, amended=True)
    search.rebuild(story)
