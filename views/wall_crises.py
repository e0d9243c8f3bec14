"""Red wall: crises and alerts: open alerts by severity and who acts on them, incidents and where they are."""

from cockpit import i18n, periods
from cockpit.meeting import walls
from cockpit.ui import alert_panels, screen, sidebar, wall_html, wall_panels
from cockpit.ui.wall_html import esc

GRID_AREAS = '"alerts map inc k1" "acting map inc k2"'
GRID_COLUMNS = "1fr 1.3fr 1.1fr 0.95fr"


def alerts_body(ctx: sidebar.Context, view: walls.View) -> str:
    """Open alerts by severity, how many nobody has taken yet, and when the rules last ran (or why they cannot)."""
    facts = view.facts
    reason = facts.get("error")  # four_walls.NO_STORE or NO_RULES: a message id
    if reason:
        return (
            wall_html.note("wr-empty", ctx.tr("The alerts cannot be read just now."))
            + wall_html.note("wr-small", ctx.tr(reason))
            + wall_html.note("wr-sub", ctx.tr("This wall still shows incidents and indicators."))
        )
    counts = facts.get("counts", {})
    cells = "".join(
        f'<div class="wr-count" style="{wall_html.color_var(walls.SEVERITY_STATUS[s] if n else "on_track")}">'
        f'<div class="wr-mid">{i18n.number(n, ctx.lang)}</div>'
        f'<div class="wr-sub"><span class="wr-dot"></span> {esc(alert_panels.severity_label(ctx, s))}</div></div>'
        for s, n in counts.items()
    )
    lines = [
        ctx.tr(
            "{open} open alerts · {untaken} not yet taken by anyone",
            open=i18n.number(facts.get("open", 0), ctx.lang),
            untaken=i18n.number(facts.get("untaken", 0), ctx.lang),
        )
    ]
    evaluated = facts.get("evaluated")
    if evaluated is None:
        lines.append(ctx.tr("The alert rules have not run yet for this country."))
    else:
        lines.append(ctx.tr("Rules last evaluated on {day}", day=periods.day_label(evaluated.at, ctx.lang)))
    return f'<div class="wr-counts">{cells}</div>' + "".join(f'<div class="wr-sub">{esc(t)}</div>' for t in lines)


def map_body(ctx: sidebar.Context, view: walls.View) -> str:
    """Provinces coloured by their worst open incident, circles sized by students affected; totals by type."""
    where = view.rows
    # Provinces in scope without an open incident are on track; the rest by their worst incident.
    statuses = {code: "on_track" for code in view.facts["provinces"]}
    statuses.update(zip(where["area_id"], where["status"], strict=True))
    facts = view.facts
    summary = ctx.tr(
        "{n} incidents open: {schools} schools, {students} students affected",
        n=i18n.number(facts["incidents"], ctx.lang),
        schools=i18n.number(facts["schools"], ctx.lang),
        students=i18n.number(facts["students"], ctx.lang),
    )
    legend = "".join(
        f"<span>{esc(ctx.tr(alert_panels.INCIDENT_LABELS.get(t.type, t.type)))} "
        f"<b>{i18n.number(t.incidents, ctx.lang)}</b> · {i18n.number(t.students, ctx.lang)}</span>"
        for t in facts["by_type"].head(4).itertuples()
    )
    svg = wall_html.svg_map(ctx.country, statuses, summary, facts["points"], focus=facts["provinces"])
    return (
        f'<div class="wr-sub">{esc(summary)}</div><div class="wr-map">{svg}</div><div class="wr-legend">{legend}</div>'
    )


def incidents_body(ctx: sidebar.Context, view: walls.View, kiosk: bool) -> str:
    """The incidents affecting the most students: type and place, students, since when, and the response."""
    rows = view.rows
    if rows is None or rows.empty:
        return wall_html.note("wr-empty", ctx.tr("No incidents open or closed in the last 30 days."))
    local = i18n.local_names(ctx.country, ctx.lang)
    items = []  # an incident with its response: shown together, or not at all when the view is full
    for row in rows.itertuples():
        kind = ctx.tr(alert_panels.INCIDENT_LABELS.get(row.type, row.type))
        place = f"{row.district_name_local if local else row.district_name_en}, " + (
            row.province_name_local if local else row.province_name_en
        )
        # The severity in words: critical and high share a colour, and the rows are ordered by it first.
        severity = alert_panels.severity_label(ctx, row.severity)
        state = ctx.tr(alert_panels.INCIDENT_STATUS_LABELS.get(row.status, row.status))
        since = ctx.tr("since {day}", day=periods.day_label(row.started_at, ctx.lang))
        # The kind opens the incident told whole (under the Alerts page's register: what happened, all of the
        # response), the place its province.
        incident_href = wall_html.wall_href(ctx, walls.link("alerts", incident=row.incident_id), kiosk)
        province_href = wall_html.wall_href(ctx, walls.link("province", province=row.province_id), kiosk)
        item = wall_html.row_html(
            walls.SEVERITY_STATUS.get(row.severity, "at_risk") if row.status != "closed" else "on_track",
            f"{kind} · {place}",
            i18n.number(row.students_affected, ctx.lang),
            small=f"{severity} · {state}, {since}",
            lines=3,  # the severity, state and day: on one line they were cut in every language, on two in English
            label_html=f'<a href="{esc(incident_href)}">{esc(kind)}</a> · '
            f'<a href="{esc(province_href)}">{esc(place)}</a>',
        )
        if isinstance(row.response, str) and row.response:
            item += f'<div class="wr-small" style="padding-left:1.6vh">{esc(row.response)}</div>'
        items.append(f"<div>{item}</div>")
    return wall_html.fitted(items) + wall_html.note(
        "wr-small", ctx.tr("Students affected; most severe first, then most students.")
    )


def acting_body(ctx: sidebar.Context, view: walls.View) -> str:
    """Each alert's state and who is acting on it; the ones nobody has taken first."""
    if view.facts.get("error"):
        return wall_html.note("wr-empty", ctx.tr("The alerts cannot be read just now."))
    rows = view.rows
    if rows is None or rows.empty:
        return wall_html.note("wr-empty", ctx.tr("No alerts recorded for these provinces."))
    states = view.facts.get("states", {})
    summary = i18n.labelled(((alert_panels.state_label(ctx, s), n) for s, n in states.items() if n), ctx.lang)
    acting = []
    for row in rows.itertuples():
        title = getattr(row, "rule_title", None) or row.title
        who = row.assignee if isinstance(row.assignee, str) and row.assignee else ctx.tr("nobody yet")
        status = "on_track" if row.state == "resolved" else walls.SEVERITY_STATUS.get(row.severity, "at_risk")
        acting.append(
            wall_html.row_html(
                status,
                f"{title} · {row.place}" if isinstance(row.place, str) and row.place else title,
                alert_panels.state_label(ctx, row.state),
                small=ctx.tr("acting: {who}", who=who),
                lines=2,  # on one line, who acts (the view's question) was cut in every language
            )
        )
    return f'<div class="wr-sub">{esc(summary)}</div>' + wall_html.fitted(acting)


def kpis_body(ctx: sidebar.Context, view: walls.View) -> str:
    """The crisis KPIs side by side: figure, target, change and trend."""
    size = "mid" if len(view.kpis) > 1 else "big"
    return wall_html.view_tiles(ctx, view, size, across=max(1, len(view.kpis)), filling=True)


def render(ctx: sidebar.Context, wall: walls.Wall, kiosk: bool) -> None:
    """Lay the Red wall out: alerts and who acts (left), the map, the incidents, the crisis KPIs (right)."""
    cards = [
        wall_html.wall_card(ctx, wall.view("alerts"), alerts_body(ctx, wall.view("alerts")), kiosk, "alerts"),
        wall_html.wall_card(ctx, wall.view("map"), map_body(ctx, wall.view("map")), kiosk, "map"),
        wall_html.wall_card(
            ctx, wall.view("incidents"), incidents_body(ctx, wall.view("incidents"), kiosk), kiosk, "inc"
        ),
        wall_html.wall_card(ctx, wall.view("acting"), acting_body(ctx, wall.view("acting")), kiosk, "acting"),
    ]
    kpi_views = [v for v in wall.views if v.key.startswith("kpi:")]
    for slot, view in zip(("k1", "k2"), kpi_views, strict=False):
        cards.append(wall_html.wall_card(ctx, view, kpis_body(ctx, view), kiosk, slot))
    wall_panels.wall_grid(cards, GRID_AREAS, GRID_COLUMNS, kiosk)


if __name__ == "__main__":
    if screen.is_kiosk():  # on the wall: the war room's rotation, starting here
        from views import warroom

        warroom.run(first="red")
    else:
        wall_panels.wall_page("red", render)
