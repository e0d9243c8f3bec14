"""Policies against plan: status rules at each boundary, budget-weighted roll-ups, the stuck rule, milestones, notes."""

from datetime import UTC, date, datetime

import pandas as pd
import pytest
import tiny
from conftest import NEWEST_QUARTER
from identities import office

from cockpit.data import access, schema
from cockpit.data.db import Database
from cockpit.review import policies, policy_notes
from cockpit.state import store
from cockpit.users.identity import Forbidden

pytestmark = pytest.mark.calendar  # run again 400 days ahead and back by .ci/run (make test-calendar)

Q = [date(2024, 1, 1), date(2024, 4, 1), date(2024, 7, 1), date(2024, 10, 1), date(2025, 1, 1), date(2025, 4, 1)]
DEMO = NEWEST_QUARTER
RULES = policies.StatusRules(
    on_track_gap=-5.0, at_risk_gap=-15.0, not_started_progress_at_most=0.0, not_started_planned_above=0.0
)


# --- Status rules -----------------------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    "progress, planned, expected",
    [
        (50.0, 50.0, "on_track"),
        (60.0, 50.0, "on_track"),  # ahead of plan
        (45.0, 50.0, "on_track"),  # exactly 5 points behind: the boundary belongs to the better status
        (44.99, 50.0, "at_risk"),
        (35.0, 50.0, "at_risk"),  # exactly 15 behind
        (34.99, 50.0, "off_track"),
        (0.0, 3.0, "not_started"),  # nothing done though work was due: not started, whatever the gap
        (0.0, 50.0, "not_started"),
        (0.0, 0.0, "on_track"),  # nothing due yet, nothing done
        (None, 50.0, "no_data"),
        (10.0, None, "no_data"),
    ],
)
def test_status_rules_at_each_boundary(progress, planned, expected):
    assert policies.judge([progress], [planned], RULES).iloc[0] == expected


def test_not_started_is_coloured_by_how_far_behind_it_leaves_the_work():
    colours = policies.colour([0.0, 0.0, 0.0, 40.0], [3.0, 10.0, 50.0, 50.0], RULES)
    assert list(colours) == ["on_track", "at_risk", "off_track", "at_risk"]


def test_the_rules_come_from_the_configuration_file(tmp_path):
    default = policies.load_config()
    assert default.status == RULES and default.stuck_periods == 3 and default.stuck_projects
    assert default.milestone_shares == (25.0, 50.0, 75.0, 100.0)
    stricter = tmp_path / "policy_status.yaml"
    stricter.write_text(
        "status:\n  on_track_gap: -2\n  at_risk_gap: -6\n  not_started:\n    progress_at_most: 1\n"
        "    planned_above: 5\nstuck:\n  periods: 2\nmilestones:\n  shares: [50, 100]\n"
    )
    config = policies.load_config(stricter)
    statuses = policies.judge([47.0, 45.0, 43.0, 0.5, 0.5], [50.0, 50.0, 50.0, 2.0, 6.0], config.status)
    assert list(statuses) == ["at_risk", "at_risk", "off_track", "on_track", "not_started"]
    assert config.stuck_periods == 2 and config.milestone_shares == (50.0, 100.0)


@pytest.mark.parametrize(
    "text, key",
    [
        ("status: [1, 2]\nstuck: {periods: 4}\nmilestones: {shares: [50]}\n", "status"),
        (
            "status: {on_track_gap: five, at_risk_gap: -15, not_started: {progress_at_most: 0, planned_above: 0}}\n"
            "stuck: {periods: 4}\nmilestones: {shares: [50]}\n",
            "status.on_track_gap",
        ),
        (
            "status: {on_track_gap: -15, at_risk_gap: -5, not_started: {progress_at_most: 0, planned_above: 0}}\n"
            "stuck: {periods: 4}\nmilestones: {shares: [50]}\n",
            "status.at_risk_gap",
        ),
        (
            "status: {on_track_gap: -5, at_risk_gap: -15, not_started: {progress_at_most: 0, planned_above: 0}}\n"
            "stuck: {periods: 0}\nmilestones: {shares: [50]}\n",
            "stuck.periods",
        ),
        (
            "status: {on_track_gap: -5, at_risk_gap: -15, not_started: {progress_at_most: 0, planned_above: 0}}\n"
            "stuck: {periods: 4}\nmilestones: {shares: [150]}\n",
            "milestones.shares",
        ),
        ("status: {on_track_gap: -5\n", "(line"),
    ],
)
def test_a_broken_configuration_names_the_file_and_the_key(tmp_path, text, key):
    path = tmp_path / "broken.yaml"
    path.write_text(text)
    with pytest.raises(policies.ConfigError) as caught:
        policies.load_config(path)
    assert "broken.yaml" in str(caught.value) and key in str(caught.value)


# --- Roll-ups on a hand-made extract ----------------------------------------------------------------------------------


def chain_frame() -> pd.DataFrame:
    """A programme with two policies; POL1 has one project. Only policies and the project report progress."""
    rows = [
        ("PROG", None, "programme", date(2024, 1, 1), date(2025, 12, 31), 1000.0),
        ("POL1", "PROG", "policy", date(2024, 1, 1), date(2025, 12, 31), 400.0),
        ("PRJ1", "POL1", "project", date(2024, 1, 1), date(2025, 12, 31), 400.0),
        ("POL2", "PROG", "policy", date(2024, 1, 1), date(2025, 12, 31), 600.0),
    ]
    return pd.DataFrame(
        [(pid, parent, level, pid, pid, "Office", s, e, b, None) for pid, parent, level, s, e, b in rows],
        columns=[c.name for c in schema.BY_NAME["policies"].columns],
    )


def progress_frame(rows) -> pd.DataFrame:
    """Rows of (policy, province, quarter, progress, planned, allocation); budgets follow from the allocation."""
    out = [
        (pid, area, period, progress, planned, alloc * planned / 100, 0.9 * alloc * min(progress, planned) / 100)
        for pid, area, period, progress, planned, alloc in rows
    ]
    return pd.DataFrame(
        [(*r, None, None) for r in out], columns=[c.name for c in schema.BY_NAME["policy_progress"].columns]
    )


@pytest.fixture
def tiny_db(tmp_path):
    """P1 holds 100 of POL1's budget, P2 300: a budget-weighted roll-up differs from a mean of percentages."""
    rows = [
        ("POL1", "P1", Q[0], 40.0, 50.0, 100.0),
        ("POL1", "P2", Q[0], 60.0, 50.0, 300.0),
        ("PRJ1", "P1", Q[0], 40.0, 50.0, 100.0),
        ("PRJ1", "P2", Q[0], 60.0, 50.0, 300.0),
        ("POL2", "P1", Q[0], 10.0, 20.0, 200.0),
        ("POL2", "P2", Q[0], 30.0, 20.0, 400.0),
        # the next quarter only P2 reports POL1: P1's last report is carried forward
        ("POL1", "P2", Q[1], 70.0, 60.0, 300.0),
        ("POL2", "P1", Q[1], 20.0, 30.0, 200.0),
        ("POL2", "P2", Q[1], 40.0, 30.0, 400.0),
    ]
    tiny.write(tmp_path / "xx", policies=chain_frame(), policy_progress=progress_frame(rows))
    return tiny.served(tmp_path)


def rolled(db, scope=("P1", "P2")):
    return policies.progress(db, "xx", access.Scope(scope), policies.load_config())


def at(rows, policy_id, area_id, period):
    hit = rows[(rows["policy_id"] == policy_id) & (rows["area_id"] == area_id) & (rows["period_start"] == str(period))]
    assert len(hit) == 1, hit
    return hit.iloc[0]


def test_national_progress_is_budget_weighted_not_a_mean_of_percentages(tiny_db):
    rows = rolled(tiny_db)
    nation = at(rows, "POL1", "XX", Q[0])
    assert nation["progress_pct"] == pytest.approx((100 * 40 + 300 * 60) / 400)  # 55, where a mean says 50
    assert nation["planned_pct"] == pytest.approx(50.0)
    assert nation["allocation"] == pytest.approx(400.0)
    assert nation["budget_planned"] == pytest.approx(50 + 150)
    assert nation["status"] == "on_track" and nation["gap"] == pytest.approx(5.0)
    # a province group holding only P1 is P1
    assert at(rows, "POL1", "reo:1", Q[0])["progress_pct"] == pytest.approx(40.0)


def test_a_programme_without_rows_rolls_up_its_policies_by_budget(tiny_db):
    rows = rolled(tiny_db)
    programme = at(rows, "PROG", "XX", Q[0])
    done = 100 * 40 + 300 * 60 + 200 * 10 + 400 * 30
    assert programme["progress_pct"] == pytest.approx(done / 1000)  # 36
    assert programme["planned_pct"] == pytest.approx((400 * 50 + 600 * 20) / 1000)  # 32
    # a project's rows stay its own: they are not counted again in the programme
    assert programme["allocation"] == pytest.approx(1000.0)


def test_a_province_that_did_not_report_is_carried_forward_and_counted(tiny_db):
    rows = rolled(tiny_db)
    nation = at(rows, "POL1", "XX", Q[1])
    assert nation["progress_pct"] == pytest.approx((100 * 40 + 300 * 70) / 400)
    assert nation["provinces"] == 2 and nation["reported_provinces"] == 1


def test_roll_ups_cover_only_the_callers_provinces(tiny_db):
    rows = rolled(tiny_db, scope=("P1",))
    assert set(rows.loc[rows["level"] == "province", "area_id"]) == {"P1"}
    assert at(rows, "POL1", "XX", Q[0])["progress_pct"] == pytest.approx(40.0)


def test_portfolio_lists_the_chain_with_status_and_provinces_behind(tiny_db):
    rows = rolled(tiny_db)
    chain = policies.catalogue(tiny_db, "xx")
    assert list(chain.index) == ["PROG", "POL1", "PRJ1", "POL2"] and list(chain["depth"]) == [0, 1, 2, 1]
    table = policies.portfolio(rows, chain, "XX", Q[0])
    assert table.loc["POL1", "status"] == "on_track"
    assert table.loc["POL1", "provinces_behind"] == 1  # P1: 40 of 50, at risk
    # POL2: (200 x 10 + 400 x 30) / 600 = 23.3 done against 20 planned
    assert table.loc["POL2", "gap_trend"] == [pytest.approx(10 / 3)]
    later = policies.portfolio(rows, chain, "XX", Q[1])
    assert later.loc["POL2", "gap_trend"] == [pytest.approx(10 / 3), pytest.approx(100 / 3 - 30)]


# --- Districts: the contract, the one roll-up, the districts' own rows ----------------------------------------------


def test_the_contract_accepts_district_rows_and_refuses_dangling_ones(tmp_path):
    from cockpit.data import extracts

    rows = [("POL1", "D1", Q[0], 40.0, 50.0, 100.0), ("POL1", "P2", Q[0], 60.0, 50.0, 300.0)]
    assert (
        extracts.check(tiny.write(tmp_path / "ok", policies=chain_frame(), policy_progress=progress_frame(rows))) == []
    )
    dangling = [*rows, ("POL1", "D9", Q[0], 10.0, 50.0, 100.0)]  # no district D9 in areas
    errors = extracts.check(
        tiny.write(tmp_path / "bad", policies=chain_frame(), policy_progress=progress_frame(dangling))
    )
    assert [(e.file, e.column, e.rows) for e in errors] == [("policy_progress.parquet", "area_id", (3,))], errors


@pytest.fixture
def district_db(tmp_path):
    """P1 reports POL1 and POL2 only by district (D1, D2); P2 reports POL1 itself and also by district (D3)."""
    rows = [
        ("POL1", "D1", Q[0], 40.0, 50.0, 100.0),
        ("POL1", "D2", Q[0], 60.0, 50.0, 300.0),
        ("POL1", "D2", Q[1], 70.0, 60.0, 300.0),  # D1 does not report in Q[1]: its Q[0] row stands
        ("POL1", "P2", Q[0], 30.0, 50.0, 200.0),
        ("POL1", "D3", Q[0], 90.0, 50.0, 200.0),  # disagrees with P2's own figure, which stands
        ("POL2", "D1", Q[0], 10.0, 20.0, 0.0),  # no budget: no weight, so P1 is the plain mean
        ("POL2", "D2", Q[0], 30.0, 20.0, 500.0),
    ]
    tiny.write(tmp_path / "xx", policies=chain_frame(), policy_progress=progress_frame(rows))
    return tiny.served(tmp_path)


def test_a_province_reported_only_by_district_is_their_budget_weighted_mean(district_db):
    rows = rolled(district_db)
    p1 = at(rows, "POL1", "P1", Q[0])
    assert p1["progress_pct"] == pytest.approx((100 * 40 + 300 * 60) / 400)  # 55; a plain mean says 50
    assert p1["planned_pct"] == pytest.approx(50.0)
    assert p1["budget_planned"] == pytest.approx(50 + 150) and p1["allocation"] == pytest.approx(400.0)
    assert p1["districts"] == 2 and pd.isna(p1["reported_status"])
    later = at(rows, "POL1", "P1", Q[1])  # D1 carried forward
    assert later["progress_pct"] == pytest.approx((100 * 40 + 300 * 70) / 400)  # 62.5
    assert later["planned_pct"] == pytest.approx((100 * 50 + 300 * 60) / 400)  # 57.5
    assert later["status"] == "on_track"
    # the province roll-up to the nation takes the derived province with the allocation its districts hold
    assert at(rows, "POL1", "XX", Q[0])["progress_pct"] == pytest.approx((400 * 55 + 200 * 30) / 600)


def test_a_reported_province_figure_is_never_replaced_by_its_districts(district_db):
    p2 = at(rolled(district_db), "POL1", "P2", Q[0])
    assert p2["progress_pct"] == pytest.approx(30.0) and pd.isna(p2["districts"])  # D3 says 90


def test_districts_without_a_budget_are_rolled_up_unweighted(district_db):
    assert at(rolled(district_db), "POL2", "P1", Q[0])["progress_pct"] == pytest.approx((10 + 30) / 2)


def test_the_districts_own_rows_are_judged_by_the_same_rules(district_db):
    def districts_of(policy_id, scope=("P1", "P2")):
        return policies.district_progress(district_db, "xx", access.Scope(scope), policies.load_config(), policy_id)

    rows = districts_of("POL1")
    pol1 = policies.districts(rows, "POL1", Q[0], ["P1", "P2"], "xx", "en")
    assert list(pol1.index) == ["D1", "D2", "D3"]  # furthest behind plan first: -10, +10, +40 points
    assert list(pol1["status"]) == ["at_risk", "on_track", "on_track"]
    assert list(pol1["province_id"]) == ["P1", "P1", "P2"] and pol1.loc["D1", "name"] == "D One"
    d1 = policies.series(rows, "POL1", "D1", Q[1])
    assert list(d1["progress_pct"]) == [40.0]  # carried into Q[1] but not reported there: the series stops
    assert list(policies.districts(rows, "POL1", Q[1], ["P1"], "xx", "en")["reported_districts"]) == [0, 1]
    assert policies.has_districts(rows, "POL1") and set(rows["policy_id"]) == {"POL1"}  # one node at a time
    assert policies.has_districts(districts_of("POL2"), "POL2") and not policies.has_districts(
        districts_of("PROG"), "PROG"
    )
    assert set(districts_of("POL1", ("P2",))["area_id"]) == {"D3"}  # only districts of the caller's provinces


def test_stuck_work_is_found_in_a_province_reported_only_by_district(tmp_path):
    rows = []
    for i, quarter in enumerate(Q):
        rows.append(("POL1", "D1", quarter, 15.0 if i else 10.0, 10.0 * (i + 1), 100.0))
        rows.append(("POL1", "D2", quarter, 15.0 if i else 10.0, 10.0 * (i + 1), 100.0))
        rows.append(("POL1", "P2", quarter, 10.0 * (i + 1), 10.0 * (i + 1), 100.0))
    tiny.write(tmp_path / "xx", policies=chain_frame(), policy_progress=progress_frame(rows))
    found = stuck(tiny.served(tmp_path))
    assert list(found["area_id"]) == ["P1"] and found.iloc[0]["value"] == pytest.approx(15.0)


# --- The stuck rule ---------------------------------------------------------------------------------------------------


def stuck_db(tmp_path, p1_progress, p1_planned=(10, 20, 30, 40, 50, 60)):
    rows = []
    for i, quarter in enumerate(Q):
        rows.append(("POL1", "P1", quarter, p1_progress[i], p1_planned[i], 100.0))
        rows.append(("POL1", "P2", quarter, 10.0 * (i + 1), 10.0 * (i + 1), 100.0))  # moving
    tiny.write(tmp_path / "xx", policies=chain_frame(), policy_progress=progress_frame(rows))
    return tiny.served(tmp_path)


def stuck(db, n=4, as_of=Q[-1]):
    return db.query("xx", "review/policies/stuck", scope=access.Scope(("P1", "P2")), stuck_periods=n, as_of=as_of)


def test_stuck_fires_on_frozen_progress_and_not_on_moving_progress(tmp_path):
    db = stuck_db(tmp_path, (10.0, 15.0, 15.0, 15.0, 15.0, 15.0))
    found = stuck(db)
    assert list(found["area_id"]) == ["P1"] and list(found["policy_id"]) == ["POL1"]
    row = found.iloc[0]
    assert row["period_start"] == pd.Timestamp(Q[-1])
    assert row["value"] == 15.0 and row["reference"] == 60.0
    assert row["stuck_since"] == pd.Timestamp(Q[2]) and row["periods_stuck"] == 4
    assert stuck(db, n=5).empty  # it rose in the second quarter: frozen for 4, not 5


def test_stuck_counts_only_periods_up_to_as_of(tmp_path):
    db = stuck_db(tmp_path, (10.0, 15.0, 15.0, 15.0, 15.0, 15.0))
    assert stuck(db, as_of=Q[4]).empty  # as of Q[4] only 3 quarters had passed without progress
    assert stuck(db, n=3, as_of=Q[4])["period_start"].tolist() == [pd.Timestamp(Q[4])]


def test_stuck_stays_quiet_when_work_is_complete_or_nothing_more_was_due(tmp_path):
    assert stuck(stuck_db(tmp_path / "a", (50.0, 100.0, 100.0, 100.0, 100.0, 100.0))).empty
    flat_plan = (10, 20, 20, 20, 20, 20)
    assert stuck(stuck_db(tmp_path / "b", (10.0, 20.0, 20.0, 20.0, 20.0, 20.0), flat_plan)).empty


def test_stuck_fires_on_work_never_started_while_the_plan_moved(tmp_path):
    found = stuck(stuck_db(tmp_path, (0.0,) * 6))
    assert list(found["area_id"]) == ["P1"] and found.iloc[0]["stuck_since"] == pd.Timestamp(Q[0])


def test_stuck_on_the_demo_data_is_anywhere_anytime_learning_in_regional_office_11(demo_db):
    from cockpit.data import areas

    found = demo_db.query(
        "th", "review/policies/stuck", scope=areas.full_scope(demo_db, "th"), stuck_periods=4, as_of=DEMO
    )
    policy = found[found["policy_id"] == "anywhere_anytime_learning"]
    assert sorted(policy["area_id"]) == ["47", "48", "49"]
    assert set(found["area_id"]) == {"47", "48", "49"}
    assert set(found["policy_id"]) <= {"anywhere_anytime_learning"} | {
        "anywhere_learning_tablets",
        "anywhere_learning_platform",
        "anywhere_learning_connectivity",
    }
    assert (policy["reference"] > policy["value"]).all()
    assert (policy["stuck_since"] == pd.Timestamp(NEWEST_QUARTER) - pd.DateOffset(months=9)).all()  # 4 quarters


@pytest.mark.parametrize(
    "country, policy_id, reported",
    [("th", "one_district_one_quality_school", True), ("la", "priority_school_meals", False)],
)
def test_the_demos_districts_agree_with_their_provinces(demo_db, country, policy_id, reported):
    """Thailand reports One District One Quality School by province and by district, Lao PDR its priority districts'
    policy only by district (the 40 priority districts): weighted by their budgets, a province's districts give its
    figure to the rounding of a reported one (0.05 points)."""
    from conftest import DATA_DIR

    areas = pd.read_parquet(DATA_DIR / country / "areas.parquet").set_index("area_id")
    rows = pd.read_parquet(DATA_DIR / country / "policy_progress.parquet").query("policy_id == @policy_id")
    rows["period_start"] = pd.to_datetime(rows["period_start"])
    level = rows["area_id"].map(areas["level"])
    districts = rows[level == "district"].assign(province=lambda d: d["area_id"].map(areas["parent_id"]))
    assert (level == "province").any() == reported and len(districts)
    if country == "la":
        assert (
            set(districts["area_id"]) == set(areas.index[areas["is_priority"]]) and len(set(districts["area_id"])) == 40
        )
    else:
        assert set(districts["area_id"]) == set(areas.index[areas["level"] == "district"])
    weight = (districts["budget_planned"] * 100 / districts["planned_pct"]).where(districts["planned_pct"] > 0)
    districts = districts.assign(weight=weight.groupby(districts["area_id"]).transform("last"))
    rolled = districts.groupby(["province", "period_start"]).apply(
        lambda d: (d["weight"] * d["progress_pct"]).sum() / d["weight"].sum(), include_groups=False
    )
    if reported:
        own = rows[level == "province"].set_index(["area_id", "period_start"])["progress_pct"]
        assert (rolled - own.reindex(rolled.index)).abs().max() <= 0.05
    else:
        from cockpit.data import areas as area_tables

        everyone = area_tables.full_scope(demo_db, country)
        derived = policies.progress(demo_db, country, everyone, policies.load_config())
        derived = derived[(derived["policy_id"] == policy_id) & (derived["level"] == "province")]
        derived = derived.set_index(["area_id", "period_start"])["progress_pct"]
        assert derived.reindex(rolled.index).to_numpy() == pytest.approx(rolled.to_numpy())


def test_the_pages_stuck_list_is_limited_to_the_callers_scope(demo_db):
    config = policies.load_config()
    mine = policies.stuck(demo_db, "th", access.Scope(("47", "10")), DEMO, config)
    assert set(mine["area_id"]) == {"47"}


def test_stuck_work_is_summed_up_per_policy(demo_db):
    from cockpit.data import areas

    everyone = areas.full_scope(demo_db, "th")
    rows = policies.stuck(demo_db, "th", everyone, DEMO, policies.load_config())
    summary = policies.stuck_summary(rows, policies.catalogue(demo_db, "th"))
    assert list(summary["policy_id"]) == ["anywhere_anytime_learning"]
    assert summary.iloc[0]["area_ids"] == ["47", "48", "49"] and summary.iloc[0]["items"] == 12


@pytest.fixture(scope="module")
def demo_db():
    from cockpit import settings

    return Database(settings.load().data_url)


# --- Milestones -------------------------------------------------------------------------------------------------------


def test_milestones_are_due_when_the_plan_reaches_them(tmp_path):
    progress = (10.0, 20.0, 26.0, 40.0, 45.0, 48.0)
    db = stuck_db(tmp_path, progress, (10, 20, 30, 40, 50, 60))
    rows = policies.progress(db, "xx", access.Scope(("P1", "P2")), policies.load_config())
    chain = policies.catalogue(db, "xx")
    table = policies.milestones(rows, chain, "P1", Q[-1], policies.load_config())
    assert set(table["policy_id"]) == {"POL1", "PROG"}  # the programme is rolled up from POL1 here
    table = table[table["policy_id"] == "POL1"].set_index("share")
    assert table.loc[25.0, "due_period"] == pd.Timestamp(Q[2])  # plan 30 >= 25 first in Q[2]
    assert table.loc[25.0, "due_date"] == pd.Timestamp(2024, 9, 30)
    assert table.loc[25.0, "state"] == "done"  # 26 in Q[2]
    assert table.loc[50.0, "due_period"] == pd.Timestamp(Q[4])
    assert table.loc[50.0, "state"] == "overdue"  # due in Q[4], 48 by Q[5]
    assert table.loc[75.0, "estimated"] and table.loc[75.0, "state"] == "upcoming"
    # the plan's rows stop at 60 (end of Q[5] = 30 Jun 2025); 75 lies 15/40 of the way to 100% at 31 Dec 2025
    start, end = pd.Timestamp(2025, 6, 30), pd.Timestamp(2025, 12, 31)
    assert table.loc[75.0, "due_date"] == start + (end - start) * (15 / 40)
    as_of_q4 = policies.milestones(rows, chain, "P1", Q[4], policies.load_config())
    assert as_of_q4[as_of_q4["policy_id"] == "POL1"].set_index("share").loc[50.0, "state"] == "due"


def test_a_milestone_reached_after_its_quarter_is_done_late(tmp_path):
    db = stuck_db(tmp_path, (10.0, 20.0, 24.0, 40.0, 45.0, 48.0))
    rows = policies.progress(db, "xx", access.Scope(("P1", "P2")), policies.load_config())
    table = policies.milestones(rows, policies.catalogue(db, "xx"), "P1", Q[-1], policies.load_config())
    assert table[table["policy_id"] == "POL1"].set_index("share").loc[25.0, "state"] == "done_late"


# --- Notes in the state store -----------------------------------------------------------------------------------------


@pytest.fixture
def store_url(tmp_path):
    return "sqlite:///" + str(tmp_path / "state.db")


WHEN = datetime(2026, 11, 1, 9, 30, tzinfo=UTC)


def test_notes_round_trip_and_survive_a_restart(store_url):
    engine = store.engine(store_url)
    mine = access.Scope(("47", "48"))
    note_id = policy_notes.add_note(
        engine,
        office("Somchai, Sakon Nakhon PEO", mine),
        "th",
        "anywhere_anytime_learning",
        "47",
        "obstacle",
        "  Tablets stuck in customs  ",
        period_start=DEMO,
        now=WHEN,
    )
    engine.dispose()
    again = store.engine(store_url)  # a new engine on the same file: the app restarted
    found = policy_notes.notes(again, mine, "th", policy_ids=["anywhere_anytime_learning"])
    assert len(found) == 1
    note = found.iloc[0]
    assert note["id"] == note_id and note["text"] == "Tablets stuck in customs" and note["kind"] == "obstacle"
    assert note["author"] == "Somchai, Sakon Nakhon PEO" and note["area_id"] == "47"
    assert note["created_at"] == WHEN and note["period_start"] == DEMO


def test_notes_are_written_and_read_only_within_the_callers_scope(store_url):
    engine = store.engine(store_url)
    everyone = access.Scope(("47", "48", "49"))
    for area in ("47", "48", "49"):
        policy_notes.add_note(
            engine, office("someone", everyone), "th", "p", area, "progress", f"note {area}", now=WHEN
        )
    sakon = access.Scope(("47",))
    assert list(policy_notes.notes(engine, sakon, "th")["area_id"]) == ["47"]
    assert policy_notes.notes(engine, sakon, "la").empty
    assert policy_notes.notes(engine, access.Scope(()), "th").empty
    with pytest.raises(Forbidden, match="outside your scope"):
        policy_notes.add_note(engine, office("someone", sakon), "th", "p", "48", "problem", "not mine")
    assert len(policy_notes.notes(engine, everyone, "th")) == 3


@pytest.mark.parametrize(
    "kind, text, author, message",
    [
        ("progress", "   ", "someone", "Write the note before saving it."),
        ("rumour", "fine", "someone", "Choose what kind of note this is."),
        ("progress", "x" * (policy_notes.NOTE_MAX_CHARS + 1), "someone", "A note holds at most {n} characters."),
    ],
)
def test_a_note_must_say_something_and_who_wrote_it(store_url, kind, text, author, message):
    engine = store.engine(store_url)
    with pytest.raises(policy_notes.NoteError) as caught:
        policy_notes.add_note(engine, office(author, access.Scope(("47",))), "th", "p", "47", kind, text)
    assert caught.value.message == message
    assert policy_notes.notes(engine, access.Scope(("47",)), "th").empty


def test_why_prefers_the_provinces_latest_note_to_the_extracts(store_url):
    engine = store.engine(store_url)
    scope = access.Scope(("47", "48"))
    policy_notes.add_note(engine, office("a", scope), "th", "pol", "47", "obstacle", "older", now=WHEN.replace(day=1))
    policy_notes.add_note(engine, office("a", scope), "th", "pol", "47", "obstacle", "newer", now=WHEN.replace(day=2))
    rows = pd.DataFrame({"policy_id": ["pol", "pol"], "area_id": ["47", "48"], "note": ["from extract", "report"]})
    explained = policies.why(rows, policy_notes.notes(engine, scope, "th"))
    assert list(explained["why"]) == ["newer", "report"]
    assert list(explained["why_from_store"]) == [True, False]


# --- Words for the reader ---------------------------------------------------------------------------------------------


def test_quarters_are_named_as_their_readers_name_them():
    assert policies.quarter_label(date(2023, 10, 1), "th", "en") == "Q1 FY2567"
    assert policies.quarter_label(date(2024, 7, 1), "th", "en") == "Q4 FY2567"
    assert policies.quarter_label(date(2026, 10, 1), "la", "en") == "Q4 2026"
    assert policies.span_label(date(2023, 10, 1), date(2027, 9, 30), "th", "en") == "FY2567–2570"
    assert policies.money(2.5e9, "th", "en") == "2.50 billion baht"
    assert policies.points(-26.54, "en") == "−26.5 pts"


def test_the_gap_trend_range_follows_the_data():
    """The portfolio's sparklines show the stalled provinces' gaps near −39 instead of cutting them at −30."""
    assert policies.trend_range([[-5.0, -38.7], [2.0], []]) == (-40.0, 10.0)
    assert policies.trend_range([[3.0, 14.2]]) == (-10.0, 20.0)
    assert policies.trend_range([[], []]) == (-10.0, 10.0)


def test_the_board_is_built_once_per_version_scope_area_quarter_and_language(demo_db, monkeypatch):
    from cockpit.data import areas

    everyone, config = areas.full_scope(demo_db, "th"), policies.load_config()
    country = areas.country(demo_db, "th")["area_id"]
    built = []
    real = policies._board
    monkeypatch.setattr(policies, "_board", lambda *args: built.append(args[5:8]) or real(*args))
    policies._boards.clear()
    first = policies.board(demo_db, "th", everyone, everyone, config, country, DEMO, "en")
    again = policies.board(demo_db, "th", everyone, everyone, config, country, DEMO.isoformat(), "en")
    assert again is first and len(built) == 1
    # The page's tables as the functions make them on their own.
    chain = policies.catalogue(demo_db, "th")
    rows = policies.progress(demo_db, "th", everyone, config)
    pd.testing.assert_frame_equal(first.table, policies.portfolio(rows, chain, country, DEMO))
    assert first.attention == policies.attention_first(first.table, first.summary)
    # Another language or a narrower area scope is another board, never the wider one's.
    thai = policies.board(demo_db, "th", everyone, everyone, config, country, DEMO, "th")
    narrow = everyone.within(["47", "48"])
    narrower = policies.board(demo_db, "th", everyone, narrow, config, country, DEMO, "en")
    assert len(built) == 3 and thai.labelled["label"].tolist() != first.labelled["label"].tolist()
    assert set(narrower.names.index) == {"47", "48"} and set(narrower.stuck_rows["area_id"]) <= {"47", "48"}
    # The provinces of a policy: each caller's own copies, limited to the ids asked for.
    policy_id = first.attention
    provinces, labelled = policies.board_provinces(first, policy_id, ("47", "48"))
    assert set(provinces.index) <= {"47", "48"} and list(labelled.index) == list(provinces.index)
    labelled["name"] = "changed"
    assert (policies.board_provinces(first, policy_id, ("47", "48"))[1]["name"] != "changed").all()


def test_judged_progress_is_kept_per_version_and_each_caller_gets_a_copy(demo_db):
    from cockpit.data import areas

    everyone, config = areas.full_scope(demo_db, "th"), policies.load_config()
    first = policies.progress(demo_db, "th", everyone, config)
    first["status"] = "changed"
    again = policies.progress(demo_db, "th", everyone, config)
    assert (again["status"] != "changed").all()
    assert policies.shared_progress(demo_db, "th", everyone, config) is policies.shared_progress(
        demo_db, "th", everyone, config
    )


def test_an_area_with_no_milestone_has_no_timeline(demo_db):
    """The Policies page says so instead of a chart: the timeline's years were taken from no plan (a traceback)."""
    import dataclasses

    from cockpit.data import areas
    from cockpit.figures import policy_charts

    everyone, config = areas.full_scope(demo_db, "th"), policies.load_config()
    country = areas.country(demo_db, "th")["area_id"]
    board = policies.board(demo_db, "th", everyone, everyone, config, country, DEMO, "en")
    chain = policies.catalogue(demo_db, "th")
    assert policy_charts.milestone_timeline(board, chain, board.attention, None, config) is not None
    bare = dataclasses.replace(board, milestones=board.milestones.iloc[0:0], cache_key=(*board.cache_key, "bare"))
    assert policy_charts.milestone_timeline(bare, chain, board.attention, None, config) is None
