"""Web processes sweep too (apps.core.sweeper): rounds close and lost work is re-sent while the
worker is down. The thread itself runs in tests/reliability's servers; here, one sweep."""

from __future__ import annotations

from datetime import timedelta

import pytest
from django.utils import timezone

from apps.core import sweeper, tasks
from apps.core.models import OutboxMessage, WorkerHeartbeat
from apps.matches.models import Match, Round
from apps.skills.models import AnswerEvent
from tests.matches.conftest import current_round, expire_round, keys
from tests.matches.test_api import Api

pytestmark = pytest.mark.django_db(transaction=True)


@pytest.fixture
def web_sweeps(settings):
    settings.WEB_SWEEP_SECONDS = 2.0


@pytest.fixture
def match(small_bank, world, settings):
    settings.MATCH_ROUNDS = 3
    a, b = Api(world["learner"]), Api(world["other_learner"])
    a.post("/api/v1/matches/queue/")
    public_id = b.post("/api/v1/matches/queue/").json()["match"]
    return Match.objects.get(public_id=public_id), a


def test_a_sweep_closes_an_overdue_round_without_any_worker(web_sweeps, match, settings,
                                                           monkeypatch):
    match, a = match
    settings.CELERY_ENABLED = True  # countdown tasks go nowhere: no worker, no broker
    monkeypatch.setattr(tasks, "_send_to_broker", lambda *args: None)
    rnd = current_round(match)
    url = f"/api/v1/matches/{match.public_id}/answers/"
    assert a.post(url, {"round": rnd.number, "choices": keys(rnd)}).status_code == 200
    expire_round(match)
    done = sweeper.sweep_once()
    assert done["matches.sweep"] == 1
    assert Round.objects.get(pk=rnd.pk).state == Round.State.CLOSED
    # The round's skill updates were lost with the dispatch; the outbox has them.
    assert OutboxMessage.objects.count() == 1
    OutboxMessage.objects.update(due_at=timezone.now() - timedelta(seconds=1))
    sweeper.cache.delete(sweeper.LEADER_KEY)
    assert sweeper.sweep_once()["core.outbox_resend_without_worker"] == 1
    assert AnswerEvent.objects.count() == 2  # the answer and the opponent's miss


@pytest.fixture
def overdue(web_sweeps, match, settings, monkeypatch):
    """A round closed with its skill updates' dispatch lost: one overdue outbox row."""
    match, a = match
    settings.CELERY_ENABLED = True
    monkeypatch.setattr(tasks, "_send_to_broker", lambda *args: None)
    rnd = current_round(match)
    a.post(f"/api/v1/matches/{match.public_id}/answers/",
           {"round": rnd.number, "choices": keys(rnd)})
    expire_round(match)
    sweeper.sweep_once()
    sweeper.cache.delete(sweeper.LEADER_KEY)
    OutboxMessage.objects.update(due_at=timezone.now() - timedelta(seconds=1))
    assert OutboxMessage.objects.count() == 1


def test_the_web_leaves_the_outbox_to_a_worker_that_is_running_tasks(overdue, settings):
    settings.REDIS_URL = settings.REDIS_URL or "redis://127.0.0.1:6379/15"
    WorkerHeartbeat.objects.create(worker="w1")
    assert sweeper.sweep_once()["core.outbox_resend_without_worker"] == 0
    assert OutboxMessage.objects.count() == 1 and AnswerEvent.objects.count() == 0


def test_the_web_runs_the_outbox_once_the_worker_stops_beating(overdue, settings):
    settings.REDIS_URL = settings.REDIS_URL or "redis://127.0.0.1:6379/15"
    WorkerHeartbeat.objects.create(worker="w1")
    WorkerHeartbeat.objects.update(
        seen_at=timezone.now() - timedelta(seconds=settings.WORKER_STALE_SECONDS + 1))
    assert sweeper.sweep_once()["core.outbox_resend_without_worker"] == 1
    assert OutboxMessage.objects.count() == 0 and AnswerEvent.objects.count() == 2


def test_on_the_embedded_default_the_web_runs_the_outbox_whatever_the_heartbeats(overdue,
                                                                                settings):
    settings.REDIS_URL = ""
    WorkerHeartbeat.objects.create(worker="stale row from another setup")
    assert sweeper.sweep_once()["core.outbox_resend_without_worker"] == 1
    assert OutboxMessage.objects.count() == 0


def test_one_process_leads_each_interval(web_sweeps, db):
    assert sweeper.sweep_once(token="first") is not None
    assert sweeper.sweep_once(token="second") is None


def test_it_is_off_when_the_interval_is_zero(settings):
    settings.WEB_SWEEP_SECONDS = 0
    assert sweeper.start_web_sweeper() is False
