"""Server-side SVG geometry for the dashboard charts (no JavaScript: the CSP forbids inline
scripts, and a chart that is drawn on the server reads without any).

Every number leaves as a string: SVG wants "12.5" whatever the locale, and the template then
prints it as is instead of localising each of the hundreds of coordinates (number_format was
the largest cost of rendering the dashboard, issue 13)."""

from __future__ import annotations

BAR_LEFT, BAR_WIDTH, BAR_ROW = 200, 300, 30


def _n(value: float) -> str:
    return str(int(value)) if float(value).is_integer() else str(value)


def bar_chart(rows: list[dict]) -> dict:
    """Horizontal bars of `mastery` (0-100) with an uncertainty whisker, one row per item."""
    bars = []
    for i, row in enumerate(rows):
        y = 10 + i * BAR_ROW
        pct = max(0, min(100, row["mastery"]))
        low = max(0, pct - row["uncertainty"])
        high = min(100, pct + row["uncertainty"])
        bars.append({
            "label": row["name"][:30], "value": _n(pct), "y": _n(y), "text_y": _n(y + 15),
            "mid_y": _n(y + 10), "width": _n(round(BAR_WIDTH * pct / 100, 1)),
            "low_x": _n(BAR_LEFT + round(BAR_WIDTH * low / 100, 1)),
            "high_x": _n(BAR_LEFT + round(BAR_WIDTH * high / 100, 1)),
            "value_x": _n(BAR_LEFT + BAR_WIDTH + 8),
        })
    return {"bars": bars, "left": _n(BAR_LEFT), "label_x": _n(BAR_LEFT - 8),
            "width": _n(BAR_LEFT + BAR_WIDTH + 60), "height": _n(20 + len(rows) * BAR_ROW),
            "axis_x": _n(BAR_LEFT + BAR_WIDTH)}


def line_chart(values: list[float], *, low: float | None = None,
               high: float | None = None) -> dict:
    """A polyline over `values` in order, scaled to [low, high] (the data's range if unset)."""
    width, height, pad = 500, 160, 24
    if not values:
        return {"points": "", "dots": [], "width": width, "height": height, "low": low,
                "high": high}
    low = min(values) if low is None else low
    high = max(values) if high is None else high
    if high == low:
        high, low = high + 1, low - 1
    step = (width - 2 * pad) / max(1, len(values) - 1)
    dots = []
    for i, value in enumerate(values):
        x = round(pad + i * step, 1)
        y = round(height - pad - (value - low) / (high - low) * (height - 2 * pad), 1)
        dots.append({"x": _n(x), "y": _n(y), "value": _n(value)})
    return {"points": " ".join(f"{d['x']},{d['y']}" for d in dots), "dots": dots,
            "width": _n(width), "height": _n(height), "low": _n(round(low)),
            "high": _n(round(high)), "top": _n(pad), "bottom": _n(height - pad)}
