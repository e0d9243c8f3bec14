"""The query layer's entry point: one validated snapshot per country, named queries, a cache keyed by version.

Every call checks the extract files' fingerprint; when a file changes, a new snapshot is built
aside and swapped in only if it passes the contract. If it fails, the last good snapshot stays
in service and the failure is kept for the page to show (`Database.problem`).
"""

from __future__ import annotations

import threading
from collections import OrderedDict
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path

import pandas as pd

from cockpit import settings
from cockpit.data import extracts, queries
from cockpit.data.access import Scope


class NoData(Exception):
    """No usable extract for a country: none was ever loaded, or the first load failed."""


@dataclass(frozen=True)
class Problem:
    """A reload that failed while older data stayed in service."""

    version: str
    error: extracts.ExtractError


class Database:
    def __init__(self, data_dir: Path | str, cache_size: int = 512):
        self.data_dir = Path(data_dir)
        self._snapshots: dict[str, extracts.Snapshot] = {}
        self._problems: dict[str, Problem] = {}
        self._lock = threading.Lock()
        self._cache: OrderedDict[tuple, pd.DataFrame] = OrderedDict()
        self._cache_size = cache_size

    def countries(self) -> list[str]:
        """Country codes with an extract directory (holding an areas file) under data_dir."""
        if not self.data_dir.is_dir():
            return []
        return sorted(p.name for p in self.data_dir.iterdir() if (p / "areas.parquet").exists())

    def directory(self, country: str) -> Path:
        if country not in self.countries():
            raise NoData(f"no extracts for country {country!r} in {self.data_dir}")
        return self.data_dir / country

    def snapshot(self, country: str) -> extracts.Snapshot:
        """The country's current good snapshot, reloading first if its files changed."""
        directory = self.directory(country)
        version = extracts.fingerprint(directory)
        current = self._snapshots.get(country)
        if current is not None and current.version == version:
            return current
        problem = self._problems.get(country)
        if problem is not None and problem.version == version:
            if current is None:
                raise NoData(str(problem.error)) from problem.error
            return current
        with self._lock:
            current = self._snapshots.get(country)
            if current is not None and current.version == version:
                return current
            try:
                fresh = extracts.load(directory)
                queries.build_models(fresh.connection)
            except extracts.ExtractError as exc:
                self._problems[country] = Problem(version, exc)
                if current is None:
                    raise NoData(str(exc)) from exc
                return current
            self._snapshots[country] = fresh
            self._problems.pop(country, None)
            return fresh

    def problem(self, country: str) -> Problem | None:
        """The failed reload of a country's extracts, if the newest files were rejected."""
        try:
            self.snapshot(country)
        except NoData:
            pass
        return self._problems.get(country)

    def query(self, country: str, name: str, scope: Scope | None = None, **params) -> pd.DataFrame:
        """Run a named query on the country's snapshot; `scope` binds $scope for area-level queries."""
        snapshot = self.snapshot(country)
        if "scope" in queries.get(name).params:
            if scope is None:
                raise queries.QueryError(f"{name} is an area-level query: pass the caller's scope")
            params["scope"] = list(scope.province_ids)
        key = (snapshot.version, country, name, tuple(sorted((k, _hashable(v)) for k, v in params.items())))
        with self._lock:
            hit = self._cache.get(key)
            if hit is not None:
                self._cache.move_to_end(key)
                return hit.copy()
        result = queries.execute(snapshot.cursor(), name, **params)
        with self._lock:
            self._cache[key] = result
            while len(self._cache) > self._cache_size:
                self._cache.popitem(last=False)
        return result.copy()

    def version(self, country: str) -> str:
        return self.snapshot(country).version


def _hashable(value):
    return tuple(value) if isinstance(value, list) else value


@lru_cache(maxsize=4)
def _database(data_dir: str, cache_size: int) -> Database:
    return Database(data_dir, cache_size)


def get() -> Database:
    """The process-wide database for the configured data directory."""
    s = settings.load()
    return _database(str(s.data_dir), s.query_cache_size)
