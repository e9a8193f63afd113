from django.core.management.base import BaseCommand, CommandError
from django.db import connection, transaction

from articles.backup import export_lines
from articles.models import Story


class Command(BaseCommand):
    help = (
        "Write every story (or the given ones) with all its revisions and audit entries as JSON "
        "lines to stdout: manage.py export > newsroom.jsonl. Restore with manage.py import."
    )

    def add_arguments(self, parser):
        parser.add_argument("slugs", nargs="*", metavar="SLUG", help="only these stories")

    def handle(self, *, slugs: list[str], **options) -> None:
        unknown = sorted(
            set(slugs) - set(Story.objects.filter(slug__in=slugs).values_list("slug", flat=True))
        )
        if unknown:
            raise CommandError(f"no such story: {', '.join(unknown)}")
        # One snapshot: what is published meanwhile is in the export whole or not at all (a
        # caller's own transaction, if any, is its snapshot). On SQLite a transaction is one.
        snapshot = connection.vendor == "postgresql" and not connection.in_atomic_block
        with transaction.atomic():
            if snapshot:
                with connection.cursor() as cursor:
                    cursor.execute("SET TRANSACTION ISOLATION LEVEL REPEATABLE READ READ ONLY")
            for line in export_lines(slugs):
                self.stdout.write(line)
