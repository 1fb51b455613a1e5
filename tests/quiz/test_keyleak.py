"""Every response of the quiz flow, HTML and JSON, while a question is open."""

from __future__ import annotations

import json

import pytest
from knox.models import AuthToken

from apps.quiz.models import QuizAttempt
from tests.quiz.conftest import current, key_of
from tests.quiz.keyleak import assert_no_key_leak

pytestmark = pytest.mark.django_db


def test_no_page_of_the_quiz_leaks_the_key(client, world, small_bank):
    client.force_login(world["learner"])
    response = client.post("/quiz/start/")
    play_url = response.url
    attempt = QuizAttempt.objects.get()
    for number in range(1, attempt.questions.count() + 1):
        aq = current(attempt)
        for response in (client.get(play_url), client.get(play_url, HTTP_HX_REQUEST="true")):
            assert response.status_code == 200
            assert_no_key_leak(response.content, aq)
        answered = client.post(f"{play_url}answer/", {"number": number, "choice": key_of(aq)},
                               HTTP_HX_REQUEST="true")
        assert "Correct" in answered.content.decode()  # the key shows once closed
        nxt = client.post(f"{play_url}next/", {"number": number}, HTTP_HX_REQUEST="true")
        attempt.refresh_from_db()
        if attempt.state == "active":
            assert_no_key_leak(nxt.content, current(attempt))


def test_no_api_response_leaks_the_key(client, world, small_bank):
    _, token = AuthToken.objects.create(user=world["learner"])
    headers = {"HTTP_AUTHORIZATION": f"Token {token}"}
    created = client.post("/api/v1/quizzes/", {"count": 5}, content_type="application/json",
                          **headers)
    attempt = QuizAttempt.objects.get()
    base = f"/api/v1/quizzes/{attempt.public_id}/"
    for number in range(1, 6):
        aq = current(attempt)
        if number == 1:
            assert_no_key_leak(created.content, aq)
        assert_no_key_leak(client.get(base, **headers).content, aq)
        bad = client.post(base + "answers/", json.dumps({"question": number, "choices": ["?"]}),
                          content_type="application/json", **headers)
        assert bad.status_code == 400
        assert_no_key_leak(bad.content, aq)
        client.post(base + "answers/", json.dumps({"question": number, "choices": key_of(aq)}),
                    content_type="application/json", **headers)
        nxt = client.post(base + "next/", json.dumps({"question": number}),
                          content_type="application/json", **headers)
        attempt.refresh_from_db()
        if attempt.state == "active":
            assert_no_key_leak(nxt.content, current(attempt))


def test_the_leak_check_catches_a_leak(small_bank, world):
    from apps.quiz.services import QuizSpec, quiz_start

    attempt = quiz_start(user=world["learner"], spec=QuizSpec(count=5))
    aq = current(attempt)
    with pytest.raises(AssertionError):
        assert_no_key_leak(f"<p>{aq.version.explanation}</p>", aq)
    with pytest.raises(AssertionError):
        assert_no_key_leak('<button class="choice is-correct">x</button>', aq)
