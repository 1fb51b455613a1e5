"""Markdown from the bank rendered to HTML, then sanitised: raw HTML written into a question
never reaches a page unescaped.

markdown-it-py is a CommonMark parser whose work grows linearly with the input (Python-Markdown,
used before, took 62 s on 20,000 `[`); every text it sees is also bounded (apps.bank.limits).
Question versions store their rendered HTML when they are made, so learners never pay for it;
this function renders on the fly only in the editor's preview.
"""

from __future__ import annotations

from functools import lru_cache
from urllib.parse import urlsplit

import nh3
from markdown_it import MarkdownIt

ALLOWED_TAGS = {
    "p", "br", "strong", "em", "code", "pre", "ul", "ol", "li", "blockquote", "a", "h3", "h4",
    "table", "thead", "tbody", "tr", "th", "td", "hr",
}
ALLOWED_ATTRIBUTES = {"a": {"href", "title"}}

# CommonMark with GitHub-style tables; raw HTML is not passed through (it is escaped as text).
_MD = MarkdownIt("commonmark", {"html": False}).enable("table")


def safe_href(value: str) -> bool:
    """Only absolute http(s) links and in-page anchors. Scheme-relative (`//host`), backslash
    (`/\\host`, `\\\\host`) and relative links would be resolved by the browser against a host
    the author did not name."""
    value = value.strip()
    if value.startswith("#"):
        return True
    if "\\" in value or any(ord(ch) < 0x21 for ch in value):
        return False
    try:
        parts = urlsplit(value)
    except ValueError:
        return False
    return parts.scheme in ("http", "https") and bool(parts.hostname)


def _attribute_filter(tag: str, attribute: str, value: str) -> str | None:
    if tag == "a" and attribute == "href" and not safe_href(value):
        return None
    return value


INLINE_TAGS = {"strong", "em", "code", "a", "br"}


def render_markdown(text: str) -> str:
    return _render(text or "")


def render_inline(text: str) -> str:
    """One line of Markdown (a choice, a misconception) as inline HTML: no paragraphs, lists or
    headings, the same sanitising and link rules as `render_markdown`."""
    return _render_inline(text or "")


def _clean(html: str, tags: set[str]) -> str:
    """The one sanitiser of rendered Markdown: only `tags`, safe attributes and http(s) links."""
    return nh3.clean(
        html,
        tags=tags,
        attributes=ALLOWED_ATTRIBUTES,
        url_schemes={"http", "https"},
        link_rel="noopener noreferrer nofollow",
        attribute_filter=_attribute_filter,
    )


@lru_cache(maxsize=8192)
def _render_inline(text: str) -> str:
    return _clean(_MD.renderInline(text), INLINE_TAGS)


@lru_cache(maxsize=1024)
def _render(text: str) -> str:
    return _clean(_MD.render(text), ALLOWED_TAGS)
