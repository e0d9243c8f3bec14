"""Province: one province against target, its region and the nation; its districts, schools and alerts; briefs."""

from pathlib import Path

import streamlit as st

from cockpit import i18n, periods
from cockpit.alerts import quality
from cockpit.data import areas, geo
from cockpit.documents import brief_pdf, brief_pptx, briefs, workbooks
from cockpit.figures import province_charts, province_maps, short_text
from cockpit.review import policies, province
from cockpit.ui import badges, exports, links, page_help, school_panels, sidebar, tables, text, url_state

PAGES = Path(__file__).resolve().parent


ctx = sidebar.context()
tr = ctx.tr
choices = province.provinces(ctx.db, ctx.country, ctx.scope, ctx.lang)
if choices.empty:
    st.title(tr("Province"))
    st.info(tr("No province is within your access."), icon=":material/lock:")
    st.stop()

# Links may name a province by its ISO code or in another case (?province=th-67): read them as its code.
asked = st.query_params.get("province")
meant = province.resolve(choices, asked)
if meant is not None and meant != asked:
    st.query_params["province"] = meant

title_box, picker = st.columns([7, 3], vertical_alignment="bottom")
with picker:
    province_id = url_state.url_choice(
        "province",
        list(choices.index),
        choices.index[0],
        tr("Province"),
        format_func=lambda p: choices.loc[p, "name"],
        lang=ctx.lang,
    )

engine = ctx.store  # None while the state store cannot be used: alerts, decisions and notes say so
rv = province.review(ctx.db, ctx.country, province_id, ctx.scope, ctx.lang, engine=engine)
profile = rv.profile
if rv.kpis.empty:
    title_box.title(text.plain(rv.name))
    st.info(tr("No KPI has data for this province yet."), icon=":material/info:")
    st.stop()
# An ESA groups districts, so a province may have two (Bangkok); its district table then says which has which.
secondary_esas = areas.province_secondary_esas(ctx.country, province_id, ctx.lang)
with title_box:
    st.title(text.plain(rv.name))
    facts = [
        tr("Provincial education review"),
        text.plain(rv.group_name),
        text.plain(", ".join(secondary_esas)),
        tr("{n} districts", n=i18n.number(profile["districts"], ctx.lang)),
        tr("{n} schools", n=i18n.number(profile["schools"], ctx.lang)),
        tr("{n} students", n=i18n.number(profile["students"], ctx.lang)),
        tr("{n} teachers", n=i18n.number(profile["teachers"], ctx.lang)),
        tr("Data as of {day}", day=periods.day_label(rv.as_of, ctx.lang)),
    ]
    st.caption(" · ".join(f for f in facts if f))
    page_help.panel(ctx, "province")

# --- The story, and the brief to take away --------------------------------------------------------------------
counts = province.status_counts(rv.kpis)
vs_region = province.comparison_counts(rv.kpis, "vs_region")
vs_nation = province.comparison_counts(rv.kpis, "vs_nation")
# Tiles as wide as their words, in a row that wraps when full: in seven equal columns at 1366 px each was 115 px,
# and "11 จาก 33" stood on three lines, the status badges on two.
with st.container(horizontal=True, gap="small", key="province-tiles"):
    for status in ("off_track", "at_risk", "on_track", "met"):
        st.metric(f"{badges.status_badge(status, ctx.lang)} {tr('KPIs')}", counts[status], border=True, width="content")
    st.metric(tr("Open alerts"), len(rv.open_alerts), border=True, width="content")
    st.metric(
        tr("Better than the region"),
        tr("{n} of {total}", n=vs_region["better"], total=len(rv.kpis)),
        border=True,
        help=text.plain(rv.group_name),
        width="content",
    )
    st.metric(
        tr("Better than the nation"),
        tr("{n} of {total}", n=vs_nation["better"], total=len(rv.kpis)),
        border=True,
        width="content",
    )

kpi_ids = list(rv.kpis["indicator_id"])
kpi_names = dict(zip(rv.kpis["indicator_id"], rv.kpis["name"], strict=True))

# A list in the brief shows its first few items: a province with 24 KPIs off track listed all 24 with their reasons,
# and at 1366 px the KPI table began 2,000 px down the page. The lists longer than this are lists of KPIs (alerts,
# policies and decisions stop at five), and the table below has every KPI; the meeting brief keeps the whole list.
BRIEF_ITEMS = 5
story_column, download_column = st.columns([7, 3])
with story_column:
    with st.container(border=True):
        st.markdown("**" + tr("In brief") + "**")
        lines = []
        for point in briefs.story(rv):  # its items quote decisions and notes as people typed them
            lines.append(f"- {text.plain(point.text)}")
            lines.extend(f"    - {text.plain(item)}" for item in point.items[:BRIEF_ITEMS])
            if len(point.items) > BRIEF_ITEMS:
                more = tr("… and {n} more: see the table below", n=len(point.items) - BRIEF_ITEMS)
                lines.append(f"    - {text.plain(more)}")
        st.markdown("\n".join(lines))

# The district breakdown's KPI: chosen below, but the brief carries it too, so it is read here first.
default_indicator = briefs.default_indicator(rv)
with download_column:
    with st.container(border=True):
        st.markdown("**" + tr("Take it to your meeting") + "**")
        st.caption(tr("What this page shows, in {language}.", language=i18n.LANGUAGE_NAMES[ctx.lang]))
        chosen = st.session_state.get("url_indicator") or st.query_params.get("indicator")
        brief_indicator = chosen if chosen in kpi_ids else default_indicator
        for kind, action, make in (
            ("pptx", "brief.pptx", lambda: brief_pptx.province_pptx(rv, brief_indicator)),
            ("pdf", "brief.pdf", lambda: brief_pdf.province_pdf(rv, brief_indicator)),
            ("xlsx", "workbook", lambda: workbooks.province_workbook(rv)),
        ):
            exports.meeting_file(ctx, kind, action, make, province_id, briefs.file_name(rv, kind), width="stretch")

# --- Every KPI --------------------------------------------------------------------------------------------------
st.subheader(tr("Where does {province} stand against target, its region and the nation?", province=text.plain(rv.name)))
# At 1366 px the key columns fit (name, value, target, status, change, region, nation, trend); the period, the
# reason and the ranks are a click away in the details below.
NAME_PX = 250
# Names as the column shows them whole: cut where they must, never so that two read alike (lower and upper
# secondary differ only at their end); the full name is in the catalogue entry the cell opens.
kpi_names_shown = short_text.fit_column(rv.kpis["name"], NAME_PX)
kpi_columns = {
    "name": links.column(tr("KPI"), width=NAME_PX, pinned=True, help=tr("Opens the indicator's catalogue entry")),
    "value_label": st.column_config.TextColumn(tr("Value"), width=75),
    "target_label": st.column_config.TextColumn(tr("Target"), width=75),
    "status_label": st.column_config.TextColumn(tr("Status"), width=badges.status_px(ctx.lang)),
    "change_label": st.column_config.TextColumn(tr("Change"), width=85),
    "region_label": st.column_config.TextColumn(rv.group_heading, width=88, help=text.plain(rv.group_name)),
    "nation_label": st.column_config.TextColumn(tr("Nation"), width=75),
    "trend": st.column_config.LineChartColumn(tr("Trend, 5 years"), width=107),
}
table = rv.kpis[["name", "value_label", "target_label", "status", "status_label", "change_label", "region_label"]]
table = table.assign(nation_label=rv.kpis["nation_label"], trend=rv.kpis["trend"])
# Each KPI's name opens its catalogue entry; a figure resting on too few district reports carries the quality mark.
reports = quality.province_reports(ctx.db, ctx.country, ctx.scope.within([province_id]), rv.kpis["period_start"].min())
completeness = quality.figure_completeness(
    reports, [province_id] * len(rv.kpis), rv.kpis["indicator_id"], rv.kpis["period_start"]
)
table = table.assign(
    name=links.indicator_cells(ctx, rv.kpis["indicator_id"], kpi_names_shown),
    value_label=[links.marked_label(v, c) for v, c in zip(rv.kpis["value_label"], completeness, strict=True)],
)
st.dataframe(
    badges.status_styler(table, "status", "status_label"),
    hide_index=True,
    height="content",
    column_config=kpi_columns,
)
with st.expander(tr("Each KPI's wall, period, reason and ranks")):
    st.dataframe(
        rv.kpis[["name", "wall_label", "period", "status_reason", "rank_label", "group_rank_label"]].assign(
            name=kpi_names_shown
        ),
        hide_index=True,
        height="content",
        column_config={
            "name": st.column_config.TextColumn(tr("KPI"), width=NAME_PX, pinned=True),
            "wall_label": st.column_config.TextColumn(tr("Wall"), width=100),
            "period": st.column_config.TextColumn(tr("Period"), width=110),
            "status_reason": st.column_config.TextColumn(tr("Against the target"), width=220),
            "rank_label": st.column_config.TextColumn(tr("National rank"), width=95),
            "group_rank_label": st.column_config.TextColumn(tr("Rank in region"), width=95),
        },
    )
st.caption(
    tr(
        "Change: since the period before. Ranks count every province; 1 is the best in the indicator's own "
        "direction. Region: {region}.",
        region=text.plain(rv.group_name),
    )
    + " "
    + badges.status_legend(ctx.lang)
)
links.quality_note(ctx, int(completeness.map(links.marked).sum()))

# --- Trends: every KPI's in the table's sparklines; the chosen KPI's against region, nation and target --------
st.subheader(tr("Which way is each KPI moving?"))
with st.columns([4, 6])[0]:
    indicator_id = url_state.url_choice(
        "indicator",
        kpi_ids,
        default_indicator,
        tr("Indicator"),
        format_func=kpi_names.get,
        lang=ctx.lang,
    )
st.vega_lite_chart(province_charts.trend_chart(rv, indicator_id), key=f"trend_{province_id}_{indicator_id}")

# --- Districts --------------------------------------------------------------------------------------------------
indicator = rv.indicator(indicator_id)
st.subheader(tr("How do the districts compare on {indicator}?", indicator=text.plain(kpi_names[indicator_id])))
districts = province.district_table(rv, indicator_id)
trends = province.district_trends(ctx.db, rv, indicator_id, ctx.scope)
districts["trend"] = districts["area_id"].map(lambda a: trends.get(a, []))
left, right = st.columns([4, 6])
with left:
    district_map = province_maps.district_map(
        rv,
        indicator_id,
        tooltip=[
            ("name", tr("District")),
            ("value_label", tr("Value")),
            ("target_label", tr("Target")),
            ("change_label", tr("Change")),
            ("rank_label", tr("Rank")),
            ("status_text", tr("Status")),
        ],
    )
    st.vega_lite_chart(district_map, key=f"districts_{province_id}_{indicator_id}")
    st.caption(tr(geo.ATTRIBUTION))
with right:
    columns = [
        "rank",
        "name",
        "value_label",
        "target_label",
        "status",
        "status_label",
        "change_label",
        "trend",
    ]  # why a status is what it is: in the map's tooltip
    if districts["target_label"].nunique() <= 1:
        columns.remove("target_label")  # one target for every district: the caption below gives it
    if districts["is_priority"].any():
        columns.insert(2, "is_priority")
    if len(secondary_esas) > 1:
        districts["secondary_esa"] = areas.secondary_esa_numbers(ctx.country, districts["area_id"]).to_numpy()
        columns.insert(2, "secondary_esa")
    # The district's name as wide as the names need, up to what the other columns leave of the table's room beside
    # the map ("Mueang Amnat Charoen" was cut in 95 px).
    DISTRICTS_TABLE_PX = 532  # six tenths of a laptop's (1366 px) main column, less the gap and the grid's border
    widths = {"rank": 45, "is_priority": 72, "secondary_esa": 55, "value_label": 60, "target_label": 60}
    widths |= {"status_label": badges.status_px(ctx.lang), "change_label": 78, "trend": 68}
    others = sum(widths[c] for c in columns if c in widths)
    name_px = tables.name_column_px(tr("District"), districts["name"], 95, DISTRICTS_TABLE_PX - others)
    st.dataframe(
        badges.status_styler(districts[columns], "status", "status_label"),
        hide_index=True,
        height="content" if len(districts) <= 16 else 560,
        column_config={
            "rank": st.column_config.NumberColumn(tr("Rank"), width=widths["rank"]),
            "name": st.column_config.TextColumn(tr("District"), width=name_px),
            # A tick, not the words: "Priority district" in every row took 60 px and was cut in Lao.
            "is_priority": st.column_config.CheckboxColumn(
                tr("Priority"), width=widths["is_priority"], help=tr("Priority district")
            ),
            # The ESA's number: the names differ only in it, and would be cut to their common part.
            "secondary_esa": st.column_config.TextColumn(
                tr("ESA"),
                width=widths["secondary_esa"],
                help=tr("Secondary ESA") + ": " + text.plain(" · ".join(secondary_esas)),
            ),
            "value_label": st.column_config.TextColumn(tr("Value"), width=widths["value_label"]),
            "target_label": st.column_config.TextColumn(tr("Target"), width=widths["target_label"]),
            "status_label": st.column_config.TextColumn(tr("Status"), width=widths["status_label"]),
            "change_label": st.column_config.TextColumn(tr("Change"), width=widths["change_label"]),
            "trend": st.column_config.LineChartColumn(
                tr("Trend"), width=widths["trend"], help=tr("The last five years")
            ),
        },
    )
    kpi = rv.kpis.set_index("indicator_id").loc[indicator_id]
    st.caption(
        tr(
            "{province}: {value} · region {region} · nation {nation} · target {target} · source: {source}",
            province=text.plain(rv.name),
            value=kpi["value_label"],
            region=kpi["region_label"],
            nation=kpi["nation_label"],
            target=kpi["target_label"],
            source=text.plain(indicator["source"]),
        )
    )

# --- Schools ----------------------------------------------------------------------------------------------------
school_panels.section(ctx, rv, province_id)

# --- Alerts -----------------------------------------------------------------------------------------------------
st.subheader(tr("What alerts are open for {province}?", province=text.plain(rv.name)))
ALERT_TITLE_PX = 208
if rv.alerts.empty:
    st.success(tr("No alerts recorded for this province."), icon=":material/check_circle:")
else:
    shown = rv.alerts.assign(
        since=[periods.day_label(p, ctx.lang) for p in rv.alerts["first_seen_at"]],
        assignee=rv.alerts["assignee"].fillna(""),
        # On its own page the province goes without saying (its name was cut in the column): a district's by name.
        place=[
            tr("Whole province") if a == province_id else p
            for a, p in zip(rv.alerts["area_id"], rv.alerts["place"], strict=True)
        ],
    )
    # A title longer than its column wraps between words ("อัตราการออกกลางคันเพิ่มขึ้นต่อเนื่" was cut at its edge).
    shown["title"], alert_row_px = tables.wrapped(shown["title"], ALERT_TITLE_PX, most_lines=3)
    picked_alert = st.dataframe(
        shown[["severity_label", "state_label", "title", "place", "period", "since", "assignee"]],
        hide_index=True,
        row_height=alert_row_px,
        height=tables.fit_height(len(shown), 600, alert_row_px),
        on_select="rerun",
        selection_mode="single-row",
        key="province_alerts",
        column_config={
            "severity_label": st.column_config.TextColumn(tr("Severity"), width=90),
            "state_label": st.column_config.TextColumn(tr("State"), width=110),
            "title": st.column_config.TextColumn(tr("Alert"), width=ALERT_TITLE_PX),
            "place": st.column_config.TextColumn(tr("Where"), width=110),
            "period": st.column_config.TextColumn(tr("Period"), width=122),
            "since": st.column_config.TextColumn(tr("First seen"), width=110),
            "assignee": st.column_config.TextColumn(tr("Assignee"), width=120),
        },
    )
    st.caption(tr("Select an alert to open its evidence, what to do and its actions."))
    picked_id = url_state.selected_row(picked_alert, shown["id"])
    if picked_id is not None and (PAGES / "alerts.py").exists():
        links.go(ctx, "alerts", alert=picked_id)  # in this tab: Back returns here
if (PAGES / "alerts.py").exists():
    st.page_link(
        "views/alerts.py",
        label=tr("Act on these alerts"),
        icon=":material/crisis_alert:",
        query_params={"province": province_id, "country": ctx.country, "lang": ctx.lang},
    )

# --- Policies and projects --------------------------------------------------------------------------------------
st.subheader(tr("Are {province}'s policies and projects on plan?", province=text.plain(rv.name)))
if rv.policy_problem is not None:
    st.error(tr("The policy status rules cannot be read: {problem}", problem=rv.policy_problem))
elif rv.policies.empty:
    st.info(tr("No policy progress reported for this province."), icon=":material/info:")
else:
    # The table as wide as the page, the notes under it: beside the notes, the names had 147 px ("· อินเทอร์เน็ตความเร็"
    # cut at its cell's edge) while the notes' column stood mostly empty. A name longer than its room wraps between
    # words, in rows as tall as the longest needs.
    POLICY_TABLE_PX = 904  # a laptop's (1366 px) main column, 906 px, less the grid's border (no index, no picker)
    table = rv.policies[["name", "progress_pct", "planned_pct", "gap", "status", "status_label", "gap_trend"]].copy()
    # The figures' columns as wide as their headings need (ສຳເລັດແລ້ວ was cut in 65 px), the rest to the names.
    done_px, planned_px, gap_px, trend_px = (
        tables.text_column_px(tr(heading), [], least, bold=False)
        for heading, least in (("Done", 65), ("Planned", 65), ("Gap", 80), ("Trend", 60))
    )
    status_px = badges.status_px(ctx.lang, policies.STATUS_LABELS)
    name_px = POLICY_TABLE_PX - (done_px + planned_px + gap_px + status_px + trend_px)
    table["name"], policy_row_px = tables.wrapped(table["name"], name_px, most_lines=3)
    # Figures as numbers that sort, written in the reader's locale (tables.localized), as on the Policies page.
    st.dataframe(
        tables.localized(
            badges.status_styler(table, "status", "status_label"), ctx.lang, **policies.figure_formats(ctx.lang)
        ),
        hide_index=True,
        height=tables.fit_height(len(table), 2000, policy_row_px),
        row_height=policy_row_px,
        column_config={
            "name": st.column_config.TextColumn(tr("Policy or project"), width=name_px),
            "progress_pct": st.column_config.NumberColumn(tr("Done"), width=done_px),
            "planned_pct": st.column_config.NumberColumn(
                tr("Planned"),
                width=planned_px,
                help=tr("Planned by now: the share of the plan due by the chosen quarter"),
            ),
            "gap": st.column_config.NumberColumn(
                # Right-aligned, a number cut loses its sign first: wide enough for "−42,3 ຈຸດ" and "+10.0 จุด".
                tr("Gap"),
                width=gap_px,
                help=tr("Gap to plan: progress minus plan, in percentage points"),
            ),
            "status_label": st.column_config.TextColumn(tr("Status"), width=status_px),
            "gap_trend": st.column_config.LineChartColumn(
                tr("Trend"), width=trend_px, help=tr("Gap to plan, by quarter")
            ),
        },
    )
    st.caption(text.plain(briefs.policy_heading(rv)))
    st.markdown("**" + tr("What {province} reported", province=text.plain(rv.name)) + "**")
    if rv.policy_notes.empty:
        st.caption(tr("No notes on policies from this province yet."))
    for _, note in rv.policy_notes.head(8).iterrows():
        with st.container(border=True):
            st.caption(
                f"{periods.day_label(note['created_at'], ctx.lang)} · {note['kind_label']} · {note['policy']}"
                f" · {text.plain(note['author'])}"
            )
            st.markdown(text.plain(note["text"]))
    if (PAGES / "policies.py").exists():
        st.page_link(
            "views/policies.py",
            label=tr("Report progress or a problem on a policy"),
            icon=":material/account_tree:",
            query_params={"country": ctx.country, "lang": ctx.lang, "province": province_id},
        )

# --- Decisions --------------------------------------------------------------------------------------------------
st.subheader(tr("What has been decided about {province}, and is it done?", province=text.plain(rv.name)))
if rv.decisions.empty:
    st.info(tr("No decisions recorded for this province."), icon=":material/info:")
else:
    headings, rows, statuses = briefs.decision_rows(rv)
    shown = rv.decisions.assign(
        meeting=[r[0] for r in rows], due=[r[3] for r in rows], state=[r[4] for r in rows], color=statuses
    )
    st.dataframe(
        badges.status_styler(shown[["meeting", "text", "owner", "due", "color", "state", "about"]], "color", "state"),
        hide_index=True,
        column_config={
            # Within the page at 1366 px: the decision's and its subject's whole text are in the cells' tooltips.
            "meeting": st.column_config.TextColumn(tr("Meeting"), width=105),
            "text": st.column_config.TextColumn(tr("Decision"), width=265),
            "owner": st.column_config.TextColumn(tr("Owner"), width=120),
            "due": st.column_config.TextColumn(tr("Due"), width=105),
            "state": st.column_config.TextColumn(tr("Status"), width=130),
            # What it is about: the district, or the KPI, policy or alert (and its district when not the province's).
            "about": st.column_config.TextColumn(tr("About"), width=165),
        },
    )
if (PAGES / "decisions.py").exists():
    st.page_link(
        "views/decisions.py",
        label=tr("Record a decision"),
        icon=":material/gavel:",
        query_params={"country": ctx.country, "lang": ctx.lang, "area": province_id},
    )
