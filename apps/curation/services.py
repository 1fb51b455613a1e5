"""Writes for instructor curation, and the one write path for question content
(`question_write`): the editor, the API, file imports, signed packs and loadbank all change
questions through it. Every action is recorded in the audit trail (apps.audit) in the same
transaction as the change it describes.

Locking: a service that changes a question takes the question's row lock first
(`select_for_update` inside `atomic`), so two instructors acting on one question run one after
another and a transition is decided against the status it will change. Reports are locked the
same way. On SQLite the IMMEDIATE transaction mode gives the same serialisation.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from typing import Any

from django.db import IntegrityError, transaction
from django.utils import timezone

from apps.audit.services import audit_record
from apps.bank.bankfile import Bank, QuestionData, validate_question
from apps.bank.models import Question, QuestionVersion, Resource, Topic
from apps.bank.services import bank_registry_load, content_hash, version_create
from apps.curation.models import Report, Review
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
           version_number: int | None = None, data: dict[str, Any] | None = None) -> None:
    audit_record(actor=actor, action=action, question=question, detail=detail,
                 version_number=version_number, data=data)


def _locked(pk: int) -> Question:
    # `of=self`: PostgreSQL refuses FOR UPDATE across the nullable current_version join.
    return Question.objects.select_for_update(of=("self",)).select_related(
        "current_version").get(pk=pk)


# --- the one write path for question content --------------------------------------------------


class Origin:
    """Where a change comes from. Every origin but the repository is a change made in the site."""

    EDITOR = "editor"  # the curation editor (HTML)
    API = "api"  # the curation REST API
    IMPORT = "import"  # an uploaded YAML, GIFT or Moodle XML file
    PACK = "pack"  # a signed pack that verified under a trusted key
    REPOSITORY = "repository"  # `loadbank`: questions/ as reviewed in the repository

    ALL = (EDITOR, API, IMPORT, PACK, REPOSITORY)


@dataclass(frozen=True)
class QuestionChange:
    """`action`: created | updated | unchanged | conflict (a repository load that would clobber a
    change made in the site, skipped). `to_review`: the change took a published question out of
    play until another instructor approves it."""

    question: Question
    version: QuestionVersion | None
    action: str
    to_review: bool = False
    overwrote: bool = False


def _content_of(data: QuestionData) -> dict[str, Any]:
    content = data.content()
    content.pop("status", None)  # status belongs to the question, not to a version
    return content


def question_write(*, actor, data: QuestionData, origin: str,
                   topics: dict[str, Topic] | None = None,
                   resources: dict[str, Resource] | None = None,
                   placement: dict[str, Any] | None = None, force: bool = False,
                   context: dict[str, Any] | None = None) -> QuestionChange:
    """Create or change a question from validated data: the only function that makes question
    versions, whatever the entry point (editor, API, file import, signed pack, loadbank).

    It versions (old versions and the attempts that showed them are untouched; unchanged content
    makes no version), audits (one event in the same transaction, recording `origin` and
    `context`), and applies one workflow rule:
    - a question made in the site starts as a draft; the repository's (loadbank) takes the status
      its file gives, because the repository is reviewed like code;
    - a change made in the site to a published question sends it back to review: another
      instructor approves it before learners see it (a question in review has its pending review
      moved to the new version); a retired question is refused until it is reopened;
    - the repository updates its own questions in place, but a question changed in the site since
      it was loaded is a conflict, skipped unless `force`; a forced overwrite is a change to
      reviewed site content, so it goes back to review like any site change.
    Takes the question's row lock; runs in its own (possibly nested) transaction. `topics` and
    `resources` (by slug) may be passed by callers writing many questions."""
    if origin not in Origin.ALL:
        raise ValueError(f"unknown origin {origin!r}")
    if topics is None or resources is None:
        topics, resources = _lookups(data)
    missing = [t for t in data.topics if t not in topics] + [
        r for r, _ in data.resources if r not in resources]
    if missing:
        raise CurationError(f"{data.id}: unknown topic or resource {', '.join(missing)}.")
    from_repository = origin == Origin.REPOSITORY
    content = _content_of(data)
    new_hash = content_hash(content)
    S = Question.Status
    audit = {"origin": origin, **(context or {})}
    with transaction.atomic():
        found = Question.objects.filter(slug=data.id).values_list("pk", flat=True).first()
        if found is None:
            question = Question.objects.create(
                slug=data.id, status=data.status if from_repository else S.DRAFT,
                loaded_hash=new_hash if from_repository else "", **(placement or {}))
            version = version_create(question=question, data=data, topics=topics,
                                     resources=resources, created_by=actor)
            _audit(actor=actor, action="load" if from_repository else "create",
                   question=question, version_number=version.number, data=audit)
            return QuestionChange(question, version, "created")
        question = _locked(found)
        current = question.current_version
        repo_fields = {"loaded_hash": new_hash, **(placement or {})} if from_repository else {}
        if current is not None and current.content_hash == new_hash:
            if repo_fields:
                Question.objects.filter(pk=question.pk).update(**repo_fields)
            return QuestionChange(question, current, "unchanged")
        overwrite = from_repository and question.changed_in_site
        if overwrite and not force:
            return QuestionChange(question, current, "conflict")
        site_change = not from_repository or overwrite
        if site_change and question.status == S.RETIRED:
            raise CurationError(f"{data.id} is retired; reopen it as a draft to change it.",
                                status=409)
        version = version_create(question=question, data=data, topics=topics,
                                 resources=resources, created_by=actor)
        if repo_fields:
            Question.objects.filter(pk=question.pk).update(**repo_fields)
        detail, to_review = "", False
        if site_change and question.status == S.PUBLISHED:
            Question.objects.filter(pk=question.pk).update(status=S.REVIEW)
            question.status = S.REVIEW
            Review.objects.create(question=question, version=version, submitted_by=actor)
            detail, to_review = "Published question changed: sent back to review.", True
        elif site_change and question.status == S.REVIEW:
            Review.objects.filter(question=question, decision=Review.Decision.PENDING).update(
                version=version)
        if overwrite:
            detail = ("Overwrote a change made in the site (loadbank --force). " + detail).strip()
        _audit(actor=actor, action="load" if from_repository else "edit",
               question=question, version_number=version.number, detail=detail, data=audit)
        return QuestionChange(question, version, "updated", to_review, overwrite)


def question_create(*, user, item: dict[str, Any], origin: str = Origin.EDITOR) -> Question:
    """Create a draft question with its first version from the bank's YAML shape (the editor and
    the API). Raises CurationError with field errors."""
    item = {k: v for k, v in item.items() if k != "status"}
    data = question_validate(item=item)
    taken = CurationError("That id is taken.", status=409,
                          errors={"id": [f"The id {data.id!r} is already used; ids are never "
                                         "reused."]})
    if Question.objects.filter(slug=data.id).exists():
        raise taken
    try:
        with transaction.atomic():
            change = question_write(actor=user, data=data, origin=origin)
            if change.action != "created":  # a concurrent create took the id
                raise taken
    except IntegrityError:  # a concurrent create took the id between the check and the insert
        raise taken from None
    return change.question


def question_update(*, user, question: Question, item: dict[str, Any],
                    origin: str = Origin.EDITOR) -> QuestionVersion:
    """Save an edit as a new version (see question_write for the rule). Saving unchanged content
    makes no version and returns the current one."""
    item = {k: v for k, v in item.items() if k != "status"}
    item["id"] = question.slug  # the id is the question's identity and never changes
    data = question_validate(item=item)
    change = question_write(actor=user, data=data, origin=origin)
    return change.version


@dataclass
class LoadReport:
    created: list[str] = field(default_factory=list)
    updated: list[str] = field(default_factory=list)
    unchanged: list[str] = field(default_factory=list)
    conflicts: list[str] = field(default_factory=list)
    overwritten: list[str] = field(default_factory=list)
    to_review: list[str] = field(default_factory=list)
    refused: list[str] = field(default_factory=list)
    only_in_site: list[str] = field(default_factory=list)


def bank_load(*, bank: Bank, force: bool = False, dry_run: bool = False,
              context: dict[str, Any] | None = None) -> LoadReport:
    """Load a validated bank (`loadbank`) in one transaction, each question through
    question_write with the repository as origin.

    Idempotent: an unchanged question is left alone; a changed one gets a new version. A question
    changed in the site since it was loaded is a conflict: skipped and reported, unless `force`
    (then it goes back to review). With `dry_run` the transaction is rolled back."""
    report = LoadReport()
    with transaction.atomic():
        topics, resources = bank_registry_load(bank=bank)
        in_site = set(Question.objects.values_list("slug", flat=True))
        positions: dict[str, int] = {}
        for data in bank.questions:
            source_file = data.source.rsplit(":", 1)[0].rsplit("/", 1)[-1]
            positions[source_file] = positions.get(source_file, -1) + 1
            try:
                change = question_write(
                    actor=None, data=data, origin=Origin.REPOSITORY, topics=topics,
                    resources=resources, force=force,
                    context={"source": data.source, **(context or {})},
                    placement={"source_file": source_file,
                               "source_position": positions[source_file]})
            except CurationError as exc:  # e.g. a forced overwrite of a retired question
                report.refused.append(exc.message)
                continue
            if change.action == "conflict":
                report.conflicts.append(data.id)
            elif change.overwrote:
                report.overwritten.append(data.id)
            else:
                getattr(report, change.action).append(data.id)
            if change.to_review:
                report.to_review.append(data.id)
        report.only_in_site = sorted(in_site - {q.id for q in bank.questions})
        if dry_run:
            transaction.set_rollback(True)
    return report


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
        question = _locked(question.pk)
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
            return move(S.REVIEW, "submit")
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
            return move(S.PUBLISHED, "approve")
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
            return move(S.DRAFT, "request_changes")
        if action == "retire":
            if status == S.RETIRED:
                return False
            Review.objects.filter(question=question, decision=Review.Decision.PENDING).update(
                decision=Review.Decision.CHANGES, reviewer=user,
                comment="Retired before a decision.", decided_at=timezone.now())
            return move(S.RETIRED, "retire")
        # reopen
        if status == S.DRAFT:
            return False
        if status != S.RETIRED:
            refuse(f"Only a retired question can be reopened; this one is {status}.")
        return move(S.DRAFT, "reopen")


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
        action = ("report_resolve" if state == Report.State.RESOLVED
                  else "report_dismiss")
        _audit(actor=user, action=action, question=report.question,
               version_number=report.version.number, detail=f"Report {report.pk}: {note}")
    return True
