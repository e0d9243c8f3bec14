"""A policy's progress chart writes its numbers as the reader's locale does."""

import json

from cockpit import i18n
from cockpit.figures import policy_charts

NAMES = {"plan": "Plan", "comparison": "Region", "progress": "Progress"}


def _chart(lang):
    return policy_charts.progress_figure(
        ["Q1", "Q2"], [12.5, 40.25], [20.0, 45.0], ["at_risk", "on_track"], None, NAMES, lang=lang
    )


def test_the_progress_axis_is_written_by_the_formatter():
    axis = _chart("lo")["layer"][0]["encoding"]["y"]["axis"]
    assert axis["values"] == list(policy_charts.PROGRESS_TICKS)
    # each tick's label as i18n.percent writes it, looked up by the tick's value
    labels = [i18n.percent(t, "lo", 0) for t in policy_charts.PROGRESS_TICKS]
    assert axis["labelExpr"] == f"{json.dumps(labels)}[indexof({json.dumps(axis['values'])}, datum.value)]"
    assert labels[-1] == "100%"
    assert _chart("lo")["config"]["locale"]["number"]["decimal"] == ","
    assert _chart("th")["config"]["locale"]["number"]["decimal"] == "."


def test_a_missing_comparison_draws_progress_and_plan_and_each_point_its_status():
    lines, points = _chart("en")["layer"]
    assert lines["encoding"]["color"]["scale"]["domain"] == ["Progress", "Plan"]
    assert [p["value"] for p in lines["data"]["values"] if p["line"] == "Progress"] == [12.5, 40.25]
    from cockpit.data.indicators import hex_color

    assert [p["fill"] for p in points["data"]["values"]] == [hex_color("at_risk"), hex_color("on_track")]
