"""LTI 1.3 tool: the LMS registrations, who is who there (identities, courses), what an
instructor placed (placements), and the grades sent back.

Limits: every URL and id field is bounded (the LTI specs give no maximum; 255 covers the ids
the major LMSes send, 500 their service URLs)."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.db.models import Q

from apps.bank.models import Topic


class Registration(models.Model):
    """One LMS (issuer) and one client id it gave this tool. Several side by side; an issuer may
    hold several client ids (e.g. a Moodle site with two tool registrations)."""

    name = models.CharField(max_length=120)
    issuer = models.URLField(max_length=255)
    client_id = models.CharField(max_length=255)
    auth_login_url = models.URLField(max_length=500)
    auth_token_url = models.URLField(max_length=500)
    auth_audience = models.CharField(max_length=500, blank=True)  # when the token aud differs
    keyset_url = models.URLField(max_length=500)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["issuer", "client_id"]
        constraints = [models.UniqueConstraint(fields=["issuer", "client_id"],
                                               name="lti_unique_issuer_client")]

    def __str__(self) -> str:
        return f"{self.name} ({self.issuer}, {self.client_id})"


class Deployment(models.Model):
    registration = models.ForeignKey(Registration, on_delete=models.CASCADE,
                                     related_name="deployments")
    deployment_id = models.CharField(max_length=255)

    class Meta:
        constraints = [models.UniqueConstraint(fields=["registration", "deployment_id"],
                                               name="lti_unique_deployment")]

    def __str__(self) -> str:
        return self.deployment_id


class LaunchValue(models.Model):
    """PyLTI1p3's launch data storage (nonces, state, the decoded launch), in the database so it
    is shared by every web process on both stacks. Expired rows are swept on writes."""

    key = models.CharField(max_length=255, unique=True)
    value = models.JSONField()
    expires_at = models.DateTimeField(db_index=True)

    def __str__(self) -> str:
        return self.key


class UsedLaunch(models.Model):
    """A state or nonce that has been spent: a second launch with it is a replay. The unique
    constraint is the guarantee (two racing launches cannot both insert)."""

    value = models.CharField(max_length=255, unique=True)
    used_at = models.DateTimeField(auto_now_add=True, db_index=True)

    def __str__(self) -> str:
        return self.value


class Identity(models.Model):
    """A platform account linked to an LMS user: (issuer, sub) is the LMS's stable id."""

    issuer = models.CharField(max_length=255)
    sub = models.CharField(max_length=255)
    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE,
                             related_name="lti_identities")
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        constraints = [models.UniqueConstraint(fields=["issuer", "sub"],
                                               name="lti_unique_identity")]

    def __str__(self) -> str:
        return f"{self.sub} at {self.issuer}"


class Course(models.Model):
    """An LMS context (course) mapped to a cohort. The NRPS URL is the latest one the LMS sent."""

    registration = models.ForeignKey(Registration, on_delete=models.CASCADE,
                                     related_name="courses")
    context_id = models.CharField(max_length=255)
    title = models.CharField(max_length=255, blank=True)
    cohort = models.OneToOneField("cohorts.Cohort", on_delete=models.CASCADE,
                                  related_name="lti_course")
    memberships_url = models.URLField(max_length=500, blank=True)
    instructors = models.ManyToManyField(settings.AUTH_USER_MODEL, related_name="+", blank=True)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        constraints = [models.UniqueConstraint(fields=["registration", "context_id"],
                                               name="lti_unique_course")]

    def __str__(self) -> str:
        return self.title or self.context_id


class Placement(models.Model):
    """What an instructor placed in the LMS through deep linking: a cohort assignment, a speed
    quiz on a topic or a live class game. The LMS echoes `token` back in every launch (custom
    parameter). A live game's maximum is its question count (the score sent is the number of
    questions the learner answered right, not the game's speed points, which have no fixed
    maximum)."""

    class Kind(models.TextChoices):
        ASSIGNMENT = "assignment", "Cohort assignment"
        SPEED = "speed", "Speed quiz"
        LIVE = "live", "Live class game"

    token = models.CharField(max_length=32, unique=True)
    course = models.ForeignKey(Course, on_delete=models.CASCADE, related_name="placements")
    kind = models.CharField(max_length=12, choices=Kind.choices)
    title = models.CharField(max_length=120)
    assignment = models.ForeignKey("cohorts.Assignment", null=True, blank=True,
                                   on_delete=models.CASCADE, related_name="+")
    topic = models.ForeignKey(Topic, null=True, blank=True, on_delete=models.PROTECT,
                              related_name="+")
    live_game = models.ForeignKey("live.LiveGame", null=True, blank=True,
                                  on_delete=models.CASCADE, related_name="+")
    count = models.PositiveSmallIntegerField(default=10)
    score_maximum = models.PositiveSmallIntegerField()
    lineitem_url = models.URLField(max_length=500, blank=True)  # learned from the first launch
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE,
                                   related_name="+")
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["-created_at"]

    def __str__(self) -> str:
        return self.title


class LaunchedAttempt(models.Model):
    """A quiz attempt started from an LMS launch: where its grade goes."""

    attempt = models.OneToOneField("quiz.QuizAttempt", on_delete=models.CASCADE,
                                   related_name="+")
    placement = models.ForeignKey(Placement, on_delete=models.CASCADE, related_name="attempts")
    sub = models.CharField(max_length=255)
    lineitem_url = models.URLField(max_length=500, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)

    def __str__(self) -> str:
        return f"attempt {self.attempt_id} from {self.placement}"


class LaunchedSeat(models.Model):
    """A seat in a live game taken from an LMS launch: where the learner's grade goes when the
    game finishes."""

    player = models.OneToOneField("live.LivePlayer", on_delete=models.CASCADE, related_name="+")
    placement = models.ForeignKey(Placement, on_delete=models.CASCADE, related_name="seats")
    sub = models.CharField(max_length=255)
    lineitem_url = models.URLField(max_length=500, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)

    def __str__(self) -> str:
        return f"seat {self.player_id} from {self.placement}"


class ScoreSend(models.Model):
    """One grade passback: at most one row per quiz attempt and line item, or per live game seat
    (one game and learner) and line item (the unique constraints are the never-twice
    guarantee), with what happened to it."""

    class Status(models.TextChoices):
        PENDING = "pending", "Waiting to send"
        SENT = "sent", "Sent"
        FAILED = "failed", "Failed"

    placement = models.ForeignKey(Placement, on_delete=models.CASCADE, related_name="scores")
    attempt = models.ForeignKey("quiz.QuizAttempt", null=True, blank=True,
                                on_delete=models.CASCADE, related_name="+")
    live_player = models.ForeignKey("live.LivePlayer", null=True, blank=True,
                                    on_delete=models.CASCADE, related_name="+")
    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+")
    lineitem_url = models.URLField(max_length=500)
    sub = models.CharField(max_length=255)
    score_given = models.PositiveSmallIntegerField()
    score_maximum = models.PositiveSmallIntegerField()
    timestamp = models.DateTimeField()
    status = models.CharField(max_length=8, choices=Status.choices, default=Status.PENDING)
    tries = models.PositiveSmallIntegerField(default=0)
    claimed_until = models.DateTimeField(null=True, blank=True)
    last_error = models.CharField(max_length=300, blank=True)
    sent_at = models.DateTimeField(null=True, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["-created_at"]
        constraints = [
            models.UniqueConstraint(fields=["attempt", "lineitem_url"],
                                    name="lti_unique_score_send"),
            models.UniqueConstraint(fields=["live_player", "lineitem_url"],
                                    name="lti_unique_live_score_send"),
            models.CheckConstraint(
                condition=(Q(attempt__isnull=False, live_player__isnull=True)
                           | Q(attempt__isnull=True, live_player__isnull=False)),
                name="lti_score_send_of_attempt_or_seat"),
        ]

    def __str__(self) -> str:
        what = (f"attempt {self.attempt_id}" if self.attempt_id
                else f"live seat {self.live_player_id}")
        return f"{self.score_given}/{self.score_maximum} for {what}"
