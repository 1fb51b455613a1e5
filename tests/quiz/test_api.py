from __future__ import annotations

import json
from datetime import timedelta

import pytest
from django.utils import timezone
from knox.models import AuthToken

from apps.quiz.models import AttemptQuestion, QuizAttempt
from tests.quiz.conftest import current, key_of

pytestmark = pytest.mark.django_db


@pytest.fixture
def api(client, world):
    _, token = AuthToken.objects.create(user=world["learner"])

    class Api:
        def __init__(self, token):
            self.headers = {"HTTP_AUTHORIZATION": f"Token {token}"}

        def post(self, url, data=None):
            return client.post(url, json.dumps(data or {}), content_type="application/json",
                               **self.headers)

        def get(self, url):
            return client.get(url, **self.headers)

    return Api(token)


def start(api, **data):
    response = api.post("/api/v1/quizzes/", {"count": 5, **data})
    assert response.status_code == 201, response.content
    return response.json()


def test_it_starts_a_quiz_and_returns_the_open_question_without_its_key(api, small_bank):
    state = start(api, seconds_per_question=15, mode="accuracy")
    assert state["state"] == "active" and state["count"] == 5 and state["mode"] == "accuracy"
    question = state["current"]
    assert question["number"] == 1 and question["state"] == "open"
    assert 14_000 < question["remaining_ms"] <= 15_000
    assert question["result"] is None and state["answered"] == 0 and "results" not in state
    for choice in question["choices"]:
        assert set(choice) == {"key", "text"}


def test_a_full_round_trip_answer_then_next(api, small_bank):
    state = start(api)
    attempt = QuizAttempt.objects.get(public_id=state["id"])
    aq = current(attempt)
    response = api.post(f"/api/v1/quizzes/{state['id']}/answers/",
                        {"question": 1, "choices": key_of(aq)})
    assert response.status_code == 200
    result = response.json()
    assert result["outcome"] == "accepted" and result["is_correct"] is True
    assert sorted(result["correct"]) == sorted(key_of(aq))
    assert result["explanation"] and result["resources"][0]["url"].startswith("https://")
    assert 900 <= result["points"] <= 1000
    quiz = state["id"]
    state = api.post(f"/api/v1/quizzes/{quiz}/next/", {"question": 1}).json()
    assert state["current"]["number"] == 2 and state["answered"] == 1
    results = api.get(f"/api/v1/quizzes/{quiz}/results/").json()["results"]
    assert [r["number"] for r in results] == [1] and results[0]["is_correct"] is True


def test_an_identical_resend_returns_200_and_the_first_result(api, small_bank):
    state = start(api)
    aq = current(QuizAttempt.objects.get(public_id=state["id"]))
    url = f"/api/v1/quizzes/{state['id']}/answers/"
    first = api.post(url, {"question": 1, "choices": key_of(aq)})
    second = api.post(url, {"question": 1, "choices": key_of(aq)})
    assert second.status_code == 200 and second.json()["outcome"] == "repeat"
    assert second.json()["points"] == first.json()["points"]


def test_a_different_answer_gets_409(api, small_bank):
    state = start(api)
    aq = current(QuizAttempt.objects.get(public_id=state["id"]))
    url = f"/api/v1/quizzes/{state['id']}/answers/"
    api.post(url, {"question": 1, "choices": key_of(aq)})
    response = api.post(url, {"question": 1, "choices": key_of(aq, correct=False)[:1]})
    assert response.status_code == 409
    assert "already answered" in response.json()["detail"]


def test_an_answer_after_the_deadline_gets_409(api, small_bank):
    state = start(api)
    aq = current(QuizAttempt.objects.get(public_id=state["id"]))
    AttemptQuestion.objects.filter(pk=aq.pk).update(deadline=timezone.now() - timedelta(seconds=3))
    response = api.post(f"/api/v1/quizzes/{state['id']}/answers/",
                        {"question": 1, "choices": key_of(aq)})
    assert response.status_code == 409 and "Time is up" in response.json()["detail"]
    state = api.get(f"/api/v1/quizzes/{state['id']}/").json()
    assert state["current"]["result"]["timed_out"] is True
    assert state["score"] == 0


@pytest.mark.parametrize("body", [{}, {"question": "one", "choices": ["x"]},
                                  {"question": 1, "choices": []}, {"question": 1, "choices": "x"},
                                  {"question": 1, "choices": ["not-a-key"]}])
def test_malformed_answers_get_400(api, small_bank, body):
    state = start(api)
    response = api.post(f"/api/v1/quizzes/{state['id']}/answers/", body)
    assert response.status_code == 400
    assert response.json()["detail"]


@pytest.mark.parametrize("body", [{"count": 3}, {"count": 31}, {"seconds_per_question": 5},
                                  {"mode": "turbo"}, {"topic": "no-such-topic"},
                                  {"resource": "nowhere"}, {"difficulty": 9}])
def test_bad_quiz_settings_get_400(api, small_bank, body):
    response = api.post("/api/v1/quizzes/", body)
    assert response.status_code == 400
    assert response.json()["detail"] == "Invalid input."


def test_a_focus_with_no_questions_gets_400(api, small_bank):
    response = api.post("/api/v1/quizzes/", {"topic": "dataset-poisoning"})
    assert response.status_code == 400
    assert "No published questions" in response.json()["detail"]


def test_someone_elses_quiz_is_404_everywhere(api, small_bank, client, world):
    state = start(api)
    _, other = AuthToken.objects.create(user=world["other_learner"])
    headers = {"HTTP_AUTHORIZATION": f"Token {other}"}
    base = f"/api/v1/quizzes/{state['id']}/"
    assert client.get(base, **headers).status_code == 404
    for url, body in ((base + "answers/", {"question": 1, "choices": ["x"]}),
                      (base + "next/", {"question": 1})):
        assert client.post(url, json.dumps(body), content_type="application/json",
                           **headers).status_code == 404


def test_the_history_lists_only_your_quizzes(api, small_bank, client, world):
    start(api)
    assert len(api.get("/api/v1/quizzes/").json()) == 1
    _, other = AuthToken.objects.create(user=world["other_learner"])
    response = client.get("/api/v1/quizzes/", HTTP_AUTHORIZATION=f"Token {other}")
    assert response.json() == []


def test_the_api_needs_authentication(client, small_bank):
    assert client.post("/api/v1/quizzes/", {}).status_code == 401


def test_the_result_carries_the_atlas_ids_and_the_open_question_does_not(api, tmp_path):
    from tests.factories import load_small_bank_with_atlas
    from tests.quiz.test_views import ALL_TAGGED

    load_small_bank_with_atlas(tmp_path, ALL_TAGGED)
    state = start(api)
    assert "atlas" not in state["current"]
    aq = current(QuizAttempt.objects.get(public_id=state["id"]))
    result = api.post(f"/api/v1/quizzes/{state['id']}/answers/",
                      {"question": 1, "choices": key_of(aq)}).json()
    expected = ALL_TAGGED[aq.version.question.slug]
    assert [a["id"] for a in result["atlas"]] == expected
    assert all(a["url"].startswith("https://atlas.mitre.org/") and a["name"]
               for a in result["atlas"])


@pytest.mark.parametrize("atlas", ["AML.T9999", "T0010", "x" * 30])
def test_an_unknown_atlas_focus_gets_400(api, small_bank, atlas):
    response = api.post("/api/v1/quizzes/", {"atlas": atlas})
    assert response.status_code == 400
