"""The minutes of a meeting's decisions, as documents a ministry files: DOCX (python-docx) and PDF (cockpit.pdf).

`build()` gathers what the minutes say, in the reader's language; `docx()` and `pdf()` write the
same content. Thai and Lao render in both: the PDF embeds the Noto fonts and shapes the text with
HarfBuzz; the DOCX names Noto Sans Thai or Noto Sans Lao as the complex-script font of every run
(Word draws Thai and Lao with the run's complex-script font, not its Latin one).
"""

from __future__ import annotations

import io
import itertools
import re
from collections.abc import Mapping
from dataclasses import dataclass
from datetime import date, datetime

import pandas as pd

from cockpit import clock, i18n, periods, xml_text
from cockpit.documents import fonts, pdf
from cockpit.figures import short_text
from cockpit.i18n import N_
from cockpit.meeting.decisions import STATUS_LABELS, SUBJECT_LABELS

MINISTRY = {"th": N_("Ministry of Education"), "la": N_("Ministry of Education and Sports")}
LATIN_FONT = "Noto Sans"
SCRIPT_FONTS = (("\u0e00", "\u0e7f", "Noto Sans Thai"), ("\u0e80", "\u0eff", "Noto Sans Lao"))
_SCRIPT_CHAR = re.compile("[\u0e00-\u0eff]")
# Thai and Lao are written without spaces between words, and the PDF writer wraps lines only at spaces: a
# zero-width space between two words (as their dictionaries find them, short_text.word_starts) lets a long cell
# wrap there, never in the middle of a word.
ZWSP = "\u200b"


@dataclass(frozen=True)
class Item:
    number: int
    text: str
    concerns: str
    owner: str
    due: str
    status: str


@dataclass(frozen=True)
class Minutes:
    lang: str
    ministry: str
    title: str
    meeting: str  # "Meeting of 22 November 2026"
    attendees: str
    items: tuple[Item, ...]
    headings: dict[str, str]
    footer: str


def long_date(day, lang: str) -> str:
    """A date written out for a document: '22 November 2026'; Buddhist era for Thai readers ('22 พฤศจิกายน 2569')."""
    day = periods.as_date(day)
    month = i18n.locale(lang).months["format"]["wide"][day.month]
    year = day.year + periods.BUDDHIST_ERA_OFFSET if lang == "th" else day.year
    return f"{day.day} {month} {year}"


def build(
    table: pd.DataFrame,
    country: str,
    lang: str,
    meeting_date: date,
    attendees: str = "",
    subject_names: Mapping[tuple[str, str], str] | None = None,
    title: str | None = None,
    printed_at: datetime | None = None,
) -> Minutes:
    """The minutes of one meeting from its decisions (a list_decisions table), numbered in the order recorded.

    `subject_names` names each (subject_type, subject_id) for the reader ('Phetchabun', 'Dropout
    rate'); a subject without a name is shown by its id.
    """
    names = subject_names or {}

    def tr(message: str, **values) -> str:
        return i18n.tr(lang, message, **values)

    rows = table.sort_values(["meeting_date", "id"]) if len(table) else table
    items = []
    for number, row in enumerate(rows.itertuples(), start=1):
        subject = names.get((row.subject_type, row.subject_id), row.subject_id)
        due = long_date(row.due_date, lang) if row.due_date is not None and not pd.isna(row.due_date) else "–"
        status = tr(STATUS_LABELS.get(row.status, row.status))
        if row.status == "done" and row.done_by:
            status = tr("Done by {name}", name=row.done_by)
        items.append(
            Item(
                number=number,
                text=xml_text.held(row.text),
                concerns=xml_text.held(f"{tr(SUBJECT_LABELS.get(row.subject_type, row.subject_type))}: {subject}"),
                owner=xml_text.held(row.owner),
                due=due,
                status=xml_text.held(status),
            )
        )
    printed = printed_at or clock.now()
    return Minutes(
        lang=lang,
        ministry=tr(MINISTRY.get(country, "Ministry of Education")),
        title=title or tr("Minutes of the meeting: decisions"),
        meeting=tr("Meeting of {date}", date=long_date(meeting_date, lang)),
        attendees=xml_text.held(attendees.strip()),  # typed for the minutes, never stored
        items=tuple(items),
        headings={
            "attendees": tr("Attendees"),
            "decisions": tr("Decisions"),
            "number": tr("No."),
            "decision": tr("Decision"),
            "concerns": tr("Concerns"),
            "owner": tr("Owner"),
            "due": tr("Due"),
            "status": tr("Status"),
            "none": tr("No decisions were recorded at this meeting."),
            "recorded": tr("Recorded by"),
            "certified": tr("Certified by"),
        },
        footer=tr(
            "{n} decisions · {country} · from the Education Management Cockpit, {date}",
            n=len(items),
            country=tr(i18n.COUNTRY_NAMES.get(country, country)),
            date=long_date(printed.date(), lang),
        ),
    )


# ------------------------------------------------------------------------------------------------
# DOCX


def docx(minutes: Minutes) -> bytes:
    """The minutes as a Word document (A4, a numbered table of decisions, signature lines)."""
    from docx import Document
    from docx.enum.section import WD_ORIENT
    from docx.enum.table import WD_TABLE_ALIGNMENT
    from docx.enum.text import WD_ALIGN_PARAGRAPH
    from docx.shared import Cm, Pt

    document = Document()
    section = document.sections[0]
    section.orientation = WD_ORIENT.LANDSCAPE
    section.page_width, section.page_height = Cm(29.7), Cm(21.0)
    for side in ("left_margin", "right_margin", "top_margin", "bottom_margin"):
        setattr(section, side, Cm(1.8))
    normal = document.styles["Normal"]
    normal.font.name = LATIN_FONT
    normal.font.size = Pt(11)
    _set_fonts(normal.element.get_or_add_rPr(), script_font(minutes.ministry + minutes.title, minutes.lang))

    def paragraph(text: str, size: float = 11, bold: bool = False, align=None, space_after: float = 4):
        p = document.add_paragraph()
        if align is not None:
            p.alignment = align
        p.paragraph_format.space_after = Pt(space_after)
        _run(p, text, size=size, bold=bold)
        return p

    paragraph(minutes.ministry, size=14, bold=True, align=WD_ALIGN_PARAGRAPH.CENTER, space_after=2)
    paragraph(minutes.title, size=16, bold=True, align=WD_ALIGN_PARAGRAPH.CENTER, space_after=2)
    paragraph(minutes.meeting, size=12, align=WD_ALIGN_PARAGRAPH.CENTER, space_after=12)
    if minutes.attendees:
        p = paragraph(minutes.headings["attendees"] + ": ", bold=True, space_after=10)
        _run(p, minutes.attendees)
    paragraph(minutes.headings["decisions"], size=13, bold=True, space_after=6)
    if not minutes.items:
        paragraph(minutes.headings["none"])
    else:
        keys = ("number", "decision", "concerns", "owner", "due", "status")
        widths = (Cm(1.2), Cm(10.5), Cm(4.6), Cm(3.8), Cm(3.2), Cm(2.8))
        table = document.add_table(rows=1, cols=len(keys))
        table.style = "Table Grid"
        table.alignment = WD_TABLE_ALIGNMENT.CENTER
        table.autofit = False
        for column, width in zip(table.columns, widths, strict=True):
            column.width = width  # the table's grid: LibreOffice lays a table out by it, not by its cells' widths
        for cell, key, width in zip(table.rows[0].cells, keys, widths, strict=True):
            cell.width = width
            _run(cell.paragraphs[0], minutes.headings[key], bold=True)
            _shade(cell, "D9E2F3")
        _repeat_header(table.rows[0])
        for item in minutes.items:
            values = (str(item.number), item.text, item.concerns, item.owner, item.due, item.status)
            cells = table.add_row().cells
            for cell, value, width in zip(cells, values, widths, strict=True):
                cell.width = width
                _run(cell.paragraphs[0], value)
        # The last decision keeps with the signatures under it: they never stand alone on a page.
        for cell in table.rows[-1].cells:
            for p in cell.paragraphs:
                p.paragraph_format.keep_with_next = True
    spacer = document.add_paragraph()
    spacer.paragraph_format.keep_with_next = True
    signatures = document.add_table(rows=1, cols=2)
    _cant_split(signatures.rows[0])
    for cell, key in zip(signatures.rows[0].cells, ("recorded", "certified"), strict=True):
        cell.paragraphs[0].paragraph_format.keep_with_next = True
        _run(cell.paragraphs[0], f"{minutes.headings[key]}: ______________________________")
        _run(cell.add_paragraph(), "(______________________________)")
    footer = section.footer.paragraphs[0]
    footer.alignment = WD_ALIGN_PARAGRAPH.CENTER
    _run(footer, minutes.footer, size=8)
    fonts.embed_in_docx(document, list(fonts.FAMILIES))  # a PC without Noto draws it as laid out
    out = io.BytesIO()
    document.save(out)
    return out.getvalue()


def script_font(text: str, lang: str = "en") -> str:
    """The complex-script font for a text: Noto Sans Thai or Lao by the letters it holds, else by its language."""
    for low, high, font in SCRIPT_FONTS:
        if any(low <= ch <= high for ch in text):
            return font
    return {"th": "Noto Sans Thai", "lo": "Noto Sans Lao"}.get(lang, "Noto Sans Thai")


# A text that mixes Thai and Lao (a Lao meeting's Thai guest) goes in runs of one script each: a run has one
# complex-script font.
_SCRIPT_RUNS = re.compile(
    "[\u0e00-\u0e7f]+(?:[^\u0e80-\u0eff]*[\u0e00-\u0e7f])?|[\u0e80-\u0eff]+(?:[^\u0e00-\u0e7f]*[\u0e80-\u0eff])?|[^\u0e00-\u0eff]+"
)


def _run(paragraph, text: str, size: float | None = None, bold: bool = False):
    from docx.shared import Pt

    pieces = _SCRIPT_RUNS.findall(text) if "".join(_SCRIPT_RUNS.findall(text)) == text else [text]
    for piece in pieces or [text]:
        run = paragraph.add_run(piece)
        run.font.name = LATIN_FONT
        _set_fonts(run.element.get_or_add_rPr(), script_font(piece))
        if bold:
            run.bold = True
            run.font.cs_bold = True
        if size is not None:
            run.font.size = Pt(size)
            _cs_size(run, size)
    return run


def _set_fonts(rpr, cs_font: str) -> None:
    """Latin font Noto Sans, complex-script font `cs_font` (Thai or Lao), on a run's or style's properties."""
    from docx.oxml.ns import qn

    fonts = rpr.get_or_add_rFonts()
    for attribute in ("w:ascii", "w:hAnsi", "w:eastAsia"):
        fonts.set(qn(attribute), LATIN_FONT)
    fonts.set(qn("w:cs"), cs_font)


def _cs_size(run, size: float) -> None:
    """The complex-script size (w:szCs), placed right after w:sz as the schema orders them."""
    from docx.oxml.ns import qn

    rpr = run.element.get_or_add_rPr()
    element = rpr.find(qn("w:szCs"))
    if element is None:
        element = rpr.makeelement(qn("w:szCs"), {})
        rpr.find(qn("w:sz")).addnext(element)
    element.set(qn("w:val"), str(round(size * 2)))


def _shade(cell, fill: str) -> None:
    from docx.oxml.ns import qn

    properties = cell._tc.get_or_add_tcPr()
    shading = properties.makeelement(qn("w:shd"), {qn("w:val"): "clear", qn("w:color"): "auto", qn("w:fill"): fill})
    properties.append(shading)


def _cant_split(row) -> None:
    from docx.oxml.ns import qn

    properties = row._tr.get_or_add_trPr()
    properties.append(properties.makeelement(qn("w:cantSplit"), {qn("w:val"): "true"}))


def _repeat_header(row) -> None:
    from docx.oxml.ns import qn

    properties = row._tr.get_or_add_trPr()
    properties.append(properties.makeelement(qn("w:tblHeader"), {qn("w:val"): "true"}))


# ------------------------------------------------------------------------------------------------
# PDF


# The signature lines' height (mm) with the space above them.
SIGNATURES_MM = 37


def pdf_bytes(minutes: Minutes) -> bytes:
    """The minutes as a PDF (A4 landscape) with Thai and Lao shaped and the fonts embedded. The signatures never
    stand alone on a page: when they would, the last decision goes to that page with them."""
    data, signatures_alone = _pdf(minutes, keep_last=0)
    if signatures_alone and len(minutes.items) > 1:
        data, _ = _pdf(minutes, keep_last=1)
    return data


def _pdf(minutes: Minutes, keep_last: int) -> tuple[bytes, bool]:
    """The PDF, its last `keep_last` decisions on a new page with the signatures; and whether the signatures were
    left on a page of their own."""
    doc = pdf.document("landscape", title=f"{minutes.title} · {minutes.meeting}", author=minutes.ministry)
    doc.set_margins(18, 16, 18)
    doc.set_auto_page_break(True, margin=18)
    footer = minutes.footer

    def draw_footer():
        doc.set_y(-12)
        doc.set_font("noto", size=8)
        doc.set_text_color(110, 110, 110)
        doc.cell(0, 5, f"{footer} · {doc.page_no()}", align="C")
        doc.set_text_color(0, 0, 0)

    doc.footer = draw_footer
    doc.add_page()
    doc.set_font("noto", "B", 14)
    doc.cell(0, 8, minutes.ministry, align="C", new_x="LMARGIN", new_y="NEXT")
    doc.set_font("noto", "B", 17)
    doc.cell(0, 10, minutes.title, align="C", new_x="LMARGIN", new_y="NEXT")
    doc.set_font("noto", "", 12)
    doc.cell(0, 8, minutes.meeting, align="C", new_x="LMARGIN", new_y="NEXT")
    doc.ln(4)
    if minutes.attendees:
        doc.set_font("noto", "B", 11)
        doc.write(6, minutes.headings["attendees"] + ": ")
        doc.set_font("noto", "", 11)
        doc.multi_cell(0, 6, breakable(minutes.attendees), new_x="LMARGIN", new_y="NEXT")
        doc.ln(3)
    doc.set_font("noto", "B", 13)
    doc.cell(0, 8, minutes.headings["decisions"], new_x="LMARGIN", new_y="NEXT")
    doc.set_font("noto", "", 10.5)
    if not minutes.items:
        doc.multi_cell(0, 6, minutes.headings["none"], new_x="LMARGIN", new_y="NEXT")
    else:
        keys = ("number", "decision", "concerns", "owner", "due", "status")
        split = len(minutes.items) - keep_last
        for part, items in enumerate((minutes.items[:split], minutes.items[split:])):
            if not items:
                continue
            if part == 1 and split:
                doc.add_page()
            with doc.table(
                col_widths=(10, DECISION_MM, 46, 38, 32, 37),
                line_height=6,
                headings_style=pdf_heading_style(),
                repeat_headings=1,
                padding=1.6,
                text_align="LEFT",
            ) as table:
                header = table.row()
                for key in keys:
                    header.cell(minutes.headings[key])
                for item in items:
                    for part, text in enumerate(_row_parts(doc, breakable(item.text), DECISION_MM)):
                        row = table.row()
                        row.cell(str(item.number) if part == 0 else "")
                        row.cell(text)
                        for value in (item.concerns, item.owner, item.due, item.status):
                            row.cell(breakable(value) if part == 0 else "")
    alone = doc.will_page_break(SIGNATURES_MM)
    doc.ln(14)
    doc.set_font("noto", "", 11)
    half = (doc.w - doc.l_margin - doc.r_margin) / 2
    for key in ("recorded", "certified"):
        doc.cell(half, 7, f"{minutes.headings[key]}: ..............................................")
    doc.ln(9)
    for _ in range(2):
        doc.cell(half, 7, "(..............................................)")
    return bytes(doc.output()), alone


# The decision's column in the PDF (mm), and the lines a row of it holds: fpdf cannot break a row across pages, and
# refused one taller than a page (a decision of 1,600 Thai characters). A longer decision goes on in the rows under it.
DECISION_MM = 98
ROW_LINES = 20


def _row_parts(doc, text: str, width: float) -> list[str]:
    """`text` in parts of at most ROW_LINES lines of a table cell `width` mm wide, cut where its lines start."""
    lines = doc.multi_cell(width, 6, text, padding=1.6, dry_run=True, output="LINES")
    if len(lines) <= ROW_LINES:
        return [text]
    starts, at = [], 0
    for line in lines:  # each line is the text's next run, without the space or break it was cut at
        found = text.find(line.strip(), at)
        if found < 0:
            return [text]
        starts.append(found)
        at = found + len(line.strip())
    cuts = [0, *starts[ROW_LINES::ROW_LINES], len(text)]
    return [text[a:b].strip() for a, b in zip(cuts, cuts[1:], strict=False) if text[a:b].strip()]


def pdf_heading_style():
    from fpdf.fonts import FontFace

    return FontFace(family="noto", emphasis="BOLD", fill_color=(217, 226, 243))


def has_local_script(text: str) -> bool:
    return bool(_SCRIPT_CHAR.search(text))


def breakable(text: str) -> str:
    """Thai and Lao text with line-break opportunities (zero-width spaces) between words, for the PDF."""
    if not has_local_script(text):
        return text
    bounds = (0, *short_text.word_starts(text), len(text))
    return ZWSP.join(text[a:b] for a, b in itertools.pairwise(bounds))
