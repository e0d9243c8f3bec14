"""The KPI status rules (config/kpi_status.yaml): how far behind its trajectory a KPI may be and still be at risk.

The status itself is computed once per published version, in queries/data/models/010_area_facts.sql,
from the table `kpi_status_rules` that `table` builds here.
"""

from __future__ import annotations

import hashlib
from dataclasses import dataclass
from pathlib import Path
from typing import Annotated

import pandas as pd
from pydantic import Field, model_validator

from cockpit import config
from cockpit.config import Invalid, Strict

CONFIG_FILE = "kpi_status.yaml"  # in the config_dir setting's folder


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


class ToleranceEntry(Strict):
    """One of `points` (in the indicator's unit) or `share` (of the trajectory's value: 0.05 = 5%)."""

    points: Annotated[float, Field(ge=0)] | None = None
    share: Annotated[float, Field(ge=0, le=1)] | None = None

    @model_validator(mode="after")
    def _one(self):
        if (self.points is None) == (self.share is None):
            raise Invalid("give exactly one of points or share")
        return self


class KpiStatusFile(Strict):
    default: ToleranceEntry
    indicators: dict[str, ToleranceEntry] | None = None


def load(path: Path | str | None = None) -> Rules:
    """The rules in `path` (default: kpi_status.yaml in the config folder); config.ConfigError names the file, the
    key at fault and its line."""
    path = path or config.path(CONFIG_FILE)
    parsed, _stamp = config.load(path, KpiStatusFile, "default and indicators")
    overrides = tuple((str(k), _tolerance(v)) for k, v in (parsed.indicators or {}).items())
    return Rules(_tolerance(parsed.default), overrides, str(path))


def _tolerance(entry: ToleranceEntry) -> Tolerance:
    return Tolerance(points=entry.points, share=entry.share)


def table(rules: Rules, indicator_ids) -> pd.DataFrame:
    """One row per indicator: its tolerance_points or tolerance_share (the other null), for the model."""
    rows = [(i, rules.tolerance(i).points, rules.tolerance(i).share) for i in indicator_ids]
    return pd.DataFrame(rows, columns=["indicator_id", "tolerance_points", "tolerance_share"]).astype(
        {"indicator_id": "string", "tolerance_points": "float64", "tolerance_share": "float64"}
    )


def fingerprint(path: Path | str | None = None) -> str:
    """The file's content as a short hash (without reading it as YAML), so a change makes the next publish build."""
    path = path or config.path(CONFIG_FILE)
    try:
        return hashlib.sha256(Path(path).read_bytes()).hexdigest()[:12]
    except OSError:
        return "missing"
