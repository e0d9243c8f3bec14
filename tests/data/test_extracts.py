"""The data contract is checked at load, and errors name the file, the column and the rows."""

import json
import os

import pandas as pd
import pytest
import tiny

from cockpit import i18n
from cockpit.data import extracts, plausibility


def test_tiny_extracts_pass_the_contract(tmp_path):
    assert extracts.check(tiny.write(tmp_path)) == []


def test_snapshot_holds_every_extract(tmp_path):
    snap = extracts.load(tiny.write(tmp_path))
    assert snap.row_counts["areas"] == 6
    assert snap.row_counts["observations"] == len(tiny.frames()["observations"])


def test_wrong_value_names_file_column_and_rows(tmp_path):
    obs = tiny.frames()["observations"]
    obs.loc[[2, 4], "sex"] = "other"
    errors = extracts.check(tiny.write(tmp_path, observations=obs))
    assert len(errors) == 1
    err = errors[0]
    assert (err.file, err.column, err.rows, err.row_count) == ("observations.parquet", "sex", (3, 5), 2)
    assert "observations.parquet, column 'sex'" in str(err) and "rows 3, 5" in str(err)


def test_missing_column_and_bad_type_are_reported(tmp_path):
    schools = tiny.frames()["schools"].drop(columns=["teachers"])
    areas = tiny.frames()["areas"]
    areas["lat"] = areas["lat"].astype(str)
    areas.loc[1, "lat"] = "north-ish"
    errors = extracts.check(tiny.write(tmp_path, schools=schools, areas=areas))
    found = {(e.file, e.column) for e in errors}
    assert ("schools.parquet", "teachers") in found
    bad_lat = next(e for e in errors if e.column == "lat")
    assert bad_lat.rows == (2,) and "DOUBLE" in bad_lat.problem


def test_duplicate_keys_and_dangling_references(tmp_path):
    areas = tiny.frames()["areas"]
    areas = pd.concat([areas, areas.iloc[[3]]])
    errors = extracts.check(tiny.write(tmp_path, areas=areas))
    assert any(e.column == "area_id" and e.problem == "duplicate key" and e.rows == (4, 7) for e in errors)

    obs = tiny.frames()["observations"]
    obs.loc[0, "area_id"] = "NOWHERE"
    errors = extracts.check(tiny.write(tmp_path, areas=tiny.frames()["areas"], observations=obs))
    assert [(e.column, e.rows) for e in errors] == [("area_id", (1,))]
    assert "refers to no areas.area_id" in errors[0].problem


def test_negative_and_missing_required_values(tmp_path):
    schools = tiny.frames()["schools"]
    schools.loc[0, "students"] = -5
    schools.loc[2, "name"] = None
    errors = {(e.column, e.rows) for e in extracts.check(tiny.write(tmp_path, schools=schools))}
    assert errors == {("students", (1,)), ("name", (3,))}


def test_unreadable_or_missing_file(tmp_path):
    tiny.write(tmp_path)
    (tmp_path / "incidents.parquet").write_bytes(b"not parquet at all")
    os.remove(tmp_path / "policies.parquet")
    errors = extracts.check(tmp_path)
    assert {e.file for e in errors} == {"incidents.parquet", "policies.parquet"}
    with pytest.raises(extracts.ExtractError) as info:
        extracts.load(tmp_path)
    assert "incidents.parquet" in str(info.value)


@pytest.mark.parametrize("name", ["areas", "indicators", "observations"])
def test_an_empty_table_every_page_needs_is_refused(tmp_path, name):
    """An empty observations file once passed, emptied every page and closed every open alert as cleared."""
    empty = tiny.frames()[name].iloc[0:0]
    (error,) = [e for e in extracts.check(tiny.write(tmp_path, **{name: empty})) if e.file == f"{name}.parquet"]
    assert "has no rows" in error.problem


def test_a_broken_file_is_named_without_the_servers_paths_or_our_sql(tmp_path):
    """The problem reaches every viewer's banner: the file's name and what is wrong, nothing of the server."""
    tiny.write(tmp_path)
    os.remove(tmp_path / "areas.parquet")
    data = bytearray((tmp_path / "observations.parquet").read_bytes())
    data[4 : len(data) // 2] = bytes((b * 7 + 13) % 256 for b in data[4 : len(data) // 2])
    (tmp_path / "observations.parquet").write_bytes(bytes(data))
    errors = {e.file: str(e) for e in extracts.check(tmp_path)}
    assert set(errors) == {"areas.parquet", "observations.parquet"}
    for message in errors.values():
        assert str(tmp_path) not in message and "LINE 1" not in message and "read_parquet" not in message
        assert message.isprintable()


def test_fingerprint_changes_when_a_file_changes(tmp_path):
    tiny.write(tmp_path)
    before = extracts.fingerprint(tmp_path)
    obs = tiny.frames()["observations"].iloc[:-1]
    obs.to_parquet(tmp_path / "observations.parquet", index=False)
    assert extracts.fingerprint(tmp_path) != before


@pytest.mark.parametrize(
    "frame, change, column, problem",
    [
        ("observations", lambda o: o.loc[0, "numerator"].__mul__(5), "numerator", "gives a % outside 0 to 200"),
        ("observations", "denominator=0", "denominator", "a denominator of 0"),
        ("observations", "value=-3", "value", "a value in % outside 0 to 200"),
        ("policy_progress", "progress_pct=250", "progress_pct", "above the maximum 100"),
        ("schools", "students=4e18", "students", "above the maximum 100000"),
        ("indicators", "decimals=200000", "decimals", "above the maximum 6"),
        ("indicators", "scale=0", "scale", "a scale must be above 0"),
    ],
    ids=[
        "rate 5 times too high",
        "zero denominator",
        "negative rate",
        "progress 250%",
        "4e18 students",
        "200000 decimals",
        "zero scale",
    ],
)
def test_figures_the_types_allow_but_the_world_does_not_are_refused(tmp_path, frame, change, column, problem):
    """Each was accepted once and broke a page later, or closed alerts as if the problem had cleared."""
    table = tiny.frames()[frame]
    row = 1 if frame == "indicators" else 0  # the first KPI (row 0 of indicators is the goal)
    if callable(change):
        table.loc[row, column] = change(table)
    else:
        name, value = change.split("=")
        if table[name].dtype.kind in "iu" and float(value) > 2**62:
            table[name] = table[name].astype("float64")
        table.loc[row, name] = float(value)
    errors = extracts.check(tiny.write(tmp_path, **{frame: table}))
    assert [(e.file, e.column, e.rows) for e in errors] == [(f"{frame}.parquet", column, (row + 1,))], errors
    assert problem in errors[0].problem


def test_a_contract_problem_is_said_in_the_readers_language(tmp_path):
    """Pages showed the problem in English to Thai and Lao data stewards; the record keeps the message to translate."""
    table = tiny.frames()["observations"]
    table.loc[0, "denominator"] = 0.0
    (error,) = extracts.check(tiny.write(tmp_path, observations=table))
    assert error.text("en") == error.problem and "denominator of 0" in error.problem
    assert error.text("th").startswith("ตัวหารเป็น 0") and error.text("lo").startswith("ຕົວຫານເປັນ 0")
    again = extracts.ContractError.from_record(json.loads(json.dumps(dict(error.__dict__), default=list)))  # as kept
    assert again.text("th") == error.text("th") and again.rows == error.rows
    # Counts in the reader's locale: Lao groups thousands with a dot.
    counted = extracts.ContractError("o.parquet", "value", (), 0, "", "{count} rows", dict(count=15735))
    assert (counted.text("en"), counted.text("lo")) == ("15,735 rows", "15.735 rows")


def test_a_refusal_names_its_areas_in_the_readers_script_from_the_record_kept():
    """A publish refused for a province's figures off names the areas (they read "67, 6701"): in Thai script for a
    Thai reader, in English for an English one, from the record the Data page and the banner read back."""
    suspect = plausibility.Suspect("enrol", 0.01, 4, True, 40, ("67", "6701", "reo:17"))
    areas = pd.DataFrame(
        dict(
            area_id=["67", "6701", "reo:17"],
            name_en=["Phetchabun", "Mueang Phetchabun", "REO 17"],
            name_local=["เพชรบูรณ์", "เมืองเพชรบูรณ์", "ศึกษาธิการภาค 17"],
        )
    )
    message, values = suspect.message()
    values["named"] = {lang: suspect.named(lang, None, areas, "th") for lang in i18n.LANGUAGES}
    error = extracts.ContractError("observations.parquet", "value", (), 0, "", message, values)
    again = extracts.ContractError.from_record(json.loads(json.dumps(dict(error.__dict__), default=list)))
    assert again.text("th").endswith(": เพชรบูรณ์, เมืองเพชรบูรณ์, ศึกษาธิการภาค 17")
    assert again.text("en").endswith(": Phetchabun, Mueang Phetchabun, REO 17")
    assert again.text("lo").endswith(": Phetchabun, Mueang Phetchabun, REO 17")  # Thai areas for a Lao reader
    # A record written before areas were named: their ids, as before.
    del values["named"]
    assert (
        extracts.ContractError("o.parquet", "value", (), 0, "", message, values)
        .text("th")
        .endswith(": 67, 6701, reo:17")
    )
