"""The tables of the state store (alerts, evaluations, decisions, policy notes, notifications, users, audit), declared
once for code and Alembic.

A change here needs a new revision in `migrations/versions/` (see `cockpit.store`); a test compares
these tables with what the migrations build and fails when they disagree.
"""

from __future__ import annotations

from datetime import UTC, datetime

import sqlalchemy as sa
from sqlalchemy.types import TypeDecorator

# Named constraints, so later migrations can drop or alter them by name (SQLite's batch mode needs it).
NAMING = {
    "ix": "ix_%(column_0_label)s",
    "uq": "uq_%(table_name)s_%(column_0_name)s",
    "ck": "ck_%(table_name)s_%(constraint_name)s",
    "fk": "fk_%(table_name)s_%(column_0_name)s_%(referred_table_name)s",
    "pk": "pk_%(table_name)s",
}

metadata = sa.MetaData(naming_convention=NAMING)

STATES = ("new", "acknowledged", "in_progress", "resolved")


class TooLong(ValueError):
    """A text longer than its column allows."""


def _compared_as_stored(bounded: TypeDecorator):
    # A value a column is compared with (a filter, a search) is not stored: longer than the column, it matches
    # nothing. Checked as a stored value, the Audit page's area filter gave a traceback for 51 characters.
    return bounded.impl_instance


class Bounded(TypeDecorator):
    """A VARCHAR(n) whose length is checked before the statement is sent, the same way on every database (SQLite
    stores five million characters in a VARCHAR(200); PostgreSQL refuses with an error quoting the SQL)."""

    impl = sa.String
    cache_ok = True

    def process_bind_param(self, value, dialect):
        if value is not None and len(value) > self.impl.length:
            raise TooLong(f"{len(value)} characters where at most {self.impl.length} fit")
        return value

    def coerce_compared_value(self, op, value):
        return _compared_as_stored(self)


class BoundedText(TypeDecorator):
    """TEXT that people type (notes, decisions), at most `limit` characters on every database."""

    impl = sa.Text
    cache_ok = True

    def __init__(self, limit: int):
        super().__init__()
        self.limit = limit

    def process_bind_param(self, value, dialect):
        if value is not None and len(value) > self.limit:
            raise TooLong(f"{len(value)} characters where at most {self.limit} fit")
        return value

    def coerce_compared_value(self, op, value):
        return _compared_as_stored(self)


# The longest note, decision or comment a person may write.
TEXT_MAX_CHARS = 4000


class UTCDateTime(TypeDecorator):
    """A timezone-aware UTC timestamp on every database: SQLite keeps no zone, so it is stored as UTC and restored."""

    impl = sa.DateTime(timezone=True)
    cache_ok = True

    def process_bind_param(self, value, dialect):
        if value is None:
            return None
        if value.tzinfo is None:
            # A naive time is ambiguous (local? UTC?); refusing it keeps every stored time comparable.
            raise ValueError(f"timestamp {value!r} has no time zone")
        return value.astimezone(UTC)

    def process_result_value(self, value, dialect):
        if value is None:
            return None
        if isinstance(value, str):
            value = datetime.fromisoformat(value)
        return value.replace(tzinfo=UTC) if value.tzinfo is None else value.astimezone(UTC)


alerts = sa.Table(
    "alerts",
    metadata,
    sa.Column("id", sa.Integer, primary_key=True),
    sa.Column("rule_id", Bounded(100), nullable=False),
    sa.Column("area_id", Bounded(50), nullable=False, index=True),
    sa.Column("subject", Bounded(100), nullable=False),
    sa.Column("period_start", sa.Date, nullable=False),
    sa.Column("severity", Bounded(20), nullable=False),
    sa.Column("state", Bounded(20), nullable=False, index=True),
    sa.Column("title", sa.Text, nullable=False),
    sa.Column("value", sa.Float, nullable=True),
    sa.Column("threshold", sa.Float, nullable=True),
    sa.Column("detail", sa.Text, nullable=True),
    sa.Column("first_seen_at", UTCDateTime, nullable=False),
    sa.Column("last_seen_at", UTCDateTime, nullable=False),
    sa.Column("condition_cleared_at", UTCDateTime, nullable=True),
    sa.Column("resolved_at", UTCDateTime, nullable=True),
    sa.Column("resolved_by", Bounded(200), nullable=True),
    sa.Column("assignee", Bounded(200), nullable=True),
    sa.Column("version", sa.Integer, nullable=False),
    # An alert is an episode: it lasts from its first period in breach (period_start) to its latest one.
    sa.Column("last_period", sa.Date, nullable=False),
    sa.Column("periods_in_breach", sa.Integer, nullable=False, server_default="1"),
    # How many periods the condition has been judged clear since it last held, and the latest of them.
    sa.Column("periods_clear", sa.Integer, nullable=False, server_default="0"),
    sa.Column("clear_period", sa.Date, nullable=True),
    # The episode this one follows: the same rule, area and subject, resolved before the problem came back.
    sa.Column("previous_id", sa.Integer, sa.ForeignKey("alerts.id", ondelete="SET NULL"), nullable=True),
    # One episode per first period: evaluating the rules again finds the same row instead of adding one.
    sa.UniqueConstraint("rule_id", "area_id", "subject", "period_start", name="uq_alerts_identity"),
    sa.CheckConstraint("state IN ('new', 'acknowledged', 'in_progress', 'resolved')", name="state"),
)

alert_events = sa.Table(
    "alert_events",
    metadata,
    sa.Column("id", sa.Integer, primary_key=True),
    sa.Column("alert_id", sa.Integer, sa.ForeignKey("alerts.id", ondelete="CASCADE"), nullable=False, index=True),
    sa.Column("at", UTCDateTime, nullable=False),
    sa.Column("actor", Bounded(200), nullable=False),
    sa.Column("action", Bounded(40), nullable=False),
    sa.Column("from_state", Bounded(20), nullable=True),
    sa.Column("to_state", Bounded(20), nullable=True),
    sa.Column("note", BoundedText(TEXT_MAX_CHARS), nullable=True),
    # Who an 'assign' event named, kept apart from the note so the interface can phrase it in any language.
    sa.Column("assignee", Bounded(200), nullable=True),
    # Written by the replay of past month-ends when a store first met a country, not seen happening.
    sa.Column("reconstructed", sa.Boolean, nullable=False, server_default=sa.false()),
)

# One row per evaluation of the alert rules that reached the store: when, on which data, what it found.
evaluations = sa.Table(
    "evaluations",
    metadata,
    sa.Column("id", sa.Integer, primary_key=True),
    sa.Column("country", Bounded(10), nullable=False, index=True),
    sa.Column("as_of", sa.Date, nullable=False),
    sa.Column("at", UTCDateTime, nullable=False),
    sa.Column("extract_version", Bounded(40), nullable=False),
    sa.Column("rules_version", Bounded(40), nullable=False),
    sa.Column("firing", sa.Integer, nullable=False),
    sa.Column("opened", sa.Integer, nullable=False),
    sa.Column("resolved", sa.Integer, nullable=False),
    sa.Column("duration_ms", sa.Float, nullable=False),
)

DECISION_SUBJECTS = ("area", "indicator", "alert", "policy")
DECISION_STATUSES = ("open", "done")

# Decisions taken in a meeting: what, who owns it, by when, and what it is about.
decisions = sa.Table(
    "decisions",
    metadata,
    sa.Column("id", sa.Integer, primary_key=True),
    sa.Column("country", Bounded(10), nullable=False, index=True),
    sa.Column("meeting_date", sa.Date, nullable=False),
    sa.Column("text", BoundedText(TEXT_MAX_CHARS), nullable=False),
    sa.Column("owner", Bounded(200), nullable=False),
    sa.Column("due_date", sa.Date, nullable=True),
    sa.Column("subject_type", Bounded(20), nullable=False),
    sa.Column("subject_id", Bounded(100), nullable=False),
    # The area the decision concerns (a province or district), so it shows on that area's pages.
    sa.Column("area_id", Bounded(50), nullable=True, index=True),
    sa.Column("status", Bounded(10), nullable=False),
    sa.Column("recorded_by", Bounded(200), nullable=False),
    sa.Column("recorded_at", UTCDateTime, nullable=False),
    sa.Column("done_by", Bounded(200), nullable=True),
    sa.Column("done_at", UTCDateTime, nullable=True),
    sa.Column("version", sa.Integer, nullable=False),
    sa.CheckConstraint("subject_type IN ('area', 'indicator', 'alert', 'policy')", name="subject_type"),
    sa.CheckConstraint("status IN ('open', 'done')", name="status"),
)

NOTE_KINDS = ("progress", "problem", "obstacle", "advice")

# What provincial offices report on a policy: progress, problems, obstacles and policy advice.
policy_notes = sa.Table(
    "policy_notes",
    metadata,
    sa.Column("id", sa.Integer, primary_key=True),
    sa.Column("country", Bounded(10), nullable=False),
    sa.Column("policy_id", Bounded(100), nullable=False, index=True),
    sa.Column("area_id", Bounded(50), nullable=False, index=True),
    sa.Column("period_start", sa.Date, nullable=True),
    sa.Column("kind", Bounded(20), nullable=False),
    sa.Column("text", BoundedText(TEXT_MAX_CHARS), nullable=False),
    sa.Column("author", Bounded(200), nullable=False),
    sa.Column("created_at", UTCDateTime, nullable=False),
    sa.CheckConstraint("kind IN ('progress', 'problem', 'obstacle', 'advice')", name="kind"),
)

NOTIFICATION_STATUSES = ("pending", "sent", "failed")

# One row per message to one contact point (an alert sent at once, or a route's daily digest), with its
# outcome. `key` makes sending idempotent: the same alert to the same contact point for the same reason, or
# one route's digest for one day, has one row however often the sender runs; retries update that row.
notifications = sa.Table(
    "notifications",
    metadata,
    sa.Column("id", sa.Integer, primary_key=True),
    sa.Column("key", Bounded(300), nullable=False, unique=True),
    sa.Column("country", Bounded(10), nullable=False),
    sa.Column("reason", Bounded(20), nullable=False),
    sa.Column("route", Bounded(100), nullable=False),
    sa.Column("contact_point", Bounded(100), nullable=False),
    sa.Column("channel", Bounded(20), nullable=False),
    sa.Column("language", Bounded(5), nullable=False),
    # The alerts the message names (a JSON list of ids), and the day a digest covers.
    sa.Column("alert_ids", sa.Text, nullable=False),
    sa.Column("digest_day", sa.Date, nullable=True),
    # The message as built the first time, so a retry sends the same words even after the alerts moved on.
    sa.Column("subject", sa.Text, nullable=False),
    sa.Column("body", sa.Text, nullable=False),
    sa.Column("status", Bounded(10), nullable=False, index=True),
    sa.Column("error", sa.Text, nullable=True),
    sa.Column("attempts", sa.Integer, nullable=False),
    sa.Column("created_at", UTCDateTime, nullable=False),
    sa.Column("last_try_at", UTCDateTime, nullable=True),
    sa.Column("next_try_at", UTCDateTime, nullable=True),
    sa.Column("sent_at", UTCDateTime, nullable=True),
    sa.CheckConstraint("status IN ('pending', 'sent', 'failed')", name="status"),
    sa.CheckConstraint("reason IN ('critical', 'digest')", name="reason"),
)

ACCOUNT_KINDS = ("local", "oidc", "wall")

# Who may sign in: local accounts (an argon2 hash of the password), accounts of the ministry's identity provider
# (OIDC; login is the e-mail the provider vouches for) and wall devices (a SHA-256 of their long random token).
# Each has one role and, for a regional or provincial office, the area it answers for.
users = sa.Table(
    "users",
    metadata,
    sa.Column("id", sa.Integer, primary_key=True),
    sa.Column("login", Bounded(200), nullable=False, unique=True),
    sa.Column("name", Bounded(200), nullable=False),
    sa.Column("role", Bounded(40), nullable=False),
    # None: every country (a national role may serve both ministries); else th or la.
    sa.Column("country", Bounded(10), nullable=True),
    # None: national; a province id ("67") or a province group key ("reo:17").
    sa.Column("area_id", Bounded(50), nullable=True),
    sa.Column("kind", Bounded(10), nullable=False),
    sa.Column("password_hash", Bounded(200), nullable=True),
    sa.Column("token_hash", Bounded(64), nullable=True, unique=True),
    sa.Column("active", sa.Boolean, nullable=False, server_default=sa.true()),
    sa.Column("created_at", UTCDateTime, nullable=False),
    sa.Column("created_by", Bounded(200), nullable=False),
    sa.Column("last_sign_in_at", UTCDateTime, nullable=True),
    sa.CheckConstraint("kind IN ('local', 'oidc', 'wall')", name="kind"),
)

AUDIT_KINDS = ("sign_in", "sign_in_failed", "sign_out", "write", "refused", "export", "publish", "users")

# The audit trail: who did what, when, from which area. Append-only: the app only inserts, and the database
# refuses UPDATE and DELETE on it (triggers, in migration 0005).
audit = sa.Table(
    "audit",
    metadata,
    sa.Column("id", sa.Integer, primary_key=True),
    sa.Column("at", UTCDateTime, nullable=False, index=True),
    sa.Column("login", Bounded(200), nullable=False, index=True),
    sa.Column("name", Bounded(200), nullable=False),
    sa.Column("role", Bounded(40), nullable=True),
    # How the identity was established: local, oidc, demo, wall, cli (a command line: publish, users).
    sa.Column("via", Bounded(10), nullable=True),
    sa.Column("kind", Bounded(20), nullable=False, index=True),
    # What exactly, e.g. alert.acknowledge, decision.record, note.add, workbook, brief.pdf.
    sa.Column("action", Bounded(60), nullable=False),
    sa.Column("country", Bounded(10), nullable=True),
    # The area the action concerned (an alert's province or district, a note's province), or the actor's own area.
    sa.Column("area_id", Bounded(50), nullable=True, index=True),
    sa.Column("target", Bounded(200), nullable=True),  # e.g. alert:123, decision:7, version id
    sa.Column("detail", sa.Text, nullable=True),
    sa.CheckConstraint(
        "kind IN ('sign_in', 'sign_in_failed', 'sign_out', 'write', 'refused', 'export', 'publish', 'users')",
        name="kind",
    ),
)
