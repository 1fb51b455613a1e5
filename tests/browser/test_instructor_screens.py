"""Instructor screens in a browser: the version diff wraps on a phone, the editor's preview
stays in view down a long form, and item analysis sorts from its column headers."""

from __future__ import annotations

import pytest

from tests.browser.test_phone_width import OVERFLOW, PHONE, _second_version, session_context

pytestmark = pytest.mark.browser
DESKTOP = {"width": 1280, "height": 800}
# In phone emulation (is_mobile) Chromium widens the layout viewport to fit a too-wide page, so
# window.innerWidth grows with it; the document's clientWidth stays the screen's width.


@pytest.fixture
def question(world, small_bank):
    slug = small_bank.created[0]
    _second_version(world["instructor"], slug)
    return slug


@pytest.mark.parametrize("viewport", [DESKTOP, PHONE], ids=["desktop", "phone"])
def test_the_version_diff_marks_changes_and_wraps_long_lines(browser, live_server, world,
                                                             question, viewport):
    context = session_context(browser, live_server.url, world["instructor"], viewport=viewport)
    page = context.new_page()
    page.goto(f"/curation/q/{question}/versions/")
    page.get_by_role("heading", name="Changes from v1 to v2").wait_for()
    stem = page.locator(".diff-text[data-field=stem]")
    added = stem.locator("ins").text_content()
    assert added.startswith("Added: +") and "with_a_very_long_identifier" in added
    assert page.locator(".diff-text[data-field=choices] ins").text_content().replace(
        " ", "") == "Added:+Reworded:"
    assert page.evaluate(OVERFLOW) <= 0
    box = stem.evaluate("el => [el.scrollWidth, el.clientWidth, el.scrollHeight]")
    assert box[0] <= box[1], f"the diff scrolls sideways: {box}"
    assert box[2] > 100  # the long line wrapped onto several lines
    # Removed and added text differ by more than colour: struck through and underlined.
    decorations = page.evaluate("""() => ['del', 'ins'].map(tag => getComputedStyle(
        document.querySelector('.version-diff ' + tag)).textDecorationLine)""")
    assert decorations == ["line-through", "underline"]
    context.close()


def test_the_editor_preview_stays_in_view_down_a_long_form(browser, live_server, world,
                                                           question):
    context = session_context(browser, live_server.url, world["instructor"], viewport=DESKTOP)
    page = context.new_page()
    page.goto(f"/curation/q/{question}/edit/")
    page.locator("#preview .preview-card").wait_for()
    height = page.locator("#question-form").evaluate("el => el.offsetHeight")
    assert height > 2 * 800  # the form is much longer than the screen
    page.get_by_role("group", name="Resources").scroll_into_view_if_needed()  # well down it
    assert page.evaluate("window.scrollY") > 800
    top, bottom = page.locator("#preview").evaluate(
        "el => [el.getBoundingClientRect().top, el.getBoundingClientRect().bottom]")
    assert 0 <= top < 100 and bottom <= 800, (top, bottom)
    context.close()

    context = session_context(browser, live_server.url, world["instructor"], viewport=PHONE)
    page = context.new_page()
    page.goto(f"/curation/q/{question}/edit/")
    page.locator("#preview .preview-card").wait_for()
    form, preview = (page.locator(sel).evaluate("el => el.getBoundingClientRect().toJSON()")
                     for sel in ("#question-form", "#preview"))
    assert preview["top"] >= form["bottom"], "on a phone the preview comes after the form"
    context.close()


def test_item_analysis_sorts_from_its_column_headers(browser, live_server, world, small_bank):
    context = session_context(browser, live_server.url, world["instructor"], viewport=DESKTOP)
    page = context.new_page()
    page.goto("/insights/")
    header = page.get_by_role("columnheader", name="Needs attention")
    assert header.get_attribute("aria-sort") == "descending"
    page.get_by_role("link", name="Question", exact=True).click()
    page.wait_for_url("**/insights/?sort=question&dir=asc")
    assert page.get_by_role("columnheader", name="Question").get_attribute(
        "aria-sort") == "ascending"
    slugs = page.locator("tbody td:first-child").all_inner_texts()
    assert slugs == sorted(slugs) and len(slugs) == len(small_bank.created)
    page.get_by_role("link", name="Question", exact=True).click()
    page.wait_for_url("**/insights/?sort=question&dir=desc")
    assert page.locator("tbody td:first-child").all_inner_texts() == sorted(slugs, reverse=True)
    context.close()


def test_no_instructor_page_is_wider_than_a_phone(browser, live_server, world, small_bank,
                                                 question):
    context = session_context(browser, live_server.url, world["instructor"])
    page = context.new_page()
    too_wide = {}
    for path in ("/curation/", "/curation/new/", f"/curation/q/{question}/",
                 f"/curation/q/{question}/edit/", f"/curation/q/{question}/versions/",
                 "/curation/reports/", "/curation/audit/", "/curation/atlas/",
                 "/curation/my-reports/", "/insights/", "/insights/?sort=time&dir=desc",
                 f"/insights/{question}/"):
        assert page.goto(path).status == 200, path
        overflow = page.evaluate(OVERFLOW)
        if overflow > 0:
            too_wide[path] = overflow
    assert not too_wide, f"pages wider than a phone (px too wide): {too_wide}"
    context.close()
