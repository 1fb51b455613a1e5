"""Instructor curation: the review workflow and learner reports (the audit trail is apps.audit).

Questions and their versions live in apps.bank; this app only records who did what to them.
"""

from __future__ import annotations

from django.conf import settings
from django.db import models

from apps.bank.models import Question, QuestionVersion


class Review(models.Model):
    """One trip through review: opened when a question is submitted (or a published one is
    edited), closed by another instructor's decision."""

    class Decision(models.TextChoices):
        PENDING = "pending"
        APPROVED = "approved"
        CHANGES = "changes", "Changes requested"

    question = models.ForeignKey(Question, on_delete=models.CASCADE, related_name="reviews")
    version = models.ForeignKey(QuestionVersion, on_delete=models.CASCADE, related_name="+")
    submitted_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True,
                                     on_delete=models.SET_NULL, related_name="+")
    reviewer = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True,
                                 on_delete=models.SET_NULL, related_name="+")
    decision = models.CharField(max_length=10, choices=Decision.choices,
                                default=Decision.PENDING)
    comment = models.TextField(blank=True)
    created_at = models.DateTimeField(auto_now_add=True)
    decided_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["-created_at", "-id"]

    def __str__(self) -> str:
        return f"review of {self.version}: {self.decision}"


class Report(models.Model):
    """A learner's report of a problem with a question they answered."""

    class Kind(models.TextChoices):
        WRONG_KEY = "wrong_key", "The answer key is wrong"
        UNCLEAR = "unclear", "The question is unclear"
        OUTDATED = "outdated", "The content is outdated"
        TYPO = "typo", "Typo or formatting"

    class State(models.TextChoices):
        OPEN = "open"
        RESOLVED = "resolved"
        DISMISSED = "dismissed"

    reporter = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE,
                                 related_name="question_reports")
    attempt_question = models.ForeignKey("quiz.AttemptQuestion", on_delete=models.CASCADE,
                                         related_name="+")
    question = models.ForeignKey(Question, on_delete=models.CASCADE, related_name="reports")
    version = models.ForeignKey(QuestionVersion, on_delete=models.PROTECT, related_name="+")
    kind = models.CharField(max_length=10, choices=Kind.choices)
    comment = models.TextField(max_length=2000)
    state = models.CharField(max_length=10, choices=State.choices, default=State.OPEN,
                             db_index=True)
    note = models.TextField(blank=True)  # the instructor's answer, shown to the reporter
    handled_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True,
                                   on_delete=models.SET_NULL, related_name="+")
    handled_at = models.DateTimeField(null=True, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["-created_at", "-id"]
        constraints = [
            # One report per answered question per learner: a double submit does not queue twice.
            models.UniqueConstraint(fields=["reporter", "attempt_question"],
                                    name="one_report_per_answer"),
        ]

    def __str__(self) -> str:
        return f"report {self.pk} on {self.question_id}"
