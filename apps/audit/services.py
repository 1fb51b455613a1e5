"""Writing the audit trail. Callers record inside the transaction of the change they describe,
so an event exists if and only if its change committed."""

from __future__ import annotations

from typing import Any

from apps.audit.models import MAX_DETAIL, MAX_SUBJECT, AuditEvent
from apps.bank.models import Question


def audit_record(*, actor, action: str, question: Question | None = None,
                 version_number: int | None = None, subject: str = "", detail: str = "",
                 data: dict[str, Any] | None = None) -> AuditEvent:
    return AuditEvent.objects.create(
        actor=actor if actor is not None and actor.is_authenticated else None, action=action,
        question=question, version_number=version_number, subject=subject[:MAX_SUBJECT],
        detail=detail[:MAX_DETAIL], data=data or {})
