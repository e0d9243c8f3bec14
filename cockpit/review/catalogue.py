"""The indicator catalogue: what each indicator means, how it is computed and judged, where it comes from and where
the cockpit uses it, from the extracts' own metadata (the `indicators` extract), the status rules and the calendar."""

from __future__ import annotations

from dataclasses import dataclass

import pandas as pd

from cockpit import config, i18n
from cockpit.data import indicators, kpi_status
from cockpit.i18n import N_
from cockpit.review import league, province

LANGS = ("th", "lo", "en")
FORMULAS = {
    "ratio": N_("{scale} × numerator ÷ denominator; numerators and denominators are summed over the areas first"),
    "weighted_mean": N_("Σ (value × weight) ÷ Σ weight over the areas (numerator ÷ denominator, × {scale})"),
    "sum": N_("The sum of the areas' values"),
    "parity": N_("The girls' rate ÷ the boys' rate, each a ratio of sums of numerators and denominators"),
}
AGGREGATIONS = {
    "sum": N_("Sum"),
    "ratio": N_("Ratio of sums"),
    "weighted_mean": N_("Weighted mean"),
    "parity": N_("Parity index"),
}
DIRECTIONS = {"higher_is_better": N_("Higher is better"), "lower_is_better": N_("Lower is better")}
FREQUENCIES = {"year": N_("Yearly"), "term": N_("Each term"), "month": N_("Monthly")}
KINDS = {"goal": N_("National goal"), "target": N_("Plan target"), "kpi": N_("KPI")}
STATUS_RULE = N_(
    "Met when the value reaches the target; on track when it meets this period's trajectory; at risk when behind "
    "it by at most {tolerance}; off track further behind."
)


@dataclass(frozen=True)
class Usage:
    walls: tuple[str, ...]
    rules: tuple[tuple[str, str], ...]  # (uid, title in the reader's language)
    league_weight: float | None


def chain(catalogue: pd.DataFrame, indicator_id: str) -> list[str]:
    """The goal → target → … → indicator chain, top first (a loop in the extract stops it)."""
    out, current = [], indicator_id
    while isinstance(current, str) and current in catalogue.index and current not in out:
        out.append(current)
        current = catalogue.loc[current, "chain_parent"]
    return out[::-1]


def children(catalogue: pd.DataFrame, indicator_id: str) -> list[str]:
    return list(catalogue.index[catalogue["chain_parent"] == indicator_id])


def formula(indicator: pd.Series, lang: str) -> str:
    scale = indicator["scale"]
    scale_text = i18n.number(scale, lang, 0) if float(scale).is_integer() else str(scale)
    return i18n.tr(lang, FORMULAS.get(indicator["aggregation"], "{scale}"), scale=scale_text)


def tolerance_text(indicator: pd.Series, rules: kpi_status.Rules, lang: str) -> str:
    tolerance = rules.tolerance(indicator["indicator_id"])
    if tolerance.points is not None:
        unit = "" if indicator["unit"] == "%" else indicator["unit"]
        text = i18n.measure(tolerance.points, unit, int(indicator["decimals"]), lang)
        return text + (" " + i18n.tr(lang, "pts") if indicator["unit"] == "%" else "")
    return i18n.tr(lang, "{share} of the trajectory", share=i18n.percent(100 * tolerance.share, lang, 0))


def status_rule(indicator: pd.Series, rules: kpi_status.Rules, lang: str) -> str:
    return i18n.tr(lang, STATUS_RULE, tolerance=tolerance_text(indicator, rules, lang))


def usage(indicator_id: str, indicator: pd.Series, country: str, alert_rules, lang: str) -> Usage:
    """Its wall, the alert rules that watch it (`alert_rules`: rules.Rule objects) and its league weight."""
    watching = tuple(
        (r.uid, r.text("title", lang))
        for r in alert_rules
        if r.indicator_id == indicator_id and r.enabled and (not r.countries or country in r.countries)
    )
    try:
        weights = dict(league.weights_for(country).kpis)
    except (
        config.ConfigError,
        KeyError,
    ):  # a broken league file is the League page's message; here the weight is just unknown
        weights = {}
    wall = province.WALL_LABELS.get(indicator["wall"], indicator["wall"])
    return Usage((wall,), watching, weights.get(indicator_id))


def facts(indicator: pd.Series, rules: kpi_status.Rules, due_days: int | None, lang: str) -> list[tuple[str, str]]:
    """(label, value) pairs of the entry, in the reader's language: what a definitions sheet holds, and more."""
    tr = lambda m, **v: i18n.tr(lang, m, **v)  # noqa: E731
    target = indicator["target"]
    rows = [
        (tr("Indicator ID"), indicator["indicator_id"]),
        (tr("Kind"), tr(KINDS.get(indicator["kind"], indicator["kind"]))),
        (tr("Definition (the question it answers)"), indicators.question(indicator, lang)),
        (tr("Unit"), indicator["unit"] or "-"),
        (tr("Direction"), tr(DIRECTIONS.get(indicator["direction"], indicator["direction"]))),
        (tr("Aggregation"), tr(AGGREGATIONS.get(indicator["aggregation"], indicator["aggregation"]))),
        (tr("Formula"), formula(indicator, lang)),
        (tr("Source"), indicator["source"]),
        (tr("Frequency"), tr(FREQUENCIES.get(indicator["frequency"], indicator["frequency"]))),
    ]
    if due_days is not None:
        rows.append((tr("Reporting lag"), tr("due {days} days after the period ends", days=due_days)))
    if indicator["kind"] == "kpi":
        rows.append((tr("Target"), indicators.fmt(indicator, target, lang) if pd.notna(target) else tr("No target")))
        rows.append((tr("Status rule"), status_rule(indicator, rules, lang)))
        for column, label in (("amber", N_("Reference line (amber)")), ("red", N_("Reference line (red)"))):
            if pd.notna(indicator.get(column)):
                rows.append((tr(label), indicators.fmt(indicator, indicator[column], lang)))
    return rows


def names(indicator: pd.Series) -> list[tuple[str, str, str]]:
    """(language, name, question) in Thai, Lao and English, as the extract gives them."""
    return [(lang, indicator.get(f"name_{lang}") or "", indicator.get(f"question_{lang}") or "") for lang in LANGS]


def complete(indicator: pd.Series) -> bool:
    """Whether the extract gives everything an entry shows, in all three languages."""
    texts = [indicator.get(f"{k}_{lang}") for k in ("name", "question") for lang in LANGS]
    required = [indicator.get(k) for k in ("unit", "direction", "aggregation", "source", "frequency", "wall")]
    return all(isinstance(t, str) and t.strip() for t in texts) and all(r is not None for r in required)
