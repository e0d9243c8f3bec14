"""Shared Streamlit widgets: the sidebar's country and language, URL-backed choices, status cards, data problems.

The only module of cockpit/ that imports streamlit (pages lay out; the rest of cockpit/ is plain Python).
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass

import pandas as pd
import streamlit as st

from cockpit import areas, db, i18n, indicators, periods, settings
from cockpit.access import Scope
from cockpit.db import Database, NoData
from cockpit.extracts import ExtractError

NOTICES_KEY = "cockpit_notices"


@dataclass(frozen=True)
class Context:
    """What every page needs: the data, the country, the reader's language and scope."""

    db: Database
    country: str
    lang: str
    scope: Scope

    def tr(self, message: str, **values) -> str:
        return i18n.tr(self.lang, message, **values)

    def period(self, start, period_type: str) -> str:
        return periods.label(start, period_type, self.country, self.lang)


def _notice(message: str) -> None:
    """A warning about the URL, at the top of the page (where ui.context() kept room for it)."""
    box = st.session_state.get(NOTICES_KEY)
    (box or st).warning(message, icon=":material/link_off:")


def url_choice(
    name: str,
    options: Sequence[str],
    default: str,
    label: str,
    format_func: Callable[[str], str] = str,
    lang: str = "en",
    widget=None,
    **widget_args,
) -> str:
    """A select widget whose value lives in the URL (?name=value), so a link reproduces the view.

    A value in the URL that is not among the options is reported, not obeyed, and replaced by
    the default; the widget keeps its value across reruns and language switches.
    """
    options = list(options)
    key = f"url_{name}"
    if key not in st.session_state:
        raw = st.query_params.get(name)
        if raw is not None and raw not in options:
            _notice(
                i18n.tr(
                    lang,
                    "The link asks for {name}={value}, which does not exist here; showing {default} instead.",
                    name=name,
                    value=raw,
                    default=format_func(default),
                )
            )
            raw = None
        st.session_state[key] = raw if raw is not None else default
    elif st.session_state[key] not in options:
        st.session_state[key] = default
    widget = widget or st.selectbox
    value = widget(label, options, format_func=format_func, key=key, **widget_args)
    st.query_params[name] = value
    return value


def sidebar_controls() -> Context | None:
    """Country and language pickers in the sidebar; the page's context, or None when no data can be shown."""
    database = db.get()
    countries = database.countries()
    lang_guess = st.session_state.get("url_lang") or st.query_params.get("lang") or "en"
    with st.sidebar:
        if not countries:
            st.error(
                i18n.tr(
                    lang_guess,
                    "No extracts found in {path}. Run `make demo` or set COCKPIT_DATA_DIR.",
                    path=database.data_dir,
                )
            )
            return None
        default_country = settings.load().default_country
        country = url_choice(
            "country",
            countries,
            default_country if default_country in countries else countries[0],
            "🌏",
            format_func=lambda c: {"th": "ประเทศไทย · Thailand", "la": "ສປປ ລາວ · Lao PDR"}.get(c, c.upper()),
            lang=lang_guess,
            label_visibility="collapsed",
        )
        lang = url_choice(
            "lang",
            i18n.LANGUAGES,
            i18n.COUNTRY_LANGUAGE.get(country, settings.load().default_language),
            "Language",
            format_func=i18n.LANGUAGE_NAMES.get,
            widget=st.segmented_control,
            label_visibility="collapsed",
            required=True,
        )
    try:
        scope = areas.full_scope(database, country)
    except NoData as exc:
        st.error(i18n.tr(lang, "The {country} extracts cannot be loaded.", country=country.upper()))
        if isinstance(exc.__cause__, ExtractError):
            contract_errors_table(lang, exc.__cause__)
        else:
            st.code(str(exc), language=None)
        return None
    context = Context(database, country, lang, scope)
    problem = database.problem(country)
    if problem is not None:
        show_extract_problem(context, problem.error)
    return context


def show_extract_problem(ctx: Context, error: ExtractError) -> None:
    """A rejected extract: what is wrong and where, and that the previous data is still shown."""
    with st.container(border=True):
        st.warning(
            ctx.tr(
                "New extracts in {path} were rejected; the cockpit still shows the data loaded before.",
                path=error.directory,
            ),
            icon=":material/report:",
        )
        contract_errors_table(ctx.lang, error)


def contract_errors_table(lang: str, error: ExtractError) -> None:
    """What is wrong, and where: one row per file, column and broken rule, with sample row numbers."""
    rows = [
        {
            i18n.tr(lang, "File"): e.file,
            i18n.tr(lang, "Column"): e.column or "",
            i18n.tr(lang, "Rows"): ", ".join(map(str, e.rows)) + (" …" if e.row_count > len(e.rows) else ""),
            i18n.tr(lang, "Problem"): e.problem,
        }
        for e in error.errors
    ]
    st.dataframe(pd.DataFrame(rows), hide_index=True)


def status_badge(status: str, lang: str) -> str:
    """Markdown for a coloured status badge (colour means status)."""
    color = {"green": "green", "amber": "orange", "red": "red"}.get(status, "gray")
    return f":{color}-badge[{indicators.status_label(status, lang)}]"


def headline_card(ctx: Context, indicator: pd.Series, headline: indicators.Headline) -> None:
    """One KPI against its target: status, value, change since the period before, target and trend."""
    higher_better = indicator["direction"] == "higher_is_better"
    change = headline.change
    st.metric(
        f"{status_badge(headline.status, ctx.lang)} {indicators.name(indicator, ctx.lang)}",
        indicators.fmt(indicator, headline.value, ctx.lang),
        delta=None if change is None else indicators.signed(indicator, change, ctx.lang),
        delta_color="normal" if higher_better else "inverse",
        delta_description=ctx.tr(
            "{period} · target {target}",
            period=ctx.period(headline.period_start, headline.period_type),
            target=indicators.fmt(indicator, headline.target, ctx.lang),
        ),
        chart_data=list(headline.series) or None,
        chart_type="line",
        help=indicators.question(indicator, ctx.lang),
        border=True,
    )


DENSE_CSS = """
<style>
  [data-testid="stMainBlockContainer"] { padding-top: 2.2rem; padding-bottom: 2rem; }
</style>
"""


def context() -> Context:
    """Render the sidebar's country and language pickers and return the page's context; stop if no data.

    Each page calls this first. (The frame, app.py, only names the pages: Streamlit's AppTest
    reruns a page file on its own, so the page must draw its own controls.)
    """
    st.html(DENSE_CSS)
    st.session_state[NOTICES_KEY] = st.container()
    ctx = sidebar_controls()
    if ctx is None:
        st.stop()
    return ctx


def language() -> str:
    """The reader's language as the URL or the language picker last set it, for the frame's page titles."""
    lang = st.session_state.get("url_lang") or st.query_params.get("lang")
    return lang if lang in i18n.LANGUAGES else settings.load().default_language


def status_styler(table: pd.DataFrame, status_column: str, label_column: str):
    """A Styler that paints each row's status cell in its status colour."""
    colors = table[status_column].map(indicators.hex_color)

    def paint(column: pd.Series) -> list[str]:
        return [f"background-color: {c}; color: white; font-weight: 600" for c in colors.loc[column.index]]

    return table.drop(columns=[status_column]).style.apply(paint, subset=[label_column])
