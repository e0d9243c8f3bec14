"""Figures shared by pages: a series against its target and the threshold an alert crossed (Plotly); the config
every Vega-Lite chart shares."""

from __future__ import annotations

import plotly.graph_objects as go

from cockpit import i18n
from cockpit.data.indicators import hex_color

FONT = "Noto Sans, Noto Sans Thai, Noto Sans Lao, sans-serif"


def vega_config(lang: str) -> dict:
    """A Vega-Lite spec's config: the pages' font, and numbers on axes and in tooltips with the reader's decimal and
    group marks ('12.345,7' in Lao)."""
    decimal, group = i18n.symbols(lang)
    return {
        "font": FONT,
        "locale": {"number": {"decimal": decimal, "thousands": group, "grouping": [3], "currency": ["", ""]}},
    }


def evidence(
    labels: list[str],
    values: list[float | None],
    targets: list[float | None],
    statuses: list[str],
    value_name: str,
    target_name: str,
    threshold: float | None = None,
    threshold_name: str = "",
    highlight: int | None = None,
    height: int = 320,
    lang: str = "en",
) -> go.Figure:
    """An indicator's series (points coloured by status), its target trajectory, and a threshold line; its numbers
    in the `lang` reader's locale."""
    fig = go.Figure()
    fig.add_trace(
        go.Scatter(
            x=labels,
            y=values,
            name=value_name,
            mode="lines+markers",
            line=dict(color="#1f4e79", width=3),
            marker=dict(size=10, color=[hex_color(s) for s in statuses], line=dict(color="white", width=1)),
        )
    )
    if any(t is not None for t in targets):
        fig.add_trace(
            go.Scatter(x=labels, y=targets, name=target_name, mode="lines", line=dict(color="#1a9641", dash="dash"))
        )
    if threshold is not None:
        fig.add_hline(
            y=threshold,
            line=dict(color="#d73027", width=2, dash="dot"),
            annotation_text=threshold_name,
            annotation_position="top left",
        )
    if highlight is not None and 0 <= highlight < len(labels):
        fig.add_vrect(x0=highlight - 0.4, x1=highlight + 0.4, fillcolor="#d73027", opacity=0.08, line_width=0)
    fig.update_layout(
        height=height,
        margin=dict(l=10, r=10, t=30, b=10),
        font=dict(family=FONT),
        separators=i18n.plotly_separators(lang),
        legend=dict(orientation="h", yanchor="bottom", y=1.02, x=0),
        xaxis=dict(type="category"),
    )
    return fig


def share_bars(labels: list[str], shares: list[float], name: str, lang: str, height: int = 200) -> dict:
    """A Vega-Lite bar per label, in the order given (periods, oldest first), of a share from 0 to 1 written as a
    percentage in the reader's locale ('87,5%' in Lao)."""
    return {
        "height": height,
        "config": vega_config(lang),
        "data": {"values": [{"label": label, "share": share} for label, share in zip(labels, shares, strict=True)]},
        "mark": {"type": "bar", "color": "#1f4e79", "tooltip": True},
        "encoding": {
            "x": {"field": "label", "type": "ordinal", "sort": None, "title": None, "axis": {"labelAngle": 0}},
            "y": {
                "field": "share",
                "type": "quantitative",
                "title": None,
                "scale": {"domain": [0, 1]},
                "axis": {"format": ".0%", "tickCount": 5},
            },
            "tooltip": [
                {"field": "label", "type": "ordinal", "title": " "},
                {"field": "share", "type": "quantitative", "format": ".1%", "title": name},
            ],
        },
    }
