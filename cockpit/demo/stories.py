"""The stories the demo data tells, and the provinces, districts and policy they are told in.

The generators read these constants, and the tests read them to find each story in the data. The stories'
dates are written for STORY_AS_OF; a demo built for another as-of date moves them by whole months, keeping
their place relative to it (`story_day`).
"""

from __future__ import annotations

from datetime import date

from cockpit.demo import common

# The stories' dates below are written for this as-of date; any other as-of moves them by whole months.
STORY_AS_OF = date(2026, 10, 31)

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


def story_day(day: date | str, as_of: date) -> date:
    """Where a date of the stories (written for STORY_AS_OF) falls in a demo built for `as_of`."""
    day = date.fromisoformat(day) if isinstance(day, str) else day
    return common.add_months(day, common.months_between(STORY_AS_OF, as_of))
