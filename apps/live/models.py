"""Live class games: a host puts a game on the projector, the room joins with a PIN and everyone
answers the same question at the same moment. The server owns the clock: each question stores
when it opened and its deadline; `LiveGame.version` counts every change clients must see."""

from __future__ import annotations

import uuid

from django.conf import settings
from django.db import models
from django.db.models import Q

from apps.bank.models import QuestionVersion

NICKNAME_MAX = 20
TEAM_NAMES = ("Red", "Blue", "Green", "Gold", "Purple", "Teal")  # shown with a shape too


class LiveGame(models.Model):
    class State(models.TextChoices):
        LOBBY = "lobby"
        QUESTION = "question"  # the current question is open
        REVEAL = "reveal"  # the current question is closed: key, distribution, top 5
        FINISHED = "finished"  # the podium

    class Scoring(models.TextChoices):
        SPEED = "speed", "Speed (faster correct answers earn more)"
        ACCURACY = "accuracy", "Accuracy only (fair to slower players and extended time)"

    public_id = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    pin = models.CharField(max_length=6)  # unique among games not finished (constraint below)
    host = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE,
                             related_name="hosted_games")
    state = models.CharField(max_length=10, choices=State.choices, default=State.LOBBY)
    scoring = models.CharField(max_length=10, choices=Scoring.choices, default=Scoring.SPEED)
    seconds_per_question = models.PositiveSmallIntegerField()
    focus_label = models.CharField(max_length=200, default="Mixed")
    question_count = models.PositiveSmallIntegerField()
    current_number = models.PositiveSmallIntegerField(default=0)  # 0 in the lobby
    lobby_locked = models.BooleanField(default=False)
    # 0: everyone for themselves; 2-6: teams balanced at the start, a team's score is the mean of
    # its members' (not the sum: a bigger team has no edge).
    team_count = models.PositiveSmallIntegerField(default=0)
    # The open question's deadline, kept here too so that a poll can tell from this row alone
    # whether a close is due (close-on-read) without locking or reading the question.
    deadline = models.DateTimeField(null=True, blank=True)
    # While paused: how much time the open question had left (the deadline moves on resume).
    paused_remaining_ms = models.PositiveIntegerField(null=True, blank=True)
    version = models.PositiveIntegerField(default=1)
    created_at = models.DateTimeField(auto_now_add=True)
    started_at = models.DateTimeField(null=True, blank=True)
    finished_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["-created_at"]
        constraints = [
            models.UniqueConstraint(fields=["pin"], condition=~Q(state="finished"),
                                    name="unique_pin_of_unfinished_games"),
        ]
        indexes = [models.Index(fields=["host", "state"])]

    def __str__(self) -> str:
        return f"live game {self.pin}"

    @property
    def is_paused(self) -> bool:
        return self.paused_remaining_ms is not None


class LiveQuestion(models.Model):
    class State(models.TextChoices):
        PENDING = "pending"
        OPEN = "open"
        CLOSED = "closed"

    game = models.ForeignKey(LiveGame, on_delete=models.CASCADE, related_name="questions")
    number = models.PositiveSmallIntegerField()
    version = models.ForeignKey(QuestionVersion, on_delete=models.PROTECT, related_name="+")
    # One deal for the room: the projector and every phone show the same tiles in the same order.
    choice_order = models.JSONField()
    choice_keys = models.JSONField()
    state = models.CharField(max_length=10, choices=State.choices, default=State.PENDING)
    opened_at = models.DateTimeField(null=True, blank=True)
    deadline = models.DateTimeField(null=True, blank=True)
    closed_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["number"]
        constraints = [
            models.UniqueConstraint(fields=["game", "number"], name="unique_live_question_number"),
        ]

    def __str__(self) -> str:
        return f"{self.game} #{self.number}"

    @property
    def deal(self):
        from apps.play.deal import Deal

        return Deal.of(self.choice_order, self.choice_keys)


class LivePlayer(models.Model):
    game = models.ForeignKey(LiveGame, on_delete=models.CASCADE, related_name="players")
    user = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True,
                             on_delete=models.CASCADE, related_name="live_seats")
    nickname = models.CharField(max_length=NICKNAME_MAX)
    # sha256 of the seat's secret: a player who reloads or reconnects comes back to the same
    # seat with it (a cookie on the phone, a header for API clients).
    token_hash = models.CharField(max_length=64, unique=True)
    score = models.PositiveIntegerField(default=0)
    streak = models.PositiveSmallIntegerField(default=0)
    correct = models.PositiveSmallIntegerField(default=0)
    time_factor = models.FloatField(default=1.0)
    removed = models.BooleanField(default=False)
    team = models.PositiveSmallIntegerField(null=True, blank=True)  # index into TEAM_NAMES
    # The rank at the last reveal and at the one before: "who moved up" on the projector.
    rank_now = models.PositiveIntegerField(null=True, blank=True)
    rank_before = models.PositiveIntegerField(null=True, blank=True)
    joined_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["-score", "joined_at"]
        constraints = [
            models.UniqueConstraint(fields=["game", "nickname"], name="unique_live_nickname"),
            models.UniqueConstraint(fields=["game", "user"], condition=Q(user__isnull=False),
                                    name="unique_live_seat_per_user"),
        ]

    def __str__(self) -> str:
        return f"{self.nickname} in {self.game}"


class LiveAnswer(models.Model):
    """A player's one answer to one question: the unique pair is the database's guarantee that a
    double tap, a retry or two racing requests never score twice."""

    question = models.ForeignKey(LiveQuestion, on_delete=models.CASCADE, related_name="answers")
    player = models.ForeignKey(LivePlayer, on_delete=models.CASCADE, related_name="answers")
    picked = models.JSONField()  # the author's positions, sorted
    elapsed_ms = models.PositiveIntegerField()
    is_correct = models.BooleanField()
    points = models.PositiveIntegerField()
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["question", "player"], name="unique_live_answer"),
        ]

    def __str__(self) -> str:
        return f"answer of {self.player_id} to {self.question}"
