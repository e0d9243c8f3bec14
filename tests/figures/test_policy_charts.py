"""A policy's progress chart writes its numbers as the reader's locale does."""

from cockpit.figures import policy_charts

NAMES = {"plan": "Plan", "comparison": "Region", "progress": "Progress"}


def _figure(lang):
    return policy_charts.progress_figure(
        ["Q1", "Q2"], [12.5, 40.25], [20.0, 45.0], ["at_risk", "on_track"], None, NAMES, lang=lang
    )


def test_the_progress_axis_is_written_by_the_formatter():
    axis = _figure("lo").layout.yaxis
    assert list(axis.tickvals) == list(policy_charts.PROGRESS_TICKS)
    assert list(axis.ticktext)[-1] == "100%"
    assert _figure("lo").layout.separators == ",."
    assert _figure("th").layout.separators == ".,"
