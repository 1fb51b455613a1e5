"""Game feel: colour + shape + number tiles, progress, the verdict's reveal, an optional sound
that is off by default and remembered, and no motion under prefers-reduced-motion."""

from __future__ import annotations

import re

import pytest

from tests.browser.test_quiz_flow import WIRED

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def _log_in_and_start(page):
    page.goto("/accounts/login/")
    page.get_by_label("Username").fill("learner")
    page.get_by_label("Password").fill("correct horse battery staple")
    page.get_by_role("main").get_by_role("button", name="Log in").click()
    page.get_by_role("button", name="Start a speed quiz").click()
    page.locator("#quiz-card .timer").wait_for()
    # A key pressed before htmx has wired the card would submit the whole page.
    page.wait_for_function(WIRED)


def test_quiz_tiles_progress_and_reveal(page, small_bank, world):
    _log_in_and_start(page)
    tiles = page.locator("#quiz-card .answer-tiles .tile")
    assert tiles.count() >= 2
    first = tiles.first
    assert first.locator(".shape").inner_text() == "▲" and first.locator("kbd").inner_text() == "1"
    colours = {tiles.nth(i).evaluate("el => getComputedStyle(el).backgroundColor")
               for i in range(tiles.count())}
    assert len(colours) == tiles.count()  # every tile its own colour, besides shape and number
    # The countdown ring empties with the time left.
    page.wait_for_function("""() => {
      const box = document.querySelector('#quiz-card .timer');
      const left = parseFloat(box.style.getPropertyValue('--left'));
      return left > 0.5 && left < 0.99;
    }""")
    progress = page.locator("#quiz-card .quiz-progress")
    assert progress.get_attribute("value") == "0"
    assert re.match(r"Progress: question 1 of \d+", progress.get_attribute("aria-label"))
    if page.locator("#quiz-card .choice-check").count():
        page.keyboard.press("1")
        page.keyboard.press("Enter")
    else:
        page.keyboard.press("1")
    verdict = page.locator("#quiz-card .result")
    verdict.wait_for()
    assert verdict.evaluate("el => getComputedStyle(el).animationName") == "verdict-in"
    assert page.locator("#quiz-card .quiz-progress").get_attribute("value") == "1"
    assert page.console_errors == []


def test_no_motion_under_reduced_motion(browser, live_server, small_bank, world):
    context = browser.new_context(base_url=live_server.url, reduced_motion="reduce")
    page = context.new_page()
    page.set_default_timeout(10_000)
    _log_in_and_start(page)
    page.keyboard.press("1")
    if page.locator("#quiz-card .choice-check").count():
        page.keyboard.press("Enter")
    verdict = page.locator("#quiz-card .result")
    verdict.wait_for()
    assert verdict.evaluate("el => getComputedStyle(el).animationName") == "none"
    context.close()


def test_sound_is_off_by_default_one_toggle_and_remembered(page, small_bank, world):
    page.goto("/")
    toggle = page.locator("#sound-toggle")
    toggle.wait_for()
    assert toggle.inner_text() == "Sound: off" and toggle.get_attribute("aria-pressed") == "false"
    toggle.click()
    assert toggle.inner_text() == "Sound: on" and toggle.get_attribute("aria-pressed") == "true"
    page.reload()
    toggle = page.locator("#sound-toggle")
    assert toggle.inner_text() == "Sound: on"
    toggle.click()
    page.reload()
    assert page.locator("#sound-toggle").inner_text() == "Sound: off"
    assert page.console_errors == []


def test_each_swap_moves_focus_to_its_heading_and_is_announced(page, small_bank, world):
    _log_in_and_start(page)
    page.keyboard.press("1")
    if page.locator("#quiz-card .choice-check").count():
        page.keyboard.press("Enter")
    page.locator("#quiz-card .result h2").wait_for()
    page.wait_for_function("""() => /^(Correct|Not quite|Time's up)/.test(
      document.getElementById('announcer').textContent)""")
    assert page.evaluate("document.activeElement.matches('.result h2')")
    page.get_by_role("button", name="Next question").click()
    page.get_by_role("heading", name=re.compile(r"Question 2 of \d+")).wait_for()
    page.wait_for_function(WIRED)
    page.wait_for_function("""() => /^Question 2 of \\d+$/.test(
      document.getElementById('announcer').textContent)""")
    assert page.evaluate("document.activeElement.classList.contains('question-number')")
    assert page.console_errors == []
