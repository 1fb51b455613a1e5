"""Live game services: idempotent transitions, the sweeper, holds, PINs."""

from __future__ import annotations

from datetime import timedelta

import pytest
from django.utils import timezone

from apps.core.holds import questions_in_play
from apps.live import services
from apps.live.models import LiveGame, LiveQuestion
from apps.live.services import GameSpec, LiveError

pytestmark = pytest.mark.django_db


@pytest.fixture
def running(world, small_bank):
    game = services.game_create(host=world["instructor"], spec=GameSpec(count=3))
    player, _ = services.game_join(pin=game.pin, user=world["learner"])
    return services.game_start(game=game), player


def overdue(game: LiveGame) -> None:
    LiveQuestion.objects.filter(game=game, state="open").update(
        deadline=timezone.now() - timedelta(seconds=30))


def test_a_close_triggered_many_times_does_its_work_once(running):
    game, player = running
    overdue(game)
    services.game_advance(game_id=game.pk)
    version = LiveGame.objects.get(pk=game.pk).version
    for _ in range(3):
        services.game_advance(game_id=game.pk)
        services.game_skip(game=game, number=1)
    game.refresh_from_db()
    assert game.state == "reveal" and game.version == version


def test_the_sweeper_closes_what_a_lost_countdown_left_open(running):
    game, _ = running
    assert services.game_sweep() == 0
    overdue(game)
    assert services.game_sweep() == 1
    assert LiveQuestion.objects.get(game=game, number=1).state == "closed"
    assert services.game_sweep() == 0


def test_a_seated_learners_new_quizzes_leave_the_games_questions_out(running, world):
    game, _ = running
    held = questions_in_play(user=world["learner"])
    assert held == set(LiveQuestion.objects.filter(game=game).values_list(
        "version__question_id", flat=True))
    services.game_end(game=game)
    assert questions_in_play(user=world["learner"]) == set()


def test_pins_are_unique_among_unfinished_games(world, small_bank, monkeypatch):
    first = services.game_create(host=world["instructor"], spec=GameSpec(count=3))
    pins = iter([first.pin, first.pin, "654321"])
    monkeypatch.setattr(services, "_new_pin", lambda: next(pins))
    second = services.game_create(host=world["learner"], spec=GameSpec(count=3))
    assert second.pin == "654321"


@pytest.mark.parametrize(("spec", "message"), [
    (GameSpec(count=2), "Choose between 3 and 30 questions."),
    (GameSpec(seconds=5), "Choose between 10 and 120 seconds a question."),
    (GameSpec(scoring="fastest"), "Scoring must be speed or accuracy."),
    (GameSpec(topic="no-such-topic"), "No published questions match this focus yet."),
])
def test_it_refuses_a_bad_game(world, small_bank, spec, message):
    with pytest.raises(LiveError, match=message):
        services.game_create(host=world["instructor"], spec=spec)
