"""Explorer: any indicator at any level for a chosen set of areas, as a series, a ranking, a map, two indicators
against each other or a pivot; every choice in the URL; a click drills down; downloads of what is shown."""

import pandas as pd
import streamlit as st

from cockpit import periods
from cockpit.data import areas, indicators
from cockpit.documents import shown_tables
from cockpit.figures import explore_charts
from cockpit.review import explore
from cockpit.ui import links, page_help, sidebar, tables, text, url_state

ctx = sidebar.context()
tr = ctx.tr
catalogue = indicators.catalogue(ctx.db, ctx.country)
kpis = indicators.kpis(ctx.db, ctx.country)
geo = explore.geography(ctx.db, ctx.country, ctx.scope)


def go(level: str, key: str) -> None:
    """Move the view to a level and set (a drill or a breadcrumb): run before the widgets are drawn."""
    st.session_state["url_level"] = level
    st.session_state["url_areas"] = key


def drill_from(widget_key: str, level: str, layer: str | None = None) -> None:
    """A click on an area in a chart, map or table: one level down, if there is one."""
    selection = getattr(st.session_state.get(widget_key), "selection", None) or {}
    area_id = None
    if layer is not None:
        objects = (selection.get("objects") or {}).get(layer) or []
        if objects:
            props = objects[0].get("properties") or objects[0]
            area_id = props.get("group_key") or props.get("code")
    elif selection.get("points"):
        point = selection["points"][0]
        area_id = point.get("customdata")
        area_id = area_id[0] if isinstance(area_id, list) else area_id
    elif selection.get("rows"):
        area_id = st.session_state.get(f"{widget_key}_ids", [None])[selection["rows"][0]]
    target = geo.drill(level, area_id) if area_id else None
    if target is not None:
        go(*target)


def indicator_label(i: str) -> str:
    return indicators.name(kpis.loc[i], ctx.lang)


st.title(tr("Explorer"))
page_help.panel(ctx, "explore")
row = st.columns([4, 2.5, 3, 2.5])
with row[0]:
    indicator_id = url_state.url_choice(
        "indicator", kpis.index, kpis.index[0], tr("Indicator"), format_func=indicator_label, lang=ctx.lang
    )
indicator = kpis.loc[indicator_id]
with row[1]:
    level = url_state.url_choice(
        "level",
        geo.levels(),
        "province",
        tr("Level"),
        format_func=lambda lv: (
            tr(explore.LEVEL_LABELS[lv])
            if lv in explore.LEVEL_LABELS
            else tr(areas.GROUP_TYPE_LABELS.get(lv, "Region"))
        ),
        lang=ctx.lang,
    )
SET_LABELS = {
    explore.ALL: tr("All areas"),
    explore.PRIORITY: tr("The 40 priority districts"),
    explore.NON_PRIORITY: tr("Districts outside the priority list"),
}
with row[2]:
    key = url_state.url_choice(
        "areas",
        geo.sets(level),
        explore.ALL,
        tr("Areas"),
        format_func=lambda k: (
            SET_LABELS.get(k)
            or (
                areas.group_label(geo.groups.loc[k], ctx.country, ctx.lang)
                if k in geo.groups.index
                else geo.name(k, ctx.lang)
            )
        ),
        lang=ctx.lang,
    )
with row[3]:
    period, period_type = url_state.period_choice(ctx, indicator_id, tr("Period"))
view = url_state.url_choice(
    "view",
    explore.VIEWS,
    "series",
    tr("View"),
    format_func=lambda v: tr(explore.VIEW_LABELS[v]),
    lang=ctx.lang,
    widget=st.segmented_control,
    required=True,
)
row = st.columns([3, 4, 5])
with row[0]:
    breakdown = url_state.url_choice(
        "sex",
        ["total", "sex"],
        "total",
        tr("Breakdown"),
        format_func=lambda s: tr("Total") if s == "total" else tr("By sex"),
        lang=ctx.lang,
        widget=st.segmented_control,
        required=True,
    )
if view == "scatter":
    with row[1]:
        default_y = "teacher_vacancy_rate" if "teacher_vacancy_rate" in kpis.index else kpis.index[-1]
        indicator_y = url_state.url_choice(
            "indicator2", kpis.index, default_y, tr("Against"), format_func=indicator_label, lang=ctx.lang
        )

crumbs = geo.breadcrumbs(level, key)
crumb_columns = st.columns([3] * len(crumbs) + [max(1, 12 - 3 * len(crumbs))])
for column, (area_id, crumb_level, crumb_key) in zip(crumb_columns, crumbs, strict=False):
    label = tr("All areas") if area_id == explore.ALL else SET_LABELS.get(area_id) or geo.name(area_id, ctx.lang)
    with column:
        current = (crumb_level, crumb_key) == (level, key)
        st.button(
            ("› " if area_id != explore.ALL else "") + text.plain(label),
            key=f"crumb_{area_id}",
            on_click=go,
            args=(crumb_level, crumb_key),
            disabled=current,
            type="tertiary",
        )

since = explore.since(period)
rows = explore.values(ctx.db, ctx.country, indicator_id, level, since, ctx.scope)
members = geo.members(level, key)
by_sex = breakdown == "sex" and explore.has_sexes(rows)
if breakdown == "sex" and not by_sex:
    st.info(tr("This indicator has no figures by sex; showing totals."), icon=":material/info:")
period_name = ctx.period(period, period_type)
as_of = ctx.db.snapshot(ctx.country).loaded_at
st.subheader(text.plain(indicators.question(indicator, ctx.lang)))
links.indicator_link(
    ctx,
    indicator_id,
    tr("What {indicator} means and where it comes from", indicator=indicator_label(indicator_id)),
    ":material/menu_book:",
)

shown = None
shown_ids = [indicator_id]
if view == "series":
    series = explore.set_series(ctx.db, ctx.country, indicator_id, geo, level, key, since, ctx.scope)
    series = series[series["period_start"] <= pd.Timestamp(period)]
    sides = ["all"] if key == explore.ALL else ["set", "others"]
    table = explore.series_table(series[series["side"].isin(sides)], ctx.country, ctx.lang, by_sex)
    st.vega_lite_chart(
        explore_charts.set_series(table, indicator["unit"], int(indicator["decimals"]), lang=ctx.lang),
        key="explore_series",
    )
    st.caption(
        tr(
            "Each line adds up its districts' numerators and denominators (never a mean of their rates); "
            "{set}: {n} of {total} areas on this level.",
            set=text.plain(SET_LABELS.get(key) or geo.name(key, ctx.lang)),
            n=len(members),
            total=len(geo.members(level, explore.ALL)),
        )
    )
    shown = table[["side_label", "sex_label", "period", "value", "numerator", "denominator", "reporting_districts"]]
elif view in ("bar", "map"):
    ranked = explore.ranked(rows, members, indicator, geo, ctx.lang, period, by_sex)
    if view == "bar":
        sex_names = {s: tr(explore.SEX_LABELS[s]) for s in explore.SEXES}
        st.plotly_chart(
            explore_charts.ranked_bar(ranked, by_sex, sex_names, lang=ctx.lang),
            key="explore_bar",
            on_select=lambda: drill_from("explore_bar", level),
            selection_mode="points",
        )
    else:
        deck = explore_charts.area_map(
            ctx.country,
            level,
            ranked.set_index("area_id"),
            {g: list(r["province_ids"]) for g, r in geo.groups.iterrows()},
            ["<b>{name}</b>", tr("Value") + ": {value_label}", "{status_label}: {status_reason}"],
        )
        st.pydeck_chart(
            deck,
            height=600,
            key="explore_map",
            on_select=lambda: drill_from("explore_map", level, "areas"),
            selection_mode="single-object",
        )
    st.caption(tr("Click an area to see the one level down.") + " " + tr("Period") + ": " + period_name)
    columns = ["rank", "name", "value", "value_label", "status_label", "status_reason", "reporting_districts"]
    shown = ranked[columns + (list(explore.SEXES) if by_sex else [])]
elif view == "scatter":
    y_rows = explore.values(ctx.db, ctx.country, indicator_y, level, since, ctx.scope)
    table = explore.pair(rows, y_rows, members, period, geo, ctx.lang)
    worse = explore.worse_on_both(table, indicator["direction"], kpis.loc[indicator_y, "direction"])
    st.plotly_chart(
        explore_charts.scatter(
            table,
            worse,
            indicator_label(indicator_id),
            indicator_label(indicator_y),
            tr("Worse than the median on both"),
            lang=ctx.lang,
        ),
        key="explore_scatter",
        on_select=lambda: drill_from("explore_scatter", level),
        selection_mode="points",
    )
    periods_used = [p for p in (table.attrs.get("x_period"), table.attrs.get("y_period")) if p is not None]
    st.caption(
        tr(
            "Each indicator at its newest period on or before {period}; dotted lines are the medians.",
            period=period_name,
        )
        + " "
        + ", ".join(sorted({periods.label(p, period_type, ctx.country, ctx.lang) for p in periods_used}))
    )
    both = table[worse.to_numpy()] if len(table) else table
    st.markdown("**" + tr("Worse than the median on both: {n}", n=len(both)) + "**")
    st.dataframe(
        tables.localized(
            both[["name", "x", "y"]],
            ctx.lang,
            numbers={"x": int(indicator["decimals"]), "y": int(kpis.loc[indicator_y, "decimals"])},
        ),
        hide_index=True,
        column_config={
            "name": st.column_config.TextColumn(tr("Area")),
            "x": st.column_config.NumberColumn(indicator_label(indicator_id)),
            "y": st.column_config.NumberColumn(indicator_label(indicator_y)),
        },
    )
    shown = table.assign(both_worse=worse.to_numpy() if len(table) else [])
    shown = shown.rename(columns={"x": indicator_id, "y": indicator_y})
    shown_ids = [indicator_id, indicator_y]
else:
    wide = explore.pivot(
        rows[rows["period_start"] <= pd.Timestamp(period)], members, geo, ctx.country, ctx.lang, by_sex
    )
    st.session_state["explore_pivot_ids"] = list(wide["area_id"])
    values = [c for c in wide.columns if c not in ("area_id", "name")]
    st.dataframe(
        tables.localized(
            wide.drop(columns=["area_id"]).rename(columns={"name": tr("Area")}),
            ctx.lang,
            numbers=dict.fromkeys(values, int(indicator["decimals"])),
        ),
        hide_index=True,
        key="explore_pivot",
        on_select=lambda: drill_from("explore_pivot", level),
        selection_mode="single-row",
        column_config={c: st.column_config.NumberColumn() for c in values},
    )
    st.caption(tr("Click a row to see the one level down."))
    shown = wide

version = ctx.db.snapshot(ctx.country).version
facts = {
    "data_version": version,
    "as_of": as_of.date().isoformat(),
    "period": period_name,
}
download = shown_tables.with_provenance(shown, catalogue, shown_ids, ctx.lang, facts)
name = f"explore_{ctx.country}_{indicator_id}_{view}_{level}_{key}".replace(":", "-")
left, right, _ = st.columns([2, 2, 6])
with left:
    st.download_button(
        tr("Download CSV"),
        shown_tables.csv_bytes(download),
        file_name=f"{name}.csv",
        mime=shown_tables.MIME_CSV,
        icon=":material/download:",
    )
with right:
    st.download_button(
        tr("Download Excel"),
        shown_tables.workbook(
            shown,
            catalogue,
            shown_ids,
            ctx.lang,
            text.plain(tr("Explorer")),
            [(tr("Data version"), version), (tr("As of"), as_of.date()), (tr("Period"), period_name)],
        ),
        file_name=f"{name}.xlsx",
        mime=shown_tables.MIME_XLSX,
        icon=":material/table_view:",
    )
st.caption(
    tr("Data version {version}, as of {day}.", version=version, day=periods.day_label(as_of, ctx.lang))
    + " "
    + tr("Copy the address bar to share exactly this view.")
)
