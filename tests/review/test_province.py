"""A province's and a region's review: figures checked by hand on the tiny extract; scope; maps and charts."""

import json
import unicodedata
from datetime import UTC, date, datetime, timedelta

import pandas as pd
import pytest
import tiny
from identities import secretary

from cockpit import clock, i18n, settings
from cockpit.alerts import lifecycle
from cockpit.data import access, geo, indicators
from cockpit.data.db import Database
from cockpit.figures import province_charts, province_maps, short_text
from cockpit.meeting import decisions
from cockpit.review import province, regions
from cockpit.state import store

SCOPE = access.Scope(("P1", "P2"))


@pytest.fixture(scope="module")
def tiny_db(tmp_path_factory):
    directory = tmp_path_factory.mktemp("tiny")
    tiny.write(directory / "xx")
    return tiny.served(directory)


@pytest.fixture(scope="module")
def demo_db():
    return Database(settings.load().data_url)


@pytest.fixture(scope="module")
def th_scope(demo_db):
    return access.whole_country(demo_db.query("th", "data/province_ids")["area_id"])


@pytest.fixture(scope="module")
def phetchabun(demo_db, th_scope):
    return province.review(demo_db, "th", "67", th_scope, "en")


def kpi(rv, indicator_id):
    return rv.kpis.set_index("indicator_id").loc[indicator_id]


def test_a_province_against_its_target_region_and_nation(tiny_db):
    rv = province.review(tiny_db, "xx", "P1", SCOPE, "en")
    enrol = kpi(rv, "enrol")
    # P1 = (80 + 30) / (100 + 50); nation = (80 + 30 + 45) / 200; the year before (70 + 25) / 150.
    assert enrol["value"] == pytest.approx(100 * 110 / 150)
    assert enrol["nation_value"] == pytest.approx(77.5)
    assert enrol["region_value"] == pytest.approx(100 * 110 / 150)  # Office 1 holds P1 alone
    assert enrol["target"] == pytest.approx(80.0)
    assert enrol["previous_value"] == pytest.approx(100 * 95 / 150)
    assert enrol["change"] == pytest.approx(10.0)
    assert enrol["change_kind"] == "improved"
    # 6.7 points behind a trajectory of 80, more than its tolerance (5% of 80), and 92% of the target
    assert enrol["status"] == "off_track" and enrol["previous_status"] == "off_track"
    assert enrol["status_reason"] == "92% of target, 6.7 pts behind the trajectory"
    assert (enrol["rank"], enrol["ranked_provinces"]) == (2, 2)  # P2 enrols 90%
    assert (enrol["group_rank"], enrol["group_provinces"]) == (1, 1)
    assert (enrol["vs_region"], enrol["vs_nation"]) == ("same", "worse")
    assert enrol["value_label"] == "73.3%" and enrol["change_label"] == "+10.0 pts"
    assert enrol["rank_label"] == "2 of 2"
    assert enrol["trend"] == pytest.approx([100 * 95 / 150, 100 * 110 / 150])
    closed = kpi(rv, "closed")  # a count, lower is better: 1 + 3 closures, none the year before on record
    assert closed["value"] == 4 and closed["status"] == "off_track" and closed["rank"] == 2
    assert pd.isna(closed["change_kind"])
    assert kpi(rv, "score")["status"] == "met"  # 55 against a target of 50
    assert kpi(rv, "score")["status_reason"] == "Target met (50.0)"
    counts = {"off_track": 3, "at_risk": 0, "on_track": 0, "met": 1, "no_data": 0}
    assert province.status_counts(rv.kpis) == counts
    assert rv.group_name == "Office 1" and rv.nation_name == "Testland"
    assert rv.area_ids == ["P1", "D1", "D2"]
    assert (rv.profile["schools"], rv.profile["students"], rv.profile["teachers"]) == (2, 150, 8)


def test_districts_are_ranked_within_the_province(tiny_db):
    rv = province.review(tiny_db, "xx", "P1", SCOPE, "en")
    table = province.district_table(rv, "enrol")
    assert list(table["name"]) == ["D One", "D Two"]
    assert list(table["value"]) == pytest.approx([80.0, 60.0])
    assert list(table["rank_label"]) == ["1 of 2", "2 of 2"]
    assert list(table["is_priority"]) == [False, True]
    values, statuses = province.district_matrix(rv)
    assert values.loc["D Two", "score"] == pytest.approx(60.0)
    assert statuses.loc["D One", "enrol"] == "met"  # 80 against a target of 80


def test_the_scope_is_enforced_in_the_queries(tiny_db):
    only_p2 = access.Scope(("P2",))
    with pytest.raises(LookupError):
        province.review(tiny_db, "xx", "P1", only_p2, "en")
    for name, params in (
        ("review/province/kpis", dict(province_id="P1", group_key="reo:1")),
        ("review/province/series", dict(province_id="P1", group_key="reo:1", since=tiny.Y1)),
        ("review/province/districts", dict(province_id="P1")),
        ("review/province/schools", dict(province_id="P1")),
        ("review/province/profile", dict(province_id="P1")),
        ("review/province/district_series", dict(province_id="P1", indicator_id="enrol", since=tiny.Y1)),
    ):
        assert tiny_db.query("xx", name, scope=only_p2, **params).empty, name
    # A region's review shows only the provinces in scope, and still the region and the nation.
    rr = regions.region_review(tiny_db, "xx", "region6:all", only_p2, "en")
    assert rr.province_ids == ["P2"]
    assert set(rr.values["role"]) == {"province", "region", "nation"}


def test_names_from_the_extracts_are_drawn_as_written_not_as_markup(tmp_path):
    frames = tiny.frames()
    areas, groups = frames["areas"], frames["area_groups"]
    areas.loc[areas["area_id"] == "P2", "name_en"] = "<b>South</b>"
    groups.loc[groups["group_type"] == "region6", "group_name_en"] = "All<br>of it"
    tiny.write(tmp_path / "xx", areas=areas, area_groups=groups)
    db = tiny.served(tmp_path)
    rr = regions.region_review(db, "xx", "region6:all", access.Scope(("P1", "P2")), "en")
    # The strips are ECharts, which draws text as text and whose tooltip Streamlit fills with escaped values: names
    # go in as written, and the tooltip names nothing but those values.
    spec = province_charts.region_strips(rr, ("black",)).spec
    names = {point["value"][2] for series in spec["series"] for point in series["data"]}
    assert "<b>South</b>" in names and not any("&lt;" in name for name in names)
    assert "All<br>of it" in {series.get("name") for series in spec["series"]}
    assert spec["tooltip"]["formatter"] == "{@[2]}: {@[3]}"
    trend = province_charts.trend_figure(province.review(db, "xx", "P2", access.Scope(("P1", "P2")), "en"), "enrol")
    assert "&lt;b&gt;South&lt;/b&gt;" in {trace.name for trace in trend.data}


def test_reviews_and_their_figures_are_kept_per_version_and_scope(tmp_path):
    tiny.write(tmp_path / "xx")
    db = tiny.served(tmp_path)
    wider, only_p1 = access.Scope(("P1", "P2")), access.Scope(("P1",))
    first = province.review(db, "xx", "P1", wider, "en")
    figure = province_charts.trend_figure(first, "enrol")
    again = province.review(db, "xx", "P1", wider, "en")
    assert province_charts.trend_figure(again, "enrol") is figure  # built once for this version and reader
    # What one reader's scope holds is never served to another reader: each scope has its own entries.
    assert sorted(regions.region_review(db, "xx", "region6:all", wider, "en").province_ids) == ["P1", "P2"]
    assert regions.region_review(db, "xx", "region6:all", only_p1, "en").province_ids == ["P1"]
    province.review(db, "xx", "P2", wider, "en")
    with pytest.raises(LookupError):
        province.review(db, "xx", "P2", only_p1, "en")
    mine = province.review(db, "xx", "P1", only_p1, "en")
    assert province_charts.trend_figure(mine, "enrol") is not figure

    # A new publish: D1 enrols 90 of 100 instead of 80; the next review and its figures show it.
    obs = tiny.frames()["observations"]
    d1 = (obs["area_id"] == "D1") & (obs["indicator_id"] == "enrol") & (obs["period_start"] == tiny.Y2)
    obs.loc[d1, ["value", "numerator"]] = [90.0, 90.0]
    tiny.write(tmp_path / "xx", observations=obs)
    tiny.served(tmp_path)
    newer = province.review(db, "xx", "P1", wider, "en")
    assert newer.extract_version != first.extract_version
    assert kpi(newer, "enrol")["value"] == pytest.approx(100 * 120 / 150)
    assert kpi(first, "enrol")["value"] == pytest.approx(100 * 110 / 150)  # the review already made is unchanged
    shown = province_charts.trend_figure(newer, "enrol")
    own = [t for t in shown.data if t.name == newer.name and t.mode == "lines"]
    assert own[0].y[-1] == pytest.approx(100 * 120 / 150)
    enrol = regions.region_review(db, "xx", "region6:all", wider, "en").kpis.set_index("indicator_id").loc["enrol"]
    assert enrol["nation_value"] == pytest.approx(100 * 165 / 200)


def test_alerts_and_decisions_belong_to_the_province_and_its_districts(tiny_db, tmp_path):
    engine = store.engine("sqlite:///" + str(tmp_path / "state.db"))
    now = datetime(2026, 11, 1, tzinfo=UTC)
    firing = [
        lifecycle.Firing("enrol-low", "D1", "enrol", tiny.Y2, "high", "Enrolment low"),
        lifecycle.Firing("enrol-low", "D3", "enrol", tiny.Y2, "medium", "Enrolment low"),
    ]
    lifecycle.sync(engine, firing, ["enrol-low"], now=now, area_ids=["P1", "P2", "D1", "D2", "D3"])
    yesterday = clock.today() - timedelta(days=1)
    decisions.record(
        engine,
        "xx",
        "Visit D Two",
        "PEO",
        "area",
        "P1",
        secretary("tester", "xx"),
        meeting_date=yesterday - timedelta(days=7),
        due_date=yesterday,
        area_id="D2",
    )
    decisions.record(engine, "xx", "Not ours", "PEO", "area", "P2", secretary("tester", "xx"), area_id="P2")
    for text, area in (("Enrol them", "P1"), ("Enrol them in D One", "D1")):
        decisions.record(engine, "xx", text, "PEO", "indicator", "enrol", secretary("tester", "xx"), area_id=area)
    rv = province.review(tiny_db, "xx", "P1", SCOPE, "en", engine=engine)
    # What each decision is about: the area; a KPI by its name, with its district when not the province's own.
    about = dict(zip(rv.decisions["text"], rv.decisions["about"], strict=True))
    kpi = rv.kpis.set_index("indicator_id").loc["enrol", "name"]
    assert about == {"Visit D Two": "D Two", "Enrol them": kpi, "Enrol them in D One": f"{kpi} · D One"}
    assert list(rv.alerts["place"]) == ["D One"]
    assert rv.alerts.iloc[0]["severity_label"] == "High" and rv.alerts.iloc[0]["period"] == "SY 2024–25"
    assert province.severity_counts(rv) == {"critical": 0, "high": 1, "medium": 0, "low": 0}
    visit = rv.decisions[rv.decisions["text"] == "Visit D Two"].iloc[0]
    assert "Not ours" not in set(rv.decisions["text"])
    assert bool(visit["overdue"]) and visit["place"] == "D Two"
    # Without a store the review has empty tables with their columns, for the page's empty states.
    bare = province.review(tiny_db, "xx", "P1", SCOPE, "en")
    assert bare.alerts.empty and list(bare.alerts.columns) == province.ALERT_COLUMNS
    assert bare.decisions.empty and list(bare.decisions.columns) == province.DECISION_COLUMNS


def test_policy_progress_of_the_province(tiny_db):
    rv = province.review(tiny_db, "xx", "P1", SCOPE, "en")
    row = rv.policies.set_index("policy_id").loc["POL1"]
    assert (row["progress_pct"], row["planned_pct"], row["gap"]) == (40.0, 50.0, -10.0)
    assert row["status"] in ("at_risk", "off_track") and row["gap_label"].endswith("pts")
    assert rv.policy_period == tiny.Y2


def test_biggest_changes_compare_units_fairly(phetchabun):
    worse = province.biggest_changes(phetchabun.kpis, "worsened")
    better = province.biggest_changes(phetchabun.kpis, "improved")
    assert "dropout_rate" in set(worse["indicator_id"])  # the demo's story: dropout rising in Phetchabun
    assert (worse["relative_change"] < 0).all() and (better["relative_change"] > 0).all()
    assert list(worse["relative_change"]) == sorted(worse["relative_change"])


def test_a_province_is_found_by_code_iso_code_or_name(demo_db, th_scope):
    choices = province.provinces(demo_db, "th", th_scope, "th")
    assert len(choices) == 77
    assert province.resolve(choices, "67") == "67"
    assert province.resolve(choices, "th-67") == "67"
    assert province.resolve(choices, "Phetchabun") == "67"
    assert province.resolve(choices, "99") is None
    # Thai dictionary order: a leading vowel sorts after its consonant (เพชรบูรณ์ under พ, before ภูเก็ต).
    names = list(choices["name"])
    assert names.index("เพชรบูรณ์") < names.index("ภูเก็ต") < names.index("แม่ฮ่องสอน")
    assert names[0] == "กระบี่"


def test_fit_ranges_frame_the_box_in_web_mercator():
    box = (100.8, 15.4, 101.6, 17.1)
    x_range, y_range = province_maps.fit_ranges(box)
    assert x_range[0] < box[0] < box[2] < x_range[1]
    assert y_range[0] < province_maps.mercator_y(box[1]) < province_maps.mercator_y(box[3]) < y_range[1]
    # the same margin on every side, a share of the longer extent
    pad = box[0] - x_range[0]
    assert x_range[1] - box[2] == pytest.approx(pad) and province_maps.mercator_y(box[1]) - y_range[0] == pytest.approx(
        pad
    )
    assert pad == pytest.approx(
        province_maps.MARGIN * (province_maps.mercator_y(17.1) - province_maps.mercator_y(15.4))
    )
    assert province_maps.mercator_y(0) == pytest.approx(0) and province_maps.mercator_y(45) > 45  # north stretched


def _figure(fig) -> dict:
    return json.loads(fig.to_json())


def test_district_map_is_the_province_on_real_boundaries(phetchabun):
    lines = ["<b>{name}</b>", "Value: {value_label}", "{status_label}: {status_reason}"]
    fig = _figure(province_maps.district_map(phetchabun, "dropout_rate", lines))
    shapes = [t for t in fig["data"] if isinstance(t.get("meta"), dict) and "district" in t["meta"]]
    assert sorted(t["meta"]["district"] for t in shapes) == [f"67{i:02d}" for i in range(1, 12)]
    assert all(t["meta"]["status"] in indicators.STATUS_COLORS for t in shapes)
    rows = province.district_table(phetchabun, "dropout_rate").set_index("area_id")
    first = shapes[0]
    row = rows.loc[first["meta"]["district"]]
    r, g, b = indicators.status_rgb(row["status"])
    assert first["fillcolor"].startswith(f"rgba({r}, {g}, {b}")  # coloured by its status on the KPI
    # its tooltip, on hovering the shape, with the district's figures; long lines wrapped to the map's width
    assert first["hoveron"] == "fills" and first["name"].startswith(
        f"<b>{row['name']}</b><br>Value: {row['value_label']}"
    )
    assert all(len(line) <= province_maps.WRAP + 20 for line in first["name"].split("<br>"))
    hover_free = [t for t in fig["data"] if t not in shapes]
    assert hover_free and all(t["hoverinfo"] == "skip" for t in hover_free)  # the neighbours and the outline
    # fitted: every district inside the ranges, one unit of y to one of x, nothing fetched (no geo, no mapbox)
    layout = fig["layout"]
    west, south, east, north = province_maps.bounds(province_maps.province_features("th", "67")[0])
    assert layout["xaxis"]["range"][0] < west < east < layout["xaxis"]["range"][1]
    y_south, y_north = province_maps.mercator_y(south), province_maps.mercator_y(north)
    assert layout["yaxis"]["range"][0] < y_south < y_north < layout["yaxis"]["range"][1]
    assert layout["yaxis"]["scaleanchor"] == "x" and layout["yaxis"]["scaleratio"] == 1
    assert {t["type"] for t in fig["data"]} == {"scatter"} and "geo" not in layout and "mapbox" not in layout
    assert province_maps.district_map(phetchabun, "dropout_rate", lines) is province_maps.district_map(
        phetchabun, "dropout_rate", list(lines)
    )  # a rerun reuses it


def test_a_tooltip_line_is_filled_escaped_and_wrapped():
    assert (
        province_maps.fill("<b>{name}</b> · {rank}", {"name": "A & <B>", "rank": 3}) == "<b>A &amp; &lt;B&gt;</b> · 3"
    )
    assert province_maps.fill("{missing}", {}) == "{missing}"
    long = "ไม่เป็นไปตามเป้า: 18% ของเป้าหมาย ตามหลังเส้นทางสู่เป้าหมาย 2.1 จุด"
    assert province_maps.wrap(long, 36) == "ไม่เป็นไปตามเป้า: 18% ของเป้าหมาย<br>ตามหลังเส้นทางสู่เป้าหมาย 2.1 จุด"
    assert province_maps.wrap("short", 36) == "short"


def test_schools_map_has_every_school_to_click_and_each_school_has_a_card(phetchabun):
    fig = _figure(province_maps.school_map(phetchabun, ["<b>{name}</b>", "{type_label} · {district}"]))
    schools = next(t for t in fig["data"] if t.get("name") == "schools")
    assert schools["mode"] == "markers" and len(schools["customdata"]) == 423 == phetchabun.profile["schools"]
    first = schools["customdata"][0]
    card = province.school(phetchabun, first)
    assert schools["text"][0] == f"<b>{card['name']}</b><br>{card['type_label']} · {card['district']}"
    assert schools["y"][0] == pytest.approx(province_maps.mercator_y(card["lat"]))
    assert card["pupils_per_teacher"] == pytest.approx(card["students"] / card["teachers"])
    assert province.school(phetchabun, "no-such-school") is None
    assert province.school_types(phetchabun)["schools"].sum() == 423
    # a click selects a point: its customdata is the school's code, whatever else the selection carries
    click = {"points": [{"curve_number": 40, "point_index": 0, "customdata": first}]}
    assert province_maps.clicked_school(click) == first
    assert province_maps.clicked_school({"points": [{"customdata": [first]}]}) == first
    assert province_maps.clicked_school({"points": []}) is None and province_maps.clicked_school(None) is None


def test_region_review_puts_provinces_side_by_side(demo_db, th_scope):
    rr = regions.region_review(demo_db, "th", "reo:11", th_scope, "en")
    assert sorted(rr.province_ids) == ["47", "48", "49"]  # Sakon Nakhon, Nakhon Phanom, Mukdahan
    labels, statuses = regions.region_matrix(rr, ("black",))
    assert list(labels.columns[-2:]) == ["reo:11", "TH"]
    assert set(statuses.stack()) <= set(indicators.STATUS_COLORS)
    assert len(labels) == (rr.kpis["wall"] == "black").sum()
    dropout = rr.values[(rr.values["indicator_id"] == "dropout_rate") & (rr.values["area_id"] == "48")].iloc[0]
    assert labels.loc["dropout_rate", "48"] == dropout["value_label"]
    strips = province_charts.region_strips(rr, ("black",))
    series = {s.get("name", f"text {i}"): s["data"] for i, s in enumerate(strips.spec["series"])}
    titles = [point["value"][2] for point in series[f"text {len(series) - 1}"]]
    assert len(titles) == len(labels)
    assert titles[list(labels.index).index("dropout_rate")].endswith("Lower is better")
    # Every strip on one pair of axes, one series per mark (and the scales' ends and the titles), not one per KPI.
    assert isinstance(strips.spec["xAxis"], dict) and len(series) <= 7
    others, mine = series["Other provinces"], series["Provinces of the region"]
    assert len(mine) == len(labels) * 3
    assert min(p["value"][0] for p in others) >= 0 and max(p["value"][0] for p in others) <= 1
    assert {p["value"][2] for p in mine} == {"Sakon Nakhon", "Nakhon Phanom", "Mukdahan"}
    # Each of the region's provinces in its status's colour; the others grey, as one.
    assert {p["itemStyle"]["color"] for p in mine} <= {indicators.hex_color(s) for s in indicators.STATUS_COLORS}
    assert not any("itemStyle" in p for p in others)
    assert strips.height == len(labels) * 64 + 90


def test_trend_figure_draws_the_chosen_kpi_against_region_nation_and_target_on_one_pair_of_axes(phetchabun):
    indicator_id = phetchabun.kpis["indicator_id"].iloc[0]
    fig = province_charts.trend_figure(phetchabun, indicator_id)
    names = {t.name for t in fig.data if t.name}
    assert {"Phetchabun", "Regional Education Office 17", "Thailand", "Target"} <= names
    # One pair of axes, whatever the KPI: a subplot per KPI made the browser draw 2 axes each.
    assert "xaxis2" not in fig.layout and len(fig.data) <= 5
    own = [t for t in fig.data if t.name == "Phetchabun"][0]
    series = phetchabun.series
    mine = series[(series["indicator_id"] == indicator_id) & (series["role"] == "province")]
    assert list(own.y) == list(mine.sort_values("period_start")["value"])[-len(own.y) :]
    assert province_charts.trend_figure(phetchabun, indicator_id) is fig


def test_boundaries_exist_for_every_district_with_data(demo_db, th_scope):
    rv = province.review(
        demo_db, "la", "LA-LP", access.whole_country(demo_db.query("la", "data/province_ids")["area_id"]), "lo"
    )
    codes = {f["properties"]["code"] for f in geo.boundaries("la", "district")["features"]}
    assert set(rv.district_ids) <= codes
    assert rv.name == "ຫຼວງພະບາງ" and rv.group_name == "ພາກເໜືອ"


def test_thai_and_lao_are_cut_between_clusters_never_inside_one():
    text = "อัตราการเข้าเรียนสุทธิ ระดับประถมศึกษา"
    for length in range(5, len(text)):
        cut = short_text.shorten(text, length)
        assert cut.endswith("…") and len(cut) <= length
        kept = cut[:-1].rstrip()
        assert text.startswith(kept)
        following = text[len(kept)] if len(kept) < len(text) else " "
        # The character after the cut starts a cluster: no orphaned vowel or tone mark.
        assert following == " " or unicodedata.category(following) not in ("Mn", "Mc")
    assert "ເ" not in [text_[-1] for text_ in (short_text.shorten("ເມືອງເປົ້າໝາຍສາມສ້າງ", n)[:-1] for n in range(3, 20))]
    assert short_text.cluster_starts("สำนัก") == [2, 4]  # สำ, นั and ก: a vowel stays with its consonant


def test_short_periods_fit_an_axis():
    assert short_text.short_period(date(2025, 10, 1), "year", "th", "th") == "2569"
    assert short_text.short_period(date(2025, 10, 1), "year", "th", "en") == "FY2569"
    assert short_text.short_period(date(2025, 9, 1), "year", "la", "lo") == "2025–26"
    assert short_text.short_period(date(2025, 11, 1), "term", "th", "th") == "2/2568"
    assert short_text.short_period(date(2026, 5, 16), "term", "th", "en") == "1/2569"


def test_the_comparison_column_names_the_regional_education_office_not_a_geographic_region(demo_db, th_scope):
    """Thai pages, briefs and workbooks headed it ภูมิภาค (a geographic region) where the figure is the REO's."""
    thai = province.review(demo_db, "th", "67", th_scope, "th")
    assert thai.group_heading == "ศึกษาธิการภาค" and "ภูมิภาค" not in thai.group_heading
    lao_scope = access.whole_country(demo_db.query("la", "data/province_ids")["area_id"])
    lao = province.review(demo_db, "la", demo_db.query("la", "data/province_ids")["area_id"].iloc[0], lao_scope, "lo")
    assert lao.group_heading == i18n.tr("lo", "Region")  # Lao compares a province with its region (ພາກ)
