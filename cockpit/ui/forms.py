"""Forms that record what people do: who is acting (the signed-in identity), the decision form and the decision
dialog over a wall."""

from __future__ import annotations

from collections.abc import Callable
from datetime import date

import pandas as pd
import sqlalchemy as sa
import streamlit as st

from cockpit import clock, periods
from cockpit.data.access import Scope
from cockpit.meeting import decisions, walls
from cockpit.ui import sidebar, store_status, text
from cockpit.users.identity import Actor, Forbidden


def acting_as(ctx: sidebar.Context) -> Actor:
    """Who is acting: the signed-in identity, said in the form; never a name typed in (the state store checks it)."""
    st.caption(text.plain(ctx.tr("Acting as {name}", name=ctx.actor.label)))
    return ctx.actor


def refused(ctx: sidebar.Context, exc: Forbidden) -> None:
    """A write the state store refused (and audited): why, in the reader's language."""
    st.error(exc.text(ctx.lang), icon=":material/block:")


def decision_form(ctx: sidebar.Context, engine, subjects: pd.DataFrame, key: str, default_subject: tuple | None = None):
    """Record a decision: text, owner, due date and what it is about; returns the Decision when recorded.

    `subjects` as walls.decision_subjects gives them; `default_subject` (subject_type, subject_id[, area_id])
    chooses the first that matches."""
    keys = subject_keys(subjects)
    labels = {
        key: f"{ctx.tr(decisions.SUBJECT_LABELS[key[0]])} · {label}"
        for key, label in zip(keys, subjects["label"], strict=True)
    }
    options = list(labels)
    index = subject_index(subjects, default_subject)
    today = clock.today()
    # The form is emptied after a decision is recorded, never on a refused one: what was typed stays to be fixed.
    if st.session_state.pop(f"{key}_recorded", False):
        emptied(f"{key}_text", f"{key}_owner", f"{key}_due_typed")
        st.session_state[f"{key}_due"] = None
        st.session_state.pop(f"{key}_subject", None)
    with st.form(key, border=False):
        decided = st.text_area(ctx.tr("What was decided"), key=f"{key}_text", height=90)
        left, right = st.columns(2)
        with left:
            owner = st.text_input(ctx.tr("Owner (who acts)"), key=f"{key}_owner")
        with right:
            due_typed, due_picked = due_date_fields(ctx, key, today)
        subject = st.selectbox(
            ctx.tr("About"),
            options,
            index=index,
            format_func=labels.get,
            key=f"{key}_subject",
            placeholder=ctx.tr("An area, indicator, alert or policy"),
        )
        recorder = acting_as(ctx)
        submitted = st.form_submit_button(ctx.tr("Record the decision"), type="primary", icon=":material/gavel:")
    if not submitted:
        return None
    if subject is None:
        st.error(ctx.tr("Choose what the decision is about."))
        return None
    try:
        due = periods.parse_day(due_typed, ctx.lang, today) or due_picked
    except periods.DayNotRead as exc:
        st.error(day_not_read(ctx, exc), icon=":material/event_busy:")
        return None
    if engine is None:
        store_status.not_recorded(ctx.tr)
        return None
    try:
        decision = decisions.record(
            engine,
            ctx.country,
            decided,
            owner,
            subject[0],
            subject[1],
            recorder,
            meeting_date=today,
            due_date=due,
            area_id=subject[2],
        )
    except decisions.DecisionError as exc:
        st.error(ctx.tr(exc.message, **exc.values))
        return None
    except Forbidden as exc:
        refused(ctx, exc)
        return None
    except sa.exc.SQLAlchemyError as exc:
        store_status.not_recorded(ctx.tr, exc)
        return None
    st.toast(
        ctx.tr("Decision recorded, due {day}.", day=periods.day_label(due, ctx.lang))
        if due is not None
        else ctx.tr("Decision recorded."),
        icon=":material/check:",
    )
    st.session_state[f"{key}_recorded"] = True
    return decision


def emptied(*keys: str) -> None:
    """Empty these text fields, in the browser too: called before they are drawn, on the run after what they held
    was saved. (Deleting their keys reset them on the server only: the browser kept showing the text, and a second
    click sent it again.)"""
    for key in keys:
        st.session_state[key] = ""


def subject_keys(subjects: pd.DataFrame) -> list[tuple[str, str, str | None]]:
    """(subject_type, subject_id, area_id) of each of walls.decision_subjects' rows."""
    # pandas keeps a missing area as NaN, which equals nothing: a national subject's area is None.
    areas = [a if isinstance(a, str) else None for a in subjects["area_id"]]
    return list(zip(subjects["subject_type"], subjects["subject_id"], areas, strict=True))


def subject_index(subjects: pd.DataFrame, wanted: tuple | None) -> int | None:
    """Which of `subjects` is first `wanted` ((subject_type, subject_id) or (…, area_id)), if any."""
    if not wanted:
        return None
    return next((n for n, key in enumerate(subject_keys(subjects)) if key[: len(wanted)] == tuple(wanted)), None)


def due_date_fields(ctx: sidebar.Context, key: str, today) -> tuple[str, object]:
    """A due date typed in the reader's calendar (Thai readers: the Buddhist era) or picked on Streamlit's calendar,
    whose years are Gregorian and whose words English in every language (st.date_input has no locale): (typed text,
    picked day). The typed day wins; periods.parse_day reads it when the form is sent."""
    example = periods.typed_day_example(ctx.lang, today)
    typed = st.text_input(
        ctx.tr("Due date (day/month/year)"),
        key=f"{key}_due_typed",
        placeholder=example,
        help=ctx.tr("Type the year in the Buddhist era, for example {example}.", example=example)
        if ctx.lang == "th"
        else ctx.tr("For example {example}.", example=example),
    )
    picked = st.date_input(
        ctx.tr("or pick it on the calendar (years in the common era)")
        if ctx.lang == "th"
        else ctx.tr("or pick it on the calendar"),
        value=None,
        min_value=today,
        format="DD/MM/YYYY",
        key=f"{key}_due",
    )
    return typed, picked


def typed_day(ctx: sidebar.Context, label: str, key: str, default: date) -> date:
    """A day typed in the reader's calendar (Thai readers: the Buddhist era), the `default` shown as its placeholder
    and taken when the field is empty. A day that cannot be read is said under the field, in the reader's language,
    and the default is taken: the rest of the page stays as it was. (A filter's day: a picker would be Streamlit's
    Gregorian calendar in English, and a range picker is cut at 1366 px.)"""
    example = periods.typed_day_example(ctx.lang, default)
    typed = st.text_input(
        label,
        key=key,
        placeholder=example,
        help=ctx.tr("Empty: {day}. The year in the Buddhist era, for example {example}.", day=example, example=example)
        if ctx.lang == "th"
        else ctx.tr("Empty: {day}.", day=example),
    )
    try:
        return periods.parse_day(typed, ctx.lang, default) or default
    except periods.DayNotRead as exc:
        st.error(day_not_read(ctx, exc), icon=":material/event_busy:")
        return default


def day_not_read(ctx: sidebar.Context, exc: periods.DayNotRead) -> str:
    """Why a typed day was not read, with what was typed shown as typed (never as Markdown)."""
    return ctx.tr(exc.message, **{k: text.plain(str(v)) for k, v in exc.values.items()})


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
    ctx: sidebar.Context, scope: Scope, default_subject: tuple | None = None, on_close: Callable[[], None] | None = None
) -> None:
    """While open (see open_decision), the 'record a decision' form in a dialog over the wall, on every run.

    The dialog is drawn again on each full run until it is saved or dismissed, so a rerun of the page
    (a wall changing, a refresh) can never take away a decision half typed; `on_close` is called once
    it closes either way. The wall shows the decision once recorded.
    """
    if not deciding():
        return
    engine = ctx.store

    def close() -> None:
        st.session_state[DECIDING] = False
        if on_close is not None:
            on_close()

    @st.dialog(ctx.tr("Record a decision"), width="large", on_dismiss=close)
    def dialog():
        subjects = walls.decision_subjects(ctx.db, ctx.country, scope, ctx.lang, national=ctx.identity.national)
        if decision_form(ctx, engine, subjects, "wall_decision", default_subject) is not None:
            close()
            st.rerun()

    dialog()
