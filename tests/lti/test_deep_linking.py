"""Step 3: deep linking. The instructor picks an activity; the LMS (lti1p3platform) validates
the signed response and gets a resource link with a line item; a learner then launches it."""

from __future__ import annotations

import html
import re
from datetime import timedelta

import jwt
import pytest
from django.test import Client
from django.utils import timezone

from apps.cohorts.services import assignment_create
from apps.lti.models import Course, LaunchedAttempt, Placement, ScoreSend
from apps.quiz.models import QuizAttempt
from tests.lti.conftest import finish_attempt, lti_launch
from tests.lti.platform import INSTRUCTOR, ISS, LEARNER

pytestmark = pytest.mark.django_db
FIXED = ["serialization-fixture-reduce", "hub-risks-fixture-defences"]


def _picker(browser, lms):
    page = lti_launch(browser, lms, user_id="teacher-1", roles=INSTRUCTOR, deep_linking=True,
                      name="Ada Lovelace")
    assert page.status_code == 200, page.content
    return re.search(r'name="launch_id" value="([^"]+)"', page.content.decode()).group(1)


def _returned_items(lms, response) -> list[dict]:
    """What the LMS does with the auto-posted form: validate the JWT, read the items."""
    body = response.content.decode()
    action = re.search(r'<form method="post" action="([^"]+)" id="lti-deep-link-return"',
                       body).group(1)
    assert action == f"{ISS}/deep-link-return"
    token = html.unescape(re.search(r'name="JWT" value="([^"]+)"', body).group(1))
    claims = jwt.decode(token, options={"verify_signature": False})
    assert claims["aud"] == [ISS] and claims["iss"] == lms.registration.get_client_id()
    assert claims["https://purl.imsglobal.org/spec/lti/claim/deployment_id"] == "deployment-1"
    return lms.config.validate_deeplinking_resp({"JWT": token})


def test_it_places_a_speed_quiz_the_lms_accepts_and_a_learner_launches(lms, small_bank):
    teacher = Client()
    launch_id = _picker(teacher, lms)
    course = Course.objects.get()
    assert course.cohort.owner.first_name == "Ada Lovelace"
    response = teacher.post("/lti/deep-link/respond/", {
        "launch_id": launch_id, "kind": "speed", "topic": "serialization", "count": 5,
        "days": 14})
    assert response.status_code == 200
    assert f"form-action 'self' {ISS}" in response["Content-Security-Policy"]
    [item] = _returned_items(lms, response)
    placement = Placement.objects.get()
    assert item["type"] == "ltiResourceLink" and item["url"] == "http://testserver/lti/launch/"
    assert item["custom"] == {"placement": placement.token}
    assert item["lineItem"] == {"scoreMaximum": 5, "label": "Speed quiz: Serialization and safe formats",
                                "resourceId": placement.token}

    # The LMS creates the link with its line item; a learner opens it.
    learner = Client()
    opened = lti_launch(learner, lms, user_id="student-1", roles=LEARNER, custom=item["custom"])
    attempt = LaunchedAttempt.objects.get().attempt
    assert opened["Location"] == f"/quiz/{attempt.public_id}/"
    assert attempt.mode == QuizAttempt.Mode.SPEED
    finish_attempt(attempt, correct=1)  # a speed quiz from the LMS is graded like an assignment
    row = ScoreSend.objects.get(attempt=attempt)
    assert (row.score_given, row.score_maximum) == (1, attempt.question_count)
    # The picker's launch is spent once used.
    again = teacher.post("/lti/deep-link/respond/", {
        "launch_id": launch_id, "kind": "speed", "topic": "serialization", "count": 5,
        "days": 14})
    assert again.status_code == 400 and b"expired or is unknown" in again.content


def test_it_places_an_existing_or_a_new_cohort_assignment(lms, small_bank):
    teacher = Client()
    launch_id = _picker(teacher, lms)
    course = Course.objects.get()
    existing = assignment_create(cohort=course.cohort, by=course.cohort.owner, title="Week 1",
                                 due_at=timezone.now() + timedelta(days=3), question_slugs=FIXED)
    response = teacher.post("/lti/deep-link/respond/", {
        "launch_id": launch_id, "kind": "assignment", "assignment": existing.pk, "count": 10,
        "days": 14})
    [item] = _returned_items(lms, response)
    assert item["lineItem"]["scoreMaximum"] == 2 and item["title"] == "Week 1"

    launch_id = _picker(teacher, lms)
    response = teacher.post("/lti/deep-link/respond/", {
        "launch_id": launch_id, "kind": "assignment", "title": "Week 2",
        "topic": "serialization", "count": 6, "days": 10})
    [item] = _returned_items(lms, response)
    assert item["lineItem"]["scoreMaximum"] == 6
    week2 = Placement.objects.get(title="Week 2").assignment
    assert week2.cohort == course.cohort and week2.topic.slug == "serialization"


@pytest.mark.parametrize("post, message", [
    ({"kind": "speed", "count": 5, "days": 14}, "Pick a topic"),
    ({"kind": "assignment", "count": 5, "days": 14}, "Pick an assignment, or give a title"),
    ({"kind": "speed", "topic": "no-such-topic", "count": 5, "days": 14}, "Unknown topic"),
    ({"kind": "speed", "topic": "serialization", "count": 99, "days": 14}, "less than or equal"),
    ({"kind": "assignment", "assignment": 999999, "count": 5, "days": 14},
     "this course&#x27;s assignments"),
    ({"kind": "assignment", "title": "t" * 121, "topic": "serialization", "count": 5,
      "days": 14}, "at most 120"),
])
def test_it_refuses_a_bad_pick_on_the_picker(lms, small_bank, post, message):
    teacher = Client()
    launch_id = _picker(teacher, lms)
    response = teacher.post("/lti/deep-link/respond/", {"launch_id": launch_id, **post})
    assert response.status_code == 400 and message in response.content.decode()
    assert not Placement.objects.exists()


def test_it_refuses_deep_linking_to_a_learner(lms, small_bank):
    response = lti_launch(Client(), lms, user_id="student-1", roles=LEARNER, deep_linking=True)
    assert response.status_code == 403 and b"Only an instructor" in response.content
    assert not Course.objects.exists()


@pytest.mark.parametrize("launch_id", ["", "lti1p3-launch-not-a-launch", "x" * 3000])
def test_it_refuses_an_unknown_picker_launch(registration, launch_id):
    response = Client().post("/lti/deep-link/respond/", {"launch_id": launch_id, "kind": "speed"})
    assert response.status_code == 400


def test_it_refuses_deep_linking_when_the_lms_takes_no_resource_links(lms, small_bank):
    response = lti_launch(Client(), lms, user_id="teacher-1", roles=INSTRUCTOR,
                          deep_linking=True, accept_types=frozenset({"link"}))
    # PyLTI1p3's deep-linking validator refuses it; the page says why.
    assert response.status_code == 400
    assert b"Must support resource link placement types" in response.content
