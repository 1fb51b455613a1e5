from __future__ import annotations

from datetime import timedelta

import pytest
from django.utils import timezone

from apps.matches.models import Match, Round
from apps.matches.services import match_advance


@pytest.fixture
def bank(small_bank, settings):
    settings.MATCH_ROUNDS = 3
    return small_bank


def keys(rnd: Round, correct: bool = True) -> list[str]:
    by_position = {c.position: c for c in rnd.version.choices.all()}
    picked = [k for k, p in zip(rnd.choice_keys, rnd.choice_order, strict=True)
              if by_position[p].is_correct == correct]
    return picked if correct else picked[:1]


def current_round(match: Match) -> Round:
    match.refresh_from_db()
    return match.rounds.select_related("version").get(number=match.current_round)


def expire_round(match: Match) -> None:
    """Move the open round's deadline (or the closed round's pause) into the past."""
    past = timezone.now() - timedelta(seconds=120)
    rnd = current_round(match)
    Round.objects.filter(pk=rnd.pk, state="open").update(deadline=past)
    Round.objects.filter(pk=rnd.pk, state="closed").update(closed_at=past)


def fast_forward(match: Match) -> None:
    expire_round(match)
    match_advance(match_id=match.pk)
