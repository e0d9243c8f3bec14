"""Demo extracts: synthetic but plausible education data for Thailand and Lao PDR.

    python -m cockpit.demo --country th|la [--scale N] [--seed S] [--out data/demo] [--as-of 2026-10-31]
    python -m cockpit.demo --ensure          # what `make run` and `make test` call

writes the eight Parquet extracts of `cockpit.schema` under `<out>/<country>/`, and `demo.json` beside
them (the as-of date, seed and scale they were built for). The as-of date defaults to the last
month-end before today on the app's clock (`cockpit.clock`), so the demo never looks late only
because it is old; `--ensure` rebuilds a set built for an earlier as-of date. The stories are written
for STORY_AS_OF and move with the as-of date by whole months, keeping their place relative to it.

The set is built in a temporary sibling directory, checked with `extracts.check()`, and only then
swapped into place, so a reader never sees a half-written set. Same seed, scale and as-of date:
byte-identical files.

Areas use the real codes and names of the bundled boundaries (`cockpit.geo`); everything else is made
up, shaped to tell the stories a meeting would act on (see `STORIES` below).

Conventions the rest of the cockpit relies on
- Observations are at district level only. Province, region and national figures are aggregated
  from them with the indicator's `aggregation`.
- sum: numerator = value, denominator NULL (never 1).
- ratio: value = scale * numerator / denominator on every row (female and male rows included).
- weighted_mean: numerator = value * weight (e.g. score x students tested), denominator = weight, scale 1.
- parity (gender parity index): the female row holds female enrolled / female population, the male row
  the same for boys (value = scale * numerator / denominator, scale 1); the total row holds the district
  GPI as value and the combined enrolled / population as numerator / denominator, so on that row only
  value != numerator / denominator. Aggregate it from the female and male rows.
- Every KPI has a total row for every district and period (a full grid; a missing row would mean "no data").
  A row whose denominator would be 0 is left out rather than written as 0 / 0; the demo avoids such rows.
- observations.target is the period's point on a national trajectory: flat at the baseline (the national
  value at the start of the plan window, the last 5 years / 60 months / 10 terms) before the window, then
  straight to the indicator's target at the latest period; the target itself when the baseline already
  meets it. Lao ESSDP priority districts get their own trajectory for ECE at age 5 (83%) and primary
  cohort survival (78%). Sum indicators carry the constant target (0). Parity sex rows carry no target.
- Yearly periods: Thai fiscal years (period_start 1 Oct), Lao school years (1 Sep); only complete years
  up to as-of. Monthly: the first of each month, up to as-of's month. Terms (Thailand): 16 May and 1 Nov.
- Budget disbursement is monthly and cumulative within the fiscal year (Thailand Oct-Sep, Lao PDR
  Jan-Dec): numerator = disbursed since the start of the fiscal year, denominator = planned to date.
"""

from __future__ import annotations

import argparse
import calendar
import json
import shutil
import sys
import tempfile
import time
import zlib
from dataclasses import dataclass, field
from datetime import date
from pathlib import Path

import numpy as np
import pandas as pd
import pyarrow as pa
import pyarrow.parquet as pq
import shapely
import shapely.geometry

from cockpit import clock, settings
from cockpit.data import extracts, geo, schema

COUNTRIES = ("th", "la")
DEFAULT_OUT = settings.ROOT / "data" / "demo"
# The stories' dates below are written for this as-of date; any other as-of moves them by whole months.
STORY_AS_OF = date(2026, 10, 31)
MANIFEST = "demo.json"
DEFAULT_SCALE = 1
DEFAULT_SEED = 42

STORIES = """
Thailand
1. North-east flood, Sep-Oct 2026, in Ubon Ratchathani (34), Si Sa Ket (33), Yasothon (35), Roi Et (45),
   Khon Kaen (40) and Maha Sarakham (44): flood incidents, schools_closed / students_affected spike,
   attendance drops.
2. Northern haze, Feb-Apr 2026 (Chiang Mai 50, Chiang Rai 57, Lampang 52, Mae Hong Son 58, Lamphun 51,
   Nan 55, Phayao 56, Phrae 54): closures and attendance dips peaking in March, a smaller dip every March.
3. Dropout rising over the last 3 fiscal years in Tak (63), Phetchabun (67), Narathiwat (96) and
   Mae Hong Son (58) while the nation improves.
4. Violence incidents in Pattani (94), Yala (95), Narathiwat (96); storm damage in Nakhon Si Thammarat (80)
   and flooding in Songkhla (90) in late 2025.
5. Policy `anywhere_anytime_learning` (and its projects) stalled for the last 4 quarters in the provinces
   of regional education office 11 (Sakon Nakhon 47, Nakhon Phanom 48, Mukdahan 49).
6. Data-reporting completeness low in Mae Hong Son (58) and Narathiwat (96) in the last 4 months.
7. A source that really is late: the budget disbursement figures (GFMIS) stop two months before the
   as-of date, so the Blue wall's stamp names them overdue while everything else is current.
Lao PDR
1. Flood in the south (Attapeu LA-AT, Sekong LA-XE, Champasack LA-CH, Salavan LA-SL), Aug-Sep 2026.
2. Dropout rising in Phongsaly (LA-PH) and Houaphan (LA-HO).
3. The 40 priority districts well below the rest on ECE at age 5 and primary cohort survival.
4. The MASS capacity programme (`mass_capacity`) progressing unevenly across provinces, and the
   management skills score rising with it.
5. Budget disbursement lagging in Xaisomboun (LA-XS), Bokeo (LA-BK) and Khammouan (LA-KH) this year.
"""

# --------------------------------------------------------------------------------------------------
# Countries

_COUNTRY = {
    "th": dict(
        cc="TH",
        name_en="Thailand",
        name_local="ประเทศไทย",
        local="name_th",
        year_month=10,  # fiscal year starts 1 October
        fy_month=10,  # budget year = fiscal year
        schools=29_000,
        per_student=4_500.0,  # THB of operating budget per student and year
        pop_growth=-0.015,  # school-age population shrinks 1.5% a year
        female_pop=0.488,
        female_staff=0.70,
        small_school=120,
        target_horizon=1,  # targets are for FY2570, a year after the latest complete fiscal year
    ),
    "la": dict(
        cc="LA",
        name_en="Lao PDR",
        name_local="ສາທາລະນະລັດ ປະຊາທິປະໄຕ ປະຊາຊົນລາວ",
        local="name_lo",
        year_month=9,  # school year starts 1 September
        fy_month=1,  # Lao fiscal year = calendar year
        schools=9_000,
        per_student=250_000.0,  # LAK
        pop_growth=0.012,
        female_pop=0.492,
        female_staff=0.35,
        small_school=120,
        target_horizon=0,  # ESSDP 2021-2025 targets are for the 2025-26 school year, the latest
    ),
}

# The ESSDP's 40 priority districts. The real list was not available to us: this is a demo choice of
# 40 poor, remote districts (mostly Phongsaly, Houaphan, Oudomxai, Louangnamtha, Xaisomboun, Sekong,
# Salavan, Attapeu and the east of Savannakhet), not the Ministry's list.
LA_PRIORITY_DISTRICTS = (
    "LA0202",
    "LA0203",
    "LA0204",
    "LA0205",
    "LA0206",
    "LA0207",  # Phongsaly
    "LA0303",
    "LA0304",
    "LA0305",  # Louangnamtha
    "LA0402",
    "LA0403",
    "LA0404",
    "LA0406",
    "LA0407",  # Oudomxai
    "LA0702",
    "LA0703",
    "LA0705",
    "LA0706",
    "LA0707",
    "LA0708",
    "LA0709",
    "LA0710",  # Houaphan
    "LA1206",  # Khammouan (Bualapha)
    "LA1305",
    "LA1306",
    "LA1307",
    "LA1312",  # Savannakhet, east
    "LA1402",
    "LA1403",
    "LA1408",  # Salavan
    "LA1502",
    "LA1503",
    "LA1504",  # Sekong
    "LA1703",
    "LA1704",
    "LA1705",  # Attapeu
    "LA1802",
    "LA1803",
    "LA1804",
    "LA1805",  # Xaisomboun
)

# Prior disadvantage by province (positive = poorer, remoter); district noise is added on top.
_TH_REGION_Z = {"north": 0.3, "northeast": 0.55, "central": -0.35, "east": -0.3, "west": 0.1, "south": 0.15}
_TH_PROVINCE_Z = {
    "10": -1.6,
    "11": -0.9,
    "12": -1.0,
    "13": -0.8,
    "73": -0.5,
    "74": -0.5,
    "83": -0.8,
    "20": -0.7,
    "21": -0.5,
    "50": -0.2,
    "40": -0.1,
    "90": -0.1,
    "94": 1.5,
    "95": 1.3,
    "96": 1.6,
    "58": 1.9,
    "63": 1.3,
    "55": 0.7,
    "57": 0.4,
    "67": 0.6,
    "33": 0.6,
    "32": 0.5,
    "38": 0.5,
    "39": 0.5,
    "31": 0.3,
    "36": 0.3,
    "37": 0.3,
    "46": 0.3,
    "48": 0.3,
    "49": 0.3,
    "71": 0.5,
}
_LA_PROVINCE_Z = {
    "LA-VT": -1.6,
    "LA-PH": 1.0,
    "LA-LM": 0.5,
    "LA-OU": 0.6,
    "LA-BK": 0.3,
    "LA-LP": -0.1,
    "LA-HO": 0.9,
    "LA-XA": -0.1,
    "LA-XI": 0.2,
    "LA-VI": -0.4,
    "LA-BL": -0.1,
    "LA-KH": 0.1,
    "LA-SV": 0.0,
    "LA-SL": 0.6,
    "LA-XE": 0.9,
    "LA-CH": -0.3,
    "LA-AT": 0.6,
    "LA-XS": 0.7,
}

TH_FLOOD_PROVINCES = ("34", "33", "35", "45", "40", "44")
TH_HAZE_PROVINCES = ("50", "57", "52", "58", "51", "55", "56", "54")
TH_DROPOUT_PROVINCES = ("63", "67", "96", "58")
TH_DEEP_SOUTH = ("94", "95", "96")
TH_LATE_REPORTING = ("58", "96")
TH_LATE_SOURCE, TH_LATE_SOURCE_MONTHS = "budget_disbursement_rate", 2  # months not yet delivered
TH_STALLED_POLICY = "anywhere_anytime_learning"
TH_STALLED_PROVINCES = ("47", "48", "49")  # regional education office 11
LA_FLOOD_PROVINCES = ("LA-AT", "LA-XE", "LA-CH", "LA-SL")
LA_DROPOUT_PROVINCES = ("LA-PH", "LA-HO")
LA_BUDGET_LAG_PROVINCES = ("LA-XS", "LA-BK", "LA-KH")
LA_UXO_PROVINCES = ("LA-XI", "LA-HO", "LA-SV", "LA-SL", "LA-XE", "LA-AT")

_TH_REGION6_NAMES = {
    "north": ("North", "ภาคเหนือ"),
    "northeast": ("Northeast", "ภาคตะวันออกเฉียงเหนือ"),
    "central": ("Central", "ภาคกลาง"),
    "east": ("East", "ภาคตะวันออก"),
    "west": ("West", "ภาคตะวันตก"),
    "south": ("South", "ภาคใต้"),
}
_LA_REGION_NAMES = {"north": ("North", "ພາກເໜືອ"), "central": ("Central", "ພາກກາງ"), "south": ("South", "ພາກໃຕ້")}


# --------------------------------------------------------------------------------------------------
# The indicator catalogue (demo data, not product code). Per country: target, amber, red, source and
# the generator's parameters `g`:
#   m mean district value in the latest period, s spread (value units per unit of disadvantage),
#   tr improvement per year, nz noise per period, lo/hi bounds, den basis of the denominator and df its
#   factor, gap female minus male, gz extra female gap per unit of disadvantage, prio extra shortfall in
#   Lao priority districts, rho correlation with the common disadvantage.


@dataclass(frozen=True)
class Indicator:
    id: str
    kind: str
    wall: str
    parent: str | None
    names: tuple[str, str, str]  # en, th, lo
    questions: tuple[str, str, str]
    unit: str = "%"
    decimals: int = 1
    direction: str = "higher_is_better"
    aggregation: str = "ratio"
    scale: float = 100.0
    frequency: str = "year"
    model: str = "rate"
    sex: bool = False
    th: dict | None = None
    la: dict | None = None

    def spec(self, country: str) -> dict | None:
        return self.th if country == "th" else self.la


def _goal(id_, parent, names, questions, kind, th_source, la_source) -> Indicator:
    return Indicator(
        id_,
        kind,
        "black",
        parent,
        names,
        questions,
        unit="",
        decimals=0,
        scale=1.0,
        model="none",
        th=dict(source=th_source),
        la=dict(source=la_source),
    )


# fmt: off
_NEP = "National Education Plan 2017-2036"
_ESSDP = "ESSDP 2021-2025"

CATALOGUE: tuple[Indicator, ...] = (
    # X: national goals
    _goal(
        "goal_every_child_in_school", None,
        ("Every child in school", "เด็กทุกคนได้เข้าเรียน", "ເດັກທຸກຄົນໄດ້ເຂົ້າໂຮງຮຽນ"),
        ("Is every child in school?", "เด็กทุกคนได้เข้าเรียนแล้วหรือไม่", "ເດັກທຸກຄົນໄດ້ເຂົ້າໂຮງຮຽນແລ້ວບໍ?"),
        "goal", _NEP, _ESSDP,
    ),
    _goal(
        "goal_every_child_learning", None,
        ("Every child learning", "เด็กทุกคนได้เรียนรู้อย่างมีคุณภาพ", "ເດັກທຸກຄົນໄດ້ຮຽນຮູ້ຢ່າງມີຄຸນນະພາບ"),
        ("Are children learning what they should?", "เด็กได้เรียนรู้ตามที่ควรจะเป็นหรือไม่",
         "ເດັກໄດ້ຮຽນຮູ້ຕາມທີ່ຄວນບໍ?"),
        "goal", _NEP, _ESSDP,
    ),
    _goal(
        "goal_capable_administration", None,
        ("Capable, accountable education administration",
         "การบริหารจัดการศึกษาที่มีประสิทธิภาพและตรวจสอบได้",
         "ການຄຸ້ມຄອງການສຶກສາທີ່ມີຄວາມສາມາດ ແລະ ມີຄວາມຮັບຜິດຊອບ"),
        ("Is education managed well and accountably?", "การบริหารจัดการศึกษามีประสิทธิภาพและตรวจสอบได้หรือไม่",
         "ການຄຸ້ມຄອງການສຶກສາມີປະສິດທິພາບ ແລະ ມີຄວາມຮັບຜິດຊອບບໍ?"),
        "goal", _NEP, _ESSDP,
    ),
    # Y: plan targets
    _goal(
        "tgt_participation", "goal_every_child_in_school",
        ("Universal participation from early childhood to upper secondary",
         "เด็กทุกช่วงวัยได้เข้าเรียนตั้งแต่ปฐมวัยถึงมัธยมศึกษาตอนปลาย",
         "ເດັກທຸກໄວໄດ້ເຂົ້າຮຽນແຕ່ອະນຸບານຮອດມັດທະຍົມຕອນປາຍ"),
        ("Are enough children enrolled at every level?", "เด็กได้เข้าเรียนครบทุกระดับหรือไม่",
         "ເດັກເຂົ້າຮຽນພຽງພໍໃນທຸກຂັ້ນບໍ?"),
        "target", _NEP, _ESSDP,
    ),
    _goal(
        "tgt_retention", "goal_every_child_in_school",
        ("Children stay in school and complete it", "เด็กเรียนต่อเนื่องจนจบการศึกษา", "ເດັກຮຽນຕໍ່ເນື່ອງຈົນຈົບການສຶກສາ"),
        ("Are children staying in school until they finish?", "เด็กเรียนต่อเนื่องจนจบหรือไม่",
         "ເດັກຮຽນຕໍ່ເນື່ອງຈົນຈົບບໍ?"),
        "target", _NEP, _ESSDP,
    ),
    _goal(
        "tgt_equity", "goal_every_child_in_school",
        ("Girls, poor and remote children get a fair chance",
         "เด็กหญิง เด็กยากจน และเด็กในพื้นที่ห่างไกลได้รับโอกาสอย่างเท่าเทียม",
         "ເດັກຍິງ, ເດັກທຸກຍາກ ແລະ ເດັກເຂດຫ່າງໄກ ໄດ້ຮັບໂອກາດຢ່າງສະເໝີພາບ"),
        ("Do girls, poor and remote children get a fair chance?",
         "เด็กหญิง เด็กยากจน และเด็กในพื้นที่ห่างไกลได้รับโอกาสอย่างเท่าเทียมหรือไม่",
         "ເດັກຍິງ, ເດັກທຸກຍາກ ແລະ ເດັກເຂດຫ່າງໄກ ໄດ້ຮັບໂອກາດຢ່າງສະເໝີພາບບໍ?"),
        "target", _NEP, _ESSDP,
    ),
    _goal(
        "tgt_learning_outcomes", "goal_every_child_learning",
        ("Learning outcomes rise in every province", "ผลสัมฤทธิ์ทางการเรียนสูงขึ้นในทุกจังหวัด", "ຜົນການຮຽນສູງຂຶ້ນໃນທຸກແຂວງ"),
        ("Are test results rising everywhere?", "ผลการทดสอบสูงขึ้นในทุกพื้นที่หรือไม่", "ຜົນການສອບເສັງສູງຂຶ້ນໃນທຸກບ່ອນບໍ?"),
        "target", _NEP, _ESSDP,
    ),
    _goal(
        "tgt_safe_resourced_schools", "goal_every_child_learning",
        ("Safe schools with enough teachers and facilities", "โรงเรียนปลอดภัย มีครูและสิ่งอำนวยความสะดวกเพียงพอ",
         "ໂຮງຮຽນປອດໄພ ມີຄູ ແລະ ສິ່ງອຳນວຍຄວາມສະດວກພຽງພໍ"),
        ("Are schools safe, open and properly equipped?", "โรงเรียนปลอดภัย เปิดสอนได้ และมีความพร้อมหรือไม่",
         "ໂຮງຮຽນປອດໄພ, ເປີດສອນໄດ້ ແລະ ມີຄວາມພ້ອມບໍ?"),
        "target", _NEP, _ESSDP,
    ),
    _goal(
        "tgt_efficient_management", "goal_capable_administration",
        ("Efficient, data-driven management", "การบริหารจัดการที่มีประสิทธิภาพและใช้ข้อมูลเป็นฐาน",
         "ການຄຸ້ມຄອງທີ່ມີປະສິດທິພາບ ແລະ ອີງໃສ່ຂໍ້ມູນ"),
        ("Are offices managing money, people and data well?", "หน่วยงานบริหารงบประมาณ บุคลากร และข้อมูลได้ดีหรือไม่",
         "ຫ້ອງການຄຸ້ມຄອງງົບປະມານ, ບຸກຄະລາກອນ ແລະ ຂໍ້ມູນໄດ້ດີບໍ?"),
        "target", _NEP, _ESSDP,
    ),
    # Z: KPIs, black wall (results)
    Indicator(
        "ger_pre_primary", "kpi", "black", "tgt_participation",
        ("Gross enrolment ratio, pre-primary", "อัตราการเข้าเรียนอย่างหยาบ ระดับก่อนประถมศึกษา",
         "ອັດຕາການເຂົ້າຮຽນລວມ ຂັ້ນອະນຸບານ"),
        ("Are young children getting early education?", "เด็กเล็กได้รับการศึกษาปฐมวัยหรือไม่",
         "ເດັກນ້ອຍໄດ້ຮັບການສຶກສາປະຖົມໄວບໍ?"),
        sex=True,
        th=dict(target=95, amber=85, red=75, source="OBEC EMIS (DMC); DOPA civil registration",
                g=dict(m=84, s=5, tr=0.6, nz=0.8, lo=40, hi=115, den="pop_pre", gap=0.5)),
        la=dict(target=60, amber=50, red=38, source="LESMIS",
                g=dict(m=52, s=11, tr=2.0, nz=1.0, lo=8, hi=110, den="pop_pre", gap=0.0, gz=-1.0)),
    ),
    Indicator(
        "ner_primary", "kpi", "black", "tgt_participation",
        ("Net enrolment rate, primary", "อัตราการเข้าเรียนสุทธิ ระดับประถมศึกษา", "ອັດຕາການເຂົ້າຮຽນສຸດທິ ຂັ້ນປະຖົມ"),
        ("Are primary-age children in primary school?", "เด็กวัยประถมได้เรียนชั้นประถมศึกษาหรือไม่",
         "ເດັກໄວປະຖົມໄດ້ຮຽນຊັ້ນປະຖົມບໍ?"),
        sex=True,
        th=dict(target=99, amber=95, red=92, source="OBEC EMIS (DMC); DOPA civil registration",
                g=dict(m=95.5, s=2.4, tr=0.2, nz=0.4, lo=80, hi=99.8, den="pop_primary", gap=0.2)),
        la=dict(target=99, amber=97, red=94, source="LESMIS",
                g=dict(m=97, s=1.6, tr=0.3, nz=0.4, lo=80, hi=99.8, den="pop_primary", gap=-0.4, gz=-0.5)),
    ),
    Indicator(
        "ger_lower_secondary", "kpi", "black", "tgt_participation",
        ("Gross enrolment ratio, lower secondary", "อัตราการเข้าเรียนอย่างหยาบ ระดับมัธยมศึกษาตอนต้น",
         "ອັດຕາການເຂົ້າຮຽນລວມ ຂັ້ນມັດທະຍົມຕອນຕົ້ນ"),
        ("Are teenagers enrolled in lower secondary?", "วัยรุ่นได้เรียนชั้นมัธยมศึกษาตอนต้นหรือไม่",
         "ໄວໜຸ່ມໄດ້ຮຽນຊັ້ນມັດທະຍົມຕອນຕົ້ນບໍ?"),
        sex=True,
        th=dict(target=100, amber=95, red=88, source="OBEC EMIS (DMC); DOPA civil registration",
                g=dict(m=96, s=4, tr=0.3, nz=0.8, lo=70, hi=120, den="pop_lsec", gap=1.0)),
        la=dict(target=90, amber=80, red=68, source="LESMIS",
                g=dict(m=78, s=10, tr=1.2, nz=1.0, lo=30, hi=115, den="pop_lsec", gap=-2.0, gz=-1.5)),
    ),
    Indicator(
        "ger_upper_secondary", "kpi", "black", "tgt_participation",
        ("Gross enrolment ratio, upper secondary", "อัตราการเข้าเรียนอย่างหยาบ ระดับมัธยมศึกษาตอนปลาย",
         "ອັດຕາການເຂົ້າຮຽນລວມ ຂັ້ນມັດທະຍົມຕອນປາຍ"),
        ("Are young people continuing to upper secondary?", "เยาวชนได้เรียนต่อชั้นมัธยมศึกษาตอนปลายหรือไม่",
         "ຊາວໜຸ່ມໄດ້ຮຽນຕໍ່ຊັ້ນມັດທະຍົມຕອນປາຍບໍ?"),
        sex=True,
        th=dict(target=90, amber=80, red=70, source="OBEC and OVEC EMIS; DOPA civil registration",
                g=dict(m=80, s=7, tr=0.6, nz=1.0, lo=40, hi=115, den="pop_usec", gap=6.0)),
        la=dict(target=60, amber=48, red=35, source="LESMIS",
                g=dict(m=48, s=14, tr=1.5, nz=1.0, lo=8, hi=100, den="pop_usec", gap=-3.0, gz=-2.0)),
    ),
    Indicator(
        "out_of_school_rate", "kpi", "black", "tgt_participation",
        ("Out-of-school rate, ages 6-14", "อัตราเด็กนอกระบบการศึกษา อายุ 6-14 ปี", "ອັດຕາເດັກນອກໂຮງຮຽນ ອາຍຸ 6-14 ປີ"),
        ("How many school-age children are out of school?", "เด็กวัยเรียนอยู่นอกระบบการศึกษามากน้อยเพียงใด",
         "ເດັກໄວຮຽນຢູ່ນອກໂຮງຮຽນຫຼາຍປານໃດ?"),
        direction="lower_is_better",
        th=dict(target=1, amber=3, red=5, source="OBEC EMIS (DMC) matched with DOPA civil registration",
                g=dict(m=3.2, s=1.2, tr=0.2, nz=0.2, lo=0.3, hi=15, den="pop_6_14")),
        la=dict(target=4, amber=7, red=12, source="LESMIS; Lao Statistics Bureau population projections",
                g=dict(m=8, s=3.5, tr=0.6, nz=0.4, lo=1, hi=35, den="pop_6_14")),
    ),
    Indicator(
        "dropout_rate", "kpi", "black", "tgt_retention",
        ("Dropout rate, basic education", "อัตราการออกกลางคัน ระดับการศึกษาขั้นพื้นฐาน", "ອັດຕາການປະລະການຮຽນ ການສຶກສາຂັ້ນພື້ນຖານ"),
        ("Are more children staying in school than last year?", "เด็กอยู่ในระบบการศึกษามากกว่าปีที่แล้วหรือไม่",
         "ເດັກຢູ່ໃນໂຮງຮຽນຫຼາຍກວ່າປີກາຍບໍ?"),
        direction="lower_is_better", decimals=2, sex=True,
        th=dict(target=0.5, amber=1.2, red=2.0, source="OBEC EMIS (DMC)",
                g=dict(m=0.9, s=0.3, tr=0.06, nz=0.05, lo=0.1, hi=6, den="students", gap=-0.25)),
        la=dict(target=3, amber=5, red=8, source="LESMIS",
                g=dict(m=4.2, s=1.3, tr=0.25, nz=0.15, lo=0.5, hi=15, den="students", gap=-0.3)),
    ),
    Indicator(
        "transition_primary_lower_secondary", "kpi", "black", "tgt_retention",
        ("Transition rate, primary to lower secondary", "อัตราการศึกษาต่อจากประถมศึกษาสู่มัธยมศึกษาตอนต้น",
         "ອັດຕາການເລື່ອນຈາກຂັ້ນປະຖົມຂຶ້ນມັດທະຍົມຕອນຕົ້ນ"),
        ("Do children who finish primary go on to secondary?", "เด็กที่จบประถมศึกษาได้เรียนต่อมัธยมศึกษาหรือไม่",
         "ເດັກທີ່ຈົບປະຖົມໄດ້ຮຽນຕໍ່ມັດທະຍົມບໍ?"),
        th=dict(target=100, amber=96, red=93, source="OBEC EMIS (DMC)",
                g=dict(m=97, s=2.0, tr=0.2, nz=0.4, lo=80, hi=100, den="grade_cohort")),
        la=dict(target=95, amber=88, red=80, source="LESMIS",
                g=dict(m=88, s=5, tr=0.8, nz=0.8, lo=55, hi=100, den="grade_cohort")),
    ),
    Indicator(
        "completion_lower_secondary", "kpi", "black", "tgt_retention",
        ("Completion rate, lower secondary", "อัตราการสำเร็จการศึกษาระดับมัธยมศึกษาตอนต้น", "ອັດຕາການຮຽນຈົບຂັ້ນມັດທະຍົມຕອນຕົ້ນ"),
        ("Are students completing lower secondary?", "นักเรียนสำเร็จการศึกษาชั้นมัธยมศึกษาตอนต้นหรือไม่",
         "ນັກຮຽນຮຽນຈົບຊັ້ນມັດທະຍົມຕອນຕົ້ນບໍ?"),
        th=dict(target=95, amber=88, red=80, source="OBEC EMIS (DMC)",
                g=dict(m=89, s=5.5, tr=0.4, nz=0.6, lo=60, hi=100, den="grade_cohort")),
        la=dict(target=75, amber=62, red=50, source="LESMIS",
                g=dict(m=60, s=11, tr=1.5, nz=1.0, lo=20, hi=100, den="grade_cohort")),
    ),
    Indicator(
        "repetition_rate", "kpi", "black", "tgt_retention",
        ("Repetition rate, primary", "อัตราการซ้ำชั้น ระดับประถมศึกษา", "ອັດຕາການຊ້ຳຊັ້ນ ຂັ້ນປະຖົມ"),
        ("Are fewer children repeating a grade?", "เด็กซ้ำชั้นน้อยลงหรือไม่", "ເດັກຊ້ຳຊັ້ນໜ້ອຍລົງບໍ?"),
        direction="lower_is_better",
        th=dict(target=0.5, amber=1.2, red=2.0, source="OBEC EMIS (DMC)",
                g=dict(m=1.0, s=0.45, tr=0.05, nz=0.08, lo=0.1, hi=5, den="pop_primary")),
        la=dict(target=3, amber=6, red=9, source="LESMIS",
                g=dict(m=6.5, s=2.3, tr=0.4, nz=0.3, lo=1, hi=20, den="pop_primary")),
    ),
    Indicator(
        "ece_age5", "kpi", "black", "tgt_participation",
        ("ECE enrolment rate, age 5", "อัตราการเข้าเรียนการศึกษาปฐมวัยของเด็กอายุ 5 ปี",
         "ອັດຕາການເຂົ້າຮຽນການສຶກສາປະຖົມໄວ ຂອງເດັກອາຍຸ 5 ປີ"),
        ("Are five-year-olds in early childhood education?", "เด็กอายุ 5 ปีได้เข้าเรียนระดับปฐมวัยหรือไม่",
         "ເດັກອາຍຸ 5 ປີໄດ້ເຂົ້າຮຽນການສຶກສາປະຖົມໄວບໍ?"),
        la=dict(target=86, target_priority=83, amber=80, red=70, source="LESMIS (ESSDP indicator)",
                g=dict(m=82, s=6, tr=1.6, nz=0.8, lo=30, hi=100, den="pop_5", prio=10)),
    ),
    Indicator(
        "cohort_survival_primary", "kpi", "black", "tgt_retention",
        ("Primary cohort survival rate to grade 5", "อัตราการคงอยู่ของนักเรียนถึงชั้นประถมศึกษาปีที่ 5",
         "ອັດຕາການຄົງຕົວຂອງນັກຮຽນຮອດຊັ້ນ ປ.5"),
        ("How many pupils who start grade 1 reach grade 5?", "นักเรียนที่เข้าชั้น ป.1 เรียนถึงชั้น ป.5 มากน้อยเพียงใด",
         "ນັກຮຽນທີ່ເຂົ້າຊັ້ນ ປ.1 ຮຽນຮອດຊັ້ນ ປ.5 ຫຼາຍປານໃດ?"),
        la=dict(target=90, target_priority=78, amber=85, red=75, source="LESMIS (ESSDP indicator)",
                g=dict(m=86, s=5, tr=1.2, nz=0.8, lo=40, hi=100, den="grade_cohort", prio=10)),
    ),
    Indicator(
        "onet_g6_mean", "kpi", "black", "tgt_learning_outcomes",
        ("O-NET mean score, grade 6 (all subjects)", "คะแนนเฉลี่ย O-NET ชั้นประถมศึกษาปีที่ 6 (ทุกวิชา)",
         "ຄະແນນສະເລ່ຍ O-NET ຊັ້ນ ປ.6 (ທຸກວິຊາ)"),
        ("Are grade 6 pupils scoring higher on O-NET?", "นักเรียนชั้น ป.6 ได้คะแนน O-NET สูงขึ้นหรือไม่",
         "ນັກຮຽນຊັ້ນ ປ.6 ໄດ້ຄະແນນ O-NET ສູງຂຶ້ນບໍ?"),
        unit="score", aggregation="weighted_mean", scale=1.0, model="score",
        th=dict(target=45, amber=38, red=33, source="NIETS O-NET",
                g=dict(m=38, s=3.5, tr=0.3, nz=0.8, lo=20, hi=65, den="grade_cohort", df=0.97)),
    ),
    Indicator(
        "onet_g9_mean", "kpi", "black", "tgt_learning_outcomes",
        ("O-NET mean score, grade 9 (all subjects)", "คะแนนเฉลี่ย O-NET ชั้นมัธยมศึกษาปีที่ 3 (ทุกวิชา)",
         "ຄະແນນສະເລ່ຍ O-NET ຊັ້ນ ມ.3 (ທຸກວິຊາ)"),
        ("Are grade 9 students scoring higher on O-NET?", "นักเรียนชั้น ม.3 ได้คะแนน O-NET สูงขึ้นหรือไม่",
         "ນັກຮຽນຊັ້ນ ມ.3 ໄດ້ຄະແນນ O-NET ສູງຂຶ້ນບໍ?"),
        unit="score", aggregation="weighted_mean", scale=1.0, model="score",
        th=dict(target=38, amber=31, red=27, source="NIETS O-NET",
                g=dict(m=31, s=3, tr=0.25, nz=0.7, lo=18, hi=55, den="grade_cohort", df=0.9)),
    ),
    Indicator(
        "onet_g12_mean", "kpi", "black", "tgt_learning_outcomes",
        ("O-NET mean score, grade 12 (all subjects)", "คะแนนเฉลี่ย O-NET ชั้นมัธยมศึกษาปีที่ 6 (ทุกวิชา)",
         "ຄະແນນສະເລ່ຍ O-NET ຊັ້ນ ມ.6 (ທຸກວິຊາ)"),
        ("Are grade 12 students scoring higher on O-NET?", "นักเรียนชั้น ม.6 ได้คะแนน O-NET สูงขึ้นหรือไม่",
         "ນັກຮຽນຊັ້ນ ມ.6 ໄດ້ຄະແນນ O-NET ສູງຂຶ້ນບໍ?"),
        unit="score", aggregation="weighted_mean", scale=1.0, model="score",
        th=dict(target=35, amber=29, red=25, source="NIETS O-NET",
                g=dict(m=29, s=3, tr=0.2, nz=0.7, lo=16, hi=55, den="grade_cohort", df=0.7)),
    ),
    Indicator(
        "nt_g3_mean", "kpi", "black", "tgt_learning_outcomes",
        ("NT mean score, grade 3 (literacy and numeracy)", "คะแนนเฉลี่ยการประเมินคุณภาพผู้เรียน (NT) ชั้นประถมศึกษาปีที่ 3",
         "ຄະແນນສະເລ່ຍການປະເມີນ NT ຊັ້ນ ປ.3"),
        ("Can grade 3 pupils read, write and calculate?", "นักเรียนชั้น ป.3 อ่านออก เขียนได้ คิดเลขเป็นหรือไม่",
         "ນັກຮຽນຊັ້ນ ປ.3 ອ່ານອອກ ຂຽນໄດ້ ແລະ ຄິດໄລ່ເລກເປັນບໍ?"),
        unit="score", aggregation="weighted_mean", scale=1.0, model="score",
        th=dict(target=60, amber=50, red=42, source="OBEC Bureau of Educational Testing (NT)",
                g=dict(m=50, s=5, tr=0.5, nz=1.0, lo=25, hi=80, den="grade_cohort", df=0.98)),
    ),
    Indicator(
        "rt_g1_mean", "kpi", "black", "tgt_learning_outcomes",
        ("RT reading score, grade 1", "คะแนนเฉลี่ยการประเมินความสามารถด้านการอ่าน (RT) ชั้นประถมศึกษาปีที่ 1",
         "ຄະແນນສະເລ່ຍການປະເມີນການອ່ານ RT ຊັ້ນ ປ.1"),
        ("Are grade 1 pupils learning to read?", "นักเรียนชั้น ป.1 อ่านออกหรือไม่", "ນັກຮຽນຊັ້ນ ປ.1 ອ່ານອອກບໍ?"),
        unit="score", aggregation="weighted_mean", scale=1.0, model="score",
        th=dict(target=80, amber=70, red=60, source="OBEC Bureau of Educational Testing (RT)",
                g=dict(m=70, s=5, tr=0.5, nz=1.0, lo=40, hi=95, den="grade_cohort", df=0.98)),
    ),
    Indicator(
        "assessment_g3_min_proficiency", "kpi", "black", "tgt_learning_outcomes",
        ("Grade 3 pupils reaching minimum proficiency (Lao language and mathematics)",
         "ร้อยละของนักเรียนชั้น ป.3 ที่มีผลการประเมินถึงเกณฑ์ขั้นต่ำ (ภาษาลาวและคณิตศาสตร์)",
         "ອັດຕາສ່ວນນັກຮຽນຊັ້ນ ປ.3 ທີ່ບັນລຸລະດັບຄວາມສາມາດຂັ້ນຕ່ຳ (ພາສາລາວ ແລະ ຄະນິດສາດ)"),
        ("Are grade 3 pupils reaching the minimum level in reading and maths?",
         "นักเรียนชั้น ป.3 อ่านและคิดเลขได้ถึงเกณฑ์ขั้นต่ำหรือไม่",
         "ນັກຮຽນຊັ້ນ ປ.3 ອ່ານ ແລະ ຄິດໄລ່ເລກໄດ້ຮອດເກນຂັ້ນຕ່ຳບໍ?"),
        la=dict(target=50, amber=33, red=22, source="ASLO national assessment (RIES)",
                g=dict(m=33, s=9, tr=1.0, nz=1.5, lo=3, hi=90, den="grade_cohort", df=0.9)),
    ),
    Indicator(
        "assessment_g5_min_proficiency", "kpi", "black", "tgt_learning_outcomes",
        ("Grade 5 pupils reaching minimum proficiency (Lao language and mathematics)",
         "ร้อยละของนักเรียนชั้น ป.5 ที่มีผลการประเมินถึงเกณฑ์ขั้นต่ำ (ภาษาลาวและคณิตศาสตร์)",
         "ອັດຕາສ່ວນນັກຮຽນຊັ້ນ ປ.5 ທີ່ບັນລຸລະດັບຄວາມສາມາດຂັ້ນຕ່ຳ (ພາສາລາວ ແລະ ຄະນິດສາດ)"),
        ("Are grade 5 pupils reaching the minimum level in reading and maths?",
         "นักเรียนชั้น ป.5 อ่านและคิดเลขได้ถึงเกณฑ์ขั้นต่ำหรือไม่",
         "ນັກຮຽນຊັ້ນ ປ.5 ອ່ານ ແລະ ຄິດໄລ່ເລກໄດ້ຮອດເກນຂັ້ນຕ່ຳບໍ?"),
        la=dict(target=40, amber=26, red=16, source="ASLO national assessment (RIES)",
                g=dict(m=26, s=8, tr=0.8, nz=1.5, lo=2, hi=85, den="grade_cohort", df=0.85)),
    ),
    Indicator(
        "gpi_primary", "kpi", "black", "tgt_equity",
        ("Gender parity index, primary gross enrolment", "ดัชนีความเท่าเทียมทางเพศ อัตราการเข้าเรียนอย่างหยาบ ระดับประถมศึกษา",
         "ດັດຊະນີຄວາມສະເໝີພາບຍິງ-ຊາຍ ອັດຕາການເຂົ້າຮຽນລວມ ຂັ້ນປະຖົມ"),
        ("Are girls enrolled as often as boys?", "เด็กหญิงได้เข้าเรียนเท่าเทียมกับเด็กชายหรือไม่",
         "ເດັກຍິງໄດ້ເຂົ້າຮຽນເທົ່າທຽມກັບເດັກຊາຍບໍ?"),
        unit="index", decimals=2, aggregation="parity", scale=1.0, model="parity", sex=True,
        th=dict(target=1.0, amber=0.97, red=0.94, source="OBEC EMIS (DMC); DOPA civil registration",
                g=dict(m=0.982, s=0.022, tr=0.002, nz=0.004, lo=0.85, hi=1.08, ger=102, ger_s=3, den="pop_primary")),
        la=dict(target=1.0, amber=0.97, red=0.94, source="LESMIS",
                g=dict(m=0.96, s=0.025, tr=0.005, nz=0.005, lo=0.8, hi=1.06, ger=106, ger_s=6, den="pop_primary")),
    ),
    Indicator(
        "poor_students_supported", "kpi", "black", "tgt_equity",
        ("Poor students receiving support", "ร้อยละของนักเรียนยากจนที่ได้รับเงินอุดหนุน", "ອັດຕາສ່ວນນັກຮຽນທຸກຍາກທີ່ໄດ້ຮັບການຊ່ວຍເຫຼືອ"),
        ("Are poor students getting the support they are entitled to?", "นักเรียนยากจนได้รับความช่วยเหลือตามสิทธิหรือไม่",
         "ນັກຮຽນທຸກຍາກໄດ້ຮັບການຊ່ວຍເຫຼືອຕາມສິດບໍ?"),
        th=dict(target=100, amber=90, red=80, frequency="term",
                source="Equitable Education Fund (EEF) conditional cash transfer records",
                g=dict(m=91, s=5.5, tr=0.8, nz=1.0, lo=50, hi=100, den="poor")),
        la=dict(target=80, amber=60, red=45, source="LESMIS; school meals and stipend programme",
                g=dict(m=60, s=12, tr=2.0, nz=1.5, lo=10, hi=100, den="poor", rho=0.3)),
    ),
    # red wall (crises)
    Indicator(
        "schools_closed", "kpi", "red", "tgt_safe_resourced_schools",
        ("Schools closed", "จำนวนโรงเรียนที่ต้องปิดการเรียนการสอน", "ຈຳນວນໂຮງຮຽນທີ່ຕ້ອງປິດການຮຽນການສອນ"),
        ("How many schools are closed right now, and where?", "ขณะนี้มีโรงเรียนปิดการเรียนการสอนกี่แห่ง ที่ไหนบ้าง",
         "ຕອນນີ້ມີໂຮງຮຽນປິດຈັກແຫ່ງ ແລະ ຢູ່ໃສແດ່?"),
        unit="count", decimals=0, direction="lower_is_better", aggregation="sum", scale=1.0, frequency="month",
        model="closed",
        th=dict(target=0, amber=0, red=5, source="MOE incident reports"),
        la=dict(target=0, amber=0, red=5, source="MoES incident reports"),
    ),
    Indicator(
        "students_affected", "kpi", "red", "tgt_safe_resourced_schools",
        ("Students affected by emergencies", "จำนวนนักเรียนที่ได้รับผลกระทบจากภัยพิบัติและเหตุฉุกเฉิน",
         "ຈຳນວນນັກຮຽນທີ່ໄດ້ຮັບຜົນກະທົບຈາກໄພພິບັດ ແລະ ເຫດສຸກເສີນ"),
        ("How many students are losing school days to crises?", "นักเรียนกี่คนที่เสียวันเรียนเพราะภัยพิบัติและเหตุฉุกเฉิน",
         "ນັກຮຽນຈັກຄົນທີ່ເສຍວັນຮຽນຍ້ອນໄພພິບັດ ແລະ ເຫດສຸກເສີນ?"),
        unit="count", decimals=0, direction="lower_is_better", aggregation="sum", scale=1.0, frequency="month",
        model="affected",
        th=dict(target=0, amber=0, red=1000, source="MOE incident reports"),
        la=dict(target=0, amber=0, red=1000, source="MoES incident reports"),
    ),
    Indicator(
        "attendance_rate", "kpi", "red", "tgt_safe_resourced_schools",
        ("Student attendance rate", "อัตราการมาเรียนของนักเรียน", "ອັດຕາການມາຮຽນຂອງນັກຮຽນ"),
        ("Are students coming to school this month?", "เดือนนี้นักเรียนมาเรียนครบหรือไม่", "ເດືອນນີ້ນັກຮຽນມາຮຽນຄົບບໍ?"),
        frequency="month", model="attendance",
        th=dict(target=97, amber=94, red=90, source="OBEC student attendance reports (DMC)",
                g=dict(m=95.5, s=1.2, tr=0.1, nz=0.5, lo=50, hi=99.5, den="students")),
        la=dict(target=95, amber=90, red=85, source="LESMIS school monthly reports",
                g=dict(m=90, s=3, tr=0.5, nz=0.8, lo=40, hi=99, den="students")),
    ),
    # blue wall (capacity, resources, data)
    Indicator(
        "pupil_teacher_ratio", "kpi", "blue", "tgt_safe_resourced_schools",
        ("Pupil-teacher ratio", "อัตราส่วนนักเรียนต่อครู", "ອັດຕາສ່ວນນັກຮຽນຕໍ່ຄູ"),
        ("Are there enough teachers for the pupils?", "มีครูเพียงพอต่อจำนวนนักเรียนหรือไม่", "ມີຄູພຽງພໍກັບຈຳນວນນັກຮຽນບໍ?"),
        unit="ratio", direction="lower_is_better", scale=1.0, model="ptr",
        th=dict(target=18, amber=20, red=23, source="OBEC EMIS (DMC); OTEPC personnel records"),
        la=dict(target=24, amber=26, red=30, source="LESMIS"),
    ),
    Indicator(
        "teacher_vacancy_rate", "kpi", "blue", "tgt_safe_resourced_schools",
        ("Teacher vacancy rate", "อัตราตำแหน่งครูว่าง", "ອັດຕາຕຳແໜ່ງຄູທີ່ຍັງຫວ່າງ"),
        ("Are teaching posts filled?", "ตำแหน่งครูได้รับการบรรจุครบหรือไม่", "ຕຳແໜ່ງຄູໄດ້ຮັບການບັນຈຸຄົບບໍ?"),
        direction="lower_is_better",
        th=dict(target=2, amber=4, red=7, source="OTEPC personnel records",
                g=dict(m=4, s=1.7, tr=0.2, nz=0.4, lo=0, hi=20, den="posts")),
        la=dict(target=3, amber=6, red=10, source="MoES Department of Organisation and Personnel",
                g=dict(m=7, s=2.8, tr=0.4, nz=0.5, lo=0, hi=30, den="posts")),
    ),
    Indicator(
        "small_schools_share", "kpi", "blue", "tgt_safe_resourced_schools",
        ("Small schools (fewer than 120 students)", "ร้อยละของโรงเรียนขนาดเล็ก (นักเรียนน้อยกว่า 120 คน)",
         "ອັດຕາສ່ວນໂຮງຮຽນຂະໜາດນ້ອຍ (ນັກຮຽນໜ້ອຍກວ່າ 120 ຄົນ)"),
        ("How many schools are too small to run well?", "มีโรงเรียนขนาดเล็กที่บริหารจัดการได้ยากมากน้อยเพียงใด",
         "ມີໂຮງຮຽນຂະໜາດນ້ອຍທີ່ຄຸ້ມຄອງຍາກຫຼາຍປານໃດ?"),
        direction="lower_is_better", model="school_share",
        th=dict(target=30, amber=40, red=50, source="OBEC EMIS (DMC)", g=dict(col="small", decline=0.012)),
        la=dict(target=50, amber=62, red=70, source="LESMIS", g=dict(col="small", decline=-0.01)),
    ),
    Indicator(
        "schools_with_electricity", "kpi", "blue", "tgt_safe_resourced_schools",
        ("Schools with electricity", "ร้อยละของโรงเรียนที่มีไฟฟ้าใช้", "ອັດຕາສ່ວນໂຮງຮຽນທີ່ມີໄຟຟ້າ"),
        ("Do schools have electricity?", "โรงเรียนมีไฟฟ้าใช้หรือไม่", "ໂຮງຮຽນມີໄຟຟ້າໃຊ້ບໍ?"),
        model="school_share",
        th=dict(target=100, amber=99, red=97, source="OBEC school facilities census",
                g=dict(col="has_electricity", decline=0.002)),
        la=dict(target=90, amber=75, red=55, source="LESMIS school census",
                g=dict(col="has_electricity", decline=0.03)),
    ),
    Indicator(
        "schools_with_internet", "kpi", "blue", "tgt_safe_resourced_schools",
        ("Schools with internet access", "ร้อยละของโรงเรียนที่เชื่อมต่ออินเทอร์เน็ต", "ອັດຕາສ່ວນໂຮງຮຽນທີ່ມີອິນເຕີເນັດ"),
        ("Can schools get online?", "โรงเรียนเชื่อมต่ออินเทอร์เน็ตได้หรือไม่", "ໂຮງຮຽນເຊື່ອມຕໍ່ອິນເຕີເນັດໄດ້ບໍ?"),
        model="school_share",
        th=dict(target=100, amber=90, red=80, source="OBEC school facilities census; MOE ICT Centre",
                g=dict(col="has_internet", decline=0.04)),
        la=dict(target=50, amber=25, red=10, source="LESMIS school census", g=dict(col="has_internet", decline=0.12)),
    ),
    Indicator(
        "schools_with_water", "kpi", "blue", "tgt_safe_resourced_schools",
        ("Schools with safe water", "ร้อยละของโรงเรียนที่มีน้ำสะอาด", "ອັດຕາສ່ວນໂຮງຮຽນທີ່ມີນ້ຳສະອາດ"),
        ("Do schools have clean water?", "โรงเรียนมีน้ำสะอาดใช้หรือไม่", "ໂຮງຮຽນມີນ້ຳສະອາດໃຊ້ບໍ?"),
        model="school_share",
        th=dict(target=100, amber=97, red=93, source="OBEC school facilities census",
                g=dict(col="has_water", decline=0.008)),
        la=dict(target=80, amber=60, red=45, source="LESMIS school census (WASH)",
                g=dict(col="has_water", decline=0.03)),
    ),
    Indicator(
        "budget_disbursement_rate", "kpi", "blue", "tgt_efficient_management",
        ("Budget disbursed against plan (fiscal year to date)", "ร้อยละการเบิกจ่ายงบประมาณเทียบกับแผน (สะสมตั้งแต่ต้นปีงบประมาณ)",
         "ອັດຕາການເບີກຈ່າຍງົບປະມານທຽບກັບແຜນ (ສະສົມແຕ່ຕົ້ນປີງົບປະມານ)"),
        ("Is the budget being spent on schedule?", "การเบิกจ่ายงบประมาณเป็นไปตามแผนหรือไม่",
         "ການເບີກຈ່າຍງົບປະມານເປັນໄປຕາມແຜນບໍ?"),
        frequency="month", model="budget",
        th=dict(target=100, amber=90, red=80, source="OPS budget system (GFMIS)",
                g=dict(m=94, s=6, nz=1.5, lo=40, hi=105)),
        la=dict(target=100, amber=90, red=75, source="MoES Department of Finance",
                g=dict(m=87, s=6, nz=2.0, lo=30, hi=105)),
    ),
    Indicator(
        "textbook_pupil_ratio", "kpi", "blue", "tgt_safe_resourced_schools",
        ("Textbook-pupil ratio (core subjects)", "อัตราส่วนหนังสือเรียนต่อนักเรียน (วิชาหลัก)", "ອັດຕາສ່ວນປຶ້ມແບບຮຽນຕໍ່ນັກຮຽນ (ວິຊາຫຼັກ)"),
        ("Does every pupil have a textbook?", "นักเรียนทุกคนมีหนังสือเรียนหรือไม่", "ນັກຮຽນທຸກຄົນມີປຶ້ມແບບຮຽນບໍ?"),
        unit="ratio", decimals=2, scale=1.0,
        th=dict(target=1.0, amber=0.95, red=0.85, source="OBEC textbook subsidy records",
                g=dict(m=0.97, s=0.05, tr=0.005, nz=0.01, lo=0.5, hi=1.3, den="students")),
        la=dict(target=1.0, amber=0.8, red=0.6, source="LESMIS school census",
                g=dict(m=0.78, s=0.13, tr=0.03, nz=0.03, lo=0.2, hi=1.2, den="students")),
    ),
    Indicator(
        "staff_trained", "kpi", "blue", "tgt_efficient_management",
        ("Education staff trained this year", "ร้อยละของบุคลากรทางการศึกษาที่ได้รับการอบรมพัฒนาในปีนี้",
         "ອັດຕາສ່ວນພະນັກງານການສຶກສາທີ່ໄດ້ຮັບການຝຶກອົບຮົມໃນປີນີ້"),
        ("Are staff, women and men alike, getting training?", "บุคลากรทั้งหญิงและชายได้รับการอบรมพัฒนาหรือไม่",
         "ພະນັກງານທັງຍິງ ແລະ ຊາຍ ໄດ້ຮັບການຝຶກອົບຮົມບໍ?"),
        sex=True, model="trained",
        th=dict(target=90, amber=70, red=55, source="OPS human resource development records",
                g=dict(m=72, s=9, tr=1.0, nz=2.0, lo=20, hi=100, den="staff", gap=2.0)),
        # latest year: exactly 491 men and 139 women trained nationally (the tracer-study cohort)
        la=dict(target=25, amber=15, red=8, source="MoES training records; tracer study",
                g=dict(m=14, s=4, tr=0.5, nz=1.5, lo=1, hi=60, den="staff", gap=-8.0, men=491, women=139)),
    ),
    Indicator(
        "training_applied", "kpi", "blue", "tgt_efficient_management",
        ("Trained staff applying what they learned (tracer study)",
         "ร้อยละของผู้ผ่านการอบรมที่นำความรู้ไปใช้ในการทำงาน (การติดตามผล)",
         "ອັດຕາສ່ວນຜູ້ຜ່ານການຝຶກອົບຮົມທີ່ນຳຄວາມຮູ້ໄປນຳໃຊ້ໃນວຽກງານ (ການຕິດຕາມຜົນ)"),
        ("Is training changing how people work?", "การอบรมทำให้การทำงานเปลี่ยนไปหรือไม่", "ການຝຶກອົບຮົມເຮັດໃຫ້ການເຮັດວຽກປ່ຽນແປງບໍ?"),
        model="applied",
        th=dict(target=85, amber=80, red=70, source="OPS training tracer survey",
                g=dict(m=80, s=6.5, tr=0.5, nz=1.5, lo=40, hi=100, df=0.3)),
        la=dict(target=85, amber=80, red=70, source="Tracer study of trained staff (MoES)",
                g=dict(m=80, s=6, tr=0.5, nz=2.0, lo=30, hi=100, df=1.0)),
    ),
    Indicator(
        "management_skills_score", "kpi", "blue", "tgt_efficient_management",
        ("Management and administration skills score", "คะแนนทักษะการบริหารจัดการ", "ຄະແນນທັກສະການຄຸ້ມຄອງ ແລະ ບໍລິຫານ"),
        ("Are education managers gaining the skills they need?", "ผู้บริหารการศึกษามีทักษะที่จำเป็นเพิ่มขึ้นหรือไม่",
         "ຜູ້ບໍລິຫານການສຶກສາມີທັກສະທີ່ຈຳເປັນເພີ່ມຂຶ້ນບໍ?"),
        unit="score", aggregation="weighted_mean", scale=1.0, model="score",
        th=dict(target=80, amber=65, red=55, source="OPS competency assessment of education office staff",
                g=dict(m=68, s=6.5, tr=0.8, nz=1.0, lo=30, hi=95, den="respondents")),
        la=dict(target=70, amber=55, red=45, source="MASS survey (MoES)",
                g=dict(m=47, s=5, tr=0.3, nz=1.0, lo=20, hi=90, den="staff", mass_gain=16)),
    ),
    Indicator(
        "reporting_completeness", "kpi", "blue", "tgt_efficient_management",
        ("Data reports received on time", "ร้อยละของรายงานข้อมูลที่ได้รับตรงเวลา", "ອັດຕາສ່ວນບົດລາຍງານຂໍ້ມູນທີ່ໄດ້ຮັບທັນເວລາ"),
        ("Are schools reporting their data on time?", "โรงเรียนส่งรายงานข้อมูลตรงเวลาหรือไม่",
         "ໂຮງຮຽນສົ່ງບົດລາຍງານຂໍ້ມູນທັນເວລາບໍ?"),
        frequency="month",
        th=dict(target=100, amber=95, red=85, source="OPS data-reporting log",
                g=dict(m=96, s=2.5, tr=0.3, nz=1.5, lo=20, hi=100, den="schools")),
        la=dict(target=95, amber=85, red=70, source="LESMIS reporting log (DHIS2)",
                g=dict(m=84, s=8, tr=2.0, nz=2.5, lo=20, hi=100, den="schools")),
    ),
    # white wall (policies)
    Indicator(
        "smart_office_adoption", "kpi", "white", "tgt_efficient_management",
        ("Offices and schools using Smart Office / e-Meeting", "ร้อยละของหน่วยงานและสถานศึกษาที่ใช้ Smart Office / e-Meeting",
         "ອັດຕາສ່ວນຫ້ອງການ ແລະ ໂຮງຮຽນທີ່ນຳໃຊ້ລະບົບຫ້ອງການອີເລັກໂຕຣນິກ / ກອງປະຊຸມທາງໄກ"),
        ("Are offices going paperless?", "หน่วยงานเปลี่ยนเป็นสำนักงานไร้กระดาษแล้วหรือไม่", "ຫ້ອງການປ່ຽນເປັນຫ້ອງການບໍ່ໃຊ້ເຈ້ຍແລ້ວບໍ?"),
        model="adoption",
        th=dict(target=100, amber=80, red=60, source="OPS ICT Centre",
                g=dict(center=2024.6, width=0.8, cap=97, zc=0.6)),
        la=dict(target=60, amber=40, red=20, source="MoES ICT Centre",
                g=dict(center=2026.2, width=1.0, cap=90, zc=1.0)),
    ),
    Indicator(
        "quality_school_district", "kpi", "white", "tgt_learning_outcomes",
        ("Districts with a One District One Quality School", "ร้อยละของอำเภอที่มีโรงเรียนดีประจำอำเภอ",
         "ອັດຕາສ່ວນເມືອງທີ່ມີໂຮງຮຽນຄຸນນະພາບປະຈຳເມືອງ"),
        ("Does every district have a quality school?", "ทุกอำเภอมีโรงเรียนดีประจำอำเภอแล้วหรือไม่",
         "ທຸກເມືອງມີໂຮງຮຽນຄຸນນະພາບປະຈຳເມືອງແລ້ວບໍ?"),
        decimals=0, model="flag",
        th=dict(target=100, amber=80, red=60, source="OBEC One District One Quality School register",
                g=dict(center=2024.3, width=0.6, cap=0.86, zc=0.2)),
    ),
    Indicator(
        "sam_sang_focal_villages", "kpi", "white", "tgt_efficient_management",
        ("Districts with Sam Sang focal villages for education", "ร้อยละของเมืองที่มีหมู่บ้านเป้าหมายสามสร้างด้านการศึกษา",
         "ອັດຕາສ່ວນເມືອງທີ່ມີບ້ານເປົ້າໝາຍສາມສ້າງດ້ານການສຶກສາ"),
        ("Are districts building Sam Sang focal villages for education?",
         "เมืองต่าง ๆ สร้างหมู่บ้านเป้าหมายสามสร้างด้านการศึกษาแล้วหรือไม่",
         "ເມືອງຕ່າງໆ ສ້າງບ້ານເປົ້າໝາຍສາມສ້າງດ້ານການສຶກສາແລ້ວບໍ?"),
        decimals=0, model="flag",
        la=dict(target=100, amber=75, red=50, source="Sam Sang monitoring (MoES Department of Inspection)",
                g=dict(center=2022.5, width=1.2, cap=0.85, zc=0.25)),
    ),
)


# --------------------------------------------------------------------------------------------------
# Policies (demo data). Budgets: THB for Thailand, LAK for Lao PDR. Each policy's projects split its budget.

_TH_POLICIES = dict(
    programme=dict(
        id="learn_well_be_happy", en="Learn well, be happy", local="เรียนดี มีความสุข",
        owner="Office of the Permanent Secretary, Ministry of Education",
        start=date(2023, 10, 1), end=date(2027, 9, 30),
    ),
    policies=[
        dict(id="reduce_teacher_burden", pace=0.92, en="Reducing teachers' burden", local="ลดภาระครูและบุคลากรทางการศึกษา",
             owner="Office of the Teacher Civil Service and Educational Personnel Commission (OTEPC)",
             budget=1.2e9, indicator="teacher_vacancy_rate",
             projects=[("reduce_teacher_burden_duties", "Cutting non-teaching duties and school assessments",
                        "ลดงานที่ไม่เกี่ยวข้องกับการสอนและการประเมินสถานศึกษา", 0.3),
                       ("reduce_teacher_burden_debt", "Teacher debt relief", "แก้ไขปัญหาหนี้สินครู", 0.3),
                       ("reduce_teacher_burden_transfer", "Online teacher transfers to home provinces (TRS)",
                        "ย้ายครูกลับภูมิลำเนาผ่านระบบออนไลน์ (TRS)", 0.4)]),
        dict(id="reduce_student_burden", pace=1.0, en="Reducing students' and parents' burden",
             local="ลดภาระนักเรียนและผู้ปกครอง",
             owner="Office of the Basic Education Commission (OBEC)", budget=2.5e9, indicator="poor_students_supported",
             projects=[("reduce_student_burden_costs", "Free uniforms, books and learning materials",
                        "ลดค่าใช้จ่ายด้านเครื่องแบบ หนังสือ และอุปกรณ์การเรียน", 0.8),
                       ("reduce_student_burden_homework", "Less homework and fewer tests",
                        "ลดการบ้านและการสอบที่ไม่จำเป็น", 0.2)]),
        dict(id="one_district_one_quality_school", pace=0.88, en="One District One Quality School",
             local="โรงเรียนดีประจำอำเภอ (หนึ่งอำเภอหนึ่งโรงเรียนคุณภาพ)",
             owner="Office of the Basic Education Commission (OBEC)", budget=3.0e9, indicator="quality_school_district",
             projects=[("odoqs_buildings", "Upgrading buildings and laboratories of the selected schools",
                        "ปรับปรุงอาคารและห้องปฏิบัติการของโรงเรียนที่คัดเลือก", 0.7),
                       ("odoqs_teachers", "Teachers allocated to the quality schools",
                        "จัดสรรครูให้โรงเรียนดีประจำอำเภอ", 0.3)]),
        dict(id=TH_STALLED_POLICY, pace=0.97, en="Anywhere-Anytime Learning",
             local="เรียนได้ทุกที่ ทุกเวลา (Anywhere Anytime)",
             owner="Office of the Permanent Secretary, ICT Centre", budget=2.0e9, indicator="schools_with_internet",
             projects=[("anywhere_learning_tablets", "Tablets for students", "จัดหาแท็บเล็ตสำหรับนักเรียน", 0.5),
                       ("anywhere_learning_platform", "National online learning platform",
                        "แพลตฟอร์มการเรียนรู้ออนไลน์แห่งชาติ", 0.2),
                       ("anywhere_learning_connectivity", "School broadband and Wi-Fi",
                        "อินเทอร์เน็ตความเร็วสูงและ Wi-Fi ในโรงเรียน", 0.3)]),
        dict(id="thailand_zero_dropout", pace=0.93, en="Thailand Zero Dropout",
             local="Thailand Zero Dropout พาน้องกลับมาเรียน",
             owner="Office of the Basic Education Commission (OBEC)", budget=0.8e9, indicator="dropout_rate",
             projects=[("zero_dropout_tracking", "Finding and following out-of-school children by name",
                        "ค้นหาและติดตามเด็กนอกระบบการศึกษารายบุคคล", 0.4),
                       ("zero_dropout_flexible_learning", "Flexible learning for children who return",
                        "การเรียนรู้แบบยืดหยุ่นสำหรับเด็กที่กลับเข้าเรียน", 0.6)]),
        dict(id="smart_office", pace=1.02, en="Smart Office / e-Meeting",
             local="สำนักงานอัจฉริยะ (Smart Office) และการประชุมไร้กระดาษ (e-Meeting)",
             owner="Office of the Permanent Secretary, ICT Centre", budget=0.3e9, indicator="smart_office_adoption",
             projects=[("smart_office_esaraban", "e-Saraban electronic document system",
                        "ระบบสารบรรณอิเล็กทรอนิกส์ (e-Saraban)", 1.0)]),
    ],
)

_LA_POLICIES = dict(
    programme=dict(
        # The plan period is 2021-2025; the demo extends it by a year for the transition to the next plan.
        id="essdp_2021_2025", en="Education and Sports Sector Development Plan 2021-2025 (ESSDP)",
        local="ແຜນພັດທະນາຂະແໜງການສຶກສາ ແລະ ກິລາ 2021-2025",
        owner="Ministry of Education and Sports, Department of Planning",
        start=date(2021, 1, 1), end=date(2026, 12, 31),
    ),
    policies=[
        dict(id="ece_expansion", pace=0.9, en="Expanding early childhood education", local="ການຂະຫຍາຍການສຶກສາປະຖົມໄວ",
             owner="Department of Early Childhood Education, MoES", budget=180e9, indicator="ece_age5",
             start=date(2021, 1, 1), end=date(2025, 12, 31),
             projects=[("ece_preprimary_classes", "Pre-primary classes attached to primary schools",
                        "ຫ້ອງກຽມປະຖົມຕິດກັບໂຮງຮຽນປະຖົມ", 0.7),
                       ("ece_community_groups", "Community child development groups", "ກຸ່ມພັດທະນາເດັກໃນຊຸມຊົນ", 0.3)]),
        dict(id="priority_district_completion", pace=0.82, en="Primary completion in the 40 priority districts",
             local="ການຮຽນຈົບຊັ້ນປະຖົມໃນ 40 ເມືອງບູລິມະສິດ", owner="Department of General Education, MoES",
             budget=250e9, indicator="cohort_survival_primary", start=date(2021, 1, 1), end=date(2026, 12, 31),
             priority_only=True,
             projects=[("priority_school_meals", "School meals in the priority districts",
                        "ອາຫານໂຮງຮຽນໃນເມືອງບູລິມະສິດ", 0.6),
                       ("priority_complete_schools", "Completing incomplete primary schools",
                        "ປັບປຸງໂຮງຮຽນປະຖົມບໍ່ຄົບຊັ້ນໃຫ້ຄົບຊັ້ນ", 0.4)]),
        dict(id="teacher_deployment", pace=0.88, en="Teacher deployment to remote schools",
             local="ການຈັດສັນຄູໄປໂຮງຮຽນເຂດຫ່າງໄກ",
             owner="Department of Organisation and Personnel, MoES", budget=120e9, indicator="pupil_teacher_ratio",
             start=date(2021, 1, 1), end=date(2025, 12, 31),
             projects=[("teacher_quota_remote", "New teacher quotas for remote districts", "ໂກຕາຄູໃໝ່ສຳລັບເມືອງຫ່າງໄກ", 0.7),
                       ("teacher_redeployment", "Redeploying surplus teachers", "ການຍົກຍ້າຍຄູທີ່ເກີນຄວາມຕ້ອງການ", 0.3)]),
        dict(id="emis_strengthening", pace=0.95, en="Strengthening EMIS (LESMIS)",
             local="ການເສີມຂະຫຍາຍລະບົບຂໍ້ມູນຂ່າວສານການຄຸ້ມຄອງການສຶກສາ (LESMIS)",
             owner="Department of Planning, EMIS Centre, MoES", budget=40e9, indicator="reporting_completeness",
             start=date(2022, 1, 1), end=date(2026, 12, 31),
             projects=[("emis_school_tablets", "Tablets and training for school data entry",
                        "ແທັບເລັດ ແລະ ການຝຶກອົບຮົມການປ້ອນຂໍ້ມູນໂຮງຮຽນ", 0.6),
                       ("emis_dashboards", "Provincial and district dashboards", "ໜ້າປັດຂໍ້ມູນຂັ້ນແຂວງ ແລະ ເມືອງ", 0.4)]),
        dict(id="mass_capacity", en="Management capacity: MASS training for PESS and DESB staff",
             local="ການພັດທະນາຄວາມສາມາດດ້ານການຄຸ້ມຄອງ: ການຝຶກອົບຮົມ MASS ສຳລັບພະນັກງານ ພສ ແລະ ຫສ",
             owner="Department of Organisation and Personnel, MoES", budget=25e9, indicator="management_skills_score",
             start=date(2023, 1, 1), end=date(2026, 12, 31), uneven=True,
             projects=[("mass_survey", "MASS survey of training needs", "ການສຳຫຼວດຄວາມຕ້ອງການຝຶກອົບຮົມ (MASS)", 0.15),
                       ("mass_training", "Training courses for PESS and DESB staff",
                        "ຫຼັກສູດຝຶກອົບຮົມສຳລັບພະນັກງານ ພສ ແລະ ຫສ", 0.6),
                       ("mass_financial_plan", "Financial management and the medium-term financial master plan",
                        "ການຄຸ້ມຄອງການເງິນ ແລະ ແຜນແມ່ບົດການເງິນໄລຍະກາງ", 0.25)]),
        dict(id="sam_sang", pace=0.97, en="Sam Sang (three builds) in education", local="ສາມສ້າງ ດ້ານການສຶກສາ",
             owner="Department of Inspection, MoES", budget=60e9, indicator="sam_sang_focal_villages",
             start=date(2021, 1, 1), end=date(2025, 12, 31),
             projects=[("sam_sang_focal_villages", "Focal villages with complete schools",
                        "ບ້ານເປົ້າໝາຍທີ່ມີໂຮງຮຽນຄົບຊັ້ນ", 1.0)]),
    ],
)

_TH_OBSTACLES = (
    "Budget transfer from the Bureau of the Budget delayed",
    "Procurement re-tendered after a bid complaint",
    "Staff shortage in the provincial education office",
    "Waiting for implementation guidelines from the central office",
    "Contractor behind schedule",
    "Schools lack the bandwidth the project needs",
    "Flooding delayed site work",
    "Target schools changed after the district review",
)
_LA_OBSTACLES = (
    "Budget transfer from the Ministry of Finance delayed",
    "Roads impassable in the rainy season",
    "Trainers not yet available in the province",
    "Staff turnover in the district education and sports bureaux",
    "Development-partner funds not yet released",
    "Equipment not delivered; awaiting customs clearance",
    "Counterpart funding from the province not allocated",
)
_POLICY_OBSTACLES = {
    TH_STALLED_POLICY: ("Procurement of tablets delayed; awaiting budget transfer",
                        "Platform accounts not issued to schools"),
    "reduce_teacher_burden": ("Schools still asked for duplicate reports by several agencies",),
    "one_district_one_quality_school": ("Land title for the new building not cleared",),
    "thailand_zero_dropout": ("Children who migrated with their parents could not be traced",),
    "smart_office": ("Offices still require signed paper copies",),
    "ece_expansion": ("Not enough pre-primary teachers in remote villages",),
    "priority_district_completion": ("Food supplies for school meals arrived late",),
    "teacher_deployment": ("New teachers declined postings to remote schools",),
    "emis_strengthening": ("School tablets not delivered to remote districts",),
    "mass_capacity": ("Training postponed: PESS staff busy with the school-year census",
                      "Trainers shared with another programme"),
    "sam_sang": ("Village committees not yet formed",),
}
_STALL_NOTES = (
    "No progress reported: tablet procurement suspended pending re-tender; awaiting budget transfer",
    "No progress reported: platform accounts not issued; regional office waiting for central guidelines",
    "No progress reported: broadband contract not signed; provincial committee has not met",
)
_ON_TRACK_NOTES = (
    "On schedule after the provincial education meeting",
    "Ahead of plan: schools joined earlier than planned",
    "Completed the quarter's milestones",
)
# fmt: on


# --------------------------------------------------------------------------------------------------
# Helpers


def _rng(seed: int, *keys: str) -> np.random.Generator:
    """An independent, reproducible stream per component, so one part's draws never shift another's."""
    return np.random.default_rng([seed, *(zlib.crc32(k.encode()) for k in keys)])


def _d(value) -> np.datetime64:
    return np.datetime64(value, "D")


def _add_months(day: date, months: int) -> date:
    """The same day `months` later (or earlier), on the month's last day when it is shorter (31 Oct + 1 = 30 Nov)."""
    index = day.year * 12 + day.month - 1 + months
    year, month = divmod(index, 12)
    month += 1
    last = calendar.monthrange(year, month)[1]
    # A month-end stays a month-end, so the as-of date itself moves from month-end to month-end.
    keep_end = day.day == calendar.monthrange(day.year, day.month)[1]
    return date(year, month, last if keep_end else min(day.day, last))


def _months_between(earlier: date, later: date) -> int:
    return (later.year - earlier.year) * 12 + later.month - earlier.month


def story_day(day: date | str, as_of: date) -> date:
    """Where a date of the stories (written for STORY_AS_OF) falls in a demo built for `as_of`."""
    day = date.fromisoformat(day) if isinstance(day, str) else day
    return _add_months(day, _months_between(STORY_AS_OF, as_of))


def _month_ord(days: np.ndarray) -> np.ndarray:
    return np.asarray(days).astype("datetime64[M]").astype(np.int64)


def _month_of_year(days: np.ndarray) -> np.ndarray:
    return _month_ord(days) % 12 + 1


def _year_frac(days: np.ndarray) -> np.ndarray:
    days = np.asarray(days, dtype="datetime64[D]")
    year_start = days.astype("datetime64[Y]")
    return year_start.astype(np.int64) + 1970 + (days - year_start.astype("datetime64[D]")).astype(np.int64) / 365.25


def _logistic(x):
    return 1.0 / (1.0 + np.exp(-x))


@dataclass
class _Ctx:
    """Everything the generators share: districts, their schools and the period grids."""

    country: str
    cfg: dict
    seed: int
    scale: int
    as_of: np.datetime64
    prov_ids: np.ndarray
    prov_names: np.ndarray
    dist_ids: np.ndarray
    dist_names: np.ndarray
    dist_prov: np.ndarray  # index into prov_ids
    polys: np.ndarray
    priority: np.ndarray
    z: np.ndarray  # standardised disadvantage, (D,)
    shift_months: int = 0  # how far the stories move from STORY_AS_OF to this as-of
    periods: dict[str, np.ndarray] = field(default_factory=dict)
    latest_year: np.datetime64 | None = None
    schools: pd.DataFrame | None = None
    n_schools: np.ndarray | None = None
    school_start: np.ndarray | None = None  # first row of each district's schools
    students: np.ndarray | None = None
    teachers: np.ndarray | None = None
    bases: dict[str, np.ndarray] = field(default_factory=dict)

    @property
    def D(self) -> int:
        return len(self.dist_ids)

    def day(self, story_day) -> date:
        """A date of a story (written for STORY_AS_OF), moved to this extract's as-of."""
        return _add_months(
            date.fromisoformat(story_day) if isinstance(story_day, str) else story_day, self.shift_months
        )

    def year(self, story_year: float) -> float:
        """A fractional year of a story (an adoption curve's centre), moved to this extract's as-of."""
        return story_year + self.shift_months / 12

    def in_provinces(self, codes) -> np.ndarray:
        """Mask of districts whose province is among `codes`."""
        return np.isin(self.prov_ids[self.dist_prov], list(codes))

    def years_back(self, periods: np.ndarray) -> np.ndarray:
        return (self.latest_year - periods).astype(np.int64) / 365.25


# --------------------------------------------------------------------------------------------------
# Areas and groups


def _features(country: str, level: str):
    fc = geo.boundaries(country, level)
    props = pd.DataFrame([f["properties"] for f in fc["features"]])
    geoms = np.array([shapely.geometry.shape(f["geometry"]) for f in fc["features"]], dtype=object)
    order = np.argsort(props["code"].to_numpy().astype(str), kind="stable")
    return props.iloc[order].reset_index(drop=True), geoms[order]


def _areas(country: str, cfg: dict) -> tuple[dict, pd.DataFrame, np.ndarray, pd.DataFrame, np.ndarray]:
    provs, prov_geoms = _features(country, "province")
    dists, dist_geoms = _features(country, "district")
    prov_pts = shapely.point_on_surface(prov_geoms)
    dist_pts = shapely.point_on_surface(dist_geoms)
    union = shapely.union_all(prov_geoms)
    centre = union.centroid if union.contains(union.centroid) else union.point_on_surface()
    local = cfg["local"]
    priority = dists["code"].isin(LA_PRIORITY_DISTRICTS).to_numpy() if country == "la" else np.zeros(len(dists), bool)
    n_p, n_d = len(provs), len(dists)
    cols = dict(
        area_id=[cfg["cc"], *provs["code"], *dists["code"]],
        level=["country"] + ["province"] * n_p + ["district"] * n_d,
        parent_id=[None] + [cfg["cc"]] * n_p + list(dists["province_code"]),
        name_en=[cfg["name_en"], *provs["name_en"], *dists["name_en"]],
        name_local=[cfg["name_local"], *provs[local], *dists[local]],
        iso_code=[cfg["cc"], *(provs["iso"] if country == "th" else provs["code"]), *([None] * n_d)],
        lat=np.concatenate([[centre.y], shapely.get_y(prov_pts), shapely.get_y(dist_pts)]),
        lon=np.concatenate([[centre.x], shapely.get_x(prov_pts), shapely.get_x(dist_pts)]),
        is_priority=np.concatenate([np.zeros(1 + n_p, bool), priority]),
    )
    return cols, provs, prov_geoms, dists, dist_geoms


def _area_groups(country: str) -> dict:
    groups = geo.province_groups(country).sort_values("province_code", kind="stable")
    rows = []
    if country == "th":
        for code, reo in zip(groups["province_code"], groups["reo"], strict=True):
            if reo:
                rows.append(("reo", reo, f"Regional Education Office {reo}", f"สำนักงานศึกษาธิการภาค {reo}", code))
        for code, ir in zip(groups["province_code"], groups["inspection_region"], strict=True):
            if ir == "0":
                rows.append(("inspection_region", "0", "Central area (Bangkok)", "เขตตรวจราชการส่วนกลาง", code))
            else:
                rows.append(("inspection_region", ir, f"Inspection Region {ir}", f"เขตตรวจราชการที่ {ir}", code))
        for code, r6 in zip(groups["province_code"], groups["region6"], strict=True):
            rows.append(("region6", r6, *_TH_REGION6_NAMES[r6], code))
    else:
        for code, region in zip(groups["province_code"], groups["region"], strict=True):
            rows.append(("region", region, *_LA_REGION_NAMES[region], code))
    keys = ("group_type", "group_id", "group_name_en", "group_name_local", "area_id")
    return {k: [r[i] for r in rows] for i, k in enumerate(keys)}


def _disadvantage(country: str, seed: int, provs: pd.DataFrame, dists: pd.DataFrame, prov_idx, priority) -> np.ndarray:
    rng = _rng(seed, country, "disadvantage")
    codes = provs["code"].to_numpy()
    if country == "th":
        groups = geo.province_groups("th").set_index("province_code")
        prior = np.array([_TH_REGION_Z[groups.loc[c, "region6"]] + _TH_PROVINCE_Z.get(c, 0.0) for c in codes])
        urban = dists["name_en"].str.startswith("Mueang").to_numpy()
    else:
        prior = np.array([_LA_PROVINCE_Z.get(c, 0.0) for c in codes])
        urban = dists["code"].str.endswith("01").to_numpy()
    prov = prior + rng.normal(0, 0.3, len(codes))
    z = prov[prov_idx] + rng.normal(0, 0.45, len(dists)) - 0.6 * urban + 0.8 * priority
    return (z - z.mean()) / z.std()


# --------------------------------------------------------------------------------------------------
# Periods


def _periods(country: str, cfg: dict, as_of: np.datetime64, scale: int) -> tuple[dict, np.datetime64]:
    start_month = cfg["year_month"]
    y = int(as_of.astype("datetime64[Y]").astype(np.int64)) + 1970
    while _d(f"{y + 1}-{start_month:02d}-01") - 1 > as_of:  # the latest complete year
        y -= 1
    n_years = 5 * scale
    years = np.array([_d(f"{y - k}-{start_month:02d}-01") for k in range(n_years - 1, -1, -1)])
    months = (as_of.astype("datetime64[M]") - np.arange(60 * scale)[::-1]).astype("datetime64[D]")
    out = {"year": years, "month": months}
    if country == "th":  # academic terms start 16 May and 1 November
        y_now = int(as_of.astype("datetime64[Y]").astype(np.int64)) + 1970
        starts = []
        for yy in range(y_now - 5 * scale - 2, y_now + 1):
            starts += [_d(f"{yy}-05-16"), _d(f"{yy}-11-01")]
        starts = np.array([s for s in starts if s <= as_of])
        out["term"] = starts[-10 * scale :]
    return out, years[-1]


# --------------------------------------------------------------------------------------------------
# Schools

_TH_TYPES = ("primary", "lower_secondary", "upper_secondary", "complete_secondary")
_TH_TYPE_P = np.array([[0.62, 0.18, 0.03, 0.17], [0.45, 0.10, 0.05, 0.40]])  # rest, Bangkok
_TH_SIZE = np.array([[104, 0.75], [165, 0.6], [600, 0.7], [640, 0.8]])  # median students, sigma
_LA_TYPES = ("nursery", "incomplete_primary", "primary", "lower_secondary", "upper_secondary", "complete_secondary")
_LA_TYPE_P = np.array([[0.22, 0.14, 0.49, 0.08, 0.01, 0.06], [0.30, 0.02, 0.42, 0.08, 0.03, 0.15]])  # rest, capital
_LA_SIZE = np.array([[38, 0.55], [32, 0.5], [115, 0.6], [260, 0.6], [320, 0.5], [620, 0.6]])


def _schools(ctx: _Ctx) -> pd.DataFrame:
    rng = _rng(ctx.seed, ctx.country, "schools")
    D, th = ctx.D, ctx.country == "th"
    prov_codes = ctx.prov_ids[ctx.dist_prov]
    capital = prov_codes == ("10" if th else "LA-VT")
    lat = shapely.get_y(shapely.point_on_surface(ctx.polys))
    area = shapely.area(ctx.polys) * np.cos(np.radians(lat))
    w = np.sqrt(area) * rng.lognormal(0, 0.35, D) * np.exp(0.1 * ctx.z)
    if th:
        w[capital] = np.median(w) * 0.5
        w[np.char.startswith(ctx.dist_names.astype(str), "Mueang")] *= 1.5
    else:
        w[capital] *= 1.5
    total = ctx.cfg["schools"] * ctx.scale
    n_min = 3 * ctx.scale
    counts = n_min + rng.multinomial(total - n_min * D, w / w.sum())
    dist = np.repeat(np.arange(D), counts)
    N = len(dist)
    start = np.concatenate([[0], np.cumsum(counts)[:-1]])
    seq = np.arange(N) - start[dist] + 1

    types, type_p, size = (_TH_TYPES, _TH_TYPE_P, _TH_SIZE) if th else (_LA_TYPES, _LA_TYPE_P, _LA_SIZE)
    cdf = np.cumsum(type_p, axis=1)
    group = capital[dist].astype(int)
    t = (rng.random(N)[:, None] > cdf[group]).sum(1)
    t = np.minimum(t, len(types) - 1)
    z = ctx.z[dist]
    mult = np.exp(-0.22 * z) * np.where(capital[dist], 2.0 if th else 1.6, 1.0)
    if th:
        mult *= np.where(np.char.startswith(ctx.dist_names[dist].astype(str), "Mueang"), 1.3, 1.0)
    students = size[t, 0] * mult * np.exp(size[t, 1] * rng.standard_normal(N))
    students = np.clip(np.round(students), 5, 5_500 if th else 3_000).astype(np.int64)
    if th:
        ptr = 16.5 * (students / 250) ** 0.22 * np.exp(rng.normal(0, 0.15, N))
        ptr = np.clip(ptr, 4, 40)
    else:
        ptr = 23 * (students / 120) ** 0.15 * np.exp(0.2 * z + rng.normal(0, 0.2, N))
        ptr = np.clip(np.where(t == 0, 0.8 * ptr, ptr), 6, 60)
    teachers = np.maximum(1, np.round(students / ptr)).astype(np.int64)
    public = rng.random(N) < np.where(capital[dist], 0.6 if th else 0.8, 0.9 if th else 0.96)
    size_term = 0.4 * np.log(students / 100)
    if th:
        elec = _logistic(6.0 - 1.2 * z + size_term)
        water = _logistic(3.8 - 0.9 * z + size_term)
        net = _logistic(2.4 - 1.0 * z + size_term)
    else:
        elec = _logistic(1.3 - 1.3 * z + size_term)
        water = _logistic(0.5 - 0.9 * z + size_term)
        net = _logistic(-1.7 - 1.2 * z + size_term)
    has_elec = rng.random(N) < elec
    has_water = rng.random(N) < water
    has_net = (rng.random(N) < net) & (has_elec | (rng.random(N) < 0.2))

    x, y = _points_in_polygons(ctx.polys, dist, rng)
    if th and counts.max() <= 9999:
        ids = np.char.add(np.char.add("TH", ctx.dist_ids[dist].astype(str)), np.char.zfill(seq.astype(str), 4))
    else:
        width = 8 if th else 7
        ids = np.char.add(ctx.cfg["cc"], np.char.zfill(np.arange(1, N + 1).astype(str), width))
    names = np.char.add(np.char.add(ctx.dist_names[dist].astype(str), " School "), seq.astype(str))
    return pd.DataFrame(
        dict(
            school_id=ids.astype(object),
            name=names.astype(object),
            area_id=ctx.dist_ids[dist],
            lat=y,
            lon=x,
            type=np.array(types, dtype=object)[t],
            is_public=public,
            students=students,
            teachers=teachers,
            has_electricity=has_elec,
            has_internet=has_net,
            has_water=has_water,
            _dist=dist,
        )
    )


def _points_in_polygons(polys: np.ndarray, which: np.ndarray, rng: np.random.Generator):
    """One random point inside polys[which[i]] for each i: vectorised rejection sampling on the bounding boxes."""
    bounds = shapely.bounds(polys)
    shapely.prepare(polys)
    n = len(which)
    x, y = np.empty(n), np.empty(n)
    todo = np.arange(n)
    for _ in range(500):
        if not todo.size:
            break
        d = which[todo]
        cx = bounds[d, 0] + rng.random(todo.size) * (bounds[d, 2] - bounds[d, 0])
        cy = bounds[d, 1] + rng.random(todo.size) * (bounds[d, 3] - bounds[d, 1])
        ok = shapely.contains_xy(polys[d], cx, cy)
        x[todo[ok]], y[todo[ok]] = cx[ok], cy[ok]
        todo = todo[~ok]
    if todo.size:  # pathological shapes: fall back to a point on the surface
        pts = shapely.point_on_surface(polys[which[todo]])
        x[todo], y[todo] = shapely.get_x(pts), shapely.get_y(pts)
    return x, y


def _bases(ctx: _Ctx) -> dict[str, np.ndarray]:
    s = ctx.students.astype(float)
    rng = _rng(ctx.seed, ctx.country, "bases")
    jitter = lambda: np.exp(rng.normal(0, 0.05, ctx.D))  # noqa: E731
    if ctx.country == "th":
        f = dict(
            pop_pre=0.16,
            pop_5=0.055,
            pop_primary=0.42,
            pop_lsec=0.22,
            pop_usec=0.24,
            pop_6_14=0.66,
            grade_cohort=0.07,
            poor=0.25,
        )
        staff = ctx.teachers * 1.12
        respondents = ctx.n_schools + 15.0
    else:
        f = dict(
            pop_pre=0.30,
            pop_5=0.11,
            pop_primary=0.50,
            pop_lsec=0.30,
            pop_usec=0.22,
            pop_6_14=0.85,
            grade_cohort=0.10,
            poor=0.30,
        )
        staff = 12 + 0.002 * s
        respondents = staff
    out = {k: s * v * jitter() for k, v in f.items()}
    out.update(
        students=s,
        schools=ctx.n_schools.astype(float),
        teachers=ctx.teachers.astype(float),
        posts=ctx.teachers * (1.04 if ctx.country == "th" else 1.08),
        staff=staff,
        respondents=respondents,
    )
    return out


# --------------------------------------------------------------------------------------------------
# Incidents

# fmt: off
# type: (rate per district and month, {month: multiplier} (others 1), duration days (lo, hi),
#        share of the district's schools closed, one school only)
_BG_TH = {
    "flood": (0.0025, {8: 2, 9: 4, 10: 4, 11: 2, 1: 0.2, 2: 0.1, 3: 0.1, 4: 0.1, 5: 0.3, 6: 0.5}, (3, 21), 0.05, False),
    "haze": (0.03, {2: 0.5, 3: 1.0, 4: 0.4, **{m: 0 for m in (1, 5, 6, 7, 8, 9, 10, 11, 12)}}, (3, 14), 0.12, False),
    "storm": (0.0012, {**{m: 1.5 for m in range(5, 11)}, 1: 0.3, 2: 0.3, 3: 0.5}, (1, 7), 0.03, False),
    "drought": (0.001, {3: 3, 4: 3, 5: 2, **{m: 0 for m in (6, 7, 8, 9, 10, 11, 12, 1)}}, (10, 40), 0.05, False),
    "epidemic": (0.0008, {6: 2, 7: 2, 8: 2, 9: 2}, (5, 14), 0.02, False),
    "fire": (0.0006, {1: 2, 2: 2, 3: 2, 4: 2}, (1, 10), 0.0, True),
    "building_damage": (0.001, {}, (5, 60), 0.0, True),
    "violence": (0.006, {}, (1, 5), 0.1, False),
    "other": (0.0003, {}, (1, 5), 0.0, True),
}
_BG_LA = {
    "flood": (0.006, {7: 4, 8: 4, 9: 3, 11: 0.3, 12: 0.1, 1: 0.1, 2: 0.1, 3: 0.1, 4: 0.2, 5: 0.5},
              (3, 21), 0.06, False),
    "haze": (0.004, {2: 0.5, 3: 1.0, 4: 0.5, **{m: 0 for m in (1, 5, 6, 7, 8, 9, 10, 11, 12)}}, (3, 10), 0.08, False),
    "storm": (0.003, {6: 2, 7: 2, 8: 2, 9: 2, 12: 0.2, 1: 0.2, 2: 0.2}, (1, 7), 0.03, False),
    "drought": (0.002, {3: 3, 4: 3, 5: 2, **{m: 0 for m in (6, 7, 8, 9, 10, 11, 12, 1)}}, (10, 40), 0.04, False),
    "epidemic": (0.002, {6: 2, 7: 2, 8: 2, 9: 2}, (5, 14), 0.03, False),
    "fire": (0.0015, {1: 2, 2: 2, 3: 2, 4: 2}, (1, 10), 0.0, True),
    "building_damage": (0.003, {}, (5, 60), 0.0, True),
    "other": (0.002, {}, (1, 5), 0.0, True),  # unexploded ordnance
}

_DESC = {
    "flood": "Flooding in {district} district, {province}: {schools} schools closed, {students:,} students affected.",
    "haze": "PM2.5 haze above safe levels in {district} district, {province}: {schools} schools closed or moved "
    "online, {students:,} students affected.",
    "storm": "Storm damaged roofs and classrooms in {district} district, {province}: {schools} schools closed, "
    "{students:,} students affected.",
    "drought": "Drought in {district} district, {province}: water shortage at {schools} schools; "
    "school days shortened.",
    "epidemic": "Outbreak of {disease} in {district} district, {province}: classes suspended at {schools} schools.",
    "fire": "Fire at {school}, {district} district, {province}; classes suspended.",
    "building_damage": "Classroom building unsafe at {school}, {district} district, {province}; classes moved to "
    "temporary rooms.",
    "violence": "Security incident near schools in {district} district, {province}: {schools} schools closed as a "
    "precaution, {students:,} students affected.",
    "other": "{other} near {school}, {district} district, {province}; school closed as a precaution.",
}
_RESPONSES = {
    "th": {
        "flood": ("Temporary learning spaces in {k} temples; textbooks and uniforms replaced.",
                  "Students moved to neighbouring schools; clean-up teams sent by the provincial education office.",
                  "Emergency repair grant approved; lessons continued on DLTV."),
        "haze": ("Classes moved online; N95 masks and air purifiers distributed; outdoor activities suspended.",
                 "Clean-air rooms set up in {k} schools; students kept indoors."),
        "storm": ("Roofs repaired with the provincial emergency budget; classes resumed in temporary rooms.",
                  "Damaged classrooms closed; students taught in the school hall."),
        "drought": ("Water trucks from the provincial office; school days shortened.",),
        "epidemic": ("Classrooms disinfected; health screening with the district hospital.",),
        "fire": ("Damaged room cleared; classes moved to the library.",),
        "building_damage": ("Building inspected by the district engineer; repair budget requested.",),
        "violence": ("Rangers escort teachers; schools reopened after a security review.",
                     "Counselling for students and teachers; safety drill held."),
        "other": ("Area checked by the district office; school reopened.",),
    },
    "la": {
        "flood": ("Temporary learning spaces set up with tents; textbooks replaced by the PESS.",
                  "Students moved to schools on higher ground; the DESB organised clean-up with villagers.",
                  "Emergency grant from the province; school kits distributed with UNICEF."),
        "haze": ("Outdoor activities suspended; masks distributed.",),
        "storm": ("Roofs repaired by the village and the DESB; classes resumed.",),
        "drought": ("Water delivered by the district; school days shortened.",),
        "epidemic": ("Classrooms cleaned; dengue prevention campaign with the district health office.",),
        "fire": ("Classes moved to the village hall.",),
        "building_damage": ("Temporary classroom built by the community; repair budget requested.",),
        "other": ("UXO clearance team called in; school reopened after clearance.",),
    },
}


# fmt: on


def _severity(schools: np.ndarray, students: np.ndarray) -> np.ndarray:
    sev = np.full(len(schools), "low", dtype=object)
    sev[(schools >= 3) | (students >= 500)] = "medium"
    sev[(schools >= 10) | (students >= 2_000)] = "high"
    sev[(schools >= 40) | (students >= 8_000)] = "critical"
    return sev


def _pick_school(ctx: _Ctx, dist: np.ndarray, rng) -> np.ndarray:
    return ctx.school_start[dist] + np.floor(rng.random(len(dist)) * ctx.n_schools[dist]).astype(np.int64)


def _affected_students(ctx: _Ctx, dist, schools, rng) -> np.ndarray:
    mean_size = ctx.students[dist] / ctx.n_schools[dist]
    return np.minimum(ctx.students[dist], np.round(schools * mean_size * rng.lognormal(0, 0.25, len(dist)))).astype(
        np.int64
    )


def _background_incidents(ctx: _Ctx, rng) -> list[dict]:
    months = ctx.periods["month"]
    moy = _month_of_year(months)
    th = ctx.country == "th"
    region6 = None
    if th:
        g = geo.province_groups("th").set_index("province_code")["region6"]
        region6 = g.reindex(ctx.prov_ids[ctx.dist_prov]).to_numpy()
    parts = []
    for kind, (lam, season, dur, frac, single) in (_BG_TH if th else _BG_LA).items():
        s = np.array([season.get(m, 1.0) for m in range(1, 13)])[moy - 1]
        mult = np.ones(ctx.D)
        if kind == "haze":
            mult = (
                ctx.in_provinces(TH_HAZE_PROVINCES).astype(float)
                if th
                else np.isin(
                    ctx.prov_ids[ctx.dist_prov], ["LA-PH", "LA-LM", "LA-OU", "LA-BK", "LA-LP", "LA-HO", "LA-XA"]
                ).astype(float)
            )
        elif kind == "violence":
            mult = ctx.in_provinces(TH_DEEP_SOUTH).astype(float)
        elif kind == "flood" and th:
            mult = np.select([region6 == "northeast", region6 == "central", region6 == "south"], [1.5, 1.2, 0.8], 1.0)
        elif kind == "drought" and th:
            mult = np.where(region6 == "northeast", 2.0, 0.6)
        elif kind == "other" and not th:
            mult = np.where(ctx.in_provinces(LA_UXO_PROVINCES), 3.0, 0.3)
        lam_dm = lam * mult[:, None] * s[None, :]
        d, m = np.nonzero(rng.poisson(lam_dm))
        n = len(d)
        if not n:
            continue
        start = np.minimum(months[m] + rng.integers(0, 28, n), ctx.as_of)
        end = start + rng.integers(dur[0], dur[1] + 1, n)
        if single:
            school = _pick_school(ctx, d, rng)
            schools = np.ones(n, np.int64)
            students = ctx.schools["students"].to_numpy()[school]
        else:
            school = np.full(n, -1)
            schools = 1 + rng.binomial(ctx.n_schools[d] - 1, frac)
            students = _affected_students(ctx, d, schools, rng)
        sev = _severity(schools, students)
        if kind == "violence":
            sev[:] = np.where(schools >= 5, "high", "medium")
        parts.append(
            dict(
                dist=d,
                type=np.full(n, kind, dtype=object),
                start=start,
                end=end,
                schools=schools,
                students=students,
                school=school,
                severity=sev,
                story=np.zeros(n, bool),
            )
        )
    return parts


def _story_incidents(ctx: _Ctx, rng, kind, provinces, district_share, start, start_days, end_spec, frac, river=""):
    """Incidents in a share of the districts of `provinces` (at least one each); `end_spec` is a list of
    (probability, first end date or None for still active, days spread)."""
    mask = ctx.in_provinces(provinces)
    cand = np.flatnonzero(mask)
    if not cand.size:
        return None
    take = rng.random(cand.size) < district_share
    # every province gets at least its first district
    first = np.unique(ctx.dist_prov[cand], return_index=True)[1]
    take[first] = True
    d = cand[take]
    n = len(d)
    st = _d(ctx.day(start)) + rng.integers(0, start_days + 1, n)
    probs = np.array([p for p, _, _ in end_spec])
    which = rng.choice(len(end_spec), size=n, p=probs / probs.sum())
    end = np.full(n, np.datetime64("NaT"), dtype="datetime64[D]")
    for i, (_, first_end, spread) in enumerate(end_spec):
        sel = which == i
        if first_end is not None:
            end[sel] = np.maximum(_d(ctx.day(first_end)) + rng.integers(0, spread + 1, sel.sum()), st[sel] + 1)
    schools = np.maximum(1, np.round(ctx.n_schools[d] * rng.uniform(frac[0], frac[1], n))).astype(np.int64)
    students = _affected_students(ctx, d, schools, rng)
    keep = st <= ctx.as_of
    end = np.where(end > ctx.as_of, np.datetime64("NaT"), end)
    return dict(
        dist=d[keep],
        type=np.full(keep.sum(), kind, dtype=object),
        start=st[keep],
        end=end[keep],
        schools=schools[keep],
        students=students[keep],
        school=np.full(keep.sum(), -1),
        severity=_severity(schools, students)[keep],
        story=np.ones(keep.sum(), bool),
        river=np.full(keep.sum(), river, dtype=object),
    )


def _incidents(ctx: _Ctx) -> tuple[pd.DataFrame, np.ndarray, np.ndarray]:
    rng = _rng(ctx.seed, ctx.country, "incidents")
    parts = _background_incidents(ctx, rng)
    story = []
    if ctx.country == "th":
        late = [(0.55, None, 0), (0.35, "2026-10-05", 20), (0.10, "2026-09-24", 5)]
        story += [
            _story_incidents(ctx, rng, "flood", ["34"], 0.8, "2026-09-05", 20, late, (0.25, 0.7), "the Mun River"),
            _story_incidents(
                ctx, rng, "flood", ["33", "35"], 0.5, "2026-09-08", 18, late, (0.15, 0.5), "the Mun River"
            ),
            _story_incidents(
                ctx, rng, "flood", ["45", "40", "44"], 0.45, "2026-09-10", 18, late, (0.15, 0.5), "the Chi River"
            ),
            _story_incidents(
                ctx, rng, "haze", list(TH_HAZE_PROVINCES), 0.5, "2026-02-25", 12, [(1.0, "2026-03-20", 21)], (0.2, 0.6)
            ),
            _story_incidents(ctx, rng, "storm", ["80"], 0.35, "2025-11-20", 15, [(1.0, "2025-12-10", 20)], (0.1, 0.4)),
            _story_incidents(
                ctx,
                rng,
                "flood",
                ["90"],
                0.3,
                "2025-11-22",
                6,
                [(1.0, "2025-12-05", 14)],
                (0.1, 0.35),
                "heavy rain in Hat Yai",
            ),
            _story_incidents(
                ctx,
                rng,
                "violence",
                list(TH_DEEP_SOUTH),
                0.12,
                "2026-06-01",
                140,
                [(0.5, "2026-10-01", 20), (0.5, None, 0)],
                (0.05, 0.2),
            ),
        ]
    else:
        late = [(0.35, None, 0), (0.4, "2026-10-03", 20), (0.25, "2026-09-10", 15)]
        story += [
            _story_incidents(
                ctx, rng, "flood", ["LA-AT"], 0.8, "2026-08-03", 20, late, (0.25, 0.6), "the Xekong River"
            ),
            _story_incidents(ctx, rng, "flood", ["LA-XE"], 0.6, "2026-08-05", 20, late, (0.2, 0.5), "the Xekong River"),
            _story_incidents(
                ctx, rng, "flood", ["LA-SL"], 0.5, "2026-08-08", 20, late, (0.15, 0.45), "the Xedon River"
            ),
            _story_incidents(ctx, rng, "flood", ["LA-CH"], 0.5, "2026-08-10", 20, late, (0.15, 0.45), "the Mekong"),
        ]
    parts += [p for p in story if p is not None]
    cols = {
        k: np.concatenate([p[k] for p in parts])
        for k in ("dist", "type", "start", "end", "schools", "students", "school", "severity", "story")
    }
    river = np.concatenate([p.get("river", np.full(len(p["dist"]), "", dtype=object)) for p in parts])
    # violence story: one school named per incident
    is_viol = (cols["type"] == "violence") & cols["story"]
    cols["school"][is_viol] = _pick_school(ctx, cols["dist"][is_viol], rng)
    cols["severity"][is_viol] = "high"
    end = cols["end"].astype("datetime64[D]")
    end = np.where(end > ctx.as_of, np.datetime64("NaT"), end)
    order = np.lexsort((cols["type"].astype(str), cols["dist"], cols["start"]))
    cols = {k: v[order] for k, v in cols.items()}
    end, river = end[order], river[order]
    n = len(order)

    ago = (ctx.as_of - end).astype("timedelta64[D]").astype(float)
    active = np.isnat(end)
    status = np.where(active, "active", np.where(ago <= 30, "recovering", "closed")).astype(object)
    sch = ctx.schools
    names = sch["name"].to_numpy()
    prov_names = ctx.prov_names[ctx.dist_prov]
    k_spaces = rng.integers(2, 15, n)
    disease_i = rng.integers(0, 2, n)
    resp_i = rng.integers(0, 10, n)
    null_resp = active & (rng.random(n) < 0.5)
    responses = _RESPONSES[ctx.country]
    other = "Landslide risk" if ctx.country == "th" else "Unexploded ordnance found"
    disease = ("hand, foot and mouth disease", "dengue fever") if ctx.country == "th" else ("dengue fever", "influenza")
    desc, resp = [], []
    for i in range(n):
        kind, d = cols["type"][i], cols["dist"][i]
        school = names[cols["school"][i]] if cols["school"][i] >= 0 else f"a school in {ctx.dist_names[d]}"
        text = _DESC[kind].format(
            district=ctx.dist_names[d],
            province=prov_names[d],
            schools=cols["schools"][i],
            students=int(cols["students"][i]),
            school=school,
            other=other,
            disease=disease[disease_i[i]],
        )
        if river[i]:
            text = text.replace("Flooding in", f"Flooding from {river[i]} in", 1)
        if kind == "violence" and cols["story"][i]:
            text = (
                f"Arson attack on {school}, {ctx.dist_names[d]} district, {prov_names[d]}: "
                f"{cols['schools'][i]} nearby schools closed for safety, {int(cols['students'][i]):,} students "
                "affected."
            )
        desc.append(text)
        options = responses[kind]
        resp.append(None if null_resp[i] else options[resp_i[i] % len(options)].format(k=k_spaces[i]))
    ids = np.char.add(f"{ctx.cfg['cc']}-INC-", np.char.zfill(np.arange(1, n + 1).astype(str), 5))
    frame = pd.DataFrame(
        dict(
            incident_id=ids.astype(object),
            type=cols["type"],
            started_at=cols["start"].astype("datetime64[D]"),
            ended_at=end,
            area_id=ctx.dist_ids[cols["dist"]],
            school_id=np.where(cols["school"] >= 0, sch["school_id"].to_numpy()[np.maximum(cols["school"], 0)], None),
            schools_affected=cols["schools"].astype(np.int64),
            students_affected=cols["students"].astype(np.int64),
            severity=cols["severity"],
            status=status,
            description=np.array(desc, dtype=object),
            response=np.array(resp, dtype=object),
        )
    )
    closed, affected = _monthly_impact(ctx, cols["dist"], cols["start"], end, cols["schools"], cols["students"])
    return frame, closed, affected


def _monthly_impact(ctx: _Ctx, dist, start, end, schools, students):
    """Schools closed and students affected per district and month, from the incidents active in each month."""
    months = ctx.periods["month"]
    m0 = _month_ord(months[:1])[0]
    M = len(months)
    first = _month_ord(start) - m0
    last = _month_ord(np.where(np.isnat(end), ctx.as_of, end)) - m0
    length = np.maximum(0, last - first + 1)
    rep = np.repeat(np.arange(len(dist)), length)
    offset = np.arange(len(rep)) - np.repeat(np.cumsum(length) - length, length)
    month = first[rep] + offset
    ok = (month >= 0) & (month < M)
    closed = np.zeros((ctx.D, M))
    affected = np.zeros((ctx.D, M))
    np.add.at(closed, (dist[rep][ok], month[ok]), schools[rep][ok])
    np.add.at(affected, (dist[rep][ok], month[ok]), students[rep][ok])
    closed = np.minimum(closed, ctx.n_schools[:, None])
    affected = np.minimum(affected, ctx.students[:, None])
    return closed, affected


# --------------------------------------------------------------------------------------------------
# Observations


@dataclass
class _Series:
    """One indicator's rows: arrays shaped (D, P, S) with S = 1 (total) or 3 (total, female, male)."""

    periods: np.ndarray
    value: np.ndarray
    num: np.ndarray
    den: np.ndarray  # NaN for sum indicators
    target: np.ndarray


def _latent(ctx: _Ctx, g: dict, rng) -> np.ndarray:
    """This indicator's disadvantage per district: the common one plus its own province and district parts."""
    rho = g.get("rho", 0.75)
    own = 0.6 * rng.standard_normal(len(ctx.prov_ids))[ctx.dist_prov] + 0.8 * rng.standard_normal(ctx.D)
    return rho * ctx.z + np.sqrt(1 - rho**2) * own


def _level(ctx: _Ctx, ind: Indicator, g: dict, periods, rng, zi=None) -> np.ndarray:
    """(D, P) values in value units: mean - disadvantage - trend back in time + noise."""
    sign = 1.0 if ind.direction == "higher_is_better" else -1.0
    zi = _latent(ctx, g, rng) if zi is None else zi
    yb = ctx.years_back(periods)
    eff = 8.0 * np.tanh(yb / 8.0)  # old history flattens out
    trend_d = g.get("tr", 0.0) * np.exp(0.3 * rng.standard_normal(ctx.D))
    v = g["m"] - sign * g["s"] * zi[:, None] - sign * trend_d[:, None] * eff[None, :]
    v = v + g.get("nz", 0.0) * rng.standard_normal((ctx.D, len(periods)))
    if g.get("prio"):
        v = v - sign * g["prio"] * ctx.priority[:, None]
    return v


def _den(ctx: _Ctx, g: dict, periods, rng, basis=None) -> np.ndarray:
    base = ctx.bases[basis or g["den"]] * g.get("df", 1.0)
    popf = np.exp(-ctx.cfg["pop_growth"] * ctx.years_back(periods))
    noise = np.exp(0.02 * rng.standard_normal((ctx.D, len(periods))))
    return np.maximum(1.0, np.round(base[:, None] * popf[None, :] * noise))


def _ratio_rows(ctx, ind: Indicator, g, periods, rate, den, rng, zi=None, sex=None) -> tuple:
    """(value, num, den) shaped (D, P, S) from rates in value units, split by sex when asked."""
    lo, hi = g.get("lo", -np.inf), g.get("hi", np.inf)
    sex = ind.sex if sex is None else sex
    if not sex:
        num = np.round(np.clip(rate, lo, hi) / ind.scale * den)
        return (ind.scale * num / den)[..., None], num[..., None], den[..., None]
    gap = g.get("gap", 0.0) + g.get("gz", 0.0) * (zi if zi is not None else ctx.z)[:, None]
    den_f = np.round(den * ctx.cfg["female_pop"] if ind.model != "trained" else den * ctx.cfg["female_staff"])
    den_f = np.clip(den_f, 1, den - 1)
    den_m = den - den_f
    num_f = np.round(np.clip(rate + gap / 2, lo, hi) / ind.scale * den_f)
    num_m = np.round(np.clip(rate - gap / 2, lo, hi) / ind.scale * den_m)
    return _stack_sex(ind.scale, num_f, den_f, num_m, den_m)


def _stack_sex(scale, num_f, den_f, num_m, den_m):
    num = np.stack([num_f + num_m, num_f, num_m], axis=-1)
    den = np.stack([den_f + den_m, den_f, den_m], axis=-1)
    return scale * num / den, num, den


def _trajectory(ctx: _Ctx, ind: Indicator, spec: dict, freq: str, value, num, den) -> np.ndarray:
    """Each row's target: the period's point on a straight line from the national baseline to the target."""
    D, P, S = value.shape
    target = spec.get("target")
    out = np.full((D, P, S), np.nan)
    if target is None:
        return out
    if ind.aggregation == "sum":
        out[:] = target
        return out
    window = {"year": 5, "month": 60, "term": 10}[freq]
    per_year = {"year": 1, "month": 12, "term": 2}[freq]
    w0 = max(0, P - window)
    reach = P - 1 + ctx.cfg["target_horizon"] * per_year  # the period index at which the target is due
    higher = ind.direction == "higher_is_better"

    def line(mask, goal):
        if ind.aggregation == "parity":
            f = num[mask, :, 1].sum(0) / den[mask, :, 1].sum(0)
            m = num[mask, :, 2].sum(0) / den[mask, :, 2].sum(0)
            nat = f / m
        else:
            nat = ind.scale * num[mask, :, 0].sum(0) / den[mask, :, 0].sum(0)
        base = nat[w0]
        if (base >= goal) if higher else (base <= goal):
            return np.full(P, float(goal))
        frac = np.clip((np.arange(P) - w0) / max(1, reach - w0), 0, 1)
        return np.round(base + (goal - base) * frac, 3)

    everyone = np.ones(D, bool)
    out[:] = line(everyone, target)[None, :, None]
    if spec.get("target_priority") is not None and ctx.priority.any():
        out[ctx.priority] = line(ctx.priority, spec["target_priority"])[None, :, None]
    if ind.aggregation == "parity" and S == 3:
        out[:, :, 1:] = np.nan
    return out


def _story_shift(ctx: _Ctx, ind: Indicator, periods: np.ndarray, v: np.ndarray) -> np.ndarray:
    """The stories that live in a generic indicator's values."""
    P = len(periods)
    if ind.id == "dropout_rate":
        provs, ramp = (
            (TH_DROPOUT_PROVINCES, [0.0, 0.45, 0.95, 1.5])
            if ctx.country == "th"
            else (LA_DROPOUT_PROVINCES, [0, 1.2, 2.5, 4.0])
        )
        bump = np.zeros(P)
        k = min(P, len(ramp))
        bump[P - k :] = ramp[len(ramp) - k :]
        v = v + ctx.in_provinces(provs)[:, None] * bump[None, :]
    elif ind.id == "reporting_completeness" and ctx.country == "th":
        late = ctx.in_provinces(TH_LATE_REPORTING)
        dip = np.zeros(P)
        dip[-4:] = [18, 26, 32, 35][-min(4, P) :]
        v = v - late[:, None] * dip[None, :]
    return v


def _mass_speed(ctx: _Ctx) -> np.ndarray:
    """Per-province pace of the Lao MASS capacity programme (shared by policy_progress and the skills score)."""
    rng = _rng(ctx.seed, ctx.country, "mass_speed")
    return rng.uniform(0.3, 1.15, len(ctx.prov_ids))


def _observations(ctx: _Ctx, closed: np.ndarray, affected: np.ndarray) -> tuple[dict, dict]:
    cc = ctx.country
    out: dict[str, _Series] = {}
    for ind in CATALOGUE:
        spec = ind.spec(cc)
        if spec is None or ind.kind != "kpi":
            continue
        freq = spec.get("frequency", ind.frequency)
        periods = ctx.periods[freq]
        rng = _rng(ctx.seed, cc, "obs", ind.id)
        g = spec.get("g", {})
        model = ind.model
        if model in ("rate", "trained"):
            zi = _latent(ctx, g, rng)
            rate = _story_shift(ctx, ind, periods, _level(ctx, ind, g, periods, rng, zi))
            den = _den(ctx, g, periods, rng)
            value, num, den3 = _ratio_rows(ctx, ind, g, periods, rate, den, rng, zi)
            if model == "trained" and "men" in g:
                num, value = _tracer_year(ctx, g, rate, den3, num, rng)
        elif model == "applied":
            trained = out["staff_trained"]
            zi = _latent(ctx, g, rng)
            rate = _level(ctx, ind, g, trained.periods, rng, zi)
            den = np.round(trained.num[:, :, 0] * g.get("df", 1.0))
            value, num, den3 = _ratio_rows(ctx, ind, g, trained.periods, rate, np.maximum(den, 1), rng)
            den3 = np.where(den[..., None] > 0, den3, 0.0)
            periods = trained.periods
        elif model == "score":
            zi = _latent(ctx, g, rng)
            score = _level(ctx, ind, g, periods, rng, zi)
            if "mass_gain" in g:  # the MASS programme lifts scores where it moves
                speed = _mass_speed(ctx)[ctx.dist_prov]
                ramp = np.clip((_year_frac(periods) - ctx.year(2023.0)) / 3.5, 0, 1)
                score = score + g["mass_gain"] * speed[:, None] * ramp[None, :]
            score = np.round(np.clip(score, g["lo"], g["hi"]), 2)
            den = _den(ctx, g, periods, rng)
            num = score * den
            value, num, den3 = (num / den)[..., None], num[..., None], den[..., None]
        elif model == "parity":
            value, num, den3 = _parity(ctx, ind, g, periods, rng)
        elif model in ("closed", "affected"):
            v = closed if model == "closed" else affected
            value = num = v[..., None].astype(float)
            den3 = np.full_like(value, np.nan)
        elif model == "attendance":
            value, num, den3 = _attendance(ctx, ind, g, periods, affected, rng)
        elif model == "budget":
            value, num, den3 = _budget(ctx, ind, g, periods, rng)
        elif model == "ptr":
            value, num, den3 = _ptr(ctx, periods, rng)
        elif model == "school_share":
            value, num, den3 = _school_share(ctx, g, periods, rng)
        elif model == "adoption":
            value, num, den3 = _adoption(ctx, g, periods, rng)
        elif model == "flag":
            value, num, den3 = _flag(ctx, g, periods, rng)
        else:  # pragma: no cover
            raise ValueError(f"unknown model {model!r} for {ind.id}")
        target = _trajectory(ctx, ind, spec, freq, value, num, den3)
        out[ind.id] = _Series(periods, value, num, den3, target)
    return out, {ind.id: (ind.spec(cc).get("frequency", ind.frequency)) for ind in CATALOGUE if ind.id in out}


def _undelivered(series: _Series, periods: int) -> _Series:
    """The series without its newest `periods`: a source whose latest deliveries have not arrived."""
    keep = slice(0, len(series.periods) - periods)
    return _Series(series.periods[keep], *(a[:, keep] for a in (series.value, series.num, series.den, series.target)))


def _tracer_year(ctx: _Ctx, g: dict, rate, den3, num, rng):
    """Lao staff trained: in the latest year exactly `men` men and `women` women nationally (the tracer study)."""
    lo, hi = g["lo"], g["hi"]
    propensity = np.clip(rate[:, -1], lo, hi)
    num = num.copy()
    for s, total in ((2, g["men"]), (1, g["women"])):
        p = den3[:, -1, s] * propensity
        alloc = rng.multinomial(total, p / p.sum()).astype(float)
        num[:, -1, s] = np.minimum(alloc, den3[:, -1, s])
    # every district sends someone: move one man from the best-served districts to each district without a trainee
    empty = np.flatnonzero(num[:, -1, 1] + num[:, -1, 2] == 0)
    if empty.size:
        donors = np.argsort(-num[:, -1, 2], kind="stable")[: empty.size]
        num[donors, -1, 2] -= 1
        num[empty, -1, 2] += 1
    num[:, -1, 0] = num[:, -1, 1] + num[:, -1, 2]
    return num, 100.0 * num / den3


def _parity(ctx: _Ctx, ind, g, periods, rng):
    zi = _latent(ctx, g, rng)
    gpi = np.clip(_level(ctx, ind, g, periods, rng, zi), g["lo"], g["hi"])
    ger = g["ger"] + g["ger_s"] * rng.standard_normal(ctx.D)[:, None] + 0.5 * rng.standard_normal(gpi.shape)
    den = _den(ctx, g, periods, rng)
    den_f = np.round(den * ctx.cfg["female_pop"])
    den_m = den - den_f
    num_f = np.round(ger * np.sqrt(gpi) / 100 * den_f)
    num_m = np.round(ger / np.sqrt(gpi) / 100 * den_m)
    _, num, den3 = _stack_sex(1.0, num_f, den_f, num_m, den_m)
    value = num / den3
    value[..., 0] = value[..., 1] / value[..., 2]
    return value, num, den3


def _attendance(ctx: _Ctx, ind, g, periods, affected, rng):
    rate = _level(ctx, ind, g, periods, rng)
    moy = _month_of_year(periods)
    north = (
        ctx.in_provinces(TH_HAZE_PROVINCES)
        if ctx.country == "th"
        else np.isin(ctx.prov_ids[ctx.dist_prov], ["LA-PH", "LA-LM", "LA-OU", "LA-BK", "LA-LP", "LA-HO", "LA-XA"])
    )
    rate = rate - north[:, None] * (moy == 3)[None, :] * 1.5  # the smoke season every March
    share = affected / ctx.students[:, None]
    rate = rate - 35.0 * share
    if ctx.country == "th":
        days = np.array([20, 19, 14, 3, 10, 21, 21, 19, 20, 6, 18, 17])
    else:
        days = np.array([20, 19, 20, 14, 20, 10, 3, 3, 18, 21, 20, 16])
    den = _den(ctx, dict(den="students"), periods, rng) * days[moy - 1][None, :]
    num = np.round(np.clip(rate, g["lo"], g["hi"]) / 100 * den)
    return (100 * num / den)[..., None], num[..., None], den[..., None]


def _budget(ctx: _Ctx, ind, g, periods, rng):
    fy = ctx.cfg["fy_month"]
    fm = (_month_of_year(periods) - fy) % 12 + 1  # month of the fiscal year, 1..12
    fy_id = _month_ord(periods) - (fm - 1)  # first month of each period's fiscal year
    zi = _latent(ctx, g, rng)
    level = g["m"] - g["s"] * zi
    r = level[:, None] - 3.0 * (12 - fm)[None, :] / 11 + g["nz"] * rng.standard_normal((ctx.D, len(periods)))
    if ctx.country == "la":  # this fiscal year's lag in a few provinces
        current = fy_id == fy_id[-1]
        r = r - 22.0 * ctx.in_provinces(LA_BUDGET_LAG_PROVINCES)[:, None] * current[None, :]
    r = np.clip(r, g["lo"], g["hi"])
    annual = ctx.students * ctx.cfg["per_student"] * np.exp(0.1 * rng.standard_normal(ctx.D))
    popf = np.exp(-ctx.cfg["pop_growth"] * ctx.years_back(periods))
    den = np.maximum(1.0, np.round(annual[:, None] * popf[None, :] * (fm / 12)[None, :]))
    num = np.round(r / 100 * den)
    return (100 * num / den)[..., None], num[..., None], den[..., None]


def _ptr(ctx: _Ctx, periods, rng):
    """Latest year: exactly the schools extract; earlier years: a little worse, with noise."""
    yb = ctx.years_back(periods)
    eff = 8.0 * np.tanh(np.maximum(yb, 0) / 8.0)
    popf = np.exp(-ctx.cfg["pop_growth"] * yb)
    students = np.round(
        ctx.students[:, None] * popf[None, :] * np.exp(0.01 * rng.standard_normal((ctx.D, len(periods))))
    )
    ptr = (
        (ctx.students / ctx.teachers)[:, None]
        * (1 + 0.012 * eff[None, :])
        * np.exp(0.02 * rng.standard_normal((ctx.D, len(periods))))
    )
    teachers = np.maximum(1, np.round(students / ptr))
    students[:, -1], teachers[:, -1] = ctx.students, ctx.teachers
    return (students / teachers)[..., None], students[..., None], teachers[..., None]


def _school_share(ctx: _Ctx, g, periods, rng):
    sch = ctx.schools
    if g["col"] == "small":
        flag = (sch["students"] < ctx.cfg["small_school"]).to_numpy()
    else:
        flag = sch[g["col"]].to_numpy()
    latest = np.bincount(sch["_dist"].to_numpy(), weights=flag.astype(float), minlength=ctx.D)
    den = ctx.n_schools.astype(float)
    eff = np.maximum(ctx.years_back(periods), 0)
    rate_d = g["decline"] * np.exp(0.3 * rng.standard_normal(ctx.D))
    factor = np.clip(1 - rate_d[:, None] * 8.0 * np.tanh(eff[None, :] / 8.0), 0, None)
    num = np.minimum(den[:, None], np.round(latest[:, None] * factor))
    num[:, -1] = latest
    den2 = np.repeat(den[:, None], len(periods), axis=1)
    return (100 * num / den2)[..., None], num[..., None], den2[..., None]


def _adoption(ctx: _Ctx, g, periods, rng):
    zi = _latent(ctx, dict(rho=0.6), rng)
    centre = ctx.year(g["center"]) + g["zc"] * zi + 0.3 * rng.standard_normal(ctx.D)
    t = _year_frac(periods)
    rate = g["cap"] * _logistic((t[None, :] - centre[:, None]) / g["width"])
    den = np.repeat((ctx.n_schools + 1.0)[:, None], len(periods), axis=1)
    num = np.round(rate / 100 * den)
    return (100 * num / den)[..., None], num[..., None], den[..., None]


def _flag(ctx: _Ctx, g, periods, rng):
    zi = _latent(ctx, dict(rho=0.6), rng)
    q = np.clip(rng.random(ctx.D) + g["zc"] * zi, 0, 1)
    p = g["cap"] * _logistic((_year_frac(periods) - ctx.year(g["center"])) / g["width"])
    num = (q[:, None] < p[None, :]).astype(float)
    den = np.ones_like(num)
    return (100 * num)[..., None], num[..., None], den[..., None]


def _observation_table(ctx: _Ctx, series: dict[str, _Series], freqs: dict[str, str]) -> pa.Table:
    parts = {k: [] for k in ("ind", "area", "period", "sex", "value", "num", "den", "target")}
    ids = list(series)
    for i, key in enumerate(ids):
        s = series[key]
        D, P, S = s.value.shape
        keep = np.isfinite(s.den) & (s.den > 0) if np.isfinite(s.den).any() else np.ones((D, P, S), bool)
        keep = keep.reshape(-1)
        parts["ind"].append(np.full(keep.sum(), i, np.int32))
        parts["area"].append(np.repeat(np.arange(D, dtype=np.int32), P * S)[keep])
        parts["period"].append(np.tile(np.repeat(s.periods, S), D)[keep])
        parts["sex"].append(np.tile(np.arange(S, dtype=np.int32), D * P)[keep])
        for name, arr in (("value", s.value), ("num", s.num), ("den", s.den), ("target", s.target)):
            parts[name].append(arr.reshape(-1)[keep].astype(float))
    cat = {k: np.concatenate(v) for k, v in parts.items()}
    if not np.isfinite(cat["value"]).all():
        raise ValueError("demo generator produced a non-finite observation value")
    ind_ids = pa.array(ids, pa.string())
    period_types = pa.array([freqs[k] for k in ids], pa.string())
    return pa.table(
        {
            "area_id": pa.DictionaryArray.from_arrays(pa.array(cat["area"]), pa.array(ctx.dist_ids.astype(str))).cast(
                pa.string()
            ),
            "indicator_id": pa.DictionaryArray.from_arrays(pa.array(cat["ind"]), ind_ids).cast(pa.string()),
            "period_start": pa.array(cat["period"].astype("datetime64[D]"), pa.date32()),
            "period_type": pa.DictionaryArray.from_arrays(pa.array(cat["ind"]), period_types).cast(pa.string()),
            "sex": pa.DictionaryArray.from_arrays(pa.array(cat["sex"]), pa.array(list(schema.SEXES))).cast(pa.string()),
            "value": pa.array(cat["value"], pa.float64()),
            "numerator": pa.array(cat["num"], pa.float64(), from_pandas=True),
            "denominator": pa.array(cat["den"], pa.float64(), from_pandas=True),
            "target": pa.array(cat["target"], pa.float64(), from_pandas=True),
        }
    )


def _indicator_columns(country: str) -> dict:
    rows = [ind for ind in CATALOGUE if ind.spec(country) is not None]
    col = lambda f: [f(ind) for ind in rows]  # noqa: E731
    spec = lambda ind, k: ind.spec(country).get(k)  # noqa: E731
    return dict(
        indicator_id=col(lambda i: i.id),
        kind=col(lambda i: i.kind),
        name_en=col(lambda i: i.names[0]),
        name_th=col(lambda i: i.names[1]),
        name_lo=col(lambda i: i.names[2]),
        question_en=col(lambda i: i.questions[0]),
        question_th=col(lambda i: i.questions[1]),
        question_lo=col(lambda i: i.questions[2]),
        unit=col(lambda i: i.unit),
        decimals=col(lambda i: i.decimals),
        direction=col(lambda i: i.direction),
        aggregation=col(lambda i: i.aggregation),
        scale=col(lambda i: float(i.scale)),
        wall=col(lambda i: i.wall),
        chain_parent=col(lambda i: i.parent),
        target=col(lambda i: None if spec(i, "target") is None else float(spec(i, "target"))),
        amber=col(lambda i: None if spec(i, "amber") is None else float(spec(i, "amber"))),
        red=col(lambda i: None if spec(i, "red") is None else float(spec(i, "red"))),
        source=col(lambda i: spec(i, "source")),
        frequency=col(lambda i: spec(i, "frequency") or i.frequency),
    )


# --------------------------------------------------------------------------------------------------
# Policies and their progress


def _quarters(start: np.datetime64, end: np.datetime64, as_of: np.datetime64) -> np.ndarray:
    last = min(end, as_of)
    q0 = _month_ord(np.array([start]))[0]
    q0 -= q0 % 3
    q1 = _month_ord(np.array([last]))[0]
    return np.arange(q0, q1 + 1, 3).astype("datetime64[M]").astype("datetime64[D]")


def _smoothstep(x):
    x = np.clip(x, 0, 1)
    return x * x * (3 - 2 * x)


def _policies(ctx: _Ctx) -> tuple[dict, pa.Table]:
    cfg = _TH_POLICIES if ctx.country == "th" else _LA_POLICIES
    rng = _rng(ctx.seed, ctx.country, "policies")
    prog = cfg["programme"]
    P = len(ctx.prov_ids)
    prov_students = np.bincount(ctx.dist_prov, weights=ctx.students, minlength=P)
    prov_z = np.bincount(ctx.dist_prov, weights=ctx.z, minlength=P) / np.bincount(ctx.dist_prov, minlength=P)
    has_priority = np.bincount(ctx.dist_prov, weights=ctx.priority.astype(float), minlength=P) > 0
    lagging = np.isin(ctx.prov_ids, LA_BUDGET_LAG_PROVINCES) if ctx.country == "la" else np.zeros(P, bool)
    obstacles = _TH_OBSTACLES if ctx.country == "th" else _LA_OBSTACLES

    rows = dict(
        policy_id=[],
        parent_id=[],
        level=[],
        name_en=[],
        name_local=[],
        owner=[],
        start=[],
        end=[],
        budget=[],
        indicator_id=[],
    )

    def add(pid, parent, level, en, local, owner, start, end, budget, indicator):
        for k, v in zip(
            rows, (pid, parent, level, en, local, owner, start, end, float(round(budget)), indicator), strict=True
        ):
            rows[k].append(v)

    total_budget = sum(p["budget"] for p in cfg["policies"])
    add(
        prog["id"],
        None,
        "programme",
        prog["en"],
        prog["local"],
        prog["owner"],
        ctx.day(prog["start"]),
        ctx.day(prog["end"]),
        total_budget,
        None,
    )
    progress_parts = []
    for pol in cfg["policies"]:
        start, end = ctx.day(pol.get("start", prog["start"])), ctx.day(pol.get("end", prog["end"]))
        add(
            pol["id"],
            prog["id"],
            "policy",
            pol["en"],
            pol["local"],
            pol["owner"],
            start,
            end,
            pol["budget"],
            pol["indicator"],
        )
        quarters = _quarters(_d(start), _d(end), ctx.as_of)
        Q = len(quarters)
        q_end = np.minimum(quarters.astype("datetime64[M]") + 3, ctx.as_of.astype("datetime64[M]") + 1)
        q_end = np.minimum(q_end.astype("datetime64[D]"), ctx.as_of)
        x = (q_end - _d(start)).astype(float) / (_d(end) - _d(start)).astype(float)
        planned = np.round(100 * _smoothstep(x), 1)
        provs = np.flatnonzero(has_priority) if pol.get("priority_only") else np.arange(P)
        n = len(provs)
        if pol.get("uneven"):
            speed = _mass_speed(ctx)[provs]
        else:
            speed = np.clip(rng.normal(pol.get("pace", 0.95), 0.08, n) - 0.06 * prov_z[provs], 0.5, 1.12)
        share = prov_students[provs] ** 0.8
        share = share / share.sum()
        disb_ratio = np.clip(rng.normal(0.95, 0.04, n), 0.8, 1.02)[:, None] * np.ones(Q)
        # this fiscal year's lag (Lao PDR): disbursement stalls from January in a few provinces
        this_fy = quarters >= np.datetime64(f"{ctx.as_of.astype('datetime64[Y]')}-01-01")
        disb_ratio = np.where(lagging[provs][:, None] & this_fy[None, :], 0.55 * disb_ratio, disb_ratio)
        stalled = np.zeros(n, bool)
        if pol["id"] == TH_STALLED_POLICY:
            stalled = np.isin(ctx.prov_ids[provs], TH_STALLED_PROVINCES)
        proj_prog, proj_budget = [], []
        for pid, en, local, part in pol["projects"]:
            add(pid, pol["id"], "project", en, local, pol["owner"], start, end, pol["budget"] * part, pol["indicator"])
            sp = (
                speed[:, None] * np.exp(0.06 * rng.standard_normal((n, 1))) * np.exp(0.04 * rng.standard_normal((n, Q)))
            )
            prg = np.minimum(100.0, planned[None, :] * sp)
            prg = np.minimum(prg, planned[None, :] + 10)
            not_started = (planned[None, :] < 6) & (rng.random((n, Q)) < 0.35)
            prg = np.where(not_started, 0.0, prg)
            prg = np.maximum.accumulate(np.round(prg, 1), axis=1)
            if stalled.any() and Q > 4:
                prg[stalled, -4:] = prg[stalled, -5][:, None]
            proj_prog.append(prg)
            proj_budget.append(pol["budget"] * part)
            progress_parts.append(
                (pid, provs, quarters, planned, prg, pol["budget"] * part, share, disb_ratio, stalled, pol["id"])
            )
        weights = np.array(proj_budget) / sum(proj_budget)
        prg = np.round(sum(w * p for w, p in zip(weights, proj_prog, strict=True)), 1)
        if stalled.any() and Q > 4:
            prg[stalled, -4:] = prg[stalled, -5][:, None]
        progress_parts.append(
            (pol["id"], provs, quarters, planned, prg, pol["budget"], share, disb_ratio, stalled, pol["id"])
        )

    pp = {k: [] for k in ("policy_id", "area", "period", "progress", "planned", "bplan", "bdisb", "status", "note")}
    for pid, provs, quarters, planned, prg, budget, share, disb_ratio, stalled, pol_id in progress_parts:
        n, Q = prg.shape
        plan2 = np.repeat(planned[None, :], n, axis=0)
        bplan = np.round(budget * share[:, None] * plan2 / 100)
        spent = np.minimum(prg, plan2 + 3) / 100
        bdisb = budget * share[:, None] * spent * disb_ratio * np.exp(0.03 * rng.standard_normal((n, Q)))
        bdisb = np.maximum.accumulate(np.round(np.maximum(bdisb, 0)), axis=1)
        gap = prg - plan2
        status = np.where(gap >= -5, "on_track", np.where(gap >= -15, "at_risk", "off_track")).astype(object)
        status[prg == 0] = "not_started"
        pick = rng.integers(0, 1000, (n, Q))
        u = rng.random((n, Q))
        specific = _POLICY_OBSTACLES.get(pol_id, ())
        pool = np.array(list(specific) * 2 + list(obstacles), dtype=object)
        note = np.full((n, Q), None, dtype=object)
        bad = ((status == "off_track") & (u < 0.85)) | ((status == "at_risk") & (u < 0.6))
        note[bad] = pool[pick[bad] % len(pool)]
        good = (status == "on_track") & (u < 0.06)
        note[good] = np.array(_ON_TRACK_NOTES, dtype=object)[pick[good] % len(_ON_TRACK_NOTES)]
        ns = (status == "not_started") & (u < 0.7)
        note[ns] = "Not started: waiting for the budget allocation"
        if stalled.any() and Q > 4:
            stall_notes = np.array(_STALL_NOTES, dtype=object)
            note[stalled, -4:] = stall_notes[pick[stalled, -4:] % len(stall_notes)]
        if lagging[provs].any():
            this_fy = quarters >= np.datetime64(f"{ctx.as_of.astype('datetime64[Y]')}-01-01")
            lag_rows = lagging[provs][:, None] & this_fy[None, :] & (bdisb < 0.8 * bplan) & (u < 0.7)
            note[lag_rows] = "Disbursement behind plan: provincial treasury slow to release funds"
        pp["policy_id"].append(np.full(n * Q, pid, dtype=object))
        pp["area"].append(np.repeat(provs, Q))
        pp["period"].append(np.tile(quarters, n))
        pp["progress"].append(prg.reshape(-1))
        pp["planned"].append(plan2.reshape(-1))
        pp["bplan"].append(bplan.reshape(-1))
        pp["bdisb"].append(bdisb.reshape(-1))
        pp["status"].append(status.reshape(-1))
        pp["note"].append(note.reshape(-1))
    cat = {k: np.concatenate(v) for k, v in pp.items()}
    order = np.lexsort((cat["period"], cat["area"], cat["policy_id"].astype(str)))
    cat = {k: v[order] for k, v in cat.items()}
    progress = pa.table(
        {
            "policy_id": pa.array(cat["policy_id"], pa.string()),
            "area_id": pa.array(ctx.prov_ids[cat["area"]].astype(str), pa.string()),
            "period_start": pa.array(cat["period"].astype("datetime64[D]"), pa.date32()),
            "progress_pct": pa.array(cat["progress"], pa.float64()),
            "planned_pct": pa.array(cat["planned"], pa.float64()),
            "budget_planned": pa.array(cat["bplan"], pa.float64()),
            "budget_disbursed": pa.array(cat["bdisb"], pa.float64()),
            "status": pa.array(cat["status"], pa.string()),
            "note": pa.array(cat["note"], pa.string()),
        }
    )
    return rows, progress


# --------------------------------------------------------------------------------------------------
# Assembly and writing

_ARROW = {
    "VARCHAR": pa.string(),
    "DOUBLE": pa.float64(),
    "BIGINT": pa.int64(),
    "BOOLEAN": pa.bool_(),
    "DATE": pa.date32(),
}


def _arrow_schema(name: str) -> pa.Schema:
    return pa.schema([pa.field(c.name, _ARROW[c.type]) for c in schema.BY_NAME[name].columns])


def _to_table(name: str, columns) -> pa.Table:
    """A table with exactly the contract's columns, in order, with the contract's types."""
    target = _arrow_schema(name)
    if isinstance(columns, pa.Table):
        return columns.select(target.names).cast(target)
    arrays = []
    for f in target:
        v = columns[f.name]
        if isinstance(v, pd.Series):
            v = v.to_numpy()
        if f.type == pa.date32():
            arr = np.asarray(v)
            if arr.dtype.kind == "M":
                v = pa.array(arr.astype("datetime64[D]"), pa.date32(), from_pandas=True)
            else:
                v = pa.array(list(arr), pa.date32())
        elif f.type == pa.string():
            v = pa.array([None if x is None or x is pd.NA or x != x else str(x) for x in v], pa.string())
        else:
            v = pa.array(v, f.type, from_pandas=True)
        arrays.append(v)
    return pa.Table.from_arrays(arrays, schema=target)


def _generate(country: str, scale: int, seed: int, as_of: date) -> dict[str, pa.Table]:
    if country not in COUNTRIES:
        raise ValueError(f"unknown country {country!r}; expected one of {COUNTRIES}")
    if scale < 1:
        raise ValueError("scale must be at least 1")
    cfg = _COUNTRY[country]
    as_of64 = _d(as_of)
    area_cols, provs, _, dists, dist_geoms = _areas(country, cfg)
    prov_ids = provs["code"].to_numpy().astype(str)
    prov_idx = np.searchsorted(prov_ids, dists["province_code"].to_numpy().astype(str))
    priority = np.asarray(area_cols["is_priority"][1 + len(provs) :])
    z = _disadvantage(country, seed, provs, dists, prov_idx, priority)
    periods, latest = _periods(country, cfg, as_of64, scale)
    ctx = _Ctx(
        country=country,
        cfg=cfg,
        seed=seed,
        scale=scale,
        as_of=as_of64,
        prov_ids=prov_ids,
        prov_names=provs["name_en"].to_numpy().astype(str),
        dist_ids=dists["code"].to_numpy().astype(str),
        dist_names=dists["name_en"].to_numpy().astype(str),
        dist_prov=prov_idx,
        polys=dist_geoms,
        priority=priority,
        z=z,
        periods=periods,
        latest_year=latest,
        shift_months=_months_between(STORY_AS_OF, as_of),
    )
    schools = _schools(ctx)
    dist = schools["_dist"].to_numpy()
    ctx.schools = schools
    ctx.n_schools = np.bincount(dist, minlength=ctx.D)
    ctx.school_start = np.concatenate([[0], np.cumsum(ctx.n_schools)[:-1]])
    ctx.students = np.bincount(dist, weights=schools["students"].to_numpy(), minlength=ctx.D)
    ctx.teachers = np.bincount(dist, weights=schools["teachers"].to_numpy(), minlength=ctx.D)
    ctx.bases = _bases(ctx)
    incidents, closed, affected = _incidents(ctx)
    series, freqs = _observations(ctx, closed, affected)
    if country == "th":
        series[TH_LATE_SOURCE] = _undelivered(series[TH_LATE_SOURCE], TH_LATE_SOURCE_MONTHS)
    policies, progress = _policies(ctx)
    return {
        "areas": _to_table("areas", area_cols),
        "area_groups": _to_table("area_groups", _area_groups(country)),
        "schools": _to_table("schools", schools),
        "indicators": _to_table("indicators", _indicator_columns(country)),
        "observations": _to_table("observations", _observation_table(ctx, series, freqs)),
        "incidents": _to_table("incidents", incidents),
        "policies": _to_table("policies", policies),
        "policy_progress": _to_table("policy_progress", progress),
    }


def build(
    country: str,
    out: Path,
    scale: int = DEFAULT_SCALE,
    seed: int = DEFAULT_SEED,
    as_of: date | None = None,
) -> Path:
    """Generate one country's extracts and swap them into `<out>/<country>/` atomically; returns that path.

    `as_of` defaults to the last month-end before today on the app's clock (see default_as_of).
    """
    out = Path(out)
    as_of = as_of or default_as_of()
    out.mkdir(parents=True, exist_ok=True)
    tables = _generate(country, scale, seed, as_of)
    final = out / country
    tmp = Path(tempfile.mkdtemp(prefix=f".{country}.new-", dir=out))
    try:
        tmp.chmod(0o755)  # mkdtemp makes it private; the swapped-in directory must be readable like any other
        for name, table in tables.items():
            pq.write_table(table, tmp / schema.BY_NAME[name].file_name, compression="zstd")
        errors = extracts.check(tmp)
        if errors:
            raise extracts.ExtractError(tmp, errors)
        manifest = {"as_of": as_of.isoformat(), "seed": seed, "scale": scale}
        (tmp / MANIFEST).write_text(json.dumps(manifest, indent=2) + "\n", encoding="utf-8")
        old = None
        if final.exists():
            old = Path(tempfile.mkdtemp(prefix=f".{country}.old-", dir=out))
            old.rmdir()
            final.rename(old)
        tmp.rename(final)
        if old is not None:
            shutil.rmtree(old, ignore_errors=True)
    except BaseException:
        shutil.rmtree(tmp, ignore_errors=True)
        raise
    return final


def default_as_of() -> date:
    """The last month-end before today on the app's clock: the newest month a ministry could have complete."""
    return clock.last_month_end(clock.today())


def manifest(directory: Path) -> dict | None:
    """What a demo set was built for (as_of, seed, scale), or None when it has no readable manifest."""
    try:
        found = json.loads((Path(directory) / MANIFEST).read_text(encoding="utf-8"))
        date.fromisoformat(found["as_of"])
        return found
    except (OSError, ValueError, KeyError, TypeError):
        return None


def ensure(out: Path, as_of: date | None = None) -> list[Path]:
    """Build the Thai and Lao demo extracts where missing or built for another as-of date; returns those built.

    A set built before for another as-of keeps its seed and scale (a benchmark's --scale 10 stays 10).
    """
    out, as_of = Path(out), as_of or default_as_of()
    built = []
    for country in COUNTRIES:
        found = manifest(out / country) if (out / country).is_dir() else None
        if found is not None and found["as_of"] == as_of.isoformat():
            continue
        seed = int(found.get("seed", DEFAULT_SEED)) if found else DEFAULT_SEED
        scale = int(found.get("scale", DEFAULT_SCALE)) if found else DEFAULT_SCALE
        built.append(build(country, out, scale, seed, as_of))
    return built


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m cockpit.demo", description="Write the demo extracts.")
    parser.add_argument("--country", choices=COUNTRIES, help="the country to build (required unless --ensure)")
    parser.add_argument(
        "--ensure", action="store_true", help="build th and la where missing or built for another as-of date"
    )
    parser.add_argument("--scale", type=int, default=DEFAULT_SCALE, help="multiplies schools and years of history")
    parser.add_argument("--seed", type=int, default=DEFAULT_SEED)
    parser.add_argument("--out", type=Path, default=DEFAULT_OUT)
    parser.add_argument(
        "--as-of",
        type=date.fromisoformat,
        default=None,
        dest="as_of",
        help="the last day of data (default: the last month-end before today, on the app's clock)",
    )
    args = parser.parse_args(argv)
    if args.ensure:
        for path in ensure(args.out, args.as_of):
            print(f"wrote {path} as of {manifest(path)['as_of']}")
        return 0
    if args.country is None:
        parser.error("--country is required (or use --ensure)")
    t0 = time.perf_counter()
    try:
        path = build(args.country, args.out, args.scale, args.seed, args.as_of)
    except extracts.ExtractError as exc:
        for err in exc.errors:
            print(f"contract error: {err}", file=sys.stderr)
        return 1
    elapsed = time.perf_counter() - t0
    print(f"wrote {path} in {elapsed:.1f} s")
    for ext in schema.EXTRACTS:
        rows = pq.ParquetFile(path / ext.file_name).metadata.num_rows
        print(f"  {ext.name:<16} {rows:>10,} rows")
    return 0


if __name__ == "__main__":
    sys.exit(main())
