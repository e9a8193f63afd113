from django.core.management.base import BaseCommand
from django.db import transaction

from articles import provenance, search, storage
from articles.core.document import ParseError
from articles.core.parsing import PARSER_VERSION, parse_article
from articles.models import Revision, Story


class SameParserVersion(Exception):
    """The text parses differently under the parser version the revision was stored with."""


class Command(BaseCommand):
    help = (
        "Re-derive every revision's structure and change summary from its verbatim text. The "
        "structure of a revision changes only under a newer PARSER_VERSION than its own."
    )

    def handle(self, **options) -> None:
        total = changed = failed = 0
        for story in Story.objects.order_by("pk"):
            with transaction.atomic():
                # Publish's lock: the parses a new revision would be a delta against stay put.
                Story.objects.select_for_update().get(pk=story.pk)
                # Each change summary is made against the revision readers saw before it.
                previous: Revision | None = None
                replaced: list[int] = []
                for revision in story.revisions.walk():
                    total += 1
                    parsed_blob_id = revision.parsed_blob_id
                    try:
                        changed += rederive(revision, previous)
                    except (ParseError, SameParserVersion) as error:
                        failed += 1
                        self.stderr.write(f"error: {revision}: {error}")
                    if revision.parsed_blob_id != parsed_blob_id:
                        replaced.append(parsed_blob_id)
                    if not revision.is_retracted:
                        previous = revision
                # The parses replaced, once no stored parse is a delta against them.
                storage.forget(replaced)
                # Sentences and figures are matched again on the new structure.
                provenance.rebuild(story)
                # Every reader page of the story may show something new: new ETags for all.
                story.save_listing(amended=True)
                search.rebuild(story)
        self.stdout.write(
            f"{changed} of {total} revisions changed" + (f", {failed} failed" if failed else "")
        )


def rederive(revision: Revision, previous: Revision | None) -> bool:
    """Re-parse and re-summarise one revision; True if its structure changed."""
    document = parse_article(revision.raw_text)
    changed = document != revision.document()
    if changed and revision.parser_version >= PARSER_VERSION:
        raise SameParserVersion(
            f"parses differently under the parser version it was stored with "
            f"({revision.parser_version}): after a parser change, raise PARSER_VERSION; "
            "otherwise its stored structure was altered (run `manage.py verify`)"
        )
    if revision.parser_version < PARSER_VERSION:
        if changed:
            revision.parsed = document.to_stored()
        revision.parser_version = PARSER_VERSION
    revision.headline = (document.headline or "")[:500]
    revision.summarise(previous=previous)
    revision.save(
        update_fields=["parsed_blob", "parser_version", "headline", *Revision.CHANGE_FIELDS]
    )
    return changed
