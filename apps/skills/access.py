"""Access helpers: outsiders get 404."""

from __future__ import annotations

from django.http import Http404, HttpRequest

from apps.accounts.roles import is_instructor


def require_instructor(request: HttpRequest) -> None:
    """Instructor-only pages do not exist for learners and visitors."""
    if not is_instructor(request.user):
        raise Http404("No such page.")
