"""The Province and Region pages' charts: a KPI's trend against target, region and nation (Vega-Lite); the
region's provinces KPI by KPI (ECharts)."""

from __future__ import annotations

from typing import NamedTuple

import pandas as pd

from cockpit.data import indicators, per_version
from cockpit.figures import charts
from cockpit.review import province, regions

# Neutral colours for what is not a status: the province's line, its region's, the nation's, the target.
LINE_COLORS = {"province": "#1f4e79", "region": "#7f8c99", "nation": "#b9c0c8", "target": "#333333"}
LINE_DASHES = {"province": [1, 0], "region": [8, 4], "nation": [2, 3], "target": [8, 3, 2, 3]}  # Vega-Lite dashes
LINE_WIDTHS = {"province": 3, "region": 2, "nation": 2, "target": 1}

FONT = charts.FONT


# Figures built from a review, under the review's own key (its version, scope, language...): they change only with
# the published version, and the page shows them on every rerun. Callers do not modify them.
_figures = per_version.Cache(64)


def _cached(review_key: tuple | None, args: tuple, build):
    return build() if review_key is None else _figures.get((*review_key, *args), build)


def trend_chart(rv: province.ProvinceReview, indicator_id: str, height: int = 320) -> dict:
    """One KPI's five-year trend for the province, its region and the nation, with the target, on one pair of axes,
    as a Vega-Lite spec for st.vega_lite_chart.

    The province's latest point is coloured by its status; every other line is neutral. Every KPI's own trend is in
    the page's KPI table (a sparkline per row). Vega-Lite, not Plotly: with the maps beside it in Vega-Lite too, the
    Province page loads no Plotly, whose bundle costs a new tab about 0.9 s (README, "Which chart library a page
    loads"). Built once per review key and KPI.
    """
    return _cached(rv.cache_key, ("trend", indicator_id, height), lambda: _trend_chart(rv, indicator_id, height))


def _trend_chart(rv: province.ProvinceReview, indicator_id: str, height: int) -> dict:
    kpi = rv.kpis.set_index("indicator_id").loc[indicator_id]
    names = {
        "province": str(rv.name),
        "region": str(rv.group_name or rv.tr("Region")),
        "nation": str(rv.nation_name),
        "target": rv.tr("Target"),
    }
    data = rv.series[rv.series["indicator_id"] == indicator_id].sort_values("period_start")
    data = data[data["period_start"] <= kpi["period_start"]]
    own = data[data["role"] == "province"]
    lines = [data[data["role"] == role].assign(line=role) for role in ("nation", "region", "province")]
    lines.append(own.dropna(subset=["target"]).assign(line="target", value=lambda d: d["target"]))
    rows = pd.concat(lines).dropna(subset=["value"])
    shown = [role for role in names if role in set(rows["line"])]
    points = [
        {"period": r.period_short, "when": r.period, "value": float(r.value), "line": names[r.line]}
        for r in rows.itertuples()
    ]
    periods = list(dict.fromkeys(data["period_short"]))  # in time order: the chart's x runs as the periods do
    number = f",.{int(kpi['decimals'])}f"
    value_title = kpi["unit"] or rv.tr("Value")
    x = {"field": "period", "type": "ordinal", "sort": periods, "title": None, "axis": {"labelAngle": 0}}
    layers = [
        {
            "data": {"values": points},
            "mark": {"type": "line"},
            "encoding": {
                "x": x,
                "y": {
                    "field": "value",
                    "type": "quantitative",
                    "title": kpi["unit"] or None,
                    "axis": {"format": number},
                    "scale": {"zero": False},
                },
                "color": {
                    "field": "line",
                    "type": "nominal",
                    "title": None,
                    "scale": {"domain": [names[r] for r in shown], "range": [LINE_COLORS[r] for r in shown]},
                    "legend": {"orient": "top", "labelLimit": 400, "symbolType": "stroke", "symbolStrokeWidth": 3},
                },
                "strokeDash": {
                    "field": "line",
                    "type": "nominal",
                    "scale": {"domain": [names[r] for r in shown], "range": [LINE_DASHES[r] for r in shown]},
                    "legend": None,
                },
                "strokeWidth": {
                    "field": "line",
                    "type": "nominal",
                    "scale": {"domain": [names[r] for r in shown], "range": [LINE_WIDTHS[r] for r in shown]},
                    "legend": None,
                },
                "tooltip": [
                    {"field": "line", "type": "nominal", "title": " "},
                    {"field": "when", "type": "nominal", "title": rv.tr("Period")},  # titles are keys: unique
                    {"field": "value", "type": "quantitative", "format": number, "title": value_title},
                ],
            },
        }
    ]
    if not own.dropna(subset=["value"]).empty:
        last = own.dropna(subset=["value"]).iloc[-1]
        layers.append(
            {
                "data": {"values": [{"period": last["period_short"], "value": float(last["value"])}]},
                "mark": {
                    "type": "point",
                    "filled": True,
                    "size": 160,
                    "opacity": 1,
                    "color": indicators.hex_color(last["status"]),
                    "stroke": "white",
                    "strokeWidth": 1,
                },
                "encoding": {"x": x, "y": {"field": "value", "type": "quantitative"}},
            }
        )
    return {"height": height, "layer": layers, "config": charts.vega_config(rv.lang)}


class Strips(NamedTuple):
    """An ECharts option (st.echarts_chart's spec) and the height it is drawn at: an option has no height of its own."""

    spec: dict
    height: int


def region_strips(rr: regions.RegionReview, walls=province.WALLS, row_height: int = 64) -> Strips:
    """Per KPI, a dot strip: every province in scope (grey), the region's provinces (by status), region and nation.

    Each KPI's strip has its own scale, from its lowest to its highest figure (written at its ends); the target is a
    green bar, the nation a black bar, the region a diamond. All strips share one pair of axes, a few series in all.
    Drawn with ECharts, not Plotly: the Region page has no map, and Plotly's bundle costs a new tab about 0.9 s of
    the browser's time on its own (README, "In the browser"). Built once per review key.
    """
    walls = tuple(walls)
    return _cached(rr.cache_key, ("region", walls, row_height), lambda: _region_strips(rr, walls, row_height))


# Each mark of the strips: its symbol, size and colour (a province of the region is coloured point by point, by its
# status: see put()).
_STRIP_MARKS = {
    "others": dict(symbol="circle", symbolSize=8, itemStyle=dict(color="rgba(150,158,168,0.45)")),
    # The legend draws a series' own colour; each point has its status's.
    "mine": dict(symbol="circle", symbolSize=12, itemStyle=dict(color="#7f8c99", borderColor="#1f2430", borderWidth=1)),
    "nation": dict(symbol="rect", symbolSize=[3, 26], itemStyle=dict(color="#1f2430")),
    "region": dict(
        symbol="diamond", symbolSize=17, itemStyle=dict(color="#7f8c99", borderColor="#1f2430", borderWidth=2)
    ),
    "target": dict(symbol="rect", symbolSize=[3, 26], itemStyle=dict(color="#1a9641")),
}
_STRIP_TEXT = dict(type="scatter", symbolSize=0, silent=True, tooltip=dict(show=False))


def _region_strips(rr: regions.RegionReview, walls: tuple, row_height: int) -> Strips:
    kpis = rr.kpis[rr.kpis["wall"].isin(walls)].reset_index(drop=True)
    rows = max(len(kpis), 1)
    members = set(rr.province_ids)
    # One list of points per mark, every strip's in turn: x is the point's place on its strip's own scale (0-1);
    # each point carries its name and its figure as written on the page, for the tooltip. ECharts draws text as
    # text, so names from the extracts go in as they are.
    marks: dict[str, list] = {key: [] for key in _STRIP_MARKS}
    ends, titles = [], []
    lower = " · " + rr.tr("Lower is better")  # each strip reads left to right; say when "better" lies on the left
    for i, kpi in enumerate(kpis.itertuples()):
        row = -i
        peers = rr.peers[rr.peers["indicator_id"] == kpi.indicator_id].dropna(subset=["value"])
        single = [v for v in (kpi.nation_value, kpi.region_value, kpi.period_target) if not pd.isna(v)]
        everything = [*peers["value"], *single]
        low, high = (min(everything), max(everything)) if everything else (0.0, 1.0)
        span = (high - low) or 1.0
        unit = kpis.iloc[i]  # its unit and decimals

        def put(key, value, name, color=None, kpi_row=unit, y=row, low=low, span=span):
            point = {"value": [(value - low) / span, y, str(name), indicators.fmt(kpi_row, value, rr.lang)]}
            if color is not None:
                point["itemStyle"] = {"color": color}
            marks[key].append(point)

        for area_id, name, value, status in zip(
            peers["area_id"], peers["name"], peers["value"], peers["status"], strict=True
        ):
            if area_id in members:
                put("mine", value, name, indicators.hex_color(status))
            else:
                put("others", value, name)
        if not pd.isna(kpi.nation_value):
            put("nation", kpi.nation_value, rr.nation_name)
        if not pd.isna(kpi.region_value):
            put("region", kpi.region_value, rr.name, indicators.hex_color(kpi.region_status))
        if not pd.isna(kpi.period_target):
            put("target", kpi.period_target, rr.tr("Target"))
        if everything:
            for x, value, side in ((-0.02, low, "left"), (1.02, high, "right")):
                ends.append({"value": [x, row, indicators.fmt(unit, value, rr.lang)], "label": {"position": side}})
        titles.append(
            {"value": [-0.16, row + 0.5, str(kpi.name) + (lower if kpi.direction == "lower_is_better" else "")]}
        )
    names = {
        "others": rr.tr("Other provinces"),
        "mine": rr.tr("Provinces of the region"),
        "nation": str(rr.nation_name),
        "region": str(rr.name),
        "target": rr.tr("Target"),
    }
    series = [
        {"type": "scatter", "name": names[key], "data": marks[key], **_STRIP_MARKS[key]} for key in marks if marks[key]
    ]
    series.append(
        {**_STRIP_TEXT, "data": ends, "label": dict(show=True, formatter="{@[2]}", fontSize=11, color="#5f6b7a")}
    )
    series.append(
        {
            **_STRIP_TEXT,
            "data": titles,
            "label": dict(show=True, position="right", formatter="{@[2]}", fontSize=13, color="#1f2430"),
        }
    )
    spec = {
        "animation": False,
        "textStyle": {"fontFamily": FONT},
        "legend": {"top": 0, "left": 0, "data": [s["name"] for s in series if "name" in s]},
        "tooltip": {"trigger": "item", "formatter": "{@[2]}: {@[3]}"},
        "grid": {"left": 10, "right": 10, "top": 50, "bottom": 10},
        "xAxis": {"type": "value", "min": -0.16, "max": 1.16, "show": False},
        "yAxis": {"type": "value", "min": -rows + 0.6, "max": 0.9, "show": False},
        "series": series,
    }
    return Strips(spec, rows * row_height + 90)
