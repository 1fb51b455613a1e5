"""Markdown rendering is linear and sanitised (audit items 3 and 13a).

Linearity is checked by counting the parser's Python function calls on n and 2n characters of
hostile input: a linear parser does about twice the work, a quadratic one four times. Counting
calls is deterministic, unlike a clock on a shared machine.
"""

from __future__ import annotations

import sys

import pytest

from apps.bank import limits
from apps.bank.markdown import _MD, render_markdown, safe_href

HOSTILE = {
    "open brackets": "[",
    "unclosed links": "[a](",
    "emphasis": "*a_",
    "backticks": "`",
    "nested quotes": "> ",
    "nested lists": "- ",
    "entities": "&#",
    "link references": "[a]: ",
}


def _calls(text: str) -> int:
    count = 0

    def profile(frame, event, arg):
        nonlocal count
        if event == "call":
            count += 1

    sys.setprofile(profile)
    try:
        _MD.render(text)
    finally:
        sys.setprofile(None)
    return count


@pytest.mark.parametrize("unit", HOSTILE.values(), ids=list(HOSTILE))
def test_the_parser_does_linear_work_on_hostile_input(unit):
    n = limits.STEM // (2 * len(unit))
    small, large = _calls(unit * n), _calls(unit * 2 * n)
    assert large <= 2.5 * small, (small, large)


@pytest.mark.parametrize("unit", HOSTILE.values(), ids=list(HOSTILE))
def test_hostile_input_at_the_limit_renders_sanitised(unit):
    html = render_markdown((unit * limits.STEM)[: limits.STEM] + "<script>x</script>")
    assert "<script" not in html


@pytest.mark.parametrize("href", [
    "//evil.example/", " //evil.example", "/\\evil.example", "\\\\evil.example",
    "\\/evil.example", "javascript:alert(1)", "JaVaScRiPt:alert(1)", "data:text/html,x",
    "vbscript:x", "https:evil.example", "http:/evil.example", "/relative/path", "evil.example",
    "&#x2F;&#x2F;evil.example", "%2F%2Fevil.example", "\t//evil.example", "java\nscript:x",
])
def test_only_absolute_http_links_and_anchors_survive(href):
    html = render_markdown(f"[x]({href}) and <{href}>")
    assert "href" not in html, html


@pytest.mark.parametrize("href", ["https://slsa.dev/spec/v1.0/", "http://example.org/a?b=c",
                                  "#section"])
def test_real_links_keep_their_href(href):
    assert safe_href(href)
    assert f'href="{href}"' in render_markdown(f"[x]({href})")
