"""The Alerts page's and the Red wall's panels: counts by severity, the alert map and feed, evidence,
actions, history, the incident register."""

from __future__ import annotations

import pandas as pd
import sqlalchemy as sa
import streamlit as st

from cockpit import i18n, periods
from cockpit.alerts import evaluation, lifecycle
from cockpit.data import areas, indicators
from cockpit.documents import shown_tables
from cockpit.figures import charts, policy_charts, vega_maps
from cockpit.i18n import N_
from cockpit.review import policies, province
from cockpit.ui import forms, links, sidebar, store_status, tables, text, url_state
from cockpit.users.identity import Forbidden

SEVERITY_LABELS = lifecycle.SEVERITY_LABELS


STATE_LABELS = {
    **lifecycle.STATE_LABELS,
    "open": N_("Open (not resolved)"),
    "all": N_("All"),
}


ACTION_LABELS = {
    "acknowledge": N_("Acknowledge"),
    "start": N_("Start work"),
    "assign": N_("Assign"),
    "comment": N_("Comment"),
    "resolve": N_("Resolve"),
    "reopen": N_("Reopen"),
    "opened": N_("Opened"),
    "condition_cleared": N_("Condition cleared"),
    "condition_returned": N_("Condition returned"),
    "fired_again": N_("Fired again"),
    "recurred": N_("Came back after an earlier episode"),
    "escalated": N_("Severity raised"),
    "merged": N_("Merged into the episode that goes on"),
}

OFFICE_LABELS = {
    "school": N_("School"),
    "district": N_("District office"),
    "province": N_("Provincial office"),
    "region": N_("Regional office"),
    "country": N_("Ministry"),
}


SEVERITY_BADGE_COLORS = {"critical": "red", "high": "red", "medium": "orange", "low": "gray"}


STATE_BADGE_COLORS = {"new": "red", "acknowledged": "orange", "in_progress": "blue", "resolved": "green"}


def severity_label(ctx: sidebar.Context, severity: str) -> str:
    return ctx.tr(SEVERITY_LABELS.get(severity, severity))


def state_label(ctx: sidebar.Context, state: str) -> str:
    return ctx.tr(STATE_LABELS.get(state, state))


def severity_badge(ctx: sidebar.Context, severity: str) -> str:
    return f":{SEVERITY_BADGE_COLORS.get(severity, 'gray')}-badge[{severity_label(ctx, severity)}]"


def state_badge(ctx: sidebar.Context, state: str) -> str:
    return f":{STATE_BADGE_COLORS.get(state, 'gray')}-badge[{state_label(ctx, state)}]"


def office_label(ctx: sidebar.Context, office: str) -> str:
    return ctx.tr(OFFICE_LABELS.get(office, office))


def episode_header(ctx: sidebar.Context, alert: lifecycle.Alert, row: pd.Series) -> None:
    """Severity, state, how long the problem has lasted, who must respond, its labels, and the episode it follows."""
    period_type = row["period_type"]
    since = ctx.period(alert.period_start, period_type)
    lasted = ctx.tr(
        "Since {since}: {n} periods in breach, the latest {latest}",
        since=since,
        n=alert.periods_in_breach,
        latest=ctx.period(alert.last_period, period_type),
    )
    facts = [lasted]
    if alert.is_open and alert.periods_clear:
        facts.append(ctx.tr("judged clear for {n} periods", n=alert.periods_clear))
    facts.append(ctx.tr("{office} responds", office=office_label(ctx, row["respond"])))
    if alert.assignee:
        facts.append(ctx.tr("Assigned to {name}", name=text.plain(alert.assignee)))
    st.markdown(f"{severity_badge(ctx, alert.severity)} {state_badge(ctx, alert.state)} " + " · ".join(facts))
    labels = row["labels"] if row["labels"] is not None else ()
    if len(labels):
        st.markdown(" ".join(f":gray-badge[{text.plain(label_text(ctx, label))}]" for label in labels))
    if alert.previous_id is not None:
        st.caption(ctx.tr("The problem came back: this follows episode #{id}, resolved before.", id=alert.previous_id))


def rule_problems(ctx: sidebar.Context, errors) -> None:
    """Rule files that could not be used, with the file, rule and field, while the other rules keep working."""
    if not errors:
        return
    with st.expander(
        ctx.tr("{n} alert rule problems: those rules are not evaluated", n=len(errors)),
        icon=":material/rule:",
        expanded=False,
    ):
        st.dataframe(
            pd.DataFrame(
                [
                    {
                        ctx.tr("File"): e.file,
                        ctx.tr("Rule"): e.rule or "",
                        ctx.tr("Field"): e.field or "",
                        ctx.tr("Problem"): e.problem,
                    }
                    for e in errors
                ]
            ),
            hide_index=True,
        )


def severity_counts(ctx: sidebar.Context, open_alerts: pd.DataFrame) -> None:
    """Open alerts by severity, worst first."""
    counts = open_alerts["severity"].value_counts() if not open_alerts.empty else pd.Series(dtype=int)
    for column, severity in zip(st.columns(4), evaluation.SEVERITY_ORDER, strict=True):
        with column:
            st.metric(
                f"{severity_badge(ctx, severity)} {ctx.tr('open alerts')}", int(counts.get(severity, 0)), border=True
            )


def alert_map(ctx: sidebar.Context, shown: pd.DataFrame, provinces: pd.DataFrame, incidents: pd.DataFrame, focus=None):
    """Provinces coloured by their most severe open alert and incidents as circles, area growing with the students
    affected, as a Vega-Lite spec; its tooltips in the reader's language, fitted to the provinces `focus` names (the
    whole country when None). A click on a province selects it (vega_maps.clicked)."""
    summary = evaluation.province_summary(shown)
    rows = pd.DataFrame(
        {
            "name": [areas.name(row, ctx.country, ctx.lang) for _code, row in provinces.iterrows()],
            "open_alerts": [
                i18n.number(int(summary["open"].get(code, 0)) if code in summary.index else 0, ctx.lang)
                for code in provinces.index
            ],
        },
        index=provinces.index,
    )
    worst = summary["worst"].to_dict()
    # In the alerts' own colours; a province without an open alert pale grey, as no status at all
    rows["fill"] = [
        vega_maps.hex_of(evaluation.SEVERITY_COLORS[worst[c]]) if c in worst else vega_maps.NO_DATA for c in rows.index
    ]
    local = i18n.local_names(ctx.country, ctx.lang)
    points = pd.DataFrame(
        {
            "lon": incidents["lon"].astype(float),
            "lat": incidents["lat"].astype(float),
            "students": incidents["students_affected"].clip(lower=0).astype(float),
            "what": [ctx.tr(INCIDENT_LABELS.get(t, t)) for t in incidents["type"]],
            "where": incidents["district_name_local" if local else "district_name_en"],
            "affected": [
                ctx.tr(
                    "{schools} schools, {students} students affected",
                    schools=i18n.number(sc, ctx.lang),
                    students=i18n.number(st_, ctx.lang),
                )
                for sc, st_ in zip(incidents["schools_affected"], incidents["students_affected"], strict=True)
            ],
        }
    )
    circles = vega_maps.circles(
        points, "students", [("what", ctx.tr("What")), ("where", ctx.tr("Where")), ("affected", " ")]
    )
    return vega_maps.choropleth(
        ctx.country,
        "province",
        rows,
        tooltip=[("name", ctx.tr("Province")), ("open_alerts", ctx.tr("Open alerts"))],
        lang=ctx.lang,
        height=560,
        focus=focus,
        above=[circles] if len(points) else [],
    )


# The feed's columns in the two thirds of a laptop's main column (592 px, its row pickers 35). The place is as wide
# as its names need, up to PLACE_MOST_PX, taken from the title ("Ubon Ratchathani" was cut; Thai and Lao names fit).
FEED_PX = {"severity": 80, "title": 190, "place": 90, "since": 95, "state": 100}
PLACE_MOST_PX = 120  # most English provinces' names, the titles keeping 160 px: three lines at most in th, lo, en


def alert_feed(ctx: sidebar.Context, shown: pd.DataFrame) -> int | None:
    """The alerts as a sortable table; returns the id of the row the reader selected, if any."""
    if shown.empty:
        st.info(ctx.tr("No alerts match these filters."), icon=":material/check_circle:")
        return None
    # In the two thirds of a laptop's 1366 px, the title had 105 px ("โรงเรียนปิดเนื่องจ"): it gets what the state and
    # assignee gave up by sharing a column, and wraps between words, as do the period and the state (rows as tall
    # as the most lines need).
    place_px = tables.name_column_px(ctx.tr("Where"), shown["place"], FEED_PX["place"], PLACE_MOST_PX)
    widths = FEED_PX | {"place": place_px, "title": FEED_PX["title"] + FEED_PX["place"] - place_px}
    titles, _ = tables.wrapped(shown["rule_title"], widths["title"], most_lines=4)
    since, _ = tables.wrapped(
        [ctx.period(p, t) for p, t in zip(shown["period_start"], shown["period_type"], strict=True)], widths["since"]
    )
    states, _ = tables.wrapped([state_label(ctx, s) for s in shown["state"]], widths["state"])
    assignees, _ = tables.wrapped(shown["assignee"].fillna(""), widths["state"])
    table = pd.DataFrame(
        {
            "id": shown["id"],
            "severity": [severity_label(ctx, s) for s in shown["severity"]],
            "title": titles,
            "place": links.province_cells(ctx, shown["province_id"], shown["place"]),  # opens the province's review
            "since": since,
            "periods": shown["periods_in_breach"],
            "state": [f"{s}\n{a}" if a else s for s, a in zip(states, assignees, strict=True)],
            "first_seen": [periods.day_label(t, ctx.lang) for t in shown["first_seen_at"]],
        }
    )
    row_px = tables.lines_row_px([*table["title"], *table["since"], *table["state"]], most_lines=4)
    event = st.dataframe(
        table,
        hide_index=True,
        height=tables.fit_height(len(table), 640, row_px),
        row_height=row_px,
        on_select="rerun",
        selection_mode="single-row",
        key=tables.selection_key("alert_feed", table["id"]),
        # What a laptop's 1366 px shows of each alert; its number, periods in breach and first sighting are in its
        # detail, a click away.
        column_order=["severity", "title", "place", "since", "state"],
        column_config={
            "severity": st.column_config.TextColumn(ctx.tr("Severity"), width=widths["severity"]),
            "title": st.column_config.TextColumn(ctx.tr("Alert"), width=widths["title"]),
            "place": links.column(ctx.tr("Where"), width=widths["place"]),
            "since": st.column_config.TextColumn(ctx.tr("Since"), width=widths["since"]),
            "state": st.column_config.TextColumn(
                ctx.tr("State"), width=widths["state"], help=ctx.tr("The alert's state, and who it is assigned to")
            ),
        },
    )
    rows = event.selection.rows if event is not None else []
    return int(table.iloc[rows[0]]["id"]) if rows else None


def url_alert_id(selected: int | None, known: set[int]) -> int | None:
    """The alert to show in detail: the one just selected, else ?alert=ID from the URL if it exists."""
    return url_state.picked_or_linked(
        "alert",
        selected,
        known,
        N_("The link asks for alert {id}, which does not exist or is not yours to see."),
        parse=lambda raw: int(raw) if raw.isascii() and raw.isdigit() else None,  # '¹' is a digit to Python
    )


PICKED_ALERT = "alert_picked"  # the alert last picked in the feed


def opened_by_link(selected: int | None, alert_id: int | None) -> bool:
    """Whether the alert shown is one a link opened the page about (an e-mail's, a province's), not one picked in the
    feed: a pick is kept, so that the feed filtered under it (its row gone, the pick with it) still tells it there."""
    if selected is not None:
        st.session_state[PICKED_ALERT] = selected
        return False
    return alert_id is not None and alert_id != st.session_state.get(PICKED_ALERT)


def evidence_figure(ctx: sidebar.Context, indicator: pd.Series, series: pd.DataFrame, alert: lifecycle.Alert):
    """The indicator's series for the alert's area, with its target and the threshold the alert crossed."""
    labels = [ctx.period(p, t) for p, t in zip(series["period_start"], series["period_type"], strict=True)]
    starts = [periods.as_date(p) for p in series["period_start"]]
    highlight = starts.index(alert.period_start) if alert.period_start in starts else None
    return charts.evidence(
        labels,
        [None if pd.isna(v) else float(v) for v in series["value"]],
        [None if pd.isna(v) else float(v) for v in series["target"]],
        list(series["status"]),
        value_name=indicators.name(indicator, ctx.lang),
        target_name=ctx.tr("Target"),
        threshold=alert.threshold if alert.detail.get("kind") not in ("trend", "outlier") else None,
        threshold_name=ctx.tr("Alert threshold"),
        highlight=highlight,
        lang=ctx.lang,
    )


def incident_table(ctx: sidebar.Context, incidents: pd.DataFrame) -> pd.DataFrame:
    """The incident register as the reader sees it: type, dates, place, schools and students affected, status."""
    local = i18n.local_names(ctx.country, ctx.lang)
    return pd.DataFrame(
        {
            ctx.tr("Type"): [ctx.tr(INCIDENT_LABELS.get(t, t)) for t in incidents["type"]],
            ctx.tr("Started"): [periods.day_label(d, ctx.lang) for d in incidents["started_at"]],
            ctx.tr("Ended"): [
                periods.day_label(d, ctx.lang) if not pd.isna(d) else ctx.tr("ongoing") for d in incidents["ended_at"]
            ],
            ctx.tr("District"): incidents["district_name_local" if local else "district_name_en"],
            ctx.tr("Province"): links.province_cells(
                ctx, incidents["province_id"], incidents["province_name_local" if local else "province_name_en"]
            ),
            ctx.tr("Schools affected"): incidents["schools_affected"],
            ctx.tr("Students affected"): incidents["students_affected"],
            ctx.tr("Severity"): [severity_label(ctx, s) for s in incidents["severity"]],
            ctx.tr("Status"): [ctx.tr(INCIDENT_STATUS_LABELS.get(s, s)) for s in incidents["status"]],
            ctx.tr("Response"): incidents["response"].fillna(""),
        }
    )


REGISTER_WINDOWS = {
    "active": N_("Still active"),
    "quarter": N_("Last 3 months"),
    "year": N_("Last 12 months"),
}


SHOWN_INCIDENT = "incident_shown"  # the incident last picked in the register or told over the page


def incident_register(ctx: sidebar.Context, year: pd.DataFrame, today) -> None:
    """The incidents of the last 12 months: those still active unless the reader asks for more (a year's register
    runs to thousands of rows, sent to every browser that opens the page), and the whole year as a download; the
    incident picked (kept in the URL as ?incident=) told whole under it."""
    window = st.segmented_control(
        ctx.tr("Show"),
        list(REGISTER_WINDOWS),
        default="active",
        format_func=lambda w: ctx.tr(REGISTER_WINDOWS[w]),
        key="incident_window",
    )
    shown = register_window(year, window or "active", today)
    picked = show_incidents(ctx, shown, pick="incident_register")  # ten rows, then it scrolls; fewer take their height
    caption, download = st.columns([3, 1], vertical_alignment="center")
    caption.caption(
        ctx.tr(
            "{n} incidents in the last 12 months; {active} still active.",
            n=i18n.number(len(year), ctx.lang),
            active=i18n.number(int(year["active"].sum()) if not year.empty else 0, ctx.lang),
        )
    )
    download.download_button(
        ctx.tr("Download the 12 months"),
        data=lambda: register_csv(ctx, year),  # made on the click, not on every rerun
        file_name=f"incidents_{ctx.country}_{today.isoformat()}.csv",
        mime="text/csv",
        icon=":material/download:",
        on_click="ignore",
    )
    if picked is not None:  # told under the register, where the reader picked it
        st.session_state[SHOWN_INCIDENT] = picked
    incident_detail(ctx, year, url_incident_id(picked, set(year["incident_id"])))


def register_window(year: pd.DataFrame, window: str, today) -> pd.DataFrame:
    """The year's incidents narrowed to a window: still active, started in the last 3 months, or all of them."""
    if window == "active":
        return year[year["active"]]
    if window == "quarter":
        return year[pd.to_datetime(year["started_at"]) >= pd.Timestamp(today) - pd.DateOffset(months=3)]
    return year


def register_csv(ctx: sidebar.Context, year: pd.DataFrame) -> bytes:
    """The register as the page names its columns, in UTF-8 with a byte-order mark so that Excel reads Thai and Lao,
    and a response that starts like a formula written as text."""
    table = incident_table(ctx, year)
    province = ctx.tr("Province")
    local = i18n.local_names(ctx.country, ctx.lang)
    table[province] = year["province_name_local" if local else "province_name_en"].to_numpy()  # a name, not a link
    return shown_tables.csv_bytes(table)


def show_incidents(ctx: sidebar.Context, incidents: pd.DataFrame, pick: str | None = None) -> str | None:
    """Incidents as a table, their counts of schools and students grouped as the reader's locale groups them. With a
    `pick` key, a row can be picked: returns the picked incident's id, if any."""
    table = incident_table(ctx, incidents)
    counts = {ctx.tr("Schools affected"): 0, ctx.tr("Students affected"): 0}
    # Where every incident listed is ongoing (the register's default window), "Ended" says nothing: left out.
    shown = [c for c in table.columns if c != ctx.tr("Ended") or incidents["ended_at"].notna().any()]
    pickable = (
        dict(on_select="rerun", selection_mode="single-row", key=tables.selection_key(pick, incidents["incident_id"]))
        if pick
        else {}
    )
    event = st.dataframe(
        tables.localized(table, ctx.lang, numbers=counts),
        hide_index=True,
        column_order=shown,
        column_config=incident_columns(ctx, table[shown], picker=bool(pick)),
        **pickable,
    )
    rows = event.selection.rows if pick and event is not None else []
    return str(incidents.iloc[rows[0]]["incident_id"]) if rows else None


# The register in a laptop's main column: 906 px less the grid's border, less its row pickers (35 px) where it has
# them. Each column as wide as its heading and cells need, the places' names narrowed first (to 90 px at least) so
# that the response keeps 100 px: at fixed widths, 13 English districts were cut ("Mueang Khon Kaen"). A response
# longer than its column is whole in the incident's detail.
REGISTER_PX, PICKER_PX, RESPONSE_LEAST_PX, NAME_LEAST_PX = 904, 35, 100, 90
REGISTER_LEAST_PX = {
    "Type": 70,
    "Started": 85,
    "Ended": 85,
    "District": NAME_LEAST_PX,
    "Province": NAME_LEAST_PX,
    "Schools affected": 60,
    "Students affected": 65,
    "Severity": 60,
    "Status": 70,
}
SHORT_HEADINGS = {"Schools affected": N_("Schools"), "Students affected": N_("Students")}  # the rest in their help


def incident_columns(ctx: sidebar.Context, table: pd.DataFrame, picker: bool = False) -> dict:
    """The columns of incident_table, those `table` has, at widths that fit them in a laptop's 1366 px."""
    widths = {}
    for name, least in REGISTER_LEAST_PX.items():
        if ctx.tr(name) not in table.columns:
            continue
        column = table[ctx.tr(name)]
        if name == "Province":
            column = [links.cell_text(c) for c in column]
        elif name in SHORT_HEADINGS:
            column = [i18n.number(v, ctx.lang) for v in column]
        widths[name] = tables.text_column_px(ctx.tr(SHORT_HEADINGS.get(name, name)), column, least, bold=False)
    room = REGISTER_PX - (PICKER_PX if picker else 0)
    places = {k: widths[k] for k in ("District", "Province")}
    others = sum(widths.values()) - sum(places.values())
    widths |= tables.shared_widths(places, room - RESPONSE_LEAST_PX - others, NAME_LEAST_PX)
    widths["Response"] = max(RESPONSE_LEAST_PX, room - sum(widths.values()))
    config = {ctx.tr(name): st.column_config.Column(width=width) for name, width in widths.items()}
    # "Schools affected" is 135 px in Thai and Lao over a count 4 digits wide: the short word, the rest in its help.
    for name, short in SHORT_HEADINGS.items():
        config[ctx.tr(name)] = st.column_config.Column(ctx.tr(short), width=widths[name], help=ctx.tr(name))
    config[ctx.tr("Province")] = links.column(ctx.tr("Province"), width=widths["Province"])
    return config


def url_incident_id(picked: str | None, known: set[str]) -> str | None:
    """The incident to tell whole: the one just picked, else ?incident=ID from the URL if the register has it."""
    return url_state.picked_or_linked(
        "incident",
        picked,
        known,
        N_("The link asks for incident {id}, which is not in the last 12 months' register or not yours to see."),
    )


def incident_detail(ctx: sidebar.Context, year: pd.DataFrame, incident_id: str | None) -> None:
    """One incident told whole under the register: what, where, when, how many affected, and what happened and what
    is being done (the register's response column cuts a long one). One that a link opened the page about (a wall's),
    not picked here, is told at once over the page too: below the feed, the reader would not see it."""
    if incident_id is None:
        st.caption(ctx.tr("Pick an incident to read what happened and the response whole."))
        return
    row = year.set_index("incident_id").loc[incident_id]
    local = i18n.local_names(ctx.country, ctx.lang)
    kind = ctx.tr(INCIDENT_LABELS.get(row["type"], row["type"]))
    place = (
        f"{row['district_name_local' if local else 'district_name_en']}, "
        + (row["province_name_local" if local else "province_name_en"])
    )
    title = text.plain(f"{kind} · {place}")
    with st.container(border=True, key="incident_detail"):
        st.subheader(title)
        incident_facts(ctx, row)
    if st.session_state.get(SHOWN_INCIDENT) != incident_id:  # once: closed, it stays closed
        st.session_state[SHOWN_INCIDENT] = incident_id
        st.dialog(title, width="large")(incident_facts)(ctx, row)


def incident_facts(ctx: sidebar.Context, row: pd.Series) -> None:
    """An incident's dates, schools and students affected, severity and status, then what happened and the response,
    as typed (plain text)."""
    ended = ctx.tr("ongoing") if pd.isna(row["ended_at"]) else periods.day_label(row["ended_at"], ctx.lang)
    facts = [
        f"{periods.day_label(row['started_at'], ctx.lang)} – {ended}",
        ctx.tr(
            "{schools} schools, {students} students affected",
            schools=i18n.number(row["schools_affected"], ctx.lang),
            students=i18n.number(row["students_affected"], ctx.lang),
        ),
        severity_label(ctx, row["severity"]),
        ctx.tr(INCIDENT_STATUS_LABELS.get(row["status"], row["status"])),
    ]
    st.caption(text.plain(" · ".join(facts)))
    for heading, value, missing in (
        (N_("What happened"), row["description"], N_("No description recorded.")),
        (N_("Response"), row["response"], N_("No response recorded yet.")),
    ):
        st.markdown("**" + ctx.tr(heading) + "**")
        st.markdown(text.plain(value) if isinstance(value, str) and value.strip() else ctx.tr(missing))


INCIDENT_LABELS = {
    "flood": N_("Flood"),
    "haze": N_("Haze"),
    "storm": N_("Storm"),
    "drought": N_("Drought"),
    "violence": N_("Violence"),
    "building_damage": N_("Building damage"),
    "epidemic": N_("Epidemic"),
    "fire": N_("Fire"),
    "other": N_("Other"),
}


# The label names and values the shipped rules use, in the reader's language; others show as their rule writes them.
LABEL_NAMES = {"wall": N_("Wall"), "hazard": N_("Hazard"), "data": N_("Data"), "policy": N_("Policy")}
LABEL_VALUES = {
    "wall": province.WALL_LABELS,
    "hazard": INCIDENT_LABELS,
    "data": {"completeness": N_("Completeness"), "quality": N_("Quality")},
}


def label_text(ctx: sidebar.Context, label: str) -> str:
    """A rule's label ("wall: red", as the feed keeps it) for the reader: "Wall: Crises", "ผนัง: วิกฤต"."""
    name, colon, value = label.partition(": ")
    if not colon:
        return label
    name_text = ctx.tr(LABEL_NAMES[name]) if name in LABEL_NAMES else name
    values = LABEL_VALUES.get(name, {})
    return f"{name_text}: {ctx.tr(values[value]) if value in values else value}"


INCIDENT_STATUS_LABELS = {"active": N_("Active"), "recovering": N_("Recovering"), "closed": N_("Closed")}


def alert_actions(ctx: sidebar.Context, engine, alert: lifecycle.Alert, area_ids: list[str]) -> None:
    """Acknowledge, start, assign, comment, resolve or reopen: each recorded with who, when and a note."""
    possible = [a for a, moves in lifecycle.TRANSITIONS.items() if alert.state in moves]
    # The version the reader saw when the form was drawn: the rerun that handles the submit has already read
    # the alert again, so sending its version would overwrite whatever someone else did in between.
    seen_key = f"alert_{alert.id}_seen_version"
    seen = st.session_state.get(seen_key, alert.version)
    if not ctx.identity.can("act_alerts"):
        st.caption(ctx.tr("The provincial and regional offices act on their alerts; your role reads them."))
        return
    if st.session_state.pop("alert_recorded", False):
        forms.emptied("alert_note")
    with st.form(f"act_{alert.id}", border=True):
        st.markdown("**" + ctx.tr("Act on this alert") + "**")
        actor = forms.acting_as(ctx)
        action = st.segmented_control(
            ctx.tr("Action"),
            possible,
            format_func=lambda a: ctx.tr(ACTION_LABELS[a]),
            default=possible[0],
            required=True,
            key="alert_action",
        )
        assignee = st.text_input(ctx.tr("Assign to (for Assign)"), value=alert.assignee or "", key="alert_assignee")
        note = st.text_area(ctx.tr("Note"), placeholder=ctx.tr("What was done, decided or found"), key="alert_note")
        submitted = st.form_submit_button(ctx.tr("Record"), type="primary", key="alert_record")
    if not submitted:
        st.session_state[seen_key] = alert.version
        return
    try:
        lifecycle.act(
            engine,
            alert.id,
            action,
            actor,
            note=note.strip() or None,
            assignee=assignee.strip() or None if action == "assign" else None,
            expected_version=seen,
            area_ids=area_ids,
        )
    except lifecycle.StaleAlert:
        # Nothing recorded; what was typed stays in the form, and the alert above is as it stands now.
        st.session_state[seen_key] = alert.version
        st.warning(ctx.tr("Someone else acted on this alert since you opened it; here it is as it stands now."))
        return
    except Forbidden as exc:
        forms.refused(ctx, exc)
        return
    except lifecycle.ActionError as exc:  # what was typed stays in the form
        st.error(ctx.tr("Not recorded: {reason}", reason=ctx.tr(exc.message, **exc.values)))
        return
    except sa.exc.SQLAlchemyError as exc:  # the store failed under the write: nothing recorded, the form as typed
        store_status.not_recorded(ctx.tr, exc)
        return
    st.toast(ctx.tr("Recorded."), icon=":material/check:")
    st.session_state["alert_recorded"] = True  # the next run empties the note
    st.rerun()


def policy_evidence_figure(ctx: sidebar.Context, alert: lifecycle.Alert):
    """A stalled policy's progress in the alert's province against its plan, quarter by quarter."""
    config = policies.load_config()
    rows = policies.progress(ctx.db, ctx.country, ctx.scope, config)
    own = policies.series(rows, alert.subject, alert.area_id)
    labels = [policies.quarter_label(p, ctx.country, ctx.lang) for p in own["period_start"]]
    return policy_charts.progress_figure(
        labels,
        list(own["progress_pct"]),
        list(own["planned_pct"]),
        list(own["status"]),
        None,
        {"plan": ctx.tr("Plan"), "progress": ctx.tr("Progress"), "comparison": ""},
        lang=ctx.lang,
    )


def alert_history(ctx: sidebar.Context, events: list[lifecycle.Event]) -> None:
    """Every step of the alert, newest first: when, who, what, and the note."""
    for event in reversed(events):
        what = ctx.tr(ACTION_LABELS.get(event.action, event.action))
        if event.to_state and event.from_state != event.to_state:
            what += f" → {state_label(ctx, event.to_state)}"
        if event.assignee:
            what += " · " + ctx.tr("Assigned to {name}", name=event.assignee)
        who = ctx.tr("system") if event.actor == lifecycle.SYSTEM else event.actor
        if event.reconstructed:  # from the replay of past month-ends, not seen happening
            who += " · " + ctx.tr("reconstructed")
        # Names and notes are what people typed: shown as typed, never as links or images in an audit trail.
        st.markdown(
            f"**{periods.day_label(event.at, ctx.lang)} {event.at:%H:%M}** · {text.plain(who)} · {text.plain(what)}"
        )
        if event.note:
            st.caption(text.plain(event.note))
