"""Grade passback (AGS): a learner who finishes an attempt launched from the LMS gets a
`ScoreSend` row (one per attempt and line item: the never-twice guarantee), written in the
transaction that finishes the attempt, and a task sent through the outbox after commit. A live
game does the same for every seat taken from an LMS launch when the game finishes (one row per
seat, that is per game and learner, and line item): the score is the number of questions the
learner answered right, out of the game's question count.

The task posts the score. A transient failure (the LMS is down, a timeout, a 5xx or 429) keeps
the row pending with its error and raises, so Celery's retries and then the outbox's resends run
it again with exponential backoff; a refusal that retrying cannot fix (other 4xx), or MAX_TRIES
recorded tries, marks it failed. (A resend runs inside the outbox's transaction, which its
failure rolls back, so only the error of the first deliveries is kept on the row; a row the
outbox gave up on stays pending, "retrying", with that error, as a dead letter.) The
instructor's page lists them all."""

from __future__ import annotations

from datetime import timedelta

import requests
from django.core.cache import cache
from django.db.models import F, Q
from django.utils import timezone
from pylti1p3.assignments_grades import AssignmentsGradesService
from pylti1p3.exception import LtiException, LtiServiceException
from pylti1p3.grade import Grade

from apps.core.outbox import outbox_enqueue
from apps.lti.models import LaunchedAttempt, LaunchedSeat, ScoreSend

SCORE_SCOPE = "https://purl.imsglobal.org/spec/lti-ags/scope/score"
MAX_TRIES = 6
CLAIM_SECONDS = 120  # a worker killed mid-send leaves its claim; another may take it after this


class ScoreNotSent(Exception):
    """Raised to have the outbox retry a transient failure."""


def score_on_attempt_finished(attempt) -> None:
    """apps.quiz calls this inside the transaction that finishes `attempt` (holding its lock)."""
    link = (LaunchedAttempt.objects.filter(attempt=attempt).select_related("placement")
            .first())
    if link is None:
        return
    lineitem = link.lineitem_url or link.placement.lineitem_url
    if not lineitem:
        return  # the LMS gave this launch no line item: nothing to grade
    correct = attempt.questions.filter(is_correct=True).count()
    row, created = ScoreSend.objects.get_or_create(
        attempt=attempt, lineitem_url=lineitem,
        defaults={"placement": link.placement, "user_id": attempt.user_id, "sub": link.sub,
                  "score_given": correct, "score_maximum": attempt.question_count,
                  "timestamp": attempt.finished_at or timezone.now()})
    if created:
        from apps.lti import tasks

        outbox_enqueue(tasks.send_score_task, row.pk)


def score_on_game_finished(game) -> None:
    """apps.live calls this inside the transaction that finishes `game` (holding its lock), once
    per game; calling it again creates nothing (the unique seat and line item)."""
    seats = (LaunchedSeat.objects.filter(player__game=game)
             .select_related("placement", "player").order_by("pk"))
    from apps.lti import tasks

    for seat in seats:
        lineitem = seat.lineitem_url or seat.placement.lineitem_url
        if not lineitem or seat.player.user_id is None:
            continue  # the LMS gave this launch no line item: nothing to grade
        row, created = ScoreSend.objects.get_or_create(
            live_player=seat.player, lineitem_url=lineitem,
            defaults={"placement": seat.placement, "user_id": seat.player.user_id,
                      "sub": seat.sub, "score_given": seat.player.correct,
                      "score_maximum": game.question_count,
                      "timestamp": game.finished_at or timezone.now()})
        if created:
            outbox_enqueue(tasks.send_score_task, row.pk)


def _grade(row: ScoreSend) -> Grade:
    return (Grade().set_score_given(row.score_given).set_score_maximum(row.score_maximum)
            .set_timestamp(row.timestamp.isoformat()).set_activity_progress("Completed")
            .set_grading_progress("FullyGraded").set_user_id(row.sub))


def score_send(*, score_id: int) -> str:
    """Post one score unless it was sent already (idempotent: a claim on the row keeps two
    deliveries from posting at once). Returns the row's status; raises ScoreNotSent to be
    retried."""
    from apps.lti.toolconf import service_connector, token_cache_key

    now = timezone.now()
    claimed = (ScoreSend.objects.filter(pk=score_id, status=ScoreSend.Status.PENDING)
               .filter(Q(claimed_until__isnull=True) | Q(claimed_until__lt=now))
               .update(claimed_until=now + timedelta(seconds=CLAIM_SECONDS),
                       tries=F("tries") + 1))
    row = (ScoreSend.objects.select_related("placement__course__registration")
           .filter(pk=score_id).first())
    if row is None or not claimed:
        return row.status if row else "gone"
    registration = row.placement.course.registration
    ags = AssignmentsGradesService(service_connector(registration),
                                   {"scope": [SCORE_SCOPE], "lineitem": row.lineitem_url})
    permanent = False
    try:
        ags.put_grade(_grade(row))
    except LtiServiceException as exc:
        code = exc.response.status_code
        if code == 401:  # a cached token the LMS no longer accepts: fetch a new one next time
            cache.delete(token_cache_key(registration.issuer, registration.client_id,
                                         [SCORE_SCOPE]))
        permanent = 400 <= code < 500 and code not in (401, 408, 429)
        error = f"HTTP {code}: {exc.response.text[:200]}"
    except (requests.RequestException, LtiException) as exc:
        error = f"{type(exc).__name__}: {exc}"
    else:
        ScoreSend.objects.filter(pk=row.pk).update(status=ScoreSend.Status.SENT,
                                                   sent_at=timezone.now(), last_error="",
                                                   claimed_until=None)
        return ScoreSend.Status.SENT
    failed = permanent or row.tries >= MAX_TRIES
    ScoreSend.objects.filter(pk=row.pk).update(
        status=ScoreSend.Status.FAILED if failed else ScoreSend.Status.PENDING,
        last_error=error[:300], claimed_until=None)
    if failed:
        return ScoreSend.Status.FAILED
    raise ScoreNotSent(error[:300])
