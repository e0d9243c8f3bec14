"""The demo extract generator: contract, real codes, determinism, geography and the stories it tells."""

from __future__ import annotations

import json
from datetime import date
from pathlib import Path

import geothai
import numpy as np
import pandas as pd
import pyarrow.parquet as pq
import pytest
import shapely
import shapely.geometry
from conftest import AS_OF, DATA_DIR, story_day

from cockpit import clock
from cockpit.data import extracts, geo, schema
from cockpit.demo import build, common, incidents, stories

pytestmark = pytest.mark.calendar  # run again 400 days ahead and back by .ci/run (make test-calendar)


@pytest.fixture(scope="session")
def built() -> Path:
    """The suite's demo extracts (conftest builds them for AS_OF, with the default seed and scale)."""
    return DATA_DIR


def _read(built: Path, country: str, name: str) -> pd.DataFrame:
    return pd.read_parquet(built / country / f"{name}.parquet")


def _province_series(built: Path, country: str, indicator: str, province: str) -> pd.Series:
    """The province's value per period, aggregated the right way: sum(numerator) / sum(denominator) (or sum)."""
    obs = _read(built, country, "observations")
    areas = _read(built, country, "areas")
    ind = _read(built, country, "indicators").set_index("indicator_id").loc[indicator]
    districts = areas.loc[areas["parent_id"] == province, "area_id"]
    rows = obs[(obs["indicator_id"] == indicator) & (obs["sex"] == "total") & obs["area_id"].isin(districts)]
    sums = rows.groupby("period_start")[["value", "numerator", "denominator"]].sum()
    if ind["aggregation"] == "sum":
        return sums["value"]
    return ind["scale"] * sums["numerator"] / sums["denominator"]


@pytest.mark.parametrize("country", build.COUNTRIES)
def test_extracts_pass_the_contract(built, country):
    assert extracts.check(built / country) == []


@pytest.mark.parametrize("country", build.COUNTRIES)
def test_parquet_types_are_the_contract_types(built, country):
    expected = {"VARCHAR": "string", "DOUBLE": "double", "BIGINT": "int64", "BOOLEAN": "bool", "DATE": "date32[day]"}
    for extract in schema.EXTRACTS:
        arrow = pq.read_schema(built / country / extract.file_name)
        assert arrow.names == [c.name for c in extract.columns], extract.name
        for column in extract.columns:
            assert str(arrow.field(column.name).type) == expected[column.type], (extract.name, column.name)


def test_thai_areas_are_the_real_dopa_codes(built):
    areas = _read(built, "th", "areas")
    provinces = areas[areas["level"] == "province"]
    districts = areas[areas["level"] == "district"]
    assert len(provinces) == 77 and len(districts) == 928
    known_provinces = {p.code for p in geothai.provinces()}
    known_districts = {d.code for code in sorted(known_provinces) for d in geothai.districts(code)}
    assert set(provinces["area_id"]) <= known_provinces
    assert set(districts["area_id"]) <= known_districts
    assert (provinces["parent_id"] == "TH").all()
    assert (districts["parent_id"] == districts["area_id"].str[:2]).all()
    assert (provinces["iso_code"] == "TH-" + provinces["area_id"]).all()
    assert not areas["is_priority"].any()
    groups = _read(built, "th", "area_groups")
    assert groups.groupby("group_type").size().to_dict() == {"inspection_region": 77, "region6": 77, "reo": 76}
    assert "10" not in set(groups.loc[groups["group_type"] == "reo", "area_id"])


def test_lao_areas_and_priority_districts(built):
    areas = _read(built, "la", "areas")
    provinces = areas[areas["level"] == "province"]
    districts = areas[areas["level"] == "district"]
    assert len(provinces) == 18 and len(districts) == 148
    assert set(provinces["area_id"]) == set(geo.province_groups("la")["province_code"])
    assert (provinces["iso_code"] == provinces["area_id"]).all()
    assert districts["is_priority"].sum() == 40
    assert not provinces["is_priority"].any()
    assert areas.loc[areas["level"] == "country", "name_local"].item() == "ສາທາລະນະລັດ ປະຊາທິປະໄຕ ປະຊາຊົນລາວ"


@pytest.mark.parametrize("country", build.COUNTRIES)
def test_indicators_cover_the_four_walls_and_the_causal_chain(built, country):
    ind = _read(built, country, "indicators")
    kpis = ind[ind["kind"] == "kpi"]
    assert len(kpis) >= 25
    assert set(kpis["wall"]) == {"black", "red", "blue", "white"}
    kinds = ind.set_index("indicator_id")["kind"]
    assert ind.loc[ind["kind"] == "goal", "chain_parent"].isna().all()
    assert (kinds[ind.loc[ind["kind"] == "target", "chain_parent"]] == "goal").all()
    assert (kinds[kpis["chain_parent"]] == "target").all()
    for col in ("name_en", "name_th", "name_lo", "question_en", "question_th", "question_lo"):
        assert (ind[col].str.len() > 0).all(), col
    obs = _read(built, country, "observations")
    assert set(obs["indicator_id"]) == set(kpis["indicator_id"])
    assert obs["area_id"].isin(_read(built, country, "areas").query("level == 'district'")["area_id"]).all()


@pytest.mark.parametrize("country", build.COUNTRIES)
def test_every_kpi_covers_every_district_and_period(built, country):
    obs = _read(built, country, "observations").query("sex == 'total'")
    districts = (_read(built, country, "areas")["level"] == "district").sum()
    shape = obs.groupby("indicator_id").agg(rows=("area_id", "size"), areas=("area_id", "nunique"),
                                            periods=("period_start", "nunique"))  # fmt: skip
    assert (shape["areas"] == districts).all() and (shape["rows"] == shape["areas"] * shape["periods"]).all()
    periods = obs.groupby("period_type")["period_start"].agg(["min", "max", "nunique"])
    assert periods.loc["year", "nunique"] == 5 and periods.loc["month", "nunique"] == 60
    assert periods.loc["month", "max"] == AS_OF.replace(day=1)


@pytest.mark.parametrize("country", build.COUNTRIES)
def test_numerators_and_denominators_add_up(built, country):
    obs = _read(built, country, "observations")
    ind = _read(built, country, "indicators").set_index("indicator_id")
    obs = obs.join(ind[["aggregation", "scale"]], on="indicator_id")
    ratio = obs[
        obs["aggregation"].isin(["ratio", "weighted_mean"]) | (obs["aggregation"].eq("parity") & obs["sex"].ne("total"))
    ]
    np.testing.assert_allclose(ratio["value"], ratio["scale"] * ratio["numerator"] / ratio["denominator"], rtol=1e-9)
    sums = obs[obs["aggregation"] == "sum"]
    assert sums["denominator"].isna().all() and (sums["numerator"] == sums["value"]).all()
    parity = obs[obs["aggregation"] == "parity"].pivot_table(
        index=["area_id", "period_start"], columns="sex", values="value"
    )
    np.testing.assert_allclose(parity["total"], parity["female"] / parity["male"], rtol=1e-9)


def test_same_seed_same_frames(tmp_path):
    a = build.build("la", tmp_path / "a")
    b = build.build("la", tmp_path / "b")
    for name in ("schools", "observations", "incidents", "policy_progress"):
        pd.testing.assert_frame_equal(pd.read_parquet(a / f"{name}.parquet"), pd.read_parquet(b / f"{name}.parquet"))
    assert (a / "observations.parquet").read_bytes() == (b / "observations.parquet").read_bytes()
    c = build.build("la", tmp_path / "c", seed=7)
    assert not pd.read_parquet(a / "schools.parquet").equals(pd.read_parquet(c / "schools.parquet"))


@pytest.mark.parametrize("country", build.COUNTRIES)
def test_each_school_lies_inside_its_district(built, country):
    schools = _read(built, country, "schools")
    features = geo.boundaries(country, "district")["features"]
    polygons = {f["properties"]["code"]: shapely.geometry.shape(f["geometry"]) for f in features}
    geoms = np.array([polygons[a] for a in schools["area_id"]], dtype=object)
    assert shapely.contains_xy(geoms, schools["lon"].to_numpy(), schools["lat"].to_numpy()).all()


def test_school_numbers_are_plausible(built):
    th = _read(built, "th", "schools")
    la = _read(built, "la", "schools")
    assert 27_000 <= len(th) <= 31_000 and 8_000 <= len(la) <= 10_000
    assert 0.35 <= (th["students"] < 120).mean() <= 0.45  # Thailand's small-school problem
    assert 17 <= th["students"].sum() / th["teachers"].sum() <= 25
    assert la["has_internet"].mean() < th["has_internet"].mean() - 0.4
    assert th["school_id"].str.fullmatch(r"TH\d{8}").all() and la["school_id"].str.fullmatch(r"LA\d{7}").all()


def test_flood_closes_schools_in_ubon_ratchathani(built):
    closed = _province_series(built, "th", "schools_closed", "34")
    october = closed.loc[story_day("2026-10-01")]
    assert october >= 20 and october > 10 * max(1.0, closed.median())
    incidents = _read(built, "th", "incidents")
    districts = _read(built, "th", "areas").query("parent_id == '34'")["area_id"]
    floods = incidents[(incidents["type"] == "flood") & incidents["area_id"].isin(districts)]
    assert (floods["started_at"] >= story_day("2026-09-01")).sum() >= 3
    attendance = _province_series(built, "th", "attendance_rate", "34")
    assert attendance.loc[story_day("2026-10-01")] < attendance.median() - 5


def test_haze_closes_schools_in_chiang_mai_in_march(built):
    closed = _province_series(built, "th", "schools_closed", "50")
    assert closed.loc[story_day("2026-03-01")] > 10 * max(1.0, closed.median())


def test_dropout_rises_in_tak_while_the_nation_improves(built):
    tak = _province_series(built, "th", "dropout_rate", "63").to_numpy()
    assert (np.diff(tak[-4:]) > 0).all()
    amber = _read(built, "th", "indicators").set_index("indicator_id").loc["dropout_rate", "amber"]
    assert tak[-1] > amber
    obs = _read(built, "th", "observations").query("indicator_id == 'dropout_rate' and sex == 'total'")
    nation = obs.groupby("period_start")[["numerator", "denominator"]].sum()
    assert (np.diff((nation["numerator"] / nation["denominator"]).to_numpy()) < 0).all()


def test_anywhere_learning_stalls_in_regional_office_11(built):
    progress = _read(built, "th", "policy_progress").query("policy_id == @stories.TH_STALLED_POLICY")
    for province, rows in progress.groupby("area_id"):
        last = rows.sort_values("period_start").tail(5)
        if province in stories.TH_STALLED_PROVINCES:
            assert last["progress_pct"].nunique() == 1 and last["status"].iloc[-1] == "off_track"
            assert last["note"].iloc[-4:].notna().all()
        else:
            assert last["progress_pct"].iloc[-1] > last["progress_pct"].iloc[0]


def test_lao_priority_districts_lag_and_have_their_own_target(built):
    obs = _read(built, "la", "observations").query("indicator_id == 'ece_age5'")
    areas = _read(built, "la", "areas").set_index("area_id")
    latest = obs[obs["period_start"] == obs["period_start"].max()].join(areas["is_priority"], on="area_id")
    rate = latest.groupby("is_priority")[["numerator", "denominator"]].sum()
    rate = 100 * rate["numerator"] / rate["denominator"]
    assert rate[True] < rate[False] - 8
    assert set(latest.groupby("is_priority")["target"].first().round(1)) == {83.0, 86.0}
    trained = _read(built, "la", "observations").query("indicator_id == 'staff_trained'")
    trained = trained[trained["period_start"] == trained["period_start"].max()]
    assert trained.groupby("sex")["numerator"].sum().to_dict() == {"female": 139, "male": 491, "total": 630}


@pytest.mark.parametrize("country", build.COUNTRIES)
def test_incidents_are_consistent(built, country):
    incidents = _read(built, country, "incidents")
    as_of = AS_OF
    assert incidents["incident_id"].is_unique
    assert (incidents["started_at"] <= as_of).all()
    assert (incidents["status"] == "active").eq(incidents["ended_at"].isna()).all()
    ended = incidents.dropna(subset=["ended_at"])
    assert (ended["ended_at"] >= ended["started_at"]).all() and (ended["ended_at"] <= as_of).all()
    assert ended["response"].notna().all()
    schools = _read(built, country, "schools")
    assert incidents["school_id"].dropna().isin(schools["school_id"]).all()


def test_build_swaps_atomically_and_keeps_the_old_set_on_failure(tmp_path, monkeypatch):
    out = tmp_path / "demo"
    (out / "la").mkdir(parents=True)
    (out / "la" / "stale.txt").write_text("old")
    build.build("la", out)
    assert not (out / "la" / "stale.txt").exists()
    assert sorted(p.name for p in out.iterdir()) == ["la"]  # no temporary directories left behind
    before = (out / "la" / "observations.parquet").read_bytes()
    broken = extracts.ContractError("areas.parquet", None, (), 0, "broken on purpose")
    monkeypatch.setattr(build.extracts, "check", lambda directory: [broken])
    with pytest.raises(extracts.ExtractError):
        build.build("la", out, seed=1)
    assert (out / "la" / "observations.parquet").read_bytes() == before
    assert sorted(p.name for p in out.iterdir()) == ["la"]


def _fake_build(calls):
    def fake_build(country, out, scale, seed, as_of):
        calls.append((country, scale, seed, as_of))
        (Path(out) / country).mkdir(exist_ok=True)
        manifest = {
            "as_of": as_of.isoformat(),
            "seed": seed,
            "scale": scale,
            "generator": build.generator_fingerprint(),
        }
        (Path(out) / country / build.MANIFEST).write_text(json.dumps(manifest))
        return Path(out) / country

    return fake_build


def test_ensure_builds_what_is_missing_or_built_for_another_month_or_generator(tmp_path, monkeypatch):
    calls = []
    monkeypatch.setattr(build, "build", _fake_build(calls))  # where ensure looks it up
    october, november = date(2026, 10, 31), date(2026, 11, 30)
    build.ensure(tmp_path, october)
    assert [c[0] for c in calls] == ["th", "la"]
    calls.clear()
    build.ensure(tmp_path, october)
    assert calls == []  # current: kept
    (tmp_path / "la" / build.MANIFEST).write_text(json.dumps({"as_of": "2026-10-31", "seed": 7, "scale": 10}))
    (tmp_path / "th" / build.MANIFEST).unlink()  # a set from before manifests: rebuilt
    build.ensure(tmp_path, november)
    assert calls == [("th", 1, 42, november), ("la", 10, 7, november)]  # a benchmark's scale and seed are kept
    calls.clear()
    # The generator changed since (the demo's Red wall question was reworded, say): the same month is built again.
    monkeypatch.setattr(build, "generator_fingerprint", lambda: "other sources")
    build.ensure(tmp_path, november)
    assert calls == [("th", 1, 42, november), ("la", 10, 7, november)]


def test_the_demo_is_as_of_the_last_month_end_before_today_on_the_apps_clock(monkeypatch):
    import time_machine

    monkeypatch.setenv("COCKPIT_TODAY", "")
    with time_machine.travel(date(2027, 3, 1), tick=False):  # the machine's clock, when nothing moves the app's
        assert build.default_as_of() == date(2027, 2, 28)
    monkeypatch.setenv("COCKPIT_TODAY", "2026-12-31")
    assert build.default_as_of() == date(2026, 11, 30)
    monkeypatch.setenv("COCKPIT_TODAY", "2027-01-01")
    assert build.default_as_of() == date(2026, 12, 31) == clock.last_month_end(date(2027, 1, 15))


def test_the_stories_move_with_the_as_of_date(tmp_path):
    later_as_of = common.add_months(AS_OF, 13)  # 13 months after the suite's as-of
    later = build.build("la", tmp_path / "later", as_of=later_as_of)
    assert json.loads((later / build.MANIFEST).read_text())["as_of"] == later_as_of.isoformat()
    areas = _read(DATA_DIR, "la", "areas").set_index("area_id")["parent_id"]

    def southern_floods(table: pd.DataFrame, as_of: date) -> pd.DataFrame:
        """The story's floods (named after their river), in the south, started in the 3 months before the as-of."""
        recent = pd.to_datetime(table["started_at"]) > pd.Timestamp(as_of) - pd.Timedelta(days=92)
        south = table["area_id"].map(areas).isin(stories.LA_FLOOD_PROVINCES)
        story = table["description"].str.contains("|".join(incidents.LA_RIVERS))
        return table[(table["type"] == "flood") & south & recent & story]

    here = southern_floods(_read(DATA_DIR, "la", "incidents"), AS_OF)
    there = southern_floods(pd.read_parquet(later / "incidents.parquet"), later_as_of)
    # The same flood at the same distance before the as-of (the districts it reaches are drawn afresh).
    assert len(here) >= 8 and len(there) >= 8
    assert (here["status"] == "active").any() and (there["status"] == "active").any()
    shift = pd.to_datetime(there["started_at"]).min() - pd.to_datetime(here["started_at"]).min()
    assert round(shift.days / 30.44) == 13


def test_one_source_is_really_late_and_the_rest_is_current(built):
    observations = _read(built, "th", "observations")
    newest = pd.to_datetime(observations.groupby("indicator_id")["period_start"].max())
    monthly = _read(built, "th", "indicators").query("frequency == 'month'")["indicator_id"]
    this_month = pd.Timestamp(AS_OF.replace(day=1))
    late = newest[monthly][newest[monthly] < this_month]
    assert late.to_dict() == {stories.TH_LATE_SOURCE: this_month - pd.DateOffset(months=stories.TH_LATE_SOURCE_MONTHS)}


@pytest.mark.parametrize(("country", "script"), [("th", "[\u0e00-\u0e7f]"), ("la", "[\u0e80-\u0eff]")])
def test_the_offices_notes_are_in_the_countrys_language(built, country, script):
    """What an office writes (a policy's note, an incident's response) reads in its language on its pages."""
    notes = _read(built, country, "policy_progress")["note"].dropna()
    responses = _read(built, country, "incidents")["response"].dropna()
    assert len(notes) > 100 and len(responses) > 20
    for texts in (notes, responses):
        assert texts.str.contains(script).all(), sorted(set(texts[~texts.str.contains(script)]))[:5]
