"""'How to read this page': a short panel per page saying what its statuses mean, how they are decided (from the
configuration files the cockpit judges by, never from numbers written here), its thresholds and its data's source."""

from __future__ import annotations

from collections.abc import Callable

import streamlit as st

from cockpit import config, i18n
from cockpit.alerts import lifecycle
from cockpit.data import kpi_status
from cockpit.i18n import N_
from cockpit.review import league, policies
from cockpit.ui import links, sidebar, text

Tr = Callable[..., str]
LIST = ", "


def _kpi_status(tr: Tr, lang: str) -> list[str]:
    rules = kpi_status.load()
    default = rules.default
    tolerance = (
        tr("{points} points of the indicator's unit", points=i18n.number(default.points, lang, 2))
        if default.points is not None
        else tr("{share} of the trajectory's value", share=i18n.percent(100 * default.share, lang, 0))
    )
    return [
        tr(
            "Met: the value reaches the target. On track: it reaches this period's point on the trajectory to the "
            "target. At risk: it is behind that point by no more than the tolerance. Off track: further behind. "
            "No data: no value, or no target to judge it by."
        ),
        tr(
            "Tolerance: {tolerance}; {n} indicators have their own, in their unit. A figure exactly on a boundary "
            "gets the better status.",
            tolerance=tolerance,
            n=len(rules.indicators),
        ),
    ]


def _policy_status(tr: Tr, lang: str) -> list[str]:
    rules = policies.load_config()
    status = rules.status
    return [
        tr(
            "Gap: progress minus plan, in percentage points. On track: a gap of {on_track} or better; at risk: "
            "down to {at_risk}; off track: further behind.",
            on_track=policies.points(status.on_track_gap, lang),
            at_risk=policies.points(status.at_risk_gap, lang),
        ),
        tr(
            "Not started: progress at most {progress} while the plan is above {planned}. Stuck: no progress in "
            "each of the latest {n} reporting periods while the plan kept moving.",
            progress=policies.percent(status.not_started_progress_at_most, lang),
            planned=policies.percent(status.not_started_planned_above, lang),
            n=rules.stuck_periods,
        ),
        tr("The status the province reports is not used to judge: the page shows it beside the computed one."),
    ]


def _rollup(tr: Tr, lang: str) -> list[str]:
    return [
        tr(
            "A goal or target has met its target, is on track or off track only when all its KPIs agree; "
            "when they differ it is at risk."
        )
    ]


def _marks(tr: Tr, lang: str) -> list[str]:
    return [
        tr(
            "{mark}: the figure rests on fewer than {share} of the reports its districts should have sent (see Data "
            "quality).",
            mark=links.MARK,
            share=i18n.percent(100 * links.mark_share(), lang, 0),
        )
    ]


def _figures(tr: Tr, lang: str) -> list[str]:
    return [
        tr(
            "Source: the ministry's published extracts. Province, region and national figures are computed from "
            "the districts' numerators and denominators; each indicator's source is in its catalogue entry."
        )
    ]


def _alerts(tr: Tr, lang: str) -> list[str]:
    severities = [tr(label) for label in lifecycle.SEVERITY_LABELS.values()]
    states = [tr(lifecycle.STATE_LABELS[s]) for s in lifecycle.OPEN_STATES]
    return [
        tr(
            "An alert opens when one of the alert rules holds on the published data; the rule sets its severity "
            "({severities}).",
            severities=LIST.join(severities),
        ),
        tr("It stays open ({states}) until someone resolves it; who did what is recorded.", states=LIST.join(states)),
    ]


def _league(tr: Tr, lang: str) -> list[str]:
    rules = league.load_config()
    missing = {rules_.missing for rules_ in rules.values()}
    return [
        tr(
            "Each component earns 100 × its weight ÷ the sum of the weights × the province's attainment (how far "
            "it has come to its own target, at most 1); the score is their sum, 100 at best."
        ),
        tr("A component not reported earns no points.")
        if missing == {"zero"}
        else tr("A component not reported passes its weight to the province's other components."),
        tr("The change in rank compares with the same score a year earlier."),
    ]


def _decisions(tr: Tr, lang: str) -> list[str]:
    return [
        tr(
            "A decision says what a meeting decided, who does it and by when. Open until marked done; late (red) "
            "once its due date has passed while open. Decisions are kept in the cockpit's own records."
        )
    ]


def _quality(tr: Tr, lang: str) -> list[str]:
    return [
        tr(
            "Completeness: the share of the reports expected from the districts that arrived for a period. "
            "Below {share} a figure carries the mark {mark} on every page.",
            share=i18n.percent(100 * links.mark_share(), lang, 0),
            mark=links.MARK,
        )
    ]


# Each page's panel: the parts that explain what it shows, in order.
PARTS = {
    "overview": (_kpi_status, _marks, _figures),
    "province": (_kpi_status, _marks, _figures),
    "region": (_kpi_status, _marks, _figures),
    "alerts": (_alerts, _figures),
    "policies": (_policy_status,),
    "league": (_league, _figures),
    "decisions": (_decisions,),
    "explore": (_kpi_status, _figures),
    "indicators": (_kpi_status, _figures),
    "quality": (_quality, _figures),
    "wall-results": (_kpi_status, _rollup, _figures),
    "wall-crises": (_alerts, _kpi_status),
    "wall-capacity": (_kpi_status, _figures),
    "wall-policies": (_policy_status,),
}
TITLE = N_("How to read this page")


def lines(page: str, lang: str) -> list[str]:
    """The panel's lines for `page` (a key of PARTS) in `lang`; a broken configuration file is named, not raised."""
    tr = lambda message, **values: i18n.tr(lang, message, **values)  # noqa: E731
    out: list[str] = []
    for part in PARTS[page]:
        try:
            out += part(tr, lang)
        except config.ConfigError as exc:  # the panel says which file cannot be read; the page goes on
            out.append(tr("This part cannot be explained now: {problem}", problem=exc.for_reader()))
    return out


def panel(ctx: sidebar.Context, page: str) -> None:
    """A 'How to read this page' button opening the panel (lines as plain text: a config value is not Markdown)."""
    with st.popover(ctx.tr(TITLE), icon=":material/help:"):
        for line in lines(page, ctx.lang):
            st.markdown("- " + text.plain(line))
