"""The screenshot tour (`make screenshots`): a seeded demo served as in the browser tests, and
PNGs of the main pages at a desktop and a phone size in screenshots/ (gitignored).

Not a test file (its name does not match test_*.py, so `make test` never collects it): run it
with `pytest tests/browser/screenshots.py`. It fails if a page of the tour does not load.
"""

from __future__ import annotations

import os
import re
from pathlib import Path

import pytest

from tests.browser.test_phone_width import PHONE, _second_version, session_context
from tests.browser.test_quiz_flow import WIRED

pytestmark = [pytest.mark.browser, pytest.mark.screenshots]
OUT = Path(os.environ.get("SCREENSHOTS_DIR") or Path(__file__).resolve().parents[2] / "screenshots")
SIZES = {"desktop": {"width": 1280, "height": 800}, "phone": PHONE}


def _finish_quiz(user, *, right: int, attempt=None) -> None:
    """Play a five-question quiz of `user` (a new one, or `attempt`) to its end, the first
    `right` of its questions answered correctly."""
    from apps.quiz.services import QuizSpec, quiz_answer, quiz_next, quiz_start
    from tests.quiz.conftest import current, key_of

    attempt = attempt or quiz_start(user=user, spec=QuizSpec(count=5))
    for n in range(attempt.question_count):
        aq = current(attempt)
        if not aq.is_closed:
            keys = key_of(aq, correct=True) if n < right else key_of(aq, correct=False)[:1]
            quiz_answer(attempt=attempt, number=aq.number, keys=keys)
        quiz_next(attempt=attempt, number=aq.number)


@pytest.fixture
def demo(world, small_bank):
    """Learners with answers (item analysis, dashboard, cohort), a question with two versions,
    a cohort with members."""
    from apps.cohorts.services import cohort_create, cohort_join
    from tests.factories import UserFactory

    learners = [world["learner"], world["other_learner"]] + [
        UserFactory(username=name) for name in ("ada", "grace", "linus", "barbara", "ken")]
    for i, user in enumerate(learners):
        _finish_quiz(user, right=(i * 2 + 1) % 6)
    _finish_quiz(world["learner"], right=4)
    slug = small_bank.created[0]
    _second_version(world["instructor"], slug)
    cohort = cohort_create(owner=world["instructor"], name="Supply-chain security, spring")
    for user in learners[:5]:
        cohort_join(user=user, code=cohort.join_code)
    return {"question": slug, "cohort": cohort.pk}


@pytest.fixture
def demo_settings(settings):
    """Before the server forks: flag items from five answers (the demo has a handful)."""
    settings.INSIGHTS_MIN_ANSWERS = 5
    return settings


class Tour:
    def __init__(self):
        self.taken: list[Path] = []

    def shot(self, page, name: str, size: str) -> None:
        page.wait_for_load_state("load")
        path = OUT / f"{name}-{size}.png"
        page.screenshot(path=str(path), full_page=True)
        self.taken.append(path)


def test_screenshot_tour(demo_settings, browser, asgi_live_server, world, demo):
    from apps.live.services import GameSpec, game_create
    from apps.matches.services import bot_match_create
    from apps.quiz.services import QuizSpec, quiz_start

    OUT.mkdir(exist_ok=True)
    tour = Tour()
    base = asgi_live_server
    for size, viewport in SIZES.items():
        anonymous = session_context(browser, base, None, viewport=viewport)
        page = anonymous.new_page()
        for name, path in (("home-visitor", "/"), ("login", "/accounts/login/")):
            assert page.goto(path).status == 200, path
            tour.shot(page, name, size)
        anonymous.close()

        learner = session_context(browser, base, world["learner"], viewport=viewport)
        page = learner.new_page()
        page.set_default_timeout(15_000)
        for name, path in (("home-learner", "/"), ("dashboard", "/skills/"),
                           ("cohorts-mine", "/cohorts/mine/")):
            assert page.goto(path).status == 200, path
            tour.shot(page, name, size)
        attempt = quiz_start(user=world["learner"], spec=QuizSpec(count=5))
        page.goto(f"/quiz/{attempt.public_id}/")
        page.wait_for_function(WIRED)
        tour.shot(page, "quiz-question", size)
        if page.locator("#quiz-card .choice-check").count():  # a multiple-answer question
            page.keyboard.press("1")
            page.keyboard.press("2")
            page.keyboard.press("Enter")
        else:
            page.keyboard.press("1")
        page.locator("#quiz-card").get_by_role(
            "heading", name=re.compile("Correct|Not quite")).wait_for()
        page.wait_for_timeout(600)  # the reveal animation
        tour.shot(page, "quiz-verdict", size)
        learner.close()
        _finish_quiz(world["learner"], right=3, attempt=attempt)

        # A learner plays one match at a time, and not on questions of an unfinished quiz:
        # each size has a match of its own, played by another learner.
        from django.contrib.auth import get_user_model

        player = get_user_model().objects.get(username="ada" if size == "desktop" else "grace")
        match = bot_match_create(user=player, level=2)
        context = session_context(browser, base, player, viewport=viewport)
        page = context.new_page()
        page.set_default_timeout(15_000)
        page.goto(f"/play/m/{match.public_id}/")
        page.locator("#match-board").get_by_text(re.compile(r"Round 1 of \d+")).wait_for()
        tour.shot(page, "match-round", size)
        context.close()

        game = game_create(host=world["instructor"], spec=GameSpec(count=3))
        host_context = session_context(browser, base, world["instructor"], viewport=viewport)
        host = host_context.new_page()
        host.set_default_timeout(15_000)
        host.goto(f"/live/{game.public_id}/host/")
        player_context = session_context(browser, base, None, viewport=viewport)
        player = player_context.new_page()
        player.set_default_timeout(15_000)
        player.goto(f"/live/?pin={game.pin}")
        player.get_by_label("Nickname").fill("Ada")
        player.get_by_role("button", name="Join").click()
        player.get_by_text("Waiting for the host").wait_for()
        host.get_by_text("1 player").wait_for()
        tour.shot(host, "live-host-lobby", size)
        tour.shot(player, "live-player-lobby", size)
        host.get_by_role("button", name="Start the game").click()
        player.locator("#live-board").get_by_text("Question 1 of 3").wait_for()
        host.locator("#live-board, main").get_by_text("Question 1 of 3").first.wait_for()
        tour.shot(host, "live-host-question", size)
        tour.shot(player, "live-player-question", size)
        host_context.close()
        player_context.close()

        instructor = session_context(browser, base, world["instructor"], viewport=viewport)
        page = instructor.new_page()
        question = demo["question"]
        for name, path in (("home-instructor", "/"), ("curation-list", "/curation/"),
                           ("curation-editor", f"/curation/q/{question}/edit/"),
                           ("curation-versions", f"/curation/q/{question}/versions/"),
                           ("curation-question", f"/curation/q/{question}/"),
                           ("item-analysis", "/insights/"),
                           ("cohort", f"/cohorts/{demo['cohort']}/")):
            assert page.goto(path).status == 200, path
            if name == "curation-editor":
                page.locator("#preview .preview-card").wait_for()
            tour.shot(page, name, size)
        # The editor scrolled halfway down: its preview stays beside the form.
        page.goto(f"/curation/q/{question}/edit/")
        page.locator("#preview .preview-card").wait_for()
        page.get_by_role("group", name="Resources").scroll_into_view_if_needed()
        path = OUT / f"curation-editor-scrolled-{size}.png"
        page.screenshot(path=str(path))
        tour.taken.append(path)
        instructor.close()

    print(f"\n{len(tour.taken)} screenshots in {OUT}:")
    for path in tour.taken:
        print(f"  {path.name}")
    assert all(p.stat().st_size > 0 for p in tour.taken)


def test_screenshot_hands_on_types(browser, asgi_live_server, world, hands_on_bank):
    """"Find the line" and "order the steps" (issue 19): open, then closed after a partly wrong
    answer (a tempting line picked beside the key; two steps swapped), at both sizes, and the
    editor of each."""
    from apps.quiz.models import QuizAttempt
    from apps.quiz.services import QuizSpec, quiz_start

    OUT.mkdir(exist_ok=True)
    tour = Tour()
    for size, viewport in SIZES.items():
        attempt = quiz_start(user=world["learner"], spec=QuizSpec(count=5, mode="accuracy"))
        context = session_context(browser, asgi_live_server, world["learner"], viewport=viewport)
        page = context.new_page()
        page.set_default_timeout(15_000)
        page.goto(f"/quiz/{attempt.public_id}/")
        shot = {"hotspot": 0, "ordering": 0}
        for number in range(1, 6):
            card = page.locator("#quiz-card")
            card.get_by_text(f"Question {number} of 5").wait_for()
            page.wait_for_function(WIRED)
            attempt = QuizAttempt.objects.get(pk=attempt.pk)
            aq = attempt.questions.select_related("version").get(number=number)
            kind = aq.version.type
            first = shot[kind] == 0
            if first:
                tour.shot(page, f"{kind}-question", size)
            if kind == "hotspot":
                noted = next(c.position for c in aq.version.choices.all() if c.misconception)
                card.locator(".hotspot-line").nth(noted).click()
                card.get_by_role("button", name=re.compile("Submit line")).click()
            else:
                card.locator(".order-step").nth(1).locator(".move-up").click()
                card.get_by_role("button", name="Submit order").click()
            card.locator(".result h2").wait_for()
            page.wait_for_timeout(600)  # the reveal animation
            if first:
                tour.shot(page, f"{kind}-verdict", size)
            shot[kind] += 1
            page.get_by_role("button", name=re.compile("Next question|See results")).click()
        context.close()
        instructor = session_context(browser, asgi_live_server, world["instructor"],
                                     viewport=viewport)
        page = instructor.new_page()
        for kind, slug in (("hotspot", "serialization-fixture-find-the-call"),
                           ("ordering", "hub-risks-fixture-response-order")):
            page.goto(f"/curation/q/{slug}/edit/")
            page.locator("#preview .preview-card").wait_for()
            tour.shot(page, f"{kind}-editor", size)
        instructor.close()
    print(f"\n{len(tour.taken)} screenshots in {OUT}:")
    for path in tour.taken:
        print(f"  {path.name}")
    assert all(p.stat().st_size > 0 for p in tour.taken)
