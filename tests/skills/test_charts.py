from __future__ import annotations

from datetime import date

from apps.skills.charts import bar_chart, line_chart

LONG = "OpenSSF Model Signing (OMS) specification and the model_signing library"


def test_bars_run_weakest_first_with_full_labels_and_a_percent_scale():
    chart = bar_chart([
        {"name": LONG, "mastery": 80, "uncertainty": 5},
        {"name": "Serialization", "mastery": 35, "uncertainty": 20},
        {"name": "Hub risks", "mastery": 60, "uncertainty": 10},
    ])
    assert [b["label"] for b in chart["bars"]] == ["Serialization", "Hub risks", LONG]
    assert [t["label"] for t in chart["ticks"]] == ["0%", "25%", "50%", "75%", "100%"]
    weakest = chart["bars"][0]
    assert weakest["value"] == "35" and weakest["uncertainty"] == "20"
    # the whisker spans mastery ± uncertainty on the same scale as the bar
    assert float(weakest["low_x"]) < float(chart["left"]) + float(weakest["width"]) \
        < float(weakest["high_x"])
    assert float(chart["bars"][1]["y"]) > float(weakest["y"])


def test_bars_clamp_to_the_scale():
    bar = bar_chart([{"name": "x", "mastery": 98, "uncertainty": 9}])["bars"][0]
    assert bar["high_x"] == "568"  # 100 % is the end of the scale, not beyond


def test_a_line_has_value_ticks_and_dates_on_its_axes():
    days = [date(2026, 11, d) for d in (1, 3, 8, 20, 30)]
    chart = line_chart([40, 55, 50, 70, 90], dates=days, low=0, high=100)
    assert [t["label"] for t in chart["y_ticks"]] == ["0", "50", "100"]
    assert [t["label"] for t in chart["x_ticks"]] == ["2026-11-01", "2026-11-08", "2026-11-30"]
    assert chart["first_day"] == "2026-11-01" and chart["last_day"] == "2026-11-30"
    assert chart["dots"][3]["day"] == "2026-11-20"
    ys = [float(d["y"]) for d in chart["dots"]]
    assert ys[4] < ys[0]  # a higher value is drawn higher up


def test_a_single_point_and_no_points():
    one = line_chart([1500], dates=[date(2026, 12, 1)])
    assert len(one["dots"]) == 1 and [t["label"] for t in one["x_ticks"]] == ["2026-12-01"]
    assert line_chart([])["dots"] == []


def test_a_very_long_label_is_cut_in_the_chart_and_whole_on_hover():
    name = "A resource title " * 8
    bar = bar_chart([{"name": name, "mastery": 50, "uncertainty": 5}])["bars"][0]
    assert bar["label"].endswith("…") and len(bar["label"]) == 90 and bar["name"] == name
