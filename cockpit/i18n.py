"""The interface's languages: Babel message catalogs (cockpit/locales/*.po) and locale-aware numbers.

Messages are written in English in the code as `tr(lang, "Text {name}", name=...)`; the Thai and
Lao catalogs translate them. A message missing from a catalog falls back to English, and a test
fails when any message in the code lacks a translation.
"""

from __future__ import annotations

import math
from functools import cache
from pathlib import Path

from babel import Locale
from babel.messages.pofile import read_po
from babel.numbers import format_decimal, format_percent

LOCALE_DIR = Path(__file__).resolve().parent / "locales"
LANGUAGES = ("th", "lo", "en")
LANGUAGE_NAMES = {"th": "ไทย", "lo": "ລາວ", "en": "English"}
COUNTRY_LANGUAGE = {"th": "th", "la": "lo"}  # the language of each country's local names
BABEL_LOCALES = {"th": "th_TH", "lo": "lo_LA", "en": "en_GB"}
NO_VALUE = "–"


@cache
def catalog(lang: str) -> dict[str, str]:
    """msgid -> translation for one language (empty for English, the source language)."""
    if lang not in LANGUAGES or lang == "en":  # never a path built from whatever a URL says
        return {}
    path = LOCALE_DIR / lang / "LC_MESSAGES" / "messages.po"
    if not path.exists():
        return {}
    with open(path, "rb") as f:
        cat = read_po(f, locale=lang)
    return {m.id: m.string for m in cat if m.id and m.string and not m.fuzzy}


def N_(message: str) -> str:
    """Marks a message for translation where it is defined; translate it with tr() where it is shown."""
    return message


# Each country as its readers name it (a page or an entry about both countries, the minutes' heading).
COUNTRY_NAMES = {"th": N_("Thailand"), "la": N_("Lao PDR")}


# English messages of a count that can be one, and what they say when it is: the count is the value `n` (or
# `count`). Thai and Lao write a count the same whatever it is, so their catalogs keep one entry per message.
SINGULAR = {
    "+{n} more districts": "+{n} more district",
    "All {n} districts": "Its only district",
    "Not started: progress at most {progress} while the plan is above {planned}. Stuck: no progress in each of the "
    "latest {n} reporting periods while the plan kept moving.": "Not started: progress at most {progress} while the "
    "plan is above {planned}. Stuck: no progress in the latest reporting period while the plan kept moving.",
    "No progress in each of the last {n} quarters while the plan moved on; the note is the province's latest, from "
    "its notes here or else its report.": "No progress in the last quarter while the plan moved on; the note is the "
    "province's latest, from its notes here or else its report.",
    "Nothing stuck: every policy moved in the last {n} quarters.": "Nothing stuck: every policy moved in the last "
    "quarter.",
    "Off track · at risk, of {n} results KPIs": "Off track · at risk, of {n} results KPI",
    "Provinces where it made no progress for {n} quarters": "Provinces where it made no progress for {n} quarter",
    "Scores as of {as_of}; the change in rank is against the same score a year before. {n} provinces ranked.": "Scores "
    "as of {as_of}; the change in rank is against the same score a year before. {n} province ranked.",
    "Since {since}: {n} periods in breach, the latest {latest}": "Since {since}: {n} period in breach",
    "Stuck: {n} policies or projects made no progress in {provinces} provinces.": "Stuck: {n} policy or project made "
    "no progress in {provinces} provinces.",
    "Stuck: {policy} has made no progress for {n} quarters or more in {where} (since {since}).": "Stuck: {policy} has "
    "made no progress for {n} quarter or more in {where} (since {since}).",
    "Tolerance: {tolerance}; {n} indicators have their own, in their unit. A figure exactly on a boundary gets the "
    "better status.": "Tolerance: {tolerance}; {n} indicator has its own, in its unit. A figure exactly on a boundary "
    "gets the better status.",
    "judged clear for {n} periods": "judged clear for {n} period",
    "no progress for {n} quarters": "no progress for {n} quarter",
    "{count} rows are ambiguous, unmatched, rejected or unreadable: fix them, or publish the rest only": "{count} row "
    "is ambiguous, unmatched, rejected or unreadable: fix it, or publish the rest only",
    "{mark} {n} figures rest on fewer than {share} of the reports expected: see Data quality": "{mark} {n} figure "
    "rests on fewer than {share} of the reports expected: see Data quality",
    "{n} KPIs: {met} met their target, {on_track} on track, {at_risk} at risk, {off_track} off track.": "{n} KPI: "
    "{met} met its target, {on_track} on track, {at_risk} at risk, {off_track} off track.",
    "{n} alert rule problems: those rules are not evaluated": "{n} alert rule problem: that rule is not evaluated",
    "{n} days": "{n} day",
    "{n} decisions recorded at this meeting.": "{n} decision recorded at this meeting.",
    "{n} decisions · {country} · from the Education Management Cockpit, {date}": "{n} decision · {country} · from "
    "the Education Management Cockpit, {date}",
    "{n} decisions, {late} overdue. Select one to mark it done.": "{n} decision, {late} overdue. Select it to mark it "
    "done.",
    "{n} districts": "{n} district",
    "{n} entries shown (at most 2,000, newest first), {since} to {until}.": "{n} entry shown (at most 2,000, newest "
    "first), {since} to {until}.",
    "{n} figures by sex do not add up to their total.": "{n} figure by sex does not add up to its total.",
    "{n} incidents in the last 12 months; {active} still active.": "{n} incident in the last 12 months; {active} "
    "still active.",
    "{n} incidents open: {schools} schools, {students} students affected": "{n} incident open: {schools} schools, "
    "{students} students affected",
    "{n} open alerts: {critical} critical, {high} high, {medium} medium, {low} low.": "{n} open alert: {critical} "
    "critical, {high} high, {medium} medium, {low} low.",
    "{n} provinces": "{n} province",
    "{n} provinces report it only by district: their figure is their districts' progress, weighted by each "
    "district's budget.": "{n} province reports it only by district: its figure is its districts' progress, "
    "weighted by each district's budget.",
    "{n} schools": "{n} school",
    "{n} students": "{n} student",
    "{n} teachers": "{n} teacher",
    "{n} sources have not delivered the period now due: {names}": "{n} source has not delivered the period now due: "
    "{names}",
    "{n} sources overdue: {names}": "{n} source overdue: {names}",
}


def tr(lang: str, message: str, **values) -> str:
    """The message in `lang`, with {placeholders} filled in (in English, in the singular when its count is one)."""
    text = catalog(lang).get(message)
    if text is None:
        one = str(values.get("n", values.get("count"))) == "1"
        text = SINGULAR.get(message, message) if one else message
    return text.format(**values) if values else text


@cache
def locale(lang: str) -> Locale:
    """The language's Babel locale, parsed once (10 µs a call: a table of 2,000 dates asked 4,000 times a rerun)."""
    return Locale.parse(BABEL_LOCALES.get(lang, "en_GB"))


def number(value, lang: str, decimals: int | None = 0) -> str:
    """A number in the language's locale, `decimals` places (None: as many as it has, up to 3); a dash when
    missing."""
    if value is None or (isinstance(value, float) and math.isnan(value)):
        return NO_VALUE
    if decimals is None:
        return format_decimal(value, format="#,##0.###", locale=locale(lang))
    pattern = "#,##0" + ("." + "0" * decimals if decimals > 0 else "")
    return format_decimal(value, format=pattern, locale=locale(lang))


MINUS = "\u2212"  # the minus sign, not the hyphen: "−0.2"


def sign(value: float, decimals: int, minus: str = MINUS) -> str:
    """The sign of a change written to `decimals` places: '+', `minus`, or '±' for one that rounds to zero."""
    rounded = round(value, decimals)
    return "+" if rounded > 0 else (minus if rounded < 0 else "±")


def labelled(pairs, lang: str, decimals: int = 0) -> str:
    """(label, number) pairs on one line: 'Overdue 12 · Due this quarter 2'."""
    return " · ".join(f"{label} {number(n, lang, decimals)}" for label, n in pairs)


def percent(value, lang: str, decimals: int = 1) -> str:
    """A percentage given in percent points (12.5 -> 12.5%)."""
    if value is None or (isinstance(value, float) and math.isnan(value)):
        return NO_VALUE
    pattern = "#,##0" + ("." + "0" * decimals if decimals > 0 else "") + "%"
    return format_percent(value / 100, format=pattern, locale=locale(lang))


def measure(value, unit: str, decimals: int, lang: str) -> str:
    """A value in an indicator's unit: 12.5%, 1,234, 0.98, 23.4 days."""
    if unit == "%":
        return percent(value, lang, decimals)
    text = number(value, lang, decimals)
    if unit == "days" and text != NO_VALUE:
        return tr(lang, "{n} days", n=text)
    return text


def symbols(lang: str) -> tuple[str, str]:
    """(decimal, group) symbols of the language's locale: ('.', ',') in Thai and English, (',', '.') in Lao."""
    numbers = locale(lang).number_symbols
    latin = numbers.get("latn", numbers)
    return latin["decimal"], latin["group"]


def plotly_separators(lang: str) -> str:
    """Plotly's layout `separators` (decimal then group) for the reader's locale, so a chart's axis, hover and text
    numbers read as the page's: '12.345,7' in Lao, '12,345.7' in Thai and English."""
    decimal, group = symbols(lang)
    return decimal + group


def plotly_measure(field: str, unit: str, decimals: int, lang: str) -> str:
    """A plotly template placeholder ('y', 'x'...) written as `measure` writes the value: '%{y:,.1f}%' for a
    percentage, with the layout's `separators` (plotly_separators) choosing the decimal and group marks."""
    value = "%{" + field + ":,." + str(int(decimals)) + "f}"
    if unit == "%":
        return value + "%"
    if unit == "days":
        return tr(lang, "{n} days", n=value)
    return value


def local_names(country: str, lang: str) -> bool:
    """Whether areas should be named in their local script for this reader."""
    return COUNTRY_LANGUAGE.get(country) == lang
