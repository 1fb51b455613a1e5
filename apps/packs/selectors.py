"""Reads for packs: access checks, the questions to export, drafts and the audit trail."""

from __future__ import annotations

from typing import Any

from django.conf import settings
from django.db.models import QuerySet
from django.http import Http404

from apps.accounts.roles import is_instructor
from apps.bank.export import bank_files, canonical_question
from apps.bank.models import Question
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


def recent_drafts(user) -> QuerySet[ImportDraft]:
    return ImportDraft.objects.filter(owner=user)[:10]


def export_contents(*, topic: str | None = None) -> list[dict[str, Any]]:
    """Current versions in bank order, bank-shaped (status only when not published)."""
    questions = Question.objects.select_related("current_version").exclude(current_version=None)
    out = []
    for q in questions:
        content = canonical_question(q.current_version.content)
        if topic and content["topics"][0] != topic:
            continue
        if q.status != Question.Status.PUBLISHED:
            content["status"] = q.status
        out.append(content)
    return out


def signed_pack(*, created: str) -> bytes:
    """The whole bank as a signed pack. Raises PackNotConfigured without a signing key."""
    if not settings.PACK_SIGNING_KEY:
        raise PackNotConfigured("No signing key is configured (PACK_SIGNING_KEY).")
    try:
        key = signing.private_key(settings.PACK_SIGNING_KEY)
    except signing.PackKeyError as exc:
        raise PackNotConfigured(str(exc)) from None
    return signing.pack_build(files=bank_files(), key=key, created=created)
