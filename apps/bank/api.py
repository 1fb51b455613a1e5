from __future__ import annotations

from drf_spectacular.utils import extend_schema
from rest_framework import serializers
from rest_framework.decorators import api_view, permission_classes
from rest_framework.permissions import AllowAny
from rest_framework.request import Request
from rest_framework.response import Response

from apps.bank.selectors import resources_with_counts, topics_with_counts


class ResourceOutput(serializers.Serializer):
    slug = serializers.CharField()
    title = serializers.CharField()
    publisher = serializers.CharField()
    year = serializers.IntegerField(allow_null=True)
    url = serializers.URLField()
    kind = serializers.CharField()
    question_count = serializers.IntegerField()


class TopicOutput(serializers.Serializer):
    slug = serializers.CharField()
    name = serializers.CharField()
    description = serializers.CharField()
    question_count = serializers.IntegerField()


@extend_schema(responses=ResourceOutput(many=True), summary="Curated resources the bank cites")
@api_view(["GET"])
@permission_classes([AllowAny])
def resource_list(request: Request) -> Response:
    return Response(ResourceOutput(resources_with_counts(), many=True).data)


@extend_schema(responses=TopicOutput(many=True), summary="Topics of the bank")
@api_view(["GET"])
@permission_classes([AllowAny])
def topic_list(request: Request) -> Response:
    return Response(TopicOutput(topics_with_counts(), many=True).data)
