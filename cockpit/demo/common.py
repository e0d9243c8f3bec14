"""What every table's generator shares: the context (districts, their schools, the period grids), one random
stream per component, and the date helpers that move the stories with the as-of date."""

from __future__ import annotations

import calendar
import zlib
from dataclasses import dataclass, field
from datetime import date

import numpy as np
import pandas as pd


def rng(seed: int, *keys: str) -> np.random.Generator:
    """An independent, reproducible stream per component, so one part's draws never shift another's."""
    return np.random.default_rng([seed, *(zlib.crc32(k.encode()) for k in keys)])


def day64(value) -> np.datetime64:
    """A date (or ISO string) as a numpy day."""
    return np.datetime64(value, "D")


def add_months(day: date, months: int) -> date:
    """The same day `months` later (or earlier), on the month's last day when it is shorter (31 Oct + 1 = 30 Nov)."""
    index = day.year * 12 + day.month - 1 + months
    year, month = divmod(index, 12)
    month += 1
    last = calendar.monthrange(year, month)[1]
    # A month-end stays a month-end, so the as-of date itself moves from month-end to month-end.
    keep_end = day.day == calendar.monthrange(day.year, day.month)[1]
    return date(year, month, last if keep_end else min(day.day, last))


def months_between(earlier: date, later: date) -> int:
    return (later.year - earlier.year) * 12 + later.month - earlier.month


def month_ord(days: np.ndarray) -> np.ndarray:
    return np.asarray(days).astype("datetime64[M]").astype(np.int64)


def month_of_year(days: np.ndarray) -> np.ndarray:
    return month_ord(days) % 12 + 1


def year_frac(days: np.ndarray) -> np.ndarray:
    days = np.asarray(days, dtype="datetime64[D]")
    year_start = days.astype("datetime64[Y]")
    return year_start.astype(np.int64) + 1970 + (days - year_start.astype("datetime64[D]")).astype(np.int64) / 365.25


def logistic(x):
    return 1.0 / (1.0 + np.exp(-x))


@dataclass
class Ctx:
    """Everything the generators share: districts, their schools and the period grids."""

    country: str
    cfg: dict
    seed: int
    scale: int
    as_of: np.datetime64
    prov_ids: np.ndarray
    prov_names: np.ndarray
    dist_ids: np.ndarray
    dist_names: np.ndarray
    prov_names_local: np.ndarray  # as the country writes them (the incidents' descriptions)
    dist_names_local: np.ndarray
    dist_prov: np.ndarray  # index into prov_ids
    polys: np.ndarray
    priority: np.ndarray
    z: np.ndarray  # standardised disadvantage, (D,)
    shift_months: int = 0  # how far the stories move from STORY_AS_OF to this as-of
    periods: dict[str, np.ndarray] = field(default_factory=dict)
    latest_year: np.datetime64 | None = None
    schools: pd.DataFrame | None = None
    n_schools: np.ndarray | None = None
    school_start: np.ndarray | None = None  # first row of each district's schools
    students: np.ndarray | None = None
    teachers: np.ndarray | None = None
    bases: dict[str, np.ndarray] = field(default_factory=dict)

    @property
    def D(self) -> int:
        return len(self.dist_ids)

    def day(self, story_day) -> date:
        """A date of a story (written for STORY_AS_OF, see `stories`), moved to this extract's as-of."""
        return add_months(date.fromisoformat(story_day) if isinstance(story_day, str) else story_day, self.shift_months)

    def year(self, story_year: float) -> float:
        """A fractional year of a story (an adoption curve's centre), moved to this extract's as-of."""
        return story_year + self.shift_months / 12

    def in_provinces(self, codes) -> np.ndarray:
        """Mask of districts whose province is among `codes`."""
        return np.isin(self.prov_ids[self.dist_prov], list(codes))

    def years_back(self, periods: np.ndarray) -> np.ndarray:
        return (self.latest_year - periods).astype(np.int64) / 365.25


# --------------------------------------------------------------------------------------------------
# Periods


def period_grids(country: str, cfg: dict, as_of: np.datetime64, scale: int) -> tuple[dict, np.datetime64]:
    """The period starts per frequency (year, month, Thai terms) up to as-of, and the latest complete year."""
    start_month = cfg["year_month"]
    y = int(as_of.astype("datetime64[Y]").astype(np.int64)) + 1970
    while day64(f"{y + 1}-{start_month:02d}-01") - 1 > as_of:  # the latest complete year
        y -= 1
    n_years = 5 * scale
    years = np.array([day64(f"{y - k}-{start_month:02d}-01") for k in range(n_years - 1, -1, -1)])
    months = (as_of.astype("datetime64[M]") - np.arange(60 * scale)[::-1]).astype("datetime64[D]")
    out = {"year": years, "month": months}
    if country == "th":  # academic terms start 16 May and 1 November
        y_now = int(as_of.astype("datetime64[Y]").astype(np.int64)) + 1970
        starts = []
        for yy in range(y_now - 5 * scale - 2, y_now + 1):
            starts += [day64(f"{yy}-05-16"), day64(f"{yy}-11-01")]
        starts = np.array([s for s in starts if s <= as_of])
        out["term"] = starts[-10 * scale :]
    return out, years[-1]
