"""War-room mode: the rotation through the walls, the kiosk flag in the URL, and how fresh each wall's data is.

Pure functions of the state and an injected clock (`now`, seconds since the epoch), so the rotation is
tested across any number of loops without sleeping. The page keeps a `Rotation` in its session and asks
`at(rotation, now)` which wall to show; the kiosk flag and the filters live in the URL, never in the
rotation, so advancing through the walls cannot drop them (Grafana's playlists lost kiosk mode after
their first loop because the next dashboard's URL was built without it).
"""

from __future__ import annotations

import math
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, replace
from datetime import date, timedelta

from cockpit import clock, periods, settings

WALLS = ("black", "red", "blue", "white")

# Seconds each wall stays on screen; `?interval=` overrides it within the bounds below.
# The defaults come from the settings (COCKPIT_WARROOM_INTERVAL, COCKPIT_WARROOM_REFRESH).
DEFAULT_INTERVAL = settings.load().warroom_interval
MIN_INTERVAL = 10
MAX_INTERVAL = 3600
# How often a wall re-reads its data while it is on screen (`?refresh=` overrides it within the bounds). A
# query costs almost nothing until a new version is published (the cache is keyed by the version), so this
# only bounds how late a new extract shows.
REFRESH_SECONDS = settings.load().warroom_refresh
MIN_REFRESH = 5

# Query parameters that make up a war-room view; they are carried on every link and switch.
KIOSK_PARAM = "kiosk"
CARRIED_PARAMS = ("country", "lang", "region", "interval", "refresh", "kiosk", "paused")
TRUE_VALUES = ("1", "true", "yes", "on")


def is_kiosk(params: Mapping[str, str]) -> bool:
    """Whether the URL asks for kiosk mode (`?kiosk=1`)."""
    return str(params.get(KIOSK_PARAM, "")).strip().lower() in TRUE_VALUES


def _seconds(raw, default: int, low: int, high: int) -> int:
    """A number of seconds from the URL, bounded; missing, unreadable or not finite ('inf', 'nan'): the default."""
    try:
        seconds = float(str(raw))
    except (TypeError, ValueError):
        return default
    if not math.isfinite(seconds):
        return default
    return int(max(low, min(high, seconds)))


def parse_interval(raw, default: int = DEFAULT_INTERVAL) -> int:
    """Seconds per wall from the URL; a missing or unreadable value gives the default, others are bounded."""
    return _seconds(raw, default, MIN_INTERVAL, MAX_INTERVAL)


def parse_refresh(raw, default: int = REFRESH_SECONDS) -> int:
    """Seconds between re-reads of the data on screen, from the URL; bounded like the interval."""
    return _seconds(raw, default, MIN_REFRESH, MAX_INTERVAL)


def carried(params: Mapping[str, str], **overrides) -> dict[str, str]:
    """The query parameters a war-room link or switch must keep (kiosk, filters, interval), with overrides.

    An override of None drops the parameter.
    """
    kept = {k: str(params[k]) for k in CARRIED_PARAMS if k in params and params[k] not in (None, "")}
    for key, value in overrides.items():
        if value is None:
            kept.pop(key, None)
        else:
            kept[key] = str(value)
    return kept


@dataclass(frozen=True)
class Rotation:
    """Which wall is on screen since when, how long each stays, and whether the room paused it."""

    walls: tuple[str, ...]
    index: int
    interval: float
    paused: bool
    shown_at: float  # when the current wall went up (or, when paused, when the pause began)
    held: bool = False  # a decision is being typed over this wall: it stays, whatever `paused` says

    @property
    def stopped(self) -> bool:
        return self.paused or self.held

    @property
    def wall(self) -> str:
        return self.walls[self.index]


def start(
    walls: Iterable[str] = WALLS,
    first: str | None = None,
    interval: float = DEFAULT_INTERVAL,
    now: float = 0.0,
    paused: bool = False,
) -> Rotation:
    """A rotation showing `first` (or the first wall) from `now`."""
    walls = tuple(walls)
    if not walls:
        raise ValueError("a rotation needs at least one wall")
    if interval <= 0:
        raise ValueError(f"interval must be positive, got {interval!r}")
    index = walls.index(first) if first in walls else 0
    return Rotation(walls, index, float(interval), paused, now)


def at(rotation: Rotation, now: float) -> Rotation:
    """The rotation as it stands at `now`: advanced by every full interval elapsed, unless paused.

    A clock that went backwards (a corrected system clock) restarts the current wall's interval
    instead of freezing the rotation.
    """
    if rotation.stopped:
        return rotation
    elapsed = now - rotation.shown_at
    if elapsed < 0:
        return replace(rotation, shown_at=now)
    steps = int(elapsed // rotation.interval)
    if steps == 0:
        return rotation
    return replace(
        rotation,
        index=(rotation.index + steps) % len(rotation.walls),
        shown_at=rotation.shown_at + steps * rotation.interval,
    )


def remaining(rotation: Rotation, now: float) -> float:
    """Seconds until the next wall goes up; the full interval while paused or held."""
    if rotation.stopped:
        return rotation.interval
    current = at(rotation, now)
    return max(0.0, current.shown_at + current.interval - now)


def step(rotation: Rotation, now: float, by: int) -> Rotation:
    """Move `by` walls (1 next, -1 previous) now; the new wall gets a full interval."""
    current = at(rotation, now)
    return replace(current, index=(current.index + by) % len(current.walls), shown_at=now)


def next_wall(rotation: Rotation, now: float) -> Rotation:
    return step(rotation, now, 1)


def previous_wall(rotation: Rotation, now: float) -> Rotation:
    return step(rotation, now, -1)


def goto(rotation: Rotation, wall: str, now: float) -> Rotation:
    """Show one wall now (the room picked it); unknown walls are ignored."""
    current = at(rotation, now)
    if wall not in current.walls:
        return current
    return replace(current, index=current.walls.index(wall), shown_at=now)


def pause(rotation: Rotation, now: float) -> Rotation:
    """Hold the current wall on screen."""
    current = at(rotation, now)
    return current if current.paused else replace(current, paused=True, shown_at=now)


def resume(rotation: Rotation, now: float) -> Rotation:
    """Start rotating again; the wall on screen gets a full interval before the next one goes up."""
    return replace(rotation, paused=False, shown_at=now) if rotation.paused else at(rotation, now)


def toggle(rotation: Rotation, now: float) -> Rotation:
    return resume(rotation, now) if rotation.paused else pause(rotation, now)


def hold(rotation: Rotation, now: float) -> Rotation:
    """Keep the wall on screen while the room records a decision over it (the room's own pause is kept apart)."""
    current = at(rotation, now)
    return current if current.held else replace(current, held=True)


def release(rotation: Rotation, now: float) -> Rotation:
    """The decision is saved or cancelled: rotate again, the wall on screen getting a full interval."""
    if not rotation.held:
        return at(rotation, now)
    return replace(rotation, held=False, shown_at=rotation.shown_at if rotation.paused else now)


def retime(rotation: Rotation, interval: float, now: float) -> Rotation:
    """A new interval (the URL changed); the wall on screen keeps its place and starts a fresh interval."""
    if interval <= 0:
        raise ValueError(f"interval must be positive, got {interval!r}")
    current = at(rotation, now)
    if current.interval == interval:
        return current
    return replace(current, interval=float(interval), shown_at=now)


def tick_seconds(interval: float) -> float:
    """How often the page checks whether the wall is due to change: a fraction of the interval, 1-5 s."""
    return max(1.0, min(5.0, interval / 12))


@dataclass(frozen=True)
class Freshness:
    """How current some data is: the last day it covers, and whether the next delivery is overdue."""

    as_of: date  # last day of the newest period; its first day while it is still running
    period_start: date
    period_type: str
    expected_days: int
    age_days: int
    running: bool = False  # reported to date: the day it is as of is not known, only that it began on as_of

    @property
    def stale(self) -> bool:
        return self.age_days > self.expected_days


def freshness(period_start, period_type: str, now: float, expected_days: int | None = None) -> Freshness:
    """Data whose newest period started on `period_start` is stale once the next period is overdue.

    A period's data can only arrive after it ends, and the next one is due one period later: data is
    late when more than `expected_days` (the period's length, `periods.frequency_days`) have passed
    since the end of its newest period. Quarterly series (policy progress) pass their own cadence.
    """
    start = periods.as_date(period_start)
    end = periods.period_end(start, period_type) if period_type in ("year", "term", "month") else None
    expected = expected_days if expected_days is not None else periods.frequency_days(period_type)
    if end is None:
        end = start + timedelta(days=expected - 1)
    today = clock.local_date(now)
    if end > today:
        # A period still running (a quarter reported to date): its data is as of its start at the latest we
        # know, and it cannot be late before it ends.
        return Freshness(start, start, period_type, expected, 0, running=True)
    return Freshness(end, start, period_type, expected, (today - end).days)


def stalest(items: Iterable[Freshness]) -> Freshness | None:
    """The one most overdue relative to its own cadence (for a wall's stamp), None when there is nothing."""
    items = list(items)
    if not items:
        return None
    return max(items, key=lambda f: (f.stale, f.age_days - f.expected_days))


def newest(items: Iterable[Freshness]) -> Freshness | None:
    items = list(items)
    return max(items, key=lambda f: f.as_of) if items else None
