from __future__ import annotations

from datetime import timedelta

import pytest
from django.utils import timezone

from apps.core import outbox, tasks
from apps.core.models import OutboxMessage
from apps.quiz.models import AttemptQuestion
from apps.quiz.services import QuizSpec, quiz_answer, quiz_next, quiz_refresh, quiz_start
from apps.skills.models import AnswerEvent, DailyActivity, SkillEstimate
from tests.quiz.conftest import current, key_of
from tests.worker import wait_for

pytestmark = pytest.mark.django_db(transaction=True)


@pytest.fixture
def quiz_for(small_bank):
    return lambda user: quiz_start(user=user, spec=QuizSpec(count=5, seconds=20))


def _dispatch_lost(*args, **kwargs):
    raise ConnectionError("Error 111 connecting to 127.0.0.1:6379. Connection refused.")


def _later() -> timezone.datetime:
    return timezone.now() + timedelta(hours=1)


def _play_with_two_answers_and_a_miss(attempt):
    for correct in (True, False):
        aq = current(attempt)
        assert quiz_answer(attempt=attempt, number=aq.number,
                           keys=key_of(aq, correct)[:len(key_of(aq))]).kind == "accepted"
        quiz_next(attempt=attempt, number=aq.number)
    aq = current(attempt)
    AttemptQuestion.objects.filter(pk=aq.pk).update(deadline=timezone.now() - timedelta(60))
    quiz_refresh(attempt=attempt)
    assert AttemptQuestion.objects.get(pk=aq.pk).state == AttemptQuestion.State.MISSED


def _skills_snapshot(user):
    overall = SkillEstimate.objects.get(user=user, kind=SkillEstimate.Kind.OVERALL)
    activity = DailyActivity.objects.get(user=user)
    return (AnswerEvent.objects.filter(user=user).count(), overall.answers, overall.theta,
            activity.answers)


def test_lost_dispatches_are_recovered_exactly_once(world, quiz_for, settings, monkeypatch):
    """Every dispatch is lost (broker down): the answers and the miss wait in the outbox; the
    resend sweep records each exactly once, and a second run changes nothing."""
    settings.CELERY_ENABLED = True
    monkeypatch.setattr(tasks, "_send_to_broker", _dispatch_lost)
    learner = world["learner"]
    _play_with_two_answers_and_a_miss(quiz_for(learner))
    assert OutboxMessage.objects.count() == 3
    assert not AnswerEvent.objects.exists()

    assert outbox.outbox_resend() == 0  # not overdue yet: a first delivery may be on its way
    assert outbox.outbox_resend(now=_later()) == 3
    assert not OutboxMessage.objects.exists()
    events = AnswerEvent.objects.filter(user=learner)
    assert events.count() == 3 and events.filter(timed_out=True).count() == 1
    before = _skills_snapshot(learner)
    assert before[1] == 3 and before[3] == 3

    assert outbox.outbox_resend(now=_later() + timedelta(hours=1)) == 0
    assert _skills_snapshot(learner) == before


def test_a_message_delivered_twice_counts_once(world, quiz_for, settings, monkeypatch):
    settings.CELERY_ENABLED = True
    monkeypatch.setattr(tasks, "_send_to_broker", _dispatch_lost)
    attempt = quiz_for(world["learner"])
    aq = current(attempt)
    quiz_answer(attempt=attempt, number=aq.number, keys=key_of(aq))
    [message] = OutboxMessage.objects.all()
    assert outbox.outbox_deliver(message_id=message.pk)
    OutboxMessage.objects.create(task=message.task, args=message.args,
                                 due_at=timezone.now())  # as if the delete had been lost
    assert outbox.outbox_resend() == 1
    assert AnswerEvent.objects.filter(user=world["learner"]).count() == 1
    assert SkillEstimate.objects.get(user=world["learner"], kind="overall").answers == 1


def test_the_normal_path_delivers_at_once_and_clears_the_row(world, quiz_for):
    attempt = quiz_for(world["learner"])
    aq = current(attempt)
    quiz_answer(attempt=attempt, number=aq.number, keys=key_of(aq))
    assert wait_for(lambda: AnswerEvent.objects.filter(user=world["learner"]).exists(), 5)
    assert wait_for(lambda: not OutboxMessage.objects.exists(), 5)


def test_a_failing_task_backs_off_and_becomes_a_dead_letter(caplog, monkeypatch):
    from apps.skills import tasks as skill_tasks

    def blip(*args):
        raise ConnectionError("the database went away")

    monkeypatch.setattr(skill_tasks.record_answers_task, "run", blip)
    message = OutboxMessage.objects.create(task="skills.record_answers", args=[[]],
                                           due_at=timezone.now())
    now = timezone.now()
    gaps = []
    for _ in range(outbox.MAX_ATTEMPTS + 2):
        outbox.outbox_resend(now=now)
        message.refresh_from_db()
        gaps.append((message.due_at - now).total_seconds())
        now = message.due_at
    assert message.attempts == outbox.MAX_ATTEMPTS  # bounded: it stops trying
    assert gaps[1] == 2 * gaps[0] and gaps[2] == 2 * gaps[1]  # exponential backoff
    assert "ConnectionError: the database went away" in message.last_error
    assert any(r.levelname == "ERROR" for r in caplog.records if r.name == "apps.core.outbox")


def test_concurrent_sweeps_deliver_a_message_once(world, quiz_for, settings, monkeypatch):
    """A row is claimed by moving its due time: a sweep that read it before another claimed it
    skips it."""
    settings.CELERY_ENABLED = True
    monkeypatch.setattr(tasks, "_send_to_broker", _dispatch_lost)
    attempt = quiz_for(world["learner"])
    aq = current(attempt)
    quiz_answer(attempt=attempt, number=aq.number, keys=key_of(aq))
    message = OutboxMessage.objects.get()
    OutboxMessage.objects.filter(pk=message.pk).update(due_at=timezone.now() - timedelta(1))
    calls = []
    real = outbox.outbox_deliver
    monkeypatch.setattr(outbox, "outbox_deliver",
                        lambda **kw: calls.append(kw) or real(**kw))
    stale = list(OutboxMessage.objects.values_list("pk", "due_at", "attempts"))
    assert outbox.outbox_resend() == 1
    claimed = OutboxMessage.objects.filter(pk=stale[0][0], due_at=stale[0][1]).update(attempts=9)
    assert claimed == 0 and len(calls) == 1
