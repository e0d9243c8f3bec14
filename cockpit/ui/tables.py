"""Tables' numbers in the reader's locale: numeric cells shown as cockpit/i18n writes them, progress bars that never
write a number the page writes otherwise, so a Lao table says 52,9% beside the Lao charts and tiles.

Streamlit formats a column's `format` in the browser (sprintf-js, or the browser's own locale for "localized"),
which cannot follow the language the reader chose. A pandas Styler's display values can: Streamlit shows them in
number columns that have no `format`, and still sorts those columns by the numbers underneath. Progress bars
ignore a Styler's text, and none of their formats writes the reader's decimal mark (sprintf-js writes '.', the
named formats follow the browser's language, not the page's). So a bar labels itself only with whole numbers,
which every locale here writes alike (progress); a figure with decimals is a number column in the reader's locale
beside a bar with no label of its own (with_bars, bar), and both sort by the number.
"""

from __future__ import annotations

import hashlib
from collections.abc import Callable, Mapping

import pandas as pd
import streamlit as st
from pandas.io.formats.style import Styler

from cockpit import i18n
from cockpit.figures import short_text


def localized(
    table: pd.DataFrame | Styler,
    lang: str,
    numbers: Mapping[str, int] | None = None,
    percents: Mapping[str, int] | None = None,
    written: Mapping[str, Callable[[object], str]] | None = None,
) -> Styler:
    """`table` (or its Styler) with the given columns shown in the reader's locale: `numbers` {column: decimals},
    `percents` {column: decimals} for values in percent points (52.9 -> 52,9% in Lao), `written` {column: function
    of the value} for a figure a domain formatter writes (policies.points: −26,5 pts). Columns not in the
    table are skipped, so one call serves a table whose columns depend on the page's choices. Give these columns
    no `format` in their column config (a format takes precedence over the Styler's text)."""
    styler = table if isinstance(table, Styler) else table.style
    present = set(styler.data.columns)
    for column, decimals in (numbers or {}).items():
        if column in present:
            styler = styler.format(lambda v, d=decimals: i18n.number(v, lang, d), subset=[column])
    for column, decimals in (percents or {}).items():
        if column in present:
            styler = styler.format(lambda v, d=decimals: i18n.percent(v, lang, d), subset=[column])
    for column, write in (written or {}).items():
        if column in present:
            styler = styler.format(write, subset=[column])
    return styler


BAR = "_bar"  # the suffix of a column's copy drawn as a bar beside it (with_bars)


def bar_label_format(lang: str, percent: bool = False) -> str:
    """The printf format of a progress bar's label, whole numbers ('%.0f%%'): written alike by every locale here
    below 1,000, where a decimal would need the locale's mark, which a printf format cannot write. The percent sign
    sits where the locale puts it."""
    number = "%.0f"
    if not percent:
        return number
    # The locale's percent pattern around a sample number, its '%' escaped for printf.
    sample = i18n.percent(7, lang, 0)
    return sample.replace("%", "%%").replace("7", number)


def progress(
    label: str | None,
    lang: str,
    percent: bool = True,
    min_value: float = 0,
    max_value: float = 100,
    **options,
):
    """A progress column labelled in whole numbers (see bar_label_format); values as the bar's scale (percent points
    0-100 for a percentage). A figure with decimals: with_bars and bar."""
    return st.column_config.ProgressColumn(
        label,
        min_value=min_value,
        max_value=max_value,
        format=bar_label_format(lang, percent),
        **options,
    )


def with_bars(table: pd.DataFrame, *columns: str) -> pd.DataFrame:
    """`table` with a copy of each of `columns` named column + BAR, to draw as a bar (bar) beside the column, which
    localized() writes in the reader's locale."""
    return table.assign(**{column + BAR: table[column] for column in columns})


def bar(min_value: float = 0, max_value: float = 100, **options):
    """A progress bar with no label of its own, beside the number it draws (with_bars): its format is one space,
    which writes no digit and leaves the bar the cell's width (an empty format would mean Streamlit's default)."""
    return st.column_config.ProgressColumn("", min_value=min_value, max_value=max_value, format=" ", **options)


# A grid's header and rows at Streamlit's default row height, in px (and its two borders).
HEADER_PX, ROW_PX = 38, 35
THREE_LINES_PX = 76  # a row of three lines of Thai or Lao text (their marks above and below need the room)
LINE_PX = 22  # a line more of a wrapped cell


def wrapped(texts, column_px: int, most_lines: int = 6) -> tuple[list[str], int]:
    """`texts` in the lines a column `column_px` wide shows them (short_text.lines_at_words: between words, measured
    with the served fonts), and the height of rows that show the most lines among them: the default row where each
    is one line; else three lines at least (the grid wraps only in rows taller than 4 rem, 64 px), `most_lines` at
    most (then the cell is cut). A sentence cut at its third line lost what it named last (a refusal's areas); the
    grid broke Thai between letters ("การศึ|กษา"), and cut a source's name at one line ("OBEC and")."""
    try:
        broken = [short_text.lines_at_words(str(t), column_px) for t in texts]
    except OSError:  # the served fonts cannot be read: the grid wraps them as it does, in rows of the most lines
        return [str(t) for t in texts], THREE_LINES_PX + LINE_PX * (most_lines - 3)
    return broken, lines_row_px(broken, most_lines)


def lines_row_px(cells, most_lines: int = 6) -> int:
    """The height of rows that show the most lines among `cells` (texts broken into lines by newlines): the default
    row where each is one line; else three lines at least (the grid wraps only in rows taller than 4 rem, 64 px),
    `most_lines` at most."""
    most = max((str(c).count("\n") + 1 for c in cells), default=1)
    if most == 1:
        return ROW_PX
    return THREE_LINES_PX + LINE_PX * (min(max(most, 3), most_lines) - 3)


def text_column_px(heading: str, cells, least: int = 0, bold: bool = True) -> int:
    """The width that shows a column's heading and each of its `cells` whole (measured with the served fonts: the
    heading in the grid's regular weight, the cells in a status cell's bold unless not `bold`), `least` at the least;
    `least` when the fonts cannot be read."""
    try:
        widest = max([short_text.width_px(str(heading)), *(short_text.width_px(str(c), bold=bold) for c in cells)])
    except OSError:
        return least
    return max(least, short_text.column_px(widest))


def name_column_px(heading: str, names, least: int, most: int) -> int:
    """A column of names as wide as its heading and names need (the grid's regular weight), `least` at the least
    and `most` (what the other columns leave of the table) at the most."""
    return max(least, min(text_column_px(heading, names, least, bold=False), most))


def shared_widths(wanted: Mapping[str, int], total: int, least: int) -> dict[str, int]:
    """Columns as wide as they want when together they fit in `total` px; else the widest narrowed first, to one
    width, until they do (`least` at the least). Shared alike, a long name was cut beside short ones with room to
    spare: "พระนครศรี…" beside "ชัยนาท" in a column wider than it."""
    cap = None
    left, count = total, len(wanted)
    for i, want in enumerate(sorted(wanted.values())):
        share = left / (count - i)
        if want > share:
            cap = share
            break
        left -= want
    return {k: max(least, int(w if cap is None else min(w, cap))) for k, w in wanted.items()}


def fitting_runs(wanted: Mapping[str, int], room: int) -> list[list[str]]:
    """The columns in their order, split into as few runs as fit in `room` px each at the widths they want, the runs
    of near-equal count (20 in 5, 5, 5, 5 rather than 6, 6, 6, 2); a column wider than the room alone in its run.
    A table of 20 provinces narrowed to fit a laptop cut every name and still scrolled sideways."""
    names = list(wanted)
    for count in range(1, len(names) + 1):
        size, extra = divmod(len(names), count)
        starts = [i * size + min(i, extra) for i in range(count + 1)]
        runs = [names[a:b] for a, b in zip(starts, starts[1:], strict=False)]
        if all(sum(wanted[c] for c in run) <= room for run in runs):
            return runs
    return [[c] for c in names]


def fit_height(rows: int, most: int, row_px: int = ROW_PX) -> int:
    """The height of a grid of `rows` rows of `row_px`, up to `most` px (beyond it, the grid scrolls). A fixed height
    shows blank rows under a short table: a policy carried out in 10 of 18 provinces, an area with two alerts."""
    return min(HEADER_PX + row_px * rows, most)


def selection_key(name: str, ids) -> str:
    """The key of a table whose rows can be picked, changing with the rows it lists (`ids`, in order). Streamlit keeps
    a row picked by its position when a table's rows change: filtered again, or with a newer entry on top, the row
    at that position, another entry, was shown as the one picked."""
    listed = ",".join(map(str, ids))
    return f"{name}_{hashlib.blake2b(listed.encode(), digest_size=6).hexdigest()}"
