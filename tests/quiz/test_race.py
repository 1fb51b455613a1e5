"""Two requests racing to answer the same question, on PostgreSQL with real row locks."""

from __future__ import annotations

import json
import threading

import pytest
from django.db import connection
from django.test import Client
from knox.models import AuthToken

from apps.quiz.models import QuizAnswer, QuizAttempt
from apps.quiz.services import QuizSpec, quiz_start
from tests.factories import load_small_bank
from tests.quiz.conftest import current, key_of

pytestmark = [pytest.mark.postgres, pytest.mark.django_db(transaction=True)]


def race(url, token, bodies):
    barrier = threading.Barrier(len(bodies))
    results = [None] * len(bodies)

    def post(i, body):
        try:
            barrier.wait()
            results[i] = Client().post(url, json.dumps(body), content_type="application/json",
                                       HTTP_AUTHORIZATION=f"Token {token}")
        finally:
            connection.close()

    threads = [threading.Thread(target=post, args=(i, b)) for i, b in enumerate(bodies)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    return results


@pytest.fixture
def setup(world):
    load_small_bank()
    attempt = quiz_start(user=world["learner"], spec=QuizSpec(count=5))
    _, token = AuthToken.objects.create(user=world["learner"])
    return attempt, token, f"/api/v1/quizzes/{attempt.public_id}/answers/"


@pytest.mark.parametrize("copies", [2, 6])
def test_identical_racing_answers_score_once(setup, copies):
    attempt, token, url = setup
    body = {"question": 1, "choices": key_of(current(attempt))}
    responses = race(url, token, [body] * copies)
    assert [r.status_code for r in responses] == [200] * copies
    outcomes = sorted(r.json()["outcome"] for r in responses)
    assert outcomes == ["accepted"] + ["repeat"] * (copies - 1)
    assert QuizAnswer.objects.count() == 1
    attempt.refresh_from_db()
    assert attempt.score == responses[0].json()["points"] > 0


def test_different_racing_answers_keep_exactly_one(setup):
    attempt, token, url = setup
    aq = current(attempt)
    right = {"question": 1, "choices": key_of(aq)}
    wrong = {"question": 1, "choices": key_of(aq, correct=False)[:1]}
    responses = race(url, token, [right, wrong])
    assert sorted(r.status_code for r in responses) == [200, 409]
    assert QuizAnswer.objects.count() == 1
    winner = next(r for r in responses if r.status_code == 200).json()
    assert QuizAttempt.objects.get(pk=attempt.pk).score == winner["points"]
