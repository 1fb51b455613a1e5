"""Reads for packs: access checks, the questions to export, drafts and the audit trail."""

from __future__ import annotations

from typing import Any

from django.conf import settings
from django.db.models import QuerySet
from django.http import Http404

from apps.accounts.roles import is_instructor
from apps.bank.export import bank_files, canonical_question
from apps.bank.models import Question, Topic
from apps.bank.selectors import published_versions
from apps.cohorts.models import Assignment
from apps.packs import signing
from apps.packs.models import ImportDraft


class PackNotConfigured(Exception):
    pass


def require_instructor(user) -> None:
    """Instructor pages do not exist for anyone else: 404, not 403."""
    if not is_instructor(user):
        raise Http404


def get_draft_for(user, public_id) -> ImportDraft:
    """An upload is visible to the instructor who made it only."""
    require_instructor(user)
    try:
        return ImportDraft.objects.get(public_id=public_id, owner=user)
    except (ImportDraft.DoesNotExist, ValueError):
        raise Http404 from None


def topic_choices() -> list[tuple[str, str]]:
    return list(Topic.objects.values_list("slug", "name"))


def recent_drafts(user) -> QuerySet[ImportDraft]:
    return ImportDraft.objects.filter(owner=user)[:10]


def export_contents(*, topic: str | None = None,
                    ids: list[str] | None = None) -> list[dict[str, Any]]:
    """Current versions in bank order, bank-shaped (status only when not published); with
    `ids`, those questions only, in that order (the caller checked that they exist)."""
    questions = Question.objects.select_related("current_version").exclude(current_version=None)
    if ids is not None:
        questions = questions.filter(slug__in=ids)
    out = []
    for q in questions:
        content = canonical_question(q.current_version.content)
        if topic and content["topics"][0] != topic:
            continue
        if q.status != Question.Status.PUBLISHED:
            content["status"] = q.status
        out.append(content)
    if ids is not None:
        order = {qid: n for n, qid in enumerate(ids)}
        out.sort(key=lambda c: order[c["id"]])
    return out


def unknown_ids(ids: list[str]) -> list[str]:
    """The ids that name no question with a current version, in the order given."""
    known = set(Question.objects.filter(slug__in=ids).exclude(current_version=None)
                .values_list("slug", flat=True))
    return [qid for qid in ids if qid not in known]


def assignment_contents(assignment: Assignment) -> tuple[list[dict[str, Any]], list[str]]:
    """(the questions an assignment draws from, bank-shaped, and the fixed-set ids that are no
    longer published). A fixed set is in its own order; a topic's pool is every published
    question with that topic, as `assignment_start` draws them."""
    if assignment.is_fixed:
        versions = {v.question.slug: v for v in published_versions().filter(
            question__slug__in=assignment.question_slugs).select_related("question")}
        missing = [s for s in assignment.question_slugs if s not in versions]
        return ([canonical_question(versions[s].content) for s in assignment.question_slugs
                 if s in versions], missing)
    pool = published_versions(topic=assignment.topic.slug).select_related("question") \
        .order_by("question__source_file", "question__source_position", "question__slug")
    return [canonical_question(v.content) for v in pool], []


def signed_pack(*, created: str) -> bytes:
    """The whole bank as a signed pack. Raises PackNotConfigured without a signing key."""
    if not settings.PACK_SIGNING_KEY:
        raise PackNotConfigured("No signing key is configured (PACK_SIGNING_KEY).")
    try:
        key = signing.private_key(settings.PACK_SIGNING_KEY)
    except signing.PackKeyError as exc:
        raise PackNotConfigured(str(exc)) from None
    return signing.pack_build(files=bank_files(), key=key, created=created)
