from django.core.management.base import BaseCommand
from django.db import transaction
from django.utils import timezone

from articles.core.document import ParseError
from articles.core.parsing import PARSER_VERSION, parse_article
from articles.models import Story


class Command(BaseCommand):
    help = "Re-derive every revision's structure and change summary from its verbatim text."

    def handle(self, **options) -> None:
        total = changed = failed = 0
        for story in Story.objects.order_by("pk"):
            with transaction.atomic():
                revisions = {rev.number: rev for rev in story.revisions.order_by("number")}
                for revision in revisions.values():
                    total += 1
                    try:
                        document = parse_article(revision.raw_text)
                    except ParseError as error:
                        failed += 1
                        self.stderr.write(f"error: {revision}: {error}")
                        continue
                    if document != revision.document():
                        changed += 1
                    revision.parsed = document.to_stored()
                    revision.headline = (document.headline or "")[:500]
                    revision.parser_version = PARSER_VERSION
                    revision.summarise(previous=revisions.get(revision.based_on))
                    revision.save(
                        update_fields=[
                            "parsed",
                            "headline",
                            "parser_version",
                            "summary",
                            "figures",
                            "words_added",
                            "words_removed",
                        ]
                    )
                # Every reader page of the story may show something new: new ETags for all.
                story.changed_at = story.amended_at = timezone.now()
                story.save(update_fields=["changed_at", "amended_at"])
        self.stdout.write(
            f"{changed} of {total} revisions changed"
            + (f", {failed} failed to parse" if failed else "")
        )
