"""Policies and projects against their plans: status by configured rules, roll-ups, milestones, stuck work, notes.

The chain is programme -> policy -> project (X -> Y -> Z). Progress comes from the extract's
`policy_progress` (one row per policy, province or district, and quarter); a province the source reports only
by district is rolled up from them in one place (queries/data/models/030_policy_province_progress.sql);
queries/review/policies/progress.sql rolls provinces up to province groups and to all provinces in the caller's
scope, budget-weighted, and district_progress.sql gives the districts' own rows. Whether a row (province or
district) is on track is judged here from progress against plan by the rules in
config/policy_status.yaml, never from the status the extract reports (shown beside it when they
differ). Provinces' notes (progress, problem, obstacle, advice) live in the state store's
`policy_notes` table, read and written only for provinces in the caller's scope."""

from __future__ import annotations

import math
from dataclasses import dataclass
from datetime import date, timedelta
from pathlib import Path
from typing import Annotated

import numpy as np
import pandas as pd
from pydantic import Field, model_validator

from cockpit import config, i18n, periods
from cockpit.config import Invalid, Strict
from cockpit.data import per_version
from cockpit.data.access import Scope
from cockpit.data.db import Database
from cockpit.i18n import N_

CONFIG_FILE = "policy_status.yaml"  # in the config_dir setting's folder


# A judged status: the extract's vocabulary (schema.PROGRESS_STATUSES) plus no_data.
STATUS_LABELS = {
    "on_track": N_("On track"),
    "at_risk": N_("At risk"),
    "off_track": N_("Off track"),
    "not_started": N_("Not started"),
    "no_data": N_("No data"),
}


# Colour means status: keys of indicators.STATUS_COLORS. "Not started" is coloured by how far
# behind plan it leaves the work (its gap), so a province that has not started a policy due to
# begin last week is not painted like one a year late.
STATUS_COLOR = {"on_track": "on_track", "at_risk": "at_risk", "off_track": "off_track", "no_data": "no_data"}


BEHIND = ("at_risk", "off_track", "not_started")


NOTE_KIND_LABELS = {
    "progress": N_("Progress"),
    "problem": N_("Problem"),
    "obstacle": N_("Obstacle"),
    "advice": N_("Policy advice"),
}


MILESTONE_STATES = ("done", "done_late", "due", "overdue", "upcoming")


MILESTONE_LABELS = {
    "done": N_("Done"),
    "done_late": N_("Done late"),
    "due": N_("Due this quarter"),
    "overdue": N_("Overdue"),
    "upcoming": N_("Upcoming"),
}


MILESTONE_COLOR = {
    "done": "met",
    "done_late": "at_risk",
    "due": "at_risk",
    "overdue": "off_track",
    "upcoming": "no_data",
}


LEVEL_LABELS = {"programme": N_("Programme"), "policy": N_("Policy"), "project": N_("Project")}


# The Policies page's map and table, by province or (where the source reports the policy by district) by district.
AREA_LEVEL_LABELS = {"province": N_("Provinces"), "district": N_("Districts")}


CURRENCY = {"th": N_("baht"), "la": N_("kip")}


ConfigError = config.ConfigError  # the error of a configuration file, naming the file and key


@dataclass(frozen=True)
class StatusRules:
    on_track_gap: float
    at_risk_gap: float
    not_started_progress_at_most: float
    not_started_planned_above: float


@dataclass(frozen=True)
class Config:
    status: StatusRules
    stuck_periods: int
    milestone_shares: tuple[float, ...]
    file: str
    stuck_projects: bool = True  # projects count as stuck work, not only policies


class NotStarted(Strict):
    progress_at_most: float
    planned_above: float


class StatusSection(Strict):
    on_track_gap: float
    at_risk_gap: float
    not_started: NotStarted

    @model_validator(mode="after")
    def _ordered(self):
        if self.at_risk_gap > self.on_track_gap:
            raise Invalid("must not be above status.on_track_gap (further behind plan)", "at_risk_gap")
        return self


class MilestonesSection(Strict):
    shares: Annotated[list[Annotated[float, Field(gt=0, le=100)]], Field(min_length=1)]


class PolicyStatusFile(Strict):
    """config/policy_status.yaml; its `stuck` is config.StuckSection, shared with the stuck_policy alert rule."""

    status: StatusSection
    stuck: config.StuckSection
    milestones: MilestonesSection


def load_config(path: Path | str | None = None) -> Config:
    """The status rules, stuck period count and milestone shares from `path` (default: policy_status.yaml in the
    config folder); ConfigError names file, key and line."""
    path = path or config.path(CONFIG_FILE)
    parsed, _stamp = config.load(path, PolicyStatusFile, "status, stuck and milestones")
    status = parsed.status
    rules = StatusRules(
        on_track_gap=status.on_track_gap,
        at_risk_gap=status.at_risk_gap,
        not_started_progress_at_most=status.not_started.progress_at_most,
        not_started_planned_above=status.not_started.planned_above,
    )
    shares = tuple(sorted(set(parsed.milestones.shares)))
    return Config(rules, parsed.stuck.periods, shares, str(path), parsed.stuck.include_projects)


def judge(progress, planned, rules: StatusRules) -> pd.Series:
    """The status of each progress against its plan, by the configured rules (see config/policy_status.yaml)."""
    progress = pd.Series(progress, dtype="float64")
    planned = pd.Series(planned, dtype="float64", index=progress.index)
    gap = progress - planned
    choices = np.select(
        [
            progress.isna() | planned.isna(),
            (progress <= rules.not_started_progress_at_most) & (planned > rules.not_started_planned_above),
            gap >= rules.on_track_gap,
            gap >= rules.at_risk_gap,
        ],
        ["no_data", "not_started", "on_track", "at_risk"],
        "off_track",
    )
    return pd.Series(choices, index=progress.index, dtype="object")


def colour(progress, planned, rules: StatusRules) -> pd.Series:
    """The status colour key (green, amber, red, grey) of each row: how far behind plan it is."""
    progress = pd.Series(progress, dtype="float64")
    planned = pd.Series(planned, dtype="float64", index=progress.index)
    gap = progress - planned
    choices = np.select(
        [gap.isna(), gap >= rules.on_track_gap, gap >= rules.at_risk_gap],
        ["no_data", "on_track", "at_risk"],
        "off_track",
    )
    return pd.Series(choices, index=progress.index, dtype="object")


def status_label(status: str, lang: str) -> str:
    return i18n.tr(lang, STATUS_LABELS.get(status, "No data"))


def catalogue(db: Database, country: str) -> pd.DataFrame:
    """Every programme, policy and project in tree order, indexed by policy_id (depth 0, 1, 2)."""
    return db.query(country, "review/policies/catalogue").set_index("policy_id", drop=False)


def name(node: pd.Series, country: str, lang: str) -> str:
    """A programme's, policy's or project's name for the reader (local script for local readers)."""
    return node["name_local"] if i18n.local_names(country, lang) else node["name_en"]


# Judged progress per version, scope and status rules: the Policies page, the league, the walls and the alerts ask
# for it on every rerun, and judging it again costs 10-15 ms (Thai demo data).
_progress = per_version.Cache(32)


def progress(db: Database, country: str, scope: Scope, config: Config) -> pd.DataFrame:
    """Every node x area (province, group, all provinces in scope) x period, judged: status, colour, gap.

    Columns: those of queries/policies/progress.sql, plus gap (points), status (computed),
    color, disbursed_share (budget disbursed / planned to date) and status_differs (the extract
    reported another status for this province row). Judged once per version, scope and rules; each caller gets
    its own copy.
    """
    return _judged_progress(db, country, scope, config).copy()


def shared_progress(db: Database, country: str, scope: Scope, config: Config) -> pd.DataFrame:
    """progress() without the copy (5 ms on the Thai demo data): the frame every caller shares, never to modify."""
    return _judged_progress(db, country, scope, config)


def _judged_progress(db: Database, country: str, scope: Scope, config: Config) -> pd.DataFrame:
    key = (db.snapshot(country).version, country, scope, config)
    return _progress.get(key, lambda: _judged(db.query(country, "review/policies/progress", scope=scope), config))


def district_progress(db: Database, country: str, scope: Scope, config: Config, policy_id: str) -> pd.DataFrame:
    """One node's districts (of the provinces in scope) x periods where the source reports it by district (no rows
    where it does not), judged by the same rules as provinces: status, colour, gap.

    Columns: those of queries/review/policies/district_progress.sql (province_id, names, is_priority,
    reported_districts), plus gap, status, color, disbursed_share and status_differs as progress() adds them.
    """
    return _judged(db.query(country, "review/policies/district_progress", scope=scope, policy_id=policy_id), config)


def _judged(rows: pd.DataFrame, config: Config) -> pd.DataFrame:
    rows["period_start"] = pd.to_datetime(rows["period_start"])
    rows["gap"] = rows["progress_pct"] - rows["planned_pct"]
    rows["status"] = judge(rows["progress_pct"], rows["planned_pct"], config.status).values
    rows["color"] = colour(rows["progress_pct"], rows["planned_pct"], config.status).values
    rows["disbursed_share"] = rows["budget_disbursed"] / rows["budget_planned"].where(rows["budget_planned"] > 0)
    rows["status_differs"] = rows["reported_status"].notna() & (rows["reported_status"] != rows["status"])
    return rows


def has_districts(district_rows: pd.DataFrame, policy_id: str) -> bool:
    """Whether the source reports this node by district anywhere in scope (the Policies page then offers a
    district level)."""
    return bool((district_rows["policy_id"] == policy_id).any())


def districts(
    district_rows: pd.DataFrame, policy_id: str, as_of, province_ids, country: str, lang: str
) -> pd.DataFrame:
    """One row per district of the provinces `province_ids` the source reports the node in, at one period, the
    furthest behind plan first; indexed by area_id, with the reader's `name`."""
    here = _at(district_rows[district_rows["policy_id"] == policy_id], as_of)
    here = here[here["province_id"].isin(list(province_ids))].set_index("area_id", drop=False)
    here = here.assign(name=here["name_local"] if i18n.local_names(country, lang) else here["name_en"])
    return here.sort_values(["gap", "name"], na_position="last")


def progress_periods(rows: pd.DataFrame) -> list[date]:
    """The reporting periods present, newest first."""
    return [periods.as_date(p) for p in sorted(rows["period_start"].unique(), reverse=True)]


def _at(rows: pd.DataFrame, as_of) -> pd.DataFrame:
    return rows[rows["period_start"] == pd.Timestamp(periods.as_date(as_of))]


def portfolio(rows: pd.DataFrame, chain: pd.DataFrame, area_id: str, as_of) -> pd.DataFrame:
    """One row per programme, policy and project (tree order) for one area at one period.

    Adds to the node's catalogue row: progress_pct, planned_pct, gap, status, color,
    budget_planned/disbursed (to date), disbursed_share, gap_trend (gap per period up to as_of),
    provinces and provinces_behind (judged at risk, off track or not started), reported_provinces.
    """
    here = rows[(rows["area_id"] == area_id) & (rows["period_start"] <= pd.Timestamp(periods.as_date(as_of)))]
    now = _at(here, as_of).set_index("policy_id")
    trend = here.sort_values("period_start").groupby("policy_id")["gap"].agg(lambda g: [float(x) for x in g.dropna()])
    province_rows = _at(rows[rows["level"] == "province"], as_of)
    behind = province_rows[province_rows["status"].isin(BEHIND)].groupby("policy_id").size()
    out = chain.copy()
    columns = [
        "progress_pct",
        "planned_pct",
        "gap",
        "status",
        "color",
        "budget_planned",
        "budget_disbursed",
        "disbursed_share",
        "provinces",
        "reported_provinces",
    ]
    out = out.join(now[columns], how="left")
    out["status"] = out["status"].fillna("no_data")
    out["color"] = out["color"].fillna("no_data")
    out["gap_trend"] = out.index.map(trend).map(lambda v: v if isinstance(v, list) else [])
    out["provinces_behind"] = out.index.map(behind).fillna(0).astype(int)
    out["provinces"] = out["provinces"].fillna(0).astype(int)
    return out


def trend_range(trends, step: float = 10.0) -> tuple[float, float]:
    """The y range (points) of gap-trend sparklines that shows every value: from the lowest to the highest gap, out
    to the next multiple of `step`, with zero (on plan) always inside; −10…+10 when there is nothing to show."""
    values = [v for trend in trends for v in trend if v is not None and not math.isnan(v)]
    low, high = min([0.0, *values]), max([0.0, *values])
    return min(-step, math.floor(low / step) * step), max(step, math.ceil(high / step) * step)


def provinces(rows: pd.DataFrame, policy_id: str, as_of, names: pd.DataFrame) -> pd.DataFrame:
    """One row per province in scope for one policy at one period, the furthest behind plan first.

    `names` is indexed by area_id with a `name` column (province_names()); provinces with no row
    for the policy (not part of it) are left out.
    """
    here = _at(rows[(rows["level"] == "province") & (rows["policy_id"] == policy_id)], as_of)
    out = here.set_index("area_id").join(names[["name"]], how="left")
    out["name"] = out["name"].fillna(out.index.to_series())
    return out.sort_values(["gap", "name"], na_position="last")


def series(rows: pd.DataFrame, policy_id: str, area_id: str, as_of=None) -> pd.DataFrame:
    """One area's periods for one node (progress, plan, budget, status, note), oldest first; `rows` of progress()
    or, for a district, of district_progress().

    Periods after the last one anybody reported (a policy that has ended) are left out: carried
    forward, they would draw a flat line that looks like stalled work.
    """
    out = rows[(rows["policy_id"] == policy_id) & (rows["area_id"] == area_id)]
    if as_of is not None:
        out = out[out["period_start"] <= pd.Timestamp(periods.as_date(as_of))]
    out = out.sort_values("period_start").reset_index(drop=True)
    counted = "reported_provinces" if "reported_provinces" in out else "reported_districts"  # district rows
    reported = out.index[out[counted] > 0]
    return out.loc[: reported[-1]] if len(reported) else out.iloc[:0]


def district_ids(db: Database, country: str, province_ids) -> list[str]:
    """Every district of some provinces (reporting or not): the district layer draws them all, grey where no row."""
    table = db.query(country, "data/district_provinces")
    return list(table.loc[table["province_id"].isin(list(province_ids)), "area_id"])


def province_names(db: Database, country: str, scope: Scope, lang: str) -> pd.DataFrame:
    """Provinces in scope indexed by area_id, with the reader's `name`."""
    table = db.query(country, "data/provinces", scope=scope).set_index("area_id", drop=False)
    table["name"] = table["name_local"] if i18n.local_names(country, lang) else table["name_en"]
    return table


def summary(table: pd.DataFrame) -> dict[str, int]:
    """How many rows of a portfolio or province table are in each status."""
    counts = table["status"].value_counts()
    return {s: int(counts.get(s, 0)) for s in STATUS_LABELS}


def period_months(starts) -> int:
    """The length of the reporting period in months, read from the spacing of period starts (3: quarters)."""
    distinct = sorted({periods.as_date(s) for s in pd.unique(pd.Series(starts))})
    steps = [(b.year - a.year) * 12 + b.month - a.month for a, b in zip(distinct, distinct[1:], strict=False)]
    steps = [s for s in steps if s > 0]
    return min(steps) if steps else 3


def period_end(start, months: int = 3) -> date:
    start = periods.as_date(start)
    month = start.month - 1 + months
    return date(start.year + month // 12, month % 12 + 1, 1) - timedelta(days=1)


def milestones(rows: pd.DataFrame, chain: pd.DataFrame, area_id: str, as_of, config: Config) -> pd.DataFrame:
    """Each node's milestones (the configured shares of its plan) for one area, judged as of a period.

    One row per node and share: due_period (the first period whose plan reaches the share; NaT
    when the plan rows stop short), due_date (that period's end, or a straight-line estimate to
    100% at the node's end date: `estimated`), done_period (the first period up to as_of whose
    progress reaches it), and state: done, done_late, due (this period, not yet reached),
    overdue (an earlier due period passed without it) or upcoming.
    """
    as_of = pd.Timestamp(periods.as_date(as_of))
    here = rows[rows["area_id"] == area_id].sort_values("period_start")
    months = period_months(rows["period_start"]) if len(rows) else 3
    out = []
    for policy_id, node in here.groupby("policy_id", sort=False):
        if policy_id not in chain.index:
            continue
        end = pd.Timestamp(chain.loc[policy_id, "end"])
        starts = node["period_start"].to_numpy()
        planned = node["planned_pct"].to_numpy(dtype=float)
        achieved = node["progress_pct"].to_numpy(dtype=float)
        known = starts <= as_of.to_datetime64()
        last_start, last_planned = pd.Timestamp(starts[-1]), float(planned[-1])
        current = float(achieved[known][-1]) if known.any() else float("nan")
        for share in config.milestone_shares:
            reached = np.flatnonzero(planned >= share - 1e-9)
            estimated = reached.size == 0
            if not estimated:
                due_period = pd.Timestamp(starts[reached[0]])
                due_date = pd.Timestamp(period_end(due_period, months))
            else:
                due_period = pd.NaT
                last_end = pd.Timestamp(period_end(last_start, months))
                left = 100.0 - last_planned
                fraction = 1.0 if left <= 0 else (share - last_planned) / left
                due_date = last_end + (max(end, last_end) - last_end) * min(max(fraction, 0.0), 1.0)
            done = np.flatnonzero(known & (achieved >= share - 1e-9))
            done_period = pd.Timestamp(starts[done[0]]) if done.size else pd.NaT
            if done.size:
                if estimated:
                    late = due_date < pd.Timestamp(period_end(done_period, months))
                else:
                    late = done_period > due_period
                state = "done_late" if late else "done"
            elif estimated:
                state = "overdue" if due_date < as_of else "upcoming"
            elif due_period < as_of:
                state = "overdue"
            elif due_period == as_of:
                state = "due"
            else:
                state = "upcoming"
            out.append((policy_id, share, due_period, due_date, estimated, done_period, state, current))
    columns = ["policy_id", "share", "due_period", "due_date", "estimated", "done_period", "state", "progress_pct"]
    table = pd.DataFrame(out, columns=columns)
    table["color"] = table["state"].map(MILESTONE_COLOR)
    return table


def stuck(db: Database, country: str, scope: Scope, as_of, config: Config) -> pd.DataFrame:
    """Provinces in scope x policies (and projects) with no progress for the configured number of periods.

    Columns of queries/policies/stuck.sql: area_id, policy_id, period_start (latest considered),
    value (the stuck progress %), reference (planned % now), stuck_since, periods_stuck, gap,
    policy_level, parent_id, note (the province's latest reported note: the why).
    """
    rows = db.query(
        country,
        "review/policies/stuck",
        scope=scope,
        stuck_periods=config.stuck_periods,
        as_of=periods.as_date(as_of),
    )
    return rows if config.stuck_projects else rows[rows["policy_level"] != "project"]


def quarter_label(start, country: str, lang: str) -> str:
    """A reporting quarter as its readers name it: Thai fiscal quarters (Q1 FY2567 = Oct-Dec 2023), else Q1 2026."""
    return periods.label(start, "quarter", country, lang)


def year_ticks(first, last, country: str, lang: str) -> tuple[list[date], list[str]]:
    """Tick dates and labels at each year's start between two dates (Thai fiscal years, calendar years in Lao PDR)."""
    first, last = periods.as_date(first), periods.as_date(last)
    month = periods.FISCAL_START_MONTH.get(country, 1)
    ticks, labels = [], []
    for year in range(first.year - 1, last.year + 2):
        tick = date(year, month, 1)
        if first <= tick <= last:
            ticks.append(tick)
            labels.append(periods.label(tick, "year", country, lang) if country == "th" else str(year))
    return ticks, labels


def money(value, country: str, lang: str) -> str:
    """A budget in millions or billions of the country's currency: '13.5 million baht'."""
    if value is None or (isinstance(value, float) and math.isnan(value)):
        return i18n.NO_VALUE
    currency = i18n.tr(lang, CURRENCY.get(country, "baht"))
    if abs(value) >= 1e9:
        return i18n.tr(lang, "{amount} billion {currency}", amount=i18n.number(value / 1e9, lang, 2), currency=currency)
    return i18n.tr(lang, "{amount} million {currency}", amount=i18n.number(value / 1e6, lang, 1), currency=currency)


def figure_formats(lang: str) -> dict:
    """How a policy table's figures are written for the reader (the arguments of ui.tables.localized): progress and
    plan as percentages, the gap with its sign and unit, over numbers that still sort."""
    return {"percents": {"progress_pct": 1, "planned_pct": 1}, "written": {"gap": lambda v: points(v, lang)}}


def points(value, lang: str) -> str:
    """A gap in percentage points with its sign: '−26.5 pts'."""
    if value is None or (isinstance(value, float) and math.isnan(value)):
        return i18n.NO_VALUE
    return i18n.sign(value, 1) + i18n.number(abs(value), lang, 1) + " " + i18n.tr(lang, "pts")


def span_label(start, end, country: str, lang: str) -> str:
    """A plan's period in the reader's years: 'FY2567–2570' (Thai fiscal years), '2021–2025'."""
    start, end = periods.as_date(start), periods.as_date(end)
    if country == "th":
        return i18n.tr(
            lang, "FY{start}–{end}", start=periods.thai_fiscal_year(start), end=periods.thai_fiscal_year(end)
        )
    return f"{start.year}–{end.year}"


def percent(value, lang: str) -> str:
    return i18n.percent(value, lang, 1)


def stuck_summary(stuck_rows: pd.DataFrame, chain: pd.DataFrame) -> pd.DataFrame:
    """One row per policy with stuck work: its provinces, since when, and how many of its projects are stuck.

    A stuck project counts under its policy; a programme-level row stands for itself. Columns:
    policy_id, area_ids (sorted list), since (the earliest stuck_since), items (rows summed up),
    worst_gap; the policies with the most provinces first.
    """
    columns = ["policy_id", "area_ids", "since", "items", "worst_gap"]
    if stuck_rows.empty:
        return pd.DataFrame(columns=columns)
    rows = stuck_rows.copy()
    is_project = rows["policy_level"] == "project"
    rows["owner_id"] = rows["policy_id"].where(~is_project, rows["parent_id"])
    rows = rows[rows["owner_id"].isin(chain.index)]
    out = rows.groupby("owner_id").agg(
        area_ids=("area_id", lambda a: sorted(set(a))),
        since=("stuck_since", "min"),
        items=("policy_id", "size"),
        worst_gap=("gap", "min"),
    )
    out["provinces"] = out["area_ids"].map(len)
    out = out.sort_values(["provinces", "worst_gap"], ascending=[False, True]).reset_index(names="policy_id")
    return out[columns]


def why(stuck_rows: pd.DataFrame, store_notes: pd.DataFrame) -> pd.DataFrame:
    """The stuck rows with `why`: the province's latest note in the store on that policy, else the extract's note."""
    out = stuck_rows.copy()
    latest = (
        store_notes.sort_values("created_at").groupby(["policy_id", "area_id"])["text"].last()
        if len(store_notes)
        else pd.Series(dtype="object")
    )
    keys = list(zip(out["policy_id"], out["area_id"], strict=True))
    from_store = pd.Series([latest.get(k) for k in keys], index=out.index, dtype="object")
    out["why"] = from_store.fillna(out["note"])
    out["why_from_store"] = from_store.notna()
    return out


def attention_first(table: pd.DataFrame, summary_: pd.DataFrame) -> str | None:
    """The policy a meeting should look at first: most provinces stuck, then most provinces behind, then gap."""
    candidates = table[table["level"] == "policy"]
    if candidates.empty:
        candidates = table
    if candidates.empty:
        return None
    stuck_count = summary_.set_index("policy_id")["area_ids"].map(len) if len(summary_) else pd.Series(dtype=int)
    ranked = candidates.assign(
        stuck=candidates.index.map(stuck_count).fillna(0),
        gap_=candidates["gap"].fillna(0),
    ).sort_values(["stuck", "provinces_behind", "gap_"], ascending=[False, False, True])
    return str(ranked.index[0])


def labelled_portfolio(table: pd.DataFrame, summary_: pd.DataFrame, country: str, lang: str) -> pd.DataFrame:
    """A portfolio() table with the reader's labels: indented name, plan period, budget, status, provinces behind."""
    out = table.copy()
    indent = {0: "", 1: "\u2003", 2: "\u2003\u2003· "}
    out["label"] = [
        indent.get(int(d), "") + name(row, country, lang)
        for (_, row), d in zip(out.iterrows(), out["depth"], strict=True)
    ]
    out["level_label"] = out["level"].map(lambda v: i18n.tr(lang, LEVEL_LABELS.get(v, "Policy")))
    out["span_label"] = [span_label(s, e, country, lang) for s, e in zip(out["start"], out["end"], strict=True)]
    out["budget_label"] = out["budget"].map(lambda v: money(v, country, lang))
    out["disbursed_pct"] = 100 * out["disbursed_share"]
    out["status_label"] = out["status"].map(lambda s: status_label(s, lang))
    out["behind_label"] = [
        i18n.tr(lang, "{n} of {total}", n=int(b), total=int(t)) if t else i18n.NO_VALUE
        for b, t in zip(out["provinces_behind"], out["provinces"], strict=True)
    ]
    stuck_count = summary_.set_index("policy_id")["area_ids"].map(len) if len(summary_) else pd.Series(dtype=int)
    out["stuck"] = out.index.map(stuck_count).fillna(0).astype(int)
    return out


def labelled_provinces(
    table: pd.DataFrame, country: str, lang: str, stuck_rows: pd.DataFrame | None = None
) -> pd.DataFrame:
    """A provinces() table with the reader's labels, the extract's own status where it differs, and stuck work.

    `stuck_rows` (stuck() for the same policy) adds `stuck_label`, the quarter since which nothing moved: "Q2 FY2569"
    (a map's tooltip titles it "Stuck since").
    """
    out = table.copy()
    out["progress_label"] = out["progress_pct"].map(lambda v: percent(v, lang))
    out["plan_label"] = out["planned_pct"].map(lambda v: percent(v, lang))
    out["gap_label"] = out["gap"].map(lambda v: points(v, lang))
    out["status_label"] = out["status"].map(lambda s: status_label(s, lang))
    out["reported_label"] = [
        status_label(r, lang) if differs else ""
        for r, differs in zip(out["reported_status"], out["status_differs"], strict=True)
    ]
    out["disbursed_label"] = out["disbursed_share"].map(
        lambda v: i18n.percent(None if pd.isna(v) else 100 * v, lang, 0)
    )
    out["note"] = out["note"].fillna("")
    since = {} if stuck_rows is None else dict(zip(stuck_rows["area_id"], stuck_rows["stuck_since"], strict=True))
    out["stuck_label"] = [quarter_label(since[a], country, lang) if a in since else "" for a in out.index]
    return out


def policy_for_province(rows: pd.DataFrame, chain: pd.DataFrame, preferred: str, province_id: str | None) -> str:
    """The policy a link about a province opens: `preferred` when the province takes part in it, else the first
    policy of the chain it takes part in (a link from its review or its alert must not land on a policy without it)."""
    if not province_id:
        return preferred
    theirs = set(rows.loc[(rows["level"] == "province") & (rows["area_id"] == province_id), "policy_id"])
    if not theirs or preferred in theirs:
        return preferred
    return next((p for p in chain.index if p in theirs), preferred)


@dataclass(frozen=True)
class Board:
    """What the Policies page shows of one area (all provinces in scope or a group) at one quarter for one reader:
    the portfolio, its labels, the stuck work, the milestones. Built once per version, scope, rules, area, quarter
    and language (see board()); shared between reruns and sessions, so callers never modify its frames."""

    country: str
    lang: str
    as_of: date
    rows: pd.DataFrame  # progress(), judged
    names: pd.DataFrame  # province_names()
    table: pd.DataFrame  # portfolio()
    labelled: pd.DataFrame  # labelled_portfolio()
    stuck_rows: pd.DataFrame  # stuck()
    summary: pd.DataFrame  # stuck_summary()
    milestones: pd.DataFrame  # milestones() of the area
    attention: str | None  # attention_first()
    cache_key: tuple


# The Policies page asks for the same board on every rerun (25-35 ms to build on the Thai demo data).
_boards = per_version.Cache(64)


# An area's provinces for one policy, under the board's key and the policy.
_board_provinces = per_version.Cache(256)


def board(
    db: Database, country: str, scope: Scope, area_scope: Scope, config: Config, area_id: str, as_of, lang: str
) -> Board:
    """The board of one area at one quarter for one reader (see Board), built once per version and key: progress
    judged in the reader's `scope`, stuck work and province names in `area_scope` (the area's provinces of it)."""
    as_of = periods.as_date(as_of)
    key = (db.snapshot(country).version, country, scope, area_scope, config, area_id, as_of, lang)
    return _boards.get(key, lambda: _board(db, country, scope, area_scope, config, area_id, as_of, lang, key))


def _board(
    db: Database,
    country: str,
    scope: Scope,
    area_scope: Scope,
    config: Config,
    area_id: str,
    as_of: date,
    lang: str,
    key: tuple,
) -> Board:
    rows = _judged_progress(db, country, scope, config)
    chain = catalogue(db, country)
    stuck_rows = stuck(db, country, area_scope, as_of, config)
    summary_ = stuck_summary(stuck_rows, chain)
    table = portfolio(rows, chain, area_id, as_of)
    return Board(
        country=country,
        lang=lang,
        as_of=as_of,
        rows=rows,
        names=province_names(db, country, area_scope, lang),
        table=table,
        labelled=labelled_portfolio(table, summary_, country, lang),
        stuck_rows=stuck_rows,
        summary=summary_,
        milestones=milestones(rows, chain, area_id, as_of, config),
        attention=attention_first(table, summary_),
        cache_key=key,
    )


def board_provinces(board_: Board, policy_id: str, province_ids) -> tuple[pd.DataFrame, pd.DataFrame]:
    """The board's provinces (of `province_ids`, the reader's scope) in one policy: provinces() and
    labelled_provinces() with the policy's stuck work; each caller gets its own copies."""
    ids = tuple(province_ids)

    def build():
        rows = provinces(board_.rows, policy_id, board_.as_of, board_.names)
        rows = rows[rows.index.isin(ids)]
        stuck_here = board_.stuck_rows[board_.stuck_rows["policy_id"] == policy_id]
        return rows, labelled_provinces(rows, board_.country, board_.lang, stuck_here)

    rows, labelled = _board_provinces.get((*board_.cache_key, policy_id, ids), build)
    return rows.copy(), labelled.copy()


# A province's milestones under its board's key: its detail shows them as a table and on the timeline.
_board_milestones = per_version.Cache(128)


def board_milestones(board_: Board, chain: pd.DataFrame, province_id: str, config: Config) -> pd.DataFrame:
    """milestones() of one province of the board at the board's quarter, every node of `chain` (shared: read only)."""
    key = (*board_.cache_key, province_id, config)
    return _board_milestones.get(key, lambda: milestones(board_.rows, chain, province_id, board_.as_of, config))
