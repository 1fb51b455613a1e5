"""Query counts of the quiz's hot endpoints (issue 13): guards that fail when a query is added.

Counted as production runs them: the API with its token (one query to authenticate), and without
the SAVEPOINT/RELEASE pairs that the test's own transaction adds around each `atomic` (in
production that block is the outermost one: BEGIN and COMMIT are not statements Django sends).
History: answer 26 -> 15 -> 6, next 18 -> 16 -> 4, state 12 -> 2, start 15 -> 8 (3 of them
the holds of apps.core.holds: one per play mode); issue 13's targets are answer
<= 6, next <= 4, state <= 4. Each number here should only ever go down. Issue 18 added one
INSERT to each answer (5 -> 6 on the API, 8 -> 9 on the page): the skill update's outbox row,
written in the answer's transaction so that no outage can lose it (apps.core.outbox)."""

from __future__ import annotations

import pytest

from apps.quiz.services import QuizSpec, quiz_start
from tests.querycount import Counted, api_client
from tests.quiz.conftest import key_of

pytestmark = pytest.mark.django_db
ANSWER, NEXT, STATE, RESULTS, PAGE_ANSWER, START = 6, 4, 2, 3, 9, 8


@pytest.fixture
def started(client, world, small_bank):
    attempt = quiz_start(user=world["learner"], spec=QuizSpec(count=5))
    client.force_login(world["learner"])
    client.get("/")  # the first request of a session stores the learner's time zone in it
    return attempt


@pytest.fixture
def api(world):
    return api_client(world["learner"])


def test_an_api_answer_next_and_state(api, started):
    url = f"/api/v1/quizzes/{started.public_id}/"
    keys = key_of(started.questions.select_related("version").get(number=1))
    api.get(url)  # question cards are read once per process, then kept
    with Counted() as answer:
        response = api.post(url + "answers/", {"question": 1, "choices": keys}, format="json")
    assert response.status_code == 200 and response.json()["outcome"] == "accepted"
    assert len(answer) <= ANSWER, answer.statements
    with Counted() as moving_on:
        assert api.post(url + "next/", {"question": 1}, format="json").json()[
            "current"]["number"] == 2
    assert len(moving_on) <= NEXT, moving_on.statements
    with Counted() as state:
        assert api.get(url).status_code == 200
    assert len(state) <= STATE, state.statements
    with Counted() as results:
        assert len(api.get(url + "results/").json()["results"]) == 1
    assert len(results) <= RESULTS, results.statements


def test_starting_a_quiz(api, small_bank):
    from apps.bank.models import QuestionVersion
    from apps.play.cards import cards

    cards(QuestionVersion.objects.values_list("pk", flat=True))  # read once per process
    with Counted() as start:
        response = api.post("/api/v1/quizzes/", {"count": 5}, format="json")
    assert response.status_code == 201
    assert len(start) <= START, start.statements


def test_a_page_answer(client, started):
    keys = key_of(started.questions.select_related("version").get(number=1))
    client.get(f"/quiz/{started.public_id}/")
    with Counted() as page:
        response = client.post(f"/quiz/{started.public_id}/answer/",
                               {"number": 1, "choice": keys}, HTTP_HX_REQUEST="true")
    assert response.status_code == 200
    assert len(page) <= PAGE_ANSWER, page.statements
    assert started.questions.get(number=1).state == "answered"


def test_responses_do_not_grow_with_answered_questions(api, started):
    url = f"/api/v1/quizzes/{started.public_id}/"
    sizes = []
    for number in range(1, 5):
        keys = key_of(started.questions.select_related("version").get(number=number))
        api.post(url + "answers/", {"question": number, "choices": keys}, format="json")
        state = api.post(url + "next/", {"question": number}, format="json")
        sizes.append(len(state.content) - len(str(state.json()["current"])))
    assert max(sizes) - min(sizes) <= 10, sizes  # only the digits of score and counters vary


def test_state_queries_do_not_grow_with_answered_questions(client, started):
    from apps.quiz.services import quiz_answer, quiz_next

    url = f"/api/v1/quizzes/{started.public_id}/"
    counts = []
    for number in range(1, 5):
        aq = started.questions.select_related("version").get(number=number)
        quiz_answer(attempt=started, number=number, keys=key_of(aq))
        quiz_next(attempt=started, number=number)
        with Counted() as captured:
            client.get(url)
        counts.append(len(captured))
    assert len(set(counts)) == 1, counts
