"""A province's review: every KPI against target, region and nation with its rank and trend; its districts and
schools; its alerts, decisions, policy progress and notes. Plain data for the Province page and the documents."""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import date, datetime

import pandas as pd

from cockpit import clock, i18n, periods, settings
from cockpit.alerts import evaluation, lifecycle, rules
from cockpit.data import areas, indicators, per_version
from cockpit.data.access import Scope
from cockpit.data.db import Database
from cockpit.figures import short_text
from cockpit.i18n import N_
from cockpit.meeting import decisions as decisions_
from cockpit.review import policies, policy_notes

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


SEVERITY_LABELS = lifecycle.SEVERITY_LABELS


SEVERITY_ORDER = ("critical", "high", "medium", "low")


ALERT_STATE_LABELS = lifecycle.STATE_LABELS


COMPARISON_LABELS = {"better": N_("better"), "worse": N_("worse"), "same": N_("same")}


HISTORY_YEARS = indicators.HISTORY_YEARS


def sort_key(name: str) -> str:
    """Dictionary order for Thai and Lao names: a leading vowel (เ แ โ ใ ไ, ເ ແ ໂ ໃ ໄ) sorts after its consonant."""
    return re.sub(r"([\u0e40-\u0e44\u0ec0-\u0ec4])(.)", r"\2\1", name)


def provinces(db: Database, country: str, scope: Scope, lang: str) -> pd.DataFrame:
    """The provinces in scope, indexed by area_id, with `name` for the reader, in the reader's alphabetical order."""
    key = (db.snapshot(country).version, "provinces", country, scope, lang)
    return _tables.get(key, lambda: _provinces(db, country, scope, lang)).copy()


def _provinces(db: Database, country: str, scope: Scope, lang: str) -> pd.DataFrame:
    table = db.query(country, "data/provinces", scope=scope).set_index("area_id", drop=False)
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
    policy_problem: str | None  # why `policies` is empty when config/policy_status.yaml cannot be read
    as_of: date  # the end of the newest period shown
    extract_version: str
    loaded_at: datetime
    catalogue: pd.DataFrame  # the KPIs' definitions, indexed by indicator_id
    # (version, country, province, scope, language, day): what the figures made from this review are cached under
    cache_key: tuple | None = None

    @property
    def district_ids(self) -> list[str]:
        return list(dict.fromkeys(self.districts["area_id"]))

    @property
    def area_ids(self) -> list[str]:
        """The province and its districts: the areas whose alerts and decisions belong to its review."""
        return [self.province_id, *self.district_ids]

    def tr(self, message: str, **values) -> str:
        return i18n.tr(self.lang, message, **values)

    @property
    def group_heading(self) -> str:
        """The heading of the column comparing the province with its group: "REO" in Thailand, "Region" in Lao."""
        return areas.group_heading(self.group["group_type"] if self.group is not None else None, self.lang)

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
    "status_reason",
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


# What a review derives from the published version alone, per version, province, scope, language and day.
_published = per_version.Cache(64)


# Smaller tables made from a review (its policies, a KPI's districts), under the review's key.
_tables = per_version.Cache(256)


def review(db: Database, country: str, province_id: str, scope: Scope, lang: str, engine=None) -> ProvinceReview:
    """One province's review for one reader; with the state store's `engine`, its alerts, decisions and notes too.

    What comes from the published version is built once per version (and scope, language and day); the alerts,
    decisions and notes are read from the store on every call. Raises LookupError when the province is not in the
    caller's scope: queries return nothing outside it.
    """
    snapshot = db.snapshot(country)
    key = (snapshot.version, country, province_id, scope, lang, clock.today())
    data = _published.get(key, lambda: _published_review(db, country, province_id, scope, lang))
    districts = data["districts"]
    places = {province_id: data["name"], **dict(zip(districts["area_id"], districts["name"], strict=True))}
    area_ids = [province_id, *dict.fromkeys(districts["area_id"])]
    stored_alerts = lifecycle.list_alerts(engine, area_ids=area_ids) if engine is not None else None
    stored_decisions = decisions_.list_decisions(engine, country, area_ids=area_ids) if engine is not None else None
    try:
        config = policies.load_config()
        # Per version and per status rules (a changed config/policy_status.yaml is read at once).
        policy_rows, policy_period = _tables.get(
            (*key, "policies", config), lambda: policy_table(db, country, province_id, scope, lang, config)
        )
        policy_rows, policy_problem = policy_rows.copy(), None
    except policies.ConfigError as exc:  # the policy rules cannot be read: only the policy section goes
        policy_rows, policy_period, policy_problem = pd.DataFrame(columns=POLICY_COLUMNS), None, str(exc)
    kpi_rows = data["kpi_rows"]
    alerts = alert_table(
        stored_alerts,
        places,
        lang,
        rule_titles(lang) if engine is not None else {},
        {
            **{i: ("quarter", country) for i in data["policy_names"]},
            **{
                i: (t, country)
                for i, t in zip(kpi_rows["indicator_id"], kpi_rows["period_type"], strict=True)
                if isinstance(t, str)
            },
        },
        data["policy_names"],
    )
    subject_names = {
        **{("policy", p): n for p, n in data["policy_names"].items()},
        **{("indicator", i): n for i, n in zip(data["kpis"]["indicator_id"], data["kpis"]["name"], strict=True)},
        **{("alert", str(i)): t for i, t in zip(alerts["id"], alerts["title"], strict=True)},
    }
    # The cached frames are shared: each review gets its own copies (cheap: tens to thousands of rows).
    return ProvinceReview(
        country=country,
        lang=lang,
        province_id=province_id,
        name=data["name"],
        name_en=data["profile"]["name_en"],
        profile=data["profile"].copy(),
        group=data["group"].copy() if data["group"] is not None else None,
        group_name=data["group_name"],
        nation_name=data["nation_name"],
        kpis=data["kpis"].copy(),
        series=data["series"].copy(),
        districts=districts.copy(),
        schools=data["schools"].copy(),
        alerts=alerts,
        decisions=decision_table(stored_decisions, places, lang, subject_names=subject_names, home=province_id),
        policies=policy_rows,
        policy_notes=note_table(db, engine, country, province_id, scope, lang),
        policy_period=policy_period,
        policy_problem=policy_problem,
        as_of=data["as_of"],
        extract_version=snapshot.version,
        loaded_at=snapshot.loaded_at,
        catalogue=data["catalogue"].copy(),
        cache_key=key,
    )


def _published_review(db: Database, country: str, province_id: str, scope: Scope, lang: str) -> dict:
    """The parts of a review that come from the published version: profile, KPIs, series, districts, schools."""
    profile_rows = db.query(country, "review/province/profile", scope=scope, province_id=province_id)
    if profile_rows.empty:
        raise LookupError(f"province {province_id!r} is not in scope for {country}")
    profile = profile_rows.iloc[0]
    group = group_of(db, country, province_id)
    group_key = group["group_key"] if group is not None else ""
    cat = indicators.catalogue(db, country)
    kpi_rows = db.query(country, "review/province/kpis", scope=scope, province_id=province_id, group_key=group_key)
    newest = max((periods.as_date(p) for p in kpi_rows["period_start"]), default=clock.today())
    series = db.query(
        country,
        "review/province/series",
        scope=scope,
        province_id=province_id,
        group_key=group_key,
        since=indicators.history_start(newest),
    )
    series["period"] = [
        periods.label(p, t, country, lang) for p, t in zip(series["period_start"], series["period_type"], strict=True)
    ]
    series["period_short"] = [
        short_text.short_period(p, t, country, lang)
        for p, t in zip(series["period_start"], series["period_type"], strict=True)
    ]
    districts = named(
        db.query(country, "review/province/districts", scope=scope, province_id=province_id), country, lang
    )
    districts["change"] = districts["value"] - districts["previous_value"]
    schools = db.query(country, "review/province/schools", scope=scope, province_id=province_id)
    schools["district"] = schools["district_name_local" if i18n.local_names(country, lang) else "district_name_en"]
    schools["type_label"] = schools["type"].map(lambda t: i18n.tr(lang, SCHOOL_TYPE_LABELS.get(t, t)))
    nation = areas.country(db, country)
    return dict(
        name=profile["name_local"] if i18n.local_names(country, lang) else profile["name_en"],
        profile=profile,
        group=group,
        group_name=areas.group_name(group, country, lang) if group is not None else "",
        nation_name=areas.name(nation, country, lang),
        kpi_rows=kpi_rows,
        kpis=kpi_table(kpi_rows, series, cat, country, lang),
        series=series,
        districts=districts,
        schools=schools,
        as_of=max(
            (
                periods.data_as_of(p, t, clock.today())
                for p, t in zip(kpi_rows["period_start"], kpi_rows["period_type"], strict=True)
                if t
            ),
            default=newest,
        ),
        catalogue=cat.loc[[i for i in kpi_rows["indicator_id"]]],
        policy_names=evaluation.policy_names(db, country, lang),
    )


def named(table: pd.DataFrame, country: str, lang: str) -> pd.DataFrame:
    table["name"] = table["name_local"] if i18n.local_names(country, lang) else table["name_en"]
    return table


def kpi_table(rows: pd.DataFrame, series: pd.DataFrame, cat: pd.DataFrame, country: str, lang: str) -> pd.DataFrame:
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
    out["status_reason"] = [
        indicators.status_reason(defs.iloc[i], v, t, s, lang)
        for i, (v, t, s) in enumerate(zip(out["value"], out["target"], out["status"], strict=True))
    ]
    sign = out["direction"].map(lambda d: 1.0 if d == "higher_is_better" else -1.0)
    out["change"] = out["value"] - out["previous_value"]
    # A change between units is not comparable; relative to the larger of the magnitudes involved it is.
    magnitude = pd.concat([out["value"].abs(), out["previous_value"].abs(), out["target"].abs()], axis=1).max(axis=1)
    out["relative_change"] = (sign * out["change"] / magnitude.where(magnitude > 0)).astype(float)
    out["change_kind"] = [change_kind(c, s, d) for c, s, d in zip(out["change"], sign, out["decimals"], strict=True)]
    out["vs_region"] = [
        compare(v, o, s, d) for v, o, s, d in zip(out["value"], out["region_value"], sign, out["decimals"], strict=True)
    ]
    out["vs_nation"] = [
        compare(v, o, s, d) for v, o, s, d in zip(out["value"], out["nation_value"], sign, out["decimals"], strict=True)
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
    out["rank_label"] = [rank_label(r, t, lang) for r, t in zip(out["rank"], out["ranked_provinces"], strict=True)]
    out["group_rank_label"] = [
        rank_label(r, t, lang) for r, t in zip(out["group_rank"], out["group_provinces"], strict=True)
    ]
    return out[KPI_COLUMNS].reset_index(drop=True)


def rank_label(rank, total, lang: str) -> str:
    if rank is None or pd.isna(rank):
        return i18n.NO_VALUE
    return i18n.tr(lang, "{rank} of {total}", rank=int(rank), total=int(total))


def change_kind(change, sign: float, decimals) -> str | None:
    if change is None or pd.isna(change):
        return None
    rounded = round(float(change), int(decimals))
    if rounded == 0:
        return "unchanged"
    return "improved" if sign * rounded > 0 else "worsened"


def compare(value, other, sign: float, decimals) -> str | None:
    """Whether `value` is better than `other` in the indicator's direction, at the precision it is shown."""
    if value is None or other is None or pd.isna(value) or pd.isna(other):
        return None
    gap = round(float(value), int(decimals)) - round(float(other), int(decimals))
    if gap == 0:
        return "same"
    return "better" if sign * gap > 0 else "worse"


def status_counts(kpis: pd.DataFrame) -> dict[str, int]:
    """How many KPIs are in each status (indicators.STATUS_ORDER)."""
    counts = kpis["status"].fillna("no_data").value_counts()
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


def per_review(rv: ProvinceReview, make, *what):
    """`make()` once per review key (version, province, scope, language, day) and `what`: for what is made from the
    published part of a review alone (its KPIs, districts, schools), never from its alerts, decisions or notes. The
    value is shared: a caller that changes it takes a copy."""
    if rv.cache_key is None:
        return make()
    return _tables.get((*rv.cache_key, *what), make)


def district_table(rv: ProvinceReview, indicator_id: str) -> pd.DataFrame:
    """One row per district for one KPI, best first: value, target, status, change, rank and trend, with labels.

    Made once per review key and KPI (the page and its map both ask); each caller gets its own copy.
    """
    return per_review(rv, lambda: _district_table(rv, indicator_id), "districts", indicator_id).copy()


def _district_table(rv: ProvinceReview, indicator_id: str) -> pd.DataFrame:
    indicator = rv.indicator(indicator_id)
    table = rv.districts[rv.districts["indicator_id"] == indicator_id].copy()
    table["status"] = table["status"].fillna("no_data")
    table["status_label"] = table["status"].map(lambda s: indicators.status_label(s, rv.lang))
    table["status_reason"] = [
        indicators.status_reason(indicator, v, t, s, rv.lang)
        for v, t, s in zip(table["value"], table["target"], table["status"], strict=True)
    ]
    table["value_label"] = table["value"].map(lambda v: indicators.fmt(indicator, v, rv.lang))
    table["target_label"] = table["target"].map(lambda v: indicators.fmt(indicator, v, rv.lang))
    table["change_label"] = table["change"].map(lambda v: indicators.signed(indicator, v, rv.lang))
    table["rank_label"] = [
        rank_label(r, t, rv.lang) for r, t in zip(table["rank"], table["ranked_districts"], strict=True)
    ]
    return table.reset_index(drop=True)


def district_trends(db: Database, rv: ProvinceReview, indicator_id: str, scope: Scope) -> dict[str, list[float]]:
    """Each district's values for one KPI over the last five years, oldest first (made once per review key)."""
    found = per_review(rv, lambda: _district_trends(db, rv, indicator_id, scope), "trends", indicator_id, scope)
    return {a: list(values) for a, values in found.items()}


def _district_trends(db: Database, rv: ProvinceReview, indicator_id: str, scope: Scope) -> dict[str, list[float]]:
    start = indicators.history_start(rv.as_of)
    rows = db.query(
        rv.country,
        "review/province/district_series",
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
    return values, statuses.reindex(index=values.index, columns=order).fillna("no_data")


def school(rv: ProvinceReview, school_id: str) -> pd.Series | None:
    """One school of the province, for its card: name, type, district, students, teachers, pupil ratio, facilities."""
    rows = rv.schools[rv.schools["school_id"] == school_id]
    if rows.empty:
        return None
    row = rows.iloc[0].copy()
    row["pupils_per_teacher"] = row["students"] / row["teachers"] if row["teachers"] else None
    return row


def school_types(rv: ProvinceReview) -> pd.DataFrame:
    """Schools, students and teachers by type of school, the largest first (made once per review key)."""
    return per_review(rv, lambda: _school_types(rv), "school_types").copy()


def _school_types(rv: ProvinceReview) -> pd.DataFrame:
    grouped = rv.schools.groupby("type_label").agg(
        schools=("school_id", "size"), students=("students", "sum"), teachers=("teachers", "sum")
    )
    return grouped.sort_values("schools", ascending=False).reset_index()


def facility_shares(rv: ProvinceReview) -> dict[str, float]:
    """Share of the province's schools (in %) with electricity, internet and water."""
    if rv.schools.empty:
        return {k: float("nan") for k in ("has_electricity", "has_internet", "has_water")}
    return {k: 100.0 * float(rv.schools[k].mean()) for k in ("has_electricity", "has_internet", "has_water")}


def alert_table(
    alerts: pd.DataFrame | None,
    places: dict[str, str],
    lang: str,
    titles: dict[str, str],
    period_names: dict[str, tuple[str, str]] | None = None,
    policy_names: dict[str, str] | None = None,
) -> pd.DataFrame:
    """The province's alerts, open ones first, worst severity first, newest first; titles and places for the reader.

    `period_names` maps an indicator or a policy to (period type, country), so an alert on it names its period as
    the KPI or the policy's progress does; `policy_names` (evaluation.policy_names) names a stalled policy.
    """
    if alerts is None or alerts.empty:
        return pd.DataFrame(columns=ALERT_COLUMNS)
    out = alerts.copy()
    period_names = period_names or {}
    out["period"] = [
        periods.label(p, *period_names[s], lang) if s in period_names else periods.day_label(p, lang)
        for s, p in zip(out["subject"], out["period_start"], strict=True)
    ]
    out["title"] = [
        evaluation.alert_title(titles.get(r, t), d, s, lang, policy_names or {})
        for r, t, d, s in zip(out["rule_id"], out["title"], out["detail"], out["subject"], strict=True)
    ]
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


DECISION_COLUMNS = [
    "id",
    "meeting_date",
    "text",
    "owner",
    "due_date",
    "status",
    "status_label",
    "overdue",
    "place",
    "about",
]


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
POLICY_STATUS_COLORS = {
    "on_track": "on_track",
    "at_risk": "at_risk",
    "off_track": "off_track",
    "not_started": "off_track",
}


def decision_table(
    rows: pd.DataFrame | None,
    places: dict[str, str],
    lang: str,
    today: date | None = None,
    subject_names: dict[tuple[str, str], str] | None = None,
    home: str | None = None,
):
    """Decisions about the province or its districts: open ones first (overdue first), then done, newest first.

    `about` says what each is about: the area's name, or the KPI's, policy's or alert's (`subject_names`, by
    (subject_type, subject_id)) and the district's when it is not the `home` province's own."""
    if rows is None or rows.empty:
        return pd.DataFrame(columns=DECISION_COLUMNS)
    names = subject_names or {}

    def about(subject_type: str, subject_id: str, area_id) -> str:
        if subject_type == "area":
            return places.get(area_id, area_id or "")
        name = names.get((subject_type, str(subject_id)), f"#{subject_id}" if subject_type == "alert" else subject_id)
        return name if area_id == home or area_id not in places else f"{name} · {places[area_id]}"

    out = rows.copy()
    out["status_label"] = out["status"].map(lambda s: i18n.tr(lang, decisions_.STATUS_LABELS.get(s, s)))
    out["overdue"] = decisions_.overdue(out, today or clock.today()).to_numpy()
    out["place"] = out["area_id"].map(lambda a: places.get(a, a or ""))
    out["about"] = [
        about(t, i, a) for t, i, a in zip(out["subject_type"], out["subject_id"], out["area_id"], strict=True)
    ]
    out = out.sort_values(["status", "overdue", "meeting_date"], ascending=[False, False, False])
    return out[DECISION_COLUMNS].reset_index(drop=True)


def policy_table(
    db: Database, country: str, province_id: str, scope: Scope, lang: str, config: policies.Config | None = None
):
    """The province's programmes, policies and projects at the newest reporting quarter: progress against plan.

    Returns (table, quarter); the status is judged by cockpit.policies' rules (`config`, else the file's), as on the
    Policies page.
    """
    config = config or policies.load_config()
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
    table["status"] = table["status"].map(lambda v: POLICY_STATUS_COLORS.get(v, "no_data"))
    return table.reset_index(drop=True)[POLICY_COLUMNS], quarter


def note_table(
    db: Database, engine, country: str, province_id: str, scope: Scope, lang: str, limit: int = 20
) -> pd.DataFrame:
    """What the province reported on its policies (progress, problems, obstacles, advice), newest first."""
    if engine is None or not scope.allows(province_id):
        return pd.DataFrame(columns=NOTE_COLUMNS)
    rows = policy_notes.notes(engine, scope, country, area_id=province_id, limit=limit)
    if rows.empty:
        return pd.DataFrame(columns=NOTE_COLUMNS)
    chain = policies.catalogue(db, country)
    rows["kind_label"] = rows["kind"].map(lambda k: i18n.tr(lang, policies.NOTE_KIND_LABELS.get(k, k)))
    rows["policy"] = [policies.name(chain.loc[p], country, lang) if p in chain.index else p for p in rows["policy_id"]]
    return rows[NOTE_COLUMNS].reset_index(drop=True)
