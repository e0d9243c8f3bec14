"""Policies, the White wall's detail: each policy against plan by province, what is stuck and why, milestones, notes."""

import pandas as pd
import sqlalchemy as sa
import streamlit as st

from cockpit import i18n, periods
from cockpit.data import areas, geo
from cockpit.figures import policy_charts, vega_maps
from cockpit.i18n import N_
from cockpit.review import policies, policy_notes
from cockpit.ui import badges, forms, links, page_help, sidebar, store_status, tables, text, url_state
from cockpit.users.identity import Forbidden

ctx = sidebar.context()
tr = ctx.tr
status_px = badges.status_px(ctx.lang, policies.STATUS_LABELS)  # its longest status, bold, in the reader's language
# The policy tables' figures as the reader's locale writes them, over numbers that sort (tables.localized).
FIGURES = policies.figure_formats(ctx.lang)
STUCK_TABLE_PX = 904  # a laptop's (1366 px) main column, 906 px, less the grid's border (no index, no picker)
DISBURSED = st.column_config.TextColumn(
    tr("Disbursed"), width=90, help=tr("Budget disbursed of the budget planned to date")
)


def figure_columns(bar: int | None = None) -> dict:
    """A policy table's progress, plan and gap, and a bar of the progress `bar` px wide if asked: headers short enough
    for 1366 px in th, lo and en (the longer "planned by now" and "gap to plan" in their tooltips). A bar needs about
    60 px: at 35 px it drew the same dot for every figure, so only a table with room for 60 px has one."""
    return {
        "progress_pct": st.column_config.NumberColumn(tr("Progress"), width=95),
        **({"progress_pct_bar": tables.bar(width=bar)} if bar else {}),
        "planned_pct": st.column_config.NumberColumn(
            tr("Plan"), width=60, help=tr("Planned by now: the share of the plan due by the chosen quarter")
        ),
        "gap": st.column_config.NumberColumn(
            tr("Gap"), width=65, help=tr("Gap to plan: progress minus plan, in percentage points")
        ),
    }


def progress_facts(own: pd.DataFrame) -> None:
    """An area's latest quarter of the policy: its status, progress against plan, and budget (province or district)."""
    if own.empty:
        return
    last = own.iloc[-1]
    badge = {"on_track": "green", "at_risk": "orange", "off_track": "red"}.get(last["color"], "gray")
    st.markdown(
        f":{badge}-badge[{policies.status_label(last['status'], ctx.lang)}] "
        + tr(
            "{progress} done of {planned} planned by now ({gap}).",
            progress=policies.percent(last["progress_pct"], ctx.lang),
            planned=policies.percent(last["planned_pct"], ctx.lang),
            gap=policies.points(last["gap"], ctx.lang),
        )
    )
    st.markdown(
        tr(
            "Budget: {done} disbursed of {planned} planned to date.",
            done=policies.money(last["budget_disbursed"], ctx.country, ctx.lang),
            planned=policies.money(last["budget_planned"], ctx.country, ctx.lang),
        )
    )


try:
    config = policies.load_config()
except policies.ConfigError as exc:
    st.error(tr("The policy status rules cannot be read: {problem}", problem=text.plain(exc.for_reader())))
    st.stop()

chain = policies.catalogue(ctx.db, ctx.country)
if chain.empty:
    st.title(tr("Policies"))
    st.info(tr("This extract holds no policies."))
    st.stop()
rows = policies.shared_progress(ctx.db, ctx.country, ctx.scope, config)  # read only
country = areas.country(ctx.db, ctx.country)
groups = areas.groups(ctx.db, ctx.country).set_index("group_key", drop=False)
quarters = policies.progress_periods(rows)

st.title(tr("Policies: plans against reality"))
page_help.panel(ctx, "policies")


def choose(table_key: str, ids: list, target: str):
    """A callback: the row picked in a table (or the area picked on the map) becomes the URL's choice."""

    def pick():
        event = st.session_state.get(table_key) or {}
        selection = event.get("selection", {})
        chosen = None
        if selection.get("rows"):
            chosen = ids[selection["rows"][0]]
        chosen = vega_maps.clicked(selection) or chosen
        if chosen is not None:
            st.session_state[target] = chosen

    return pick


filters = st.columns([4, 2, 3, 3])
with filters[1]:
    period = url_state.url_choice(
        "period",
        [q.isoformat() for q in quarters],
        quarters[0].isoformat(),
        tr("Quarter"),
        format_func=lambda q: policies.quarter_label(q, ctx.country, ctx.lang),
        lang=ctx.lang,
    )
with filters[2]:
    region = url_state.region_choice(ctx, groups)
scope = ctx.scope if region == "all" else ctx.scope.within(groups.loc[region, "province_ids"])
area_id = country["area_id"] if region == "all" else region
# The country's rows cover the reader's provinces only (review/policies/progress.sql): an office reads them as its
# province's or region's, and the heading names that area, not the country.
if region != "all":
    area_name = areas.group_label(groups.loc[region], ctx.country, ctx.lang)
elif ctx.own_area:
    area_name = areas.area_name(ctx.db, ctx.country, ctx.own_area, ctx.lang)
else:
    area_name = areas.name(country, ctx.country, ctx.lang)
board = policies.board(ctx.db, ctx.country, ctx.scope, scope, config, area_id, period, ctx.lang)
stuck_rows, summary, table = board.stuck_rows, board.summary, board.table
with filters[0]:
    policy_id = url_state.url_choice(
        "policy",
        list(chain.index),
        # A link about a province (its review, its alert) opens a policy that province takes part in.
        policies.policy_for_province(rows, chain, board.attention or chain.index[0], st.query_params.get("province")),
        tr("Policy or project"),
        format_func=lambda p: (
            ("\u2003" * int(chain.loc[p, "depth"])) + policies.name(chain.loc[p], ctx.country, ctx.lang)
        ),
        lang=ctx.lang,
    )
names = board.names
province_rows, provinces_labelled = policies.board_provinces(board, policy_id, scope.province_ids)
with filters[3]:
    province = url_state.url_choice(
        "province",
        ["none", *province_rows.sort_values("name").index],
        "none",
        tr("Province detail"),
        format_func=lambda p: tr("None: pick on the map or table") if p == "none" else names.loc[p, "name"],
        lang=ctx.lang,
    )
policy = chain.loc[policy_id]
policy_name = policies.name(policy, ctx.country, ctx.lang)
quarter = policies.quarter_label(period, ctx.country, ctx.lang)

# --- What is stuck: the alert a meeting must see first ---------------------------------------------------------------
for _, item in summary.head(3).iterrows():
    where = ", ".join(names.loc[a, "name"] for a in item["area_ids"] if a in names.index)
    st.error(
        tr(
            "Stuck: {policy} has made no progress for {n} quarters or more in {where} (since {since}).",
            policy=policies.name(chain.loc[item["policy_id"]], ctx.country, ctx.lang),
            n=config.stuck_periods,
            where=where,
            since=policies.quarter_label(item["since"], ctx.country, ctx.lang),
        ),
        icon=":material/block:",
    )

# --- Headline figures -------------------------------------------------------------------------------------------------
top_policies = table[table["level"] == "policy"]
counts = policies.summary(top_policies)
on_track, at_risk, off_track, idle = (counts[k] for k in ("on_track", "at_risk", "off_track", "not_started"))
tops = table[table["depth"] == 0]
overdue = board.milestones
st.subheader(tr("{area}: policies against plan, {quarter}", area=text.plain(area_name), quarter=quarter))
cards = st.columns(4)
cards[0].metric(
    tr("Policies on track"),
    tr("{n} of {total}", n=on_track, total=len(top_policies)),
    delta=tr(
        "{risk} at risk · {off} off track · {idle} not started",
        risk=at_risk,
        off=off_track,
        idle=idle,
    ),
    delta_color="off",
    delta_arrow="off",
    border=True,
)
cards[1].metric(
    tr("Provinces with stuck work"),
    stuck_rows["area_id"].nunique(),
    delta=tr("no progress for {n} quarters", n=config.stuck_periods),
    delta_color="off",
    delta_arrow="off",
    border=True,
)
planned_to_date = tops["budget_planned"].sum()
cards[2].metric(
    tr("Budget disbursed of planned to date"),
    i18n.percent(100 * tops["budget_disbursed"].sum() / planned_to_date if planned_to_date else None, ctx.lang, 0),
    delta=policies.money(tops["budget_disbursed"].sum(), ctx.country, ctx.lang),
    delta_color="off",
    delta_arrow="off",
    border=True,
)
cards[3].metric(
    tr("Overdue milestones"),
    int((overdue["state"] == "overdue").sum()),
    delta=tr("{n} done late", n=int((overdue["state"] == "done_late").sum())),
    delta_color="off",
    delta_arrow="off",
    border=True,
)

# --- The portfolio ----------------------------------------------------------------------------------------------------
st.subheader(tr("Which policies are moving, and which are behind plan?"))
labelled = board.labelled
columns = [
    "label",
    "owner",
    "span_label",
    "budget_label",
    "progress_pct",
    "planned_pct",
    "gap",
    "color",
    "status_label",
    "disbursed_pct",
    "behind_label",
    "stuck",
    "gap_trend",
]
gap_low, gap_high = policies.trend_range(labelled["gap_trend"])  # the sparklines' range follows the data
st.dataframe(
    tables.localized(badges.status_styler(labelled[columns], "color", "status_label"), ctx.lang, **FIGURES),
    hide_index=True,
    height=tables.fit_height(len(labelled), 760),
    key="portfolio_table",
    on_select=choose("portfolio_table", list(labelled.index), "url_policy"),
    selection_mode="single-row",
    # At 1366 px: progress against plan and where it is behind; the owner, plan period and budget are below.
    column_order=[c for c in columns if c not in ("owner", "span_label", "budget_label")],
    column_config={
        "label": st.column_config.TextColumn(tr("Programme, policy, project"), width=200),
        "owner": st.column_config.TextColumn(tr("Owner"), width=160),
        "span_label": st.column_config.TextColumn(tr("Plan period"), width=105),
        "budget_label": st.column_config.TextColumn(tr("Budget"), width=135),
        **figure_columns(),
        "status_label": st.column_config.TextColumn(tr("Status"), width=status_px),
        "disbursed_pct": tables.progress(
            tr("Disbursed"),
            ctx.lang,
            width=85,
            help=tr("Budget disbursed of the budget planned to date"),
        ),
        "behind_label": st.column_config.TextColumn(
            tr("Behind"), width=65, help=tr("Provinces at risk, off track or not started")
        ),
        "stuck": st.column_config.NumberColumn(
            tr("Stuck"),
            format="%d",
            width=62,
            help=tr("Provinces where it made no progress for {n} quarters", n=config.stuck_periods),
        ),
        "gap_trend": st.column_config.LineChartColumn(
            tr("Gap trend"),
            width=100,  # its heading whole in Lao ("ແນວໂນ້ມສ່ວນຕ່າງ" was cut at the grid's edge)
            y_min=gap_low,
            y_max=gap_high,
            help=tr(
                "Gap to plan, quarter by quarter, up to the chosen quarter (from {low} to {high} points)",
                low=i18n.number(gap_low, ctx.lang, 0),
                high=i18n.number(gap_high, ctx.lang, 0),
            ),
        ),
    },
)
with st.expander(tr("Each policy's owner, plan period and budget")):
    st.dataframe(
        labelled[["label", "owner", "span_label", "budget_label"]],
        hide_index=True,
        column_config={
            "label": st.column_config.TextColumn(tr("Programme, policy, project"), width=320),
            "owner": st.column_config.TextColumn(tr("Owner"), width=200),
            "span_label": st.column_config.TextColumn(tr("Plan period"), width=120),
            "budget_label": st.column_config.TextColumn(tr("Budget"), width=150),
        },
    )
st.caption(
    tr(
        "Status is judged from progress against plan: on track within {on} points of plan, at risk within "
        "{risk}, off track beyond. Roll-ups weight each province by its budget. Pick a row to map it.",
        on=i18n.number(-config.status.on_track_gap, ctx.lang, 0),
        risk=i18n.number(-config.status.at_risk_gap, ctx.lang, 0),
    )
)

# --- Where: map and provinces -----------------------------------------------------------------------------------------
st.subheader(tr("Where is {policy} behind plan?", policy=text.plain(policy_name)))
# Where the source reports the policy by district: a district layer for the chosen province or region (zoomed).
district_rows = policies.district_progress(ctx.db, ctx.country, scope, config, policy_id)
level, district = "province", "none"
if policies.has_districts(district_rows, policy_id):
    level_col, district_col = st.columns([3, 4])
    with level_col:
        level = url_state.url_choice(
            "level",
            list(policies.AREA_LEVEL_LABELS),
            "province",
            tr("Map and table by"),
            format_func=lambda v: tr(policies.AREA_LEVEL_LABELS[v]),
            lang=ctx.lang,
            widget=st.segmented_control,
            required=True,
        )
    around_ids = [province] if province != "none" else list(scope.province_ids)
    district_table = policies.districts(district_rows, policy_id, period, around_ids, ctx.country, ctx.lang)
    if level == "district":
        with district_col:
            district = url_state.url_choice(
                "district",
                ["none", *district_table.sort_values("name").index],
                "none",
                tr("District detail"),
                format_func=lambda d: (
                    tr("None: pick on the map or table") if d == "none" else district_table.loc[d, "name"]
                ),
                lang=ctx.lang,
            )
if level == "district":
    districts_labelled = policies.labelled_provinces(district_table, ctx.country, ctx.lang)
    districts_labelled["province_name"] = [
        names.loc[p, "name"] if p in names.index else p for p in districts_labelled["province_id"]
    ]
    left, right = st.columns([30, 70])
    with left:
        district_map = vega_maps.choropleth(
            ctx.country,
            "district",
            districts_labelled[
                ["name", "province_name", "color", "status_label", "progress_label", "plan_label", "gap_label"]
            ].rename(columns={"color": "status"}),
            tooltip=[
                ("name", tr("District")),
                ("province_name", tr("Province")),
                ("status_label", tr("Status")),
                ("progress_label", tr("Progress")),
                ("plan_label", tr("Planned by now")),
                ("gap_label", tr("Gap to plan")),
            ],
            lang=ctx.lang,
            height=620,
            only=policies.district_ids(ctx.db, ctx.country, around_ids),  # a province's or a region's, no other
        )
        st.vega_lite_chart(district_map, key="district_map", on_select=choose("district_map", [], "url_district"))
        st.caption(tr(geo.ATTRIBUTION))
    with right:
        districts_labelled["province_link"] = links.province_cells(
            ctx, districts_labelled["province_id"], districts_labelled["province_name"]
        )
        district_columns = [
            "name",
            *(["province_link"] if province == "none" else []),  # one province chosen: its name is in the heading
            "color",
            "status_label",
            "progress_pct",
            "planned_pct",
            "gap",
            "disbursed_label",
        ]
        st.dataframe(
            tables.localized(
                badges.status_styler(districts_labelled[district_columns], "color", "status_label"),
                ctx.lang,
                **FIGURES,
            ),
            hide_index=True,
            height=tables.fit_height(len(districts_labelled), 620),
            key="district_table",
            on_select=choose("district_table", list(districts_labelled.index), "url_district"),
            selection_mode="single-row",
            # With a province column, the budget is a pick away, in the district's detail (no room at 1366 px).
            column_order=[c for c in district_columns if not (province == "none" and c == "disbursed_label")],
            column_config={
                "name": st.column_config.TextColumn(tr("District"), width=145),
                "province_link": links.column(tr("Province"), width=100, help=tr("Opens the province's review")),
                "status_label": st.column_config.TextColumn(tr("Status"), width=status_px),
                **figure_columns(),
                "disbursed_label": DISBURSED,
            },
        )
        st.caption(
            tr(
                "{behind} of {total} districts behind plan in {quarter}, judged by the same rules as provinces. Pick "
                "a district on the map or in the table for its detail.",
                behind=int(district_table["status"].isin(policies.BEHIND).sum()),
                total=len(district_table),
                quarter=quarter,
            )
        )
else:
    left, right = st.columns([30, 70])
    with left:
        on_map = provinces_labelled[
            ["name", "color", "status_label", "progress_label", "plan_label", "gap_label", "stuck_label"]
        ].rename(columns={"color": "status"})
        province_map = vega_maps.choropleth(
            ctx.country,
            "province",
            on_map,
            tooltip=[
                ("name", tr("Province")),
                ("status_label", tr("Status")),
                ("progress_label", tr("Progress")),
                ("plan_label", tr("Planned by now")),
                ("gap_label", tr("Gap to plan")),
                ("stuck_label", tr("Stuck since")),
            ],
            lang=ctx.lang,
            height=620,
            # A chosen region, or an office's own provinces, fill the map (an office's were a spot on the country).
            focus=scope.province_ids if region != "all" or ctx.own_area else None,
        )
        st.vega_lite_chart(province_map, key="province_map", on_select=choose("province_map", [], "url_province"))
        st.caption(tr(geo.ATTRIBUTION))
    with right:
        differs = bool(province_rows["status_differs"].any())
        provinces_labelled["link"] = links.province_cells(ctx, provinces_labelled.index, provinces_labelled["name"])
        province_columns = [
            "link",
            "color",
            "status_label",
            *(["reported_label"] if differs else []),
            "progress_pct",
            "planned_pct",
            "gap",
            "disbursed_label",
            "note",
        ]
        st.dataframe(
            tables.localized(
                badges.status_styler(provinces_labelled[province_columns], "color", "status_label"),
                ctx.lang,
                **FIGURES,
            ),
            hide_index=True,
            height=tables.fit_height(len(provinces_labelled), 620),
            key="province_table",
            on_select=choose("province_table", list(provinces_labelled.index), "url_province"),
            selection_mode="single-row",
            # The province's note this quarter: in its detail, a pick away (a laptop's 1366 px has no room for it here).
            column_order=[c for c in province_columns if c != "note"],
            column_config={
                "link": links.column(tr("Province"), width=135, help=tr("Opens the province's review")),
                "status_label": st.column_config.TextColumn(tr("Status"), width=status_px),
                "reported_label": st.column_config.TextColumn(
                    tr("Reported status"),
                    width=60,
                    help=tr("What the province reported, shown where it differs from the rules"),
                ),
                **figure_columns(),
                "disbursed_label": DISBURSED,
            },
        )
        behind = province_rows["status"].isin(policies.BEHIND).sum()
        st.caption(
            tr(
                "{behind} of {total} provinces behind plan in {quarter}. Pick a province on the map or in the table "
                "for its detail.",
                behind=int(behind),
                total=len(province_rows),
                quarter=quarter,
            )
        )
        derived = int(province_rows["districts"].notna().sum())
        if derived:
            st.caption(
                tr(
                    "{n} provinces report it only by district: their figure is their districts' progress, weighted "
                    "by each district's budget.",
                    n=derived,
                )
            )

# --- One district's detail ------------------------------------------------------------------------------------------
if district != "none":
    district_name = district_table.loc[district, "name"]
    home = district_table.loc[district, "province_id"]
    home_name = names.loc[home, "name"] if home in names.index else home
    st.subheader(
        tr("{district}: {policy} against plan", district=text.plain(district_name), policy=text.plain(policy_name))
    )
    own = policies.series(district_rows, policy_id, district, period)
    around = policies.series(rows, policy_id, home, period).set_index("period_start")["progress_pct"]
    chart, facts = st.columns([6, 4])
    with chart:
        st.vega_lite_chart(
            policy_charts.progress_figure(
                [policies.quarter_label(p, ctx.country, ctx.lang) for p in own["period_start"]],
                list(own["progress_pct"]),
                list(own["planned_pct"]),
                list(own["status"]),
                list(around.reindex(own["period_start"])),
                {"plan": tr("Plan"), "progress": district_name, "comparison": home_name},
                lang=ctx.lang,
            ),
            key="district_progress",
        )
    with facts:
        progress_facts(own)
        note = district_table["note"].get(district)
        if isinstance(note, str) and note.strip():  # as the district reported it
            st.markdown("**" + tr("District's note this quarter") + "**")
            st.markdown(text.plain(note))
        links.province_link(ctx, home, tr("{province}: review", province=home_name))

# --- One province's detail --------------------------------------------------------------------------------------------
store = ctx.store  # None while the state store cannot be used: notes are then neither shown nor written
if province != "none":
    province_name = names.loc[province, "name"]
    st.subheader(
        tr("{province}: {policy} against plan", province=text.plain(province_name), policy=text.plain(policy_name))
    )
    links.province_link(ctx, province, tr("{province}: review", province=province_name))
    own = policies.series(rows, policy_id, province, period)
    around = policies.series(rows, policy_id, area_id, period).set_index("period_start")["progress_pct"]
    labels = [policies.quarter_label(p, ctx.country, ctx.lang) for p in own["period_start"]]
    chart, facts = st.columns([6, 4])
    with chart:
        figure = policy_charts.kept(
            board,
            ("province_progress", policy_id, province, area_name),
            lambda: policy_charts.progress_figure(
                labels,
                list(own["progress_pct"]),
                list(own["planned_pct"]),
                list(own["status"]),
                list(around.reindex(own["period_start"])),
                {"plan": tr("Plan"), "progress": province_name, "comparison": area_name},
                lang=ctx.lang,
            ),
        )
        st.vega_lite_chart(figure, key="province_progress")
    with facts:
        progress_facts(own)
        note = provinces_labelled["note"].get(province)
        if isinstance(note, str) and note.strip():  # as the province typed it
            st.markdown("**" + tr("Province's note this quarter") + "**")
            st.markdown(text.plain(note))
    # Below the chart, at the page's width: beside it (352 px at 1366 px) the milestones and the reports were cut.
    province_milestones = policies.board_milestones(board, chain, province, config)
    province_milestones = province_milestones[province_milestones["policy_id"] == policy_id].reset_index(drop=True)
    milestone_table = pd.DataFrame(
        {
            tr("Milestone"): province_milestones["share"].map(lambda s: i18n.percent(s, ctx.lang, 0)),
            tr("Due"): [
                ("≈ " if est else "") + policies.quarter_label(d, ctx.country, ctx.lang)
                for d, est in zip(province_milestones["due_date"], province_milestones["estimated"], strict=True)
            ],
            tr("Done in"): province_milestones["done_period"].map(
                lambda d: "" if pd.isna(d) else policies.quarter_label(d, ctx.country, ctx.lang)
            ),
            "color": province_milestones["color"],
            tr("State"): province_milestones["state"].map(lambda s: tr(policies.MILESTONE_LABELS[s])),
        }
    )
    st.markdown("**" + tr("Milestones") + "**")
    st.dataframe(badges.status_styler(milestone_table, "color", tr("State")), hide_index=True)
    reported = own[own["note"].notna()].iloc[::-1]
    if len(reported):
        st.markdown("**" + tr("What the province reported") + "**")
        st.dataframe(
            pd.DataFrame(
                {
                    tr("Quarter"): [policies.quarter_label(p, ctx.country, ctx.lang) for p in reported["period_start"]],
                    tr("Reported status"): reported["reported_status"].map(
                        lambda s: policies.status_label(s, ctx.lang) if isinstance(s, str) else ""
                    ),
                    tr("Note"): reported["note"],
                }
            ),
            hide_index=True,
            height=tables.fit_height(len(reported), 250),
        )

    its_districts = policies.districts(district_rows, policy_id, period, [province], ctx.country, ctx.lang)
    if len(its_districts):
        st.markdown(
            "**"
            + tr(
                "{province}'s districts: {policy} against plan",
                province=text.plain(province_name),
                policy=text.plain(policy_name),
            )
            + "**"
        )
        its_districts = policies.labelled_provinces(its_districts, ctx.country, ctx.lang)
        st.dataframe(
            tables.localized(
                badges.status_styler(
                    tables.with_bars(its_districts, "progress_pct")[
                        ["name", "color", "status_label", "progress_pct", "progress_pct_bar", "planned_pct", "gap"]
                    ],
                    "color",
                    "status_label",
                ),
                ctx.lang,
                **FIGURES,
            ),
            hide_index=True,
            height=tables.fit_height(len(its_districts), 420),
            key="province_districts",
            column_config={
                "name": st.column_config.TextColumn(tr("District"), width=160),
                "status_label": st.column_config.TextColumn(tr("Status"), width=status_px),
                **figure_columns(bar=60),
            },
        )
        if pd.notna(province_rows["districts"].get(province)):
            st.caption(
                tr(
                    "The source reports {policy} here only by district: {province}'s figure is its districts' "
                    "progress, weighted by each district's budget.",
                    policy=text.plain(policy_name),
                    province=text.plain(province_name),
                )
            )

# --- What is stuck, and why -----------------------------------------------------------------------------------------
descendants = [p for p in chain.index if policy_id in chain.loc[p, "path"].split("/")]
notes_here = (
    policy_notes.notes(store, scope, ctx.country)
    if store is not None
    else pd.DataFrame(columns=policy_notes.NOTE_COLUMNS)
)
st.subheader(tr("What is stuck, where, since when, and why?"))
explained = policies.why(stuck_rows, notes_here)
if explained.empty:
    st.success(tr("Nothing stuck: every policy moved in the last {n} quarters.", n=config.stuck_periods))
else:
    explained = explained.assign(path=explained["policy_id"].map(chain["path"])).sort_values(["path", "area_id"])
    policy, province_, since, quarters, progress, plan, why = (
        tr(h)
        for h in (
            N_("Policy or project"),
            N_("Province"),
            N_("Stuck since"),
            N_("Quarters"),
            N_("Progress"),
            N_("Plan"),
            N_("Why (latest note)"),
        )
    )
    stuck = pd.DataFrame(
        {
            policy: [
                ("· " if chain.loc[p, "depth"] == 2 else "") + policies.name(chain.loc[p], ctx.country, ctx.lang)
                for p in explained["policy_id"]
            ],
            province_: [names.loc[a, "name"] if a in names.index else a for a in explained["area_id"]],
            since: [policies.quarter_label(q, ctx.country, ctx.lang) for q in explained["stuck_since"]],
            quarters: explained["periods_stuck"],
            progress: explained["value"],
            plan: explained["reference"],
            why: explained["why"].fillna(""),
        }
    )
    # Every column but the two texts as wide as its heading and cells need; the policy's name and the note, the why
    # this section asks, share what is left and wrap between words (cut at 240 px, 12 of 12 Thai notes lost their end).
    widths = {
        c: tables.text_column_px(c, stuck[c] if c in (province_, since) else ["100.0%"], 60, bold=False)
        for c in (province_, since, quarters, progress, plan)
    }
    left = STUCK_TABLE_PX - sum(widths.values())
    widths[policy] = min(tables.text_column_px(policy, stuck[policy], 120, bold=False), left * 2 // 5)
    widths[why] = left - widths[policy]
    stuck[policy], policy_row_px = tables.wrapped(stuck[policy], widths[policy])
    stuck[why], why_row_px = tables.wrapped(stuck[why], widths[why])
    stuck_row_px = max(policy_row_px, why_row_px)
    stuck[province_] = links.province_cells(ctx, explained["area_id"], stuck[province_])
    st.dataframe(
        tables.localized(stuck, ctx.lang, percents={progress: 1, plan: 1}),
        hide_index=True,
        height=tables.fit_height(len(stuck), 1000, stuck_row_px),
        row_height=stuck_row_px,
        key="stuck_table",
        column_config={
            policy: st.column_config.TextColumn(width=widths[policy]),
            province_: links.column(None, width=widths[province_]),
            since: st.column_config.TextColumn(width=widths[since]),
            quarters: st.column_config.NumberColumn(width=widths[quarters]),
            progress: st.column_config.NumberColumn(width=widths[progress]),
            plan: figure_columns()["planned_pct"] | {"width": widths[plan]},
            why: st.column_config.TextColumn(width=widths[why]),
        },
    )
    st.caption(
        tr(
            "No progress in each of the last {n} quarters while the plan moved on; the note is the province's "
            "latest, from its notes here or else its report.",
            n=config.stuck_periods,
        )
    )

# --- Milestones -------------------------------------------------------------------------------------------------------
timeline_name = area_name if province == "none" else names.loc[province, "name"]
st.subheader(tr("{area}: which milestones are overdue?", area=text.plain(timeline_name)))
shares = ", ".join(i18n.percent(s, ctx.lang, 0) for s in config.milestone_shares)
timeline = policy_charts.milestone_timeline(board, chain, policy_id, None if province == "none" else province, config)
if timeline is None:
    st.info(tr("No plan in {area} has a milestone.", area=text.plain(timeline_name)), icon=":material/event_available:")
else:
    st.vega_lite_chart(timeline, key="milestones")
st.caption(
    tr(
        "Milestones at {shares} of each plan, due when the plan reaches them; ≈ marks a date estimated "
        "beyond the plan's last reported quarter.",
        shares=shares,
    )
)

# --- Provinces' notes ------------------------------------------------------------------------------------------------
st.subheader(tr("What do the provinces report on {policy}?", policy=text.plain(policy_name)))
saved = st.session_state.pop("policy_note_saved", None)
if saved:
    st.success(saved, icon=":material/check:")
    forms.emptied("note_text")
notes_col, form_col = st.columns([6, 4])
with notes_col:
    shown_notes = notes_here[notes_here["policy_id"].isin(descendants)]
    if province != "none":
        shown_notes = shown_notes[shown_notes["area_id"] == province]
    if shown_notes.empty:
        st.info(tr("No notes yet from the provinces on this policy."))
    else:
        # Named once a policy and a province, not once a note: a year of notes from every province is hundreds.
        policy_names = {
            p: policies.name(chain.loc[p], ctx.country, ctx.lang) if p in chain.index else p
            for p in shown_notes["policy_id"].unique()
        }
        place_names = {a: names.loc[a, "name"] if a in names.index else a for a in shown_notes["area_id"].unique()}
        st.dataframe(
            pd.DataFrame(
                {
                    tr("Written"): shown_notes["created_at"].map(lambda t: periods.day_label(t, ctx.lang)),
                    tr("Province"): shown_notes["area_id"].map(place_names),
                    tr("Kind"): shown_notes["kind"].map(lambda k: tr(policies.NOTE_KIND_LABELS.get(k, k))),
                    tr("Note"): shown_notes["text"],
                    tr("By"): shown_notes["author"],
                    tr("Policy or project"): shown_notes["policy_id"].map(policy_names),
                }
            ),
            hide_index=True,
            key="notes_table",
            # Within its column at 1366 px (about 530 px) however long the notes: a horizontal scroll hid the
            # province and the kind once a note was written; the whole note is in its cell's tooltip.
            column_config={
                tr("Written"): st.column_config.TextColumn(width=70),
                tr("Province"): st.column_config.TextColumn(width=80),
                tr("Kind"): st.column_config.TextColumn(width=60),
                tr("Note"): st.column_config.TextColumn(width=150),
                tr("By"): st.column_config.TextColumn(width=70),
                tr("Policy or project"): st.column_config.TextColumn(width=100),
            },
        )
with form_col:
    options = list(province_rows.sort_values("name").index)
    if not ctx.identity.can("write_notes"):
        st.caption(tr("The provincial and regional offices write the notes on their provinces; your role reads them."))
    elif not options:
        st.info(tr("No province in your scope takes part in this policy."))
    elif store is None:
        st.caption(tr(store_status.SECTION))
    else:
        # Not cleared on submit: a note that could not be stored stays on screen; a stored one is cleared below.
        with st.form("policy_note"):
            st.markdown("**" + tr("Add a note from a provincial office") + "**")
            note_province = st.selectbox(
                tr("Province"),
                options,
                index=options.index(province) if province in options else 0,
                format_func=lambda p: names.loc[p, "name"],
                key="note_province",
            )
            kind = st.radio(
                tr("Kind"),
                list(policies.NOTE_KIND_LABELS),
                format_func=lambda k: tr(policies.NOTE_KIND_LABELS[k]),
                horizontal=True,
                key="note_kind",
            )
            text = st.text_area(
                tr("Note"),
                max_chars=policy_notes.NOTE_MAX_CHARS,
                placeholder=tr("Progress, problems, obstacles or policy advice, for {quarter}", quarter=quarter),
                key="note_text",
            )
            actor = forms.acting_as(ctx)
            submitted = st.form_submit_button(tr("Save the note"), type="primary")
        if submitted:
            try:
                policy_notes.add_note(
                    store, actor, ctx.country, policy_id, note_province, kind, text, period_start=period
                )
            except policy_notes.NoteError as exc:
                st.error(tr(exc.message, **exc.values))
            except sa.exc.SQLAlchemyError as exc:
                store_status.not_recorded(tr, exc)
            except Forbidden as exc:
                forms.refused(ctx, exc)
            else:
                # Rerun so that the lists above show the new note; the confirmation survives the rerun, which
                # empties the form.
                st.session_state["policy_note_saved"] = tr(
                    "Note saved for {province}.", province=names.loc[note_province, "name"]
                )
                st.rerun()
    if ctx.identity.can("record_decisions"):
        # The meeting that reads the notes decides: about this policy, in the province chosen (its Province page
        # lists the decision), or for the whole country.
        links.page_link(
            ctx,
            "decisions",
            tr("Record a decision about {policy}", policy=policy_name),
            ":material/gavel:",
            policy=policy_id,
            area=None if province == "none" else province,
        )
