"""Short labels for charts and documents: text cut at a Thai or Lao grapheme-cluster boundary, short period
names, days in the reader's calendar."""

from __future__ import annotations

import unicodedata

from cockpit import i18n, periods


def shorten(text: str, length: int) -> str:
    """At most `length` characters, cut between two clusters (never between a Thai or Lao letter and its marks)."""
    if len(text) <= length:
        return text
    cut = max((i for i in cluster_starts(text) if i <= length - 1), default=length - 1)
    return text[:cut].rstrip() + "…"


LEADING_VOWELS = set("\u0e40\u0e41\u0e42\u0e43\u0e44\u0ec0\u0ec1\u0ec2\u0ec3\u0ec4")


SARA_AM = set("\u0e33\u0eb3")


def cluster_starts(text: str) -> list[int]:
    """Where a line may break inside a word: before a letter that is not a mark, a SARA AM, or after a leading vowel."""
    return [
        i
        for i in range(1, len(text))
        if unicodedata.category(text[i]) not in ("Mn", "Mc", "Me")
        and text[i] not in SARA_AM
        and text[i - 1] not in LEADING_VOWELS
    ]


def short_period(start, period_type: str, country: str, lang: str) -> str:
    """A period's name short enough for a chart's axis: '2569' (a Thai fiscal year, for Thai readers), 'FY2569',
    '2025–26' (a Lao school year); terms and months as periods.label names them."""
    start = periods.as_date(start)
    if period_type == "year" and country == "th":
        year = periods.thai_fiscal_year(start)
        return str(year) if lang == "th" else f"FY{year}"
    if period_type == "year":
        return f"{start.year}–{str(start.year + 1)[-2:]}"
    if period_type == "term":  # '2/2566': term 2 of the academic year 2566, as periods.label counts them
        year = start.year + periods.BUDDHIST_ERA_OFFSET if country == "th" else start.year
        return f"{1 if start.month == 5 else 2}/{year}"
    return periods.label(start, period_type, country, lang)


def day_label(day, lang: str) -> str:
    """A date as its reader writes it: '31 ต.ค. 2569' (Buddhist era for Thai), '31 Oct 2026'."""
    day = periods.as_date(day)
    month = i18n.locale(lang).months["format"]["abbreviated"][day.month]
    year = day.year + periods.BUDDHIST_ERA_OFFSET if lang == "th" else day.year
    return f"{day.day} {month} {year}"
