"""The Province and Region pages' charts (plotly): each KPI's trend against target, region and nation; the
region's provinces KPI by KPI."""

from __future__ import annotations

import html

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


def region_figure(rr: regions.RegionReview, walls=province.WALLS, row_height: int = 64) -> go.Figure:
    """Per KPI, a dot strip: every province in scope (grey), the region's provinces (by status), region and nation.

    Each KPI's strip has its own scale, from its lowest to its highest figure (written at its ends); the target is a
    green tick, the nation a black bar, the region a diamond. All strips share one pair of axes, a few traces in all
    (a subplot per KPI made the browser lay out and draw 2 axes per KPI). Built once per review key.
    """
    walls = tuple(walls)
    return _cached(rr.cache_key, ("region", walls, row_height), lambda: _region_figure(rr, walls, row_height))


def _region_figure(rr: regions.RegionReview, walls: tuple, row_height: int) -> go.Figure:
    kpis = rr.kpis[rr.kpis["wall"].isin(walls)].reset_index(drop=True)
    rows = max(len(kpis), 1)
    height = rows * row_height + 90
    members = set(rr.province_ids)
    # One list of points per mark, every strip's in turn: x is the point's place on its strip's own scale (0-1).
    keys = ("others", "mine", "nation", "region", "target")
    marks = {key: {"x": [], "y": [], "customdata": [], "color": []} for key in keys}
    ends = {"x": [], "y": [], "text": [], "position": []}
    titles = []
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
            marks[key]["x"].append((value - low) / span)
            marks[key]["y"].append(y)
            marks[key]["customdata"].append([_plain(name), indicators.fmt(kpi_row, value, rr.lang)])
            marks[key]["color"].append(color)

        for area_id, name, value, status in zip(
            peers["area_id"], peers["name"], peers["value"], peers["status"], strict=True
        ):
            put("mine" if area_id in members else "others", value, name, indicators.hex_color(status))
        if not pd.isna(kpi.nation_value):
            put("nation", kpi.nation_value, rr.nation_name)
        if not pd.isna(kpi.region_value):
            put("region", kpi.region_value, rr.name, indicators.hex_color(kpi.region_status))
        if not pd.isna(kpi.period_target):
            put("target", kpi.period_target, rr.tr("Target"))
        if everything:
            for x, value, position in ((-0.02, low, "middle left"), (1.02, high, "middle right")):
                ends["x"].append(x)
                ends["y"].append(row)
                ends["text"].append(indicators.fmt(unit, value, rr.lang))
                ends["position"].append(position)
        titles.append(_plain(kpi.name) + (lower if kpi.direction == "lower_is_better" else ""))
    # Assigned once: the loop above makes plain lists, not a trace per KPI.
    hover = "%{customdata[0]}: %{customdata[1]}<extra></extra>"
    styles = {
        "others": (rr.tr("Other provinces"), dict(size=8, color="rgba(150,158,168,0.45)")),
        "mine": (
            rr.tr("Provinces of the region"),
            dict(size=12, color=marks["mine"]["color"], line=dict(color="#1f2430", width=1)),
        ),
        "nation": (_plain(rr.nation_name), dict(symbol="line-ns", size=26, line=dict(width=3, color="#1f2430"))),
        "region": (
            _plain(rr.name),
            dict(symbol="diamond", size=17, color=marks["region"]["color"], line=dict(color="#1f2430", width=2)),
        ),
        "target": (rr.tr("Target"), dict(symbol="line-ns", size=26, line=dict(width=2, color="#1a9641"))),
    }
    fig = Figure()
    for key, (name, marker) in styles.items():
        if marks[key]["x"]:
            fig.add_trace(
                go.Scatter(
                    x=marks[key]["x"],
                    y=marks[key]["y"],
                    customdata=marks[key]["customdata"],
                    mode="markers",
                    name=name,
                    marker=marker,
                    hovertemplate=hover,
                )
            )
    fig.add_trace(
        go.Scatter(
            x=ends["x"],
            y=ends["y"],
            text=ends["text"],
            mode="text",
            textposition=ends["position"],
            textfont=dict(size=11, color="#5f6b7a"),
            showlegend=False,
            hoverinfo="skip",
        )
    )
    for i, title in enumerate(titles):
        fig.add_annotation(text=title, x=0, xref="paper", xanchor="left", y=-i + 0.5, yanchor="middle", showarrow=False)
    fig.update_xaxes(visible=False, range=[-0.16, 1.16], fixedrange=True)
    fig.update_yaxes(visible=False, range=[-rows + 0.6, 0.9], fixedrange=True)
    fig.update_layout(
        height=height,
        margin=dict(l=10, r=10, t=50, b=10),
        font=dict(family=FONT, size=12),
        separators=i18n.plotly_separators(rr.lang),
        legend=dict(orientation="h", yanchor="bottom", y=1.0, x=0),
        plot_bgcolor="white",
        hovermode="closest",
    )
    fig.update_annotations(font=dict(size=13))
    return fig
