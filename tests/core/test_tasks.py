from __future__ import annotations

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
