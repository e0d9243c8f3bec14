"""The state store: the engine's SQLite settings, migrations that build exactly the declared tables, UTC times."""

import multiprocessing
import socket
import sqlite3
import threading
from datetime import UTC, datetime, timedelta, timezone

import pytest
import sqlalchemy as sa
from alembic.autogenerate import compare_metadata
from alembic.migration import MigrationContext
from alembic.script import ScriptDirectory
from databases import DATABASES, fresh_database

from cockpit.state import store, tables


@pytest.fixture(params=DATABASES)
def url(request, tmp_path):
    with fresh_database(request.param, tmp_path) as url:
        yield url


def table_names(eng) -> set[str]:
    with eng.connect() as conn:
        return set(sa.inspect(conn).get_table_names())


def test_engine_defaults_to_the_setting_and_creates_the_folder(tmp_path, monkeypatch):
    path = tmp_path / "not" / "yet" / "cockpit.db"
    monkeypatch.setenv("COCKPIT_STATE_URL", f"sqlite:///{path}")
    eng = store.engine()
    try:
        assert path.exists()
        assert set(tables.metadata.tables) <= table_names(eng)
    finally:
        eng.dispose()


def test_sqlite_uses_wal_a_busy_timeout_and_foreign_keys(tmp_path):
    eng = store.engine(f"sqlite:///{tmp_path / 'state.db'}")
    with eng.connect() as conn:
        assert conn.exec_driver_sql("PRAGMA journal_mode").scalar() == "wal"
        assert conn.exec_driver_sql("PRAGMA busy_timeout").scalar() == store.SQLITE_BUSY_MS
        assert conn.exec_driver_sql("PRAGMA foreign_keys").scalar() == 1
    eng.dispose()


def test_sqlite_transactions_take_the_write_lock_at_begin(tmp_path):
    path = tmp_path / "state.db"
    eng = store.engine(f"sqlite:///{path}")
    other = sqlite3.connect(path, timeout=0, isolation_level=None)
    try:
        with eng.begin() as conn:
            conn.execute(sa.select(sa.func.count()).select_from(tables.alerts))
            # Only a read so far, yet a second writer is already held off: read-then-write cannot be overtaken.
            with pytest.raises(sqlite3.OperationalError, match="locked"):
                other.execute("BEGIN IMMEDIATE")
        other.execute("BEGIN IMMEDIATE")
        other.execute("ROLLBACK")
    finally:
        other.close()
        eng.dispose()


def test_upgrade_builds_exactly_the_declared_tables(url):
    eng = store.engine(url)
    try:
        assert table_names(eng) == set(tables.metadata.tables) | {"alembic_version"}
        with eng.connect() as conn:
            context = MigrationContext.configure(conn)
            assert compare_metadata(context, tables.metadata) == []
            head = ScriptDirectory.from_config(store.alembic_config()).get_current_head()
            assert context.get_current_revision() == head
        assert store.newest_revision() == head  # what a page server checks before it would load Alembic
    finally:
        eng.dispose()


def test_downgrade_to_base_drops_every_table_and_upgrade_rebuilds_them(url):
    eng = store.engine(url)
    try:
        store.downgrade(eng, "base")
        assert table_names(eng) <= {"alembic_version"}
        eng2 = store.engine(url)  # forgotten by downgrade, so upgraded again
        assert table_names(eng2) == set(tables.metadata.tables) | {"alembic_version"}
        eng2.dispose()
    finally:
        eng.dispose()


def test_schema_is_upgraded_once_per_url_per_process(tmp_path, monkeypatch):
    url = f"sqlite:///{tmp_path / 'state.db'}"
    store.engine(url).dispose()
    calls = []
    monkeypatch.setattr(store, "upgrade", lambda eng: calls.append(eng))
    store.engine(url).dispose()
    store.engine(f"sqlite:///{tmp_path / 'other.db'}").dispose()
    assert len(calls) == 1


def open_store_at_once(url, barrier):
    barrier.wait()
    store.engine(url).dispose()


def test_processes_starting_together_on_an_empty_database_migrate_it_once(url):
    # Replicas deployed together all find the database empty; one migrates, the others wait and find it current.
    context = multiprocessing.get_context("spawn")
    barrier = context.Barrier(3)
    workers = [context.Process(target=open_store_at_once, args=(url, barrier)) for _ in range(3)]
    for w in workers:
        w.start()
    for w in workers:
        w.join(timeout=60)
    assert [w.exitcode for w in workers] == [0, 0, 0]
    eng = store.connect(url)
    try:
        assert table_names(eng) == set(tables.metadata.tables) | {"alembic_version"}
        with eng.connect() as conn:
            assert conn.execute(sa.text("SELECT count(*) FROM alembic_version")).scalar_one() == 1
    finally:
        eng.dispose()


def test_times_are_stored_and_read_as_utc(url):
    eng = store.engine(url)
    bangkok = timezone(timedelta(hours=7))
    at = datetime(2024, 10, 1, 9, 30, tzinfo=bangkok)
    alerts = tables.alerts
    row = dict(
        rule_id="r",
        area_id="a",
        subject="s",
        period_start=at.date(),
        last_period=at.date(),
        severity="red",
        state="new",
        title="t",
        first_seen_at=at,
        last_seen_at=at,
        version=1,
    )
    try:
        with eng.begin() as conn:
            conn.execute(alerts.insert().values(row))
            stored = conn.execute(sa.select(alerts.c.first_seen_at)).scalar_one()
        assert stored == at and stored.utcoffset() == timedelta(0) and stored.hour == 2
        with pytest.raises(sa.exc.StatementError, match="no time zone"), eng.begin() as conn:
            conn.execute(alerts.update().values(last_seen_at=datetime(2024, 10, 1, 9, 30)))
    finally:
        eng.dispose()


def test_a_reader_never_waits_on_a_writer(tmp_path):
    """SQLite: a page that only reads goes on while another connection holds the write lock (a read that began
    IMMEDIATE would wait out the busy timeout, then fail with "database is locked")."""
    from cockpit.alerts import lifecycle

    url = f"sqlite:///{tmp_path / 'state.db'}"
    eng = store.engine(url)
    writer = sqlite3.connect(tmp_path / "state.db", isolation_level=None)
    writer.execute("BEGIN IMMEDIATE")  # someone recording, and slow about it
    try:
        assert lifecycle.list_alerts(eng).empty
        assert lifecycle.last_evaluation(eng, "th") is None
    finally:
        writer.rollback()
        writer.close()
        eng.dispose()


def test_the_episode_migration_keeps_every_recorded_action_and_merges_open_duplicates(url):
    """A store of the per-period design: September's alert assigned, October's new, both open for one problem."""
    eng = store.connect(url)
    try:
        store.upgrade(eng, "0003")
        at = "2026-10-05 08:00:00+00:00"
        with eng.begin() as conn:
            for alert_id, period, state in ((1, "2026-09-01", "acknowledged"), (2, "2026-10-01", "new")):
                conn.execute(
                    sa.text(
                        "INSERT INTO alerts (id, rule_id, area_id, subject, period_start, severity, state, title,"
                        " first_seen_at, last_seen_at, version, assignee)"
                        " VALUES (:id, 'budget', '58', 'budget_disbursement_rate', :period, 'high', :state, 't',"
                        " :at, :at, :version, :assignee)"
                    ),
                    dict(
                        id=alert_id,
                        period=period,
                        state=state,
                        at=at,
                        version=alert_id,
                        assignee="Finance unit" if alert_id == 1 else None,
                    ),
                )
            conn.execute(
                sa.text(
                    "INSERT INTO alert_events (alert_id, at, actor, action, from_state, to_state, assignee) VALUES"
                    " (1, :at, 'system', 'opened', NULL, 'new', NULL),"
                    " (1, :at, 'somchai', 'assign', 'new', 'acknowledged', 'Finance unit'),"
                    " (2, :at, 'system', 'opened', NULL, 'new', NULL)"
                ),
                dict(at=at),
            )
        store.upgrade(eng, "head")
        with eng.connect() as conn:
            rows = conn.execute(
                sa.text("SELECT id, state, assignee, last_period, periods_in_breach, version FROM alerts ORDER BY id")
            ).all()
            events = conn.execute(sa.text("SELECT alert_id, action, note FROM alert_events ORDER BY id")).all()
        assert [(*r[:3], str(r[3]), *r[4:]) for r in rows] == [  # SQLite reads a date through text() as text
            (1, "acknowledged", "Finance unit", "2026-10-01", 2, 1),
            (2, "resolved", None, "2026-10-01", 1, 3),
        ]
        assert [tuple(e) for e in events] == [
            (1, "opened", None),
            (1, "assign", None),
            (2, "opened", None),
            (2, "merged", "#1"),
        ]
    finally:
        eng.dispose()


def test_downgrading_the_episodes_keeps_the_events(tmp_path):
    eng = store.connect(f"sqlite:///{tmp_path / 'state.db'}")
    try:
        store.upgrade(eng)
        from cockpit.alerts import lifecycle

        firing = lifecycle.Firing("r", "58", "s", datetime(2026, 9, 1).date(), "high", "t")
        (alert_id,) = lifecycle.sync(eng, [firing], ["r"], now=datetime(2026, 10, 5, tzinfo=UTC)).opened
        store.downgrade(eng, "0003")
        with eng.connect() as conn:
            assert conn.execute(sa.text("SELECT alert_id, action FROM alert_events")).all() == [(alert_id, "opened")]
    finally:
        eng.dispose()


def test_a_text_too_long_is_refused_the_same_way_on_every_database(url):
    """SQLite stored five million characters in a VARCHAR(200); PostgreSQL refused with SQL and parameters shown."""
    eng = store.engine(url)
    row = dict(login="x", name="n" * 201, role="analyst", kind="local", created_by="test", active=True)
    try:
        with pytest.raises(sa.exc.StatementError) as info, eng.begin() as conn:
            conn.execute(tables.users.insert().values(**row, created_at=datetime.now(UTC)))
        assert store.trouble(info.value) == store.TOO_LONG
        with eng.begin() as conn:  # at the limit it fits
            conn.execute(tables.users.insert().values(**{**row, "name": "n" * 200}, created_at=datetime.now(UTC)))
        # Compared (a filter, a search), a longer value is not stored: it matches nothing. It was a traceback on the
        # Audit page's area filter.
        with eng.connect() as conn:
            found = [
                conn.execute(sa.select(tables.users.c.login).where(where)).scalars().all()
                for where in (
                    tables.users.c.name == "n" * 201,
                    tables.users.c.name.in_(["n" * 201, "n" * 200]),
                    tables.users.c.login.in_(["x" * 201]),
                )
            ]
        assert found == [[], ["x"], []]
    finally:
        eng.dispose()


def test_each_failure_of_the_store_is_told_apart(tmp_path, monkeypatch):
    """What the pages tell the reader rests on this: locked (try again), read-only, removed, out of reach."""
    path = tmp_path / "state.db"
    eng = store.engine(f"sqlite:///{path}")
    store.check(eng)
    writer = sqlite3.connect(path, isolation_level=None)
    writer.execute("BEGIN IMMEDIATE")
    monkeypatch.setattr(store, "SQLITE_BUSY_MS", 50)  # the lock outlasts the wait, sooner
    impatient = store.connect(f"sqlite:///{path}")
    try:
        with pytest.raises(sa.exc.OperationalError) as locked, impatient.begin() as conn:
            conn.execute(tables.decisions.delete())
        assert store.trouble(locked.value) == store.LOCKED
    finally:
        writer.rollback()
        writer.close()
        impatient.dispose()
    read_only = store.connect(f"sqlite:///file:{path}?mode=ro&uri=true")
    store.check(read_only)  # reading works
    with pytest.raises(sa.exc.OperationalError) as refused, read_only.begin() as conn:
        conn.execute(tables.decisions.delete())
    assert store.trouble(refused.value) == store.READ_ONLY
    read_only.dispose()
    eng.dispose()
    path.unlink()
    with pytest.raises(store.Removed) as removed:
        store.check(eng)
    assert store.trouble(removed.value) == store.REMOVED
    down = store.connect("postgresql+psycopg://nobody:x@127.0.0.1:9/none")
    with pytest.raises(sa.exc.OperationalError) as unreachable:
        store.check(down)
    assert store.trouble(unreachable.value) == store.UNREACHABLE


def test_a_server_that_does_not_answer_is_not_waited_for_again_until_its_retry_time(monkeypatch):
    """Each page run waited the connect timeout for a server that accepts and never answers (10 s a click while the
    store was down): after one failure, connections fail at once, and one tries again after RETRY_AFTER_S."""
    silent = socket.socket()
    silent.bind(("127.0.0.1", 0))
    silent.listen(16)
    accepted = []

    def accept_and_say_nothing():
        while True:
            try:
                accepted.append(silent.accept()[0])
            except OSError:  # closed at the end of the test
                return

    threading.Thread(target=accept_and_say_nothing, daemon=True).start()
    now = [1000.0]
    monkeypatch.setattr(store, "BACKOFF", store.Backoff(store.RETRY_AFTER_S, now=lambda: now[0]))
    url = f"postgresql+psycopg://nobody:x@127.0.0.1:{silent.getsockname()[1]}/none?connect_timeout=1"
    eng = store.connect(url)
    try:
        with pytest.raises(sa.exc.OperationalError) as first:
            store.check(eng)
        assert store.trouble(first.value) == store.UNREACHABLE
        tried = len(accepted)
        assert tried >= 1
        now[0] += store.RETRY_AFTER_S - 1
        for _ in range(3):  # a page run each, a new engine too (a failed start is not cached): none waits
            with pytest.raises(sa.exc.OperationalError) as again:
                store.check(store.connect(url))
            assert store.trouble(again.value) == store.UNREACHABLE
        assert len(accepted) == tried
        now[0] += 2  # past the retry time: tried again
        with pytest.raises(sa.exc.OperationalError):
            store.check(eng)
        assert len(accepted) > tried
    finally:
        eng.dispose()
        silent.close()
        for connection in accepted:
            connection.close()


def test_a_server_that_answers_again_is_used_at_its_retry_time(monkeypatch):
    """The failure is forgotten once the server answers: the pages use the store again without a restart."""
    with fresh_database("postgresql", None) as url:
        now = [1000.0]
        monkeypatch.setattr(store, "BACKOFF", store.Backoff(store.RETRY_AFTER_S, now=lambda: now[0]))
        eng = store.engine(url)
        eng.dispose()  # no connection kept in the pool: the next check opens one
        store.BACKOFF.failed(store.server(url))  # as if it had just not answered
        with pytest.raises(sa.exc.OperationalError):
            store.check(eng)
        now[0] += store.RETRY_AFTER_S
        store.check(eng)
        now[0] += 1  # it answered, so it is no longer counted as failed: not refused within the retry time
        store.check(eng)
        eng.dispose()
