import sys

from django.core.management.base import BaseCommand, CommandError

from articles.backup import ImportCounts, ImportRefused, check_export, import_export


class Command(BaseCommand):
    help = (
        "Import a file written by manage.py export (or - for stdin). The whole file is checked "
        "first, every text against its content hash, then written in one transaction; what is "
        "already stored is skipped, so importing twice adds nothing."
    )

    def add_arguments(self, parser):
        parser.add_argument("file", help="a .jsonl file from manage.py export, or -")

    def handle(self, *, file: str, **options) -> str:
        try:
            counts = self.check_then_import(file)
        except OSError as error:
            raise CommandError(f"{file}: {error.strerror or error}") from error
        except ImportRefused as refusal:
            raise CommandError(f"{file}: {refusal}") from refusal
        return counts.line()

    def check_then_import(self, file: str) -> ImportCounts:
        if file == "-":
            lines = sys.stdin.read().splitlines()
            check_export(lines)
            return import_export(lines)
        # Read twice rather than held in memory: an export holds every text ever published.
        with open(file, encoding="utf-8") as handle:
            check_export(handle)
        with open(file, encoding="utf-8") as handle:
            return import_export(handle)
