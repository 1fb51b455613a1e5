"""API plumbing shared by every app: JSON errors with a clear message."""

from __future__ import annotations

from rest_framework import serializers
from rest_framework.response import Response
from rest_framework.views import exception_handler as drf_exception_handler


def exception_handler(exc, context) -> Response | None:
    response = drf_exception_handler(exc, context)
    if response is None:
        return None
    data = response.data
    if isinstance(data, dict) and "detail" in data and len(data) == 1:
        response.data = {"detail": str(data["detail"])}
    elif isinstance(data, (dict, list)):
        response.data = {"detail": "Invalid input.", "errors": data}
    return response


class ErrorOut(serializers.Serializer):
    """Every refusal in the API: `{"detail": "a clear message"}`."""

    detail = serializers.CharField()
