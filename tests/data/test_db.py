"""The query layer: roll-ups as a ratio of sums, scope inside the SQL, cache invalidated by a new version."""

import pytest
import tiny

from cockpit.data import access, queries, versions
from cockpit.data.db import Database, NoData

ALL = access.Scope(("P1", "P2"))


@pytest.fixture
def database(tmp_path):
    tiny.write(tmp_path / "xx")
    return tiny.served(tmp_path)


def facts(db, area_id, indicator_id, scope=ALL):
    rows = db.query("xx", "data/area_series", scope=scope, area_id=area_id, since=tiny.Y1)
    rows = rows[rows["indicator_id"] == indicator_id].set_index("period_start")
    return rows


def test_ratio_of_sums_not_mean_of_ratios(database):
    # P1 in Y2: (80 + 30) / (100 + 50) = 73.33%, not the mean of 80% and 60% (70%).
    p1 = facts(database, "P1", "enrol")
    assert p1["value"].iloc[-1] == pytest.approx(100 * 110 / 150)
    # The country: (80 + 30 + 45) / (100 + 50 + 50) = 77.5%.
    assert facts(database, "XX", "enrol")["value"].iloc[-1] == pytest.approx(77.5)
    # The group 'reo:2' is P2 alone: 45 / 50.
    assert facts(database, "reo:2", "enrol")["value"].iloc[-1] == pytest.approx(90.0)


def test_sum_weighted_mean_and_parity(database):
    assert facts(database, "P1", "closed")["value"].iloc[-1] == 4
    assert facts(database, "XX", "closed")["value"].iloc[-1] == 4
    assert facts(database, "P1", "score")["value"].iloc[-1] == pytest.approx((400 + 1800) / 40)
    # girls (45 + 40) / (50 + 50) = 0.85; boys (50 + 40) / (50 + 40) = 1.0
    assert facts(database, "P1", "gpi")["value"].iloc[-1] == pytest.approx(0.85)


def test_status_is_against_the_target(database):
    # enrol: target and trajectory 80, at risk within 5% of it (4 points; higher is better)
    assert facts(database, "P1", "enrol")["status"].iloc[-1] == "off_track"  # 73.3
    assert facts(database, "P2", "enrol")["status"].iloc[-1] == "met"  # 90
    # closed: lower is better, target 0; the default tolerance, a share of zero, leaves nothing at risk
    assert facts(database, "P1", "closed")["status"].iloc[-1] == "off_track"  # 4
    assert facts(database, "P2", "closed")["status"].iloc[-1] == "met"  # 0


def test_ranking_is_national_and_direction_aware(database):
    table = database.query("xx", "data/province_values", scope=ALL, indicator_id="enrol", period_start=tiny.Y2)
    assert list(table["area_id"]) == ["P2", "P1"]
    assert list(table["rank"]) == [1, 2]
    assert table.set_index("area_id").loc["P1", "previous_value"] == pytest.approx(100 * 95 / 150)


def test_scope_is_applied_inside_the_query(database):
    only_p2 = access.Scope(("P2",))
    table = database.query("xx", "data/province_values", scope=only_p2, indicator_id="enrol", period_start=tiny.Y2)
    assert list(table["area_id"]) == ["P2"]
    assert facts(database, "P1", "enrol", scope=only_p2).empty  # another province's series is not returned
    assert not facts(database, "XX", "enrol", scope=only_p2).empty  # the national benchmark is


def test_area_queries_refuse_to_run_without_a_scope(database):
    with pytest.raises(queries.QueryError, match="scope"):
        database.query("xx", "data/province_values", indicator_id="enrol", period_start=tiny.Y2)


def test_parameters_are_checked_and_bound(database):
    with pytest.raises(queries.QueryError, match="expects parameters"):
        database.query("xx", "data/indicator_periods", indicator="enrol")
    # A hostile value is data, not SQL.
    assert database.query("xx", "data/indicator_periods", indicator_id="enrol' or 1=1 --").empty


def closed_in_d3(value):
    obs = tiny.frames()["observations"]
    obs.loc[(obs["indicator_id"] == "closed") & (obs["area_id"] == "D3"), ["value", "numerator"]] = value
    return obs


def test_a_new_version_invalidates_the_cache(database, tmp_path):
    before = facts(database, "XX", "closed")["value"].iloc[-1]
    tiny.write(tmp_path / "xx", observations=closed_in_d3(10))
    assert facts(database, "XX", "closed")["value"].iloc[-1] == before  # written, not yet published
    tiny.served(tmp_path)
    assert facts(database, "XX", "closed")["value"].iloc[-1] == before + 10


def test_a_page_sees_one_version_for_its_whole_rerun(database, tmp_path):
    page = database.pinned()
    before = facts(page, "XX", "closed")["value"].iloc[-1]
    tiny.write(tmp_path / "xx", observations=closed_in_d3(10))
    tiny.served(tmp_path)
    assert facts(page, "XX", "closed")["value"].iloc[-1] == before  # the rerun in flight keeps its version
    assert facts(database.pinned(), "XX", "closed")["value"].iloc[-1] == before + 10  # the next rerun moves on


def test_a_refused_publish_keeps_the_published_data(database, tmp_path):
    good = facts(database, "XX", "enrol")
    obs = tiny.frames()["observations"]
    obs.loc[0, "period_type"] = "fortnight"
    tiny.write(tmp_path / "xx", observations=obs)
    tiny.served(tmp_path)
    still = facts(database, "XX", "enrol")
    assert still.equals(good)
    problem = database.problem("xx")
    assert problem is not None and problem.error.errors[0].column == "period_type"
    assert problem.error.errors[0].rows == (1,)
    tiny.write(tmp_path / "xx", observations=closed_in_d3(1))  # a fixed extract, published, clears the problem
    tiny.served(tmp_path)
    assert database.problem("xx") is None


def test_a_first_publish_the_contract_refuses_is_no_data_with_the_reasons(tmp_path):
    obs = tiny.frames()["observations"].drop(columns=["value"])
    tiny.write(tmp_path / "xx", observations=obs)
    with pytest.raises(NoData, match="observations.parquet"):
        tiny.served(tmp_path).snapshot("xx")


def test_a_store_out_of_reach_leaves_the_open_version_serving(database, monkeypatch):
    """A bucket down or a share unmounted: what this process already serves goes on; a new one is told why."""
    before = facts(database, "XX", "enrol")

    def down(*_args, **_kwargs):
        raise ConnectionError("connection refused")

    # fsspec shares one filesystem object per protocol: monkeypatch puts it back for the other tests.
    monkeypatch.setattr(database.store.fs, "cat_file", down)
    monkeypatch.setattr(database.store.fs, "ls", down)
    assert facts(database, "XX", "enrol").equals(before)
    assert database.countries() == ["xx"] and database.problem("xx") is None
    fresh = Database(database.store.url, check_seconds=0)
    with pytest.raises(versions.Unreachable, match="cannot be read: connection refused"):
        fresh.countries()
