"""`{{ forloop.counter|tile_shape }}`: the shape of answer tile n (templates/play/_choices.html).
With its colour and its number, a tile is told apart without seeing colour."""

from __future__ import annotations

from django import template

register = template.Library()

SHAPES = ("▲", "◆", "●", "■", "★", "⬟")


@register.filter
def tile_shape(number: int) -> str:
    try:
        return SHAPES[(int(number) - 1) % len(SHAPES)]
    except (TypeError, ValueError):
        return ""
