"""A province's schools: the map, a search by name or code, and the card of the school chosen (kept in the URL as
?school=CODE, so a link opens the card and Back closes it)."""

from __future__ import annotations

import streamlit as st

from cockpit import i18n
from cockpit.figures import province_maps
from cockpit.review import province, schools
from cockpit.review.province import ProvinceReview
from cockpit.ui import sidebar, tables, text, url_state

SEARCH_KEY = "school_search"
CHOSEN_KEY = "school_chosen"  # the school this session put in the URL: a code it did not put there came from a link


def section(ctx: sidebar.Context, rv: ProvinceReview, province_id: str) -> None:
    """The schools of the province on a map, with a search and one school's card beside it."""
    tr = ctx.tr
    st.subheader(tr("Where are {province}'s schools?", province=text.plain(rv.name)))
    left, right = st.columns([6, 4])
    with left:
        school_map = province_maps.school_map(
            rv,
            tooltip=[
                ("name", tr("School")),
                ("type_label", tr("Type")),
                ("district", tr("District")),
                ("students_label", tr("Students")),
            ],
        )
        event = st.vega_lite_chart(school_map, on_select="rerun", key=f"schools_{province_id}")
        st.caption(tr("Each dot is a school. Click a school for its card."))
    # The map keeps its selection across reruns: only a new click opens a card, so a card closed stays closed.
    clicked = province_maps.clicked_school(event.selection if event is not None else None)
    if clicked is not None and st.session_state.get(f"school_clicked_{province_id}") != clicked:
        st.session_state[f"school_clicked_{province_id}"] = clicked
        _choose(clicked, province_id)
    with right:
        _search(ctx)
        school = _chosen(ctx, rv)
        if school is None:
            _summary(ctx, rv)
        else:
            _card(ctx, school)


def _choose(school_id: str, province_id: str) -> None:
    st.session_state[CHOSEN_KEY] = school_id
    st.query_params["school"] = school_id
    st.query_params["province"] = province_id


def _search(ctx: sidebar.Context) -> None:
    """A box that finds schools in the reader's whole scope; picking one opens its card, on its own province's page."""
    tr = ctx.tr
    typed = st.text_input(tr("Find a school"), key=SEARCH_KEY, placeholder=tr("Part of its name, or its code"))
    if not typed.strip():
        return
    found = schools.search(ctx.db, ctx.country, ctx.scope, typed, ctx.lang)
    if found.empty:
        st.caption(text.plain(tr("No school in your area has “{text}” in its name or code.", text=typed.strip())))
        return
    # One button a school, its whole name wrapping on a laptop's narrow column (a table cut names and provinces).
    with st.container(height=min(62 * len(found) + 16, 300), border=True, key="school_search_results"):
        for row in found.itertuples():
            st.button(
                text.plain(f"{row.name} · {row.school_id} · {row.district}, {row.province}"),
                key=f"school_found_{row.school_id}",
                type="tertiary",
                on_click=_picked_from_search,
                args=(row.school_id, row.province_id),
            )
    if len(found) == schools.MOST_SHOWN:
        st.caption(tr("The first {n} found: type more to narrow the list.", n=schools.MOST_SHOWN))


def _picked_from_search(school_id: str, province_id: str) -> None:
    """A school chosen among the results: its card on its province's page, and the search done with."""
    _choose(school_id, province_id)
    st.session_state[SEARCH_KEY] = ""


def _chosen(ctx: sidebar.Context, rv: ProvinceReview):
    """The school of ?school= if it is in this province; a code that is not is reported (when a link brought it) and
    dropped."""
    school_id = st.query_params.get("school")
    if school_id is None:
        return None
    school = province.school(rv, school_id)
    if school is None:
        if st.session_state.get(CHOSEN_KEY) != school_id:
            url_state.notice(
                ctx.tr(
                    "The link asks for school {code}, which is not among {province}'s.",
                    code=school_id,
                    province=rv.name,
                )
            )
        del st.query_params["school"]
    return school


def _summary(ctx: sidebar.Context, rv: ProvinceReview) -> None:
    tr = ctx.tr
    st.info(tr("Click a school on the map, or find it by name or code, to see its card."), icon=":material/touch_app:")
    st.dataframe(
        tables.localized(province.school_types(rv), ctx.lang, numbers={"schools": 0, "students": 0, "teachers": 0}),
        hide_index=True,
        column_config={
            "type_label": st.column_config.TextColumn(tr("Type"), width=152),
            "schools": st.column_config.NumberColumn(tr("Schools"), width=60),
            "students": st.column_config.NumberColumn(tr("Students"), width=70),
            "teachers": st.column_config.NumberColumn(tr("Teachers"), width=64),
        },
    )
    shares = province.facility_shares(rv)
    st.caption(
        tr(
            "Schools with electricity {electricity} · internet {internet} · water {water}",
            electricity=i18n.percent(shares["has_electricity"], ctx.lang),
            internet=i18n.percent(shares["has_internet"], ctx.lang),
            water=i18n.percent(shares["has_water"], ctx.lang),
        )
    )


def _card(ctx: sidebar.Context, school) -> None:
    tr = ctx.tr
    with st.container(border=True):
        heading, close = st.columns([5, 1], vertical_alignment="center")
        heading.markdown("### " + text.plain(school["name"]))
        if close.button(tr("Close"), key="school_card_close", icon=":material/close:"):
            st.session_state.pop(CHOSEN_KEY, None)
            del st.query_params["school"]
            st.rerun()
        kind = tr("Public") if school["is_public"] else tr("Private")
        st.caption(text.plain(f"{school['type_label']} · {kind} · {school['district']} · {school['school_id']}"))
        cards = st.columns(3)
        cards[0].metric(tr("Students"), i18n.number(school["students"], ctx.lang))
        cards[1].metric(tr("Teachers"), i18n.number(school["teachers"], ctx.lang))
        ratio = school["pupils_per_teacher"]
        cards[2].metric(tr("Pupils per teacher"), i18n.number(ratio, ctx.lang, 1) if ratio else i18n.NO_VALUE)
        facilities = []
        # "No" and the facility as one message: a word glued on read "No อินเทอร์เน็ต" (the f-string hid it from
        # the catalogs), and a language may not put its "no" first.
        for flag, has, lacks in (
            ("has_electricity", tr("Electricity"), tr("No electricity")),
            ("has_internet", tr("Internet"), tr("No internet")),
            ("has_water", tr("Water"), tr("No water")),
        ):
            facilities.append(f":green-badge[{has}]" if school[flag] else f":red-badge[{lacks}]")
        st.markdown(" ".join(facilities))
