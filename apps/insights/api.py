"""Item analysis under /api/v1/insights/. Instructors only: everyone else gets 404."""

from __future__ import annotations

from drf_spectacular.utils import OpenApiParameter, OpenApiResponse, extend_schema
from rest_framework import serializers
from rest_framework.decorators import api_view, permission_classes
from rest_framework.permissions import AllowAny
from rest_framework.request import Request
from rest_framework.response import Response

from apps.insights import selectors


class ChoiceStatOut(serializers.Serializer):
    position = serializers.IntegerField()
    text = serializers.CharField()
    correct = serializers.BooleanField()
    picks = serializers.IntegerField(help_text="Answers that picked this choice (a hotspot: this "
                                     "line); an ordering question: that put this step out of "
                                     "place")
    upper_picks = serializers.IntegerField(help_text="The same, among the top 27% of learners")


class ItemStatsOut(serializers.Serializer):
    slug = serializers.CharField(source="question.slug")
    status = serializers.CharField(source="question.status")
    version = serializers.IntegerField(source="question.current_version.number")
    answers = serializers.IntegerField(source="stats.answers")
    facility = serializers.FloatField(source="stats.facility", allow_null=True)
    discrimination = serializers.FloatField(source="stats.discrimination", allow_null=True)
    mean_ms = serializers.FloatField(source="stats.mean_ms", allow_null=True)
    flags = serializers.ListField(source="stats.flags", child=serializers.CharField())
    type = serializers.CharField(source="stats.question_type")
    choices = ChoiceStatOut(source="stats.choices", many=True)


@extend_schema(
    parameters=[OpenApiParameter("attention", bool, required=False,
                                 description="only questions that need attention")],
    responses={200: ItemStatsOut(many=True), 404: OpenApiResponse(description="Not an instructor")},
    summary="Item analysis of every question (first attempts of signed-in humans)")
@api_view(["GET"])
@permission_classes([AllowAny])
def question_list(request: Request) -> Response:
    selectors.require_instructor(request.user)
    attention = request.query_params.get("attention", "").lower() in ("1", "true")
    return Response(ItemStatsOut(selectors.question_stats(attention_only=attention),
                                 many=True).data)


@extend_schema(responses={200: ItemStatsOut, 404: OpenApiResponse(description="Not found")},
               summary="Item analysis of one question")
@api_view(["GET"])
@permission_classes([AllowAny])
def question_detail(request: Request, slug: str) -> Response:
    return Response(ItemStatsOut(selectors.question_stats_for(request.user, slug)).data)
