from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404
from django.template.response import TemplateResponse

from articles.core.document import sections
from articles.models import Revision, Story


def story_list(request: HttpRequest) -> HttpResponse:
    stories = Story.objects.recently_updated().exclude(live_number=0)
    return TemplateResponse(request, "articles/story_list.html", {"stories": stories})


def story_detail(request: HttpRequest, slug: str) -> HttpResponse:
    story = get_object_or_404(Story, slug=slug)
    revision = story.live_revision()
    if revision is None:
        raise Http404("This story has no published revision.")
    return TemplateResponse(
        request, "articles/story_detail.html", _reading_context(story, revision)
    )


def revision_list(request: HttpRequest, slug: str) -> HttpResponse:
    story = get_object_or_404(Story, slug=slug)
    revisions = story.revisions.order_by("-number").defer("raw_text", "parsed")
    return TemplateResponse(
        request, "articles/revision_list.html", {"story": story, "revisions": revisions}
    )


def revision_detail(request: HttpRequest, slug: str, number: int) -> HttpResponse:
    story = get_object_or_404(Story, slug=slug)
    revision = get_object_or_404(Revision, story=story, number=number)
    return TemplateResponse(
        request, "articles/revision_detail.html", _reading_context(story, revision)
    )


def _reading_context(story: Story, revision: Revision) -> dict:
    document = revision.document()
    return {
        "story": story,
        "revision": revision,
        "document": document,
        "sections": sections(document.blocks),
        "revision_count": story.revisions.count(),
    }
