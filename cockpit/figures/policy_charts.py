"""The policies' charts as Vega-Lite specs (st.vega_lite_chart): progress against plan quarter by quarter, milestones
on a timeline. Vega-Lite, not Plotly: with its maps in Vega-Lite too, the Policies page loads no Plotly, whose bundle
costs a new tab about 0.9 s (README, "Which chart library a page loads")."""

from __future__ import annotations

import json
from datetime import date

import pandas as pd

from cockpit import i18n
from cockpit.data import per_version
from cockpit.data.indicators import hex_color
from cockpit.figures import charts
from cockpit.review import policies

# Vega's symbols for a milestone's state: an overdue one an x (an SVG path in the symbol's unit square), an upcoming
# one hollow (its fill white).
MILESTONE_SHAPE = {
    "done": "circle",
    "done_late": "circle",
    "due": "diamond",
    "overdue": "M-0.8,-0.8L0.8,0.8M-0.8,0.8L0.8,-0.8",
    "upcoming": "circle",
}
PROGRESS_TICKS = (0, 20, 40, 60, 80, 100)
PROGRESS_LINES = {  # colour, dash, width
    "progress": ("#1f4e79", [1, 0], 3),
    "comparison": ("#5aa9e6", [2, 3], 2),
    "plan": ("#6b7280", [6, 4], 2),
}


def _lookup(values: list, labels: list[str], value: str = "datum.value") -> str:
    """A Vega expression that writes an axis value as the label at its place in `values` (the ticks the page chose:
    a Thai fiscal year's name, a percentage in the reader's locale)."""
    return f"{json.dumps(labels, ensure_ascii=False)}[indexof({json.dumps(values)}, {value})]"


def progress_figure(
    labels: list[str],
    progress_pct: list[float],
    planned_pct: list[float],
    statuses: list[str],
    comparison_pct: list[float] | None,
    names: dict[str, str],
    height: int = 300,
    lang: str = "en",
) -> dict:
    """A province's (or a district's) progress against its plan by quarter, points coloured by status, with a
    comparison line (its region, the nation, its province); numbers in `lang`'s locale."""
    sides = {"progress": progress_pct, "comparison": comparison_pct, "plan": planned_pct}
    shown = [side for side, values in sides.items() if values is not None and names.get(side)]
    points = [
        {"quarter": label, "value": float(value), "line": names[side]}
        for side in shown
        for label, value in zip(labels, sides[side], strict=True)
        if value is not None and not pd.isna(value)
    ]
    x = {"field": "quarter", "type": "ordinal", "sort": list(labels), "title": None, "axis": {"labelAngle": 0}}
    y = {
        "field": "value",
        "type": "quantitative",
        "title": None,
        "scale": {"domain": [0, 105], "nice": False},
        "axis": {
            "values": list(PROGRESS_TICKS),
            "labelExpr": _lookup(list(PROGRESS_TICKS), [i18n.percent(t, lang, 0) for t in PROGRESS_TICKS]),
        },
    }
    line_names = [names[side] for side in shown]
    percent = i18n.tr(lang, "Progress") + " %"
    lines = {
        "data": {"values": points},
        "mark": {"type": "line"},
        "encoding": {
            "x": x,
            "y": y,
            "color": {
                "field": "line",
                "type": "nominal",
                "title": None,
                "scale": {"domain": line_names, "range": [PROGRESS_LINES[s][0] for s in shown]},
                "legend": {"orient": "top", "labelLimit": 400, "symbolType": "stroke", "symbolStrokeWidth": 3},
            },
            "strokeDash": {
                "field": "line",
                "type": "nominal",
                "scale": {"domain": line_names, "range": [PROGRESS_LINES[s][1] for s in shown]},
                "legend": None,
            },
            "strokeWidth": {
                "field": "line",
                "type": "nominal",
                "scale": {"domain": line_names, "range": [PROGRESS_LINES[s][2] for s in shown]},
                "legend": None,
            },
            "tooltip": [
                {"field": "line", "type": "nominal", "title": " "},
                {"field": "quarter", "type": "ordinal", "title": i18n.tr(lang, "Quarter")},
                {"field": "value", "type": "quantitative", "format": ",.1f", "title": percent},
            ],
        },
    }
    dots = [
        {"quarter": label, "value": float(value), "fill": hex_color(policies.STATUS_COLOR.get(status, "no_data"))}
        for label, value, status in zip(labels, progress_pct, statuses, strict=True)
        if value is not None and not pd.isna(value)
    ]
    status_points = {
        "data": {"values": dots},
        "mark": {"type": "point", "filled": True, "size": 110, "opacity": 1, "stroke": "#1f2430", "strokeWidth": 1},
        "encoding": {
            "x": x,
            "y": {"field": "value", "type": "quantitative"},
            "fill": {"field": "fill", "type": "nominal", "scale": None, "legend": None},
            "tooltip": [
                {"field": "quarter", "type": "ordinal", "title": i18n.tr(lang, "Quarter")},
                {"field": "value", "type": "quantitative", "format": ",.1f", "title": percent},
            ],
        },
    }
    return {"height": height, "layer": [lines, status_points], "config": charts.vega_config(lang)}


def milestones_figure(
    table: pd.DataFrame,
    spans: pd.DataFrame,
    as_of_day: date,
    ticks: tuple[list[date], list[str]],
    today_label: str,
    titles: dict[str, str],
    lang: str = "en",
) -> dict:
    """A timeline: one row per node (its plan's span as a bar), its milestones as marks shaped and coloured by state,
    each with its share written above it, and a rule at the quarter the page is as of.

    `table` has one row per milestone with `row` (the node's label), due_date, state, state_label, share_label and
    due_label; `spans` one row per node with row, start, end, in display order (top first); `titles` the tooltip's
    "row", "due" and "state" titles.
    """
    order = list(spans["row"])
    day = lambda d: pd.Timestamp(d).strftime("%Y-%m-%d")  # noqa: E731 - Vega reads ISO dates as local days
    y = {"field": "row", "type": "nominal", "sort": order, "title": None, "axis": {"labelLimit": 340}}
    # Ticks at the page's year starts as timestamps (an ISO day in the data is read as that day's UTC midnight),
    # each labelled as the page names the year: a Thai fiscal year, a Lao calendar one.
    tick_ms = [int(pd.Timestamp(t).timestamp() * 1000) for t in ticks[0]]
    labels = _lookup(tick_ms, list(ticks[1]), "time(datum.value)")  # a date on a time axis: its timestamp
    values = [{"year": t.year, "month": t.month, "date": t.day, "utc": True} for t in ticks[0]]  # Vega-Lite's DateTime
    x = {"type": "temporal", "title": None, "axis": {"values": values, "labelExpr": labels, "grid": True}}
    present = [s for s in policies.MILESTONE_STATES if s in set(table["state"])]
    label_of = dict(zip(table["state"], table["state_label"], strict=False))
    domain = [label_of[s] for s in present]
    colors = [hex_color(policies.MILESTONE_COLOR[s]) for s in present]
    marks = table.assign(due=table["due_date"].map(day))[["row", "due", "state_label", "share_label", "due_label"]]
    layers = [
        {
            "data": {
                "values": [{"row": r, "start": day(a), "end": day(b)} for r, a, b in spans.itertuples(index=False)]
            },
            "mark": {"type": "rule", "strokeWidth": 10, "color": "rgba(120,130,150,0.35)", "strokeCap": "round"},
            "encoding": {"y": y, "x": {**x, "field": "start"}, "x2": {"field": "end"}},
        },
        {
            "data": {"values": marks.to_dict("records")},
            "layer": [
                {
                    "mark": {"type": "point", "size": 150, "opacity": 1, "strokeWidth": 2},
                    "encoding": {
                        "y": y,
                        "x": {**x, "field": "due"},
                        "shape": {
                            "field": "state_label",
                            "type": "nominal",
                            "title": None,
                            "scale": {"domain": domain, "range": [MILESTONE_SHAPE[s] for s in present]},
                        },
                        "stroke": {
                            "field": "state_label",
                            "type": "nominal",
                            "title": None,
                            "scale": {"domain": domain, "range": colors},
                        },
                        "fill": {
                            "field": "state_label",
                            "type": "nominal",
                            "title": None,
                            "scale": {
                                "domain": domain,
                                "range": [
                                    "white" if s == "upcoming" else c for s, c in zip(present, colors, strict=True)
                                ],
                            },
                        },
                        "tooltip": [
                            {"field": "row", "type": "nominal", "title": titles["row"]},
                            {"field": "due_label", "type": "nominal", "title": titles["due"]},
                            {"field": "state_label", "type": "nominal", "title": titles["state"]},
                        ],
                    },
                },
                {
                    "mark": {"type": "text", "dy": -13, "fontSize": 11, "color": "#3a4250"},
                    "encoding": {"y": y, "x": {**x, "field": "due"}, "text": {"field": "share_label"}},
                },
            ],
        },
        {
            "data": {"values": [{"day": day(as_of_day), "label": today_label}]},
            "layer": [
                {
                    "mark": {"type": "rule", "strokeDash": [2, 3], "color": "#1b1f27"},
                    "encoding": {"x": {**x, "field": "day"}},
                },
                {
                    "mark": {
                        "type": "text",
                        "baseline": "bottom",
                        "dy": -4,
                        "y": 0,
                        "fontSize": 12,
                        "color": "#1b1f27",
                    },
                    "encoding": {"x": {**x, "field": "day"}, "text": {"field": "label"}},
                },
            ],
        },
    ]
    return {
        "height": max(160, 40 * len(order)),
        # Room on the left: Vega measures a Thai or Lao label before its web font is drawn, a little short.
        "padding": {"left": 24, "right": 12, "top": 8, "bottom": 8},
        "layer": layers,
        "config": {**charts.vega_config(lang), "legend": {"orient": "bottom", "labelLimit": 300}},
    }


# Milestone timelines under their board's key, the policy and the province: the Policies page shows one on every
# rerun, and building it (marks, labels, a trace per plan) costs 15-20 ms. Callers do not modify them.
_timelines = per_version.Cache(64)


def milestone_timeline(
    board: policies.Board, chain: pd.DataFrame, policy_id: str, province_id: str | None, config: policies.Config
):
    """The milestones of a board's area (or of one of its provinces) on a timeline: programmes and policies, and
    the chosen policy's projects, one row each, built once per board, policy and province (see milestones_figure);
    None when no plan of the area has a milestone."""
    key = (*board.cache_key, "milestones", policy_id, province_id, config)
    return _timelines.get(key, lambda: _milestone_timeline(board, chain, policy_id, province_id, config))


def _milestone_timeline(
    board: policies.Board, chain: pd.DataFrame, policy_id: str, province_id: str | None, config: policies.Config
):
    country, lang = board.country, board.lang
    timeline = board.milestones if province_id is None else policies.board_milestones(board, chain, province_id, config)
    descendants = {p for p in chain.index if policy_id in chain.loc[p, "path"].split("/")}
    shown = [p for p in chain.index if chain.loc[p, "depth"] <= 1 or p in descendants]
    marks = timeline[timeline["policy_id"].isin(shown)].copy()
    spans = chain.loc[[p for p in shown if p in set(marks["policy_id"])]]
    if spans.empty:
        return None
    row_label = {
        p: ("· " if chain.loc[p, "depth"] == 2 else "") + policies.name(chain.loc[p], country, lang)[:48]
        for p in spans.index
    }
    marks["row"] = marks["policy_id"].map(row_label)
    marks["state_label"] = marks["state"].map(lambda s: i18n.tr(lang, policies.MILESTONE_LABELS[s]))
    marks["share_label"] = marks["share"].map(lambda s: i18n.percent(s, lang, 0))
    marks["due_label"] = [
        f"{i18n.percent(s, lang, 0)} · {('≈ ' if e else '')}{policies.quarter_label(d, country, lang)}"
        for s, d, e in zip(marks["share"], marks["due_date"], marks["estimated"], strict=True)
    ]
    span_frame = pd.DataFrame({"row": spans.index.map(row_label), "start": spans["start"], "end": spans["end"]})
    ticks = policies.year_ticks(spans["start"].min(), spans["end"].max(), country, lang)
    quarter = policies.quarter_label(board.as_of, country, lang)
    titles = {"row": i18n.tr(lang, "Plan"), "due": i18n.tr(lang, "Milestone"), "state": i18n.tr(lang, "State")}
    return milestones_figure(
        marks,
        span_frame,
        policies.period_end(board.as_of),
        ticks,
        i18n.tr(lang, "As of {quarter}", quarter=quarter),
        titles,
        lang,
    )


# Other figures of the Policies page under their board's key and what else they show (see kept()).
_kept = per_version.Cache(64)


def kept(board: policies.Board, what: tuple, build):
    """The figure `build()` makes, built once per board and `what` (everything else it shows: the policy, the
    province, names): a rerun shows the same figure without building it again. Callers do not modify it."""
    return _kept.get((*board.cache_key, *what), build)
