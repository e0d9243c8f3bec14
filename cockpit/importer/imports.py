"""One import: files read by their spec, every row's area matched, values checked, observations built, and the
report that accounts for every row (imported, ambiguous, unmatched, skipped or rejected, each with why)."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date
from pathlib import Path

import pandas as pd

from cockpit import clock, settings
from cockpit.i18n import N_
from cockpit.importer import matching, parsing, readers
from cockpit.importer.problems import Problem
from cockpit.importer.specs import Spec

GEO = settings.ROOT / "data" / "geo"
ALIASES = GEO / "aliases.csv"
# Rows that hold a total, not an area: left out (and counted) unless the file is by country.
TOTAL_LABELS = {"รวม", "รวมทั้งสิ้น", "รวมทั้งหมด", "ทั้งประเทศ", "ลวม", "ລວມ", "ລວມທັງໝົດ", "ທົ່ວປະເທດ", "total",
                "grand total", "sum", "all", "whole kingdom", "national", "country"}  # fmt: skip
PREVIEW_ROWS = 20
STATUSES = ("imported", "ambiguous", "unmatched", "skipped", "rejected")
# Where a figure's amount went, for the totals: a row's status, or "incomplete" (a denominator without its
# numerator in a row otherwise imported).
FIGURE_STATUSES = (*STATUSES, "incomplete")

# Why a row was left out or refused (msgids; the report shows them in the reader's language).
TOTAL_ROW = N_("a total row")
SKIPPED_BY_SPEC = N_("left out by the spec ({name} is “{value}”)")
NO_SERIES = N_("no series of the spec takes this row")
ALL_MISSING = N_("no value in any column it reads")
NEGATIVE = N_("a negative count ({value})")
ABOVE = N_("numerator {numerator} above its denominator {denominator}")
NO_DENOMINATOR = N_("a numerator without its denominator")
ZERO_DENOMINATOR = N_("a denominator of zero")
DUPLICATE = N_("another row gives the same area, indicator, period and sex (rows {rows})")
BAD_PARENT = N_("its province “{value}” is not matched")
NO_PARENT = N_("its province cell is empty: merged down from a row above? Name “{name}” in the spec's fill_down")
NOT_BEGUN = N_("its period “{value}” has not begun yet: a year mistyped?")


@dataclass
class Result:
    spec: Spec
    files: list[dict]  # name, encoding, rows
    rows: pd.DataFrame  # one per row read: file, row, area text, status, method, area_id, reason...
    observations: pd.DataFrame  # in the contract's columns
    totals: pd.DataFrame  # per indicator and role: read, imported, and what each status left out
    problems: list[Problem] = field(default_factory=list)  # files that could not be read at all
    previews: dict = field(default_factory=dict)  # file name -> its first rows as read

    def counts(self) -> dict:
        rows = self.rows
        imported = rows[rows["status"] == "imported"]
        return dict(
            files=len(self.files),
            rows_read=len(rows),
            imported=len(imported),
            matched_by={m: int((imported["method"] == m).sum()) for m in matching.METHODS},
            ambiguous=int((rows["status"] == "ambiguous").sum()),
            unmatched=int((rows["status"] == "unmatched").sum()),
            skipped=int((rows["status"] == "skipped").sum()),
            rejected=int((rows["status"] == "rejected").sum()),
            observations=len(self.observations),
            unreadable_files=len(self.problems),
        )

    @property
    def publishable(self) -> bool:
        """Whether there are observations to publish (by district, province or country: the model rolls up each
        from the level it was reported at)."""
        return not self.observations.empty

    @property
    def clean(self) -> bool:
        """Every row imported or left out on purpose (a total row, or one the spec skips)."""
        c = self.counts()
        return not (c["ambiguous"] or c["unmatched"] or c["rejected"] or c["unreadable_files"])

    def open_names(self) -> pd.DataFrame:
        """The distinct area names still ambiguous or unmatched, with their rows and candidates: what to fix."""
        left = self.rows[self.rows["status"].isin(("ambiguous", "unmatched"))]
        if left.empty:
            return pd.DataFrame(columns=["area_text", "parent_id", "status", "rows", "candidates"])
        return (
            left.groupby(["area_text", "status"], dropna=False, sort=True)
            .agg(parent_id=("parent_id", "first"), rows=("row", "count"), candidates=("candidates", "first"))
            .reset_index()
        )


def gazetteer(spec: Spec, areas: pd.DataFrame, level: str | None = None, aliases: Path | None = None):
    level = level or spec.level
    country = spec.country
    uid_files = [GEO / f"{country}_dhis2_orgunits.csv"]
    if spec.orgunits:
        uid_files.append(Path(spec.path).parent / spec.orgunits)
    return matching.Gazetteer(
        country,
        level,
        areas,
        aliases=matching.read_aliases(aliases or ALIASES, country, level),
        uids=matching.read_uids(uid_files),
        threshold=spec.fuzzy_threshold,
    )


def run(
    spec: Spec,
    files: list[tuple[str, bytes]],
    areas: pd.DataFrame,
    indicators: pd.DataFrame,
    aliases: Path | None = None,
) -> Result:
    """Read `files` (name, bytes) by `spec` against a country's areas and indicators extracts."""
    catalogue = indicators.set_index("indicator_id")
    for figure in spec.figures:
        if figure.indicator not in catalogue.index:
            raise Problem(
                N_("the spec feeds indicator “{indicator}”, which {country}'s indicators do not have"),
                file=Path(spec.path).name,
                values=dict(indicator=figure.indicator, country=spec.country),
            )
    places = gazetteer(spec, areas, aliases=aliases)
    provinces = gazetteer(spec, areas, "province", aliases) if spec.parent else None
    today = clock.today()
    periods = _figure_periods(spec, today)
    records, row_frames, read, problems, previews = [], [], [], [], {}
    for name, data in files:
        try:
            table = readers.read(spec, data, name)
        except Problem as problem:
            problems.append(problem)
            continue
        read.append(dict(name=name, encoding=table.encoding, rows=len(table.frame)))
        previews[name] = table.frame.head(PREVIEW_ROWS)
        file_rows, file_records = _rows(spec, table, places, provinces, today, periods)
        row_frames.append(file_rows)
        records.extend(file_records)
    if problems and not read:
        raise problems[0]  # nothing could be read: the first file's problem is the answer
    rows = pd.concat(row_frames, ignore_index=True) if row_frames else _empty_rows()
    figures = pd.DataFrame(records, columns=_RECORD_COLUMNS)
    observations = _observations(spec, rows, figures, catalogue)
    totals = _totals(rows, figures)
    return Result(spec, read, rows, observations, totals, problems, previews)


_ROW_COLUMNS = ["file", "row", "area_text", "parent_text", "parent_id", "status", "method", "area_id", "score",
                "candidates", "reason", "reason_values", "column"]  # fmt: skip
_RECORD_COLUMNS = [
    "file",
    "row",
    "indicator",
    "role",
    "column",
    "sex",
    "period_start",
    "period_type",
    "amount",
    "status",
]


def _empty_rows() -> pd.DataFrame:
    return pd.DataFrame(columns=_ROW_COLUMNS)


def _cell(row, column):
    value = row.get(column)
    return "" if value is None or (isinstance(value, float) and pd.isna(value)) else value


def _figure_periods(spec: Spec, today: date) -> dict[str, tuple[date, str]]:
    """The period of each figure that names its own (a table by year across), read once; a Problem naming the
    spec and the column when one does not read or has not begun."""
    periods = {}
    for figure in spec.figures:
        if figure.period is None:
            continue
        try:
            periods[figure.period] = parsing.period(figure.period, spec.period_format, spec.country)
        except parsing.ValueProblem as problem:
            raise Problem(
                problem.message, file=Path(spec.path).name, column=figure.column, values=problem.values
            ) from None
        if periods[figure.period][0] > today:
            raise Problem(NOT_BEGUN, file=Path(spec.path).name, column=figure.column, values=dict(value=figure.period))
    return periods


def _rows(
    spec: Spec, table: readers.Table, places, provinces, today: date, periods: dict[str, tuple[date, str]]
) -> tuple[pd.DataFrame, list[dict]]:
    """Each row's status and the figures it carries (amounts parsed, periods and sexes read); a row whose period
    starts after `today` is rejected (2576 typed for 2567 would become the newest year on every page). A figure
    with a period of its own (`periods`) takes it instead of the row's."""
    out, records = [], []
    skip = [(column, {parsing.clean_text(v).lower() for v in values}) for column, values in spec.skip]
    for row in table.frame.to_dict("records"):
        area_text = parsing.clean_text(_cell(row, spec.area))
        parent_text = parsing.clean_text(_cell(row, spec.parent)) if spec.parent else ""
        entry = dict(file=table.name, row=int(row[readers.ROW]), area_text=area_text, parent_text=parent_text,
                     parent_id=None, status=None, method=None, area_id=None, score=None, candidates=(),
                     reason=None, reason_values={}, column=None)  # fmt: skip

        def close(status, reason=None, column=None, entry=entry, **values):
            entry.update(status=status, reason=reason, reason_values=values, column=column)
            out.append(entry)

        skipped = next((c for c, vals in skip if parsing.clean_text(_cell(row, c)).lower() in vals), None)
        if skipped:
            close("skipped", SKIPPED_BY_SPEC, skipped, name=skipped, value=parsing.clean_text(_cell(row, skipped)))
            continue
        if (
            spec.level != "country"
            and area_text.lower() in TOTAL_LABELS
            or (parent_text.lower() in TOTAL_LABELS and not area_text)
        ):
            close("skipped", TOTAL_ROW, spec.area)
            continue
        figures = _figures_of(spec, row)
        if not figures:
            close("skipped", NO_SERIES)
            continue
        # The period: one for the row, unless every figure names its own (a table by year across).
        row_period = None
        try:
            if spec.period:
                row_period = parsing.period(_cell(row, spec.period), spec.period_format, spec.country)
            elif spec.period_value is not None or any(f.period is None for f, _ in figures):
                # No period given at all reads as "" and is refused as empty.
                row_period = parsing.period(spec.period_value or "", spec.period_format, spec.country)
        except parsing.ValueProblem as problem:
            close("rejected", problem.message, spec.period, **problem.values)
            continue
        if row_period is not None and row_period[0] > today:
            written = parsing.clean_text(_cell(row, spec.period)) if spec.period else str(spec.period_value)
            close("rejected", NOT_BEGUN, spec.period, value=written)
            continue
        amounts, failure = [], None
        for figure, column in figures:
            try:
                sex = figure.sex or (
                    parsing.sex(_cell(row, spec.sex_column), spec.sex_labels, spec.sex_default)
                    if spec.sex_column
                    else spec.sex_default
                )
                amount = parsing.number(_cell(row, column), spec.decimal)
            except parsing.ValueProblem as problem:
                failure = (problem.message, spec.sex_column if "sex" in problem.message else column, problem.values)
                break
            if amount is None:
                continue  # "-" or empty: missing, not zero
            amount *= figure.scale
            if figure.count and amount < 0:
                failure = (NEGATIVE, column, dict(value=parsing.clean_text(_cell(row, column))))
                break
            period_start, period_type = periods[figure.period] if figure.period is not None else row_period
            amounts.append(dict(file=table.name, row=entry["row"], indicator=figure.indicator, role=figure.role,
                                column=column, sex=sex, period_start=period_start, period_type=period_type,
                                amount=amount))  # fmt: skip
        if failure:
            close("rejected", failure[0], failure[1], **failure[2])
            records.extend(dict(a, status="rejected") for a in amounts)
            continue
        if not amounts:
            close("skipped", ALL_MISSING)
            continue
        # The area, within its province when the file names one.
        within = None
        if provinces is not None and parent_text:
            parent = provinces.match(parent_text)
            within = parent.area_id
            entry["parent_id"] = within
        found = places.match(area_text, within)
        entry.update(method=found.method, area_id=found.area_id, score=found.score, candidates=found.candidates)
        if found.status != "matched" and provinces is not None and parent_text and within is None:
            close(found.status, BAD_PARENT, spec.parent, value=parent_text)
        elif found.status != "matched" and provinces is not None and not parent_text:
            close(found.status, NO_PARENT, spec.parent, name=spec.parent)
        else:
            close("imported" if found.status == "matched" else found.status)
        records.extend(dict(a, status=entry["status"]) for a in amounts)
    return pd.DataFrame(out, columns=_ROW_COLUMNS), records


def _figures_of(spec: Spec, row: dict) -> list[tuple]:
    """The figures a row holds: (figure, the column its amount is in)."""
    if not spec.long:
        return [(f, f.column) for f in spec.figures]
    return [
        (f, f.column or spec.value_column)
        for f in spec.figures
        if all(parsing.clean_text(_cell(row, c)) == v for c, v in f.where)
    ]


def _reject(table: pd.DataFrame, figures: pd.DataFrame, keys: pd.DataFrame, reason: str, **values) -> None:
    """Mark the rows behind `keys` (file, row) rejected, in place, unless already closed otherwise."""
    for file, row in keys[["file", "row"]].drop_duplicates().itertuples(index=False):
        at = (table["file"] == file) & (table["row"] == row) & (table["status"] == "imported")
        table.loc[at, ["status", "reason"]] = ["rejected", reason]
        table.loc[at, "reason_values"] = pd.Series([values] * int(at.sum()), index=table.index[at], dtype=object)
        figures.loc[(figures["file"] == file) & (figures["row"] == row), "status"] = "rejected"


def _observations(spec: Spec, rows: pd.DataFrame, figures: pd.DataFrame, catalogue: pd.DataFrame) -> pd.DataFrame:
    """The imported rows' figures as observations: numerator and denominator give the value (a ratio of sums
    rolls them up), a value alone stands for itself with a weight of one."""
    columns = ["area_id", "indicator_id", "period_start", "period_type", "sex", "value", "numerator", "denominator"]
    if figures.empty:
        return pd.DataFrame(columns=[*columns, "target"])
    where = rows.set_index(["file", "row"])["area_id"]
    figures["area_id"] = [where.get((f, r)) for f, r in zip(figures["file"], figures["row"], strict=True)]
    key = ["area_id", "indicator", "period_start", "sex"]
    live = figures[figures["status"] == "imported"]
    # Two rows giving one figure (a province spelt two ways): neither is taken, both are listed.
    doubled = live[live.duplicated([*key, "role"], keep=False)]
    for _, group in doubled.groupby([*key, "role"], sort=False):
        _reject(rows, figures, group, DUPLICATE, rows=", ".join(str(r) for r in sorted(group["row"])))
    built = []
    for (area, indicator, start, sex), group in figures[figures["status"] == "imported"].groupby(key, sort=True):
        parts = dict(zip(group["role"], group["amount"], strict=True))
        info = catalogue.loc[indicator]
        numerator, denominator, value = parts.get("numerator"), parts.get("denominator"), parts.get("value")
        if info["aggregation"] == "sum":
            value = value if value is not None else numerator
            numerator = denominator = None
            if value is None:
                figures.loc[group.index, "status"] = "incomplete"
                continue
        elif numerator is not None and denominator is not None:
            if denominator == 0:
                _reject(rows, figures, group, ZERO_DENOMINATOR)
                continue
            if info["unit"] == "%" and info["aggregation"] == "ratio" and numerator > denominator:
                _reject(rows, figures, group, ABOVE, numerator=f"{numerator:g}", denominator=f"{denominator:g}")
                continue
            value = float(info["scale"]) * numerator / denominator
        elif value is not None:
            # A rate without its parts: weighted as one unit when provinces and the country are rolled up.
            numerator, denominator = value / float(info["scale"]), 1.0
        elif numerator is not None:
            _reject(rows, figures, group, NO_DENOMINATOR)
            continue
        else:
            # A denominator alone (its numerator "-"): nothing to show; the totals list it as incomplete.
            figures.loc[group.index, "status"] = "incomplete"
            continue
        built.append(dict(area_id=area, indicator_id=indicator, period_start=start,
                          period_type=group["period_type"].iloc[0], sex=sex, value=value,
                          numerator=numerator, denominator=denominator))  # fmt: skip
    observations = pd.DataFrame(built, columns=columns)
    observations["target"] = float("nan")
    return observations


def _totals(rows: pd.DataFrame, figures: pd.DataFrame) -> pd.DataFrame:
    """Per indicator and role, the sum of the amounts read and where each went: imported or left out (by status)."""
    if figures.empty:
        return pd.DataFrame(columns=["indicator", "role", "read", *FIGURE_STATUSES])
    status = rows.set_index(["file", "row"])["status"]
    final = [status.get((f, r)) for f, r in zip(figures["file"], figures["row"], strict=True)]
    figures = figures.assign(final=[s if s != "imported" else f for s, f in zip(final, figures["status"], strict=True)])
    totals = figures.pivot_table(index=["indicator", "role"], columns="final", values="amount", aggfunc="sum")
    totals = totals.reindex(columns=list(FIGURE_STATUSES)).fillna(0.0)
    totals.insert(0, "read", totals.sum(axis=1))
    return totals.reset_index().rename_axis(columns=None)
