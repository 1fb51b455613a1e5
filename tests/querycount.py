"""Counting the SQL statements of one request as production runs it: without the SAVEPOINT and
RELEASE pairs that a test's own transaction adds around each `atomic` (in production that block
is the outermost one, and BEGIN/COMMIT are not statements Django sends)."""

from __future__ import annotations

from django.db import connection
from django.test.utils import CaptureQueriesContext


class Counted:
    def __init__(self):
        self.captured = CaptureQueriesContext(connection)

    def __enter__(self):
        self.captured.__enter__()
        return self

    def __exit__(self, *exc):
        self.captured.__exit__(*exc)

    @property
    def statements(self) -> list[str]:
        return [q["sql"] for q in self.captured.captured_queries
                if not q["sql"].startswith(("SAVEPOINT", "RELEASE SAVEPOINT"))]

    def __len__(self) -> int:
        return len(self.statements)


def api_client(user):
    """An API client authenticated as production clients are: with a token."""
    from knox.models import AuthToken
    from rest_framework.test import APIClient

    client = APIClient()
    client.credentials(HTTP_AUTHORIZATION="Token " + AuthToken.objects.create(user=user)[1])
    return client
