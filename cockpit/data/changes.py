"""What changed in a country's published data: its versions, the publishes refused, and two versions compared.

The Data page's logic, for data stewards. Versions are immutable, so a comparison of two of them is
computed once per process and pair (`compare`) and kept; each side is a named query run read-only on
that version's own DuckDB file (queries/data/versions/), matched here on the extract's key.
"""

from __future__ import annotations

import threading
from collections import OrderedDict
from dataclasses import dataclass
from datetime import date, datetime

import duckdb
import pandas as pd

from cockpit.data import extracts, queries
from cockpit.data.versions import Store, VersionError

KEY = ("area_id", "indicator_id", "period_start", "sex")  # the observations extract's key (schema.py)
MEASURES = ("value", "numerator", "denominator", "target")
MOVERS = 5  # provinces shown per indicator
TOLERANCE = 1e-9  # a roll-up recomputed from the same sums is equal; this only absorbs float noise
CACHE_SIZE = 8


@dataclass(frozen=True)
class Changes:
    """Two versions compared: rows of observations added, removed and changed, and the provinces that moved."""

    old: str
    new: str
    observations: pd.DataFrame  # one row per indicator with a difference: indicator_id, added, removed, changed
    movers: pd.DataFrame  # per indicator, its provinces whose value moved most (see `movers`)

    @property
    def same(self) -> bool:
        return self.observations.empty and self.movers.empty

    def totals(self) -> dict[str, int]:
        return {k: int(self.observations[k].sum()) for k in ("added", "removed", "changed")}


def history(store: Store, country: str) -> pd.DataFrame:
    """One row per complete version, newest first, with its manifest's facts and whether it is served."""
    current = store.current(country)
    rows = []
    for version in reversed(store.versions(country)):
        m = store.manifest(country, version)
        files = m.get("files") or {}
        steps = m.get("steps") or {}
        rows.append(
            dict(
                version=version,
                current=version == current,
                published_at=datetime.fromisoformat(m["published_at"]) if m.get("published_at") else None,
                published_by=m.get("published_by") or "",
                newest_period=date.fromisoformat(m["newest_period"]) if m.get("newest_period") else None,
                observations=(files.get("observations") or {}).get("rows"),
                schools=(files.get("schools") or {}).get("rows"),
                rows=sum(f.get("rows") or 0 for f in files.values()),
                seconds=round(sum(steps.values()), 3),
                steps=dict(steps),
                contract_version=m.get("contract_version") or "",
                source=m.get("source") or "",
                files=dict(files),
            )
        )
    columns = [
        "version", "current", "published_at", "published_by", "newest_period", "observations", "schools", "rows",
        "seconds", "steps", "contract_version", "source", "files",
    ]  # fmt: skip
    return pd.DataFrame(rows, columns=columns)


def refused(store: Store, country: str) -> pd.DataFrame:
    """One row per contract error of each publish refused, newest first; `open` when it came after the served
    version was published (the sidebar reports it on every page until a later publish goes through)."""
    current = store.current(country)
    served_at = None
    if current is not None:
        served_at = datetime.fromisoformat(store.manifest(country, current)["published_at"])
    rows = []
    settled_at = None  # the newest time the served files were sent again and found good (publish: "unchanged")
    for rejection in reversed(store.rejections(country)):
        at = datetime.fromisoformat(rejection["at"])
        if rejection.get("resolved"):
            settled_at = settled_at or at
            continue
        for error in rejection.get("errors") or []:
            rows.append(
                dict(
                    at=at,
                    by=rejection.get("by") or "",
                    directory=rejection.get("directory") or "",
                    file=error.get("file") or "",
                    column=error.get("column") or "",
                    rows=tuple(error.get("rows") or ()),
                    row_count=int(error.get("row_count") or 0),
                    problem=error.get("problem") or "",
                    error=extracts.ContractError.from_record(error),  # text(lang): in the reader's language
                    open=(served_at is None or at > served_at) and (settled_at is None or at > settled_at),
                )
            )
    columns = ["at", "by", "directory", "file", "column", "rows", "row_count", "problem", "error", "open"]
    return pd.DataFrame(rows, columns=columns)


def default_pair(versions: list[str], current: str | None) -> tuple[str, str] | None:
    """The versions compared when the reader picks none: the one before the served one, and the served one
    (or the served one and the next, when it is the oldest). None with fewer than two versions."""
    if len(versions) < 2:
        return None
    new = current if current in versions else versions[-1]
    at = versions.index(new)
    return (versions[at - 1], new) if at > 0 else (new, versions[at + 1])


_cache: OrderedDict[tuple, Changes] = OrderedDict()
_lock = threading.Lock()


def compare(store: Store, country: str, old: str, new: str, top: int = MOVERS) -> Changes:
    """How version `new` differs from version `old` (computed once per process and pair: versions never change).

    Raises VersionError when either version is not a complete version of the country.
    """
    known = store.versions(country)
    for version in (old, new):
        if version not in known:
            raise VersionError(f"no complete version {version!r} of {country!r} in {store.url}")
    key = (store.url, country, old, new, top)
    with _lock:
        hit = _cache.get(key)
    if hit is None:
        old_obs, old_values = _side(store, country, old)
        new_obs, new_values = _side(store, country, new)
        hit = Changes(old, new, observation_changes(old_obs, new_obs), movers(old_values, new_values, top))
        with _lock:
            _cache[key] = hit
            while len(_cache) > CACHE_SIZE:
                _cache.popitem(last=False)
    return Changes(hit.old, hit.new, hit.observations.copy(), hit.movers.copy())


def _side(store: Store, country: str, version: str) -> tuple[pd.DataFrame, pd.DataFrame]:
    """A version's observations and province values, read from its own file, read-only."""
    path = store.model_file(country, version)
    with duckdb.connect(str(path), read_only=True) as connection:
        return (
            queries.execute(connection, "data/versions/observations"),
            queries.execute(connection, "data/versions/province_values"),
        )


def observation_changes(old: pd.DataFrame, new: pd.DataFrame) -> pd.DataFrame:
    """Per indicator, the observation rows only in `new` (added), only in `old` (removed), and in both with a
    different value, numerator, denominator or target (changed); indicators without a difference are left out."""
    merged = old.merge(new, on=list(KEY), how="outer", suffixes=("_old", "_new"), indicator=True)
    differs = pd.Series(False, index=merged.index)
    for measure in MEASURES:
        a, b = merged[f"{measure}_old"], merged[f"{measure}_new"]
        differs |= ~((a == b) | (a.isna() & b.isna()))
    flags = pd.DataFrame(
        {
            "indicator_id": merged["indicator_id"],
            "added": merged["_merge"] == "right_only",
            "removed": merged["_merge"] == "left_only",
            "changed": (merged["_merge"] == "both") & differs,
        }
    )
    counts = flags.groupby("indicator_id", sort=True)[["added", "removed", "changed"]].sum().astype(int)
    counts = counts[counts.sum(axis=1) > 0].reset_index()
    return counts.sort_values(["indicator_id"], kind="stable").reset_index(drop=True)


def movers(old: pd.DataFrame, new: pd.DataFrame, top: int = MOVERS) -> pd.DataFrame:
    """Per indicator, the `top` provinces whose value moved most between the versions (each at the period it
    moved most in), biggest first: indicator_id, area_id, name_en, name_local, period_start, period_type,
    old_value, new_value, change (new − old). Values that appear or vanish are counted as rows, not moves."""
    columns = [
        "indicator_id", "area_id", "name_en", "name_local", "period_start", "period_type",
        "old_value", "new_value", "change",
    ]  # fmt: skip
    both = old.merge(
        new, on=["area_id", "indicator_id", "period_start"], how="inner", suffixes=("_old", "_new")
    ).rename(
        columns={
            "value_old": "old_value",
            "value_new": "new_value",
            "name_en_new": "name_en",
            "name_local_new": "name_local",
            "period_type_new": "period_type",
        }
    )
    both["change"] = both["new_value"] - both["old_value"]
    moved = both[both["change"].abs() > TOLERANCE].copy()
    if moved.empty:
        return pd.DataFrame(columns=columns)
    moved["size"] = moved["change"].abs()
    moved = moved.sort_values(["indicator_id", "size", "area_id", "period_start"], ascending=[True, False, True, True])
    moved = moved.drop_duplicates(["indicator_id", "area_id"])  # each province at the period it moved most in
    moved = moved.groupby("indicator_id", sort=True).head(top)
    return moved[columns].reset_index(drop=True)
