"""Decisions taken in a meeting: what, who owns it, by when, what it is about; kept in the state store until done.

A decision concerns one subject (an area, an indicator, an alert or a policy, by id) and, when it
concerns a place, that area (`area_id`), so it shows on the area's pages. It is `open` until someone
marks it `done` (who and when are kept); a mistaken "done" can be reopened. Every change bumps
`version`: a caller that passes the version it displayed gets StaleDecision when someone else
changed the decision in between (the same optimistic check as cockpit.alerts.lifecycle). Each change
runs in one transaction: on SQLite the store begins writing transactions IMMEDIATE, on PostgreSQL the row
is locked (SELECT ... FOR UPDATE), so two people marking at once are serialised.
"""

from __future__ import annotations

import math
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, fields
from datetime import UTC, date, datetime

import pandas as pd
import sqlalchemy as sa

from cockpit import clock
from cockpit.i18n import N_
from cockpit.state import store
from cockpit.state.tables import DECISION_STATUSES, DECISION_SUBJECTS, decisions
from cockpit.users import audit
from cockpit.users.identity import Actor

SUBJECT_TYPES = DECISION_SUBJECTS
STATUSES = DECISION_STATUSES
SUBJECT_LABELS = {
    "area": N_("Area"),
    "indicator": N_("Indicator"),
    "alert": N_("Alert"),
    "policy": N_("Policy"),
}
STATUS_LABELS = {"open": N_("Open"), "done": N_("Done")}
TEXT_MAX_CHARS = 4000
NAME_MAX_CHARS = 200


class DecisionError(ValueError):
    """A decision that cannot be recorded or changed: `message` is an interface message (English msgid)."""

    def __init__(self, message: str, **values):
        self.message, self.values = message, values
        super().__init__(message.format(**values) if values else message)


class DecisionNotFound(LookupError):
    """No decision with that id for this country (and within the caller's areas, when given)."""


class StaleDecision(Exception):
    """The decision changed since the caller read it; show it again before acting."""


@dataclass(frozen=True)
class Decision:
    id: int
    country: str
    meeting_date: date
    text: str
    owner: str
    due_date: date | None
    subject_type: str
    subject_id: str
    area_id: str | None
    status: str
    recorded_by: str
    recorded_at: datetime
    done_by: str | None
    done_at: datetime | None
    version: int

    def overdue(self, today: date) -> bool:
        return self.status == "open" and self.due_date is not None and self.due_date < today


DECISION_COLUMNS = [f.name for f in fields(Decision)]


def record(
    engine: sa.Engine,
    country: str,
    text: str,
    owner: str,
    subject_type: str,
    subject_id: str,
    recorded_by: Actor,
    meeting_date: date | None = None,
    due_date: date | None = None,
    area_id: str | None = None,
    now: datetime | None = None,
) -> Decision:
    """Record a decision of the meeting held on `meeting_date` (default: today, UTC); returns it as stored.

    `recorded_by` is the signed-in actor: users.Forbidden (audited) unless its role records decisions and the
    area the decision concerns is in its scope."""
    now = _utc(now)
    meeting_date = meeting_date or now.date()
    actor = _actor(recorded_by)
    text, owner, recorded_by = (text or "").strip(), _clean(owner), _clean(actor.label)
    subject_id, area_id = _clean(subject_id), _clean(area_id) or None
    if subject_type == "area" and area_id is None:
        area_id = subject_id or None
    audit.check(engine, actor, "record_decisions", "decision.record", country, area_id)
    if not text:
        raise DecisionError(N_("Write what was decided."))
    if len(text) > TEXT_MAX_CHARS:
        raise DecisionError(N_("A decision is at most {n} characters; split it in two."), n=TEXT_MAX_CHARS)
    if not owner:
        raise DecisionError(N_("Name who owns the decision."))
    if len(owner) > NAME_MAX_CHARS or len(recorded_by) > NAME_MAX_CHARS:
        raise DecisionError(N_("A name is at most {n} characters."), n=NAME_MAX_CHARS)
    if subject_type not in SUBJECT_TYPES:
        raise DecisionError(N_("A decision is about an area, an indicator, an alert or a policy."))
    if not subject_id:
        raise DecisionError(N_("Choose what the decision is about."))
    if subject_type == "area" and area_id is None:
        area_id = subject_id
    if due_date is not None and due_date < meeting_date:
        raise DecisionError(N_("The due date is before the meeting."))
    values = dict(
        country=country,
        meeting_date=meeting_date,
        text=text,
        owner=owner,
        due_date=due_date,
        subject_type=subject_type,
        subject_id=subject_id,
        area_id=area_id,
        status="open",
        recorded_by=recorded_by,
        recorded_at=now,
        done_by=None,
        done_at=None,
        version=1,
    )
    with engine.begin() as conn:
        decision_id = conn.execute(sa.insert(decisions).values(values)).inserted_primary_key[0]
        audit.record(
            conn,
            actor.identity,
            "write",
            "decision.record",
            country=country,
            area_id=area_id,
            target=f"decision:{decision_id}",
            detail=text[:500],
        )
        return _decision(conn.execute(sa.select(decisions).where(decisions.c.id == decision_id)).one())


def mark_done(
    engine: sa.Engine,
    decision_id: int,
    actor: Actor,
    country: str,
    expected_version: int | None = None,
    area_ids: Iterable[str] | None = None,
    now: datetime | None = None,
) -> Decision:
    """Mark a decision done by the signed-in `actor` now; StaleDecision if it changed since `expected_version`
    was shown; users.Forbidden (audited) when the actor may not."""
    actor = _actor(actor)
    now = _utc(now)
    return _change(
        engine,
        decision_id,
        country,
        "open",
        {"status": "done", "done_by": _clean(actor.label), "done_at": now},
        expected_version,
        area_ids,
        actor,
        "decision.done",
    )


def reopen(
    engine: sa.Engine,
    decision_id: int,
    actor: Actor,
    country: str,
    expected_version: int | None = None,
    area_ids: Iterable[str] | None = None,
) -> Decision:
    """Undo a 'done' marked by mistake; the decision is open again (who reopened it is in the audit trail)."""
    return _change(
        engine,
        decision_id,
        country,
        "done",
        {"status": "open", "done_by": None, "done_at": None},
        expected_version,
        area_ids,
        _actor(actor),
        "decision.reopen",
    )


def get(engine: sa.Engine, decision_id: int, country: str, area_ids: Iterable[str] | None = None) -> Decision:
    with store.reading(engine).connect() as conn:
        row = conn.execute(_scoped(_one(decision_id, country), area_ids)).one_or_none()
    if row is None:
        raise DecisionNotFound(f"no decision {decision_id}")
    return _decision(row)


def list_decisions(
    engine: sa.Engine,
    country: str,
    area_ids: Iterable[str] | None = None,
    status: str | None = None,
    meeting_date: date | None = None,
    subject_type: str | None = None,
    subject_ids: Iterable[str] | None = None,
) -> pd.DataFrame:
    """One row per decision (columns: DECISION_COLUMNS), in the order recorded (meeting date, then id).

    `area_ids`: only decisions concerning those areas (None: all, national ones included);
    `status`: 'open' or 'done' (None: both); the other filters narrow further.
    """
    query = sa.select(decisions).where(decisions.c.country == country)
    if status is not None:
        query = query.where(decisions.c.status == status)
    if meeting_date is not None:
        query = query.where(decisions.c.meeting_date == meeting_date)
    if subject_type is not None:
        query = query.where(decisions.c.subject_type == subject_type)
    if subject_ids is not None:
        query = query.where(decisions.c.subject_id.in_(list(subject_ids)))
    query = _scoped(query, area_ids).order_by(decisions.c.meeting_date, decisions.c.id)
    with store.reading(engine).connect() as conn:
        rows = conn.execute(query).mappings().all()
    # The columns by name, not through Decision and asdict: its deep copies took 130 ms for a year of meetings.
    return pd.DataFrame([[row[c] for c in DECISION_COLUMNS] for row in rows], columns=DECISION_COLUMNS)


def meeting_dates(engine: sa.Engine, country: str) -> list[date]:
    """The dates of meetings that recorded decisions, newest first."""
    query = (
        sa.select(decisions.c.meeting_date)
        .where(decisions.c.country == country)
        .distinct()
        .order_by(decisions.c.meeting_date.desc())
    )
    with store.reading(engine).connect() as conn:
        return [row[0] for row in conn.execute(query)]


def overdue(table: pd.DataFrame, today: date) -> pd.Series:
    """Which decisions of a table are open past their due date."""
    if table.empty:
        return pd.Series(dtype=bool)
    due = pd.to_datetime(table["due_date"])
    return (table["status"] == "open") & due.notna() & (due < pd.Timestamp(today))


def for_wall(table: pd.DataFrame, wall: str, indicator_walls: Mapping[str, str]) -> pd.DataFrame:
    """The decisions a wall shows: about one of its indicators; alerts on the Red wall, policies on the White,
    areas on the Black (results are where an area's standing is judged)."""
    if table.empty:
        return table
    home = {"alert": "red", "policy": "white", "area": "black"}
    walls = [
        indicator_walls.get(s, "black") if t == "indicator" else home.get(t, "black")
        for t, s in zip(table["subject_type"], table["subject_id"], strict=True)
    ]
    return table[[w == wall for w in walls]]


def _change(engine, decision_id, country, from_status, changes, expected_version, area_ids, actor, action) -> Decision:
    with store.reading(engine).begin() as conn:
        found = conn.execute(sa.select(decisions.c.area_id).where(decisions.c.id == decision_id)).one_or_none()
    if found is None:
        raise DecisionNotFound(f"no decision {decision_id}")
    audit.check(engine, actor, "record_decisions", action, country, found.area_id, target=f"decision:{decision_id}")
    with engine.begin() as conn:
        row = conn.execute(_scoped(_one(decision_id, country), area_ids).with_for_update()).one_or_none()
        if row is None:
            raise DecisionNotFound(f"no decision {decision_id}")
        if expected_version is not None and row.version != expected_version:
            raise StaleDecision(
                f"decision {decision_id} changed since it was shown (version {expected_version}, now {row.version})"
            )
        if row.status != from_status:
            raise DecisionError(
                N_("This decision is already done.") if row.status == "done" else N_("This decision is still open.")
            )
        updated = conn.execute(
            sa.update(decisions)
            .where(decisions.c.id == decision_id, decisions.c.version == row.version)
            .values({**changes, "version": row.version + 1})
        )
        if updated.rowcount != 1:
            raise StaleDecision(f"decision {decision_id} changed while it was being updated")
        audit.record(
            conn,
            actor.identity,
            "write",
            action,
            country=country,
            area_id=row.area_id,
            target=f"decision:{decision_id}",
        )
        return _decision(conn.execute(sa.select(decisions).where(decisions.c.id == decision_id)).one())


def _one(decision_id: int, country: str):
    return sa.select(decisions).where(decisions.c.id == decision_id, decisions.c.country == country)


def _scoped(query, area_ids):
    # Only None means "every decision"; an empty list of areas sees none.
    return query if area_ids is None else query.where(decisions.c.area_id.in_(list(area_ids)))


def _actor(actor) -> Actor:
    if not isinstance(actor, Actor):
        raise TypeError("a decision is recorded by the signed-in Actor, not a typed name")
    return actor


def _decision(row) -> Decision:
    return Decision(**row._mapping)


def _clean(value) -> str:
    # Values from DataFrames carry NaN for "none": never store the text "nan".
    if value is None or (isinstance(value, float) and math.isnan(value)):
        return ""
    return " ".join(str(value).split())


def _utc(now: datetime | None) -> datetime:
    if now is None:
        return clock.utcnow()
    if now.tzinfo is None:
        raise ValueError(f"now={now!r} has no time zone; pass an aware UTC time")
    return now.astimezone(UTC)
