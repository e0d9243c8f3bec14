"""Source specs: one YAML file per kind of file a steward receives, saying where each piece of the contract is.

`config/import/SAMPLE.yaml` documents every key. A spec names the file's format, the columns of the area,
period and sex, and either `values` (a wide table: one column per figure) or `series` (a long table, as DHIS2
and SDMX export: each row a figure, picked by the values of other columns), and which indicator each feeds.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path

import yaml

from cockpit.i18n import N_
from cockpit.importer.parsing import PERIOD_FORMATS
from cockpit.importer.problems import Problem

FORMATS = ("csv", "excel", "json", "dhis2", "sdmx")
LEVELS = ("country", "province", "district")
ROLES = ("value", "numerator", "denominator")
ENCODINGS = ("auto", "utf-8", "utf-8-sig", "cp874", "tis-620")
# Where DHIS2 and SDMX exports keep each piece: a spec names only what differs.
PRESETS = {
    "dhis2": dict(area="orgUnit", period="period", value="value", sex="categoryOptionCombo", period_format="dhis2"),
    "sdmx": dict(area="REF_AREA", period="TIME_PERIOD", value="OBS_VALUE", sex="SEX", period_format="year_ce"),
}
SUFFIXES = {
    ".csv": ("csv", "dhis2", "sdmx"),
    ".txt": ("csv",),
    ".tsv": ("csv",),
    ".xlsx": ("excel",),
    ".xls": ("excel",),
    ".xlsm": ("excel",),
    ".ods": ("excel",),
    ".json": ("json", "dhis2"),
    ".xml": ("sdmx",),
}


@dataclass(frozen=True)
class Figure:
    """One figure the file holds, for one indicator: a column of a wide table, or the rows of a long one
    whose columns hold the values in `where`."""

    indicator: str
    role: str = "value"  # numerator, denominator, or the value itself
    column: str | None = None  # wide tables: the column holding it
    where: tuple[tuple[str, str], ...] = ()  # long tables: (column, value) pairs a row must have
    sex: str | None = None  # a column that holds one sex only (wide tables by sex)
    scale: float = 1.0  # multiplied in: 100 turns a 0–1 proportion into a percent
    count: bool = True  # a count (or proportion): never negative


@dataclass(frozen=True)
class Spec:
    id: str
    title: str
    country: str
    format: str
    area: str
    level: str
    figures: tuple[Figure, ...]
    path: str = ""
    encoding: str = "auto"
    delimiter: str | None = None
    decimal: str = "."
    sheet: str | int = 0
    skip_rows: int = 0
    header_rows: int = 1
    orient: str | None = None
    parent: str | None = None  # a column naming each row's province (narrows district names)
    period: str | None = None
    period_value: str | None = None  # one period for the whole file, when no column holds it
    period_format: str = "year_be"
    sex_column: str | None = None
    sex_labels: dict = field(default_factory=dict)
    sex_default: str = "total"
    value_column: str | None = None  # long tables: the column of the figures
    skip: tuple[tuple[str, tuple[str, ...]], ...] = ()  # (column, values): rows to leave out, e.g. totals
    fuzzy_threshold: float = 90.0
    orgunits: str | None = None  # DHIS2: a CSV of uid,area_id (relative to the spec), besides data/geo's

    @property
    def long(self) -> bool:
        return self.value_column is not None

    def columns_needed(self) -> list[str]:
        """Every column the spec names, for the check that the file has them."""
        named = [self.area, self.parent, self.period, self.sex_column, self.value_column]
        named += [f.column for f in self.figures] + [c for f in self.figures for c, _ in f.where]
        named += [c for c, _ in self.skip]
        return list(dict.fromkeys(c for c in named if c))


def _fail(path: str, message: str, **values) -> Problem:
    return Problem(message, file=path, values=values)


def from_dict(raw: dict, path: str = "") -> Spec:
    """A spec from its YAML's mapping; a Problem names the key that is wrong."""
    if not isinstance(raw, dict):
        raise _fail(path, N_("a spec is a mapping of keys such as format, area and values"))
    fmt = str(raw.get("format", "csv"))
    if fmt not in FORMATS:
        raise _fail(path, N_("format “{value}” is not one of {allowed}"), value=fmt, allowed=", ".join(FORMATS))
    preset = PRESETS.get(fmt, {})
    area = raw.get("area") or {}
    area = {"column": area} if isinstance(area, str) else area
    period = raw.get("period") or {}
    period = {"column": period} if isinstance(period, str) else period
    sex = raw.get("sex") or {}
    sex = {"column": sex} if isinstance(sex, str) else sex
    level = str(area.get("level", "province"))
    if level not in LEVELS:
        raise _fail(path, N_("area level “{value}” is not one of {allowed}"), value=level, allowed=", ".join(LEVELS))
    period_format = str(period.get("format", preset.get("period_format", "year_be")))
    if period_format not in PERIOD_FORMATS:
        raise _fail(
            path,
            N_("period format “{value}” is not one of {allowed}"),
            value=period_format,
            allowed=", ".join(PERIOD_FORMATS),
        )
    encoding = str(raw.get("encoding", "auto")).lower()
    if encoding not in ENCODINGS:
        raise _fail(
            path, N_("encoding “{value}” is not one of {allowed}"), value=encoding, allowed=", ".join(ENCODINGS)
        )
    figures = []
    for entry in raw.get("values") or []:
        figures.append(_figure(entry, path, wide=True))
    for entry in raw.get("series") or []:
        figures.append(_figure(entry, path, wide=False))
    if not figures:
        raise _fail(path, N_("the spec names no figures: add `values` (one per column) or `series`"))
    value_column = raw.get("value_column", preset.get("value")) if raw.get("series") else None
    area_column = area.get("column", preset.get("area"))
    if not area_column:
        raise _fail(path, N_("the spec names no area column (area: column)"))
    if not raw.get("country"):
        raise _fail(path, N_("the spec names no country (th, la)"))
    skip = tuple(
        (str(s["column"]), tuple(str(v) for v in (s.get("values") or s.get("equals") or [])))
        for s in raw.get("skip") or []
    )
    return Spec(
        id=str(raw.get("id") or Path(path).stem),
        title=str(raw.get("title") or raw.get("id") or Path(path).stem),
        country=str(raw["country"]),
        format=fmt,
        area=str(area_column),
        level=level,
        figures=tuple(figures),
        path=path,
        encoding=encoding,
        delimiter=raw.get("delimiter"),
        decimal=str(raw.get("decimal", ".")),
        sheet=raw.get("sheet", 0),
        skip_rows=int(raw.get("skip_rows", 0)),
        header_rows=int(raw.get("header_rows", 1)),
        orient=raw.get("orient"),
        parent=area.get("parent"),
        period=period.get("column", preset.get("period")),
        period_value=None if period.get("value") is None else str(period["value"]),
        period_format=period_format,
        sex_column=sex.get("column", preset.get("sex") if sex.get("labels") else None),
        sex_labels={str(k): str(v) for k, v in (sex.get("labels") or {}).items()},
        sex_default=str(sex.get("default", "total")),
        value_column=value_column,
        skip=skip,
        fuzzy_threshold=float(raw.get("fuzzy_threshold", 90)),
        orgunits=raw.get("orgunits"),
    )


def _figure(entry: dict, path: str, wide: bool) -> Figure:
    if not isinstance(entry, dict) or not entry.get("indicator"):
        raise _fail(path, N_("each of values and series names its indicator"))
    role = str(entry.get("role", "value"))
    if role not in ROLES:
        raise _fail(path, N_("role “{value}” is not one of {allowed}"), value=role, allowed=", ".join(ROLES))
    if wide and not entry.get("column"):
        raise _fail(path, N_("each entry of values names its column"))
    where = tuple((str(k), str(v)) for k, v in (entry.get("where") or {}).items())
    if not wide and not where:
        raise _fail(path, N_("each entry of series says which rows it takes (where)"))
    return Figure(
        indicator=str(entry["indicator"]),
        role=role,
        column=str(entry["column"]) if entry.get("column") else None,
        where=where,
        sex=entry.get("sex"),
        scale=float(entry.get("scale", 1)),
        count=bool(entry.get("count", True)),
    )


def load(path: Path | str) -> Spec:
    path = Path(path)
    try:
        raw = yaml.safe_load(path.read_text(encoding="utf-8"))
    except (OSError, UnicodeDecodeError, yaml.YAMLError) as exc:
        raise Problem(N_("the spec cannot be read: {error}"), file=path.name, values=dict(error=exc)) from None
    return from_dict(raw, str(path))


def folder(directory: Path | str) -> dict[str, Spec]:
    """The specs in a folder by id (SAMPLE.yaml, which documents the keys, left out)."""
    found = {}
    for path in sorted(Path(directory).glob("*.yaml")):
        if path.name != "SAMPLE.yaml":
            spec = load(path)
            found[spec.id] = spec
    return found
