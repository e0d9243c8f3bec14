"""The Explorer, the Indicator catalogue and Data quality: AppTest by URL, as a shared link opens them."""

import json
import re

import pandas as pd
import pyarrow as pa
import pytest
from conftest import ROOT
from identities import demo, sign_in
from streamlit.testing.v1 import AppTest

from cockpit import settings
from cockpit.data import areas, indicators
from cockpit.data.access import whole_country
from cockpit.data.db import Database
from cockpit.demo import stories
from cockpit.figures import short_text
from cockpit.review import catalogue, explore
from cockpit.ui import links


def page(path: str, **params) -> AppTest:
    at = AppTest.from_file(str(ROOT / "app.py"), default_timeout=120)
    for key, value in params.items():
        at.query_params[key] = value
    at.switch_page(path)
    return at.run()


def _param(at, key):
    value = at.query_params[key]
    return value if isinstance(value, str) else value[0]


@pytest.fixture(scope="module")
def db():
    return Database(settings.load().data_url)


def test_priority_districts_against_the_others_by_sex_over_five_years(db):
    """Done-when 1: dropout in the 40 Lao priority districts against the others, girls and boys, five years."""
    link = dict(
        country="la", lang="en", view="series", indicator="dropout_rate", level="district", areas="priority", sex="sex"
    )
    at = page("views/explore.py", **link)
    assert not at.exception, at.exception
    assert {k: _param(at, k) for k in link} == link  # the link survives: every choice is in the URL
    spec = json.loads(at.get("vega_lite_chart")[0].proto.spec)
    lines = set(spec["encoding"]["color"]["scale"]["domain"])
    titles = [field["title"] for field in spec["encoding"]["tooltip"]]
    assert len(set(titles)) == len(titles)  # Vega's tooltip keys its rows by title: a repeated one hides a row
    assert lines == {
        "Selected areas · Girls and women",
        "Selected areas · Boys and men",
        "The others · Girls and women",
        "The others · Boys and men",
    }
    scope = areas.full_scope(db, "la")
    geo = explore.geography(db, "la", scope)
    assert len(geo.members("district", "priority")) == 40
    series = explore.set_series(
        db, "la", "dropout_rate", geo, "district", "priority", pd.Timestamp("2021-01-01").date(), scope
    )
    assert series["period_start"].nunique() == 5
    # a ratio of sums, by hand, from the districts' own rows
    rows = db.query(
        "la",
        "explore/values",
        scope=scope,
        indicator_id="dropout_rate",
        level="district",
        since=pd.Timestamp("2021-01-01").date(),
    )
    newest = rows["period_start"].max()
    mine = rows[
        rows["area_id"].isin(geo.members("district", "priority"))
        & (rows["sex"] == "female")
        & (rows["period_start"] == newest)
    ]
    expected = 100 * mine["numerator"].sum() / mine["denominator"].sum()
    got = series[(series["side"] == "set") & (series["sex"] == "female") & (series["period_start"] == newest)]
    assert got["value"].iloc[0] == pytest.approx(expected)
    assert len(at.get("download_button")) == 2


def test_provinces_with_high_dropout_and_a_teacher_shortage():
    """Done-when 2: Thai provinces with both high dropout and teacher vacancies, labelled, listed."""
    at = page(
        "views/explore.py",
        country="th",
        lang="en",
        view="scatter",
        indicator="dropout_rate",
        indicator2="teacher_vacancy_rate",
        level="province",
    )
    assert not at.exception, at.exception
    both = at.dataframe[0].value
    assert 5 <= len(both) <= 40
    assert "Mae Hong Son" in set(both.iloc[:, 0])  # a dropout story province, remote and short of teachers


@pytest.mark.parametrize("view", ["bar", "map", "pivot"])
def test_every_view_draws_in_thai_and_lao(view):
    for country, lang, level in (("th", "th", "reo"), ("la", "lo", "province")):
        at = page(
            "views/explore.py", country=country, lang=lang, view=view, indicator="ner_primary", level=level, sex="sex"
        )
        assert not at.exception, (country, view, at.exception)


def test_drill_down_and_breadcrumbs(db):
    geo = explore.geography(db, "th", areas.full_scope(db, "th"))
    assert geo.drill("reo", "reo:11") == ("province", "reo:11")
    assert geo.drill("province", "58") == ("district", "58")
    assert geo.drill("district", "5801") is None
    crumbs = geo.breadcrumbs("district", "58")
    assert [c[0] for c in crumbs][0] == "all" and crumbs[-1] == ("58", "district", "58")
    assert len(geo.members("district", "58")) == 7


def test_a_wrong_set_in_the_link_is_reported():
    at = page("views/explore.py", country="th", lang="en", areas="nowhere")
    assert not at.exception
    assert any("areas=nowhere" in w.value.replace("\\", "") for w in at.warning)


@pytest.mark.parametrize("country", ["th", "la"])
def test_every_indicator_has_a_complete_entry_in_three_languages(db, country):
    cat = indicators.catalogue(db, country)
    assert all(catalogue.complete(row) for _, row in cat.iterrows())
    at = page("views/indicators.py", country=country, lang="lo")
    assert not at.exception, at.exception
    for indicator_id in ("dropout_rate", "reporting_completeness"):
        at = page("views/indicators.py", country=country, lang="th", indicator=indicator_id)
        assert not at.exception, at.exception
        facts = at.table[0].value
        assert len(facts) >= 12
        assert len(at.table[1].value) == 3  # th, lo, en


def test_quality_shows_the_late_source_and_weak_districts(db):
    at = page("views/quality.py", country="th", lang="en")
    assert not at.exception, at.exception
    late = indicators.name(indicators.catalogue(db, "th").loc[stories.TH_LATE_SOURCE], "en")
    assert any(late in w.value.replace("\\", "") for w in at.warning)
    sources = next(d.value for d in at.dataframe if "timeliness_label" in d.value.columns)
    assert sources["timeliness_label"].iloc[0].startswith("Late")  # first, where it was last
    assert f"indicator={stories.TH_LATE_SOURCE}#" in sources["link"].iloc[0]
    worst = at.dataframe[-1].value
    assert len(worst) == 20
    assert {"Mae Hong Son", "Narathiwat"} & set(worst["province"].head(8))
    at = page("views/quality.py", country="la", lang="lo")
    assert not at.exception, at.exception


@pytest.mark.parametrize("lang", ["th", "lo", "en"])
def test_qualitys_provinces_are_named_whole_beside_the_map(lang):
    """Beside the map, "Phra Nakhon Si Ayutthaya" was cut in 110 px and "Completeness" in 100: reported and expected
    share a column ("0 / 16"), the province and completeness are as wide as they need, within the table's 532 px,
    and the districts missing wrap in what is left; the weakest districts' names are whole too."""
    at = page("views/quality.py", country="la" if lang == "lo" else "th", lang=lang)
    assert not at.exception, at.exception
    grid = next(d for d in at.dataframe if "missing_label" in d.value.columns)
    config = json.loads(grid.proto.columns)
    shown = list(grid.proto.column_order)
    assert shown == ["link", "reported_label", "completeness_label", "missing_label"]
    assert sum(config[c]["width"] for c in shown) <= 532
    for column in shown:
        cells = [links.cell_text(c) for c in grid.value[column]] if column == "link" else grid.value[column]
        lines = [line for cell in cells for line in str(cell).split("\n")]
        assert all(short_text.width_px(line) <= short_text.room_px(config[column]["width"]) for line in lines), column
    assert all(re.fullmatch(r"\d+ / \d+", r) for r in grid.value["reported_label"])
    weakest = at.dataframe[-1]  # the 20 districts reporting least: sized by the grid, "Mueang Mae Hong Son" was cut
    config = json.loads(weakest.proto.columns)
    for column in ("name", "province"):
        room = short_text.room_px(config[column]["width"])
        assert all(short_text.width_px(n) <= room for n in weakest.value[column]), column


def test_quality_writes_shares_as_percentages_in_period_order_and_says_when_no_value_is_implausible():
    at = page("views/quality.py", country="la", lang="lo")
    assert not at.exception, at.exception
    chart = next(c for c in at.get("vega_lite_chart") if "projection" not in json.loads(c.proto.spec))
    spec = json.loads(chart.proto.spec)
    x, y = spec["encoding"]["x"], spec["encoding"]["y"]
    assert x["sort"] is None  # the periods as given, oldest first: a month's label sorts wrongly by its letters
    assert y["axis"]["format"] == ".0%" and spec["config"]["locale"]["number"]["decimal"] == ","
    shares = list(pa.ipc.open_stream(chart.proto.data.data).read_pandas()["share"])  # Streamlit sends the data apart
    assert len(shares) >= 3 and all(0 <= s <= 1 for s in shares)
    # Thailand's demo districts have no outlier for the page's first indicator: a sentence, not an empty grid.
    at = page("views/quality.py", country="th", lang="en")
    assert any(c.value.endswith(": 0 found.") for c in at.caption)
    assert [s.value for s in at.success if "median" in s.value] == [
        "No district's value lies that far from the median."
    ]
    assert not any("median" in d.value.columns for d in at.dataframe)


@pytest.mark.parametrize(("who", "area"), [("provincial_office", "Phetchabun"), ("regional_office", "Office 17")])
def test_an_offices_indicator_entry_shows_its_own_areas_series(db, who, area):
    """An office's indicator entry showed the national series under "National series": it is the office's own
    area's, named, as its walls and Overview are; a national reader's is still the country's."""

    def series(at):
        assert not at.exception, at.exception
        heading = [m.value for m in at.markdown if m.value.endswith(": series**")]
        chart = json.loads(at.get("plotly_chart")[0].proto.spec)
        return heading, chart["data"][0]["y"]

    link = dict(country="th", lang="en", indicator="dropout_rate")
    office = AppTest.from_file(str(ROOT / "app.py"), default_timeout=120)
    sign_in(office, demo(who)).query_params.update(link)
    office_heading, office_values = series(office.switch_page("views/indicators.py").run())
    national_heading, national_values = series(page("views/indicators.py", **link))
    assert len(office_heading) == 1 and area in office_heading[0], office_heading
    assert national_heading == ["**Thailand: series**"]
    own = db.query(
        "th",
        "data/area_series",
        scope=whole_country(db.query("th", "data/province_ids")["area_id"]),
        area_id=demo(who).area_id,
        since=pd.Timestamp("1900-01-01").date(),
    )
    assert office_values == pytest.approx(list(own.loc[own["indicator_id"] == "dropout_rate", "value"]))
    assert office_values != national_values
