"""Every SQL file carries its header, declares exactly the parameters it uses, and runs."""

import pandas as pd
import pytest
import tiny

from cockpit.data import access, queries

SAMPLE_PARAMS = {
    "indicator_id": "enrol",
    "period_start": tiny.Y2,
    "since": tiny.Y1,
    "area_id": "XX",
    "level": "province",
    "above": 1.0,
    "below": None,
    "status": None,
    "for_periods": 1,
    "gap": 1.0,
    "periods": 1,
    "min_change": 0.0,
    "z": 3.0,
    "min_peers": 1,
    "history_periods": 4,
    "due_days": 30,
    "as_of": tiny.Y2,
    "incident_type": "flood",
    "schools_above": 0,
    "students_above": None,
    "stuck_periods": 1,
    "indicator_ids": ["enrol", "score"],
    "province_id": "P1",
    "group_key": "reo:1",
    "wall": "black",
    "member_ids": ["P1", "D1"],
    "policy_id": "POL1",
    "text": "s",
    "most": 5,
}


def test_every_query_has_a_header_and_its_parameters():
    found = queries.catalogue()
    assert found, "no queries found"
    for q in list(found.values()) + list(queries.models()):
        assert q.grain.startswith("one row"), f"{q.name}: grain must say what one row is"
        assert q.reads, f"{q.name}: must say which tables it reads"


# The publish's queries compare the version being built with the served one attached beside it: tests/publish runs them.
@pytest.mark.parametrize("name", sorted(n for n in queries.catalogue() if not n.startswith("publish/")))
def test_every_query_runs(name, tmp_path):
    tiny.write(tmp_path / "xx")
    db = tiny.served(tmp_path)
    q = queries.get(name)
    params = {p: SAMPLE_PARAMS[p] for p in q.params if p != "scope"}
    scope = access.Scope(("P1", "P2")) if "scope" in q.params else None
    result = db.query("xx", name, scope=scope, **params)
    assert len(result.columns) > 0


def test_undeclared_parameter_is_refused(tmp_path):
    bad = tmp_path / "bad.sql"
    bad.write_text("-- grain: one row per x\n-- params: a\n-- reads: t\nselect $a, $b\n")
    with pytest.raises(queries.QueryError, match="uses"):
        queries.parse(bad)


def test_missing_header_is_refused(tmp_path):
    bad = tmp_path / "bad.sql"
    bad.write_text("select 1\n")
    with pytest.raises(queries.QueryError, match="header lacks"):
        queries.parse(bad)


def test_a_source_by_province_or_by_country_stands_for_it_where_no_district_reports(tmp_path):
    """An OBEC table by province (or a UIS figure for the country) rolls up as if its districts had reported."""
    from cockpit.data import extracts

    obs = tiny.frames()["observations"]
    by_province = pd.DataFrame(
        [
            dict(
                area_id="P2",
                indicator_id="score",
                period_start=tiny.Y2,
                period_type="year",
                sex="total",
                value=70.0,
                numerator=1400.0,
                denominator=20.0,
                target=50.0,
            ),
            dict(
                area_id="P1",
                indicator_id="score",
                period_start=tiny.Y2,
                period_type="year",
                sex="total",
                value=99.0,
                numerator=9900.0,
                denominator=100.0,
                target=50.0,
            ),  # P1's districts report: not used
            dict(
                area_id="XX",
                indicator_id="closed",
                period_start=tiny.Y1,
                period_type="year",
                sex="total",
                value=7.0,
                numerator=7.0,
                denominator=None,
                target=0.0,
            ),  # only nationally, the year before
        ]
    )
    snapshot = extracts.load(tiny.write(tmp_path, observations=pd.concat([obs, by_province])))
    queries.build_models(snapshot.connection)
    facts = (
        snapshot.connection.execute(
            "select area_id, indicator_id, period_start, value from area_facts where sex = 'total'"
        )
        .df()
        .set_index(["area_id", "indicator_id", "period_start"])["value"]
    )
    y1, y2 = pd.Timestamp(tiny.Y1), pd.Timestamp(tiny.Y2)
    assert facts[("P2", "score", y2)] == pytest.approx(70.0)
    assert facts[("P1", "score", y2)] == pytest.approx(55.0)  # from D1 and D2, as before
    assert facts[("XX", "score", y2)] == pytest.approx((400 + 1800 + 1400) / (10 + 30 + 20))
    assert facts[("XX", "closed", y1)] == pytest.approx(7.0)
    assert facts[("XX", "closed", y2)] == pytest.approx(4.0)  # the districts' own sum where they report
