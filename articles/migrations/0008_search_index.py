"""The search index: each story's live text and its removed passages (articles/search.py).

PostgreSQL: a stored tsvector column on each, generated from the text (headline weighted above
the dek, the dek above the body) and GIN-indexed. SQLite: an FTS5 table over each, kept by
triggers on every insert, update and delete. Both are kept in the same transaction as the rows.
After migrating a database that has stories, `manage.py reparse` builds the index.
"""

import django.db.models.deletion
from django.db import migrations, models


CONFIG = "english"
POSTGRESQL = [
    f"""ALTER TABLE articles_searchtext ADD COLUMN vector tsvector GENERATED ALWAYS AS (
        setweight(to_tsvector('{CONFIG}', headline), 'A')
        || setweight(to_tsvector('{CONFIG}', dek), 'B')
        || setweight(to_tsvector('{CONFIG}', body), 'C')) STORED""",
    # fastupdate off: a publish writes a few rows, and without a pending list to scan a query
    # that matches nothing took 0.08 ms instead of 5.6 ms (bench/search_bench.py's data).
    "CREATE INDEX searchtext_vector ON articles_searchtext USING GIN (vector)"
    " WITH (fastupdate = off)",
    f"""ALTER TABLE articles_removedpassage ADD COLUMN vector tsvector GENERATED ALWAYS AS (
        to_tsvector('{CONFIG}', text)) STORED""",
    "CREATE INDEX removedpassage_vector ON articles_removedpassage USING GIN (vector)"
    " WITH (fastupdate = off)",
]
POSTGRESQL_REVERSE = [
    "DROP INDEX IF EXISTS searchtext_vector",
    "ALTER TABLE articles_searchtext DROP COLUMN IF EXISTS vector",
    "DROP INDEX IF EXISTS removedpassage_vector",
    "ALTER TABLE articles_removedpassage DROP COLUMN IF EXISTS vector",
]
TOKENIZE = "porter unicode61 remove_diacritics 2"


def _fts5(table: str, columns: list[str]) -> list[str]:
    """An external-content FTS5 table over `table`, and the triggers that keep it."""
    cols = ", ".join(columns)
    new = ", ".join(f"new.{c}" for c in columns)
    old = ", ".join(f"old.{c}" for c in columns)
    fts = f"{table}_fts"
    delete = f"INSERT INTO {fts}({fts}, rowid, {cols}) VALUES ('delete', old.id, {old});"
    insert = f"INSERT INTO {fts}(rowid, {cols}) VALUES (new.id, {new});"
    return [
        f"CREATE VIRTUAL TABLE {fts} USING fts5({cols}, content='{table}', content_rowid='id', "
        f"tokenize='{TOKENIZE}')",
        f"CREATE TRIGGER {table}_ai AFTER INSERT ON {table} BEGIN {insert} END",
        f"CREATE TRIGGER {table}_ad AFTER DELETE ON {table} BEGIN {delete} END",
        f"CREATE TRIGGER {table}_au AFTER UPDATE ON {table} BEGIN {delete} {insert} END",
    ]


SQLITE = [
    *_fts5("articles_searchtext", ["headline", "dek", "body"]),
    *_fts5("articles_removedpassage", ["text"]),
]
SQLITE_REVERSE = [
    f"DROP {kind} IF EXISTS {table}{suffix}"
    for table in ("articles_searchtext", "articles_removedpassage")
    for kind, suffix in (("TRIGGER", "_ai"), ("TRIGGER", "_ad"), ("TRIGGER", "_au"), ("TABLE", "_fts"))
]
STATEMENTS = {"postgresql": (POSTGRESQL, POSTGRESQL_REVERSE), "sqlite": (SQLITE, SQLITE_REVERSE)}


def _run(schema_editor, forwards: bool) -> None:
    statements = STATEMENTS.get(schema_editor.connection.vendor)
    if statements is None:
        return  # another database: search falls back to nothing (articles/search.py)
    for statement in statements[0 if forwards else 1]:
        schema_editor.execute(statement)


def install(apps, schema_editor):
    _run(schema_editor, True)


def uninstall(apps, schema_editor):
    _run(schema_editor, False)


class Migration(migrations.Migration):

    dependencies = [
        ('articles', '0007_revision_significance'),
    ]

    operations = [
        migrations.CreateModel(
            name='SearchText',
            fields=[
                ('id', models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name='ID')),
                ('headline', models.TextField()),
                ('dek', models.TextField(blank=True)),
                ('body', models.TextField()),
                ('story', models.OneToOneField(on_delete=django.db.models.deletion.CASCADE, related_name='search_text', to='articles.story')),
            ],
        ),
        migrations.CreateModel(
            name='RemovedPassage',
            fields=[
                ('id', models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name='ID')),
                ('key', models.CharField(max_length=64)),
                ('text', models.TextField()),
                ('last_seen', models.PositiveIntegerField()),
                ('removed_in', models.PositiveIntegerField()),
                ('story', models.ForeignKey(on_delete=django.db.models.deletion.CASCADE, related_name='removed_passages', to='articles.story')),
            ],
            options={
                'constraints': [models.UniqueConstraint(fields=('story', 'key'), name='unique_removed_passage')],
            },
        ),
        migrations.RunPython(install, uninstall),
    ]
