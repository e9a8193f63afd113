"""Immutability in the database, not only in Python: triggers refuse what no code path may do.

- A revision's text, hash, dates and provenance never change; a revision is never deleted.
- A retraction is set once and never cleared or rewritten.
- The parse (`parsed`) changes only with a newer `parser_version` (what `reparse` does after a
  parser change); a parser version never goes back.
- An audit entry is never changed or deleted.

Raw SQL, `_base_manager.update()`, `loaddata` of an edited fixture: all are refused with an
IntegrityError. (TRUNCATE, and dropping the triggers, stay possible for the database owner:
`manage.py verify` reports missing triggers and any text that no longer matches its hash.)

A later migration that rebuilds these tables on SQLite (Django does so for most AlterField)
drops the triggers with the old table: it must run `install_guards` again. The test suite
checks that they are in place after every migration.
"""

from django.db import migrations, models

IMMUTABLE_COLUMNS = (
    "story_id",
    "number",
    "raw_text",
    "content_hash",
    "published_at",
    "created_at",
    "change_note",
    "kind",
    "uploaded_by_id",
    "based_on",
)
RETRACTION_COLUMNS = ("retracted_at", "retracted_by_id", "retraction_reason")

REVISION_IMMUTABLE = "revision is immutable: its text, hash, dates and provenance never change"
REVISION_NOT_DELETED = "revisions are never deleted"
RETRACTION_FINAL = "a retraction is final: it is set once, never cleared or rewritten"
RETRACTION_WHOLE = "a retraction sets retracted_at with its author and reason"
PARSE_VERSIONED = "the parse of a revision changes only with a newer parser_version"
AUDIT_APPEND_ONLY = "audit entries are never changed or deleted"


def _changed(columns: tuple[str, ...], distinct: str) -> str:
    return " OR ".join(f"NEW.{column} {distinct} OLD.{column}" for column in columns)


POSTGRESQL_INSTALL = [
    f"""
    CREATE FUNCTION articles_revision_guard() RETURNS trigger LANGUAGE plpgsql AS $$
    BEGIN
        IF TG_OP = 'DELETE' THEN
            RAISE EXCEPTION '{REVISION_NOT_DELETED}' USING ERRCODE = 'restrict_violation';
        END IF;
        IF {_changed(IMMUTABLE_COLUMNS, "IS DISTINCT FROM")} THEN
            RAISE EXCEPTION '{REVISION_IMMUTABLE}' USING ERRCODE = 'restrict_violation';
        END IF;
        IF OLD.retracted_at IS NOT NULL
           AND ({_changed(RETRACTION_COLUMNS, "IS DISTINCT FROM")}) THEN
            RAISE EXCEPTION '{RETRACTION_FINAL}' USING ERRCODE = 'restrict_violation';
        END IF;
        IF NEW.retracted_at IS NULL
           AND ({_changed(RETRACTION_COLUMNS[1:], "IS DISTINCT FROM")}) THEN
            RAISE EXCEPTION '{RETRACTION_WHOLE}' USING ERRCODE = 'restrict_violation';
        END IF;
        IF NEW.parser_version < OLD.parser_version
           OR (NEW.parser_version = OLD.parser_version AND NEW.parsed IS DISTINCT FROM OLD.parsed)
        THEN
            RAISE EXCEPTION '{PARSE_VERSIONED}' USING ERRCODE = 'restrict_violation';
        END IF;
        RETURN NEW;
    END
    $$
    """,
    """
    CREATE TRIGGER articles_revision_guard BEFORE UPDATE OR DELETE ON articles_revision
    FOR EACH ROW EXECUTE FUNCTION articles_revision_guard()
    """,
    f"""
    CREATE FUNCTION articles_auditentry_guard() RETURNS trigger LANGUAGE plpgsql AS $$
    BEGIN
        RAISE EXCEPTION '{AUDIT_APPEND_ONLY}' USING ERRCODE = 'restrict_violation';
    END
    $$
    """,
    """
    CREATE TRIGGER articles_auditentry_guard BEFORE UPDATE OR DELETE ON articles_auditentry
    FOR EACH ROW EXECUTE FUNCTION articles_auditentry_guard()
    """,
]
POSTGRESQL_UNINSTALL = [
    "DROP TRIGGER IF EXISTS articles_revision_guard ON articles_revision",
    "DROP FUNCTION IF EXISTS articles_revision_guard()",
    "DROP TRIGGER IF EXISTS articles_auditentry_guard ON articles_auditentry",
    "DROP FUNCTION IF EXISTS articles_auditentry_guard()",
]


def _sqlite_trigger(name: str, event: str, table: str, message: str, when: str = "") -> str:
    condition = f" WHEN {when}" if when else ""
    return (
        f"CREATE TRIGGER {name} BEFORE {event} ON {table} FOR EACH ROW{condition} "
        f"BEGIN SELECT RAISE(ABORT, '{message}'); END"
    )


SQLITE_TRIGGERS = {
    "articles_revision_no_delete": ("DELETE", "articles_revision", REVISION_NOT_DELETED, ""),
    "articles_revision_immutable": (
        "UPDATE",
        "articles_revision",
        REVISION_IMMUTABLE,
        _changed(IMMUTABLE_COLUMNS, "IS NOT"),
    ),
    "articles_revision_retraction_final": (
        "UPDATE",
        "articles_revision",
        RETRACTION_FINAL,
        f"OLD.retracted_at IS NOT NULL AND ({_changed(RETRACTION_COLUMNS, 'IS NOT')})",
    ),
    "articles_revision_retraction_whole": (
        "UPDATE",
        "articles_revision",
        RETRACTION_WHOLE,
        f"NEW.retracted_at IS NULL AND ({_changed(RETRACTION_COLUMNS[1:], 'IS NOT')})",
    ),
    "articles_revision_parse_versioned": (
        "UPDATE",
        "articles_revision",
        PARSE_VERSIONED,
        "NEW.parser_version < OLD.parser_version OR "
        "(NEW.parser_version = OLD.parser_version AND NEW.parsed IS NOT OLD.parsed)",
    ),
    "articles_auditentry_no_update": ("UPDATE", "articles_auditentry", AUDIT_APPEND_ONLY, ""),
    "articles_auditentry_no_delete": ("DELETE", "articles_auditentry", AUDIT_APPEND_ONLY, ""),
}
SQLITE_INSTALL = [_sqlite_trigger(name, *spec) for name, spec in SQLITE_TRIGGERS.items()]
SQLITE_UNINSTALL = [f"DROP TRIGGER IF EXISTS {name}" for name in SQLITE_TRIGGERS]

STATEMENTS = {
    "postgresql": (POSTGRESQL_INSTALL, POSTGRESQL_UNINSTALL),
    "sqlite": (SQLITE_INSTALL, SQLITE_UNINSTALL),
}


def set_guards(connection, *, installed: bool) -> None:
    if connection.vendor not in STATEMENTS:
        return  # another database: the guards in Python still apply
    with connection.cursor() as cursor:
        for statement in STATEMENTS[connection.vendor][0 if installed else 1]:
            cursor.execute(statement)


def install_guards(apps, schema_editor) -> None:
    set_guards(schema_editor.connection, installed=True)


def uninstall_guards(apps, schema_editor) -> None:
    set_guards(schema_editor.connection, installed=False)


class Migration(migrations.Migration):
    dependencies = [("articles", "0004_parsed_blocks_as_arrays")]

    operations = [
        migrations.AddIndex(
            model_name="revision",
            index=models.Index(fields=["content_hash"], name="revision_content_hash"),
        ),
        migrations.RunPython(install_guards, uninstall_guards),
    ]
