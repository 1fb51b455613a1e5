"""Step 4: grade passback (AGS) to lti1p3platform through the outbox task: the score as the
spec wants it, retried with backoff while the LMS is down, never sent twice, and listed for the
instructor."""

from __future__ import annotations

from datetime import timedelta

import pytest
from django.test import Client
from django.utils import timezone

from apps.core.models import OutboxMessage
from apps.core.outbox import outbox_deliver, outbox_resend
from apps.lti.grades import ScoreNotSent, score_on_attempt_finished, score_send
from apps.lti.models import LaunchedAttempt, Placement, ScoreSend
from tests.lti.conftest import finish_attempt, lti_launch
from tests.lti.platform import INSTRUCTOR, LEARNER

pytestmark = pytest.mark.django_db


def _learner_finishes(lms, placement, *, correct=1):
    lti_launch(Client(), lms, user_id="student-7", roles=LEARNER,
               custom={"placement": placement.token})
    attempt = LaunchedAttempt.objects.get().attempt
    finish_attempt(attempt, correct=correct)
    attempt.refresh_from_db()
    return attempt


def _message():
    return OutboxMessage.objects.get(task="lti.send_score")


def test_it_posts_the_score_once_when_the_learner_finishes(lms, placement):
    attempt = _learner_finishes(lms, placement, correct=1)
    row = ScoreSend.objects.get()
    assert (row.score_given, row.score_maximum, row.status) == (1, 2, ScoreSend.Status.PENDING)
    assert outbox_deliver(message_id=_message().pk)
    [score] = lms.scores["1"]
    assert score == {"scoreGiven": 1, "scoreMaximum": 2, "activityProgress": "Completed",
                     "gradingProgress": "FullyGraded", "userId": "student-7",
                     "timestamp": attempt.finished_at.isoformat()}
    row.refresh_from_db()
    assert row.status == ScoreSend.Status.SENT and row.sent_at and row.tries == 1
    # Never twice: a second delivery, a second finish signal, a resend sweep.
    assert score_send(score_id=row.pk) == ScoreSend.Status.SENT
    score_on_attempt_finished(attempt)
    outbox_resend(now=timezone.now() + timedelta(hours=1))
    assert len(lms.scores["1"]) == 1 and ScoreSend.objects.count() == 1
    assert not OutboxMessage.objects.exists()
    # The token was fetched once (cached), for the score scope only.
    assert [c for c in lms.calls if c[1] == "/token"] == [("POST", "/token")]


def test_it_retries_with_backoff_while_the_lms_is_down(lms, placement):
    _learner_finishes(lms, placement, correct=2)
    message = _message()
    lms.down = True
    with pytest.raises(ScoreNotSent, match="503"):
        outbox_deliver(message_id=message.pk)
    row = ScoreSend.objects.get()
    assert row.status == ScoreSend.Status.PENDING and "HTTP 503" in row.last_error
    teacher = Client()
    teacher.force_login(placement.created_by)
    assert "Retrying" in teacher.get(f"/lti/results/{placement.token}/").content.decode()
    assert OutboxMessage.objects.filter(pk=message.pk).exists()  # left for the resend sweep
    outbox_resend(now=timezone.now() + timedelta(hours=1))  # still down
    assert "1" not in lms.scores and ScoreSend.objects.get().status == "pending"
    message.refresh_from_db()
    assert message.attempts == 1 and message.due_at > timezone.now()  # backed off
    lms.down = False
    outbox_resend(now=timezone.now() + timedelta(hours=2))
    row.refresh_from_db()
    assert row.status == ScoreSend.Status.SENT
    assert [s["scoreGiven"] for s in lms.scores["1"]] == [2]


def test_it_marks_a_refused_score_failed_and_shows_it(lms, placement):
    attempt = _learner_finishes(lms, placement, correct=0)
    ScoreSend.objects.update(lineitem_url="https://lms.example.test/courses/101/gone/9")
    assert outbox_deliver(message_id=_message().pk)  # no retry: the LMS said 404
    row = ScoreSend.objects.get()
    assert row.status == ScoreSend.Status.FAILED and "HTTP 404" in row.last_error
    teacher = Client()
    teacher.force_login(placement.created_by)
    page = teacher.get(f"/lti/results/{placement.token}/").content.decode()
    assert "Failed" in page and "HTTP 404" in page and "1 grade could not be sent" in page
    assert attempt.user.first_name in page or attempt.user.username in page


def test_it_sends_nothing_for_an_attempt_not_launched_from_the_lms(lms, placement, world):
    from apps.quiz.services import QuizSpec, quiz_start

    attempt = quiz_start(user=world["learner"], spec=QuizSpec(count=5))
    finish_attempt(attempt, correct=1)
    assert not ScoreSend.objects.exists() and not OutboxMessage.objects.filter(
        task="lti.send_score").exists()


def test_it_lists_sent_grades_for_the_courses_instructors_only(lms, placement, world):
    _learner_finishes(lms, placement, correct=1)
    outbox_deliver(message_id=_message().pk)
    teacher = Client()
    lti_launch(teacher, lms, user_id="teacher-9", roles=INSTRUCTOR,
               custom={"placement": placement.token})
    page = teacher.get(f"/lti/results/{placement.token}/")
    assert page.status_code == 200 and "1 / 2" in page.content.decode()
    assert "Sent" in page.content.decode()
    for role in ("learner", "instructor", "staff"):
        outsider = Client()
        outsider.force_login(world[role])
        assert outsider.get(f"/lti/results/{placement.token}/").status_code == 404
    assert Client().get(f"/lti/results/{placement.token}/").status_code == 404
    assert Placement.objects.count() == 1


def test_it_sends_the_grade_of_an_assignment_finished_on_the_site_before_the_launch(
        lms, placement):
    from apps.cohorts.services import assignment_start, cohort_join
    from apps.lti.services import identity_user

    user = identity_user(issuer=lms.registration.get_iss(), sub="student-7")
    cohort_join(user=user, code=placement.course.cohort.join_code)
    attempt = assignment_start(user=user, assignment=placement.assignment)
    finish_attempt(attempt, correct=2)
    assert not ScoreSend.objects.exists()  # not launched from the LMS yet
    lti_launch(Client(), lms, user_id="student-7", roles=LEARNER,
               custom={"placement": placement.token})
    lti_launch(Client(), lms, user_id="student-7", roles=LEARNER,
               custom={"placement": placement.token})
    row = ScoreSend.objects.get()
    assert (row.attempt_id, row.score_given) == (attempt.pk, 2)
    outbox_deliver(message_id=_message().pk)
    assert [s["scoreGiven"] for s in lms.scores["1"]] == [2]


def test_it_gives_up_after_the_last_try(lms, placement):
    from apps.lti.grades import MAX_TRIES

    _learner_finishes(lms, placement, correct=1)
    ScoreSend.objects.update(tries=MAX_TRIES - 1)
    lms.down = True
    assert outbox_deliver(message_id=_message().pk)  # no exception: nothing left to retry
    row = ScoreSend.objects.get()
    assert row.status == ScoreSend.Status.FAILED and row.tries == MAX_TRIES
    assert "HTTP 503" in row.last_error
