"""Source specs: one YAML file per kind of file a steward receives, saying where each piece of the contract is.

`config/import/SAMPLE.yaml` documents every key. A spec names the file's format, the columns of the area,
period and sex, and either `values` (a wide table: one column per figure) or `series` (a long table, as DHIS2
and SDMX export: each row a figure, picked by the values of other columns), and which indicator each feeds.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path
from typing import Annotated, Literal

from pydantic import BeforeValidator, Field, StringConstraints, model_validator

from cockpit import config
from cockpit.config import Invalid, Strict, Texts
from cockpit.data.schema import SEXES
from cockpit.i18n import COUNTRY_LANGUAGE, N_
from cockpit.importer.parsing import PERIOD_FORMATS
from cockpit.importer.problems import Problem

FORMATS = ("csv", "excel", "json", "dhis2", "sdmx")
LEVELS = ("country", "province", "district")
ROLES = ("value", "numerator", "denominator")
ENCODINGS = ("auto", "utf-8", "utf-8-sig", "cp874", "tis-620")
COUNTRIES = tuple(COUNTRY_LANGUAGE)
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
    period: str | None = None  # a column of one period only (a table by year across), as the period format writes it


@dataclass(frozen=True)
class Spec:
    id: str
    title: str  # in English; `titles` has it in each language the spec gives
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
    fill_down: tuple[str, ...] = ()  # columns whose empty cells mean the value above (a merged cell, a group's name)
    fuzzy_threshold: float = 90.0
    orgunits: str | None = None  # DHIS2: a CSV of uid,area_id (relative to the spec), besides data/geo's
    titles: dict = field(default_factory=dict)  # language -> title, as the spec writes them

    def title_in(self, lang: str) -> str:
        """The spec's title in the reader's language, else in English."""
        return self.titles.get(lang) or self.title

    @property
    def long(self) -> bool:
        return self.value_column is not None

    def columns_needed(self) -> list[str]:
        """Every column the spec names, for the check that the file has them."""
        named = [self.area, self.parent, self.period, self.sex_column, self.value_column]
        named += [f.column for f in self.figures] + [c for f in self.figures for c, _ in f.where]
        named += [c for c, _ in self.skip] + list(self.fill_down)
        return list(dict.fromkeys(c for c in named if c))


def _column(value):
    """A column's name: a header such as 2566 reads as a number in YAML, and is still a name."""
    return str(value) if isinstance(value, int) and not isinstance(value, bool) else value


def _mapping_of(key: str):
    """`area: จังหวัด` is short for `area: {column: จังหวัด}` (and so for period and sex)."""

    def expand(value):
        return {key: value} if isinstance(value, str | int) and not isinstance(value, bool) else value

    return BeforeValidator(expand)


Name = Annotated[str, BeforeValidator(_column), StringConstraints(min_length=1, max_length=300)]
Cell = Annotated[str, BeforeValidator(_column)]


class AreaEntry(Strict):
    column: Name | None = None  # default: the format's (dhis2: orgUnit, sdmx: REF_AREA)
    level: Literal[LEVELS] = "province"
    parent: Name | None = None


class PeriodEntry(Strict):
    column: Name | None = None
    value: Cell | None = None  # one period for the whole file ("2566")
    format: Literal[PERIOD_FORMATS] | None = None  # default: the format's, else year_be


class SexEntry(Strict):
    column: Name | None = None
    labels: dict[Cell, Literal[SEXES]] = {}
    default: Literal[SEXES] = "total"


class FigureEntry(Strict):
    indicator: Name
    role: Literal[ROLES] = "value"
    column: Name | None = None
    where: dict[Name, Cell] = {}
    sex: Literal[SEXES] | None = None
    scale: float = Field(1.0, gt=0, le=1_000_000)
    count: bool = True
    period: Cell | None = None  # a column of one period only: a table by year across ("2566")


class SkipEntry(Strict):
    column: Name
    values: list[Cell] | None = None
    equals: list[Cell] | None = None


class SpecFile(Strict):
    """A source spec (config/import/SAMPLE.yaml documents every key)."""

    id: Name | None = None  # default: the file's name
    title: Texts | None = None  # shown on the Data page: English, or a mapping of en, th, lo to text
    country: Literal[COUNTRIES]
    format: Literal[FORMATS] = "csv"
    encoding: Annotated[Literal[ENCODINGS], BeforeValidator(lambda v: v.lower() if isinstance(v, str) else v)] = "auto"
    delimiter: Annotated[str, StringConstraints(min_length=1, max_length=1)] | None = None
    decimal: Literal[".", ","] = "."
    sheet: Annotated[int, Field(ge=0)] | Annotated[str, StringConstraints(min_length=1)] = 0
    skip_rows: int = Field(0, ge=0, le=10_000)
    header_rows: int = Field(1, ge=1, le=20)
    orient: Literal["records", "split", "index", "columns", "values", "table"] | None = None
    fuzzy_threshold: float = Field(90.0, ge=0, le=100)
    area: Annotated[AreaEntry, _mapping_of("column")] = AreaEntry()
    period: Annotated[PeriodEntry, _mapping_of("column")] = PeriodEntry()
    sex: Annotated[SexEntry, _mapping_of("column")] = SexEntry()
    values: list[FigureEntry] | None = None
    series: list[FigureEntry] | None = None
    value_column: Name | None = None
    skip: list[SkipEntry] | None = None
    fill_down: list[Name] | None = None
    orgunits: Name | None = None

    @model_validator(mode="after")
    def _complete(self):
        preset = PRESETS.get(self.format, {})
        if not self.values and not self.series:
            raise Invalid(N_("the spec names no figures: add `values` (one per column) or `series`"))
        for i, entry in enumerate(self.values or []):
            if entry.column is None:
                raise Invalid(N_("each entry of values names its column"), f"values.{i}")
        for i, entry in enumerate(self.series or []):
            if not entry.where:
                raise Invalid(N_("each entry of series says which rows it takes (where)"), f"series.{i}")
        if not (self.area.column or preset.get("area")):
            raise Invalid(N_("the spec names no area column (area: column)"), "area")
        if not (self.period.column or self.period.value is not None or preset.get("period")):
            for key, entries in (("values", self.values), ("series", self.series)):
                for i, entry in enumerate(entries or []):
                    if entry.period is None:
                        raise Invalid(
                            N_("the spec says no period: give period: column or value, or a period on each figure"),
                            f"{key}.{i}",
                        )
        return self


def _unreadable(exc: config.ConfigError, path: str) -> Problem:
    """The spec's file by name (not the server's path), its line and key; the frame is translated, the key and the
    problem stay as the file and the schema say them."""
    detail = f"line {exc.line}, {exc.key}: {exc.problem}" if exc.line else f"{exc.key}: {exc.problem}"
    return Problem(N_("the spec cannot be read: {error}"), file=Path(path).name, values=dict(error=detail, cause=exc))


def from_dict(raw: dict, path: str = "") -> Spec:
    """A spec from its YAML's mapping; a Problem names the key that is wrong."""
    return _spec(config.Document(path, raw, None), path)


def from_text(text: str, path: str = "") -> Spec:
    """A spec from its YAML text (as edited on the Data page); a Problem names the key and its line."""
    return _spec(_parse(text.encode("utf-8"), path), path)


def _parse(content: bytes, path: str) -> config.Document:
    try:
        return config.parse(Path(path).name, content)
    except config.ConfigError as exc:
        raise _unreadable(exc, path) from None


def _spec(document: config.Document, path: str) -> Spec:
    try:
        parsed = config.validate(SpecFile, document)
    except config.ConfigError as exc:
        raise _unreadable(exc, path) from None
    preset = PRESETS.get(parsed.format, {})
    area, period, sex = parsed.area, parsed.period, parsed.sex
    figures = tuple(_figure(e) for e in parsed.values or []) + tuple(_figure(e) for e in parsed.series or [])
    return Spec(
        id=parsed.id or Path(path).stem,
        title=(parsed.title or {}).get("en") or parsed.id or Path(path).stem,
        titles=dict(parsed.title or {}),
        country=parsed.country,
        format=parsed.format,
        area=area.column or preset["area"],
        level=area.level,
        figures=figures,
        path=path,
        encoding=parsed.encoding,
        delimiter=parsed.delimiter,
        decimal=parsed.decimal,
        sheet=parsed.sheet,
        skip_rows=parsed.skip_rows,
        header_rows=parsed.header_rows,
        orient=parsed.orient,
        parent=area.parent,
        period=period.column or preset.get("period"),
        period_value=period.value,
        period_format=period.format or preset.get("period_format", "year_be"),
        sex_column=sex.column or (preset.get("sex") if sex.labels else None),
        sex_labels=dict(sex.labels),
        sex_default=sex.default,
        value_column=(parsed.value_column or preset.get("value")) if parsed.series else None,
        skip=tuple((s.column, tuple(s.values or s.equals or [])) for s in parsed.skip or []),
        fill_down=tuple(parsed.fill_down or []),
        fuzzy_threshold=parsed.fuzzy_threshold,
        orgunits=parsed.orgunits,
    )


def _figure(entry: FigureEntry) -> Figure:
    return Figure(
        indicator=entry.indicator,
        role=entry.role,
        column=entry.column,
        where=tuple(entry.where.items()),
        sex=entry.sex,
        scale=entry.scale,
        count=entry.count,
        period=None if entry.period is None else str(entry.period),
    )


def load(path: Path | str) -> Spec:
    path = Path(path)
    try:
        content = path.read_bytes()
    except OSError as exc:
        raise Problem(N_("the spec cannot be read: {error}"), file=path.name, values=dict(error=exc)) from None
    return _spec(_parse(content, str(path)), str(path))


def folder(directory: Path | str) -> dict[str, Spec]:
    """The specs in a folder by id (SAMPLE.yaml, which documents the keys, left out)."""
    found = {}
    for path in sorted(Path(directory).glob("*.yaml")):
        if path.name != "SAMPLE.yaml":
            spec = load(path)
            found[spec.id] = spec
    return found
