"""The policies' charts (plotly): progress against plan quarter by quarter, milestones on a timeline."""

from __future__ import annotations

from datetime import date

import pandas as pd

from cockpit import i18n
from cockpit.data import per_version
from cockpit.review import policies

FONT = "Noto Sans, Noto Sans Thai, Noto Sans Lao, sans-serif"


MILESTONE_SYMBOL = {
    "done": "circle",
    "done_late": "circle",
    "due": "diamond",
    "overdue": "x",
    "upcoming": "circle-open",
}


PROGRESS_TICKS = (0, 20, 40, 60, 80, 100)


def progress_figure(
    labels: list[str],
    progress_pct: list[float],
    planned_pct: list[float],
    statuses: list[str],
    comparison_pct: list[float] | None,
    names: dict[str, str],
    height: int = 340,
    lang: str | None = None,
):
    """A province's progress against its plan by quarter, points coloured by status, with a comparison line; its
    numbers in `lang`'s locale (plotly's own, as in English, when not given)."""
    import plotly.graph_objects as go

    from cockpit.data.indicators import hex_color

    # Progress in percent points, written as the tables write it: one decimal and the locale's marks.
    hover = "%{x}: " + i18n.plotly_measure("y", "%", 1, lang or "en") + "<extra>%{fullData.name}</extra>"
    fig = go.Figure()
    fig.add_trace(
        go.Scatter(
            x=labels,
            y=planned_pct,
            name=names["plan"],
            mode="lines",
            hovertemplate=hover,
            line=dict(color="#6b7280", width=2, dash="dash"),
        )
    )
    if comparison_pct is not None:
        fig.add_trace(
            go.Scatter(
                x=labels,
                y=comparison_pct,
                name=names["comparison"],
                mode="lines",
                hovertemplate=hover,
                line=dict(color="#5aa9e6", width=2, dash="dot"),
            )
        )
    fig.add_trace(
        go.Scatter(
            x=labels,
            y=progress_pct,
            name=names["progress"],
            mode="lines+markers",
            hovertemplate=hover,
            line=dict(color="#1f4e79", width=3),
            marker=dict(
                size=10,
                color=[hex_color(policies.STATUS_COLOR.get(s, "no_data")) for s in statuses],
                line=dict(width=1),
            ),
        )
    )
    fig.update_layout(
        height=height,
        margin=dict(l=10, r=10, t=30, b=10),
        font=dict(family=FONT, size=14),
        legend=dict(orientation="h", yanchor="bottom", y=1.02, x=0),
        xaxis=dict(type="category"),
        yaxis=dict(
            range=[0, 105], tickvals=PROGRESS_TICKS, ticktext=[i18n.percent(t, lang or "en", 0) for t in PROGRESS_TICKS]
        ),
    )
    if lang is not None:
        fig.update_layout(separators=i18n.plotly_separators(lang))
    return fig


def milestones_figure(
    table: pd.DataFrame,
    spans: pd.DataFrame,
    as_of_day: date,
    ticks: tuple[list[date], list[str]],
    today_label: str,
    height: int | None = None,
):
    """A timeline: one row per node (its plan's span as a bar), its milestones as marks coloured by state.

    `table` has one row per milestone with `row` (the node's label), due_date, state, color and
    hover text `tip`; `spans` one row per node with row, start, end, in display order (top first).
    """
    import plotly.graph_objects as go

    from cockpit.data.indicators import hex_color

    fig = go.Figure()
    order = list(spans["row"])
    # Every plan's span in one trace, broken between rows: a trace per row cost the browser a draw each.
    xs, ys = [], []
    for row, start, end in zip(spans["row"], spans["start"], spans["end"], strict=True):
        xs += [start, end, None]
        ys += [row, row, None]
    if xs:
        fig.add_trace(
            go.Scatter(
                x=xs,
                y=ys,
                mode="lines",
                line=dict(color="rgba(120,130,150,0.35)", width=10),
                hoverinfo="skip",
                showlegend=False,
                connectgaps=False,
            )
        )
    for state in policies.MILESTONE_STATES:
        part = table[table["state"] == state]
        if part.empty:
            continue
        fig.add_trace(
            go.Scatter(
                x=part["due_date"],
                y=part["row"],
                mode="markers+text",
                name=part["state_label"].iloc[0],
                text=part["share_label"],
                textposition="top center",
                textfont=dict(size=11),
                hovertext=part["tip"],
                hoverinfo="text",
                marker=dict(
                    symbol=MILESTONE_SYMBOL[state],
                    size=15 if state == "overdue" else 12,
                    color=hex_color(policies.MILESTONE_COLOR[state]),
                    line=dict(width=2, color=hex_color(policies.MILESTONE_COLOR[state])),
                ),
            )
        )
    fig.add_vline(x=pd.Timestamp(as_of_day).timestamp() * 1000, line=dict(color="#1b1f27", width=1, dash="dot"))
    fig.add_annotation(
        x=pd.Timestamp(as_of_day), y=1.0, yref="paper", text=today_label, showarrow=False, yanchor="bottom"
    )
    fig.update_layout(
        height=height or max(260, 46 * len(order) + 90),
        margin=dict(l=10, r=10, t=30, b=10),
        font=dict(family=FONT, size=13),
        legend=dict(orientation="h", yanchor="top", y=-0.08, x=0),
        yaxis=dict(categoryorder="array", categoryarray=order[::-1], automargin=True),
        xaxis=dict(tickvals=ticks[0], ticktext=ticks[1], showgrid=True),
    )
    return fig


# Milestone timelines under their board's key, the policy and the province: the Policies page shows one on every
# rerun, and building it (marks, labels, a trace per plan) costs 15-20 ms. Callers do not modify them.
_timelines = per_version.Cache(64)


def milestone_timeline(
    board: policies.Board, chain: pd.DataFrame, policy_id: str, province_id: str | None, config: policies.Config
):
    """The milestones of a board's area (or of one of its provinces) on a timeline: programmes and policies, and
    the chosen policy's projects, one row each, built once per board, policy and province (see milestones_figure)."""
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
    row_label = {
        p: ("· " if chain.loc[p, "depth"] == 2 else "") + policies.name(chain.loc[p], country, lang)[:48]
        for p in spans.index
    }
    marks["row"] = marks["policy_id"].map(row_label)
    marks["state_label"] = marks["state"].map(lambda s: i18n.tr(lang, policies.MILESTONE_LABELS[s]))
    marks["share_label"] = marks["share"].map(lambda s: i18n.percent(s, lang, 0))
    marks["tip"] = [
        f"{row_label[p]}<br>{i18n.percent(s, lang, 0)} · {('≈ ' if e else '')}"
        f"{policies.quarter_label(d, country, lang)} · {label}"
        for p, s, d, e, label in zip(
            marks["policy_id"], marks["share"], marks["due_date"], marks["estimated"], marks["state_label"], strict=True
        )
    ]
    span_frame = pd.DataFrame({"row": spans.index.map(row_label), "start": spans["start"], "end": spans["end"]})
    ticks = policies.year_ticks(spans["start"].min(), spans["end"].max(), country, lang)
    quarter = policies.quarter_label(board.as_of, country, lang)
    return milestones_figure(
        marks, span_frame, policies.period_end(board.as_of), ticks, i18n.tr(lang, "As of {quarter}", quarter=quarter)
    )


# Other figures of the Policies page under their board's key and what else they show (see kept()).
_kept = per_version.Cache(64)


def kept(board: policies.Board, what: tuple, build):
    """The figure `build()` makes, built once per board and `what` (everything else it shows: the policy, the
    province, names): a rerun shows the same figure without building it again. Callers do not modify it."""
    return _kept.get((*board.cache_key, *what), build)
