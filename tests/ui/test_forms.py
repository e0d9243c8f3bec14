"""The decision form reads a due date typed in the reader's calendar (the Buddhist era for Thai readers) and says
in the reader's language when it cannot."""

from datetime import timedelta

from conftest import ROOT
from streamlit.testing.v1 import AppTest

from cockpit import clock, i18n, periods


def decision_form_sent(lang: str, due: str, text: str) -> AppTest:
    at = AppTest.from_file(str(ROOT / "views" / "decisions.py"), default_timeout=120)
    at.query_params["lang"] = lang
    at.run()
    assert not at.exception, at.exception
    at.text_area(key="decisions_form_text").input(text)
    at.text_input(key="decisions_form_owner").input("ผอ.สพป.อุบลราชธานี เขต 1")
    at.text_input(key="decisions_form_due_typed").input(due)
    at.selectbox(key="decisions_form_subject").set_value(("area", "34", "34"))
    next(b for b in at.button if b.label == i18n.tr(lang, "Record the decision")).click()
    at.run()
    assert not at.exception, at.exception
    return at


def test_a_due_date_typed_in_the_buddhist_era_is_recorded():
    due = clock.today() + timedelta(days=130)
    typed = f"{due.day}/{due.month}/{due.year + 543}"
    at = decision_form_sent("th", typed, "ส่งทีมฟื้นฟูโรงเรียนที่ถูกน้ำท่วม (พ.ศ.)")
    assert not at.error, [e.value for e in at.error]
    register = at.dataframe[0].value
    row = register[register["text"] == "ส่งทีมฟื้นฟูโรงเรียนที่ถูกน้ำท่วม (พ.ศ.)"]
    assert len(row) == 1
    assert str(due.year + 543) in " ".join(str(v) for v in row.iloc[0].values), row.iloc[0].to_dict()
    assert [t.value for t in at.toast] == [f"บันทึกข้อสั่งการแล้ว กำหนดเสร็จ {periods.day_label(due, 'th')}"]


def test_a_year_alone_is_refused_in_thai_and_what_was_typed_stays():
    at = decision_form_sent("th", "2569", "ข้อสั่งการที่วันไม่ครบ")
    example = periods.typed_day_example("th", clock.today())
    assert [e.value for e in at.error] == [f"อ่าน “2569” เป็นวันที่ไม่ได้ กรุณาพิมพ์ วัน/เดือน/ปี พ.ศ. เช่น {example}"]
    assert at.text_area(key="decisions_form_text").value == "ข้อสั่งการที่วันไม่ครบ"


def test_a_due_date_typed_with_markdown_is_said_as_typed():
    at = decision_form_sent("en", "**1** [x](http://x)", "A decision whose day is not one")
    [error] = [e.value for e in at.error]
    assert error.startswith("“\\*\\*1\\*\\* \\[x\\]\\(http\\://x\\)” cannot be read as a date")  # not bold, no link
