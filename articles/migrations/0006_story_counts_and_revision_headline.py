"""Denormalise what reader pages need without a count, a join or a parsed document: each story's
revision count and when it last changed (reader pages' ETags), each revision's headline (feeds)."""

from importlib import import_module

import django.utils.timezone
from django.db import migrations, models

# Adding a column rebuilds the table on SQLite, which drops its immutability triggers with it:
# they are taken down first and put back last (as migration 0005 asks of later migrations).
guards = import_module("articles.migrations.0005_immutability_in_the_database")


def fill(apps, schema_editor):
    Story = apps.get_model("articles", "Story")
    Revision = apps.get_model("articles", "Revision")
    for story in Story.objects.annotate(count=models.Max("revisions__number")).iterator():
        story.revision_count = story.count or 0
        story.save(update_fields=["revision_count"])
    batch = []
    for revision in Revision.objects.only("parsed").iterator(chunk_size=200):
        revision.headline = (revision.parsed.get("headline") or "")[:500]
        batch.append(revision)
        if len(batch) == 200:
            Revision.objects.bulk_update(batch, ["headline"])
            batch = []
    Revision.objects.bulk_update(batch, ["headline"])


class Migration(migrations.Migration):
    dependencies = [("articles", "0005_immutability_in_the_database")]

    operations = [
        migrations.RunPython(guards.uninstall_guards, guards.install_guards),
        migrations.AddField(
            model_name="revision",
            name="headline",
            field=models.CharField(blank=True, max_length=500),
        ),
        migrations.AddField(
            model_name="story",
            name="amended_at",
            field=models.DateTimeField(default=django.utils.timezone.now),
        ),
        migrations.AddField(
            model_name="story",
            name="changed_at",
            field=models.DateTimeField(default=django.utils.timezone.now),
        ),
        migrations.AddField(
            model_name="story",
            name="revision_count",
            field=models.PositiveIntegerField(default=0),
        ),
        migrations.RunPython(fill, migrations.RunPython.noop),
        migrations.RunPython(guards.install_guards, guards.uninstall_guards),
    ]
