"""The whole path in one go against lti1p3platform: the instructor's deep linking, a learner's
login and launch, the score in the LMS gradebook, the instructor's results, the roster."""

from __future__ import annotations

import html
import re

import pytest
from django.test import Client

from apps.core.models import OutboxMessage
from apps.core.outbox import outbox_deliver
from apps.lti.models import LaunchedAttempt, ScoreSend
from tests.lti.conftest import finish_attempt, lti_launch
from tests.lti.platform import INSTRUCTOR, LEARNER, LINEITEMS

pytestmark = pytest.mark.django_db


def test_it_runs_deep_linking_launch_grade_and_roster_end_to_end(lms, small_bank):
    teacher = Client()
    picker = lti_launch(teacher, lms, user_id="teacher-1", roles=INSTRUCTOR, deep_linking=True)
    launch_id = re.search(r'name="launch_id" value="([^"]+)"', picker.content.decode()).group(1)
    returned = teacher.post("/lti/deep-link/respond/", {
        "launch_id": launch_id, "kind": "assignment", "title": "Week 1",
        "topic": "serialization", "count": 5, "days": 7})
    token = html.unescape(re.search(r'name="JWT" value="([^"]+)"',
                                    returned.content.decode()).group(1))
    [item] = lms.config.validate_deeplinking_resp({"JWT": token})
    assert item["lineItem"]["scoreMaximum"] == 5

    learner = Client()
    opened = lti_launch(learner, lms, user_id="student-1", roles=LEARNER, name="Grace",
                        custom=item["custom"], lineitem=f"{LINEITEMS}/42")
    assert learner.get(opened["Location"]).status_code == 200
    attempt = LaunchedAttempt.objects.get().attempt
    finish_attempt(attempt, correct=1)
    outbox_deliver(message_id=OutboxMessage.objects.get(task="lti.send_score").pk)
    [score] = lms.scores["42"]
    assert score["scoreGiven"] == 1 and score["userId"] == "student-1"
    assert score["scoreMaximum"] == attempt.question_count

    results = lti_launch(teacher, lms, user_id="teacher-1", roles=INSTRUCTOR,
                         custom=item["custom"])
    page = teacher.get(results["Location"]).content.decode()
    assert "Grace" in page and "Sent" in page
    assert ScoreSend.objects.get().status == ScoreSend.Status.SENT

    lms.members = [{"user_id": "student-1", "roles": LEARNER},
                   {"user_id": "student-2", "roles": LEARNER, "name": "Alan"}]
    pulled = teacher.post(f"/lti/courses/{ScoreSend.objects.get().placement.course_id}/roster/",
                          follow=True)
    assert "1 new member " in pulled.content.decode()
