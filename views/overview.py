"""Overview: headline KPIs against target (the nation's, a region's or an office's), a province map and a ranked
table for one indicator."""

import pandas as pd
import streamlit as st

from cockpit import clock, i18n, periods
from cockpit.alerts import quality
from cockpit.data import areas, geo, indicators
from cockpit.documents import workbooks
from cockpit.figures import vega_maps
from cockpit.ui import badges, exports, links, page_help, printing, sidebar, tables, text, url_state

ctx = sidebar.context()
tr = ctx.tr
country = areas.country(ctx.db, ctx.country)
kpis = indicators.kpis(ctx.db, ctx.country)
groups = areas.groups(ctx.db, ctx.country).set_index("group_key", drop=False)

title_box, tools = st.columns([3, 7], vertical_alignment="bottom")  # the tools are drawn once the view is known
with title_box:
    st.title(tr("Overview"))

filters = st.columns([4, 2, 3])
with filters[0]:
    indicator_id = url_state.url_choice(
        "indicator",
        kpis.index,
        kpis.index[0],
        tr("Indicator"),
        format_func=lambda i: indicators.name(kpis.loc[i], ctx.lang),
        lang=ctx.lang,
    )
indicator = kpis.loc[indicator_id]
with filters[1]:
    period, period_type = url_state.period_choice(ctx, indicator_id, tr("Period"))
with filters[2]:
    region = url_state.region_choice(ctx, groups)
scope = ctx.scope if region == "all" else ctx.scope.within(groups.loc[region, "province_ids"])
# The cards sum up the region chosen, else the office's own area (its province or region), else the country: an
# office's map and ranking are its provinces, and the country's cards read as its own.
if region != "all":
    headline_area, headline_title = region, areas.group_name(groups.loc[region], ctx.country, ctx.lang)
elif ctx.own_area:
    headline_area, headline_title = ctx.own_area, areas.area_name(ctx.db, ctx.country, ctx.own_area, ctx.lang)
else:
    headline_area, headline_title = country["area_id"], areas.name(country, ctx.country, ctx.lang)

st.subheader(tr("{area}: headline results against target", area=text.plain(headline_title)))
headline_ids = indicators.headline_ids(kpis)
# An earlier period chosen: every card as it stood when that period ended (the cards stayed on the newest).
newest = indicators.available_periods(ctx.db, ctx.country, indicator_id)["period_start"].iloc[0]
until = None if pd.Timestamp(period) == newest else periods.period_end(period, period_type)
headlines = indicators.headlines(ctx.db, ctx.country, headline_area, headline_ids, ctx.scope, until=until)
per_row = 4
for start in range(0, len(headlines), per_row):
    for column, headline in zip(st.columns(per_row), headlines[start : start + per_row], strict=False):
        with column:
            badges.headline_card(
                ctx, kpis.loc[headline.indicator_id], headline, links.indicator_href(ctx, headline.indicator_id)
            )

st.subheader(indicators.question(indicator, ctx.lang))
links.indicator_link(
    ctx,
    indicator_id,
    tr("What {indicator} means and where it comes from", indicator=indicators.name(indicator, ctx.lang)),
    ":material/menu_book:",
)
ranking = indicators.province_ranking(ctx.db, ctx.country, indicator_id, period, scope, ctx.lang)
labels = indicators.labelled(ranking, indicator, ctx.lang)
# A province's figure resting on too few of its districts' reports carries the quality mark, on the map and table.
reports = quality.province_reports(ctx.db, ctx.country, scope, pd.Timestamp(period).date())
completeness = labels["area_id"].map(quality.completeness_of(reports, indicator_id, period))
labels["value_label"] = [links.marked_label(v, c) for v, c in zip(labels["value_label"], completeness, strict=True)]
labels["link"] = links.province_cells(ctx, labels["area_id"], labels["name"])
# The ranking takes 70% of a laptop's 904 px (619 px inside the grid's border): the provinces' names as wide as
# they need ("กรุงเทพมหานคร", "ນະຄອນຫຼວງວຽງຈັນ" were cut in 95 px), up to what the other columns leave.
RANKING_PX, RANK_PX, VALUE_PX, TARGET_PX, CHANGE_PX, TREND_PX = 619, 45, 66, 88, 80, 60
status_px = badges.status_px(ctx.lang)
province_px = tables.name_column_px(
    tr("Province"),
    labels["name"],
    95,
    RANKING_PX - 35 - (RANK_PX + VALUE_PX + TARGET_PX + CHANGE_PX + status_px + TREND_PX),  # 35: the row pickers
)
left, right = st.columns([30, 70])
with left:
    province_map = vega_maps.choropleth(
        ctx.country,
        "province",
        labels.assign(status_text=vega_maps.status_text(labels)).set_index("area_id"),
        tooltip=[
            ("name", tr("Province")),
            ("value_label", tr("Value")),
            ("target_label", tr("Target")),
            ("rank_label", tr("Rank")),
            ("status_text", tr("Status")),
        ],
        lang=ctx.lang,
        height=640,
        focus=None if region == "all" else groups.loc[region, "province_ids"],  # a chosen region fills the map
    )
    clicked = st.vega_lite_chart(province_map, on_select="rerun", key="overview_map")
    st.caption(tr("Click a province to open its review.") + " " + tr(geo.ATTRIBUTION))
with right:
    table = labels[
        [
            "rank",
            "link",
            "value_label",
            "attainment",
            "change_label",
            "status",
            "status_label",
            "trend",
        ]
    ]  # why a status is what it is: in the map's tooltip and the province's page
    with st.container(key="noprint-ranking"):
        picked = st.dataframe(
            badges.status_styler(table.assign(attainment=100 * table["attainment"]), "status", "status_label"),
            hide_index=True,
            height=tables.fit_height(len(table), 640),
            on_select="rerun",
            selection_mode="single-row",
            key="overview_table",
            column_config={
                "rank": st.column_config.NumberColumn(tr("Rank"), width=RANK_PX),
                "link": links.column(tr("Province"), width=province_px, help=tr("Opens the province's review")),
                "value_label": st.column_config.TextColumn(tr("Value"), width=VALUE_PX),
                "attainment": tables.progress(tr("Of target"), ctx.lang, width=TARGET_PX),
                "change_label": st.column_config.TextColumn(tr("Change"), width=CHANGE_PX),
                "status_label": st.column_config.TextColumn(tr("Status"), width=status_px),
                "trend": st.column_config.LineChartColumn(tr("Trend"), width=TREND_PX, help=tr("The last five years")),
            },
        )
    printing.paper_table(
        pd.DataFrame(
            {
                tr("Rank"): [i18n.number(r, ctx.lang) for r in table["rank"]],
                tr("Province"): labels["name"],
                tr("Value"): table["value_label"],
                tr("Of target"): [i18n.percent(100 * a, ctx.lang, 0) for a in table["attainment"]],
                tr("Change"): table["change_label"],
                tr("Status"): table["status_label"],
            }
        ),
        "ranking",
        {tr("Status"): table["status"].map(badges.status_cell_css)},
    )
    st.caption(
        tr(
            "{n} of {total} provinces ranked · source: {source}",
            n=int(ranking["rank"].notna().sum()),
            total=int(country["provinces"]),
            source=text.plain(indicator["source"]),
        )
        + " "
        + badges.status_legend(ctx.lang)
    )
    links.quality_note(ctx, int(completeness.map(links.marked).sum()), indicator_id, period)

# A row of buttons as wide as their labels, wrapping when the row is full: in four columns, at 1366 px, 'How to read
# this page' was cut (Streamlit cuts a button's label, not wraps it, when the button sits directly in a column).
with tools, st.container(key="noprint-tools", horizontal=True, horizontal_alignment="right"):
    links.share(ctx, "overview", indicator=indicator_id, period=period, region=region)
    printing.button(ctx)
    served = ctx.db.snapshot(ctx.country)
    st.download_button(
        tr("Excel"),
        data=exports.audited(
            ctx,
            "workbook.overview",
            lambda: workbooks.overview_workbook(
                labels,
                indicator,
                headlines,
                kpis,
                country=ctx.country,
                lang=ctx.lang,
                area_name=headline_title,
                period_label=ctx.period(period, period_type),
                as_of=periods.data_as_of(period, period_type, clock.today()),
                extract_version=served.version,
                loaded_at=served.loaded_at,
            ),
            None if region == "all" else region,
        ),
        file_name=workbooks.file_name("overview", indicator_id, region, "xlsx"),
        mime=workbooks.MIME,
        icon=":material/table_view:",
        on_click="ignore",
        help=tr("The ranking, the headline figures, the definitions and the data's date, as a workbook"),
    )
    page_help.panel(ctx, "overview")

links.open_province(ctx, vega_maps.clicked(clicked.selection) or url_state.selected_row(picked, labels["area_id"]))
