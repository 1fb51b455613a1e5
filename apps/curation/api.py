"""/api/v1/curation/: the same services as the pages. Instructor endpoints answer 404 to
signed-in learners (and 401 to anonymous callers) so they reveal nothing."""

from __future__ import annotations

from typing import Any

from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiParameter, extend_schema
from rest_framework import serializers, status
from rest_framework.decorators import api_view
from rest_framework.pagination import LimitOffsetPagination
from rest_framework.request import Request
from rest_framework.response import Response

from apps.audit.selectors import audit_events
from apps.bank import limits
from apps.bank.bankfile import ARTIFACT_KINDS, MAX_CHOICES, QUESTION_TYPES
from apps.bank.models import Question
from apps.core.ratelimit import rate_limit
from apps.curation import selectors, services
from apps.curation.models import Report
from apps.curation.services import TRANSITIONS, CurationError

# --- input --------------------------------------------------------------------------------------
# The serializers check only shapes (strings where strings belong), so arbitrary JSON never
# reaches the bank's validator, which then applies the real rules exactly as loadbank does.


class CurationResourceRefInput(serializers.Serializer):
    slug = serializers.CharField(max_length=100)
    locator = serializers.CharField(max_length=limits.LOCATOR, allow_blank=True)


class CurationArtifactInput(serializers.Serializer):
    kind = serializers.ChoiceField(choices=ARTIFACT_KINDS)
    content = serializers.CharField(max_length=limits.ARTIFACT, trim_whitespace=False)


class CurationChoiceInput(serializers.Serializer):
    text = serializers.CharField(max_length=limits.CHOICE)
    correct = serializers.BooleanField(required=False, default=False)
    misconception = serializers.CharField(max_length=limits.MISCONCEPTION, required=False,
                                          allow_blank=True)


class CurationLineNoteInput(serializers.Serializer):
    line = serializers.IntegerField(min_value=1, max_value=limits.HOTSPOT_MAX_LINES)
    misconception = serializers.CharField(max_length=limits.MISCONCEPTION)


class CurationQuestionInput(serializers.Serializer):
    """A question in the bank's YAML shape (questions/README.md)."""

    id = serializers.CharField(max_length=limits.ID, required=False,
                               help_text="Required on create; ignored on update.")
    type = serializers.ChoiceField(choices=QUESTION_TYPES)
    style = serializers.CharField(max_length=20)
    difficulty = serializers.IntegerField(min_value=1, max_value=3)
    topics = serializers.ListField(child=serializers.CharField(max_length=100),
                                   max_length=limits.MAX_TOPICS)
    resources = serializers.ListField(child=CurationResourceRefInput(),
                                      max_length=limits.MAX_RESOURCES, required=False)
    stem = serializers.CharField(max_length=limits.STEM, trim_whitespace=False)
    artifact = CurationArtifactInput(required=False)
    choices = serializers.ListField(child=CurationChoiceInput(), max_length=MAX_CHOICES,
                                    required=False,
                                    help_text="single, multiple and true_false questions")
    key_lines = serializers.ListField(
        child=serializers.IntegerField(min_value=1, max_value=limits.HOTSPOT_MAX_LINES),
        max_length=limits.HOTSPOT_MAX_KEY_LINES, required=False,
        help_text="hotspot questions: the artifact's lines (from 1) that answer")
    line_notes = serializers.ListField(child=CurationLineNoteInput(), required=False,
                                       max_length=limits.HOTSPOT_MAX_LINES,
                                       help_text="hotspot questions: tempting wrong lines")
    steps = serializers.ListField(child=serializers.CharField(max_length=limits.STEP),
                                  max_length=limits.ORDERING_MAX_STEPS, required=False,
                                  help_text="ordering questions: the steps in the right order")
    explanation = serializers.CharField(max_length=limits.EXPLANATION, required=False,
                                        allow_blank=True,
                                        trim_whitespace=False)

    def item(self) -> dict[str, Any]:
        d = self.validated_data
        item: dict[str, Any] = {k: d[k] for k in ("type", "style", "difficulty", "topics",
                                                  "stem")}
        if "id" in d:
            item["id"] = d["id"]
        item["resources"] = [dict(r) for r in d.get("resources", [])]
        if d.get("artifact"):
            item["artifact"] = dict(d["artifact"])
        for key in ("key_lines", "steps"):
            if key in d:
                item[key] = list(d[key])
        if "line_notes" in d:
            item["line_notes"] = [dict(n) for n in d["line_notes"]]
        if "choices" in d:
            item["choices"] = []
        for c in d.get("choices", []):
            choice: dict[str, Any] = {"text": c["text"]}
            if c.get("correct"):
                choice["correct"] = True
            if c.get("misconception"):
                choice["misconception"] = c["misconception"]
            item["choices"].append(choice)
        item["explanation"] = d.get("explanation", "")
        return item


class CurationTransitionInput(serializers.Serializer):
    action = serializers.ChoiceField(choices=TRANSITIONS)
    comment = serializers.CharField(max_length=2000, required=False, allow_blank=True)


class CurationReportInput(serializers.Serializer):
    quiz = serializers.UUIDField(help_text="The quiz attempt's id.")
    question = serializers.IntegerField(min_value=1, max_value=100,
                                        help_text="The question's number in that quiz.")
    kind = serializers.ChoiceField(choices=Report.Kind.values)
    comment = serializers.CharField(max_length=2000)


class CurationReportHandleInput(serializers.Serializer):
    state = serializers.ChoiceField(choices=[Report.State.RESOLVED, Report.State.DISMISSED])
    note = serializers.CharField(max_length=2000)


# --- output -------------------------------------------------------------------------------------


class CurationQuestionSummaryOut(serializers.Serializer):
    id = serializers.CharField(source="slug")
    status = serializers.CharField()
    version = serializers.IntegerField(source="current_version.number")
    type = serializers.CharField(source="current_version.type")
    difficulty = serializers.IntegerField(source="current_version.difficulty")
    main_topic = serializers.CharField(source="current_version.main_topic.slug")
    updated_at = serializers.DateTimeField()


class CurationQuestionOut(serializers.Serializer):
    id = serializers.CharField(source="slug")
    status = serializers.CharField()
    version = serializers.IntegerField(source="current_version.number")
    content = serializers.JSONField(source="current_version.content",
                                    help_text="The question in the bank's YAML shape, with its "
                                              "answer key.")
    changed_in_site = serializers.BooleanField()
    updated_at = serializers.DateTimeField()


class CurationVersionOut(serializers.Serializer):
    number = serializers.IntegerField()
    created_at = serializers.DateTimeField()
    created_by = serializers.CharField(source="created_by.username", allow_null=True,
                                       default=None)
    content_hash = serializers.CharField()
    content = serializers.JSONField()


class CurationDiffOut(serializers.Serializer):
    old = serializers.IntegerField()
    new = serializers.IntegerField()
    diff = serializers.ListField(child=serializers.CharField())


class CurationTransitionOut(serializers.Serializer):
    id = serializers.CharField()
    status = serializers.CharField()
    changed = serializers.BooleanField()


class CurationReportOut(serializers.Serializer):
    id = serializers.IntegerField()
    question = serializers.CharField(source="question.slug")
    version = serializers.IntegerField(source="version.number")
    kind = serializers.CharField()
    comment = serializers.CharField()
    state = serializers.CharField()
    note = serializers.CharField()
    created_at = serializers.DateTimeField()
    handled_at = serializers.DateTimeField(allow_null=True)


class CurationMyReportOut(serializers.Serializer):
    id = serializers.IntegerField()
    kind = serializers.CharField()
    comment = serializers.CharField()
    state = serializers.CharField()
    note = serializers.CharField()
    created_at = serializers.DateTimeField()
    handled_at = serializers.DateTimeField(allow_null=True)


class CurationAuditOut(serializers.Serializer):
    actor = serializers.CharField(source="actor.username", allow_null=True, default=None)
    action = serializers.CharField()
    question = serializers.CharField(source="question.slug", allow_null=True, default=None)
    version = serializers.IntegerField(source="version_number", allow_null=True)
    subject = serializers.CharField()
    detail = serializers.CharField()
    data = serializers.DictField()
    created_at = serializers.DateTimeField()


class CurationErrorOut(serializers.Serializer):
    detail = serializers.CharField()
    errors = serializers.DictField(child=serializers.ListField(child=serializers.CharField()),
                                   required=False)


def _error(exc: CurationError) -> Response:
    return Response({"detail": exc.message, "errors": exc.errors}, status=exc.status)


def _paginated(request: Request, qs, serializer) -> Response:
    paginator = LimitOffsetPagination()
    page = paginator.paginate_queryset(qs, request)
    return paginator.get_paginated_response(serializer(page, many=True).data)


SEARCH_PARAMETERS = [
    OpenApiParameter("q", str, description="Text in the stem, explanation or id"),
    OpenApiParameter("topic", str), OpenApiParameter("resource", str),
    OpenApiParameter("difficulty", int, enum=[1, 2, 3]),
    OpenApiParameter("type", str, enum=list(QUESTION_TYPES)),
    OpenApiParameter("status", str, enum=list(Question.Status.values)),
    OpenApiParameter("author", str, description="Username of anyone who wrote a version"),
    OpenApiParameter("atlas", str, description="A MITRE ATLAS id (a technique includes its "
                     "sub-techniques)"),
]


def _filters(request: Request) -> selectors.SearchFilters:
    params = request.query_params
    difficulty = params.get("difficulty", "")
    return selectors.SearchFilters(
        q=params.get("q", "")[:200], topic=params.get("topic", "")[:100],
        resource=params.get("resource", "")[:100],
        difficulty=int(difficulty) if difficulty in ("1", "2", "3") else None,
        type=params.get("type", "")[:20], status=params.get("status", "")[:20],
        author=params.get("author", "")[:150], atlas=params.get("atlas", "")[:20])


@extend_schema(methods=["GET"], parameters=SEARCH_PARAMETERS,
               responses={200: CurationQuestionSummaryOut(many=True), 401: CurationErrorOut, 404: CurationErrorOut},
               summary="Search the bank (instructors)")
@extend_schema(methods=["POST"], request=CurationQuestionInput,
               responses={201: CurationQuestionOut, 400: CurationErrorOut, 401: CurationErrorOut, 404: CurationErrorOut,
                          409: CurationErrorOut},
               summary="Create a draft question (instructors)")
@api_view(["GET", "POST"])
def question_list(request: Request) -> Response:
    selectors.require_instructor(request.user)
    if request.method == "GET":
        return _paginated(request, selectors.question_search(_filters(request)),
                          CurationQuestionSummaryOut)
    data = CurationQuestionInput(data=request.data)
    data.is_valid(raise_exception=True)
    try:
        question = services.question_create(user=request.user, item=data.item(),
                                            origin=services.Origin.API)
    except CurationError as exc:
        return _error(exc)
    question.refresh_from_db()
    return Response(CurationQuestionOut(question).data, status=status.HTTP_201_CREATED)


@extend_schema(methods=["GET"], responses={200: CurationQuestionOut, 401: CurationErrorOut, 404: CurationErrorOut},
               summary="A question's current version with its key (instructors)")
@extend_schema(methods=["PUT"], request=CurationQuestionInput,
               responses={200: CurationQuestionOut, 400: CurationErrorOut, 401: CurationErrorOut, 404: CurationErrorOut,
                          409: CurationErrorOut},
               summary="Save an edit as a new version (instructors)")
@api_view(["GET", "PUT"])
def question_detail(request: Request, slug: str) -> Response:
    question = selectors.get_question_for_instructor(request.user, slug)
    if request.method == "PUT":
        data = CurationQuestionInput(data=request.data)
        data.is_valid(raise_exception=True)
        try:
            services.question_update(user=request.user, question=question, item=data.item(),
                                    origin=services.Origin.API)
        except CurationError as exc:
            return _error(exc)
        question.refresh_from_db()
    return Response(CurationQuestionOut(question).data)


@extend_schema(request=CurationTransitionInput,
               responses={200: CurationTransitionOut, 400: CurationErrorOut, 401: CurationErrorOut, 404: CurationErrorOut,
                          409: CurationErrorOut},
               summary="Submit, approve, request changes, retire or reopen (idempotent)")
@api_view(["POST"])
def question_transition(request: Request, slug: str) -> Response:
    question = selectors.get_question_for_instructor(request.user, slug)
    data = CurationTransitionInput(data=request.data)
    data.is_valid(raise_exception=True)
    try:
        changed = services.question_transition(
            user=request.user, question=question, action=data.validated_data["action"],
            comment=data.validated_data.get("comment", ""))
    except CurationError as exc:
        return _error(exc)
    question.refresh_from_db()
    return Response({"id": question.slug, "status": question.status, "changed": changed})


@extend_schema(responses={200: CurationVersionOut(many=True), 401: CurationErrorOut, 404: CurationErrorOut},
               summary="Every version of a question, newest first (instructors)")
@api_view(["GET"])
def question_versions(request: Request, slug: str) -> Response:
    question = selectors.get_question_for_instructor(request.user, slug)
    return _paginated(request, selectors.question_versions(question), CurationVersionOut)


@extend_schema(parameters=[OpenApiParameter("old", OpenApiTypes.INT, required=True),
                           OpenApiParameter("new", OpenApiTypes.INT, required=True)],
               responses={200: CurationDiffOut, 401: CurationErrorOut, 404: CurationErrorOut},
               summary="Unified diff of two versions in the bank's YAML (instructors)")
@api_view(["GET"])
def question_diff(request: Request, slug: str) -> Response:
    question = selectors.get_question_for_instructor(request.user, slug)
    old = selectors.version_get(question, request.query_params.get("old"))
    new = selectors.version_get(question, request.query_params.get("new"))
    return Response({"old": old.number, "new": new.number,
                     "diff": selectors.version_diff(old, new)})


@extend_schema(parameters=[OpenApiParameter("state", str, enum=list(Report.State.values))],
               responses={200: CurationReportOut(many=True), 401: CurationErrorOut, 404: CurationErrorOut},
               methods=["GET"], summary="The report queue (instructors)")
@extend_schema(request=CurationReportInput, methods=["POST"],
               responses={201: CurationMyReportOut, 400: CurationErrorOut, 401: CurationErrorOut, 404: CurationErrorOut,
                          409: CurationErrorOut},
               summary="Report a problem with a question you answered")
@api_view(["GET", "POST"])
@rate_limit("report_create")
def report_list(request: Request) -> Response:
    if request.method == "GET":
        selectors.require_instructor(request.user)
        state = request.query_params.get("state", "")
        if state and state not in Report.State.values:
            state = ""
        return _paginated(request, selectors.report_queue(state=state), CurationReportOut)
    data = CurationReportInput(data=request.data)
    data.is_valid(raise_exception=True)
    v = data.validated_data
    aq = selectors.get_answered_question_for(request.user, v["quiz"], v["question"])
    try:
        report = services.report_create(user=request.user, attempt_question=aq,
                                        kind=v["kind"], comment=v["comment"])
    except CurationError as exc:
        return _error(exc)
    return Response(CurationMyReportOut(report).data, status=status.HTTP_201_CREATED)


@extend_schema(responses={200: CurationMyReportOut(many=True), 401: CurationErrorOut},
               summary="Your reports and their outcome")
@api_view(["GET"])
def my_reports(request: Request) -> Response:
    return _paginated(request, selectors.reports_of(request.user), CurationMyReportOut)


@extend_schema(request=CurationReportHandleInput,
               responses={200: CurationReportOut, 400: CurationErrorOut, 401: CurationErrorOut, 404: CurationErrorOut,
                          409: CurationErrorOut},
               summary="Resolve or dismiss a report with a note (instructors, idempotent)",
               operation_id="v1_curation_reports_handle")
@api_view(["POST"])
def report_handle(request: Request, report_id: int) -> Response:
    report = selectors.get_report_for_instructor(request.user, report_id)
    data = CurationReportHandleInput(data=request.data)
    data.is_valid(raise_exception=True)
    try:
        services.report_handle(user=request.user, report=report, **data.validated_data)
    except CurationError as exc:
        return _error(exc)
    report.refresh_from_db()
    return Response(CurationReportOut(report).data)


@extend_schema(responses={200: CurationAuditOut(many=True), 401: CurationErrorOut, 404: CurationErrorOut},
               summary="The audit trail (curation, imports, exports, cohorts), newest first (instructors)")
@api_view(["GET"])
def audit_list(request: Request) -> Response:
    selectors.require_instructor(request.user)
    return _paginated(request, audit_events(), CurationAuditOut)


