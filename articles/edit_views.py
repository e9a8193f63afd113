"""The editor desk: upload, preview, publish, retract. Every view checks the permission itself."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from django.conf import settings
from django.contrib import messages
from django.contrib.auth.decorators import login_required, permission_required
from django.db import IntegrityError, transaction
from django.db.models import Count
from django.http import HttpResponse
from django.shortcuts import get_object_or_404, redirect
from django.template.response import TemplateResponse
from django.urls import reverse
from django.utils import timezone
from django.utils.safestring import mark_safe
from django.utils.text import Truncator, slugify
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_http_methods, require_safe

from articles import presence
from articles.core.diff import DocumentDiff, diff_documents
from articles.core.document import Document, sections
from articles.core.matching import needs_shrink_confirmation
from articles.core.parsing import PARSER_VERSION, looks_like_html
from articles.core.plaintext import document_text, round_trips
from articles.core.render import render_diff_html
from articles.forms import (
    NOTE_MAX_CHARS,
    NewStoryForm,
    PublishForm,
    RetractForm,
    UploadForm,
    unify_newlines,
)
from articles.http import HtmxHttpRequest
from articles.models import (
    DateRefused,
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
def desk(request: HtmxHttpRequest) -> HttpResponse:
    stories = Story.objects.recently_updated().annotate(revision_total=Count("revisions"))
    return TemplateResponse(request, "articles/edit_desk.html", {"stories": stories})


@editor_required
@require_http_methods(["GET", "POST"])
def new_story(request: HtmxHttpRequest) -> HttpResponse:
    return _step(request, Story(), None, NewStoryForm)


@editor_required
@require_http_methods(["GET", "POST"])
def edit_story(request: HtmxHttpRequest, slug: str) -> HttpResponse:
    story = get_object_or_404(Story, slug=slug)
    return _step(request, story, story.live_revision(), PublishForm)


@editor_required
@require_safe
def edit_presence(request: HtmxHttpRequest, slug: str) -> HttpResponse:
    """Who else has the story's edit page open: the edit page's hint, refreshed by htmx."""
    story = get_object_or_404(Story, slug=slug)
    context = {
        "story": story,
        "colleagues": _colleagues(request, story),
        "presence_refresh": presence.REFRESH_SECONDS,
    }
    return TemplateResponse(request, "articles/edit_story.html#presence", context)


def _step(
    request: HtmxHttpRequest, story: Story, live: Revision | None, form_class: type[PublishForm]
) -> HttpResponse:
    """The desk's steps on one address: the upload form (GET), its preview, an updated
    preview, Cancel back to the form with the text, and Publish."""
    step = request.POST.get("step")
    if step == "publish":
        return _publish_step(request, story, live, form_class(request.POST))
    if step == "preview":
        return _update_preview(request, story, live, form_class)
    if step == "cancel":
        return _cancel(request, story)
    return _upload_step(request, story, live)


def _colleagues(request: HtmxHttpRequest, story: Story) -> list[presence.Colleague]:
    return presence.note_open(story.pk, request.user.get_username())


@editor_required
@require_http_methods(["GET", "POST"])
def retract(request: HtmxHttpRequest, slug: str, number: int) -> HttpResponse:
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


def _upload_step(request: HtmxHttpRequest, story: Story, live: Revision | None) -> HttpResponse:
    """The upload form, opened on the live text; a valid upload is answered with its preview
    and the publish form, or, when it is a revision already stored, with that revision."""
    live_number = live.number if live else 0
    if request.method != "POST":
        offer = "" if request.GET.get("blank") else _editable_text(live)
        initial = {"base_number": live_number, "text": offer}
        if offer:
            initial["offered"] = content_hash(offer)
        return _upload_page(request, story, UploadForm(initial=initial))
    upload = UploadForm(request.POST, request.FILES or None)
    if not upload.is_valid():
        return _upload_page(request, story, upload)
    document = upload.cleaned_data["document"]
    identical = _identical_revision(story, live, upload.cleaned_data["raw_text"], document)
    if identical is not None:  # said before any preview: there is nothing to publish
        return _upload_page(request, story, upload, identical=identical)
    diff = _diff(live, document)
    note = _suggested_note(diff)
    initial = {
        "raw_text": upload.cleaned_data["raw_text"],
        "base_number": live_number,
        "note": note,
        "suggested_note": note,
    }
    if story.pk is None:
        initial["slug"] = Story.unique_slug_for(document.headline or "untitled story")
        return _preview(request, story, live, NewStoryForm(initial=initial), document, diff)
    # A colleague published while the form was open: said now, and the preview carries their
    # revision as the base, so that Publish is a knowing choice.
    conflict = _stale(upload.cleaned_data["base_number"], live)
    form = PublishForm(initial=initial)
    return _preview(request, story, live, form, document, diff, conflict=conflict)


def _editable_text(live: Revision | None) -> str:
    """What the form offers to edit in place: the live revision's text as uploaded, or, for an
    HTML page, its parsed document written as text (articles/core/plaintext.py)."""
    if live is None:
        return ""
    raw = unify_newlines(live.raw_text)
    return document_text(live.document()) if looks_like_html(raw) else raw


def _identical_revision(
    story: Story, live: Revision | None, text: str, document: Document
) -> Revision | None:
    """The stored revision this upload repeats (Publish would refuse it as unchanged)."""
    if story.pk is None:
        return None
    earlier = story.revisions.filter(content_hash=content_hash(text)).defer("text_delta")
    found = earlier.order_by("-number").first()
    if found is None and live is not None and live.document() == document:
        found = live
    return found


def _stale(base: int | None, live: Revision | None) -> StaleBase | None:
    return StaleBase(base, live) if live and base is not None and base != live.number else None


def _update_preview(
    request: HtmxHttpRequest, story: Story, live: Revision | None, form_class: type[PublishForm]
) -> HttpResponse:
    """The preview again for the text as edited in it, everything else as it was typed; the
    suggested note follows the new diff unless the editor wrote their own."""
    data = request.POST.copy()
    form = form_class(data)
    if not form.is_valid() and "document" not in form.cleaned_data:
        # Unreadable (empty, too large, no article in it): said at the top, the text kept.
        return _preview(request, story, live, form, None, None)
    document = form.cleaned_data["document"]
    diff = _diff(live, document)
    if data.get("note", "") == data.get("suggested_note", ""):
        data["note"] = data["suggested_note"] = _suggested_note(diff)
        form = form_class(data)
        form.is_valid()
    conflict = _stale(form.cleaned_data.get("base_number"), live)
    return _preview(request, story, live, form, document, diff, conflict=conflict)


def _cancel(request: HtmxHttpRequest, story: Story) -> HttpResponse:
    """Back to the upload form with the text as it stood in the preview: nothing is lost."""
    text = unify_newlines(request.POST.get("raw_text", ""))
    initial = {"text": text, "base_number": request.POST.get("base_number")}
    return _upload_page(request, story, UploadForm(initial=initial))


def _suggested_note(diff: DocumentDiff | None) -> str:
    """The machine summary, cut to fit the note field: a long one must not block Publish."""
    if diff is None:
        return "First version"
    return Truncator(diff.summary.line).chars(NOTE_MAX_CHARS)


def _publish_step(
    request: HtmxHttpRequest, story: Story, live: Revision | None, form: PublishForm
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
                published_at=data["as_of"],
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
    except DateRefused as refusal:
        form.add_error("as_of", f"Not published: {refusal}. {_as_of_advice(live)}")
        document = data["document"]
        return _preview(request, story, live, form, document, _diff(live, document), status=400)
    except PublishRefused as refusal:
        field = "kind" if isinstance(refusal, MinorChangeRefused) else None
        form.add_error(field, f"Not published: {refusal}.")
        status = 409 if isinstance(refusal, UnchangedUpload) else 400
        return _preview(request, story, live, form, data["document"], None, status=status)
    messages.success(request, f"Published revision {revision.number} of “{story.headline}”.")
    # To the desk's page of the story, where the message shows: reader pages never read the
    # session, so that every reader gets the same cacheable page.
    return redirect("edit-story", story.slug)


def _as_of_advice(live: Revision | None) -> str:
    if live is None:
        return "Choose a time up to now, or leave it empty for now."
    shown = timezone.localtime(live.published_at).strftime("%-d %b %Y, %H:%M %Z")
    return (
        f"Choose a time from revision {live.number}'s ({shown}) up to now, "
        "or leave it empty for now."
    )


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
    request: HtmxHttpRequest, story: Story, form: PublishForm, conflict: StaleBase
) -> HttpResponse:
    """A colleague published first: show their version against this upload, offer a re-base."""
    data = form.cleaned_data
    rebased = PublishForm(
        initial={
            "raw_text": data["raw_text"],
            "base_number": conflict.live.number,
            "note": data["note"],
            "kind": data["kind"],
            "as_of": data["as_of"],
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
    request: HtmxHttpRequest,
    story: Story,
    live: Revision | None,
    form: PublishForm,
    document: Document | None,
    diff: DocumentDiff | None,
    *,
    status: int = 200,
    conflict: StaleBase | None = None,
    shrank: bool = False,
) -> HttpResponse:
    """The preview of `document`; None when the text edited in the preview cannot be read (the
    form's error says why, and nothing is shown but the text)."""
    number = story.revisions.count() + 1 if story.pk else 1
    cleaned = getattr(form, "cleaned_data", {})
    text = cleaned.get("raw_text") or unify_newlines(form["raw_text"].value() or "")
    # Publish refuses an upload identical to any revision: say so before it is tried.
    identical = _identical_revision(story, live, text, document) if document else None
    _anticipate_date_refusal(form, live)
    # The reader's article partial needs a story and a revision: unsaved stand-ins, never saved.
    # The address typed may not be valid yet (the form says so): the stand-in's must be.
    shown = story if story.pk else Story(slug=slugify(form["slug"].value() or "") or "new-story")
    removed = needs_shrink_confirmation(live.document(), document) if live and document else None
    context = {
        "story": story if story.pk else None,
        "live": live,
        "form": form,
        "tried": request.POST.get("step") == "publish",
        "conflict": conflict,
        "document": document,
        "warnings": [(w, _warning_action(w)) for w in (document.warnings if document else ())],
        "sections": sections(document.blocks, document.links) if document else [],
        # The wipe guard: how much of the live text this upload removes, when it is most of it.
        "shrink": shown_share(removed) if removed is not None else None,
        "shrink_refused": shrank,
        "revision": Revision(
            story=shown,
            number=number,
            published_at=cleaned.get("as_of") or timezone.now(),
            content_hash=content_hash(text),
            parser_version=PARSER_VERSION,
        ),
        "revision_count": number,
        "identical": identical,
        "identical_url": _revision_url(identical) if identical else "",
        "colleagues": _colleagues(request, story) if story.pk else [],
        "presence_refresh": presence.REFRESH_SECONDS,
        "diff": diff,
        # render_diff_html escapes every piece of document text itself.
        "diff_html": mark_safe(render_diff_html(diff, fold=True)) if diff else "",  # noqa: S308
    }
    template = "articles/edit_preview.html"
    if request.htmx:  # "Update preview": the preview swapped in place, the text kept as typed
        template += "#preview"
    return TemplateResponse(request, template, context, status=status)


# What resolves each kind of parser warning, said beside it in the preview.
WARNING_ACTIONS = {
    "no headline found": "Put the headline on a line of its own above the first paragraph.",
    "chrome": "Check beside that no line of the article is missing from the parse.",
    "byline": "Nothing to do: bylines and datelines are never article text.",
}


def _warning_action(warning: str) -> str:
    for marker, action in WARNING_ACTIONS.items():
        if marker in warning:
            return action
    return "Check the parse beside against the text."


def _anticipate_date_refusal(form: PublishForm, live: Revision | None) -> None:
    """Publish refuses a date before the live revision's (Story.publish): the preview says so
    first, on the field."""
    as_of = getattr(form, "cleaned_data", {}).get("as_of")
    if live is None or as_of is None or as_of >= live.published_at or form.has_error("as_of"):
        return
    form.add_error("as_of", f"This is before revision {live.number}. {_as_of_advice(live)}")


def _revision_url(revision: Revision) -> str:
    """Where an editor reads a revision: its reader page, or, retracted, the desk's copy."""
    if revision.is_retracted:
        return reverse("edit-retract", args=[revision.story.slug, revision.number])
    return revision.get_absolute_url()


def _upload_page(
    request: HtmxHttpRequest, story: Story, upload: UploadForm, *, identical: Revision | None = None
) -> HttpResponse:
    context: dict[str, Any] = {
        "story": story if story.pk else None,
        "form": upload,
        "max_upload_bytes": settings.NEWSROOM_MAX_UPLOAD_BYTES,
        "identical": identical,
        "identical_url": _revision_url(identical) if identical else "",
    }
    if story.pk:
        live = story.live_revision()
        if live is not None and looks_like_html(live.raw_text):
            # Written as text, an HTML page may read differently (a caption without its credit,
            # a heading that is no `Label:`): said, so that the preview's changes are expected.
            context["offered_differs"] = not round_trips(live.document())
        upload.fields["text"].label = "Edit the live text in place, or paste the article"
        context["colleagues"] = _colleagues(request, story)
        context["presence_refresh"] = presence.REFRESH_SECONDS
        context["revisions"] = (
            story.revisions.order_by("-number")
            .select_related("uploaded_by", "retracted_by")
            .defer("text_delta")
        )
        context["audit"] = story.audit_entries.select_related("user", "revision")
    status = 409 if identical else 400 if upload.errors else 200
    return TemplateResponse(request, "articles/edit_story.html", context, status=status)
