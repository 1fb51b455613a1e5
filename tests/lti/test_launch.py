"""Step 2: OIDC login initiation and resource link launch against lti1p3platform, and every
refusal (each with its status and a short explanation, never a traceback)."""

from __future__ import annotations

import base64
import json

import pytest
from django.contrib.auth import get_user_model
from django.test import Client

from apps.cohorts.models import Membership
from apps.lti.models import Course, Identity, LaunchedAttempt
from tests.lti.conftest import lti_authorize, lti_launch
from tests.lti.platform import INSTRUCTOR, LEARNER, FakeLms

pytestmark = pytest.mark.django_db


def _custom(placement):
    return {"placement": placement.token}


def test_it_signs_a_learner_in_on_the_activity_in_the_courses_cohort(lms, placement):
    browser = Client()
    response = lti_launch(browser, lms, user_id="student-7", roles=LEARNER, name="Grace Hopper",
                          custom=_custom(placement))
    assert response.status_code == 302
    identity = Identity.objects.get(issuer=lms.registration.get_iss(), sub="student-7")
    user = identity.user
    assert not user.has_usable_password() and user.first_name == "Grace Hopper"
    assert Membership.objects.filter(cohort=placement.course.cohort, user=user).exists()
    launched = LaunchedAttempt.objects.get(attempt__user=user)
    assert response["Location"] == f"/quiz/{launched.attempt.public_id}/"
    assert launched.lineitem_url.endswith("/lineitems/1") and launched.sub == "student-7"
    assert browser.get(response["Location"]).status_code == 200  # signed in, on the activity
    # The platform fetched the key set once for signing checks; the second launch reuses it.
    again = lti_launch(browser, lms, user_id="student-7", roles=LEARNER,
                       custom=_custom(placement))
    assert again["Location"] == response["Location"]  # the same attempt, the same account
    assert get_user_model().objects.filter(lti_identities__sub="student-7").count() == 1
    assert [c for c in lms.calls if c[1] == "/jwks"] == [("GET", "/jwks")]


def test_it_takes_an_instructor_to_the_results_page(lms, placement):
    browser = Client()
    response = lti_launch(browser, lms, user_id="teacher-2", roles=INSTRUCTOR,
                          custom=_custom(placement))
    assert response.status_code == 302
    assert response["Location"] == f"/lti/results/{placement.token}/"
    page = browser.get(response["Location"])
    assert page.status_code == 200 and b"Week 1" in page.content
    assert placement.course.instructors.filter(lti_identities__sub="teacher-2").exists()


def test_it_refuses_a_replayed_launch(lms, placement):
    browser = Client()
    form = lti_authorize(browser, lms, user_id="student-7", roles=LEARNER,
                         custom=_custom(placement))
    post = {"state": form["state"], "id_token": form["id_token"]}
    assert browser.post("/lti/launch/", post).status_code == 302
    replay = browser.post("/lti/launch/", post)
    assert replay.status_code == 403 and b"already used" in replay.content


def test_it_refuses_a_state_that_is_not_this_browsers(lms, placement):
    form = lti_authorize(Client(), lms, user_id="student-7", roles=LEARNER,
                         custom=_custom(placement))
    stranger = Client()  # without the state cookie the login set
    response = stranger.post("/lti/launch/", {"state": form["state"],
                                               "id_token": form["id_token"]})
    assert response.status_code == 403 and b"state" in response.content


def test_it_refuses_a_nonce_it_did_not_issue(lms, placement):
    browser = Client()
    form = lti_authorize(browser, lms, user_id="student-7", roles=LEARNER,
                         custom=_custom(placement))
    header, body, _ = form["id_token"].split(".")
    claims = json.loads(base64.urlsafe_b64decode(body + "=="))
    claims["nonce"] = "made-up"
    forged = lms.registration.platform_encode_and_sign(claims)
    response = browser.post("/lti/launch/", {"state": form["state"], "id_token": forged})
    assert response.status_code == 403 and b"nonce" in response.content


def test_it_refuses_a_bad_signature(lms, placement):
    browser = Client()
    form = lti_authorize(browser, lms, user_id="student-7", roles=LEARNER,
                         custom=_custom(placement))
    header, body, signature = form["id_token"].split(".")
    claims = json.loads(base64.urlsafe_b64decode(body + "=="))
    claims["sub"] = "someone-else"  # the payload changes, the platform's signature does not
    tampered = base64.urlsafe_b64encode(json.dumps(claims).encode()).decode().rstrip("=")
    response = browser.post("/lti/launch/", {"state": form["state"],
                                             "id_token": f"{header}.{tampered}.{signature}"})
    assert response.status_code == 403 and b"signature does not verify" in response.content
    assert not Identity.objects.filter(sub="someone-else").exists()


def test_it_refuses_a_token_signed_by_another_key(registration, placement, monkeypatch):
    """An impostor platform with the same issuer and client id but its own key."""
    from apps.lti import toolconf

    real = FakeLms(Client())
    impostor = FakeLms(Client())
    monkeypatch.setattr(toolconf, "http_session", real.session)  # the registered key set
    browser = Client()
    form = lti_authorize(browser, impostor, user_id="student-7", roles=LEARNER,
                         custom=_custom(placement))
    response = browser.post("/lti/launch/", {"state": form["state"],
                                             "id_token": form["id_token"]})
    assert response.status_code == 403 and b"signature does not verify" in response.content


def test_it_refuses_an_expired_token(lms, placement):
    response = lti_launch(Client(), lms, user_id="student-7", roles=LEARNER,
                          custom=_custom(placement), expires_in=-60)
    assert response.status_code == 403 and b"expired" in response.content


def test_it_refuses_a_deployment_it_does_not_know(registration, placement, monkeypatch):
    from apps.lti import toolconf

    lms = FakeLms(Client(), deployment_id="deployment-unknown")
    monkeypatch.setattr(toolconf, "http_session", lms.session)
    response = lti_launch(Client(), lms, user_id="student-7", roles=LEARNER,
                          custom=_custom(placement))
    assert response.status_code == 403 and b"deployment" in response.content


@pytest.mark.parametrize("kwargs", [{"iss": "https://unknown-lms.example"},
                                    {"client_id": "not-registered"}])
def test_it_refuses_an_unknown_issuer_or_client_at_login(registration, kwargs):
    lms = FakeLms(Client(), **kwargs)
    response = Client().get(lms.login_url(user_id="student-7"))
    assert response.status_code == 403 and b"not registered" in response.content


def test_it_refuses_an_unknown_client_at_launch(lms, placement, monkeypatch):
    """The login knew the registration; the token is addressed to another client id."""
    browser = Client()
    form = lti_authorize(browser, lms, user_id="student-7", roles=LEARNER,
                         custom=_custom(placement))
    header, body, _ = form["id_token"].split(".")
    claims = json.loads(base64.urlsafe_b64decode(body + "=="))
    claims["aud"] = claims["azp"] = "someone-elses-tool"
    forged = lms.registration.platform_encode_and_sign(claims)
    response = browser.post("/lti/launch/", {"state": form["state"], "id_token": forged})
    assert response.status_code == 403 and b"not registered" in response.content


def test_it_refuses_an_azp_that_is_not_the_tool(lms, placement):
    browser = Client()
    form = lti_authorize(browser, lms, user_id="student-7", roles=LEARNER,
                         custom=_custom(placement))
    header, body, _ = form["id_token"].split(".")
    claims = json.loads(base64.urlsafe_b64decode(body + "=="))
    claims["aud"] = [claims["aud"], "another-audience"]
    claims["azp"] = "another-audience"
    forged = lms.registration.platform_encode_and_sign(claims)
    response = browser.post("/lti/launch/", {"state": form["state"], "id_token": forged})
    assert response.status_code == 403 and b"azp" in response.content


def test_it_refuses_the_wrong_message_type_at_each_url(lms, placement):
    browser = Client()
    form = lti_authorize(browser, lms, user_id="teacher-1", roles=INSTRUCTOR,
                         deep_linking=True)
    response = browser.post("/lti/launch/", {"state": form["state"],
                                             "id_token": form["id_token"]})
    assert response.status_code == 400 and b"resource link launches" in response.content
    form = lti_authorize(browser, lms, user_id="student-7", roles=LEARNER,
                         custom=_custom(placement))
    response = browser.post("/lti/deep-link/", {"state": form["state"],
                                                "id_token": form["id_token"]})
    assert response.status_code == 400 and b"deep-linking requests" in response.content


def test_it_refuses_a_link_placed_in_another_course_or_unknown(lms, placement):
    response = lti_launch(Client(), lms, user_id="student-7", roles=LEARNER,
                          custom={"placement": "0" * 32})
    assert response.status_code == 404 and b"does not point" in response.content
    Course.objects.filter(pk=placement.course_id).update(context_id="another-course")
    response = lti_launch(Client(), lms, user_id="student-7", roles=LEARNER,
                          custom=_custom(placement))
    assert response.status_code == 403 and b"another course" in response.content


@pytest.mark.parametrize("params, message", [
    ({}, b"no iss"),
    ({"iss": "https://lms.example.test", "login_hint": "1"}, b"no target_link_uri"),
    ({"iss": "https://lms.example.test", "login_hint": "1",
      "target_link_uri": "https://evil.example/steal"}, b"not one of this tool"),
    ({"iss": "x" * 2001, "login_hint": "1", "target_link_uri": "/lti/launch/"}, b"too long"),
])
def test_it_refuses_bad_login_requests(registration, params, message):
    response = Client().get("/lti/login/", params)
    assert response.status_code == 400 and message in response.content


def test_it_refuses_a_launch_without_a_token(registration):
    response = Client().post("/lti/launch/", {})
    assert response.status_code == 403 and b"state" in response.content
    response = Client().post("/lti/launch/", {"state": "s", "id_token": "x" * 20001})
    assert response.status_code == 400 and b"too long" in response.content


def test_it_launches_over_https_with_the_browser_bound_session_cookie(lms, placement):
    browser = Client()
    login = browser.get(lms.login_url(user_id="student-7"), secure=True)
    assert login.status_code == 302
    cookie = login.cookies["lti1p3-session-id"]
    assert cookie["secure"] and cookie["samesite"] == "None" and cookie["httponly"]
    form = lms.authorize(login["Location"], user_id="student-7", roles=LEARNER,
                         custom=_custom(placement))
    assert form["launch_url"] == "https://testserver/lti/launch/"
    post = {"state": form["state"], "id_token": form["id_token"]}
    response = browser.post("/lti/launch/", post, secure=True)
    assert response.status_code == 302 and response["Location"].startswith("/quiz/")
    # Another browser (no session cookie) cannot use the same launch.
    stranger = browser.cookies.copy()
    other = Client()
    other.cookies = stranger
    del other.cookies["lti1p3-session-id"]
    response = other.post("/lti/launch/", post, secure=True)
    assert response.status_code == 403 and b"cookie" in response.content


def test_it_refuses_another_lti_version(lms, placement):
    browser = Client()
    form = lti_authorize(browser, lms, user_id="student-7", roles=LEARNER,
                         custom=_custom(placement))
    header, body, _ = form["id_token"].split(".")
    claims = json.loads(base64.urlsafe_b64decode(body + "=="))
    claims["https://purl.imsglobal.org/spec/lti/claim/version"] = "1.1"
    forged = lms.registration.platform_encode_and_sign(claims)
    response = browser.post("/lti/launch/", {"state": form["state"], "id_token": forged})
    assert response.status_code == 400 and b"Incorrect version" in response.content


def test_it_fetches_the_key_set_again_when_the_platform_rotates_its_key(lms, placement):
    from tests.lti.platform import rsa_pem

    assert lti_launch(Client(), lms, user_id="student-7", roles=LEARNER,
                      custom=_custom(placement)).status_code == 302
    private, public = rsa_pem()
    lms.registration.set_platform_private_key(private).set_platform_public_key(public)
    assert lti_launch(Client(), lms, user_id="student-8", roles=LEARNER,
                      custom=_custom(placement)).status_code == 302
    assert [c for c in lms.calls if c[1] == "/jwks"] == [("GET", "/jwks")] * 2


def test_it_lets_only_registered_platforms_frame_its_lti_pages(lms, placement):
    response = lti_launch(Client(), lms, user_id="student-7", roles=LEARNER, expires_in=-60,
                          custom=_custom(placement))
    assert "frame-ancestors https://lms.example.test" in response["Content-Security-Policy"]
    assert "X-Frame-Options" not in response
    browser = Client()
    page = browser.get(lti_launch(browser, lms, user_id="student-7", roles=LEARNER,
                                  custom=_custom(placement))["Location"])
    assert "frame-ancestors 'none'" in page["Content-Security-Policy"]


def test_it_rate_limits_logins_per_address(lms, settings):
    settings.RATE_LIMITS = {**settings.RATE_LIMITS, "lti_launch": "2/60"}
    url = lms.login_url(user_id="student-7")
    assert [Client().get(url).status_code for _ in range(3)] == [302, 302, 429]
