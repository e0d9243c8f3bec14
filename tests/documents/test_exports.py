"""The workbook and the meeting briefs open with their own libraries and carry the figures the Province page shows."""

import dataclasses
import io
import re
import subprocess
import time
from datetime import date

import openpyxl
import pandas as pd
import pytest
from conftest import AS_OF, SHOT_DIR, TODAY
from pptx import Presentation
from pptx.oxml.ns import qn

from cockpit import settings
from cockpit.data import access
from cockpit.data.db import Database
from cockpit.documents import brief_pdf, brief_pptx, briefs, workbooks
from cockpit.figures import short_text
from cockpit.review import province, regions

# A brief is made while the reader waits: a few seconds on the 2-core machine, with room for a busy one.
BRIEF_SECONDS = 8.0


@pytest.fixture(scope="module")
def db():
    return Database(settings.load().data_url)


def scope_of(db, country):
    return access.whole_country(db.query(country, "data/province_ids")["area_id"])


@pytest.fixture(scope="module")
def thai(db):
    return province.review(db, "th", "67", scope_of(db, "th"), "th")


@pytest.fixture(scope="module")
def lao(db):
    return province.review(db, "la", "LA-LP", scope_of(db, "la"), "lo")


@pytest.fixture(scope="module")
def thai_pdf(thai):
    """The Thai brief as a PDF, made once for the module, with the seconds it took."""
    started = time.perf_counter()
    data = brief_pdf.province_pdf(thai, "dropout_rate", TODAY)
    return data, time.perf_counter() - started


def squash(text: str) -> str:
    """Text as a PDF must hold it whatever its line breaks: no whitespace."""
    return re.sub(r"\s+", "", text)


def pdf_text(data: bytes, tmp_path, name="brief.pdf") -> tuple[str, str]:
    path = tmp_path / name
    path.write_bytes(data)
    done = subprocess.run(["pdftotext", "-raw", str(path), "-"], capture_output=True, text=True, check=True)
    return done.stdout, done.stderr


# --- Excel ------------------------------------------------------------------------------------------------------


def test_workbook_kpi_sheet_holds_the_figures_on_screen(thai):
    wb = openpyxl.load_workbook(io.BytesIO(workbooks.province_workbook(thai, TODAY)))
    ws = wb.worksheets[0]
    assert ws["A1"].value == thai.tr("{province}: provincial education review", province="เพชรบูรณ์")
    headings = [c.value for c in ws[workbooks.FIRST_ROW]]
    rows = list(ws.iter_rows(min_row=workbooks.FIRST_ROW + 1, values_only=True))
    assert len(rows) == len(thai.kpis)
    column = {h: i for i, h in enumerate(headings)}
    for row, (_, kpi) in zip(rows, thai.kpis.iterrows(), strict=True):
        assert row[column[thai.tr("KPI")]] == kpi["name"]  # Thai names, as on screen
        assert row[column[thai.tr("Indicator ID")]] == kpi["indicator_id"]
        assert row[column[thai.tr("Value")]] == pytest.approx(kpi["value"])
        assert row[column[thai.tr("Target")]] == pytest.approx(kpi["target"])
        assert row[column[thai.tr("Status")]] == kpi["status_label"]
        assert row[column[thai.tr("Against the target")]] == kpi["status_reason"]
        assert row[column[thai.tr("National rank")]] == kpi["rank"]
        assert row[column[thai.tr("Nation")]] == pytest.approx(kpi["nation_value"])
    dropout = next(r for r in ws.iter_rows(min_row=5) if r[column[thai.tr("Indicator ID")]].value == "dropout_rate")
    assert dropout[column[thai.tr("Value")]].number_format == '#,##0.00"%"'
    assert dropout[column[thai.tr("Status")]].fill.fgColor.rgb.endswith("D73027")  # red: off track
    assert "อัตราการออกกลางคัน" in dropout[column[thai.tr("KPI")]].value


def test_workbook_has_districts_alerts_definitions_and_sources(thai):
    wb = openpyxl.load_workbook(io.BytesIO(workbooks.province_workbook(thai, TODAY)))
    names = wb.sheetnames
    assert len(names) == 9  # KPIs, districts, schools, alerts, policies, decisions, trends, indicators, sources
    districts = wb.worksheets[1]
    values, _statuses = province.district_matrix(thai)
    first = workbooks.FIRST_ROW + 1
    assert [districts.cell(row=first + i, column=1).value for i in range(len(values))] == list(values.index)
    assert districts.cell(row=first, column=2).value == pytest.approx(values.iloc[0, 0])
    assert districts.max_column == 1 + len(values.columns)
    alerts = wb.worksheets[3]
    assert alerts.cell(row=first, column=1).value == thai.tr("No alerts recorded for this province.")
    definitions = wb[workbooks._sheet_title(thai.tr("Indicator definitions"))]
    ids = [definitions.cell(row=r, column=1).value for r in range(first, first + len(thai.catalogue))]
    assert ids == list(thai.catalogue.index)
    dropout = first + ids.index("dropout_rate")
    # target, and how far behind its trajectory it is at risk (config/kpi_status.yaml)
    assert [definitions.cell(row=dropout, column=c).value for c in (9, 10)] == [0.5, 0.3]
    assert definitions.cell(row=dropout, column=11).value == "OBEC EMIS (DMC)"
    sources = wb[workbooks._sheet_title(thai.tr("Sources"))]
    facts = {sources.cell(row=r, column=1).value: sources.cell(row=r, column=2).value for r in range(4, 10)}
    assert facts[thai.tr("Data as of")].date() == thai.as_of == AS_OF
    assert facts[thai.tr("Extract version")] == thai.extract_version
    boundaries = {r[0].value: r[1].value for r in sources.iter_rows(min_row=4, max_col=2) if r[0].value}
    assert boundaries["ขอบเขตพื้นที่"].startswith(
        "ขอบเขตพื้นที่: กรมแผนที่ทหาร และกรมแผนที่แห่งชาติ สปป.ลาว"
    )  # in the reader's language


def test_workbook_writes_a_control_character_as_a_replacement_instead_of_failing(thai):
    """openpyxl refuses the control characters Excel's XML cannot hold (IllegalCharacterError): a decision or a name
    holding one left the province with no workbook."""
    decisions = pd.DataFrame(
        [
            dict(
                id=1,
                meeting_date=date(2026, 11, 2),
                text="Bell\x07 rang\x0bhere",
                owner="PEO\x1b",
                status="open",
                due_date=date(2026, 12, 1),
                status_label="Open",
                overdue=False,
                place=thai.name,
                about=thai.name,
            )
        ]
    )
    book = openpyxl.load_workbook(
        io.BytesIO(workbooks.province_workbook(dataclasses.replace(thai, decisions=decisions)))
    )
    texts = {cell.value for sheet in book.worksheets for row in sheet.iter_rows() for cell in row}
    assert {"Bell\ufffd rang\ufffdhere", "PEO\ufffd"} <= texts


def test_region_workbook_has_its_provinces_side_by_side(db):
    rr = regions.region_review(db, "th", "reo:17", scope_of(db, "th"), "en")
    wb = openpyxl.load_workbook(io.BytesIO(workbooks.region_workbook(rr, TODAY)))
    ws = wb.worksheets[0]
    headings = [c.value for c in ws[workbooks.FIRST_ROW]]
    assert headings[-2:] == ["Regional Education Office 17", "Thailand"]
    assert set(headings[3:-2]) == {"Phetchabun", "Phitsanulok", "Sukhothai", "Tak", "Uttaradit"}
    values = rr.values.set_index(["indicator_id", "name"])["value"]
    for row in ws.iter_rows(min_row=workbooks.FIRST_ROW + 1, values_only=True):
        indicator_id = rr.kpis.loc[rr.kpis["name"] == row[0], "indicator_id"].iloc[0]
        for name, cell in zip(headings[3:], row[3:], strict=True):
            assert cell == pytest.approx(values[(indicator_id, name)])


# --- The story --------------------------------------------------------------------------------------------------


def test_story_tells_status_changes_rank_and_alerts(db):
    rv = province.review(db, "th", "67", scope_of(db, "th"), "en")
    points = briefs.story(rv)
    counts = province.status_counts(rv.kpis)
    assert points[0].text.startswith(
        f"{len(rv.kpis)} KPIs: {counts['met']} met their target, {counts['on_track']} on track, "
        f"{counts['at_risk']} at risk"
    )
    text = "\n".join([p.text for p in points] + [i for p in points for i in p.items])
    dropout = rv.kpis.set_index("indicator_id").loc["dropout_rate"]
    assert f"{dropout['name']}: {dropout['value_label']} ({dropout['status_reason']})" in text
    assert "Biggest deteriorations:" in text and "Biggest improvements:" in text
    assert "Best national rank:" in text and "No open alerts." in text
    assert "Policies and projects:" in text


# --- PowerPoint -------------------------------------------------------------------------------------------------


def test_pptx_opens_and_carries_the_story_and_the_kpis(thai):
    started = time.perf_counter()
    data = brief_pptx.province_pptx(thai, "dropout_rate", TODAY)
    elapsed = time.perf_counter() - started
    assert elapsed < BRIEF_SECONDS, f"the PowerPoint brief took {elapsed:.1f} s"
    prs = Presentation(io.BytesIO(data))
    texts = []
    for slide in prs.slides:
        for shape in slide.shapes:
            if shape.has_text_frame:
                texts.append(shape.text_frame.text)
            if shape.has_table:
                texts.extend(cell.text for row in shape.table.rows for cell in row.cells)
    text = "\n".join(texts)
    assert briefs.title(thai) in text
    for point in briefs.story(thai):
        assert point.text in text
    for _, kpi in thai.kpis.iterrows():
        assert kpi["name"] in text and kpi["value_label"] in text
    pictures = [s for slide in prs.slides for s in slide.shapes if s.shape_type == 13]
    assert len(pictures) >= 3  # status bar, trends, district map
    run = next(
        r
        for slide in prs.slides
        for s in slide.shapes
        if s.has_text_frame
        for p in s.text_frame.paragraphs
        for r in p.runs
        if "เพชรบูรณ์" in r.text
    )
    rpr = run._r.find(qn("a:rPr"))
    assert rpr.get("lang") == "th-TH"
    assert rpr.find(qn("a:cs")).get("typeface") == "Noto Sans Thai"
    assert rpr.find(qn("a:latin")).get("typeface") == "Noto Sans"


def test_lao_pptx_names_the_lao_font(lao):
    prs = Presentation(io.BytesIO(brief_pptx.province_pptx(lao, today=TODAY)))
    run = next(
        r
        for slide in prs.slides
        for s in slide.shapes
        if s.has_text_frame
        for p in s.text_frame.paragraphs
        for r in p.runs
        if "ຫຼວງພະບາງ" in r.text
    )
    rpr = run._r.find(qn("a:rPr"))
    assert rpr.get("lang") == "lo-LA" and rpr.find(qn("a:cs")).get("typeface") == "Noto Sans Lao"


# --- PDF --------------------------------------------------------------------------------------------------------


def test_pdf_embeds_its_fonts_and_its_thai_text_extracts(thai, thai_pdf, tmp_path):
    data, elapsed = thai_pdf
    assert elapsed < BRIEF_SECONDS, f"the PDF brief took {elapsed:.1f} s"
    assert data.startswith(b"%PDF")
    text, errors = pdf_text(data, tmp_path)
    assert "Syntax Error" not in errors, errors  # every line of text has its font
    path = tmp_path / "brief.pdf"
    fonts = subprocess.run(["pdffonts", str(path)], capture_output=True, text=True, check=True).stdout
    assert "NotoSansThai" in fonts and "NotoSans" in fonts
    assert all(line.split()[-5] == "yes" for line in fonts.splitlines()[2:])  # every font embedded
    assert "เพชรบูรณ์" in text
    # A policy's gap carries the minus sign the screen writes (Noto Sans has none: the PDF wrote "-" until the
    # symbols' fallback font), so the text of each story item below is found as it is.
    assert "NotoSansMath" in fonts and "\u2212" in text
    # Every Thai text of the brief comes out in the right characters and order (line breaks aside).
    flat = squash(text)
    for name in thai.kpis["name"]:
        assert squash(name) in flat, name
    for _, row in province.district_table(thai, "dropout_rate").iterrows():
        assert squash(row["name"]) in flat and row["value_label"] in text
    for point in briefs.story(thai):
        assert squash(point.text) in flat, point.text
        for item in point.items:
            assert squash(item) in flat, item


@pytest.mark.xfail(
    strict=True,
    reason="fpdf 2.8 gives a split cluster's text to its first glyph: Thai SARA AM after a consonant, which HarfBuzz "
    "draws as NIKHAHIT + SARA AA, extracts with a stray space ('สำ นัก'). It renders correctly; see the report.",
)
def test_pdf_thai_sara_am_extracts_exactly(thai_pdf, tmp_path):
    text, _ = pdf_text(thai_pdf[0], tmp_path)
    assert "สำนักงานศึกษาธิการภาค 17" in text


def test_lao_pdf_text_extracts(lao, tmp_path):
    text, errors = pdf_text(brief_pdf.province_pdf(lao, today=TODAY), tmp_path)
    assert "Syntax Error" not in errors, errors
    assert "ຫຼວງພະບາງ" in text and "ພາກເໜືອ" in text
    extracted = sum(squash(name) in squash(text) for name in lao.kpis["name"])
    assert extracted == len(lao.kpis), f"{len(lao.kpis) - extracted} Lao KPI names did not extract"


def test_pdf_first_page_renders(thai_pdf, tmp_path):
    """Renders page 1 to shots/brief_th_page1.png (for a person to look at) and checks it holds ink and colour."""
    from PIL import Image

    path = tmp_path / "brief.pdf"
    path.write_bytes(thai_pdf[0])
    SHOT_DIR.mkdir(parents=True, exist_ok=True)
    prefix = SHOT_DIR / "brief_th_page1"
    subprocess.run(
        ["pdftoppm", "-png", "-r", "100", "-f", "1", "-l", "1", "-singlefile", str(path), str(prefix)], check=True
    )
    image = Image.open(prefix.with_suffix(".png")).convert("RGB")
    assert image.size[0] > image.size[1]  # landscape A4
    pixels = list(image.get_flattened_data())
    assert sum(1 for p in pixels if max(p) < 120) > 5000  # text
    assert sum(1 for r, g, b in pixels if r > 180 and r - g > 100 and r - b > 100) > 2000  # the red of "off track"


def test_file_names_are_plain_ascii(thai):
    assert briefs.file_name(thai, "pptx", TODAY) == f"province-67-phetchabun-{TODAY.isoformat()}.pptx"
    assert re.fullmatch(
        r"[a-z0-9.-]+", workbooks.file_name("region", "reo:17", "Regional Education Office 17", "xlsx", TODAY)
    )


def test_a_province_of_many_districts_pages_its_tables(db, tmp_path):
    """Bangkok has 50 districts: every one reaches both briefs, tables page instead of running off the page."""
    rv = province.review(db, "th", "10", scope_of(db, "th"), "en")
    names = list(province.district_table(rv, "dropout_rate")["name"])
    assert len(names) == 50
    text, errors = pdf_text(brief_pdf.province_pdf(rv, "dropout_rate", TODAY), tmp_path)
    assert "Syntax Error" not in errors, errors
    assert all(squash(n) in squash(text) for n in names)
    prs = Presentation(io.BytesIO(brief_pptx.province_pptx(rv, "dropout_rate", TODAY)))
    cells = {c.text for s in prs.slides for sh in s.shapes if sh.has_table for r in sh.table.rows for c in r.cells}
    assert set(names) <= cells


def test_decisions_and_notes_typed_at_length_are_cut_and_their_tables_page_by_height(db, tmp_path):
    """A decision or a note of 4,000 characters (what the forms take) failed the PDF brief ("the row is too high to
    be rendered on a single page"), and 17 decisions of three lines ran past their page (fpdf's own page break,
    after which text can lose its font): a meeting's brief could not be made."""
    rv = province.review(db, "th", "67", scope_of(db, "th"), "en")
    at_length = "ติดตามนักเรียนที่ออกกลางคันรายบุคคล" * 115  # 4,025 characters, no space: Thai writes none
    decisions = pd.DataFrame(
        [
            dict(
                id=i,
                meeting_date=date(2026, 11, 2),
                text=at_length if i == 0 else f"[D{i:02d}] " + "follow the district's reports on returning pupils " * 5,
                owner="Provincial education office",
                due_date=date(2026, 12, 15),
                status="open",
                status_label="Open",
                overdue=False,
                place=rv.name,
                about=rv.name,
            )
            for i in range(30)
        ]
    )
    notes = pd.DataFrame(
        [
            dict(
                created_at=pd.Timestamp("2026-11-03 09:00"),
                policy="Zero Dropout",
                kind="problem",
                kind_label="Problem",
                text=at_length,
                author="Somchai",
            )
        ]
    )
    text, errors = pdf_text(
        brief_pdf.province_pdf(dataclasses.replace(rv, decisions=decisions, policy_notes=notes), "dropout_rate", TODAY),
        tmp_path,
    )
    assert "Syntax Error" not in errors, errors
    pages = text.split("\f")
    table = [page for page in pages if "[D" in page and "In brief" not in page]  # the story lists five
    assert len(table) >= 2 and all("Decisions about" in page for page in table)  # each page titled
    assert sorted(re.findall(r"\[D(\d\d)\]", "".join(table))) == [f"{i:02d}" for i in range(1, 30)]  # none lost
    # In the story, the decisions' table and the notes' table: cut, never whole.
    cut = [squash(page) for page in pages if squash(at_length[:60]) in squash(page)]
    assert len(cut) >= 3 and all(squash(at_length[: briefs.TYPED_CHARS + 1]) not in page for page in cut)


def test_a_pdf_cell_too_long_for_its_lines_is_cut_between_two_words():
    """A cell that holds more than its lines ends "…" after a whole word (it was cut between two clusters, mid-word),
    in Thai and in English."""
    import types

    writer = brief_pdf._Pdf(types.SimpleNamespace(lang="th"), "t", "f")
    writer.doc.add_page()
    brief_pdf._font(writer.doc, "", brief_pdf.TABLE_SIZE)
    thai = "ติดตามนักเรียนที่ออกกลางคันรายบุคคล" * 20
    cut = writer._clipped(thai, 40)
    assert cut.endswith("…") and len(cut) - 1 in short_text.word_starts(thai)
    english = "follow the district's reports on returning pupils " * 20
    assert writer._clipped(english, 40).removesuffix("…").endswith(("follow", "the", "district's", "reports", "on"))


# --- The region brief -------------------------------------------------------------------------------------------


def _region_brief(db, country, group_key, lang):
    """A region brief with a note reported by its first province (the state store's notes, as the page reads them)."""
    import dataclasses
    from datetime import datetime

    import pandas as pd

    from cockpit.documents import region_briefs

    scope = scope_of(db, country)
    rb = region_briefs.build(db, None, regions.region_review(db, country, group_key, scope, lang), scope)
    first = rb.province_names.index[0]
    note = {
        "created_at": datetime(TODAY.year, TODAY.month, TODAY.day),
        "policy": "Tablets for students",
        "kind": "problem",
        "kind_label": rb.tr("Problem"),
        "text": f"NOTE-{lang}: tablet procurement suspended pending re-tender",
        "author": "Provincial office",
        "province": rb.province_names[first],
        "area_id": first,
    }
    return dataclasses.replace(rb, notes=pd.DataFrame([note]))


@pytest.mark.parametrize(
    ("country", "group_key", "lang"), [("th", "reo:17", "th"), ("la", "region:north", "lo"), ("th", "reo:17", "en")]
)
def test_region_brief_opens_with_the_regions_provinces_and_notes(db, tmp_path, country, group_key, lang):
    from cockpit.documents import region_briefs

    rb = _region_brief(db, country, group_key, lang)
    names = list(rb.province_names)
    assert len(names) == len(rb.review.province_ids) >= 5
    started = time.perf_counter()
    text, errors = pdf_text(brief_pdf.region_pdf(rb, today=TODAY), tmp_path)
    assert time.perf_counter() - started < 2 * BRIEF_SECONDS
    assert "Syntax Error" not in errors, errors
    flat = squash(text)
    assert squash(region_briefs.title(rb)) in flat
    assert all(squash(n) in flat for n in names), [n for n in names if squash(n) not in flat]
    assert squash(region_briefs.notes_heading(rb)) in flat and f"NOTE-{lang}" in text
    prs = Presentation(io.BytesIO(brief_pptx.region_pptx(rb, today=TODAY)))
    texts = [s.text_frame.text for slide in prs.slides for s in slide.shapes if s.has_text_frame]
    cells = [c.text for slide in prs.slides for s in slide.shapes if s.has_table for r in s.table.rows for c in r.cells]
    joined = "\n".join(texts + cells)
    assert region_briefs.title(rb) in joined and region_briefs.notes_heading(rb) in joined
    assert set(names) <= set(cells)  # every province has its row in the side-by-side table
    assert f"NOTE-{lang}" in joined
    assert region_briefs.file_name(rb, "pdf", TODAY).startswith("region-")


def test_region_workbook_carries_its_provinces_notes(db):
    rb = _region_brief(db, "th", "reo:17", "th")
    wb = openpyxl.load_workbook(io.BytesIO(workbooks.region_workbook(rb.review, TODAY, notes=rb.notes)))
    ws = wb[workbooks._sheet_title(rb.tr("Notes"))]
    row = [c.value for c in ws[workbooks.FIRST_ROW + 1]]
    assert row[0] == rb.province_names.iloc[0] and row[4].startswith("NOTE-th")
    assert (
        rb.tr("Notes") not in openpyxl.load_workbook(io.BytesIO(workbooks.region_workbook(rb.review, TODAY))).sheetnames
    )


def test_a_thai_sentence_wider_than_its_pdf_cell_breaks_between_words():
    """A brief's cell: a decision typed without spaces, as Thai is written, broken between its words (it broke
    between clusters, mid-word), and a word wider than the cell still broken, between clusters."""
    from cockpit.documents import brief_pdf, pdf
    from cockpit.figures import short_text

    doc = pdf.document("landscape")
    brief_pdf._font(doc, "", 9)
    text = "ส่งทีมฟื้นฟูโรงเรียนที่ถูกน้ำท่วมในจังหวัดอุบลราชธานีภายในสองสัปดาห์"
    lines = brief_pdf._fit(doc, text, 25).split("\n")
    assert len(lines) >= 3 and "".join(lines) == text
    ends = [len("".join(lines[: n + 1])) for n in range(len(lines) - 1)]
    assert set(ends) <= set(short_text.word_starts(text))  # every break between two words
    assert all(doc.get_string_width(line) <= 25 for line in lines)
    narrow = brief_pdf._fit(doc, "อุบลราชธานี", 8).split("\n")  # one word wider than its cell
    assert len(narrow) > 1 and "".join(narrow) == "อุบลราชธานี"


def test_a_chart_title_in_thai_breaks_between_words():
    """A brief's trend chart: a KPI's name too long for a line breaks between two words ("…ไปใช้ใน / การทำงาน"; it
    broke as "…ในกา / รทำงาน")."""
    from cockpit.documents import brief_charts

    first, second = brief_charts._title_lines("ร้อยละของผู้ผ่านการอบรมที่นำความรู้ไปใช้ในการทำงาน (การติดตามผล)").split("\n")
    assert first.endswith("ไปใช้ใน") and second.startswith("การทำงาน")
