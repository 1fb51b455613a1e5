"""The one audit trail: who did what, when, to which question (if any).

Append-only: services write it in the same transaction as the change it records; nothing edits
it. Curation, imports, exports and cohorts all record here, so an instructor reads one history.
"""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils import timezone

from apps.bank.models import Question

# How each action reads to a person. Actions are plain strings so that a new one needs no
# migration; an unknown action reads as itself.
LABELS = {
    "create": "Created",
    "edit": "Edited",
    "submit": "Submitted for review",
    "approve": "Approved and published",
    "request_changes": "Requested changes",
    "retire": "Retired",
    "reopen": "Reopened as draft",
    "report_resolve": "Resolved a report",
    "report_dismiss": "Dismissed a report",
    "load": "Loaded from the repository",
    "import.upload": "Uploaded an import",
    "import.apply": "Applied an import",
    "cohort.create": "Created a cohort",
    "cohort.join": "Joined a cohort",
    "assignment.create": "Created an assignment",
}
MAX_ACTION, MAX_SUBJECT, MAX_DETAIL = 40, 200, 2000


class AuditEvent(models.Model):
    actor = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL,
                              related_name="+")
    action = models.CharField(max_length=MAX_ACTION, db_index=True)
    question = models.ForeignKey(Question, null=True, blank=True, on_delete=models.SET_NULL,
                                 related_name="audit_events")
    version_number = models.PositiveIntegerField(null=True, blank=True)
    subject = models.CharField(max_length=MAX_SUBJECT, blank=True)
    detail = models.TextField(max_length=MAX_DETAIL, blank=True)  # words for people
    data = models.JSONField(default=dict, blank=True)  # structured facts (origin, ids, format)
    # A default, not auto_now_add: the migration that merged the two old trails kept their times.
    created_at = models.DateTimeField(default=timezone.now, db_index=True, editable=False)

    class Meta:
        ordering = ["-created_at", "-id"]

    def __str__(self) -> str:
        return f"{self.actor_id} {self.action} {self.subject or self.question_id}"

    @property
    def label(self) -> str:
        if self.action.startswith("export."):
            return f"Exported ({self.action.removeprefix('export.')})"
        return LABELS.get(self.action, self.action)
