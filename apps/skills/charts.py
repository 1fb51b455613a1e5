"""Server-side SVG geometry for the dashboard charts (no JavaScript: the CSP forbids inline
scripts, and a chart that is drawn on the server reads without any)."""

from __future__ import annotations

BAR_LEFT, BAR_WIDTH, BAR_ROW = 200, 300, 30


def bar_chart(rows: list[dict]) -> dict:
    """Horizontal bars of `mastery` (0-100) with an uncertainty whisker, one row per item."""
    bars = []
    for i, row in enumerate(rows):
        y = 10 + i * BAR_ROW
        pct = max(0, min(100, row["mastery"]))
        low = max(0, pct - row["uncertainty"])
        high = min(100, pct + row["uncertainty"])
        bars.append({
            "label": row["name"][:30], "value": pct, "y": y, "text_y": y + 15, "mid_y": y + 10,
            "width": round(BAR_WIDTH * pct / 100, 1),
            "low_x": BAR_LEFT + round(BAR_WIDTH * low / 100, 1),
            "high_x": BAR_LEFT + round(BAR_WIDTH * high / 100, 1),
            "value_x": BAR_LEFT + BAR_WIDTH + 8,
        })
    return {"bars": bars, "left": BAR_LEFT, "width": BAR_LEFT + BAR_WIDTH + 60,
            "height": 20 + len(rows) * BAR_ROW, "axis_x": BAR_LEFT + BAR_WIDTH}


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
        dots.append({"x": x, "y": y, "value": value})
    return {"points": " ".join(f"{d['x']},{d['y']}" for d in dots), "dots": dots,
            "width": width, "height": height, "low": round(low), "high": round(high),
            "top": pad, "bottom": height - pad}
