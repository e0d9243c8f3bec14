"""Indicator catalogue: every indicator's definition, formula, unit, direction, source, frequency, reporting lag,
target and status rule, its goal → target chain, its series (the country's, or an office's own area's) and where the
cockpit uses it."""

import pandas as pd
import streamlit as st

from cockpit import periods, settings
from cockpit.alerts import calendar, rules
from cockpit.data import areas, indicators, kpi_status
from cockpit.figures import charts
from cockpit.review import catalogue, province
from cockpit.ui import links, page_help, sidebar, text, url_state

ctx = sidebar.context()
tr = ctx.tr
cat = indicators.catalogue(ctx.db, ctx.country)


def link(indicator_id: str, label: str | None = None) -> None:
    links.indicator_link(ctx, indicator_id, label or indicators.name(cat.loc[indicator_id], ctx.lang))


PARAM, KIND = "indicator", "kind"  # the URL parameter naming the entry shown
st.title(tr("Indicators"))
page_help.panel(ctx, "indicators")
chosen = st.query_params.get("indicator")
if chosen is not None and chosen not in cat.index:
    url_state.notice(
        tr(
            "The link asks for {name}={value}, which does not exist here; showing {default} instead.",
            name=PARAM,
            value=chosen,
            default=tr("Indicators"),
        )
    )
    chosen = None

if chosen is None:
    st.caption(tr("Every indicator the extracts describe, by wall; click one for its full entry."))
    kpis = cat[cat["kind"] == "kpi"]
    walls = [w for w in ("black", "red", "blue", "white") if (kpis["wall"] == w).any()]
    for column, wall in zip(st.columns(len(walls)), walls, strict=True):
        with column:
            st.subheader(tr(province.WALL_LABELS[wall]))
            for indicator_id in kpis.index[kpis["wall"] == wall]:
                link(indicator_id)
    st.subheader(tr("Goals and plan targets"))
    for indicator_id in cat.index[cat["kind"] != "kpi"]:
        link(
            indicator_id,
            tr(catalogue.KINDS[cat.at[indicator_id, KIND]]) + ": " + indicators.name(cat.loc[indicator_id], ctx.lang),
        )
    st.stop()

indicator = cat.loc[chosen]
links.page_link(ctx, "indicators", tr("All indicators"), ":material/arrow_back:")
st.header(text.plain(indicators.name(indicator, ctx.lang)))
chain_ids = catalogue.chain(cat, chosen)
if len(chain_ids) > 1:
    st.caption(" → ".join(text.plain(indicators.name(cat.loc[i], ctx.lang)) for i in chain_ids))

due = calendar.due_for(calendar.load(), ctx.country, chosen, indicator["frequency"]).due_days
facts = catalogue.facts(indicator, kpi_status.load(), due, ctx.lang)
left, right = st.columns([5, 5])
with left:
    st.table(pd.DataFrame(facts, columns=[tr("Field"), tr("Value")]).set_index(tr("Field")))
    st.markdown("**" + tr("Names in three languages") + "**")
    st.table(
        pd.DataFrame(
            catalogue.names(indicator), columns=[tr("Language"), tr("Name"), tr("Question it answers")]
        ).set_index(tr("Language"))
    )
with right:
    if indicator["kind"] == "kpi":
        # An office reads its own area's series (its province or region), as its walls and Overview do.
        country = areas.country(ctx.db, ctx.country)
        area_id = ctx.own_area or str(country["area_id"])
        series = ctx.db.query(
            ctx.country,
            "data/area_series",
            scope=ctx.scope,
            area_id=area_id,
            since=pd.Timestamp("1900-01-01").date(),
        )
        series = series[series["indicator_id"] == chosen]
        area_name = (
            areas.area_name(ctx.db, ctx.country, area_id, ctx.lang)
            if ctx.own_area
            else areas.name(country, ctx.country, ctx.lang)
        )
        st.markdown("**" + tr("{area}: series", area=text.plain(area_name)) + "**")
        labels = [
            periods.label(p, t, ctx.country, ctx.lang)
            for p, t in zip(series["period_start"], series["period_type"], strict=True)
        ]
        st.plotly_chart(
            charts.evidence(
                labels,
                list(series["value"]),
                list(series["target"]),
                list(series["status"]),
                tr("Value"),
                tr("Trajectory"),
                height=300,
                lang=ctx.lang,
            ),
            key="indicator_series",
        )
        ruleset, _version = rules.current(settings.load().rules_dir)
        used = catalogue.usage(chosen, indicator, ctx.country, ruleset.rules, ctx.lang)
        st.markdown("**" + tr("Where it is used") + "**")
        st.markdown("- " + tr("Wall") + ": " + ", ".join(tr(w) for w in used.walls))
        st.markdown(
            "- "
            + tr("Alert rules")
            + ": "
            + (", ".join(text.plain(f"{title} ({uid})") for uid, title in used.rules) or tr("none"))
        )
        st.markdown(
            "- "
            + tr("League table weight")
            + ": "
            + (str(used.league_weight) if used.league_weight is not None else tr("none"))
        )
        links.page_link(ctx, "explore", tr("Explore it by area"), ":material/query_stats:", indicator=chosen)
    below = catalogue.children(cat, chosen)
    if below:
        st.markdown("**" + tr("What moves it") + "**")
        for child in below:
            link(child)
