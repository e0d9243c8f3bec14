"""Areas and their groupings: the country, its provinces, and the regions that group them."""

from __future__ import annotations

import pandas as pd

from cockpit import i18n
from cockpit.data import geo
from cockpit.data.access import NOBODY, Scope, whole_country
from cockpit.data.db import Database
from cockpit.i18n import N_
from cockpit.users.identity import Actor, Identity

# Labels for each grouping, in English (translated by the catalogs).
GROUP_TYPE_LABELS = {
    "reo": N_("Regional education office"),
    "inspection_region": N_("Inspection region"),
    "region6": N_("Region"),
    "region": N_("Region"),
}
# The same as a column heading beside "Nation": Thailand compares a province with its regional education office,
# which Thai calls ศึกษาธิการภาค, not ภูมิภาค (a geographic region). Short: a heading over a column of figures
# (the group's full name goes in the column's help).
GROUP_TYPE_HEADINGS = {
    "reo": N_("REO"),
    "inspection_region": N_("Inspection"),
    "region6": N_("Region"),
    "region": N_("Region"),
}


def country(db: Database, country_code: str) -> pd.Series:
    """The country row of an extract: area_id, names, province and district counts, newest period."""
    return db.query(country_code, "data/country").iloc[0]


def full_scope(db: Database, country_code: str) -> Scope:
    """Every province of the country: the scope of a national user."""
    return whole_country(db.query(country_code, "data/province_ids")["area_id"])


def scope_of(db: Database, identity: Identity, country_code: str) -> Scope:
    """What `identity` may read and write about in a country: the only way a page gets a scope.

    A national role: every province; a regional office: its group's provinces; a provincial office: its province;
    each with their districts. Nothing in a country the identity does not belong to.
    """
    if identity.country not in (None, country_code):
        return NOBODY
    provinces = set(db.query(country_code, "data/province_ids")["area_id"])
    area = identity.area_id
    if area is not None:
        if ":" in area:
            group = groups(db, country_code).set_index("group_key")
            provinces &= set(group.loc[area, "province_ids"]) if area in group.index else set()
        else:
            provinces &= {area}
    districts = db.query(country_code, "data/district_provinces")
    districts = districts[districts["province_id"].isin(provinces)]
    pairs = tuple(zip(districts["area_id"], districts["province_id"], strict=True))
    return Scope(whole_country(provinces).province_ids, pairs)


def actor(db: Database, identity: Identity, country_code: str) -> Actor:
    """The identity as the actor of a write in a country, with the scope the state store checks it against."""
    return Actor(identity, country_code, scope_of(db, identity, country_code))


def groups(db: Database, country_code: str) -> pd.DataFrame:
    """One row per province grouping: group_key ('reo:11'), group_type, names and its province_ids."""
    return db.query(country_code, "data/province_groups")


def group_name(group: pd.Series, country_code: str, lang: str) -> str:
    local = i18n.local_names(country_code, lang)
    return group["group_name_local"] if local else group["group_name_en"]


def name(area: pd.Series, country_code: str, lang: str) -> str:
    return area["name_local"] if i18n.local_names(country_code, lang) else area["name_en"]


def area_name(db: Database, country_code: str, area_id: str, lang: str) -> str:
    """An account's area as the reader names it: its province, or its group ("reo:17": สำนักงานศึกษาธิการภาค 17);
    the id when the data served does not know it."""
    if ":" in area_id:
        found = groups(db, country_code).set_index("group_key")
        return group_name(found.loc[area_id], country_code, lang) if area_id in found.index else area_id
    found = db.query(country_code, "data/provinces", scope=whole_country([area_id]))
    return name(found.iloc[0], country_code, lang) if len(found) else area_id


def group_label(group: pd.Series, country_code: str, lang: str) -> str:
    """A grouping's kind and name, as a filter lists it: 'Region · North'; 'Inspection Region 5' alone, its name
    saying its kind."""
    kind = i18n.tr(lang, GROUP_TYPE_LABELS.get(group["group_type"], "Region"))
    return kind_and_name(kind, group_name(group, country_code, lang))


def kind_and_name(kind: str, name: str | None) -> str:
    """'สำนักงานศึกษาธิการจังหวัด · เพชรบูรณ์'; a name that says its kind already stands alone
    ('สำนักงานศึกษาธิการภาค 17', not 'สำนักงานศึกษาธิการภาค · สำนักงานศึกษาธิการภาค 17')."""
    if not name:
        return kind
    return name if name.casefold().startswith(kind.casefold()) else f"{kind} · {name}"


def group_heading(group_type: str | None, lang: str) -> str:
    """The short heading of a column of a grouping's figures beside "Nation" ("REO", "Inspection", "Region")."""
    return i18n.tr(lang, GROUP_TYPE_HEADINGS.get(group_type or "region", "Region"))


def secondary_esas(country_code: str, district_ids, lang: str) -> pd.Series:
    """Each district's secondary educational service area (สพม.), named for the reader, indexed by district;
    "" where none is known.

    An ESA groups districts, not provinces (Bangkok has two), so it is looked up by district. Known for Thailand
    only, from the bundled table (data/geo/GROUPS.md); primary ESAs are not known at all.
    """
    column = "secondary_esa_name_th" if i18n.local_names(country_code, lang) else "secondary_esa_name_en"
    return _esa_by_district(country_code, district_ids, column)


def secondary_esa_numbers(country_code: str, district_ids) -> pd.Series:
    """Each district's secondary ESA by its number (they are numbered nationally: สพม.กรุงเทพมหานคร เขต 2 is "2",
    สพม.เชียงใหม่ "12"), indexed by district; "" where none is known. What tells a province's ESAs apart in a
    narrow column."""
    return _esa_by_district(country_code, district_ids, "secondary_esa_no")


def _esa_by_district(country_code: str, district_ids, column: str) -> pd.Series:
    """One column of the bundled ESA table for each district, indexed by district; "" where none is known (every
    district outside Thailand)."""
    ids = pd.Index(district_ids, dtype=object)
    if country_code != "th":
        return pd.Series("", index=ids, dtype=object)
    return geo.esa_districts().set_index("district_code")[column].reindex(ids).fillna("").astype(object)


def province_secondary_esas(country_code: str, province_id: str, lang: str) -> list[str]:
    """The secondary educational service areas that cover a province's districts, named for the reader, in the
    table's order (one for every province but Bangkok, which has two)."""
    if country_code != "th":
        return []
    table = geo.esa_districts()
    table = table[(table["province_code"] == province_id) & (table["secondary_esa_no"] != "")]
    table = table.sort_values("secondary_esa_no", key=lambda n: n.astype(int), kind="stable")
    return list(dict.fromkeys(secondary_esas(country_code, table["district_code"], lang)))
