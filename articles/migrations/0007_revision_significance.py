"""Each revision's computed significance (articles/core/diff/significance.py), filled for the
revisions already stored: each against the live revision readers saw before it."""

from importlib import import_module

from django.db import migrations, models

from articles.core.diff import diff_documents
from articles.core.diff.significance import significance
from articles.core.document import Document

# Adding a column rebuilds the table on SQLite, which drops its immutability triggers with it:
# they are taken down first and put back last (as migration 0005 asks of later migrations).
guards = import_module("articles.migrations.0005_immutability_in_the_database")

BATCH = 200


def fill(apps, schema_editor):
    Revision = apps.get_model("articles", "Revision")
    batch = []
    story_id, previous = None, None
    revisions = Revision.objects.only("story_id", "number", "parsed", "retracted_at")
    for revision in revisions.order_by("story_id", "number").iterator(chunk_size=BATCH):
        if revision.story_id != story_id:
            story_id, previous = revision.story_id, None
        document = Document.from_stored(revision.parsed)
        revision.significance = (
            "substantive" if previous is None else significance(diff_documents(previous, document))
        )
        if revision.retracted_at is None:
            previous = document
        batch.append(revision)
        if len(batch) == BATCH:
            Revision.objects.bulk_update(batch, ["significance"])
            batch = []
    Revision.objects.bulk_update(batch, ["significance"])


class Migration(migrations.Migration):
    dependencies = [("articles", "0006_story_counts_and_revision_headline")]

    operations = [
        migrations.RunPython(guards.uninstall_guards, guards.install_guards),
        migrations.AddField(
            model_name="revision",
            name="significance",
            field=models.CharField(
                blank=True,
                choices=[("substantive", "Substantive"), ("minor", "Minor edit")],
                max_length=12,
            ),
        ),
        migrations.RunPython(fill, migrations.RunPython.noop),
        migrations.RunPython(guards.install_guards, guards.uninstall_guards),
    ]
