"""Skill tracking: what every answer teaches the platform about a learner and about a question.

Estimates live on a logit scale (Elo for learners against questions, Pelánek 2016): the chance
that learner skill `theta` answers a question of difficulty `d` is 1 / (1 + exp(d - theta)).
Rows here are precomputed aggregates, so dashboards and leaderboards never scan raw answers.
"""

from __future__ import annotations

from django.conf import settings
from django.db import models

from apps.bank.models import Question


class SkillEstimate(models.Model):
    """One learner's skill overall (kind overall, ref 0), per topic (ref = topic id) or per
    curated resource (ref = resource id)."""

    class Kind(models.TextChoices):
        OVERALL = "overall"
        TOPIC = "topic"
        RESOURCE = "resource"

    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE,
                             related_name="skill_estimates")
    kind = models.CharField(max_length=10, choices=Kind.choices)
    ref = models.PositiveIntegerField(default=0)
    theta = models.FloatField(default=0.0)
    answers = models.PositiveIntegerField(default=0)
    correct = models.PositiveIntegerField(default=0)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["user", "kind", "ref"], name="unique_skill_estimate"),
        ]
        # Percentile refreshes rank one (kind, ref) by theta; a topic leaderboard reads its
        # first 50 rows of the partial index in order (5 = selectors.LEADERBOARD_MIN_ANSWERS).
        indexes = [models.Index(fields=["kind", "ref", "theta"]),
                   models.Index(fields=["kind", "ref", "-theta", "user"],
                                condition=models.Q(answers__gte=5), name="skill_leaderboard")]

    def __str__(self) -> str:
        return f"{self.user_id} {self.kind}:{self.ref} = {self.theta:.2f}"


class SkillAggregate(models.Model):
    """Per (kind, ref) over the published questions: how many there are and the sum of their
    calibrated difficulty (the prior where uncalibrated), so a page reads a topic's average
    difficulty as one row. `skill_record_answer` adds each calibration step to the rows of the
    answered question; `skill_stats_refresh` recomputes every row from scratch, which picks
    up questions published, retired or moved between topics since."""

    kind = models.CharField(max_length=10, choices=SkillEstimate.Kind.choices)
    ref = models.PositiveIntegerField(default=0)
    questions = models.PositiveIntegerField(default=0)
    difficulty_sum = models.FloatField(default=0.0)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["kind", "ref"], name="unique_skill_aggregate"),
        ]

    def __str__(self) -> str:
        return f"{self.kind}:{self.ref} {self.questions} questions"

    @property
    def average_difficulty(self) -> float:
        return self.difficulty_sum / self.questions if self.questions else 0.0


class SkillPercentile(models.Model):
    """One topic's or resource's theta distribution as of `refreshed_at`: a job refreshes it
    (apps.skills.services.skill_stats_refresh) and its cut points are SkillPercentileCut rows."""

    kind = models.CharField(max_length=10, choices=SkillEstimate.Kind.choices)
    ref = models.PositiveIntegerField(default=0)
    learners = models.PositiveIntegerField()
    refreshed_at = models.DateTimeField()

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["kind", "ref"], name="unique_skill_percentile"),
        ]

    def __str__(self) -> str:
        return f"{self.kind}:{self.ref} over {self.learners} learners"


class SkillPercentileCut(models.Model):
    """A distribution reduced to the points where the percentile changes (at most 101 per
    topic or resource): `theta` is the estimate of the learner at the rank where the share of
    learners below reaches `percentile`. A learner's percentile is that of the last cut
    strictly below their theta: one index lookup (kind, ref, theta, percentile)."""

    kind = models.CharField(max_length=10, choices=SkillEstimate.Kind.choices)
    ref = models.PositiveIntegerField(default=0)
    theta = models.FloatField()
    percentile = models.PositiveSmallIntegerField()

    class Meta:
        indexes = [models.Index(fields=["kind", "ref", "theta", "percentile"],
                                name="skill_percentile_cut")]

    def __str__(self) -> str:
        return f"{self.kind}:{self.ref} {self.theta:.2f} -> {self.percentile}"


class QuestionSkill(models.Model):
    """A question's calibrated difficulty; the author's difficulty (1-3) is the prior."""

    question = models.OneToOneField(Question, on_delete=models.CASCADE,
                                    related_name="skill")
    difficulty = models.FloatField()
    answers = models.PositiveIntegerField(default=0)
    correct = models.PositiveIntegerField(default=0)
    updated_at = models.DateTimeField(auto_now=True)

    def __str__(self) -> str:
        return f"{self.question_id}: {self.difficulty:.2f}"


class AnswerEvent(models.Model):
    """Every recorded answer of a signed-in human, once: `source_key` names the play record
    ("quiz:<attempt question id>", "match:<round id>:<player id>") and is unique, so a task
    delivered twice records nothing the second time."""

    source_key = models.CharField(max_length=60, unique=True)
    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE,
                             related_name="answer_events")
    question = models.ForeignKey(Question, on_delete=models.CASCADE, related_name="+")
    is_correct = models.BooleanField()
    timed_out = models.BooleanField(default=False)
    elapsed_ms = models.PositiveIntegerField(null=True, blank=True)
    # The first answer of this learner to this question: the only kind that calibrates.
    first = models.BooleanField(default=False)
    predicted = models.FloatField(null=True, blank=True)
    created_at = models.DateTimeField()

    class Meta:
        indexes = [models.Index(fields=["user", "question"]),
                   models.Index(fields=["user", "created_at"])]
        constraints = [
            models.UniqueConstraint(fields=["user", "question"], condition=models.Q(first=True),
                                    name="one_first_answer"),
        ]

    def __str__(self) -> str:
        return self.source_key


class DailyActivity(models.Model):
    """Answers per learner per day in the learner's time zone: streaks and accuracy over time."""

    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE,
                             related_name="daily_activity")
    day = models.DateField()
    answers = models.PositiveIntegerField(default=0)
    correct = models.PositiveIntegerField(default=0)

    class Meta:
        ordering = ["day"]
        constraints = [
            models.UniqueConstraint(fields=["user", "day"], name="unique_daily_activity"),
        ]

    def __str__(self) -> str:
        return f"{self.user_id} {self.day}"


class ReviewCard(models.Model):
    """A question that comes back on the FSRS schedule: `card` is fsrs.Card.to_dict()."""

    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE,
                             related_name="review_cards")
    question = models.ForeignKey(Question, on_delete=models.CASCADE, related_name="+")
    card = models.JSONField()
    due = models.DateTimeField()
    reviews = models.PositiveIntegerField(default=0)
    lapses = models.PositiveIntegerField(default=0)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["user", "question"], name="unique_review_card"),
        ]
        indexes = [models.Index(fields=["user", "due"])]

    def __str__(self) -> str:
        return f"{self.user_id} reviews {self.question_id}"


class LeaderboardPreference(models.Model):
    user = models.OneToOneField(settings.AUTH_USER_MODEL, on_delete=models.CASCADE,
                                related_name="leaderboard_preference")
    hide_name = models.BooleanField(default=False)

    def __str__(self) -> str:
        return f"{self.user_id} hide={self.hide_name}"
