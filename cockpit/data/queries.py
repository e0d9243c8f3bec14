"""Named SQL queries: one file in queries/ per query, its leading comment its docstring.

Each file opens with a header of `-- key: value` lines:

    -- grain: one row per province in scope
    -- params: indicator_id, period_start, scope
    -- reads: area_facts, areas

`params` are the `$name` parameters the SQL uses, checked when the file is read, and bound
(never formatted) when it runs. Files under queries/data/models/ build the tables that the other
queries read; they run once per snapshot, after the extracts pass the contract.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path

import duckdb
import pandas as pd

from cockpit import settings
from cockpit.data import kpi_status

QUERY_DIR = settings.ROOT / "queries"
HEADER_KEYS = ("grain", "params", "reads")
_PARAM = re.compile(r"\$([a-z_][a-z0-9_]*)")
_HEADER_LINE = re.compile(r"^--\s*([a-z_]+):\s*(.*)$")


class QueryError(Exception):
    """A query file that breaks the header rules, or a call with the wrong parameters."""


@dataclass(frozen=True)
class Query:
    name: str
    path: Path
    grain: str
    params: tuple[str, ...]
    reads: tuple[str, ...]
    sql: str


def parse(path: Path) -> Query:
    text = path.read_text(encoding="utf-8")
    header: dict[str, str] = {}
    for line in text.splitlines():
        if not line.startswith("--"):
            break
        match = _HEADER_LINE.match(line)
        if match:
            header[match.group(1)] = match.group(2).strip()
    missing = [k for k in HEADER_KEYS if k not in header]
    if missing:
        raise QueryError(f"{path.name}: header lacks {', '.join(missing)} (see cockpit/queries.py)")

    def listed(key: str) -> tuple[str, ...]:
        value = header[key]
        return () if value in ("", "none") else tuple(p.strip() for p in value.split(","))

    params = listed("params")
    used = set(_PARAM.findall(text))
    if used != set(params):
        raise QueryError(f"{path.name}: header declares params {sorted(params)} but the SQL uses {sorted(used)}")
    name = path.relative_to(QUERY_DIR).with_suffix("").as_posix() if path.is_relative_to(QUERY_DIR) else path.stem
    return Query(name, path, header["grain"], params, listed("reads"), text)


@lru_cache(maxsize=1)
def catalogue() -> dict[str, Query]:
    """Every query in queries/ by name ('data/province_values', 'alerts/conditions/threshold'), models excluded."""
    found = (parse(p) for p in sorted(QUERY_DIR.rglob("*.sql")) if p.parent.name != "models")
    return {q.name: q for q in found}


@lru_cache(maxsize=1)
def models() -> tuple[Query, ...]:
    """The model files, in the order they build (their file names sort them)."""
    return tuple(parse(p) for p in sorted((QUERY_DIR / "data" / "models").glob("*.sql")))


def get(name: str) -> Query:
    try:
        return catalogue()[name]
    except KeyError:
        raise QueryError(f"no query named {name!r} in {QUERY_DIR}") from None


def _bind(query: Query, params: dict) -> dict:
    given, declared = set(params), set(query.params)
    if given != declared:
        raise QueryError(f"{query.name}: expects parameters {sorted(declared)}, got {sorted(given)}")
    return {k: list(v) if isinstance(v, tuple) else v for k, v in params.items()}


def execute(cursor: duckdb.DuckDBPyConnection, name: str, **params) -> pd.DataFrame:
    """Run a named query with its parameters bound; return a DataFrame."""
    query = get(name)
    return cursor.execute(query.sql, _bind(query, params)).df()


def build_models(connection: duckdb.DuckDBPyConnection, status_rules: kpi_status.Rules | None = None) -> None:
    """Create the model tables the queries read; run once per snapshot.

    First the table `kpi_status_rules` (each indicator's tolerance, from config/kpi_status.yaml unless
    `status_rules` is given), which area_facts judges every status by; config.ConfigError when unreadable.
    """
    rules = status_rules or kpi_status.load()
    ids = [row[0] for row in connection.execute("select indicator_id from indicators").fetchall()]
    connection.register("_kpi_status_rules", kpi_status.table(rules, ids))
    connection.execute("create or replace table kpi_status_rules as select * from _kpi_status_rules")
    connection.unregister("_kpi_status_rules")
    for model in models():
        connection.execute(model.sql)
