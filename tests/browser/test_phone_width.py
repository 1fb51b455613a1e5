"""Every page fits a phone: at 390 x 844 nothing scrolls sideways (the page itself; wide tables
and artifacts scroll inside their own box)."""

from __future__ import annotations

import pytest
from django.test import Client

pytestmark = pytest.mark.browser
PHONE = {"width": 390, "height": 844}
# clientWidth, not innerWidth: in phone emulation Chromium widens the layout viewport to fit a
# page that is too wide, so innerWidth grows with it and hides the overflow.
OVERFLOW = "document.documentElement.scrollWidth - document.documentElement.clientWidth"


def session_context(browser, base_url, user, viewport=PHONE, **options):
    context = browser.new_context(base_url=base_url, viewport=viewport,
                                  **({"has_touch": True, "is_mobile": True}
                                     if viewport == PHONE else {}), **options)
    if user is not None:
        client = Client()
        client.force_login(user)
        context.add_cookies([{"name": "sessionid", "value": client.cookies["sessionid"].value,
                              "url": base_url}])
    return context


def _second_version(user, slug: str) -> None:
    """An edit of the question, so its version history has a diff to show: a long stem (long
    lines must wrap on a phone), a choice reworded, a resource added."""
    from apps.bank.models import Question
    from apps.curation.selectors import canonical_content
    from apps.curation.services import question_update

    question = Question.objects.get(slug=slug)
    item = canonical_content(question.current_version.content)
    item["stem"] = item["stem"].rstrip() + " " + "A much longer stem, " * 12 + \
        "with_a_very_long_identifier_that_does_not_break_anywhere_by_itself_at_all."
    item["choices"][-1]["text"] = "Reworded: " + item["choices"][-1]["text"]
    question_update(user=user, question=question, item=item)


def main_pages(world, bank) -> tuple[list[str], list[str], list[str]]:
    """The pages an instructor, a learner (their quiz and match) and a visitor see."""
    from apps.cohorts.services import cohort_create
    from apps.live.services import GameSpec, game_create
    from apps.matches.services import bot_match_create
    from apps.quiz.services import QuizSpec, quiz_start

    game = game_create(host=world["instructor"], spec=GameSpec(count=3)).public_id
    quiz = quiz_start(user=world["learner"], spec=QuizSpec(count=5)).public_id
    match = bot_match_create(user=world["learner"], level=1).public_id
    cohort = cohort_create(owner=world["instructor"], name="A cohort with a rather long name")
    question = bank.created[0]
    _second_version(world["instructor"], question)
    instructor = [
        "/", "/bank/resources/", "/bank/topics/", "/accounts/settings/", "/quiz/new/",
        "/quiz/history/", "/play/", "/play/history/", "/skills/", "/skills/leaderboards/",
        "/curation/", "/curation/new/", f"/curation/q/{question}/",
        f"/curation/q/{question}/edit/", f"/curation/q/{question}/versions/",
        f"/curation/q/{question}/versions/?a=1&b=2", "/insights/?sort=facility&dir=asc",
        "/curation/reports/", "/curation/audit/", "/curation/atlas/", "/curation/my-reports/",
        "/packs/", "/insights/", f"/cohorts/{cohort.pk}/", "/cohorts/", "/cohorts/join/",
        "/cohorts/mine/", "/live/", "/live/new/", f"/live/{game}/host/", f"/live/{game}/report/"]
    learner = [f"/quiz/{quiz}/", f"/play/m/{match}/", "/skills/", "/cohorts/mine/"]
    anonymous = ["/", "/accounts/login/", "/accounts/signup/", "/live/", "/quiz/new/"]
    return instructor, learner, anonymous


def test_no_page_scrolls_sideways_on_a_phone(browser, live_server, world, small_bank):
    too_wide = {}
    signed_in, learner_pages, anonymous_pages = main_pages(world, small_bank)
    for user, paths in ((world["instructor"], signed_in + ["/api/docs/"]),
                        (world["learner"], learner_pages), (None, anonymous_pages)):
        context = session_context(browser, live_server.url, user)
        page = context.new_page()
        for path in paths:
            response = page.goto(path)
            assert response.status == 200, (path, response.status)
            overflow = page.evaluate(OVERFLOW)
            if overflow > 0:
                too_wide[f"{'anonymous' if user is None else user.username} {path}"] = overflow
        context.close()
    assert not too_wide, f"pages wider than a phone (px too wide): {too_wide}"


def test_the_instructors_navigation_fits_one_line_at_1280(browser, live_server, world):
    context = session_context(browser, live_server.url, world["instructor"],
                              viewport={"width": 1280, "height": 800})
    page = context.new_page()
    page.goto("/")
    tops = page.eval_on_selector_all("nav[aria-label=Main] li:not(.menu-toggle)",
                                     "items => items.map(li => li.getBoundingClientRect().top)")
    assert max(tops) - min(tops) < 10, f"the navigation wraps: rows start at {sorted(set(tops))}"
    right = page.eval_on_selector_all("nav[aria-label=Main] li",
                                      "items => Math.max(...items.map(li => "
                                      "li.getBoundingClientRect().right))")
    assert right <= 1280 - 16 and page.evaluate(OVERFLOW) <= 0, right
    context.close()


def test_on_a_phone_the_navigation_collapses_behind_a_menu_button(browser, live_server, world):
    context = session_context(browser, live_server.url, world["learner"])
    page = context.new_page()
    page.goto("/")
    menu = page.get_by_role("button", name="Menu")
    skills = page.get_by_role("navigation", name="Main").get_by_role("link", name="Skills")
    assert menu.is_visible() and menu.get_attribute("aria-expanded") == "false"
    assert not skills.is_visible()
    header = page.locator("header").bounding_box()
    assert header["height"] < 120, header  # one row: the brand and the button
    menu.tap()
    assert menu.get_attribute("aria-expanded") == "true" and skills.is_visible()
    skills.tap()
    page.get_by_role("heading", name="Your skills").wait_for()
    context.close()
    wide = session_context(browser, live_server.url, world["learner"],
                           viewport={"width": 1280, "height": 800})
    page = wide.new_page()
    page.goto("/")
    assert not page.get_by_role("button", name="Menu").is_visible()
    assert page.get_by_role("navigation", name="Main").get_by_role("link", name="Skills") \
        .is_visible()
    wide.close()
