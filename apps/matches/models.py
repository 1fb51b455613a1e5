"""Head-to-head matches. Matchmaking (QueueEntry) is kept apart from the live match (Match, Round,
RoundAnswer); ratings live in Rating with one RatingChange row per rated match and player.

Every change to a match bumps `Match.version`; pushes carry it and clients that see a gap or
reconnect re-fetch the whole state."""

from __future__ import annotations

import uuid

from django.conf import settings
from django.db import models

from apps.bank.models import QuestionVersion, Topic


class Match(models.Model):
    class Kind(models.TextChoices):
        RANKED = "ranked"
        CHALLENGE = "challenge"
        BOT = "bot"

    class State(models.TextChoices):
        WAITING = "waiting"  # a challenge waiting for its friend
        ACTIVE = "active"
        FINISHED = "finished"

    class Reason(models.TextChoices):
        COMPLETED = "completed"
        CLAIMED = "claimed", "Win claimed after the opponent left"
        NO_SHOW = "no_show", "The opponent never joined: not rated"
        CANCELLED = "cancelled"

    public_id = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    kind = models.CharField(max_length=10, choices=Kind.choices)
    ranked = models.BooleanField(default=False)
    state = models.CharField(max_length=10, choices=State.choices, default=State.ACTIVE,
                             db_index=True)
    reason = models.CharField(max_length=10, choices=Reason.choices, blank=True)
    topic = models.ForeignKey(Topic, null=True, blank=True, on_delete=models.SET_NULL)
    version = models.PositiveIntegerField(default=1)
    current_round = models.PositiveSmallIntegerField(default=0)
    bot_level = models.PositiveSmallIntegerField(null=True, blank=True)
    challenge_code = models.CharField(max_length=12, unique=True, null=True, blank=True)
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL,
                                   related_name="+")
    winner = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True,
                               on_delete=models.SET_NULL, related_name="+")
    bot_won = models.BooleanField(default=False)  # the practice bot has no user to name
    # A finished match's rematch: a challenge one player offers from the end screen and the other
    # accepts from theirs (both agree; services.rematch_request).
    rematch = models.OneToOneField("self", null=True, blank=True, on_delete=models.SET_NULL,
                                   related_name="rematch_of")
    created_at = models.DateTimeField(auto_now_add=True)
    started_at = models.DateTimeField(null=True, blank=True)
    finished_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["-created_at"]

    def __str__(self) -> str:
        return f"match {self.public_id}"

    @property
    def winner_name(self) -> str | None:
        """Who won, for people: a user's name, the practice bot, or None for a draw."""
        if self.bot_won:
            return f"Practice bot (level {self.bot_level})"
        return self.winner.username if self.winner_id else None


class MatchPlayer(models.Model):
    match = models.ForeignKey(Match, on_delete=models.CASCADE, related_name="players")
    seat = models.PositiveSmallIntegerField()
    user = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True,
                             on_delete=models.CASCADE, related_name="match_seats")
    is_bot = models.BooleanField(default=False)
    wants_ranked = models.BooleanField(default=False)
    score = models.PositiveIntegerField(default=0)
    last_seen_at = models.DateTimeField(null=True, blank=True)
    connections = models.PositiveSmallIntegerField(default=0)

    class Meta:
        ordering = ["seat"]
        constraints = [
            models.UniqueConstraint(fields=["match", "seat"], name="unique_match_seat"),
            models.UniqueConstraint(fields=["match", "user"], name="unique_match_user"),
        ]

    def __str__(self) -> str:
        return f"{'bot' if self.is_bot else self.user} in {self.match}"

    @property
    def name(self) -> str:
        return f"Practice bot (level {self.match.bot_level})" if self.is_bot else self.user.username


class Round(models.Model):
    class State(models.TextChoices):
        PENDING = "pending"
        OPEN = "open"
        CLOSED = "closed"

    match = models.ForeignKey(Match, on_delete=models.CASCADE, related_name="rounds")
    number = models.PositiveSmallIntegerField()
    version = models.ForeignKey(QuestionVersion, on_delete=models.PROTECT, related_name="+")
    choice_order = models.JSONField()
    choice_keys = models.JSONField()
    multiplier = models.PositiveSmallIntegerField(default=1)
    state = models.CharField(max_length=10, choices=State.choices, default=State.PENDING)
    opens_at = models.DateTimeField(null=True, blank=True)
    deadline = models.DateTimeField(null=True, blank=True)
    closed_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["number"]
        constraints = [
            models.UniqueConstraint(fields=["match", "number"], name="unique_match_round"),
        ]
        indexes = [models.Index(fields=["state", "deadline"])]

    def __str__(self) -> str:
        return f"{self.match} round {self.number}"


class RoundAnswer(models.Model):
    """One answer per player per round: the unique constraint is the guarantee."""

    round = models.ForeignKey(Round, on_delete=models.CASCADE, related_name="answers")
    player = models.ForeignKey(MatchPlayer, on_delete=models.CASCADE, related_name="answers")
    picked = models.JSONField()
    elapsed_ms = models.PositiveIntegerField()
    is_correct = models.BooleanField()
    points = models.PositiveIntegerField()
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["round", "player"], name="unique_round_answer"),
        ]

    def __str__(self) -> str:
        return f"{self.player} answered {self.round}"


class Rating(models.Model):
    """A player's head-to-head rating (openskill's Plackett-Luce model: mu and sigma)."""

    user = models.OneToOneField(settings.AUTH_USER_MODEL, on_delete=models.CASCADE,
                                related_name="rating")
    mu = models.FloatField()
    sigma = models.FloatField()
    games = models.PositiveIntegerField(default=0)
    abandons = models.PositiveIntegerField(default=0)
    updated_at = models.DateTimeField(auto_now=True)

    def __str__(self) -> str:
        return f"rating of {self.user}"


class RatingChange(models.Model):
    """One row per rated match and player: the unique constraint makes the update exactly-once,
    and the rows are the rating history the dashboard charts."""

    match = models.ForeignKey(Match, on_delete=models.CASCADE, related_name="rating_changes")
    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE,
                             related_name="rating_changes")
    mu_before = models.FloatField()
    sigma_before = models.FloatField()
    mu_after = models.FloatField()
    sigma_after = models.FloatField()
    display_before = models.IntegerField()
    display_after = models.IntegerField()
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["match", "user"], name="unique_rating_change"),
        ]
        indexes = [models.Index(fields=["user", "created_at"])]

    def __str__(self) -> str:
        return f"{self.user}: {self.display_before} -> {self.display_after}"


class QueueEntry(models.Model):
    """A player waiting for a ranked match. One row per user: nobody queues twice."""

    user = models.OneToOneField(settings.AUTH_USER_MODEL, on_delete=models.CASCADE,
                                related_name="queue_entry")
    rating = models.IntegerField()
    topic = models.ForeignKey(Topic, null=True, blank=True, on_delete=models.CASCADE)
    abandons = models.PositiveIntegerField(default=0)
    joined_at = models.DateTimeField(auto_now_add=True)
    match = models.ForeignKey(Match, null=True, blank=True, on_delete=models.SET_NULL,
                              related_name="+")

    def __str__(self) -> str:
        return f"{self.user} queued"
