"""Alert evaluation into the store: stories of the demo data, self-resolution, replay, feed and evidence."""

from datetime import date

import pandas as pd
import pytest
import tiny
from conftest import TODAY

from cockpit.alerts import evaluation, lifecycle, rules
from cockpit.data import access, db
from cockpit.state import store

pytestmark = pytest.mark.calendar  # run again 400 days ahead and back by .ci/run (make test-calendar)

RULES = rules.load(db.settings.ROOT / "rules")


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
    stalled = open_alerts(engine, "policy-stalled")  # the policy stalled in regional education office 11
    assert set(zip(stalled["area_id"], stalled["subject"], strict=True)) == {
        (p, "anywhere_anytime_learning") for p in ("47", "48", "49")
    }


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
    ruleset = rules.RuleSet(
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
    evaluation.refresh(database, "xx", engine, ruleset, date(2025, 1, 10), "v1")
    opened = open_alerts(engine).set_index("area_id")
    assert set(opened.index) == {"P1"}  # P1 = 60/150 = 40%; P2 = 90%
    taken = lifecycle.act(engine, int(opened.loc["P1", "id"]), "acknowledge", "somchai", note="on it")

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


def test_a_page_view_never_replays_history(demo, engine):
    """The twelve-month replay belongs to the first publish; a page meeting an empty store evaluates today only."""
    result = evaluation.refresh(demo, "la", engine, RULES, TODAY, "test")
    assert result.replayed == 0
    assert lifecycle.last_evaluation(engine, "la").as_of == TODAY
