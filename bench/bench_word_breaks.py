"""The minutes' PDF with Thai and Lao lines broken between words (`short_text.word_starts`, the dictionaries of
PyThaiNLP and LaoNLP) against the same PDF broken between syllables (before a leading vowel: how `minutes.breakable`
broke them before, kept here as the baseline), in the same run, at scale 1 and 10.

python bench/bench_word_breaks.py [--scales 1 10] [--repeat 5]

Scale 1: a meeting of 6 decisions typed at length in Thai (and in Lao), each 70 to 420 characters; scale 10: 60.
Medians of `--repeat` PDFs, the words' cache emptied before each; the dictionaries' one-off load said apart.
"""

from __future__ import annotations

import argparse
import re
import statistics
import time
from datetime import date, timedelta

import common  # noqa: F401  (puts the project on the path)
import pandas as pd

from cockpit.figures import short_text
from cockpit.meeting import minutes

# Decisions as a meeting secretary types them: a long one and a short one a language.
DECISIONS = {
    "th": (
        "มอบหมายสำนักงานเขตพื้นที่การศึกษาทุกเขตติดตามนักเรียนที่ขาดเรียนเกินสิบห้าวันเป็นรายบุคคล ประสานองค์กรปกครอง"
        "ส่วนท้องถิ่นและโรงพยาบาลส่งเสริมสุขภาพตำบลเพื่อเยี่ยมบ้าน จัดทำทะเบียนนักเรียนกลุ่มเสี่ยงให้แล้วเสร็จภายในหนึ่ง"
        "เดือน และรายงานผลต่อที่ประชุมผู้บริหารทุกไตรมาสจนกว่าอัตราการมาเรียนจะกลับสู่เป้าหมายของแผนพัฒนาการศึกษาจังหวัด",
        "เร่งรัดการจัดสรรครูอัตราจ้างให้โรงเรียนขนาดเล็กที่ขาดครูวิชาคณิตศาสตร์และวิทยาศาสตร์",
    ),
    "lo": (
        "ມອບໃຫ້ຫ້ອງການສຶກສາທິການ ແລະ ກິລາເມືອງທຸກເມືອງຕິດຕາມນັກຮຽນທີ່ຂາດຮຽນເກີນສິບຫ້າວັນເປັນລາຍບຸກຄົນ ປະສານກັບອົງການ"
        "ປົກຄອງບ້ານ ແລະ ສຸກສາລາເພື່ອຢ້ຽມຢາມຄອບຄົວ ສ້າງບັນຊີນັກຮຽນກຸ່ມສ່ຽງໃຫ້ສຳເລັດພາຍໃນໜຶ່ງເດືອນ ແລະ ລາຍງານຕໍ່ກອງປະຊຸມ"
        "ຄະນະນຳທຸກໄຕມາດຈົນກວ່າອັດຕາການມາຮຽນຈະກັບຄືນສູ່ຄາດໝາຍຂອງແຜນພັດທະນາການສຶກສາແຂວງ",
        "ເລັ່ງລັດການບັນຈຸຄູສັນຍາໃຫ້ໂຮງຮຽນຂະໜາດນ້ອຍທີ່ຂາດຄູວິຊາຄະນິດສາດ ແລະ ວິທະຍາສາດ",
    ),
}
OWNERS = {"th": "ผู้อำนวยการสำนักงานเขตพื้นที่การศึกษาประถมศึกษา", "lo": "ຫົວໜ້າພະແນກສຶກສາທິການ ແລະ ກິລາແຂວງ"}
DAY = date(2026, 11, 22)
SYLLABLE_START = re.compile(
    "(?<=[\u0e01-\u0e4e\u0e81-\u0ece])(?=[\u0e40-\u0e44\u0ec0-\u0ec4])|(?<=[\u0e46\u0e2f\u0ec6])(?=[\u0e01-\u0e2e\u0e81-\u0eae])"
)


def by_syllables(text: str) -> str:
    return SYLLABLE_START.sub(minutes.ZWSP, text) if minutes.has_local_script(text) else text


def meeting(lang: str, scale: int) -> minutes.Minutes:
    country = "la" if lang == "lo" else "th"
    texts = DECISIONS[lang] * 3 * scale
    table = pd.DataFrame(
        [
            dict(
                id=n,
                meeting_date=DAY,
                text=text,
                owner=OWNERS[lang],
                due_date=DAY + timedelta(days=30),
                subject_type="area",
                subject_id="67" if country == "th" else "LA-LP",
                status="open",
                done_by=None,
            )
            for n, text in enumerate(texts)
        ]
    )
    return minutes.build(table, country, lang, DAY, OWNERS[lang], {})


def timed(repeat: int, work) -> float:
    times = []
    for _ in range(repeat):
        short_text.word_starts.cache_clear()
        start = time.perf_counter()
        work()
        times.append(time.perf_counter() - start)
    return statistics.median(times) * 1000


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--scales", type=int, nargs="+", default=[1, 10])
    parser.add_argument("--repeat", type=int, default=5)
    args = parser.parse_args()
    start = time.perf_counter()
    short_text.word_starts("โรงเรียน"), short_text.word_starts("ໂຮງຮຽນ")
    print(f"dictionaries loaded once a process: {1000 * (time.perf_counter() - start):.0f} ms\n")
    print("| scale | lang | decisions | syllables (before) | words (after) | × before |")
    print("| --- | --- | --- | --- | --- | --- |")
    words = minutes.breakable
    for scale in args.scales:
        for lang in ("th", "lo"):
            document = meeting(lang, scale)
            minutes.breakable = by_syllables
            before = timed(args.repeat, lambda: minutes.pdf_bytes(document))  # noqa: B023
            minutes.breakable = words
            after = timed(args.repeat, lambda: minutes.pdf_bytes(document))  # noqa: B023
            ratio = after / before
            print(f"| {scale} | {lang} | {len(document.items)} | {before:.0f} ms | {after:.0f} ms | {ratio:.2f} × |")


if __name__ == "__main__":
    main()
