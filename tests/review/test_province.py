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
from cockpit.figures import province_charts, province_maps, short_text, vega_maps
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
    # The trend is Vega-Lite, which draws names as text too: as written, in the legend and the tooltip.
    trend = province_charts.trend_chart(province.review(db, "xx", "P2", access.Scope(("P1", "P2")), "en"), "enrol")
    assert "<b>South</b>" in {point["line"] for point in trend["layer"][0]["data"]["values"]}
    assert "<b>South</b>" in trend["layer"][0]["encoding"]["color"]["scale"]["domain"]


def test_reviews_and_their_figures_are_kept_per_version_and_scope(tmp_path):
    tiny.write(tmp_path / "xx")
    db = tiny.served(tmp_path)
    wider, only_p1 = access.Scope(("P1", "P2")), access.Scope(("P1",))
    first = province.review(db, "xx", "P1", wider, "en")
    figure = province_charts.trend_chart(first, "enrol")
    again = province.review(db, "xx", "P1", wider, "en")
    assert province_charts.trend_chart(again, "enrol") is figure  # built once for this version and reader
    # What one reader's scope holds is never served to another reader: each scope has its own entries.
    assert sorted(regions.region_review(db, "xx", "region6:all", wider, "en").province_ids) == ["P1", "P2"]
    assert regions.region_review(db, "xx", "region6:all", only_p1, "en").province_ids == ["P1"]
    province.review(db, "xx", "P2", wider, "en")
    with pytest.raises(LookupError):
        province.review(db, "xx", "P2", only_p1, "en")
    mine = province.review(db, "xx", "P1", only_p1, "en")
    assert province_charts.trend_chart(mine, "enrol") is not figure

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
    shown = province_charts.trend_chart(newer, "enrol")
    own = [point["value"] for point in shown["layer"][0]["data"]["values"] if point["line"] == newer.name]
    assert own[-1] == pytest.approx(100 * 120 / 150)
    assert shown["layer"][1]["data"]["values"][0]["value"] == pytest.approx(100 * 120 / 150)  # its status's point
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


def test_the_story_keeps_its_kpis_per_version_but_reads_alerts_and_decisions_each_time(tiny_db, tmp_path, monkeypatch):
    """The story's KPI part is made once per review key (briefs.story); what the store holds is read on every call."""
    from cockpit.documents import briefs

    made = []
    monkeypatch.setattr(briefs, "_kpi_story", lambda rv, make=briefs._kpi_story: made.append(rv) or make(rv))
    engine = store.engine("sqlite:///" + str(tmp_path / "state.db"))
    before = briefs.story(province.review(tiny_db, "xx", "P2", SCOPE, "en", engine=engine))
    made_before = len(made)  # 1, or 0 where another test of this module made it first
    assert any(p.text == "No open alerts." for p in before)
    firing = [lifecycle.Firing("enrol-low", "D3", "enrol", tiny.Y2, "high", "Enrolment low")]
    lifecycle.sync(engine, firing, ["enrol-low"], now=datetime(2026, 11, 1, tzinfo=UTC), area_ids=["P2", "D3"])
    decisions.record(engine, "xx", "Visit D Three", "PEO", "area", "P2", secretary("tester", "xx"), area_id="D3")
    after = briefs.story(province.review(tiny_db, "xx", "P2", SCOPE, "en", engine=engine))
    texts = [p.text for p in after]
    assert "No open alerts." not in texts
    assert any(t.startswith("1 open alert: 0 critical, 1 high") for t in texts)
    assert any("Visit D Three" in item for p in after for item in p.items)
    assert len(made) == made_before  # the KPIs' part is kept, not made again for the second review
    kpi_part = [p for p in before if not p.text.startswith(("No open alerts.", "Decisions:", "Policies"))]
    assert after[: len(kpi_part)] == kpi_part


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


def test_rings_are_wound_as_d3_reads_them():
    # d3-geo reads a ring on the sphere: an exterior wound counter-clockwise would be the globe but the shape
    square = [[100.0, 15.0], [101.0, 15.0], [101.0, 16.0], [100.0, 16.0], [100.0, 15.0]]  # counter-clockwise

    def twice_area(ring):
        return sum(x0 * y1 - x1 * y0 for (x0, y0), (x1, y1) in zip(ring, ring[1:], strict=False))

    assert twice_area(square) > 0
    assert twice_area(vega_maps.wound(square, exterior=True)) < 0  # the exterior turned clockwise
    assert vega_maps.wound(square, exterior=False) == square  # a hole stays counter-clockwise
    clockwise = square[::-1]
    assert vega_maps.wound(clockwise, exterior=True) == clockwise
    assert vega_maps.wound([[100.123456, 15.987654], *clockwise[1:]], True)[0] == [100.1235, 15.9877]  # rounded


def _layer(spec: dict, test) -> dict:
    return next(layer for layer in spec["layer"] if test(layer))


def test_district_map_is_the_province_on_real_boundaries(phetchabun):
    tooltip = [("name", "District"), ("value_label", "Value"), ("status_text", "Status")]
    spec = province_maps.district_map(phetchabun, "dropout_rate", tooltip)
    districts = _layer(spec, lambda layer: "fill" in layer.get("encoding", {}))
    shapes = districts["data"]["values"]
    assert sorted(s["properties"]["code"] for s in shapes) == [f"67{i:02d}" for i in range(1, 12)]
    assert all(s["properties"]["status"] in indicators.STATUS_COLORS for s in shapes)
    rows = province.district_table(phetchabun, "dropout_rate").set_index("area_id")
    first = shapes[0]["properties"]
    row = rows.loc[first["code"]]
    assert first["fill"] == indicators.hex_color(row["status"])  # coloured by its status on the KPI
    # its tooltip: the district's figures under the reader's titles, and why its status is what it is
    assert districts["encoding"]["tooltip"] == [
        {"field": "properties.name", "type": "nominal", "title": "District"},
        {"field": "properties.value_label", "type": "nominal", "title": "Value"},
        {"field": "properties.status_text", "type": "nominal", "title": "Status"},
    ]
    assert first["name"] == row["name"] and first["value_label"] == row["value_label"]
    assert first["status_text"] == f"{row['status_label']}: {row['status_reason']}"
    # the neighbours and the outline have no tooltip, and are clipped to the map's box
    others = [layer for layer in spec["layer"] if layer is not districts]
    assert len(others) == 2 and all("encoding" not in layer and layer["mark"]["clip"] for layer in others)
    # every ring wound for d3-geo: an exterior clockwise (else the map would fill the globe)
    for shape in shapes:
        for polygon in shape["geometry"]["coordinates"]:
            ring = polygon[0]
            assert sum(x0 * y1 - x1 * y0 for (x0, y0), (x1, y1) in zip(ring, ring[1:], strict=False)) < 0
    # fitted to the districts with a margin, in Mercator; drawn in SVG; nothing fetched (no url, no basemap)
    assert spec["projection"]["type"] == "mercator"
    (west, south), (east, north) = spec["projection"]["fit"]["geometry"]["coordinates"]
    w, s, e, n = province_maps.bounds(province_maps.province_features("th", "67")[0])
    pad = province_maps.MARGIN * max(e - w, n - s)
    assert (west, south, east, north) == pytest.approx((w - pad, s - pad, e + pad, n + pad))
    assert spec["usermeta"]["embedOptions"]["renderer"] == "svg"
    assert "url" not in json.dumps(spec)
    assert province_maps.district_map(phetchabun, "dropout_rate", tooltip) is province_maps.district_map(
        phetchabun, "dropout_rate", list(tooltip)
    )  # a rerun reuses it


def test_schools_map_has_every_school_to_click_and_each_school_has_a_card(phetchabun):
    tooltip = [("name", "School"), ("district", "District")]
    spec = province_maps.school_map(phetchabun, tooltip)
    schools = _layer(spec, lambda layer: "params" in layer)
    points = schools["data"]["values"]
    assert len(points) == 423 == phetchabun.profile["schools"]
    assert schools["params"] == [
        {"name": province_maps.SELECTION, "select": {"type": "point", "fields": ["school_id"], "on": "click"}}
    ]
    first = points[0]
    card = province.school(phetchabun, first["school_id"])
    assert (first["name"], first["district"]) == (card["name"], card["district"])
    assert (first["lon"], first["lat"]) == pytest.approx((card["lon"], card["lat"]))
    assert [t["field"] for t in schools["encoding"]["tooltip"]] == ["name", "district"]
    assert card["pupils_per_teacher"] == pytest.approx(card["students"] / card["teachers"])
    assert province.school(phetchabun, "no-such-school") is None
    assert province.school_types(phetchabun)["schools"].sum() == 423
    # a click selects a point: Streamlit's selection names it by its school_id
    school_id = first["school_id"]
    assert province_maps.clicked_school({province_maps.SELECTION: [{"school_id": school_id}]}) == school_id
    assert province_maps.clicked_school({province_maps.SELECTION: []}) is None
    assert province_maps.clicked_school({province_maps.SELECTION: {}}) is None  # nothing selected yet
    assert province_maps.clicked_school(None) is None


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


def test_trend_chart_draws_the_chosen_kpi_against_region_nation_and_target_on_one_pair_of_axes(phetchabun):
    indicator_id = phetchabun.kpis["indicator_id"].iloc[0]
    spec = province_charts.trend_chart(phetchabun, indicator_id)
    lines, last = spec["layer"]
    names = ["Phetchabun", "Regional Education Office 17", "Thailand", "Target"]
    assert lines["encoding"]["color"]["scale"]["domain"] == names  # one pair of axes, four lines and a point
    colors = [province_charts.LINE_COLORS[role] for role in ("province", "region", "nation", "target")]
    assert lines["encoding"]["color"]["scale"]["range"] == colors
    own = [p for p in lines["data"]["values"] if p["line"] == "Phetchabun"]
    series = phetchabun.series
    mine = series[(series["indicator_id"] == indicator_id) & (series["role"] == "province")]
    assert [p["value"] for p in own] == list(mine.sort_values("period_start")["value"])[-len(own) :]
    # the periods in time order, and the province's latest point in its status's colour
    kpi = phetchabun.kpis.set_index("indicator_id").loc[indicator_id]
    assert lines["encoding"]["x"]["sort"][-1] == own[-1]["period"] == last["data"]["values"][0]["period"]
    assert last["mark"]["color"] == indicators.hex_color(kpi["status"])
    # numbers in the reader's locale: axis and tooltip with the KPI's decimals; Lao marks in a Lao reader's chart
    number = f",.{int(kpi['decimals'])}f"
    assert lines["encoding"]["y"]["axis"]["format"] == number == lines["encoding"]["tooltip"][2]["format"]
    assert spec["config"]["locale"]["number"]["decimal"] == "."
    assert province_charts.trend_chart(phetchabun, indicator_id) is spec


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
