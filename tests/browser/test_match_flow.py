from __future__ import annotations

import re

import pytest

from apps.matches.models import Match
from tests.browser.conftest import CHROMIUM_ARGS  # noqa: F401  (same browser flags)
from tests.factories import PASSWORD

pytestmark = pytest.mark.browser


@pytest.fixture
def quick_matches(settings, small_bank):
    settings.MATCH_ROUNDS = 3
    settings.PLAY_TIME_SCALE = 0.4  # 15 s rounds last 6 s, pauses 1.6 s


def log_in(page, username):
    page.goto("/accounts/login/")
    page.get_by_label("Username").fill(username)
    page.get_by_label("Password").fill(PASSWORD)
    page.get_by_role("main").get_by_role("button", name="Log in").click()
    page.get_by_role("link", name=f"Settings for {username}").wait_for()


def answer(page, key):
    """Keyboard answer: a digit picks a single choice; multiple choice takes digits, then Enter."""
    if page.locator("#match-board .choice-check").count():
        page.keyboard.press("1")
        page.keyboard.press("2")
        page.keyboard.press("Enter")
    else:
        page.keyboard.press(key)


def test_two_browsers_play_a_whole_challenge_match(browser, world, quick_matches,
                                                   asgi_live_server):
    pages = []
    for username in ("learner", "other"):
        context = browser.new_context(base_url=asgi_live_server)
        page = context.new_page()
        page.set_default_timeout(15_000)
        log_in(page, username)
        pages.append(page)
    host, guest = pages

    host.goto("/play/")
    host.get_by_role("button", name="Create challenge").click()
    code = host.locator(".code").inner_text().strip()
    guest.goto(f"/play/c/{code}/")
    guest.get_by_role("button", name="Accept and play").click()
    for page in pages:  # the host's waiting page follows on its own
        page.wait_for_url(re.compile(r"/play/m/"))

    for number in (1, 2, 3):
        for page in pages:
            page.locator("#match-board").get_by_text(f"Round {number} of 3").wait_for()
        answer(host, "1")
        host.locator("#match-board").get_by_text("Answer locked in").wait_for()
        # The guest sees, live, that the host answered (not what).
        guest.locator("#match-board").get_by_text("answered ✔").wait_for()
        answer(guest, "2")
        if number < 3:  # the last round's close ends the match and shows the summary instead
            for page in pages:
                page.locator("#match-board .result h2").wait_for()
                assert page.locator("#match-board .explanation").inner_text().strip()

    for page in pages:
        page.locator(".match-end h2").wait_for()
        assert re.search(r"won|draw", page.locator(".match-end h2").inner_text(), re.I)
    match = Match.objects.get()
    assert match.state == "finished"
    assert match.rounds.filter(state="closed").count() == 3
    assert sum(p.score for p in match.players.all()) >= 0
    for page in pages:
        page.context.close()


def test_an_answer_clicked_offline_is_sent_when_the_network_returns(browser, world,
                                                                      quick_matches,
                                                                      asgi_live_server):
    """Review: after a network drop an answer clicked offline was lost silently (htmx:sendError
    only in the console). The page says so and sends it again, once, when the network is back."""
    from apps.matches.models import RoundAnswer

    context = browser.new_context(base_url=asgi_live_server)
    page = context.new_page()
    page.set_default_timeout(15_000)
    log_in(page, "learner")
    page.goto("/play/")
    page.get_by_role("button", name="Create challenge").click()
    code = page.locator(".code").inner_text().strip()
    guest = browser.new_context(base_url=asgi_live_server).new_page()
    guest.set_default_timeout(15_000)
    log_in(guest, "other")
    guest.goto(f"/play/c/{code}/")
    guest.get_by_role("button", name="Accept and play").click()
    page.wait_for_url(re.compile(r"/play/m/"))
    page.locator("#match-board").get_by_text("Round 1 of 3").wait_for()
    page.wait_for_timeout(300)
    context.set_offline(True)
    answer(page, "1")
    page.get_by_text("Your answer has not reached the server yet").wait_for()
    assert not RoundAnswer.objects.filter(player__user__username="learner").exists()
    context.set_offline(False)
    page.locator("#match-board").get_by_text("Answer locked in").wait_for()
    assert page.locator("#match-connection").is_hidden()
    assert RoundAnswer.objects.filter(player__user__username="learner").count() == 1
    context.close()
    guest.context.close()


def test_the_challenger_learns_of_the_acceptance_by_push_not_polling(browser, world,
                                                                      quick_matches,
                                                                      asgi_live_server):
    """Review: the challenger learned that the friend accepted only by polling every 2 s."""
    context = browser.new_context(base_url=asgi_live_server)
    page = context.new_page()
    page.set_default_timeout(15_000)
    log_in(page, "learner")
    page.goto("/play/")
    page.get_by_role("button", name="Create challenge").click()
    code = page.locator(".code").inner_text().strip()
    page.locator("html[data-challenge-push=on]").wait_for(state="attached")
    polls = []
    page.on("request", lambda r: polls.append(r.url) if f"/play/c/{code}/" in r.url else None)
    page.wait_for_timeout(2500)  # a poll would have fired by now
    guest = browser.new_context(base_url=asgi_live_server).new_page()
    guest.set_default_timeout(15_000)
    log_in(guest, "other")
    guest.goto(f"/play/c/{code}/")
    guest.get_by_role("button", name="Accept and play").click()
    page.wait_for_url(re.compile(r"/play/m/"))
    assert polls == [], polls
    context.close()
    guest.context.close()
