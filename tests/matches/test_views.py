from __future__ import annotations

import re

import pytest

from apps.matches.models import Match, QueueEntry
from tests.matches.conftest import current_round, keys
from tests.quiz.keyleak import ATTRIBUTE_MARKER

pytestmark = pytest.mark.django_db


def login(client, user):
    client.force_login(user)
    return client


def test_the_lobby_shows_rating_and_the_three_ways_to_play(client, bank, world):
    html = login(client, world["learner"]).get("/play/").content.decode()
    assert "1500" in html and "provisional" in html
    for text in ("Find a match", "Create challenge", "Play the bot"):
        assert text in html


def test_queueing_from_the_page_waits_then_pairs(client, bank, world):
    from django.test import Client

    a = login(client, world["learner"])
    assert a.post("/play/queue/join/").url == "/play/queue/"
    assert "Finding a match" in a.get("/play/queue/").content.decode()
    b = login(Client(), world["other_learner"])
    response = b.post("/play/queue/join/")
    match = Match.objects.get()
    assert response.url == f"/play/m/{match.public_id}/"
    status = a.get("/play/queue/", HTTP_HX_REQUEST="true")
    assert status.status_code == 204 and status["HX-Redirect"] == f"/play/m/{match.public_id}/"


def test_the_bot_is_offered_after_a_long_wait(client, bank, world, settings):
    settings.MATCH_QUEUE_BOT_OFFER_SECONDS = 0
    a = login(client, world["learner"])
    a.post("/play/queue/join/")
    assert "Practice against the bot" in a.get("/play/queue/").content.decode()
    response = a.post("/play/bot/", {"level": "2"})
    match = Match.objects.get(kind="bot")
    assert response.url == f"/play/m/{match.public_id}/"
    assert not QueueEntry.objects.exists()


def test_a_challenge_link_lets_a_friend_join(client, bank, world):
    from django.test import Client

    a = login(client, world["learner"])
    response = a.post("/play/challenge/")
    code = Match.objects.get().challenge_code
    assert response.url == f"/play/c/{code}/"
    page = a.get(response.url).content.decode()
    assert code in page and f"/play/c/{code}/" in page
    friend = login(Client(), world["other_learner"])
    assert "challenges you" in friend.get(f"/play/c/{code}/").content.decode()
    joined = friend.post(f"/play/c/{code}/accept/")
    match = Match.objects.get()
    assert match.state == "active" and joined.url == f"/play/m/{match.public_id}/"
    assert Client().get("/play/c/NOPE99/").status_code == 404


def test_the_match_page_never_shows_the_key_of_the_open_round(client, bank, world):
    from django.test import Client

    a = login(client, world["learner"])
    b = login(Client(), world["other_learner"])
    a.post("/play/queue/join/")
    b.post("/play/queue/join/")
    match = Match.objects.get()
    rnd = current_round(match)
    secrets = [rnd.version.explanation.strip()[:60]] + [
        c.misconception for c in rnd.version.choices.all() if c.misconception]
    url = f"/play/m/{match.public_id}/"
    responses = [a.get(url), a.get(url, HTTP_HX_REQUEST="true"),
                 a.post(url + "answer/", {"number": 1, "choice": keys(rnd)},
                        HTTP_HX_REQUEST="true"),
                 b.get(url), a.post(url + "tick/", HTTP_HX_REQUEST="true")]
    for response in responses:
        html = response.content.decode()
        assert response.status_code == 200
        for secret in secrets:
            assert secret not in html
        assert not ATTRIBUTE_MARKER.search(html)
    assert "Answer locked in" in responses[2].content.decode()
    assert "answered ✔" in responses[3].content.decode()
    closed = b.post(url + "answer/", {"number": 1, "choice": keys(rnd)}, HTTP_HX_REQUEST="true")
    assert rnd.version.explanation.strip()[:40] in closed.content.decode()


def test_outsiders_get_404_on_match_pages(client, bank, world):
    from django.test import Client

    a = login(client, world["learner"])
    a.post("/play/bot/", {"level": "1"})
    url = f"/play/m/{Match.objects.get().public_id}/"
    outsider = login(Client(), world["other_learner"])
    assert outsider.get(url).status_code == 404
    for action in ("answer/", "tick/", "claim/", "rematch/"):
        assert outsider.post(url + action, {"number": 1}).status_code == 404
    assert Client().get(url).status_code == 302  # anonymous: log in first


def test_a_finished_bot_match_offers_a_rematch(client, bank, world):
    from apps.matches.services import match_finish

    a = login(client, world["learner"])
    a.post("/play/bot/", {"level": "1"})
    match = Match.objects.get()
    match_finish(match_id=match.pk)
    html = a.get(f"/play/m/{match.public_id}/").content.decode()
    assert "Rematch" in html and "Review the questions" in html
    response = a.post(f"/play/m/{match.public_id}/rematch/")
    assert Match.objects.count() == 2 and response.status_code == 302


def test_a_bad_bot_level_is_refused_with_a_message(client, bank, world):
    a = login(client, world["learner"])
    response = a.post("/play/bot/", {"level": "eleven"}, follow=True)
    assert "level from 1 to 5" in response.content.decode()
    assert not Match.objects.exists()


def test_a_friend_types_the_challenge_code_in_the_lobby(client, world, bank):
    """Review: the lobby offered a code but had nowhere to type one."""
    from apps.matches.services import challenge_create

    match = challenge_create(user=world["learner"])
    client.force_login(world["other_learner"])
    lobby = client.get("/play/").content.decode()
    assert 'name="code"' in lobby and "/play/challenge/enter/" in lobby
    typed = f"  {match.challenge_code.lower()[:3]} {match.challenge_code.lower()[3:]} "
    response = client.get("/play/challenge/enter/", {"code": typed})
    assert response.status_code == 302
    assert response["Location"] == f"/play/c/{match.challenge_code}/"
    assert "Accept and play" in client.get(response["Location"]).content.decode()
    for bad in ("", "!!", "x" * 13):
        refused = client.get("/play/challenge/enter/", {"code": bad}, follow=True)
        assert refused.redirect_chain[-1][0] == "/play/"
        assert "4 to 12 letters and digits" in refused.content.decode()
    unknown = client.get("/play/challenge/enter/", {"code": "ZZZZZZ"}, follow=True)
    assert unknown.status_code == 404


def test_the_last_round_is_revealed_and_a_timeout_says_times_up(client, bank, world, settings):
    """Review: the last round skipped its reveal (straight to the end screen), and a player who
    let the time run out was told "Not this time"."""
    from apps.matches.services import challenge_accept, challenge_create, match_answer
    from tests.matches.conftest import fast_forward

    settings.MATCH_ROUNDS = 2
    match = challenge_create(user=world["learner"])
    match = challenge_accept(code=match.challenge_code, user=world["other_learner"])
    login(client, world["learner"])
    fast_forward(match)  # round 1: nobody answers before the deadline
    page = client.get(f"/play/m/{match.public_id}/").content.decode()
    assert "Time&#x27;s up" in page or "Time's up" in page
    assert "Not this time" not in page
    # The pause between rounds is a visible countdown, run to the server's deadline.
    assert re.search(r'data-next-ms="\d+">Next round in <span class="next-seconds">\d+</span> s', page)
    fast_forward(match)  # the pause ends: round 2 opens
    rnd = current_round(match)
    assert rnd.number == 2
    for user in (world["learner"], world["other_learner"]):
        match_answer(match=match, user=user, number=2, keys=keys(rnd))
    match.refresh_from_db()
    assert match.state == Match.State.FINISHED
    page = client.get(f"/play/m/{match.public_id}/").content.decode()
    assert "Last round" in page and 'data-testid="round-result"' in page
    assert page.index("Last round") < page.index('class="match-end"')
    assert ">Correct <small>" in page


def test_the_end_screen_shows_the_rating_change_with_its_sign(client, bank, world, settings):
    from django.test import Client

    from apps.matches.services import match_answer, queue_join

    settings.MATCH_ROUNDS = 1
    queue_join(user=world["learner"])
    match = queue_join(user=world["other_learner"])  # paired from the queue: a rated match
    rnd = current_round(match)
    match_answer(match=match, user=world["learner"], number=1, keys=keys(rnd))
    match_answer(match=match, user=world["other_learner"], number=1, keys=keys(rnd, correct=False))
    match.refresh_from_db()
    assert match.state == Match.State.FINISHED and match.ranked
    winner = login(client, world["learner"]).get(f"/play/m/{match.public_id}/").content.decode()
    podium = winner[winner.index('class="match-podium"'):]
    assert re.search(r'class="first"><span class="place">1st</span> <strong>learner</strong>',
                     podium)
    assert re.search(r'class="second"><span class="place">2nd</span> <strong>other</strong>',
                     podium)
    assert re.search(r'class="rating-after">\d+</strong> <span class="rating-up">\(\+\d+\)', winner)
    loser = login(Client(), world["other_learner"]).get(f"/play/m/{match.public_id}/")
    assert re.search(r'<span class="rating-down">\(-\d+\)', loser.content.decode())


def _finished_pair(world, settings):
    from apps.matches.services import match_answer, queue_join

    settings.MATCH_ROUNDS = 1
    queue_join(user=world["learner"])
    match = queue_join(user=world["other_learner"])
    rnd = current_round(match)
    for user in (world["learner"], world["other_learner"]):
        match_answer(match=match, user=user, number=1, keys=keys(rnd))
    match.refresh_from_db()
    assert match.state == Match.State.FINISHED
    return match


def test_a_rematch_starts_only_when_both_players_ask(client, bank, world, settings):
    from django.test import Client

    match = _finished_pair(world, settings)
    url = f"/play/m/{match.public_id}/"
    a = login(client, world["learner"])
    b = login(Client(), world["other_learner"])
    assert "Accept the rematch" not in b.get(url).content.decode()

    offered = a.post(url + "rematch/")
    match.refresh_from_db()
    offer = match.rematch
    assert offer is not None and offer.state == Match.State.WAITING and not offer.ranked
    assert offered.url == f"/play/c/{offer.challenge_code}/"
    assert a.post(url + "rematch/").url == offered.url  # asking again: the same offer
    assert Match.objects.count() == 2
    assert "Rematch offered: waiting for" in a.get(url).content.decode()
    page_b = b.get(url).content.decode()
    assert "wants a rematch" in page_b and "Accept the rematch" in page_b
    assert offer.challenge_code not in page_b  # the other player accepts here, not by code

    accepted = b.post(url + "rematch/")
    offer.refresh_from_db()
    assert offer.state == Match.State.ACTIVE
    assert accepted.url == f"/play/m/{offer.public_id}/"
    assert set(offer.players.values_list("user__username", flat=True)) == {"learner", "other"}
    for who in (a, b):
        assert f'href="/play/m/{offer.public_id}/"' in who.get(url).content.decode()
        assert who.post(url + "rematch/").url == f"/play/m/{offer.public_id}/"
    assert Match.objects.count() == 2


def test_a_rematch_is_refused_before_the_end_and_to_outsiders(client, bank, world):
    from apps.matches.services import queue_join

    queue_join(user=world["learner"])
    match = queue_join(user=world["other_learner"])
    a = login(client, world["learner"])
    response = a.post(f"/play/m/{match.public_id}/rematch/")
    assert response.status_code == 302
    match.refresh_from_db()
    assert match.rematch is None and Match.objects.count() == 1
    messages = [m.message for m in response.wsgi_request._messages]
    assert "once this match is over" in " ".join(messages)
