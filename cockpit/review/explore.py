"""The Explorer: any indicator at any level, for a chosen set of areas (a grouping, a province's districts, the Lao
priority districts), as a series, a ranking, a pair of indicators and a pivot; drill-down and breadcrumbs.

Every table here is computed by the named queries in queries/explore/ with the caller's scope; this module only
filters, names and shapes them, and says what one click down or up the hierarchy is.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

import pandas as pd

from cockpit import i18n, periods
from cockpit.data import areas as area_data
from cockpit.data import indicators
from cockpit.data.access import Scope
from cockpit.data.db import Database
from cockpit.i18n import N_

VIEWS = ("series", "bar", "map", "scatter", "pivot")
VIEW_LABELS = {
    "series": N_("Time series"),
    "bar": N_("Ranked bar"),
    "map": N_("Map"),
    "scatter": N_("Two indicators"),
    "pivot": N_("Pivot table"),
}
LEVEL_LABELS = {"province": N_("Provinces"), "district": N_("Districts")}
SEXES = ("female", "male")
SEX_LABELS = {"total": N_("Total"), "female": N_("Girls and women"), "male": N_("Boys and men")}
SIDE_LABELS = {"set": N_("Selected areas"), "others": N_("The others"), "all": N_("All areas in view")}
YEARS_SHOWN = 5
# The sets every country may have besides its groupings and provinces.
ALL, PRIORITY, NON_PRIORITY = "all", "priority", "nonpriority"
# Groupings an education ministry reads first: its own regional offices, then the general regions.
GROUP_ORDER = ("reo", "region", "region6", "inspection_region")


@dataclass(frozen=True)
class Geography:
    """The areas a reader may explore: provinces and districts in scope, the groupings, the priority flag."""

    country: str
    areas: pd.DataFrame  # area_id (index), level, province_id, name_en, name_local, is_priority
    groups: pd.DataFrame  # group_key (index), group_type, names, province_ids

    @property
    def has_priority(self) -> bool:
        return bool(self.areas["is_priority"].any())

    def levels(self) -> list[str]:
        """The grouping types ('reo', 'region'), then provinces and districts."""
        types = list(dict.fromkeys(self.groups["group_type"]))
        types.sort(key=lambda t: GROUP_ORDER.index(t) if t in GROUP_ORDER else len(GROUP_ORDER))
        return [*types, "province", "district"]

    def sets(self, level: str) -> list[str]:
        """The sets of areas one may look at on a level: all; the priority districts and the others (districts);
        each grouping (provinces and districts); each province (its districts)."""
        if level not in ("province", "district"):
            return [ALL]
        keys = [ALL]
        if level == "district" and self.has_priority:
            keys += [PRIORITY, NON_PRIORITY]
        keys += list(self.groups.index)
        if level == "district":
            keys += list(self.areas[self.areas["level"] == "province"].sort_values("name_en").index)
        return keys

    def members(self, level: str, key: str) -> list[str]:
        """The area ids on `level` that belong to set `key`."""
        if level not in ("province", "district"):
            return [g for g in self.groups.index if g.startswith(level + ":")]
        rows = self.areas[self.areas["level"] == level]
        if key == PRIORITY:
            rows = rows[rows["is_priority"]]
        elif key == NON_PRIORITY:
            rows = rows[~rows["is_priority"]]
        elif key in self.groups.index:
            rows = rows[rows["province_id"].isin(self.groups.loc[key, "province_ids"])]
        elif key in self.areas.index:
            rows = rows[rows["province_id"] == key]
        return list(rows.index)

    def name(self, area_id: str, lang: str) -> str:
        if area_id in self.groups.index:
            return area_data.group_name(self.groups.loc[area_id], self.country, lang)
        if area_id in self.areas.index:
            return area_data.name(self.areas.loc[area_id], self.country, lang)
        return str(area_id)

    def drill(self, level: str, area_id: str) -> tuple[str, str] | None:
        """(level, set) one click on `area_id` leads to: a grouping's provinces, a province's districts."""
        if area_id in self.groups.index:
            return "province", area_id
        if level == "province" and area_id in self.areas.index:
            return "district", area_id
        return None

    def breadcrumbs(self, level: str, key: str) -> list[tuple[str, str, str | None]]:
        """(area id or 'all', level, set) from the country down to what is shown; the last is the current view."""
        crumbs: list[tuple[str, str, str | None]] = [(ALL, "province", ALL)]
        if key in self.groups.index:
            crumbs.append((key, "province", key))
        elif key in self.areas.index:
            order = self.levels()  # the country's main grouping first (Thailand: the regional education offices)
            groups_of = sorted(
                (g for g, row in self.groups.iterrows() if key in row["province_ids"]),
                key=lambda g: order.index(self.groups.loc[g, "group_type"]),
            )
            if groups_of:
                crumbs.append((groups_of[0], "province", groups_of[0]))
            crumbs.append((key, "district", key))
        elif key in (PRIORITY, NON_PRIORITY):
            crumbs.append((key, "district", key))
        return crumbs


def geography(db: Database, country: str, scope: Scope) -> Geography:
    rows = db.query(country, "explore/areas", scope=scope).set_index("area_id", drop=False)
    groups = area_data.groups(db, country).set_index("group_key", drop=False)
    return Geography(country, rows, groups)


def since(latest) -> date:
    return indicators.history_start(latest, YEARS_SHOWN - 1)


def values(db: Database, country: str, indicator_id: str, level: str, since_: date, scope: Scope) -> pd.DataFrame:
    """Every area's value on `level` for one indicator by period and sex since a date (scope applied in the query)."""
    return db.query(country, "explore/values", scope=scope, indicator_id=indicator_id, level=level, since=since_)


def set_series(
    db: Database, country: str, indicator_id: str, geo: Geography, level: str, key: str, since_: date, scope: Scope
) -> pd.DataFrame:
    """The chosen set, the others and both together by period and sex, as ratios of sums of their districts."""
    if level not in ("province", "district"):
        member_ids = list(geo.areas.index)
    else:
        member_ids = geo.members(level, key)
    return db.query(
        country, "explore/set_series", scope=scope, indicator_id=indicator_id, member_ids=member_ids, since=since_
    )


def at_period(rows: pd.DataFrame, period_start, sexes=("total",)) -> pd.DataFrame:
    """Each area's rows in one period (for each sex asked), the newest on or before it for another frequency."""
    wanted = pd.Timestamp(periods.as_date(period_start))
    rows = rows[rows["sex"].isin(sexes) & (rows["period_start"] <= wanted) & rows["value"].notna()]
    if rows.empty:
        return rows
    newest = rows["period_start"].max()
    return rows[rows["period_start"] == newest]


def ranked(
    rows: pd.DataFrame, members: list[str], indicator: pd.Series, geo: Geography, lang: str, period_start, by_sex
) -> pd.DataFrame:
    """One row per area of the set in a period, best first in the indicator's direction, with its sexes if asked."""
    now = at_period(rows[rows["area_id"].isin(members)], period_start)
    out = now[["area_id", "period_start", "period_type", "value", "target", "status", "reporting_districts"]].copy()
    if by_sex:
        sexes = at_period(rows[rows["area_id"].isin(members)], period_start, SEXES)
        for sex in SEXES:
            out[sex] = out["area_id"].map(sexes[sexes["sex"] == sex].set_index("area_id")["value"])
    out["name"] = out["area_id"].map(lambda a: geo.name(a, lang))
    out["status"] = out["status"].fillna("no_data")
    out["value_label"] = out["value"].map(lambda v: indicators.fmt(indicator, v, lang))
    out["status_label"] = out["status"].map(lambda s: indicators.status_label(s, lang))
    out["status_reason"] = [
        indicators.status_reason(indicator, v, t, s, lang)
        for v, t, s in zip(out["value"], out["target"], out["status"], strict=True)
    ]
    ascending = indicator["direction"] == "lower_is_better"
    out = out.sort_values("value", ascending=ascending, na_position="last").reset_index(drop=True)
    out["rank"] = range(1, len(out) + 1)
    return out


def pair(x_rows: pd.DataFrame, y_rows: pd.DataFrame, members: list[str], period_start, geo: Geography, lang: str):
    """One row per area of the set with both indicators' values (each its newest period on or before the one
    chosen), and whether it is worse than the set's median on both (`both_worse`, by each one's direction)."""
    x = at_period(x_rows[x_rows["area_id"].isin(members)], period_start).set_index("area_id")
    y = at_period(y_rows[y_rows["area_id"].isin(members)], period_start).set_index("area_id")
    out = pd.DataFrame({"x": x["value"], "y": y["value"]}).dropna()
    out.index.name = "area_id"
    out = out.reset_index()
    out["name"] = out["area_id"].map(lambda a: geo.name(a, lang))
    out.attrs["x_period"] = x["period_start"].max() if len(x) else None
    out.attrs["y_period"] = y["period_start"].max() if len(y) else None
    return out


def worse_on_both(table: pd.DataFrame, x_direction: str, y_direction: str) -> pd.Series:
    """Areas worse than the median on both indicators, each in its own direction."""
    if table.empty:
        return pd.Series([], dtype=bool)
    x_worse = table["x"] > table["x"].median() if x_direction == "lower_is_better" else table["x"] < table["x"].median()
    y_worse = table["y"] > table["y"].median() if y_direction == "lower_is_better" else table["y"] < table["y"].median()
    return x_worse & y_worse


def pivot(rows: pd.DataFrame, members: list[str], geo: Geography, country: str, lang: str, by_sex: bool):
    """Areas × periods (× sex when asked): the values as a wide table, newest period last."""
    rows = rows[rows["area_id"].isin(members) & rows["sex"].isin(SEXES if by_sex else ("total",))]
    if rows.empty:
        return pd.DataFrame(columns=["area_id", "name"])
    labels = {
        p: periods.label(p, t, country, lang)
        for p, t in rows[["period_start", "period_type"]].drop_duplicates().itertuples(index=False)
    }
    rows = rows.assign(period=rows["period_start"].map(labels))
    columns = ["period", "sex"] if by_sex else ["period"]
    wide = rows.pivot_table(index="area_id", columns=columns, values="value", aggfunc="first", sort=False)
    order = [labels[p] for p in sorted(labels)]
    if by_sex:
        wide = wide.reindex(columns=[(p, s) for p in order for s in SEXES if (p, s) in wide.columns])
        wide.columns = [f"{p} · {i18n.tr(lang, SEX_LABELS[s])}" for p, s in wide.columns]
    else:
        wide = wide.reindex(columns=[p for p in order if p in wide.columns])
    wide.columns = [str(c) for c in wide.columns]
    wide.insert(0, "name", [geo.name(a, lang) for a in wide.index])
    return wide.reset_index().sort_values("name").reset_index(drop=True)


def series_table(series: pd.DataFrame, country: str, lang: str, by_sex: bool) -> pd.DataFrame:
    """The set-against-the-others series as shown: one row per side, sex and period, named for the reader."""
    rows = series[series["sex"].isin(SEXES if by_sex else ("total",))].copy()
    rows["side_label"] = rows["side"].map(lambda s: i18n.tr(lang, SIDE_LABELS[s]))
    rows["sex_label"] = rows["sex"].map(lambda s: i18n.tr(lang, SEX_LABELS.get(s, s)))
    rows["period"] = [
        periods.label(p, t, country, lang) for p, t in zip(rows["period_start"], rows["period_type"], strict=True)
    ]
    return rows.sort_values(["side", "sex", "period_start"]).reset_index(drop=True)


def has_sexes(rows: pd.DataFrame) -> bool:
    return bool(rows["sex"].isin(SEXES).any())
