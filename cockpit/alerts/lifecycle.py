"""The alert lifecycle: episodes recorded from each evaluation of the rules, and what people do with them.

An alert is an episode: one rule, one area, one subject (indicator, incident type or policy) for as long
as the problem lasts. It opens in the first period its condition holds (`period_start`), stays open while
it holds (`last_period` and `periods_in_breach` grow with each new period in breach, its evidence is kept
up to date, its severity may escalate), and clears only after the condition has been judged clear for the
rule's `clear_after` periods. State, assignee, comments and history therefore carry over from one period
to the next: an office that took an alert in September still has it in October.

A problem that comes back after its episode was resolved opens a new episode linked to the old one
(`previous_id`), rather than re-opening it: the closed episode keeps what it says (how long it lasted,
who closed it and how, which a ministry reports on), and the link keeps the story together. Only when
the condition holds again within the periods of an episode the system itself closed (the data was
revised) is that episode reopened: its clearing did not last.

States: new → acknowledged → in_progress → resolved (and back to new when a person reopens). Every
lifecycle change is an event, stamped with who, when and a note, and bumps the alert's `version`; so
`version` always equals the number of its events.

Who may change what:
- The evaluator (`sync`) opens episodes and reacts to a condition clearing: an episode nobody has taken
  (`new`) is resolved by "system"; one a person has taken keeps its state, gets `condition_cleared_at`,
  and waits for a person to close it. It reacts once to each change of the condition, so an alert a
  person reopened after its condition cleared is not resolved again behind their back.
- People (`act`, as the signed-in Actor): acknowledge, start, assign, comment, resolve, reopen (see TRANSITIONS).
  Assigning a `new` alert also acknowledges it: naming who acts is taking the alert, so the system will
  no longer close it when the condition clears; the assignee does.
- Refreshing the evidence of a firing episode (value, severity, title, threshold, detail, last_seen_at,
  its periods) is not a lifecycle change: no event, no new version, so an officer's action is not
  refused as stale because the evaluator ran in between.

Concurrency: every action reads and writes the alert in one transaction, under a lock: a row lock
(SELECT … FOR UPDATE) on PostgreSQL, the database write lock on SQLite (the store begins every
transaction that may write IMMEDIATE; reads go through `store.reading` and never wait). Two people
acting at once are serialised and both recorded; a caller that passes the version it displayed gets
StaleAlert when someone changed the alert in between.

Scope: functions that return alerts take `area_ids`, the areas the caller may see (None: all; an empty
list: none). An alert outside the scope is reported as not found. `act` checks the actor itself: its role
must allow acting on alerts and the alert's area must be in its scope, else the attempt is refused
(users.Forbidden) and audited, whatever `area_ids` the caller passed; each action is audited with the change.
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

from cockpit import clock, periods
from cockpit.i18n import N_
from cockpit.state import store
from cockpit.state.tables import STATES, alert_events, alerts, evaluations
from cockpit.users import audit
from cockpit.users.identity import Actor

SYSTEM = "system"
OPEN_STATES = ("new", "acknowledged", "in_progress")
# How severities and states are named to readers (translated where shown: pages, documents, messages).
SEVERITY_LABELS = {"critical": N_("Critical"), "high": N_("High"), "medium": N_("Medium"), "low": N_("Low")}
STATE_LABELS = {
    "new": N_("New"),
    "acknowledged": N_("Acknowledged"),
    "in_progress": N_("In progress"),
    "resolved": N_("Resolved"),
}

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
RECURRED = "recurred"  # a new episode, after an earlier one of the same problem was resolved
FIRED_AGAIN = "fired_again"  # an episode the system resolved holds again within its own periods
CONDITION_CLEARED = "condition_cleared"
CONDITION_RETURNED = "condition_returned"
ESCALATED = "escalated"
MERGED = "merged"  # a duplicate open episode (from the per-period design) closed into the one that goes on
SEVERITY_RANK = {"low": 0, "medium": 1, "high": 2, "critical": 3}

# Any fixed number: PostgreSQL advisory lock that lets one evaluation at a time sync (two replicas might run it).
SYNC_LOCK = 7_204_002


class ActionError(ValueError):
    """An action the alert cannot take as asked: `message` is an interface message (English msgid) with its
    `values`, shown to the person who asked in their language."""

    def __init__(self, message: str, **values):
        self.message, self.values = message, values
        super().__init__(message.format(**values) if values else message)


class IllegalTransition(ActionError):
    """An action the alert's state does not allow, e.g. acknowledging a resolved alert."""

    def __init__(self, action: str, state: str):
        super().__init__(N_("this action is not possible on the alert as it stands now."))
        self.action, self.state = action, state
        self.args = (f"cannot {action} an alert that is {state.replace('_', ' ')}",)  # for logs and developers


class StaleAlert(Exception):
    """The alert changed since the caller read it; show it again before acting."""


class AlertNotFound(LookupError):
    """No alert with that id within the caller's scope."""


@dataclass(frozen=True)
class Firing:
    """One rule's condition holding now for one area and subject, in its latest period: what the rules produce."""

    rule_id: str
    area_id: str
    subject: str
    period_start: date  # the period the condition holds in
    severity: str
    title: str
    value: float | None = None
    threshold: float | None = None
    detail: dict[str, Any] | None = None
    escalation: tuple[int, str] | None = None  # (periods in breach, severity): the rule's `escalate`
    period_type: str = "month"  # how its periods are counted: month, quarter, term, year

    @property
    def key(self) -> tuple[str, str, str]:
        """What an episode is of: the same key in a later period is the same problem going on."""
        return (self.rule_id, self.area_id, self.subject)


@dataclass(frozen=True)
class Alert:
    id: int
    rule_id: str
    area_id: str
    subject: str
    period_start: date  # the first period in breach
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
    last_period: date  # the latest period in breach
    periods_in_breach: int
    periods_clear: int
    clear_period: date | None
    previous_id: int | None

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
    reconstructed: bool = False


@dataclass(frozen=True)
class SyncResult:
    """Ids of the alerts one sync touched, by what happened to them (ones it left unchanged are not listed)."""

    opened: tuple[int, ...] = ()  # new episodes, recurrences included
    still_firing: tuple[int, ...] = ()
    recurred: tuple[int, ...] = ()  # the new episodes that follow a resolved one
    reopened: tuple[int, ...] = ()  # resolved by the system, holding again within the same period
    auto_resolved: tuple[int, ...] = ()
    cleared_but_taken: tuple[int, ...] = ()
    escalated: tuple[int, ...] = ()


ALERT_COLUMNS = [f.name for f in fields(Alert)]


def sync(
    engine: sa.Engine,
    firing: Iterable[Firing],
    rule_ids_evaluated: Iterable[str],
    now: datetime | None = None,
    area_ids: Iterable[str] | None = None,
    judged: dict[str, date | None] | None = None,
    clear_after: dict[str, int] | None = None,
    reconstructed: bool = False,
) -> SyncResult:
    """Record one evaluation: `firing` is everything the rules `rule_ids_evaluated` find now; other rules' alerts
    are left alone (a rule that failed to evaluate must not resolve its alerts). `area_ids` bounds the
    evaluation (one country's areas), so a rule evaluated in one country never clears another's alerts.

    `judged` gives, per rule, the period the evaluation looked at: an open episode of a rule that no longer
    fires counts that period as one clear period, once however often the same data is evaluated again
    (without it, each sync counts as one). After `clear_after[rule]` clear periods (default 1) the condition
    has cleared. `reconstructed` marks the events of a replay of past month-ends.
    """
    now = _utc(now)
    bounds = None if area_ids is None else set(area_ids)
    evaluated = set(rule_ids_evaluated)
    judged = judged or {}
    clear_after = clear_after or {}
    current: dict[tuple, Firing] = {}
    for f in firing:
        if bounds is not None and f.area_id not in bounds:
            raise ValueError(f"alert for area {f.area_id!r} given, outside the areas evaluated")
        if f.rule_id not in evaluated:
            raise ValueError(f"alert of rule {f.rule_id!r} given, but that rule is not among those evaluated")
        if f.key in current:
            raise ValueError(f"rule {f.rule_id!r} fires twice for {f.area_id}, {f.subject}")
        current[f.key] = f
    if not evaluated:
        return SyncResult()
    done: dict[str, list[int]] = {name: [] for name in SyncResult.__dataclass_fields__}
    write = _Writer(now, reconstructed)
    with engine.begin() as conn:
        if conn.dialect.name == "postgresql":
            conn.execute(sa.text("SELECT pg_advisory_xact_lock(:key)"), {"key": SYNC_LOCK})
        open_now, latest_resolved = _candidates(conn, evaluated, current, bounds)
        for key, rows in open_now.items():
            # One episode per problem: the one a person took (else the oldest) goes on, duplicates close into it.
            rows.sort(key=lambda r: (r.state == "new", r.period_start, r.id))
            for extra in rows[1:]:
                changes = {"state": "resolved", "resolved_at": now, "resolved_by": SYSTEM}
                write.change(conn, extra, changes, SYSTEM, MERGED, note=f"#{rows[0].id}")
            episode = rows[0]
            if key in current:
                done[_go_on(conn, write, episode, current[key])].append(episode.id)
            else:
                outcome = _judge_clear(conn, write, episode, judged.get(key[0]), clear_after.get(key[0], 1))
                if outcome:
                    done[outcome].append(episode.id)
        for key, f in current.items():
            if key in open_now:
                continue
            previous = latest_resolved.get(key)
            if previous is not None and f.period_start <= previous.last_period:
                if previous.resolved_by != SYSTEM:
                    continue  # a person resolved it while this period was in breach: that stands for the period
                # The system judged it clear, and in the same period it holds again: that clearing did not last.
                reset = {"state": "new", "resolved_at": None, "resolved_by": None, "condition_cleared_at": None}
                changes = {**_evidence(f), **reset, "periods_clear": 0, "clear_period": None, "last_seen_at": now}
                write.change(conn, previous, changes, SYSTEM, FIRED_AGAIN)
                done["reopened"].append(previous.id)
                continue
            alert_id = write.open(conn, f, previous)
            done["opened"].append(alert_id)
            if previous is not None:
                done["recurred"].append(alert_id)
    return SyncResult(**{name: tuple(sorted(ids)) for name, ids in done.items()})


def _go_on(conn: sa.Connection, write: _Writer, episode, f: Firing) -> str:
    """The episode's condition holds again: its periods and evidence grow; what happened to it, by SyncResult name."""
    changes = _evidence(f)
    breach = episode.periods_in_breach
    if f.period_start > episode.last_period:
        # Every period since the first: an evaluation may judge two periods apart (a report due late).
        breach = periods.periods_between(episode.period_start, f.period_start, f.period_type)
        changes.update(last_period=f.period_start, periods_in_breach=breach)
    if f.escalation is not None and breach >= f.escalation[0]:
        changes["severity"] = f.escalation[1]
    changes.update(periods_clear=0, clear_period=None)
    if episode.condition_cleared_at is not None:
        changes.update(condition_cleared_at=None, last_seen_at=write.now)
        write.change(conn, episode, changes, SYSTEM, CONDITION_RETURNED)
        return "still_firing"
    if SEVERITY_RANK.get(changes["severity"], 0) > SEVERITY_RANK.get(episode.severity, 0):
        changes["last_seen_at"] = write.now
        write.change(conn, episode, changes, SYSTEM, ESCALATED, note=f"{episode.severity} → {changes['severity']}")
        return "escalated"
    write.refresh(conn, episode, changes)
    return "still_firing"


def _judge_clear(conn: sa.Connection, write: _Writer, episode, period: date | None, clear_after: int) -> str | None:
    """The episode's rule ran and its condition did not hold: one more clear period, and the end of the episode
    once there are `clear_after` of them."""
    if episode.state == "resolved" or episode.condition_cleared_at is not None:
        return None  # already reacted to this clearing (a person reopened it, or waits to close it)
    if period is not None and episode.clear_period is not None and period <= episode.clear_period:
        return None  # this period was counted already
    cleared = episode.periods_clear + 1
    counters = {"periods_clear": cleared, "clear_period": period}
    if cleared < clear_after:
        write.refresh(conn, episode, counters, seen=False)
        return None
    if episode.state == "new":
        changes = {**counters, "state": "resolved", "resolved_at": write.now, "resolved_by": SYSTEM}
        write.change(conn, episode, {**changes, "condition_cleared_at": write.now}, SYSTEM, CONDITION_CLEARED)
        return "auto_resolved"
    write.change(conn, episode, {**counters, "condition_cleared_at": write.now}, SYSTEM, CONDITION_CLEARED)
    return "cleared_but_taken"


def act(
    engine: sa.Engine,
    alert_id: int,
    action: str,
    actor: Actor,
    note: str | None = None,
    assignee: str | None = None,
    expected_version: int | None = None,
    area_ids: Iterable[str] | None = None,
) -> Alert:
    """The signed-in `actor` acts on an alert; returns the alert as it is afterwards. `expected_version`: the
    version they saw. users.Forbidden (audited) when the actor's role or scope does not allow it."""
    if action not in TRANSITIONS:
        raise ValueError(f"unknown action {action!r}; one of {', '.join(TRANSITIONS)}")
    if not isinstance(actor, Actor):
        raise TypeError("act needs the signed-in Actor, not a typed name")
    note = (note or "").strip() or None
    assignee = (assignee or "").strip() or None
    with store.reading(engine).begin() as conn:
        area_id = conn.execute(sa.select(alerts.c.area_id).where(alerts.c.id == alert_id)).scalar()
    if area_id is None:
        raise AlertNotFound(f"no alert {alert_id}")
    # Before the write transaction: a refusal is recorded on its own and must not wait on the lock it would hold.
    audit.check(engine, actor, "act_alerts", f"alert.{action}", actor.country, area_id, target=f"alert:{alert_id}")
    if action in NEEDS_NOTE and note is None:
        raise ActionError(N_("this action needs a note of what was done, decided or found."))
    if action == "assign" and assignee is None:
        raise ActionError(N_("an assignment needs the name of who is to act."))
    if action != "assign" and assignee is not None:
        raise ActionError(N_("only an assignment takes the name of who is to act."))
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
            changes.update(resolved_at=now, resolved_by=actor.label)
        if action == "reopen":
            # condition_cleared_at stays: the evaluator has seen that change already and will not act on it again.
            changes.update(resolved_at=None, resolved_by=None)
        _change(conn, row, changes, now, actor.label, action, note=note, assignee=assignee)
        audit.record(
            conn,
            actor.identity,
            "write",
            f"alert.{action}",
            country=actor.country,
            area_id=row.area_id,
            target=f"alert:{alert_id}",
            detail=f"{row.state} → {to_state}" + (f": {note}" if note else ""),
        )
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
        rows = [_alert_values(row) for row in conn.execute(query)]
    # The rows' values as read, not through Alert and asdict, whose deep copies grew with the store.
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


def _candidates(conn: sa.Connection, rule_ids: set[str], firing: dict[tuple, Firing], area_ids: set[str] | None):
    """The evaluated rules' open episodes by key, and the latest resolved episode of each key firing now, locked."""
    query = sa.select(alerts).where(alerts.c.rule_id.in_(sorted(rule_ids)), alerts.c.state != "resolved")
    if area_ids is not None:
        query = query.where(alerts.c.area_id.in_(sorted(area_ids)))
    open_now: dict[tuple, list] = {}
    for row in conn.execute(query.order_by(alerts.c.id).with_for_update()):
        open_now.setdefault(_key(row), []).append(row)
    latest_resolved: dict[tuple, Any] = {}
    waiting = {key for key in firing if key not in open_now}
    if waiting:
        query = sa.select(alerts).where(
            alerts.c.rule_id.in_(sorted({k[0] for k in waiting})),
            alerts.c.area_id.in_(sorted({k[1] for k in waiting})),
            alerts.c.state == "resolved",
        )
        for row in conn.execute(query.order_by(alerts.c.id).with_for_update()):
            if _key(row) in waiting:
                latest_resolved[_key(row)] = row  # ordered by id: the last one kept is the latest
    return open_now, latest_resolved


def _key(row) -> tuple[str, str, str]:
    return (row.rule_id, row.area_id, row.subject)


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


class _Writer:
    """The evaluator's writes in one sync: all stamped with the same time, all marked when replayed."""

    def __init__(self, now: datetime, reconstructed: bool):
        self.now, self.reconstructed = now, reconstructed

    def open(self, conn: sa.Connection, f: Firing, previous=None) -> int:
        values = {
            "rule_id": f.rule_id,
            "area_id": f.area_id,
            "subject": f.subject,
            "period_start": f.period_start,
            "last_period": f.period_start,
            "periods_in_breach": 1,
            "previous_id": None if previous is None else previous.id,
            "state": "new",
            "first_seen_at": self.now,
            "last_seen_at": self.now,
            "version": 1,
            **_evidence(f),
        }
        alert_id = conn.execute(sa.insert(alerts).values(values)).inserted_primary_key[0]
        event = dict(actor=SYSTEM, action=OPENED if previous is None else RECURRED, to_state="new")
        if previous is not None:
            event["note"] = f"#{previous.id}"
        conn.execute(sa.insert(alert_events).values(alert_id=alert_id, at=self.now, **event, **self._mark()))
        return alert_id

    def refresh(self, conn: sa.Connection, row, changes: dict[str, Any], seen: bool = True) -> None:
        """Bring an episode's evidence and counters up to date without an event (`seen`: its condition holds now);
        writes nothing when nothing changed."""
        changes = {name: value for name, value in changes.items() if getattr(row, name) != value}
        if seen and self.now > row.last_seen_at:
            changes["last_seen_at"] = self.now
        if changes:
            conn.execute(sa.update(alerts).where(alerts.c.id == row.id).values(changes))

    def change(self, conn: sa.Connection, row, changes: dict[str, Any], actor: str, action: str, **event):
        _change(conn, row, changes, self.now, actor, action, **event, **self._mark())

    def _mark(self) -> dict:
        return {"reconstructed": True} if self.reconstructed else {}


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
    return Alert(**_alert_values(row))


def _alert_values(row) -> dict:
    values = dict(row._mapping)
    values["detail"] = json.loads(values["detail"]) if values["detail"] else {}
    return values


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
