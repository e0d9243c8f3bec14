"""League table: the provinces ranked on shared KPIs and policy progress, with every point explained."""

import pandas as pd
import streamlit as st

from cockpit import i18n
from cockpit.data import indicators
from cockpit.figures import short_text
from cockpit.review import league, policies
from cockpit.ui import links, page_help, sidebar, tables, text, url_state

ctx = sidebar.context()
tr = ctx.tr

st.title(tr("League table: provinces on shared KPIs and policy progress"))
page_help.panel(ctx, "league")
try:
    table = league.league(ctx.db, ctx.country, ctx.scope, ctx.lang)
except (league.ConfigError, policies.ConfigError) as exc:
    st.error(tr("The league table's rules cannot be used: {problem}", problem=text.plain(exc.for_reader())))
    st.stop()
weights = table.weights
catalogue = indicators.catalogue(ctx.db, ctx.country)
ranked = table.table
regions = ranked.dropna(subset=["region"]).drop_duplicates("region").sort_values("region_name")
region_names = dict(zip(regions["region"], regions["region_name"], strict=True))
province_names = dict(zip(ranked["area_id"], ranked["name"], strict=True))  # a look-up per option, not a frame


def pick_province():
    """A row picked in the table opens that province's explanation (and goes into the URL)."""
    event = st.session_state.get("league_table") or {}
    rows = event.get("selection", {}).get("rows") or []
    if rows:
        st.session_state["url_province"] = shown.iloc[rows[0]]["area_id"]


filters = st.columns([4, 4, 4])  # "ทุกจังหวัด (อันดับระดับประเทศ)" whole at 1366 px
with filters[0]:
    region = url_state.url_choice(
        "region",
        ["all", *regions["region"]],
        "all",
        tr("Rank within"),
        format_func=lambda r: tr("All provinces (national rank)") if r == "all" else region_names[r],
        lang=ctx.lang,
    )
shown = ranked if region == "all" else ranked[ranked["region"] == region].sort_values("region_rank")
shown = shown.reset_index(drop=True)
with filters[1]:
    province = url_state.url_choice(
        "province",
        ["none", *ranked.sort_values("name")["area_id"]],
        "none",
        tr("Explain a province"),
        format_func=lambda p: tr("None: pick a row") if p == "none" else province_names[p],
        lang=ctx.lang,
    )

periods_ = table.periods.set_index(["component", "moment"])


def period_name(component: str, moment: str) -> str:
    if (component, moment) not in periods_.index:
        return i18n.NO_VALUE
    row = periods_.loc[(component, moment)]
    if component == league.POLICY:
        return policies.quarter_label(row["period_start"], ctx.country, ctx.lang)
    return ctx.period(row["period_start"], row["period_type"])


st.caption(
    tr(
        "Scores as of {as_of}; the change in rank is against the same score a year before. {n} provinces ranked.",
        as_of=policies.quarter_label(table.as_of, ctx.country, ctx.lang),
        n=int(ranked["provinces"].max()) if len(ranked) else 0,  # the country's: ranks count every province
    )
)

PROVINCE_PX = 130  # the longest Thai and Lao names whole: พระนครศรีอยุธยา, ນະຄອນຫຼວງວຽງຈັນ
COMPONENT_PX = 135  # the rules' components, beside their points and period in a third of a laptop's width
EXPLAINED_PX = 880  # a province's points explained: the table's width at 1366 px
main, rules = st.columns([66, 34])
with main:
    view = pd.DataFrame(
        {
            "rank": shown["rank"] if region == "all" else shown["region_rank"],
            "change": (shown["rank_change"] if region == "all" else shown["region_rank_change"]).map(
                league.change_label
            ),
            "name": links.province_cells(  # opens the province's review; a name too long cut with "…", not at the edge
                ctx, shown["area_id"], short_text.fit_column(shown["name"], PROVINCE_PX)
            ),
            "region_name": shown["region_name"].fillna(""),
            "score": shown["score"],
            "kpi_points": shown["kpi_points"],
            "policy_points": shown["policy_points"],
            "regional": [
                "" if pd.isna(r) else tr("{rank} of {total}", rank=int(r), total=int(t))
                for r, t in zip(shown["region_rank"], shown["region_provinces"], strict=True)
            ],
            "previous_score": shown["previous_score"],
        }
    )
    # Colour says which way a province moved: green up, red down.
    moved = tables.with_bars(view, "score").style.map(
        lambda v: (
            "color: #1a9641; font-weight: 600"
            if v.startswith("▲")
            else ("color: #d73027; font-weight: 600" if v.startswith("▼") else "")
        ),
        subset=["change"],
    )
    st.dataframe(
        tables.localized(
            moved, ctx.lang, numbers={"score": 1, "kpi_points": 1, "policy_points": 1, "previous_score": 1}
        ),
        hide_index=True,
        height=tables.fit_height(len(view), 720),
        key="league_table",
        on_select=pick_province,
        selection_mode="single-row",
        # At 1366 px: the rank, its change and the score's parts; the region, the rank in it and the score a year
        # before are in the province's detail, a pick away.
        column_order=["rank", "change", "name", "score", "score_bar", "kpi_points", "policy_points"],
        column_config={
            "rank": st.column_config.NumberColumn(tr("Rank"), format="%d", width=45),
            "change": st.column_config.TextColumn(
                tr("Change"), width=78, help=tr("Places gained (▲) or lost (▼) since a year before")
            ),
            "name": links.column(tr("Province"), width=PROVINCE_PX, help=tr("Opens the province's review")),
            "region_name": st.column_config.TextColumn(tr("Region"), width=165),
            "score": st.column_config.NumberColumn(tr("Score"), width=70),
            "score_bar": tables.bar(width=45),
            "kpi_points": st.column_config.NumberColumn(
                tr("Shared KPIs"), width=85, help=tr("Points earned on the shared KPIs")
            ),
            "policy_points": st.column_config.NumberColumn(
                tr("Policies"), width=70, help=tr("Points earned on policy progress")
            ),
            "regional": st.column_config.TextColumn(tr("Rank in region"), width=95),
            "previous_score": st.column_config.NumberColumn(
                tr("A year before"), width=90, help=tr("The score a year before")
            ),
        },
    )
    st.caption(tr("Pick a row to see how its score is made."))
with rules:
    st.markdown("**" + tr("How the score is made") + "**")
    st.markdown(
        tr(
            "Each component earns its share of 100 points times its attainment: how far the province has "
            "come to its own target (in the indicator's direction, at most 100%), or for policies its "
            "progress against plan, weighted by budget. The score adds the points.",
        )
    )
    shares = weights.max_points()
    # In lines broken between words (the grid broke Thai between letters), as many as the longest name needs.
    components, component_row_px = tables.wrapped(
        [league.component_name(c, catalogue, ctx.lang) for c in shares], COMPONENT_PX
    )
    st.dataframe(
        tables.localized(
            pd.DataFrame(
                {
                    tr("Component"): components,
                    tr("Points"): list(shares.values()),
                    tr("Period"): [period_name(c, "current") for c in shares],
                }
            ),
            ctx.lang,
            numbers={tr("Points"): 1},
        ),
        hide_index=True,
        row_height=component_row_px,
        height=tables.fit_height(len(shares), 1200, component_row_px),  # every component, no scroll in the grid
        column_config={
            # The configured weights as shares of 100 points (the weights themselves did not fit at 1366 px).
            tr("Component"): st.column_config.TextColumn(width=COMPONENT_PX),
            tr("Points"): st.column_config.NumberColumn(width=50, help=tr("The component's share of 100 points")),
            tr("Period"): st.column_config.TextColumn(width=110),
        },
    )
    if weights.missing == "zero":
        st.caption(tr("A component a province did not report earns no points."))
    else:
        st.caption(tr("A component a province did not report passes its weight to the others."))

if province != "none":
    row = ranked.set_index("area_id").loc[province]
    province_name = row["name"]
    st.subheader(
        tr(
            "{province}: {score} points, rank {rank} of {total}",
            province=province_name,
            score=i18n.number(row["score"], ctx.lang, 1),
            rank=i18n.NO_VALUE if pd.isna(row["rank"]) else int(row["rank"]),
            total=int(row["provinces"]),
        )
    )
    lines = []
    region_name = row["region_name"]
    if isinstance(region_name, str) and not pd.isna(row["region_rank"]):
        lines.append(
            tr(
                "In {region}: rank {region_rank} of {region_total}.",
                region=region_name,
                region_rank=int(row["region_rank"]),
                region_total=int(row["region_provinces"]),
            )
        )
    if not pd.isna(row["previous_rank"]):
        lines.append(
            tr(
                "A year before: {score} points, rank {rank} nationally.",
                score=i18n.number(row["previous_score"], ctx.lang, 1),
                rank=int(row["previous_rank"]),
            )
        )
    if lines:
        st.markdown(" ".join(lines))
    links.province_link(ctx, province, tr("{province}: review", province=province_name))
    parts = league.explain(table, province)

    def shown_value(component: str, value) -> str:
        if component == league.POLICY:
            return policies.percent(value, ctx.lang)
        return indicators.fmt(catalogue.loc[component], value, ctx.lang) if component in catalogue.index else ""

    explained = pd.DataFrame(
        {
            tr("Component"): [league.component_name(c, catalogue, ctx.lang) for c in parts["component"]],
            tr("Period"): [period_name(c, "current") for c in parts["component"]],
            tr("Value"): [shown_value(c, v) for c, v in zip(parts["component"], parts["value"], strict=True)],
            tr("Target"): [shown_value(c, v) for c, v in zip(parts["component"], parts["target"], strict=True)],
            tr("Attainment"): 100 * parts["attainment"],
            tr("Weight"): parts["weight"],
            tr("Points"): parts["points"],
            tr("Out of"): parts["max_points"],
            tr("A year before"): parts["previous_points"],
        }
    )
    # At 1366 px every column beside the components' names, as wide as its heading and its cells need (the last three
    # ran past the table's edge); the names wrap between words in what is left.
    texts = [tr("Period"), tr("Value"), tr("Target")]
    numbers = [tr("Weight"), tr("Points"), tr("Out of"), tr("A year before")]
    widths = {c: tables.text_column_px(c, explained[c], 60, bold=False) for c in texts}
    widths |= {c: tables.text_column_px(c, ["100.0"], 55, bold=False) for c in numbers}
    widths[tr("Attainment")] = 110
    name_px = max(COMPONENT_PX, EXPLAINED_PX - sum(widths.values()))
    explained[tr("Component")], row_px = tables.wrapped(explained[tr("Component")], name_px)
    st.dataframe(
        tables.localized(
            explained,
            ctx.lang,
            numbers={tr("Weight"): None, tr("Points"): 1, tr("Out of"): 1, tr("A year before"): 1},
        ),
        hide_index=True,
        row_height=row_px,
        height=tables.fit_height(len(explained), 1200, row_px),
        column_config={
            tr("Component"): st.column_config.TextColumn(width=name_px),
            **{c: st.column_config.TextColumn(width=widths[c]) for c in texts},
            **{c: st.column_config.NumberColumn(width=widths[c]) for c in numbers},
            tr("Attainment"): tables.progress(None, ctx.lang, width=widths[tr("Attainment")]),
        },
        key="league_explanation",
    )
    st.caption(
        tr(
            "For policies, the value is the province's progress and the target the progress planned by now; "
            "targets of KPIs are the province's own for that period."
        )
    )
