"""The hands-on types in the browser (issue 19): a learner plays "find the line" and "order the
steps" with the keyboard alone on a desktop, and with touch on a phone, without sideways
scrolling; the key is never in the page before the answer."""

from __future__ import annotations

import re

import pytest

from apps.quiz.models import QuizAttempt
from tests.browser.test_phone_width import OVERFLOW, PHONE, session_context
from tests.browser.test_quiz_flow import WIRED

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]
DESKTOP = {"width": 1280, "height": 800}


def _current(attempt: QuizAttempt):
    attempt.refresh_from_db()
    return attempt.questions.select_related("version").get(number=attempt.current_number)


def _answer_keys(aq) -> list[str]:
    """The key lines' opaque keys, or every step's key in the right order."""
    key_of = dict(zip(aq.choice_order, aq.choice_keys, strict=True))
    if aq.version.type == "ordering":
        return [key_of[p] for p in sorted(key_of)]
    correct = {c.position for c in aq.version.choices.all() if c.is_correct}
    return [key_of[p] for p in sorted(key_of) if p in correct]


def _shown_order(card) -> list[str]:
    return card.locator(".order-step").evaluate_all("els => els.map(e => e.dataset.key)")


def _play(page, *, touch: bool) -> set[str]:
    page.goto("/")
    page.get_by_role("button", name="Start a speed quiz").click()
    attempt = None
    played = set()
    for number in range(1, 6):
        card = page.locator("#quiz-card")
        card.get_by_text(f"Question {number} of 5").wait_for()
        page.wait_for_function(WIRED)
        attempt = attempt or QuizAttempt.objects.latest("pk")
        aq = _current(attempt)
        played.add(aq.version.type)
        html = page.content()
        assert aq.version.explanation.strip()[:40] not in html
        want = _answer_keys(aq)
        if aq.version.type == "hotspot":
            inputs = card.locator(".hotspot-lines input")
            values = inputs.evaluate_all("els => els.map(e => e.value)")
            assert inputs.count() == aq.version.choices.count()
            if touch:
                for key in want:
                    card.locator(f".hotspot-line:has(input[value='{key}'])").tap()
                card.get_by_role("button", name=re.compile("Submit line")).tap()
            else:
                inputs.first.focus()
                at = 0
                for key in want:  # ↓ to each key line, Space picks a checkbox
                    target = values.index(key)
                    for _ in range(target - at):
                        page.keyboard.press("ArrowDown")
                    at = target
                    if len(want) > 1:
                        page.keyboard.press("Space")
                if len(want) == 1 and at == 0:
                    page.keyboard.press("Space")  # the first line: a radio is picked by Space
                page.keyboard.press("Enter")
        else:
            assert _shown_order(card) != want  # never dealt already in order
            for place, key in enumerate(want):  # move each step up into its place
                while _shown_order(card).index(key) > place:
                    step = card.locator(f".order-step[data-key='{key}']")
                    if touch:
                        step.locator(".move-up").tap()
                    else:
                        step.focus()
                        page.keyboard.press("Alt+ArrowUp")
            assert _shown_order(card) == want
            if touch:
                card.get_by_role("button", name="Submit order").tap()
            else:
                card.locator(".order-step").first.focus()
                page.keyboard.press("Enter")
        card.get_by_role("heading", name=re.compile("Correct")).wait_for()
        assert page.evaluate(OVERFLOW) <= 0, f"question {number} scrolls sideways"
        page.get_by_role("button", name=re.compile("Next question|See results")).click()
    page.get_by_role("heading", name="Your results").wait_for()
    assert "5 of 5 correct" in page.content()
    return played


def test_a_learner_plays_both_types_with_the_keyboard(browser, live_server, hands_on_bank, world,
                                                      settings):
    settings.QUIZ_DEFAULT_QUESTIONS = 5
    context = session_context(browser, live_server.url, world["learner"], viewport=DESKTOP)
    page = context.new_page()
    page.set_default_timeout(10_000)
    errors: list[str] = []
    page.on("console", lambda msg: errors.append(msg.text) if msg.type == "error" else None)
    assert _play(page, touch=False) == {"hotspot", "ordering"}
    assert errors == []
    context.close()


def test_a_learner_plays_both_types_by_touch_on_a_phone(browser, live_server, hands_on_bank, world,
                                                        settings):
    settings.QUIZ_DEFAULT_QUESTIONS = 5
    context = session_context(browser, live_server.url, world["learner"], viewport=PHONE)
    page = context.new_page()
    page.set_default_timeout(10_000)
    assert _play(page, touch=True) == {"hotspot", "ordering"}
    context.close()
