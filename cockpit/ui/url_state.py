"""Choices that live in the URL (?name=value), so a link reproduces the view; notices for links that ask
for what does not exist."""

from __future__ import annotations

from collections.abc import Callable, Sequence

import pandas as pd
import streamlit as st
from streamlit.runtime.scriptrunner import get_script_run_ctx

from cockpit import i18n
from cockpit.data import areas, indicators
from cockpit.review import province
from cockpit.ui import sidebar, text

NOTICES_KEY = "cockpit_notices"
# Choices that follow the reader from page to page (the sidebar's); every other choice belongs to its page, so a
# province chosen on the Province page does not filter the Alerts page the reader opens next (?province= left over).
STICKY = ("country", "lang")


def _page() -> str:
    """The page this run draws (its script hash), to tell a page just opened from a rerun of the same page."""
    run = get_script_run_ctx()
    return run.page_script_hash if run is not None else ""


def notice(message: str) -> None:
    """A warning about the URL, at the top of the page (where ui.context() kept room for it).

    The message quotes the URL's values, which anyone can write: it is shown as plain text, never as
    Markdown (a link's `![x](http://…)` would make every viewer's browser fetch an image).
    """
    box = st.session_state.get(NOTICES_KEY)
    (box or st).warning(text.plain(message), icon=":material/link_off:")


def period_choice(ctx, indicator_id: str, label: str) -> tuple[str, str]:
    """The period of an indicator to show (newest first, named as its readers name it, kept in the URL as
    ?period=) and its type."""
    rows = indicators.available_periods(ctx.db, ctx.country, indicator_id)
    types = dict(zip(rows["period_start"].dt.strftime("%Y-%m-%d"), rows["period_type"], strict=True))
    period = url_choice(
        "period", list(types), next(iter(types)), label, format_func=lambda p: ctx.period(p, types[p]), lang=ctx.lang
    )
    return period, types[period]


def link_followed(name: str, said: str | None) -> bool:
    """Whether the URL's `name` is a value the choice's widget did not write there: a link followed, or Back. Then the
    URL wins over what the session kept."""
    return said is not None and said != st.session_state.get(f"url_{name}_in_url")


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
    raw = st.query_params.get(name)
    # What the URL says: a page's choice it leaves out is its default; a sidebar choice left out is the session's.
    said = raw if raw is not None or name in STICKY else default
    followed = link_followed(name, said)
    # A page just opened starts from its link (or its default), not from what another page chose under this name.
    page, arrived = _page(), False
    if st.session_state.get(f"{key}_page") != page:
        st.session_state[f"{key}_page"] = page
        arrived = name not in STICKY
    if st.session_state.get(key) is None or followed or arrived:
        if raw is not None and raw not in options:
            notice(
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
    else:
        # Streamlit forgets a widget's value when the page changes; claiming it here keeps it (its documented way).
        st.session_state[key] = st.session_state[key]
    widget = widget or st.selectbox
    shown_before = st.session_state.get(f"{key}_in_url")
    value = widget(label, options, format_func=format_func, key=key, **widget_args)
    # A sidebar choice the URL does not name (the navigation's links drop it) is the reader's, kept by the session.
    unsaid = shown_before if name in STICKY and shown_before is not None else default
    write_param(name, value, unsaid)
    st.session_state[f"{key}_in_url"] = value
    return value


def write_param(name: str, value: str, unsaid: str | None) -> None:
    """Put a choice in the URL only when the URL does not already say it; `unsaid` is left out of a URL without it.

    Every change of the query string is a new entry in the browser's history (Streamlit pushes it), so a page
    that wrote each of its choices on load took several presses of Back to leave; now a page load writes
    nothing and Back returns to the previous view in one press, while a choice the reader makes is one entry.
    """
    raw = st.query_params.get(name)
    if raw == value or (raw is None and value == unsaid):
        return
    st.query_params[name] = value


def picked_or_linked(name: str, picked, known, refusal: str, parse: Callable[[str], object] = str):
    """The row a page tells in detail: the one just picked (written to the URL as ?name=), else the URL's own where
    `known` has it (read with `parse`, None where it cannot be); a value the URL gives that is not known is reported
    with `refusal` (a message marked N_(), {id} the value as written) and dropped from the URL."""
    if picked is not None:
        st.query_params[name] = str(picked)
        return picked
    raw = st.query_params.get(name)
    if raw is None:
        return None
    value = parse(raw)
    if value is not None and value in known:
        return value
    notice(i18n.tr(sidebar.language(), refusal, id=raw))
    del st.query_params[name]
    return None


def selected_row(event, values: pd.Series) -> str | None:
    """The value of the row selected in an st.dataframe (on_select), if any."""
    rows = getattr(getattr(event, "selection", None), "rows", None) or []
    return str(values.iloc[rows[0]]) if rows else None


def region_choice(ctx: sidebar.Context, groups: pd.DataFrame, **widget_args) -> str:
    """The URL-backed region filter (?region=reo:11): any province grouping with a province in the reader's scope
    (a provincial office is offered its own region, inspection region…, not the other 70), or 'all'. `groups` is
    indexed by key."""
    ours = [g for g in groups.index if any(ctx.scope.allows(p) for p in groups.loc[g, "province_ids"])]
    return url_choice(
        "region",
        ["all", *ours],
        "all",
        ctx.tr("Region"),
        format_func=lambda g: (
            ctx.tr("All provinces") if g == "all" else areas.group_label(groups.loc[g], ctx.country, ctx.lang)
        ),
        lang=ctx.lang,
        **widget_args,
    )


def wall_choice(ctx: sidebar.Context, **widget_args) -> str:
    """The URL-backed choice of which wall's KPIs to show (?wall=black), or 'all'."""
    return url_choice(
        "wall",
        [*province.WALLS, "all"],
        "black",
        ctx.tr("Wall"),
        format_func=lambda w: ctx.tr("All KPIs") if w == "all" else ctx.tr(province.WALL_LABELS[w]),
        lang=ctx.lang,
        widget=st.segmented_control,
        required=True,
        **widget_args,
    )
