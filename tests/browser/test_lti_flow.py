"""LTI in a browser: an instructor's deep-linking pick and a learner's launch, with chromium
going through the OIDC redirect and the form posts between the LMS and the tool. The LMS is
lti1p3platform in-process: a small HTTP server on loopback serves its browser-facing pages
(authorization endpoint, deep-linking return), and the tool's server-side calls reach it
through the requests adapter (tests/lti/platform.py)."""

from __future__ import annotations

import html
import http.server
import re
import threading
from urllib.parse import parse_qsl

import pytest
from django.test import Client

from apps.lti import toolconf
from apps.lti.models import LaunchedAttempt, Placement
from apps.lti.services import registration_create
from tests.lti.platform import (
    CLIENT_ID,
    DEPLOYMENT_ID,
    INSTRUCTOR,
    ISS,
    LEARNER,
    FakeLms,
    tool_key_pair,
)

pytestmark = pytest.mark.browser

AUTO_POST = """<!doctype html><title>LMS</title>
<form id="launch" method="post" action="{action}">
<input type="hidden" name="state" value="{state}">
<input type="hidden" name="id_token" value="{id_token}"></form>
<script>document.getElementById("launch").submit()</script>"""


class LmsPages:
    """The LMS's pages a browser visits: `who` says which user the next launch is for."""

    def __init__(self):
        self.who: dict = {}
        self.returned: list[str] = []
        self.lms: FakeLms | None = None
        pages = self

        class Handler(http.server.BaseHTTPRequestHandler):
            def log_message(self, *args):
                pass

            def _send(self, body: str):
                data = body.encode()
                self.send_response(200)
                self.send_header("Content-Type", "text/html; charset=utf-8")
                self.send_header("Content-Length", str(len(data)))
                self.end_headers()
                self.wfile.write(data)

            def do_GET(self):  # the authorization endpoint: sign the launch, post it
                form = pages.lms.authorize(f"{pages.url}{self.path}", **pages.who)
                self._send(AUTO_POST.format(action=form["launch_url"],
                                            state=html.escape(form["state"]),
                                            id_token=form["id_token"]))

            def do_POST(self):  # the deep-linking return URL
                length = int(self.headers["Content-Length"])
                body = self.rfile.read(length).decode()
                pages.returned.append(dict(parse_qsl(body))["JWT"])
                self._send("<!doctype html><title>LMS</title><p id=added>Added</p>")

        self.server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self.url = f"http://127.0.0.1:{self.server.server_port}"
        threading.Thread(target=self.server.serve_forever, daemon=True).start()

    def close(self):
        self.server.shutdown()
        self.server.server_close()


@pytest.fixture
def lms_pages(live_server, small_bank, settings, monkeypatch):
    pages = LmsPages()
    settings.LTI_PRIVATE_KEY = tool_key_pair()[0]
    registration_create(name="Test LMS", issuer=ISS, client_id=CLIENT_ID,
                        deployment_ids=[DEPLOYMENT_ID], auth_login_url=f"{pages.url}/auth",
                        auth_token_url=f"{ISS}/token", keyset_url=f"{ISS}/jwks")
    pages.lms = FakeLms(Client(), tool=live_server.url, pages=pages.url)
    monkeypatch.setattr(toolconf, "http_session", pages.lms.session)
    yield pages
    pages.close()


def test_a_deep_linking_pick_and_a_learner_launch(browser, lms_pages):
    lms = lms_pages.lms
    lms_pages.who = {"user_id": "teacher-1", "roles": INSTRUCTOR, "deep_linking": True,
                     "name": "Ada"}
    teacher = browser.new_context().new_page()
    teacher.goto(lms.login_url(user_id="teacher-1", deep_linking=True))
    teacher.get_by_role("heading", name=re.compile("Add an activity")).wait_for()
    teacher.get_by_label("A speed quiz on a topic").check()
    teacher.select_option("#id_topic", "serialization")
    teacher.fill("#id_count", "5")
    teacher.get_by_role("button", name="Add to the course").click()
    teacher.locator("#added").wait_for()  # the tool's page posted the response by itself
    [item] = lms.config.validate_deeplinking_resp({"JWT": lms_pages.returned[0]})
    placement = Placement.objects.get()
    assert item["custom"] == {"placement": placement.token}
    assert item["lineItem"]["scoreMaximum"] == 5

    lms_pages.who = {"user_id": "student-1", "roles": LEARNER, "custom": item["custom"]}
    learner = browser.new_context().new_page()
    learner.goto(lms.login_url(user_id="student-1"))
    learner.wait_for_url(re.compile(r"/quiz/[0-9a-f-]+/$"))
    attempt = LaunchedAttempt.objects.get().attempt
    assert learner.url.endswith(f"/quiz/{attempt.public_id}/")
    assert attempt.user.lti_identities.get().sub == "student-1"
    learner.get_by_role("heading", level=1).wait_for()
    teacher.context.close()
    learner.context.close()
