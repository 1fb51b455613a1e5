"""Reading the audit trail."""

from __future__ import annotations

from django.db.models import Q, QuerySet

from apps.audit.models import AuditEvent
from apps.bank.models import Question


def audit_events(*, question: Question | None = None,
                 prefixes: tuple[str, ...] = ()) -> QuerySet[AuditEvent]:
    """Newest first; for one question, or for actions starting with any of `prefixes`."""
    qs = AuditEvent.objects.select_related("actor", "question")
    if question is not None:
        qs = qs.filter(question=question)
    if prefixes:
        match = Q()
        for prefix in prefixes:
            match |= Q(action__startswith=prefix)
        qs = qs.filter(match)
    return qs
