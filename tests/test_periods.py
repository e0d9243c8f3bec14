"""Periods are named as their readers name them."""

from datetime import date

from cockpit import periods


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
