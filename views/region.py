"""Region: a regional education office's (or region's) provinces side by side, and the region against the nation."""

from pathlib import Path

import pandas as pd
import streamlit as st

from cockpit import i18n, periods
from cockpit.alerts import quality
from cockpit.data import areas, indicators
from cockpit.documents import brief_pdf, brief_pptx, region_briefs, workbooks
from cockpit.figures import province_charts, short_text
from cockpit.review import province, regions
from cockpit.ui import badges, exports, links, page_help, printing, sidebar, tables, text, url_state

PAGES = Path(__file__).resolve().parent

ctx = sidebar.context()
tr = ctx.tr
groups = province.review_groups(ctx.db, ctx.country)
groups = groups[groups["province_ids"].map(lambda ids: any(ctx.scope.allows(p) for p in ids))]
if groups.empty:
    st.title(tr("Region"))
    st.info(tr("No region is within your access."), icon=":material/lock:")
    st.stop()

title_box, picker = st.columns([7, 3], vertical_alignment="bottom")
with picker:
    region = url_state.url_choice(
        "region",
        list(groups.index),
        groups.index[0],
        tr("Region"),
        format_func=lambda g: areas.group_label(groups.loc[g], ctx.country, ctx.lang),
        lang=ctx.lang,
    )
rr = regions.region_review(ctx.db, ctx.country, region, ctx.scope, ctx.lang)
with title_box:
    st.title(text.plain(rr.name))
    kind = tr(areas.GROUP_TYPE_LABELS.get(rr.group["group_type"], "Region"))
    st.caption(
        " · ".join(
            [
                kind,
                tr("{n} provinces", n=len(rr.province_ids)),
                tr("Data as of {day}", day=periods.day_label(rr.as_of, ctx.lang)),
            ]
        )
    )
    page_help.panel(ctx, "region")

# The files and links in one row of buttons as wide as their labels (wrapping when full), above the wall picker: in
# a column beside it, five stacked buttons left the picker 200 px below the title; filled once the wall is known.
tools = st.container(horizontal=True, horizontal_alignment="right", key="noprint-region-tools")
wall = url_state.wall_choice(ctx)


def region_brief():  # its alerts, stuck work, decisions and notes: read only when a file is asked for
    return region_briefs.build(ctx.db, ctx.store, rr, ctx.scope)


with tools:
    links.share(ctx, "region", region=region, wall=wall)
    printing.button(ctx)
    for kind, action, make in (
        ("xlsx", "workbook.region", lambda: workbooks.region_workbook(rr, notes=region_brief().notes)),
        ("pptx", "brief.region.pptx", lambda: brief_pptx.region_pptx(region_brief())),
        ("pdf", "brief.region.pdf", lambda: brief_pdf.region_pdf(region_brief())),
    ):
        name = workbooks.file_name("region", region, rr.group["group_name_en"], kind)
        exports.meeting_file(ctx, kind, action, make, region, name)
walls = province.WALLS if wall == "all" else (wall,)

# --- The provinces side by side ---------------------------------------------------------------------------------
st.subheader(tr("How do the provinces of {region} compare?", region=text.plain(rr.name)))
labels, statuses = regions.region_matrix(rr, walls)
names = regions.area_names(rr)
kpis = rr.kpis.set_index("indicator_id")
# A province's figure resting on too few of its districts' reports carries the quality mark.
reports = quality.province_reports(ctx.db, ctx.country, ctx.scope.within(rr.province_ids), kpis["period_start"].min())
marks = 0
for area_id in labels.columns[:-2]:
    shares = quality.figure_completeness(
        reports, [area_id] * len(labels), labels.index, kpis.loc[labels.index, "period_start"]
    )
    labels[area_id] = [links.marked_label(v, c) for v, c in zip(labels[area_id], shares, strict=True)]
    marks += int(shares.map(links.marked).sum())
colors = statuses.map(badges.status_cell_css)
shown = labels.rename(columns=names.to_dict())
shown.insert(
    0, tr("Target"), [indicators.fmt(kpis.loc[i], kpis.loc[i, "period_target"], ctx.lang) for i in shown.index]
)
colors.columns = shown.columns[1:]
# At 1366 px a table is 880 px wide. The region and the nation get the width their heading and figures need, and
# so does each province. When the provinces together need more than is left, they are split into tables of
# near-equal count that fit, each with the region and the nation (narrowed to fit, the northeast's 20 cut every
# name and still scrolled sideways). The room they leave goes to the KPIs' names, one width in every table, cut
# where they must, never so that two read alike (short_text.fit_column); each KPI's period and the region's reason
# are in the details below.
TABLE_PX, KPI_PX, TARGET_PX, FIGURE_PX = 880, 190, 65, 55
headings = dict(zip(shown.columns[1:], [*shown.columns[1:-2], rr.group_heading, tr("Nation")], strict=True))
wanted = {c: tables.text_column_px(headings[c], shown[c], FIGURE_PX) for c in headings}
summaries = {c: wanted.pop(c) for c in shown.columns[-2:]}  # the region's and the nation's columns
room = TABLE_PX - KPI_PX - TARGET_PX - sum(summaries.values())
runs = tables.fitting_runs(wanted, room)
widths = summaries.copy()
for run in runs:
    widths |= tables.shared_widths({c: wanted[c] for c in run}, room, FIGURE_PX)
kpi_px = max(KPI_PX, room + KPI_PX - max((sum(widths[c] for c in run) for run in runs), default=0))
shown.insert(
    0, tr("KPI"), links.indicator_cells(ctx, shown.index, short_text.fit_column(kpis.loc[shown.index, "name"], kpi_px))
)
column_config = {
    tr("KPI"): links.column(None, width=kpi_px, pinned=True, help=tr("Opens the indicator's catalogue entry")),
    tr("Target"): st.column_config.TextColumn(width=TARGET_PX),
    # A province's name may be wider than its column: in full in the heading's help (which reads Markdown).
    **{name: st.column_config.TextColumn(width=widths[name], help=text.plain(name)) for name in colors.columns[:-2]},
    # The region's and the nation's names are wider than a column of figures: short headings, the names in their
    # help (the region's also in the heading above).
    shown.columns[-2]: st.column_config.TextColumn(
        rr.group_heading, width=widths[shown.columns[-2]], help=text.plain(rr.name)
    ),
    shown.columns[-1]: st.column_config.TextColumn(
        tr("Nation"), width=widths[shown.columns[-1]], help=text.plain(rr.nation_name)
    ),
}
first = 1
for run in runs:
    if len(runs) > 1:
        st.caption(
            tr("Provinces {first} to {last} of {count}", first=first, last=first + len(run) - 1, count=len(wanted))
        )
        first += len(run)
    columns = [*shown.columns[:2], *run, *shown.columns[-2:]]
    painted = [*run, *shown.columns[-2:]]
    st.dataframe(
        shown[columns].style.apply(lambda _, painted=painted: colors[painted], axis=None, subset=painted),
        hide_index=True,
        height="content",
        column_config={c: column_config[c] for c in columns},
    )
with st.expander(tr("Each KPI's period, and {region} against the target", region=text.plain(rr.name))):
    st.dataframe(
        pd.DataFrame(
            {
                tr("KPI"): short_text.fit_column(kpis.loc[shown.index, "name"], 250),
                tr("Period"): list(kpis.loc[shown.index, "period"]),
                tr("{region} against the target", region=rr.name): list(kpis.loc[shown.index, "region_reason"]),
            }
        ),
        hide_index=True,
        height="content",
        column_config={
            tr("KPI"): st.column_config.TextColumn(width=250),
            tr("Period"): st.column_config.TextColumn(width=110),
        },
    )
st.caption(
    tr(
        "The last two columns are {region} and {nation}; each cell is coloured by its status.",
        region=text.plain(rr.name),
        nation=text.plain(rr.nation_name),
    )
    + " "
    + badges.status_legend(ctx.lang)
)
links.quality_note(ctx, marks)
if (PAGES / "province.py").exists():
    link_columns = st.columns(min(len(rr.province_ids), 6) or 1)
    for i, area_id in enumerate(labels.columns[:-2]):  # the table's order
        with link_columns[i % len(link_columns)]:
            links.province_link(ctx, area_id, tr("{province}: review", province=names[area_id]))

# --- The region against the nation -----------------------------------------------------------------------------
st.subheader(tr("Is {region} ahead of the nation?", region=text.plain(rr.name)))
compared = rr.kpis[rr.kpis["wall"].isin(walls)]
better = int((compared["vs_nation"] == "better").sum())
st.caption(
    tr(
        "Better than the national figure on {better} of {total} KPIs. Each row has its own scale: grey dots are "
        "the other provinces, coloured dots the region's provinces by status, the diamond the region, the black "
        "bar the nation, the green bar this period's target.",
        better=better,
        total=len(compared),
    )
)
strips = province_charts.region_strips(rr, walls)
st.echarts_chart(strips.spec, height=strips.height)
st.caption(i18n.tr(ctx.lang, "Ranks and dots count every province in your access."))
