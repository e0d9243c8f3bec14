"""Alerts, the Red wall's detail: what is in crisis, where, who is acting; evidence, runbook and actions."""

from datetime import timedelta

import sqlalchemy as sa
import streamlit as st

from cockpit import clock, periods, settings
from cockpit.alerts import evaluation, lifecycle, rules
from cockpit.data import areas, geo, indicators
from cockpit.figures import vega_maps
from cockpit.ui import alert_panels, links, page_help, sidebar, store_status, text, url_state
from cockpit.users import roles

ctx = sidebar.context()
RECENT = timedelta(days=90)  # the incidents the map and an alert's evidence show
tr = ctx.tr
today = clock.today()
engine = ctx.store
ruleset, rules_version = rules.current(settings.load().rules_dir)

st.title(tr("Alerts"))
page_help.panel(ctx, "alerts")
if engine is None:
    st.stop()  # alerts live in the state store: the banner above says why it cannot be used now
with st.spinner(tr("Evaluating the alert rules…")):
    try:
        judged = evaluation.refresh(ctx.db, ctx.country, engine, ruleset, today, rules_version).evaluation
    except sa.exc.SQLAlchemyError as exc:  # a busy or read-only store: the alerts below are the last recorded
        store_status.not_current(tr, exc)
        judged = evaluation.evaluate(ctx.db, ctx.country, ruleset, today)
last = lifecycle.last_evaluation(engine, ctx.country)
places = evaluation.areas_in_scope(ctx.db, ctx.country, ctx.scope)
st.caption(
    tr(
        "{rules} rules evaluated on {day} against data up to {latest}; {firing} alerts firing now.",
        rules=len(judged.evaluated),
        day=periods.day_label(last.at if last else today, ctx.lang),
        latest=ctx.period(areas.country(ctx.db, ctx.country)["latest_period"], "month"),
        firing=sum(f.area_id in places.index for f in judged.firing),  # the reader's, as the feed below
    )
)
alert_panels.rule_problems(ctx, judged.errors)
# An alert a link opened the page about (an e-mail's, a province's) is told here, first: below the map and the feed,
# where an alert picked in the feed is told, it was out of sight.
linked_here = st.container()

feed = evaluation.feed(ctx.db, ctx.country, engine, ctx.scope, ruleset, ctx.lang)
open_alerts = feed[feed["state"] != "resolved"]
alert_panels.severity_counts(ctx, open_alerts)

groups = areas.groups(ctx.db, ctx.country).set_index("group_key", drop=False)
provinces = places[places["level"] == "province"]
filters = st.columns(4)
with filters[0]:
    severity = url_state.url_choice(
        "severity",
        ["all", *evaluation.SEVERITY_ORDER],
        "all",
        tr("Severity"),
        format_func=lambda s: tr("All") if s == "all" else alert_panels.severity_label(ctx, s),
        lang=ctx.lang,
    )
with filters[1]:
    state = url_state.url_choice(
        "state",
        ["open", *lifecycle.STATES, "all"],
        "open",
        tr("State"),
        format_func=lambda s: alert_panels.state_label(ctx, s),
        lang=ctx.lang,
    )
with filters[2]:
    region = url_state.region_choice(ctx, groups)
with filters[3]:
    province = url_state.url_choice(
        "province",
        ["all", *provinces.index],
        "all",
        tr("Province"),
        format_func=lambda p: (
            tr("All provinces") if p == "all" else areas.name(provinces.loc[p], ctx.country, ctx.lang)
        ),
        lang=ctx.lang,
    )
more_filters = st.columns(4)
with more_filters[0]:
    rule_ids = sorted(set(feed["rule_id"]))
    by_uid = ruleset.by_uid()
    rule = url_state.url_choice(
        "rule",
        ["all", *rule_ids],
        "all",
        tr("Rule"),
        format_func=lambda r: (
            tr("All rules") if r == "all" else (by_uid[r].text("title", ctx.lang) if r in by_uid else r)
        ),
        lang=ctx.lang,
    )

with more_filters[1]:
    label = url_state.url_choice(
        "label",
        ["all", *evaluation.feed_labels(feed)],
        "all",
        tr("Label"),
        format_func=lambda lb: tr("All labels") if lb == "all" else alert_panels.label_text(ctx, lb),
        lang=ctx.lang,
    )
with more_filters[2]:
    office = url_state.url_choice(
        "office",
        ["all", *rules.RESPONDERS],
        roles.office(ctx.identity.role) or "all",  # a provincial office sees first what it must respond to
        tr("First, what this office must respond to"),
        format_func=lambda o: tr("Any office") if o == "all" else alert_panels.office_label(ctx, o),
        lang=ctx.lang,
    )

shown = evaluation.filter_feed(
    feed,
    severity=severity,
    state=state,
    group_key=region,
    province_id=province,
    rule_id=rule,
    label=label,
    office=office,
)

left, right = st.columns([1, 2])
with left:
    st.subheader(tr("Where are the crises?"))
    incident_rows = evaluation.incidents(ctx.db, ctx.country, ctx.scope, since=today - RECENT, as_of=today)
    focus = [province] if province != "all" else None if region == "all" else groups.loc[region, "province_ids"]
    clicked = st.vega_lite_chart(
        alert_panels.alert_map(ctx, shown, provinces, incident_rows[incident_rows["active"]], focus),
        on_select="rerun",
        key="alerts_map",
    )
    st.caption(
        tr(
            "Provinces coloured by their most severe open alert; circles are active incidents, sized by "
            "students affected."
        )
        + " "
        + tr("Click a province to open its review.")
        + " "
        + tr(geo.ATTRIBUTION)
    )
    links.open_province(ctx, vega_maps.clicked(clicked.selection))
with right:
    st.subheader(tr("Alert feed"))
    selected_id = alert_panels.alert_feed(ctx, shown)

alert_id = alert_panels.url_alert_id(selected_id, set(feed["id"]))
linked = alert_panels.opened_by_link(selected_id, alert_id)
if not linked:
    st.divider()
with linked_here if linked else st.container():
    if alert_id is None:
        st.info(
            tr("Select an alert in the feed to see its evidence, runbook, history and actions."),
            icon=":material/touch_app:",
        )
    else:
        alert = lifecycle.get(engine, alert_id, area_ids=list(places.index))
        rule_of_alert = by_uid.get(alert.rule_id)
        row = feed.set_index("id").loc[alert_id]
        st.subheader(text.plain(f"{row['rule_title']} · {row['place']}"))  # a rule's title, an area's name: as written
        alert_panels.episode_header(ctx, alert, row)
        evidence_col, action_col = st.columns([6, 4])
        with evidence_col:
            series = evaluation.evidence(ctx.db, ctx.country, alert, ctx.scope, rule_of_alert)
            if series is not None and not series.empty:
                indicator = indicators.catalogue(ctx.db, ctx.country).loc[
                    rule_of_alert.indicator_id if rule_of_alert else alert.subject
                ]
                st.plotly_chart(
                    alert_panels.evidence_figure(ctx, indicator, series, alert), config={"displayModeBar": False}
                )
            elif alert.detail.get("kind") == "stuck_policy":
                st.vega_lite_chart(alert_panels.policy_evidence_figure(ctx, alert), key="policy_evidence")
                links.page_link(
                    ctx,
                    "policies",
                    tr("Open the policy"),
                    ":material/account_tree:",
                    policy=alert.subject,
                    province=row["province_id"],
                )
            elif alert.detail.get("kind") == "incidents":
                related = evaluation.related_incidents(incident_rows, alert)
                if related.empty:  # an empty grid says "empty", in English
                    st.caption(
                        tr("No incident of this kind recorded in this area in the last {days} days.", days=RECENT.days)
                    )
                else:
                    alert_panels.show_incidents(ctx, related)
            st.markdown("**" + tr("What to do") + "**")
            st.markdown(row["runbook"] or tr("No runbook given for this rule."))
            if ctx.identity.can("record_decisions"):  # what a runbook often ends with
                links.page_link(
                    ctx, "decisions", tr("Record a decision about this alert"), ":material/gavel:", alert=alert_id
                )
        with action_col:
            alert_panels.alert_actions(ctx, engine, alert, list(places.index))
            st.markdown("**" + tr("History") + "**")
            alert_panels.alert_history(ctx, lifecycle.history(engine, alert_id, area_ids=list(places.index)))
    if linked:
        st.divider()

st.divider()
st.subheader(tr("Incident register"))
register = evaluation.incidents(ctx.db, ctx.country, ctx.scope, since=today - timedelta(days=365), as_of=today)
alert_panels.incident_register(ctx, register, today)
