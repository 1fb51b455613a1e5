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
from apps.packs.exporting import KINDS, export_file
from apps.packs.importing import ImportRefused, detect_format, preview_build
from apps.packs.models import ImportDraft

# A signed pack is verified on upload and stored as the bank YAML it carries.
UPLOAD_FORMATS = [("auto", "Detect from the file (extension, then content)"),
                  *ImportDraft.Format.choices, ("pack", "Signed pack (zip)")]


class UploadForm(forms.Form):
    file = forms.FileField()
    format = forms.ChoiceField(choices=UPLOAD_FORMATS, initial="auto")


def _index(request: HttpRequest, form: UploadForm, status: int = 200) -> HttpResponse:
    return render(request, "packs/index.html", {
        "form": form, "drafts": selectors.recent_drafts(request.user),
        "audit": audit_events(prefixes=("import.", "export."))[:20], "formats": ImportDraft.Format.choices,
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


@require_GET
def export(request: HttpRequest, fmt: str) -> HttpResponse:
    selectors.require_instructor(request.user)
    if fmt not in KINDS:
        raise Http404
    try:
        file = export_file(user=request.user, kind=fmt, topic=request.GET.get("topic") or None)
    except selectors.PackNotConfigured as exc:
        messages.error(request, str(exc))
        return redirect("packs:index")
    response = HttpResponse(file.data, content_type=file.content_type)
    response["Content-Disposition"] = f'attachment; filename="{file.filename}"'
    return response
