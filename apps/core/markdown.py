"""Markdown from the bank rendered to HTML, then sanitised: raw HTML written into a question
never reaches a page unescaped."""

from __future__ import annotations

from functools import lru_cache

import markdown as md
import nh3

ALLOWED_TAGS = {
    "p", "br", "strong", "em", "code", "pre", "ul", "ol", "li", "blockquote", "a", "h3", "h4",
    "table", "thead", "tbody", "tr", "th", "td", "hr",
}
ALLOWED_ATTRIBUTES = {"a": {"href", "title"}}


def render_markdown(text: str) -> str:
    return _render(text or "")


@lru_cache(maxsize=4096)
def _render(text: str) -> str:
    """A pure function of the text, so renders are cached: a match state shows the stem and
    every closed round's explanation, and each push renders it again for each player."""
    html = md.markdown(text, extensions=["fenced_code", "tables"], output_format="html")
    return nh3.clean(
        html,
        tags=ALLOWED_TAGS,
        attributes=ALLOWED_ATTRIBUTES,
        url_schemes={"http", "https"},
        link_rel="noopener noreferrer nofollow",
    )
