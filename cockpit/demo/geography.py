"""The areas and area groups tables, from the real codes and names of the bundled boundaries (`cockpit.data.geo`),
and each district's disadvantage, the common cause most indicators' district differences share."""

from __future__ import annotations

import numpy as np
import pandas as pd
import shapely
import shapely.geometry

from cockpit.data import geo
from cockpit.demo import common, stories

_TH_REGION6_NAMES = {
    "north": ("North", "ภาคเหนือ"),
    "northeast": ("Northeast", "ภาคตะวันออกเฉียงเหนือ"),
    "central": ("Central", "ภาคกลาง"),
    "east": ("East", "ภาคตะวันออก"),
    "west": ("West", "ภาคตะวันตก"),
    "south": ("South", "ภาคใต้"),
}
_LA_REGION_NAMES = {"north": ("North", "ພາກເໜືອ"), "central": ("Central", "ພາກກາງ"), "south": ("South", "ພາກໃຕ້")}


def _features(country: str, level: str):
    fc = geo.boundaries(country, level)
    props = pd.DataFrame([f["properties"] for f in fc["features"]])
    geoms = np.array([shapely.geometry.shape(f["geometry"]) for f in fc["features"]], dtype=object)
    order = np.argsort(props["code"].to_numpy().astype(str), kind="stable")
    return props.iloc[order].reset_index(drop=True), geoms[order]


def areas(country: str, cfg: dict) -> tuple[dict, pd.DataFrame, np.ndarray, pd.DataFrame, np.ndarray]:
    """The areas table's columns (country, provinces, districts), and the provinces' and districts' rows and shapes."""
    provs, prov_geoms = _features(country, "province")
    dists, dist_geoms = _features(country, "district")
    prov_pts = shapely.point_on_surface(prov_geoms)
    dist_pts = shapely.point_on_surface(dist_geoms)
    union = shapely.union_all(prov_geoms)
    centre = union.centroid if union.contains(union.centroid) else union.point_on_surface()
    local = cfg["local"]
    priority = (
        dists["code"].isin(stories.LA_PRIORITY_DISTRICTS).to_numpy() if country == "la" else np.zeros(len(dists), bool)
    )
    n_p, n_d = len(provs), len(dists)
    cols = dict(
        area_id=[cfg["cc"], *provs["code"], *dists["code"]],
        level=["country"] + ["province"] * n_p + ["district"] * n_d,
        parent_id=[None] + [cfg["cc"]] * n_p + list(dists["province_code"]),
        name_en=[cfg["name_en"], *provs["name_en"], *dists["name_en"]],
        name_local=[cfg["name_local"], *provs[local], *dists[local]],
        iso_code=[cfg["cc"], *(provs["iso"] if country == "th" else provs["code"]), *([None] * n_d)],
        lat=np.concatenate([[centre.y], shapely.get_y(prov_pts), shapely.get_y(dist_pts)]),
        lon=np.concatenate([[centre.x], shapely.get_x(prov_pts), shapely.get_x(dist_pts)]),
        is_priority=np.concatenate([np.zeros(1 + n_p, bool), priority]),
    )
    return cols, provs, prov_geoms, dists, dist_geoms


def area_groups(country: str) -> dict:
    """The area groups table's columns: Thai education offices, inspection regions and regions; Lao regions."""
    groups = geo.province_groups(country).sort_values("province_code", kind="stable")
    rows = []
    if country == "th":
        for code, reo in zip(groups["province_code"], groups["reo"], strict=True):
            if reo:
                rows.append(("reo", reo, f"Regional Education Office {reo}", f"สำนักงานศึกษาธิการภาค {reo}", code))
        for code, ir in zip(groups["province_code"], groups["inspection_region"], strict=True):
            if ir == "0":
                rows.append(("inspection_region", "0", "Central area (Bangkok)", "เขตตรวจราชการส่วนกลาง", code))
            else:
                rows.append(("inspection_region", ir, f"Inspection Region {ir}", f"เขตตรวจราชการที่ {ir}", code))
        for code, r6 in zip(groups["province_code"], groups["region6"], strict=True):
            rows.append(("region6", r6, *_TH_REGION6_NAMES[r6], code))
    else:
        for code, region in zip(groups["province_code"], groups["region"], strict=True):
            rows.append(("region", region, *_LA_REGION_NAMES[region], code))
    keys = ("group_type", "group_id", "group_name_en", "group_name_local", "area_id")
    return {k: [r[i] for r in rows] for i, k in enumerate(keys)}


# --------------------------------------------------------------------------------------------------
# Disadvantage

# Prior disadvantage by province (positive = poorer, remoter); district noise is added on top.
_TH_REGION_Z = {"north": 0.3, "northeast": 0.55, "central": -0.35, "east": -0.3, "west": 0.1, "south": 0.15}
_TH_PROVINCE_Z = {
    "10": -1.6,
    "11": -0.9,
    "12": -1.0,
    "13": -0.8,
    "73": -0.5,
    "74": -0.5,
    "83": -0.8,
    "20": -0.7,
    "21": -0.5,
    "50": -0.2,
    "40": -0.1,
    "90": -0.1,
    "94": 1.5,
    "95": 1.3,
    "96": 1.6,
    "58": 1.9,
    "63": 1.3,
    "55": 0.7,
    "57": 0.4,
    "67": 0.6,
    "33": 0.6,
    "32": 0.5,
    "38": 0.5,
    "39": 0.5,
    "31": 0.3,
    "36": 0.3,
    "37": 0.3,
    "46": 0.3,
    "48": 0.3,
    "49": 0.3,
    "71": 0.5,
}
_LA_PROVINCE_Z = {
    "LA-VT": -1.6,
    "LA-PH": 1.0,
    "LA-LM": 0.5,
    "LA-OU": 0.6,
    "LA-BK": 0.3,
    "LA-LP": -0.1,
    "LA-HO": 0.9,
    "LA-XA": -0.1,
    "LA-XI": 0.2,
    "LA-VI": -0.4,
    "LA-BL": -0.1,
    "LA-KH": 0.1,
    "LA-SV": 0.0,
    "LA-SL": 0.6,
    "LA-XE": 0.9,
    "LA-CH": -0.3,
    "LA-AT": 0.6,
    "LA-XS": 0.7,
}


def disadvantage(country: str, seed: int, provs: pd.DataFrame, dists: pd.DataFrame, prov_idx, priority) -> np.ndarray:
    """Each district's standardised disadvantage: its province's prior, noise, towns less, priority districts more."""
    rng = common.rng(seed, country, "disadvantage")
    codes = provs["code"].to_numpy()
    if country == "th":
        groups = geo.province_groups("th").set_index("province_code")
        prior = np.array([_TH_REGION_Z[groups.loc[c, "region6"]] + _TH_PROVINCE_Z.get(c, 0.0) for c in codes])
        urban = dists["name_en"].str.startswith("Mueang").to_numpy()
    else:
        prior = np.array([_LA_PROVINCE_Z.get(c, 0.0) for c in codes])
        urban = dists["code"].str.endswith("01").to_numpy()
    prov = prior + rng.normal(0, 0.3, len(codes))
    z = prov[prov_idx] + rng.normal(0, 0.45, len(dists)) - 0.6 * urban + 0.8 * priority
    return (z - z.mean()) / z.std()
