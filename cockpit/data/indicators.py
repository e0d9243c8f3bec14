"""Indicators: their catalogue, names per language, status colours, headline figures and province rankings."""

from __future__ import annotations

import math
from dataclasses import dataclass
from datetime import date

import pandas as pd

from cockpit import i18n, periods
from cockpit.data.access import Scope
from cockpit.data.db import Database
from cockpit.i18n import N_

# The one status vocabulary ("are we where we should be?", computed in queries/data/models/010_area_facts.sql
# by the rules in config/kpi_status.yaml) and its one colour each: colour means status, never decoration
# (DESIGN.md). RGB, shared by cards, maps, charts, tables, walls, briefs and workbooks. Other things the
# walls colour (an alert's severity, a policy against its plan) say which of these statuses they count as.
STATUS_COLORS = {
    "met": (0, 104, 55),
    "on_track": (26, 150, 65),
    "at_risk": (245, 166, 35),
    "off_track": (215, 48, 39),
    "no_data": (170, 170, 170),
}
STATUS_ORDER = ("off_track", "at_risk", "on_track", "met", "no_data")  # worst first
STATUS_LABELS = {
    "met": N_("Met target"),
    "on_track": N_("On track"),
    "at_risk": N_("At risk"),
    "off_track": N_("Off track"),
    "no_data": N_("No data"),
}
HISTORY_YEARS = 5


def status_rgb(status) -> tuple[int, int, int]:
    """A status's colour; an unknown or missing status is no data."""
    return STATUS_COLORS.get(status, STATUS_COLORS["no_data"]) if isinstance(status, str) else STATUS_COLORS["no_data"]


def hex_color(status: str) -> str:
    return "#{:02x}{:02x}{:02x}".format(*status_rgb(status))


def status_label(status: str, lang: str) -> str:
    return i18n.tr(lang, STATUS_LABELS.get(status, "No data"))


def catalogue(db: Database, country: str) -> pd.DataFrame:
    """Every indicator, goal and plan target, indexed by indicator_id."""
    return db.query(country, "data/indicators").set_index("indicator_id", drop=False)


def kpis(db: Database, country: str) -> pd.DataFrame:
    """The measurable indicators (not goals or plan targets) that hold data."""
    cat = catalogue(db, country)
    return cat[(cat["kind"] == "kpi") & (cat["periods"] > 0)]


def name(indicator: pd.Series, lang: str) -> str:
    return indicator.get(f"name_{lang}") or indicator["name_en"]


def named(indicators: pd.DataFrame, indicator_id: str, lang: str) -> str:
    """An indicator of an indicators extract by its name and the id a source spec writes ("Gross … (ger_…)"); the
    id alone when the extract lacks it."""
    found = indicators[indicators["indicator_id"] == indicator_id]
    named = name(found.iloc[0], lang) if not found.empty else indicator_id
    return named if named == indicator_id else f"{named} ({indicator_id})"


def question(indicator: pd.Series, lang: str) -> str:
    return indicator.get(f"question_{lang}") or indicator["question_en"]


def fmt(indicator: pd.Series, value, lang: str) -> str:
    return i18n.measure(value, indicator["unit"], int(indicator["decimals"]), lang)


def signed(indicator: pd.Series, change, lang: str, metric_delta: bool = False) -> str:
    """A change with its sign, in the indicator's unit (percentage points for a percent). The minus sign is
    i18n.MINUS, as in the policies' figures; an ASCII hyphen for a `metric_delta`, from whose sign Streamlit picks the
    delta's arrow and colour."""
    if change is None or pd.isna(change):
        return ""
    decimals = int(indicator["decimals"])
    text = i18n.measure(abs(change), "" if indicator["unit"] == "%" else indicator["unit"], decimals, lang)
    sign = i18n.sign(change, decimals, "-" if metric_delta else i18n.MINUS)
    return sign + text + (" " + i18n.tr(lang, "pts") if indicator["unit"] == "%" else "")


def status_reason(indicator: pd.Series, value, trajectory, status: str, lang: str) -> str:
    """Why a figure has its status, in words: '68% of target, 3.1 pts behind the trajectory'.

    `trajectory` is the period's point on the way to the target (area_facts.target); the share of target
    is the indicator's final target reached, in its own direction (see `attainment`).
    """
    if value is None or pd.isna(value):
        return i18n.tr(lang, "No data for this period")
    if status == "no_data" or trajectory is None or pd.isna(trajectory):
        return i18n.tr(lang, "No target")
    final = indicator.get("target")
    if status == "met":
        return i18n.tr(lang, "Target met ({target})", target=fmt(indicator, final, lang))
    share = _attainment_of(float(value), final, indicator["direction"])
    higher = indicator["direction"] == "higher_is_better"
    behind = float(trajectory) - float(value) if higher else float(value) - float(trajectory)
    decimals = int(indicator["decimals"])
    distance = i18n.measure(abs(behind), "" if indicator["unit"] == "%" else indicator["unit"], decimals, lang)
    distance += " " + i18n.tr(lang, "pts") if indicator["unit"] == "%" else ""
    if round(behind, decimals) == 0:
        where = i18n.tr(lang, "on the trajectory")
    elif behind > 0:
        where = i18n.tr(lang, "{distance} behind the trajectory", distance=distance)
    else:
        where = i18n.tr(lang, "{distance} ahead of the trajectory", distance=distance)
    if pd.isna(share):
        return where
    return i18n.tr(lang, "{share} of target, {where}", share=i18n.percent(100 * share, lang, 0), where=where)


def history_start(latest, years: int = HISTORY_YEARS) -> date:
    latest = periods.as_date(latest)
    return date(latest.year - years, latest.month, 1)


def available_periods(db: Database, country: str, indicator_id: str) -> pd.DataFrame:
    """Periods holding data for an indicator, newest first."""
    return db.query(country, "data/indicator_periods", indicator_id=indicator_id)


@dataclass(frozen=True)
class Headline:
    indicator_id: str
    period_start: date
    period_type: str
    value: float | None
    previous: float | None
    target: float | None
    status: str
    series: tuple[float, ...]

    @property
    def change(self) -> float | None:
        if self.value is None or self.previous is None:
            return None
        return self.value - self.previous


def headlines(
    db: Database, country: str, area_id: str, indicator_ids, scope: Scope, until: date | None = None
) -> list[Headline]:
    """Each indicator's newest value for one area (newest by `until`: a period chosen on the page, each indicator
    as it stood when that period ended), with the one before it, its target, status and trend."""
    cat = catalogue(db, country)
    latest = cat.loc[list(indicator_ids), "latest_period"].dropna()
    if latest.empty:
        return []
    newest = min(latest.max(), pd.Timestamp(until)) if until is not None else latest.max()
    series = db.query(country, "data/area_series", scope=scope, area_id=area_id, since=history_start(newest))
    if until is not None:
        series = series[pd.to_datetime(series["period_start"]) <= pd.Timestamp(until)]
    result = []
    for indicator_id in indicator_ids:
        rows = series[series["indicator_id"] == indicator_id].sort_values("period_start")
        if rows.empty:
            continue
        last = rows.iloc[-1]
        previous = rows.iloc[-2]["value"] if len(rows) > 1 else None
        result.append(
            Headline(
                indicator_id=indicator_id,
                period_start=periods.as_date(last["period_start"]),
                period_type=last["period_type"],
                value=_number(last["value"]),
                previous=_number(previous),
                target=_number(last["target"]),
                status=last["status"],
                series=tuple(float(v) for v in rows["value"].dropna()),
            )
        )
    return result


def province_ranking(
    db: Database, country: str, indicator_id: str, period_start, scope: Scope, lang: str
) -> pd.DataFrame:
    """One row per province in scope: value, target, status, national rank, change and trend, named for the reader."""
    table = db.query(
        country,
        "data/province_values",
        scope=scope,
        indicator_id=indicator_id,
        period_start=periods.as_date(period_start),
    )
    trend = db.query(
        country, "data/province_series", scope=scope, indicator_id=indicator_id, since=history_start(period_start)
    )
    trend = trend[trend["period_start"] <= pd.Timestamp(periods.as_date(period_start))]
    lists = trend.groupby("area_id")["value"].agg(lambda v: [float(x) for x in v.dropna()])
    table["trend"] = table["area_id"].map(lists).apply(lambda v: v if isinstance(v, list) else [])
    table["name"] = table["name_local"] if i18n.local_names(country, lang) else table["name_en"]
    table["change"] = table["value"] - table["previous_value"]
    indicator = catalogue(db, country).loc[indicator_id]
    table["attainment"] = attainment(
        table["value"], pd.Series(indicator["target"], index=table.index), indicator["direction"]
    )
    return table


def attainment(value: pd.Series, target: pd.Series, direction: str) -> pd.Series:
    """How far a value has come to its target, 1.0 = reached, in the indicator's own direction."""
    ratio = value / target if direction == "higher_is_better" else target / value
    return ratio.where((target > 0) & (value > 0)).clip(upper=1.0)


def _attainment_of(value: float, target, direction: str) -> float:
    """`attainment` of one value (a Series of one costs 1 ms: the Overview explains every province's status)."""
    if target is None or pd.isna(target) or not (target > 0 and value > 0):
        return math.nan
    return min(value / target if direction == "higher_is_better" else target / value, 1.0)


def headline_ids(kpis: pd.DataFrame, count: int = 8) -> list[str]:
    """The results (black-wall) KPIs shown as a country's headline, in catalogue order."""
    return list(kpis[kpis["wall"] == "black"].index[:count])


def labelled(ranking: pd.DataFrame, indicator: pd.Series, lang: str) -> pd.DataFrame:
    """A province ranking with its figures formatted for the reader (for tables and map tooltips), each
    status explained (`status_reason`)."""
    out = ranking.copy()
    out["value_label"] = out["value"].map(lambda v: fmt(indicator, v, lang))
    out["target_label"] = out["target"].map(lambda v: fmt(indicator, v, lang))
    out["change_label"] = out["change"].map(lambda v: signed(indicator, v, lang))
    out["status"] = out["status"].fillna("no_data")
    out["status_label"] = out["status"].map(lambda s: status_label(s, lang))
    out["status_reason"] = [
        status_reason(indicator, v, t, s, lang)
        for v, t, s in zip(out["value"], out["target"], out["status"], strict=True)
    ]
    out["rank_label"] = [
        "" if pd.isna(r) else i18n.tr(lang, "{rank} of {total}", rank=int(r), total=int(t))
        for r, t in zip(out["rank"], out["ranked_provinces"], strict=True)
    ]
    return out


def _number(value) -> float | None:
    return None if value is None or pd.isna(value) else float(value)
