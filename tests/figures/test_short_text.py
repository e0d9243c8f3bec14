"""Short text for tables, charts and documents (cockpit/figures/short_text.py)."""

import itertools

from cockpit.figures import short_text
from cockpit.ui import badges, tables


def test_names_cut_for_a_table_column_never_read_alike():
    """A Thai cell cuts at its right edge and never wraps: lower and upper secondary, cut at their end, read alike;
    each keeps its start and the part that tells them apart. Names that fit stay whole; the rest end in '…'."""
    names = [
        "อัตราการเข้าเรียนอย่างหยาบ ระดับมัธยมศึกษาตอนต้น",
        "อัตราการเข้าเรียนอย่างหยาบ ระดับมัธยมศึกษาตอนปลาย",
        "คะแนนเฉลี่ย O-NET ชั้นมัธยมศึกษาปีที่ 3 (ทุกวิชา)",
        "คะแนนเฉลี่ย O-NET ชั้นมัธยมศึกษาปีที่ 6 (ทุกวิชา)",
        "ร้อยละของผู้ผ่านการอบรมที่นำความรู้ไปใช้ในการทำงาน (การติดตามผล)",
        "อัตราการออกกลางคัน",
    ]
    shown = short_text.fit_column(names, 250)
    assert len(set(shown)) == len(shown)
    assert shown[0].endswith("ตอนต้น") and shown[1].endswith("ตอนปลาย")
    assert shown[2].endswith("3 (ทุกวิชา)") and shown[3].endswith("6 (ทุกวิชา)")
    assert shown[4].endswith("…") and shown[5] == names[5]
    room = 250 - short_text.CELL_PADDING_PX
    assert all(short_text.width_px(s) <= room for s in shown)
    for name, cut in zip(names, shown, strict=True):  # a start of the name, and its end if any
        head, _, tail = cut.partition("…")
        assert name.startswith(head) and name.endswith(tail)


def test_names_are_left_whole_when_the_fonts_cannot_be_read(monkeypatch):
    """A broken install (the served fonts missing, and none like them on the machine): the page still draws, and the
    table cuts the names itself as it did before."""

    def unreadable(script, bold=False):
        raise OSError(f"cannot open resource ({script})")

    monkeypatch.setattr(short_text, "_font", unreadable)
    names = ["อัตราการเข้าเรียนอย่างหยาบ ระดับมัธยมศึกษาตอนต้น", "อัตราการออกกลางคัน"]
    assert short_text.fit_column(names, 250) == names
    assert badges.status_px("th") == badges.STATUS_PX  # a status column of a fixed width, as before
    # A wrapping column: its texts as they are, for the grid to wrap, in rows of the most lines; a column's width
    # the least asked for. (Texts of this test's own: lines_at_words keeps what it measured before.)
    problems = ["ไฟล์ที่อ่านไม่ได้ในการทดสอบแบบอักษร " * 4, "ບໍ່ມີແບບອັກສອນໃນການທົດສອບ"]
    assert tables.wrapped(problems, 300) == (problems, tables.THREE_LINES_PX + 3 * tables.LINE_PX)
    assert tables.text_column_px("พระนครศรีอยุธยา", ["83.5%"], 55) == 55


def test_a_list_of_names_fits_its_lines_and_counts_the_rest():
    """The Quality page's districts that did not report: as many names as three lines of the column hold, the rest
    counted (a province of many districts ran 140 px past its cell in one line)."""
    bangkok = [f"Bang District {n}" for n in range(50)]
    more = "+{} more".format
    shown = short_text.fit_list(bangkok, 164, 3, more)
    assert shown.startswith("Bang District 0, Bang District 1") and shown.endswith(" more")
    kept = shown.count("Bang District")
    assert shown.endswith(f", +{50 - kept} more") and 2 <= kept < 10
    assert short_text._lines(shown, 164 - short_text.CELL_PADDING_PX - 2) <= 3
    assert short_text.fit_list(["Pai", "Mae La Noi"], 164, 3, more) == "Pai, Mae La Noi"  # all fit: no count
    thai = ["เมืองเพชรบูรณ์", "ชนแดน", "หล่มสัก", "หล่มเก่า", "วิเชียรบุรี", "ศรีเทพ", "หนองไผ่", "บึงสามพัน", "น้ำหนาว"]
    shown = short_text.fit_list(thai, 164, 3, more)
    assert shown.startswith("เมืองเพชรบูรณ์, ชนแดน") and short_text._lines(shown, 146) <= 3


def test_thai_and_lao_break_between_their_words():
    """Where a PDF's line may break inside Thai and Lao written without spaces: between words, as the dictionaries
    find them, never inside one ("โรงเรียน", school, broke as "โรง|เรียน"); spaces and Latin text are left alone."""

    def words(text: str) -> list[str]:
        bounds = (0, *short_text.word_starts(text), len(text))
        return [text[a:b] for a, b in itertools.pairwise(bounds)]

    assert words("ส่งทีมฟื้นฟูโรงเรียนที่ถูกน้ำท่วม") == ["ส่ง", "ทีม", "ฟื้นฟู", "โรงเรียน", "ที่", "ถูก", "น้ำท่วม"]
    assert words("ສົ່ງທີມງານໄປຊ່ວຍໂຮງຮຽນ") == ["ສົ່ງ", "ທີມງານ", "ໄປ", "ຊ່ວຍ", "ໂຮງຮຽນ"]
    assert short_text.word_starts("Review the dropout figures") == ()
    assert words("อุบลราชธานี เขต 1") == ["อุบลราชธานี เขต 1"]  # a name, a space: nothing inside


def test_a_wrapping_cell_breaks_thai_and_lao_between_words():
    """The grid wraps at spaces only and broke "อัตราการสำเร็จการศึกษา…" as "…การศึ|กษา…": the lines are broken before,
    between words, each within the cell's room unless one word alone is wider."""
    room = short_text.room_px(135)
    for text in (
        "อัตราการสำเร็จการศึกษาระดับมัธยมศึกษาตอนต้น",
        "คะแนนเฉลี่ยการประเมินคุณภาพผู้เรียน (NT) ชั้นประถมศึกษาปีที่ 3",
        "ອັດຕາສ່ວນນັກຮຽນຊັ້ນ ປ.3 ທີ່ບັນລຸລະດັບຄວາມສາມາດຂັ້ນຕ່ຳ (ພາສາລາວ ແລະ ຄະນິດສາດ)",
    ):
        lines = short_text.lines_at_words(text, 135).split("\n")
        assert len(lines) >= 3
        at, allowed = 0, {*short_text.word_starts(text), *(i + 1 for i, c in enumerate(text) if c == " ")}
        for line in lines[:-1]:  # each line ends where a word does: its text, then a break the text allows
            at = text.index(line, at) + len(line)
            at += text[at] == " "
            assert at in allowed, (text, line)
        assert "".join(lines).replace(" ", "") == text.replace(" ", "")  # nothing lost or added
        assert all(short_text.width_px(line) <= room or short_text.word_starts(line) == () for line in lines)
    english = short_text.lines_at_words("Gross enrolment ratio, lower secondary", 135)
    assert english == "Gross enrolment\nratio, lower\nsecondary"  # at its spaces, as measured
    # and after a hyphen: "Anywhere-Anytime" alone is wider than the room, which the grid broke anywhere
    assert short_text.lines_at_words("Stuck: Anywhere-Anytime learning", 140) == "Stuck: Anywhere-\nAnytime learning"
    assert "O-\n" not in short_text.lines_at_words("Implausible O-NET grade 9 mean", 100)  # "O-NET" stays whole
