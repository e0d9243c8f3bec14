"""Data quality: how far the figures can be trusted. Completeness (districts that reported / districts expected, by
the reporting calendar), timeliness of each source against that calendar, outliers by the modified z-score the
outlier rules use, and consistency (girls and boys adding up to the total)."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

import pandas as pd

from cockpit import i18n
from cockpit.alerts import calendar
from cockpit.data import per_version
from cockpit.data.access import Scope
from cockpit.data.db import Database
from cockpit.figures import short_text

Z = 3.0  # the outlier rules' default (rules/SAMPLE.yaml), as DHIS2
GOOD, FAIR = 0.95, 0.80  # completeness bands: at least 95% reported is complete, below 80% is poor
TIMELINESS = ("on_time", "late", "missing")


@dataclass(frozen=True)
class Expected:
    """What the calendar says an indicator owes on a day."""

    frequency: str
    due_days: int
    due_period: date | None


def expected(country: str, indicator: pd.Series, today: date, cal: dict) -> Expected:
    due = calendar.due_for(cal, country, indicator["indicator_id"], indicator["frequency"])
    return Expected(due.frequency, due.due_days, calendar.due_period(country, due.frequency, due.due_days, today))


def districts(db: Database, country: str, scope: Scope) -> pd.DataFrame:
    rows = db.query(country, "explore/areas", scope=scope)
    return rows[rows["level"] == "district"].set_index("area_id", drop=False)


def band(share) -> str:
    """A completeness share as a status, so maps and tables colour it as everything else: complete, partial, poor."""
    if share is None or pd.isna(share):
        return "no_data"
    return "met" if share >= GOOD else ("at_risk" if share >= FAIR else "off_track")


# The Data quality page's tables per version, scope, day and calendar (and indicator and period): the page asks for
# them on every rerun, and they cost 10-16 ms each to build on the Thai demo data. Each caller gets its own copy.
_tables = per_version.Cache(64)


def _cached(db: Database, country: str, key: tuple, build) -> pd.DataFrame:
    return _tables.get((db.snapshot(country).version, country, *key), build).copy()


def _calendar_key(cal: dict, country: str) -> tuple:
    """What a country's entries in the calendar say, hashable: a changed calendar makes another key."""
    entry = cal.get(country)
    if entry is None:
        return ()
    return (entry["default"], tuple(sorted(entry["indicators"].items())))


CHASED_FIRST = {"missing": 0, "late": 1, "on_time": 2}  # the sources' timeliness, in the order they are chased


def sources(db: Database, country: str, scope: Scope, kpis: pd.DataFrame, today: date, cal: dict) -> pd.DataFrame:
    """One row per indicator: its source, the period due today, the newest period in the data, how many periods
    late, and the share of districts in scope that reported the due period; what needs chasing first comes first
    (the missing, then the late, then the least complete)."""
    key = ("sources", scope, tuple(kpis.index), today, _calendar_key(cal, country))
    return _cached(db, country, key, lambda: _sources(db, country, scope, kpis, today, cal))


def _sources(db: Database, country: str, scope: Scope, kpis: pd.DataFrame, today: date, cal: dict) -> pd.DataFrame:
    expected_districts = len(districts(db, country, scope))
    since = date(today.year - 2, 1, 1)
    reports = db.query(country, "quality/indicator_reports", scope=scope, since=since)
    rows = []
    for indicator_id, indicator in kpis.iterrows():
        owed = expected(country, indicator, today, cal)
        mine = reports[reports["indicator_id"] == indicator_id]
        newest = mine["period_start"].max().date() if len(mine) else None
        due = owed.due_period
        reported = int(mine.loc[mine["period_start"] == pd.Timestamp(due), "reporting"].sum()) if due else 0
        late = 0
        if due is not None and (newest is None or newest < due):
            start = due
            while newest is not None and start > newest and late < 60:
                start = calendar.previous_start(country, owed.frequency, start)
                late += 1
        timeliness = "missing" if newest is None else ("on_time" if late == 0 else "late")
        share = reported / expected_districts if expected_districts else None
        rows.append(
            dict(
                indicator_id=indicator_id,
                source=indicator["source"],
                frequency=owed.frequency,
                due_days=owed.due_days,
                due_period=due,
                newest_period=newest,
                periods_late=late,
                timeliness=timeliness,
                reported=reported,
                expected=expected_districts,
                completeness=share,
                status=band(share),
            )
        )
    found = pd.DataFrame(rows)
    if found.empty:
        return found
    return found.sort_values(
        ["timeliness", "completeness"],
        key=lambda c: c.map(CHASED_FIRST) if c.name == "timeliness" else c,
        kind="stable",
    ).reset_index(drop=True)


def by_province(db: Database, country: str, scope: Scope, indicator_id: str, period_start) -> pd.DataFrame:
    """One row per province in scope: districts reported / expected for one indicator and period, and which missed."""
    key = ("by_province", scope, indicator_id, pd.Timestamp(period_start).date())
    return _cached(db, country, key, lambda: _by_province(db, country, scope, indicator_id, period_start))


def _by_province(db: Database, country: str, scope: Scope, indicator_id: str, period_start) -> pd.DataFrame:
    rows = db.query(
        country, "quality/district_reports", scope=scope, indicator_id=indicator_id, period_start=period_start
    )
    return reports_by_province(rows)


def reports_by_province(rows: pd.DataFrame) -> pd.DataFrame:
    """queries/quality/district_reports' rows (a district each: reported or not) by province."""
    grouped = rows.groupby("province_id")
    missing = rows[~rows["reported"]].groupby("province_id")
    out = pd.DataFrame(
        {
            "reported": grouped["reported"].sum().astype(int),
            "expected": grouped["reported"].size(),
        }
    ).reset_index()
    # The districts that did not report, by their English and their local names (a Thai reader read them in English).
    for column, names in (("missing_en", "name_en"), ("missing_local", "name_local")):
        listed = missing[names].agg(list)
        out[column] = [listed.get(p, []) for p in out["province_id"]]
    out["completeness"] = out["reported"] / out["expected"]
    out["status"] = out["completeness"].map(band)
    return out.sort_values(["completeness", "province_id"]).reset_index(drop=True)


def missing_label(names: list[str], expected: int, column_px: int, lang: str) -> str:
    """A province's districts that did not report (`names`, of `expected`), in the three lines a grid's cell
    `column_px` wide holds, the rest counted ("+12 more districts": the province's page names them all); "All 50
    districts" where none reported."""
    if names and len(names) == expected:
        return i18n.tr(lang, "All {n} districts", n=len(names))
    return short_text.fit_list(names, column_px, 3, lambda n: i18n.tr(lang, "+{n} more districts", n=n))


def trend(db: Database, country: str, scope: Scope, indicator_id: str, since: date) -> pd.DataFrame:
    """The share of districts in scope that reported each period of one indicator."""
    expected_districts = len(districts(db, country, scope))
    rows = db.query(country, "quality/indicator_reports", scope=scope, since=since)
    rows = rows[rows["indicator_id"] == indicator_id].copy()
    rows["completeness"] = rows["reporting"] / expected_districts if expected_districts else None
    return rows


def outliers(db: Database, country: str, scope: Scope, indicator_id: str, period_start, z: float = Z) -> pd.DataFrame:
    return db.query(country, "quality/outliers", scope=scope, indicator_id=indicator_id, period_start=period_start, z=z)


def sex_sums(db: Database, country: str, scope: Scope, since: date) -> pd.DataFrame:
    return db.query(country, "quality/sex_sums", scope=scope, since=since)


def worst_districts(
    db: Database, country: str, scope: Scope, kpis: pd.DataFrame, today: date, cal: dict, n: int = 20
) -> pd.DataFrame:
    """The n districts with the least complete reporting over the last year (reported / due periods over every
    indicator, by the calendar), then the lowest share of schools reporting (the reporting_completeness KPI)."""
    key = ("worst_districts", scope, tuple(kpis.index), today, _calendar_key(cal, country), n)
    return _cached(db, country, key, lambda: _worst_districts(db, country, scope, kpis, today, cal, n))


def _worst_districts(
    db: Database, country: str, scope: Scope, kpis: pd.DataFrame, today: date, cal: dict, n: int
) -> pd.DataFrame:
    since = date(today.year - 1, today.month, 1)
    counts = db.query(country, "quality/district_counts", scope=scope, since=since, as_of=today)
    owed = {}
    for indicator_id, indicator in kpis.iterrows():
        e = expected(country, indicator, today, cal)
        k, start = 0, e.due_period
        while start is not None and start >= since and k < 60:
            k += 1
            start = calendar.previous_start(country, e.frequency, start)
        owed[indicator_id] = k
    area = districts(db, country, scope)
    grid = pd.MultiIndex.from_product([area.index, list(owed)], names=["area_id", "indicator_id"])
    got = counts.set_index(["area_id", "indicator_id"])["reported"].reindex(grid, fill_value=0).reset_index()
    got["owed"] = got["indicator_id"].map(owed)
    got["reported"] = got[["reported", "owed"]].min(axis=1)
    per = got.groupby("area_id")[["reported", "owed"]].sum()
    per["completeness"] = per["reported"] / per["owed"].where(per["owed"] > 0)
    schools = db.query(
        country, "explore/values", scope=scope, indicator_id="reporting_completeness", level="district", since=since
    )
    schools = schools[schools["sex"] == "total"]
    per["schools_reporting"] = schools.groupby("area_id")["value"].mean().reindex(per.index)
    per = per.join(area[["province_id", "name_en", "name_local"]])
    per = per.sort_values(["completeness", "schools_reporting"], na_position="first").head(n).reset_index()
    per["status"] = per["completeness"].map(band)
    return per


def province_reports(db: Database, country: str, scope: Scope, since: date) -> pd.DataFrame:
    """One row per province in scope, indicator and period since a date: districts reported / expected and the
    share (the `by_province` completeness for every figure at once, for the quality marks on other pages)."""
    rows = db.query(country, "quality/province_reports", scope=scope, since=pd.Timestamp(since).date())
    rows["period_start"] = pd.to_datetime(rows["period_start"])
    rows["completeness"] = rows["reported"] / rows["expected"]
    return rows


def completeness_of(reports: pd.DataFrame, indicator_id: str, period_start) -> pd.Series:
    """Each province's share of expected district reports for one indicator and period (from `province_reports`),
    indexed by province; a figure no district reports (a province-level source) has none."""
    start = pd.Timestamp(period_start)
    mine = reports[(reports["indicator_id"] == indicator_id) & (reports["period_start"] == start)]
    return mine.set_index("province_id")["completeness"]


def figure_completeness(reports: pd.DataFrame, province_ids, indicator_ids, period_starts) -> pd.Series:
    """The share of expected district reports behind each of some province figures (province, indicator, period
    side by side), from `province_reports`; NaN where no district reports that indicator."""
    wanted = pd.DataFrame(
        {
            "province_id": list(province_ids),
            "indicator_id": list(indicator_ids),
            "period_start": pd.to_datetime(pd.Series(list(period_starts), dtype=object)),
        }
    )
    shares = reports.set_index(["province_id", "indicator_id", "period_start"])["completeness"]
    keys = pd.MultiIndex.from_frame(wanted)
    return pd.Series(shares.reindex(keys).to_numpy(), dtype=float)
