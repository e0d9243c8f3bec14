"""Black wall: results against target, and the causal chain from national goal to plan target to KPI."""

from cockpit import i18n
from cockpit.data import indicators
from cockpit.meeting import walls
from cockpit.ui import screen, sidebar, wall_html, wall_panels
from cockpit.ui.wall_html import esc

GRID_AREAS = '"chain k1 k2 prov" "chain k3 k4 prov"'
GRID_COLUMNS = "1.3fr 1fr 1fr 0.95fr"
# On the wall the KPI views are wider, so that their lines of facts do not wrap and the three provinces furthest
# from target fit under them; the provinces' short names need less. A laptop keeps the provinces' column wider.
GRID_COLUMNS_KIOSK = "1.15fr 1.2fr 1.2fr 0.7fr"


OFF_TRACK_NAMED_ON_THE_WALL = 2  # a target's KPIs off track named on the wall, the rest counted: with three, the
# third goal no longer fit its view in Thai and English


def chain_body(ctx: sidebar.Context, wall: walls.Wall, kiosk: bool) -> str:
    """The KPIs' statuses counted, then each goal (X) with its plan targets (Y): status, one square per KPI (Z), and
    the KPIs off track named. On the wall the goals and targets that fit, each whole, the rest out of sight."""
    cat = indicators.catalogue(ctx.db, ctx.country)
    counts = walls.status_counts(leaf.status for root in wall.tree for leaf in root.leaves() if leaf.kind == "kpi")
    counted = ctx.tr(
        "{off_track} KPIs off track, {at_risk} at risk, {on_track} on track, {met} met, {no_data} without data",
        **counts,
    )
    items = []  # each target with its KPIs off track, the first under its goal's name: shown whole or not at all
    for goal in wall.tree:
        if goal.kind == "kpi":
            continue
        color = wall_html.color_var(goal.status)
        name = indicators.name(cat.loc[goal.indicator_id], ctx.lang)
        heading = f'<div class="wr-gname">{esc(name)}</div>'  # with its first target: never a goal's name alone
        for target in goal.children or (goal,):
            leaves = [leaf for leaf in target.leaves() if leaf.kind == "kpi"]
            squares = "".join(
                f'<span class="wr-leaf" style="{wall_html.color_var(leaf.status)}" '
                f'title="{esc(indicators.name(cat.loc[leaf.indicator_id], ctx.lang))}"></span>'
                for leaf in leaves
            )
            line = (
                f'<div class="wr-target" style="{wall_html.color_var(target.status)}"><span class="wr-dot"></span>'
                f'<span class="wr-tname">{esc(indicators.name(cat.loc[target.indicator_id], ctx.lang))}</span>'
                f'<span class="wr-leaves">{squares}</span></div>'
            )
            off = [
                indicators.name(cat.loc[leaf.indicator_id], ctx.lang) for leaf in leaves if leaf.status == "off_track"
            ]
            if off:
                line += wall_html.note("wr-red-names", off_track_names(ctx, off, kiosk))
            items.append(f'<div class="wr-goal{" wr-first" if heading else ""}" style="{color}">{heading}{line}</div>')
            heading = ""
    items.append(
        wall_html.note(
            "wr-small wr-rule",
            ctx.tr(
                "A goal or target has met its target, is on track or off track only when all its KPIs agree; "
                "when they differ it is at risk."
            ),
        )
    )
    return wall_html.note("wr-sub", counted) + wall_html.fitted(items)


def off_track_names(ctx: sidebar.Context, names: list[str], kiosk: bool) -> str:
    """'Off track: A, B, C': on the wall the first few, and how many more (a target of eight KPIs ran past its view)."""
    if kiosk and len(names) > OFF_TRACK_NAMED_ON_THE_WALL:
        shown = ", ".join(names[:OFF_TRACK_NAMED_ON_THE_WALL])
        more = len(names) - OFF_TRACK_NAMED_ON_THE_WALL
        return ctx.tr("Off track: {names} and {n} more", names=shown, n=more)
    return ctx.tr("Off track: {names}", names=", ".join(names))


def kpi_body(ctx: sidebar.Context, view: walls.View, kiosk: bool) -> str:
    """The KPI against target with its trend, how many provinces are off track, and the three furthest."""
    cat = indicators.catalogue(ctx.db, ctx.country)
    kpi = view.kpis[0]
    indicator = cat.loc[kpi.indicator_id]
    parts = [
        wall_html.indicator_name(ctx, indicator, "wr-small wr-one"),
        wall_html.kpi_html(ctx, indicator, kpi, status_in_chip=kpi.status == view.status),
    ]
    counts = {**walls.status_counts(()), **view.facts.get("provinces", {})}
    reported = sum(counts[s] for s in walls.VOTING)
    if reported:
        line = ctx.tr("{off_track} of {n} provinces off track, {at_risk} at risk", n=reported, **counts)
        parts.append(f'<div class="wr-sub">{esc(line)}</div>')
    local = i18n.local_names(ctx.country, ctx.lang)
    furthest = [
        wall_html.row_html(
            row.status,
            row.name_local if local else row.name_en,
            indicators.fmt(indicator, row.value, ctx.lang),
            wall_html.wall_href(ctx, walls.link("province", province=row.area_id), kiosk),
        )
        for row in (view.rows.itertuples() if view.rows is not None else ())
    ]
    return "".join(parts) + wall_html.fitted(furthest)


def provinces_body(ctx: sidebar.Context, view: walls.View, kiosk: bool) -> str:
    """Provinces with the most results off track, each with its count of KPIs off track and at risk."""
    rows = view.rows
    if rows is None or rows.empty:
        return wall_html.note("wr-empty", ctx.tr("No province figures for these results yet."))
    local = i18n.local_names(ctx.country, ctx.lang)
    parts = [
        '<div class="wr-small">'
        + esc(ctx.tr("Off track · at risk, of {n} results KPIs", n=view.facts.get("kpis", 0)))
        + "</div>"
    ]
    for row in rows.itertuples():
        parts.append(
            wall_html.row_html(
                row.status,
                row.name_local if local else row.name_en,
                "",
                wall_html.wall_href(ctx, walls.link("province", province=row.area_id), kiosk),
                value_html=f'<span class="wr-red">{row.off_track}</span> · <span class="wr-amber">{row.at_risk}</span>',
            )
        )
    return "".join(parts)


def render(ctx: sidebar.Context, wall: walls.Wall, kiosk: bool) -> None:
    """Lay the Black wall out: the chain on the left, four KPI views, the provinces on the right."""
    cards = [wall_html.wall_card(ctx, wall.view("chain"), chain_body(ctx, wall, kiosk), kiosk, "chain")]
    kpi_views = [v for v in wall.views if v.key.startswith("kpi:")]
    for slot, view in zip(("k1", "k2", "k3", "k4"), kpi_views, strict=False):
        cards.append(wall_html.wall_card(ctx, view, kpi_body(ctx, view, kiosk), kiosk, slot))
    provinces = wall.view("provinces")
    cards.append(wall_html.wall_card(ctx, provinces, provinces_body(ctx, provinces, kiosk), kiosk, "prov"))
    wall_panels.wall_grid(cards, GRID_AREAS, GRID_COLUMNS_KIOSK if kiosk else GRID_COLUMNS, kiosk)


if __name__ == "__main__":
    if screen.is_kiosk():  # on the wall: the war room's rotation, starting here
        from views import warroom

        warroom.run(first="black")
    else:
        wall_panels.wall_page("black", render)
