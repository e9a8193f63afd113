import json
import textwrap

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError

from articles.core.document import Document, ParseError
from articles.core.parsing import parse_article
from articles.management.sources import read_source


class Command(BaseCommand):
    help = "Show how a raw text or HTML file parses (or - for stdin): the editor's debugging tool."

    def add_arguments(self, parser):
        parser.add_argument("file", help="a file, or - for stdin")
        parser.add_argument("--json", action="store_true", help="print the document as JSON")

    def handle(self, file: str, json: bool, **options):
        try:
            document = parse_article(
                read_source(file), max_bytes=settings.NEWSROOM_MAX_UPLOAD_BYTES
            )
        except (ParseError, OSError) as error:
            raise CommandError(f"{file}: {getattr(error, 'strerror', None) or error}") from error
        if json:
            self.stdout.write(dump_json(document))
        else:
            self.stdout.write(describe(document))


def dump_json(document: Document) -> str:
    return json.dumps(document.to_dict(), ensure_ascii=False, indent=2)


def describe(document: Document) -> str:
    lines = [
        f"headline:  {document.headline or '(none)'}",
        f"dek:       {document.dek or '(none)'}",
        f"publisher: {document.publisher or '(none)'}",
        f"category:  {document.category or '(none)'}",
        f"blocks:    {len(document.blocks)}",
    ]
    for number, block in enumerate(document.blocks, start=1):
        label = f"[{block.label}] " if block.label else ""
        lines.append(f"{number:4} {block.kind:<9} " + textwrap.shorten(label + block.text, 90))
    lines.append(f"warnings:  {len(document.warnings)}")
    lines.extend(f"  - {warning}" for warning in document.warnings)
    return "\n".join(lines)
