"""Finding a school by name or code: the closest first, within the reader's scope only, typed text taken literally."""

import pytest

from cockpit import settings
from cockpit.data import access
from cockpit.data.db import Database
from cockpit.review import schools


@pytest.fixture(scope="module")
def db():
    return Database(settings.load().data_url)


def everywhere(db):
    return access.whole_country(db.query("th", "data/province_ids")["area_id"])


def test_a_whole_code_comes_first_and_names_follow_the_reader(db):
    found = schools.search(db, "th", everywhere(db), "  th67010001 ", "th")
    assert found["school_id"].iloc[0] == "TH67010001"
    assert found["province"].iloc[0] == "เพชรบูรณ์"
    english = schools.search(db, "th", everywhere(db), "TH67010001", "en")
    assert english["province"].iloc[0] == "Phetchabun"


def test_a_name_finds_schools_and_the_list_is_bounded(db):
    name = db.query("th", "review/province/schools", scope=everywhere(db), province_id="50")["name"].iloc[0]
    found = schools.search(db, "th", everywhere(db), name.upper(), "en")
    assert name in set(found["name"])
    assert found["name"].str.lower().str.contains(name.lower(), regex=False).all()
    many = schools.search(db, "th", everywhere(db), "school", "en")
    assert len(many) == schools.MOST_SHOWN


def test_the_scope_is_applied_in_the_query(db):
    own = access.Scope(province_ids=("67",))
    assert schools.search(db, "th", own, "TH50010001", "en").empty
    assert set(schools.search(db, "th", own, "school", "en")["province_id"]) == {"67"}


def test_empty_and_pattern_text_find_nothing(db):
    assert schools.search(db, "th", everywhere(db), "   ", "en").empty
    assert schools.search(db, "th", everywhere(db), "%", "en").empty
    assert schools.search(db, "th", everywhere(db), "_", "en").empty
