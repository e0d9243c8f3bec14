"""The Province and Region pages' charts: each KPI's trend against target, region and nation (Plotly); the
region's provinces KPI by KPI (ECharts)."""

from __future__ import annotations

import html
from typing import NamedTuple

import pandas as pd
import plotly.graph_objects as go

from cockpit import i18n
from cockpit.data import indicators, per_version
from cockpit.review import province, regions

# Neutral colours for what is not a status: the province's line, its region's, the nation's, the target.
LINE_COLORS = {"province": "#1f4e79", "region": "#7f8c99", "nation": "#b9c0c8", "target": "#333333"}


FONT = "Noto Sans, Noto Sans Thai, Noto Sans Lao, sans-serif"


# Figures built from a review, under the review's own key (its version, scope, language...): they change only with
# the published version, and the page shows them on every rerun. Callers do not modify them.
_figures = per_version.Cache(64)


def _plain(text) -> str:
    """Names from the extracts as Plotly's text: it reads <b>, <br> and <a> in names, legends and hover text, so a
    name carrying them would be drawn as markup; escaped, it is drawn as written."""
    return html.escape(str(text), quote=False)


def _cached(review_key: tuple | None, args: tuple, build):
    return build() if review_key is None else _figures.get((*review_key, *args), build)


class Figure(go.Figure):
    """A figure that is not changed once built, so its dict is made once: Streamlit asks for it on every rerun, and
    plotly's to_dict copies every trace and encodes every array (50 ms for a province's 165 trend traces)."""

    def to_dict(self) -> dict:
        made = self.__dict__.get("_made_dict")
        if made is None:
            made = self._made_dict = super().to_dict()
        return made


def trend_figure(rv: province.ProvinceReview, indicator_id: str, height: int = 320) -> go.Figure:
    """One KPI's five-year trend for the province, its region and the nation, with the target, on one pair of axes.

    The province's latest point is coloured by its status; every other line is neutral. Every KPI's own trend is in
    the page's KPI table (a sparkline per row): one chart for the chosen KPI costs the browser a fraction of a small
    multiple per KPI (Plotly lays out and draws each subplot's axes in SVG). Built once per review key and KPI.
    """
    return _cached(rv.cache_key, ("trend", indicator_id, height), lambda: _trend_figure(rv, indicator_id, height))


def _trend_figure(rv: province.ProvinceReview, indicator_id: str, height: int) -> go.Figure:
    kpi = rv.kpis.set_index("indicator_id").loc[indicator_id]
    fig = Figure()
    names = {
        "province": _plain(rv.name),
        "region": _plain(rv.group_name or rv.tr("Region")),
        "nation": _plain(rv.nation_name),
    }
    value = i18n.plotly_measure("y", kpi["unit"], kpi["decimals"], rv.lang)
    data = rv.series[rv.series["indicator_id"] == indicator_id].sort_values("period_start")
    data = data[data["period_start"] <= kpi["period_start"]]
    for role in ("nation", "region", "province"):
        line = data[data["role"] == role]
        if line.empty:
            continue
        fig.add_trace(
            go.Scatter(
                x=line["period_short"],
                y=line["value"],
                customdata=line["period"],
                name=names[role],
                mode="lines",
                line=dict(
                    color=LINE_COLORS[role],
                    width=3 if role == "province" else 2,
                    dash="solid" if role == "province" else ("dash" if role == "region" else "dot"),
                ),
                hovertemplate="%{customdata}: " + value + "<extra>" + names[role] + "</extra>",
            )
        )
    own = data[data["role"] == "province"]
    target = own.dropna(subset=["target"])
    if not target.empty:
        fig.add_trace(
            go.Scatter(
                x=target["period_short"],
                y=target["target"],
                customdata=target["period"],
                name=rv.tr("Target"),
                mode="lines",
                line=dict(color=LINE_COLORS["target"], width=1, dash="dashdot"),
                hovertemplate="%{customdata}: " + value + "<extra>" + rv.tr("Target") + "</extra>",
            )
        )
    if not own.empty:
        last = own.iloc[-1]
        fig.add_trace(
            go.Scatter(
                x=[last["period_short"]],
                y=[last["value"]],
                mode="markers",
                marker=dict(size=12, color=indicators.hex_color(last["status"]), line=dict(color="white", width=1)),
                showlegend=False,
                hoverinfo="skip",
            )
        )
    # At most 7 labels, evenly spaced: six years of months would otherwise write all 72 over each other.
    fig.update_xaxes(type="category", tickangle=0, nticks=7)
    fig.update_yaxes(gridcolor="#eceff3", zeroline=False)
    fig.update_layout(
        height=height,
        margin=dict(l=10, r=10, t=40, b=10),
        font=dict(family=FONT, size=13),
        separators=i18n.plotly_separators(rv.lang),  # axis and hover numbers as the page writes them
        legend=dict(orientation="h", yanchor="bottom", y=1.02, x=0),
        plot_bgcolor="white",
    )
    return fig


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
