"""The KPI status rules (config/kpi_status.yaml): how far behind its trajectory a KPI may be and still be at risk.

The status itself is computed once per published version, in queries/data/models/010_area_facts.sql,
from the table `kpi_status_rules` that `table` builds here.
"""

from __future__ import annotations

import hashlib
import math
from dataclasses import dataclass
from pathlib import Path

import pandas as pd

from cockpit import config, settings

CONFIG_PATH = settings.ROOT / "config" / "kpi_status.yaml"
KINDS = ("points", "share")


@dataclass(frozen=True)
class Tolerance:
    """How far behind the trajectory is still 'at risk': `points` in the indicator's unit, or a `share` of it."""

    points: float | None = None
    share: float | None = None


@dataclass(frozen=True)
class Rules:
    default: Tolerance
    indicators: tuple[tuple[str, Tolerance], ...]
    file: str

    def tolerance(self, indicator_id: str) -> Tolerance:
        return dict(self.indicators).get(indicator_id, self.default)


def load(path: Path | str = CONFIG_PATH) -> Rules:
    """The rules in `path`; config.ConfigError names the file and the key at fault."""
    raw, _stamp = config.read(path, "default and indicators")
    path = str(path)
    unknown = sorted(set(raw) - {"default", "indicators"})
    if unknown:
        raise config.ConfigError(path, unknown[0], "unknown key (default, indicators)")
    default = _tolerance(path, "default", raw.get("default"))
    entries = raw.get("indicators") or {}
    if not isinstance(entries, dict):
        raise config.ConfigError(path, "indicators", "must map indicator ids to a tolerance (points or share)")
    overrides = tuple((str(k), _tolerance(path, f"indicators.{k}", v)) for k, v in entries.items())
    return Rules(default, overrides, path)


def _tolerance(path: str, key: str, value) -> Tolerance:
    if not isinstance(value, dict):
        raise config.ConfigError(path, key, "missing, or not a mapping with points or share")
    unknown = sorted(set(value) - set(KINDS))
    if unknown:
        raise config.ConfigError(path, f"{key}.{unknown[0]}", "unknown key (points, share)")
    given = [k for k in KINDS if k in value]
    if len(given) != 1:
        raise config.ConfigError(path, key, "give exactly one of points or share")
    kind = given[0]
    number = value[kind]
    if isinstance(number, bool) or not isinstance(number, int | float) or not math.isfinite(number) or number < 0:
        raise config.ConfigError(path, f"{key}.{kind}", f"must be a number >= 0, got {number!r}")
    if kind == "share" and number > 1:
        raise config.ConfigError(
            path, f"{key}.share", f"a share of the trajectory is at most 1 (0.05 = 5%), got {number!r}"
        )
    return Tolerance(**{kind: float(number)})


def table(rules: Rules, indicator_ids) -> pd.DataFrame:
    """One row per indicator: its tolerance_points or tolerance_share (the other null), for the model."""
    rows = [(i, rules.tolerance(i).points, rules.tolerance(i).share) for i in indicator_ids]
    return pd.DataFrame(rows, columns=["indicator_id", "tolerance_points", "tolerance_share"]).astype(
        {"indicator_id": "string", "tolerance_points": "float64", "tolerance_share": "float64"}
    )


def fingerprint(path: Path | str = CONFIG_PATH) -> str:
    """The file's content as a short hash (without reading it as YAML), so a change makes the next publish build."""
    try:
        return hashlib.sha256(Path(path).read_bytes()).hexdigest()[:12]
    except OSError:
        return "missing"
