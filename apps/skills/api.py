from __future__ import annotations

from drf_spectacular.utils import extend_schema
from rest_framework import serializers
from rest_framework.decorators import api_view, permission_classes
from rest_framework.permissions import IsAuthenticated
from rest_framework.request import Request
from rest_framework.response import Response

from apps.core.api import ErrorOut
from apps.skills import selectors, services


class SkillOut(serializers.Serializer):
    name = serializers.CharField()
    slug = serializers.CharField()
    mastery = serializers.IntegerField(help_text="Predicted % chance of answering an average "
                                                 "question of this topic right")
    uncertainty = serializers.IntegerField(help_text="± percentage points")
    evidence = serializers.IntegerField(help_text="First answers the estimate rests on")
    correct = serializers.IntegerField()
    percentile = serializers.IntegerField(allow_null=True)


class SkillsOut(serializers.Serializer):
    overall = SkillOut()
    topics = SkillOut(many=True)
    resources = SkillOut(many=True)
    strongest = SkillOut(many=True)
    weakest = SkillOut(many=True)
    due_reviews = serializers.IntegerField()


class RatingPointOut(serializers.Serializer):
    at = serializers.DateTimeField()
    rating = serializers.IntegerField()


class AccuracyPointOut(serializers.Serializer):
    day = serializers.DateField()
    answers = serializers.IntegerField()
    correct = serializers.IntegerField()
    accuracy = serializers.IntegerField()


class HistoryOut(serializers.Serializer):
    rating = RatingPointOut(many=True)
    accuracy = AccuracyPointOut(many=True)
    streak = serializers.IntegerField()
    today = serializers.DateField()


class ReviewOut(serializers.Serializer):
    question = serializers.CharField()
    topic = serializers.CharField()
    stem = serializers.CharField()
    due = serializers.DateTimeField()
    reviews = serializers.IntegerField()
    lapses = serializers.IntegerField()


class LeaderRowOut(serializers.Serializer):
    rank = serializers.IntegerField()
    name = serializers.CharField()
    value = serializers.IntegerField()
    is_you = serializers.BooleanField()


class LeaderboardOut(serializers.Serializer):
    kind = serializers.CharField()
    title = serializers.CharField()
    unit = serializers.CharField()
    rows = LeaderRowOut(many=True)


@extend_schema(responses={200: SkillsOut, 401: ErrorOut},
               summary="Your mastery overall, per topic and per resource")
@api_view(["GET"])
@permission_classes([IsAuthenticated])
def my_skills(request: Request) -> Response:
    summary = selectors.skill_summary(request.user)
    if summary["stats_stale"]:
        services.skill_stats_refresh_soon()
    return Response(SkillsOut({**summary,
                               "due_reviews": selectors.due_count(request.user)}).data)


@extend_schema(responses={200: HistoryOut, 401: ErrorOut},
               summary="Your rating and accuracy over time, and your streak of active days")
@api_view(["GET"])
@permission_classes([IsAuthenticated])
def my_history(request: Request) -> Response:
    return Response(HistoryOut(selectors.history(request.user)).data)


@extend_schema(responses={200: ReviewOut(many=True), 401: ErrorOut},
               summary="Questions due for review (no answer keys)")
@api_view(["GET"])
@permission_classes([IsAuthenticated])
def my_review(request: Request) -> Response:
    rows = [{"question": card.question.slug,
             "topic": card.question.current_version.main_topic.name,
             "stem": card.question.current_version.stem, "due": card.due,
             "reviews": card.reviews, "lapses": card.lapses}
            for card in selectors.due_reviews(request.user)[:100]]
    return Response(ReviewOut(rows, many=True).data)


@extend_schema(responses={200: LeaderboardOut, 401: ErrorOut, 404: ErrorOut},
               summary="A leaderboard: rating, rating-week or topic-<slug>")
@api_view(["GET"])
@permission_classes([IsAuthenticated])
def leaderboard(request: Request, kind: str) -> Response:
    return Response(LeaderboardOut(selectors.leaderboard(kind=kind, viewer=request.user)).data)
