"""`{{ text|inline_md }}`: a choice's Markdown (backticks, emphasis, links) as safe inline HTML,
rendered by the same sanitised CommonMark renderer as stems (apps.bank.markdown) and cached per
text, so a question's choices are rendered once per process, not once per request."""

from __future__ import annotations

from django import template
from django.utils.safestring import mark_safe

from apps.bank.markdown import render_inline

register = template.Library()


@register.filter
def inline_md(text) -> str:
    return mark_safe(render_inline(str(text or "")))  # noqa: S308 - sanitised by nh3
