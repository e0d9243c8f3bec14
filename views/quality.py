"""Data quality: completeness and timeliness of every source against the reporting calendar, a completeness map,
outliers by the rules' modified z-score, girls and boys adding up to the total, and the 20 weakest districts."""

import pandas as pd
import streamlit as st

from cockpit import clock, i18n, periods
from cockpit.alerts import calendar, quality
from cockpit.data import areas, indicators
from cockpit.figures import charts, short_text, vega_maps
from cockpit.ui import badges, links, page_help, sidebar, tables, text, url_state

ctx = sidebar.context()
tr = ctx.tr
kpis = indicators.kpis(ctx.db, ctx.country)
cal = calendar.load()
today = clock.today()
TIMELINESS_LABELS = {"on_time": tr("On time"), "late": tr("Late"), "missing": tr("Missing")}
BAND_LABELS = {
    "met": tr("Complete (95% or more)"),
    "at_risk": tr("Partial (80–95%)"),
    "off_track": tr("Poor (below 80%)"),
    "no_data": tr("No data"),
}


def period_label(start, frequency) -> str:
    return "" if start is None or pd.isna(start) else ctx.period(start, frequency)


def district_name(row) -> str:
    return row["name_local"] if i18n.local_names(ctx.country, ctx.lang) else row["name_en"]


st.title(tr("Data quality"))
page_help.panel(ctx, "quality")
st.caption(
    tr(
        "How far the figures can be trusted: which districts reported what the reporting calendar says is due "
        "by today ({day}), which sources are late, which values are implausible and which do not add up.",
        day=periods.day_label(today, ctx.lang),
    )
)

sources = quality.sources(ctx.db, ctx.country, ctx.scope, kpis, today, cal)
sources["name"] = sources["indicator_id"].map(lambda i: indicators.name(kpis.loc[i], ctx.lang))
sources["due_label"] = [period_label(p, f) for p, f in zip(sources["due_period"], sources["frequency"], strict=True)]
sources["newest_label"] = [
    period_label(p, f) for p, f in zip(sources["newest_period"], sources["frequency"], strict=True)
]
sources["timeliness_label"] = [
    TIMELINESS_LABELS[t] + (f" ({n})" if t == "late" else "")
    for t, n in zip(sources["timeliness"], sources["periods_late"], strict=True)
]
sources["timeliness_status"] = sources["timeliness"].map({"on_time": "met", "late": "at_risk", "missing": "off_track"})
SOURCE_NAME_PX = 255
sources["link"] = links.indicator_cells(  # to the catalogue entry; names cut never so that two read alike
    ctx, sources["indicator_id"], short_text.fit_column(sources["name"], SOURCE_NAME_PX)
)
SOURCE_PX = 150
sources["source"], source_row_px = tables.wrapped(sources["source"], SOURCE_PX)  # wrapped where a name would be cut
st.subheader(tr("Is every source in on time?"))
late = sources[sources["timeliness"] != "on_time"]
if len(late):
    st.warning(
        tr(
            "{n} sources have not delivered the period now due: {names}",
            n=len(late),
            names=text.plain(", ".join(late["name"])),
        ),
        icon=":material/schedule:",
    )
st.dataframe(
    badges.status_styler(
        sources[
            ["link", "source", "due_label", "newest_label", "timeliness_status", "timeliness_label", "completeness"]
        ].assign(completeness=100 * sources["completeness"]),  # the bar's scale: percent points
        "timeliness_status",
        "timeliness_label",
    ),
    hide_index=True,
    column_order=["link", "source", "due_label", "newest_label", "timeliness_label", "completeness"],
    column_config={
        "link": links.column(tr("Indicator"), width=SOURCE_NAME_PX, help=tr("Opens the indicator's catalogue entry")),
        "source": st.column_config.TextColumn(tr("Source"), width=SOURCE_PX),
        "due_label": st.column_config.TextColumn(tr("Period due"), width=118),
        "newest_label": st.column_config.TextColumn(tr("Newest in the data"), width=132),
        "timeliness_label": st.column_config.TextColumn(tr("Timeliness"), width=110),
        "completeness": tables.progress(
            tr("Reporting"), ctx.lang, width=130, help=tr("Districts reporting the period due")
        ),
    },
    height=tables.fit_height(len(sources), 420, source_row_px),
    row_height=source_row_px,
)

st.subheader(tr("Who reported, by province and district?"))
choice = st.columns([4, 2, 4])
with choice[0]:
    indicator_id = url_state.url_choice(
        "indicator",
        list(sources["indicator_id"]),
        sources["indicator_id"].iloc[0],
        tr("Indicator"),
        format_func=lambda i: indicators.name(kpis.loc[i], ctx.lang),
        lang=ctx.lang,
    )
indicator = kpis.loc[indicator_id]
owed = quality.expected(ctx.country, indicator, today, cal)
options = [owed.due_period.isoformat()] if owed.due_period else []
periods_ = indicators.available_periods(ctx.db, ctx.country, indicator_id)
options += [p for p in periods_["period_start"].dt.strftime("%Y-%m-%d") if p not in options]
with choice[1]:
    period = url_state.url_choice(
        "period",
        options,
        options[0],
        tr("Period"),
        format_func=lambda p: ctx.period(p, owed.frequency),
        lang=ctx.lang,
    )
provinces = quality.by_province(ctx.db, ctx.country, ctx.scope, indicator_id, pd.Timestamp(period).date())
names = ctx.db.query(ctx.country, "explore/areas", scope=ctx.scope).set_index("area_id")
provinces["name"] = provinces["province_id"].map(lambda p: areas.name(names.loc[p], ctx.country, ctx.lang))
provinces["completeness_label"] = provinces["completeness"].map(lambda s: i18n.percent(100 * s, ctx.lang, 0))
provinces["status_label"] = provinces["status"].map(BAND_LABELS)
provinces["link"] = links.province_cells(ctx, provinces["province_id"], provinces["name"])
provinces["reported_label"] = [
    f"{i18n.number(r, ctx.lang)} / {i18n.number(e, ctx.lang)}"
    for r, e in zip(provinces["reported"], provinces["expected"], strict=True)
]
# In the table's 532 px beside the map (a laptop's 1366 px), reported and expected share a column ("16 / 16", as the
# total above writes them), and the province and completeness are as wide as they need ("Phra Nakhon Si Ayutthaya"
# and "Completeness" were cut in 110 and 100 px); the districts missing take the rest, wrapped.
PROVINCES_TABLE_PX, MISSING_LEAST_PX = 532, 140
reported_px = tables.text_column_px(tr("Reported"), provinces["reported_label"], 70, bold=False)
completeness_px = tables.text_column_px(tr("Completeness"), provinces["completeness_label"], 90)
province_px = tables.name_column_px(
    tr("Province"), provinces["name"], 95, PROVINCES_TABLE_PX - MISSING_LEAST_PX - reported_px - completeness_px
)
missing_px = PROVINCES_TABLE_PX - province_px - reported_px - completeness_px
# The districts that did not report, by the reader's names.
missing_names = provinces["missing_local" if i18n.local_names(ctx.country, ctx.lang) else "missing_en"]
provinces["missing_label"] = [
    quality.missing_label(missing, expected, missing_px, ctx.lang)
    for missing, expected in zip(missing_names, provinces["expected"], strict=True)
]
provinces["missing_label"], missing_row_px = tables.wrapped(provinces["missing_label"], missing_px)
with choice[2]:
    total_reported, total_expected = int(provinces["reported"].sum()), int(provinces["expected"].sum())
    st.metric(
        tr("Districts that reported"),
        f"{total_reported} / {total_expected}",
        help=tr("Reported / expected, for {period}", period=ctx.period(period, owed.frequency)),
    )
left, right = st.columns([4, 6])
with left:
    st.vega_lite_chart(
        vega_maps.choropleth(
            ctx.country,
            "province",
            provinces.assign(
                reported_label=provinces["reported"].astype(str) + " / " + provinces["expected"].astype(str)
            ).set_index("province_id"),
            tooltip=[("name", tr("Province")), ("reported_label", tr("Reported")), ("status_label", tr("Status"))],
            lang=ctx.lang,
            height=560,
        ),
        key="quality_map",
    )
    st.caption(" · ".join(f"{label}" for label in BAND_LABELS.values()))
with right:
    st.dataframe(
        badges.status_styler(
            provinces[["link", "reported_label", "status", "completeness_label", "missing_label"]],
            "status",
            "completeness_label",
        ),
        hide_index=True,
        height=tables.fit_height(len(provinces), 560, missing_row_px),
        row_height=missing_row_px,
        column_order=["link", "reported_label", "completeness_label", "missing_label"],
        column_config={
            "link": links.column(tr("Province"), width=province_px, help=tr("Opens the province's review")),
            "reported_label": st.column_config.TextColumn(
                tr("Reported"),
                width=reported_px,
                alignment="right",
                help=tr("Districts that reported / districts expected"),
            ),
            "completeness_label": st.column_config.TextColumn(tr("Completeness"), width=completeness_px),
            "missing_label": st.column_config.TextColumn(tr("Districts missing"), width=missing_px),
        },
    )
history = quality.trend(ctx.db, ctx.country, ctx.scope, indicator_id, indicators.history_start(period, 2))
if len(history):
    history["period"] = [ctx.period(p, t) for p, t in zip(history["period_start"], history["period_type"], strict=True)]
    st.markdown("**" + tr("Share of districts reporting, by period") + "**")
    st.vega_lite_chart(
        charts.share_bars(list(history["period"]), list(history["completeness"]), tr("Reporting"), ctx.lang),
        width="stretch",
    )

st.subheader(tr("Which values are implausible?"))
found = quality.outliers(ctx.db, ctx.country, ctx.scope, indicator_id, pd.Timestamp(period).date())
found["name"] = found["area_id"].map(
    lambda a: areas.name(names.loc[a], ctx.country, ctx.lang) if a in names.index else a
)
found["value_label"] = found["value"].map(lambda v: indicators.fmt(indicator, v, ctx.lang))
found["median_label"] = found["median"].map(lambda v: indicators.fmt(indicator, v, ctx.lang))
st.caption(
    tr(
        "Districts whose value lies more than {z} modified z-scores from the median of the country's districts, "
        "the test the outlier alert rules use: {n} found.",
        z=quality.Z,
        n=len(found),
    )
)
if found.empty:
    st.success(tr("No district's value lies that far from the median."), icon=":material/check_circle:")
else:
    st.dataframe(
        tables.localized(found[["name", "value_label", "median_label", "z"]], ctx.lang, numbers={"z": 1}),
        hide_index=True,
        height=tables.fit_height(len(found), 240),
        column_config={
            "name": st.column_config.TextColumn(tr("District")),
            "value_label": st.column_config.TextColumn(tr("Value")),
            "median_label": st.column_config.TextColumn(tr("Median")),
            "z": st.column_config.NumberColumn(tr("Modified z-score")),
        },
    )

st.subheader(tr("Do girls and boys add up to the total?"))
sums = quality.sex_sums(ctx.db, ctx.country, ctx.scope, indicators.history_start(today, 5))
if sums.empty:
    st.success(tr("Every figure by sex adds up to its total."), icon=":material/check_circle:")
else:
    st.warning(tr("{n} figures by sex do not add up to their total.", n=len(sums)), icon=":material/rule:")
    st.dataframe(sums, hide_index=True, height=tables.fit_height(len(sums), 240))

st.subheader(tr("The 20 districts with the weakest reporting"))
worst = quality.worst_districts(ctx.db, ctx.country, ctx.scope, kpis, today, cal)
worst["name"] = worst.apply(district_name, axis=1)
worst["province"] = worst["province_id"].map(lambda p: areas.name(names.loc[p], ctx.country, ctx.lang))
worst["completeness_label"] = worst["completeness"].map(lambda s: i18n.percent(100 * s, ctx.lang, 0))
st.caption(
    tr(
        "Reports due over the last year (every indicator, by the calendar) that arrived; then the share of schools "
        "reporting, as the district itself reports it."
    )
)
st.dataframe(
    tables.localized(
        badges.status_styler(
            worst[["name", "province", "status", "completeness_label", "reported", "owed", "schools_reporting"]],
            "status",
            "completeness_label",
        ),
        ctx.lang,
        numbers={"schools_reporting": 1},
    ),
    hide_index=True,
    column_order=["name", "province", "completeness_label", "reported", "owed", "schools_reporting"],
    column_config={  # the names as wide as they need: sized by the grid, "Mueang Mae Hong Son" was cut
        "name": st.column_config.TextColumn(
            tr("District"), width=tables.text_column_px(tr("District"), worst["name"], 100, bold=False)
        ),
        "province": st.column_config.TextColumn(
            tr("Province"), width=tables.text_column_px(tr("Province"), worst["province"], 100, bold=False)
        ),
        "completeness_label": st.column_config.TextColumn(tr("Completeness")),
        "reported": st.column_config.NumberColumn(tr("Reports in")),
        "owed": st.column_config.NumberColumn(tr("Reports due")),
        "schools_reporting": st.column_config.NumberColumn(tr("Schools reporting (%)")),
    },
)
st.caption(
    tr(
        "Timeliness compares the newest period in the data with the period the calendar says is due; "
        "the extracts carry no arrival dates."
    )
)
