from __future__ import annotations

import re

import pytest

from apps.quiz.models import QuizAttempt

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


WIRED = """() => {
  const card = document.querySelector('#quiz-card');
  const form = card && card.querySelector('form.choices');
  const data = form && form['htmx-internal-data'];
  return !!card && !card.matches('.htmx-added, .htmx-settling') && (!form || !!(data && data.initHash));
}"""


def test_a_learner_completes_a_quiz_with_the_keyboard_and_a_timeout(page, small_bank, world,
                                                                    settings):
    settings.QUIZ_DEFAULT_QUESTIONS = 5
    settings.PLAY_TIME_SCALE = 0.25  # 20 s questions last 5 s
    page.goto("/accounts/login/")
    page.get_by_label("Username").fill("learner")
    page.get_by_label("Password").fill("correct horse battery staple")
    page.get_by_role("main").get_by_role("button", name="Log in").click()
    page.get_by_role("button", name="Start a speed quiz").click()

    for number in range(1, 6):
        page.locator("#quiz-card").get_by_text(f"Question {number} of 5").wait_for()
        # A key pressed before htmx has wired the swapped-in card would submit the whole page
        # (the answer still counts, but the last one then lands on the results directly).
        page.wait_for_function(WIRED)
        card = page.locator("#quiz-card")
        if number == 3:
            # Let the clock run out: the page asks the server, which closes the question.
            card.get_by_role("heading", name=re.compile("Time's up")).wait_for(timeout=12000)
        else:
            if card.locator(".choice-check").count():  # a multiple-answer question
                page.keyboard.press("1")
                page.keyboard.press("2")
                page.keyboard.press("Enter")
            else:
                page.keyboard.press("1")
            card.get_by_role("heading", name=re.compile("Correct|Not quite")).wait_for()
        assert page.locator(".explanation").inner_text().strip()
        page.get_by_role("button", name=re.compile("Next question|See results")).click()

    page.get_by_role("heading", name="Your results").wait_for()
    assert re.search(r"\d of 5 correct", page.content())
    attempt = QuizAttempt.objects.get()
    assert attempt.state == "finished"
    assert attempt.questions.get(number=3).state == "missed"
    assert attempt.questions.filter(state="answered").count() == 4
    assert page.console_errors == []


def test_on_a_phone_the_verdict_is_in_view_and_focused_after_answering(browser, live_server,
                                                                        small_bank, world):
    """Review: after answering, focus jumped to "Next question" at the bottom of a long card and
    the verdict sat above the screen (3 of 3 questions on a phone)."""
    from tests.browser.test_phone_width import PHONE, session_context

    context = session_context(browser, live_server.url, world["learner"], viewport=PHONE)
    page = context.new_page()
    page.set_default_timeout(10_000)
    page.goto("/")
    page.get_by_role("button", name="Start a speed quiz").click()
    for number in (1, 2):
        page.locator("#quiz-card").get_by_text(f"Question {number} of").wait_for()
        page.wait_for_function(WIRED)
        card = page.locator("#quiz-card")
        if card.locator(".choice-check").count():
            card.locator(".choice-check input").first.check()
            card.get_by_role("button", name="Submit answer").click()
        else:
            card.locator("button.choice").first.tap()
        heading = card.locator(".result h2")
        heading.wait_for()
        page.wait_for_function("() => !!document.activeElement && document.activeElement"
                               ".matches('#quiz-card .result h2')")
        box = heading.bounding_box()
        assert 0 <= box["y"] and box["y"] + box["height"] <= PHONE["height"], box
        page.keyboard.press("Enter")  # Enter still moves on
    context.close()


def test_the_countdown_runs_to_the_servers_deadline_not_from_when_the_page_is_shown(
        page, small_bank, world):
    """A question's HTML shown 8 s after the server rendered it (a slow network, a retried
    request, a cached push) must count down from what is left now, not from what was left then:
    the page takes the deadline (rendered at + remaining) and the server's clock (the response's
    X-Server-Now-Ms), not the remaining time captured at render."""
    page.goto("/accounts/login/")
    page.get_by_label("Username").fill("learner")
    page.get_by_label("Password").fill("correct horse battery staple")
    page.get_by_role("main").get_by_role("button", name="Log in").click()

    def rendered_eight_seconds_ago(route):
        response = route.fetch()
        body = re.sub(r'(class="timer"[^>]*data-server-now-ms=")(\d+)',
                      lambda m: m.group(1) + str(int(m.group(2)) - 8000), response.text())
        route.fulfill(response=response, body=body)

    page.get_by_role("button", name="Start a speed quiz").click()
    page.locator("#quiz-card .timer").wait_for()
    # Routes do not see a redirect's target: reload the question's page through the route.
    page.route(re.compile(r"/quiz/[0-9a-f-]{36}/$"), rendered_eight_seconds_ago)
    page.reload()
    timer = page.locator("#quiz-card .timer")
    assert int(timer.get_attribute("data-remaining-ms")) > 17_000  # the server's render: ~20 s
    page.wait_for_function("""() => {
      const s = document.querySelector('#quiz-card .timer .seconds');
      return s && Number(s.textContent) <= 12 && Number(s.textContent) >= 9;
    }""", timeout=3000)
    assert page.console_errors == []


def test_on_a_phone_an_artifact_leaves_the_choices_within_reach(browser, live_server,
                                                                small_bank, world):
    """Review: artifacts pushed the choices below the fold while the timer ran. On a phone the
    artifact scrolls inside a shorter box and the first answer tile is on the first screen."""
    from tests.browser.test_phone_width import PHONE, session_context

    context = session_context(browser, live_server.url, world["learner"], viewport=PHONE)
    page = context.new_page()
    page.set_default_timeout(10_000)
    page.goto("/")
    page.get_by_role("button", name="Start a speed quiz").click()
    seen_artifact = False
    for number in range(1, 7):
        page.locator("#quiz-card").get_by_text(f"Question {number} of").wait_for()
        page.wait_for_function(WIRED)
        card = page.locator("#quiz-card")
        if card.locator("pre.artifact").count():
            seen_artifact = True
            page.evaluate("window.scrollTo(0, 0)")
            tile = card.locator(".answer-tiles .tile").first
            box = tile.bounding_box()
            assert box["y"] + min(box["height"], 48) <= PHONE["height"], box
            artifact = card.locator("pre.artifact")
            # A long artifact scrolls inside a box of at most a third of the screen.
            max_height = artifact.evaluate("el => parseFloat(getComputedStyle(el).maxHeight)")
            assert max_height <= PHONE["height"] / 3
            assert artifact.get_attribute("tabindex") == "0"  # and the keyboard can scroll it
            break
        if card.locator(".choice-check").count():
            card.locator(".choice-check input").first.check()
            card.get_by_role("button", name="Submit answer").click()
        else:
            card.locator("button.choice").first.tap()
        card.locator(".result h2").wait_for()
        page.get_by_role("button", name=re.compile("Next question|See results")).click()
    assert seen_artifact
    context.close()
