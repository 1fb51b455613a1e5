"""axe-core (vendored, pinned by checksum in tests/browser/vendor) over the main pages at a
desktop and a phone viewport: no violation of any impact."""

from __future__ import annotations

from pathlib import Path

import pytest

from tests.browser.test_phone_width import PHONE, main_pages, session_context

pytestmark = pytest.mark.browser
AXE = Path(__file__).parent / "vendor" / "axe-core-4.14.1.min.js"
RUN = """async () => (await axe.run(document, {resultTypes: ["violations"]})).violations.map(
    v => `${v.id} (${v.impact}): ${v.nodes.slice(0, 3).map(n => n.target.join(" ")).join(" | ")}`)"""


@pytest.mark.parametrize("viewport", [{"width": 1280, "height": 800}, PHONE],
                         ids=["desktop", "phone"])
def test_no_page_has_an_accessibility_violation(browser, live_server, world, small_bank,
                                                viewport):
    signed_in, learner_pages, anonymous_pages = main_pages(world, small_bank)
    found = {}
    for user, paths in ((world["instructor"], signed_in), (world["learner"], learner_pages),
                        (None, anonymous_pages)):
        # Playwright injects axe as an inline script: the test context bypasses our CSP (the
        # pages under test keep theirs).
        context = session_context(browser, live_server.url, user, viewport=viewport,
                                  bypass_csp=True)
        page = context.new_page()
        for path in paths:
            page.goto(path)
            page.add_script_tag(path=str(AXE))
            # Judge the page as it settles: a verdict fading in is briefly low-contrast.
            page.evaluate("() => Promise.all(document.getAnimations()"
                          ".map((a) => a.finished.catch(() => null)))")
            violations = page.evaluate(RUN)
            if violations:
                found[f"{'anonymous' if user is None else user.username} {path}"] = violations
        context.close()
    assert not found, "\n".join(f"{p}: {v}" for p, v in found.items())
