"""Two published versions compared, on the tiny extracts: rows added, removed and changed, the provinces that
moved most (numbers checked by hand), the versions' history and the publishes refused."""

import pandas as pd
import pytest
import tiny

from cockpit.data import changes
from cockpit.data.versions import VersionError


def edited_observations():
    """The tiny observations with one district's enrolment and one's score revised, a count dropped, a row added.

    enrol Y2: D1 80/100 -> 95/100 and D3 45/50 -> 46/50, so P1 = 110/150 -> 125/150 (73.3% -> 83.3%, +10 points)
    and P2 = 90% -> 92% (+2 points). score: D2 1800/30 -> 2100/30, so P1 = 2200/40 -> 2500/40 (55 -> 62.5);
    D3 gets its first score (a row added, not a move). closed: D3's row removed.
    """
    obs = tiny.frames()["observations"]
    y2 = obs["period_start"] == tiny.Y2
    d1_enrol = (obs["area_id"] == "D1") & (obs["indicator_id"] == "enrol") & y2
    obs.loc[d1_enrol, ["value", "numerator"]] = [95.0, 95.0]
    d3_enrol = (obs["area_id"] == "D3") & (obs["indicator_id"] == "enrol") & y2
    obs.loc[d3_enrol, ["value", "numerator"]] = [92.0, 46.0]
    d2_score = (obs["area_id"] == "D2") & (obs["indicator_id"] == "score")
    obs.loc[d2_score, ["value", "numerator"]] = [70.0, 2100.0]
    added = obs[d2_score].assign(area_id="D3", value=50.0, numerator=500.0, denominator=10.0)
    obs = obs[~((obs["area_id"] == "D3") & (obs["indicator_id"] == "closed"))]
    return pd.concat([obs, added], ignore_index=True)


@pytest.fixture
def two_versions(tmp_path):
    """The tiny extracts published, then published again with the edits: (store, old version, new version)."""
    tiny.write(tmp_path / "xx")
    database = tiny.served(tmp_path, by="first steward")
    old = database.store.current("xx")
    tiny.write(tmp_path / "xx", observations=edited_observations())
    tiny.served(tmp_path, by="second steward")
    new = database.store.current("xx")
    assert old != new
    return database.store, old, new


def test_rows_added_removed_and_changed_per_indicator(two_versions):
    store, old, new = two_versions
    result = changes.compare(store, "xx", old, new)
    counts = result.observations.set_index("indicator_id")[["added", "removed", "changed"]]
    assert counts.to_dict("index") == {
        "closed": {"added": 0, "removed": 1, "changed": 0},
        "enrol": {"added": 0, "removed": 0, "changed": 2},
        "score": {"added": 1, "removed": 0, "changed": 1},
    }
    assert result.totals() == {"added": 1, "removed": 1, "changed": 3}
    assert not result.same


def test_the_provinces_that_moved_most(two_versions):
    store, old, new = two_versions
    moved = changes.compare(store, "xx", old, new).movers
    rows = [
        (r.indicator_id, r.area_id, round(r.old_value, 3), round(r.new_value, 3), round(r.change, 3))
        for r in moved.itertuples()
    ]
    assert rows == [
        ("enrol", "P1", 73.333, 83.333, 10.0),  # biggest first
        ("enrol", "P2", 90.0, 92.0, 2.0),
        ("score", "P1", 55.0, 62.5, 7.5),  # P2's first score appears: a row added, not a move
    ]
    assert set(moved["period_start"].map(lambda d: d.date() if hasattr(d, "date") else d)) == {tiny.Y2}
    assert list(moved["name_en"]) == ["North", "South", "North"]
    top = changes.compare(store, "xx", old, new, top=1).movers
    assert list(zip(top["indicator_id"], top["area_id"], strict=True)) == [("enrol", "P1"), ("score", "P1")]


def test_the_other_way_round_reverses_the_counts(two_versions):
    store, old, new = two_versions
    back = changes.compare(store, "xx", new, old)
    assert back.totals() == {"added": 1, "removed": 1, "changed": 3}
    assert back.observations.set_index("indicator_id").loc["closed", "added"] == 1
    assert back.movers.iloc[0]["change"] == pytest.approx(-10.0)


def test_a_version_against_itself_is_the_same(two_versions):
    store, old, _ = two_versions
    assert changes.compare(store, "xx", old, old).same


def test_a_cached_comparison_is_not_changed_by_its_reader(two_versions):
    store, old, new = two_versions
    first = changes.compare(store, "xx", old, new)
    first.movers.loc[:, "change"] = 0.0
    assert list(changes.compare(store, "xx", old, new).movers["change"].round(1)) == [10.0, 2.0, 7.5]


def test_an_unknown_version_is_refused(two_versions):
    store, old, _ = two_versions
    with pytest.raises(VersionError):
        changes.compare(store, "xx", old, "20990101T000000Z-nothing")


def test_history_newest_first_with_the_served_one_marked(two_versions):
    store, old, new = two_versions
    history = changes.history(store, "xx")
    assert list(history["version"]) == [new, old]
    assert list(history["current"]) == [True, False]
    assert list(history["published_by"]) == ["second steward", "first steward"]
    assert list(history["observations"]) == [len(edited_observations()), len(tiny.frames()["observations"])]
    assert history.iloc[0]["newest_period"] == tiny.Y2
    assert set(history.iloc[0]["files"]) == set(tiny.frames())
    assert history.iloc[0]["published_at"].tzinfo is not None


def test_refused_publishes_newest_first_and_whether_fixed(tmp_path):
    tiny.write(tmp_path / "xx")
    database = tiny.served(tmp_path)
    assert changes.refused(database.store, "xx").empty
    broken = tiny.frames()["observations"]
    broken.loc[3, "sex"] = "unknown"
    tiny.write(tmp_path / "xx", observations=broken)
    tiny.served(tmp_path, by="night shift")
    refused = changes.refused(database.store, "xx")
    assert list(refused.iloc[0][["by", "file", "column", "rows", "open"]]) == [
        "night shift",
        "observations.parquet",
        "sex",
        (4,),
        True,
    ]
    assert refused.iloc[0]["directory"] == str(tmp_path / "xx")
    tiny.write(tmp_path / "xx", observations=edited_observations())
    tiny.served(tmp_path)
    assert not changes.refused(database.store, "xx")["open"].any()  # a later publish went through


def test_the_pair_compared_by_default():
    assert changes.default_pair(["a"], "a") is None
    assert changes.default_pair(["a", "b", "c"], "c") == ("b", "c")
    assert changes.default_pair(["a", "b", "c"], "b") == ("a", "b")  # after a rollback: what it rolled back from
    assert changes.default_pair(["a", "b", "c"], "a") == ("a", "b")
    assert changes.default_pair(["a", "b"], None) == ("a", "b")
