"""Sending alerts to the routes' contact points, recording every attempt, and retrying the failed ones.

Each message to one contact point is one row of the `notifications` table, claimed by a unique key
before it is sent, so running a sender twice, or two processes at once, never sends the same alert
to the same contact point twice for the same reason, nor a route's digest twice for one day.
"""

from __future__ import annotations

import json
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import date, datetime, time, timedelta

import sqlalchemy as sa

from cockpit import clock, settings
from cockpit.alerts import lifecycle, rules
from cockpit.notify import channels, messages
from cockpit.notify.config import ContactPoint, Notifications, Route, load
from cockpit.state import store
from cockpit.state.tables import alert_events, alerts, notifications

# How long a message being sent is left alone by `retry_failed`: a sender that died mid-send leaves its row
# claimed this long, then it is retried like a failure.
LEASE = timedelta(minutes=10)
ERROR_CHARS = 2000


@dataclass(frozen=True)
class Attempt:
    """One try at delivering one message, as recorded."""

    id: int
    route: str
    contact_point: str
    status: str  # sent or failed
    error: str | None
    attempts: int
    next_try_at: datetime | None  # None: sent, or given up after the last attempt


def send_new(
    engine: sa.Engine,
    sync_result: lifecycle.SyncResult | None,
    country: str,
    *,
    places: messages.Places | None = None,
    config: Notifications | None = None,
    ruleset: rules.RuleSet | None = None,
    now: datetime | None = None,
) -> list[Attempt]:
    """Send at once each critical alert this sync opened to the immediate routes that match it.

    `places` (`messages.places` of the version just evaluated) names the areas and puts districts in their
    province for routing; without it areas are shown by id. A failed send is recorded for `retry_failed`, never raised.
    """
    if sync_result is None or not sync_result.opened:
        return []
    return _send_critical(engine, sync_result.opened, country, places, config, ruleset, now)


def send_missed(
    engine: sa.Engine,
    country: str,
    *,
    since: datetime,
    places: messages.Places | None = None,
    config: Notifications | None = None,
    ruleset: rules.RuleSet | None = None,
    now: datetime | None = None,
) -> list[Attempt]:
    """Send the open critical alerts first seen since `since` that no contact point has had yet: those a page
    server's daily evaluation opened, outside a publish. Ones already sent are skipped by their key."""
    query = sa.select(alerts.c.id).where(
        alerts.c.severity == "critical", alerts.c.state.in_(lifecycle.OPEN_STATES), alerts.c.first_seen_at >= since
    )
    with store.reading(engine).connect() as conn:
        ids = list(conn.execute(query.order_by(alerts.c.id)).scalars())
    return _send_critical(engine, ids, country, places, config, ruleset, now)


def send_digest(
    engine: sa.Engine,
    country: str,
    day: date,
    *,
    places: messages.Places | None = None,
    config: Notifications | None = None,
    ruleset: rules.RuleSet | None = None,
    now: datetime | None = None,
) -> list[Attempt]:
    """Send each digest route its open alerts that opened or changed on `day` (the meeting room's calendar
    day), by severity, in the route's language; once per route and day. A route with none gets nothing."""
    cfg = config or load()
    now = now or clock.utcnow()
    routes = [r for r in cfg.routes if r.mode == "digest" and r.country == country and cfg.enabled_points(r)]
    if not routes:
        return []
    start = datetime.combine(day, time(), tzinfo=clock.zone())
    end = start + timedelta(days=1)
    changed = sa.select(alert_events.c.alert_id).where(alert_events.c.at >= start, alert_events.c.at < end)
    query = sa.select(alerts.c.id).where(
        alerts.c.state.in_(lifecycle.OPEN_STATES),
        sa.or_(sa.and_(alerts.c.first_seen_at >= start, alerts.c.first_seen_at < end), alerts.c.id.in_(changed)),
    )
    with store.reading(engine).connect() as conn:
        ids = list(conn.execute(query.order_by(alerts.c.id)).scalars())
    found = _alerts(engine, ids, country)
    known = places or {}
    by_uid = (ruleset or _ruleset()).by_uid()
    done = []
    for route in routes:
        chosen = [a for a in found if _matches(route, a, country, known)]
        if not chosen:
            continue
        message = messages.digest(chosen, day, country, route.language, known, by_uid, cfg.base_url)
        for point in cfg.enabled_points(route):
            key = f"digest:{route.name}:{point.name}:{day.isoformat()}"
            ids = [a.id for a in chosen]
            done += _deliver(engine, cfg, key, country, "digest", route, point, ids, day, message, now)
    return done


def retry_failed(engine: sa.Engine, now: datetime | None = None, *, config: Notifications | None = None):
    """Try again every failed send whose next try is due, with the words first built; the delay doubles after
    each failure until the configured number of attempts, then the row stays failed with no next try."""
    cfg = config or load()
    now = now or clock.utcnow()
    due = sa.select(notifications).where(
        notifications.c.status.in_(("pending", "failed")), notifications.c.next_try_at <= now
    )
    with store.reading(engine).connect() as conn:
        rows = conn.execute(due.order_by(notifications.c.id)).all()
    done = []
    for row in rows:
        if not _claim(engine, row.id, now):
            continue  # another process took it in between
        point = cfg.contact_points.get(row.contact_point)
        if point is None or not point.enabled:
            # Removed or switched off on purpose: sending to it now would surprise whoever did that.
            error = f"contact point {row.contact_point!r} is no longer configured or enabled"
            done.append(_record(engine, cfg, row.id, row.route, row.contact_point, row.attempts, error, now, last=True))
            continue
        message = messages.Message(row.subject, row.body)
        done.append(_try(engine, cfg, row.id, row.route, point, message, _meta(row), row.attempts, now))
    return done


def recorded(engine: sa.Engine) -> list[dict]:
    """Every recorded notification, oldest first (for the command line and the tests)."""
    with store.reading(engine).connect() as conn:
        return [dict(r._mapping) for r in conn.execute(sa.select(notifications).order_by(notifications.c.id))]


def _send_critical(engine, ids: Iterable[int], country, places, config, ruleset, now) -> list[Attempt]:
    cfg = config or load()
    now = now or clock.utcnow()
    routes = [r for r in cfg.routes if r.mode == "immediate" and r.country == country and cfg.enabled_points(r)]
    if not routes:
        return []
    found = [a for a in _alerts(engine, ids, country) if a.severity == "critical" and a.is_open]
    if not found:
        return []
    known = places or {}
    by_uid = (ruleset or _ruleset()).by_uid()
    done = []
    for alert in found:
        for route in routes:
            if not _matches(route, alert, country, known):
                continue
            message = messages.critical(alert, country, route.language, known, by_uid, cfg.base_url)
            for point in cfg.enabled_points(route):
                # Keyed by contact point, not route: two routes reaching one inbox send the alert once.
                key = f"critical:{point.name}:{alert.id}"
                done += _deliver(engine, cfg, key, country, "critical", route, point, [alert.id], None, message, now)
    return done


def _alerts(engine, ids: Iterable[int], country: str) -> list[lifecycle.Alert]:
    found = []
    for alert_id in ids:
        try:
            alert = lifecycle.get(engine, alert_id)
        except lifecycle.AlertNotFound:
            continue
        if alert.detail.get("country") == country:  # one store may hold both countries' alerts
            found.append(alert)
    return found


def _matches(route: Route, alert: lifecycle.Alert, country: str, known: messages.Places) -> bool:
    place = known.get(alert.area_id)
    area_ids = (alert.area_id, place.province_id) if place else (alert.area_id,)
    return route.matches(country, alert.severity, area_ids, alert.detail.get("respond", ""))


def _deliver(engine, cfg, key, country, reason, route, point, alert_ids, day, message, now) -> list[Attempt]:
    """Claim the key, then send; nothing when the key was claimed before (sent, or being sent, already)."""
    with store.reading(engine).connect() as conn:
        if conn.execute(sa.select(notifications.c.id).where(notifications.c.key == key)).first() is not None:
            return []
    row = dict(
        key=key,
        country=country,
        reason=reason,
        route=route.name,
        contact_point=point.name,
        channel=point.kind,
        language=route.language,
        alert_ids=json.dumps(alert_ids),
        digest_day=day,
        subject=message.subject,
        body=message.body,
        status="pending",
        attempts=0,
        created_at=now,
        next_try_at=now + LEASE,
    )
    try:
        with engine.begin() as conn:
            row_id = conn.execute(sa.insert(notifications).values(**row)).inserted_primary_key[0]
    except sa.exc.IntegrityError:
        return []  # another process claimed it between the check and the insert
    meta = dict(country=country, language=route.language, reason=reason, route=route.name, alert_ids=alert_ids)
    if day is not None:
        meta["digest_day"] = day.isoformat()
    return [_try(engine, cfg, row_id, route.name, point, message, meta, 0, now)]


def _try(engine, cfg, row_id, route_name, point: ContactPoint, message, meta, attempts, now) -> Attempt:
    try:
        channels.send(point, message, meta)
        error = None
    except channels.SendError as exc:
        error = str(exc)[:ERROR_CHARS]
    return _record(engine, cfg, row_id, route_name, point.name, attempts, error, now)


def _record(engine, cfg, row_id, route_name, point_name, attempts, error, now, last=False) -> Attempt:
    attempts += 1
    if error is None:
        values = dict(status="sent", error=None, sent_at=now, next_try_at=None)
    else:
        delay = timedelta(minutes=cfg.first_delay_minutes * 2 ** (attempts - 1))
        give_up = last or attempts >= cfg.max_attempts
        values = dict(status="failed", error=error, next_try_at=None if give_up else now + delay)
    with engine.begin() as conn:
        conn.execute(
            sa.update(notifications)
            .where(notifications.c.id == row_id)
            .values(attempts=attempts, last_try_at=now, **values)
        )
    return Attempt(row_id, route_name, point_name, values["status"], values["error"], attempts, values["next_try_at"])


def _claim(engine, row_id: int, now: datetime) -> bool:
    """Take a due row for this process: pushing its next try past the lease makes it not due for any other."""
    with engine.begin() as conn:
        claimed = conn.execute(
            sa.update(notifications)
            .where(notifications.c.id == row_id, notifications.c.next_try_at <= now)
            .values(next_try_at=now + LEASE)
        )
    return claimed.rowcount == 1


def _meta(row) -> dict:
    meta = dict(
        country=row.country,
        language=row.language,
        reason=row.reason,
        route=row.route,
        alert_ids=json.loads(row.alert_ids),
    )
    if row.digest_day is not None:
        meta["digest_day"] = row.digest_day.isoformat()
    return meta


def _ruleset() -> rules.RuleSet:
    return rules.current(settings.load().rules_dir)[0]
