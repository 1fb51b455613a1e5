"""Every page fits a phone: at 390 x 844 nothing scrolls sideways (the page itself; wide tables
and artifacts scroll inside their own box)."""

from __future__ import annotations

import pytest
from django.test import Client

pytestmark = pytest.mark.browser
PHONE = {"width": 390, "height": 844}
OVERFLOW = "document.documentElement.scrollWidth - window.innerWidth"


def session_context(browser, base_url, user):
    client = Client()
    client.force_login(user)
    context = browser.new_context(base_url=base_url, viewport=PHONE, has_touch=True,
                                  is_mobile=True)
    context.add_cookies([{"name": "sessionid", "value": client.cookies["sessionid"].value,
                          "url": base_url}])
    return context


def test_no_page_scrolls_sideways_on_a_phone(browser, live_server, world, small_bank):
    from apps.cohorts.services import cohort_create
    from apps.live.services import GameSpec, game_create
    from apps.matches.services import bot_match_create
    from apps.quiz.services import QuizSpec, quiz_start

    game = game_create(host=world["instructor"], spec=GameSpec(count=3)).public_id
    quiz = quiz_start(user=world["learner"], spec=QuizSpec(count=5)).public_id
    match = bot_match_create(user=world["learner"], level=1).public_id
    cohort = cohort_create(owner=world["instructor"], name="A cohort with a rather long name")
    question = small_bank.created[0]
    pages = ["/", "/bank/resources/", "/bank/topics/", "/accounts/settings/", "/quiz/new/",
             "/quiz/history/", "/play/", "/play/history/",
             "/skills/", "/skills/leaderboards/", "/curation/", "/curation/new/",
             f"/curation/q/{question}/", f"/curation/q/{question}/edit/",
             f"/curation/q/{question}/versions/", "/curation/reports/", "/curation/audit/",
             "/curation/atlas/", "/curation/my-reports/", "/packs/", "/insights/",
             f"/cohorts/{cohort.pk}/", "/cohorts/", "/cohorts/join/", "/cohorts/mine/", "/live/",
             "/live/new/", f"/live/{game}/host/", f"/live/{game}/report/", "/api/docs/"]
    context = session_context(browser, live_server.url, world["instructor"])
    page = context.new_page()
    too_wide = {}
    for path in pages:
        response = page.goto(path)
        assert response.status == 200, (path, response.status)
        overflow = page.evaluate(OVERFLOW)
        if overflow > 0:
            too_wide[path] = overflow
    learner = session_context(browser, live_server.url, world["learner"]).new_page()
    for path in (f"/quiz/{quiz}/", f"/play/m/{match}/", "/skills/", "/cohorts/mine/"):
        assert learner.goto(path).status == 200, path
        overflow = learner.evaluate(OVERFLOW)
        if overflow > 0:
            too_wide["learner " + path] = overflow
    anonymous = browser.new_context(base_url=live_server.url, viewport=PHONE).new_page()
    for path in ("/", "/accounts/login/", "/accounts/signup/", "/live/", "/quiz/new/"):
        anonymous.goto(path)
        overflow = anonymous.evaluate(OVERFLOW)
        if overflow > 0:
            too_wide["anonymous " + path] = overflow
    assert not too_wide, f"pages wider than a phone (px too wide): {too_wide}"
