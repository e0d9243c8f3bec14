"""Decisions: the meetings' register (who acts, by when, done or not), a form to record one, and the minutes."""

import pandas as pd
import sqlalchemy as sa
import streamlit as st

from cockpit import clock, periods, settings
from cockpit.meeting import decisions, four_walls, minutes, walls
from cockpit.ui import exports, forms, page_help, sidebar, store_status, text, url_state
from cockpit.users.identity import Forbidden

ctx = sidebar.context()
tr = ctx.tr
engine = ctx.store
today = clock.today()

st.title(tr("Decisions"))
page_help.panel(ctx, "decisions")
st.caption(
    tr("What each meeting decided, who acts and by when. Open decisions show on the walls and on their province.")
)
if engine is None:
    st.stop()  # decisions live in the state store: the banner above says why it cannot be used now

feed = four_walls.alert_state(ctx.db, engine, ctx.country, ctx.scope, ctx.lang, today, settings.load().rules_dir).feed
# A link about an area (?area=67) opens the form about that area; about a policy there (?area=67&policy=…), about
# that policy in that area; about an alert (?alert=12), about it. A link's values are only matched against the
# subjects offered, never trusted.
about_area, about_policy = st.query_params.get("area"), st.query_params.get("policy")
about_alert = st.query_params.get("alert")
subjects = walls.decision_subjects(ctx.db, ctx.country, ctx.scope, ctx.lang, feed, ctx.identity.national, about_area)
names = walls.subject_names(subjects)

dates = decisions.meeting_dates(engine, ctx.country)
if ctx.identity.can("record_decisions"):
    default_subject = walls.linked_subject(about_area, about_policy, about_alert)
    if default_subject is not None and forms.subject_index(subjects, default_subject) is None:
        url_state.notice(
            tr(
                "The link asks for a decision about {subject}, which does not exist or is not yours to decide.",
                subject=" · ".join(v for v in (about_policy or about_alert, about_area) if v),
            )
        )
        default_subject = None
    with st.expander(tr("Record a decision"), icon=":material/gavel:", expanded=not dates or bool(default_subject)):
        if forms.decision_form(ctx, engine, subjects, "decisions_form", default_subject) is not None:
            st.rerun()


register = st.container()
SHOWN_IDS, SELECTED = "decision_register_ids", "decision_selected_id"


def remember_selection():
    """On a click in the register: the decision picked, by its id in the register as the reader saw it."""
    rows = st.session_state["decision_register"].selection.rows
    ids = st.session_state.get(SHOWN_IDS, [])
    st.session_state[SELECTED] = ids[rows[0]] if rows and rows[0] < len(ids) else None


with register:
    st.subheader(tr("Register"))
    left, right, _ = st.columns([2, 2, 3])
    with left:
        meeting = url_state.url_choice(
            "meeting",
            ["all", *(d.isoformat() for d in dates)],
            "all",
            tr("Meeting"),
            format_func=lambda d: tr("All meetings") if d == "all" else periods.day_label(d, ctx.lang),
            lang=ctx.lang,
        )
    with right:
        status = url_state.url_choice(
            "status",
            ["open", "done", "all"],
            "open",
            tr("Status"),
            format_func=lambda s: tr("All") if s == "all" else tr(decisions.STATUS_LABELS[s]),
            lang=ctx.lang,
        )
    table = walls.scoped_decisions(
        ctx.db,
        engine,
        ctx.country,
        ctx.scope,
        status=None if status == "all" else status,
        meeting_date=None if meeting == "all" else periods.as_date(meeting),
    )
    # The decision picked, by id: never the row that happens to sit where it was once someone else changed it.
    picked = st.session_state.get(SELECTED)
    match = table[table["id"] == picked] if picked is not None else table.iloc[0:0]
    selected = match.iloc[0] if len(match) else None
    if picked is not None and selected is None:
        st.info(tr("Decision #{id} is no longer in this list: someone changed it, or the filters hide it.", id=picked))
    if table.empty:
        st.info(tr("No decisions match these filters yet."), icon=":material/gavel:")
    else:
        late = decisions.overdue(table, today)
        shown = pd.DataFrame(
            {
                "id": table["id"],
                "meeting": [periods.day_label(d, ctx.lang) for d in table["meeting_date"]],
                "text": table["text"],
                "about": [
                    walls.about(names, t, i, a, ctx.lang)
                    for t, i, a in zip(table["subject_type"], table["subject_id"], table["area_id"], strict=True)
                ],
                "owner": table["owner"],
                "due": [periods.day_label(d, ctx.lang) for d in table["due_date"]],  # "–" for none
                "status": [
                    tr("Overdue") if is_late else tr(decisions.STATUS_LABELS[s])
                    for s, is_late in zip(table["status"], late, strict=True)
                ],
            }
        )
        st.dataframe(
            shown,
            hide_index=True,
            on_select=remember_selection,
            selection_mode="single-row",
            key="decision_register",
            column_config={
                # Widths that fit a 1366 px laptop beside the sidebar and the row pickers; the whole text and
                # owner are in the detail below.
                "id": st.column_config.NumberColumn("#", width=40),
                "meeting": st.column_config.TextColumn(tr("Meeting"), width=90),
                "text": st.column_config.TextColumn(tr("Decision"), width=260),
                "about": st.column_config.TextColumn(tr("About"), width=150),
                "owner": st.column_config.TextColumn(tr("Owner"), width=130),
                "due": st.column_config.TextColumn(tr("Due"), width=90),
                "status": st.column_config.TextColumn(tr("Status"), width=80),
            },
        )
        st.session_state[SHOWN_IDS] = [int(i) for i in table["id"]]
        st.caption(
            tr(
                "{n} decisions, {late} overdue. Select one to mark it done.",
                n=len(table),
                late=int(late.sum()),
            )
        )

    if selected is not None:
        with st.container(border=True):
            st.markdown(f"**#{int(selected['id'])}** " + text.plain(selected["text"]))  # typed, shown as typed
            # The owner whole: the register's column, as wide as a laptop allows, cuts a long title.
            st.caption(tr("Owner: {name}", name=text.plain(selected["owner"])))
            st.caption(tr("Recorded by {name}", name=text.plain(selected["recorded_by"])))
            done = selected["status"] == "done"
            if done:
                who, when = selected["done_by"], periods.day_label(selected["done_at"], ctx.lang)
                st.caption(tr("Done by {name} on {day}", name=text.plain(who), day=when))
            # The version the reader saw: this rerun has read the register again (see alert_panels.alert_actions).
            seen_key = f"decision_{int(selected['id'])}_seen_version"
            seen = st.session_state.get(seen_key, int(selected["version"]))
            with st.form(f"decision_{int(selected['id'])}", border=False):
                actor = forms.acting_as(ctx)
                label = tr("Reopen") if done else tr("Mark done")
                submitted = st.form_submit_button(
                    label, type="secondary" if done else "primary", disabled=not ctx.identity.can("record_decisions")
                )
            if not submitted:
                st.session_state[seen_key] = int(selected["version"])
            else:
                change = decisions.reopen if done else decisions.mark_done
                try:
                    change(
                        engine,
                        int(selected["id"]),
                        actor,
                        ctx.country,
                        expected_version=seen,
                    )
                except decisions.StaleDecision:
                    st.session_state[seen_key] = int(selected["version"])
                    st.warning(tr("Someone changed this decision since you opened it; here it is as it stands now."))
                except decisions.DecisionError as exc:
                    st.error(tr(exc.message, **exc.values))
                except Forbidden as exc:
                    forms.refused(ctx, exc)
                except sa.exc.SQLAlchemyError as exc:
                    store_status.not_recorded(tr, exc)
                else:
                    st.toast(tr("Recorded."), icon=":material/check:")
                    st.rerun()

st.divider()
st.subheader(tr("Minutes"))
if not dates:
    st.caption(tr("The minutes can be downloaded once a meeting has recorded a decision."))
else:
    left, middle = st.columns([1, 2])
    with left:
        day = st.selectbox(
            tr("Meeting"), dates, format_func=lambda d: periods.day_label(d, ctx.lang), key="minutes_meeting"
        )
    with middle:
        attendees = st.text_area(
            tr("Attendees (optional)"),
            key="minutes_attendees",
            height=68,
            placeholder=tr("e.g. Permanent Secretary (chair); deputy permanent secretaries; directors of bureaus"),
        )
    of_meeting = walls.scoped_decisions(ctx.db, engine, ctx.country, ctx.scope, meeting_date=day)
    document = minutes.build(of_meeting, ctx.country, ctx.lang, day, attendees, names)
    stem = f"decisions-{ctx.country}-{day.isoformat()}"
    st.caption(tr("{n} decisions recorded at this meeting.", n=len(of_meeting)))
    first, second = st.columns(2)
    with first:
        st.download_button(
            tr("Minutes (Word)"),
            data=exports.audited(ctx, "minutes.docx", lambda: minutes.docx(document)),
            file_name=f"{stem}.docx",
            mime="application/vnd.openxmlformats-officedocument.wordprocessingml.document",
            icon=":material/description:",
            on_click="ignore",
            width="stretch",
        )
    with second:
        st.download_button(
            tr("Minutes (PDF)"),
            data=exports.audited(ctx, "minutes.pdf", lambda: minutes.pdf_bytes(document)),
            file_name=f"{stem}.pdf",
            mime="application/pdf",
            icon=":material/picture_as_pdf:",
            on_click="ignore",
            width="stretch",
        )
