from __future__ import annotations

import csv
import io
from datetime import timedelta

import pytest
from django.urls import reverse
from django.utils import timezone

from apps.cohorts import services
from apps.cohorts.models import AssignmentAttempt, Membership
from apps.cohorts.services import CohortError
from apps.quiz.services import quiz_answer
from tests.factories import InstructorFactory

pytestmark = pytest.mark.django_db
FIXED = ["serialization-fixture-reduce", "hub-risks-fixture-defences"]


def _due(days=7):
    return timezone.now() + timedelta(days=days)


@pytest.fixture
def cohort(world, small_bank):
    cohort = services.cohort_create(owner=world["instructor"], name="Spring class")
    services.cohort_join(user=world["learner"], code=cohort.join_code.lower())
    return cohort


def test_it_creates_a_cohort_learners_join_once(world, cohort):
    assert len(cohort.join_code) == 8
    services.cohort_join(user=world["learner"], code=cohort.join_code)
    assert Membership.objects.filter(cohort=cohort).count() == 1
    with pytest.raises(CohortError, match="No cohort has this join code"):
        services.cohort_join(user=world["other_learner"], code="NOPE1234")


def test_it_starts_a_fixed_assignment_with_exactly_its_questions_once(world, cohort):
    assignment = services.assignment_create(cohort=cohort, by=world["instructor"],
                                            title="Week 1", due_at=_due(), question_slugs=FIXED)
    attempt = services.assignment_start(user=world["learner"], assignment=assignment)
    slugs = list(attempt.questions.order_by("number").values_list("version__question__slug",
                                                                    flat=True))
    assert slugs == FIXED
    assert attempt.focus_label == "Assignment: Week 1"
    again = services.assignment_start(user=world["learner"], assignment=assignment)
    assert again.pk == attempt.pk and AssignmentAttempt.objects.count() == 1


def test_it_starts_a_focus_assignment_from_its_topic(world, cohort):
    assignment = services.assignment_create(cohort=cohort, by=world["instructor"],
                                            title="Serialization", due_at=_due(),
                                            topic="serialization", count=5)
    attempt = services.assignment_start(user=world["learner"], assignment=assignment)
    topics = set(attempt.questions.values_list("version__topics__slug", flat=True))
    assert "serialization" in topics and attempt.questions.count() >= 1


@pytest.mark.parametrize(("kwargs", "message"), [
    ({"question_slugs": FIXED, "topic": "serialization"}, "either a fixed set"),
    ({}, "either a fixed set"),
    ({"question_slugs": ["nope-nope"]}, "Not published questions: nope-nope"),
    ({"topic": "nonsense"}, "Unknown topic"),
    ({"topic": "serialization", "count": 99}, "between"),
    ({"question_slugs": FIXED, "due_at": timezone.now() - timedelta(days=1)}, "future"),
    ({"question_slugs": FIXED, "title": "  "}, "title"),
])
def test_it_refuses_bad_assignments(world, cohort, kwargs, message):
    args = {"title": "T", "due_at": _due(), **kwargs}
    with pytest.raises(CohortError, match=message):
        services.assignment_create(cohort=cohort, by=world["instructor"], **args)


def test_it_refuses_to_start_after_the_due_date(world, cohort):
    assignment = services.assignment_create(cohort=cohort, by=world["instructor"], title="Late",
                                            due_at=_due(), question_slugs=FIXED)
    type(assignment).objects.filter(pk=assignment.pk).update(
        due_at=timezone.now() - timedelta(minutes=1))
    assignment.refresh_from_db()
    with pytest.raises(CohortError, match="past its due date") as caught:
        services.assignment_start(user=world["learner"], assignment=assignment)
    assert caught.value.status == 409


def _answer_all(attempt, *, correct_slugs):
    from apps.quiz.services import quiz_next
    from tests.quiz.conftest import key_of

    for aq in attempt.questions.order_by("number").select_related("version__question"):
        if aq.number > 1:
            quiz_next(attempt=attempt, number=aq.number - 1)
        quiz_answer(attempt=attempt, number=aq.number,
                    keys=key_of(aq, correct=aq.version.question.slug in correct_slugs))


def test_it_shows_results_weakest_topics_and_csv(client, world, cohort):
    assignment = services.assignment_create(cohort=cohort, by=world["instructor"],
                                            title="Week 1", due_at=_due(), question_slugs=FIXED)
    attempt = services.assignment_start(user=world["learner"], assignment=assignment)
    _answer_all(attempt, correct_slugs={"serialization-fixture-reduce"})
    services.cohort_join(user=world["other_learner"], code=cohort.join_code)
    client.force_login(world["instructor"])
    body = client.get(f"/api/v1/cohorts/{cohort.pk}/").json()
    results = {r["member"]: r for r in body["results"]}
    assert results["learner"]["correct"] == 1 and results["learner"]["questions"] == 2
    assert results["other"]["state"] == "not started"
    assert body["weakest_topics"][0]["slug"] == "hub-risks"
    page = client.get(reverse("cohorts:detail", args=[cohort.pk])).content.decode()
    assert "Model hub risks: 0 of 1 correct" in page
    rows = list(csv.reader(io.StringIO(
        client.get(reverse("cohorts:csv", args=[cohort.pk])).content.decode())))
    assert rows[0] == ["member", "assignment", "state", "score", "correct", "questions"]
    assert ["learner", "Week 1"] == rows[1][:2] and rows[1][4:] == ["1", "2"]
    assert rows[2][:3] == ["other", "Week 1", "not started"]


def test_it_neutralises_formulas_in_the_csv(client, world, small_bank):
    cohort = services.cohort_create(owner=world["instructor"], name="C")
    services.assignment_create(cohort=cohort, by=world["instructor"], title="=HYPERLINK(1)",
                               due_at=_due(), question_slugs=FIXED)
    services.cohort_join(user=world["learner"], code=cohort.join_code)
    client.force_login(world["instructor"])
    text = client.get(reverse("cohorts:csv", args=[cohort.pk])).content.decode()
    assert "'=HYPERLINK(1)" in text


def test_it_hides_a_cohort_from_everyone_but_its_owner(client, world, cohort):
    other_instructor = InstructorFactory(username="someone-else")
    for user in (None, world["learner"], other_instructor):
        client.logout()
        if user:
            client.force_login(user)
        for url in (reverse("cohorts:detail", args=[cohort.pk]),
                    reverse("cohorts:csv", args=[cohort.pk]), f"/api/v1/cohorts/{cohort.pk}/"):
            assert client.get(url).status_code == 404, (user, url)
        assert client.post(reverse("cohorts:assign", args=[cohort.pk]),
                           {"title": "x"}).status_code == 404


def test_it_lets_only_members_start_an_assignment(client, world, cohort):
    assignment = services.assignment_create(cohort=cohort, by=world["instructor"],
                                            title="Week 1", due_at=_due(), question_slugs=FIXED)
    client.force_login(world["other_learner"])
    assert client.post(reverse("cohorts:start", args=[assignment.pk])).status_code == 404
    client.force_login(world["learner"])
    response = client.post(reverse("cohorts:start", args=[assignment.pk]))
    assert response.status_code == 302 and "/quiz/" in response["Location"]
    page = client.get(reverse("cohorts:mine")).content.decode()
    assert "Week 1" in page and "resume" in page


def test_it_joins_and_creates_through_the_pages(client, world, small_bank):
    client.force_login(world["instructor"])
    response = client.post(reverse("cohorts:list"), {"name": "Autumn"})
    assert response.status_code == 302
    code = client.get(response["Location"]).context["cohort"].join_code
    assert client.post(reverse("cohorts:list"), {"name": ""}).status_code == 400
    client.force_login(world["learner"])
    assert client.post(reverse("cohorts:join"), {"code": "WRONG"}).status_code == 400
    assert client.post(reverse("cohorts:join"), {"code": code}).status_code == 302
    assert "Autumn" in client.get(reverse("cohorts:mine")).content.decode()


def test_it_assigns_through_the_page_and_refuses_bad_input(client, world, cohort):
    client.force_login(world["instructor"])
    url = reverse("cohorts:assign", args=[cohort.pk])
    due = _due().strftime("%Y-%m-%dT%H:%M")
    assert client.post(url, {"title": "W", "questions": "\n".join(FIXED), "count": 10,
                             "due_at": due}).status_code == 302
    bad = client.post(url, {"title": "W", "questions": "", "topic": "", "count": 10,
                            "due_at": due})
    assert bad.status_code == 400 and "either a fixed set" in bad.content.decode()


def test_it_serves_the_api(client, world, small_bank):
    client.force_login(world["instructor"])
    created = client.post("/api/v1/cohorts/", {"name": "API"}, content_type="application/json")
    assert created.status_code == 201
    cohort = created.json()
    assert [c["name"] for c in client.get("/api/v1/cohorts/").json()] == ["API"]
    assigned = client.post(f"/api/v1/cohorts/{cohort['id']}/assignments/", {
        "title": "T", "topic": "serialization", "count": 5,
        "due_at": _due().isoformat()}, content_type="application/json")
    assert assigned.status_code == 201 and assigned.json()["topic"] == "serialization"
    refused = client.post(f"/api/v1/cohorts/{cohort['id']}/assignments/", {
        "title": "T", "due_at": _due().isoformat()}, content_type="application/json")
    assert refused.status_code == 400
    client.force_login(world["learner"])
    assert client.get("/api/v1/cohorts/").status_code == 404
    joined = client.post("/api/v1/cohorts/join/", {"code": cohort["join_code"]},
                         content_type="application/json")
    assert joined.status_code == 200 and joined.json()["name"] == "API"
    assert client.post("/api/v1/cohorts/join/", {"code": "ZZZZZZZZ"},
                       content_type="application/json").status_code == 404


def test_the_assignment_topic_is_a_select_of_topics(client, world, cohort):
    """The review found a free-text slug box: it is a select of the bank's topics now, and a
    value that is not one of them is refused with the form's message."""
    client.force_login(world["instructor"])
    page = client.get(reverse("cohorts:detail", args=[cohort.pk])).content.decode()
    assert '<select name="topic"' in page and '<option value="serialization">' in page
    url = reverse("cohorts:assign", args=[cohort.pk])
    due = _due().strftime("%Y-%m-%dT%H:%M")
    ok = client.post(url, {"title": "Focus", "topic": "serialization", "count": 5,
                           "due_at": due})
    assert ok.status_code == 302
    bad = client.post(url, {"title": "W", "topic": "nonsense", "count": 5, "due_at": due})
    assert bad.status_code == 400 and "Select a valid choice" in bad.content.decode()


def test_learners_and_instructors_find_their_cohorts_from_the_navigation(client, world, cohort):
    client.force_login(world["learner"])
    home = client.get("/").content.decode()
    assert f'href="{reverse("cohorts:mine")}">Cohorts<' in home
    mine = client.get(reverse("cohorts:mine")).content.decode()
    assert reverse("cohorts:join") in mine
    client.force_login(world["instructor"])
    assert f'href="{reverse("cohorts:list")}">Cohorts<' in client.get("/").content.decode()
