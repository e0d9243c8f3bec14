"""Status badges, KPI cards and status-coloured table cells."""

from __future__ import annotations

from collections.abc import Mapping

import pandas as pd
import streamlit as st

from cockpit import i18n
from cockpit.data import indicators
from cockpit.figures import short_text
from cockpit.ui import sidebar, text

# Markdown badges know a few named colours only: the nearest to each status's colour
# (indicators.STATUS_COLORS); met carries a tick to tell it from on track.
BADGE_COLORS = {"met": "green", "on_track": "green", "at_risk": "orange", "off_track": "red", "no_data": "gray"}


def status_badge(status: str, lang: str) -> str:
    """Markdown for a coloured status badge (colour means status)."""
    color = BADGE_COLORS.get(status, "gray")
    tick = ":material/check_circle: " if status == "met" else ""
    return f":{color}-badge[{tick}{indicators.status_label(status, lang)}]"


def status_legend(lang: str) -> str:
    """What the statuses mean, for a caption beside what they colour."""
    return i18n.tr(
        lang,
        "Status against the target: met, the target is reached; on track, at or past this period's point on the "
        "trajectory to the target; at risk, behind that point by no more than the indicator's tolerance; off "
        "track, further behind.",
    )


def headline_card(
    ctx: sidebar.Context, indicator: pd.Series, headline: indicators.Headline, href: str | None = None
) -> None:
    """One KPI against its target: status (explained), value, change since the period before, target and trend;
    its name links to `href` (the indicator's catalogue entry) when given."""
    higher_better = indicator["direction"] == "higher_is_better"
    change = headline.change
    name = text.plain(indicators.name(indicator, ctx.lang))
    # A change that rounds to nothing is neither better nor worse: no arrow, no colour ("↑ ±0.00" was green).
    flat = change is not None and i18n.sign(change, int(indicator["decimals"])) == "±"
    st.metric(
        f"{status_badge(headline.status, ctx.lang)} " + (f"[{name}]({href})" if href else name),
        indicators.fmt(indicator, headline.value, ctx.lang),
        delta=None if change is None else indicators.signed(indicator, change, ctx.lang, metric_delta=True),
        delta_color="off" if flat else ("normal" if higher_better else "inverse"),
        delta_arrow="off" if flat else "auto",
        delta_description=ctx.tr(
            "{period} · target {target}",
            period=ctx.period(headline.period_start, headline.period_type),
            target=indicators.fmt(indicator, indicator["target"], ctx.lang),
        ),
        chart_data=list(headline.series) or None,
        chart_type="line",
        help=indicators.status_label(headline.status, ctx.lang)
        + ": "
        + indicators.status_reason(indicator, headline.value, headline.target, headline.status, ctx.lang)
        + "\n\n"
        + indicators.question(indicator, ctx.lang),
        border=True,
    )


def status_cell_css(status: str) -> str:
    """CSS for a table cell painted in its status colour."""
    return f"background-color: {indicators.hex_color(status)}; color: white; font-weight: 600"


STATUS_PX = 115  # where the served fonts cannot be read: the longest status measured, Thai, is 113 px


def status_px(lang: str, labels: Mapping[str, str] = indicators.STATUS_LABELS) -> int:
    """The width of a status column: its longest label in `lang`, bold as status_cell_css draws it, with the cell's
    padding. A fixed width cut "ไม่เป็นไปตามเป้า" in 95 and 100 px columns (below the rows a laptop shows first)."""
    try:
        longest = max(short_text.width_px(i18n.tr(lang, label), bold=True) for label in labels.values())
    except OSError:  # a broken install: the page still draws
        return STATUS_PX
    return short_text.column_px(longest)


def status_styler(table: pd.DataFrame, status_column: str, label_column: str):
    """A Styler that paints each row's status cell in its status colour."""
    colors = table[status_column].map(status_cell_css)

    def paint(column: pd.Series) -> list[str]:
        return list(colors.loc[column.index])

    return table.drop(columns=[status_column]).style.apply(paint, subset=[label_column])
