"""White wall: policies and projects against plan, where they are behind, what is stuck and why, money, milestones."""

import pandas as pd

from cockpit import i18n, periods
from cockpit.meeting import walls
from cockpit.review import policies
from cockpit.ui import screen, sidebar, wall_html, wall_panels
from cockpit.ui.wall_html import esc

GRID_AREAS = '"policies map stuck ms" "policies map budget kpis"'
GRID_COLUMNS = "1.15fr 1.1fr 1.1fr 0.95fr"


def _pct(value, lang: str) -> str:
    return i18n.percent(value, lang, 0)


def policies_body(ctx: sidebar.Context, view: walls.View, kiosk: bool) -> str:
    """Each policy's progress against its plan to date (the tick), coloured by the configured status rules."""
    if view.facts.get("error"):
        return wall_html.note("wr-empty", ctx.tr("The policy status rules cannot be read just now.")) + wall_html.note(
            "wr-small", view.facts["error"]
        )
    parts = []
    for row in view.rows.itertuples():
        href = wall_html.wall_href(ctx, walls.link("policies", policy=row.policy_id), kiosk)
        figure = ctx.tr(
            "{done} of plan {planned}", done=_pct(row.progress_pct, ctx.lang), planned=_pct(row.planned_pct, ctx.lang)
        )
        # The name across the view, the figure beside its bar: beside the name, the figure left long Thai and Lao
        # names half the width, and three lines did not hold them all.
        parts.append(
            f'<div style="{wall_html.color_var(row.color)}">'
            + wall_html.row_html(row.color, row.name, href=href, lines=3)
            + '<div class="wr-barline">'
            + wall_html.bar_html(row.color, row.progress_pct, row.planned_pct)
            + f'<span class="wr-num">{esc(figure)}</span></div></div>'
        )
    projects = view.facts.get("projects")
    if projects is not None and len(projects):
        parts.append(wall_html.note("wr-small", ctx.tr("Projects furthest behind plan"), "margin-top:1vh"))
        behind = [
            wall_html.row_html(
                row.color,
                row.name,
                policies.points(row.gap, ctx.lang),
                wall_html.wall_href(ctx, walls.link("policies", policy=row.policy_id), kiosk),
                lines=2,
            )
            for row in projects.itertuples()
        ]
        parts.append(wall_html.fitted(behind))
    as_of = view.facts.get("as_of")
    if as_of is not None:
        parts.append(
            '<div class="wr-small">'
            + esc(ctx.tr("Reported for {quarter}", quarter=policies.quarter_label(as_of, ctx.country, ctx.lang)))
            + "</div>"
        )
    return "".join(parts)


def map_body(ctx: sidebar.Context, view: walls.View) -> str:
    """The provinces of the policy needing attention, coloured by how far behind plan each is."""
    rows = view.rows
    counts = walls.status_counts(rows["color"])
    line = ctx.tr("{off_track} provinces off track, {at_risk} at risk, {on_track} on track", **counts)
    behind = rows.sort_values("gap").head(3)
    worst = "".join(
        wall_html.row_html(
            r.color,
            r.name,
            ctx.tr(
                "{done} of plan {planned}", done=_pct(r.progress_pct, ctx.lang), planned=_pct(r.planned_pct, ctx.lang)
            ),
        )
        for r in behind.itertuples()
    )
    statuses = dict(zip(rows["area_id"], rows["color"], strict=True))
    svg = wall_html.svg_map(ctx.country, statuses, line, focus=view.facts["provinces"])
    return f'<div class="wr-sub">{esc(line)}</div><div class="wr-map">{svg}</div>{worst}'


def stuck_body(ctx: sidebar.Context, view: walls.View, kiosk: bool) -> str:
    """Work with no progress for several reporting periods while its plan moved on: where, how far behind, why."""
    rows = view.rows
    if rows is None or rows.empty:
        return wall_html.note("wr-empty", ctx.tr("Nothing is stuck: every policy moved last period."))
    parts = [
        '<div class="wr-sub">'
        + esc(
            ctx.tr(
                "{n} stuck; furthest behind plan first",
                n=view.facts.get("total", len(rows)),
            )
        )
        + "</div>"
    ]
    items = []  # each with its reason, shown together or not at all: four fill the view
    for row in rows.head(4).itertuples():
        item = wall_html.row_html(
            "off_track",
            row.name,
            policies.points(row.gap, ctx.lang),
            wall_html.wall_href(ctx, walls.link("policies", policy=row.policy_id), kiosk),
            lines=2,  # on one line, all four Lao names and two Thai ones were cut
        )
        why = row.why if isinstance(row.why, str) and row.why else ctx.tr("no reason reported")
        # The province on the line below, never cut: one line held policy and province, and long names lost it.
        item += f'<div class="wr-small" style="padding-left:1.6vh"><b>{esc(row.province)}</b> · {esc(why)}</div>'
        items.append(f"<div>{item}</div>")
    return "".join(parts) + wall_html.fitted(items)


def budget_body(ctx: sidebar.Context, view: walls.View) -> str:
    """Each policy's budget disbursed against what was planned to date."""
    parts = [
        '<div class="wr-sub">'
        + esc(
            ctx.tr(
                "{disbursed} disbursed of {planned} planned to date",
                disbursed=walls.money(view.facts["disbursed"], ctx.country, ctx.lang),
                planned=walls.money(view.facts["planned"], ctx.country, ctx.lang),
            )
        )
        + "</div>"
    ]
    spent = []
    for row in view.rows.itertuples():
        share = None if pd.isna(row.disbursed_share) else row.disbursed_share * 100
        spent.append(wall_html.row_html(row.color, row.name, _pct(share, ctx.lang), lines=2))
    return "".join(parts) + wall_html.fitted(spent)


def milestones_body(ctx: sidebar.Context, view: walls.View) -> str:
    """Milestones overdue or due this quarter: which share of which policy, due when."""
    rows = view.rows
    if rows is None or rows.empty:
        return wall_html.note("wr-empty", ctx.tr("No milestone is overdue or due this quarter."))
    counts = i18n.labelled(
        ((ctx.tr(policies.MILESTONE_LABELS[s]), view.facts[s]) for s in ("overdue", "due") if view.facts.get(s)),
        ctx.lang,
    )
    items = []
    for row in rows.itertuples():
        state = ctx.tr(policies.MILESTONE_LABELS.get(row.state, row.state))
        target = ctx.tr(
            "{share} by {day}", share=_pct(row.share, ctx.lang), day=periods.day_label(row.due_date, ctx.lang)
        )
        # The policy's name across the view, what was due under it: beside a date the long Lao names had half the
        # width, and were cut on one line and on two.
        items.append(
            wall_html.row_html(
                policies.MILESTONE_COLOR.get(row.state, "no_data"), row.name, small=f"{target} · {state}", lines=3
            )
        )
    # The counts first: on the wall the rows that do not fit whole are out of sight.
    return f'<div class="wr-sub">{esc(counts)}</div>' + wall_html.fitted(items)


def kpis_body(ctx: sidebar.Context, view: walls.View) -> str:
    return wall_html.view_tiles(ctx, view, "mid", trend=len(view.kpis) < 2, filling=True)


def render(ctx: sidebar.Context, wall: walls.Wall, kiosk: bool) -> None:
    """Lay the White wall out: policies (left), the map of the one needing attention, stuck work, money, milestones."""
    if not wall.views:
        wall_panels.wall_grid([], GRID_AREAS, GRID_COLUMNS, kiosk)
        return
    bodies = {
        "policies": lambda v: policies_body(ctx, v, kiosk),
        "map": lambda v: map_body(ctx, v),
        "stuck": lambda v: stuck_body(ctx, v, kiosk),
        "budget": lambda v: budget_body(ctx, v),
        "milestones": lambda v: milestones_body(ctx, v),
        "kpis": lambda v: kpis_body(ctx, v),
    }
    areas = {"milestones": "ms"}
    cards = [wall_html.wall_card(ctx, v, bodies[v.key](v), kiosk, areas.get(v.key, v.key)) for v in wall.views]
    wall_panels.wall_grid(cards, GRID_AREAS, GRID_COLUMNS, kiosk)


if __name__ == "__main__":
    if screen.is_kiosk():  # on the wall: the war room's rotation, starting here
        from views import warroom

        warroom.run(first="white")
    else:
        wall_panels.wall_page("white", render)
