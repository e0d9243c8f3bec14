"""Numbers, periods and sexes as ministries write them, read into the contract's values.

Numbers: Thai (๐–๙) and Lao (໐–໙) digits, thousands separators, "-" for missing, a trailing "%".
Periods: years in the Buddhist or Common era, Thai fiscal years and terms ("1/2567"), DHIS2 period codes
(2023, 2023July, 202309), months named in Thai, Lao or English. Sexes: ชาย/หญิง, ຊາຍ/ຍິງ, M/F, male/female.
"""

from __future__ import annotations

import math
import re
import unicodedata
from datetime import date

from babel.dates import get_month_names

from cockpit.i18n import N_, locale
from cockpit.periods import BUDDHIST_ERA_OFFSET, YEAR_START_MONTH

DIGITS = str.maketrans("๐๑๒๓๔๕๖๗๘๙໐໑໒໓໔໕໖໗໘໙", "01234567890123456789")
MISSING = {"", "-", "–", "—", "..", "...", "…", "n/a", "na", "nan", "none", "null", "x"}
_SPACES = re.compile(r"[\s\u00a0\u2009\u202f\u200b]+")

PERIOD_FORMATS = ("year_be", "year_ce", "fiscal_year_be", "fiscal_year_ce", "term", "dhis2", "month", "date")

# Each country's labels of sex, lower-cased; a spec's own labels come first.
SEX_LABELS = {
    "ชาย": "male", "หญิง": "female", "รวม": "total", "ทั้งหมด": "total",
    "ຊາຍ": "male", "ຍິງ": "female", "ລວມ": "total", "ທັງໝົດ": "total",
    "m": "male", "f": "female", "t": "total", "_t": "total", "male": "male", "female": "female",
    "males": "male", "females": "female", "boys": "male", "girls": "female", "total": "total", "both": "total",
    "both sexes": "total", "all": "total",
}  # fmt: skip


class ValueProblem(ValueError):
    """A value that does not read: `message` is a msgid, `values` fill it."""

    def __init__(self, message: str, **values):
        self.message, self.values = message, values
        super().__init__(message.format(**values))


def clean_text(value) -> str:
    """A cell as text: Unicode NFC, digits in Arabic numerals, runs of spaces as one, trimmed."""
    if value is None or (isinstance(value, float) and math.isnan(value)):
        return ""
    return _SPACES.sub(" ", unicodedata.normalize("NFC", str(value)).translate(DIGITS)).strip()


def number(value, decimal: str = ".") -> float | None:
    """A cell as a number; None when it says 'missing' ("-", empty). Raises ValueProblem when it is no number."""
    if isinstance(value, bool):
        raise ValueProblem(N_("“{value}” is not a number"), value=value)
    if isinstance(value, int | float):
        return None if isinstance(value, float) and math.isnan(value) else float(value)
    text = clean_text(value)
    if text.lower() in MISSING:
        return None
    percent = text.endswith("%")
    text = text.rstrip("%").replace(" ", "")
    thousands = "," if decimal == "." else "."
    text = text.replace(thousands, "").replace("'", "")
    if decimal != ".":
        text = text.replace(decimal, ".")
    try:
        result = float(text)
    except ValueError:
        raise ValueProblem(N_("“{value}” is not a number"), value=clean_text(value)) from None
    if math.isnan(result) or math.isinf(result):
        raise ValueProblem(N_("“{value}” is not a number"), value=clean_text(value))
    return result / 100 if percent else result


def sex(value, labels: dict[str, str] | None = None, default: str = "total") -> str:
    """A label of sex as the contract's total / female / male."""
    text = clean_text(value).lower()
    if not text:
        return default
    for table in (labels or {}, SEX_LABELS):
        found = {k.lower(): v for k, v in table.items()}.get(text)
        if found:
            return found
    raise ValueProblem(N_("“{value}” is not a known label of sex"), value=clean_text(value))


_YEAR = re.compile(r"(?<!\d)(\d{4})(?!\d)")
_TERM = re.compile(r"(?<!\d)([12])\s*/\s*(\d{4})(?!\d)")
_DHIS2 = re.compile(r"^(\d{4})(?:(0[1-9]|1[0-2])|(April|July|Oct|Nov|Sep|AprilS|AprilE))?$", re.IGNORECASE)
_ISO_MONTH = re.compile(r"^(\d{4})-(\d{1,2})(?:-\d{1,2})?$")


def _year(text: str, era: str) -> int:
    found = _YEAR.search(text)
    if not found:
        raise ValueProblem(N_("“{value}” names no year"), value=text)
    year = int(found.group(1))
    if era == "be":
        if not 2400 <= year <= 2800:
            raise ValueProblem(N_("“{value}” is not a year of the Buddhist era (such as 2567)"), value=text)
        return year - BUDDHIST_ERA_OFFSET
    if not 1900 <= year <= 2300:
        raise ValueProblem(N_("“{value}” is not a year of the Common era (such as 2024)"), value=text)
    return year


def _year_start(year_ce: int, country: str) -> date:
    """The cockpit's 'year' period that starts in this calendar year (Thai fiscal year, Lao school year)."""
    return date(year_ce, YEAR_START_MONTH.get(country, 1), 1)


def _month_names() -> dict[str, int]:
    names: dict[str, int] = {}
    for where in (locale("th"), locale("lo"), locale("en"), "en_US"):  # en_GB says "Sept", en_US "Sep"
        for width in ("wide", "abbreviated"):
            for number_, name in get_month_names(width, locale=where).items():
                names[clean_text(name).lower().rstrip(".")] = number_
    return names


MONTHS = _month_names()


def period(value, fmt: str, country: str) -> tuple[date, str]:
    """A cell as (period_start, period_type) in the spec's format."""
    if isinstance(value, date) and fmt in ("month", "date"):
        return (date(value.year, value.month, 1), "month")
    text = clean_text(value)
    if not text:
        raise ValueProblem(N_("the period is empty"))
    if fmt in ("year_be", "year_ce"):
        return _year_start(_year(text, fmt[-2:]), country), "year"
    if fmt in ("fiscal_year_be", "fiscal_year_ce"):
        # A Thai fiscal year is named by the year it ends in: FY2567 = 1 Oct 2023 – 30 Sep 2024.
        return date(_year(text, fmt[-2:]) - 1, 10, 1), "year"
    if fmt == "term":
        found = _TERM.search(text)
        if not found:
            raise ValueProblem(N_("“{value}” is not a term such as 1/2567"), value=text)
        year = int(found.group(2))
        year = year - BUDDHIST_ERA_OFFSET if year > 2400 else year
        return (date(year, 5, 16) if found.group(1) == "1" else date(year, 11, 1)), "term"
    if fmt == "dhis2":
        found = _DHIS2.match(text.replace(" ", ""))
        if not found:
            raise ValueProblem(
                N_("“{value}” is not a DHIS2 period this importer reads (2023, 2023July, 202309)"), value=text
            )
        year = int(found.group(1))
        if found.group(2):
            return date(year, int(found.group(2)), 1), "month"
        return _year_start(year, country), "year"
    if fmt in ("month", "date"):
        iso = _ISO_MONTH.match(text)
        if iso and 1 <= int(iso.group(2)) <= 12:
            return date(int(iso.group(1)), int(iso.group(2)), 1), "month"
        words = text.lower().replace(",", " ").split()
        month = next((MONTHS[w.rstrip(".")] for w in words if w.rstrip(".") in MONTHS), None)
        if month is None:
            # Thai abbreviations carry dots inside (ก.ย.): compare without them.
            bare = {k.replace(".", ""): v for k, v in MONTHS.items()}
            month = next((bare[w.replace(".", "")] for w in words if w.replace(".", "") in bare), None)
        found = _YEAR.search(text)
        if month is None or not found:
            raise ValueProblem(N_("“{value}” is not a month such as 2024-09, ก.ย. 2567 or ກັນຍາ 2024"), value=text)
        year = int(found.group(1))
        return date(year - BUDDHIST_ERA_OFFSET if year > 2400 else year, month, 1), "month"
    raise ValueProblem(N_("“{value}” is not a period format ({formats})"), value=fmt, formats=", ".join(PERIOD_FORMATS))
