"""The reporting calendar: which period of an indicator is due on a day, from config/reporting_calendar.yaml.

The rules that find missing reports ask this calendar which period every area owes, so a period
nobody reported is still expected (taking it from the data would hide a total reporting failure).
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, timedelta
from typing import Annotated, Literal

from pydantic import Field

from cockpit import config, periods
from cockpit.config import Strict

CALENDAR_FILE = "reporting_calendar.yaml"  # in the config_dir setting's folder
FREQUENCIES = ("month", "term", "year")
# The days a term starts on (month, day), as the extracts store them (see cockpit.periods).
TERM_STARTS = ((5, 16), (11, 1))


@dataclass(frozen=True)
class Due:
    frequency: str | None  # None: the indicator's own frequency
    due_days: int


Days = Annotated[int, Field(ge=0, le=366)]


class Override(Strict):
    """One indicator's entry: what it does not say comes from the country's default."""

    frequency: Literal[FREQUENCIES] | None = None  # default: the indicator's own frequency in the catalogue
    due_days: Days | None = None


class Default(Override):
    due_days: Days  # days after a period's last day by which every area must have reported it


class CountryCalendar(Strict):
    default: Default
    indicators: dict[str, Override] | None = None


class CalendarFile(Strict):
    countries: dict[str, CountryCalendar]


def load(path=None) -> dict[str, dict]:
    """The calendar: country → {"default": Due, "indicators": {indicator_id: Due}}; ConfigError names key and line."""
    path = path or config.path(CALENDAR_FILE)
    parsed, _stamp = config.load(path, CalendarFile, "a 'countries' mapping")
    out = {}
    for country, entry in parsed.countries.items():
        default = Due(entry.default.frequency, entry.default.due_days)
        indicators = {
            indicator_id: Due(
                spec.frequency or default.frequency, default.due_days if spec.due_days is None else spec.due_days
            )
            for indicator_id, spec in (entry.indicators or {}).items()
        }
        out[country] = {"default": default, "indicators": indicators}
    return out


def due_for(calendar: dict, country: str, indicator_id: str, frequency: str) -> Due:
    """The calendar's entry for an indicator, its frequency filled in from the catalogue when not set."""
    entry = calendar.get(country)
    if entry is None:
        return Due(frequency, 30)
    due = entry["indicators"].get(indicator_id, entry["default"])
    return Due(due.frequency or frequency, due.due_days)


def due_period(country: str, frequency: str, due_days: int, as_of: date) -> date | None:
    """The start of the latest period whose report was due on or before `as_of` (None before any)."""
    for start in _starts_before(country, frequency, as_of):
        if periods.period_end(start, frequency) + timedelta(days=due_days) <= as_of:
            return start
    return None


def previous_start(country: str, frequency: str, start: date) -> date:
    """The start of the period before the one starting on `start`."""
    return next(_starts_before(country, frequency, start - timedelta(days=1)))


def _starts_before(country: str, frequency: str, as_of: date):
    """Period starts on or before as_of, newest first (ten years back at most)."""
    if frequency == "month":
        year, month = as_of.year, as_of.month
        for _ in range(120):
            yield date(year, month, 1)
            year, month = (year - 1, 12) if month == 1 else (year, month - 1)
    elif frequency == "year":
        first = periods.YEAR_START_MONTH.get(country, 1)
        for year in range(as_of.year, as_of.year - 10, -1):
            start = date(year, first, 1)
            if start <= as_of:
                yield start
    elif frequency == "term":
        for year in range(as_of.year, as_of.year - 10, -1):
            for month, day in sorted(TERM_STARTS, reverse=True):
                start = date(year, month, day)
                if start <= as_of:
                    yield start
    else:
        raise ValueError(f"unknown frequency {frequency!r}")
