"""Loads a directory of Parquet extracts into DuckDB, checking each against the contract.

`cockpit.publish` loads into the new version's database file; a set that breaks the contract is
refused with what is wrong and where (file, column, rows), and the version in service stays.
"""

from __future__ import annotations

import hashlib
import re
from dataclasses import dataclass, field, fields
from datetime import datetime
from pathlib import Path

import duckdb

from cockpit import clock, i18n
from cockpit.data import schema
from cockpit.i18n import N_

SAMPLE_ROWS = 5  # offending rows quoted in an error message


@dataclass(frozen=True)
class ContractError:
    file: str
    column: str | None
    rows: tuple[int, ...]  # 1-based row numbers in the file
    row_count: int  # how many rows break the rule, of which `rows` is a sample
    problem: str  # in English: the command line, the logs
    message: str = ""  # the problem as a message id with {placeholders}: pages say it in the reader's language
    values: dict = field(default_factory=dict)

    @classmethod
    def from_record(cls, record: dict) -> ContractError:
        """An error as a refusal's record keeps it (`dict(error.__dict__)`, read back from JSON)."""
        known = {f.name for f in fields(cls)} - {"rows"}
        return cls(**{k: v for k, v in record.items() if k in known}, rows=tuple(record.get("rows") or ()))

    def text(self, lang: str) -> str:
        """The problem in `lang` (a record written before messages were kept: its English). Values the error names
        per language (`named`: {lang: {placeholder: text}}, an indicator or areas by name) are read in `lang`."""
        if not self.message:
            return self.problem
        values = {k: v for k, v in self.values.items() if k != "named"}
        counts = {k: i18n.number(v, lang, None) for k, v in values.items() if type(v) in (int, float)}
        named = (self.values.get("named") or {}).get(lang) or {}
        return i18n.tr(lang, self.message, **{**values, **counts, **named})  # counts in the reader's locale: "15,735"

    def __str__(self) -> str:
        where = self.file + (f", column '{self.column}'" if self.column else "")
        if self.row_count:
            sample = ", ".join(str(r) for r in self.rows)
            more = f" and {self.row_count - len(self.rows)} more" if self.row_count > len(self.rows) else ""
            return f"{where}: {self.problem} (rows {sample}{more})"
        return f"{where}: {self.problem}"


def _error(file: str, column: str | None, rows: tuple, row_count: int, message: str, **values) -> ContractError:
    return ContractError(file, column, rows, row_count, message.format(**values), message, values)


class ExtractError(Exception):
    """An extract directory that breaks the data contract; `errors` says where."""

    def __init__(self, directory: Path, errors: list[ContractError]):
        self.directory = directory
        self.errors = errors
        super().__init__(f"{len(errors)} contract error(s) in {directory}: " + "; ".join(map(str, errors[:3])))


def fingerprint(directory: Path) -> str:
    """Changes whenever an extract file is replaced, grown or touched; cheap enough to call per query."""
    h = hashlib.sha1(str(directory.resolve()).encode())
    for extract in schema.EXTRACTS:
        path = directory / extract.file_name
        try:
            st = path.stat()
            h.update(f"{extract.name}:{st.st_size}:{st.st_mtime_ns};".encode())
        except FileNotFoundError:
            h.update(f"{extract.name}:missing;".encode())
    return h.hexdigest()[:16]


@dataclass
class Snapshot:
    """A directory's extracts, checked and loaded into one DuckDB connection (a version's file, as publish builds)."""

    directory: Path
    version: str  # the files' fingerprint when they were read
    connection: duckdb.DuckDBPyConnection
    loaded_at: datetime
    row_counts: dict[str, int]


def _quote(identifier: str) -> str:
    return '"' + identifier.replace('"', '""') + '"'


def _offending(con, extract: schema.Extract, predicate: str, params: list, column: str | None, problem: tuple):
    """A ContractError for the raw rows matching `predicate`, or None when there are none; `problem` is
    (message id, {values})."""
    raw = _quote("_raw_" + extract.name)
    count = con.execute(f"select count(*) from {raw} where {predicate}", params).fetchall()[0][0]
    if not count:
        return None
    rows = con.execute(
        f"select file_row_number + 1 from {raw} where {predicate} order by file_row_number limit {SAMPLE_ROWS}",
        params,
    ).fetchall()
    message, values = problem
    return _error(extract.file_name, column, tuple(r[0] for r in rows), count, message, **values)


def _check_columns(con, extract: schema.Extract) -> list[ContractError]:
    raw = _quote("_raw_" + extract.name)
    present = {r[0] for r in con.execute(f"describe {raw}").fetchall()}
    errors = [
        _error(extract.file_name, c.name, (), 0, N_("missing column (expected {type})"), type=c.type)
        for c in extract.columns
        if c.name not in present
    ]
    if errors:
        return errors
    for c in extract.columns:
        col = _quote(c.name)
        checks = [
            (
                f"{col} is not null and try_cast({col} as {c.type}) is null",
                [],
                (N_("not a valid {type}"), {"type": c.type}),
            ),
        ]
        if c.required:
            checks.append((f"{col} is null", [], (N_("empty value where one is required"), {})))
        if c.allowed:
            checks.append(
                (
                    f"{col} is not null and cast({col} as varchar) not in (select unnest($1::varchar[]))",
                    [list(c.allowed)],
                    (N_("value not among {allowed}"), {"allowed": ", ".join(c.allowed)}),
                )
            )
        if c.min is not None:
            below = (N_("value below the minimum {minimum}"), {"minimum": f"{c.min:g}"})
            checks.append((f"try_cast({col} as double) < $1", [c.min], below))
        if c.max is not None:
            above = (N_("value above the maximum {maximum}"), {"maximum": f"{c.max:g}"})
            checks.append((f"try_cast({col} as double) > $1", [c.max], above))
        for predicate, params, problem in checks:
            err = _offending(con, extract, predicate, params, c.name, problem)
            if err:
                errors.append(err)
    key = ", ".join(_quote(k) for k in extract.key)
    dup = (
        f"({key}) in (select ({key}) from {raw} group by all having count(*) > 1)"
        if len(extract.key) > 1
        else f"{key} in (select {key} from {raw} group by all having count(*) > 1)"
    )
    err = _offending(con, extract, dup, [], ", ".join(extract.key), (N_("duplicate key"), {}))
    if err:
        errors.append(err)
    return errors


def _check_numbers(con) -> list[ContractError]:
    """Figures the types allow but the world does not: a rate from a zero denominator, a value (or the rate its
    numerator and denominator give) outside its unit's range, a scale of zero."""
    errors = []
    checks = [
        ("indicators", "scale", "try_cast(scale as double) <= 0", [], (N_("a scale must be above 0"), {})),
        (
            "observations",
            "denominator",
            "try_cast(denominator as double) = 0",
            [],
            (N_("a denominator of 0: the rate it divides is undefined (leave it empty when there is none)"), {}),
        ),
    ]
    # A parity index is a total's figure: its female and male rows carry each sex's rate, in percent.
    parity = (
        "cast(indicator_id as varchar) in"
        " (select cast(indicator_id as varchar) from _raw_indicators where cast(aggregation as varchar) = 'parity')"
    )
    for unit, (low, high) in schema.UNIT_RANGES.items():
        of_unit = (
            "cast(indicator_id as varchar) in"
            " (select cast(indicator_id as varchar) from _raw_indicators where cast(unit as varchar) = $1)"
        )
        bounds = {"unit": unit, "low": f"{low:g}", "high": f"{high:g}" if high is not None else ""}
        value_problem = (
            N_("a value in {unit} outside {low} to {high}") if high is not None else N_("a value in {unit} below {low}")
        )
        rate_problem = (
            N_("numerator / denominator gives a {unit} outside {low} to {high}")
            if high is not None
            else N_("numerator / denominator gives a {unit} below {low}")
        )
        outside = "({x} < $2 or {x} > coalesce($3, 'infinity'::double))"
        value = "try_cast(value as double)"
        rate = (
            "(select try_cast(i.scale as double) from _raw_indicators i"
            " where cast(i.indicator_id as varchar) = cast(_raw_observations.indicator_id as varchar))"
            " * try_cast(numerator as double) / nullif(try_cast(denominator as double), 0)"
        )
        checks.append(
            (
                "observations",
                "value",
                f"{of_unit} and not (cast(sex as varchar) <> 'total' and {parity}) and {outside.format(x=value)}",
                [unit, low, high],
                (value_problem, bounds),
            )
        )
        checks.append(
            (
                "observations",
                "numerator",
                f"{of_unit} and not ({parity}) and {outside.format(x=rate)}",
                [unit, low, high],
                (rate_problem, bounds),
            )
        )
    for name, column, predicate, params, problem in checks:
        err = _offending(con, schema.BY_NAME[name], predicate, params, column, problem)
        if err:
            errors.append(err)
    return errors


def _check_foreign_keys(con, extract: schema.Extract) -> list[ContractError]:
    errors = []
    for fk in extract.foreign_keys:
        col = _quote(fk.column)
        predicate = (
            f"{col} is not null and cast({col} as varchar) not in "
            f"(select cast({_quote(fk.table_column)} as varchar) from {_quote('_raw_' + fk.table)})"
        )
        target = f"{fk.table}.{fk.table_column}"
        err = _offending(con, extract, predicate, [], fk.column, (N_("refers to no {target}"), {"target": target}))
        if err:
            errors.append(err)
    return errors


MEMORY = re.compile(r"^\d+(\.\d+)?\s*(KB|MB|GB|TB|KiB|MiB|GiB|TiB)$")


def load(directory: Path | str, database: Path | str = ":memory:", memory_limit: str = "") -> Snapshot:
    """Read and check every extract in `directory` into a DuckDB `database` (a new file, or in memory);
    raise ExtractError naming what is wrong. `memory_limit` (e.g. "2GB") caps DuckDB's memory; work beyond
    it spills to disk."""
    directory = Path(directory)
    version = fingerprint(directory)
    if memory_limit and not MEMORY.match(memory_limit):
        raise ValueError(f"a memory limit is a size such as 2GB or 512MB, got {memory_limit!r}")
    con = duckdb.connect(str(database))
    if memory_limit:
        con.execute(f"set memory_limit = '{memory_limit}'")  # checked above: a size, nothing else
    errors: list[ContractError] = []
    loaded: list[schema.Extract] = []
    for extract in schema.EXTRACTS:
        path = directory / extract.file_name
        if not path.exists():
            if not extract.optional:
                # No folder path: the message reaches every viewer's banner, and paths are the server's business.
                errors.append(_error(extract.file_name, None, (), 0, N_("file missing from the extracts")))
            continue
        try:
            con.execute(
                f"create table {_quote('_raw_' + extract.name)} as "
                "select * from read_parquet($1, file_row_number = true)",
                [str(path)],
            )
        except duckdb.OutOfMemoryException:
            con.close()
            raise  # the machine's limit, not the file's fault: never reported as a broken extract
        except duckdb.Error as exc:
            # DuckDB's first line says what is wrong; the rest quotes our own SQL, which tells the sender nothing.
            reason = "".join(c for c in str(exc).splitlines()[0].strip() if c.isprintable())
            errors.append(
                _error(extract.file_name, None, (), 0, N_("not a readable Parquet file ({reason})"), reason=reason)
            )
            continue
        rows = con.execute(f"select count(*) from {_quote('_raw_' + extract.name)}").fetchall()[0][0]
        if extract.never_empty and not rows:
            errors.append(_error(extract.file_name, None, (), 0, N_("has no rows: every page needs them")))
            continue
        column_errors = _check_columns(con, extract)
        errors.extend(column_errors)
        if not column_errors:
            loaded.append(extract)
    if not errors:
        for extract in loaded:
            errors.extend(_check_foreign_keys(con, extract))
        errors.extend(_check_numbers(con))
    if errors:
        con.close()
        raise ExtractError(directory, errors)
    row_counts = {}
    for extract in loaded:
        cols = ", ".join(f"cast({_quote(c.name)} as {c.type}) as {_quote(c.name)}" for c in extract.columns)
        con.execute(f"create table {_quote(extract.name)} as select {cols} from {_quote('_raw_' + extract.name)}")
        con.execute(f"drop table {_quote('_raw_' + extract.name)}")
        row_counts[extract.name] = con.execute(f"select count(*) from {_quote(extract.name)}").fetchall()[0][0]
    return Snapshot(directory, version, con, clock.utcnow(), row_counts)


def check(directory: Path | str) -> list[ContractError]:
    """The contract errors of an extract directory, empty when it is sound."""
    try:
        load(directory).connection.close()
    except ExtractError as exc:
        return exc.errors
    return []
