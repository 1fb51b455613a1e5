"""An LMS for the LTI tests: the independent LTI 1.3 platform from PyPI (`lti1p3platform`),
in-process. Its objects answer the tool's HTTP calls (key set, access token, scores, roster)
through a requests transport adapter, and it calls the tool through Django's test client, so
nothing leaves the process. Only the transport is ours; the protocol work (signing launches,
validating the tool's token requests and deep-linking responses, checking access tokens on the
services) is the platform library's."""

from __future__ import annotations

import functools
import json
import re
from urllib.parse import parse_qsl, urlsplit

import requests
from cryptography.hazmat.primitives import serialization
from cryptography.hazmat.primitives.asymmetric import rsa
from django.test import Client, RequestFactory
from lti1p3platform.framework.django.request import DjangoRequest
from lti1p3platform.ltiplatform import LTI1P3PlatformConfAbstract
from lti1p3platform.membership import Context
from lti1p3platform.message_launch import LTIAdvantageMessageLaunchAbstract
from lti1p3platform.registration import Registration
from lti1p3platform.score import UpdateScoreStatus
from lti1p3platform.service_connector import (
    AssignmentsGradesService,
    NamesRoleProvisioningService,
)

ISS = "https://lms.example.test"
CLIENT_ID = "arena-tool-1"
DEPLOYMENT_ID = "deployment-1"
TOOL = "http://testserver"
INSTRUCTOR = ["http://purl.imsglobal.org/vocab/lis/v2/membership#Instructor"]
LEARNER = ["http://purl.imsglobal.org/vocab/lis/v2/membership#Learner"]
CONTEXT_ID = "course-101"
LINEITEMS = f"{ISS}/courses/101/lineitems"
MEMBERSHIPS = f"{ISS}/courses/101/memberships"


def rsa_pem() -> tuple[str, str]:
    key = rsa.generate_private_key(public_exponent=65537, key_size=2048)
    private = key.private_bytes(serialization.Encoding.PEM, serialization.PrivateFormat.PKCS8,
                                serialization.NoEncryption()).decode()
    public = key.public_key().public_bytes(
        serialization.Encoding.PEM, serialization.PublicFormat.SubjectPublicKeyInfo).decode()
    return private, public


@functools.cache
def tool_key_pair() -> tuple[str, str]:
    """The tool's key in tests (made once per test process)."""
    return rsa_pem()


class PlatformConf(LTI1P3PlatformConfAbstract):
    def init_platform_config(self, registration: Registration, tool_client: Client) -> None:
        self._registration = registration
        self._tool_client = tool_client

    def get_registration_by_params(self, **kwargs):
        return self._registration

    def fetch_public_key(self, key_set_url: str):
        """The platform fetches the tool's key set from the tool's real endpoint."""
        response = self._tool_client.get(urlsplit(key_set_url).path)
        assert response.status_code == 200
        return response.json()


class Launch(LTIAdvantageMessageLaunchAbstract):
    def render_launch_form(self, launch_data, **kwargs):
        return launch_data  # {"state", "id_token", "launch_url"}: the test posts it


class Scores(AssignmentsGradesService):
    def __init__(self, request, lms: FakeLms):
        super().__init__(request, lms.config, LINEITEMS)
        self.lms = lms

    def update_score(self, line_item_id, score):
        self.lms.scores.setdefault(line_item_id, []).append(score)
        return UpdateScoreStatus.SUCCESS

    def find_lineitems(self, *args, **kwargs):
        raise NotImplementedError

    def find_lineitem(self, line_item_id):
        raise NotImplementedError

    def create_lineitem(self, creation_data):
        raise NotImplementedError

    def update_lineitem(self, update_data):
        raise NotImplementedError

    def delete_lineitem(self, line_item_id):
        raise NotImplementedError

    def get_results(self, *args, **kwargs):
        raise NotImplementedError


class Roster(NamesRoleProvisioningService):
    def __init__(self, request, lms: FakeLms):
        super().__init__(request, lms.config, MEMBERSHIPS)
        self.lms = lms

    def get_member_data_page(self, page=1, limit=None, role=None, since=None):
        return {"content": [dict(m) for m in self.lms.members], "has_next": False, "next": None}

    def get_context_by_id(self):
        return Context(id=CONTEXT_ID, label="SC101", title="Supply chains 101")


class FakeLms:
    """One LMS with one registration of the tool. `client` is the learner's or instructor's
    browser (Django's test client, which keeps the tool's cookies)."""

    def __init__(self, tool_client: Client, *, deployment_id: str = DEPLOYMENT_ID,
                 client_id: str = CLIENT_ID, iss: str = ISS, tool: str = TOOL,
                 pages: str = ISS):
        self.pages = pages  # where the browser meets the LMS (authorization, deep-link return)
        self.private_key, self.public_key = rsa_pem()
        self.registration = (
            Registration().set_iss(iss).set_client_id(client_id)
            .set_deployment_id(deployment_id).set_oidc_login_url(f"{tool}/lti/login/")
            .set_launch_url(f"{tool}/lti/launch/")
            .set_deeplink_launch_url(f"{tool}/lti/deep-link/")
            .set_platform_private_key(self.private_key)
            .set_platform_public_key(self.public_key)
            .set_tool_key_set_url(f"{tool}/lti/jwks/"))
        self.config = PlatformConf(registration=self.registration, tool_client=Client())
        self.scores: dict[str, list[dict]] = {}
        self.members: list[dict] = []
        self.down = False  # answer the tool's service calls with 503
        self.calls: list[tuple[str, str]] = []
        self.factory = RequestFactory()

    # --- the tool's calls to the platform (the requests transport) ---------------------------

    def session(self) -> requests.Session:
        session = requests.Session()
        session.mount(ISS, _Adapter(self))
        return session

    def answer(self, method: str, url: str, body: bytes, headers) -> tuple[int, object]:
        parts = urlsplit(url)
        self.calls.append((method, parts.path))
        if self.down and parts.path != "/jwks":
            return 503, {"error": "down for maintenance"}
        request = self.factory.generic(
            method, parts.path + (f"?{parts.query}" if parts.query else ""), data=body or b"",
            content_type=headers.get("Content-Type", ""),
            headers={k: v for k, v in headers.items() if k.lower() == "authorization"})
        if parts.path == "/jwks" and method == "GET":
            return 200, self.config.get_jwks()
        if parts.path == "/token" and method == "POST":
            return 200, self.config.get_access_token(dict(parse_qsl(body.decode())))
        match = re.fullmatch(r"/courses/101/lineitems/(\w+)/scores", parts.path)
        if match:
            resp = Scores(DjangoRequest(request), self).handle_update_score(match.group(1))
            return resp.code, resp.result or {}
        if parts.path == "/courses/101/memberships":
            resp = Roster(DjangoRequest(request), self).handle_get_members()
            return resp.code, resp.result
        return 404, {"error": "no such endpoint"}

    # --- the platform's side of a launch -----------------------------------------------------------

    def login_url(self, *, user_id: str, deep_linking: bool = False) -> str:
        from lti1p3platform.oidc_login import OIDCLoginAbstract

        class Login(OIDCLoginAbstract):
            def set_lti_message_hint(self, **kwargs):
                self._lti_message_hint = kwargs["hint"]

            def get_redirect(self, url):
                return url

        login = Login(None, self.config)
        login.set_lti_message_hint(hint="resource-link-1")
        if deep_linking:
            login.set_deeplinking_launch_url()
        return login.initiate_login(user_id)

    def authorize(self, redirect_location: str, *, user_id: str, roles: list[str],
                  custom: dict | None = None, deep_linking: bool = False,
                  lineitem: str | None = f"{LINEITEMS}/1", expires_in: int = 300,
                  name: str = "", accept_types: frozenset = frozenset({"ltiResourceLink"})
                  ) -> dict:
        """The platform's authorization endpoint: take the tool's OIDC redirect, build and
        sign the launch. Returns {"state", "id_token", "launch_url"}."""
        parts = urlsplit(redirect_location)
        assert f"{parts.scheme}://{parts.netloc}{parts.path}" == f"{self.pages}/auth"
        request = DjangoRequest(self.factory.get("/auth", dict(parse_qsl(parts.query))))
        launch = Launch(request, self.config)
        launch.set_user_data(user_id, roles, full_name=name or None)
        launch.set_launch_context_claim(CONTEXT_ID, context_title="Supply chains 101",
                                        context_label="SC101")
        launch.set_resource_link_claim("resource-link-1")
        if custom:
            launch.set_custom_parameters_claim(custom)
        launch.set_nrps(MEMBERSHIPS)
        launch.set_ags(LINEITEMS, lineitem)
        if deep_linking:
            launch.set_dl(f"{self.pages}/deep-link-return", title="Add an activity",
                          accept_types=set(accept_types))
        launch.set_id_token_expiration(expires_in)
        return launch.lti_launch()


class _Adapter(requests.adapters.BaseAdapter):
    def __init__(self, lms: FakeLms):
        super().__init__()
        self.lms = lms

    def send(self, request, **kwargs):
        body = request.body or b""
        if isinstance(body, str):
            body = body.encode()
        status, payload = self.lms.answer(request.method, request.url, body, request.headers)
        response = requests.Response()
        response.status_code = status
        response._content = json.dumps(payload).encode()
        response.headers["Content-Type"] = "application/json"
        response.url = request.url
        response.request = request
        return response

    def close(self):
        pass
