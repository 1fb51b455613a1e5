"""Cohorts: an instructor's group of learners, joined with a code, and the quizzes assigned to it.
A member's attempt at an assignment is an ordinary quiz attempt (apps.quiz), linked here."""

from __future__ import annotations

from django.conf import settings
from django.db import models

from apps.bank.models import Topic


class Cohort(models.Model):
    name = models.CharField(max_length=120)
    owner = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE,
                              related_name="owned_cohorts")
    join_code = models.CharField(max_length=12, unique=True)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["-created_at"]

    def __str__(self) -> str:
        return self.name


class Membership(models.Model):
    cohort = models.ForeignKey(Cohort, on_delete=models.CASCADE, related_name="memberships")
    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE,
                             related_name="cohort_memberships")
    joined_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["joined_at"]
        constraints = [models.UniqueConstraint(fields=["cohort", "user"], name="unique_member")]

    def __str__(self) -> str:
        return f"{self.user} in {self.cohort}"


class Assignment(models.Model):
    """A quiz for the cohort: a fixed set of questions (`question_slugs`) or a focus (a topic and
    a count of questions drawn from it)."""

    cohort = models.ForeignKey(Cohort, on_delete=models.CASCADE, related_name="assignments")
    title = models.CharField(max_length=120)
    question_slugs = models.JSONField(default=list, blank=True)
    topic = models.ForeignKey(Topic, null=True, blank=True, on_delete=models.PROTECT,
                              related_name="+")
    count = models.PositiveSmallIntegerField(default=10)
    due_at = models.DateTimeField()
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["due_at", "id"]

    def __str__(self) -> str:
        return self.title

    @property
    def is_fixed(self) -> bool:
        return bool(self.question_slugs)


class AssignmentAttempt(models.Model):
    """One quiz attempt per member per assignment: the unique constraint is the guarantee."""

    assignment = models.ForeignKey(Assignment, on_delete=models.CASCADE, related_name="attempts")
    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+")
    attempt = models.OneToOneField("quiz.QuizAttempt", on_delete=models.CASCADE, related_name="+")
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        constraints = [models.UniqueConstraint(fields=["assignment", "user"],
                                               name="unique_assignment_attempt")]

    def __str__(self) -> str:
        return f"{self.user} on {self.assignment}"
