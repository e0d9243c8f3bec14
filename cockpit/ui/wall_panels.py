"""A wall on screen: its header and 'data as of' stamp, its views and decisions, refreshing in place."""

from __future__ import annotations

import json

import pandas as pd
import streamlit as st

from cockpit import clock, periods, settings
from cockpit.data import areas, indicators
from cockpit.data.access import Scope
from cockpit.meeting import decisions as _decisions
from cockpit.meeting import four_walls
from cockpit.meeting import walls as _walls
from cockpit.meeting import warroom as _warroom
from cockpit.ui import forms, links, page_help, printing, screen, sidebar, url_state, wall_html


def key_name(button_key: str, name: str) -> None:
    """Write a button's shortcut key by its name in the reader's language: Streamlit writes "Space" in English."""
    text = json.dumps(name, ensure_ascii=False).replace("<", "\\3c ")  # a CSS string that cannot close the style
    st.html(
        f"<style>.st-key-{button_key} kbd {{ font-size: 0; }}"
        f" .st-key-{button_key} kbd::after {{ content: {text}; font-size: 14px; }}</style>"
    )


def wall_css() -> None:
    """The walls' shared styles (once per page run)."""
    st.html(wall_html.WALL_CSS)


def wall_grid(cards: list[str], areas: str, columns: str, kiosk: bool, rows: str = "1fr 1fr") -> None:
    """The wall's views laid out on a CSS grid (`areas` as grid-template-areas), in one piece of HTML."""
    # CSS strings in single quotes: the style attribute itself is double-quoted.
    style = f"grid-template-areas: {areas.replace(chr(34), chr(39))}; grid-template-columns: {columns};"
    style += f" grid-template-rows: {rows};"
    mode = "wr-kiosk" if kiosk else "wr-plain"
    st.html(f'<div class="wr {mode}"><div class="wr-grid" style="{style}">{"".join(cards)}</div></div>')


def wall_header(ctx: sidebar.Context, wall: _walls.Wall, now: float, kiosk: bool, area: str | None = None) -> None:
    """The wall's name, the area it sums up when not the country (an office's, a region chosen), the question it
    answers and its 'data as of' stamp (amber when a source is overdue)."""
    newest, late = _walls.stamp(wall)
    checked = clock.local_time(now).strftime("%H:%M")
    if newest is None:
        stamp = ctx.tr("No data yet · checked {time}", time=checked)
    elif newest.running:  # "as of 1 Oct" read as two months old for a quarter reported to date in December
        period = ctx.period(newest.period_start, newest.period_type)
        stamp = ctx.tr("Data to date for {period} · checked {time}", period=period, time=checked)
    else:
        stamp = ctx.tr("Data as of {day} · checked {time}", day=periods.day_label(newest.as_of, ctx.lang), time=checked)
    late_line = ""
    if late:
        cat = indicators.catalogue(ctx.db, ctx.country)
        names = [indicators.name(cat.loc[i], ctx.lang) if i in cat.index else ctx.tr("Policy progress") for i in late]
        listed = ", ".join(names[:3]) + (" …" if len(names) > 3 else "")
        # Wrapping under the stamp: on one line, the names overdue squeezed the wall's title to a word a line.
        late_line = f'<div class="wr-overdue">{wall_html.esc(ctx.tr("Overdue: {names}", names=listed))}</div>'
    mode = "wr-kiosk" if kiosk else "wr-plain"
    st.html(
        f'<div class="wr {mode}">'
        f'<div class="wr-topbar" data-wall="{wall.name}" style="{wall_html.color_var(wall.status)}">'
        f'<div><div class="wr-title"><span class="wr-dot wr-big-dot"></span> '
        f"{wall_html.esc(ctx.tr(_walls.WALL_TITLES[wall.name]))}"
        + (f' <span class="wr-area">· {wall_html.esc(area)}</span>' if area else "")
        + "</div>"
        f'<div class="wr-wallq">{wall_html.esc(ctx.tr(_walls.WALL_QUESTIONS[wall.name]))}</div></div>'
        f'<div class="wr-stamp{" wr-late" if late else ""}" data-late="{str(bool(late)).lower()}">'
        f"{wall_html.esc(stamp)}{late_line}</div></div></div>"
    )


def decisions_strip(ctx: sidebar.Context, table: pd.DataFrame, today, names: dict, kiosk: bool, limit: int = 4) -> None:
    """The meeting's open decisions on this wall: what, who, by when (red when overdue), soonest due first."""
    mode = "wr-kiosk" if kiosk else "wr-plain"
    label = wall_html.note("wr-dlabel", ctx.tr("Decisions"))
    if table.empty:
        body = wall_html.note("wr-empty", ctx.tr("No open decisions on this wall."))
        st.html(f'<div class="wr {mode}"><div class="wr-decisions" data-decisions="0">{label}{body}</div></div>')
        return
    late = _decisions.overdue(table, today)
    shown = table.assign(late=late, due=pd.to_datetime(table["due_date"])).sort_values(
        ["late", "due", "id"], ascending=[False, True, True], na_position="last"
    )
    items = []
    for row in shown.head(limit).itertuples():
        status = "off_track" if row.late else "at_risk"
        due = periods.day_label(row.due_date, ctx.lang)
        subject = names.get((row.subject_type, row.subject_id), row.subject_id)
        items.append(
            f'<div class="wr-decision" style="{wall_html.color_var(status)}" data-decision="{int(row.id)}">'
            f'<div class="wr-clip"><b>{wall_html.esc(subject)}:</b> {wall_html.esc(row.text)}</div>'
            + wall_html.note("wr-small", ctx.tr("{owner} · due {day}", owner=row.owner, day=due))
            + "</div>"
        )
    more = len(shown) - limit
    if more > 0:
        items.append(wall_html.note("wr-dlabel", ctx.tr("+{n} more", n=more)))
    st.html(
        f'<div class="wr {mode}"><div class="wr-decisions" data-decisions="{len(shown)}">'
        f"{label}{''.join(items)}</div></div>"
    )


def wall_region(ctx: sidebar.Context, **widget_args) -> tuple[Scope, str, str]:
    """The walls' region filter (?region=reo:11): the caller's scope narrowed to it, the area the wall sums up, and
    the region chosen ('all' for none). With none chosen, an office's walls sum up its own area, its province or
    region (`area_facts` has both): the country's figures were shown as its own, "672 schools closed" on REO 17's Red
    wall beside its map of no incidents."""
    groups = areas.groups(ctx.db, ctx.country).set_index("group_key", drop=False)
    region = url_state.region_choice(ctx, groups, **widget_args)
    if region != "all":
        return ctx.scope.within(groups.loc[region, "province_ids"]), region, region
    return ctx.scope, ctx.own_area or str(areas.country(ctx.db, ctx.country)["area_id"]), region


def show_wall(
    ctx: sidebar.Context, name: str, render, scope: Scope, area_id: str, kiosk: bool, now: float
) -> _walls.Wall:
    """Build one wall from the current data and lay it out: header and stamp, its views (`render`), its decisions."""
    engine = ctx.store
    wall = four_walls.build(name, ctx.db, engine, ctx.country, area_id, scope, ctx.lang, now, settings.load().rules_dir)
    wall_css()
    country = str(areas.country(ctx.db, ctx.country)["area_id"])
    wall_header(
        ctx, wall, now, kiosk, None if area_id == country else areas.area_name(ctx.db, ctx.country, area_id, ctx.lang)
    )
    render(ctx, wall, kiosk)
    table = (
        _walls.open_decisions(ctx.db, engine, ctx.country, scope, name)
        if engine is not None
        else pd.DataFrame(columns=["subject_type"])
    )
    feed = None
    if len(table) and (table["subject_type"] == "alert").any():
        feed = four_walls.alert_state(
            ctx.db, engine, ctx.country, scope, ctx.lang, clock.local_date(now), settings.load().rules_dir
        ).feed
    names = _walls.subject_names(_walls.decision_subjects(ctx.db, ctx.country, scope, ctx.lang, feed))
    decisions_strip(ctx, table, clock.local_date(now), names, kiosk)
    return wall


# Each wall's page (its url_path in app.py), for the link that shares it and its 'How to read this page'.
WALL_PAGES = {"black": "wall-results", "red": "wall-crises", "blue": "wall-capacity", "white": "wall-policies"}


def wall_page(name: str, render) -> None:
    """A wall as a page of its own: region filter, the wall refreshing in place, 'show on the wall', a decision."""
    ctx = sidebar.context()
    left, middle, right = st.columns([3, 2, 2], vertical_alignment="bottom")
    with left:
        scope, area_id, region = wall_region(ctx)
    # At 1366 px the labels of six buttons on one row were cut: sharing, printing and the help on a row of their own,
    # each as wide as its label (in columns, Streamlit cut 'How to read this page' to its column).
    with st.container(horizontal=True, horizontal_alignment="right"):
        links.share(ctx, WALL_PAGES[name], region=region)
        printing.button(ctx)
        page_help.panel(ctx, WALL_PAGES[name])
    with middle:
        st.link_button(
            ctx.tr("Show on the wall"), screen.kiosk_href("warroom", wall=name), icon=":material/tv:", width="stretch"
        )
    with right:
        st.button(
            ctx.tr("Record a decision"),
            icon=":material/gavel:",
            width="stretch",
            key="wall_decide",
            on_click=forms.open_decision,
        )
    forms.decision_dialog(ctx, scope)

    # No refresh under an open dialog: a fragment's rerun would redraw the wall behind it for nothing.
    @st.fragment(run_every=None if forms.deciding() else _warroom.parse_refresh(st.query_params.get("refresh")))
    def live():
        show_wall(ctx.latest(), name, render, scope, area_id, False, clock.timestamp())

    live()
