"""Each kind of alert condition on small hand-made data: it fires when it should and stays quiet when it should."""

from datetime import date

import pandas as pd
import pytest
import tiny

from cockpit.alerts import evaluation, rules
from cockpit.data.db import Database

MONTHS = [date(2024, m, 1) for m in range(1, 9)]  # Jan..Aug 2024


def monthly(values: dict[str, list[float | None]], indicator="enrol") -> pd.DataFrame:
    """Observations of a percent indicator per district and month; value v is v out of 100 (None: no report)."""
    rows = []
    for district, series in values.items():
        for month, v in zip(MONTHS[-len(series) :], series, strict=True):
            if v is not None:
                rows.append(
                    dict(
                        area_id=district,
                        indicator_id=indicator,
                        period_start=month,
                        period_type="month",
                        sex="total",
                        value=v,
                        numerator=v,
                        denominator=100.0,
                        target=80.0,
                    )
                )
    return pd.DataFrame(rows)


def database(tmp_path, observations=None, incidents=None) -> Database:
    replace = {}
    if observations is not None:
        replace["observations"] = observations
        # The catalogue says how often each indicator is reported, as these observations do.
        frequency = observations.groupby("indicator_id")["period_type"].first()
        indicators = tiny.frames()["indicators"]
        indicators["frequency"] = indicators["indicator_id"].map(frequency).fillna(indicators["frequency"])
        replace["indicators"] = indicators
    if incidents is not None:
        replace["incidents"] = incidents
    tiny.write(tmp_path / "xx", **replace)
    return tiny.served(tmp_path)


def rule(kind: str, watch=None, level="province", for_periods=1, **condition) -> rules.RuleSet:
    raw = dict(
        uid=f"r-{kind}",
        title={"en": kind},
        runbook={"en": "act"},
        severity="high",
        level=level,
        watch=watch or {"indicator": "enrol"},
        condition=dict(kind=kind, **condition),
    )
    if for_periods != 1:
        raw["for"] = for_periods
    return rules.RuleSet((rules.parse_rule(raw, "test.yaml"),), ())


def firing(db, ruleset, as_of=date(2024, 12, 31)):
    result = evaluation.evaluate(db, "xx", ruleset, as_of)
    assert result.errors == ()
    return {(f.area_id, f.period_start): f for f in result.firing}


def test_threshold_fires_on_the_latest_period_only(tmp_path):
    # P1 = mean of D1 and D2 (equal denominators); P2 = D3.
    db = database(tmp_path, monthly({"D1": [90, 60], "D2": [90, 60], "D3": [60, 90]}))
    found = firing(db, rule("threshold", below=70))
    assert set(found) == {("P1", MONTHS[-1])}
    assert found[("P1", MONTHS[-1])].value == pytest.approx(60) and found[("P1", MONTHS[-1])].threshold == 70


def test_threshold_must_hold_for_its_periods(tmp_path):
    db = database(tmp_path, monthly({"D1": [60, 90, 60], "D2": [60, 90, 60], "D3": [60, 60, 60]}))
    assert set(firing(db, rule("threshold", below=70, for_periods=2))) == {("P2", MONTHS[-1])}


def test_threshold_on_the_kpis_status_against_its_target(tmp_path):
    # enrol: trajectory 80 every month, tolerance 5% of it (config/kpi_status.yaml): at risk from 76 up to 80
    db = database(tmp_path, monthly({"D1": [77], "D2": [77], "D3": [65]}))
    assert set(firing(db, rule("threshold", status="off_track"))) == {("P2", MONTHS[-1])}
    assert set(firing(db, rule("threshold", status="at_risk"))) == {("P1", MONTHS[-1]), ("P2", MONTHS[-1])}


def test_as_of_hides_later_periods(tmp_path):
    db = database(tmp_path, monthly({"D1": [60, 90], "D2": [60, 90], "D3": [90, 90]}))
    assert set(firing(db, rule("threshold", below=70), as_of=date(2024, 7, 31))) == {("P1", MONTHS[-2])}
    assert firing(db, rule("threshold", below=70)) == {}


def test_gap_to_target(tmp_path):
    db = database(tmp_path, monthly({"D1": [78], "D2": [78], "D3": [70]}))  # target 80
    found = firing(db, rule("gap_to_target", gap=5))
    assert set(found) == {("P2", MONTHS[-1])} and found[("P2", MONTHS[-1])].threshold == 80


def test_trend_is_direction_aware(tmp_path):
    # enrol: higher is better. P1 falls three times running; P2 rises.
    db = database(tmp_path, monthly({"D1": [80, 78, 76, 74], "D2": [80, 78, 76, 74], "D3": [70, 72, 74, 76]}))
    assert set(firing(db, rule("trend", periods=3))) == {("P1", MONTHS[-1])}
    # one pause breaks the run
    db = database(tmp_path, monthly({"D1": [80, 78, 78, 74], "D2": [80, 78, 78, 74], "D3": [70, 72, 74, 76]}))
    assert firing(db, rule("trend", periods=3)) == {}


def test_trend_of_a_lower_is_better_indicator(tmp_path):
    # 'closed' is a count where lower is better: rising counts are adverse.
    obs = monthly({"D1": [1, 2, 3], "D2": [0, 0, 0], "D3": [5, 4, 3]}, indicator="closed")
    obs["denominator"] = None
    db = database(tmp_path, obs)
    assert set(firing(db, rule("trend", watch={"indicator": "closed"}, periods=2))) == {("P1", MONTHS[-1])}


def test_outlier_against_peers_uses_the_modified_z_score(tmp_path):
    # median 10.5, MAD 0.5: D3's 50 is 53 MADs away, D1's 10 is not an outlier.
    db = database(tmp_path, monthly({"D1": [10], "D2": [10.5], "D3": [50]}))
    found = firing(db, rule("outlier", level="district", against="peers", z=3.0, min_peers=3))
    assert set(found) == {("D3", MONTHS[-1])}
    assert found[("D3", MONTHS[-1])].detail["z"] == pytest.approx(0.6745 * 39.5 / 0.5)
    assert firing(db, rule("outlier", level="district", against="peers", z=3.0, min_peers=4)) == {}


def test_outlier_against_own_history(tmp_path):
    steady = [48, 52, 50, 47, 53, 50, 49]  # median 50, MAD 2
    db = database(tmp_path, monthly({"D1": [*steady, 80], "D2": [*steady, 50.5], "D3": [*steady, 49]}))
    found = firing(db, rule("outlier", level="district", against="history", z=3.5, history_periods=7, min_peers=5))
    assert set(found) == {("D1", MONTHS[-1])}


def test_missing_report_after_its_due_date(tmp_path):
    db = database(tmp_path, monthly({"D1": [70, 70], "D2": [70, 70], "D3": [70, None]}))
    ruleset = rule("missing_report", level="district", due_days=15)
    assert set(firing(db, ruleset, as_of=date(2024, 9, 15))) == {("D3", MONTHS[-1])}  # Aug due on 15 Sep
    assert firing(db, ruleset, as_of=date(2024, 9, 14)) == {}  # not yet due: July is judged, complete


def test_when_nobody_reports_every_area_is_missing(tmp_path):
    """The due period comes from the reporting calendar, not from who else reported: August owed by all."""
    db = database(tmp_path, monthly({"D1": [70, None], "D2": [70, None], "D3": [70, None]}))
    missing = rule("missing_report", level="district", due_days=15)
    assert set(firing(db, missing, as_of=date(2024, 9, 15))) == {(d, MONTHS[-1]) for d in ("D1", "D2", "D3")}
    found = firing(db, rule("reporting_completeness", below=0.9), as_of=date(2024, 9, 30))
    assert set(found) == {("P1", MONTHS[-1]), ("P2", MONTHS[-1])}
    assert {f.value for f in found.values()} == {0.0}


def test_the_calendar_gives_the_due_lag_when_the_rule_does_not(tmp_path):
    db = database(tmp_path, monthly({"D1": [70, 70], "D2": [70, 70], "D3": [70, None]}))
    missing = rule("missing_report", level="district")  # an unknown country: 30 days after the period ends
    assert firing(db, missing, as_of=date(2024, 9, 29)) == {}  # July judged, complete
    assert set(firing(db, missing, as_of=date(2024, 9, 30))) == {("D3", MONTHS[-1])}


def test_reporting_completeness_of_a_province(tmp_path):
    db = database(tmp_path, monthly({"D1": [70, 70], "D2": [70, None], "D3": [70, 70]}))
    found = firing(db, rule("reporting_completeness", below=0.9), as_of=date(2024, 9, 30))
    assert set(found) == {("P1", MONTHS[-1])} and found[("P1", MONTHS[-1])].value == pytest.approx(0.5)


def test_incidents_above_a_number_of_schools(tmp_path):
    incidents = tiny.frames()["incidents"]  # one flood in D1 from 5 Oct 2024, 1 school, 100 students, ongoing
    db = database(tmp_path, incidents=incidents)
    flood = {"incident_type": "flood"}
    found = firing(db, rule("incidents", watch=flood, schools_above=0))
    assert set(found) == {("P1", date(2024, 10, 1))}
    assert found[("P1", date(2024, 10, 1))].detail["students_affected"] == 100
    assert firing(db, rule("incidents", watch=flood, schools_above=1)) == {}
    assert firing(db, rule("incidents", watch=flood, schools_above=0), as_of=date(2024, 10, 4)) == {}
    assert firing(db, rule("incidents", watch={"incident_type": "haze"}, schools_above=0)) == {}
    ended = incidents.assign(ended_at=date(2024, 11, 1), status="closed")
    db = database(tmp_path, incidents=ended)
    assert firing(db, rule("incidents", watch=flood, schools_above=0)) == {}
    assert set(firing(db, rule("incidents", watch=flood, schools_above=0), as_of=date(2024, 10, 20))) == {
        ("P1", date(2024, 10, 1))
    }


def test_a_rule_for_an_unknown_indicator_is_reported_and_skipped(tmp_path):
    db = database(tmp_path, monthly({"D1": [60], "D2": [60], "D3": [60]}))
    ruleset = rules.RuleSet(rule("threshold", below=70).rules + rule("trend", watch={"indicator": "nope"}).rules, ())
    result = evaluation.evaluate(db, "xx", ruleset, date(2024, 12, 31))
    assert [f.area_id for f in result.firing] == ["P1", "P2"]
    assert [(e.rule, e.field) for e in result.errors] == [("r-trend", "watch")]


def test_month_ends_for_the_replay():
    assert evaluation.month_ends(date(2026, 3, 15), 3) == [date(2025, 12, 31), date(2026, 1, 31), date(2026, 2, 28)]


def test_for_applies_to_every_kind_with_the_same_meaning(tmp_path):
    """`for: 2` on an outlier: it must have been an outlier in the latest period and in the one before."""
    steady = [48, 52, 50, 47, 53, 50]  # median 50, MAD 2
    db = database(tmp_path, monthly({"D1": [*steady, 80, 80], "D2": [*steady, 50, 80], "D3": [*steady, 49, 50]}))
    outlier = dict(level="district", against="history", z=3.5, history_periods=6, min_peers=5)
    assert set(firing(db, rule("outlier", **outlier))) == {("D1", MONTHS[-1]), ("D2", MONTHS[-1])}
    assert set(firing(db, rule("outlier", for_periods=2, **outlier))) == {("D1", MONTHS[-1])}


def test_for_on_missing_reports_needs_the_periods_before_missing_too(tmp_path):
    db = database(tmp_path, monthly({"D1": [70, 70, 70], "D2": [70, None, None], "D3": [None, 70, None]}))
    missing = rule("missing_report", level="district", due_days=15, for_periods=2)
    assert set(firing(db, missing, as_of=date(2024, 9, 15))) == {("D2", MONTHS[-1])}


def test_for_on_incidents_needs_them_active_a_month_before(tmp_path):
    db = database(tmp_path, incidents=tiny.frames()["incidents"])  # a flood in D1 from 5 October 2024
    flood = rule("incidents", watch={"incident_type": "flood"}, schools_above=0, for_periods=2)
    assert firing(db, flood, as_of=date(2024, 10, 31)) == {}
    assert set(firing(db, flood, as_of=date(2024, 11, 30))) == {("P1", date(2024, 10, 1))}


def test_a_replayed_day_knows_only_the_reports_due_by_then(tmp_path):
    """August is due 30 days after it ends (an unknown country's default): on 15 September a replay judges July."""
    db = database(tmp_path, monthly({"D1": [90, 60], "D2": [90, 60], "D3": [90, 90]}))
    low = rule("threshold", below=70)
    assert firing(db, low, as_of=date(2024, 9, 15)) != {}  # live: the extract holds August, so it counts
    replayed = evaluation.evaluate(db, "xx", low, date(2024, 9, 15), known_only=True)
    assert replayed.firing == () and replayed.judged == {"r-threshold": MONTHS[-2]}
    replayed = evaluation.evaluate(db, "xx", low, date(2024, 9, 30), known_only=True)
    assert {f.area_id for f in replayed.firing} == {"P1"} and replayed.judged == {"r-threshold": MONTHS[-1]}
