"""The audit trail: every sign-in, failed sign-in, write, refusal, export and publish, with who, when, what and where.

Append-only: this module only inserts and reads, and the database refuses UPDATE and DELETE on the table
(migration 0005). A write records its entry in the same transaction as the change, so the trail never
claims a write that was rolled back, nor misses one that happened; a refusal is recorded on its own.
"""

from __future__ import annotations

from collections.abc import Iterable
from datetime import date, datetime, timedelta

import pandas as pd
import sqlalchemy as sa

from cockpit import clock, i18n, periods
from cockpit.i18n import N_
from cockpit.state import store
from cockpit.state.tables import AUDIT_KINDS, audit
from cockpit.users import roles
from cockpit.users.identity import Actor, Forbidden, Identity

COLUMNS = ["id", "at", "login", "name", "role", "via", "kind", "action", "country", "area_id", "target", "detail"]
DETAIL_MAX_CHARS = 2000

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
VIA_LABELS = {  # how an identity signed in (identity.VIA)
    "local": N_("Password"),
    "oidc": N_("Identity provider"),
    "demo": N_("Demo account"),
    "wall": N_("Wall screen token"),
    "cli": N_("Command line"),
}


def record(
    where: sa.Engine | sa.Connection,
    who: Identity,
    kind: str,
    action: str,
    *,
    country: str | None = None,
    area_id: str | None = None,
    target: str | None = None,
    detail: str | None = None,
) -> None:
    """Append one entry; `where` is an engine (its own transaction) or the connection of the write it records."""
    if kind not in AUDIT_KINDS:
        raise ValueError(f"unknown audit kind {kind!r}; one of {', '.join(AUDIT_KINDS)}")
    row = dict(
        at=clock.utcnow(),
        login=who.login[:200],
        name=who.name[:200],
        role=who.role,
        via=who.via,
        kind=kind,
        action=action[:60],
        country=country or who.country,
        area_id=area_id if area_id is not None else who.area_id,
        target=None if target is None else str(target)[:200],
        detail=None if detail is None else str(detail)[:DETAIL_MAX_CHARS],
    )
    if isinstance(where, sa.Connection):
        where.execute(audit.insert().values(**row))
    else:
        with where.begin() as conn:
            conn.execute(audit.insert().values(**row))


def check(
    engine: sa.Engine,
    actor: Actor,
    permission: str,
    action: str,
    country: str,
    area_id: str | None,
    target: str | None = None,
) -> None:
    """Raise Forbidden, recorded as refused, unless `actor` may `permission` on `area_id` of `country`."""
    refused = actor.refusal(permission, country, area_id)
    if refused is not None:
        record(
            engine,
            actor.identity,
            "refused",
            action,
            country=country,
            area_id=area_id,
            target=target,
            detail=str(refused),
        )
        raise refused


def entries(
    engine: sa.Engine,
    *,
    kinds: Iterable[str] | None = None,
    login: str | None = None,
    country: str | None = None,
    area_ids: Iterable[str] | None = None,
    since: date | None = None,
    until: date | None = None,
    text: str | None = None,
    limit: int = 1000,
) -> pd.DataFrame:
    """Entries newest first (columns: COLUMNS); each filter None for all. `since`/`until`: days on the app's clock."""
    query = sa.select(*(audit.c[c] for c in COLUMNS))
    if kinds is not None:
        query = query.where(audit.c.kind.in_(list(kinds)))
    if login:
        query = query.where(sa.func.lower(audit.c.login).contains(login.lower(), autoescape=True))
    if country:
        query = query.where(audit.c.country == country)
    if area_ids is not None:
        query = query.where(audit.c.area_id.in_(list(area_ids)))
    if since is not None:
        query = query.where(audit.c.at >= _day_start(since))
    if until is not None:
        query = query.where(audit.c.at < _day_start(until + timedelta(days=1)))
    if text:
        needle = text.lower()
        query = query.where(
            sa.or_(
                sa.func.lower(audit.c.action).contains(needle, autoescape=True),
                sa.func.lower(sa.func.coalesce(audit.c.target, "")).contains(needle, autoescape=True),
                sa.func.lower(sa.func.coalesce(audit.c.detail, "")).contains(needle, autoescape=True),
            )
        )
    query = query.order_by(audit.c.id.desc()).limit(limit)
    with store.reading(engine).begin() as conn:
        return pd.DataFrame(conn.execute(query).mappings().all(), columns=COLUMNS)


def _day_start(day: date) -> datetime:
    return datetime.combine(day, datetime.min.time(), tzinfo=clock.zone())


def failures_since(engine: sa.Engine, login: str, since: datetime) -> list[datetime]:
    """When `login` failed to sign in since `since` (oldest first), for slowing repeated attempts down."""
    query = (
        sa.select(audit.c.at)
        .where(audit.c.kind == "sign_in_failed", sa.func.lower(audit.c.login) == login.lower(), audit.c.at >= since)
        .order_by(audit.c.id)
    )
    with store.reading(engine).begin() as conn:
        return [row.at for row in conn.execute(query)]


def refuse(engine: sa.Engine, who: Identity, action: str, message: str, **values) -> Forbidden:
    """A refusal decided above the store (a page a role may not open): recorded, and returned to raise or show."""
    refused = Forbidden(message, **values)
    record(engine, who, "refused", action, detail=str(refused))
    return refused


def readable(rows: pd.DataFrame, lang: str) -> pd.DataFrame:
    """`entries` as a reader reads them: the moment on the app's clock in the reader's calendar ("22 พ.ย. 2569
    23:37:48"), who by name and login, the role by its title, how they signed in, what kind of entry and the
    country, in `lang`; the action, area, target and detail as recorded."""
    local = rows["at"].map(lambda t: t.astimezone(clock.zone()))
    return pd.DataFrame(
        {
            "id": rows["id"],
            "when": [f"{periods.day_label(t, lang)} {t:%H:%M:%S}" for t in local],
            "who": rows["name"].fillna("") + " (" + rows["login"] + ")",
            "role": rows["role"].map(lambda r: roles.title(r, lang) if isinstance(r, str) and r else ""),
            "how": rows["via"].map(lambda v: i18n.tr(lang, VIA_LABELS[v]) if v in VIA_LABELS else (v or "")),
            "what": rows["kind"].map(lambda k: i18n.tr(lang, KIND_LABELS[k]) if k in KIND_LABELS else k),
            "action": rows["action"],
            "country": rows["country"].map(
                lambda c: i18n.tr(lang, i18n.COUNTRY_NAMES[c]) if c in i18n.COUNTRY_NAMES else ""
            ),
            "area": rows["area_id"].fillna(""),
            "target": rows["target"].fillna(""),
            "detail": rows["detail"].fillna(""),
        }
    )
