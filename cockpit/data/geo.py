"""The bundled boundaries and province groupings in data/geo (see data/geo/SOURCES.md), read once."""

from __future__ import annotations

import json
from functools import lru_cache

import pandas as pd

from cockpit import settings
from cockpit.i18n import N_

GEO_DIR = settings.ROOT / "data" / "geo"
COUNTRIES = ("th", "la")
LEVELS = ("province", "district")
# Under every map and in the workbooks, in the reader's language (the sources' own names and licences as they are).
ATTRIBUTION = N_(
    "Boundaries: Royal Thai Survey Department and National Geographic Department of Lao PDR, "
    "via OCHA/HDX (CC BY 3.0 IGO); geoBoundaries; GeoNames (CC BY 4.0); names: geothai (DOPA, CC BY 4.0)."
)


@lru_cache(maxsize=8)
def _text(country: str, level: str) -> str:
    if country not in COUNTRIES or level not in LEVELS:
        raise ValueError(f"no boundaries for country={country!r}, level={level!r}")
    return (GEO_DIR / f"{country}_{level}s.geojson").read_text(encoding="utf-8")


@lru_cache(maxsize=8)
def _read(country: str, level: str) -> dict:
    return json.loads(_text(country, level))


def boundaries(country: str, level: str) -> dict:
    """A FeatureCollection whose features carry `code` (the area_id) and names; a private copy.

    Parsed again from the file's text kept in memory: several times faster than a deep copy of the parsed one.
    """
    return json.loads(_text(country, level))


def shared(country: str, level: str) -> dict:
    """The same FeatureCollection, read once and shared, without the copy (a deep copy of the districts takes 0.1 s):
    for callers that never change it."""
    return _read(country, level)


@lru_cache(maxsize=4)
def province_groups(country: str) -> pd.DataFrame:
    """One row per province with its groupings, as in data/geo/GROUPS.md."""
    if country not in COUNTRIES:
        raise ValueError(f"no groupings for country={country!r}")
    return pd.read_csv(GEO_DIR / f"{country}_province_groups.csv", dtype=str, keep_default_na=False)


@lru_cache(maxsize=1)
def esa_districts() -> pd.DataFrame:
    """One row per Thai district with its secondary educational service area (สพม.), as in data/geo/GROUPS.md."""
    return pd.read_csv(GEO_DIR / "th_esa_districts.csv", dtype=str, keep_default_na=False)
