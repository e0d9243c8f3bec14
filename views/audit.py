"""Audit trail (administrators): every sign-in, failed sign-in, write, refusal, export and publish, filtered."""

from datetime import timedelta

import pandas as pd
import streamlit as st

from cockpit import clock, i18n, periods
from cockpit.figures import short_text
from cockpit.i18n import N_
from cockpit.state.tables import AUDIT_KINDS
from cockpit.ui import forms, sidebar, tables
from cockpit.users import accounts, audit

ctx = sidebar.context()
tr = ctx.tr
engine = ctx.store

st.title(tr("Audit trail"))
if engine is None:
    st.stop()  # the audit trail lives in the state store: the banner above says why it cannot be used now
if not ctx.identity.can("read_audit"):
    refused = audit.refuse(
        engine,
        ctx.identity,
        "page.audit",
        N_("Your role ({role}) may not read the audit trail."),
        role=ctx.identity.role,
    )
    forms.refused(ctx, refused)
    st.stop()
st.caption(tr("Who did what, when and where. Nothing here can be changed or removed."))

today = clock.today()
first, second, third = st.columns([4, 3, 3])
with first:
    kinds = st.multiselect(
        tr("What"),
        AUDIT_KINDS,
        format_func=lambda k: tr(audit.KIND_LABELS[k]),
        key="audit_kinds",
        placeholder=tr("Everything"),
    )
with second:
    login = st.text_input(tr("Who (login contains)"), key="audit_login")
with third:
    area = st.text_input(tr("Area (id, e.g. 67)"), key="audit_area")
# Days typed in the reader's calendar (a range picker was Gregorian, in English, and cut at 1366 px).
fourth, fifth, sixth, seventh = st.columns([2, 2, 2, 4])
with fourth:
    since = forms.typed_day(ctx, tr("From (day/month/year)"), "audit_since", today - timedelta(days=30))
with fifth:
    until = forms.typed_day(ctx, tr("To (day/month/year)"), "audit_until", today)
with sixth:
    country = st.selectbox(
        tr("Country"),
        [None, *i18n.COUNTRY_NAMES],
        format_func=lambda c: tr("All") if c is None else tr(i18n.COUNTRY_NAMES[c]),
        key="audit_country",
    )
with seventh:
    search = st.text_input(tr("Action, target or detail contains"), key="audit_text")
since, until = min(since, until), max(since, until)
rows = audit.entries(
    engine,
    kinds=kinds or None,
    login=login.strip() or None,
    country=country,
    area_ids=[area.strip()] if area.strip() else None,
    since=since,
    until=until,
    text=search.strip() or None,
    limit=2000,
)
counts = rows["kind"].value_counts()
metrics = st.columns(4)
for column, kind in zip(metrics, ("sign_in", "sign_in_failed", "write", "refused"), strict=True):
    column.metric(tr(audit.KIND_LABELS[kind]), int(counts.get(kind, 0)))

entries = audit.readable(rows, ctx.lang)
WHO_PX, DETAIL_PX = 210, 160
# At 1366 px: when, who, what and where; the role, how they signed in, the country and area in the entry picked, and
# the whole detail (the column as wide as its longest detail scrolled the table sideways; here the grid cuts it).
event = st.dataframe(
    entries.assign(who=short_text.fit_column(entries["who"], WHO_PX)),
    hide_index=True,
    key=tables.selection_key("audit_table", entries["id"]),
    on_select="rerun",
    selection_mode="single-row",
    column_order=["when", "who", "what", "action", "target", "detail"],
    column_config={
        "when": st.column_config.TextColumn(tr("When"), width=150),
        "who": st.column_config.TextColumn(tr("Who"), width=WHO_PX),
        "what": st.column_config.TextColumn(tr("What"), width=100),
        "action": st.column_config.TextColumn(tr("Action"), width=130),
        "target": st.column_config.TextColumn(tr("Target"), width=110),
        "detail": st.column_config.TextColumn(tr("Detail"), width=DETAIL_PX),
    },
    height=tables.fit_height(len(entries), 420),
)
st.caption(
    tr(
        "{n} entries shown (at most 2,000, newest first), {since} to {until}.",
        n=len(rows),
        since=periods.day_label(since, ctx.lang),
        until=periods.day_label(until, ctx.lang),
    )
    + " "
    + tr("Pick a row to see the whole entry.")
)
picked = [n for n in event.selection.rows if n < len(entries)]
if picked:
    entry = entries.iloc[picked[0]]
    with st.container(border=True):
        fields = {
            tr("When"): entry["when"],
            tr("Who"): entry["who"],
            tr("Role"): entry["role"],
            tr("How"): entry["how"],
            tr("What"): entry["what"],
            tr("Action"): entry["action"],
            tr("Country"): entry["country"],
            tr("Area"): entry["area"],
            tr("Target"): entry["target"],
        }
        fields = {name: value or i18n.NO_VALUE for name, value in fields.items()}
        st.dataframe(
            pd.DataFrame({tr("Field"): list(fields), tr("Value"): list(fields.values())}),
            hide_index=True,
            column_config={tr("Field"): st.column_config.TextColumn(width=150)},
        )
        if entry["detail"]:
            st.caption(tr("Detail"))
            st.code(entry["detail"], language=None, wrap_lines=True)  # as recorded, never as Markdown

with st.expander(tr("Accounts"), icon=":material/group:"):
    st.caption(tr("Accounts are added, disabled and given new passwords with python -m cockpit.users."))
    listed = accounts.listing(engine)
    if listed.empty:  # the demo's accounts are built in: none in the store
        st.info(tr("No account has been added yet."))
    else:
        st.dataframe(
            accounts.readable(listed, ctx.lang),
            hide_index=True,
            key="audit_accounts",
            column_config={
                "login": st.column_config.TextColumn(tr("Login"), width=150),
                "name": st.column_config.TextColumn(tr("Name"), width=180),
                "role": st.column_config.TextColumn(tr("Role"), width=160),
                "area": st.column_config.TextColumn(tr("Area"), width=80),
                "how": st.column_config.TextColumn(tr("How"), width=110),
                "active": st.column_config.CheckboxColumn(tr("In use"), width=80),
                "last": st.column_config.TextColumn(tr("Last sign-in"), width=130),
            },
        )
