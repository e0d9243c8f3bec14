"""The import report, in the reader's language: rows read, matched by each method, ambiguous, unmatched,
skipped and rejected (each with why), and the totals per indicator before and after, so that a steward sees
nothing was lost: what was read equals what was imported plus what the report lists."""

from __future__ import annotations

import pandas as pd

from cockpit import i18n
from cockpit.i18n import N_
from cockpit.importer import imports

STATUS_NAMES = {
    "imported": N_("imported"),
    "ambiguous": N_("ambiguous"),
    "unmatched": N_("unmatched"),
    "skipped": N_("skipped"),
    "rejected": N_("rejected"),
}
ROLE_NAMES = {"numerator": N_("numerator"), "denominator": N_("denominator"), "value": N_("value")}
LEVEL_NAMES = {"country": N_("country"), "province": N_("province"), "district": N_("district")}
METHOD_NAMES = {
    "code": N_("by code"),
    "dhis2": N_("by DHIS2 UID"),
    "alias": N_("by a steward's alias"),
    "name": N_("by name"),
    "fuzzy": N_("by a close spelling"),
}


def reason(row, lang: str) -> str:
    if not row["reason"]:
        return ""
    values = row["reason_values"] if isinstance(row["reason_values"], dict) else {}
    message = row["reason"]  # a msgid from imports or parsing
    return i18n.tr(lang, message, **values)


def candidates_text(candidates) -> str:
    return "; ".join(f"{name} ({area}, {score:g})" for area, name, score in candidates or ())


def rows_table(result: imports.Result, lang: str) -> pd.DataFrame:
    """Every row read: where it is in its file, what it named, and what became of it."""
    rows = result.rows
    return pd.DataFrame(
        {
            "file": rows["file"],
            "row": rows["row"],
            "area": rows["area_text"],
            "status": [i18n.tr(lang, STATUS_NAMES[s]) for s in rows["status"]],
            "method": [i18n.tr(lang, METHOD_NAMES[m]) if m in METHOD_NAMES else "" for m in rows["method"]],
            "area_id": rows["area_id"],
            "score": rows["score"],
            "candidates": [candidates_text(c) for c in rows["candidates"]],
            "reason": [reason(r, lang) for _, r in rows.iterrows()],
            "column": rows["column"],
        }
    )


def summary(result: imports.Result, lang: str, off: list | tuple = ()) -> dict:
    """The report's counts, reasons and totals; `off`: the indicators whose figures look off what is published
    (`publishing.suspects`)."""
    left_out = result.rows[result.rows["status"].isin(("skipped", "rejected"))]
    why = {}
    for status, group in left_out.groupby("status"):
        why[status] = {
            text: int(n) for text, n in pd.Series([reason(r, lang) for _, r in group.iterrows()]).value_counts().items()
        }
    return dict(
        spec=result.spec.id,
        country=result.spec.country,
        level=result.spec.level,
        files=result.files,
        counts=result.counts(),
        why=why,
        unreadable=[p.text(lang) for p in result.problems],
        totals=result.totals.to_dict("records"),
        publishable=result.publishable,
        clean=result.clean,
        figures_off=[s.text(lang) for s in off],
    )


def text(result: imports.Result, lang: str = "en") -> str:
    """The report as the command line prints it."""
    c = result.counts()
    n_rows, n_files, imported = c["rows_read"], c["files"], c["imported"]
    name = lambda message: i18n.tr(lang, message)  # noqa: E731 (msgids from the tables above)
    lines = [i18n.tr(lang, "{rows} rows read from {files} files", rows=n_rows, files=n_files)]
    methods = ", ".join(f"{name(METHOD_NAMES[m])} {n}" for m, n in c["matched_by"].items() if n)
    lines.append(i18n.tr(lang, "imported: {n}", n=imported) + (f" ({methods})" if methods else ""))
    for status in ("ambiguous", "unmatched", "skipped", "rejected"):
        lines.append(f"{name(STATUS_NAMES[status])}: {c[status]}")
    for status, reasons in summary(result, lang)["why"].items():
        for why, n in reasons.items():
            lines.append(f"  {name(STATUS_NAMES[status])} {n}: {why}")
    for row in result.open_names().itertuples():
        suggestions = candidates_text(row.candidates)
        lines.append(f"  {name(STATUS_NAMES[row.status])}: “{row.area_text}” ×{row.rows}  {suggestions}")
    for problem in result.problems:
        lines.append(i18n.tr(lang, "not read: {problem}", problem=problem.text(lang)))
    lines.append(i18n.tr(lang, "totals per indicator (read = imported + left out):"))
    for row in result.totals.itertuples():
        left = row.read - row.imported
        lines.append(f"  {row.indicator} {row.role}: {row.read:,.6g} = {row.imported:,.6g} + {left:,.6g}")
    return "\n".join(lines)
