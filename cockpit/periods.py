"""Periods named the way their readers name them: Thai fiscal years and terms in the Buddhist era, Lao school years.

Periods are stored as ISO dates (`period_start`) with a `period_type`. A Thai fiscal year runs
1 Oct - 30 Sep and is named by the Buddhist-era year it ends in (FY2567 = Oct 2023 - Sep 2024);
Thai academic terms start on 16 May (term 1) and 1 Nov (term 2) of the academic year named by
the Buddhist-era year it starts in; a Lao school year starts on 1 Sep.
"""

from __future__ import annotations

import re
from datetime import date, timedelta

import pandas as pd
from babel.dates import get_month_names

from cockpit.i18n import N_, NO_VALUE, locale, tr

BUDDHIST_ERA_OFFSET = 543
# What a 'year' period is in each country, and the month it starts in.
YEAR_START_MONTH = {"th": 10, "la": 9}


def as_date(value) -> date:
    if isinstance(value, pd.Timestamp):
        return value.date()
    if isinstance(value, date):
        return value
    return date.fromisoformat(str(value)[:10])


FISCAL_START_MONTH = {"th": 10, "la": 1}  # Thailand's fiscal year starts in October, Lao PDR's in January


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
    if period_type == "quarter":  # a reporting quarter: Thai fiscal quarters (Q1 FY2567 = Oct-Dec 2023), else Q1 2026
        quarter = (start.month - FISCAL_START_MONTH.get(country, 1)) % 12 // 3 + 1
        if country == "th":
            return tr(lang, "Q{quarter} FY{year}", quarter=quarter, year=thai_fiscal_year(start))
        return tr(lang, "Q{quarter} {year}", quarter=quarter, year=start.year)
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


# --- Days as their readers write them -------------------------------------------------------------------------------
# Streamlit's date picker shows Gregorian years in English whatever the reader's language, so a day can also be typed:
# Thai readers write the Buddhist-era year (31/3/2570, 31 มี.ค. 70), Lao and English readers the common era.
_DIGITS = str.maketrans("๐๑๒๓๔๕๖๗๘๙໐໑໒໓໔໕໖໗໘໙", "01234567890123456789")
# A year this large is a Buddhist-era year for any reader: 2569 B.E. is 2026, and nobody means the year 2569.
_FIRST_BE_YEAR = 2400


class DayNotRead(ValueError):
    """A typed day that could not be read: `message` (an English msgid) and its `values`, for the reader's tr()."""

    def __init__(self, message: str, **values):
        super().__init__(message.format(**values))
        self.message = message
        self.values = values


def day_label(day, lang: str) -> str:
    """A day (or a moment's day) for a reader: '31 มี.ค. 2570' (Buddhist era for Thai readers), '31 ມ.ນ. 2027',
    '31 Mar 2027'; '–' for none. The one way every page, wall and document writes a day."""
    if day is None or (not isinstance(day, str) and pd.isna(day)):
        return NO_VALUE
    day = as_date(day)
    month = get_month_names("abbreviated", locale=locale(lang))[day.month]
    return f"{day.day} {month} {day.year + BUDDHIST_ERA_OFFSET if lang == 'th' else day.year}"


def typed_day_example(lang: str, day: date) -> str:
    """How a reader types `day`: day/month/year in the reader's era (31/3/2570 for Thai readers)."""
    return f"{day.day}/{day.month}/{day.year + BUDDHIST_ERA_OFFSET if lang == 'th' else day.year}"


def _month_numbers(lang: str) -> dict[str, int]:
    names = {}
    for code in {lang, "en"}:  # an English month name is read in any language
        for width in ("wide", "abbreviated"):
            for number, name in get_month_names(width, locale=locale(code)).items():
                names[name.lower().replace(".", "").replace(" ", "")] = number
    names["sep"] = 9
    return names


def parse_day(text: str, lang: str, example: date) -> date | None:
    """The day a reader typed, or None when nothing was typed; raises DayNotRead with a message to show.

    Read: day/month/year with '/', '.', '-' or spaces between (31/3/2570, 31.03.2027, 31 มี.ค. 2570, 31 March 2027),
    or year-month-day (2027-03-31); Thai and Lao digits as well as 0-9; a month by its number or its name in the
    reader's language or English. A year from 2400 on is in the Buddhist era (543 years ahead); a two-digit year is
    in the reader's era (70 is 2570 B.E. for a Thai reader, 2070 for others). `example` is the day shown as an example
    in the message.
    """
    raw = (text or "").strip()
    if not raw:
        return None
    cleaned = raw.translate(_DIGITS)
    bad = DayNotRead(
        N_("“{text}” cannot be read as a date: write day/month/year, for example {example}."),
        text=raw,
        example=typed_day_example(lang, example),
    )
    iso = re.fullmatch(r"(\d{4})\s*-\s*(\d{1,2})\s*-\s*(\d{1,2})", cleaned)
    if iso:
        year, month, day = (int(g) for g in iso.groups())
    else:
        # Day, month (digits or a name, which may hold dots: มี.ค.), year.
        match = re.fullmatch(
            r"(\d{1,2})\s*[/.\-\s]\s*(\d{1,2}|[^\d/\-\s][^\d/\-]*?)\s*[/.\-\s]\s*(\d{2}|\d{4})", cleaned
        )
        if not match:
            raise bad
        day, year = int(match.group(1)), int(match.group(3))
        month_text = match.group(2)
        if month_text.isdigit():
            month = int(month_text)
        else:
            month = _month_numbers(lang).get(month_text.lower().replace(".", "").replace(" ", ""))
            if month is None:
                raise bad
        if len(match.group(3)) == 2:
            year += 2500 if lang == "th" else 2000
    if year >= _FIRST_BE_YEAR:
        year -= BUDDHIST_ERA_OFFSET
    try:
        return date(year, month, day)
    except ValueError:
        raise DayNotRead(
            N_("{text} is not a day of the calendar: check the day and the month (day/month/year, as in {example})."),
            text=raw,
            example=typed_day_example(lang, example),
        ) from None
