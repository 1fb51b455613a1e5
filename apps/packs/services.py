"""Writes for packs: storing an upload, applying an import, recording the audit trail."""

from __future__ import annotations

from django.db import transaction
from django.utils import timezone

from apps.bank.models import Question, Resource, Topic
from apps.bank.services import version_create
from apps.packs.importing import Preview, decode_upload, preview_build, verified_pack_text
from apps.packs.models import AuditEntry, ImportDraft


class ImportFailed(Exception):
    def __init__(self, message: str, errors: list[str] | None = None):
        super().__init__(message)
        self.errors = errors or []


def audit_record(*, actor, action: str, subject: str = "", detail: dict | None = None) -> None:
    AuditEntry.objects.create(actor=actor, action=action, subject=subject[:200],
                              detail=detail or {})


def import_draft_create(*, user, filename: str, data: bytes, fmt: str) -> ImportDraft:
    """Store an upload for preview. Raises ImportRefused (size, encoding, an unverified pack)
    before storing. A signed pack (`fmt="pack"`) is verified against the site's trusted keys and
    its question files are stored as one bank YAML file: what is previewed and applied is
    exactly the verified content."""
    if fmt == "pack":
        text = verified_pack_text(data)
        fmt = ImportDraft.Format.YAML
        filename = f"{filename} (verified signed pack)"
    else:
        text = decode_upload(data)
    with transaction.atomic():
        draft = ImportDraft.objects.create(owner=user, format=fmt, filename=filename[:200],
                                           text=text)
        audit_record(actor=user, action="import.upload", subject=draft.filename,
                     detail={"format": fmt, "bytes": len(data), "draft": str(draft.public_id)})
    return draft


def import_apply(*, user, draft: ImportDraft) -> Preview:
    """Apply a previewed import, all or nothing.

    Locks the draft row (select_for_update) so two clicks apply once, and the bank's question
    rows it changes. Re-validates inside the transaction: if the bank changed since the preview
    so that anything is invalid, nothing is written. New questions are drafts; existing ones
    keep their status and get a new version (old attempts keep theirs)."""
    with transaction.atomic():
        locked = ImportDraft.objects.select_for_update().get(pk=draft.pk)
        if locked.applied_at is not None:
            raise ImportFailed("This import was already applied.")
        preview = preview_build(text=locked.text, fmt=locked.format)
        if not preview.ok:
            raise ImportFailed("The file has errors; nothing was imported.", preview.errors)
        topics = {t.slug: t for t in Topic.objects.all()}
        resources = {r.slug: r for r in Resource.objects.all()}
        existing = {q.slug: q for q in Question.objects.select_for_update()
                    .filter(slug__in=[r.id for r in preview.rows])}
        for row in preview.rows:
            if row.action == "unchanged":
                continue
            question = existing.get(row.id)
            if question is None:
                question = Question.objects.create(slug=row.id, status=Question.Status.DRAFT,
                                                   source_file=f"{row.data.topics[0]}.yaml",
                                                   source_position=10_000)
            version_create(question=question, data=row.data, topics=topics,
                           resources=resources, created_by=user)
        locked.applied_at = timezone.now()
        locked.save(update_fields=["applied_at"])
        audit_record(actor=user, action="import.apply", subject=locked.filename, detail={
            "format": locked.format, "created": [r.id for r in preview.rows if r.action == "create"],
            "updated": [r.id for r in preview.rows if r.action == "update"],
        })
    return preview
