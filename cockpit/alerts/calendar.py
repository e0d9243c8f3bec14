"""The reporting calendar: which period of an indicator is due on a day, from config/reporting_calendar.yaml.

The rules that find missing reports ask this calendar which period every area owes, so a period
nobody reported is still expected (taking it from the data would hide a total reporting failure).
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, timedelta

from cockpit import config, periods, settings

CALENDAR_FILE = settings.ROOT / "config" / "reporting_calendar.yaml"
FREQUENCIES = ("month", "term", "year")
# The days a term starts on (month, day), as the extracts store them (see cockpit.periods).
TERM_STARTS = ((5, 16), (11, 1))


@dataclass(frozen=True)
class Due:
    frequency: str | None  # None: the indicator's own frequency
    due_days: int


def load(path=CALENDAR_FILE) -> dict[str, dict]:
    """The calendar: country → {"default": Due, "indicators": {indicator_id: Due}}; ConfigError names the key."""
    raw, _stamp = config.read(path, "a 'countries' mapping")
    countries = raw.get("countries")
    if not isinstance(countries, dict):
        raise config.ConfigError(path, "countries", "must map country codes to their calendars")
    out = {}
    for country, entry in countries.items():
        if not isinstance(entry, dict) or "default" not in entry:
            raise config.ConfigError(path, f"countries.{country}", "needs a 'default' with due_days")
        unknown = set(entry) - {"default", "indicators"}
        if unknown:
            raise config.ConfigError(path, f"countries.{country}.{sorted(unknown)[0]}", "unknown key")
        default = _due(path, f"countries.{country}.default", entry["default"])
        indicators = {}
        for indicator_id, spec in (entry.get("indicators") or {}).items():
            indicators[indicator_id] = _due(path, f"countries.{country}.indicators.{indicator_id}", spec, default)
        out[country] = {"default": default, "indicators": indicators}
    return out


def _due(path, key: str, spec, default: Due | None = None) -> Due:
    if not isinstance(spec, dict):
        raise config.ConfigError(path, key, "must be a mapping with due_days (and optionally frequency)")
    unknown = set(spec) - {"frequency", "due_days"}
    if unknown:
        raise config.ConfigError(path, f"{key}.{sorted(unknown)[0]}", "unknown key (frequency, due_days)")
    frequency = spec.get("frequency", default.frequency if default else None)
    if frequency is not None and frequency not in FREQUENCIES:
        raise config.ConfigError(path, f"{key}.frequency", f"must be one of {', '.join(FREQUENCIES)}")
    due_days = spec.get("due_days", default.due_days if default else None)
    if not isinstance(due_days, int) or isinstance(due_days, bool) or not 0 <= due_days <= 366:
        raise config.ConfigError(path, f"{key}.due_days", "must be a whole number of days from 0 to 366")
    return Due(frequency, due_days)


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
