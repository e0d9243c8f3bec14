"""Shared Streamlit widgets: the sidebar's country and language, URL-backed choices, status cards, data problems.

The only module of cockpit/ that imports streamlit (pages lay out; the rest of cockpit/ is plain Python).
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass

import pandas as pd
import streamlit as st

from cockpit import alert_store, alerts, areas, charts, db, i18n, indicators, maps, periods, settings, store
from cockpit.access import Scope
from cockpit.db import Database, NoData
from cockpit.extracts import ExtractError
from cockpit.i18n import N_

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
    if key not in st.session_state:
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
    st.session_state[NOTICES_KEY] = st.container()
    ctx = sidebar_controls()
    if ctx is None:
        st.stop()
    return ctx


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


def status_styler(table: pd.DataFrame, status_column: str, label_column: str):
    """A Styler that paints each row's status cell in its status colour."""
    colors = table[status_column].map(indicators.hex_color)

    def paint(column: pd.Series) -> list[str]:
        return [f"background-color: {c}; color: white; font-weight: 600" for c in colors.loc[column.index]]

    return table.drop(columns=[status_column]).style.apply(paint, subset=[label_column])


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
    for column, severity in zip(st.columns(4), alerts.SEVERITY_ORDER, strict=True):
        with column:
            st.metric(
                f"{severity_badge(ctx, severity)} {ctx.tr('open alerts')}", int(counts.get(severity, 0)), border=True
            )


def alert_map(ctx: Context, shown: pd.DataFrame, provinces: pd.DataFrame, incidents: pd.DataFrame):
    """The alert map with its tooltips in the reader's language (see maps.alert_map)."""
    summary = alerts.province_summary(shown)
    worst = summary["worst"].to_dict()
    tips = {}
    for code, province in provinces.iterrows():
        name = areas.name(province, ctx.country, ctx.lang)
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


def evidence_figure(ctx: Context, indicator: pd.Series, series: pd.DataFrame, alert: alert_store.Alert):
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


def alert_actions(ctx: Context, engine, alert: alert_store.Alert, area_ids: list[str]) -> None:
    """Acknowledge, start, assign, comment, resolve or reopen: each recorded with who, when and a note."""
    possible = [a for a, moves in alert_store.TRANSITIONS.items() if alert.state in moves]
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
        alert_store.act(
            engine,
            alert.id,
            action,
            actor,
            note=note.strip() or None,
            assignee=assignee.strip() or None if action == "assign" else None,
            expected_version=alert.version,
            area_ids=area_ids,
        )
    except alert_store.StaleAlert:
        st.warning(ctx.tr("Someone else acted on this alert since you opened it; here it is as it stands now."))
        return
    except (alert_store.IllegalTransition, ValueError) as exc:
        st.error(ctx.tr("Not recorded: {reason}", reason=str(exc)))
        return
    st.toast(ctx.tr("Recorded."), icon=":material/check:")
    st.rerun()


def alert_history(ctx: Context, events: list[alert_store.Event]) -> None:
    """Every step of the alert, newest first: when, who, what, and the note."""
    for event in reversed(events):
        what = ctx.tr(ACTION_LABELS.get(event.action, event.action))
        if event.to_state and event.from_state != event.to_state:
            what += f" → {state_label(ctx, event.to_state)}"
        if event.assignee:
            what += " · " + ctx.tr("Assigned to {name}", name=event.assignee)
        who = ctx.tr("system") if event.actor == alert_store.SYSTEM else event.actor
        st.markdown(f"**{format_day(ctx, event.at)} {event.at:%H:%M}** · {who} · {what}")
        if event.note:
            st.caption(event.note)
