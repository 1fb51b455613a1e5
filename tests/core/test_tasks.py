from __future__ import annotations

import threading
import uuid

import pytest
from django.db import transaction

from apps.core.models import WorkerHeartbeat
from apps.core.tasks import enqueue, heartbeat
from tests.worker import wait_for


@pytest.mark.django_db(transaction=True)
def test_it_runs_a_task_in_process_after_commit_without_a_broker():
    marker = uuid.uuid4().hex
    with transaction.atomic():
        enqueue(heartbeat, marker)
        assert not WorkerHeartbeat.objects.filter(marker=marker).exists()
    assert wait_for(lambda: WorkerHeartbeat.objects.filter(marker=marker).exists(), timeout=5)


@pytest.mark.django_db(transaction=True)
def test_a_rolled_back_transaction_sends_nothing():
    marker = uuid.uuid4().hex
    with pytest.raises(RuntimeError), transaction.atomic():
        enqueue(heartbeat, marker)
        raise RuntimeError("rollback")
    assert not wait_for(lambda: WorkerHeartbeat.objects.filter(marker=marker).exists(),
                        timeout=0.5)


@pytest.mark.worker
def test_a_real_worker_runs_the_task_against_the_test_database(real_worker):
    marker = uuid.uuid4().hex
    enqueue(heartbeat, marker)
    seen = wait_for(lambda: WorkerHeartbeat.objects.filter(marker=marker).exists(), timeout=30)
    if not seen:
        pytest.fail(f"worker never ran the task; its log: {real_worker.stderr.read1()!r}"
                    if real_worker.poll() is not None else "worker never ran the task")


@pytest.mark.postgres
@pytest.mark.django_db
def test_it_runs_on_postgresql():
    from django.db import connection

    with connection.cursor() as cursor:
        cursor.execute("SELECT version()")
        assert "PostgreSQL" in cursor.fetchone()[0]


@pytest.mark.django_db(transaction=True)
def test_pending_in_process_timers_can_be_cancelled():
    from apps.core.tasks import cancel_pending

    marker = uuid.uuid4().hex
    enqueue(heartbeat, marker, countdown=0.5)
    assert cancel_pending() == 1
    assert not wait_for(lambda: WorkerHeartbeat.objects.filter(marker=marker).exists(),
                        timeout=1.0)


class FakeTask:
    """Stands in for a Celery task in the in-process runner: a name (which picks the lane) and
    a run() that records its call and can block or fail."""

    def __init__(self, name, block: threading.Event | None = None, fail: bool = False):
        self.name, self.block, self.fail, self.calls = name, block, fail, []
        self.done = threading.Event()

    def run(self, *args):
        if self.block is not None:
            self.block.wait(timeout=10)
        self.calls.append(args)
        self.done.set()
        if self.fail:
            raise RuntimeError("this task fails")


@pytest.mark.django_db(transaction=True)
def test_a_delayed_task_waits_for_its_countdown():
    task = FakeTask("matches.advance")
    enqueue(task, 7, countdown=0.5)
    assert not task.done.wait(timeout=0.2)  # it may run late, never early
    assert task.done.wait(timeout=5)
    assert task.calls == [(7,)]


@pytest.mark.django_db(transaction=True)
def test_bookkeeping_never_holds_up_play():
    """Skill updates run in their own lane: a slow one does not delay closing a round."""
    release = threading.Event()
    slow = FakeTask("skills.record_round", block=release)
    play = FakeTask("matches.advance")
    enqueue(slow, 1)
    enqueue(play, 2)
    try:
        assert play.done.wait(timeout=5) and not slow.done.is_set()
    finally:
        release.set()
    assert slow.done.wait(timeout=5)


@pytest.mark.django_db(transaction=True)
def test_a_failing_task_does_not_stop_its_lane(caplog):
    broken, after = FakeTask("skills.record_round", fail=True), FakeTask("skills.record_round")
    enqueue(broken, 1)
    enqueue(after, 2)
    assert after.done.wait(timeout=5) and broken.calls == [(1,)]
    assert "in-process task skills.record_round failed" in caplog.text


@pytest.mark.django_db(transaction=True)
def test_a_broker_that_is_down_never_fails_a_committed_answer(client, world, small_bank,
                                                             settings, monkeypatch):
    """The answer commits first; sending its skill task then fails (Redis down). The learner
    gets the stored result, not a 500, and a retry returns the same result."""
    from apps.core import tasks
    from apps.core.models import OutboxMessage
    from apps.quiz.models import QuizAnswer
    from apps.quiz.services import QuizSpec, quiz_start
    from tests.quiz.conftest import key_of

    def broker_down(*args, **kwargs):
        raise ConnectionError("Error 111 connecting to redis:6379. Connection refused.")

    settings.CELERY_ENABLED = True
    monkeypatch.setattr(tasks, "_send_to_broker", broker_down)
    attempt = quiz_start(user=world["learner"], spec=QuizSpec(count=5))
    question = attempt.questions.select_related("version").get(number=1)
    client.force_login(world["learner"])
    body = {"question": 1, "choices": key_of(question)}
    first = client.post(f"/api/v1/quizzes/{attempt.public_id}/answers/", body,
                        content_type="application/json")
    assert first.status_code == 200 and first.json()["outcome"] == "accepted"
    again = client.post(f"/api/v1/quizzes/{attempt.public_id}/answers/", body,
                        content_type="application/json")
    assert again.status_code == 200 and again.json()["outcome"] == "repeat"
    assert QuizAnswer.objects.filter(question=question).count() == 1
    assert OutboxMessage.objects.count() == 1  # its skill update waits for the resend sweep
