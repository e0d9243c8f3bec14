"""Alerts become episodes: first and latest period in breach, periods clear, the episode a recurrence follows;
events written by the replay are marked as reconstructed.

Existing alerts become one-period episodes (last_period = period_start), every recorded action kept as it
is. Where the per-period design left several open alerts for one rule, area and subject (September's,
assigned, and October's, new), the one a person took (else the oldest) carries on as the episode and the
others are closed by the system as merged into it, with an event saying so: nothing a person recorded is moved or lost.

Revision ID: 0004
Revises: 0003
Create Date: 2026-12-03 16:30:00
"""

import sqlalchemy as sa
from alembic import op

from cockpit import clock

revision = "0004"
down_revision = "0003"
branch_labels = None
depends_on = None


def upgrade() -> None:
    sqlite = op.get_bind().dialect.name == "sqlite"
    if sqlite:
        # SQLite alters a table by building a new one and dropping the old, and dropping `alerts` deletes its
        # events (ON DELETE CASCADE, foreign keys on; the pragma cannot change inside this transaction): keep
        # them aside and put them back.
        op.execute("CREATE TEMP TABLE events_kept AS SELECT * FROM alert_events")
    with op.batch_alter_table("alerts", schema=None) as batch_op:
        batch_op.add_column(sa.Column("last_period", sa.Date(), nullable=True))
        batch_op.add_column(sa.Column("periods_in_breach", sa.Integer(), server_default="1", nullable=False))
        batch_op.add_column(sa.Column("periods_clear", sa.Integer(), server_default="0", nullable=False))
        batch_op.add_column(sa.Column("clear_period", sa.Date(), nullable=True))
        batch_op.add_column(sa.Column("previous_id", sa.Integer(), nullable=True))
        batch_op.create_foreign_key(
            batch_op.f("fk_alerts_previous_id_alerts"), "alerts", ["previous_id"], ["id"], ondelete="SET NULL"
        )
    op.execute("UPDATE alerts SET last_period = period_start")
    with op.batch_alter_table("alerts", schema=None) as batch_op:
        batch_op.alter_column("last_period", existing_type=sa.Date(), nullable=False)
    if sqlite:
        op.execute("INSERT INTO alert_events SELECT * FROM events_kept WHERE id NOT IN (SELECT id FROM alert_events)")
        op.execute("DROP TABLE events_kept")
    _merge_open_duplicates(op.get_bind())
    with op.batch_alter_table("alert_events", schema=None) as batch_op:
        batch_op.add_column(sa.Column("reconstructed", sa.Boolean(), server_default=sa.false(), nullable=False))


def _merge_open_duplicates(conn) -> None:
    alerts = sa.table(
        "alerts",
        sa.column("id"),
        sa.column("rule_id"),
        sa.column("area_id"),
        sa.column("subject"),
        sa.column("period_start"),
        sa.column("last_period"),
        sa.column("periods_in_breach"),
        sa.column("state"),
        sa.column("resolved_at"),
        sa.column("resolved_by"),
        sa.column("version"),
    )
    events = sa.table(
        "alert_events",
        sa.column("alert_id"),
        sa.column("at"),
        sa.column("actor"),
        sa.column("action"),
        sa.column("from_state"),
        sa.column("to_state"),
        sa.column("note"),
    )
    rows = conn.execute(
        sa.select(alerts)
        .where(alerts.c.state != "resolved")
        .order_by(alerts.c.rule_id, alerts.c.area_id, alerts.c.subject, alerts.c.period_start, alerts.c.id)
    ).all()
    groups: dict[tuple, list] = {}
    for row in rows:
        groups.setdefault((row.rule_id, row.area_id, row.subject), []).append(row)
    now = clock.utcnow()
    for group in groups.values():
        if len(group) < 2:
            continue
        # The one a person took carries on (their assignment and notes stay in front), else the oldest.
        kept = next((r for r in group if r.state != "new"), group[0])
        newer = [r for r in group if r.id != kept.id]
        conn.execute(
            sa.update(alerts)
            .where(alerts.c.id == kept.id)
            .values(last_period=max(r.period_start for r in group), periods_in_breach=len(group))
        )
        for row in newer:
            conn.execute(
                sa.update(alerts)
                .where(alerts.c.id == row.id)
                .values(state="resolved", resolved_at=now, resolved_by="system", version=row.version + 1)
            )
            conn.execute(
                sa.insert(events).values(
                    alert_id=row.id,
                    at=now,
                    actor="system",
                    action="merged",
                    from_state=row.state,
                    to_state="resolved",
                    note=f"#{kept.id}",
                )
            )


def downgrade() -> None:
    with op.batch_alter_table("alert_events", schema=None) as batch_op:
        batch_op.drop_column("reconstructed")
    sqlite = op.get_bind().dialect.name == "sqlite"
    if sqlite:  # as in upgrade: rebuilding `alerts` would delete its events
        op.execute("CREATE TEMP TABLE events_kept AS SELECT * FROM alert_events")
    with op.batch_alter_table("alerts", schema=None) as batch_op:
        batch_op.drop_constraint(batch_op.f("fk_alerts_previous_id_alerts"), type_="foreignkey")
        batch_op.drop_column("previous_id")
        batch_op.drop_column("clear_period")
        batch_op.drop_column("periods_clear")
        batch_op.drop_column("periods_in_breach")
        batch_op.drop_column("last_period")
    if sqlite:
        op.execute("INSERT INTO alert_events SELECT * FROM events_kept WHERE id NOT IN (SELECT id FROM alert_events)")
        op.execute("DROP TABLE events_kept")
