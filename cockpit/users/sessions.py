"""A sign-in that outlives a reload, a new tab and a lost replica: a signed cookie naming who signed in.

Streamlit keeps the signed-in identity in the session of one browser tab on one server process; a reload, a new tab
or the other replica behind nginx starts a new session, which met the sign-in page again. The cookie holds the login,
how it signed in and when it stops being valid, signed (HMAC-SHA256) with the session secret, the same on every
replica (COCKPIT_SESSION_SECRET; without one, each process makes its own, and the cookie lasts as long as it does).

A cookie is only a pointer: a new session rebuilds the identity from the store (a local account: active, with its
role and area as they are now) or from the roles file (a demo account, on the demo data only), never from the cookie.
Identity-provider sessions have Streamlit's own cookie, and a wall screen its token; neither uses this one.
"""

from __future__ import annotations

import base64
import hashlib
import hmac
import secrets
from datetime import datetime, timedelta

import sqlalchemy as sa

from cockpit import settings
from cockpit.state import store
from cockpit.state.tables import users
from cockpit.users import accounts, roles
from cockpit.users.identity import Identity

COOKIE = "cockpit_session"
LASTS = timedelta(hours=10)  # a working day: the next morning signs in again
KINDS = ("local", "demo")  # what signed in with a form or a demo button

_process_secret = secrets.token_bytes(32)


def _secret() -> bytes:
    configured = settings.load().session_secret
    return configured.encode("utf-8") if configured else _process_secret


def _sign(body: bytes) -> str:
    return base64.urlsafe_b64encode(hmac.new(_secret(), body, hashlib.sha256).digest()).decode().rstrip("=")


def make(who: Identity, now: datetime) -> str | None:
    """The cookie's value for `who` signed in at `now` (None for a way of signing in that has its own)."""
    if who.via not in KINDS:
        return None
    expires = int((now + LASTS).timestamp())
    body = base64.urlsafe_b64encode(f"{who.via}|{expires}|{who.login}".encode()).decode().rstrip("=")
    return f"{body}.{_sign(body.encode())}"


def read(value: str | None, now: datetime) -> tuple[str, str] | None:
    """(via, login) from a cookie this cockpit signed and that has not expired; None for anything else."""
    if not value or value.count(".") != 1:
        return None
    body, signature = value.split(".")
    if not hmac.compare_digest(signature, _sign(body.encode())):
        return None
    try:
        via, expires, login = base64.urlsafe_b64decode(body + "=" * (-len(body) % 4)).decode().split("|", 2)
        if int(expires) < now.timestamp() or via not in KINDS:
            return None
    except ValueError:
        return None
    return via, login


def restore(engine: sa.Engine, value: str | None, now: datetime, on_demo: bool) -> Identity | None:
    """The identity a valid cookie points at, as it stands now: an active local account, or a demo account while
    the data served is the demo; None otherwise."""
    found = read(value, now)
    if found is None:
        return None
    via, login = found
    if via == "demo":
        key = login.removeprefix("demo.")
        return accounts.demo_identity(key) if on_demo and key in roles.demo_accounts() else None
    with store.reading(engine).begin() as conn:
        row = conn.execute(
            sa.select(users).where(users.c.login == login, users.c.kind == "local", users.c.active)
        ).one_or_none()
    return accounts.identity_of(row, "local") if row is not None else None
