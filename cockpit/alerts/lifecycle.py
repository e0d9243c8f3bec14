"""The alert lifecycle: alerts recorded from each evaluation of the rules, and what people do with them, with history.

An alert is one rule firing for one area, subject (indicator or incident type) and period, so evaluating
again finds the same alert. Its states: new → acknowledged → in_progress → resolved (and back to new
when reopened). Every change is an event, stamped with who, when and a note, and bumps the alert's
`version`; so `version` always equals the number of its events.

Who may change what:
- The evaluator (`sync`) opens alerts, reopens those it had resolved itself when they fire again, and
  reacts to a condition clearing: an alert nobody has taken (`new`) is resolved by "system"; one a person
  has taken keeps its state, gets `condition_cleared_at`, and waits for a person to close it.
  It reacts once to each change of the condition, so an alert a person reopened after its condition
  cleared is not resolved again behind their back.
- People (`act`): acknowledge, start, assign, comment, resolve, reopen (see TRANSITIONS).
  Assigning a `new` alert also acknowledges it: naming who acts is taking the alert, so the system will
  no longer close it when the condition clears; the assignee does.
- Refreshing the evidence of a firing alert (value, severity, title, threshold, detail, last_seen_at) is
  not a lifecycle change: no event, no new version, so an officer's action is not refused as stale
  because the evaluator ran in between.

Concurrency: every action reads and writes the alert in one transaction, under a lock: a row lock
(SELECT … FOR UPDATE) on PostgreSQL, the database write lock on SQLite (the store begins every
transaction that may write IMMEDIATE; reads go through `store.reading` and never wait). Two people
acting at once are serialised and both recorded; a caller that passes the version it displayed gets
StaleAlert when someone changed the alert in between.

Scope: functions that return alerts take `area_ids`, the areas the caller may see (None: all; an empty
list: none). An alert outside the scope is reported as not found.
"""

from __future__ import annotations

import json
import math
from collections.abc import Iterable
from dataclasses import asdict, dataclass, fields
from datetime import UTC, date, datetime
from typing import Any

import pandas as pd
import sqlalchemy as sa

from cockpit import clock
from cockpit.state import store
from cockpit.state.tables import STATES, alert_events, alerts, evaluations

SYSTEM = "system"
OPEN_STATES = ("new", "acknowledged", "in_progress")

# The lifecycle in one table: for each action, the states it may start from and the state it leads to.
TRANSITIONS: dict[str, dict[str, str]] = {
    "acknowledge": {"new": "acknowledged"},
    "start": {"new": "in_progress", "acknowledged": "in_progress"},
    "assign": {"new": "acknowledged", "acknowledged": "acknowledged", "in_progress": "in_progress"},
    "comment": {state: state for state in STATES},
    "resolve": {state: "resolved" for state in OPEN_STATES},
    "reopen": {"resolved": "new"},
}
NEEDS_NOTE = ("comment", "resolve")

# Actions of the evaluator, recorded with actor "system".
OPENED = "opened"
CONDITION_CLEARED = "condition_cleared"
CONDITION_RETURNED = "condition_returned"
FIRED_AGAIN = "fired_again"

# Any fixed number: PostgreSQL advisory lock that lets one evaluation at a time sync (two replicas might run it).
SYNC_LOCK = 7_204_002


class IllegalTransition(Exception):
    """An action the alert's state does not allow, e.g. acknowledging a resolved alert."""

    def __init__(self, action: str, state: str):
        self.action, self.state = action, state
        super().__init__(f"cannot {action} an alert that is {state.replace('_', ' ')}")


class StaleAlert(Exception):
    """The alert changed since the caller read it; show it again before acting."""


class AlertNotFound(LookupError):
    """No alert with that id within the caller's scope."""


@dataclass(frozen=True)
class Firing:
    """One alert the evaluator finds firing now: what the rules produce."""

    rule_id: str
    area_id: str
    subject: str
    period_start: date
    severity: str
    title: str
    value: float | None = None
    threshold: float | None = None
    detail: dict[str, Any] | None = None

    @property
    def identity(self) -> tuple[str, str, str, date]:
        return (self.rule_id, self.area_id, self.subject, self.period_start)


@dataclass(frozen=True)
class Alert:
    id: int
    rule_id: str
    area_id: str
    subject: str
    period_start: date
    severity: str
    state: str
    title: str
    value: float | None
    threshold: float | None
    detail: dict[str, Any]
    first_seen_at: datetime
    last_seen_at: datetime
    condition_cleared_at: datetime | None
    resolved_at: datetime | None
    resolved_by: str | None
    assignee: str | None
    version: int

    @property
    def is_open(self) -> bool:
        return self.state != "resolved"


@dataclass(frozen=True)
class Event:
    id: int
    alert_id: int
    at: datetime
    actor: str
    action: str
    from_state: str | None
    to_state: str | None
    note: str | None
    assignee: str | None


@dataclass(frozen=True)
class SyncResult:
    """Ids of the alerts one sync touched, by what happened to them (ones it left unchanged are not listed)."""

    opened: tuple[int, ...] = ()
    still_firing: tuple[int, ...] = ()
    reopened: tuple[int, ...] = ()
    auto_resolved: tuple[int, ...] = ()
    cleared_but_taken: tuple[int, ...] = ()


ALERT_COLUMNS = [f.name for f in fields(Alert)]


def sync(
    engine: sa.Engine,
    firing: Iterable[Firing],
    rule_ids_evaluated: Iterable[str],
    now: datetime | None = None,
    area_ids: Iterable[str] | None = None,
) -> SyncResult:
    """Record one evaluation: `firing` is everything the rules `rule_ids_evaluated` find now; other rules' alerts
    are left alone (a rule that failed to evaluate must not resolve its alerts). `area_ids` bounds the
    evaluation (one country's areas), so a rule evaluated in one country never clears another's alerts."""
    now = _utc(now)
    bounds = None if area_ids is None else set(area_ids)
    evaluated = set(rule_ids_evaluated)
    current: dict[tuple, Firing] = {}
    for f in firing:
        if bounds is not None and f.area_id not in bounds:
            raise ValueError(f"alert for area {f.area_id!r} given, outside the areas evaluated")
        if f.rule_id not in evaluated:
            raise ValueError(f"alert of rule {f.rule_id!r} given, but that rule is not among those evaluated")
        if f.identity in current:
            raise ValueError(f"rule {f.rule_id!r} fires twice for {f.area_id}, {f.subject}, {f.period_start}")
        current[f.identity] = f
    if not evaluated:
        return SyncResult()
    opened, still, reopened, resolved, taken = [], [], [], [], []
    with engine.begin() as conn:
        if conn.dialect.name == "postgresql":
            conn.execute(sa.text("SELECT pg_advisory_xact_lock(:key)"), {"key": SYNC_LOCK})
        existing = {_identity(row): row for row in _candidates(conn, evaluated, current.values(), bounds)}
        for identity, f in current.items():
            row = existing.get(identity)
            evidence = _evidence(f)
            if row is None:
                opened.append(_open(conn, f, evidence, now))
            elif row.state == "resolved" and row.resolved_by == SYSTEM:
                reset = {"state": "new", "resolved_at": None, "resolved_by": None, "condition_cleared_at": None}
                _change(conn, row, {**evidence, **reset, "last_seen_at": now}, now, SYSTEM, FIRED_AGAIN)
                reopened.append(row.id)
            elif row.state != "resolved" and row.condition_cleared_at is not None:
                changes = {**evidence, "condition_cleared_at": None, "last_seen_at": now}
                _change(conn, row, changes, now, SYSTEM, CONDITION_RETURNED)
                still.append(row.id)
            else:
                # A person's resolution stands for this period even while the rule still fires.
                _refresh(conn, row, evidence, now)
                still.append(row.id)
        for identity, row in existing.items():
            if identity in current or row.state == "resolved" or row.condition_cleared_at is not None:
                continue
            if row.state == "new":
                changes = {"state": "resolved", "resolved_at": now, "resolved_by": SYSTEM, "condition_cleared_at": now}
                _change(conn, row, changes, now, SYSTEM, CONDITION_CLEARED)
                resolved.append(row.id)
            else:
                _change(conn, row, {"condition_cleared_at": now}, now, SYSTEM, CONDITION_CLEARED)
                taken.append(row.id)
    return SyncResult(*(tuple(sorted(ids)) for ids in (opened, still, reopened, resolved, taken)))


def act(
    engine: sa.Engine,
    alert_id: int,
    action: str,
    actor: str,
    note: str | None = None,
    assignee: str | None = None,
    expected_version: int | None = None,
    area_ids: Iterable[str] | None = None,
) -> Alert:
    """A person acts on an alert; returns the alert as it is afterwards. `expected_version`: the version they saw."""
    if action not in TRANSITIONS:
        raise ValueError(f"unknown action {action!r}; one of {', '.join(TRANSITIONS)}")
    actor = (actor or "").strip()
    note = (note or "").strip() or None
    assignee = (assignee or "").strip() or None
    if not actor:
        raise ValueError(f"{action} needs the name of who does it")
    if action in NEEDS_NOTE and note is None:
        raise ValueError(f"{action} needs a note")
    if action == "assign" and assignee is None:
        raise ValueError("assign needs the name of the assignee")
    if action != "assign" and assignee is not None:
        raise ValueError(f"{action} takes no assignee; use assign")
    now = _utc(None)
    with engine.begin() as conn:
        query = _scoped(sa.select(alerts).where(alerts.c.id == alert_id), area_ids).with_for_update()
        row = conn.execute(query).one_or_none()
        if row is None:
            raise AlertNotFound(f"no alert {alert_id}")
        if expected_version is not None and row.version != expected_version:
            raise StaleAlert(
                f"alert {alert_id} changed since it was shown (version {expected_version}, now {row.version});"
                " look at it again before acting"
            )
        to_state = TRANSITIONS[action].get(row.state)
        if to_state is None:
            raise IllegalTransition(action, row.state)
        changes: dict[str, Any] = {"state": to_state}
        if action == "assign":
            changes["assignee"] = assignee
        if action == "resolve":
            changes.update(resolved_at=now, resolved_by=actor)
        if action == "reopen":
            # condition_cleared_at stays: the evaluator has seen that change already and will not act on it again.
            changes.update(resolved_at=None, resolved_by=None)
        _change(conn, row, changes, now, actor, action, note=note, assignee=assignee)
        return _alert(conn.execute(sa.select(alerts).where(alerts.c.id == alert_id)).one())


def get(engine: sa.Engine, alert_id: int, area_ids: Iterable[str] | None = None) -> Alert:
    with store.reading(engine).begin() as conn:
        row = conn.execute(_scoped(sa.select(alerts).where(alerts.c.id == alert_id), area_ids)).one_or_none()
    if row is None:
        raise AlertNotFound(f"no alert {alert_id}")
    return _alert(row)


def list_alerts(
    engine: sa.Engine,
    states: Iterable[str] | None = None,
    rule_ids: Iterable[str] | None = None,
    area_ids: Iterable[str] | None = None,
    severities: Iterable[str] | None = None,
) -> pd.DataFrame:
    """One row per alert (columns: ALERT_COLUMNS), newest first; each filter is None for all, or the values kept."""
    query = sa.select(alerts)
    for column, values in ((alerts.c.state, states), (alerts.c.rule_id, rule_ids), (alerts.c.severity, severities)):
        if values is not None:
            query = query.where(column.in_(list(values)))
    query = _scoped(query, area_ids).order_by(alerts.c.first_seen_at.desc(), alerts.c.id.desc())
    with store.reading(engine).begin() as conn:
        rows = [asdict(_alert(row)) for row in conn.execute(query)]
    return pd.DataFrame(rows, columns=ALERT_COLUMNS)


def history(engine: sa.Engine, alert_id: int, area_ids: Iterable[str] | None = None) -> list[Event]:
    """Every event on the alert in the order it was recorded, comments included."""
    with store.reading(engine).begin() as conn:
        if conn.execute(_scoped(sa.select(alerts.c.id).where(alerts.c.id == alert_id), area_ids)).first() is None:
            raise AlertNotFound(f"no alert {alert_id}")
        # Ids, not timestamps: replicas' clocks may disagree, the order of recording cannot.
        query = sa.select(alert_events).where(alert_events.c.alert_id == alert_id).order_by(alert_events.c.id)
        return [Event(**row._mapping) for row in conn.execute(query)]


def counts_by_severity(engine: sa.Engine, area_ids: Iterable[str] | None = None) -> dict[str, int]:
    """Open alerts by severity, e.g. {"critical": 3, "high": 5}; severities with none are absent."""
    query = (
        sa.select(alerts.c.severity, sa.func.count()).where(alerts.c.state.in_(OPEN_STATES)).group_by(alerts.c.severity)
    )
    with store.reading(engine).begin() as conn:
        return {severity: count for severity, count in conn.execute(_scoped(query, area_ids))}


def _scoped(query, area_ids):
    # An empty scope sees nothing: only None means "no restriction".
    return query if area_ids is None else query.where(alerts.c.area_id.in_(list(area_ids)))


def _candidates(conn: sa.Connection, rule_ids: set[str], firing: Iterable[Firing], area_ids: set[str] | None):
    """The evaluated rules' open alerts, and their resolved ones of the periods now firing, locked for this sync."""
    periods = sorted({f.period_start for f in firing})
    relevant = alerts.c.state != "resolved"
    if periods:
        relevant = sa.or_(relevant, alerts.c.period_start.in_(periods))
    query = sa.select(alerts).where(alerts.c.rule_id.in_(sorted(rule_ids)), relevant)
    if area_ids is not None:
        query = query.where(alerts.c.area_id.in_(sorted(area_ids)))
    query = query.order_by(alerts.c.id)
    return conn.execute(query.with_for_update()).all()


def _identity(row) -> tuple[str, str, str, date]:
    return (row.rule_id, row.area_id, row.subject, row.period_start)


def _evidence(f: Firing) -> dict[str, Any]:
    return {
        "severity": f.severity,
        "title": f.title,
        "value": _number(f.value),
        "threshold": _number(f.threshold),
        "detail": json.dumps(f.detail, sort_keys=True, ensure_ascii=False, default=str) if f.detail else None,
    }


def _number(value) -> float | None:
    # Query results carry NaN for "no value"; the store says NULL.
    if value is None or (isinstance(value, float) and math.isnan(value)):
        return None
    return float(value)


def _open(conn: sa.Connection, f: Firing, evidence: dict[str, Any], now: datetime) -> int:
    values = {
        "rule_id": f.rule_id,
        "area_id": f.area_id,
        "subject": f.subject,
        "period_start": f.period_start,
        "state": "new",
        "first_seen_at": now,
        "last_seen_at": now,
        "version": 1,
        **evidence,
    }
    alert_id = conn.execute(sa.insert(alerts).values(values)).inserted_primary_key[0]
    conn.execute(sa.insert(alert_events).values(alert_id=alert_id, at=now, actor=SYSTEM, action=OPENED, to_state="new"))
    return alert_id


def _refresh(conn: sa.Connection, row, evidence: dict[str, Any], now: datetime) -> None:
    """Bring a firing alert's evidence up to date without an event; writes nothing when nothing changed."""
    changes = {name: value for name, value in evidence.items() if getattr(row, name) != value}
    if now > row.last_seen_at:
        changes["last_seen_at"] = now
    if changes:
        conn.execute(sa.update(alerts).where(alerts.c.id == row.id).values(changes))


def _change(conn: sa.Connection, row, changes: dict[str, Any], now: datetime, actor: str, action: str, **event):
    """Apply a lifecycle change and its event together, bumping the version the row was read at."""
    updated = conn.execute(
        sa.update(alerts)
        .where(alerts.c.id == row.id, alerts.c.version == row.version)
        .values({**changes, "version": row.version + 1})
    )
    if updated.rowcount != 1:
        # Unreachable while the row is locked; a guard in case a caller ever reads without the lock.
        raise StaleAlert(f"alert {row.id} changed while it was being updated")
    conn.execute(
        sa.insert(alert_events).values(
            alert_id=row.id,
            at=now,
            actor=actor,
            action=action,
            from_state=row.state,
            to_state=changes.get("state", row.state),
            **event,
        )
    )


def _alert(row) -> Alert:
    values = dict(row._mapping)
    values["detail"] = json.loads(values["detail"]) if values["detail"] else {}
    return Alert(**values)


def _utc(now: datetime | None) -> datetime:
    if now is None:
        return clock.utcnow()
    if now.tzinfo is None:
        raise ValueError(f"now={now!r} has no time zone; pass an aware UTC time")
    return now.astimezone(UTC)


@dataclass(frozen=True)
class EvaluationRecord:
    country: str
    as_of: date
    at: datetime
    extract_version: str
    rules_version: str
    firing: int
    opened: int
    resolved: int
    duration_ms: float


def record_evaluation(engine: sa.Engine, record: EvaluationRecord) -> None:
    """Keep when the rules ran, on which data, and what they found (shown as 'last evaluated')."""
    with engine.begin() as conn:
        conn.execute(sa.insert(evaluations).values(**asdict(record)))


def last_evaluation(engine: sa.Engine, country: str) -> EvaluationRecord | None:
    """The newest evaluation recorded for a country, or None if its rules never ran against this store."""
    query = (
        sa.select(*(evaluations.c[f.name] for f in fields(EvaluationRecord)))
        .where(evaluations.c.country == country)
        .order_by(evaluations.c.at.desc(), evaluations.c.id.desc())
        .limit(1)
    )
    with store.reading(engine).connect() as conn:
        row = conn.execute(query).first()
    return None if row is None else EvaluationRecord(**row._asdict())
