"""The provinces' league table: a composite score from shared KPIs and policy progress, weighted by configuration.

Mechanism 11 of the Ministry's guidelines links shared-KPI results to incentives. Each province
earns points on each component (a KPI's attainment of its own target, in the indicator's
direction, at its latest period; its policies' progress against plan), weighted as
config/league.yaml says; the score is their sum out of 100. Provinces are ranked nationally and
within their region, with the change in rank since a year before. Every point is explained: the
breakdown gives each component's value, target, attainment, weight and points.
"""

from __future__ import annotations

from dataclasses import dataclass, replace
from datetime import date
from pathlib import Path
from typing import Annotated, Literal

import numpy as np
import pandas as pd
from pydantic import Field, StringConstraints, model_validator

from cockpit import clock, config, i18n, periods
from cockpit.config import Invalid, Strict
from cockpit.data import areas, indicators, per_version
from cockpit.data.access import Scope
from cockpit.data.db import Database
from cockpit.i18n import N_
from cockpit.review import policies

CONFIG_FILE = "league.yaml"  # in the config_dir setting's folder
POLICY = "policy_progress"
MISSING_RULES = ("zero", "reweight")
MOMENTS = ("current", "previous")
POLICY_LABEL = N_("Policy progress against plan")

ConfigError = config.ConfigError  # the error of a configuration file, naming the file and key


@dataclass(frozen=True)
class Weights:
    """One country's league rules: the components with their relative weights, and the ranking region."""

    country: str
    region_group: str
    kpis: tuple[tuple[str, float], ...]
    policy_progress: float
    missing: str
    file: str

    def components(self) -> list[tuple[str, float]]:
        """(component id, weight) in display order: the KPIs, then policy progress; zero weights left out."""
        parts = [(k, w) for k, w in self.kpis if w > 0]
        if self.policy_progress > 0:
            parts.append((POLICY, self.policy_progress))
        return parts

    @property
    def total(self) -> float:
        return sum(w for _, w in self.components())

    def max_points(self) -> dict[str, float]:
        """Each component's share of the 100 points."""
        return {k: 100.0 * w / self.total for k, w in self.components()}


# A weight is relative to the others (they need not add up to 100); past a million it is a typo.
Weight = Annotated[float, Field(ge=0, le=1_000_000)]


class CountryRules(Strict):
    region_group: Annotated[str, StringConstraints(min_length=1)] = Field(
        description="the area grouping to rank within (e.g. reo, region)"
    )
    kpis: dict[str, Weight] = Field({}, description="indicator_id: weight")
    policy_progress: Weight = 0.0

    @model_validator(mode="after")
    def _some_weight(self):
        if sum(self.kpis.values()) + self.policy_progress <= 0:
            raise Invalid("every weight is zero: give at least one component a weight")
        return self


class LeagueFile(Strict):
    """config/league.yaml. A misspelt key is an error, never a silent zero: 'policy_progres: 30' would drop
    the policy weight."""

    missing: Literal[MISSING_RULES] = "zero"
    countries: Annotated[dict[str, CountryRules], Field(min_length=1)]


def load_config(path: Path | str | None = None) -> dict[str, Weights]:
    """Every country's weights from `path` (default: league.yaml in the config folder); ConfigError names the
    file, the key at fault and its line."""
    path = path or config.path(CONFIG_FILE)
    parsed, stamp = config.load(path, LeagueFile, "missing and countries")
    return _load_config(str(path), stamp, parsed)


def weights_for(country: str, path: Path | str | None = None) -> Weights:
    path = path or config.path(CONFIG_FILE)
    weights = load_config(path)
    if country not in weights:
        raise config.error(path, f"countries.{country}", "no league rules for this country")
    return weights[country]


def _load_config(path: str, _stamp: int, parsed: LeagueFile) -> dict[str, Weights]:
    return {
        country: Weights(
            country, spec.region_group, tuple(spec.kpis.items()), spec.policy_progress, parsed.missing, path
        )
        for country, spec in parsed.countries.items()
    }


# ------------------------------------------------------------------------------------------------
# The score


def score(attainment: pd.DataFrame, weights: Weights) -> pd.DataFrame:
    """Points per province and component from attainments (index area_id, one column per component, 0-1).

    Returns a long frame: area_id, component, weight (as configured), max_points (its share of
    100 for this province), attainment, points. With missing: zero a component without data earns
    0 of its max_points; with reweight its points go to the province's other components.
    """
    parts = weights.components()
    ids = [k for k, _ in parts]
    table = attainment.reindex(columns=ids).astype("float64").clip(lower=0.0, upper=1.0)
    raw = pd.Series(dict(parts), dtype="float64")
    if weights.missing == "reweight":
        present = table.notna().mul(raw, axis=1)
        totals = present.sum(axis=1).replace(0, np.nan)
        max_points = present.mul(100.0).div(totals, axis=0).where(table.notna())
    else:
        max_points = pd.DataFrame(
            np.tile((100.0 * raw / raw.sum()).to_numpy(), (len(table), 1)), index=table.index, columns=ids
        )
    points = (table.fillna(0.0) * max_points).where(max_points.notna())
    out = pd.DataFrame(
        {
            "area_id": np.repeat(table.index.to_numpy(), len(ids)),
            "component": np.tile(ids, len(table)),
            "weight": np.tile(raw.to_numpy(), len(table)),
            "max_points": max_points.to_numpy().reshape(-1),
            "attainment": table.to_numpy().reshape(-1),
            "points": points.to_numpy().reshape(-1),
        }
    )
    return out


def totals(breakdown: pd.DataFrame) -> pd.Series:
    """Each province's score: the sum of its points (NaN when it earned nothing on any reported component)."""
    return breakdown.groupby("area_id", sort=False)["points"].sum(min_count=1)


def rank(scores: pd.Series) -> pd.Series:
    """1 for the best score; equal scores share a rank; provinces without a score are unranked."""
    return scores.rank(ascending=False, method="min")


# ------------------------------------------------------------------------------------------------
# The table


@dataclass(frozen=True)
class League:
    table: pd.DataFrame  # one row per province in scope, best first
    breakdown: pd.DataFrame  # one row per province, moment and component
    weights: Weights
    as_of: date
    periods: pd.DataFrame  # one row per component and moment: its period_start (and period_type)


def kpi_attainment(db: Database, country: str, scope: Scope, weights: Weights, as_of) -> pd.DataFrame:
    """Province x KPI x moment: value, target, attainment of the target in the indicator's direction."""
    ids = [k for k, w in weights.kpis if w > 0]
    catalogue = indicators.catalogue(db, country)
    unknown = [k for k in ids if k not in catalogue.index]
    if unknown:
        raise config.error(weights.file, f"countries.{country}.kpis.{unknown[0]}", "no such indicator in the extract")
    if not ids:
        return pd.DataFrame(
            columns=["moment", "area_id", "component", "period_start", "period_type", "value", "target", "attainment"]
        )
    rows = db.query(
        country, "review/policies/league_kpis", scope=scope, indicator_ids=ids, as_of=periods.as_date(as_of)
    )
    rows["attainment"] = np.nan
    for direction, part in rows.groupby("direction"):
        rows.loc[part.index, "attainment"] = indicators.attainment(part["value"], part["target"], direction)
    # attainment() cannot divide by a value of 0; where lower is better, 0 meets any target in full.
    met = (rows["direction"] == "lower_is_better") & (rows["value"] <= rows["target"])
    rows.loc[met, "attainment"] = 1.0
    return rows.rename(columns={"indicator_id": "component"}).drop(columns=["direction"])


def policy_attainment(rows: pd.DataFrame, chain: pd.DataFrame, as_of) -> pd.DataFrame:
    """Province x moment: its policies' progress against plan, budget-weighted, now and a year before."""
    ids = chain.index[chain["level"] == "policy"]
    here = rows[(rows["level"] == "province") & rows["policy_id"].isin(ids)]
    columns = ["moment", "area_id", "component", "period_start", "period_type", "value", "target", "attainment"]
    if here.empty:
        return pd.DataFrame(columns=columns)
    starts = sorted(here["period_start"].unique())
    current = max((s for s in starts if s <= pd.Timestamp(periods.as_date(as_of))), default=None)
    if current is None:
        return pd.DataFrame(columns=columns)
    earlier = [s for s in starts if s <= current - pd.DateOffset(years=1)]
    out = []
    for moment, start in (("current", current), ("previous", earlier[-1] if earlier else None)):
        if start is None:
            continue
        at = here[here["period_start"] == start]
        weight = at["allocation"].fillna(0.0)
        done = (weight * at["progress_pct"]).groupby(at["area_id"]).sum()
        due = (weight * at["planned_pct"]).groupby(at["area_id"]).sum()
        progress = done / weight.groupby(at["area_id"]).sum().replace(0, np.nan)
        planned = due / weight.groupby(at["area_id"]).sum().replace(0, np.nan)
        frame = pd.DataFrame(
            {
                "moment": moment,
                "area_id": progress.index,
                "component": POLICY,
                "period_start": start,
                "period_type": "quarter",
                "value": progress.to_numpy(),
                "target": planned.to_numpy(),
            }
        )
        frame["attainment"] = (done / due.replace(0, np.nan)).clip(upper=1.0).to_numpy()
        out.append(frame)
    return pd.concat(out, ignore_index=True)


def league(
    db: Database,
    country: str,
    scope: Scope,
    lang: str,
    as_of=None,
    config_path: Path | str | None = None,
    policy_config: policies.Config | None = None,
) -> League:
    """The provinces in scope in the country's league: score, national and regional rank, and their change over a
    year. The ranks count every province of the country and of its region whatever the scope, as the Province page's
    do: ranked among its own provinces alone, a provincial office read "1" under "national rank".

    The country's league is built once per version, language, day and rules (the weights and policy rules as their
    files say now, so an edited file is read at once); each caller gets its own copies of its provinces' rows.
    """
    weights = weights_for(country, config_path)
    policy_config = policy_config or policies.load_config()
    as_of = None if as_of is None else periods.as_date(as_of)
    key = (db.snapshot(country).version, country, lang, as_of, weights, policy_config, clock.today())
    cached = _leagues.get(
        key, lambda: _league(db, country, areas.full_scope(db, country), lang, as_of, weights, policy_config)
    )
    table = cached.table[cached.table["area_id"].isin(scope.province_ids)].reset_index(drop=True)
    breakdown = cached.breakdown[cached.breakdown["area_id"].isin(scope.province_ids)].reset_index(drop=True)
    return replace(cached, table=table, breakdown=breakdown, periods=cached.periods.copy())


# The country's leagues per version, language, day and rules: the page asks for one on every rerun (50-150 ms).
_leagues = per_version.Cache(32)


def _league(
    db: Database, country: str, scope: Scope, lang: str, as_of, weights: Weights, policy_config: policies.Config
) -> League:
    chain = policies.catalogue(db, country)
    rows = policies.progress(db, country, scope, policy_config)
    if as_of is None:
        as_of = latest(db, country, weights, rows)
    as_of = periods.as_date(as_of)
    parts = [kpi_attainment(db, country, scope, weights, as_of)]
    if weights.policy_progress > 0:
        parts.append(policy_attainment(rows, chain, as_of))
    facts = pd.concat([p for p in parts if not p.empty], ignore_index=True)
    names = policies.province_names(db, country, scope, lang)
    groups = areas.groups(db, country)
    region = groups[groups["group_type"] == weights.region_group]
    if region.empty:
        raise config.error(weights.file, f"countries.{country}.region_group", "no such grouping of provinces here")
    region_of = {p: key for key, ids in zip(region["group_key"], region["province_ids"], strict=True) for p in ids}
    region_names = {g["group_key"]: areas.group_name(g, country, lang) for _, g in region.iterrows()}

    breakdowns, ranked = [], {}
    for moment in MOMENTS:
        these = facts[facts["moment"] == moment]
        wide = these.pivot_table(index="area_id", columns="component", values="attainment", aggfunc="first")
        wide = wide.reindex(names.index)
        detail = score(wide, weights)
        detail["moment"] = moment
        detail = detail.merge(
            these[["area_id", "component", "period_start", "period_type", "value", "target"]],
            on=["area_id", "component"],
            how="left",
        )
        breakdowns.append(detail)
        scores = totals(detail)
        frame = pd.DataFrame({"score": scores})
        if these.empty:
            frame["score"] = np.nan
        frame["region"] = frame.index.map(region_of)
        frame["rank"] = rank(frame["score"])
        frame["region_rank"] = frame.groupby("region")["score"].rank(ascending=False, method="min")
        ranked[moment] = frame
    now, before = ranked["current"], ranked["previous"]
    table = names[["area_id", "name"]].copy()
    table["region"] = table["area_id"].map(region_of)
    table["region_name"] = table["region"].map(region_names)
    table["score"] = now["score"]
    table["rank"] = now["rank"]
    table["region_rank"] = now["region_rank"]
    table["previous_score"] = before["score"]
    table["previous_rank"] = before["rank"]
    table["previous_region_rank"] = before["region_rank"]
    table["rank_change"] = table["previous_rank"] - table["rank"]
    table["region_rank_change"] = table["previous_region_rank"] - table["region_rank"]
    table["provinces"] = int(now["rank"].notna().sum())
    table["region_provinces"] = table["region"].map(now.groupby("region")["score"].count())
    current = breakdowns[0]
    by_kind = current.assign(kind=np.where(current["component"] == POLICY, "policy", "kpi"))
    points = by_kind.pivot_table(index="area_id", columns="kind", values="points", aggfunc="sum")
    table["kpi_points"] = points.get("kpi")
    table["policy_points"] = points.get("policy")
    table = table.sort_values(["rank", "name"], na_position="last").reset_index(drop=True)
    breakdown = pd.concat(breakdowns, ignore_index=True)
    moments = facts.groupby(["component", "moment"], as_index=False)[["period_start", "period_type"]].first()
    return League(table, breakdown, weights, as_of, moments)


def latest(db: Database, country: str, weights: Weights, rows: pd.DataFrame) -> date:
    """The newest period among the league's components: the default 'as of'."""
    catalogue = indicators.catalogue(db, country)
    dates = [catalogue.loc[k, "latest_period"] for k, _ in weights.kpis if k in catalogue.index]
    if weights.policy_progress > 0 and len(rows):
        dates.append(rows["period_start"].max())
    dates = [periods.as_date(d) for d in dates if d is not None and not pd.isna(d)]
    return max(dates) if dates else clock.today()


def component_name(component: str, catalogue: pd.DataFrame, lang: str) -> str:
    if component == POLICY:
        return i18n.tr(lang, POLICY_LABEL)
    return indicators.name(catalogue.loc[component], lang) if component in catalogue.index else component


def explain(league_: League, area_id: str) -> pd.DataFrame:
    """One province's current breakdown, one row per component: value, target, attainment, max points, points."""
    part = league_.breakdown[(league_.breakdown["area_id"] == area_id) & (league_.breakdown["moment"] == "current")]
    previous = league_.breakdown[
        (league_.breakdown["area_id"] == area_id) & (league_.breakdown["moment"] == "previous")
    ].set_index("component")["points"]
    out = part.set_index("component").copy()
    out["previous_points"] = previous.reindex(out.index)
    return out.reset_index()


def change_label(change) -> str:
    """A change in rank for the reader: '▲ 2' (up two places), '▼ 5', '=' (same), '' (not ranked before)."""
    if change is None or pd.isna(change):
        return ""
    change = int(change)
    return f"▲ {change}" if change > 0 else (f"▼ {-change}" if change < 0 else "=")
