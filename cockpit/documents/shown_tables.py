"""What an analyst's page shows, as files: a table as CSV and as an Excel workbook, each carrying the indicators'
definitions and the data version's "as of" (the Explorer's downloads)."""

from __future__ import annotations

import pandas as pd
from openpyxl import Workbook

from cockpit import i18n
from cockpit.data import indicators
from cockpit.documents import workbooks
from cockpit.i18n import N_

MIME_CSV = "text/csv"
MIME_XLSX = workbooks.MIME


def with_provenance(
    table: pd.DataFrame, catalogue: pd.DataFrame, indicator_ids, lang: str, facts: dict
) -> pd.DataFrame:
    """The table with what each row's figures mean and where they come from, as columns a CSV reader keeps:
    the indicators' names, units, sources and definitions (the questions they answer), the version and its as-of."""
    out = table.copy()
    ids = list(indicator_ids)
    described = [
        f"{i}: {indicators.name(catalogue.loc[i], lang)} ({catalogue.loc[i, 'unit'] or '-'}) — "
        f"{indicators.question(catalogue.loc[i], lang)} [{catalogue.loc[i, 'source']}]"
        for i in ids
    ]
    out["indicators"] = " | ".join(described)
    for key, value in facts.items():
        out[key] = value
    return out


def csv_bytes(table: pd.DataFrame) -> bytes:
    """UTF-8 with a byte-order mark, so Excel opens Thai and Lao text correctly; formulas written as text."""
    safe = table.map(lambda v: "'" + v if isinstance(v, str) and v.startswith(workbooks.FORMULA_START) else v)
    return safe.to_csv(index=False).encode("utf-8-sig")


def workbook(
    table: pd.DataFrame,
    catalogue: pd.DataFrame,
    indicator_ids,
    lang: str,
    heading: str,
    facts: list[tuple[str, object]],
) -> bytes:
    """The table as shown (one sheet), the indicators' definitions, and the sources with the version's as-of."""
    wb = Workbook()
    wb.remove(wb.active)
    tr = lambda m: i18n.tr(lang, m)  # noqa: E731
    ws = workbooks._sheet(wb, tr(TABLE_SHEET), heading, " · ".join(f"{k}: {v}" for k, v in facts))
    columns = [str(c) for c in table.columns]
    workbooks._headings(ws, columns, [max(12, min(48, len(c) + 4)) for c in columns])
    for r, row in enumerate(table.itertuples(index=False), start=workbooks.FIRST_ROW + 1):
        workbooks._row(ws, r, [None if isinstance(v, float) and pd.isna(v) else v for v in row])
    workbooks._finish(ws, workbooks.FIRST_ROW + len(table), len(columns))
    chosen = catalogue.loc[list(indicator_ids)]
    workbooks.definitions_sheet(wb, chosen, lang, heading, tr("What each indicator means"))
    workbooks.sources_sheet(wb, chosen, lang, heading, facts)
    return workbooks._to_bytes(wb)


TABLE_SHEET = N_("Shown")
