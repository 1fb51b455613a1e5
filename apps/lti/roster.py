"""Roster pull (NRPS): the LMS course's learners become members of its cohort."""

from __future__ import annotations

import requests
from pylti1p3.exception import LtiException
from pylti1p3.names_roles import NamesRolesProvisioningService

from apps.audit.services import audit_record
from apps.cohorts.models import Membership
from apps.cohorts.services import cohort_join
from apps.lti.models import Course
from apps.lti.services import LEARNER_ROLES, MAX_ID, LtiError, identity_user

MAX_PAGES = 50
MAX_MEMBERS = 5000


def _members(course: Course) -> list[dict]:
    from apps.lti.toolconf import service_connector

    nrps = NamesRolesProvisioningService(service_connector(course.registration),
                                         {"context_memberships_url": course.memberships_url})
    members, url = [], None
    for _ in range(MAX_PAGES):  # bounded: a platform that pages forever stops here
        page, url = nrps.get_members_page(url)
        members.extend(page)
        if not url or len(members) >= MAX_MEMBERS:
            break
    return members[:MAX_MEMBERS]


def roster_pull(*, course: Course, by) -> int:
    """Add the course's active learners to its cohort (accounts linked to their LMS ids,
    made if new). Idempotent. Returns how many joined now."""
    if not course.memberships_url:
        raise LtiError("The LMS has not offered its roster service (names and roles) for this "
                       "course: enable it for the tool and launch from the course once.", 409)
    try:
        members = _members(course)
    except (LtiException, requests.RequestException) as exc:
        raise LtiError(f"The LMS did not return the roster ({type(exc).__name__}); try again "
                       "later.", 502) from None
    issuer, cohort = course.registration.issuer, course.cohort
    already = set(Membership.objects.filter(cohort=cohort).values_list("user_id", flat=True))
    added = 0
    for member in members:
        if not isinstance(member, dict) or member.get("status", "Active") != "Active":
            continue
        roles = member.get("roles") or []
        sub = member.get("user_id")
        if not isinstance(roles, list) or not LEARNER_ROLES.intersection(roles):
            continue
        if not isinstance(sub, str) or not sub or len(sub) > MAX_ID:
            continue
        name = member.get("name") if isinstance(member.get("name"), str) else ""
        user = identity_user(issuer=issuer, sub=sub, name=name)
        if user.pk not in already:
            cohort_join(user=user, code=cohort.join_code)
            already.add(user.pk)
            added += 1
    audit_record(actor=by, action="lti.roster.pull", subject=cohort.name,
                 data={"course": course.pk, "members": len(members), "added": added})
    return added
