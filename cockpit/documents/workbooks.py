"""Excel workbooks of what the Province and Region pages show: one sheet a table, definitions and sources included.

Figures are written as numbers (formatted in each indicator's unit and decimals), never as text,
so an analyst can compute with them; labels and headings are in the reader's language.
"""

from __future__ import annotations

import io
from datetime import date, datetime

import pandas as pd
from openpyxl import Workbook
from openpyxl.styles import Alignment, Border, Font, PatternFill, Side
from openpyxl.utils import get_column_letter
from openpyxl.worksheet.worksheet import Worksheet

from cockpit import clock, config, i18n, periods, xml_text
from cockpit.data import geo, indicators, kpi_status
from cockpit.data.indicators import status_rgb
from cockpit.i18n import N_
from cockpit.review import province, regions

FONT_NAME = "Noto Sans"
HEADER_FILL = PatternFill("solid", fgColor="1F2430")
HEADER_FONT = Font(name=FONT_NAME, bold=True, color="FFFFFF")
BODY_FONT = Font(name=FONT_NAME)
TITLE_FONT = Font(name=FONT_NAME, bold=True, size=14)
MUTED_FONT = Font(name=FONT_NAME, color="626A76")
THIN = Border(bottom=Side(style="thin", color="DDE1E6"))
FIRST_ROW = 4  # rows 1-2 hold the title and subtitle, row 4 the headings
MIME = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


def status_fill(status: str) -> PatternFill:
    color = "{:02X}{:02X}{:02X}".format(*status_rgb(status))
    return PatternFill("solid", fgColor=color)


def number_format(unit: str, decimals: int) -> str:
    """An Excel number format for an indicator's unit: 80.2 -> '80.2%' for a percent given in points."""
    pattern = "#,##0" + ("." + "0" * int(decimals) if int(decimals) > 0 else "")
    return pattern + '"%"' if unit == "%" else pattern


def _value(v):
    """A cell value: NaN and NA as empty cells, numpy scalars as Python ones, dates as dates, text without the
    control characters Excel refuses (openpyxl raised IllegalCharacterError: no workbook)."""
    if v is None:
        return None
    if isinstance(v, str):
        return xml_text.held(v)
    if isinstance(v, (list, tuple, dict)):
        return str(v)
    try:
        if pd.isna(v):
            return None
    except (TypeError, ValueError):
        pass
    if isinstance(v, pd.Timestamp):
        return v.to_pydatetime().replace(tzinfo=None) if v.tzinfo else v.date()
    if isinstance(v, datetime) and v.tzinfo is not None:
        return v.replace(tzinfo=None)
    return v.item() if hasattr(v, "item") else v


def _sheet(wb: Workbook, title: str, heading: str, subtitle: str) -> Worksheet:
    ws = wb.create_sheet(_sheet_title(title))
    ws["A1"] = heading
    ws["A1"].font = TITLE_FONT
    ws["A2"] = subtitle
    ws["A2"].font = MUTED_FONT
    ws.sheet_view.showGridLines = False
    return ws


def _sheet_title(title: str) -> str:
    """Excel allows 31 characters and none of []:*?/\\ in a sheet's name."""
    for c in "[]:*?/\\":
        title = title.replace(c, " ")
    return title[:31]


def _headings(ws: Worksheet, headings: list[str], widths: list[float], row: int = FIRST_ROW) -> None:
    for c, (text, width) in enumerate(zip(headings, widths, strict=True), start=1):
        cell = ws.cell(row=row, column=c, value=text)
        cell.font = HEADER_FONT
        cell.fill = HEADER_FILL
        cell.alignment = Alignment(wrap_text=True, vertical="center")
        ws.column_dimensions[get_column_letter(c)].width = width
    ws.row_dimensions[row].height = 32
    ws.freeze_panes = ws.cell(row=row + 1, column=2)


def _row(ws: Worksheet, row: int, values: list, formats: dict[int, str] | None = None) -> None:
    for c, v in enumerate(values, start=1):
        cell = ws.cell(row=row, column=c, value=_value(v))
        cell.font = BODY_FONT
        cell.border = THIN
        if formats and c in formats:
            cell.number_format = formats[c]


def _finish(ws: Worksheet, last_row: int, columns: int) -> None:
    if last_row >= FIRST_ROW + 1:
        ws.auto_filter.ref = f"A{FIRST_ROW}:{get_column_letter(columns)}{last_row}"
    ws.page_setup.orientation = "landscape"
    ws.page_setup.fitToWidth = 1
    ws.page_setup.fitToHeight = 0
    ws.sheet_properties.pageSetUpPr.fitToPage = True
    ws.print_title_rows = f"{FIRST_ROW}:{FIRST_ROW}"


def _status_cell(ws: Worksheet, row: int, column: int, status: str, label: str) -> None:
    cell = ws.cell(row=row, column=column, value=label)
    cell.fill = status_fill(status)
    cell.font = Font(name=FONT_NAME, bold=True, color="FFFFFF")
    cell.border = THIN


def _to_bytes(wb: Workbook) -> bytes:
    for ws in wb.worksheets:
        for row in ws.iter_rows():
            for cell in row:
                _as_text(cell)
    out = io.BytesIO()
    wb.save(out)
    return out.getvalue()


# What a spreadsheet reads as the start of a formula (or of a DDE command): =, +, -, @, and tab or return before them.
FORMULA_START = ("=", "+", "-", "@", "\t", "\r")


def _as_text(cell) -> None:
    """Text people typed (a decision's owner, a note) is never a formula: openpyxl would write a value starting
    with = as one, so the cell is made a string with Excel's quote prefix (shown as typed, never evaluated)."""
    if isinstance(cell.value, str) and cell.value.startswith(FORMULA_START):
        cell.data_type = "s"
        cell.quotePrefix = True


# --- Province ---------------------------------------------------------------------------------------------------


KPI_SHEET_COLUMNS = [
    # (heading, KPI column or None for a computed cell, width)
    (N_("Wall"), "wall_label", 16),
    (N_("KPI"), "name", 48),
    (N_("Indicator ID"), "indicator_id", 26),
    (N_("Period"), "period", 16),
    (N_("Value"), "value", 11),
    (N_("Target"), "target", 11),
    (N_("Status"), "status_label", 16),
    (N_("Against the target"), "status_reason", 40),
    (N_("Change"), "change", 11),
    (N_("Region"), "region_value", 11),
    (N_("Nation"), "nation_value", 11),
    (N_("National rank"), "rank", 10),
    (N_("Provinces ranked"), "ranked_provinces", 10),
    (N_("Rank in region"), "group_rank", 10),
    (N_("Provinces in region"), "group_provinces", 10),
    (N_("Against the region"), "vs_region", 14),
    (N_("Against the nation"), "vs_nation", 14),
]
VALUE_COLUMNS = ("value", "target", "change", "region_value", "nation_value")


def province_workbook(rv: province.ProvinceReview, today: date | None = None) -> bytes:
    """The Province page as a workbook: KPIs, districts, schools, alerts, trends, indicator definitions, sources."""
    wb = Workbook()
    wb.remove(wb.active)
    today = today or clock.today()
    heading = rv.tr("{province}: provincial education review", province=rv.name)
    subtitle = " · ".join(
        [p for p in (rv.group_name, rv.tr("Data as of {day}", day=periods.day_label(rv.as_of, rv.lang))) if p]
    )

    ws = _sheet(wb, rv.tr("KPIs"), heading, subtitle)
    headings = [rv.group_heading if c == "region_value" else rv.tr(h) for h, c, _ in KPI_SHEET_COLUMNS]
    _headings(ws, headings, [w for _, _, w in KPI_SHEET_COLUMNS])
    status_col = [c for _, c, _ in KPI_SHEET_COLUMNS].index("status_label") + 1
    for r, (_, kpi) in enumerate(rv.kpis.iterrows(), start=FIRST_ROW + 1):
        fmt = number_format(kpi["unit"], kpi["decimals"])
        values, formats = [], {}
        for c, (_, column, _) in enumerate(KPI_SHEET_COLUMNS, start=1):
            v = kpi[column]
            if column in ("vs_region", "vs_nation"):
                v = rv.tr(province.COMPARISON_LABELS[v]) if isinstance(v, str) else None
            if column in VALUE_COLUMNS:
                formats[c] = fmt if column != "change" else fmt.replace('"%"', f'" {rv.tr("pts")}"')
            values.append(v)
        _row(ws, r, values, formats)
        _status_cell(ws, r, status_col, kpi["status"], kpi["status_label"])
    _finish(ws, FIRST_ROW + len(rv.kpis), len(KPI_SHEET_COLUMNS))

    _district_sheet(wb, rv, heading, subtitle)
    _school_sheet(wb, rv, heading, subtitle)
    _alert_sheet(wb, rv, heading, subtitle)
    _policy_sheet(wb, rv, heading, subtitle)
    _decision_sheet(wb, rv, heading, subtitle)
    _trend_sheet(wb, rv, heading, subtitle)
    definitions_sheet(wb, rv.catalogue, rv.lang, heading, subtitle)
    sources_sheet(
        wb,
        rv.catalogue,
        rv.lang,
        heading,
        [
            (rv.tr("Province"), f"{rv.name} ({rv.province_id})"),
            (rv.group_heading, rv.group_name),
            (rv.tr("Data as of"), rv.as_of),
            (rv.tr("Extract version"), rv.extract_version),
            (rv.tr("Extract loaded"), rv.loaded_at),
            (rv.tr("Prepared"), today),
        ],
    )
    wb.properties.title = heading
    wb.properties.creator = "Education Management Cockpit"
    return _to_bytes(wb)


def _district_sheet(wb: Workbook, rv: province.ProvinceReview, heading: str, subtitle: str) -> None:
    """Districts × KPIs: each figure a number in its unit, its cell coloured by its status."""
    values, statuses = province.district_matrix(rv)
    kpis = rv.kpis.set_index("indicator_id")
    ws = _sheet(wb, rv.tr("Districts"), heading, rv.tr("Each KPI by district, newest period") + " · " + subtitle)
    priority = "is_priority" in rv.districts and bool(rv.districts["is_priority"].any())
    first = [rv.tr("District")] + ([rv.tr("Priority district")] if priority else [])
    ws.cell(row=FIRST_ROW - 1, column=len(first) + 1, value=rv.tr("Period")).font = MUTED_FONT
    for c, indicator_id in enumerate(values.columns, start=len(first) + 1):
        ws.cell(row=FIRST_ROW - 1, column=c, value=kpis.loc[indicator_id, "period"]).font = MUTED_FONT
    _headings(ws, first + [kpis.loc[i, "name"] for i in values.columns], [24] * len(first) + [14] * len(values.columns))
    ws.row_dimensions[FIRST_ROW].height = 90
    flags = rv.districts.drop_duplicates("name").set_index("name")["is_priority"]
    for r, name in enumerate(values.index, start=FIRST_ROW + 1):
        row = [name] + ([rv.tr("yes") if flags.get(name) else ""] if priority else [])
        _row(ws, r, row)
        for c, indicator_id in enumerate(values.columns, start=len(first) + 1):
            cell = ws.cell(row=r, column=c, value=_value(values.loc[name, indicator_id]))
            cell.number_format = number_format(kpis.loc[indicator_id, "unit"], kpis.loc[indicator_id, "decimals"])
            status = statuses.loc[name, indicator_id]
            cell.fill = status_fill(status)
            cell.font = Font(name=FONT_NAME, color="FFFFFF", bold=status == "off_track")
    _finish(ws, FIRST_ROW + len(values), len(first) + len(values.columns))


def _school_sheet(wb: Workbook, rv: province.ProvinceReview, heading: str, subtitle: str) -> None:
    ws = _sheet(wb, rv.tr("Schools"), heading, subtitle)
    columns = [
        (N_("School ID"), "school_id", 14),
        (N_("School"), "name", 34),
        (N_("District"), "district", 20),
        (N_("Type"), "type_label", 20),
        (N_("Public"), "is_public", 9),
        (N_("Students"), "students", 11),
        (N_("Teachers"), "teachers", 11),
        (N_("Electricity"), "has_electricity", 11),
        (N_("Internet"), "has_internet", 11),
        (N_("Water"), "has_water", 11),
        (N_("Latitude"), "lat", 11),
        (N_("Longitude"), "lon", 11),
    ]
    _headings(ws, [rv.tr(h) for h, _, _ in columns], [w for _, _, w in columns])
    yes, no = rv.tr("yes"), rv.tr("no")
    flags = ("is_public", "has_electricity", "has_internet", "has_water")
    for r, (_, s) in enumerate(rv.schools.iterrows(), start=FIRST_ROW + 1):
        values = [(yes if s[c] else no) if c in flags else s[c] for _, c, _ in columns]
        _row(ws, r, values, {6: "#,##0", 7: "#,##0", 11: "0.0000", 12: "0.0000"})
    _finish(ws, FIRST_ROW + len(rv.schools), len(columns))


def _alert_sheet(wb: Workbook, rv: province.ProvinceReview, heading: str, subtitle: str) -> None:
    ws = _sheet(wb, rv.tr("Alerts"), heading, subtitle)
    columns = [
        (N_("Severity"), "severity_label", 12),
        (N_("State"), "state_label", 14),
        (N_("Alert"), "title", 60),
        (N_("Where"), "place", 22),
        (N_("Period"), "period", 16),
        (N_("First seen"), "first_seen_at", 18),
        (N_("Last seen"), "last_seen_at", 18),
        (N_("Assignee"), "assignee", 18),
        (N_("Value"), "value", 11),
        (N_("Threshold"), "threshold", 11),
    ]
    _headings(ws, [rv.tr(h) for h, _, _ in columns], [w for _, _, w in columns])
    if rv.alerts.empty:
        ws.cell(row=FIRST_ROW + 1, column=1, value=rv.tr("No alerts recorded for this province.")).font = BODY_FONT
        _finish(ws, FIRST_ROW, len(columns))
        return
    for r, (_, a) in enumerate(rv.alerts.iterrows(), start=FIRST_ROW + 1):
        _row(ws, r, [a[c] for _, c, _ in columns], {6: "yyyy-mm-dd hh:mm", 7: "yyyy-mm-dd hh:mm"})
    _finish(ws, FIRST_ROW + len(rv.alerts), len(columns))


def _policy_sheet(wb: Workbook, rv: province.ProvinceReview, heading: str, subtitle: str) -> None:
    """The province's programmes, policies and projects against plan, then the notes it reported on them."""
    ws = _sheet(wb, rv.tr("Policies"), heading, subtitle)
    columns = [
        (N_("Policy or project"), 60),
        (N_("Level"), 12),
        (N_("Done"), 10),
        (N_("Planned"), 10),
        (N_("Gap"), 10),
        (N_("Status"), 14),
    ]
    _headings(ws, [rv.tr(h) for h, _ in columns], [w for _, w in columns])
    r = FIRST_ROW
    for _, p in rv.policies.iterrows():
        r += 1
        _row(
            ws,
            r,
            [p["name"], p["level_label"], p["progress_pct"], p["planned_pct"], p["gap"], None],
            {3: '0.0"%"', 4: '0.0"%"', 5: "+0.0;-0.0;0.0"},
        )
        _status_cell(ws, r, 6, p["status"], p["status_label"])
    if rv.policies.empty:
        r += 1
        ws.cell(row=r, column=1, value=rv.tr("No policy progress reported for this province.")).font = BODY_FONT
    _finish(ws, r, len(columns))
    if not rv.policy_notes.empty:
        r += 2
        for c, text in enumerate(
            (rv.tr("Date"), rv.tr("Policy or project"), rv.tr("Kind"), rv.tr("Note"), rv.tr("Author")), start=1
        ):
            cell = ws.cell(row=r, column=c, value=text)
            cell.font, cell.fill = HEADER_FONT, HEADER_FILL
        for _, n in rv.policy_notes.iterrows():
            r += 1
            _row(ws, r, [n["created_at"], n["policy"], n["kind_label"], n["text"], n["author"]], {1: "yyyy-mm-dd"})


def _decision_sheet(wb: Workbook, rv: province.ProvinceReview, heading: str, subtitle: str) -> None:
    ws = _sheet(wb, rv.tr("Decisions"), heading, subtitle)
    columns = [
        (N_("Meeting"), 12),
        (N_("Decision"), 70),
        (N_("Owner"), 22),
        (N_("Due"), 12),
        (N_("Status"), 12),
        (N_("Overdue"), 10),
        (N_("Where"), 20),
    ]
    _headings(ws, [rv.tr(h) for h, _ in columns], [w for _, w in columns])
    if rv.decisions.empty:
        ws.cell(row=FIRST_ROW + 1, column=1, value=rv.tr("No decisions recorded for this province.")).font = BODY_FONT
        _finish(ws, FIRST_ROW, len(columns))
        return
    for r, (_, d) in enumerate(rv.decisions.iterrows(), start=FIRST_ROW + 1):
        _row(
            ws,
            r,
            [
                d["meeting_date"],
                d["text"],
                d["owner"],
                d["due_date"],
                d["status_label"],
                rv.tr("yes") if d["overdue"] else "",
                d["place"],
            ],
            {1: "yyyy-mm-dd", 4: "yyyy-mm-dd"},
        )
    _finish(ws, FIRST_ROW + len(rv.decisions), len(columns))


def _trend_sheet(wb: Workbook, rv: province.ProvinceReview, heading: str, subtitle: str) -> None:
    """Five years of each KPI: the province, its region and the nation side by side, with the target."""
    ws = _sheet(wb, rv.tr("Trends"), heading, subtitle)
    columns = [
        (N_("KPI"), 48),
        (N_("Period"), 16),
        (N_("Period start"), 12),
        (rv.name, 12),
        (rv.group_name or "Region", 12),
        (rv.nation_name, 12),
        (N_("Target"), 12),
    ]
    _headings(ws, [rv.tr(h) for h, _ in columns], [w for _, w in columns])
    wide = rv.series.pivot_table(
        index=["indicator_id", "period_start", "period"], columns="role", values="value", aggfunc="first"
    ).reset_index()
    targets = rv.series[rv.series["role"] == "province"].set_index(["indicator_id", "period_start"])["target"]
    kpis = rv.kpis.set_index("indicator_id")
    r = FIRST_ROW
    for indicator_id in rv.kpis["indicator_id"]:
        rows = wide[wide["indicator_id"] == indicator_id].sort_values("period_start")
        fmt = number_format(kpis.loc[indicator_id, "unit"], kpis.loc[indicator_id, "decimals"])
        for _, row in rows.iterrows():
            r += 1
            _row(
                ws,
                r,
                [
                    kpis.loc[indicator_id, "name"],
                    row["period"],
                    row["period_start"],
                    row.get("province"),
                    row.get("region"),
                    row.get("nation"),
                    targets.get((indicator_id, row["period_start"])),
                ],
                {3: "yyyy-mm-dd", 4: fmt, 5: fmt, 6: fmt, 7: fmt},
            )
    _finish(ws, r, len(columns))


# --- Shared sheets ----------------------------------------------------------------------------------------------


def _tolerance(tolerance: kpi_status.Tolerance, lang: str):
    """How far behind its trajectory a KPI is still at risk: points in its unit, or a share of the trajectory."""
    if tolerance.points is not None:
        return tolerance.points
    return i18n.tr(lang, "{share} of the trajectory", share=i18n.percent(100 * tolerance.share, lang, 0))


def definitions_sheet(wb: Workbook, catalogue: pd.DataFrame, lang: str, heading: str, subtitle: str) -> None:
    """What each KPI means: its names, question, unit, direction, aggregation, target, thresholds, source, frequency."""
    tr = lambda m: i18n.tr(lang, m)  # noqa: E731
    try:
        tolerances = kpi_status.load()
    except config.ConfigError as exc:  # the sheet still goes out, saying why this column is empty
        tolerances = exc
    ws = _sheet(wb, tr("Indicator definitions"), heading, subtitle)
    columns = [
        (N_("Indicator ID"), 26),
        (N_("Name"), 44),
        (N_("Name (English)"), 40),
        (N_("Question it answers"), 50),
        (N_("Wall"), 16),
        (N_("Unit"), 8),
        (N_("Direction"), 18),
        (N_("Aggregation"), 16),
        (N_("Target"), 10),
        (N_("At risk within"), 16),
        (N_("Source"), 44),
        (N_("Frequency"), 12),
    ]
    _headings(ws, [tr(h) for h, _ in columns], [w for _, w in columns])
    for r, (indicator_id, ind) in enumerate(catalogue.iterrows(), start=FIRST_ROW + 1):
        fmt = number_format(ind["unit"], ind["decimals"])
        direction = DIRECTION_LABELS[ind["direction"]]
        _row(
            ws,
            r,
            [
                indicator_id,
                indicators.name(ind, lang),
                ind["name_en"],
                indicators.question(ind, lang),
                tr(province.WALL_LABELS.get(ind["wall"], ind["wall"])),
                ind["unit"],
                tr(direction),
                tr(AGGREGATION_LABELS.get(ind["aggregation"], ind["aggregation"])),
                ind["target"],
                str(tolerances)
                if isinstance(tolerances, Exception)
                else _tolerance(tolerances.tolerance(indicator_id), lang),
                ind["source"],
                tr(FREQUENCY_LABELS.get(ind["frequency"], ind["frequency"])),
            ],
            {9: fmt, 10: fmt, 11: fmt},
        )
        for c in (2, 4, 12):
            ws.cell(row=r, column=c).alignment = Alignment(wrap_text=True, vertical="top")
    _finish(ws, FIRST_ROW + len(catalogue), len(columns))


def sources_sheet(wb: Workbook, catalogue: pd.DataFrame, lang: str, heading: str, facts: list[tuple[str, object]]):
    """Where the figures come from and how fresh they are: the review's facts, each source's KPIs, the boundaries."""
    tr = lambda m: i18n.tr(lang, m)  # noqa: E731
    ws = _sheet(wb, tr("Sources"), heading, tr("Where the figures come from"))
    ws.column_dimensions["A"].width = 40
    ws.column_dimensions["B"].width = 90
    r = FIRST_ROW
    for label, value in facts:
        ws.cell(row=r, column=1, value=label).font = Font(name=FONT_NAME, bold=True)
        cell = ws.cell(row=r, column=2, value=_value(value))
        cell.font = BODY_FONT
        cell.alignment = Alignment(horizontal="left")
        if isinstance(value, datetime):
            cell.number_format = "yyyy-mm-dd hh:mm"
        elif isinstance(value, date):
            cell.number_format = "yyyy-mm-dd"
        r += 1
    r += 1
    for c, text in enumerate((tr("Source"), tr("Indicators")), start=1):
        cell = ws.cell(row=r, column=c, value=text)
        cell.font, cell.fill = HEADER_FONT, HEADER_FILL
    by_source = catalogue.groupby("source", sort=True)
    for source, group in by_source:
        r += 1
        ws.cell(row=r, column=1, value=source).alignment = Alignment(wrap_text=True, vertical="top")
        names = "; ".join(indicators.name(ind, lang) for _, ind in group.iterrows())
        ws.cell(row=r, column=2, value=names).alignment = Alignment(wrap_text=True, vertical="top")
    r += 2
    ws.cell(row=r, column=1, value=tr("How figures are computed")).font = Font(name=FONT_NAME, bold=True)
    ws.cell(row=r, column=2, value=tr(METHOD_NOTE)).alignment = Alignment(wrap_text=True, vertical="top")
    r += 1
    ws.cell(row=r, column=1, value=tr("Boundaries")).font = Font(name=FONT_NAME, bold=True)
    ws.cell(row=r, column=2, value=tr(geo.ATTRIBUTION)).alignment = Alignment(wrap_text=True, vertical="top")


METHOD_NOTE = N_(
    "Province, region and national figures are computed from the districts' numerators and denominators "
    "(a ratio of sums, never a mean of ratios). Ranks count every province of the country; 1 is the best "
    "in the indicator's own direction. Status: on track, at risk or off track against the indicator's thresholds."
)
DIRECTION_LABELS = {"higher_is_better": N_("Higher is better"), "lower_is_better": N_("Lower is better")}
AGGREGATION_LABELS = {
    "sum": N_("Sum"),
    "ratio": N_("Ratio of sums"),
    "weighted_mean": N_("Weighted mean"),
    "parity": N_("Parity index"),
}
FREQUENCY_LABELS = {"year": N_("Yearly"), "term": N_("Each term"), "month": N_("Monthly")}


# --- Region -----------------------------------------------------------------------------------------------------


def region_workbook(rr: regions.RegionReview, today: date | None = None, notes: pd.DataFrame | None = None) -> bytes:
    """The Region page as a workbook: its provinces × KPIs (coloured by status), the region against the nation, and
    what its provinces reported on their policies (`notes`: province.NOTE_COLUMNS with `province`, newest first)."""
    wb = Workbook()
    wb.remove(wb.active)
    today = today or clock.today()
    heading = rr.tr("{region}: its provinces side by side", region=rr.name)
    subtitle = rr.tr("Data as of {day}", day=periods.day_label(rr.as_of, rr.lang))

    ws = _sheet(wb, rr.tr("Provinces"), heading, subtitle)
    values = rr.values.pivot_table(index="indicator_id", columns="area_id", values="value", aggfunc="first")
    statuses = rr.values.pivot_table(index="indicator_id", columns="area_id", values="status", aggfunc="first")
    names = rr.values.drop_duplicates("area_id").set_index("area_id")["name"]
    members = sorted(rr.province_ids, key=lambda a: province.sort_key(str(names[a])))
    region_id = rr.group["group_key"]
    nation_id = rr.values.loc[rr.values["role"] == "nation", "area_id"].iloc[0]
    areas_ = members + [region_id, nation_id]
    headings = [rr.tr("KPI"), rr.tr("Period"), rr.tr("Target")] + [str(names[a]) for a in areas_]
    _headings(ws, headings, [48, 16, 11] + [14] * len(areas_))
    for r, (_, kpi) in enumerate(rr.kpis.iterrows(), start=FIRST_ROW + 1):
        fmt = number_format(kpi["unit"], kpi["decimals"])
        _row(ws, r, [kpi["name"], kpi["period"], kpi["period_target"]], {3: fmt})
        for c, area in enumerate(areas_, start=4):
            v = values.loc[kpi["indicator_id"], area] if area in values.columns else None
            cell = ws.cell(row=r, column=c, value=_value(v))
            cell.number_format = fmt
            status = statuses.loc[kpi["indicator_id"], area] if area in statuses.columns else "no_data"
            cell.fill = status_fill(status if isinstance(status, str) else "no_data")
            cell.font = Font(name=FONT_NAME, color="FFFFFF", bold=area in (region_id, nation_id))
    _finish(ws, FIRST_ROW + len(rr.kpis), len(headings))

    ws = _sheet(wb, rr.tr("Against the nation"), heading, subtitle)
    columns = [
        (N_("KPI"), 48),
        (N_("Period"), 16),
        (N_("Target"), 11),
        (rr.name, 14),
        (rr.nation_name, 14),
        (N_("Against the nation"), 16),
    ]
    _headings(ws, [rr.tr(h) for h, _ in columns], [w for _, w in columns])
    for r, (_, kpi) in enumerate(rr.kpis.iterrows(), start=FIRST_ROW + 1):
        fmt = number_format(kpi["unit"], kpi["decimals"])
        versus = kpi["vs_nation"]
        comparison = rr.tr(province.COMPARISON_LABELS[versus]) if isinstance(versus, str) else None
        _row(
            ws,
            r,
            [kpi["name"], kpi["period"], kpi["period_target"], kpi["region_value"], kpi["nation_value"], comparison],
            {3: fmt, 4: fmt, 5: fmt},
        )
    _finish(ws, FIRST_ROW + len(rr.kpis), len(columns))

    if notes is not None:
        _region_notes_sheet(wb, rr, notes, heading, subtitle)
    definitions_sheet(wb, rr.catalogue, rr.lang, heading, subtitle)
    sources_sheet(
        wb,
        rr.catalogue,
        rr.lang,
        heading,
        [
            (rr.tr("Region"), rr.name),
            (rr.tr("Data as of"), rr.as_of),
            (rr.tr("Extract version"), rr.extract_version),
            (rr.tr("Extract loaded"), rr.loaded_at),
            (rr.tr("Prepared"), today),
        ],
    )
    wb.properties.title = heading
    wb.properties.creator = "Education Management Cockpit"
    return _to_bytes(wb)


def _region_notes_sheet(wb: Workbook, rr: regions.RegionReview, notes: pd.DataFrame, heading: str, subtitle: str):
    """What the region's provinces reported on their policies (progress, problems, obstacles, advice), newest first."""
    ws = _sheet(wb, rr.tr("Notes"), heading, subtitle)
    columns = [
        (N_("Province"), 20),
        (N_("Date"), 12),
        (N_("Policy or project"), 40),
        (N_("Kind"), 14),
        (N_("Note"), 80),
        (N_("Author"), 24),
    ]
    _headings(ws, [rr.tr(h) for h, _ in columns], [w for _, w in columns])
    if notes.empty:
        ws.cell(row=FIRST_ROW + 1, column=1, value=rr.tr("No notes reported by these provinces.")).font = BODY_FONT
        _finish(ws, FIRST_ROW, len(columns))
        return
    for r, (_, n) in enumerate(notes.iterrows(), start=FIRST_ROW + 1):
        values = [n["province"], n["created_at"], n["policy"], n["kind_label"], n["text"], n["author"]]
        _row(ws, r, values, {2: "yyyy-mm-dd"})
        ws.cell(row=r, column=5).alignment = Alignment(wrap_text=True, vertical="top")
    _finish(ws, FIRST_ROW + len(notes), len(columns))


def file_name(kind: str, area_id: str, name_en: str, extension: str, today: date | None = None) -> str:
    """'province-67-phetchabun-2026-11-22.xlsx': ASCII, so every mail system and file share keeps it."""
    slug = "".join(c if c.isalnum() else "-" for c in name_en.lower()).strip("-")
    slug = "-".join(p for p in slug.split("-") if p)
    safe_id = "".join(c if c.isalnum() else "-" for c in area_id)
    return f"{kind}-{safe_id}-{slug}-{(today or clock.today()).isoformat()}.{extension}"


# --- Overview ---------------------------------------------------------------------------------------------------


OVERVIEW_COLUMNS = [
    # (heading, ranking column, width)
    (N_("Rank"), "rank", 8),
    (N_("Province"), "name", 24),
    (N_("Province code"), "area_id", 12),
    (N_("Value"), "value", 11),
    (N_("Target"), "target", 11),
    (N_("Of target"), "attainment", 11),
    (N_("Change"), "change", 11),
    (N_("Status"), "status_label", 16),
    (N_("Against the target"), "status_reason", 48),
]
HEADLINE_COLUMNS = [
    (N_("KPI"), 44),
    (N_("Period"), 16),
    (N_("Value"), 11),
    (N_("Change"), 11),
    (N_("Target"), 11),
    (N_("Status"), 16),
]


def overview_workbook(
    ranking: pd.DataFrame,
    indicator: pd.Series,
    headlines: list[indicators.Headline],
    catalogue: pd.DataFrame,
    *,
    country: str,
    lang: str,
    area_name: str,
    period_label: str,
    as_of: date,
    extract_version: str,
    loaded_at: datetime,
    today: date | None = None,
) -> bytes:
    """What the Overview shows as a workbook: the provinces ranked on the chosen indicator, period and region
    (`ranking`: indicators.labelled, one row per province), the headline cards' figures, the definitions and the
    version's 'as of'."""
    tr = lambda m, **v: i18n.tr(lang, m, **v)  # noqa: E731
    today = today or clock.today()
    wb = Workbook()
    wb.remove(wb.active)
    name = indicators.name(indicator, lang)
    heading = tr("{area}: {indicator}, {period}", area=area_name, indicator=name, period=period_label)
    subtitle = tr("Data as of {day}", day=periods.day_label(as_of, lang))
    fmt = number_format(indicator["unit"], indicator["decimals"])

    ws = _sheet(wb, tr("Ranking"), heading, subtitle)
    _headings(ws, [tr(h) for h, _, _ in OVERVIEW_COLUMNS], [w for _, _, w in OVERVIEW_COLUMNS])
    columns = [c for _, c, _ in OVERVIEW_COLUMNS]
    formats = {columns.index(c) + 1: fmt for c in ("value", "target", "change")}
    formats[columns.index("change") + 1] = fmt.replace('"%"', f'" {tr("pts")}"')
    formats[columns.index("attainment") + 1] = "0%"
    shown = ranking.sort_values(["rank", "name"], na_position="last")
    for r, (_, row) in enumerate(shown.iterrows(), start=FIRST_ROW + 1):
        _row(ws, r, [row[c] for c in columns], formats)
        _status_cell(ws, r, columns.index("status_label") + 1, row["status"], row["status_label"])
        ws.cell(row=r, column=len(columns)).alignment = Alignment(wrap_text=True, vertical="top")
    _finish(ws, FIRST_ROW + len(shown), len(columns))

    ws = _sheet(wb, tr("Headline results"), tr("{area}: headline results against target", area=area_name), subtitle)
    _headings(ws, [tr(h) for h, _ in HEADLINE_COLUMNS], [w for _, w in HEADLINE_COLUMNS])
    for r, headline in enumerate(headlines, start=FIRST_ROW + 1):
        kpi = catalogue.loc[headline.indicator_id]
        kpi_fmt = number_format(kpi["unit"], kpi["decimals"])
        values = [
            indicators.name(kpi, lang),
            periods.label(headline.period_start, headline.period_type, country, lang),
            headline.value,
            headline.change,
            kpi["target"],
            indicators.status_label(headline.status, lang),
        ]
        _row(ws, r, values, {3: kpi_fmt, 4: kpi_fmt.replace('"%"', f'" {tr("pts")}"'), 5: kpi_fmt})
        _status_cell(ws, r, 6, headline.status, values[-1])
    _finish(ws, FIRST_ROW + len(headlines), len(HEADLINE_COLUMNS))

    shown_ids = list(dict.fromkeys([indicator.name, *(h.indicator_id for h in headlines)]))
    definitions_sheet(wb, catalogue.loc[shown_ids], lang, heading, subtitle)
    sources_sheet(
        wb,
        catalogue.loc[shown_ids],
        lang,
        heading,
        [
            (tr("Area"), area_name),
            (tr("Indicator"), name),
            (tr("Period"), period_label),
            (tr("Data as of"), as_of),
            (tr("Extract version"), extract_version),
            (tr("Extract loaded"), loaded_at),
            (tr("Prepared"), today),
        ],
    )
    wb.properties.title = heading
    wb.properties.creator = "Education Management Cockpit"
    return _to_bytes(wb)
