"""Play pages are never cached: Back then Forward must re-read the question, not show one that
has moved on (review: a stale cached question after Back/Forward)."""

from __future__ import annotations

import pytest
from django.test import Client

pytestmark = pytest.mark.django_db


def test_quiz_match_and_live_pages_say_no_store(world, small_bank):
    from apps.live.services import GameSpec, game_create
    from apps.matches.services import bot_match_create
    from apps.quiz.services import QuizSpec, quiz_start

    game = game_create(host=world["instructor"], spec=GameSpec(count=3))
    learner = Client()
    learner.force_login(world["learner"])
    quiz = quiz_start(user=world["learner"], spec=QuizSpec(count=5))
    match = bot_match_create(user=world["learner"], level=1)
    phone = Client()
    assert phone.post("/live/", {"pin": game.pin, "nickname": "Ada"}).status_code == 302
    host = Client()
    host.force_login(world["instructor"])
    for client, path in ((learner, f"/quiz/{quiz.public_id}/"),
                         (learner, f"/play/m/{match.public_id}/"),
                         (phone, f"/live/{game.public_id}/play/"),
                         (host, f"/live/{game.public_id}/host/")):
        response = client.get(path)
        assert response.status_code == 200, path
        assert "no-store" in response["Cache-Control"], path
