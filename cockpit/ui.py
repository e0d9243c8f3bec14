"""Shared Streamlit widgets: the sidebar's country and language, URL-backed choices, status cards, data problems.

The only module of cockpit/ that imports streamlit (pages lay out; the rest of cockpit/ is plain Python).
"""

from __future__ import annotations

import base64 as _base64
import functools as _functools
import html as _html
import math as _math
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from urllib.parse import parse_qsl as _parse_qsl
from urllib.parse import urlencode as _urlencode

import pandas as pd
import streamlit as st
from sqlalchemy import exc as sa_exc

from cockpit import clock as _clock
from cockpit import i18n, periods, settings
from cockpit.alerts import evaluation, lifecycle, rules
from cockpit.data import areas, db, indicators
from cockpit.data import geo as _geo
from cockpit.data.access import Scope
from cockpit.data.db import Database, NoData
from cockpit.data.extracts import ExtractError
from cockpit.figures import charts, maps
from cockpit.i18n import N_
from cockpit.meeting import decisions as _decisions
from cockpit.meeting import walls as _walls
from cockpit.meeting import warroom as _warroom
from cockpit.review import policies, province
from cockpit.state import store

NOTICES_KEY = "cockpit_notices"


@dataclass(frozen=True)
class Context:
    """What every page needs: the data, the country, the reader's language and scope."""

    db: Database
    country: str
    lang: str
    scope: Scope

    def tr(self, message: str, **values) -> str:
        return i18n.tr(self.lang, message, **values)

    def period(self, start, period_type: str) -> str:
        return periods.label(start, period_type, self.country, self.lang)


def _notice(message: str) -> None:
    """A warning about the URL, at the top of the page (where ui.context() kept room for it)."""
    box = st.session_state.get(NOTICES_KEY)
    (box or st).warning(message, icon=":material/link_off:")


def url_choice(
    name: str,
    options: Sequence[str],
    default: str,
    label: str,
    format_func: Callable[[str], str] = str,
    lang: str = "en",
    widget=None,
    **widget_args,
) -> str:
    """A select widget whose value lives in the URL (?name=value), so a link reproduces the view.

    A value in the URL that is not among the options is reported, not obeyed, and replaced by
    the default; the widget keeps its value across reruns and language switches.
    """
    options = list(options)
    key = f"url_{name}"
    if st.session_state.get(key) is None:
        raw = st.query_params.get(name)
        if raw is not None and raw not in options:
            _notice(
                i18n.tr(
                    lang,
                    "The link asks for {name}={value}, which does not exist here; showing {default} instead.",
                    name=name,
                    value=raw,
                    default=format_func(default),
                )
            )
            raw = None
        st.session_state[key] = raw if raw is not None else default
    elif st.session_state[key] not in options:
        st.session_state[key] = default
    else:
        # Streamlit forgets a widget's value when the page changes; claiming it here keeps it (its documented way).
        st.session_state[key] = st.session_state[key]
    widget = widget or st.selectbox
    value = widget(label, options, format_func=format_func, key=key, **widget_args)
    st.query_params[name] = value
    return value


def sidebar_controls() -> Context | None:
    """Country and language pickers in the sidebar; the page's context, or None when no data can be shown."""
    database = db.get()
    countries = database.countries()
    lang_guess = st.session_state.get("url_lang") or st.query_params.get("lang") or "en"
    with st.sidebar:
        if not countries:
            st.error(
                i18n.tr(
                    lang_guess,
                    "No extracts found in {path}. Run `make demo` or set COCKPIT_DATA_DIR.",
                    path=database.data_dir,
                )
            )
            return None
        default_country = settings.load().default_country
        country = url_choice(
            "country",
            countries,
            default_country if default_country in countries else countries[0],
            "🌏",
            format_func=lambda c: {"th": "ประเทศไทย · Thailand", "la": "ສປປ ລາວ · Lao PDR"}.get(c, c.upper()),
            lang=lang_guess,
            label_visibility="collapsed",
        )
        lang = url_choice(
            "lang",
            i18n.LANGUAGES,
            i18n.COUNTRY_LANGUAGE.get(country, settings.load().default_language),
            "Language",
            format_func=i18n.LANGUAGE_NAMES.get,
            widget=st.segmented_control,
            label_visibility="collapsed",
            required=True,
        )
    try:
        scope = areas.full_scope(database, country)
    except NoData as exc:
        st.error(i18n.tr(lang, "The {country} extracts cannot be loaded.", country=country.upper()))
        if isinstance(exc.__cause__, ExtractError):
            contract_errors_table(lang, exc.__cause__)
        else:
            st.code(str(exc), language=None)
        return None
    context = Context(database, country, lang, scope)
    problem = database.problem(country)
    if problem is not None:
        show_extract_problem(context, problem.error)
    return context


def show_extract_problem(ctx: Context, error: ExtractError) -> None:
    """A rejected extract: what is wrong and where, and that the previous data is still shown."""
    with st.container(border=True):
        st.warning(
            ctx.tr(
                "New extracts in {path} were rejected; the cockpit still shows the data loaded before.",
                path=error.directory,
            ),
            icon=":material/report:",
        )
        contract_errors_table(ctx.lang, error)


def contract_errors_table(lang: str, error: ExtractError) -> None:
    """What is wrong, and where: one row per file, column and broken rule, with sample row numbers."""
    rows = [
        {
            i18n.tr(lang, "File"): e.file,
            i18n.tr(lang, "Column"): e.column or "",
            i18n.tr(lang, "Rows"): ", ".join(map(str, e.rows)) + (" …" if e.row_count > len(e.rows) else ""),
            i18n.tr(lang, "Problem"): e.problem,
        }
        for e in error.errors
    ]
    st.dataframe(pd.DataFrame(rows), hide_index=True)


def status_badge(status: str, lang: str) -> str:
    """Markdown for a coloured status badge (colour means status)."""
    color = {"green": "green", "amber": "orange", "red": "red"}.get(status, "gray")
    return f":{color}-badge[{indicators.status_label(status, lang)}]"


def headline_card(ctx: Context, indicator: pd.Series, headline: indicators.Headline) -> None:
    """One KPI against its target: status, value, change since the period before, target and trend."""
    higher_better = indicator["direction"] == "higher_is_better"
    change = headline.change
    st.metric(
        f"{status_badge(headline.status, ctx.lang)} {indicators.name(indicator, ctx.lang)}",
        indicators.fmt(indicator, headline.value, ctx.lang),
        delta=None if change is None else indicators.signed(indicator, change, ctx.lang),
        delta_color="normal" if higher_better else "inverse",
        delta_description=ctx.tr(
            "{period} · target {target}",
            period=ctx.period(headline.period_start, headline.period_type),
            target=indicators.fmt(indicator, headline.target, ctx.lang),
        ),
        chart_data=list(headline.series) or None,
        chart_type="line",
        help=indicators.question(indicator, ctx.lang),
        border=True,
    )


DENSE_CSS = """
<style>
  [data-testid="stMainBlockContainer"] { padding-top: 2.2rem; padding-bottom: 2rem; }
</style>
"""


def context() -> Context:
    """Render the sidebar's country and language pickers and return the page's context; stop if no data.

    Each page calls this first. (The frame, app.py, only names the pages: Streamlit's AppTest
    reruns a page file on its own, so the page must draw its own controls.)
    """
    st.html(DENSE_CSS)
    kiosk_mode()  # ?kiosk=1 on any page: no chrome, no sidebar, dark, type for the wall
    st.session_state[NOTICES_KEY] = st.container()
    ctx = sidebar_controls()
    if ctx is None:
        st.stop()
    evaluate_alerts(ctx)
    return ctx


def evaluate_alerts(ctx: Context):
    """Run the alert rules on this country's data once per extract version, rules version and day, on any page.

    Alerts are current wherever they are shown (the Province page, the walls) even if nobody has
    opened the Alerts page. A state store out of reach is reported, not fatal: the page still shows.
    """
    ruleset, version = rules.current(settings.load().rules_dir)
    try:
        with st.spinner(ctx.tr("Evaluating the alert rules…"), show_time=False):
            return evaluation.refresh(ctx.db, ctx.country, state_engine(), ruleset, _clock.today(), version)
    except sa_exc.SQLAlchemyError as exc:
        st.warning(
            ctx.tr(
                "The state store cannot be reached, so alerts are not up to date: {error}",
                error=str(exc).splitlines()[0],
            ),
            icon=":material/cloud_off:",
        )
        return None


@st.cache_resource(show_spinner=False)
def _state_engine(url: str):
    return store.engine(url)


def state_engine():
    """The process's one engine on the state store (a pool of connections, kept across reruns)."""
    return _state_engine(settings.load().state_url)


def language() -> str:
    """The reader's language as the URL or the language picker last set it, for the frame's page titles."""
    lang = st.session_state.get("url_lang") or st.query_params.get("lang")
    return lang if lang in i18n.LANGUAGES else settings.load().default_language


def status_cell_css(status: str) -> str:
    """CSS for a table cell painted in its status colour."""
    return f"background-color: {indicators.hex_color(status)}; color: white; font-weight: 600"


def status_styler(table: pd.DataFrame, status_column: str, label_column: str):
    """A Styler that paints each row's status cell in its status colour."""
    colors = table[status_column].map(status_cell_css)

    def paint(column: pd.Series) -> list[str]:
        return list(colors.loc[column.index])

    return table.drop(columns=[status_column]).style.apply(paint, subset=[label_column])


def selected_area(event, layer_id: str) -> str | None:
    """The area code of the feature clicked on a pydeck map (st.pydeck_chart with on_select), if any."""
    objects = (getattr(getattr(event, "selection", None), "objects", None) or {}).get(layer_id) or []
    if not objects:
        return None
    feature = objects[0]
    return (feature.get("properties") or feature).get("code")


def selected_row(event, values: pd.Series) -> str | None:
    """The value of the row selected in an st.dataframe (on_select), if any."""
    rows = getattr(getattr(event, "selection", None), "rows", None) or []
    return str(values.iloc[rows[0]]) if rows else None


def open_province(ctx: Context, province_id: str | None) -> None:
    """Go to the Province page for a province in scope, keeping the country and language."""
    if province_id and ctx.scope.allows(province_id):
        st.switch_page(
            "views/province.py", query_params={"country": ctx.country, "lang": ctx.lang, "province": province_id}
        )


# --- Alerts: the Red wall's widgets -------------------------------------------------------------------------------

SEVERITY_LABELS = {"critical": N_("Critical"), "high": N_("High"), "medium": N_("Medium"), "low": N_("Low")}
STATE_LABELS = {
    "new": N_("New"),
    "acknowledged": N_("Acknowledged"),
    "in_progress": N_("In progress"),
    "resolved": N_("Resolved"),
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
}
SEVERITY_BADGE_COLORS = {"critical": "red", "high": "red", "medium": "orange", "low": "gray"}
STATE_BADGE_COLORS = {"new": "red", "acknowledged": "orange", "in_progress": "blue", "resolved": "green"}


def format_day(ctx: Context, value) -> str:
    """A date (or the day of a timestamp) in the reader's locale, Buddhist era for Thai readers."""
    if value is None or (not isinstance(value, str) and pd.isna(value)):
        return i18n.NO_VALUE
    day = periods.as_date(value)
    month = i18n.locale(ctx.lang).months["format"]["abbreviated"][day.month]
    year = day.year + periods.BUDDHIST_ERA_OFFSET if ctx.lang == "th" else day.year
    return f"{day.day} {month} {year}"


def severity_label(ctx: Context, severity: str) -> str:
    return ctx.tr(SEVERITY_LABELS.get(severity, severity))


def state_label(ctx: Context, state: str) -> str:
    return ctx.tr(STATE_LABELS.get(state, state))


def severity_badge(ctx: Context, severity: str) -> str:
    return f":{SEVERITY_BADGE_COLORS.get(severity, 'gray')}-badge[{severity_label(ctx, severity)}]"


def state_badge(ctx: Context, state: str) -> str:
    return f":{STATE_BADGE_COLORS.get(state, 'gray')}-badge[{state_label(ctx, state)}]"


def group_label(ctx: Context, group: pd.Series) -> str:
    kind = ctx.tr(areas.GROUP_TYPE_LABELS.get(group["group_type"], "Region"))
    return f"{kind} · {areas.group_name(group, ctx.country, ctx.lang)}"


def region_choice(ctx: Context, groups: pd.DataFrame) -> str:
    """The URL-backed region filter (?region=reo:11): any province grouping, or 'all'. `groups` is indexed by key."""
    return url_choice(
        "region",
        ["all", *groups.index],
        "all",
        ctx.tr("Region"),
        format_func=lambda g: ctx.tr("All provinces") if g == "all" else group_label(ctx, groups.loc[g]),
        lang=ctx.lang,
    )


def wall_choice(ctx: Context, **widget_args) -> str:
    """The URL-backed choice of which wall's KPIs to show (?wall=black), or 'all'."""
    return url_choice(
        "wall",
        [*province.WALLS, "all"],
        "black",
        ctx.tr("Wall"),
        format_func=lambda w: ctx.tr("All KPIs") if w == "all" else ctx.tr(province.WALL_LABELS[w]),
        lang=ctx.lang,
        widget=st.segmented_control,
        required=True,
        **widget_args,
    )


def rule_problems(ctx: Context, errors) -> None:
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


def severity_counts(ctx: Context, open_alerts: pd.DataFrame) -> None:
    """Open alerts by severity, worst first."""
    counts = open_alerts["severity"].value_counts() if not open_alerts.empty else pd.Series(dtype=int)
    for column, severity in zip(st.columns(4), evaluation.SEVERITY_ORDER, strict=True):
        with column:
            st.metric(
                f"{severity_badge(ctx, severity)} {ctx.tr('open alerts')}", int(counts.get(severity, 0)), border=True
            )


def alert_map(ctx: Context, shown: pd.DataFrame, provinces: pd.DataFrame, incidents: pd.DataFrame):
    """The alert map with its tooltips in the reader's language (see maps.alert_map)."""
    summary = evaluation.province_summary(shown)
    worst = summary["worst"].to_dict()
    tips = {}
    for code, row in provinces.iterrows():
        name = areas.name(row, ctx.country, ctx.lang)
        count = int(summary["open"].get(code, 0)) if code in summary.index else 0
        tips[code] = f"<b>{name}</b><br/>" + ctx.tr("{n} open alerts", n=count)
    incidents = incidents.copy()
    local = i18n.local_names(ctx.country, ctx.lang)
    incidents["tip"] = [
        f"<b>{ctx.tr(INCIDENT_LABELS.get(t, t))}</b> · {d}<br/>"
        + ctx.tr(
            "{schools} schools, {students} students affected",
            schools=i18n.number(sc, ctx.lang),
            students=i18n.number(st_, ctx.lang),
        )
        for t, d, sc, st_ in zip(
            incidents["type"],
            incidents["district_name_local" if local else "district_name_en"],
            incidents["schools_affected"],
            incidents["students_affected"],
            strict=True,
        )
    ]
    return maps.alert_map(ctx.country, worst, tips, incidents)


def alert_feed(ctx: Context, shown: pd.DataFrame) -> int | None:
    """The alerts as a sortable table; returns the id of the row the reader selected, if any."""
    if shown.empty:
        st.info(ctx.tr("No alerts match these filters."), icon=":material/check_circle:")
        return None
    table = pd.DataFrame(
        {
            "id": shown["id"],
            "severity": [severity_label(ctx, s) for s in shown["severity"]],
            "title": shown["rule_title"],
            "place": shown["place"],
            "period": [ctx.period(p, t) for p, t in zip(shown["period_start"], shown["period_type"], strict=True)],
            "state": [state_label(ctx, s) for s in shown["state"]],
            "assignee": shown["assignee"].fillna(""),
            "first_seen": [format_day(ctx, t) for t in shown["first_seen_at"]],
        }
    )
    event = st.dataframe(
        table,
        hide_index=True,
        height=560,
        on_select="rerun",
        selection_mode="single-row",
        key="alert_feed",
        column_config={
            "id": st.column_config.NumberColumn("#", width=60),
            "severity": st.column_config.TextColumn(ctx.tr("Severity"), width=90),
            "title": st.column_config.TextColumn(ctx.tr("Alert")),
            "place": st.column_config.TextColumn(ctx.tr("Where")),
            "period": st.column_config.TextColumn(ctx.tr("Period"), width=110),
            "state": st.column_config.TextColumn(ctx.tr("State"), width=110),
            "assignee": st.column_config.TextColumn(ctx.tr("Assignee"), width=110),
            "first_seen": st.column_config.TextColumn(ctx.tr("First seen"), width=110),
        },
    )
    rows = event.selection.rows if event is not None else []
    return int(table.iloc[rows[0]]["id"]) if rows else None


def url_alert_id(selected: int | None, known: set[int]) -> int | None:
    """The alert to show in detail: the one just selected, else ?alert=ID from the URL if it exists."""
    if selected is not None:
        st.query_params["alert"] = str(selected)
        return selected
    raw = st.query_params.get("alert")
    if raw is None:
        return None
    if raw.isdigit() and int(raw) in known:
        return int(raw)
    _notice(i18n.tr(language(), "The link asks for alert {id}, which does not exist or is not yours to see.", id=raw))
    del st.query_params["alert"]
    return None


def evidence_figure(ctx: Context, indicator: pd.Series, series: pd.DataFrame, alert: lifecycle.Alert):
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
    )


def incident_table(ctx: Context, incidents: pd.DataFrame) -> pd.DataFrame:
    """The incident register as the reader sees it: type, dates, place, schools and students affected, status."""
    local = i18n.local_names(ctx.country, ctx.lang)
    return pd.DataFrame(
        {
            ctx.tr("Type"): [ctx.tr(INCIDENT_LABELS.get(t, t)) for t in incidents["type"]],
            ctx.tr("Started"): [format_day(ctx, d) for d in incidents["started_at"]],
            ctx.tr("Ended"): [
                format_day(ctx, d) if not pd.isna(d) else ctx.tr("ongoing") for d in incidents["ended_at"]
            ],
            ctx.tr("District"): incidents["district_name_local" if local else "district_name_en"],
            ctx.tr("Province"): incidents["province_name_local" if local else "province_name_en"],
            ctx.tr("Schools affected"): incidents["schools_affected"],
            ctx.tr("Students affected"): incidents["students_affected"],
            ctx.tr("Severity"): [severity_label(ctx, s) for s in incidents["severity"]],
            ctx.tr("Status"): [ctx.tr(INCIDENT_STATUS_LABELS.get(s, s)) for s in incidents["status"]],
            ctx.tr("Response"): incidents["response"].fillna(""),
        }
    )


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
INCIDENT_STATUS_LABELS = {"active": N_("Active"), "recovering": N_("Recovering"), "closed": N_("Closed")}


def actor_name(ctx: Context) -> str:
    """Who is acting: the signed-in user when the deployment has sign-in, else the name typed in this session."""
    user = getattr(st, "user", None)
    signed_in = user is not None and user.get("is_logged_in") and user.get("name")
    if signed_in:
        st.caption(ctx.tr("Acting as {name}", name=user.get("name")))
        return str(user.get("name"))
    return st.text_input(
        ctx.tr("Your name and office"), key="actor_name", placeholder=ctx.tr("e.g. Somchai, Phetchabun PEO")
    ).strip()


def alert_actions(ctx: Context, engine, alert: lifecycle.Alert, area_ids: list[str]) -> None:
    """Acknowledge, start, assign, comment, resolve or reopen: each recorded with who, when and a note."""
    possible = [a for a, moves in lifecycle.TRANSITIONS.items() if alert.state in moves]
    with st.form(f"act_{alert.id}", border=True):
        st.markdown("**" + ctx.tr("Act on this alert") + "**")
        actor = actor_name(ctx)
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
        return
    try:
        lifecycle.act(
            engine,
            alert.id,
            action,
            actor,
            note=note.strip() or None,
            assignee=assignee.strip() or None if action == "assign" else None,
            expected_version=alert.version,
            area_ids=area_ids,
        )
    except lifecycle.StaleAlert:
        st.warning(ctx.tr("Someone else acted on this alert since you opened it; here it is as it stands now."))
        return
    except (lifecycle.IllegalTransition, ValueError) as exc:
        st.error(ctx.tr("Not recorded: {reason}", reason=str(exc)))
        return
    st.toast(ctx.tr("Recorded."), icon=":material/check:")
    st.rerun()


def policy_evidence_figure(ctx: Context, alert: lifecycle.Alert):
    """A stalled policy's progress in the alert's province against its plan, quarter by quarter."""
    config = policies.load_config()
    rows = policies.progress(ctx.db, ctx.country, ctx.scope, config)
    own = policies.series(rows, alert.subject, alert.area_id)
    labels = [policies.quarter_label(p, ctx.country, ctx.lang) for p in own["period_start"]]
    return policies.progress_figure(
        labels,
        list(own["progress_pct"]),
        list(own["planned_pct"]),
        list(own["status"]),
        None,
        {"plan": ctx.tr("Plan"), "progress": ctx.tr("Progress"), "comparison": ""},
    )


def alert_history(ctx: Context, events: list[lifecycle.Event]) -> None:
    """Every step of the alert, newest first: when, who, what, and the note."""
    for event in reversed(events):
        what = ctx.tr(ACTION_LABELS.get(event.action, event.action))
        if event.to_state and event.from_state != event.to_state:
            what += f" → {state_label(ctx, event.to_state)}"
        if event.assignee:
            what += " · " + ctx.tr("Assigned to {name}", name=event.assignee)
        who = ctx.tr("system") if event.actor == lifecycle.SYSTEM else event.actor
        st.markdown(f"**{format_day(ctx, event.at)} {event.at:%H:%M}** · {who} · {what}")
        if event.note:
            st.caption(event.note)


# --- War room: kiosk mode, the walls' views and the meeting's decisions (views/warroom.py, wall_*.py, decisions.py) --


# Kiosk: no Streamlit chrome, no sidebar, type that scales with the screen (rem follows the viewport's
# height, so a 3840x2160 wall at 100% or 200% reads like a 1920x1080 one from across the room).
KIOSK_CSS = """
<style>
  [data-testid="stSidebar"], [data-testid="stSidebarCollapsedControl"], [data-testid="stSidebarCollapseButton"],
  [data-testid="stHeader"], [data-testid="stToolbar"], [data-testid="stDecoration"],
  [data-testid="stMainMenu"], [data-testid="stAppDeployButton"], footer { display: none !important; }
  html { font-size: clamp(15px, 1.6vh, 64px) !important; }
  [data-testid="stMain"] { margin-left: 0 !important; }
  [data-testid="stMainBlockContainer"] { max-width: 100% !important; padding: 1.2vh 1.4vw 0.6vh 1.4vw !important; }
  [data-testid="stAppViewContainer"] { overflow-x: hidden; }
  [data-testid="stMainBlockContainer"] [data-testid="stVerticalBlock"] { gap: 0.55rem; }
  /* the theme script below runs once; its element takes no room */
  [data-testid="stElementContainer"]:has(script[data-kiosk-theme]) { display: none; }
</style>
"""
# Streamlit's dark theme is chosen when the page loads, from ?embed_options=dark_theme; embed=true keeps the
# options on every page switch. A kiosk URL that lacks them is reloaded once with them (nothing else changes).
KIOSK_THEME_JS = """
<script data-kiosk-theme="1">
(() => {
  const url = new URL(window.location.href);
  if (!["1", "true", "yes", "on"].includes((url.searchParams.get("kiosk") || "").toLowerCase())) return;
  if (url.searchParams.getAll("embed_options").includes("dark_theme")) return;
  url.searchParams.set("embed", "true");
  url.searchParams.append("embed_options", "dark_theme");
  window.location.replace(url.toString());
})();
</script>
"""
KIOSK_THEME_PARAMS = {"embed": "true", "embed_options": "dark_theme"}


def is_kiosk() -> bool:
    """Whether this view is on the wall: `?kiosk=1` in the URL."""
    return _warroom.is_kiosk(st.query_params)


def kiosk_mode() -> bool:
    """Hide the chrome and sidebar, scale the type and turn the dark theme on when `?kiosk=1`; returns the flag.

    Meant for ui.context() (so `?kiosk=1` works on every page); the war room and the walls call it too.
    """
    if not is_kiosk():
        return False
    st.html(KIOSK_CSS)
    st.html(KIOSK_THEME_JS, unsafe_allow_javascript=True)
    return True


def kiosk_href(path: str = "", **overrides) -> str:
    """A link (relative) that opens `path` in kiosk mode with this view's filters and the dark theme."""
    params = _warroom.carried(st.query_params, kiosk="1", **overrides)
    return f"{path}?{_urlencode({**params, **KIOSK_THEME_PARAMS})}"


def exit_kiosk_href(path: str = "") -> str:
    """A link (relative) that leaves kiosk mode: the same view, the theme the reader chose, the sidebar back."""
    params = _warroom.carried(st.query_params, kiosk=None, paused=None, interval=None)
    return f"{path}?{_urlencode(params)}" if params else (path or "?")


WALL_CSS = """
<style>
  .wr { --wr-gap: 1vh; color: inherit; }
  .wr a { color: inherit; text-decoration: none; }
  .wr a:hover { text-decoration: underline; }
  .wr-grid { display: grid; gap: 1.1vh 0.8vw; }
  .wr-kiosk .wr-grid { height: var(--wr-h, 75vh); }
  .wr-countdown { white-space: nowrap; overflow: hidden; text-overflow: ellipsis; opacity: 0.7;
    font-size: 0.85rem; }
  .wr-view { position: relative; min-height: 0; min-width: 0; overflow: hidden; display: flex; flex-direction: column;
    gap: 0.7vh; padding: 1.1vh 0.9vw 1vh 1.1vw; border-radius: 6px; background: rgba(128, 128, 128, 0.09);
    border-left: 0.75vh solid var(--wr-c); }
  .wr-plain .wr-view { min-height: 16rem; }
  .wr-q { font-weight: 700; font-size: clamp(15px, 2.1vh, 64px); line-height: 1.22; }
  .wr-q .wr-go { opacity: 0.55; font-weight: 400; }
  .wr-head { display: flex; justify-content: space-between; align-items: flex-start; gap: 0.6vw; }
  .wr-chip { flex: none; display: inline-block; white-space: nowrap; font-size: clamp(11px, 1.45vh, 44px);
    font-weight: 700; padding: 0.15vh 0.5vw; border-radius: 4px; background: var(--wr-c); color: #fff; }
  .wr-big { font-size: clamp(28px, 6vh, 180px); font-weight: 700; line-height: 1.02; letter-spacing: -0.01em; }
  .wr-kiosk .wr-big { color: var(--wr-c); }
  .wr-valrow { display: flex; align-items: center; gap: 1vw; }
  .wr-valrow .wr-spark { flex: 1; min-width: 0; }
  .wr-mid { font-size: clamp(20px, 3.6vh, 110px); font-weight: 700; line-height: 1.05; }
  .wr-sub { font-size: clamp(12px, 1.65vh, 50px); opacity: 0.82; line-height: 1.3; }
  .wr-small { font-size: clamp(11px, 1.45vh, 44px); opacity: 0.75; line-height: 1.3; }
  .wr-one { white-space: nowrap; overflow: hidden; text-overflow: ellipsis; }
  .wr-row { display: flex; align-items: baseline; gap: 0.5vw; font-size: clamp(12px, 1.7vh, 52px); line-height: 1.3;
    padding: 0.25vh 0; border-bottom: 1px solid rgba(128, 128, 128, 0.18); min-width: 0; }
  .wr-row:last-child { border-bottom: none; }
  .wr-row .wr-grow { flex: 1; min-width: 0; overflow: hidden; text-overflow: ellipsis; white-space: nowrap; }
  .wr-row .wr-num { font-variant-numeric: tabular-nums; white-space: nowrap; font-weight: 600; }
  .wr-big-dot { width: 2.4vh !important; height: 2.4vh !important; vertical-align: middle; }
  .wr-dot { flex: none; display: inline-block; width: 1.1vh; height: 1.1vh; min-width: 9px; min-height: 9px;
    border-radius: 50%; background: var(--wr-c); }
  .wr-tiles { display: grid; gap: 0.8vh 0.8vw; flex: 0 0 auto; }
  .wr-tile { min-width: 0; display: flex; flex-direction: column; gap: 0.3vh; }
  .wr-tile .wr-name { font-size: clamp(12px, 1.6vh, 48px); font-weight: 600; line-height: 1.2; }
  .wr-spark { width: 100%; height: 4.5vh; min-height: 32px; display: block; }
  .wr-kiosk .wr-spark { height: 5vh; }
  .wr-bar { position: relative; height: 1.5vh; min-height: 10px; border-radius: 3px;
    background: rgba(128, 128, 128, 0.22); }
  .wr-bar > span { position: absolute; left: 0; top: 0; bottom: 0; border-radius: 3px; background: var(--wr-c); }
  .wr-bar > i { position: absolute; top: -0.35vh; bottom: -0.35vh; width: 2px; background: currentColor; opacity: 0.8; }
  .wr-map { flex: 1; min-height: 0; width: 100%; }
  .wr-map-img { width: 100%; height: 100%; display: block; object-fit: contain; }
  .wr-counts { display: grid; grid-template-columns: repeat(4, 1fr); gap: 0.6vw; }
  .wr-count { text-align: left; white-space: nowrap; min-width: 0; }
  .wr-count .wr-sub { font-size: clamp(11px, 1.45vh, 44px); }
  .wr-num .wr-red { color: #d73027; }
  .wr-num .wr-amber { color: #f5a623; }
  .wr-tree { display: flex; flex-direction: column; gap: 0.9vh; overflow: hidden; }
  .wr-goal { border-left: 0.6vh solid var(--wr-c); padding-left: 0.6vw; }
  .wr-goal > .wr-gname { font-size: clamp(13px, 2vh, 60px); font-weight: 700; line-height: 1.2; }
  .wr-target { display: flex; gap: 0.45vw; align-items: baseline; font-size: clamp(12px, 1.75vh, 52px);
    line-height: 1.3; margin-top: 0.5vh; }
  .wr-kiosk .wr-tree { gap: 1.6vh; }
  .wr-target .wr-tname { flex: 1; min-width: 0; }
  .wr-leaves { display: inline-flex; gap: 0.22vw; flex-wrap: wrap; }
  .wr-leaf { display: inline-block; width: 1.35vh; height: 1.35vh; min-width: 10px; min-height: 10px;
    border-radius: 2px; background: var(--wr-c); }
  .wr-red-names { font-size: clamp(11px, 1.45vh, 44px); opacity: 0.85; }
  .wr-topbar { display: flex; align-items: center; justify-content: space-between; gap: 1vw; }
  .wr-title { font-size: clamp(22px, 3.6vh, 110px); font-weight: 800; line-height: 1.1; }
  .wr-wallq { font-size: clamp(13px, 1.9vh, 58px); opacity: 0.8; }
  .wr-stamp { text-align: right; font-size: clamp(12px, 1.6vh, 48px); line-height: 1.3; white-space: nowrap; }
  .wr-stamp.wr-late { color: #f5a623; font-weight: 700; }
  .wr-decisions { display: flex; gap: 0.8vw; align-items: stretch; margin-top: 0.9vh; overflow: hidden; }
  .wr-decision { flex: 1 1 0; min-width: 0; padding: 0.6vh 0.7vw; border-radius: 5px;
    background: rgba(128, 128, 128, 0.09); border-top: 0.45vh solid var(--wr-c);
    font-size: clamp(12px, 1.55vh, 46px); line-height: 1.3; }
  .wr-decision b { font-weight: 700; }
  .wr-decision .wr-clip { display: -webkit-box; -webkit-line-clamp: 2; -webkit-box-orient: vertical; overflow: hidden; }
  .wr-dlabel { flex: none; align-self: center; white-space: nowrap; font-size: clamp(12px, 1.6vh, 48px);
    font-weight: 700; opacity: 0.8; }
  .wr-empty { opacity: 0.7; font-size: clamp(12px, 1.7vh, 52px); }
  .wr-legend { display: flex; flex-wrap: wrap; gap: 0.3vh 0.8vw; font-size: clamp(11px, 1.4vh, 42px); opacity: 0.85; }
  .wr-legend span { display: inline-flex; align-items: center; gap: 0.3vw; }
  .wr-exit { display: inline-block; padding: 0.45rem 0.8rem; border-radius: 6px; font-size: 0.9rem; white-space: nowrap;
    border: 1px solid rgba(128, 128, 128, 0.45); color: inherit !important; text-decoration: none !important; }
</style>
"""


def wall_css() -> None:
    """The walls' shared styles (once per page run)."""
    st.html(WALL_CSS)


def esc(text) -> str:
    return _html.escape("" if text is None else str(text))


def note(css_class: str, text: str, style: str = "") -> str:
    """A line of text in the walls' HTML (escaped); keeps tr() calls out of f-strings, where Babel cannot find them."""
    styled = f' style="{style}"' if style else ""
    return f'<div class="{css_class}"{styled}>{esc(text)}</div>'


def color_var(status: str) -> str:
    return f"--wr-c: {indicators.hex_color(status)};"


def wall_href(ctx: Context, link: str, kiosk: bool) -> str:
    """A view's detail link with the reader's country and language (and, on the wall, kiosk mode) added."""
    path, _, query = link.partition("?")
    params = dict(_parse_qsl(query))
    params.update(country=ctx.country, lang=ctx.lang)
    if kiosk:
        params.update(kiosk="1", **KIOSK_THEME_PARAMS)
    return f"{path}?{_urlencode(params)}"


def status_chip(ctx: Context, status: str) -> str:
    return f'<span class="wr-chip" style="{color_var(status)}">{esc(indicators.status_label(status, ctx.lang))}</span>'


def wall_card(ctx: Context, view: _walls.View, body: str, kiosk: bool, area: str, chip: str | None = None) -> str:
    """One view: its question (linking to the detail page), its status chip and colour, and `body`."""
    href = wall_href(ctx, view.link, kiosk)
    chip = status_chip(ctx, view.status) if chip is None else chip
    return (
        f'<section class="wr-view" style="grid-area: {area}; {color_var(view.status)}" '
        f'data-view="{esc(view.key)}" data-status="{esc(view.status)}">'
        f'<div class="wr-head"><a class="wr-q" href="{esc(href)}">{esc(view.question)}'
        f' <span class="wr-go">›</span></a>{chip}</div>{body}</section>'
    )


def wall_grid(cards: list[str], areas: str, columns: str, kiosk: bool, rows: str = "1fr 1fr") -> None:
    """The wall's views laid out on a CSS grid (`areas` as grid-template-areas), in one piece of HTML."""
    # CSS strings in single quotes: the style attribute itself is double-quoted.
    style = f"grid-template-areas: {areas.replace(chr(34), chr(39))}; grid-template-columns: {columns};"
    style += f" grid-template-rows: {rows};"
    mode = "wr-kiosk" if kiosk else "wr-plain"
    st.html(f'<div class="wr {mode}"><div class="wr-grid" style="{style}">{"".join(cards)}</div></div>')


def svg_img(svg: str, css_class: str, label: str = "") -> str:
    """An inline SVG as an <img> (st.html's sanitiser keeps HTML only, no <svg> elements; images may be data URIs)."""
    source = "data:image/svg+xml;base64," + _base64.b64encode(svg.encode("utf-8")).decode("ascii")
    return f'<img class="{css_class}" src="{source}" alt="{esc(label)}" title="{esc(label)}"/>'


def sparkline(values, status: str, target: float | None = None) -> str:
    """A trend as a small line in the status colour (the target as a dashed grey line when given)."""
    points = [float(v) for v in values if v is not None and not pd.isna(v)]
    if len(points) < 2:
        return ""
    span_values = points + ([target] if target is not None and not pd.isna(target) else [])
    low, high = min(span_values), max(span_values)
    span = (high - low) or 1.0
    step = 100 / (len(points) - 1)

    def y(v: float) -> float:
        return 27 - (v - low) / span * 24

    line = " ".join(f"{i * step:.1f},{y(v):.1f}" for i, v in enumerate(points))
    target_line = ""
    if target is not None and not pd.isna(target):
        target_line = (
            f'<line x1="0" x2="100" y1="{y(target):.1f}" y2="{y(target):.1f}" stroke="#8a94a6" '
            'stroke-dasharray="3 3" vector-effect="non-scaling-stroke" stroke-width="1.5"/>'
        )
    color = indicators.hex_color(status)
    svg = (
        '<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 100 30" preserveAspectRatio="none">'
        f'{target_line}<polyline points="{line}" fill="none" stroke="{color}" stroke-width="3" '
        'vector-effect="non-scaling-stroke" stroke-linejoin="round" stroke-linecap="round"/></svg>'
    )
    return svg_img(svg, "wr-spark")


def kpi_html(ctx: Context, indicator: pd.Series, kpi: _walls.Kpi, size: str = "big", trend: bool = True) -> str:
    """A KPI's figure for the wall: value (in its status colour on the wall), target, change, period and trend."""
    value = indicators.fmt(indicator, kpi.value, ctx.lang)
    spark = sparkline(kpi.series, kpi.status, kpi.target) if trend else ""
    if size == "big" and spark:
        # The trend beside the figure, not under it: the card keeps its height for the provinces below.
        parts = [f'<div class="wr-valrow"><div class="wr-{size}">{esc(value)}</div>{spark}</div>']
        spark = ""
    else:
        parts = [f'<div class="wr-{size}">{esc(value)}</div>']
    facts = []
    if kpi.target is not None:
        facts.append(ctx.tr("target {target}", target=indicators.fmt(indicator, kpi.target, ctx.lang)))
    if kpi.change is not None:
        facts.append(ctx.tr("{change} on the period before", change=indicators.signed(indicator, kpi.change, ctx.lang)))
    if kpi.period_start is not None:
        facts.append(ctx.period(kpi.period_start, kpi.period_type))
    parts.append(f'<div class="wr-sub">{esc(" · ".join(facts))}</div>')
    if kpi.female is not None and kpi.male is not None:
        parts.append(
            '<div class="wr-sub">'
            + esc(
                ctx.tr(
                    "Women {female} · men {male}",
                    female=indicators.fmt(indicator, kpi.female, ctx.lang),
                    male=indicators.fmt(indicator, kpi.male, ctx.lang),
                )
            )
            + "</div>"
        )
    if spark:
        parts.append(spark)
    return f'<div class="wr-tile" style="{color_var(kpi.status)}">' + "".join(parts) + "</div>"


def row_html(
    status: str, label: str, value: str = "", href: str | None = None, small: str = "", value_html: str | None = None
) -> str:
    """A list line: status dot, label (a link when `href`), a figure at the right (or `value_html`), a note."""
    text = esc(label)
    if href:
        text = f'<a href="{esc(href)}">{text}</a>'
    note = f' <span class="wr-small">{esc(small)}</span>' if small else ""
    return (
        f'<div class="wr-row" style="{color_var(status)}"><span class="wr-dot"></span>'
        f'<span class="wr-grow">{text}{note}</span><span class="wr-num">{value_html or esc(value)}</span></div>'
    )


def bar_html(status: str, share: float | None, mark: float | None = None) -> str:
    """A progress bar (0-100) in a status colour, with a tick at `mark` (the plan)."""
    width = 0.0 if share is None or pd.isna(share) else max(0.0, min(100.0, float(share)))
    tick = ""
    if mark is not None and not pd.isna(mark):
        tick = f'<i style="left: calc({max(0.0, min(100.0, float(mark))):.1f}% - 1px)"></i>'
    return f'<div class="wr-bar" style="{color_var(status)}"><span style="width: {width:.1f}%"></span>{tick}</div>'


@_functools.lru_cache(maxsize=8)
def _map_paths(country: str, level: str) -> tuple[tuple[tuple[str, str], ...], tuple[float, ...]]:
    """Each area's SVG path on an equirectangular projection (x scaled by cos of the mid latitude), simplified."""
    collection = _geo.boundaries(country, level)
    rings = []
    for feature in collection["features"]:
        geometry = feature["geometry"]
        polygons = geometry["coordinates"] if geometry["type"] == "MultiPolygon" else [geometry["coordinates"]]
        rings.append((feature["properties"]["code"], [ring for polygon in polygons for ring in polygon]))
    lons = [pt[0] for _, rs in rings for ring in rs for pt in ring]
    lats = [pt[1] for _, rs in rings for ring in rs for pt in ring]
    west, east, south, north = min(lons), max(lons), min(lats), max(lats)
    scale_x = _math.cos(_math.radians((south + north) / 2))
    width = 1000.0
    unit = width / ((east - west) * scale_x)
    height = (north - south) * unit
    paths = []
    for code, rs in rings:
        parts = []
        for ring in rs:
            points, last = [], None
            for lon, lat in ring:
                point = (round((lon - west) * scale_x * unit), round((north - lat) * unit))
                if point != last:
                    points.append(point)
                    last = point
            if len(points) >= 3:
                parts.append("M" + "L".join(f"{x},{y}" for x, y in points) + "Z")
        paths.append((code, "".join(parts)))
    return tuple(paths), (west, north, scale_x * unit, unit, height)


def svg_map(
    country: str,
    statuses: dict[str, str],
    label: str = "",
    points: pd.DataFrame | None = None,
    level: str = "province",
) -> str:
    """A map of areas coloured by status, as an SVG image (crisp on a 4K wall, drawn at once, no WebGL or basemap).

    Areas missing from `statuses` are drawn faint. `points` (lon, lat, students_affected) are drawn as
    open circles whose area grows with the count. `label` is the image's text alternative.
    """
    paths, (west, north, x_unit, unit, height) = _map_paths(country, level)
    shapes = []
    for code, d in paths:
        status = statuses.get(code)
        fill = indicators.hex_color(status) if status else "#8a94a6"
        opacity = "0.92" if status else "0.28"
        shapes.append(f'<path d="{d}" fill="{fill}" fill-opacity="{opacity}" stroke="#ffffff" stroke-width="1.2"/>')
    if points is not None and len(points):
        biggest = max(float(points["students_affected"].max()), 1.0)
        for p in points.sort_values("students_affected", ascending=False).itertuples():
            x = (p.lon - west) * x_unit
            y = (north - p.lat) * unit
            r = 4 + 24 * _math.sqrt(max(float(p.students_affected), 0.0) / biggest)
            shapes.append(
                f'<circle cx="{x:.0f}" cy="{y:.0f}" r="{r:.1f}" fill="#ffffff" fill-opacity="0.4" '
                'stroke="#1b1f27" stroke-width="1.6"/>'
            )
    svg = (
        f'<svg xmlns="http://www.w3.org/2000/svg" viewBox="-6 -6 1012 {height + 12:.0f}" '
        'preserveAspectRatio="xMidYMid meet">' + "".join(shapes) + "</svg>"
    )
    return svg_img(svg, "wr-map-img", label)


def wall_header(ctx: Context, wall: _walls.Wall, now: float, kiosk: bool) -> None:
    """The wall's name, the question it answers and its 'data as of' stamp (amber when a source is overdue)."""
    newest, late = _walls.stamp(wall)
    checked = _clock.local_time(now).strftime("%H:%M")
    if newest is None:
        stamp = ctx.tr("No data yet · checked {time}", time=checked)
    else:
        stamp = ctx.tr("Data as of {day} · checked {time}", day=format_day(ctx, newest.as_of), time=checked)
    late_line = ""
    if late:
        cat = indicators.catalogue(ctx.db, ctx.country)
        names = [indicators.name(cat.loc[i], ctx.lang) if i in cat.index else ctx.tr("Policy progress") for i in late]
        listed = ", ".join(names[:3]) + (" …" if len(names) > 3 else "")
        late_line = "<br/>" + esc(ctx.tr("Overdue: {names}", names=listed))
    mode = "wr-kiosk" if kiosk else "wr-plain"
    st.html(
        f'<div class="wr {mode}"><div class="wr-topbar" data-wall="{wall.name}" style="{color_var(wall.status)}">'
        f'<div><div class="wr-title"><span class="wr-dot wr-big-dot"></span> '
        f"{esc(ctx.tr(_walls.WALL_TITLES[wall.name]))}</div>"
        f'<div class="wr-wallq">{esc(ctx.tr(_walls.WALL_QUESTIONS[wall.name]))}</div></div>'
        f'<div class="wr-stamp{" wr-late" if late else ""}" data-late="{str(bool(late)).lower()}">'
        f"{esc(stamp)}{late_line}</div></div></div>"
    )


def decisions_strip(ctx: Context, table: pd.DataFrame, today, names: dict, kiosk: bool, limit: int = 4) -> None:
    """The meeting's open decisions on this wall: what, who, by when (red when overdue), soonest due first."""
    mode = "wr-kiosk" if kiosk else "wr-plain"
    label = note("wr-dlabel", ctx.tr("Decisions"))
    if table.empty:
        body = note("wr-empty", ctx.tr("No open decisions on this wall."))
        st.html(f'<div class="wr {mode}"><div class="wr-decisions" data-decisions="0">{label}{body}</div></div>')
        return
    late = _decisions.overdue(table, today)
    shown = table.assign(late=late, due=pd.to_datetime(table["due_date"])).sort_values(
        ["late", "due", "id"], ascending=[False, True, True], na_position="last"
    )
    items = []
    for row in shown.head(limit).itertuples():
        status = "red" if row.late else "amber"
        due = format_day(ctx, row.due_date) if row.due_date is not None and not pd.isna(row.due_date) else "–"
        subject = names.get((row.subject_type, row.subject_id), row.subject_id)
        items.append(
            f'<div class="wr-decision" style="{color_var(status)}" data-decision="{int(row.id)}">'
            f'<div class="wr-clip"><b>{esc(subject)}:</b> {esc(row.text)}</div>'
            + note("wr-small", ctx.tr("{owner} · due {day}", owner=row.owner, day=due))
            + "</div>"
        )
    more = len(shown) - limit
    if more > 0:
        items.append(note("wr-dlabel", ctx.tr("+{n} more", n=more)))
    st.html(
        f'<div class="wr {mode}"><div class="wr-decisions" data-decisions="{len(shown)}">'
        f"{label}{''.join(items)}</div></div>"
    )


def decision_form(ctx: Context, engine, subjects: pd.DataFrame, key: str, default_subject: tuple | None = None):
    """Record a decision: text, owner, due date and what it is about; returns the Decision when recorded."""
    labels = {
        (t, i): f"{ctx.tr(_decisions.SUBJECT_LABELS[t])} · {label}"
        for t, i, label in zip(subjects["subject_type"], subjects["subject_id"], subjects["label"], strict=True)
    }
    options = list(labels)
    area_of = dict(
        zip(zip(subjects["subject_type"], subjects["subject_id"], strict=True), subjects["area_id"], strict=True)
    )
    index = options.index(default_subject) if default_subject in labels else None
    today = _clock.today()
    # The form is emptied after a decision is recorded, never on a refused one: what was typed stays to be fixed.
    if st.session_state.pop(f"{key}_recorded", False):
        for field in ("text", "owner", "due", "subject"):
            st.session_state.pop(f"{key}_{field}", None)
    with st.form(key, border=False):
        text = st.text_area(ctx.tr("What was decided"), key=f"{key}_text", height=90)
        left, right = st.columns(2)
        with left:
            owner = st.text_input(ctx.tr("Owner (who acts)"), key=f"{key}_owner")
        with right:
            due = st.date_input(ctx.tr("Due date"), value=None, min_value=today, key=f"{key}_due")
        subject = st.selectbox(
            ctx.tr("About"),
            options,
            index=index,
            format_func=labels.get,
            key=f"{key}_subject",
            placeholder=ctx.tr("An area, indicator, alert or policy"),
        )
        recorder = actor_name(ctx)
        submitted = st.form_submit_button(ctx.tr("Record the decision"), type="primary", icon=":material/gavel:")
    if not submitted:
        return None
    if subject is None:
        st.error(ctx.tr("Choose what the decision is about."))
        return None
    try:
        decision = _decisions.record(
            engine,
            ctx.country,
            text,
            owner,
            subject[0],
            subject[1],
            recorder,
            meeting_date=today,
            due_date=due,
            area_id=area_of.get(subject),
        )
    except _decisions.DecisionError as exc:
        st.error(ctx.tr(exc.message, **exc.values))
        return None
    st.toast(ctx.tr("Decision recorded."), icon=":material/check:")
    st.session_state[f"{key}_recorded"] = True
    return decision


def wall_region(ctx: Context, **widget_args) -> tuple[Scope, str]:
    """The walls' region filter (?region=reo:11): the caller's scope narrowed to it, and the area the wall sums up."""
    groups = areas.groups(ctx.db, ctx.country).set_index("group_key", drop=False)
    region = url_choice(
        "region",
        ["all", *groups.index],
        "all",
        ctx.tr("Region"),
        format_func=lambda g: ctx.tr("All provinces") if g == "all" else group_label(ctx, groups.loc[g]),
        lang=ctx.lang,
        **widget_args,
    )
    if region == "all":
        return ctx.scope, str(areas.country(ctx.db, ctx.country)["area_id"])
    return ctx.scope.within(groups.loc[region, "province_ids"]), region


def show_wall(ctx: Context, name: str, render, scope: Scope, area_id: str, kiosk: bool, now: float) -> _walls.Wall:
    """Build one wall from the current data and lay it out: header and stamp, its views (`render`), its decisions."""
    engine = state_engine()
    wall = _walls.build(name, ctx.db, engine, ctx.country, area_id, scope, ctx.lang, now, settings.load().rules_dir)
    wall_css()
    wall_header(ctx, wall, now, kiosk)
    render(ctx, wall, kiosk)
    table = _walls.open_decisions(ctx.db, engine, ctx.country, scope, name)
    feed = None
    if len(table) and (table["subject_type"] == "alert").any():
        feed = _walls.alert_state(
            ctx.db, engine, ctx.country, scope, ctx.lang, _clock.local_date(now), settings.load().rules_dir
        ).feed
    names = _walls.subject_names(_walls.decision_subjects(ctx.db, ctx.country, scope, ctx.lang, feed))
    decisions_strip(ctx, table, _clock.local_date(now), names, kiosk)
    return wall


DECIDING = "wall_deciding"  # session key: the decision dialog is open over the wall


def open_decision(on_open: Callable[[], None] | None = None) -> None:
    """A button's callback: open the decision dialog over the wall and keep it open until saved or cancelled."""
    st.session_state[DECIDING] = True
    if on_open is not None:
        on_open()


def deciding() -> bool:
    """Whether the decision dialog is open: the wall then holds still (no rotation, no refresh under it)."""
    return bool(st.session_state.get(DECIDING))


def decision_dialog(
    ctx: Context, scope: Scope, default_subject: tuple | None = None, on_close: Callable[[], None] | None = None
) -> None:
    """While open (see open_decision), the 'record a decision' form in a dialog over the wall, on every run.

    The dialog is drawn again on each full run until it is saved or dismissed, so a rerun of the page
    (a wall changing, a refresh) can never take away a decision half typed; `on_close` is called once
    it closes either way. The wall shows the decision once recorded.
    """
    if not deciding():
        return
    engine = state_engine()

    def close() -> None:
        st.session_state[DECIDING] = False
        if on_close is not None:
            on_close()

    @st.dialog(ctx.tr("Record a decision"), width="large", on_dismiss=close)
    def dialog():
        subjects = _walls.decision_subjects(ctx.db, ctx.country, scope, ctx.lang)
        if decision_form(ctx, engine, subjects, "wall_decision", default_subject) is not None:
            close()
            st.rerun()

    dialog()


def wall_page(name: str, render) -> None:
    """A wall as a page of its own: region filter, the wall refreshing in place, 'show on the wall', a decision."""
    ctx = context()
    left, middle, right = st.columns([3, 2, 2], vertical_alignment="bottom")
    with left:
        scope, area_id = wall_region(ctx)
    with middle:
        st.link_button(
            ctx.tr("Show on the wall"), kiosk_href("warroom", wall=name), icon=":material/tv:", width="stretch"
        )
    with right:
        st.button(
            ctx.tr("Record a decision"),
            icon=":material/gavel:",
            width="stretch",
            key="wall_decide",
            on_click=open_decision,
        )
    decision_dialog(ctx, scope)

    # No refresh under an open dialog: a fragment's rerun would redraw the wall behind it for nothing.
    @st.fragment(run_every=None if deciding() else _warroom.parse_refresh(st.query_params.get("refresh")))
    def live():
        show_wall(ctx, name, render, scope, area_id, False, _clock.timestamp())

    live()
