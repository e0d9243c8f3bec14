"""Reading a file into a table of cells as its spec says: CSV in UTF-8 (with or without a BOM) or TIS-620/cp874,
Excel (python-calamine), JSON (records or pandas' orients), DHIS2 dataValueSets (JSON or CSV), SDMX-CSV and
SDMX-ML (sdmx1). Every table keeps each row's number as the file shows it (`_row`), for the report."""

from __future__ import annotations

import codecs
import csv
import io
import json
import os
import zipfile
from collections import Counter
from dataclasses import dataclass
from pathlib import Path

import pandas as pd

from cockpit.i18n import N_
from cockpit.importer.problems import Problem
from cockpit.importer.specs import SUFFIXES, Spec

ROW = "_row"
MAX_MB_ENV = "COCKPIT_IMPORT_MAX_MB"
MAX_MB = 50.0  # a ministry's table by district is a few MB; anything far larger is the wrong file
# A table has a few columns, or dozens (years or districts across). Thousands are a wrong delimiter, or a sheet
# filled to its last column: reading them took pandas minutes and gigabytes (a 3 MB line, 16 GB).
MAX_COLUMNS = 1000
# A workbook is a zip, and calamine reads what it unzips to: a 4 MB sheet of ones unzips to 1.5 GB, and reading it
# took the server past 4 GB. Four times the import's limit unzipped costs what the largest CSV does (14 s, 1.1 GB).
UNZIPPED_TIMES = 4
# DHIS2's CSV export names its columns in lower case; its JSON in camel case. One set of names for both.
DHIS2_COLUMNS = {
    "dataelement": "dataElement",
    "period": "period",
    "orgunit": "orgUnit",
    "catoptcombo": "categoryOptionCombo",
    "categoryoptioncombo": "categoryOptionCombo",
    "attroptcombo": "attributeOptionCombo",
    "attributeoptioncombo": "attributeOptionCombo",
    "value": "value",
    "storedby": "storedBy",
    "lastupdated": "lastUpdated",
    "created": "created",
    "comment": "comment",
    "followup": "followup",
}


@dataclass
class Table:
    name: str  # the file's name, as the report and messages say it
    frame: pd.DataFrame  # cells as read (text, or numbers and dates from Excel and JSON), and `_row`
    encoding: str | None = None  # the encoding a text file was read in


def max_mb() -> float:
    return float(os.environ.get(MAX_MB_ENV) or MAX_MB)


def max_bytes() -> int:
    return int(max_mb() * 1024 * 1024)


def read(spec: Spec, data: bytes, name: str) -> Table:
    """The file's rows as its spec says; a Problem naming the file (and row and column) when it cannot be."""
    if len(data) > max_bytes():
        raise Problem(
            N_("the file is {size} MB, more than the {limit} MB an import takes (setting {setting})"),
            file=name,
            values=dict(
                size=f"{len(data) / 1024 / 1024:.0f}", limit=f"{max_bytes() / 1024 / 1024:.0f}", setting=MAX_MB_ENV
            ),
        )
    if not data.removeprefix(codecs.BOM_UTF8).strip():
        raise Problem(N_("the file is empty"), file=name)
    _check_kind(spec, data, name)
    if spec.format == "excel":
        table = Table(name, _excel(spec, data, name))
    elif spec.format == "dhis2":
        table = _dhis2(spec, data, name)
    elif spec.format == "sdmx":
        table = _sdmx(spec, data, name)
    elif spec.format == "json":
        table = Table(name, _json(spec, data, name))
    else:
        text, encoding = decode(data, spec.encoding, name)
        table = Table(name, _headed(spec, _csv_cells(spec, text, name), name), encoding)
    _check_columns(spec, table)
    for column in spec.fill_down:
        # A province's name merged down its districts' rows, or written once above them: an empty cell means "as
        # above". Only the columns the spec names: an empty value cell stays missing.
        cells = table.frame[column]
        table.frame[column] = cells.mask(cells.isna() | (cells.astype(str).str.strip() == "")).ffill()
    return table


def _check_kind(spec: Spec, data: bytes, name: str) -> None:
    """A file whose name or first bytes say it is another kind than the spec reads."""
    suffix = Path(name).suffix.lower()
    zipped, ole = data[:4] == b"PK\x03\x04", data[:8] == b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"
    looks = "excel" if zipped or ole else "text"
    if suffix in SUFFIXES and spec.format not in SUFFIXES[suffix] or (looks == "excel") != (spec.format == "excel"):
        kind = "Excel" if looks == "excel" else (suffix.lstrip(".").upper() or "text")
        raise Problem(
            N_("the file is of the kind {kind}, but the spec “{spec}” reads {format} files"),
            file=name,
            values=dict(kind=kind, spec=spec.id, format=spec.format),
        )


def decode(data: bytes, encoding: str, name: str) -> tuple[str, str]:
    """Text and the encoding it was read in: a BOM says UTF-8 or UTF-16 (Excel's "Unicode text"); else UTF-8 if it
    reads, else Thai cp874 (which holds TIS-620). A named encoding that does not fit names the line of the first byte
    it cannot read."""
    if encoding == "auto":
        if data.startswith(codecs.BOM_UTF8):
            return data.decode("utf-8-sig"), "utf-8-sig"
        if data.startswith((codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE)):
            try:
                return data.decode("utf-16"), "utf-16"
            except UnicodeDecodeError:
                pass  # not UTF-16 after all: named below as UTF-8 fails
        for candidate in ("utf-8", "cp874"):
            try:
                return data.decode(candidate), candidate
            except UnicodeDecodeError:
                continue
        encoding = "utf-8"  # neither reads: name where UTF-8 fails
    codec = "cp874" if encoding == "tis-620" else encoding  # cp874 is TIS-620 with a few more signs
    try:
        text = data.decode(codec)
    except UnicodeDecodeError as exc:
        if codec != "utf-8" and _is_utf8(data):
            raise _utf8_misread(name, encoding) from None
        line = data[: exc.start].count(b"\n") + 1
        raise Problem(
            N_("the text is not {encoding}: byte 0x{byte} cannot be read (save it as UTF-8, or name its encoding)"),
            file=name,
            row=line,
            values=dict(encoding=encoding, byte=f"{data[exc.start]:02X}"),
        ) from None
    if codec == "utf-8" and text.startswith("\ufeff"):
        text = text[1:]
    if codec == "cp874" and _thai_as_latin(text):
        raise _utf8_misread(name, encoding)
    return text, encoding


def _is_utf8(data: bytes) -> bool:
    try:
        data.decode("utf-8")
    except UnicodeDecodeError:
        return False
    return True


def _utf8_misread(name: str, encoding: str) -> Problem:
    return Problem(
        N_("the spec says {encoding}, but the text looks like UTF-8 (name encoding: utf-8, or auto)"),
        file=name,
        values=dict(encoding=encoding),
    )


def _thai_as_latin(text: str) -> bool:
    """UTF-8 Thai read as cp874 shows as runs of 'เธ'/'เน' pairs: the sign of the wrong encoding."""
    return text.count("เธ") + text.count("เน") > max(10, len(text) // 20)


def _csv_cells(spec: Spec, text: str, name: str) -> pd.DataFrame:
    # Universal newlines: Excel for Mac's "CSV (Macintosh)" ends its lines with a lone CR (was a traceback).
    lines = io.StringIO(text, newline=None)
    first = lines.readline()
    lines.seek(0)
    try:
        delimiter = spec.delimiter or csv.Sniffer().sniff(first).delimiter  # as pandas would guess it: the first line
        _check_width(first.count(delimiter) + 1, name, delimiter)
        return pd.read_csv(
            lines,
            header=None,
            dtype=str,
            keep_default_na=False,
            sep=delimiter,
            engine="python",
            skip_blank_lines=False,
        )
    except (pd.errors.ParserError, ValueError, csv.Error) as exc:
        raise Problem(N_("the file does not read as CSV: {error}"), file=name, values=dict(error=exc)) from None


def _check_width(columns: int, name: str, delimiter: str | None = None) -> None:
    if columns > MAX_COLUMNS:
        raise Problem(
            N_("the file has {columns} columns, more than the {limit} an import reads (a wrong delimiter?)")
            if delimiter is None
            else N_(
                "the first line has {columns} columns when “{delimiter}” separates them, more than the {limit} an "
                "import reads: name the delimiter in the spec"
            ),
            file=name,
            values=dict(columns=columns, limit=MAX_COLUMNS, delimiter=delimiter),
        )


def _check_unzipped(data: bytes, name: str) -> None:
    try:
        with zipfile.ZipFile(io.BytesIO(data)) as workbook:
            unzipped = sum(part.file_size for part in workbook.infolist())
    except (zipfile.BadZipFile, ValueError, EOFError):
        return  # not a zip, or a damaged one: calamine says what is wrong with it
    if unzipped > UNZIPPED_TIMES * max_bytes():
        raise Problem(
            N_(
                "the workbook unzips to {size} MB, more than the {limit} MB an import reads: save its table alone, "
                "or as CSV"
            ),
            file=name,
            values=dict(size=round(unzipped / 1024 / 1024), limit=round(UNZIPPED_TIMES * max_bytes() / 1024 / 1024)),
        )


def _excel(spec: Spec, data: bytes, name: str) -> pd.DataFrame:
    _check_unzipped(data, name)
    try:
        cells = pd.read_excel(io.BytesIO(data), sheet_name=spec.sheet, header=None, engine="calamine", dtype=object)
    except ValueError as exc:
        if "sheet" in str(exc).lower() or "worksheet" in str(exc).lower():
            raise Problem(N_("the workbook has no sheet “{sheet}”"), file=name, values=dict(sheet=spec.sheet)) from None
        raise Problem(N_("the workbook cannot be read: {error}"), file=name, values=dict(error=exc)) from None
    except Exception as exc:  # noqa: BLE001 (calamine raises its own errors for a damaged workbook)
        raise Problem(N_("the workbook cannot be read: {error}"), file=name, values=dict(error=exc)) from None
    return _headed(spec, cells, name)


def _headed(spec: Spec, cells: pd.DataFrame, name: str) -> pd.DataFrame:
    """Header rows joined into one name per column (a merged cell's text carried to the cells it spans, the rows
    joined with ' / '), then the data rows, each with its row number in the file."""
    top = spec.skip_rows
    _check_width(cells.shape[1], name)
    if len(cells) <= top + spec.header_rows - 1:
        raise Problem(N_("the file has no rows below its header"), file=name)
    header = cells.iloc[top : top + spec.header_rows].astype(object).where(lambda f: f.notna(), "")
    header = header.map(lambda v: str(v).strip())
    # A merged cell holds its text in its first column only: carry it right over the empties (upper rows only).
    for i in range(len(header) - 1):
        row = header.iloc[i].replace("", pd.NA).ffill().fillna("")
        header.iloc[i] = row
    names = []
    for column in header.columns:
        parts = [p for p in header[column] if p]
        parts = [p for i, p in enumerate(parts) if i == 0 or p != parts[i - 1]]
        names.append(" / ".join(parts) or f"column {column + 1}")
    times = Counter(names)
    names = [n if times[n] == 1 else f"{n} ({i + 1})" for i, n in enumerate(names)]
    body = cells.iloc[top + spec.header_rows :].copy()
    body.columns = names
    body[ROW] = body.index + 1
    blank = body.drop(columns=ROW).map(
        lambda v: v is None or (isinstance(v, float) and pd.isna(v)) or str(v).strip() == ""
    )
    return body[~blank.all(axis=1)].reset_index(drop=True)


def _json(spec: Spec, data: bytes, name: str) -> pd.DataFrame:
    text, _ = decode(data, "utf-8" if spec.encoding == "auto" else spec.encoding, name)
    try:
        frame = pd.read_json(io.StringIO(text), orient=spec.orient, dtype=False)
    except ValueError as exc:
        raise Problem(N_("the file does not read as JSON: {error}"), file=name, values=dict(error=exc)) from None
    _check_width(frame.shape[1], name)
    frame = frame.reset_index(drop=spec.orient in (None, "records", "split", "values"))
    frame[ROW] = range(1, len(frame) + 1)
    return frame


def _dhis2(spec: Spec, data: bytes, name: str) -> Table:
    text, encoding = decode(data, spec.encoding, name)
    if text.lstrip().startswith(("{", "[")):
        try:
            doc = json.loads(text)
        except json.JSONDecodeError as exc:
            raise Problem(
                N_("the file does not read as JSON: {error}"), file=name, row=exc.lineno, values=dict(error=exc.msg)
            ) from None
        except RecursionError:  # "[[[[…" thousands deep: Python's decoder recurses once per level
            raise Problem(
                N_("the file does not read as JSON: {error}"), file=name, values=dict(error="nested too deeply")
            ) from None
        values = doc.get("dataValues") if isinstance(doc, dict) else None
        if values is None:
            raise Problem(N_("this JSON is not a DHIS2 dataValueSet (it has no dataValues)"), file=name)
        frame = pd.DataFrame(values, dtype=object)
        frame[ROW] = range(1, len(frame) + 1)
    else:
        frame = _csv_cells(spec, text, name)
        frame.columns = [str(c) for c in frame.iloc[0]]
        frame = frame.iloc[1:].copy()
        frame[ROW] = frame.index + 1
        frame = frame.reset_index(drop=True)
    frame.columns = [DHIS2_COLUMNS.get(str(c).strip().lower(), str(c).strip()) for c in frame.columns]
    if not {"dataElement", "orgUnit", "period", "value"} <= set(frame.columns):
        raise Problem(
            N_("this is not a DHIS2 dataValueSet (it needs dataElement, period, orgUnit and value)"), file=name
        )
    return Table(name, frame, encoding)


def _sdmx(spec: Spec, data: bytes, name: str) -> Table:
    if data.lstrip()[:1] == b"<":
        import sdmx  # imported here: a second or so, and only SDMX-ML needs it

        try:
            message = sdmx.read_sdmx(io.BytesIO(data))
            series = sdmx.to_pandas(message.data[0]) if message.data else None
        except Exception as exc:  # noqa: BLE001 (sdmx1 raises many kinds for a malformed message)
            raise Problem(N_("the file does not read as SDMX-ML: {error}"), file=name, values=dict(error=exc)) from None
        if series is None or series.empty:
            raise Problem(N_("the SDMX message holds no observations"), file=name)
        frame = series.rename("OBS_VALUE").reset_index().astype(object)
        frame[ROW] = range(1, len(frame) + 1)
        return Table(name, frame, "utf-8")
    # SDMX-CSV (1.0 and 2.0) is a flat table with one observation a row: read as CSV. (sdmx1's own reader takes
    # SDMX-CSV 2.0 only and needs the data structure, which a downloaded file comes without.)
    text, encoding = decode(data, spec.encoding, name)
    frame = _csv_cells(spec, text, name)
    frame.columns = [str(c).split(":", 1)[0].strip() for c in frame.iloc[0]]  # "REF_AREA: Reference area"
    frame = frame.iloc[1:].copy()
    frame[ROW] = frame.index + 1
    if "OBS_VALUE" not in frame.columns or "TIME_PERIOD" not in frame.columns:
        raise Problem(N_("this is not SDMX-CSV (it needs TIME_PERIOD and OBS_VALUE)"), file=name)
    return Table(name, frame.reset_index(drop=True), encoding)


def _check_columns(spec: Spec, table: Table) -> None:
    present = [c for c in table.frame.columns if c != ROW]
    for column in spec.columns_needed():
        if column not in present:
            raise Problem(
                N_("the spec names a column the file does not have; its columns are: {columns}"),
                file=table.name,
                column=column,
                values=dict(columns=", ".join(present[:12]) + (" …" if len(present) > 12 else "")),
            )
