"""A province's review and a region's: each KPI against target, region and nation, ranked; trends; districts; schools.

`review()` gathers what the Province page shows and what its exports and briefs carry, in one
object, so the workbook and the brief hold exactly the figures on the screen. `region_review()`
does the same for a province group (a Thai regional education office, a Lao region). The maps
and charts of both pages are built here too, from those objects (pydeck and plotly, no streamlit).
"""

from __future__ import annotations

import math
import re
import unicodedata
from dataclasses import dataclass
from datetime import date, datetime

import pandas as pd
import plotly.graph_objects as go
import pydeck as pdk
from plotly.subplots import make_subplots

from cockpit import clock, i18n, periods, settings
from cockpit.alerts import lifecycle, rules
from cockpit.data import areas, geo, indicators
from cockpit.data.access import Scope
from cockpit.data.db import Database
from cockpit.data.indicators import STATUS_COLORS
from cockpit.i18n import N_
from cockpit.meeting import decisions as decisions_
from cockpit.review import policies

# The groupings a province is reviewed against, first found first: its regional education office (Thailand),
# its region (Lao PDR); any other grouping of the extract after these.
REVIEW_GROUP_TYPES = ("reo", "region")
WALLS = ("black", "red", "blue", "white")
WALL_LABELS = {"black": N_("Results"), "red": N_("Crises"), "blue": N_("Capacity"), "white": N_("Policies")}
SCHOOL_TYPE_LABELS = {
    "nursery": N_("Nursery"),
    "incomplete_primary": N_("Incomplete primary"),
    "primary": N_("Primary"),
    "lower_secondary": N_("Lower secondary"),
    "upper_secondary": N_("Upper secondary"),
    "complete_secondary": N_("Complete secondary"),
}
SEVERITY_LABELS = {"critical": N_("Critical"), "high": N_("High"), "medium": N_("Medium"), "low": N_("Low")}
SEVERITY_ORDER = ("critical", "high", "medium", "low")
ALERT_STATE_LABELS = {
    "new": N_("New"),
    "acknowledged": N_("Acknowledged"),
    "in_progress": N_("In progress"),
    "resolved": N_("Resolved"),
}
COMPARISON_LABELS = {"better": N_("better"), "worse": N_("worse"), "same": N_("same")}

# Neutral colours for what is not a status: the province's line, its region's, the nation's, the target.
LINE_COLORS = {"province": "#1f4e79", "region": "#7f8c99", "nation": "#b9c0c8", "target": "#333333"}
# Density of schools (not a status): a single-hue ramp from light to dark slate blue.
DENSITY_RAMP = [[222, 231, 240], [183, 201, 221], [140, 167, 199], [98, 132, 173], [62, 98, 146], [31, 66, 115]]
SCHOOL_POINT_COLOR = [31, 36, 48, 230]
CONTEXT_FILL = [236, 238, 241, 255]
FONT = "Noto Sans, Noto Sans Thai, Noto Sans Lao, sans-serif"
TOOLTIP_STYLE = {"backgroundColor": "#1f2430", "color": "white", "fontSize": "14px", "padding": "8px 10px"}
HISTORY_YEARS = indicators.HISTORY_YEARS


# --- Provinces and their groups ---------------------------------------------------------------------------------


def sort_key(name: str) -> str:
    """Dictionary order for Thai and Lao names: a leading vowel (เ แ โ ใ ไ, ເ ແ ໂ ໃ ໄ) sorts after its consonant."""
    return re.sub(r"([\u0e40-\u0e44\u0ec0-\u0ec4])(.)", r"\2\1", name)


def provinces(db: Database, country: str, scope: Scope, lang: str) -> pd.DataFrame:
    """The provinces in scope, indexed by area_id, with `name` for the reader, in the reader's alphabetical order."""
    table = db.query(country, "provinces", scope=scope).set_index("area_id", drop=False)
    table["name"] = table["name_local"] if i18n.local_names(country, lang) else table["name_en"]
    return table.iloc[sorted(range(len(table)), key=lambda i: sort_key(str(table["name"].iloc[i])))]


def resolve(choices: pd.DataFrame, raw: str | None) -> str | None:
    """The province id a URL value means: its code in any case, its ISO code ('TH-67') or English name; else None."""
    if raw is None:
        return None
    wanted = raw.strip().casefold()
    for area_id, row in choices.iterrows():
        names = (area_id, row.get("iso_code"), row.get("name_en"), row.get("name_local"))
        if any(isinstance(n, str) and n.casefold() == wanted for n in names):
            return area_id
    return None


def review_groups(db: Database, country: str) -> pd.DataFrame:
    """Province groups, indexed by group_key, those a province is reviewed against first."""
    table = areas.groups(db, country).set_index("group_key", drop=False)
    rank = {t: i for i, t in enumerate(REVIEW_GROUP_TYPES)}
    order = sorted(range(len(table)), key=lambda i: rank.get(table["group_type"].iloc[i], len(rank)))
    return table.iloc[order]


def group_of(db: Database, country: str, province_id: str) -> pd.Series | None:
    """The group a province is reviewed against (its regional education office, its region); None if it has none."""
    for _, group in review_groups(db, country).iterrows():
        if province_id in list(group["province_ids"]):
            return group
    return None


def group_label(group: pd.Series, country: str, lang: str) -> str:
    """'Regional education office · สำนักงานศึกษาธิการภาค 17'."""
    kind = i18n.tr(lang, areas.GROUP_TYPE_LABELS.get(group["group_type"], "Region"))
    return f"{kind} · {areas.group_name(group, country, lang)}"


# --- A province's review ----------------------------------------------------------------------------------------


@dataclass(frozen=True)
class ProvinceReview:
    """Everything the Province page shows for one province, named and formatted for one reader."""

    country: str
    lang: str
    province_id: str
    name: str  # in the reader's script
    name_en: str
    profile: pd.Series  # districts, schools, students, teachers
    group: pd.Series | None  # its regional education office / region
    group_name: str
    nation_name: str
    kpis: pd.DataFrame  # one row per KPI: see KPI_COLUMNS
    series: pd.DataFrame  # one row per KPI, role (province, region, nation) and period
    districts: pd.DataFrame  # one row per district and KPI, at the KPI's newest period
    schools: pd.DataFrame  # one row per school
    alerts: pd.DataFrame  # one row per alert of the province or its districts, worst open first
    decisions: pd.DataFrame  # one row per decision about the province or its districts, open first
    policies: pd.DataFrame  # one row per programme, policy and project: the province's progress against plan
    policy_notes: pd.DataFrame  # what the province reported on its policies (progress, problems...), newest first
    policy_period: date | None  # the reporting quarter of `policies`
    as_of: date  # the end of the newest period shown
    extract_version: str
    loaded_at: datetime
    catalogue: pd.DataFrame  # the KPIs' definitions, indexed by indicator_id

    @property
    def district_ids(self) -> list[str]:
        return list(dict.fromkeys(self.districts["area_id"]))

    @property
    def area_ids(self) -> list[str]:
        """The province and its districts: the areas whose alerts and decisions belong to its review."""
        return [self.province_id, *self.district_ids]

    def tr(self, message: str, **values) -> str:
        return i18n.tr(self.lang, message, **values)

    def indicator(self, indicator_id: str) -> pd.Series:
        return self.catalogue.loc[indicator_id]

    @property
    def open_alerts(self) -> pd.DataFrame:
        return self.alerts[self.alerts["state"] != "resolved"] if not self.alerts.empty else self.alerts


KPI_COLUMNS = [
    "indicator_id",
    "wall",
    "wall_label",
    "name",
    "unit",
    "decimals",
    "direction",
    "period_start",
    "period_type",
    "period",
    "value",
    "target",
    "status",
    "status_label",
    "previous_value",
    "previous_status",
    "change",
    "change_kind",
    "relative_change",
    "rank",
    "ranked_provinces",
    "group_rank",
    "group_provinces",
    "region_value",
    "region_status",
    "nation_value",
    "nation_status",
    "vs_region",
    "vs_nation",
    "trend",
    "value_label",
    "target_label",
    "change_label",
    "region_label",
    "nation_label",
    "rank_label",
    "group_rank_label",
]
ALERT_COLUMNS = [
    "id",
    "severity",
    "severity_label",
    "state",
    "state_label",
    "title",
    "place",
    "area_id",
    "subject",
    "period_start",
    "period",
    "first_seen_at",
    "last_seen_at",
    "assignee",
    "value",
    "threshold",
]


def review(db: Database, country: str, province_id: str, scope: Scope, lang: str, engine=None) -> ProvinceReview:
    """One province's review for one reader; with the state store's `engine`, its alerts, decisions and notes too.

    Raises LookupError when the province is not in the caller's scope: queries return nothing outside it.
    """
    profile_rows = db.query(country, "province/profile", scope=scope, province_id=province_id)
    if profile_rows.empty:
        raise LookupError(f"province {province_id!r} is not in scope for {country}")
    profile = profile_rows.iloc[0]
    group = group_of(db, country, province_id)
    group_key = group["group_key"] if group is not None else ""
    cat = indicators.catalogue(db, country)
    kpi_rows = db.query(country, "province/kpis", scope=scope, province_id=province_id, group_key=group_key)
    newest = max((periods.as_date(p) for p in kpi_rows["period_start"]), default=clock.today())
    series = db.query(
        country,
        "province/series",
        scope=scope,
        province_id=province_id,
        group_key=group_key,
        since=indicators.history_start(newest),
    )
    series["period"] = [
        periods.label(p, t, country, lang) for p, t in zip(series["period_start"], series["period_type"], strict=True)
    ]
    series["period_short"] = [
        short_period(p, t, country, lang) for p, t in zip(series["period_start"], series["period_type"], strict=True)
    ]
    districts = _named(db.query(country, "province/districts", scope=scope, province_id=province_id), country, lang)
    districts["change"] = districts["value"] - districts["previous_value"]
    schools = db.query(country, "province/schools", scope=scope, province_id=province_id)
    schools["district"] = schools["district_name_local" if i18n.local_names(country, lang) else "district_name_en"]
    schools["type_label"] = schools["type"].map(lambda t: i18n.tr(lang, SCHOOL_TYPE_LABELS.get(t, t)))
    name = profile["name_local"] if i18n.local_names(country, lang) else profile["name_en"]
    places = {province_id: name, **dict(zip(districts["area_id"], districts["name"], strict=True))}
    area_ids = [province_id, *dict.fromkeys(districts["area_id"])]
    stored_alerts = lifecycle.list_alerts(engine, area_ids=area_ids) if engine is not None else None
    stored_decisions = decisions_.list_decisions(engine, country, area_ids=area_ids) if engine is not None else None
    policy_rows, policy_period = policy_table(db, country, province_id, scope, lang)
    snapshot = db.snapshot(country)
    nation = areas.country(db, country)
    return ProvinceReview(
        country=country,
        lang=lang,
        province_id=province_id,
        name=name,
        name_en=profile["name_en"],
        profile=profile,
        group=group,
        group_name=areas.group_name(group, country, lang) if group is not None else "",
        nation_name=areas.name(nation, country, lang),
        kpis=_kpi_table(kpi_rows, series, cat, country, lang),
        series=series,
        districts=districts,
        schools=schools,
        alerts=alert_table(
            stored_alerts,
            places,
            lang,
            rule_titles(lang) if engine is not None else {},
            {
                i: (t, country)
                for i, t in zip(kpi_rows["indicator_id"], kpi_rows["period_type"], strict=True)
                if isinstance(t, str)
            },
        ),
        decisions=decision_table(stored_decisions, places, lang),
        policies=policy_rows,
        policy_notes=note_table(db, engine, country, province_id, scope, lang),
        policy_period=policy_period,
        as_of=max(
            (
                periods.data_as_of(p, t, clock.today())
                for p, t in zip(kpi_rows["period_start"], kpi_rows["period_type"], strict=True)
                if t
            ),
            default=newest,
        ),
        extract_version=snapshot.version,
        loaded_at=snapshot.loaded_at,
        catalogue=cat.loc[[i for i in kpi_rows["indicator_id"]]],
    )


def _named(table: pd.DataFrame, country: str, lang: str) -> pd.DataFrame:
    table["name"] = table["name_local"] if i18n.local_names(country, lang) else table["name_en"]
    return table


def _kpi_table(rows: pd.DataFrame, series: pd.DataFrame, cat: pd.DataFrame, country: str, lang: str) -> pd.DataFrame:
    out = rows.copy()
    defs = cat.loc[out["indicator_id"]]
    for column in ("wall", "unit", "decimals", "direction"):
        out[column] = defs[column].to_numpy()
    out["name"] = [indicators.name(defs.iloc[i], lang) for i in range(len(defs))]
    out["wall_label"] = out["wall"].map(lambda w: i18n.tr(lang, WALL_LABELS.get(w, w)))
    out["period"] = [
        periods.label(p, t, country, lang) if isinstance(t, str) else i18n.NO_VALUE
        for p, t in zip(out["period_start"], out["period_type"], strict=True)
    ]
    out = out.rename(columns={"group_value": "region_value", "group_status": "region_status"})
    out["status_label"] = out["status"].map(lambda s: indicators.status_label(s, lang))
    sign = out["direction"].map(lambda d: 1.0 if d == "higher_is_better" else -1.0)
    out["change"] = out["value"] - out["previous_value"]
    # A change between units is not comparable; relative to the larger of the magnitudes involved it is.
    magnitude = pd.concat([out["value"].abs(), out["previous_value"].abs(), out["target"].abs()], axis=1).max(axis=1)
    out["relative_change"] = (sign * out["change"] / magnitude.where(magnitude > 0)).astype(float)
    out["change_kind"] = [_change_kind(c, s, d) for c, s, d in zip(out["change"], sign, out["decimals"], strict=True)]
    out["vs_region"] = [
        _compare(v, o, s, d)
        for v, o, s, d in zip(out["value"], out["region_value"], sign, out["decimals"], strict=True)
    ]
    out["vs_nation"] = [
        _compare(v, o, s, d)
        for v, o, s, d in zip(out["value"], out["nation_value"], sign, out["decimals"], strict=True)
    ]
    own = series[series["role"] == "province"]
    trends = {}
    for indicator_id, period_start in zip(out["indicator_id"], out["period_start"], strict=True):
        rows_ = own[(own["indicator_id"] == indicator_id) & (own["period_start"] <= period_start)]
        trends[indicator_id] = [float(v) for v in rows_.sort_values("period_start")["value"].dropna()]
    out["trend"] = out["indicator_id"].map(trends)
    labels = {
        "value_label": "value",
        "target_label": "target",
        "region_label": "region_value",
        "nation_label": "nation_value",
    }
    for label, column in labels.items():
        out[label] = [indicators.fmt(defs.iloc[i], out[column].iloc[i], lang) for i in range(len(out))]
    out["change_label"] = [indicators.signed(defs.iloc[i], out["change"].iloc[i], lang) for i in range(len(out))]
    out["rank_label"] = [_rank_label(r, t, lang) for r, t in zip(out["rank"], out["ranked_provinces"], strict=True)]
    out["group_rank_label"] = [
        _rank_label(r, t, lang) for r, t in zip(out["group_rank"], out["group_provinces"], strict=True)
    ]
    return out[KPI_COLUMNS].reset_index(drop=True)


def _rank_label(rank, total, lang: str) -> str:
    if rank is None or pd.isna(rank):
        return i18n.NO_VALUE
    return i18n.tr(lang, "{rank} of {total}", rank=int(rank), total=int(total))


def _change_kind(change, sign: float, decimals) -> str | None:
    if change is None or pd.isna(change):
        return None
    rounded = round(float(change), int(decimals))
    if rounded == 0:
        return "unchanged"
    return "improved" if sign * rounded > 0 else "worsened"


def _compare(value, other, sign: float, decimals) -> str | None:
    """Whether `value` is better than `other` in the indicator's direction, at the precision it is shown."""
    if value is None or other is None or pd.isna(value) or pd.isna(other):
        return None
    gap = round(float(value), int(decimals)) - round(float(other), int(decimals))
    if gap == 0:
        return "same"
    return "better" if sign * gap > 0 else "worse"


def status_counts(kpis: pd.DataFrame) -> dict[str, int]:
    """How many KPIs are red, amber, green and grey."""
    counts = kpis["status"].fillna("grey").value_counts()
    return {s: int(counts.get(s, 0)) for s in indicators.STATUS_ORDER}


def biggest_changes(kpis: pd.DataFrame, kind: str, count: int = 3) -> pd.DataFrame:
    """The KPIs that improved (kind='improved') or worsened ('worsened') most since the period before.

    Changes in different units are compared relative to the larger of the value, the previous value and
    the target, in the indicator's own direction.
    """
    rows = kpis[kpis["change_kind"] == kind].dropna(subset=["relative_change"])
    return rows.sort_values("relative_change", ascending=kind == "worsened").head(count)


def comparison_counts(kpis: pd.DataFrame, column: str) -> dict[str, int]:
    """How many KPIs are better, the same or worse than the region (column='vs_region') or nation ('vs_nation')."""
    counts = kpis[column].value_counts()
    return {k: int(counts.get(k, 0)) for k in ("better", "same", "worse")}


def district_table(rv: ProvinceReview, indicator_id: str) -> pd.DataFrame:
    """One row per district for one KPI, best first: value, target, status, change, rank and trend, with labels."""
    indicator = rv.indicator(indicator_id)
    table = rv.districts[rv.districts["indicator_id"] == indicator_id].copy()
    table["status"] = table["status"].fillna("grey")
    table["status_label"] = table["status"].map(lambda s: indicators.status_label(s, rv.lang))
    table["value_label"] = table["value"].map(lambda v: indicators.fmt(indicator, v, rv.lang))
    table["target_label"] = table["target"].map(lambda v: indicators.fmt(indicator, v, rv.lang))
    table["change_label"] = table["change"].map(lambda v: indicators.signed(indicator, v, rv.lang))
    table["rank_label"] = [
        _rank_label(r, t, rv.lang) for r, t in zip(table["rank"], table["ranked_districts"], strict=True)
    ]
    table["priority_label"] = table["is_priority"].map(lambda p: rv.tr("Priority district") if p else "")
    return table.reset_index(drop=True)


def district_trends(db: Database, rv: ProvinceReview, indicator_id: str, scope: Scope) -> dict[str, list[float]]:
    """Each district's values for one KPI over the last five years, oldest first."""
    start = indicators.history_start(rv.as_of)
    rows = db.query(
        rv.country,
        "province/district_series",
        scope=scope,
        province_id=rv.province_id,
        indicator_id=indicator_id,
        since=start,
    )
    return {a: [float(v) for v in g.sort_values("period_start")["value"].dropna()] for a, g in rows.groupby("area_id")}


def district_matrix(rv: ProvinceReview) -> tuple[pd.DataFrame, pd.DataFrame]:
    """Districts × KPIs at the newest period: (values, statuses), rows named by district, columns by indicator_id."""
    values = rv.districts.pivot_table(index="name", columns="indicator_id", values="value", aggfunc="first", sort=False)
    statuses = rv.districts.pivot(index="name", columns="indicator_id", values="status")
    order = [i for i in rv.kpis["indicator_id"] if i in values.columns]
    values = values.reindex(columns=order)
    return values, statuses.reindex(index=values.index, columns=order).fillna("grey")


# --- Schools ----------------------------------------------------------------------------------------------------


def school(rv: ProvinceReview, school_id: str) -> pd.Series | None:
    """One school of the province, for its card: name, type, district, students, teachers, pupil ratio, facilities."""
    rows = rv.schools[rv.schools["school_id"] == school_id]
    if rows.empty:
        return None
    row = rows.iloc[0].copy()
    row["pupils_per_teacher"] = row["students"] / row["teachers"] if row["teachers"] else None
    return row


def school_types(rv: ProvinceReview) -> pd.DataFrame:
    """Schools, students and teachers by type of school, the largest first."""
    grouped = rv.schools.groupby("type_label").agg(
        schools=("school_id", "size"), students=("students", "sum"), teachers=("teachers", "sum")
    )
    return grouped.sort_values("schools", ascending=False).reset_index()


def facility_shares(rv: ProvinceReview) -> dict[str, float]:
    """Share of the province's schools (in %) with electricity, internet and water."""
    if rv.schools.empty:
        return {k: float("nan") for k in ("has_electricity", "has_internet", "has_water")}
    return {k: 100.0 * float(rv.schools[k].mean()) for k in ("has_electricity", "has_internet", "has_water")}


# --- Alerts -----------------------------------------------------------------------------------------------------


def alert_table(
    alerts: pd.DataFrame | None,
    places: dict[str, str],
    lang: str,
    titles: dict[str, str],
    period_names: dict[str, tuple[str, str]] | None = None,
) -> pd.DataFrame:
    """The province's alerts, open ones first, worst severity first, newest first; titles and places for the reader.

    `period_names` maps an indicator to (period type, country), so an alert on it names its period as the KPI does.
    """
    if alerts is None or alerts.empty:
        return pd.DataFrame(columns=ALERT_COLUMNS)
    out = alerts.copy()
    period_names = period_names or {}
    out["period"] = [
        periods.label(p, *period_names[s], lang) if s in period_names else day_label(p, lang)
        for s, p in zip(out["subject"], out["period_start"], strict=True)
    ]
    out["title"] = [titles.get(r, t) for r, t in zip(out["rule_id"], out["title"], strict=True)]
    out["place"] = out["area_id"].map(lambda a: places.get(a, a))
    out["severity_label"] = out["severity"].map(lambda s: i18n.tr(lang, SEVERITY_LABELS.get(s, s)))
    out["state_label"] = out["state"].map(lambda s: i18n.tr(lang, ALERT_STATE_LABELS.get(s, s)))
    out["_open"] = out["state"] == "resolved"
    out["_severity"] = out["severity"].map(lambda s: SEVERITY_ORDER.index(s) if s in SEVERITY_ORDER else 9)
    out = out.sort_values(["_open", "_severity", "first_seen_at"], ascending=[True, True, False])
    return out[ALERT_COLUMNS].reset_index(drop=True)


def rule_titles(lang: str) -> dict[str, str]:
    """Each alert rule's title in the reader's language, by rule id (alerts store the English one)."""
    ruleset, _version = rules.current(settings.load().rules_dir)
    return {rule.uid: rule.text("title", lang) for rule in ruleset.rules}


def severity_counts(rv: ProvinceReview) -> dict[str, int]:
    """Open alerts by severity, worst first."""
    counts = rv.open_alerts["severity"].value_counts() if not rv.open_alerts.empty else {}
    return {s: int(counts.get(s, 0)) for s in SEVERITY_ORDER}


# --- Decisions and policies ------------------------------------------------------------------------------------

DECISION_COLUMNS = ["id", "meeting_date", "text", "owner", "due_date", "status", "status_label", "overdue", "place"]
NOTE_COLUMNS = ["created_at", "policy", "kind", "kind_label", "text", "author"]
POLICY_COLUMNS = [
    "policy_id",
    "depth",
    "name",
    "level_label",
    "progress_pct",
    "planned_pct",
    "gap",
    "status",
    "status_label",
    "progress_label",
    "plan_label",
    "gap_label",
    "gap_trend",
]
# A policy's status (cockpit.policies) in the colours of KPI statuses (colour means status).
POLICY_STATUS_COLORS = {"on_track": "green", "at_risk": "amber", "off_track": "red", "not_started": "red"}


def decision_table(rows: pd.DataFrame | None, places: dict[str, str], lang: str, today: date | None = None):
    """Decisions about the province or its districts: open ones first (overdue first), then done, newest first."""
    if rows is None or rows.empty:
        return pd.DataFrame(columns=DECISION_COLUMNS)
    out = rows.copy()
    out["status_label"] = out["status"].map(lambda s: i18n.tr(lang, decisions_.STATUS_LABELS.get(s, s)))
    out["overdue"] = decisions_.overdue(out, today or clock.today()).to_numpy()
    out["place"] = out["area_id"].map(lambda a: places.get(a, a or ""))
    out = out.sort_values(["status", "overdue", "meeting_date"], ascending=[False, False, False])
    return out[DECISION_COLUMNS].reset_index(drop=True)


def policy_table(db: Database, country: str, province_id: str, scope: Scope, lang: str):
    """The province's programmes, policies and projects at the newest reporting quarter: progress against plan.

    Returns (table, quarter); the status is judged by cockpit.policies' rules, as on the Policies page.
    """
    config = policies.load_config()
    rows = policies.progress(db, country, scope, config)
    if rows.empty:
        return pd.DataFrame(columns=POLICY_COLUMNS), None
    quarter = policies.progress_periods(rows)[0]
    chain = policies.catalogue(db, country)
    table = policies.portfolio(rows, chain, province_id, quarter)
    table = table[table["status"] != "no_data"].copy()
    indent = {0: "", 1: "\u2003", 2: "\u2003\u2003· "}
    table["name"] = [
        indent.get(int(d), "") + policies.name(r, country, lang)
        for (_, r), d in zip(table.iterrows(), table["depth"], strict=True)
    ]
    table["level_label"] = table["level"].map(lambda v: i18n.tr(lang, policies.LEVEL_LABELS.get(v, "Policy")))
    table["status_label"] = table["status"].map(lambda v: policies.status_label(v, lang))
    table["progress_label"] = table["progress_pct"].map(lambda v: policies.percent(v, lang))
    table["plan_label"] = table["planned_pct"].map(lambda v: policies.percent(v, lang))
    table["gap_label"] = table["gap"].map(lambda v: policies.points(v, lang))
    table["status"] = table["status"].map(lambda v: POLICY_STATUS_COLORS.get(v, "grey"))
    return table.reset_index(drop=True)[POLICY_COLUMNS], quarter


def note_table(
    db: Database, engine, country: str, province_id: str, scope: Scope, lang: str, limit: int = 20
) -> pd.DataFrame:
    """What the province reported on its policies (progress, problems, obstacles, advice), newest first."""
    if engine is None or not scope.allows(province_id):
        return pd.DataFrame(columns=NOTE_COLUMNS)
    rows = policies.notes(engine, scope, country, area_id=province_id, limit=limit)
    if rows.empty:
        return pd.DataFrame(columns=NOTE_COLUMNS)
    chain = policies.catalogue(db, country)
    rows["kind_label"] = rows["kind"].map(lambda k: i18n.tr(lang, policies.NOTE_KIND_LABELS.get(k, k)))
    rows["policy"] = [policies.name(chain.loc[p], country, lang) if p in chain.index else p for p in rows["policy_id"]]
    return rows[NOTE_COLUMNS].reset_index(drop=True)


# --- A region's review ------------------------------------------------------------------------------------------


@dataclass(frozen=True)
class RegionReview:
    """A province group's provinces side by side on every KPI, with the group and the nation, for one reader."""

    country: str
    lang: str
    group: pd.Series
    name: str
    nation_name: str
    values: pd.DataFrame  # one row per area (its provinces in scope, the region, the nation) and KPI
    peers: pd.DataFrame  # one row per province in scope (the whole country for a national user) and KPI
    kpis: pd.DataFrame  # one row per KPI: name, wall, unit, region and nation values, comparison
    as_of: date
    extract_version: str
    loaded_at: datetime
    catalogue: pd.DataFrame

    def tr(self, message: str, **values) -> str:
        return i18n.tr(self.lang, message, **values)

    @property
    def province_ids(self) -> list[str]:
        rows = self.values[self.values["role"] == "province"]
        return list(dict.fromkeys(rows["area_id"]))


def region_review(db: Database, country: str, group_key: str, scope: Scope, lang: str) -> RegionReview:
    """A province group's review: raises KeyError for an unknown group."""
    groups = review_groups(db, country)
    group = groups.loc[group_key]
    members = set(group["province_ids"])
    rows = db.query(country, "province/latest_values", scope=scope, group_key=group_key)
    rows = _named(rows, country, lang)
    cat = indicators.catalogue(db, country)
    rows.loc[rows["role"] == "region", "name"] = areas.group_name(group, country, lang)
    rows["status"] = rows["status"].fillna("grey")
    rows["value_label"] = [
        indicators.fmt(cat.loc[i], v, lang) for i, v in zip(rows["indicator_id"], rows["value"], strict=True)
    ]
    peers = rows[rows["role"] == "province"].copy()
    values = rows[(rows["role"] != "province") | rows["area_id"].isin(members)].copy()
    kpi_ids = list(dict.fromkeys(values["indicator_id"]))
    region_rows = values[values["role"] == "region"].set_index("indicator_id")
    nation_rows = values[values["role"] == "nation"].set_index("indicator_id")
    kpis = pd.DataFrame({"indicator_id": kpi_ids})
    defs = cat.loc[kpi_ids]
    kpis["name"] = [indicators.name(defs.iloc[i], lang) for i in range(len(defs))]
    for column in ("wall", "unit", "decimals", "direction", "target"):
        kpis[column] = defs[column].to_numpy()
    kpis["wall_label"] = kpis["wall"].map(lambda w: i18n.tr(lang, WALL_LABELS.get(w, w)))
    kpis["period_start"] = kpis["indicator_id"].map(nation_rows["period_start"])
    kpis["period_type"] = kpis["indicator_id"].map(nation_rows["period_type"])
    kpis["period"] = [
        periods.label(p, t, country, lang) for p, t in zip(kpis["period_start"], kpis["period_type"], strict=True)
    ]
    kpis["period_target"] = kpis["indicator_id"].map(nation_rows["target"])
    kpis["region_value"] = kpis["indicator_id"].map(region_rows["value"])
    kpis["region_status"] = kpis["indicator_id"].map(region_rows["status"]).fillna("grey")
    kpis["nation_value"] = kpis["indicator_id"].map(nation_rows["value"])
    kpis["nation_status"] = kpis["indicator_id"].map(nation_rows["status"]).fillna("grey")
    sign = kpis["direction"].map(lambda d: 1.0 if d == "higher_is_better" else -1.0)
    kpis["vs_nation"] = [
        _compare(v, o, s, d)
        for v, o, s, d in zip(kpis["region_value"], kpis["nation_value"], sign, kpis["decimals"], strict=True)
    ]
    snapshot = db.snapshot(country)
    nation = areas.country(db, country)
    return RegionReview(
        country=country,
        lang=lang,
        group=group,
        name=areas.group_name(group, country, lang),
        nation_name=areas.name(nation, country, lang),
        values=values.reset_index(drop=True),
        peers=peers.reset_index(drop=True),
        kpis=kpis,
        as_of=max(
            (
                periods.data_as_of(p, t, clock.today())
                for p, t in zip(kpis["period_start"], kpis["period_type"], strict=True)
            ),
            default=clock.today(),
        ),
        extract_version=snapshot.version,
        loaded_at=snapshot.loaded_at,
        catalogue=cat.loc[kpi_ids],
    )


def region_matrix(rr: RegionReview, walls=WALLS) -> tuple[pd.DataFrame, pd.DataFrame]:
    """KPIs × areas: one row per KPI; the region's provinces side by side (alphabetical), then region and nation.

    Returns (labels, statuses): formatted values and their statuses, indexed by indicator_id, columns area_ids.
    """
    kpi_ids = list(rr.kpis.loc[rr.kpis["wall"].isin(walls), "indicator_id"])
    values = rr.values[rr.values["indicator_id"].isin(kpi_ids)]
    names = area_names(rr)
    members = sorted(rr.province_ids, key=lambda a: sort_key(str(names[a])))
    order = members + list(rr.values.loc[rr.values["role"] == "region", "area_id"].unique())
    order += list(rr.values.loc[rr.values["role"] == "nation", "area_id"].unique())
    labels = values.pivot_table(index="indicator_id", columns="area_id", values="value_label", aggfunc="first")
    statuses = values.pivot_table(index="indicator_id", columns="area_id", values="status", aggfunc="first")
    labels = labels.reindex(index=kpi_ids, columns=order).fillna(i18n.NO_VALUE)
    statuses = statuses.reindex(index=kpi_ids, columns=order).fillna("grey")
    return labels, statuses


def area_names(rr: RegionReview) -> pd.Series:
    """Each area of a region review (its provinces, the region, the nation) by area_id, named for the reader."""
    return rr.values.drop_duplicates("area_id").set_index("area_id")["name"]


# --- Maps -------------------------------------------------------------------------------------------------------


def bounds(features: list[dict]) -> tuple[float, float, float, float]:
    """(west, south, east, north) of some GeoJSON features."""
    xs, ys = [], []
    for feature in features:
        geometry = feature["geometry"]
        polygons = geometry["coordinates"] if geometry["type"] == "MultiPolygon" else [geometry["coordinates"]]
        for polygon in polygons:
            for ring in polygon:
                xs.extend(p[0] for p in ring)
                ys.extend(p[1] for p in ring)
    return min(xs), min(ys), max(xs), max(ys)


def fit_view(box: tuple[float, float, float, float], width: int = 760, height: int = 560, margin: float = 0.92) -> dict:
    """The centre and zoom at which a (west, south, east, north) box fills a width × height px web-mercator map."""
    west, south, east, north = box

    def mercator_y(lat: float) -> float:
        return math.log(math.tan(math.pi / 4 + math.radians(lat) / 2))

    y_south, y_north = mercator_y(south), mercator_y(north)
    # deck.gl's world is 512 px wide at zoom 0.
    zoom_x = math.log2(width * 360 / (512 * max(east - west, 1e-6)))
    zoom_y = math.log2(height * 2 * math.pi / (512 * max(y_north - y_south, 1e-9)))
    y_mid = (y_south + y_north) / 2
    latitude = math.degrees(2 * math.atan(math.exp(y_mid)) - math.pi / 2)
    return dict(latitude=latitude, longitude=(west + east) / 2, zoom=min(zoom_x, zoom_y) + math.log2(margin))


def _province_features(country: str, province_id: str) -> tuple[list[dict], dict | None, list[dict]]:
    """(its districts, its own outline, the provinces around it) from the bundled boundaries."""
    districts = [
        f for f in geo.boundaries(country, "district")["features"] if f["properties"]["province_code"] == province_id
    ]
    provinces_ = geo.boundaries(country, "province")["features"]
    own = next((f for f in provinces_ if f["properties"]["code"] == province_id), None)
    if not districts:
        return [], own, []
    west, south, east, north = bounds(districts)
    pad_x, pad_y = (east - west) * 0.6, (north - south) * 0.6
    around = []
    for f in provinces_:
        if f is own:
            continue
        w, s, e, n = bounds([f])
        if w < east + pad_x and e > west - pad_x and s < north + pad_y and n > south - pad_y:
            around.append(f)
    return districts, own, around


def _context_layers(own: dict | None, around: list[dict]) -> list[pdk.Layer]:
    layers = []
    if around:
        layers.append(
            pdk.Layer(
                "GeoJsonLayer",
                {"type": "FeatureCollection", "features": around},
                id="around",
                stroked=True,
                filled=True,
                get_fill_color=CONTEXT_FILL,
                get_line_color=[255, 255, 255, 255],
                line_width_min_pixels=1,
            )
        )
    return layers


def _outline_layer(own: dict | None) -> list[pdk.Layer]:
    if own is None:
        return []
    return [
        pdk.Layer(
            "GeoJsonLayer",
            {"type": "FeatureCollection", "features": [own]},
            id="outline",
            stroked=True,
            filled=False,
            get_line_color=[31, 36, 48, 255],
            line_width_min_pixels=2,
        )
    ]


def district_deck(rv: ProvinceReview, indicator_id: str, tooltip_lines: list[str], width=760, height=560) -> pdk.Deck:
    """The province's districts on their real boundaries, coloured by status on one KPI, zoomed to the province."""
    districts, own, around = _province_features(rv.country, rv.province_id)
    rows = district_table(rv, indicator_id).set_index("area_id")
    records = rows[["name", "value_label", "target_label", "change_label", "rank_label", "status", "status_label"]]
    records = records.to_dict("index")
    features = []
    for f in districts:
        row = records.get(f["properties"]["code"], {})
        props = {**f["properties"], **{k: ("" if v is None else v) for k, v in row.items()}}
        props.setdefault("name", f["properties"].get("name_en", ""))
        props["fill"] = [*STATUS_COLORS.get(row.get("status") or "grey", STATUS_COLORS["grey"]), 225]
        features.append({"type": "Feature", "geometry": f["geometry"], "properties": props})
    layer = pdk.Layer(
        "GeoJsonLayer",
        {"type": "FeatureCollection", "features": features},
        id="districts",
        pickable=True,
        auto_highlight=True,
        stroked=True,
        filled=True,
        get_fill_color="properties.fill",
        get_line_color=[255, 255, 255, 230],
        line_width_min_pixels=1,
        highlight_color=[40, 40, 60, 90],
    )
    view = fit_view(bounds(districts), width, height) if districts else dict(latitude=0, longitude=0, zoom=1)
    return pdk.Deck(
        layers=[*_context_layers(own, around), layer, *_outline_layer(own)],
        initial_view_state=pdk.ViewState(**view),
        map_provider=None,  # no basemap: no tile server, no outside request
        tooltip={"html": "<br/>".join(tooltip_lines), "style": TOOLTIP_STYLE},
    )


def school_deck(rv: ProvinceReview, tooltip_lines: list[str], width=900, height=560) -> pdk.Deck:
    """The province's schools: hexagons counting schools when zoomed out, each school a point to click when zoomed in.

    Points are sized in metres (at most a few pixels at the province's zoom), so the hexagons carry the
    picture until the reader zooms in; the `schools` layer is the one a click selects.
    """
    districts, own, around = _province_features(rv.country, rv.province_id)
    box = bounds(districts) if districts else (100.0, 10.0, 101.0, 11.0)
    view = fit_view(box, width, height)
    # About 40 hexagons across the province's longest side.
    km_per_degree = 111.32
    extent_km = max(
        (box[2] - box[0]) * km_per_degree * math.cos(math.radians((box[1] + box[3]) / 2)),
        (box[3] - box[1]) * km_per_degree,
    )
    radius_m = max(1500.0, min(10000.0, extent_km * 1000 / 40))
    points = rv.schools[["school_id", "name", "type_label", "district", "students", "teachers", "lon", "lat"]]
    points = points.assign(students_label=points["students"].map(lambda v: i18n.number(v, rv.lang)))
    records = points.to_dict("records")
    outlines = pdk.Layer(
        "GeoJsonLayer",
        {"type": "FeatureCollection", "features": districts},
        id="district_outlines",
        stroked=True,
        filled=True,
        get_fill_color=[250, 250, 250, 255],
        get_line_color=[150, 158, 168, 255],
        line_width_min_pixels=1,
    )
    hexagons = pdk.Layer(
        "HexagonLayer",
        records,
        id="school_density",
        get_position=["lon", "lat"],
        radius=radius_m,
        coverage=0.92,
        extruded=False,
        opacity=0.55,
        color_range=DENSITY_RAMP,
        pickable=False,
    )
    schools_layer = pdk.Layer(
        "ScatterplotLayer",
        records,
        id="schools",
        get_position=["lon", "lat"],
        get_radius=radius_m / 12,  # metres (pydeck would read the string "meters" as an expression)
        radius_min_pixels=2,
        radius_max_pixels=14,
        get_fill_color=SCHOOL_POINT_COLOR,
        get_line_color=[255, 255, 255, 255],
        stroked=True,
        line_width_min_pixels=1,
        pickable=True,
        auto_highlight=True,
        highlight_color=[245, 166, 35, 255],
    )
    return pdk.Deck(
        layers=[*_context_layers(own, around), outlines, hexagons, *_outline_layer(own), schools_layer],
        initial_view_state=pdk.ViewState(**view),
        map_provider=None,
        tooltip={"html": "<br/>".join(tooltip_lines), "style": TOOLTIP_STYLE},
    )


# --- Charts (plotly) --------------------------------------------------------------------------------------------


def trend_figure(rv: ProvinceReview, walls=WALLS, columns: int = 4, row_height: int = 190) -> go.Figure:
    """Small multiples: each KPI's five-year trend for the province, its region and the nation, with the target.

    The province's latest point is coloured by its status; every other line is neutral.
    """
    kpis = rv.kpis[rv.kpis["wall"].isin(walls)]
    count = max(len(kpis), 1)
    rows = math.ceil(count / columns)
    titles = [shorten(n, 46) for n in kpis["name"]]
    fig = make_subplots(
        rows=rows, cols=columns, subplot_titles=titles, horizontal_spacing=0.045, vertical_spacing=0.6 / max(rows, 1)
    )
    names = {
        "province": rv.name,
        "region": rv.group_name or rv.tr("Region"),
        "nation": rv.nation_name,
    }
    for i, kpi in enumerate(kpis.itertuples()):
        row, col = i // columns + 1, i % columns + 1
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
                    hovertemplate="%{customdata}: %{y:.2f}<extra>" + names[role] + "</extra>",
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
                    hovertemplate="%{customdata}: %{y:.2f}<extra>" + rv.tr("Target") + "</extra>",
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
        legend=dict(orientation="h", yanchor="bottom", y=1.0 + 30 / max(rows * row_height, 1), x=0),
        plot_bgcolor="white",
    )
    fig.update_annotations(font=dict(size=13))
    fig.update_yaxes(gridcolor="#eceff3", zeroline=False)
    return fig


def region_figure(rr: RegionReview, walls=WALLS, row_height: int = 92) -> go.Figure:
    """Per KPI, a dot strip: every province in scope (grey), the region's provinces (by status), region and nation.

    Each KPI has its own scale; the target is a green tick, the nation a black bar, the region a diamond.
    """
    kpis = rr.kpis[rr.kpis["wall"].isin(walls)].reset_index(drop=True)
    rows = max(len(kpis), 1)
    height = rows * row_height + 110
    # Each strip reads left to right; say where "better" lies when it is on the left.
    lower = " · " + rr.tr("Lower is better")
    titles = [
        n + (lower if d == "lower_is_better" else "") for n, d in zip(kpis["name"], kpis["direction"], strict=True)
    ]
    fig = make_subplots(rows=rows, cols=1, vertical_spacing=min(0.3, 48 / height), subplot_titles=titles)
    members = set(rr.province_ids)
    legend_done: set[str] = set()

    def legend(key: str) -> bool:
        shown = key not in legend_done
        legend_done.add(key)
        return shown

    for i, kpi in enumerate(kpis.itertuples(), start=1):
        peers = rr.peers[rr.peers["indicator_id"] == kpi.indicator_id].dropna(subset=["value"])
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
                hovertemplate="%{text}: %{x:.2f}<extra></extra>",
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
                hovertemplate="%{text}: %{x:.2f}<extra></extra>",
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
                    hovertemplate=rr.nation_name + ": %{x:.2f}<extra></extra>",
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
                    hovertemplate=rr.name + ": %{x:.2f}<extra></extra>",
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
                    hovertemplate=rr.tr("Target") + ": %{x:.2f}<extra></extra>",
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
        legend=dict(orientation="h", yanchor="bottom", y=1.0 + 40 / (rows * row_height), x=0),
        plot_bgcolor="white",
    )
    fig.update_annotations(font=dict(size=13), xanchor="left", x=0)
    return fig


def shorten(text: str, length: int) -> str:
    """At most `length` characters, cut between two clusters (never between a Thai or Lao letter and its marks)."""
    if len(text) <= length:
        return text
    cut = max((i for i in cluster_starts(text) if i <= length - 1), default=length - 1)
    return text[:cut].rstrip() + "…"


LEADING_VOWELS = set("\u0e40\u0e41\u0e42\u0e43\u0e44\u0ec0\u0ec1\u0ec2\u0ec3\u0ec4")
SARA_AM = set("\u0e33\u0eb3")


def cluster_starts(text: str) -> list[int]:
    """Where a line may break inside a word: before a letter that is not a mark, a SARA AM, or after a leading vowel."""
    return [
        i
        for i in range(1, len(text))
        if unicodedata.category(text[i]) not in ("Mn", "Mc", "Me")
        and text[i] not in SARA_AM
        and text[i - 1] not in LEADING_VOWELS
    ]


def short_period(start, period_type: str, country: str, lang: str) -> str:
    """A period's name short enough for a chart's axis: '2569' (a Thai fiscal year, for Thai readers), 'FY2569',
    '2025–26' (a Lao school year); terms and months as periods.label names them."""
    start = periods.as_date(start)
    if period_type == "year" and country == "th":
        year = periods.thai_fiscal_year(start)
        return str(year) if lang == "th" else f"FY{year}"
    if period_type == "year":
        return f"{start.year}–{str(start.year + 1)[-2:]}"
    if period_type == "term":  # '2/2566': term 2 of the academic year 2566, as periods.label counts them
        year = start.year + periods.BUDDHIST_ERA_OFFSET if country == "th" else start.year
        return f"{1 if start.month == 5 else 2}/{year}"
    return periods.label(start, period_type, country, lang)


def day_label(day, lang: str) -> str:
    """A date as its reader writes it: '31 ต.ค. 2569' (Buddhist era for Thai), '31 Oct 2026'."""
    day = periods.as_date(day)
    month = i18n.locale(lang).months["format"]["abbreviated"][day.month]
    year = day.year + periods.BUDDHIST_ERA_OFFSET if lang == "th" else day.year
    return f"{day.day} {month} {year}"
