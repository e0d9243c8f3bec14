"""Audit trail (administrators): every sign-in, failed sign-in, write, refusal, export and publish, filtered."""

from datetime import timedelta

import pandas as pd
import streamlit as st

from cockpit import clock
from cockpit.i18n import N_
from cockpit.state.tables import AUDIT_KINDS
from cockpit.ui import badges, forms, sidebar
from cockpit.users import accounts, audit

ctx = sidebar.context()
tr = ctx.tr
engine = ctx.store

KIND_LABELS = {
    "sign_in": N_("Sign-in"),
    "sign_in_failed": N_("Failed sign-in"),
    "sign_out": N_("Sign-out"),
    "write": N_("Write"),
    "refused": N_("Refused"),
    "export": N_("Export"),
    "publish": N_("Publish"),
    "users": N_("Accounts"),
}

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
first, second, third, fourth = st.columns([3, 2, 2, 2])
with first:
    kinds = st.multiselect(
        tr("What"),
        AUDIT_KINDS,
        format_func=lambda k: tr(KIND_LABELS[k]),
        key="audit_kinds",
        placeholder=tr("Everything"),
    )
with second:
    login = st.text_input(tr("Who (login contains)"), key="audit_login")
with third:
    area = st.text_input(tr("Area (id, e.g. 67)"), key="audit_area")
with fourth:
    days = st.date_input(tr("Between"), value=(today - timedelta(days=30), today), max_value=today, key="audit_days")
search = st.text_input(tr("Action, target or detail contains"), key="audit_text")
since, until = (days[0], days[-1]) if isinstance(days, tuple | list) and days else (None, None)
rows = audit.entries(
    engine,
    kinds=kinds or None,
    login=login.strip() or None,
    area_ids=[area.strip()] if area.strip() else None,
    since=since,
    until=until,
    text=search.strip() or None,
    limit=2000,
)
counts = rows["kind"].value_counts()
metrics = st.columns(4)
for column, kind in zip(metrics, ("sign_in", "sign_in_failed", "write", "refused"), strict=True):
    column.metric(tr(KIND_LABELS[kind]), int(counts.get(kind, 0)))
st.dataframe(
    pd.DataFrame(
        {
            tr("When"): rows["at"].map(
                lambda t: badges.format_day(ctx, t.astimezone(clock.zone())) + f" {t.astimezone(clock.zone()):%H:%M:%S}"
            ),
            tr("Who"): rows["name"] + " (" + rows["login"] + ")",
            tr("Role"): rows["role"].fillna(""),
            tr("How"): rows["via"].fillna(""),
            tr("What"): rows["kind"].map(lambda k: tr(KIND_LABELS.get(k, k))),
            tr("Action"): rows["action"],
            tr("Country"): rows["country"].fillna(""),
            tr("Area"): rows["area_id"].fillna(""),
            tr("Target"): rows["target"].fillna(""),
            tr("Detail"): rows["detail"].fillna(""),
        }
    ),
    hide_index=True,
    key="audit_table",
)
st.caption(tr("{n} entries shown (at most 2,000, newest first).", n=len(rows)))

with st.expander(tr("Accounts"), icon=":material/group:"):
    st.caption(tr("Accounts are added, disabled and given new passwords with python -m cockpit.users."))
    st.dataframe(accounts.listing(engine), hide_index=True, key="audit_accounts")
