from django.core.management.base import BaseCommand, CommandError

from articles import provenance
from articles.models import Story


class Command(BaseCommand):
    help = (
        "Rebuild when each sentence was first reported and each figure's history, from every "
        "revision in order (all stories, or the ones named)."
    )

    def add_arguments(self, parser) -> None:
        parser.add_argument("slugs", nargs="*", metavar="SLUG")

    def handle(self, *, slugs: list[str], **options) -> None:
        stories = Story.objects.order_by("pk")
        if slugs:
            stories = stories.filter(slug__in=slugs)
            missing = set(slugs) - set(stories.values_list("slug", flat=True))
            if missing:
                raise CommandError(f"no such story: {', '.join(sorted(missing))}")
        done = revisions = 0
        for story in stories:
            revisions += provenance.rebuild(story)
            story.save_listing(amended=True)  # new origins: new ETags for the story's pages
            done += 1
        self.stdout.write(f"provenance rebuilt: {done} stories, {revisions} revisions")
