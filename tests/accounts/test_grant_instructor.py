from __future__ import annotations

import io

import pytest
from django.core.management import CommandError, call_command

from apps.accounts.roles import is_instructor

pytestmark = pytest.mark.django_db


def test_it_grants_and_revokes_the_instructor_role(world):
    learner = world["learner"]
    assert not is_instructor(learner)
    call_command("grant_instructor", "learner", stdout=io.StringIO())
    learner = type(learner).objects.get(pk=learner.pk)  # fresh permission cache
    assert is_instructor(learner)
    call_command("grant_instructor", "learner", "--revoke", stdout=io.StringIO())
    learner = type(learner).objects.get(pk=learner.pk)
    assert not is_instructor(learner)


def test_it_refuses_an_unknown_user(db):
    with pytest.raises(CommandError, match="No user named 'ghost'"):
        call_command("grant_instructor", "ghost")
