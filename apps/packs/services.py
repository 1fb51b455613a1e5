"""Writes for packs: storing an upload and applying an import. Question changes go through
`apps.curation.services.question_write`, the one write path (versioning, audit, review rule)."""

from __future__ import annotations

from datetime import timedelta

from django.db import transaction
from django.utils import timezone

from apps.audit.services import audit_record
from apps.bank.models import Resource, Topic
from apps.curation.services import CurationError, Origin, question_write
from apps.packs.importing import (
    ImportRefused,
    Preview,
    decode_upload,
    preview_build,
    verified_pack_text,
)
from apps.packs.models import ImportDraft


class ImportFailed(Exception):
    def __init__(self, message: str, errors: list[str] | None = None):
        super().__init__(message)
        self.errors = errors or []


def import_draft_create(*, user, filename: str, data: bytes, fmt: str) -> ImportDraft:
    """Store an upload for preview. Raises ImportRefused (size, encoding, an unverified pack)
    before storing. A signed pack (`fmt="pack"`) is verified against the site's trusted keys and
    its question files are stored as one bank YAML file: what is previewed and applied is
    exactly the verified content."""
    signed = fmt == "pack"
    if signed:
        text = verified_pack_text(data)
        fmt = ImportDraft.Format.YAML
        filename = f"{filename} (verified signed pack)"
    else:
        text = decode_upload(data)
    # A file with errors is not kept: the errors are returned with the refusal instead.
    preview = preview_build(text=text, fmt=fmt)
    if not preview.ok:
        raise ImportRefused("The file has errors; nothing was stored.", preview.errors)
    with transaction.atomic():
        draft = ImportDraft.objects.create(owner=user, format=fmt, filename=filename[:200],
                                           text=text, signed=signed)
        audit_record(actor=user, action="import.upload", subject=draft.filename,
                     data={"format": fmt, "signed": signed, "bytes": len(data),
                           "draft": str(draft.public_id)})
    return draft


def import_apply(*, user, draft: ImportDraft) -> Preview:
    """Apply a previewed import, all or nothing.

    The file is parsed and validated before any lock is taken (parsing a large file must not hold
    the database's write lock); then the draft row is locked (select_for_update) so two clicks
    apply once, and each question is written through question_write: new questions are drafts,
    a change to a published question goes back to review, a retired one is refused. If anything
    is refused, nothing is written."""
    if ImportDraft.objects.filter(pk=draft.pk, applied_at__isnull=False).exists():
        raise ImportFailed("This import was already applied.")
    preview = preview_build(text=draft.text, fmt=draft.format)
    if not preview.ok:
        raise ImportFailed("The file has errors; nothing was imported.", preview.errors)
    origin = Origin.PACK if draft.signed else Origin.IMPORT
    context = {"import": str(draft.public_id), "format": draft.format}
    refused: list[str] = []
    with transaction.atomic():
        locked = ImportDraft.objects.select_for_update().get(pk=draft.pk)
        if locked.applied_at is not None:
            raise ImportFailed("This import was already applied.")
        topics = {t.slug: t for t in Topic.objects.all()}
        resources = {r.slug: r for r in Resource.objects.all()}
        changes = []
        for row in preview.rows:
            if row.action == "unchanged":
                continue
            try:
                changes.append(question_write(
                    actor=user, data=row.data, origin=origin, topics=topics,
                    resources=resources, context={**context, "line": row.line},
                    placement={"source_file": f"{row.data.topics[0]}.yaml",
                               "source_position": 10_000}))
            except CurationError as exc:
                refused.append(f"{row.line}: {exc.message}")
        if refused:
            transaction.set_rollback(True)
        else:
            locked.applied_at = timezone.now()
            locked.save(update_fields=["applied_at"])
            audit_record(actor=user, action="import.apply", subject=locked.filename, data={
                **context, "origin": origin,
                "created": [c.question.slug for c in changes if c.action == "created"],
                "updated": [c.question.slug for c in changes if c.action == "updated"],
                "to_review": [c.question.slug for c in changes if c.to_review],
            })
    if refused:
        raise ImportFailed("Some questions cannot be changed; nothing was imported.", refused)
    return preview


def import_drafts_purge(*, older_than: timedelta) -> int:
    """Delete uploads never applied within `older_than` (they hold whole files). Returns how
    many were deleted. Idempotent."""
    cutoff = timezone.now() - older_than
    deleted, _ = ImportDraft.objects.filter(applied_at=None, created_at__lt=cutoff).delete()
    return deleted
