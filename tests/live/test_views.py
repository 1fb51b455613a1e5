"""The live game's pages: join from a phone, the projector and its controls, the player's
tiles, polling by version, the report and its CSV."""

from __future__ import annotations

import re

import pytest
from django.test import Client

from apps.live.models import LiveGame, LivePlayer, LiveQuestion
from tests.live.conftest import db_game, keys_for
from tests.quiz.keyleak import ATTRIBUTE_MARKER

pytestmark = pytest.mark.django_db


@pytest.fixture
def hosting(world, small_bank):
    client = Client()
    client.force_login(world["instructor"])
    response = client.post("/live/new/", {"count": 3, "seconds": 20, "scoring": "speed",
                                          "focus": ""})
    assert response.status_code == 302
    game = LiveGame.objects.get(host=world["instructor"])
    assert response["Location"] == f"/live/{game.public_id}/host/"
    return client, game


def phone(game: LiveGame, nickname: str, client=None) -> Client:
    client = client or Client()
    response = client.post("/live/", {"pin": game.pin, "nickname": nickname})
    assert response.status_code == 302 and response["Location"] == f"/live/{game.public_id}/play/"
    assert client.cookies[f"live-{game.public_id}"]["httponly"]
    return client


def assert_nothing_gives_the_key_away(html: str, game: LiveGame, number: int) -> None:
    from apps.play.cards import card

    question = LiveQuestion.objects.get(game=game, number=number)
    c = card(question.version_id)
    assert c.explanation.strip()[:60] not in html
    for choice in c.choices:
        assert not choice.misconception or choice.misconception not in html
    assert not ATTRIBUTE_MARKER.search(html), ATTRIBUTE_MARKER.search(html).group(0)
    for comment in re.findall(r"<!--(.*?)-->", html, re.S):
        assert "correct" not in comment.lower()


def test_a_game_played_through_the_pages(hosting):
    host, game = hosting
    lobby = host.get(f"/live/{game.public_id}/host/").content.decode()
    assert game.pin in lobby and f"/live/{game.public_id}/host/qr.svg" in lobby
    ada = phone(game, "Ada")
    assert b"Waiting for the host" in ada.get(f"/live/{game.public_id}/play/").content
    assert "Ada" in host.get(f"/live/{game.public_id}/host/").content.decode()
    host.post(f"/live/{game.public_id}/host/start/")
    page = ada.get(f"/live/{game.public_id}/play/").content.decode()
    assert 'class="tile tile-1 choice' in page and "<kbd>1</kbd>" in page and "▲" in page
    assert_nothing_gives_the_key_away(page, game, 1)
    projector = host.get(f"/live/{game.public_id}/host/").content.decode()
    assert_nothing_gives_the_key_away(projector, game, 1)
    keys = keys_for(str(game.public_id), 1)
    answered = ada.post(f"/live/{game.public_id}/play/answer/", {"number": 1, "choice": keys})
    assert answered.status_code == 302
    reveal = ada.get(f"/live/{game.public_id}/play/").content.decode()
    assert "Correct" in reveal  # the only player answered: the question closed
    shown = host.get(f"/live/{game.public_id}/host/").content.decode()
    assert 'data-testid="count">1<' in shown and "Next question" in shown
    host.post(f"/live/{game.public_id}/host/next/", {"number": 1})
    assert db_game(str(game.public_id)).current_number == 2
    host.post(f"/live/{game.public_id}/host/end/")
    assert b"Podium" in host.get(f"/live/{game.public_id}/host/").content
    report = host.get(f"/live/{game.public_id}/report/")
    assert report.status_code == 200 and b"Ada" in report.content


def test_polling_with_the_shown_version_gets_204_until_the_game_moves(hosting):
    host, game = hosting
    ada = phone(game, "Ada")
    game.refresh_from_db()
    url = f"/live/{game.public_id}/play/?v={game.version}"
    assert ada.get(url, HTTP_HX_REQUEST="true").status_code == 204
    host.post(f"/live/{game.public_id}/host/start/")
    moved = ada.get(url, HTTP_HX_REQUEST="true")
    assert moved.status_code == 200 and moved.content.lstrip().startswith(b'<article id="live-board"')


def test_a_wrong_pin_and_a_taken_nickname_are_explained_on_the_form(hosting):
    _, game = hosting
    phone(game, "Ada")
    wrong = Client().post("/live/", {"pin": "000000", "nickname": "Bob"})
    assert wrong.status_code == 200 and b"No game is running with this PIN." in wrong.content
    taken = Client().post("/live/", {"pin": game.pin, "nickname": "Ada"})
    assert b"That nickname is taken" in taken.content
    assert LivePlayer.objects.filter(game=game).count() == 1


def test_the_qr_code_is_an_svg_of_the_join_link(hosting):
    host, game = hosting
    response = host.get(f"/live/{game.public_id}/host/qr.svg")
    assert response["Content-Type"] == "image/svg+xml"
    assert response.content.startswith(b"<svg") and b"<script" not in response.content


def test_the_csv_report_quotes_what_a_spreadsheet_would_run(hosting):
    host, game = hosting
    # Nicknames start with a letter or digit, but a report must be safe whatever it holds.
    LivePlayer.objects.create(game=game, nickname="=cmd", token_hash="x" * 64)
    csv = host.get(f"/live/{game.public_id}/report.csv")
    assert csv["Content-Type"].startswith("text/csv")
    lines = csv.content.decode().splitlines()
    assert lines[0].startswith("nickname,") and lines[1].startswith("'=cmd,")


def test_the_host_removes_a_player_from_the_lobby(hosting):
    host, game = hosting
    ada = phone(game, "Ada")
    player = LivePlayer.objects.get(game=game, nickname="Ada")
    host.post(f"/live/{game.public_id}/host/remove/{player.pk}/")
    assert ada.get(f"/live/{game.public_id}/play/").status_code == 404
    assert "Ada" not in host.get(f"/live/{game.public_id}/host/").content.decode()


@pytest.mark.parametrize("number", ["x", "-1", "1.5"])
def test_a_control_with_a_bad_question_number_is_explained_not_a_500(hosting, number):
    host, game = hosting
    phone(game, "Ada")
    host.post(f"/live/{game.public_id}/host/start/")
    response = host.post(f"/live/{game.public_id}/host/skip/", {"number": number}, follow=True)
    assert response.status_code == 200 and b"did not say which question" in response.content
    assert db_game(str(game.public_id)).state == "question"


def test_an_unknown_control_is_404(hosting):
    host, game = hosting
    assert host.post(f"/live/{game.public_id}/host/explode/").status_code == 404


def test_the_pages_answer_returns_the_players_board_to_htmx(hosting):
    """The page's script posts the answer and swaps in the board at once (locked in), with no
    redirect; a second, different answer is refused with a message on the same board."""
    host, game = hosting
    ada, _bob = phone(game, "Ada"), phone(game, "Bob")
    host.post(f"/live/{game.public_id}/host/start/")
    right = keys_for(str(game.public_id), 1)
    wrong = keys_for(str(game.public_id), 1, correct=False)
    url = f"/live/{game.public_id}/play/answer/"
    first = ada.post(url, {"number": 1, "choice": right}, HTTP_HX_REQUEST="true")
    assert first.status_code == 200
    board = first.content.decode().strip()
    assert board.startswith('<article id="live-board"')
    locked = re.search(r'<p[^>]*data-testid="locked"[^>]*>', board).group(0)
    assert "hidden" not in locked
    assert re.search(r'<form[^>]*data-me="form"[^>]*hidden', board)
    assert_nothing_gives_the_key_away(board, game, 1)  # Bob has not answered: still open
    second = ada.post(url, {"number": 1, "choice": wrong}, HTTP_HX_REQUEST="true")
    assert "your first answer counts" in second.content.decode()
    bad = ada.post(url, {"number": "one"}, HTTP_HX_REQUEST="true")
    assert "did not say which question" in bad.content.decode()


def test_answers_from_the_page_are_rate_limited_per_seat(hosting, settings):
    settings.RATE_LIMITS = {**settings.RATE_LIMITS, "live_answer": "1/60"}
    host, game = hosting
    ada = phone(game, "Ada")
    host.post(f"/live/{game.public_id}/host/start/")
    keys = keys_for(str(game.public_id), 1)
    url = f"/live/{game.public_id}/play/answer/"
    assert ada.post(url, {"number": 1, "choice": keys}).status_code == 302
    refused = ada.post(url, {"number": 1, "choice": keys}, HTTP_HX_REQUEST="true")
    assert refused.status_code == 429 and "Too many requests" in refused.content.decode()
