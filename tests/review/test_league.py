"""The league table: points from attainment and configured weights, ranks and their change, broken configuration."""

from datetime import date

import pandas as pd
import pytest
from conftest import NEWEST_QUARTER

from cockpit import settings
from cockpit.data import areas
from cockpit.data.db import Database
from cockpit.review import league, policies

pytestmark = pytest.mark.calendar  # run again 400 days ahead and back by .ci/run (make test-calendar)

WEIGHTS = league.Weights(
    country="xx",
    region_group="reo",
    kpis=(("enrol", 30.0), ("dropout", 10.0)),
    policy_progress=60.0,
    missing="zero",
    file="test.yaml",
)


def attainment() -> pd.DataFrame:
    return pd.DataFrame(
        {"enrol": [1.0, 0.5, None], "dropout": [0.8, 1.0, 1.0], league.POLICY: [0.5, 1.0, 0.9]},
        index=pd.Index(["A", "B", "C"], name="area_id"),
    )


def points_of(breakdown: pd.DataFrame, area: str) -> dict[str, float]:
    part = breakdown[breakdown["area_id"] == area]
    return dict(zip(part["component"], part["points"], strict=True))


def test_points_are_the_weights_share_of_100_times_attainment():
    breakdown = league.score(attainment(), WEIGHTS)
    assert points_of(breakdown, "A") == pytest.approx({"enrol": 30.0, "dropout": 8.0, league.POLICY: 30.0})
    scores = league.totals(breakdown)
    assert scores["A"] == pytest.approx(68.0)
    assert scores["B"] == pytest.approx(15.0 + 10.0 + 60.0)
    assert scores["C"] == pytest.approx(0.0 + 10.0 + 54.0)  # missing: zero, so no points for enrol
    assert breakdown.groupby("area_id")["max_points"].sum().tolist() == pytest.approx([100.0] * 3)


def test_changing_the_weights_changes_the_score_as_configured():
    policy_heavy = league.totals(league.score(attainment(), WEIGHTS))
    kpi_heavy = league.Weights("xx", "reo", (("enrol", 80.0), ("dropout", 10.0)), 10.0, "zero", "test.yaml")
    scores = league.totals(league.score(attainment(), kpi_heavy))
    assert scores["A"] == pytest.approx(100 * (80 * 1.0 + 10 * 0.8 + 10 * 0.5) / 100)
    # the ranking turns over: B leads when policies weigh most, A when the KPIs do
    assert list(league.rank(policy_heavy).sort_values().index) == ["B", "A", "C"]
    assert list(league.rank(scores).sort_values().index) == ["A", "B", "C"]


def test_weights_are_relative():
    doubled = league.Weights("xx", "reo", (("enrol", 60.0), ("dropout", 20.0)), 120.0, "zero", "test.yaml")
    pd.testing.assert_series_equal(
        league.totals(league.score(attainment(), doubled)), league.totals(league.score(attainment(), WEIGHTS))
    )


def test_reweight_shares_a_missing_components_weight_out():
    reweighted = league.Weights("xx", "reo", WEIGHTS.kpis, 60.0, "reweight", "test.yaml")
    breakdown = league.score(attainment(), reweighted)
    c = points_of(breakdown, "C")
    assert pd.isna(c["enrol"])  # not counted at all, rather than counted as nothing
    assert c["dropout"] == pytest.approx(100 * 10 / 70 * 1.0)
    assert c[league.POLICY] == pytest.approx(100 * 60 / 70 * 0.9)


def test_equal_scores_share_a_rank_and_no_score_is_unranked():
    ranks = league.rank(pd.Series({"A": 90.0, "B": 95.0, "C": 90.0, "D": None}))
    assert ranks[["A", "B", "C"]].tolist() == [2.0, 1.0, 2.0]
    assert pd.isna(ranks["D"])
    assert [league.change_label(c) for c in (2, -5, 0, None)] == ["▲ 2", "▼ 5", "=", ""]


def test_policy_attainment_is_budget_weighted_progress_over_plan():
    rows = pd.DataFrame(
        {
            "policy_id": ["P1", "P2", "P1", "P2"],
            "area_id": ["A", "A", "A", "A"],
            "level": "province",
            "period_start": pd.to_datetime(["2025-01-01", "2025-01-01", "2026-01-01", "2026-01-01"]),
            "progress_pct": [10.0, 20.0, 40.0, 90.0],
            "planned_pct": [20.0, 20.0, 50.0, 80.0],
            "allocation": [100.0, 300.0, 100.0, 300.0],
        }
    )
    chain = pd.DataFrame({"level": ["policy", "policy"]}, index=["P1", "P2"])
    found = league.policy_attainment(rows, chain, date(2026, 3, 1)).set_index("moment")
    now, before = found.loc["current"], found.loc["previous"]
    assert now["attainment"] == pytest.approx(min(1.0, (100 * 40 + 300 * 90) / (100 * 50 + 300 * 80)))
    assert now["value"] == pytest.approx((100 * 40 + 300 * 90) / 400)
    assert before["attainment"] == pytest.approx((100 * 10 + 300 * 20) / (100 * 20 + 300 * 20))
    assert before["period_start"] == pd.Timestamp(2025, 1, 1)


# --- Configuration ----------------------------------------------------------------------------------------------------


def test_the_configured_weights_load_for_both_countries():
    config = league.load_config()
    assert set(config) >= {"th", "la"}
    assert config["th"].region_group == "reo" and config["la"].region_group == "region"
    assert sum(config["th"].max_points().values()) == pytest.approx(100.0)


@pytest.mark.parametrize(
    "text, key",
    [
        (
            "countries:\n  th:\n    region_group: reo\n    kpis: {dropout_rate: lots}\n",
            "countries.th.kpis.dropout_rate",
        ),
        ("countries:\n  th:\n    region_group: reo\n    kpis: {dropout_rate: -1}\n", "countries.th.kpis.dropout_rate"),
        ("countries:\n  th:\n    kpis: {dropout_rate: 1}\n", "countries.th.region_group"),
        ("countries:\n  th:\n    region_group: reo\n    policy_progress: yes\n", "countries.th.policy_progress"),
        ("countries:\n  th:\n    region_group: reo\n    kpis: {}\n    policy_progress: 0\n", "countries.th"),
        ("missing: maybe\ncountries:\n  th:\n    region_group: reo\n    policy_progress: 1\n", "missing"),
        ("countries: [th, la]\n", "countries"),
        ("countries:\n  th: {region_group: reo\n", "(line"),
    ],
)
def test_a_broken_configuration_names_the_file_and_the_key(tmp_path, text, key):
    path = tmp_path / "league_broken.yaml"
    path.write_text(text)
    with pytest.raises(league.ConfigError) as caught:
        league.load_config(path)
    assert "league_broken.yaml" in str(caught.value) and key in str(caught.value)


# --- On the demo data -------------------------------------------------------------------------------------------------


@pytest.fixture(scope="module")
def demo():
    db = Database(settings.load().data_url)
    return db, areas.full_scope(db, "th")


@pytest.fixture(scope="module")
def thai_league(demo):
    db, scope = demo
    return league.league(db, "th", scope, "en")


def test_every_thai_province_is_ranked_nationally_and_in_its_region(thai_league):
    table = thai_league.table
    assert len(table) == 77 and sorted(table["rank"]) == list(range(1, 78))
    assert table["score"].between(0, 100).all()
    in_office_11 = table[table["region"] == "reo:11"].sort_values("region_rank")
    assert set(in_office_11["area_id"]) == {"47", "48", "49"}
    assert list(in_office_11["region_rank"]) == [1, 2, 3]
    assert list(in_office_11["region_provinces"]) == [3, 3, 3]
    assert thai_league.as_of == NEWEST_QUARTER


def test_the_breakdown_adds_up_to_the_score(thai_league):
    current = thai_league.breakdown[thai_league.breakdown["moment"] == "current"]
    sums = current.groupby("area_id")["points"].sum()
    table = thai_league.table.set_index("area_id")
    assert (sums.reindex(table.index) - table["score"]).abs().max() < 1e-9
    explained = league.explain(thai_league, "48")
    assert list(explained["component"])[-1] == league.POLICY
    assert explained["max_points"].sum() == pytest.approx(100.0)


def test_the_stalled_provinces_lose_policy_points_and_places(thai_league):
    table = thai_league.table.set_index("area_id")
    for area in ("47", "48", "49"):
        assert table.loc[area, "policy_points"] < table.loc[area, "previous_score"] - table.loc[area, "kpi_points"]
    assert table.loc["48", "rank_change"] < 0


def test_weights_from_a_file_change_the_demo_ranking(demo, tmp_path):
    db, scope = demo
    path = tmp_path / "league.yaml"
    path.write_text("countries:\n  th:\n    region_group: reo\n    kpis: {}\n    policy_progress: 1\n")
    only_policies = league.league(db, "th", scope, "en", config_path=path)
    table = only_policies.table.set_index("area_id")
    rows = policies.progress(db, "th", scope, policies.load_config())
    chain = policies.catalogue(db, "th")
    mine = rows[
        (rows["area_id"] == "48")
        & (rows["period_start"] == NEWEST_QUARTER.isoformat())
        & rows["policy_id"].isin(chain.index[chain["level"] == "policy"])
    ]
    expected = 100 * min(
        1.0, (mine["allocation"] * mine["progress_pct"]).sum() / (mine["allocation"] * mine["planned_pct"]).sum()
    )
    assert table.loc["48", "score"] == pytest.approx(expected)
    assert table.loc["48", "rank"] > 70  # the stalled provinces sink when only policies count


def test_an_unknown_indicator_in_the_configuration_is_named(demo, tmp_path):
    db, scope = demo
    path = tmp_path / "league.yaml"
    path.write_text("countries:\n  th:\n    region_group: reo\n    kpis: {no_such_kpi: 5}\n")
    with pytest.raises(league.ConfigError, match=r"countries\.th\.kpis\.no_such_kpi"):
        league.league(db, "th", scope, "en", config_path=path)
    path.write_text("countries:\n  th:\n    region_group: nowhere\n    kpis: {dropout_rate: 5}\n")
    with pytest.raises(league.ConfigError, match=r"countries\.th\.region_group"):
        league.league(db, "th", scope, "en", config_path=path)


@pytest.mark.parametrize(
    ("text", "key"),
    [
        (
            "countries:\n  th:\n    region_group: reo\n    kpis: {dropout_rate: 5}\n    policy_progres: 30\n",
            "countries.th.policy_progres",
        ),
        ("missing: zero\nmisssing: skip\ncountries:\n  th: {region_group: reo, kpis: {dropout_rate: 5}}\n", "misssing"),
    ],
)
def test_a_misspelt_key_is_named_not_silently_zero(demo, tmp_path, text, key):
    db, scope = demo
    path = tmp_path / "league.yaml"
    path.write_text(text, encoding="utf-8")
    with pytest.raises(league.ConfigError) as caught:
        league.league(db, "th", scope, "en", config_path=path)
    assert caught.value.key == key


def test_a_configuration_that_is_not_utf8_is_named(demo, tmp_path):
    db, scope = demo
    path = tmp_path / "league.yaml"
    path.write_bytes("# ลำดับ\ncountries:\n  th: {region_group: reo, kpis: {dropout_rate: 5}}\n".encode("cp874"))
    with pytest.raises(league.ConfigError, match="not UTF-8"):
        league.league(db, "th", scope, "en", config_path=path)


def test_the_lao_league_ranks_within_the_three_regions(demo):
    db = demo[0]
    lao = league.league(db, "la", areas.full_scope(db, "la"), "lo")
    assert len(lao.table) == 18 and lao.table["region"].nunique() == 3
    assert lao.table["name"].str.contains("ແຂວງ|ນະຄອນຫຼວງ|[\u0e80-\u0eff]", regex=True).all()


def test_the_league_is_built_once_per_version_and_language(demo, monkeypatch):
    db, scope = demo
    built = []
    real = league._league
    monkeypatch.setattr(league, "_league", lambda *args: built.append(args[2:4]) or real(*args))
    league._leagues.clear()
    first = league.league(db, "th", scope, "en")
    first.table.loc[0, "score"] = -1.0  # each caller's own copy: changing it changes no other's
    again = league.league(db, "th", scope, "en")
    assert len(built) == 1 and again.table.loc[0, "score"] != -1.0
    # A narrower scope reads its provinces' rows of the same league; another language is another league.
    narrower = league.league(db, "th", scope.within(["47", "48", "49"]), "en")
    assert set(narrower.table["area_id"]) == {"47", "48", "49"} and len(built) == 1
    assert set(narrower.breakdown["area_id"]) == {"47", "48", "49"}
    thai = league.league(db, "th", scope, "th")
    assert len(built) == 2 and thai.table["name"].tolist() != again.table["name"].tolist()


def test_an_offices_provinces_keep_their_national_and_regional_ranks(demo, thai_league):
    """Ranked among its own provinces alone, Phetchabun's office read "1" under "national rank", and REO 11's
    provinces 1, 2 and 3 of 3 nationally."""
    db, scope = demo
    national = thai_league.table.set_index("area_id")
    for own in (["67"], ["47", "48", "49"]):
        office = league.league(db, "th", scope.within(own), "en").table.set_index("area_id")
        assert sorted(office.index) == sorted(own)
        columns = ["rank", "region_rank", "rank_change", "provinces", "region_provinces", "score"]
        pd.testing.assert_frame_equal(office[columns], national.loc[office.index, columns])
        assert (office["provinces"] == 77).all()
    assert national.loc["67", "rank"] > 1
