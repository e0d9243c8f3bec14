"""The Province and Region pages' charts (plotly): each KPI's trend against target, region and nation; the
region's provinces KPI by KPI."""

from __future__ import annotations

import math

import pandas as pd
import plotly.graph_objects as go
from plotly.subplots import make_subplots

from cockpit import i18n
from cockpit.data import indicators, per_version
from cockpit.figures import short_text
from cockpit.review import province, regions

# Neutral colours for what is not a status: the province's line, its region's, the nation's, the target.
LINE_COLORS = {"province": "#1f4e79", "region": "#7f8c99", "nation": "#b9c0c8", "target": "#333333"}


FONT = "Noto Sans, Noto Sans Thai, Noto Sans Lao, sans-serif"


# Figures built from a review, under the review's own key (its version, scope, language...): they change only with
# the published version, and the page shows them on every rerun. Callers do not modify them.
_figures = per_version.Cache(64)


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


def trend_figure(
    rv: province.ProvinceReview, walls=province.WALLS, columns: int = 4, row_height: int = 190
) -> go.Figure:
    """Small multiples: each KPI's five-year trend for the province, its region and the nation, with the target.

    The province's latest point is coloured by its status; every other line is neutral. Built once per review key.
    """
    walls = tuple(walls)
    return _cached(
        rv.cache_key, ("trend", walls, columns, row_height), lambda: _trend_figure(rv, walls, columns, row_height)
    )


def _trend_figure(rv: province.ProvinceReview, walls: tuple, columns: int, row_height: int) -> go.Figure:
    kpis = rv.kpis[rv.kpis["wall"].isin(walls)]
    count = max(len(kpis), 1)
    rows = math.ceil(count / columns)
    titles = [short_text.shorten(n, 46) for n in kpis["name"]]
    fig = make_subplots(
        rows=rows,
        cols=columns,
        subplot_titles=titles,
        horizontal_spacing=0.045,
        vertical_spacing=0.6 / max(rows, 1),
        figure=Figure(),
    )
    names = {
        "province": rv.name,
        "region": rv.group_name or rv.tr("Region"),
        "nation": rv.nation_name,
    }
    for i, kpi in enumerate(kpis.itertuples()):
        row, col = i // columns + 1, i % columns + 1
        value = i18n.plotly_measure("y", kpi.unit, kpi.decimals, rv.lang)
        data = rv.series[rv.series["indicator_id"] == kpi.indicator_id].sort_values("period_start")
        data = data[data["period_start"] <= kpi.period_start]
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
                    legendgroup=role,
                    showlegend=i == 0,
                    mode="lines",
                    line=dict(
                        color=LINE_COLORS[role],
                        width=3 if role == "province" else 2,
                        dash="solid" if role == "province" else ("dash" if role == "region" else "dot"),
                    ),
                    hovertemplate="%{customdata}: " + value + "<extra>" + names[role] + "</extra>",
                ),
                row=row,
                col=col,
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
                    legendgroup="target",
                    showlegend=i == 0,
                    mode="lines",
                    line=dict(color=LINE_COLORS["target"], width=1, dash="dashdot"),
                    hovertemplate="%{customdata}: " + value + "<extra>" + rv.tr("Target") + "</extra>",
                ),
                row=row,
                col=col,
            )
        if not own.empty:
            last = own.iloc[-1]
            fig.add_trace(
                go.Scatter(
                    x=[last["period_short"]],
                    y=[last["value"]],
                    mode="markers",
                    marker=dict(size=11, color=indicators.hex_color(last["status"]), line=dict(color="white", width=1)),
                    showlegend=False,
                    hoverinfo="skip",
                ),
                row=row,
                col=col,
            )
        fig.update_xaxes(type="category", nticks=4, tickangle=0, row=row, col=col)
    fig.update_layout(
        height=max(rows * row_height + 60, 260),
        margin=dict(l=10, r=10, t=50, b=10),
        font=dict(family=FONT, size=12),
        separators=i18n.plotly_separators(rv.lang),  # axis and hover numbers as the page writes them
        legend=dict(orientation="h", yanchor="bottom", y=1.0 + 30 / max(rows * row_height, 1), x=0),
        plot_bgcolor="white",
    )
    fig.update_annotations(font=dict(size=13))
    fig.update_yaxes(gridcolor="#eceff3", zeroline=False)
    return fig


def region_figure(rr: regions.RegionReview, walls=province.WALLS, row_height: int = 92) -> go.Figure:
    """Per KPI, a dot strip: every province in scope (grey), the region's provinces (by status), region and nation.

    Each KPI has its own scale; the target is a green tick, the nation a black bar, the region a diamond. Built
    once per review key.
    """
    walls = tuple(walls)
    return _cached(rr.cache_key, ("region", walls, row_height), lambda: _region_figure(rr, walls, row_height))


def _region_figure(rr: regions.RegionReview, walls: tuple, row_height: int) -> go.Figure:
    kpis = rr.kpis[rr.kpis["wall"].isin(walls)].reset_index(drop=True)
    rows = max(len(kpis), 1)
    height = rows * row_height + 110
    # Each strip reads left to right; say where "better" lies when it is on the left.
    lower = " · " + rr.tr("Lower is better")
    titles = [
        n + (lower if d == "lower_is_better" else "") for n, d in zip(kpis["name"], kpis["direction"], strict=True)
    ]
    fig = make_subplots(
        rows=rows, cols=1, vertical_spacing=min(0.3, 48 / height), subplot_titles=titles, figure=Figure()
    )
    members = set(rr.province_ids)
    legend_done: set[str] = set()

    def legend(key: str) -> bool:
        shown = key not in legend_done
        legend_done.add(key)
        return shown

    for i, kpi in enumerate(kpis.itertuples(), start=1):
        peers = rr.peers[rr.peers["indicator_id"] == kpi.indicator_id].dropna(subset=["value"])
        value = i18n.plotly_measure("x", kpi.unit, kpi.decimals, rr.lang)
        others = peers[~peers["area_id"].isin(members)]
        mine = peers[peers["area_id"].isin(members)]
        fig.add_trace(
            go.Scatter(
                x=others["value"],
                y=[0] * len(others),
                mode="markers",
                name=rr.tr("Other provinces"),
                legendgroup="others",
                showlegend=legend("others"),
                text=others["name"],
                marker=dict(size=8, color="rgba(150,158,168,0.45)"),
                hovertemplate="%{text}: " + value + "<extra></extra>",
            ),
            row=i,
            col=1,
        )
        fig.add_trace(
            go.Scatter(
                x=mine["value"],
                y=[0] * len(mine),
                mode="markers",
                name=rr.tr("Provinces of the region"),
                legendgroup="mine",
                showlegend=legend("mine"),
                text=mine["name"],
                marker=dict(
                    size=12,
                    color=[indicators.hex_color(s) for s in mine["status"]],
                    line=dict(color="#1f2430", width=1),
                ),
                hovertemplate="%{text}: " + value + "<extra></extra>",
            ),
            row=i,
            col=1,
        )
        if not pd.isna(kpi.nation_value):
            fig.add_trace(
                go.Scatter(
                    x=[kpi.nation_value],
                    y=[0],
                    mode="markers",
                    name=rr.nation_name,
                    legendgroup="nation",
                    showlegend=legend("nation"),
                    marker=dict(symbol="line-ns", size=26, line=dict(width=3, color="#1f2430")),
                    hovertemplate=rr.nation_name + ": " + value + "<extra></extra>",
                ),
                row=i,
                col=1,
            )
        if not pd.isna(kpi.region_value):
            fig.add_trace(
                go.Scatter(
                    x=[kpi.region_value],
                    y=[0],
                    mode="markers",
                    name=rr.name,
                    legendgroup="region",
                    showlegend=legend("region"),
                    marker=dict(
                        symbol="diamond",
                        size=17,
                        color=indicators.hex_color(kpi.region_status),
                        line=dict(color="#1f2430", width=2),
                    ),
                    hovertemplate=rr.name + ": " + value + "<extra></extra>",
                ),
                row=i,
                col=1,
            )
        if not pd.isna(kpi.period_target):
            fig.add_trace(
                go.Scatter(
                    x=[kpi.period_target],
                    y=[0],
                    mode="markers",
                    name=rr.tr("Target"),
                    legendgroup="target",
                    showlegend=legend("target"),
                    marker=dict(symbol="line-ns", size=26, line=dict(width=2, color="#1a9641")),
                    hovertemplate=rr.tr("Target") + ": " + value + "<extra></extra>",
                ),
                row=i,
                col=1,
            )
        fig.update_yaxes(visible=False, range=[-1, 1], row=i, col=1)
        fig.update_xaxes(gridcolor="#eceff3", zeroline=False, row=i, col=1)
    fig.update_layout(
        height=height,
        margin=dict(l=10, r=10, t=70, b=10),
        font=dict(family=FONT, size=12),
        separators=i18n.plotly_separators(rr.lang),
        legend=dict(orientation="h", yanchor="bottom", y=1.0 + 40 / (rows * row_height), x=0),
        plot_bgcolor="white",
    )
    fig.update_annotations(font=dict(size=13), xanchor="left", x=0)
    return fig
