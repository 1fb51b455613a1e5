"""Import and export under /api/v1/packs/. Instructors only: everyone else gets 404."""

from __future__ import annotations

from django.conf import settings
from django.http import HttpResponse
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiParameter, OpenApiResponse, extend_schema
from rest_framework import serializers, status
from rest_framework.decorators import api_view, parser_classes, permission_classes
from rest_framework.parsers import MultiPartParser
from rest_framework.permissions import AllowAny
from rest_framework.request import Request
from rest_framework.response import Response

from apps.core.api import ErrorOut
from apps.core.ratelimit import rate_limit
from apps.packs import selectors, services
from apps.packs.exporting import (
    KINDS,
    MAX_IDS,
    ExportRefused,
    export_file,
    export_preview,
    selection_args,
)
from apps.packs.importing import ImportRefused, Preview, detect_format, preview_build
from apps.packs.models import ImportDraft


class ImportInput(serializers.Serializer):
    file = serializers.FileField()
    format = serializers.ChoiceField(choices=["auto", *ImportDraft.Format.values, "pack"],
                                     default="auto",
                                     help_text="auto: from the file's extension, then content")


class PreviewRowOut(serializers.Serializer):
    line = serializers.IntegerField()
    id = serializers.CharField()
    title = serializers.CharField(help_text="The file's own title, when it was not a valid id "
                                            "and the id was made from it")
    action = serializers.ChoiceField(choices=["create", "update", "unchanged"])
    not_carried = serializers.ListField(child=serializers.CharField())
    kept = serializers.ListField(child=serializers.CharField())
    defaulted = serializers.ListField(child=serializers.CharField())


class ImportOut(serializers.Serializer):
    id = serializers.UUIDField()
    filename = serializers.CharField()
    format = serializers.CharField()
    applied = serializers.BooleanField()
    ok = serializers.BooleanField()
    errors = serializers.ListField(child=serializers.CharField())
    rows = PreviewRowOut(many=True)




def _out(draft: ImportDraft, preview: Preview) -> dict:
    return ImportOut({
        "id": draft.public_id, "filename": draft.filename, "format": draft.format,
        "applied": draft.applied_at is not None, "ok": preview.ok and draft.applied_at is None,
        "errors": preview.errors, "rows": preview.rows,
    }).data


@extend_schema(request={"multipart/form-data": ImportInput},
               responses={201: ImportOut, 400: ErrorOut, 404: OpenApiResponse(description="Not an instructor")},
               summary="Upload a file to import (bank YAML, GIFT, Moodle XML) and get its preview")
@api_view(["POST"])
@parser_classes([MultiPartParser])
@permission_classes([AllowAny])
@rate_limit("import_upload")
def import_create(request: Request) -> Response:
    selectors.require_instructor(request.user)
    form = ImportInput(data=request.data)
    form.is_valid(raise_exception=True)
    upload = form.validated_data["file"]
    data = upload.read(settings.PACK_IMPORT_MAX_BYTES + 1)
    fmt = form.validated_data["format"]
    if fmt == "auto":
        fmt = detect_format(upload.name or "", data)
    try:
        draft = services.import_draft_create(
            user=request.user, filename=upload.name or "upload", data=data, fmt=fmt)
    except ImportRefused as exc:
        return Response({"detail": str(exc), "errors": exc.errors},
                        status=status.HTTP_400_BAD_REQUEST)
    return Response(_out(draft, preview_build(text=draft.text, fmt=draft.format)),
                    status=status.HTTP_201_CREATED)


@extend_schema(responses={200: ImportOut, 404: OpenApiResponse(description="Not found")},
               summary="Preview of an uploaded import")
@api_view(["GET"])
@permission_classes([AllowAny])
def import_detail(request: Request, public_id) -> Response:
    draft = selectors.get_draft_for(request.user, public_id)
    return Response(_out(draft, preview_build(text=draft.text, fmt=draft.format)))


@extend_schema(request=None,
               responses={200: ImportOut, 400: ErrorOut, 404: OpenApiResponse(description="Not found")},
               summary="Apply an uploaded import, all or nothing")
@api_view(["POST"])
@permission_classes([AllowAny])
def import_apply(request: Request, public_id) -> Response:
    draft = selectors.get_draft_for(request.user, public_id)
    try:
        preview = services.import_apply(user=request.user, draft=draft)
    except services.ImportFailed as exc:
        return Response({"detail": str(exc), "errors": exc.errors},
                        status=status.HTTP_400_BAD_REQUEST)
    draft.refresh_from_db()
    return Response(_out(draft, preview))


_SELECTION_PARAMETERS = [
    OpenApiParameter("topic", str, required=False, description="Only questions whose main "
                     "topic is this slug"),
    OpenApiParameter("ids", str, required=False, description=f"Only these question ids, "
                     f"separated by commas or spaces (at most {MAX_IDS})"),
    OpenApiParameter("assignment", int, required=False, description="A cohort assignment you "
                     "own (kind=qti only): its fixed set, or its topic as a Canvas question "
                     "group drawing its count"),
]


class PreviewQuestionOut(serializers.Serializer):
    id = serializers.CharField()
    type = serializers.CharField()
    not_carried = serializers.ListField(child=serializers.CharField())


class LeftOutOut(serializers.Serializer):
    id = serializers.CharField()
    reason = serializers.CharField()


class ExportPreviewOut(serializers.Serializer):
    kind = serializers.CharField()
    title = serializers.CharField()
    pick = serializers.IntegerField(allow_null=True, help_text="Canvas draws this many of the "
                                    "questions for each student (a topic assignment)")
    rows = PreviewQuestionOut(many=True)
    left_out = LeftOutOut(many=True)


def _selection(request: Request) -> dict:
    params = request.query_params
    return selection_args(user=request.user, topic=params.get("topic"), ids=params.get("ids"),
                          assignment=params.get("assignment"))


def _bad_kind(kind: str, allowed: tuple[str, ...]) -> Response | None:
    if kind in allowed:
        return None
    return Response({"detail": f"kind must be one of {', '.join(allowed)}"},
                    status=status.HTTP_400_BAD_REQUEST)


@extend_schema(
    parameters=[OpenApiParameter("kind", str, enum=[k for k in KINDS if k != "pack"],
                                 required=True), *_SELECTION_PARAMETERS],
    responses={200: ExportPreviewOut, 400: ErrorOut, 404: OpenApiResponse(description="Not an "
                                                                           "instructor")},
    summary="What an export would hold and what its format cannot carry",
)
@api_view(["GET"])
@permission_classes([AllowAny])
def export_preview_detail(request: Request) -> Response:
    selectors.require_instructor(request.user)
    kind = request.query_params.get("kind", "")
    refused = _bad_kind(kind, tuple(k for k in KINDS if k != "pack"))
    if refused:
        return refused
    try:
        preview = export_preview(kind=kind, **_selection(request))
    except ExportRefused as exc:
        return Response({"detail": str(exc)}, status=status.HTTP_400_BAD_REQUEST)
    return Response(ExportPreviewOut(preview).data)


@extend_schema(
    parameters=[OpenApiParameter("kind", str, enum=list(KINDS), required=True),
                *_SELECTION_PARAMETERS],
    responses={(200, "application/octet-stream"): OpenApiTypes.BINARY, 400: ErrorOut,
               404: OpenApiResponse(description="Not an instructor")},
    summary="Export the bank or a selection as YAML, GIFT, Moodle XML, QTI 1.2 (a zip for "
            "Canvas) or a signed pack",
)
@api_view(["GET"])
@permission_classes([AllowAny])
def export(request: Request) -> Response | HttpResponse:
    selectors.require_instructor(request.user)
    # `kind`, not `format`: DRF reads a `format` query parameter as a renderer override.
    kind = request.query_params.get("kind", "")
    refused = _bad_kind(kind, KINDS)
    if refused:
        return refused
    try:
        file = export_file(user=request.user, kind=kind, **_selection(request))
    except (selectors.PackNotConfigured, ExportRefused) as exc:
        return Response({"detail": str(exc)}, status=status.HTTP_400_BAD_REQUEST)
    response = HttpResponse(file.data, content_type=file.content_type)
    response["Content-Disposition"] = f'attachment; filename="{file.filename}"'
    return response
