"""data/geo/th_esa_districts.csv: the secondary educational service area of each Thai district (see GROUPS.md)."""

from __future__ import annotations

import pandas as pd
import pytest

from cockpit.data import areas, geo


@pytest.fixture(scope="module")
def esa() -> pd.DataFrame:
    return pd.read_csv(geo.GEO_DIR / "th_esa_districts.csv", dtype=str, keep_default_na=False)


def test_one_row_per_district_of_the_boundaries(esa):
    features = [f["properties"] for f in geo.shared("th", "district")["features"]]
    assert esa["district_code"].is_unique
    assert sorted(esa["district_code"]) == sorted(f["code"] for f in features)
    by_code = {f["code"]: f["province_code"] for f in features}
    assert (esa["province_code"] == esa["district_code"].map(by_code)).all()


def test_each_esa_has_one_name(esa):
    assigned = esa[esa["secondary_esa_no"] != ""]
    names = assigned.groupby("secondary_esa_no")[["secondary_esa_name_th", "secondary_esa_name_en"]].nunique()
    assert (names == 1).all().all()
    assert assigned["secondary_esa_name_th"].str.startswith("สพม.").all()


def test_counts_found(esa):
    assigned = esa[esa["secondary_esa_no"] != ""]
    assert len(esa) == 928
    assert len(assigned) == 925
    assert assigned["secondary_esa_no"].nunique() == 62
    assert sorted(assigned["secondary_esa_no"].astype(int).unique()) == list(range(1, 63))
    # The three Bangkok districts the source has no secondary school in: left unassigned, not guessed.
    assert sorted(esa.loc[esa["secondary_esa_no"] == "", "district_code"]) == ["1018", "1031", "1043"]


def test_outside_bangkok_an_esa_covers_whole_provinces(esa):
    provincial = esa[esa["province_code"] != "10"]
    assert (provincial.groupby("province_code")["secondary_esa_no"].nunique() == 1).all()
    assert (provincial["secondary_esa_no"] != "").all()
    provinces_per_esa = provincial.groupby("secondary_esa_no")["province_code"].nunique()
    assert provinces_per_esa.max() == 3  # Phang-nga, Phuket and Ranong
    assert (provinces_per_esa == 2).sum() == 14
    assert (provinces_per_esa == 1).sum() == 45


def test_bangkok_is_split_between_two_offices_of_its_own(esa):
    bangkok = esa[esa["province_code"] == "10"]
    counts = bangkok["secondary_esa_no"].value_counts().to_dict()
    assert counts == {"2": 25, "1": 22, "": 3}
    assert not set(esa.loc[esa["province_code"] != "10", "secondary_esa_no"]) & {"1", "2"}


def test_a_district_is_named_for_the_reader_and_unknown_ones_are_blank():
    names = areas.secondary_esas("th", ["1001", "1004", "1018", "5001"], "th")
    assert names.to_dict() == {
        "1001": "สพม.กรุงเทพมหานคร เขต 1",
        "1004": "สพม.กรุงเทพมหานคร เขต 2",
        "1018": "",
        "5001": "สพม.เชียงใหม่",
    }
    assert areas.secondary_esas("th", ["5001"], "en").to_dict() == {"5001": "Chiang Mai Secondary ESA"}
    assert (areas.secondary_esas("la", ["LA0101"], "lo") == "").all()


def test_a_district_s_office_by_its_number():
    numbers = areas.secondary_esa_numbers("th", ["1001", "1004", "1018", "5001"])
    assert numbers.to_dict() == {"1001": "1", "1004": "2", "1018": "", "5001": "12"}
    assert (areas.secondary_esa_numbers("la", ["LA0101"]) == "").all()


def test_a_province_names_the_offices_of_its_districts():
    assert areas.province_secondary_esas("th", "10", "th") == ["สพม.กรุงเทพมหานคร เขต 1", "สพม.กรุงเทพมหานคร เขต 2"]
    assert areas.province_secondary_esas("th", "82", "en") == ["Phang-nga Phuket Ranong Secondary ESA"]
    assert areas.province_secondary_esas("la", "LA-VT", "lo") == []
