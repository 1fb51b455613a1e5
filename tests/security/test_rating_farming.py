"""Ranked ratings cannot be farmed through the queue (audit item 9: two accounts queued together,
one stayed away, the other claimed: 4 ranked wins in a day for the same pair, 1500 -> 1796)."""

from __future__ import annotations

from datetime import timedelta

import pytest
from django.utils import timezone

from apps.matches.models import Match, QueueEntry, Rating, RatingChange
from apps.matches.services import (
    RANKED_PAIR_DAILY_LIMIT,
    match_claim,
    queue_join,
    queue_leave,
)
from tests.matches.test_services import ranked_match

pytestmark = pytest.mark.django_db


@pytest.fixture
def bank(small_bank, settings):
    settings.MATCH_ROUNDS = 3
    return small_bank


def _away(match, user, settings, *, ever_seen: bool):
    match.players.filter(user=user).update(
        connections=0,
        last_seen_at=(timezone.now() - timedelta(seconds=settings.MATCH_CLAIM_AFTER_SECONDS + 1)
                      if ever_seen else None))
    Match.objects.filter(pk=match.pk).update(
        started_at=timezone.now() - timedelta(seconds=settings.MATCH_CLAIM_AFTER_SECONDS + 1))


def test_a_claim_against_an_opponent_who_never_joined_is_not_rated(bank, world, settings):
    match = ranked_match(world)
    _away(match, world["other_learner"], settings, ever_seen=False)
    match_claim(match=match, user=world["learner"])
    match.refresh_from_db()
    assert (match.state, match.reason, match.ranked) == ("finished", "no_show", False)
    assert match.winner == world["learner"]  # the match still ends, and says why
    assert not RatingChange.objects.filter(match=match).exists()
    assert not Rating.objects.filter(user=world["learner"], games__gt=0).exists()


def test_a_claim_against_an_opponent_who_played_and_left_is_rated(bank, world, settings):
    match = ranked_match(world)
    _away(match, world["other_learner"], settings, ever_seen=True)
    match_claim(match=match, user=world["learner"])
    match.refresh_from_db()
    assert (match.reason, match.ranked) == ("claimed", True)
    assert RatingChange.objects.filter(match=match).count() == 2


def test_the_queue_pairs_the_same_two_players_at_most_the_daily_limit(bank, world, settings):
    settings.QUEUE_WAVE_INTERVAL = 0
    a, b = world["learner"], world["other_learner"]
    for _ in range(RANKED_PAIR_DAILY_LIMIT):
        queue_join(user=a)
        match = queue_join(user=b)
        assert isinstance(match, Match) and match.ranked
        Match.objects.filter(pk=match.pk).update(state=Match.State.FINISHED)
        QueueEntry.objects.all().delete()
    queue_join(user=a)
    waiting = queue_join(user=b)
    assert isinstance(waiting, QueueEntry)  # not paired again today
    assert Match.objects.filter(ranked=True).count() == RANKED_PAIR_DAILY_LIMIT
    queue_leave(user=a)
    queue_leave(user=b)
