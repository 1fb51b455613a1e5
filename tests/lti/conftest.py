from __future__ import annotations

from datetime import timedelta

import pytest
from django.test import Client
from django.utils import timezone

from apps.cohorts.services import assignment_create
from apps.lti import services, toolconf
from apps.lti.models import Placement
from apps.lti.services import registration_create
from apps.quiz.services import quiz_answer, quiz_next
from tests.lti.platform import (
    CLIENT_ID,
    CONTEXT_ID,
    DEPLOYMENT_ID,
    INSTRUCTOR,
    ISS,
    FakeLms,
    tool_key_pair,
)
from tests.quiz.conftest import key_of

FIXED = ["serialization-fixture-reduce", "hub-risks-fixture-defences"]


@pytest.fixture(autouse=True)
def _tool_key(settings):
    settings.LTI_PRIVATE_KEY = tool_key_pair()[0]
    settings.LTI_PRIVATE_KEY_FILE = ""
    settings.LTI_PREVIOUS_KEY = ""
    settings.LTI_PREVIOUS_KEY_FILE = ""


@pytest.fixture
def registration(db):
    return registration_create(name="Test LMS", issuer=ISS, client_id=CLIENT_ID,
                               deployment_ids=[DEPLOYMENT_ID], auth_login_url=f"{ISS}/auth",
                               auth_token_url=f"{ISS}/token", keyset_url=f"{ISS}/jwks")


@pytest.fixture
def lms(registration, monkeypatch):
    """The LMS, answering the tool's HTTP calls in-process."""
    platform = FakeLms(Client())
    monkeypatch.setattr(toolconf, "http_session", platform.session)
    return platform


def lti_launch(browser: Client, lms: FakeLms, *, user_id: str, roles: list[str],
               deep_linking: bool = False, **claims):
    """The LMS starts a launch in `browser`: OIDC login at the tool, the platform's
    authorization, then the form post of the id_token to the tool. Returns the tool's answer."""
    form = lti_authorize(browser, lms, user_id=user_id, roles=roles, deep_linking=deep_linking,
                         **claims)
    return browser.post(form["launch_url"], {"state": form["state"],
                                             "id_token": form["id_token"]})


def lti_authorize(browser: Client, lms: FakeLms, *, user_id: str, roles: list[str],
                  deep_linking: bool = False, **claims) -> dict:
    login = browser.get(lms.login_url(user_id=user_id, deep_linking=deep_linking))
    assert login.status_code == 302, login.content
    return lms.authorize(login["Location"], user_id=user_id, roles=roles,
                         deep_linking=deep_linking, **claims)


@pytest.fixture
def placement(registration, small_bank):
    """A course (cohort) with a fixed assignment placed in the LMS, as deep linking leaves it."""
    teacher = services.identity_user(issuer=registration.issuer, sub="teacher-1", name="Ada")
    facts = services.LaunchFacts(registration=registration, issuer=registration.issuer,
                                 sub="teacher-1", name="Ada", roles=INSTRUCTOR,
                                 context_id=CONTEXT_ID, context_title="Supply chains 101")
    course = services.course_for_instructor(facts=facts, user=teacher)
    assignment = assignment_create(cohort=course.cohort, by=teacher, title="Week 1",
                                   due_at=timezone.now() + timedelta(days=7),
                                   question_slugs=FIXED)
    return services.placement_create(course=course, by=teacher, kind=Placement.Kind.ASSIGNMENT,
                                     assignment_id=assignment.pk)


def finish_attempt(attempt, *, correct: int) -> None:
    """Answer every question, the first `correct` of them right."""
    for aq in attempt.questions.order_by("number").select_related("version"):
        if aq.number > 1:
            quiz_next(attempt=attempt, number=aq.number - 1)
        right = aq.number <= correct
        keys = key_of(aq, correct=right)
        quiz_answer(attempt=attempt, number=aq.number, keys=keys if right else keys[:1])
