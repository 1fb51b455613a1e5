"""Leaderboards: one row of tabs on a wide screen, a select on a phone."""

from __future__ import annotations

import pytest

from tests.browser.test_phone_width import PHONE, session_context

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]
ONE_ROW = """() => {
  const items = [...document.querySelectorAll('.board-tabs li')];
  return items.length > 3 && new Set(items.map((li) => li.offsetTop)).size === 1;
}"""


def test_tabs_stay_on_one_row_on_a_wide_screen(browser, live_server, world, small_bank):
    context = session_context(browser, live_server.url, world["learner"],
                              viewport={"width": 1280, "height": 800})
    page = context.new_page()
    page.goto("/skills/leaderboards/")
    assert page.evaluate(ONE_ROW)
    assert page.locator(".board-tabs").is_visible()
    assert not page.locator(".board-select").is_visible()
    context.close()


def test_a_phone_picks_the_board_from_a_select(browser, live_server, world, small_bank):
    context = session_context(browser, live_server.url, world["learner"], viewport=PHONE)
    page = context.new_page()
    page.goto("/skills/leaderboards/")
    assert not page.locator(".board-tabs").is_visible()
    select = page.get_by_label("Leaderboard", exact=True)
    options = select.locator("option").all()
    assert len(options) > 3
    target = options[-1].get_attribute("value")
    select.select_option(target)
    page.get_by_role("button", name="Show").tap()
    page.wait_for_url(f"**/skills/leaderboards/?kind={target}")
    assert page.get_by_label("Leaderboard", exact=True).input_value() == target
    context.close()
