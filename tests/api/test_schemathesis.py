"""Property-based fuzzing of every endpoint in the OpenAPI schema: no input makes it answer 5xx.
Endpoints added later are covered automatically because they appear in the schema.

(schemathesis's own pytest plugin does not yet run under pytest 9, so each operation's Hypothesis
strategy is driven directly.)"""

from __future__ import annotations

import pytest
import schemathesis
from django.core.signals import request_finished, request_started
from django.core.wsgi import get_wsgi_application
from django.db import close_old_connections
from django.test import Client
from hypothesis import HealthCheck, given, settings
from knox.models import AuthToken
from schemathesis.checks import not_a_server_error

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def _keep_the_test_connection():
    """Raw WSGI calls fire request_started/finished, which close the database connection and
    with it the test's transaction; Django's own test client disconnects them the same way."""
    request_started.disconnect(close_old_connections)
    request_finished.disconnect(close_old_connections)
    yield
    request_started.connect(close_old_connections)
    request_finished.connect(close_old_connections)


def operations():
    schema = schemathesis.openapi.from_wsgi("/api/schema/", get_wsgi_application())
    return [result.ok() for result in schema.get_all_operations()]


@pytest.mark.parametrize("as_user", [True, False], ids=["token", "anonymous"])
def test_no_input_makes_the_api_fail(small_bank, world, as_user):
    headers = {}
    if as_user:
        _, token = AuthToken.objects.create(user=world["learner"])
        headers = {"Authorization": f"Token {token}"}
    tested = []
    for operation in operations():
        @given(case=operation.as_strategy())
        @settings(max_examples=25, deadline=None, database=None,
                  suppress_health_check=list(HealthCheck))
        def run(case):
            case.call_and_validate(headers=headers, checks=[not_a_server_error])

        run()
        tested.append(operation.label)
    assert "POST /api/v1/auth/token/" in tested


def test_the_schema_lists_the_api():
    paths = Client().get("/api/schema/", HTTP_ACCEPT="application/json").json()["paths"]
    assert {"/api/v1/auth/token/", "/api/v1/me/", "/api/v1/resources/"} <= set(paths)
