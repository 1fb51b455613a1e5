"""Step 5: the instructor pulls the LMS course's members (NRPS, lti1p3platform's membership
service) into the course's cohort."""

from __future__ import annotations

import pytest
from django.test import Client

from apps.cohorts.models import Membership
from apps.lti.models import Course, Identity
from tests.lti.conftest import lti_launch
from tests.lti.platform import INSTRUCTOR, LEARNER

pytestmark = pytest.mark.django_db
MEMBERS = [
    {"user_id": "student-1", "roles": LEARNER, "name": "Grace"},
    {"user_id": "student-2", "roles": ["Learner"], "name": "Alan"},
    {"user_id": "student-3", "roles": LEARNER, "status": "Inactive"},
    {"user_id": "teacher-9", "roles": INSTRUCTOR},
    {"user_id": "x" * 300, "roles": LEARNER},  # an id longer than the tool keeps: skipped
]


def _instructor(lms, placement) -> Client:
    teacher = Client()
    lti_launch(teacher, lms, user_id="teacher-9", roles=INSTRUCTOR,
               custom={"placement": placement.token})
    return teacher


def test_it_pulls_the_active_learners_into_the_cohort_once(lms, placement):
    lms.members = MEMBERS
    teacher = _instructor(lms, placement)
    course = Course.objects.get()
    assert course.memberships_url == "https://lms.example.test/courses/101/memberships"
    response = teacher.post(f"/lti/courses/{course.pk}/roster/",
                            {"next": placement.token}, follow=True)
    assert response.redirect_chain[-1][0] == f"/lti/results/{placement.token}/"
    assert "2 new members" in response.content.decode()
    members = set(Membership.objects.filter(cohort=course.cohort)
                  .values_list("user__lti_identities__sub", flat=True))
    assert members == {"student-1", "student-2"}
    assert Identity.objects.get(sub="student-1").user.first_name == "Grace"
    # Again: nobody new; a learner who then launches keeps the same account.
    response = teacher.post(f"/lti/courses/{course.pk}/roster/", follow=True)
    assert "0 new members" in response.content.decode()
    lti_launch(Client(), lms, user_id="student-1", roles=LEARNER,
               custom={"placement": placement.token})
    assert Identity.objects.filter(sub="student-1").count() == 1
    assert ("GET", "/courses/101/memberships") in lms.calls


def test_it_says_so_when_the_lms_is_down(lms, placement):
    teacher = _instructor(lms, placement)
    course = Course.objects.get()
    lms.down = True
    response = teacher.post(f"/lti/courses/{course.pk}/roster/", follow=True)
    assert "did not return the roster" in response.content.decode()
    assert not Membership.objects.filter(cohort=course.cohort).exclude(
        user=course.cohort.owner).exists()


def test_it_needs_the_roster_service(lms, placement):
    course = placement.course
    owner = Client()
    owner.force_login(course.cohort.owner)
    response = owner.post(f"/lti/courses/{course.pk}/roster/", follow=True)
    assert "has not offered its roster service" in response.content.decode()


def test_it_lets_only_the_courses_instructors_pull(lms, placement, world):
    course = placement.course
    for role in ("learner", "instructor", "staff"):
        outsider = Client()
        outsider.force_login(world[role])
        assert outsider.post(f"/lti/courses/{course.pk}/roster/").status_code == 404
        assert outsider.get(f"/lti/courses/{course.pk}/").status_code == 404
    assert Client().post(f"/lti/courses/{course.pk}/roster/").status_code == 404
