"""Accounts in the state store: local ones (argon2 password hashes), the identity provider's (OIDC, by e-mail) and
wall devices (long random tokens, kept as SHA-256); signing in with each, and slowing repeated failures down.
"""

from __future__ import annotations

import hashlib
import secrets
import time
from dataclasses import dataclass
from datetime import timedelta

import pandas as pd
import sqlalchemy as sa
from argon2 import PasswordHasher
from argon2.exceptions import InvalidHashError, VerificationError

from cockpit import clock, i18n, periods
from cockpit.i18n import N_
from cockpit.state import store
from cockpit.state.tables import users
from cockpit.users import audit, roles
from cockpit.users.identity import Identity

PASSWORD_MIN_CHARS = 12
# Failed sign-ins of one login within this window count towards slowing it down.
FAILURE_WINDOW = timedelta(minutes=15)
FREE_FAILURES = 3  # after these, each attempt must wait 5 s, 10 s, 20 s … (at most MAX_WAIT) after the last failure
MAX_WAIT_SECONDS = 300
FAILURE_DELAY_SECONDS = 1.0  # every failed attempt answers this much later: guessing costs time even below the limit

_hasher = PasswordHasher()
# Verified against when the login does not exist, so an unknown login takes as long as a wrong password.
_DUMMY_HASH = _hasher.hash(secrets.token_urlsafe(16))


class AccountError(ValueError):
    """An account that cannot be created or changed as asked."""


@dataclass(frozen=True)
class SignIn:
    identity: Identity | None
    message: str | None = None  # an interface message (English msgid) when refused
    wait_seconds: int = 0


def identity_of(row, via: str | None = None) -> Identity:
    return Identity(row.login, row.name, row.role, row.country, row.area_id, via or row.kind)


def _validate(role: str, country: str | None, area_id: str | None) -> None:
    found = roles.load()
    if role not in found:
        raise AccountError(f"no role {role!r}; one of {', '.join(found)}")
    scope = found[role].scope
    if scope == "national" and area_id:
        raise AccountError(f"a {role} is national: give no area")
    if scope in ("region", "province"):
        if not area_id or not country:
            raise AccountError(f"a {role} answers for one {scope}: give --country and --area")
        if (scope == "region") != (":" in area_id):
            raise AccountError(
                f"a {role}'s area is a {'province group like reo:17' if scope == 'region' else 'province id like 67'}"
            )


def add(
    engine: sa.Engine,
    login: str,
    name: str,
    role: str,
    *,
    kind: str = "local",
    password: str | None = None,
    country: str | None = None,
    area_id: str | None = None,
    by: Identity,
) -> str | None:
    """Create an account; returns a wall device's token (shown once, kept only as a hash), else None."""
    login, name = login.strip(), (name or login).strip()
    if not login:
        raise AccountError("give a login")
    _validate(role, country, area_id)
    password_hash = token = token_hash = None
    if kind == "local":
        if password is None or len(password) < PASSWORD_MIN_CHARS:
            raise AccountError(f"a password has at least {PASSWORD_MIN_CHARS} characters")
        password_hash = _hasher.hash(password)
    elif kind == "oidc":
        login = login.lower()
    elif kind == "wall":
        if roles.get(role).can - {"read"}:
            raise AccountError("a wall device's role must only read")
        token = secrets.token_urlsafe(32)
        token_hash = _token_hash(token)
    else:
        raise AccountError(f"unknown kind {kind!r}")
    row = dict(
        login=login,
        name=name,
        role=role,
        country=country,
        area_id=area_id,
        kind=kind,
        password_hash=password_hash,
        token_hash=token_hash,
        active=True,
        created_at=clock.utcnow(),
        created_by=by.label,
    )
    with engine.begin() as conn:
        if conn.execute(sa.select(users.c.id).where(sa.func.lower(users.c.login) == login.lower())).first():
            raise AccountError(f"an account {login!r} exists already")
        conn.execute(users.insert().values(**row))
        audit.record(
            conn,
            by,
            "users",
            f"users.add.{kind}",
            country=country,
            area_id=area_id,
            target=login,
            detail=f"role {role}",
        )
    return token


def set_password(engine: sa.Engine, login: str, password: str, *, by: Identity) -> None:
    if len(password) < PASSWORD_MIN_CHARS:
        raise AccountError(f"a password has at least {PASSWORD_MIN_CHARS} characters")
    _update(engine, login, {"password_hash": _hasher.hash(password)}, "users.password", by, kind="local")


def set_active(engine: sa.Engine, login: str, active: bool, *, by: Identity) -> None:
    _update(engine, login, {"active": active}, "users.enable" if active else "users.disable", by)


def _update(engine, login, changes, action, by, kind=None):
    with engine.begin() as conn:
        query = sa.select(users).where(sa.func.lower(users.c.login) == login.lower())
        row = conn.execute(query).one_or_none()
        if row is None or (kind is not None and row.kind != kind):
            raise AccountError(f"no {kind or ''} account {login!r}".replace("  ", " "))
        conn.execute(users.update().where(users.c.id == row.id).values(**changes))
        audit.record(conn, by, "users", action, country=row.country, area_id=row.area_id, target=row.login)


def listing(engine: sa.Engine) -> pd.DataFrame:
    columns = ["login", "name", "role", "country", "area_id", "kind", "active", "created_at", "last_sign_in_at"]
    with store.reading(engine).begin() as conn:
        rows = conn.execute(sa.select(*(users.c[c] for c in columns)).order_by(users.c.login)).mappings().all()
    return pd.DataFrame(rows, columns=columns)


def readable(accounts: pd.DataFrame, lang: str) -> pd.DataFrame:
    """`listing` as a reader reads it: the role by its title, how the account signs in and the day of its last
    sign-in (on the app's clock, in the reader's calendar) in `lang`; the country and area as codes ("th 67")."""
    return pd.DataFrame(
        {
            "login": accounts["login"],
            "name": accounts["name"],
            "role": accounts["role"].map(lambda r: roles.title(r, lang)),
            "area": (accounts["country"].fillna("") + " " + accounts["area_id"].fillna("")).str.strip(),
            "how": accounts["kind"].map(lambda k: i18n.tr(lang, audit.VIA_LABELS[k]) if k in audit.VIA_LABELS else k),
            "active": accounts["active"].astype(bool),
            "last": accounts["last_sign_in_at"].map(
                lambda t: i18n.NO_VALUE if pd.isna(t) else periods.day_label(t.astimezone(clock.zone()), lang)
            ),
        }
    )


def wait_seconds(engine: sa.Engine, login: str) -> int:
    """How long `login` must still wait before its next attempt counts (0: it may try now). Failures before its
    last sign-in do not count: the officer who mistyped twice, then signed in, starts afresh."""
    now = clock.utcnow()
    with store.reading(engine).begin() as conn:
        signed_in = conn.execute(
            sa.select(sa.func.max(users.c.last_sign_in_at)).where(sa.func.lower(users.c.login) == login.lower())
        ).scalar()
    since = now - FAILURE_WINDOW
    if signed_in is not None:
        since = max(since, signed_in + timedelta(microseconds=1))
    failures = audit.failures_since(engine, login, since)
    if len(failures) < FREE_FAILURES:
        return 0
    wait = min(5 * 2 ** (len(failures) - FREE_FAILURES), MAX_WAIT_SECONDS)
    return max(0, int((failures[-1] + timedelta(seconds=wait) - now).total_seconds() + 0.999))


def sign_in_local(engine: sa.Engine, login: str, password: str) -> SignIn:
    """Check a local account's password; every outcome is recorded, failures are slowed down."""
    login = (login or "").strip()
    attempt = Identity(login[:200] or "(empty)", login[:200] or "(empty)", "", via="local")
    wait = wait_seconds(engine, login)
    if wait:
        audit.record(engine, attempt, "sign_in_failed", "sign_in.local", detail=f"throttled: {wait} s to wait")
        return SignIn(None, N_("Too many failed sign-ins: wait {seconds} seconds and try again."), wait)
    with store.reading(engine).begin() as conn:
        row = conn.execute(
            sa.select(users).where(sa.func.lower(users.c.login) == login.lower(), users.c.kind == "local")
        ).one_or_none()
    ok = False
    try:
        ok = _hasher.verify(row.password_hash if row is not None else _DUMMY_HASH, password or "")
    except (VerificationError, InvalidHashError):
        ok = False
    if not ok or row is None or not row.active:
        time.sleep(FAILURE_DELAY_SECONDS)
        reason = "unknown login" if row is None else ("disabled" if not row.active else "wrong password")
        audit.record(engine, attempt, "sign_in_failed", "sign_in.local", detail=reason)
        return SignIn(None, N_("The login or the password is wrong."))
    who = identity_of(row, "local")
    _signed_in(engine, row, who, "sign_in.local")
    return SignIn(who)


def sign_in_oidc(engine: sa.Engine, email: str | None, issuer: str | None = None) -> SignIn:
    """The account the identity provider vouched for (by e-mail); it must exist here, with a role."""
    login = (email or "").strip().lower()
    with store.reading(engine).begin() as conn:
        row = conn.execute(sa.select(users).where(users.c.login == login, users.c.kind == "oidc")).one_or_none()
    if not login or row is None or not row.active:
        who = Identity(login or "(no e-mail)", login or "(no e-mail)", "", via="oidc")
        audit.record(engine, who, "sign_in_failed", "sign_in.oidc", detail=f"no active account; issuer {issuer}")
        return SignIn(None, N_("{login} has no account in the cockpit: ask an administrator for one."))
    who = identity_of(row, "oidc")
    _signed_in(engine, row, who, "sign_in.oidc")
    return SignIn(who)


def sign_in_wall(engine: sa.Engine, token: str | None) -> SignIn:
    """A wall device's token (from its URL): no keyboard at the war-room screen."""
    token = (token or "").strip()
    with store.reading(engine).begin() as conn:
        row = (
            conn.execute(
                sa.select(users).where(users.c.token_hash == _token_hash(token), users.c.kind == "wall")
            ).one_or_none()
            if token
            else None
        )
    if row is None or not row.active:
        time.sleep(FAILURE_DELAY_SECONDS)
        who = Identity("(wall token)", "(wall token)", "wall", via="wall")
        audit.record(engine, who, "sign_in_failed", "sign_in.wall", detail="unknown or disabled token")
        return SignIn(None, N_("This wall screen's token is not valid: ask an administrator for a new link."))
    who = identity_of(row, "wall")
    _signed_in(engine, row, who, "sign_in.wall")
    return SignIn(who)


def demo_identity(key: str) -> Identity:
    """The built-in demo account `key` (only the sign-in page's caller knows whether the data is the demo)."""
    account = roles.demo_accounts()[key]
    return Identity(f"demo.{key}", account.name, account.role, account.country, account.area_id, "demo")


def _signed_in(engine: sa.Engine, row, who: Identity, action: str) -> None:
    with engine.begin() as conn:
        conn.execute(users.update().where(users.c.id == row.id).values(last_sign_in_at=clock.utcnow()))
        audit.record(conn, who, "sign_in", action)


def _token_hash(token: str) -> str:
    # A token is 256 random bits: a fast hash is enough (no dictionary to guess from), and it is looked up by value.
    return hashlib.sha256(token.encode()).hexdigest()
