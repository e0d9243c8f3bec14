"""The alert lifecycle: sync from the evaluator, people's actions and their history, on SQLite and PostgreSQL."""

import multiprocessing
import threading
from datetime import UTC, date, datetime, timedelta
from itertools import product

import pytest
import sqlalchemy as sa
from databases import DATABASES, fresh_database
from identities import officer

from cockpit import clock
from cockpit.alerts import lifecycle
from cockpit.alerts.lifecycle import AlertNotFound, Firing, IllegalTransition, StaleAlert
from cockpit.state import store
from cockpit.state.tables import STATES, alert_events, alerts

T0 = datetime(2024, 10, 1, 8, 0, tzinfo=UTC)
PERIOD = date(2024, 9, 1)

# The lifecycle as the issue states it: (state before, action) -> state after. Anything else is illegal.
LEGAL = {
    ("new", "acknowledge"): "acknowledged",
    ("new", "start"): "in_progress",
    ("acknowledged", "start"): "in_progress",
    ("new", "assign"): "acknowledged",
    ("acknowledged", "assign"): "acknowledged",
    ("in_progress", "assign"): "in_progress",
    ("new", "comment"): "new",
    ("acknowledged", "comment"): "acknowledged",
    ("in_progress", "comment"): "in_progress",
    ("resolved", "comment"): "resolved",
    ("new", "resolve"): "resolved",
    ("acknowledged", "resolve"): "resolved",
    ("in_progress", "resolve"): "resolved",
    ("resolved", "reopen"): "new",
}
ACTIONS = ["acknowledge", "start", "assign", "comment", "resolve", "reopen"]


@pytest.fixture(params=DATABASES)
def url(request, tmp_path):
    with fresh_database(request.param, tmp_path) as url:
        yield url


@pytest.fixture
def db(url):
    eng = store.engine(url)
    yield eng
    eng.dispose()


def firing(
    rule="dropout_up", area="TH-40", subject="dropout", period=PERIOD, severity="critical", value=6.5, detail=None
):
    return Firing(rule, area, subject, period, severity, "Dropout above 5%", value, 5.0, detail or {"schools": 12})


def open_alert(db, **kw) -> int:
    """Sync one firing alert; its rule's other alerts count as cleared, so give each a rule of its own."""
    f = firing(**kw)
    return lifecycle.sync(db, [f], [f.rule_id], now=T0).opened[0]


def args(action):
    """What a person passes with each action: a note where one is required, an assignee to assign."""
    return {"note": f"{action} note"} | ({"assignee": "niran"} if action == "assign" else {})


def bring_to(db, alert_id, state):
    path = {"new": [], "acknowledged": ["acknowledge"], "in_progress": ["start"], "resolved": ["resolve"]}[state]
    for action in path:
        lifecycle.act(db, alert_id, action, officer("somchai"), **args(action))


def dump(db):
    with db.connect() as conn:
        return (
            conn.execute(sa.select(alerts).order_by(alerts.c.id)).all(),
            conn.execute(sa.select(alert_events).order_by(alert_events.c.id)).all(),
        )


# --- sync: what the evaluator found --------------------------------------------------------------------------------


def test_sync_opens_an_alert_with_its_evidence(db):
    result = lifecycle.sync(db, [firing()], ["dropout_up"], now=T0)
    (alert_id,) = result.opened
    alert = lifecycle.get(db, alert_id)
    assert (alert.state, alert.version, alert.severity, alert.value, alert.threshold) == (
        "new",
        1,
        "critical",
        6.5,
        5.0,
    )
    assert alert.detail == {"schools": 12} and alert.period_start == PERIOD
    assert alert.first_seen_at == alert.last_seen_at == T0 and alert.first_seen_at.tzinfo is not None
    (event,) = lifecycle.history(db, alert_id)
    assert (event.actor, event.action, event.from_state, event.to_state, event.at) == (
        "system",
        "opened",
        None,
        "new",
        T0,
    )


def test_sync_refreshes_the_evidence_quietly(db):
    alert_id = open_alert(db)
    later = T0 + timedelta(hours=1)
    result = lifecycle.sync(db, [firing(severity="high", value=5.5, detail={"schools": 9})], ["dropout_up"], now=later)
    assert result == lifecycle.SyncResult(still_firing=(alert_id,))
    alert = lifecycle.get(db, alert_id)
    assert (alert.severity, alert.value, alert.detail) == ("high", 5.5, {"schools": 9})
    assert (alert.first_seen_at, alert.last_seen_at, alert.version) == (T0, later, 1)
    assert len(lifecycle.history(db, alert_id)) == 1


def test_sync_bounded_to_areas_leaves_other_countries_alone(db):
    thai = lifecycle.sync(db, [firing(area="40")], ["dropout_up"], now=T0, area_ids=["40", "41"]).opened[0]
    lao = lifecycle.sync(db, [firing(area="LA-PH")], ["dropout_up"], now=T0, area_ids=["LA-PH"]).opened[0]
    # The Thai evaluation finds nothing now: only the Thai alert clears.
    result = lifecycle.sync(db, [], ["dropout_up"], now=T0 + timedelta(hours=1), area_ids=["40", "41"])
    assert result.auto_resolved == (thai,)
    assert lifecycle.get(db, lao).state == "new"
    with pytest.raises(ValueError, match="outside the areas"):
        lifecycle.sync(db, [firing(area="LA-PH")], ["dropout_up"], now=T0, area_ids=["40"])


def test_sync_twice_changes_nothing_the_second_time(db):
    batch = [firing(area="TH-40"), firing(area="TH-41"), firing(rule="haze", subject="haze", area="TH-50")]
    first = lifecycle.sync(db, batch, ["dropout_up", "haze"], now=T0)
    assert len(first.opened) == 3
    before = dump(db)
    second = lifecycle.sync(db, batch, ["dropout_up", "haze"], now=T0)
    assert second == lifecycle.SyncResult(still_firing=first.opened)
    assert dump(db) == before
    # A clearing, synced twice, is recorded once.
    lifecycle.sync(db, batch[1:], ["dropout_up", "haze"], now=T0 + timedelta(hours=1))
    after_clearing = dump(db)
    assert lifecycle.sync(db, batch[1:], ["dropout_up", "haze"], now=T0 + timedelta(hours=1)).auto_resolved == ()
    assert dump(db) == after_clearing


def test_a_new_alert_whose_condition_clears_is_resolved_by_the_system(db):
    alert_id = open_alert(db)
    cleared = T0 + timedelta(days=1)
    result = lifecycle.sync(db, [], ["dropout_up"], now=cleared)
    assert result.auto_resolved == (alert_id,)
    alert = lifecycle.get(db, alert_id)
    assert (alert.state, alert.resolved_by, alert.resolved_at, alert.condition_cleared_at, alert.version) == (
        "resolved",
        "system",
        cleared,
        cleared,
        2,
    )
    last = lifecycle.history(db, alert_id)[-1]
    assert (last.actor, last.action, last.from_state, last.to_state, last.at) == (
        "system",
        "condition_cleared",
        "new",
        "resolved",
        cleared,
    )


@pytest.mark.parametrize("taken", ["acknowledged", "in_progress"])
def test_a_taken_alert_whose_condition_clears_waits_for_a_person(db, taken):
    alert_id = open_alert(db)
    bring_to(db, alert_id, taken)
    cleared = T0 + timedelta(days=1)
    assert lifecycle.sync(db, [], ["dropout_up"], now=cleared).cleared_but_taken == (alert_id,)
    alert = lifecycle.get(db, alert_id)
    assert (alert.state, alert.condition_cleared_at, alert.resolved_at) == (taken, cleared, None)
    last = lifecycle.history(db, alert_id)[-1]
    assert (last.actor, last.action, last.from_state, last.to_state) == ("system", "condition_cleared", taken, taken)
    assert lifecycle.sync(db, [], ["dropout_up"], now=cleared + timedelta(hours=1)) == lifecycle.SyncResult()
    # The condition comes back before anyone closed it: recorded, and the alert stays with its person.
    lifecycle.sync(db, [firing()], ["dropout_up"], now=cleared + timedelta(days=1))
    alert = lifecycle.get(db, alert_id)
    assert (alert.state, alert.condition_cleared_at) == (taken, None)
    assert lifecycle.history(db, alert_id)[-1].action == "condition_returned"
    assert lifecycle.act(db, alert_id, "resolve", officer("somchai"), note="schools reopened").resolved_by == "somchai"


def test_alerts_of_rules_not_evaluated_are_left_alone(db):
    dropout = open_alert(db)
    haze = open_alert(db, rule="haze", subject="pm25")
    before = lifecycle.get(db, haze)
    # The haze rule failed to evaluate this time: only dropout_up was evaluated, and nothing fires.
    result = lifecycle.sync(db, [], ["dropout_up"], now=T0 + timedelta(days=1))
    assert result.auto_resolved == (dropout,)
    assert lifecycle.get(db, haze) == before


def test_an_alert_the_system_resolved_is_reopened_when_it_fires_again_in_its_own_period(db):
    """The data was revised: the period the system judged clear holds after all, so that clearing did not last."""
    alert_id = open_alert(db)
    lifecycle.sync(db, [], ["dropout_up"], now=T0 + timedelta(days=1))
    again = T0 + timedelta(days=2)
    result = lifecycle.sync(db, [firing(value=7.0)], ["dropout_up"], now=again)
    assert result == lifecycle.SyncResult(reopened=(alert_id,))
    alert = lifecycle.get(db, alert_id)
    assert (alert.state, alert.resolved_at, alert.resolved_by, alert.condition_cleared_at) == ("new", None, None, None)
    assert (alert.value, alert.first_seen_at, alert.last_seen_at, alert.version) == (7.0, T0, again, 3)
    assert [e.action for e in lifecycle.history(db, alert_id)] == ["opened", "condition_cleared", "fired_again"]


def test_a_persons_resolution_stands_while_the_rule_still_fires(db):
    alert_id = open_alert(db)
    lifecycle.act(db, alert_id, "resolve", officer("somchai"), note="known; data correction pending")
    lifecycle.sync(db, [firing()], ["dropout_up"], now=T0 + timedelta(days=1))
    alert = lifecycle.get(db, alert_id)
    assert (alert.state, alert.resolved_by, alert.version) == ("resolved", "somchai", 2)


def test_an_alert_reopened_by_a_person_after_its_condition_cleared_is_not_closed_again(db):
    alert_id = open_alert(db)
    lifecycle.sync(db, [], ["dropout_up"], now=T0 + timedelta(days=1))
    lifecycle.act(db, alert_id, "reopen", officer("somchai"), note="the figures are wrong, keep it open")
    assert lifecycle.sync(db, [], ["dropout_up"], now=T0 + timedelta(days=2)) == lifecycle.SyncResult()
    assert lifecycle.get(db, alert_id).state == "new"


def test_sync_refuses_inconsistent_input(db):
    with pytest.raises(ValueError, match="not among those evaluated"):
        lifecycle.sync(db, [firing(rule="haze")], ["dropout_up"], now=T0)
    with pytest.raises(ValueError, match="fires twice"):
        lifecycle.sync(db, [firing(), firing(value=1.0)], ["dropout_up"], now=T0)
    with pytest.raises(ValueError, match="time zone"):
        lifecycle.sync(db, [firing()], ["dropout_up"], now=datetime(2024, 10, 1))
    assert dump(db) == ([], [])


# --- act: what people do ------------------------------------------------------------------------------------------


def test_every_legal_transition(db):
    for n, ((state, action), expected) in enumerate(LEGAL.items()):
        alert_id = open_alert(db, rule=f"rule-{n}")
        bring_to(db, alert_id, state)
        version = lifecycle.get(db, alert_id).version
        alert = lifecycle.act(db, alert_id, action, officer("niran"), **args(action))
        assert alert.state == expected, (state, action)
        assert alert.version == version + 1
        event = lifecycle.history(db, alert_id)[-1]
        assert (event.action, event.actor, event.from_state, event.to_state, event.note) == (
            action,
            "niran",
            state,
            expected,
            f"{action} note",
        )


def test_every_illegal_transition_is_refused_with_a_clear_message(db):
    illegal = [pair for pair in product(STATES, ACTIONS) if pair not in LEGAL]
    assert len(illegal) == 10
    for n, (state, action) in enumerate(illegal):
        alert_id = open_alert(db, rule=f"rule-{n}")
        bring_to(db, alert_id, state)
        before = dump(db)
        with pytest.raises(IllegalTransition, match=f"^cannot {action} an alert that is {state.replace('_', ' ')}$"):
            lifecycle.act(db, alert_id, action, officer("niran"), **args(action))
        assert dump(db) == before


def test_assign_sets_the_assignee_and_records_who(db):
    alert_id = open_alert(db)
    alert = lifecycle.act(db, alert_id, "assign", officer("director"), assignee="niran", note="please call the schools")
    assert (alert.assignee, alert.state) == ("niran", "acknowledged")
    event = lifecycle.history(db, alert_id)[-1]
    assert (event.actor, event.assignee, event.note) == ("director", "niran", "please call the schools")


def test_actions_refuse_typed_names_and_missing_notes(db):
    alert_id = open_alert(db)
    for action in ("comment", "resolve"):
        for note in (None, "", "   "):
            with pytest.raises(lifecycle.ActionError, match="^this action needs a note"):
                lifecycle.act(db, alert_id, action, officer("somchai"), note=note)
    for typed in (None, "", "  ", "somchai"):  # a name typed in is no actor: only the signed-in identity is
        with pytest.raises(TypeError, match="signed-in Actor"):
            lifecycle.act(db, alert_id, "acknowledge", typed)
    with pytest.raises(lifecycle.ActionError, match="^an assignment needs the name"):
        lifecycle.act(db, alert_id, "assign", officer("somchai"))
    with pytest.raises(ValueError, match="unknown action"):
        lifecycle.act(db, alert_id, "escalate", officer("somchai"))
    with pytest.raises(AlertNotFound):
        lifecycle.act(db, alert_id + 1000, "acknowledge", officer("somchai"))
    assert lifecycle.get(db, alert_id).version == 1


def test_history_is_chronological_with_who_when_and_notes(db):
    alert_id = open_alert(db)
    steps = [
        ("acknowledge", "somchai", {"note": "seen, calling the district"}),
        ("comment", "malee", {"note": "12 schools flooded, 3 reopen Monday"}),
        ("assign", "somchai", {"assignee": "malee"}),
        ("start", "malee", {}),
        ("resolve", "malee", {"note": "all schools open again"}),
    ]
    started = clock.utcnow()
    for action, actor, extra in steps:
        lifecycle.act(db, alert_id, action, officer(actor), **extra)
    finished = clock.utcnow()
    events = lifecycle.history(db, alert_id)
    assert [(e.action, e.actor, e.note) for e in events] == [("opened", "system", None)] + [
        (action, actor, extra.get("note")) for action, actor, extra in steps
    ]
    assert [e.to_state for e in events] == [
        "new",
        "acknowledged",
        "acknowledged",
        "acknowledged",
        "in_progress",
        "resolved",
    ]
    times = [e.at for e in events[1:]]
    assert times == sorted(times) and started <= times[0] and times[-1] <= finished
    assert all(t.utcoffset() == timedelta(0) for t in times)
    alert = lifecycle.get(db, alert_id)
    assert (alert.resolved_by, alert.resolved_at, alert.assignee, alert.version) == ("malee", times[-1], "malee", 6)


def test_acting_on_a_version_not_current_raises_stale_alert(db):
    alert_id = open_alert(db)
    shown = lifecycle.get(db, alert_id).version
    lifecycle.act(db, alert_id, "acknowledge", officer("somchai"), expected_version=shown)
    before = dump(db)
    with pytest.raises(StaleAlert, match="changed since"):
        lifecycle.act(db, alert_id, "comment", officer("malee"), note="me too", expected_version=shown)
    assert dump(db) == before
    assert (
        lifecycle.act(db, alert_id, "comment", officer("malee"), note="me too", expected_version=shown + 1).version == 3
    )


def test_an_acknowledgement_survives_a_restart(url):
    eng = store.engine(url)
    alert_id = open_alert(eng)
    lifecycle.act(eng, alert_id, "acknowledge", officer("somchai"), note="district office informed")
    eng.dispose()
    eng = store.engine(url)
    try:
        assert lifecycle.get(eng, alert_id).state == "acknowledged"
        last = lifecycle.history(eng, alert_id)[-1]
        assert (last.actor, last.note) == ("somchai", "district office informed")
    finally:
        eng.dispose()


# --- queries for the pages ----------------------------------------------------------------------------------------


def test_lists_and_counts_filter_by_state_rule_severity_and_scope(db):
    batch = [firing(area="TH-40"), firing(area="TH-41", severity="high"), firing(rule="haze", area="TH-50")]
    critical, high, haze = lifecycle.sync(db, batch, ["dropout_up", "haze"], now=T0).opened
    lifecycle.act(db, haze, "resolve", officer("somchai"), note="rain")
    table = lifecycle.list_alerts(db)
    assert list(table.columns) == lifecycle.ALERT_COLUMNS and len(table) == 3
    assert set(lifecycle.list_alerts(db, states=["new"])["id"]) == {critical, high}
    assert set(lifecycle.list_alerts(db, rule_ids=["haze"])["id"]) == {haze}
    assert set(lifecycle.list_alerts(db, severities=["high"])["id"]) == {high}
    assert set(lifecycle.list_alerts(db, area_ids=["TH-40", "TH-50"])["id"]) == {critical, haze}
    assert lifecycle.list_alerts(db, area_ids=[]).empty
    assert lifecycle.counts_by_severity(db) == {"critical": 1, "high": 1}
    assert lifecycle.counts_by_severity(db, area_ids=["TH-41"]) == {"high": 1}
    assert lifecycle.counts_by_severity(db, area_ids=[]) == {}


def test_an_alert_outside_the_callers_scope_is_not_found(db):
    alert_id = open_alert(db, area="TH-40")
    for call in (
        lambda: lifecycle.get(db, alert_id, area_ids=["TH-50"]),
        lambda: lifecycle.history(db, alert_id, area_ids=["TH-50"]),
        lambda: lifecycle.act(db, alert_id, "acknowledge", officer("somchai"), area_ids=["TH-50"]),
    ):
        with pytest.raises(AlertNotFound):
            call()
    assert lifecycle.get(db, alert_id, area_ids=["TH-40"]).state == "new"


# --- concurrency: no lost update, whoever writes at once ---------------------------------------------------------

THREADS, PROCESSES, EACH = 8, 4, 25


def counts(db, alert_id):
    alert = lifecycle.get(db, alert_id)
    return alert.version, len(lifecycle.history(db, alert_id))


def assert_consistent(events):
    """Every event starts from the state the one before it left: the history is one serial story."""
    for before, after in zip(events, events[1:], strict=False):
        assert after.from_state == before.to_state, (before, after)


def run_threads(db, alert_id, plan):
    """Each thread runs its list of actions as soon as all are ready; returns the errors raised."""
    barrier, errors = threading.Barrier(len(plan)), []

    def work(actions):
        barrier.wait()
        for action, actor, note in actions:
            try:
                lifecycle.act(db, alert_id, action, officer(actor), note=note)
            except Exception as exc:  # collected, and asserted empty by the test
                errors.append(exc)

    threads = [threading.Thread(target=work, args=(actions,)) for actions in plan]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    return errors


def test_threads_commenting_at_once_lose_no_update(db):
    alert_id = open_alert(db)
    version, events = counts(db, alert_id)
    plan = [[("comment", f"officer-{t}", f"{t}:{i}") for i in range(EACH)] for t in range(THREADS)]
    assert run_threads(db, alert_id, plan) == []
    assert counts(db, alert_id) == (version + THREADS * EACH, events + THREADS * EACH)
    notes = [e.note for e in lifecycle.history(db, alert_id) if e.action == "comment"]
    assert sorted(notes) == sorted(note for actions in plan for _, _, note in actions)


def test_one_resolve_among_many_comments_leaves_a_consistent_history(db):
    alert_id = open_alert(db)
    version, events = counts(db, alert_id)
    plan = [[("comment", f"officer-{t}", f"{t}:{i}") for i in range(EACH)] for t in range(THREADS)]
    plan[3][10] = ("resolve", "officer-3", "closing: schools reopened")
    assert run_threads(db, alert_id, plan) == []
    history = lifecycle.history(db, alert_id)
    assert counts(db, alert_id) == (version + THREADS * EACH, events + THREADS * EACH)
    resolves = [n for n, e in enumerate(history) if e.action == "resolve"]
    assert len(resolves) == 1
    assert sum(e.action == "comment" for e in history) == THREADS * EACH - 1
    assert all(e.from_state == "resolved" for e in history[resolves[0] + 1 :])
    assert any(e.action == "comment" for e in history[resolves[0] + 1 :])  # officer-3's own later ones at least
    assert_consistent(history)
    assert lifecycle.get(db, alert_id).state == "resolved"


def comment_from_a_process(url, alert_id, worker, barrier):
    """One office's process: its own engine on the shared store, then EACH comments as fast as it can."""
    eng = store.engine(url)
    barrier.wait()
    for i in range(EACH):
        lifecycle.act(eng, alert_id, "comment", officer(f"office-{worker}"), note=f"{worker}:{i}")
    eng.dispose()


def test_processes_commenting_at_once_lose_no_update(db, url):
    alert_id = open_alert(db)
    version, events = counts(db, alert_id)
    context = multiprocessing.get_context("spawn")
    barrier = context.Barrier(PROCESSES)
    workers = [
        context.Process(target=comment_from_a_process, args=(url, alert_id, w, barrier)) for w in range(PROCESSES)
    ]
    for w in workers:
        w.start()
    for w in workers:
        w.join(timeout=60)
    assert [w.exitcode for w in workers] == [0] * PROCESSES
    assert counts(db, alert_id) == (version + PROCESSES * EACH, events + PROCESSES * EACH)
    history = lifecycle.history(db, alert_id)
    notes = sorted(e.note for e in history if e.action == "comment")
    assert notes == sorted(f"{w}:{i}" for w in range(PROCESSES) for i in range(EACH))
    assert_consistent(history)


# --- episodes: one problem, across periods -------------------------------------------------------------------------

OCT, NOV, DEC, JAN = date(2024, 10, 1), date(2024, 11, 1), date(2024, 12, 1), date(2025, 1, 1)


def test_an_episode_goes_on_across_periods_with_its_owner_and_history(db):
    """September's alert, assigned, is still the one, still assigned, when October's data is in breach too."""
    alert_id = open_alert(db)
    lifecycle.act(db, alert_id, "assign", officer("somchai"), assignee="Mae Hong Son PEO finance unit")
    result = lifecycle.sync(db, [firing(period=OCT, value=7.1)], ["dropout_up"], now=T0 + timedelta(days=31))
    assert result == lifecycle.SyncResult(still_firing=(alert_id,))
    alert = lifecycle.get(db, alert_id)
    assert (alert.period_start, alert.last_period, alert.periods_in_breach) == (PERIOD, OCT, 2)
    assert (alert.state, alert.assignee, alert.value, alert.version) == (
        "acknowledged",
        "Mae Hong Son PEO finance unit",
        7.1,
        2,
    )
    assert [e.action for e in lifecycle.history(db, alert_id)] == ["opened", "assign"]
    assert len(lifecycle.list_alerts(db)) == 1


def test_periods_in_breach_count_every_period_since_the_first(db):
    """A report due late can make one evaluation judge two months apart: the episode still lasted every month."""
    alert_id = open_alert(db)
    lifecycle.sync(db, [firing(period=NOV)], ["dropout_up"], now=T0 + timedelta(days=62))
    assert lifecycle.get(db, alert_id).periods_in_breach == 3  # September, October, November
    yearly = lifecycle.sync(db, [firing(rule="y", period=date(2022, 10, 1))], ["y"], now=T0).opened[0]
    lifecycle.sync(
        db, [Firing("y", "TH-40", "dropout", date(2024, 10, 1), "high", "t", period_type="year")], ["y"], now=T0
    )
    assert lifecycle.get(db, yearly).periods_in_breach == 3  # FY2566, FY2567, FY2568


def test_an_episode_ends_after_its_clear_periods_counted_once_each(db):
    alert_id = open_alert(db)
    clear = {"dropout_up": 2}

    def judge(period, days):
        return lifecycle.sync(
            db, [], ["dropout_up"], now=T0 + timedelta(days=days), judged={"dropout_up": period}, clear_after=clear
        )

    assert judge(OCT, 31) == lifecycle.SyncResult()  # one clear period: not yet
    assert judge(OCT, 32) == lifecycle.SyncResult()  # the same data evaluated again counts no more
    alert = lifecycle.get(db, alert_id)
    assert (alert.state, alert.periods_clear, alert.clear_period, alert.version) == ("new", 1, OCT, 1)
    assert judge(NOV, 62).auto_resolved == (alert_id,)
    alert = lifecycle.get(db, alert_id)
    assert (alert.state, alert.resolved_by, alert.periods_clear) == ("resolved", lifecycle.SYSTEM, 2)


def test_a_clear_period_then_a_breach_starts_the_count_again(db):
    alert_id = open_alert(db)
    clear = {"dropout_up": 2}
    lifecycle.sync(db, [], ["dropout_up"], now=T0, judged={"dropout_up": OCT}, clear_after=clear)
    lifecycle.sync(db, [firing(period=NOV)], ["dropout_up"], now=T0, clear_after=clear)
    lifecycle.sync(db, [], ["dropout_up"], now=T0, judged={"dropout_up": DEC}, clear_after=clear)
    alert = lifecycle.get(db, alert_id)
    assert (alert.state, alert.periods_clear, alert.last_period) == ("new", 1, NOV)


def test_a_problem_that_returns_after_resolution_opens_a_new_episode_linked_to_it(db):
    first = open_alert(db)
    lifecycle.sync(db, [], ["dropout_up"], now=T0 + timedelta(days=31), judged={"dropout_up": OCT})
    result = lifecycle.sync(db, [firing(period=DEC)], ["dropout_up"], now=T0 + timedelta(days=92))
    (second,) = result.opened
    assert result.recurred == (second,) and second != first
    again = lifecycle.get(db, second)
    assert (again.previous_id, again.period_start, again.state, again.periods_in_breach) == (first, DEC, "new", 1)
    assert [(e.action, e.note) for e in lifecycle.history(db, second)] == [("recurred", f"#{first}")]
    assert lifecycle.get(db, first).state == "resolved"  # the closed episode stays as it was closed


def test_a_person_who_resolved_an_episode_still_in_breach_sees_a_new_one_next_period(db):
    first = open_alert(db)
    lifecycle.act(db, first, "resolve", officer("somchai"), note="budget released")
    assert lifecycle.sync(db, [firing()], ["dropout_up"], now=T0).opened == ()  # stands for its own period
    (second,) = lifecycle.sync(db, [firing(period=OCT)], ["dropout_up"], now=T0 + timedelta(days=31)).opened
    assert lifecycle.get(db, second).previous_id == first


def test_a_long_episode_escalates_once_with_an_event(db):
    def fire(period, days):
        f = Firing("late", "TH-58", "budget", period, "high", "Budget lagging", 75.0, 80.0, escalation=(3, "critical"))
        return lifecycle.sync(db, [f], ["late"], now=T0 + timedelta(days=days))

    (alert_id,) = fire(PERIOD, 0).opened
    assert fire(OCT, 31).still_firing == (alert_id,)
    assert fire(NOV, 62).escalated == (alert_id,)
    assert fire(DEC, 92).still_firing == (alert_id,)
    alert = lifecycle.get(db, alert_id)
    assert (alert.severity, alert.periods_in_breach) == ("critical", 4)
    assert [(e.action, e.note) for e in lifecycle.history(db, alert_id)] == [
        ("opened", None),
        ("escalated", "high → critical"),
    ]


def test_duplicate_open_alerts_of_one_problem_are_merged_into_the_one_a_person_took(db):
    """Stores kept from the per-period design may hold September's alert (taken) and October's (new)."""
    september = open_alert(db)
    lifecycle.act(db, september, "start", officer("somchai"))
    with db.begin() as conn:  # October's, as the old evaluator opened it
        october = conn.execute(
            sa.insert(alerts).values(
                rule_id="dropout_up",
                area_id="TH-40",
                subject="dropout",
                period_start=OCT,
                last_period=OCT,
                severity="critical",
                state="new",
                title="t",
                first_seen_at=T0,
                last_seen_at=T0,
                version=1,
            )
        ).inserted_primary_key[0]
    lifecycle.sync(db, [firing(period=NOV)], ["dropout_up"], now=T0 + timedelta(days=62))
    kept, merged = lifecycle.get(db, september), lifecycle.get(db, october)
    assert (kept.state, kept.last_period) == ("in_progress", NOV)
    assert (merged.state, merged.resolved_by) == ("resolved", lifecycle.SYSTEM)
    assert [(e.action, e.note) for e in lifecycle.history(db, october)] == [("merged", f"#{september}")]


def test_replayed_events_are_marked_as_reconstructed(db):
    (alert_id,) = lifecycle.sync(db, [firing()], ["dropout_up"], now=T0, reconstructed=True).opened
    lifecycle.act(db, alert_id, "acknowledge", officer("somchai"))
    assert [e.reconstructed for e in lifecycle.history(db, alert_id)] == [True, False]
