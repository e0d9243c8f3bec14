"""The cockpit's one clock: now and today in the meeting room's time zone, which COCKPIT_TODAY can move.

Everything that asks "what time is it" (staleness stamps, the war-room rotation, the alert replay,
overdue decisions and milestones, the demo's as-of date, file names) asks here, so a demo or a test
can put the whole app on another day by one setting, and nothing reads the machine's calendar behind
its back. With COCKPIT_TODAY set, the clock keeps running from that date (time of day and seconds
still flow, so rotations and refresh intervals work); unset, it is the machine's clock.
"""

from __future__ import annotations

import functools
import time
from datetime import UTC, date, datetime, timedelta
from zoneinfo import ZoneInfo

from cockpit import settings


class ClockError(ValueError):
    """COCKPIT_TODAY or COCKPIT_TIMEZONE holds something that is not a date or a time zone."""


@functools.lru_cache(maxsize=8)
def _zone(name: str) -> ZoneInfo:
    try:
        return ZoneInfo(name)
    except Exception as exc:  # ZoneInfoNotFoundError, ValueError for a malformed key
        raise ClockError(f"setting COCKPIT_TIMEZONE must be a time zone such as Asia/Bangkok, got {name!r}") from exc


@functools.lru_cache(maxsize=8)
def _offset_seconds(today: str, zone: str) -> float:
    """How far the app's clock runs ahead of (or behind) the machine's: fixed once per setting and process."""
    if not today.strip():
        return 0.0
    try:
        wanted = date.fromisoformat(today.strip())
    except ValueError:
        raise ClockError(f"setting COCKPIT_TODAY must be a date as YYYY-MM-DD (or empty), got {today!r}") from None
    real_today = datetime.fromtimestamp(time.time(), _zone(zone)).date()
    return (wanted - real_today).days * 86400.0


def zone() -> ZoneInfo:
    """The meeting room's time zone (COCKPIT_TIMEZONE)."""
    return _zone(settings.load().timezone)


def timestamp() -> float:
    """Now, in seconds since the epoch, on the app's clock."""
    current = settings.load()
    return time.time() + _offset_seconds(current.today, current.timezone)


def now() -> datetime:
    """Now, as an aware datetime in the meeting room's time zone."""
    return local_time(timestamp())


def utcnow() -> datetime:
    """Now, as an aware datetime in UTC (what the state store records)."""
    return datetime.fromtimestamp(timestamp(), UTC)


def today() -> date:
    """Today, in the meeting room."""
    return now().date()


def local_time(seconds: float) -> datetime:
    """A moment (seconds since the epoch) on the meeting room's clock."""
    return datetime.fromtimestamp(seconds, UTC).astimezone(zone())


def local_date(seconds: float) -> date:
    return local_time(seconds).date()


def last_month_end(day: date) -> date:
    """The last day of the month before `day`'s month: the newest month whose data can be complete."""
    return day.replace(day=1) - timedelta(days=1)
