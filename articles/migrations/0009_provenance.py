"""Provenance: each revision's sentences matched to their lineages, and the story's provenance
State on its newest revision (articles/provenance.py). A new table: the revisions table and its
immutability triggers are untouched."""

import django.db.models.deletion
from django.db import migrations, models


class Migration(migrations.Migration):

    dependencies = [
        ('articles', '0008_search_index'),
    ]

    operations = [
        migrations.CreateModel(
            name='Provenance',
            fields=[
                ('revision', models.OneToOneField(on_delete=django.db.models.deletion.PROTECT, primary_key=True, related_name='provenance', serialize=False, to='articles.revision')),
                ('version', models.PositiveIntegerField()),
                ('placement', models.JSONField()),
                ('state', models.JSONField(blank=True, null=True)),
            ],
        ),
    ]
