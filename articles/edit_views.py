"""The editor desk: upload, preview, publish, retract. Every view checks the permission itself."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from django.conf import settings
from django.contrib import messages
from django.contrib.auth.decorators import login_required, permission_required
from django.db import IntegrityError, transaction
from django.db.models import Count
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect
from django.template.response import TemplateResponse
from django.utils import timezone
from django.utils.safestring import mark_safe
from django.utils.text import Truncator, slugify
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_http_methods, require_safe

from articles.core.diff import DocumentDiff, diff_documents
from articles.core.document import Document, sections
from articles.core.matching import needs_shrink_confirmation
from articles.core.parsing import PARSER_VERSION
from articles.core.render import render_diff_html
from articles.forms import NOTE_MAX_CHARS, NewStoryForm, PublishForm, RetractForm, UploadForm
from articles.models import (
    MinorChangeRefused,
    PublishRefused,
    RetractRefused,
    Revision,
    ShrinkRefused,
    StaleBase,
    Story,
    UnchangedUpload,
    content_hash,
    shown_share,
)

EDITOR_PERMISSION = "articles.add_revision"


def editor_required(view: Callable[..., HttpResponse]) -> Callable[..., HttpResponse]:
    """Anonymous visitors are sent to sign in; signed-in readers get 403. Never cached: these
    pages are one editor's."""
    return never_cache(
        login_required(permission_required(EDITOR_PERMISSION, raise_exception=True)(view))
    )


@editor_required
@require_safe
def desk(request: HttpRequest) -> HttpResponse:
    stories = Story.objects.recently_updated().annotate(revision_total=Count("revisions"))
    return TemplateResponse(request, "articles/edit_desk.html", {"stories": stories})


@editor_required
@require_http_methods(["GET", "POST"])
def new_story(request: HttpRequest) -> HttpResponse:
    if request.POST.get("step") == "publish":
        return _publish_step(request, Story(), None, NewStoryForm(request.POST))
    return _upload_step(request, Story(), None)


@editor_required
@require_http_methods(["GET", "POST"])
def edit_story(request: HttpRequest, slug: str) -> HttpResponse:
    story = get_object_or_404(Story, slug=slug)
    live = story.live_revision()
    if request.POST.get("step") == "publish":
        return _publish_step(request, story, live, PublishForm(request.POST))
    return _upload_step(request, story, live)


@editor_required
@require_http_methods(["GET", "POST"])
def retract(request: HttpRequest, slug: str, number: int) -> HttpResponse:
    revision = get_object_or_404(
        Revision.objects.select_related("story", "retracted_by"), story__slug=slug, number=number
    )
    form = RetractForm(request.POST if request.method == "POST" else None)
    if form.is_valid() and not revision.is_retracted:
        try:
            revision.retract(request.user, form.cleaned_data["reason"])
        except RetractRefused as refusal:  # a colleague retracted it a moment ago
            form.add_error(None, f"{refusal}.")
        else:
            messages.success(request, f"Revision {number} is retracted.")
            return redirect("edit-story", slug)
    if revision.is_retracted:
        status = 409 if request.method == "POST" else 200
    else:
        status = 400 if form.errors else 200
    context = {"story": revision.story, "revision": revision, "form": form}
    if revision.is_retracted:  # readers see only the notice; editors read the text here
        document = revision.document()
        context.update(
            document=document,
            sections=sections(document.blocks),
            revision_count=revision.story.revision_count,
        )
    return TemplateResponse(request, "articles/edit_retract.html", context, status=status)


def _upload_step(request: HttpRequest, story: Story, live: Revision | None) -> HttpResponse:
    """The upload form; a valid upload is answered with its preview and the publish form."""
    live_number = live.number if live else 0
    upload = UploadForm(
        request.POST if request.method == "POST" else None,
        request.FILES or None,
        initial={"base_number": live_number},
    )
    if not upload.is_valid():
        return _upload_page(request, story, upload)
    document = upload.cleaned_data["document"]
    diff = _diff(live, document)
    initial = {
        "raw_text": upload.cleaned_data["raw_text"],
        "base_number": live_number,
        "note": _suggested_note(diff),
    }
    if story.pk is None:
        initial["slug"] = Story.unique_slug_for(document.headline or "untitled story")
        return _preview(request, story, live, NewStoryForm(initial=initial), document, diff)
    base = upload.cleaned_data["base_number"]
    # A colleague published while the form was open: say so now, before Publish.
    conflict = StaleBase(base, live) if live and base is not None and base != live.number else None
    form = PublishForm(initial=initial)
    return _preview(request, story, live, form, document, diff, conflict=conflict)


def _suggested_note(diff: DocumentDiff | None) -> str:
    """The machine summary, cut to fit the note field: a long one must not block Publish."""
    if diff is None:
        return "First version"
    return Truncator(diff.summary.line).chars(NOTE_MAX_CHARS)


def _publish_step(
    request: HttpRequest, story: Story, live: Revision | None, form: PublishForm
) -> HttpResponse:
    """Publish a valid form; otherwise show the preview again with what stopped it."""
    if not form.is_valid():
        if "document" not in form.cleaned_data:  # the text itself is unreadable: edit it
            return _upload_page(request, story, UploadForm({"text": form.data.get("raw_text")}))
        document = form.cleaned_data["document"]
        return _preview(request, story, live, form, document, _diff(live, document), status=400)
    data = form.cleaned_data
    try:
        with transaction.atomic():
            if story.pk is None and not _create_story(story, form):
                return _preview(request, story, live, form, data["document"], None, status=409)
            revision = story.publish(
                data["raw_text"],
                document=data["document"],
                note=data["note"],
                kind=data["kind"],
                user=request.user,
                base_number=data["base_number"],
                allow_shrink=data["allow_shrink"],
            )
    except IntegrityError:
        # The story lock makes this a rare race (two writers, one number); answer it clearly.
        form.add_error(
            None,
            "Not published: the database refused the revision, most likely because another "
            "change to this story was stored at the same moment. Nothing was stored: publish "
            "again.",
        )
        return _preview(request, story, live, form, data["document"], None, status=409)
    except StaleBase as conflict:
        return _conflict(request, story, form, conflict)
    except ShrinkRefused:  # the banner at the top says why, and how to confirm
        document = data["document"]
        return _preview(
            request, story, live, form, document, _diff(live, document), status=409, shrank=True
        )
    except PublishRefused as refusal:
        field = "kind" if isinstance(refusal, MinorChangeRefused) else None
        form.add_error(field, f"Not published: {refusal}.")
        status = 409 if isinstance(refusal, UnchangedUpload) else 400
        return _preview(request, story, live, form, data["document"], None, status=status)
    messages.success(request, f"Published revision {revision.number} of “{story.headline}”.")
    # To the desk's page of the story, where the message shows: reader pages never read the
    # session, so that every reader gets the same cacheable page.
    return redirect("edit-story", story.slug)


def _create_story(story: Story, form: PublishForm) -> bool:
    """Save a new story, which comes into being with its first revision. False, with the
    error on the form, if a colleague took its address a moment ago."""
    headline = form.cleaned_data["document"].headline or "Untitled story"
    story.slug = form.cleaned_data["slug"] or Story.unique_slug_for(headline)
    story.headline = headline[:500]
    try:
        with transaction.atomic():
            story.save()
    except IntegrityError:
        form.add_error("slug", f"There is already a story at “{story.slug}”: choose another.")
        story.slug = ""
        story.pk = None
        return False
    return True


def _conflict(
    request: HttpRequest, story: Story, form: PublishForm, conflict: StaleBase
) -> HttpResponse:
    """A colleague published first: show their version against this upload, offer a re-base."""
    data = form.cleaned_data
    rebased = PublishForm(
        initial={
            "raw_text": data["raw_text"],
            "base_number": conflict.live.number,
            "note": data["note"],
            "kind": data["kind"],
        }
    )
    diff = _diff(conflict.live, data["document"])
    return _preview(
        request,
        story,
        conflict.live,
        rebased,
        data["document"],
        diff,
        status=409,
        conflict=conflict,
    )


def _diff(live: Revision | None, document: Document) -> DocumentDiff | None:
    return diff_documents(live.document(), document) if live else None


def _preview(
    request: HttpRequest,
    story: Story,
    live: Revision | None,
    form: PublishForm,
    document: Document,
    diff: DocumentDiff | None,
    *,
    status: int = 200,
    conflict: StaleBase | None = None,
    shrank: bool = False,
) -> HttpResponse:
    number = story.revisions.count() + 1 if story.pk else 1
    text_hash = content_hash(form["raw_text"].value())
    # Publish refuses an upload identical to any revision: say so before it is tried.
    earlier = (
        story.revisions.filter(content_hash=text_hash) if story.pk else Revision.objects.none()
    )
    # The reader's article partial needs a story and a revision: unsaved stand-ins, never saved.
    # The address typed may not be valid yet (the form says so): the stand-in's must be.
    shown = story if story.pk else Story(slug=slugify(form["slug"].value() or "") or "new-story")
    removed = needs_shrink_confirmation(live.document(), document) if live else None
    context = {
        "story": story if story.pk else None,
        "live": live,
        "form": form,
        "conflict": conflict,
        "document": document,
        "sections": sections(document.blocks, document.links),
        # The wipe guard: how much of the live text this upload removes, when it is most of it.
        "shrink": shown_share(removed) if removed is not None else None,
        "shrink_refused": shrank,
        "revision": Revision(
            story=shown,
            number=number,
            published_at=timezone.now(),
            content_hash=text_hash,
            parser_version=PARSER_VERSION,
        ),
        "revision_count": number,
        "identical_to": earlier.values_list("number", flat=True).first(),
        "diff": diff,
        # render_diff_html escapes every piece of document text itself.
        "diff_html": mark_safe(render_diff_html(diff)) if diff else "",  # noqa: S308
    }
    return TemplateResponse(request, "articles/edit_preview.html", context, status=status)


def _upload_page(request: HttpRequest, story: Story, upload: UploadForm) -> HttpResponse:
    context: dict[str, Any] = {
        "story": story if story.pk else None,
        "form": upload,
        "max_upload_bytes": settings.NEWSROOM_MAX_UPLOAD_BYTES,
    }
    if story.pk:
        context["revisions"] = (
            story.revisions.order_by("-number")
            .select_related("uploaded_by", "retracted_by")
            .defer("raw_text", "parsed")
        )
        context["audit"] = story.audit_entries.select_related("user", "revision")
    return TemplateResponse(
        request, "articles/edit_story.html", context, status=400 if upload.errors else 200
    )
