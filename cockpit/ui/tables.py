"""Tables' numbers in the reader's locale: numeric cells shown as cockpit/i18n writes them, progress bars whose
labels read right, so a Lao table says 52,9% beside the Lao charts and tiles.

Streamlit formats a column's `format` in the browser (sprintf-js, or the browser's own locale for "localized"),
which cannot follow the language the reader chose. A pandas Styler's display values can: Streamlit shows them in
number columns that have no `format`, and still sorts those columns by the numbers underneath. Progress bars
ignore a Styler's text, so their label stays a printf format: with the column's decimals where the locale's
decimal mark is '.', whole numbers where it is not (a printf format cannot write a decimal comma).
"""

from __future__ import annotations

from collections.abc import Mapping

import pandas as pd
import streamlit as st
from pandas.io.formats.style import Styler

from cockpit import i18n


def localized(
    table: pd.DataFrame | Styler,
    lang: str,
    numbers: Mapping[str, int] | None = None,
    percents: Mapping[str, int] | None = None,
) -> Styler:
    """`table` (or its Styler) with the given columns shown in the reader's locale: `numbers` {column: decimals},
    `percents` {column: decimals} for values in percent points (52.9 -> 52,9% in Lao). Columns not in the
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
    return styler


def bar_label_format(lang: str, decimals: int = 0, percent: bool = False) -> str:
    """The printf format of a progress bar's label: '%.1f%%' in Thai and English; whole numbers ('%.0f%%') where
    the locale's decimal mark is not '.', as in Lao. The percent sign sits where the locale puts it."""
    decimal, _ = i18n.symbols(lang)
    places = decimals if decimal == "." else 0
    number = f"%.{places}f"
    if not percent:
        return number
    # The locale's percent pattern around a sample number, its '%' escaped for printf.
    sample = i18n.percent(7, lang, 0)
    return sample.replace("%", "%%").replace("7", number)


def progress(
    label: str | None,
    lang: str,
    decimals: int = 0,
    percent: bool = True,
    min_value: float = 0,
    max_value: float = 100,
    **options,
):
    """A progress column whose label follows the reader's locale (see bar_label_format); values as the bar's scale
    (percent points 0-100 for a percentage)."""
    return st.column_config.ProgressColumn(
        label,
        min_value=min_value,
        max_value=max_value,
        format=bar_label_format(lang, decimals, percent),
        **options,
    )
