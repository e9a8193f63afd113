"""Revisions' texts as zstd deltas (articles/core/deltas.py, articles/storage.py), and back.

Forward, story by story in number order, in batches: each verbatim text becomes its row's
`text_delta`, each parsed document a Blob (its skeleton), each provenance Placement a delta and the State a
compressed frame. Backward, the same walk decodes them into the columns they came from. The
immutability guards of migration 0005 name the old columns: they are dropped first and the
guards of the new layout installed last (and the other way round backward).
"""

import hashlib
import json
from importlib import import_module

import django.db.models.deletion
from django.db import migrations, models

from articles.core import deltas, skeleton

old_guards = import_module("articles.migrations.0005_immutability_in_the_database")

BATCH = 50


def to_json(value) -> bytes:
    return json.dumps(value, ensure_ascii=False, separators=(",", ":")).encode()


class Chain:
    """The decoded texts later revisions of one story may be deltas against."""

    def __init__(self) -> None:
        self.texts: dict[int, bytes] = {}

    def base(self, number: int) -> bytes | None:
        base_number = deltas.delta_base(number)
        return None if base_number is None else self.texts[base_number]

    def keep(self, number: int, text: bytes) -> None:
        self.texts = {n: self.texts[n] for n in deltas.chain(number)[:-1]}
        self.texts[number] = text


class StoredTextRefused(Exception):
    """A stored revision cannot be moved as it is: the migration stops, nothing is changed."""


def _checked(revision, text: bytes) -> bytes:
    if hashlib.sha256(text).hexdigest() != revision.content_hash:
        raise StoredTextRefused(
            f"story {revision.story_id}, revision {revision.number}: its text does not match "
            "its content hash (run `manage.py verify`)"
        )
    return text


def _stories(Revision):
    return Revision.objects.order_by().values_list("story_id", flat=True).distinct()


def texts_to_deltas(apps, schema_editor):
    Revision = apps.get_model("articles", "Revision")
    Blob = apps.get_model("articles", "Blob")
    for story_id in list(_stories(Revision)):
        texts, documents, blob_ids, batch = Chain(), Chain(), {}, []
        revisions = Revision.objects.filter(story_id=story_id).order_by("number")
        for expected, revision in enumerate(revisions.iterator(chunk_size=BATCH), start=1):
            number = revision.number
            if number != expected:
                raise StoredTextRefused(
                    f"story {story_id}: revision {expected} is missing (the next is {number}); "
                    "every revision is stored as a delta against an earlier one"
                )
            text = _checked(revision, revision.raw_text.encode())
            parsed = to_json(skeleton.strip(revision.parsed, revision.raw_text))
            revision.text_delta = deltas.encode(text, texts.base(number))
            base_number = deltas.delta_base(number)
            revision.parsed_blob = Blob.objects.create(
                base_id=None if base_number is None else blob_ids[base_number],
                data=deltas.encode(parsed, documents.base(number)),
            )
            texts.keep(number, text)
            documents.keep(number, parsed)
            blob_ids[number] = revision.parsed_blob_id
            batch.append(revision)
            if len(batch) == BATCH:
                Revision.objects.bulk_update(batch, ["text_delta", "parsed_blob"])
                batch = []
        Revision.objects.bulk_update(batch, ["text_delta", "parsed_blob"])


def deltas_to_texts(apps, schema_editor):
    Revision = apps.get_model("articles", "Revision")
    Blob = apps.get_model("articles", "Blob")
    for story_id in list(_stories(Revision)):
        texts, skeletons, batch = Chain(), {}, []
        revisions = Revision.objects.filter(story_id=story_id).order_by("number")
        for revision in revisions.iterator(chunk_size=BATCH):
            text = deltas.decode(bytes(revision.text_delta), texts.base(revision.number))
            texts.keep(revision.number, _checked(revision, text))
            revision.raw_text = text.decode()
            parsed = json.loads(_blob_text(Blob, revision.parsed_blob_id, skeletons))
            revision.parsed = skeleton.dress(parsed, revision.raw_text)
            batch.append(revision)
            if len(batch) == BATCH:
                Revision.objects.bulk_update(batch, ["raw_text", "parsed"])
                batch = []
        Revision.objects.bulk_update(batch, ["raw_text", "parsed"])


def _blob_text(Blob, blob_id, decoded: dict) -> bytes:
    """The skeleton Blob `blob_id` holds; `decoded` keeps what it decoded (a story's chains
    share their first Blobs), emptied past BATCH x 2 entries."""
    blobs, base_id = [], blob_id
    while base_id is not None and base_id not in decoded:
        blob = Blob.objects.get(pk=base_id)
        blobs.append(blob)
        base_id = blob.base_id
    text = decoded[base_id] if base_id is not None else None
    if len(decoded) > 2 * BATCH:
        decoded.clear()
    for blob in reversed(blobs):
        text = deltas.decode(bytes(blob.data), text)
        decoded[blob.pk] = text
    return text


def _provenance_rows(Provenance, fields: list[str]):
    """Each provenance row in story and number order, with the Chain of its story's
    placements; the rows are saved (`fields`) in batches once the loop has changed them."""
    rows = Provenance.objects.select_related("revision").order_by(
        "revision__story_id", "revision__number"
    )
    story_id, placements, batch = None, Chain(), []
    for row in rows.iterator(chunk_size=BATCH):
        if row.revision.story_id != story_id:
            story_id, placements = row.revision.story_id, Chain()
        yield row, placements
        batch.append(row)
        if len(batch) == BATCH:
            Provenance.objects.bulk_update(batch, fields)
            batch = []
    Provenance.objects.bulk_update(batch, fields)


def placements_to_deltas(apps, schema_editor):
    Provenance = apps.get_model("articles", "Provenance")
    for row, placements in _provenance_rows(Provenance, ["placement_frame", "state_frame"]):
        number, placement = row.revision.number, to_json(row.placement)
        row.placement_frame = deltas.encode(placement, placements.base(number))
        row.state_frame = None if row.state is None else deltas.compress(to_json(row.state))
        placements.keep(number, placement)


def deltas_to_placements(apps, schema_editor):
    Provenance = apps.get_model("articles", "Provenance")
    for row, placements in _provenance_rows(Provenance, ["placement", "state"]):
        number = row.revision.number
        placement = deltas.decode(bytes(row.placement_frame), placements.base(number))
        placements.keep(number, placement)
        row.placement = json.loads(placement)
        state = row.state_frame
        row.state = None if state is None else json.loads(deltas.decompress(bytes(state)))


# --- The guards of the new layout: 0005's rules, on the columns that now hold them -------------

IMMUTABLE_COLUMNS = tuple(
    "text_delta" if column == "raw_text" else column for column in old_guards.IMMUTABLE_COLUMNS
)
BLOB_IMMUTABLE = "a stored blob never changes"
_changed = old_guards._changed
RETRACTION_COLUMNS = old_guards.RETRACTION_COLUMNS


def _postgresql_install() -> list[str]:
    revision_function = old_guards.POSTGRESQL_INSTALL[0]
    revision_function = revision_function.replace(
        _changed(old_guards.IMMUTABLE_COLUMNS, "IS DISTINCT FROM"),
        _changed(IMMUTABLE_COLUMNS, "IS DISTINCT FROM"),
    ).replace("NEW.parsed IS DISTINCT FROM OLD.parsed", "NEW.parsed_blob_id <> OLD.parsed_blob_id")
    return [
        revision_function,
        *old_guards.POSTGRESQL_INSTALL[1:],
        f"""
        CREATE FUNCTION articles_blob_guard() RETURNS trigger LANGUAGE plpgsql AS $$
        BEGIN
            RAISE EXCEPTION '{BLOB_IMMUTABLE}' USING ERRCODE = 'restrict_violation';
        END
        $$
        """,
        """
        CREATE TRIGGER articles_blob_guard BEFORE UPDATE ON articles_blob
        FOR EACH ROW EXECUTE FUNCTION articles_blob_guard()
        """,
    ]


POSTGRESQL_UNINSTALL = [
    *old_guards.POSTGRESQL_UNINSTALL,
    "DROP TRIGGER IF EXISTS articles_blob_guard ON articles_blob",
    "DROP FUNCTION IF EXISTS articles_blob_guard()",
]

SQLITE_TRIGGERS = {
    **old_guards.SQLITE_TRIGGERS,
    "articles_revision_immutable": (
        "UPDATE",
        "articles_revision",
        old_guards.REVISION_IMMUTABLE,
        _changed(IMMUTABLE_COLUMNS, "IS NOT"),
    ),
    "articles_revision_parse_versioned": (
        "UPDATE",
        "articles_revision",
        old_guards.PARSE_VERSIONED,
        "NEW.parser_version < OLD.parser_version OR "
        "(NEW.parser_version = OLD.parser_version AND NEW.parsed_blob_id IS NOT OLD.parsed_blob_id)",
    ),
    "articles_blob_immutable": ("UPDATE", "articles_blob", BLOB_IMMUTABLE, ""),
}

SQLITE_INSTALL = [old_guards._sqlite_trigger(name, *spec) for name, spec in SQLITE_TRIGGERS.items()]
SQLITE_UNINSTALL = [f"DROP TRIGGER IF EXISTS {name}" for name in SQLITE_TRIGGERS]

STATEMENTS = {
    "postgresql": (_postgresql_install(), POSTGRESQL_UNINSTALL),
    "sqlite": (SQLITE_INSTALL, SQLITE_UNINSTALL),
}


def set_guards(connection, *, installed: bool) -> None:
    if connection.vendor not in STATEMENTS:
        return
    with connection.cursor() as cursor:
        for statement in STATEMENTS[connection.vendor][0 if installed else 1]:
            cursor.execute(statement)


def drop_old_guards(apps, schema_editor):
    old_guards.set_guards(schema_editor.connection, installed=False)


def install_old_guards(apps, schema_editor):
    old_guards.set_guards(schema_editor.connection, installed=True)


def install_guards(apps, schema_editor):
    set_guards(schema_editor.connection, installed=True)


def drop_guards(apps, schema_editor):
    set_guards(schema_editor.connection, installed=False)


class Migration(migrations.Migration):
    dependencies = [
        ("articles", "0009_provenance"),
    ]

    operations = [
        migrations.RunPython(drop_old_guards, install_old_guards),
        migrations.CreateModel(
            name="Blob",
            fields=[
                ("id", models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name="ID")),
                ("data", models.BinaryField()),
                ("base", models.ForeignKey(blank=True, null=True, on_delete=django.db.models.deletion.PROTECT, related_name="+", to="articles.blob")),
            ],
        ),
        migrations.AlterField(model_name="revision", name="raw_text", field=models.TextField(null=True)),
        migrations.AlterField(model_name="revision", name="parsed", field=models.JSONField(null=True)),
        migrations.AddField(model_name="revision", name="text_delta", field=models.BinaryField(null=True)),
        migrations.AddField(
            model_name="revision",
            name="parsed_blob",
            field=models.ForeignKey(null=True, on_delete=django.db.models.deletion.PROTECT, related_name="+", to="articles.blob"),
        ),
        migrations.RunPython(texts_to_deltas, deltas_to_texts),
        migrations.RemoveField(model_name="revision", name="raw_text"),
        migrations.RemoveField(model_name="revision", name="parsed"),
        migrations.AlterField(model_name="revision", name="text_delta", field=models.BinaryField()),
        migrations.AlterField(
            model_name="revision",
            name="parsed_blob",
            field=models.ForeignKey(on_delete=django.db.models.deletion.PROTECT, related_name="+", to="articles.blob"),
        ),
        migrations.AlterField(model_name="provenance", name="placement", field=models.JSONField(null=True)),
        migrations.AddField(model_name="provenance", name="placement_frame", field=models.BinaryField(null=True)),
        migrations.AddField(model_name="provenance", name="state_frame", field=models.BinaryField(null=True, blank=True)),
        migrations.RunPython(placements_to_deltas, deltas_to_placements),
        migrations.RemoveField(model_name="provenance", name="placement"),
        migrations.RemoveField(model_name="provenance", name="state"),
        migrations.RenameField(model_name="provenance", old_name="placement_frame", new_name="placement"),
        migrations.RenameField(model_name="provenance", old_name="state_frame", new_name="state"),
        migrations.AlterField(model_name="provenance", name="placement", field=models.BinaryField()),
        migrations.RunPython(install_guards, drop_guards),
    ]
