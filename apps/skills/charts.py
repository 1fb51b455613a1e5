"""Server-side SVG geometry for the dashboard charts (no JavaScript: the CSP forbids inline
scripts, and a chart that is drawn on the server reads without any).

Each chart answers one question a learner asks: "where am I weak?" (bars, weakest first, every
label in full above its bar, a 0-100 % scale with grid lines) and "am I improving?" (a line over
time with its value scale and dates on the axes).

Every number leaves as a string: SVG wants "12.5" whatever the locale, and the template then
prints it as is instead of localising each of the hundreds of coordinates (number_format was
the largest cost of rendering the dashboard, issue 13)."""

from __future__ import annotations

from datetime import date, datetime

BAR_LEFT, BAR_WIDTH, BAR_ROW, BAR_TOP = 8, 560, 44, 24
LABEL_CHARS = 90  # a label longer than the bar's width is cut, and shown whole on hover
SCALE = (0, 25, 50, 75, 100)


def _n(value: float) -> str:
    return str(int(value)) if float(value).is_integer() else str(value)


def bar_chart(rows: list[dict]) -> dict:
    """Horizontal bars of `mastery` (0-100) with an uncertainty whisker, weakest first; each
    row's full name sits above its bar."""
    bars = []
    ordered = sorted(rows, key=lambda row: (row["mastery"], row["name"]))
    for i, row in enumerate(ordered):
        y = BAR_TOP + i * BAR_ROW + 16
        pct = max(0, min(100, row["mastery"]))
        low = max(0, pct - row["uncertainty"])
        high = min(100, pct + row["uncertainty"])
        bars.append({
            "label": (row["name"] if len(row["name"]) <= LABEL_CHARS
                      else row["name"][:LABEL_CHARS - 1] + "…"),
            "name": row["name"], "value": _n(pct), "uncertainty": _n(row["uncertainty"]),
            "label_y": _n(y - 4), "y": _n(y), "text_y": _n(y + 14), "mid_y": _n(y + 9),
            "width": _n(round(BAR_WIDTH * pct / 100, 1)),
            "low_x": _n(BAR_LEFT + round(BAR_WIDTH * low / 100, 1)),
            "high_x": _n(BAR_LEFT + round(BAR_WIDTH * high / 100, 1)),
        })
    height = BAR_TOP + len(ordered) * BAR_ROW + 8
    ticks = [{"x": _n(BAR_LEFT + BAR_WIDTH * t / 100), "label": f"{t}%"} for t in SCALE]
    return {"bars": bars, "left": _n(BAR_LEFT), "value_x": _n(BAR_LEFT + BAR_WIDTH + 8),
            "width": _n(BAR_LEFT + BAR_WIDTH + 56), "height": _n(height), "ticks": ticks,
            "tick_y": _n(BAR_TOP - 8), "grid_top": _n(BAR_TOP), "grid_bottom": _n(height - 4)}


def _day(moment: date | datetime | None) -> str:
    if moment is None:
        return ""
    return moment.strftime("%Y-%m-%d") if hasattr(moment, "strftime") else str(moment)


def line_chart(values: list[float], *, dates: list[date | datetime] | None = None,
               low: float | None = None, high: float | None = None) -> dict:
    """A polyline over `values` in order, scaled to [low, high] (the data's range if unset),
    with three labelled value ticks and the dates of the first, middle and last point."""
    width, height, left, right, top, bottom = 380, 200, 40, 12, 12, 34
    if not values:
        return {"points": "", "dots": [], "width": width, "height": height, "low": low,
                "high": high}
    low = min(values) if low is None else low
    high = max(values) if high is None else high
    if high == low:
        high, low = high + 1, low - 1
    plot_w, plot_h = width - left - right, height - top - bottom
    step = plot_w / max(1, len(values) - 1)
    dates = list(dates or [])
    dots = []
    for i, value in enumerate(values):
        x = round(left + i * step, 1) if len(values) > 1 else round(left + plot_w / 2, 1)
        y = round(top + plot_h - (value - low) / (high - low) * plot_h, 1)
        dots.append({"x": _n(x), "y": _n(y), "value": _n(value),
                     "day": _day(dates[i]) if i < len(dates) else ""})
    y_ticks = []
    for frac in (0, 0.5, 1):
        value = low + (high - low) * frac
        y = round(top + plot_h - frac * plot_h, 1)
        y_ticks.append({"y": _n(y), "text_y": _n(y + 4), "label": _n(round(value))})
    x_ticks = []
    if dates:
        picks = sorted({0, (len(values) - 1) // 2, len(values) - 1})
        anchors = {0: "start", len(values) - 1: "end"}
        for i in picks:
            if i < len(dates):
                x_ticks.append({"x": dots[i]["x"], "label": dots[i]["day"],
                                "anchor": anchors.get(i, "middle") if len(values) > 1
                                else "middle"})
    return {"points": " ".join(f"{d['x']},{d['y']}" for d in dots), "dots": dots,
            "width": _n(width), "height": _n(height), "low": _n(round(low)),
            "high": _n(round(high)), "left": _n(left), "right": _n(width - right),
            "top": _n(top), "bottom": _n(top + plot_h), "x_label_y": _n(height - 12),
            "y_ticks": y_ticks, "x_ticks": x_ticks,
            "first_day": dots[0]["day"], "last_day": dots[-1]["day"]}
