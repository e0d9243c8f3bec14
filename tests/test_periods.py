"""Periods are named as their readers name them."""

from datetime import date

import pandas as pd
import pytest

from cockpit import i18n, periods


def test_thai_fiscal_year_is_buddhist_era_of_its_end():
    assert periods.thai_fiscal_year(date(2023, 10, 1)) == 2567
    assert periods.thai_fiscal_year(date(2024, 9, 30)) == 2567
    assert periods.thai_fiscal_year(date(2024, 10, 1)) == 2568
    assert periods.fiscal_year_bounds(2567) == (date(2023, 10, 1), date(2024, 9, 30))


def test_labels_per_country_and_language():
    fy = date(2023, 10, 1)
    assert periods.label(fy, "year", "th", "en") == "FY2567"
    assert periods.label(fy, "year", "th", "th") == "ปีงบประมาณ 2567"
    assert periods.label(date(2023, 9, 1), "year", "la", "en") == "SY 2023–24"
    assert periods.label(date(2023, 9, 1), "year", "la", "lo") == "ສົກຮຽນ 2023–24"
    assert periods.label(date(2024, 5, 16), "term", "th", "th") == "ภาคเรียนที่ 1/2567"
    assert periods.label(date(2024, 11, 1), "term", "th", "en") == "Term 2/2567"
    assert periods.label(date(2023, 10, 1), "month", "th", "th") == "ต.ค. 2566"
    assert periods.label(date(2023, 10, 1), "month", "th", "en") == "Oct 2023"
    assert periods.label(date(2026, 9, 1), "month", "la", "lo").endswith("2026")


def test_period_ends():
    assert periods.period_end(date(2023, 10, 1), "year") == date(2024, 9, 30)
    assert periods.period_end(date(2024, 2, 1), "month") == date(2024, 2, 29)
    assert periods.period_end(date(2024, 12, 1), "month") == date(2024, 12, 31)
    assert periods.period_end(date(2024, 5, 16), "term") == date(2024, 10, 31)
    assert periods.period_end(date(2024, 11, 1), "term") == date(2025, 5, 15)


EXAMPLE = date(2026, 12, 31)


@pytest.mark.parametrize(
    ("typed", "lang"),
    [
        ("31/3/2570", "th"),  # the Buddhist era, as Thai readers write it
        ("31/03/2570", "th"),
        ("๓๑/๓/๒๕๗๐", "th"),  # Thai digits
        ("31 มี.ค. 2570", "th"),  # as the cockpit writes a day for a Thai reader
        ("31 มีนาคม 70", "th"),  # a two-digit year in the Buddhist era
        ("31/3/2027", "th"),  # the common era is read too
        ("2027-03-31", "th"),
        ("31.03.2027", "lo"),
        ("໓໑/໓/໒໐໒໗", "lo"),  # Lao digits
        ("31 ມີນາ 2027", "lo"),
        ("31/3/2570", "lo"),  # a year past 2400 is the Buddhist era for anyone
        ("31 Mar 27", "en"),
        ("  31 - 3 - 2027 ", "en"),
    ],
)
def test_a_typed_day_is_read_in_the_readers_calendar(typed, lang):
    assert periods.parse_day(typed, lang, EXAMPLE) == date(2027, 3, 31)


def test_nothing_typed_is_no_day():
    assert periods.parse_day("", "th", EXAMPLE) is None
    assert periods.parse_day("   ", "lo", EXAMPLE) is None


@pytest.mark.parametrize("typed", ["tomorrow", "2570", "31/3", "31/3/2570/1", "31 Smarch 2027", "3/31/2570x"])
def test_an_unreadable_day_says_how_to_write_one_in_the_readers_language(typed):
    with pytest.raises(periods.DayNotRead) as caught:
        periods.parse_day(typed, "th", EXAMPLE)
    shown = i18n.tr("th", caught.value.message, **caught.value.values)
    assert shown != caught.value.message.format(**caught.value.values)  # translated
    assert "31/12/2569" in shown  # the example in the Buddhist era
    lao = i18n.tr("lo", caught.value.message, **{**caught.value.values, "example": "31/12/2026"})
    assert "ວັນ/ເດືອນ/ປີ" in lao


@pytest.mark.parametrize("typed", ["31/2/2570", "1/13/2027", "0/1/2027"])
def test_a_day_the_calendar_does_not_have_is_refused(typed):
    with pytest.raises(periods.DayNotRead) as caught:
        periods.parse_day(typed, "en", EXAMPLE)
    assert "not a day of the calendar" in str(caught.value)


def test_days_are_written_in_the_readers_calendar():
    assert periods.day_label(date(2027, 3, 31), "th") == "31 มี.ค. 2570"
    assert periods.day_label(date(2027, 3, 31), "en") == "31 Mar 2027"
    assert periods.day_label(date(2027, 3, 31), "lo").endswith("2027")
    assert periods.typed_day_example("th", EXAMPLE) == "31/12/2569"
    assert periods.typed_day_example("lo", EXAMPLE) == "31/12/2026"


def test_a_moment_is_written_as_its_day_and_no_day_as_a_dash():
    """One formatter for every page, wall and document: a timestamp (a note written, an alert first seen) is its
    day; a decision with no due date reads '–', not 'NaT'."""
    assert periods.day_label(pd.Timestamp("2026-11-22 23:37", tz="Asia/Bangkok"), "th") == "22 พ.ย. 2569"
    assert periods.day_label("2026-11-22", "en") == "22 Nov 2026"
    assert periods.day_label(None, "lo") == periods.day_label(pd.NaT, "th") == "–"


def test_a_quarter_is_named_as_its_readers_count_it():
    """Thai offices count fiscal quarters (the year starts in October); Lao PDR's quarters are the calendar's."""
    assert periods.label(date(2026, 7, 1), "quarter", "th", "en") == "Q4 FY2569"
    assert periods.label(date(2026, 10, 1), "quarter", "th", "en") == "Q1 FY2570"
    assert periods.label(date(2026, 7, 1), "quarter", "la", "en") == "Q3 2026"
