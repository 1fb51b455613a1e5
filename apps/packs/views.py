"""Instructor pages for import and export. Everyone else gets 404."""

from __future__ import annotations

from django import forms
from django.conf import settings
from django.contrib import messages
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.views.decorators.http import require_GET, require_POST

from apps.audit.selectors import audit_events
from apps.core.ratelimit import rate_limit
from apps.packs import selectors, services
from apps.packs.exporting import (
    KINDS,
    LABELS,
    ExportRefused,
    export_file,
    export_preview,
    selection_args,
)
from apps.packs.importing import ImportRefused, detect_format, preview_build
from apps.packs.models import ImportDraft

# A signed pack is verified on upload and stored as the bank YAML it carries.
UPLOAD_FORMATS = [("auto", "Detect from the file (extension, then content)"),
                  *ImportDraft.Format.choices, ("pack", "Signed pack (zip)")]


class ExportForm(forms.Form):
    """A selection to preview before downloading: GET, so the preview's URL can be shared."""

    kind = forms.ChoiceField(label="Format", choices=[(k, LABELS[k]) for k in KINDS
                                                      if k != "pack"], initial="qti")
    topic = forms.ChoiceField(label="Main topic", required=False)
    ids = forms.CharField(label="Question ids (optional; commas or spaces between them)",
                          required=False, max_length=20_000,
                          widget=forms.Textarea(attrs={"rows": 3}))

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["topic"].choices = [("", "Every topic"),
                                        *selectors.topic_choices()]


class UploadForm(forms.Form):
    file = forms.FileField()
    format = forms.ChoiceField(choices=UPLOAD_FORMATS, initial="auto")


def _index(request: HttpRequest, form: UploadForm, status: int = 200) -> HttpResponse:
    return render(request, "packs/index.html", {
        "form": form, "drafts": selectors.recent_drafts(request.user),
        "audit": audit_events(prefixes=("import.", "export."))[:20], "formats": ImportDraft.Format.choices,
        "export_form": ExportForm(),
    }, status=status)


@require_GET
def index(request: HttpRequest) -> HttpResponse:
    selectors.require_instructor(request.user)
    return _index(request, UploadForm())


@require_POST
@rate_limit("import_upload")
def upload(request: HttpRequest) -> HttpResponse:
    selectors.require_instructor(request.user)
    form = UploadForm(request.POST, request.FILES)
    if not form.is_valid():
        return _index(request, form, status=400)
    upload = form.cleaned_data["file"]
    # Read one byte past the limit so an oversized file is refused without reading all of it.
    data = upload.read(settings.PACK_IMPORT_MAX_BYTES + 1)
    fmt = form.cleaned_data["format"]
    if fmt == "auto":
        fmt = detect_format(upload.name or "", data)
    try:
        draft = services.import_draft_create(user=request.user, filename=upload.name or "upload",
                                             data=data, fmt=fmt)
    except ImportRefused as exc:
        form.add_error("file", str(exc))
        for error in exc.errors[:50]:
            form.add_error("file", error)
        return _index(request, form, status=400)
    return redirect("packs:preview", public_id=draft.public_id)


@require_GET
def preview(request: HttpRequest, public_id) -> HttpResponse:
    draft = selectors.get_draft_for(request.user, public_id)
    return render(request, "packs/preview.html", {
        "draft": draft, "preview": preview_build(text=draft.text, fmt=draft.format),
    })


@require_POST
def apply(request: HttpRequest, public_id) -> HttpResponse:
    draft = selectors.get_draft_for(request.user, public_id)
    try:
        result = services.import_apply(user=request.user, draft=draft)
    except services.ImportFailed as exc:
        messages.error(request, str(exc))
        return render(request, "packs/preview.html", {
            "draft": draft, "preview": preview_build(text=draft.text, fmt=draft.format),
        }, status=400)
    messages.success(request, f"Imported {draft.filename}: {result.count('create')} created "
                              f"(as drafts), {result.count('update')} updated, "
                              f"{result.count('unchanged')} unchanged.")
    return redirect("packs:index")


def _selection(request: HttpRequest) -> dict:
    return selection_args(user=request.user, topic=request.GET.get("topic"),
                          ids=request.GET.get("ids"), assignment=request.GET.get("assignment"))


@require_GET
def export_preview_page(request: HttpRequest) -> HttpResponse:
    """What an export would hold and what its format cannot carry, with the download link."""
    selectors.require_instructor(request.user)
    kind = request.GET.get("kind", "")
    if kind not in KINDS or kind == "pack":
        raise Http404
    try:
        preview = export_preview(kind=kind, **_selection(request))
    except ExportRefused as exc:
        messages.error(request, str(exc))
        return redirect("packs:index")
    query = request.GET.copy()
    query.pop("kind", None)
    return render(request, "packs/export_preview.html", {
        "preview": preview, "label": LABELS[kind], "query": query.urlencode(),
    })


@require_GET
def export(request: HttpRequest, fmt: str) -> HttpResponse:
    selectors.require_instructor(request.user)
    if fmt not in KINDS:
        raise Http404
    try:
        file = export_file(user=request.user, kind=fmt, **_selection(request))
    except (selectors.PackNotConfigured, ExportRefused) as exc:
        messages.error(request, str(exc))
        return redirect("packs:index")
    response = HttpResponse(file.data, content_type=file.content_type)
    response["Content-Disposition"] = f'attachment; filename="{file.filename}"'
    return response
