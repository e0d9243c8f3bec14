"""The query layer's entry point: each country's published version, opened read-only, named queries, a cache.

Serving builds nothing: `cockpit.publish` checks the extracts and builds every model into a version
(`cockpit.data.versions`); a page server opens the current one read-only and re-reads the `current`
pointer at most every `version_check_seconds`. Query results are cached by version id, so a switch is
picked up at once and never mixes with older results. A page pins the versions it meets for the whole
rerun (`Database.pinned`), so one page never shows two versions; nothing here waits on a publish.
"""

from __future__ import annotations

import threading
import time
from collections import OrderedDict
from dataclasses import dataclass
from datetime import datetime
from functools import lru_cache
from pathlib import Path

import duckdb
import pandas as pd

from cockpit import settings
from cockpit.data import extracts, queries, versions
from cockpit.data.access import Scope


class NoData(Exception):
    """No published version for a country."""


@dataclass(frozen=True)
class Problem:
    """A publish the contract refused while the current version stayed in service."""

    version: str  # when it was refused (the rejection's stamp)
    error: extracts.ExtractError


@dataclass
class Served:
    """One published version, open read-only in this process."""

    version: str
    connection: duckdb.DuckDBPyConnection
    loaded_at: datetime  # when it was published
    row_counts: dict[str, int]
    manifest: dict
    _lock: threading.Lock

    def cursor(self) -> duckdb.DuckDBPyConnection:
        # DuckDB connections are not thread-safe; each query gets its own cursor.
        with self._lock:
            return self.connection.cursor()


class Database:
    def __init__(self, data_url: Path | str, cache_size: int = 512, check_seconds: float = 2.0, cache_dir=None):
        self.store = versions.Store(data_url, cache_dir)
        self.check_seconds = check_seconds
        self._pointers: dict[str, tuple[str | None, float]] = {}
        self._refusals: dict[str, tuple[Problem | None, float]] = {}
        self._open: dict[tuple[str, str], Served] = {}
        self._lock = threading.Lock()
        self._cache: OrderedDict[tuple, pd.DataFrame] = OrderedDict()
        self._cache_size = cache_size
        self._pins: dict[str, str] | None = None

    def pinned(self, **pins: str) -> Database:
        """A view of this database that serves each country the version it first meets, for one page's rerun.

        `pins` (country=version) fixes versions up front: publish evaluates a version before it is current.
        The view shares this database's open versions and cache.
        """
        view = object.__new__(Database)
        view.__dict__.update(self.__dict__)
        view._pins = dict(pins)
        return view

    def countries(self) -> list[str]:
        """Country codes with a published version (those this process already serves, while the store is out of
        reach; versions.Unreachable when it never could read it)."""
        try:
            found = set(self.store.countries())
        except versions.Unreachable:
            found = {c for c, (pointer, _) in self._pointers.items() if pointer is not None}
            if not found:
                raise
        return sorted(found | set(self._pins or ()))

    def version(self, country: str) -> str:
        """The id of the version served for the country (pinned in a view, else the current one)."""
        if self._pins is not None and country in self._pins:
            return self._pins[country]
        now = time.monotonic()
        pointer, checked = self._pointers.get(country, (None, -1e9))
        if pointer is None or now - checked >= self.check_seconds:
            try:
                pointer = self.store.current(country)
            except versions.Unreachable:
                if pointer is None:
                    raise
                # The store is out of reach: the version already open goes on serving (it is whole and local).
            self._pointers[country] = (pointer, now)
        if pointer is None:
            refused = self._refused(country)
            if refused is not None:
                raise NoData(str(refused.error)) from refused.error
            raise NoData(f"nothing published for country {country!r} in {self.store.url}: run `make demo`")
        if self._pins is not None:
            self._pins[country] = pointer
        return pointer

    def snapshot(self, country: str) -> Served:
        """The served version, opened read-only (once per process and version)."""
        version = self.version(country)
        key = (country, version)
        served = self._open.get(key)
        if served is not None:
            return served
        # Opened (and, from a bucket, downloaded) outside the lock: other countries' queries never wait on it.
        fresh = self._open_version(country, version)
        with self._lock:
            served = self._open.get(key)
            if served is not None:  # another thread opened it meanwhile
                fresh.connection.close()
                return served
            # Keep the two newest per country open: a rerun still on the previous one finishes on it.
            mine = [k for k in self._open if k[0] == country]
            for old in mine[:-1]:
                self._open.pop(old).connection.close()
            self._open[key] = fresh
        return fresh

    def _open_version(self, country: str, version: str) -> Served:
        try:
            manifest = self.store.manifest(country, version)
            path = self.store.model_file(country, version)
        except versions.VersionError as exc:
            raise NoData(str(exc)) from exc
        connection = duckdb.connect(str(path), read_only=True)
        return Served(
            version=version,
            connection=connection,
            loaded_at=datetime.fromisoformat(manifest["published_at"]),
            row_counts={name: f["rows"] for name, f in manifest["files"].items()},
            manifest=manifest,
            _lock=threading.Lock(),
        )

    def problem(self, country: str) -> Problem | None:
        """The newest publish the contract refused, if it came after the version served."""
        refused = self._refused(country)
        if refused is None:
            return None
        try:
            served = self.snapshot(country)
        except NoData:
            return refused
        return refused if refused.version > served.manifest["published_at"] else None

    def _refused(self, country: str) -> Problem | None:
        """The newest refusal, read again at most every check interval (every page asks for it)."""
        now = time.monotonic()
        known, checked = self._refusals.get(country, (None, -1e9))
        if now - checked < self.check_seconds:
            return known
        try:
            refused = self.store.rejections(country, last=1)
        except versions.Unreachable:
            return known
        # The newest record may say the refusal was settled: the served files were sent again and found good.
        problem = self._problem_of(refused[-1]) if refused and not refused[-1].get("resolved") else None
        self._refusals[country] = (problem, now)
        return problem

    @staticmethod
    def _problem_of(last: dict) -> Problem:
        errors = [extracts.ContractError.from_record(e) for e in last["errors"]]
        return Problem(last["at"], extracts.ExtractError(Path(last["directory"]), errors))

    def query(self, country: str, name: str, scope: Scope | None = None, **params) -> pd.DataFrame:
        """Run a named query on the country's served version; `scope` binds $scope for area-level queries."""
        served = self.snapshot(country)
        if "scope" in queries.get(name).params:
            if scope is None:
                raise queries.QueryError(f"{name} is an area-level query: pass the caller's scope")
            params["scope"] = list(scope.province_ids)
        key = (served.version, country, name, tuple(sorted((k, _hashable(v)) for k, v in params.items())))
        with self._lock:
            hit = self._cache.get(key)
            if hit is not None:
                self._cache.move_to_end(key)
                return hit.copy()
        result = queries.execute(served.cursor(), name, **params)
        with self._lock:
            self._cache[key] = result
            while len(self._cache) > self._cache_size:
                self._cache.popitem(last=False)
        return result.copy()


def _hashable(value):
    return tuple(value) if isinstance(value, list) else value


@lru_cache(maxsize=4)
def _database(data_url: str, cache_size: int, check_seconds: float, cache_dir: str) -> Database:
    return Database(data_url, cache_size, check_seconds, cache_dir)


def get() -> Database:
    """The process-wide database for the configured data URL."""
    s = settings.load()
    return _database(s.data_url, s.query_cache_size, s.version_check_seconds, str(s.cache_dir))
