"""Every SQL file carries its header, declares exactly the parameters it uses, and runs."""

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
}


def test_every_query_has_a_header_and_its_parameters():
    found = queries.catalogue()
    assert found, "no queries found"
    for q in list(found.values()) + list(queries.models()):
        assert q.grain.startswith("one row"), f"{q.name}: grain must say what one row is"
        assert q.reads, f"{q.name}: must say which tables it reads"


@pytest.mark.parametrize("name", sorted(queries.catalogue()))
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
