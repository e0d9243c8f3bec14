"""Provinces' notes on a policy (what is done, what blocks it), kept in the state store with who and when."""

from __future__ import annotations

from datetime import datetime

import pandas as pd
import sqlalchemy as sa

from cockpit import clock, periods
from cockpit.data.access import Scope
from cockpit.i18n import N_
from cockpit.state import store
from cockpit.state.tables import NOTE_KINDS, policy_notes
from cockpit.users import audit
from cockpit.users.identity import Actor

NOTE_MAX_CHARS = 4000


class NoteError(ValueError):
    """A note that cannot be saved: `message` is an interface message (English msgid) with `values`."""

    def __init__(self, message: str, **values):
        self.message, self.values = message, values
        super().__init__(message.format(**values) if values else message)


def add_note(
    engine: sa.Engine,
    actor: Actor,
    country: str,
    policy_id: str,
    area_id: str,
    kind: str,
    text: str,
    period_start=None,
    now: datetime | None = None,
) -> int:
    """Save a province's note on a policy, written by the signed-in `actor`; users.Forbidden (audited) unless its
    role writes notes and the province is in its scope. Returns its id."""
    if not isinstance(actor, Actor):
        raise TypeError("a note is written by the signed-in Actor, not a typed name")
    audit.check(engine, actor, "write_notes", "note.add", country, area_id, target=f"policy:{policy_id}")
    if not actor.scope.allows(area_id):
        raise NoteError(N_("You can only write notes for provinces in your scope ({area} is not)."), area=area_id)
    if kind not in NOTE_KINDS:
        raise NoteError(N_("Choose what kind of note this is."))
    text, author = (text or "").strip(), actor.label
    if not text:
        raise NoteError(N_("Write the note before saving it."))
    if len(text) > NOTE_MAX_CHARS:
        raise NoteError(N_("A note holds at most {n} characters."), n=NOTE_MAX_CHARS)
    if not policy_id:
        raise NoteError(N_("Choose the policy the note is about."))
    row = dict(
        country=country,
        policy_id=policy_id,
        area_id=area_id,
        period_start=None if period_start is None else periods.as_date(period_start),
        kind=kind,
        text=text,
        author=author[:200],
        created_at=now or clock.utcnow(),
    )
    with engine.begin() as conn:
        note_id = int(conn.execute(policy_notes.insert().values(**row)).inserted_primary_key[0])
        audit.record(
            conn,
            actor.identity,
            "write",
            "note.add",
            country=country,
            area_id=area_id,
            target=f"policy:{policy_id}",
            detail=f"{kind}: {text[:500]}",
        )
        return note_id


NOTE_COLUMNS = ["id", "country", "policy_id", "area_id", "period_start", "kind", "text", "author", "created_at"]


def notes(
    engine: sa.Engine,
    scope: Scope,
    country: str,
    policy_ids=None,
    area_id: str | None = None,
    limit: int = 500,
) -> pd.DataFrame:
    """Notes on policies for provinces in scope (optionally some policies, one province), newest first."""
    if not scope.province_ids:
        return pd.DataFrame(columns=NOTE_COLUMNS)
    query = sa.select(*(policy_notes.c[c] for c in NOTE_COLUMNS)).where(
        policy_notes.c.country == country, policy_notes.c.area_id.in_(scope.province_ids)
    )
    if policy_ids is not None:
        query = query.where(policy_notes.c.policy_id.in_(list(policy_ids)))
    if area_id is not None:
        query = query.where(policy_notes.c.area_id == area_id)
    query = query.order_by(policy_notes.c.created_at.desc(), policy_notes.c.id.desc()).limit(limit)
    with store.reading(engine).connect() as conn:
        return pd.DataFrame(conn.execute(query).mappings().all(), columns=NOTE_COLUMNS)
