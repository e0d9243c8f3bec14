"""The brief as PowerPoint: one slide per part, fonts named per script, tables split across slides."""

from __future__ import annotations

import io
from datetime import date

from PIL import Image
from pptx import Presentation
from pptx.dml.color import RGBColor
from pptx.oxml.ns import qn
from pptx.util import Emu, Inches, Pt

from cockpit import i18n
from cockpit.data import indicators
from cockpit.data.indicators import status_rgb
from cockpit.documents import brief_charts, briefs, fonts, region_briefs
from cockpit.review import province

TABLE_ROWS_PER_SLIDE = 12


DISTRICTS_BESIDE_MAP = 16


def _font_run(run, rv: province.ProvinceReview, size: float, bold: bool = False, color=briefs.INK) -> None:
    font = run.font
    font.size = Pt(size)
    font.bold = bold
    font.name = briefs.LATIN_FONT
    font.color.rgb = RGBColor(*color)
    rpr = run._r.get_or_add_rPr()
    rpr.set("lang", briefs.LANGUAGE_TAGS.get(rv.lang, "en-GB"))
    script_font = briefs.COMPLEX_SCRIPT_FONTS.get(rv.country, "Noto Sans Thai")
    for tag in ("a:ea", "a:cs"):
        element = rpr.find(qn(tag))
        if element is None:
            element = rpr.makeelement(qn(tag), {})
            # a:latin must come before a:ea and a:cs in the schema's order.
            latin = rpr.find(qn("a:latin"))
            if latin is not None:
                latin.addnext(element) if tag == "a:ea" else rpr.find(qn("a:ea")).addnext(element)
            else:
                rpr.append(element)
        element.set("typeface", script_font)


def _text(slide, rv, left, top, width, height, text: str, size: float, bold=False, color=briefs.INK, align=None):
    box = slide.shapes.add_textbox(left, top, width, height)
    frame = box.text_frame
    frame.word_wrap = True
    paragraph = frame.paragraphs[0]
    if align is not None:
        paragraph.alignment = align
    run = paragraph.add_run()
    run.text = text
    _font_run(run, rv, size, bold, color)
    return box


def _slide(prs, rv, heading: str, footer: str | None = None):
    """A blank slide with its heading and the brief's footer (the province brief's unless `footer` is given)."""
    slide = prs.slides.add_slide(prs.slide_layouts[6])  # blank
    _text(slide, rv, Inches(0.5), Inches(0.3), Inches(12.3), Inches(0.8), heading, 26, bold=True)
    footer = briefs.footer(rv) if footer is None else footer
    _text(slide, rv, Inches(0.5), Inches(7.0), Inches(12.3), Inches(0.4), footer, 10, color=briefs.MUTED)
    return slide


def _bullets(slide, rv, points: list[briefs.Point], left, top, width, height, size=16):
    box = slide.shapes.add_textbox(left, top, width, height)
    frame = box.text_frame
    frame.word_wrap = True
    first = True
    for point in points:
        paragraph = frame.paragraphs[0] if first else frame.add_paragraph()
        first = False
        run = paragraph.add_run()
        run.text = "• " + point.text
        _font_run(run, rv, size, bold=bool(point.items))
        paragraph.space_after = Pt(4)
        for item in point.items:
            sub = frame.add_paragraph()
            sub.level = 1
            run = sub.add_run()
            run.text = "– " + item
            _font_run(run, rv, size - 3)
    return box


def _table(slide, rv, headings, rows, statuses, left, top, width, widths, status_column=None, size=11):
    """A table; the `status_column` of each row coloured by its status in `statuses`, or, where a row's status is a
    list (one per column, None for a plain cell), each of its cells coloured by its own."""
    shape = slide.shapes.add_table(len(rows) + 1, len(headings), left, top, width, Inches(0.3) * (len(rows) + 1))
    table = shape.table
    total = sum(widths)
    for i, w in enumerate(widths):
        table.columns[i].width = Emu(int(width * w / total))
    for c, heading in enumerate(headings):
        cell = table.cell(0, c)
        cell.text = ""
        run = cell.text_frame.paragraphs[0].add_run()
        run.text = heading
        _font_run(run, rv, size, bold=True, color=(255, 255, 255))
        cell.fill.solid()
        cell.fill.fore_color.rgb = RGBColor(*briefs.INK)
    for r, row in enumerate(rows, start=1):
        # As tall as its text: a row keeps the height it is given in LibreOffice, and the table's size in PowerPoint.
        table.rows[r].height = Pt(_row_height(row, widths, size, width.inches))
        for c, text in enumerate(row):
            cell = table.cell(r, c)
            cell.text = ""
            run = cell.text_frame.paragraphs[0].add_run()
            run.text = str(text)
            status = _cell_status(statuses[r - 1], c, status_column)
            is_status = status is not None
            _font_run(run, rv, size, bold=is_status, color=(255, 255, 255) if is_status else briefs.INK)
            cell.fill.solid()
            if is_status:
                cell.fill.fore_color.rgb = RGBColor(*status_rgb(status))
            else:
                cell.fill.fore_color.rgb = RGBColor(255, 255, 255) if r % 2 else RGBColor(244, 246, 248)
            cell.margin_top = cell.margin_bottom = Emu(20000)
    shape.height = Emu(sum(row.height for row in table.rows))
    return shape


def _cell_status(row_status, column: int, status_column: int | None) -> str | None:
    """The status a table cell is coloured by, or None (see _table)."""
    if isinstance(row_status, (list, tuple)):
        return row_status[column]
    return row_status if status_column is not None and column == status_column else None


# A table's width on a slide (in), its room from its top (1.2 in) to the footer (7.0 in) in points; a row is at least
# 0.3 in.
TABLE_WIDTH_IN = 12.3
TABLE_ROOM_PT = 5.8 * 72
ROW_PT = 0.3 * 72


def _row_height(row, widths, size: float, table_in: float = TABLE_WIDTH_IN) -> float:
    """A row's height in points, from the characters a line of each cell holds (half the font size a character, as
    the story reckons) and its cell margins; Thai and Lao lines are taller than Latin ones."""
    total, lines = sum(widths), 1
    for text, width in zip(row, widths, strict=True):
        chars = max(1, int(table_in * width / total * 72 / (size * 0.5)))
        lines = max(lines, sum(1 + len(part) // chars for part in str(text).split("\n")))
    return max(ROW_PT, lines * size * 1.45 + 2 * Emu(20000).pt)


def _table_slides(
    prs,
    rv,
    heading,
    headings,
    rows,
    statuses,
    widths,
    status_column=None,
    size=11,
    per_slide=TABLE_ROWS_PER_SLIDE,
    footer: str | None = None,
) -> None:
    """A table over as many slides as its rows need (`per_slide`, fewer where they are tall), each slide titled
    'heading (2/3)'."""
    heights = [_row_height(row, widths, size) for row in rows]
    pages = briefs.pages_by_height(heights, TABLE_ROOM_PT - _row_height(headings, widths, size), per_slide)
    for number, (start, end) in enumerate(pages, start=1):
        slide = _slide(prs, rv, heading + (f" ({number}/{len(pages)})" if len(pages) > 1 else ""), footer)
        _table(
            slide,
            rv,
            headings,
            rows[start:end],
            statuses[start:end],
            Inches(0.5),
            Inches(1.2),
            Inches(TABLE_WIDTH_IN),
            widths,
            status_column=status_column,
            size=size,
        )


# What a line of the story takes on a slide (the bullets' box is 7.6 in wide): characters a line, and its height in
# points with the paragraph's spacing (Thai and Lao lines are taller than Latin ones: marks above and below).
POINT_LINE = (78, 14 * 1.5 + 4)
ITEM_LINE = (98, 11 * 1.45)
STORY_HEIGHT_PT = 5.6 * 72


def _story_height(text: str, line: tuple[int, float]) -> float:
    chars, height = line
    return (1 + len(text) // chars) * height


def story_pages(points: list[briefs.Point], height: float = STORY_HEIGHT_PT) -> list[list[briefs.Point]]:
    """The story's points in slide-sized groups. A point whose items do not fit goes on on the next slide, its
    sentence repeated above the rest of its items: no slide is left nearly empty by one long point."""
    pages: list[list[briefs.Point]] = [[]]
    used = 0.0
    for point in points:
        items = list(point.items)
        head = _story_height(point.text, POINT_LINE)
        if pages[-1] and used + head + (_story_height(items[0], ITEM_LINE) if items else 0) > height:
            pages.append([])
            used = 0.0
        used += head
        taken: list[str] = []
        while items:
            size = _story_height(items[0], ITEM_LINE)
            if used + size > height and taken:
                pages[-1].append(briefs.Point(point.text, tuple(taken)))
                pages.append([])
                used, taken = head, []
                continue
            taken.append(items.pop(0))
            used += size
        pages[-1].append(briefs.Point(point.text, tuple(taken)))
    return pages


def _presentation() -> Presentation:
    prs = Presentation()
    prs.slide_width, prs.slide_height = Inches(13.333), Inches(7.5)
    return prs


def _cover(prs, rv, title: str, lines: list[str]) -> None:
    """The title slide: the title, then a line or two of what the brief is about, muted."""
    slide = prs.slides.add_slide(prs.slide_layouts[6])
    _text(slide, rv, Inches(0.8), Inches(2.3), Inches(11.7), Inches(1.4), title, 40, bold=True)
    top = Inches(3.8)
    for line in lines:
        _text(slide, rv, Inches(0.8), top, Inches(11.7), Inches(0.8), line, 18, color=briefs.MUTED)
        top += Inches(0.8)


def _story_slides(prs, rv, points: list[briefs.Point], chart: bytes, footer: str | None = None) -> None:
    """The story over as many slides as it needs (about 15 lines of 14 pt fit under a heading), the status chart
    beside its first part."""
    pages = story_pages(points)
    for number, group in enumerate(pages, start=1):
        heading = rv.tr("In brief") + (f" ({number}/{len(pages)})" if len(pages) > 1 else "")
        slide = _slide(prs, rv, heading, footer)
        _bullets(slide, rv, group, Inches(0.5), Inches(1.2), Inches(7.6), Inches(5.7), size=14)
        if number == 1:
            slide.shapes.add_picture(io.BytesIO(chart), Inches(8.4), Inches(1.3), width=Inches(4.5))


def _map_slides(prs, rv, heading, png: bytes, headings, rows, statuses, widths, footer: str | None = None) -> None:
    """A map at its own proportions within 5.9 × 5.8 in, left of its table (a wide area is less tall); the rows the
    slide cannot hold on slides of their own."""
    slide = _slide(prs, rv, heading, footer)
    with Image.open(io.BytesIO(png)) as image:
        scale = min(Inches(5.9) / image.size[0], Inches(5.8) / image.size[1])
        size = (Emu(int(image.size[0] * scale)), Emu(int(image.size[1] * scale)))
    slide.shapes.add_picture(io.BytesIO(png), Inches(0.5), Inches(1.15), width=size[0], height=size[1])
    first = DISTRICTS_BESIDE_MAP
    _table(
        slide,
        rv,
        headings,
        rows[:first],
        statuses[:first],
        Inches(6.6),
        Inches(1.2),
        Inches(6.2),
        widths,
        status_column=2,
        size=10,
    )
    if len(rows) > first:  # a province of many districts (Bangkok has 50): the rest on slides of their own
        _table_slides(prs, rv, heading, headings, rows[first:], statuses[first:], widths, 2, 10, footer=footer)


def _alert_slides(prs, rv, headings, rows, widths, footer: str | None = None) -> None:
    if rows:
        _table_slides(prs, rv, rv.tr("Open alerts"), headings, rows, ["no_data"] * len(rows), widths, footer=footer)
    else:
        slide = _slide(prs, rv, rv.tr("Open alerts"), footer)
        _text(slide, rv, Inches(0.5), Inches(1.4), Inches(12), Inches(1), rv.tr("No open alerts."), 18)


def _note_slides(prs, rv, heading: str, rows: list[list[str]], footer: str | None = None) -> None:
    """Notes are paragraphs: laid out as the story is, not as table cells a long note overflows. Each row is
    [(province,) date, policy, kind, note, author]."""
    points = [
        briefs.Point(" · ".join([*where, day, kind, policy, author]), (text,))
        for *where, day, policy, kind, text, author in rows
    ]
    pages = story_pages(points)
    for number, group in enumerate(pages, start=1):
        slide = _slide(prs, rv, heading + (f" ({number}/{len(pages)})" if len(pages) > 1 else ""), footer)
        _bullets(slide, rv, group, Inches(0.5), Inches(1.2), Inches(12.3), Inches(5.7), size=14)


def _save(prs, title: str) -> bytes:
    fonts.embed_in_pptx(prs, list(fonts.FAMILIES))  # a PC without Noto draws the slides as laid out
    out = io.BytesIO()
    prs.core_properties.title = title
    prs.core_properties.author = "Education Management Cockpit"
    prs.save(out)
    return out.getvalue()


def province_pptx(rv: province.ProvinceReview, indicator_id: str | None = None, today: date | None = None) -> bytes:
    """The meeting brief as a 16:9 PowerPoint: title, the story, every KPI, trends, districts, alerts."""
    indicator_id = indicator_id or briefs.default_indicator(rv)
    prs = _presentation()
    profile = rv.profile
    _cover(
        prs,
        rv,
        briefs.title(rv),
        [
            briefs.subtitle(rv, today),
            rv.tr(
                "{districts} districts · {schools} schools · {students} students · {teachers} teachers",
                districts=i18n.number(profile["districts"], rv.lang),
                schools=i18n.number(profile["schools"], rv.lang),
                students=i18n.number(profile["students"], rv.lang),
                teachers=i18n.number(profile["teachers"], rv.lang),
            ),
        ],
    )
    _story_slides(prs, rv, briefs.story(rv), brief_charts.status_chart(rv))

    headings, rows, statuses = briefs.kpi_rows(rv)
    _table_slides(
        prs,
        rv,
        rv.tr("Every KPI against target, region and nation"),
        headings,
        rows,
        statuses,
        [5.2, 1.5, 1.1, 1.1, 1.5, 1.2, 1.1, 1.1, 1.2],
        status_column=4,
    )

    focus = briefs.focus_kpis(rv)
    slide = _slide(prs, rv, rv.tr("The KPIs to watch: five-year trends"))
    picture = io.BytesIO(brief_charts.trend_chart(rv, focus))
    slide.shapes.add_picture(picture, Inches(0.6), Inches(1.15), height=Inches(5.8))

    indicator = rv.indicator(indicator_id)
    heading = rv.tr("Districts: {indicator}", indicator=indicators.name(indicator, rv.lang))
    headings, rows, statuses = briefs.district_rows(rv, indicator_id)
    png = brief_charts.district_map(rv, indicator_id)
    _map_slides(prs, rv, heading, png, headings, rows, statuses, [2.6, 1.1, 1.6, 1.1, 1.0])

    headings, rows = briefs.alert_rows(rv)
    _alert_slides(prs, rv, headings, rows, [1.2, 5.0, 2.6, 1.5, 1.5])

    if not rv.policies.empty:
        headings, rows, statuses = briefs.policy_rows(rv)
        _table_slides(
            prs,
            rv,
            briefs.policy_heading(rv),
            headings,
            rows,
            statuses,
            [6.0, 1.3, 1.3, 1.3, 1.8],
            status_column=4,
            size=10,
        )

    if not rv.decisions.empty:
        headings, rows, statuses = briefs.decision_rows(rv)
        _table_slides(
            prs,
            rv,
            rv.tr("Decisions about {province}", province=rv.name),
            headings,
            rows,
            statuses,
            [1.4, 5.4, 2.0, 1.4, 1.3],
            status_column=4,
        )

    if not rv.policy_notes.empty:
        _note_slides(prs, rv, briefs.notes_heading(rv), briefs.note_rows(rv)[1])
    return _save(prs, briefs.title(rv))


# The province-by-province table: rows a slide (the KPIs' names as headings take three lines).
PROVINCE_ROWS_PER_SLIDE = 11


def region_pptx(rb: region_briefs.RegionBrief, indicator_id: str | None = None, today: date | None = None) -> bytes:
    """A regional education office's meeting brief as a 16:9 PowerPoint: its provinces, the region against target
    and nation, its provinces side by side, its map, open alerts by province, stuck work, decisions and notes."""
    key = region_briefs.key_kpis(rb)
    indicator_id = indicator_id or str(key["indicator_id"].iloc[0])
    foot = region_briefs.footer(rb)
    prs = _presentation()
    _cover(prs, rb, region_briefs.title(rb), [region_briefs.subtitle(rb, today), region_briefs.provinces_line(rb)])
    _story_slides(prs, rb, region_briefs.story(rb), brief_charts.region_status_chart(rb), foot)

    headings, rows, statuses = region_briefs.kpi_rows(rb)
    heading = rb.tr("{region} against target and nation", region=rb.name)
    _table_slides(prs, rb, heading, headings, rows, statuses, [4.6, 1.6, 1.8, 1.2, 1.6, 1.4, 1.4], 4, footer=foot)

    headings, rows, statuses = region_briefs.province_rows(rb)
    widths = [2.0] + [1.7] * (len(headings) - 3) + [1.1, 1.1]
    _table_slides(
        prs,
        rb,
        region_briefs.province_heading(rb),
        headings,
        rows,
        statuses,
        widths,
        size=10,
        per_slide=PROVINCE_ROWS_PER_SLIDE,
        footer=foot,
    )

    headings, rows, statuses = region_briefs.map_rows(rb, indicator_id)
    png = brief_charts.region_map(rb, indicator_id)
    _map_slides(
        prs, rb, region_briefs.map_heading(rb, indicator_id), png, headings, rows, statuses, [2.6, 1.2, 1.8, 0.8], foot
    )

    headings, rows = region_briefs.alert_rows(rb)
    _alert_slides(prs, rb, headings, rows, [1.8, 1.1, 4.8, 2.0, 1.5], foot)

    if not rb.stuck.empty:
        headings, rows = region_briefs.stuck_rows(rb)
        _table_slides(
            prs,
            rb,
            region_briefs.stuck_heading(rb),
            headings,
            rows,
            ["off_track"] * len(rows),
            [3.4, 1.7, 1.5, 1.1, 1.2, 3.4],
            size=10,
            per_slide=8,
            footer=foot,
        )

    if not rb.decisions.empty:
        headings, rows, statuses = region_briefs.decision_rows(rb)
        _table_slides(
            prs,
            rb,
            rb.tr("Decisions about {province}", province=rb.name),
            headings,
            rows,
            statuses,
            [1.6, 1.3, 4.8, 1.9, 1.3, 1.3],
            status_column=5,
            footer=foot,
        )

    if not rb.notes.empty:
        _note_slides(prs, rb, region_briefs.notes_heading(rb), region_briefs.note_rows(rb)[1], foot)
    return _save(prs, region_briefs.title(rb))
