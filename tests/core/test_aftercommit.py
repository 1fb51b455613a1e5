from __future__ import annotations

import logging

import pytest
from django.db import transaction

from apps.core.aftercommit import after_commit
from apps.matches.models import Match, RoundAnswer
from tests.matches.conftest import current_round, keys
from tests.matches.test_api import Api


def _broken(*args, **kwargs):
    raise ConnectionError("Error 111 connecting to 127.0.0.1:6379. Connection refused.")


@pytest.mark.django_db(transaction=True)
def test_it_runs_the_work_after_commit_only():
    ran = []
    with transaction.atomic():
        after_commit(lambda: ran.append(1), what="test")
        assert ran == []
    assert ran == [1]
    with pytest.raises(RuntimeError), transaction.atomic():
        after_commit(lambda: ran.append(2), what="test")
        raise RuntimeError("rollback")
    assert ran == [1]


@pytest.mark.django_db(transaction=True)
def test_a_failure_is_logged_in_one_line_and_never_raised(caplog):
    after_ran = []
    with caplog.at_level(logging.WARNING, logger="apps.core.aftercommit"):
        with transaction.atomic():
            after_commit(_broken, what="push of match 7")
            after_commit(lambda: after_ran.append(1), what="the next hook")
    assert after_ran == [1]  # one failing hook does not stop the others
    [record] = [r for r in caplog.records if r.name == "apps.core.aftercommit"]
    assert "push of match 7" in record.getMessage() and "ConnectionError" in record.getMessage()
    assert record.exc_info is None  # no traceback per request during an outage


@pytest.mark.django_db(transaction=True)
def test_a_match_answer_is_stored_and_answered_when_redis_is_down(small_bank, world, settings,
                                                                  monkeypatch):
    """The channel layer and the broker both fail after the answer commits: the player gets
    200 with the stored result, and a retry of the same answer returns it again."""
    from apps.core import push, tasks

    settings.MATCH_ROUNDS = 3
    a, b = Api(world["learner"]), Api(world["other_learner"])
    a.post("/api/v1/matches/queue/")
    match_id = b.post("/api/v1/matches/queue/").json()["match"]
    match = Match.objects.get(public_id=match_id)
    rnd = current_round(match)
    settings.CELERY_ENABLED = True  # dispatch goes to the (broken) broker
    monkeypatch.setattr(push, "get_channel_layer", _broken)
    monkeypatch.setattr(tasks, "_send_to_broker", _broken)
    url = f"/api/v1/matches/{match_id}/answers/"
    first = a.post(url, {"round": rnd.number, "choices": keys(rnd)})
    assert first.status_code == 200, first.content
    assert first.json()["round"]["number"] == rnd.number
    again = a.post(url, {"round": rnd.number, "choices": keys(rnd)})
    assert again.status_code == 200
    # The second player's answer closes the round: more pushes and a skill task, all failing.
    last = b.post(url, {"round": rnd.number, "choices": keys(rnd, correct=False)})
    assert last.status_code == 200
    assert last.json()["round"]["result"] is not None
    assert RoundAnswer.objects.filter(round=rnd).count() == 2
