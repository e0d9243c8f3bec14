"""Alert evaluation into the store: stories of the demo data, self-resolution, replay, feed and evidence."""

from datetime import date

import pandas as pd
import pytest
import sqlalchemy as sa
import tiny
from conftest import TODAY
from identities import officer

from cockpit import periods
from cockpit.alerts import evaluation, lifecycle, rules
from cockpit.data import access, db
from cockpit.state import store
from cockpit.state.tables import alert_events

pytestmark = pytest.mark.calendar  # run again 400 days ahead and back by .ci/run (make test-calendar)

RULES = rules.load(db.settings.ROOT / "rules")
# One rule on the tiny extracts: a province's enrolment below 70%.
ENROL_LOW = rules.RuleSet(
    (
        rules.parse_rule(
            dict(
                uid="enrol-low",
                title="Low",
                runbook="Act",
                severity="high",
                watch={"indicator": "enrol"},
                condition={"kind": "threshold", "below": 70},
            ),
            "t.yaml",
        ),
    ),
    (),
)


@pytest.fixture
def engine(tmp_path):
    eng = store.engine("sqlite:///" + str(tmp_path / "state.db"))
    yield eng
    eng.dispose()


@pytest.fixture(scope="module")
def demo():
    database = db.get()
    return database


def open_alerts(engine, rule_id=None):
    table = lifecycle.list_alerts(engine, states=lifecycle.OPEN_STATES)
    return table if rule_id is None else table[table["rule_id"] == rule_id]


def test_thai_demo_raises_the_alerts_its_stories_imply(demo, engine):
    result = evaluation.refresh(demo, "th", engine, RULES, TODAY, "test", publishing=True)
    assert result.replayed == evaluation.REPLAY_MONTHS
    everything = lifecycle.list_alerts(engine)
    flood = set(open_alerts(engine, "flood-closures")["area_id"])
    assert {"33", "34", "35", "40", "45"} <= flood  # the north-east flood
    haze = everything[everything["rule_id"] == "haze-closures"]
    assert {"50", "52", "57"} <= set(haze["area_id"])  # the northern haze, last March ...
    assert set(haze["state"]) == {"resolved"}  # ... cleared by itself when the schools reopened
    assert set(haze["resolved_by"]) == {lifecycle.SYSTEM}
    assert set(open_alerts(engine, "dropout-rising")["area_id"]) == {"58", "63", "67", "96"}
    stalled = open_alerts(engine, "policy-stalled")  # the policy stalled in regional education office 11 ...
    pairs = set(zip(stalled["area_id"], stalled["subject"], strict=True))
    assert {(p, "anywhere_anytime_learning") for p in ("47", "48", "49")} <= pairs
    assert {a for a, _ in pairs} == {"47", "48", "49"}  # ... with its projects there (stuck includes projects)
    assert all(s.startswith("anywhere_") for _, s in pairs)  # the policy's own projects


def test_every_indicator_alert_is_explained_by_its_evidence(demo, engine):
    evaluation.refresh(demo, "th", engine, RULES, TODAY, "test")
    scope = access.Scope(tuple(demo.query("th", "data/province_ids")["area_id"]))
    by_uid = RULES.by_uid()
    checked = 0
    for row in open_alerts(engine).itertuples():
        rule = by_uid[row.rule_id]
        if rule.indicator_id is None or rule.kind == "reporting_completeness":
            continue
        alert = lifecycle.get(engine, row.id)
        series = evaluation.evidence(demo, "th", alert, scope, rule)
        at_period = series[series["period_start"] == pd.Timestamp(alert.period_start)]
        assert len(at_period) == 1, f"alert {row.id}: its period is not in its evidence"
        assert at_period["value"].iloc[0] == pytest.approx(alert.value), f"alert {row.id}: value differs"
        checked += 1
    assert checked > 10


def test_a_condition_that_clears_resolves_itself_unless_taken(tmp_path, engine):
    observations = tiny.frames()["observations"]
    low = observations.copy()
    low.loc[(low["indicator_id"] == "enrol") & (low["period_start"] == tiny.Y2), "numerator"] = [40, 20, 45]
    low["value"] = low["value"].where(low["indicator_id"] != "enrol", 100 * low["numerator"] / low["denominator"])
    tiny.write(tmp_path / "xx", observations=low)
    database = tiny.served(tmp_path)
    ruleset = ENROL_LOW
    evaluation.refresh(database, "xx", engine, ruleset, date(2025, 1, 10), "v1")
    opened = open_alerts(engine).set_index("area_id")
    assert set(opened.index) == {"P1"}  # P1 = 60/150 = 40%; P2 = 90%
    taken = lifecycle.act(engine, int(opened.loc["P1", "id"]), "acknowledge", officer("somchai"), note="on it")

    tiny.write(tmp_path / "xx")  # the revised extract: P1 back at 73%
    tiny.served(tmp_path)
    evaluation.refresh(database, "xx", engine, ruleset, date(2025, 1, 11), "v1")
    kept = lifecycle.get(engine, taken.id)
    assert kept.state == "acknowledged" and kept.condition_cleared_at is not None  # a person closes it

    # The same story with nobody acting: the alert resolves itself, recording when.
    tiny.write(tmp_path / "xx", observations=low.assign(period_start=low["period_start"]))
    tiny.served(tmp_path)
    engine2 = store.engine("sqlite:///" + str(tmp_path / "other.db"))
    evaluation.refresh(database, "xx", engine2, ruleset, date(2025, 1, 12), "v1")
    (alert_id,) = open_alerts(engine2)["id"]
    tiny.write(tmp_path / "xx")
    tiny.served(tmp_path)
    evaluation.refresh(database, "xx", engine2, ruleset, date(2025, 1, 13), "v1")
    resolved = lifecycle.get(engine2, int(alert_id))
    assert resolved.state == "resolved" and resolved.resolved_by == lifecycle.SYSTEM
    assert resolved.resolved_at is not None
    engine2.dispose()


def test_evaluation_is_recorded(demo, engine):
    evaluation.refresh(demo, "la", engine, RULES, TODAY, "test")
    last = lifecycle.last_evaluation(engine, "la")
    assert last.as_of == TODAY and last.firing > 0 and last.duration_ms > 0
    assert lifecycle.last_evaluation(engine, "th") is None


def test_the_feed_is_scoped_and_named(demo, engine):
    evaluation.refresh(demo, "th", engine, RULES, TODAY, "test")
    only_phetchabun = access.Scope(("67",))
    feed = evaluation.feed(demo, "th", engine, only_phetchabun, RULES, "th")
    assert len(feed) > 0 and set(feed["province_id"]) == {"67"}
    assert "เพชรบูรณ์" in set(feed["province"])
    rising = evaluation.filter_feed(feed, rule_id="dropout-rising")
    assert list(rising["rule_title"]) == ["อัตราการออกกลางคันเพิ่มขึ้นต่อเนื่องสามปี"]
    assert evaluation.filter_feed(feed, severity="critical", state="all").empty
    # The provincial office's own alerts first (the page's default for its role): nothing critical is still nothing.
    assert evaluation.filter_feed(feed, severity="critical", office="province").empty


def test_a_page_view_never_replays_history(demo, engine):
    """The twelve-month replay belongs to the first publish; a page meeting an empty store evaluates today only."""
    result = evaluation.refresh(demo, "la", engine, RULES, TODAY, "test")
    assert result.replayed == 0
    assert lifecycle.last_evaluation(engine, "la").as_of == TODAY


def test_a_year_of_replay_gives_one_episode_per_chronic_problem(demo, engine):
    """Mae Hong Son's disbursement stays below 80% all year: one episode, still open, every month in breach."""
    evaluation.refresh(demo, "th", engine, RULES, TODAY, "test", publishing=True)
    budget = lifecycle.list_alerts(engine, rule_ids=["budget-disbursement-lagging"], area_ids=["58"])
    (episode,) = budget.itertuples()
    assert episode.state == "new" and episode.previous_id is None
    assert episode.periods_in_breach == periods.periods_between(episode.period_start, episode.last_period, "month")
    assert episode.periods_in_breach >= 10
    history = lifecycle.history(engine, episode.id)
    assert [e.action for e in history] == ["opened"] and history[0].reconstructed


def test_the_replay_never_dates_an_event_before_the_data_it_rests_on(demo, engine):
    evaluation.refresh(demo, "th", engine, RULES, TODAY, "test", publishing=True)
    with engine.connect() as conn:
        replayed = conn.execute(
            sa.select(alert_events.c.alert_id, alert_events.c.at).where(alert_events.c.reconstructed)
        ).all()
    assert len(replayed) > 50
    table = lifecycle.list_alerts(engine).set_index("id")
    frequency = demo.query("th", "data/indicators").set_index("indicator_id")["frequency"]
    by_uid = RULES.by_uid()
    checked = 0
    for alert_id, at in replayed:
        alert = table.loc[alert_id]
        rule = by_uid[alert["rule_id"]]
        if rule.indicator_id is None or rule.kind in ("missing_report", "reporting_completeness"):
            continue
        end = periods.period_end(alert["period_start"], frequency[rule.indicator_id])
        assert at.date() > end, f"alert {alert_id} ({rule.uid}) replayed on {at:%Y-%m-%d}, before its period ended"
        checked += 1
    assert checked > 20


def test_an_alert_assigned_in_one_period_is_still_assigned_after_the_next_is_published(tmp_path, engine):
    def extracts_until(last_month: int):
        rows = []
        for month in range(1, last_month + 1):
            for district, value in (("D1", 60.0), ("D2", 60.0), ("D3", 90.0)):
                rows.append(
                    dict(
                        area_id=district,
                        indicator_id="enrol",
                        period_start=date(2024, month, 1),
                        period_type="month",
                        sex="total",
                        value=value,
                        numerator=value,
                        denominator=100.0,
                        target=80.0,
                    )
                )
        indicators = tiny.frames()["indicators"].assign(frequency="month")
        tiny.write(tmp_path / "xx", observations=pd.DataFrame(rows), indicators=indicators)
        return tiny.served(tmp_path)

    low = ENROL_LOW
    database = extracts_until(8)
    evaluation.refresh(database, "xx", engine, low, date(2024, 9, 20), "v1")
    (alert_id,) = open_alerts(engine)["id"]
    lifecycle.act(engine, int(alert_id), "assign", officer("somchai"), assignee="North PEO planning unit")
    extracts_until(9)  # September's figures are published: still low
    evaluation.refresh(database, "xx", engine, low, date(2024, 10, 20), "v1")
    (still,) = open_alerts(engine).itertuples()
    assert (still.id, still.assignee, still.state) == (alert_id, "North PEO planning unit", "acknowledged")
    assert (still.period_start, still.last_period, still.periods_in_breach) == (date(2024, 8, 1), date(2024, 9, 1), 2)
    assert [e.action for e in lifecycle.history(engine, int(alert_id))] == ["opened", "assign"]
