"""Speed quiz attempts. The server owns the clock: each question of an attempt stores when it was
sent and its deadline, and the result of its one answer."""

from __future__ import annotations

import uuid

from django.conf import settings
from django.db import models

from apps.bank.models import QuestionVersion


class QuizAttempt(models.Model):
    class Mode(models.TextChoices):
        SPEED = "speed"
        ACCURACY = "accuracy"

    class State(models.TextChoices):
        ACTIVE = "active"
        FINISHED = "finished"

    class Kind(models.TextChoices):
        PRACTICE = "practice"
        RETRY = "retry", "Retry of missed questions"
        REVIEW = "review", "Review of due questions"
        ASSIGNMENT = "assignment", "Cohort assignment"  # graded: never retried

    public_id = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    user = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True,
                             on_delete=models.CASCADE, related_name="quiz_attempts")
    mode = models.CharField(max_length=10, choices=Mode.choices, default=Mode.SPEED)
    kind = models.CharField(max_length=10, choices=Kind.choices, default=Kind.PRACTICE)
    state = models.CharField(max_length=10, choices=State.choices, default=State.ACTIVE)
    seconds_per_question = models.PositiveSmallIntegerField()
    # The learner's extended-time factor when the attempt started (1.0, 1.5 or 2.0).
    time_factor = models.FloatField(default=1.0)
    focus_label = models.CharField(max_length=200, default="Mixed")
    score = models.PositiveIntegerField(default=0)
    streak = models.PositiveSmallIntegerField(default=0)
    current_number = models.PositiveSmallIntegerField(default=1)  # 1-based, the open or last one
    question_count = models.PositiveSmallIntegerField(default=0)  # fixed when the attempt starts
    created_at = models.DateTimeField(auto_now_add=True)
    finished_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["-created_at"]
        indexes = [models.Index(fields=["user", "-created_at"])]

    def __str__(self) -> str:
        return f"quiz {self.public_id}"


class AttemptQuestion(models.Model):
    class State(models.TextChoices):
        PENDING = "pending"
        OPEN = "open"
        ANSWERED = "answered"
        MISSED = "missed"

    attempt = models.ForeignKey(QuizAttempt, on_delete=models.CASCADE, related_name="questions")
    number = models.PositiveSmallIntegerField()  # 1-based position in the attempt
    version = models.ForeignKey(QuestionVersion, on_delete=models.PROTECT, related_name="+")
    # Per-attempt shuffle: the author's choice positions in display order, and an opaque key
    # for each displayed choice (random, so neither order nor ids leak the key).
    choice_order = models.JSONField()
    choice_keys = models.JSONField()
    state = models.CharField(max_length=10, choices=State.choices, default=State.PENDING)
    sent_at = models.DateTimeField(null=True, blank=True)
    deadline = models.DateTimeField(null=True, blank=True)
    closed_at = models.DateTimeField(null=True, blank=True)
    is_correct = models.BooleanField(null=True)
    points = models.PositiveIntegerField(default=0)

    class Meta:
        ordering = ["number"]
        constraints = [
            models.UniqueConstraint(fields=["attempt", "number"], name="unique_attempt_number"),
        ]

    def __str__(self) -> str:
        return f"{self.attempt} #{self.number}"

    @property
    def is_closed(self) -> bool:
        return self.state in (self.State.ANSWERED, self.State.MISSED)

    @property
    def deal(self):
        from apps.play.deal import Deal

        return Deal.of(self.choice_order, self.choice_keys)


class QuizAnswer(models.Model):
    """The one answer to one question of an attempt. The one-to-one key is the database's
    guarantee that a double click, a retry or two racing requests never score twice."""

    question = models.OneToOneField(AttemptQuestion, on_delete=models.CASCADE,
                                    related_name="answer")
    picked = models.JSONField()  # the author's choice positions, sorted
    elapsed_ms = models.PositiveIntegerField()
    is_correct = models.BooleanField()
    points = models.PositiveIntegerField()
    created_at = models.DateTimeField(auto_now_add=True)

    def __str__(self) -> str:
        return f"answer to {self.question}"
