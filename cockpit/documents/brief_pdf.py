"""The brief as PDF (fpdf2 with HarfBuzz shaping for Thai and Lao): the same parts as the slides, on A4."""

from __future__ import annotations

import io
from datetime import date

from cockpit import i18n
from cockpit.data import indicators
from cockpit.data.indicators import status_rgb
from cockpit.documents import brief_charts, briefs, pdf, region_briefs
from cockpit.figures import short_text
from cockpit.review import province

PDF_TABLE_ROWS = 17
TABLE_SIZE = 8.5  # points
CELL_PADDING = 1.2  # mm
# A table cell holds at most this many lines: a longer text (a decision or a note typed at length) is cut with "…";
# the Decisions and Policies pages and the workbook hold it whole.
CELL_LINES = 8


DISTRICTS_BESIDE_MAP_PDF = 24


PDF_NOTE_ROWS = 6


def _fit(doc, text: str, width: float) -> str:
    """Text for a PDF cell `width` mm wide: every run without spaces that is wider than the cell (Thai and Lao write
    words without spaces) broken between two of its words (short_text.word_starts), and a word still wider than the
    cell between two clusters, so a line never breaks inside a word that fits, nor between a letter and its mark."""
    text = _glued(str(text))
    words = []
    for word in text.split(" "):
        if doc.get_string_width(word) <= width:
            words.append(word)
            continue
        pieces = []
        for piece in _pieces(doc, word, width, short_text.word_starts(word)):
            too_wide = doc.get_string_width(piece) > width
            pieces += _pieces(doc, piece, width, short_text.cluster_starts(piece)) if too_wide else [piece]
        words.append("\n".join(pieces))
    return " ".join(words)


def _pieces(doc, text: str, width: float, starts) -> list[str]:
    """`text` cut at some of `starts` into pieces as wide as `width` allows (a piece with no start inside stays)."""
    pieces, start, last = [], 0, 0
    for end in [*starts, len(text)]:
        if doc.get_string_width(text[start:end]) > width and last > start:
            pieces.append(text[start:last])
            start = last
        last = end
    pieces.append(text[start:])
    return pieces


class _Pdf:
    """An A4 landscape brief being written: its headings, tables, story and map pages, each footer `foot`."""

    def __init__(self, rv, title: str, foot: str):
        self.rv = rv
        doc = pdf.document("landscape", title=title, author="Education Management Cockpit")
        doc.set_lang(briefs.LANGUAGE_TAGS.get(rv.lang, "en-GB"))
        doc.set_auto_page_break(True, margin=14)

        def page_footer():
            doc.set_y(-11)
            _font(doc, "", 8)
            doc.set_text_color(*briefs.MUTED)
            doc.cell(0, 5, _fit(doc, f"{foot} · {doc.page_no()}", doc.epw), align="C")
            doc.set_text_color(*briefs.INK)

        doc.footer = page_footer
        self.doc = doc
        self._measured: dict[tuple, list[str]] = {}

    def heading(self, text: str, size: float = 18) -> None:
        doc = self.doc
        _font(doc, "B", size)
        doc.set_text_color(*briefs.INK)
        doc.multi_cell(0, size * 0.5, _fit(doc, text, doc.epw - 2), new_x="LMARGIN", new_y="NEXT", align="L")
        doc.ln(2)
        _font(doc, "", 10)

    def table(self, headings, rows, statuses, widths, status_column=None, size=TABLE_SIZE) -> None:
        """A table; the `status_column` of each row coloured by its status, or, where a row's status is a list (one
        per column, None for a plain cell), each of its cells by its own."""
        from fpdf.fonts import FontFace

        doc = self.doc
        _font(doc, "", size)
        with doc.table(
            col_widths=widths,
            width=sum(widths),
            align="LEFT",
            text_align="LEFT",
            line_height=size * 0.55,
            headings_style=FontFace(emphasis="BOLD", color=(255, 255, 255), fill_color=briefs.INK, size_pt=size),
            borders_layout="HORIZONTAL_LINES",
            padding=CELL_PADDING,
        ) as t:
            room = [w - 3.0 for w in widths]  # less the cell's padding
            head = t.row()
            for c, h in enumerate(headings):
                head.cell(_fit(doc, h, room[c]))
            for r, row in enumerate(rows):
                line = t.row()
                for c, text in enumerate(row):
                    status = _cell_status(statuses[r] if r < len(statuses) else None, c, status_column)
                    if status is not None:
                        style = FontFace(emphasis="BOLD", color=(255, 255, 255), fill_color=status_rgb(status))
                        line.cell(_fit(doc, text, room[c]), style=style)
                    else:
                        line.cell(_fit(doc, text, room[c]))

    def paged_table(self, title_, headings, rows, statuses, widths, status_column=None, per_page=PDF_TABLE_ROWS):
        """One table a page, never broken by fpdf's automatic page break: text after such a break can lose its
        font (fpdf 2.8 with fallback fonts), so each page starts its table afresh. A page takes `per_page` rows, or
        fewer where they are tall, each cell at most CELL_LINES lines."""
        _font(self.doc, "", TABLE_SIZE)
        rows = [[self._clipped(str(text), width) for text, width in zip(row, widths, strict=True)] for row in rows]
        pages = self._pages(title_, headings, rows, widths, per_page)
        for number, (start, end) in enumerate(pages, start=1):
            self.doc.add_page()
            self.heading(title_ + (f" ({number}/{len(pages)})" if len(pages) > 1 else ""))
            self.table(headings, rows[start:end], statuses[start:end], widths, status_column=status_column)

    def _lines(self, text: str, width: float) -> list[str]:
        """The lines `text` takes in a table cell `width` mm wide, in the font set, wrapped as fpdf's table does."""
        doc = self.doc
        key = (text, width, doc.font_style, doc.font_size_pt)  # each cell is measured to clip it, then to page it
        if key not in self._measured:
            fitted = _fit(doc, text, width - 3.0)
            if "\n" not in fitted and doc.get_string_width(fitted) <= width - 3.0:
                self._measured[key] = [fitted]  # most cells: one line, known without shaping it again
            else:
                line = doc.font_size_pt * 0.55
                self._measured[key] = doc.multi_cell(
                    width, line, fitted, padding=CELL_PADDING, dry_run=True, output="LINES"
                )
        return self._measured[key]

    def _clipped(self, text: str, width: float) -> str:
        """`text`, or as much of it as CELL_LINES lines hold with "…", cut between two words (at a space, or between
        two Thai or Lao words), else between two clusters."""
        if len(self._lines(text, width)) <= CELL_LINES:
            return text
        words = sorted({*short_text.word_starts(text), *(i for i, c in enumerate(text) if c == " " and i > 0)})
        starts = words or short_text.cluster_starts(text)
        low, high = 0, len(starts) - 1  # the longest cut that fits: starts[low]
        while low < high:
            middle = (low + high + 1) // 2
            if len(self._lines(text[: starts[middle]].rstrip() + "…", width)) <= CELL_LINES:
                low = middle
            else:
                high = middle - 1
        return text[: starts[low]].rstrip() + "…"

    def _pages(self, title_, headings, rows, widths, per_page) -> list[tuple[int, int]]:
        """Each page's rows (start, end): as many as fit under the heading and the table's headings."""
        doc = self.doc

        def height(row) -> float:
            lines = max(len(self._lines(str(text), width)) for text, width in zip(row, widths, strict=True))
            return lines * TABLE_SIZE * 0.55 + 2 * CELL_PADDING

        _font(doc, "B", 18)  # as `heading` writes it, 9 mm a line and 2 under it
        title = _fit(doc, title_ + " (99/99)", doc.epw - 2)
        heading = len(doc.multi_cell(doc.epw - 2, 9, title, dry_run=True, output="LINES")) * 9 + 2
        _font(doc, "B", TABLE_SIZE)
        room = doc.h - doc.t_margin - doc.b_margin - heading - height(headings) - 1.0
        _font(doc, "", TABLE_SIZE)
        return briefs.pages_by_height([height(row) for row in rows], room, per_page)

    def cover(self, title: str, lines: list[str], chart: bytes) -> None:
        """The first page's title and muted lines, the status chart at the right, and 'In brief' under them."""
        doc, rv = self.doc, self.rv
        doc.add_page()
        self.heading(title, 22)
        doc.set_text_color(*briefs.MUTED)
        for line in lines:
            _font(doc, "", 11)
            doc.multi_cell(0, 6, _fit(doc, line, doc.epw - 2), new_x="LMARGIN", new_y="NEXT", align="L")
        doc.set_text_color(*briefs.INK)
        doc.ln(3)
        top = doc.get_y()
        doc.image(io.BytesIO(chart), x=doc.w - doc.r_margin - 95, y=top, w=95)
        _font(doc, "B", 14)
        doc.cell(0, 8, rv.tr("In brief"), new_x="LMARGIN", new_y="NEXT", align="L")

    def story(self, points: list[briefs.Point]) -> None:
        """The story's points left of the status chart; a page of its own where it goes on."""
        doc, rv = self.doc, self.rv
        width = doc.epw - 100
        bottom = doc.h - doc.b_margin

        def story_line(text: str, bold: bool, indent: float, size: float, height: float, keep: float = 0.0):
            """One line of the story; when it (and `keep` mm under it) does not fit above the footer, the story
            goes on on a page of its own (started here, titled, never a page that fpdf's automatic break leaves
            nearly empty)."""
            _font(doc, "B" if bold else "", size)
            fitted = _fit(doc, text, width - indent - 2)
            # Measured (shaping twice costs time) only near the page's end: a line holds at least 25 characters.
            near_end = doc.get_y() + keep + height * (1 + len(text) / 25) > bottom
            if (
                near_end
                and doc.get_y() + keep + doc.multi_cell(width - indent, height, fitted, dry_run=True, output="HEIGHT")
                > bottom
            ):
                doc.add_page()
                self.heading(rv.tr("In brief (continued)"))
                _font(doc, "B" if bold else "", size)
            doc.set_x(doc.l_margin + indent)
            doc.multi_cell(width - indent, height, fitted, new_x="LMARGIN", new_y="NEXT", align="L")

        for point in points:
            # A point that lists items keeps at least its first item's first line with it.
            story_line("• " + point.text, bool(point.items), 0, 10.5, 5.6, keep=5.0 if point.items else 0.0)
            for item in point.items:
                story_line("– " + item, False, 5, 9.5, 5.0)
            doc.ln(0.8)

    def map_page(self, title_, png: bytes, headings, rows, statuses, widths, beside: int) -> None:
        """A map at its own proportions left of its table, the rows the page cannot hold on pages of their own."""
        doc = self.doc
        doc.add_page()
        self.heading(title_)
        top = doc.get_y()
        room = doc.epw - sum(widths) - 8
        # The map drawn at its own proportions inside room × 150 mm, from the left margin; the table beside what it
        # really takes (fpdf's keep_aspect_ratio centres the image in the box but reports the box's width).
        map_width, map_height = _fitted_size(png, room, min(150.0, doc.h - doc.b_margin - top))
        doc.image(io.BytesIO(png), x=doc.l_margin, y=top, w=map_width, h=map_height)
        margin = doc.l_margin
        doc.set_left_margin(margin + map_width + 8)
        doc.set_xy(doc.l_margin, top)
        self.table(headings, rows[:beside], statuses[:beside], widths, status_column=2, size=8)
        doc.set_left_margin(margin)
        if len(rows) > beside:
            self.paged_table(title_, headings, rows[beside:], statuses[beside:], widths, status_column=2)

    def alerts(self, headings, rows, widths) -> None:
        if rows:
            self.paged_table(self.rv.tr("Open alerts"), headings, rows, [], widths)
            return
        doc = self.doc
        doc.add_page()
        self.heading(self.rv.tr("Open alerts"))
        _font(doc, "", 12)
        text = _fit(doc, self.rv.tr("No open alerts."), doc.epw - 2)
        doc.multi_cell(0, 7, text, new_x="LMARGIN", new_y="NEXT", align="L")

    def output(self) -> bytes:
        return bytes(self.doc.output())


def _cell_status(row_status, column: int, status_column: int | None) -> str | None:
    if isinstance(row_status, (list, tuple)):
        return row_status[column]
    return row_status if status_column is not None and column == status_column else None


def _is_thai_or_lao(character: str) -> bool:
    return "\u0e00" <= character <= "\u0eff"


def _glued(text: str) -> str:
    """Text whose lines never start with Latin letters, digits or signs after Thai or Lao: each such word joined to
    the word before it by a no-break space. fpdf 2.8 draws a line's first run in the font it last set outside its
    q…Q blocks, not its fallback's, when a wrapped Thai or Lao line is followed by a Latin one ('6-14' at a heading's
    size, or other glyphs)."""
    if not any(_is_thai_or_lao(c) for c in text):
        return text
    words = text.split(" ")
    out = [words[0]]
    for word in words[1:]:
        if word and out[-1] and not _is_thai_or_lao(word[0]):
            out[-1] += "\u00a0" + word
        else:
            out.append(word)
    return " ".join(out)


def province_pdf(rv: province.ProvinceReview, indicator_id: str | None = None, today: date | None = None) -> bytes:
    """The meeting brief as an A4 landscape PDF, fonts embedded and text shaped: the same pages as the PowerPoint."""
    indicator_id = indicator_id or briefs.default_indicator(rv)
    out = _Pdf(rv, briefs.title(rv), briefs.footer(rv))
    doc = out.doc
    profile = rv.profile
    facts = rv.tr(
        "{districts} districts · {schools} schools · {students} students · {teachers} teachers",
        districts=i18n.number(profile["districts"], rv.lang),
        schools=i18n.number(profile["schools"], rv.lang),
        students=i18n.number(profile["students"], rv.lang),
        teachers=i18n.number(profile["teachers"], rv.lang),
    )
    out.cover(briefs.title(rv), [briefs.subtitle(rv, today), facts], brief_charts.status_chart(rv))
    out.story(briefs.story(rv))

    headings, rows, statuses = briefs.kpi_rows(rv)
    out.paged_table(
        rv.tr("Every KPI against target, region and nation"),
        headings,
        rows,
        statuses,
        [92, 28, 18, 18, 28, 22, 18, 18, 25],
        status_column=4,
    )

    doc.add_page()
    out.heading(rv.tr("The KPIs to watch: five-year trends"))
    # At its proportions in what the page has left under the heading: a taller image would go to a page of its own.
    png = brief_charts.trend_chart(rv, briefs.focus_kpis(rv))
    trend_width, trend_height = _fitted_size(png, doc.epw, doc.h - doc.b_margin - doc.get_y() - 1)
    doc.image(io.BytesIO(png), x=doc.l_margin + (doc.epw - trend_width) / 2, w=trend_width, h=trend_height)

    indicator = rv.indicator(indicator_id)
    headings, rows, statuses = briefs.district_rows(rv, indicator_id)
    out.map_page(
        rv.tr("Districts: {indicator}", indicator=indicators.name(indicator, rv.lang)),
        brief_charts.district_map(rv, indicator_id),
        headings,
        rows,
        statuses,
        [44, 18, 30, 20, 18],
        DISTRICTS_BESIDE_MAP_PDF,
    )

    out.alerts(*briefs.alert_rows(rv), [22, 110, 60, 30, 30])
    if not rv.policies.empty:
        headings, rows, statuses = briefs.policy_rows(rv)
        out.paged_table(briefs.policy_heading(rv), headings, rows, statuses, [150, 25, 25, 25, 35], status_column=4)
    if not rv.decisions.empty:
        headings, rows, statuses = briefs.decision_rows(rv)
        out.paged_table(
            rv.tr("Decisions about {province}", province=rv.name),
            headings,
            rows,
            statuses,
            [28, 140, 45, 28, 26],
            status_column=4,
        )
    if not rv.policy_notes.empty:  # notes are paragraphs: fewer rows a page
        headings, rows = briefs.note_rows(rv)
        out.paged_table(briefs.notes_heading(rv), headings, rows, [], [24, 62, 28, 128, 27], per_page=PDF_NOTE_ROWS)
    return out.output()


# The province-by-province table: rows a page (the KPIs' names as headings take three lines).
PROVINCE_ROWS_PDF = 14


def region_pdf(rb: region_briefs.RegionBrief, indicator_id: str | None = None, today: date | None = None) -> bytes:
    """A regional education office's meeting brief as an A4 landscape PDF: the same pages as its PowerPoint."""
    key = region_briefs.key_kpis(rb)
    indicator_id = indicator_id or str(key["indicator_id"].iloc[0])
    title = region_briefs.title(rb)
    out = _Pdf(rb, title, region_briefs.footer(rb))
    lines = [region_briefs.subtitle(rb, today), region_briefs.provinces_line(rb)]
    out.cover(title, lines, brief_charts.region_status_chart(rb))
    out.story(region_briefs.story(rb))

    headings, rows, statuses = region_briefs.kpi_rows(rb)
    out.paged_table(
        rb.tr("{region} against target and nation", region=rb.name),
        headings,
        rows,
        statuses,
        [100, 30, 26, 22, 30, 26, 30],
        status_column=4,
    )
    headings, rows, statuses = region_briefs.province_rows(rb)
    widths = [40] + [35] * (len(headings) - 3) + [24, 24]
    out.paged_table(region_briefs.province_heading(rb), headings, rows, statuses, widths, per_page=PROVINCE_ROWS_PDF)

    headings, rows, statuses = region_briefs.map_rows(rb, indicator_id)
    out.map_page(
        region_briefs.map_heading(rb, indicator_id),
        brief_charts.region_map(rb, indicator_id),
        headings,
        rows,
        statuses,
        [46, 22, 34, 14],
        DISTRICTS_BESIDE_MAP_PDF,
    )
    out.alerts(*region_briefs.alert_rows(rb), [36, 22, 110, 50, 30])
    if not rb.stuck.empty:
        headings, rows = region_briefs.stuck_rows(rb)
        out.paged_table(region_briefs.stuck_heading(rb), headings, rows, [], [70, 34, 30, 22, 26, 87], per_page=8)
    if not rb.decisions.empty:
        headings, rows, statuses = region_briefs.decision_rows(rb)
        out.paged_table(
            rb.tr("Decisions about {province}", province=rb.name),
            headings,
            rows,
            statuses,
            [30, 26, 120, 40, 25, 26],
            status_column=5,
        )
    if not rb.notes.empty:
        headings, rows = region_briefs.note_rows(rb)
        widths = [30, 22, 50, 24, 118, 25]
        out.paged_table(region_briefs.notes_heading(rb), headings, rows, [], widths, per_page=PDF_NOTE_ROWS)
    return out.output()


def _fitted_size(png: bytes, width: float, height: float) -> tuple[float, float]:
    """The largest (width, height) with a PNG's proportions that fits in width × height."""
    from PIL import Image

    with Image.open(io.BytesIO(png)) as image:
        pixels_wide, pixels_high = image.size
    scale = min(width / pixels_wide, height / pixels_high)
    return pixels_wide * scale, pixels_high * scale


def _font(doc, style: str, size: float) -> None:
    """Set the text font, making fpdf write it out again even when unchanged.

    fpdf 2.8 writes each line in its own q…Q block and switches to a fallback font (Thai, Lao) inside
    it; a later line in the same font then carries no font of its own and is not drawn ("No font in
    show"). Selecting another font first makes fpdf set this one again, outside any q…Q block.
    """
    doc.set_font("notothai", style, size)
    doc.set_font("noto", style, size)
