"""The permission matrix: one row per (endpoint, method), the status each standard user gets.

Later features add rows to `ROWS` in tests/test_permission_matrix.py. A row's `url` is a string
or a function of the world (the dict of standard users, see conftest.world) that builds the
object it needs, owned by "learner", and returns the URL.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field

from django.test import Client

ROLES = ("anonymous", "learner", "other_learner", "instructor", "staff")


@dataclass(frozen=True)
class Row:
    name: str
    method: str
    url: str | Callable[[dict], str]
    expect: dict[str, int]
    data: dict = field(default_factory=dict)

    def __post_init__(self):
        missing = set(ROLES) - set(self.expect)
        if missing:
            raise ValueError(f"row {self.name} has no expectation for {sorted(missing)}")


def everyone(status: int) -> dict[str, int]:
    return dict.fromkeys(ROLES, status)


def client_for(role: str, world: dict) -> Client:
    client = Client()
    if world[role] is not None:
        client.force_login(world[role])
    return client


def status_for(row: Row, role: str, world: dict) -> int:
    url = row.url(world) if callable(row.url) else row.url
    client = client_for(role, world)
    method = getattr(client, row.method.lower())
    if row.method.upper() in ("POST", "PUT", "PATCH"):
        response = method(url, row.data, content_type="application/json")
    else:
        response = method(url)
    return response.status_code
