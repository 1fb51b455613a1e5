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
from apps.packs.exporting import KINDS, export_file
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


@extend_schema(
    parameters=[
        OpenApiParameter("kind", str, enum=list(KINDS), required=True),
        OpenApiParameter("topic", str, required=False),
    ],
    responses={(200, "application/octet-stream"): OpenApiTypes.BINARY, 400: ErrorOut,
               404: OpenApiResponse(description="Not an instructor")},
    summary="Export the bank as YAML, GIFT, Moodle XML or a signed pack",
)
@api_view(["GET"])
@permission_classes([AllowAny])
def export(request: Request) -> Response | HttpResponse:
    selectors.require_instructor(request.user)
    # `kind`, not `format`: DRF reads a `format` query parameter as a renderer override.
    kind = request.query_params.get("kind", "")
    if kind not in KINDS:
        return Response({"detail": f"kind must be one of {', '.join(KINDS)}"},
                        status=status.HTTP_400_BAD_REQUEST)
    try:
        file = export_file(user=request.user, kind=kind,
                           topic=request.query_params.get("topic") or None)
    except selectors.PackNotConfigured as exc:
        return Response({"detail": str(exc)}, status=status.HTTP_400_BAD_REQUEST)
    response = HttpResponse(file.data, content_type=file.content_type)
    response["Content-Disposition"] = f'attachment; filename="{file.filename}"'
    return response
