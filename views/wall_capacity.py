"""Blue wall: capacity and resources: teachers, training by sex, budget, facilities, books, and the data's health."""

from cockpit import i18n
from cockpit.data import indicators
from cockpit.meeting import walls
from cockpit.ui import screen, sidebar, wall_html, wall_panels
from cockpit.ui.wall_html import esc

GRID_AREAS = '"teachers training budget" "facilities resources data"'
GRID_COLUMNS = "1fr 1fr 1fr"


def tiles(ctx: sidebar.Context, view: walls.View, filling: bool) -> str:
    """The view's KPIs side by side, each with its name, figure, target, change and trend."""
    size = "big" if len(view.kpis) == 1 else "mid"
    return wall_html.view_tiles(ctx, view, size, across=max(1, len(view.kpis)), filling=filling)


def provinces(ctx: sidebar.Context, view: walls.View, kiosk: bool, heading: str) -> str:
    """The provinces furthest off target for the view's KPI, linking to each province."""
    if view.rows is None or view.rows.empty:
        return ""
    cat = indicators.catalogue(ctx.db, ctx.country)
    local = i18n.local_names(ctx.country, ctx.lang)
    parts = [f'<div class="wr-small">{esc(heading)}</div>']
    for row in view.rows.itertuples():
        parts.append(
            wall_html.row_html(
                row.status,
                row.name_local if local else row.name_en,
                indicators.fmt(cat.loc[row.indicator_id], row.value, ctx.lang),
                wall_html.wall_href(ctx, walls.link("province", province=row.area_id), kiosk),
            )
        )
    return "".join(parts)


def body(ctx: sidebar.Context, view: walls.View, kiosk: bool) -> str:
    parts = []  # what follows the KPIs: a view with none is theirs whole
    if view.key == "budget" and view.kpis and view.kpis[0].denominator:
        kpi = view.kpis[0]
        parts.append(
            '<div class="wr-sub">'
            + esc(
                ctx.tr(
                    "{disbursed} disbursed of {planned} planned to date",
                    disbursed=walls.money(kpi.numerator, ctx.country, ctx.lang),
                    planned=walls.money(kpi.denominator, ctx.country, ctx.lang),
                )
            )
            + "</div>"
        )
    if view.key == "data":
        late = view.facts.get("late", [])
        if late:
            cat = indicators.catalogue(ctx.db, ctx.country)
            names = ", ".join(indicators.name(cat.loc[i], ctx.lang) for i in late[:3] if i in cat.index)
            line = ctx.tr("{n} sources overdue: {names}", n=len(late), names=names)
        else:
            line = ctx.tr("Every source on these walls delivered on time.")
        parts.append(f'<div class="wr-sub">{esc(line)}</div>')
        parts.append(provinces(ctx, view, kiosk, ctx.tr("Lowest reporting:")))
    elif len(view.kpis) == 1:
        parts.append(provinces(ctx, view, kiosk, ctx.tr("Furthest off target:")))
    return tiles(ctx, view, filling=not any(parts)) + "".join(parts)


def render(ctx: sidebar.Context, wall: walls.Wall, kiosk: bool) -> None:
    """Lay the Blue wall out: six views, each a question with its KPIs."""
    cards = [wall_html.wall_card(ctx, view, body(ctx, view, kiosk), kiosk, view.key) for view in wall.views]
    wall_panels.wall_grid(cards, GRID_AREAS, GRID_COLUMNS, kiosk)


if __name__ == "__main__":
    if screen.is_kiosk():  # on the wall: the war room's rotation, starting here
        from views import warroom

        warroom.run(first="blue")
    else:
        wall_panels.wall_page("blue", render)
