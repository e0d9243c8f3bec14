"""Short labels for charts and documents: text cut at a Thai or Lao grapheme-cluster boundary, short period
names, days in the reader's calendar."""

from __future__ import annotations

import functools
import itertools
import math
import os
import unicodedata
from collections.abc import Callable
from pathlib import Path

from cockpit import periods


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


@functools.lru_cache(maxsize=4096)
def word_starts(text: str) -> tuple[int, ...]:
    """Where a line may break inside a run of Thai or Lao letters, which are written without spaces between words:
    between its words, as a dictionary finds them (PyThaiNLP's maximal matching, LaoNLP's Lao dictionary). Only
    inside such runs: spaces and other scripts break as they do. (Breaking between syllables or clusters cut words
    in two: "โรง|เรียน".)"""
    starts = []
    at = 0
    for script, run in itertools.groupby(text, _script):
        run = "".join(run)
        if script != "latin" and len(run) > 1:
            at_word = at
            for word in _tokenize(script, run)[:-1]:
                at_word += len(word)
                starts.append(at_word)
        at += len(run)
    return tuple(starts)


def _tokenize(script: str, run: str) -> list[str]:
    """`run` (letters of one script) as words. Imported here: the dictionaries take about a second to load, and only
    documents need them."""
    if script == "lao":
        from laonlp.tokenize import word_tokenize as lao_words

        words = lao_words(run)
    else:
        from pythainlp.tokenize import word_tokenize as thai_words

        words = thai_words(run, engine="newmm", keep_whitespace=True)
    # A tokenizer that changed the text: no break rather than a wrong one.
    return words if "".join(words) == run else [run]


# The fonts the app serves (static/fonts, .streamlit/config.toml), so a text's width on screen is known here; a table
# cell's text is 14 px (Streamlit's theme fontSizes.sm) with 8 px of padding each side.
FONTS = Path(__file__).resolve().parents[2] / "static" / "fonts"
CELL_FONT_PX = 14
CELL_PADDING_PX = 16
ELLIPSIS = "…"


def room_px(column_px: int) -> int:
    """The room a text has in a cell of a column `column_px` wide: its padding, and a pixel each side for the
    browser's own rounding."""
    return column_px - CELL_PADDING_PX - 2


def column_px(text_px: float) -> int:
    """The width of a column in whose cells a text `text_px` wide fits whole: room_px the other way."""
    return math.ceil(text_px) + CELL_PADDING_PX + 2


@functools.cache
def _font(script: str, bold: bool = False):
    from PIL import ImageFont  # only where a width is measured

    family = {"thai": "NotoSansThai", "lao": "NotoSansLao"}.get(script, "NotoSans")
    return ImageFont.truetype(str(FONTS / f"{family}-{'Bold' if bold else 'Regular'}.ttf"), CELL_FONT_PX)


def _script(char: str) -> str:
    return "thai" if "\u0e00" <= char <= "\u0e7f" else "lao" if "\u0e80" <= char <= "\u0eff" else "latin"


def width_px(text: str, bold: bool = False) -> float:
    """How wide `text` is drawn in a table cell, in CSS pixels (each run in the font the browser picks for it)."""
    return sum(_font(script, bold).getlength("".join(run)) for script, run in itertools.groupby(text, _script))


def fit_column(texts, column_px: int) -> list[str]:
    """Each of `texts` as a table column `column_px` wide shows it whole, and no two alike: a text that fits stays;
    one that does not is cut at its end ("…"), as the table would; where two cut so read alike, each keeps its start
    and the part that tells them apart, with an ellipsis between. (A cell cuts at its right edge and never wraps
    Thai or Lao: "อัตราการเข้าเรียนอย่างหยาบ ระดับมัธยมศึกษาตอนต้น" and "…ตอนปลาย" both read "…ระดับมัธยม".)"""
    return list(_fit_column(tuple(str(t) for t in texts), column_px))


# A page cuts the same few columns of names (its KPIs, its sources) on every run, and measuring them glyph by glyph
# was the largest part of the Province page's run (130 of 630 ms under cProfile): each column is measured once.
@functools.lru_cache(maxsize=256)
def _fit_column(texts: tuple[str, ...], column_px: int) -> tuple[str, ...]:
    room = room_px(column_px)
    try:
        cut = [t if width_px(t) <= room else _cut_end(t, room) for t in texts]
    except OSError:  # the served fonts cannot be read (a broken install): the table cuts the names, as it did
        return texts
    shown = list(cut)
    for n, text in enumerate(texts):
        alike = [other for other, its in zip(texts, cut, strict=True) if its == cut[n] and other != text]
        if alike and cut[n] != text:
            differs = max(len(os.path.commonprefix([text, other])) for other in alike)
            shown[n] = _cut_middle(text, room, differs)
    return tuple(shown)


@functools.lru_cache(maxsize=4096)  # a reason repeated on many rows, and the same texts on every rerun
def lines_at_words(text: str, column_px: int) -> str:
    """`text` in the lines a wrapping cell of a column `column_px` wide shows, broken at its spaces and hyphens and
    between Thai or Lao words (`word_starts`), joined by newlines, which the grid keeps. The grid itself wraps at
    spaces only and breaks a longer run anywhere: "อัตราการสำเร็จการศึ|กษา…". A word wider than the room has a line of
    its own, for the grid to break. Measured a little narrower than the grid's room, so the grid breaks no line
    again, and the lines counted are the lines shown."""
    room = room_px(column_px)
    # After a space, at a Thai or Lao word's start, and after a hyphen that ends three letters or more ("Anywhere-|
    # Anytime" is wider than a column; "O-NET" and "e-Meeting" stay whole).
    hyphens = (i + 1 for i, c in enumerate(text) if c == "-" and i >= 3 and text[i - 3 : i].isalpha())
    breaks = sorted({*word_starts(text), *(i + 1 for i, c in enumerate(text) if c == " "), *hyphens, len(text)})
    lines, start, fits = [], 0, 0  # fits: the furthest break whose line from start fits (start itself: none yet)
    for end in breaks:
        if width_px(text[start:end].rstrip()) <= room:
            fits = end
            continue
        if fits > start:
            lines.append(text[start:fits].rstrip())
            start = fits
            if width_px(text[start:end].rstrip()) <= room:
                fits = end
                continue
        lines.append(text[start:end].rstrip())
        start = fits = end
    if start < len(text):
        lines.append(text[start:].rstrip())
    return "\n".join(lines)


def fit_list(names, column_px: int, lines: int, more: Callable[[int], str]) -> str:
    """`names` joined by ", " in at most `lines` lines of a column `column_px` wide that wraps at spaces (a grid's
    wrapping rows); the names that do not fit are left out and counted at the end by `more` ("+12 more")."""
    names = [str(n) for n in names]
    room = room_px(column_px)

    def listed(shown: int) -> str:
        text = ", ".join(names[:shown])
        return text if shown == len(names) else (text + ", " if text else "") + more(len(names) - shown)

    if _lines(listed(len(names)), room) <= lines:
        return listed(len(names))
    # From the fewest up, so that a province of 50 districts measures the few that fit, not 50 lists.
    shown = 0
    while shown + 1 < len(names) and _lines(listed(shown + 1), room) <= lines:
        shown += 1
    return listed(shown)


def _lines(text: str, room: float) -> int:
    """The lines `text` takes wrapped at its spaces in `room` px (a word wider than the room takes its own lines).
    Words are measured once each and added up: a list of a province's 50 districts is measured many times."""
    space = _word_px(" x") - _word_px("x")
    count, used = 1, 0.0
    for word in text.split(" "):
        width = _word_px(word)
        if used and used + space + width <= room:
            used += space + width
            continue
        if used:
            count += 1
        extra = int(width // room) if width > room else 0  # the grid breaks a word wider than the room anywhere
        count, used = count + extra, width - extra * room
    return count


@functools.lru_cache(maxsize=4096)
def _word_px(word: str) -> float:
    return width_px(word)


def _cut_end(text: str, room: float) -> str:
    ends = [b for b in cluster_starts(text) if width_px(text[:b].rstrip() + ELLIPSIS) <= room]
    return text[: max(ends, default=0)].rstrip() + ELLIPSIS


def _cut_middle(text: str, room: float, differs: int) -> str:
    """The start of `text` and its end from before index `differs` (where it parts from the texts it reads like):
    from the phrase that holds it when that takes at most 60 % of the room, else as much as that allows."""
    bounds = [b for b in [0, *cluster_starts(text)] if b <= differs] or [0]
    within = [b for b in bounds if width_px(text[b:]) <= 0.6 * room]
    phrase = text.rfind(" ", 0, differs) + 1
    tail_start = phrase if phrase in within else min(within) if within else max(bounds)
    tail = text[tail_start:]
    head_room = room - width_px(ELLIPSIS + tail)
    head_end = max((b for b in bounds if b < tail_start and width_px(text[:b].rstrip()) <= head_room), default=0)
    return text[:head_end].rstrip() + ELLIPSIS + tail


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
