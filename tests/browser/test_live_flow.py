"""A whole live class game in browsers: a host on the projector and a room of three players, one
a visitor on a phone-sized screen, two signed in; a player and the host reload mid-game."""

from __future__ import annotations

import re

import pytest

from tests.factories import PASSWORD

pytestmark = pytest.mark.browser
PHONE = {"width": 390, "height": 844}


def log_in(page, username):
    page.goto("/accounts/login/")
    page.get_by_label("Username").fill(username)
    page.get_by_label("Password").fill(PASSWORD)
    page.get_by_role("main").get_by_role("button", name="Log in").click()
    page.get_by_role("link", name=f"Settings for {username}").wait_for()


def answer(page):
    """Tap the first tile (a single answer), or tick the first box and submit (multiple)."""
    board = page.locator("#live-board")
    board.locator(".answer-tiles").wait_for()
    if board.locator(".answer-tiles input[type=checkbox]").count():
        board.locator(".answer-tiles input[type=checkbox]").first.check()
        board.get_by_role("button", name="Submit answer").click()
    else:
        page.keyboard.press("1")
    page.locator("#live-board [data-testid=locked], #live-board [data-testid=verdict]").first \
        .wait_for()


@pytest.fixture(params=["push", "polling"])
def server_url(request, transactional_db):
    """Daphne with websockets (the pushes), and a WSGI server without them (the pages fall back
    to polling their board): the same game must play through on both."""
    if request.param == "push":
        return request.getfixturevalue("asgi_live_server"), True
    return request.getfixturevalue("live_server").url, False


def test_a_room_plays_a_whole_live_game(browser, world, small_bank, server_url):
    server_url, pushed = server_url
    polls: list[str] = []

    def open_page(viewport=None):
        context = browser.new_context(base_url=server_url,
                                      **({"viewport": viewport} if viewport else {}))
        page = context.new_page()
        page.set_default_timeout(15_000)
        return page

    host = open_page()
    log_in(host, "instructor")
    host.goto("/live/new/")
    host.get_by_label("Questions", exact=True).fill("3")
    host.get_by_role("button", name="Create the game").click()
    host.wait_for_url(re.compile(r"/live/.+/host/"))
    pin = host.get_by_test_id("pin").inner_text().strip()
    assert re.fullmatch(r"\d{6}", pin)

    ada = open_page(PHONE)
    ada.goto(f"/live/?pin={pin}")
    ada.get_by_label("Nickname").fill("Ada")
    ada.get_by_role("button", name="Join").click()
    ada.get_by_text("Waiting for the host").wait_for()
    players = [ada]
    for username in ("learner", "other"):
        page = open_page()
        log_in(page, username)
        page.goto("/live/")
        page.get_by_label("Game PIN").fill(pin)
        page.get_by_role("button", name="Join").click()
        page.get_by_text("Waiting for the host").wait_for()
        players.append(page)
    host.get_by_text("3 players").wait_for()  # the projector's lobby fills up by polling

    if pushed:
        for page in [host, *players]:
            page.locator("html[data-live-push=on]").wait_for(state="attached")
    ada.on("request", lambda r: polls.append(r.url) if "/play/?v=" in r.url else None)
    host.get_by_role("button", name="Start the game").click()
    for number in (1, 2, 3):
        for page in players:
            page.locator("#live-board").get_by_text(f"Question {number} of 3").wait_for()
        if number == 2:  # a player reloads mid-question: same seat, same score
            score = ada.get_by_test_id("my-score").inner_text()
            ada.reload()
            if pushed:
                ada.locator("html[data-live-push=on]").wait_for(state="attached")
            assert ada.get_by_test_id("my-score").inner_text() == score
            assert ada.locator("#live-board").get_by_text("Ada").count()
        for page in players:
            answer(page)
        for page in players:  # the last answer closes the question for the whole room
            page.get_by_test_id("verdict").wait_for()
            verdict = page.get_by_test_id("verdict").inner_text()
            assert re.match(r"(Correct|Not this time|Time's up) \+\d+", verdict), verdict
        if number == 2:  # the host reloads: the server kept the game going
            host.reload()
        host.get_by_test_id("count").first.wait_for()
        button = "Show the podium" if number == 3 else "Next question"
        host.get_by_role("button", name=button).click()

    host.get_by_text("Podium").wait_for()
    if pushed:  # the boards came by push; polling stayed quiet (a reload may poll once)
        assert len(polls) <= 1, polls
    else:
        assert polls
    for page in players:
        page.get_by_text("Game over").wait_for()
    overflow = ada.evaluate("document.documentElement.scrollWidth - window.innerWidth")
    assert overflow <= 0, f"the phone screen scrolls sideways by {overflow}px"
    host.get_by_text("The game's report").click()
    host.get_by_role("rowheader", name="learner").wait_for()
    assert host.get_by_role("rowheader", name="Ada").count() == 1
