"""Editor forms: an upload to preview, then the previewed text to publish, or a retraction."""

from __future__ import annotations

from typing import Any, cast

from django import forms
from django.conf import settings
from django.core.files.uploadedfile import UploadedFile
from django.utils import timezone

from articles.core.document import Document, ParseError
from articles.core.parsing import check_size, read_upload
from articles.models import Revision, Story, content_hash

UPLOAD_SUFFIXES = (".txt", ".html", ".htm")
NOTE_MAX_CHARS = 500  # Revision.change_note
# The largest revision number the database holds (a PositiveIntegerField): a tampered
# base_number past it is a form error, not a database error.
MAX_REVISION_NUMBER = 2_147_483_647


def unify_newlines(text: str) -> str:
    # Browsers submit textareas with CRLF; LF keeps a paste, a file and its preview identical.
    return text.replace("\r\n", "\n").replace("\r", "\n")


def _parse(data: str | bytes) -> tuple[str, Document]:
    """(text to store, Document) exactly as `ingest` makes them, or a ValidationError."""
    limit = settings.NEWSROOM_MAX_UPLOAD_BYTES
    try:
        text, document = read_upload(data, max_bytes=limit)
    except ParseError as error:
        raise forms.ValidationError(f"Could not read the article: {error}.") from error
    return unify_newlines(text), document


def base_number_field(*, required: bool) -> forms.IntegerField:
    """The revision an upload was based on, carried by the form."""
    not_a_revision = "The form names no revision of this story: open it again from the desk."
    return forms.IntegerField(
        min_value=0,
        max_value=MAX_REVISION_NUMBER,
        required=required,
        widget=forms.HiddenInput,
        error_messages={
            key: not_a_revision for key in ("required", "invalid", "min_value", "max_value")
        },
    )


class UploadForm(forms.Form):
    # The revision that was live when the form was opened: a colleague's publish in between is
    # shown as a conflict in the preview, never silently published over.
    base_number = base_number_field(required=False)
    # The hash of the text the form was opened with (the live revision's, to edit in place):
    # a file chosen while that text is untouched replaces it; an edited text and a file clash.
    offered = forms.CharField(required=False, widget=forms.HiddenInput)
    text = forms.CharField(
        label="Paste the article",
        required=False,
        strip=False,
        widget=forms.Textarea(attrs={"rows": 10, "spellcheck": "false"}),
    )
    file = forms.FileField(
        label="or upload a file (.txt, .html, .htm)",
        required=False,
        widget=forms.FileInput(attrs={"accept": ",".join(UPLOAD_SUFFIXES)}),
    )

    def clean_file(self) -> UploadedFile | None:
        upload = self.cleaned_data["file"]
        if upload is None:
            return None
        if not upload.name.lower().endswith(UPLOAD_SUFFIXES):
            raise forms.ValidationError(
                f"“{upload.name}” is not a text or HTML file: upload a .txt, .html or .htm file."
            )
        try:
            # Refused on its size alone, before reading it.
            check_size(upload.size, settings.NEWSROOM_MAX_UPLOAD_BYTES)
        except ParseError as error:
            raise forms.ValidationError(f"Could not read the article: {error}.") from error
        return upload

    def clean(self) -> dict[str, Any]:
        data = cast(dict[str, Any], super().clean())  # Form.clean returns cleaned_data
        if self.errors:
            return data
        text, upload = data.get("text", ""), data.get("file")
        if upload and data.get("offered") == content_hash(unify_newlines(text)):
            text = ""  # the offered text, untouched: the file is the new version
        if upload and text.strip():
            raise forms.ValidationError("Paste the article or upload a file, not both.")
        if not upload and not text.strip():
            raise forms.ValidationError("Paste the article or choose a file to upload.")
        data["raw_text"], data["document"] = _parse(upload.read() if upload else text)
        return data


class PublishForm(forms.Form):
    """Carries the previewed upload back verbatim: nothing is stored before Publish."""

    # Editable in the preview: "Update preview" parses it again. hx-preserve keeps the editor's
    # textarea (caret, scroll) while htmx swaps the preview around it.
    raw_text = forms.CharField(
        label="The text",
        strip=False,
        widget=forms.Textarea(attrs={"rows": 24, "spellcheck": "false", "hx-preserve": "true"}),
    )
    base_number = base_number_field(required=True)
    note = forms.CharField(
        label="Change note",
        max_length=NOTE_MAX_CHARS,
        required=False,
        help_text="Readers see this in the timeline.",
    )
    kind = forms.ChoiceField(
        label="Kind of change",
        choices=Revision.Kind.choices,
        initial=Revision.Kind.UPDATE,
        widget=forms.RadioSelect,
    )
    # The note the desk suggested from the diff: while the editor has not changed it, an
    # updated preview suggests the new diff's summary instead.
    suggested_note = forms.CharField(required=False, widget=forms.HiddenInput)
    as_of = forms.DateTimeField(
        label="As of",
        required=False,
        widget=forms.DateTimeInput(attrs={"type": "datetime-local"}, format="%Y-%m-%dT%H:%M"),
        help_text="Empty: the moment you publish. Set it to date an update received earlier.",
    )
    # The wipe guard's confirmation: shown (and needed) only when the upload removes most of
    # the live text.
    allow_shrink = forms.BooleanField(required=False)

    def clean_as_of(self) -> Any:
        # The rule (never in the future, never before the live revision) is Story.publish's;
        # the future is refused here too, at once, without the clock tolerance publish allows.
        as_of = self.cleaned_data["as_of"]
        if as_of is not None and as_of > timezone.now():
            raise forms.ValidationError(
                "This time is in the future: a revision is dated when it was known, at the "
                "latest now. Leave it empty for now."
            )
        return as_of

    def clean(self) -> dict[str, Any]:
        data = cast(dict[str, Any], super().clean())  # Form.clean returns cleaned_data
        if "raw_text" not in data:
            return data
        data["raw_text"], data["document"] = _parse(data["raw_text"])
        return data


class NewStoryForm(PublishForm):
    slug = forms.SlugField(
        label="Web address",
        max_length=80,
        required=False,
        help_text="Leave empty to make one from the headline.",
    )

    def clean_slug(self) -> str:
        slug = self.cleaned_data["slug"]
        if slug and Story.objects.filter(slug=slug).exists():
            raise forms.ValidationError(f"There is already a story at “{slug}”: choose another.")
        return slug


class RetractForm(forms.Form):
    reason = forms.CharField(
        label="Reason (shown to readers)",
        max_length=500,
        widget=forms.Textarea(attrs={"rows": 3}),
    )
