import json
from datetime import datetime
from pathlib import Path

from django.core.management.base import BaseCommand
from django.db import transaction

from articles.models import Story

DEMO_DIR = Path(__file__).resolve().parents[2] / "demo"


class Command(BaseCommand):
    help = "Load the fictional demo stories. Safe to run again: present revisions are kept."

    def handle(self, **options) -> None:
        added = 0
        for manifest_path in sorted(DEMO_DIR.glob("*/manifest.json")):
            manifest = json.loads(manifest_path.read_text(encoding="utf-8"))
            with transaction.atomic():
                story, _ = Story.objects.get_or_create(
                    slug=manifest["slug"], defaults={"headline": manifest["slug"]}
                )
                present = story.revisions.count()
                for entry in manifest["revisions"][present:]:
                    story.publish(
                        (manifest_path.parent / entry["file"]).read_text(encoding="utf-8"),
                        published_at=datetime.fromisoformat(entry["published_at"]),
                        note=entry.get("note", ""),
                        kind=entry.get("kind", "update"),
                    )
                    added += 1
        self.stdout.write(f"demo loaded: {added} revisions added")
