"""A region's review (a regional education office or region): its provinces side by side, KPI by KPI, against
the region and the nation."""

from __future__ import annotations

from dataclasses import dataclass, replace
from datetime import date, datetime

import pandas as pd

from cockpit import clock, i18n, periods
from cockpit.data import areas, indicators, per_version
from cockpit.data.access import Scope
from cockpit.data.db import Database
from cockpit.review import province


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
    # (version, country, group, scope, language, day): what the figures made from this review are cached under
    cache_key: tuple | None = None

    def tr(self, message: str, **values) -> str:
        return i18n.tr(self.lang, message, **values)

    @property
    def group_heading(self) -> str:
        """The short heading of the group's own column: "REO" in Thailand, "Region" in Lao (its name is longer than a
        column of figures is wide)."""
        return areas.group_heading(self.group.get("group_type"), self.lang)

    @property
    def province_ids(self) -> list[str]:
        rows = self.values[self.values["role"] == "province"]
        return list(dict.fromkeys(rows["area_id"]))


# Region reviews come from the published version alone: one per version, group, scope, language and day.
_reviews = per_version.Cache(64)


def region_review(db: Database, country: str, group_key: str, scope: Scope, lang: str) -> RegionReview:
    """A province group's review, built once per version (and scope, language and day): raises KeyError for an
    unknown group."""
    key = (db.snapshot(country).version, country, group_key, scope, lang, clock.today())
    rr = _reviews.get(key, lambda: replace(_region_review(db, country, group_key, scope, lang), cache_key=key))
    # The cached frames are shared: each caller gets its own copies.
    return replace(
        rr,
        group=rr.group.copy(),
        values=rr.values.copy(),
        peers=rr.peers.copy(),
        kpis=rr.kpis.copy(),
        catalogue=rr.catalogue.copy(),
    )


def _region_review(db: Database, country: str, group_key: str, scope: Scope, lang: str) -> RegionReview:
    groups = province.review_groups(db, country)
    group = groups.loc[group_key]
    members = set(group["province_ids"])
    rows = db.query(country, "review/province/latest_values", scope=scope, group_key=group_key)
    rows = province.named(rows, country, lang)
    cat = indicators.catalogue(db, country)
    rows.loc[rows["role"] == "region", "name"] = areas.group_name(group, country, lang)
    rows["status"] = rows["status"].fillna("no_data")
    defs_by_id = {i: cat.loc[i] for i in rows["indicator_id"].unique()}  # a row lookup per value is slow
    rows["value_label"] = [
        indicators.fmt(defs_by_id[i], v, lang) for i, v in zip(rows["indicator_id"], rows["value"], strict=True)
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
    kpis["wall_label"] = kpis["wall"].map(lambda w: i18n.tr(lang, province.WALL_LABELS.get(w, w)))
    kpis["period_start"] = kpis["indicator_id"].map(nation_rows["period_start"])
    kpis["period_type"] = kpis["indicator_id"].map(nation_rows["period_type"])
    kpis["period"] = [
        periods.label(p, t, country, lang) for p, t in zip(kpis["period_start"], kpis["period_type"], strict=True)
    ]
    kpis["period_target"] = kpis["indicator_id"].map(nation_rows["target"])
    kpis["region_value"] = kpis["indicator_id"].map(region_rows["value"])
    kpis["region_status"] = kpis["indicator_id"].map(region_rows["status"]).fillna("no_data")
    kpis["region_reason"] = [
        indicators.status_reason(defs.iloc[i], v, t, s, lang)
        for i, (v, t, s) in enumerate(
            zip(
                kpis["region_value"],
                kpis["indicator_id"].map(region_rows["target"]),
                kpis["region_status"],
                strict=True,
            )
        )
    ]
    kpis["nation_value"] = kpis["indicator_id"].map(nation_rows["value"])
    kpis["nation_status"] = kpis["indicator_id"].map(nation_rows["status"]).fillna("no_data")
    sign = kpis["direction"].map(lambda d: 1.0 if d == "higher_is_better" else -1.0)
    kpis["vs_nation"] = [
        province.compare(v, o, s, d)
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


def region_matrix(rr: RegionReview, walls=province.WALLS) -> tuple[pd.DataFrame, pd.DataFrame]:
    """KPIs × areas: one row per KPI; the region's provinces side by side (alphabetical), then region and nation.

    Returns (labels, statuses): formatted values and their statuses, indexed by indicator_id, columns area_ids;
    made once per review key and walls.
    """
    if rr.cache_key is None:
        return _region_matrix(rr, walls)
    labels, statuses = _reviews.get((*rr.cache_key, "matrix", tuple(walls)), lambda: _region_matrix(rr, walls))
    return labels.copy(), statuses.copy()


def _region_matrix(rr: RegionReview, walls) -> tuple[pd.DataFrame, pd.DataFrame]:
    kpi_ids = list(rr.kpis.loc[rr.kpis["wall"].isin(walls), "indicator_id"])
    values = rr.values[rr.values["indicator_id"].isin(kpi_ids)]
    names = area_names(rr)
    members = sorted(rr.province_ids, key=lambda a: province.sort_key(str(names[a])))
    order = members + list(rr.values.loc[rr.values["role"] == "region", "area_id"].unique())
    order += list(rr.values.loc[rr.values["role"] == "nation", "area_id"].unique())
    labels = values.pivot_table(index="indicator_id", columns="area_id", values="value_label", aggfunc="first")
    statuses = values.pivot_table(index="indicator_id", columns="area_id", values="status", aggfunc="first")
    labels = labels.reindex(index=kpi_ids, columns=order).fillna(i18n.NO_VALUE)
    statuses = statuses.reindex(index=kpi_ids, columns=order).fillna("no_data")
    return labels, statuses


def area_names(rr: RegionReview) -> pd.Series:
    """Each area of a region review (its provinces, the region, the nation) by area_id, named for the reader; a name
    already given to another of them carries its id, since the names head the columns of one table (a grouping
    named like its one province made two columns alike, and a traceback)."""
    names = rr.values.drop_duplicates("area_id").set_index("area_id")["name"]
    again = names.duplicated()
    return names.where(~again, names + " (" + names.index.to_series() + ")")
