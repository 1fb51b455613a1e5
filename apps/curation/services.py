"""Writes for instructor curation. Every action is recorded in the audit trail in the same
transaction as the change it describes.

Locking: a service that changes a question takes the question's row lock first
(`select_for_update` inside `atomic`), so two instructors acting on one question run one after
another and a transition is decided against the status it will change. Reports are locked the
same way. On SQLite the IMMEDIATE transaction mode gives the same serialisation.
"""

from __future__ import annotations

import re
from typing import Any

from django.db import IntegrityError, transaction
from django.utils import timezone

from apps.bank.bankfile import QuestionData, validate_question
from apps.bank.models import Question, QuestionVersion, Resource, Topic
from apps.bank.services import content_hash, version_create
from apps.curation.models import AuditEvent, Report, Review
from apps.quiz.models import AttemptQuestion

NON_FIELD = "__all__"
MAX_COMMENT = 2000


class CurationError(Exception):
    """A refusal: `message` for people, `status` for HTTP, `errors` (field -> messages) for
    forms."""

    def __init__(self, message: str, status: int = 400,
                 errors: dict[str, list[str]] | None = None):
        super().__init__(message)
        self.message = message
        self.status = status
        self.errors = errors or {NON_FIELD: [message]}


# --- validation: the bank's own rules ---------------------------------------------------------

_FIELD_ERROR = re.compile(r"^field:(?P<field>\w+): (?P<message>.*)$", re.S)
_LABEL = re.compile(r"^question(?: '[^']*')?: ")
_MISSING = re.compile(r"question is missing '(?P<field>\w+)'")


def _field_errors(raw: list[str]) -> dict[str, list[str]]:
    """Map validate_question's `where: message` lines to form fields."""
    out: dict[str, list[str]] = {}
    for line in raw:
        match = _FIELD_ERROR.match(line)
        if match:
            field, message = match["field"], _LABEL.sub("", match["message"])
        else:
            message = line.split(": ", 1)[1] if ": " in line else line
            missing = _MISSING.search(message)
            field = missing["field"] if missing else NON_FIELD
            if missing:
                message = "This field is required."
        out.setdefault(field, []).append(message[:1].upper() + message[1:])
    return out


def question_validate(*, item: dict[str, Any]) -> QuestionData:
    """Validate a question in the bank's YAML shape with exactly the rules `loadbank` applies.
    Raises CurationError with field-level errors."""
    topic_slugs = set(Topic.objects.values_list("slug", flat=True))
    resource_slugs = set(Resource.objects.values_list("slug", flat=True))
    errors: list[str] = []
    # Each key is its own "line", so an error names the field it belongs to.
    lines = {key: key for key in item} if isinstance(item, dict) else {}
    data = validate_question(item, "question", lines, "field", topic_slugs, resource_slugs,
                             errors)
    if errors or data is None:
        raise CurationError("The question has errors.", errors=_field_errors(errors))
    return data


def _lookups(data: QuestionData) -> tuple[dict[str, Topic], dict[str, Resource]]:
    topics = Topic.objects.in_bulk(list(data.topics), field_name="slug")
    resources = Resource.objects.in_bulk([slug for slug, _ in data.resources],
                                         field_name="slug")
    return topics, resources


def _audit(*, actor, action: str, question: Question | None, detail: str = "",
           version_number: int | None = None) -> AuditEvent:
    return AuditEvent.objects.create(actor=actor, action=action, question=question,
                                     detail=detail[:MAX_COMMENT], version_number=version_number)


def _locked(question: Question) -> Question:
    # `of=self`: PostgreSQL refuses FOR UPDATE across the nullable current_version join.
    return Question.objects.select_for_update(of=("self",)).select_related(
        "current_version").get(pk=question.pk)


# --- questions --------------------------------------------------------------------------------


def question_create(*, user, item: dict[str, Any]) -> Question:
    """Create a draft question with its first version from the bank's YAML shape."""
    item = {k: v for k, v in item.items() if k != "status"}
    data = question_validate(item=item)
    if Question.objects.filter(slug=data.id).exists():
        raise CurationError("That id is taken.", status=409,
                            errors={"id": [f"The id {data.id!r} is already used; ids are "
                                           "never reused."]})
    topics, resources = _lookups(data)
    try:
        with transaction.atomic():
            question = Question.objects.create(slug=data.id, status=Question.Status.DRAFT)
            version = version_create(question=question, data=data, topics=topics,
                                     resources=resources, created_by=user)
            _audit(actor=user, action=AuditEvent.Action.CREATE, question=question,
                   version_number=version.number)
    except IntegrityError:  # a concurrent create took the id between the check and the insert
        raise CurationError("That id is taken.", status=409,
                            errors={"id": [f"The id {data.id!r} is already used."]}) from None
    return question


def question_update(*, user, question: Question, item: dict[str, Any]) -> QuestionVersion:
    """Save an edit as a new version (earlier versions, and the attempts that showed them, are
    untouched). Saving unchanged content makes no version. Editing a published question sends
    it back to review: another instructor approves the change before learners see it.
    Takes the question's row lock. `loaded_hash` is left alone on purpose: it is how loadbank
    recognises a question changed in the site."""
    item = {k: v for k, v in item.items() if k != "status"}
    item["id"] = question.slug  # the id is the question's identity and never changes
    data = question_validate(item=item)
    topics, resources = _lookups(data)
    with transaction.atomic():
        question = _locked(question)
        if question.status == Question.Status.RETIRED:
            raise CurationError("This question is retired; reopen it as a draft to edit it.",
                                status=409)
        content = data.content()
        content.pop("status", None)
        current = question.current_version
        if current is not None and current.content_hash == content_hash(content):
            return current
        version = version_create(question=question, data=data, topics=topics,
                                 resources=resources, created_by=user)
        detail = ""
        if question.status == Question.Status.PUBLISHED:
            Question.objects.filter(pk=question.pk).update(status=Question.Status.REVIEW)
            Review.objects.create(question=question, version=version, submitted_by=user)
            detail = "Published question edited: sent back to review."
        elif question.status == Question.Status.REVIEW:
            Review.objects.filter(question=question, decision=Review.Decision.PENDING).update(
                version=version)
        _audit(actor=user, action=AuditEvent.Action.EDIT, question=question,
               version_number=version.number, detail=detail)
    return version


TRANSITIONS = ("submit", "approve", "request_changes", "retire", "reopen")


def question_transition(*, user, question: Question, action: str, comment: str = "") -> bool:
    """Move a question through draft -> review -> published -> retired.

    Idempotent: asking for the state the question is already in changes nothing and returns
    False. A transition that is not allowed from the current state raises CurationError (409).
    An author cannot approve their own question: the approver must be neither the one who
    submitted it nor the author of the version under review. Takes the question's row lock."""
    if action not in TRANSITIONS:
        raise CurationError(f"Unknown action {action!r}; use one of {', '.join(TRANSITIONS)}.")
    comment = (comment or "").strip()
    if len(comment) > MAX_COMMENT:
        raise CurationError(f"Keep the comment under {MAX_COMMENT} characters.",
                            errors={"comment": [f"At most {MAX_COMMENT} characters."]})
    S = Question.Status
    with transaction.atomic():
        question = _locked(question)
        status = question.status
        version = question.current_version
        number = version.number if version else None
        pending = Review.objects.filter(question=question,
                                        decision=Review.Decision.PENDING).first()

        def refuse(message: str):
            raise CurationError(message, status=409)

        def move(to: str, audit_action: str) -> bool:
            Question.objects.filter(pk=question.pk, status=status).update(status=to)
            question.status = to
            _audit(actor=user, action=audit_action, question=question, detail=comment,
                   version_number=number)
            return True

        if action == "submit":
            if status == S.REVIEW:
                return False
            if status != S.DRAFT:
                refuse(f"Only a draft can be submitted for review; this question is {status}.")
            Review.objects.create(question=question, version=version, submitted_by=user,
                                  comment=comment)
            return move(S.REVIEW, AuditEvent.Action.SUBMIT)
        if action == "approve":
            if status == S.PUBLISHED:
                return False
            if status != S.REVIEW:
                refuse(f"Only a question in review can be approved; this one is {status}. "
                       "Submit it for review first.")
            authors = {version.created_by_id if version else None,
                       pending.submitted_by_id if pending else None}
            if user.pk in authors:
                refuse("You wrote or submitted this version: another instructor must review "
                       "and approve it.")
            if pending:
                Review.objects.filter(pk=pending.pk).update(
                    decision=Review.Decision.APPROVED, reviewer=user, comment=comment,
                    decided_at=timezone.now())
            return move(S.PUBLISHED, AuditEvent.Action.APPROVE)
        if action == "request_changes":
            if not comment:
                raise CurationError("Say what needs to change.",
                                    errors={"comment": ["Say what needs to change."]})
            last = Review.objects.filter(question=question).first()
            if (status == S.DRAFT and last and last.decision == Review.Decision.CHANGES
                    and last.reviewer_id == user.pk):
                return False  # the same request again
            if status != S.REVIEW:
                refuse(f"Changes can only be requested on a question in review; this one is "
                       f"{status}.")
            if pending:
                Review.objects.filter(pk=pending.pk).update(
                    decision=Review.Decision.CHANGES, reviewer=user, comment=comment,
                    decided_at=timezone.now())
            return move(S.DRAFT, AuditEvent.Action.REQUEST_CHANGES)
        if action == "retire":
            if status == S.RETIRED:
                return False
            Review.objects.filter(question=question, decision=Review.Decision.PENDING).update(
                decision=Review.Decision.CHANGES, reviewer=user,
                comment="Retired before a decision.", decided_at=timezone.now())
            return move(S.RETIRED, AuditEvent.Action.RETIRE)
        # reopen
        if status == S.DRAFT:
            return False
        if status != S.RETIRED:
            refuse(f"Only a retired question can be reopened; this one is {status}.")
        return move(S.DRAFT, AuditEvent.Action.REOPEN)


# --- learner reports --------------------------------------------------------------------------


def report_create(*, user, attempt_question: AttemptQuestion, kind: str,
                  comment: str) -> Report:
    """A learner reports a problem with a question they answered. The caller has checked that
    the attempt is theirs; this checks that the question was answered."""
    if attempt_question.state != AttemptQuestion.State.ANSWERED:
        raise CurationError("You can report a question once you have answered it.", status=409)
    errors: dict[str, list[str]] = {}
    if kind not in Report.Kind.values:
        errors["kind"] = ["Choose what is wrong."]
    comment = (comment or "").strip()
    if not comment:
        errors["comment"] = ["Tell us what is wrong."]
    elif len(comment) > MAX_COMMENT:
        errors["comment"] = [f"At most {MAX_COMMENT} characters."]
    if errors:
        raise CurationError("The report has errors.", errors=errors)
    if Report.objects.filter(reporter=user, attempt_question=attempt_question).exists():
        raise CurationError("You already reported this question from this quiz.", status=409)
    version = attempt_question.version
    try:
        with transaction.atomic():
            return Report.objects.create(
                reporter=user, attempt_question=attempt_question, question=version.question,
                version=version, kind=kind, comment=comment)
    except IntegrityError:  # a double submit raced the check above
        raise CurationError("You already reported this question from this quiz.",
                            status=409) from None


def report_handle(*, user, report: Report, state: str, note: str) -> bool:
    """Resolve or dismiss a report with a note the reporter will read. Idempotent: the same
    decision again changes nothing (returns False); the other decision is refused.
    Takes the report's row lock."""
    if state not in (Report.State.RESOLVED, Report.State.DISMISSED):
        raise CurationError("Choose resolved or dismissed.",
                            errors={"state": ["Choose resolved or dismissed."]})
    note = (note or "").strip()
    if not note:
        raise CurationError("Write a note for the learner.",
                            errors={"note": ["Write a note for the learner."]})
    if len(note) > MAX_COMMENT:
        raise CurationError("The note is too long.",
                            errors={"note": [f"At most {MAX_COMMENT} characters."]})
    with transaction.atomic():
        report = Report.objects.select_for_update().get(pk=report.pk)
        if report.state == state:
            return False
        if report.state != Report.State.OPEN:
            raise CurationError(f"This report was already {report.state}.", status=409)
        Report.objects.filter(pk=report.pk, state=Report.State.OPEN).update(
            state=state, note=note, handled_by=user, handled_at=timezone.now())
        action = (AuditEvent.Action.REPORT_RESOLVE if state == Report.State.RESOLVED
                  else AuditEvent.Action.REPORT_DISMISS)
        _audit(actor=user, action=action, question=report.question,
               version_number=report.version.number, detail=f"Report {report.pk}: {note}")
    return True
