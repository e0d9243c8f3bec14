"""Periods named the way their readers name them: Thai fiscal years and terms in the Buddhist era, Lao school years.

Periods are stored as ISO dates (`period_start`) with a `period_type`. A Thai fiscal year runs
1 Oct - 30 Sep and is named by the Buddhist-era year it ends in (FY2567 = Oct 2023 - Sep 2024);
Thai academic terms start on 16 May (term 1) and 1 Nov (term 2) of the academic year named by
the Buddhist-era year it starts in; a Lao school year starts on 1 Sep.
"""

from __future__ import annotations

from datetime import date, timedelta

import pandas as pd
from babel.dates import get_month_names

from cockpit.i18n import locale, tr

BUDDHIST_ERA_OFFSET = 543
# What a 'year' period is in each country, and the month it starts in.
YEAR_START_MONTH = {"th": 10, "la": 9}


def as_date(value) -> date:
    if isinstance(value, pd.Timestamp):
        return value.date()
    if isinstance(value, date):
        return value
    return date.fromisoformat(str(value)[:10])


def thai_fiscal_year(day: date) -> int:
    """The Buddhist-era fiscal year a day falls in: 2023-10-01 -> 2567."""
    return day.year + (1 if day.month >= 10 else 0) + BUDDHIST_ERA_OFFSET


def fiscal_year_bounds(fiscal_year_be: int) -> tuple[date, date]:
    """First and last day of a Thai fiscal year given in the Buddhist era."""
    end_year = fiscal_year_be - BUDDHIST_ERA_OFFSET
    return date(end_year - 1, 10, 1), date(end_year, 9, 30)


def period_end(start, period_type: str) -> date:
    """The last day of a period."""
    start = as_date(start)
    if period_type == "year":
        return date(start.year + 1, start.month, start.day) - timedelta(days=1)
    if period_type == "month":
        nxt = date(start.year + (start.month == 12), start.month % 12 + 1, 1)
        return nxt - timedelta(days=1)
    if period_type == "term":
        # Thai terms: 16 May - 31 Oct, 1 Nov - 15 May
        if start.month == 5:
            return date(start.year, 10, 31)
        return date(start.year + 1, 5, 15)
    raise ValueError(f"unknown period type {period_type!r}")


def data_as_of(start, period_type: str, today: date) -> date:
    """The last day a period's figures speak for: its end, or its start while it is still running on `today`.

    (A term reported to date is not data "as of" its end in May; stamping it so would date a brief in the future.)
    """
    end = period_end(start, period_type)
    return end if end <= today else as_date(start)


def label(start, period_type: str, country: str, lang: str) -> str:
    """A period's name for a reader: 'FY2567', 'ปีงบประมาณ 2567', 'Term 1/2567', 'SY 2023–24', 'ต.ค. 2566'."""
    start = as_date(start)
    be = lang == "th"  # Thai readers count years in the Buddhist era
    if period_type == "year" and country == "th":
        return tr(lang, "FY{year}", year=thai_fiscal_year(start))
    if period_type == "year":
        return tr(lang, "SY {start}–{end}", start=start.year, end=str(start.year + 1)[-2:])
    if period_type == "term":
        term = 1 if start.month == 5 else 2  # both terms belong to the academic year starting in May
        year = start.year + BUDDHIST_ERA_OFFSET if country == "th" else start.year
        return tr(lang, "Term {term}/{year}", term=term, year=year)
    if period_type == "month":
        month = get_month_names("abbreviated", locale=locale(lang))[start.month]
        return f"{month} {start.year + BUDDHIST_ERA_OFFSET if be else start.year}"
    raise ValueError(f"unknown period type {period_type!r}")


def frequency_days(period_type: str) -> int:
    """How often a period of this type is expected to arrive, in days."""
    return {"month": 31, "term": 184, "year": 366}[period_type]


MONTHS_PER_PERIOD = {"month": 1, "quarter": 3, "term": 6, "year": 12}


def periods_between(first, last, period_type: str) -> int:
    """How many periods of a type lie from the one starting on `first` to the one starting on `last`, both
    counted: 3 from January to March by month."""
    first, last = as_date(first), as_date(last)
    months = (last.year - first.year) * 12 + last.month - first.month
    return round(months / MONTHS_PER_PERIOD[period_type]) + 1
