"""The four walls: the chain's roll-up rule, each wall's views on the demo data, pages under AppTest, and a new
extract showing at the next read."""

import base64
import re
import shutil
import time
from datetime import date, timedelta

import pandas as pd
import pytest
import sqlalchemy as sa
import tiny
from conftest import ROOT, TODAY
from identities import demo as demo_identity
from identities import secretary, sign_in
from streamlit.testing.v1 import AppTest

from cockpit import clock, i18n, periods, settings
from cockpit.alerts import evaluation, lifecycle, rules
from cockpit.data import access, areas, db, indicators
from cockpit.demo import stories
from cockpit.meeting import decisions, four_walls, walls
from cockpit.state import store
from cockpit.ui import wall_html

pytestmark = pytest.mark.calendar  # run again 400 days ahead and back by .ci/run (make test-calendar)

NOW = time.mktime((2026, 11, 22, 10, 0, 0, 0, 0, -1))
LINK_PAGES = {"overview", "province", "alerts", "policies"}


# ------------------------------------------------------------------------------------------------
# The roll-up rule (LESMIS): a parent is green or red only if all its children agree


@pytest.mark.parametrize(
    "children, parent",
    [
        (["on_track", "on_track"], "on_track"),
        (["off_track", "off_track", "off_track"], "off_track"),
        (["on_track", "off_track"], "at_risk"),
        (["on_track", "at_risk"], "at_risk"),
        (["at_risk", "at_risk"], "at_risk"),
        (["off_track", "no_data"], "off_track"),  # children without data do not vote
        (["on_track", "no_data", "no_data"], "on_track"),
        (["no_data", "no_data"], "no_data"),
        ([], "no_data"),
    ],
)
def test_rollup(children, parent):
    assert walls.rollup(children) == parent


def test_worst():
    assert walls.worst(["on_track", "at_risk", "no_data"]) == "at_risk"
    assert walls.worst(["on_track", "off_track"]) == "off_track"
    assert walls.worst(["no_data"]) == "no_data"


def catalogue(rows):
    return pd.DataFrame(rows, columns=["indicator_id", "kind", "chain_parent"])


def test_the_chain_rolls_status_up_from_kpis_to_targets_to_goals():
    cat = catalogue(
        [
            ("X", "goal", None),
            ("Y1", "target", "X"),
            ("Y2", "target", "X"),
            ("Y3", "target", "X"),
            ("Z1", "kpi", "Y1"),
            ("Z2", "kpi", "Y1"),
            ("Z3", "kpi", "Y2"),
            ("Z4", "kpi", "Y2"),
            ("Z5", "kpi", "Y3"),
        ]
    )
    tree = walls.chain_tree(cat, {"Z1": "on_track", "Z2": "on_track", "Z3": "off_track", "Z4": "off_track"})
    (goal,) = tree
    y1, y2, y3 = goal.children
    assert (y1.status, y2.status, y3.status) == ("on_track", "off_track", "no_data")  # Z5 has no data
    assert goal.status == "at_risk"  # its targets disagree
    assert goal.counts() == {"off_track": 2, "at_risk": 0, "on_track": 2, "met": 0, "no_data": 1}
    all_green = walls.chain_tree(cat, dict.fromkeys(["Z1", "Z2", "Z3", "Z4", "Z5"], "on_track"))
    assert all_green[0].status == "on_track"


def test_the_chain_survives_orphans_and_cycles():
    cat = catalogue(
        [
            ("X", "goal", None),
            ("Z1", "kpi", "X"),
            ("Z2", "kpi", "missing"),  # its parent is not in the catalogue: a root of its own
            ("A", "target", "B"),  # A and B point at each other
            ("B", "target", "A"),
        ]
    )
    tree = walls.chain_tree(cat, {"Z1": "off_track", "Z2": "on_track"})
    ids = [n.indicator_id for n in tree]
    assert ids[:2] == ["X", "Z2"] and "A" in ids
    assert tree[0].status == "off_track" and tree[1].status == "on_track"
    cycle = next(n for n in tree if n.indicator_id == "A")
    assert [c.indicator_id for c in cycle.children] == ["B"] and cycle.children[0].children == ()


def test_province_tally_and_worst_provinces():
    table = pd.DataFrame(
        {
            "area_id": ["P1", "P1", "P2", "P2", "P3"],
            "name_en": ["One", "One", "Two", "Two", "Three"],
            "name_local": ["1", "1", "2", "2", "3"],
            "indicator_id": ["a", "b", "a", "b", "a"],
            "value": [10.0, 5.0, 30.0, 1.0, 20.0],
            "status": ["off_track", "at_risk", "on_track", "on_track", "at_risk"],
        }
    )
    tally = walls.province_tally(table)
    assert list(tally["area_id"]) == ["P1", "P3", "P2"]
    assert list(tally["status"]) == ["off_track", "at_risk", "on_track"]
    higher = pd.Series({"indicator_id": "a", "direction": "higher_is_better"})
    assert list(walls.worst_provinces(table, higher, 2)["area_id"]) == ["P1", "P3"]


# ------------------------------------------------------------------------------------------------
# Each wall on the demo data


@pytest.fixture(scope="module")
def demo():
    database = db.get()
    return {c: (database, areas.full_scope(database, c), areas.country(database, c)["area_id"]) for c in ("th", "la")}


@pytest.fixture(scope="module")
def empty_store(tmp_path_factory):
    return store.engine("sqlite:///" + str(tmp_path_factory.mktemp("walls") / "state.db"))


def check_views(wall: walls.Wall):
    assert 1 <= len(wall.views) <= walls.MAX_VIEWS
    assert len({v.key for v in wall.views}) == len(wall.views)
    for view in wall.views:
        assert view.question.endswith("?"), view.question
        assert view.status in walls.STATUS_RANK
        assert view.link.split("?")[0] in LINK_PAGES, view.link


@pytest.mark.parametrize("country", ["th", "la"])
def test_black_wall(demo, country):
    database, scope, area_id = demo[country]
    wall = four_walls.results(database, country, area_id, scope, "en", NOW)
    check_views(wall)
    assert [n.kind for n in wall.tree if n.kind != "kpi"] == ["goal"] * 3
    cat = indicators.catalogue(database, country)
    for view in wall.views:
        if view.key.startswith("kpi:"):
            (kpi,) = view.kpis
            assert cat.loc[kpi.indicator_id, "wall"] == "black"
            assert view.status == kpi.status  # the KPI's status against its target (area_facts.status)
            assert view.link == f"overview?indicator={kpi.indicator_id}"
            assert len(kpi.series) >= 2
    provinces = wall.view("provinces").rows
    first, last = provinces.iloc[0], provinces.iloc[-1]
    assert first["status"] == "off_track" and first["off_track"] >= last["off_track"]


def test_black_wall_for_a_region_reads_the_groups_own_figures(demo):
    database, scope, _ = demo["th"]
    group = areas.groups(database, "th").set_index("group_key").loc["reo:11"]
    wall = four_walls.results(database, "th", "reo:11", scope.within(group["province_ids"]), "en", NOW)
    assert set(wall.view("provinces").rows["area_id"]) <= set(group["province_ids"])


@pytest.mark.parametrize("country", ["th", "la"])
def test_red_wall_is_useful_with_an_empty_alert_store(demo, country):
    database, scope, area_id = demo[country]
    nothing = four_walls.AlertState(pd.DataFrame(columns=[*lifecycle.ALERT_COLUMNS, "severity_rank"]), None)
    wall = four_walls.crises(database, country, area_id, scope, "en", NOW, nothing)
    check_views(wall)
    assert wall.view("alerts").facts["open"] == 0 and wall.view("alerts").status == "on_track"
    assert wall.view("acting").rows.empty
    incidents = wall.view("incidents").rows
    assert len(incidents) and (incidents["students_affected"] > 0).all()
    assert wall.view("map").facts["students"] > 0 and wall.view("map").status == "off_track"


def test_red_wall_reads_the_alerts_and_who_acts(demo, empty_store):
    database, scope, area_id = demo["th"]
    state = four_walls.alert_state(
        database, empty_store, "th", scope, "en", clock.local_date(NOW), settings.load().rules_dir
    )
    assert state.error is None and len(state.feed)
    wall = four_walls.crises(database, "th", area_id, scope, "en", NOW, state)
    counts = wall.view("alerts").facts["counts"]
    assert sum(counts.values()) == wall.view("alerts").facts["open"] > 0
    acting = wall.view("acting").rows
    assert acting.iloc[0]["state"] != "resolved"


def test_an_unreachable_state_store_leaves_the_red_wall_standing(demo, tmp_path):
    database, scope, area_id = demo["la"]
    unreachable = sa.create_engine("sqlite:///" + str(tmp_path / "no" / "such" / "folder" / "state.db"))
    state = four_walls.alert_state(
        database, unreachable, "la", scope, "en", date(2026, 11, 22), settings.load().rules_dir
    )
    assert state.error == four_walls.NO_STORE and state.feed.empty  # the reason, never the driver's words
    wall = four_walls.crises(database, "la", area_id, scope, "en", NOW, state)
    assert wall.view("alerts").status == "no_data" and wall.view("alerts").facts["error"]
    assert len(wall.view("incidents").rows)


@pytest.mark.parametrize("country", ["th", "la"])
def test_blue_wall(demo, country):
    database, scope, area_id = demo[country]
    wall = four_walls.capacity(database, country, area_id, scope, "en", NOW)
    check_views(wall)
    cat = indicators.catalogue(database, country)
    shown = [k.indicator_id for v in wall.views for k in v.kpis]
    assert sorted(shown) == sorted(cat[(cat["kind"] == "kpi") & (cat["wall"] == "blue")].index)
    training = next(k for k in wall.view("training").kpis if k.indicator_id == "staff_trained")
    assert training.female is not None and training.male is not None  # by sex
    budget = wall.view("budget").kpis[0]
    assert budget.denominator > budget.numerator > 0  # planned and disbursed


@pytest.mark.parametrize("country", ["th", "la"])
def test_white_wall(demo, empty_store, country):
    database, scope, area_id = demo[country]
    wall = four_walls.policies_wall(database, empty_store, country, area_id, scope, "en", NOW)
    check_views(wall)
    policies_view = wall.view("policies")
    assert set(policies_view.rows["level"]) == {"policy"}
    assert wall.view("map").link.startswith("policies?policy=")
    assert "policy_progress" in wall.freshness


def drawn(img: str) -> dict[str, list[tuple[int, int]]]:
    """The points of each area a wall map draws (its image decoded), and the image's frame as "frame"."""
    svg = base64.b64decode(re.search(r'src="data:image/svg\+xml;base64,([^"]+)"', img).group(1)).decode()
    areas_drawn = {
        code: [(int(x), int(y)) for x, y in re.findall(r"(-?\d+),(-?\d+)", d)]
        for code, d in re.findall(r'<path data-area="([^"]+)" d="([^"]+)"', svg)
    }
    x, y, w, h = (float(v) for v in re.search(r'viewBox="([^"]+)"', svg).group(1).split())
    return {**areas_drawn, "frame": [(x, y), (x + w, y + h)]}


def test_an_offices_wall_maps_are_fitted_to_its_provinces(demo, empty_store):
    """A regional office's White and Red walls map its three provinces filling the frame, their neighbours faint at
    the edges, not a spot on the country's map."""
    database, scope, _ = demo["th"]
    own = list(areas.groups(database, "th").set_index("group_key").loc["reo:11", "province_ids"])
    office = scope.within(own)
    white = four_walls.policies_wall(database, empty_store, "th", "reo:11", office, "en", NOW)
    nothing = four_walls.AlertState(pd.DataFrame(columns=[*lifecycle.ALERT_COLUMNS, "severity_rank"]), None)
    red = four_walls.crises(database, "th", "reo:11", office, "en", NOW, nothing)
    assert sorted(white.view("map").facts["provinces"]) == sorted(red.view("map").facts["provinces"]) == sorted(own)

    country = drawn(wall_html.svg_map("th", {}))
    assert len(country) - 1 == 77
    fitted = drawn(wall_html.svg_map("th", {p: "on_track" for p in own}, focus=own))
    assert set(own) < set(fitted) and "10" not in fitted  # Bangkok, far south of the region, is left out
    xs = [x for p in own for x, _ in fitted[p]]
    ys = [y for p in own for _, y in fitted[p]]
    (left, top), (right, bottom) = fitted["frame"]
    assert min(xs) - left < 10 and right - max(xs) < 10  # the region spans the frame's width (1000 units) ...
    assert min(ys) - top < 10 and bottom - max(ys) < 10  # ... and its height
    before = [x for p in own for x, _ in country[p]]
    assert max(xs) - min(xs) > 4 * (max(before) - min(before))  # drawn four times as wide as on the country's map


@pytest.mark.parametrize("country", ["th", "la"])
def test_the_white_walls_stuck_count_is_the_open_stuck_episodes(demo, tmp_path, country):
    """One definition of stuck (config/policy_status.yaml) for the wall, the Policies list and the rule: a year
    of replay leaves exactly one open episode per province and stuck policy or project, the Lao ones included."""
    database, scope, area_id = demo[country]
    engine = store.engine("sqlite:///" + str(tmp_path / "state.db"))
    ruleset = rules.load(ROOT / "rules")
    evaluation.refresh(database, country, engine, ruleset, TODAY, "test", publishing=True)
    wall = four_walls.policies_wall(database, engine, country, area_id, scope, "en", NOW)
    stuck = wall.view("stuck")
    episodes = lifecycle.list_alerts(engine, states=lifecycle.OPEN_STATES, rule_ids=["policy-stalled"])
    assert stuck.facts["total"] == len(episodes) > 0
    assert set(zip(stuck.rows["area_id"], stuck.rows["policy_id"], strict=True)) <= set(
        zip(episodes["area_id"], episodes["subject"], strict=True)
    )
    engine.dispose()


def test_decisions_show_on_the_wall_they_concern():
    table = pd.DataFrame(
        {
            "subject_type": ["indicator", "indicator", "alert", "policy", "area"],
            "subject_id": ["a", "b", "1", "p", "10"],
        }
    )
    walls_of = {"a": "blue", "b": "black"}
    assert list(decisions.for_wall(table, "blue", walls_of)["subject_id"]) == ["a"]
    assert list(decisions.for_wall(table, "black", walls_of)["subject_id"]) == ["b", "10"]
    assert list(decisions.for_wall(table, "red", walls_of)["subject_id"]) == ["1"]
    assert list(decisions.for_wall(table, "white", walls_of)["subject_id"]) == ["p"]


def test_a_new_extract_shows_at_the_next_read(tmp_path):
    """The wall re-reads on its refresh timer; the query cache is keyed by the published version."""
    tiny.write(tmp_path / "xx")
    database = tiny.served(tmp_path)
    scope = access.Scope(("P1", "P2"))

    def gpi(wall: walls.Wall) -> float:  # the wall's figure of the gender parity index
        cat = indicators.catalogue(database, "xx")
        facts = walls.latest(database, "xx", wall.area_id, scope)
        return walls.kpis_for(["gpi"], facts, facts.iloc[:0], cat)[0].value

    before = four_walls.results(database, "xx", "XX", scope, "en", NOW)
    before_gpi = gpi(before)
    obs = tiny.frames()["observations"]
    # Half as many girls enrolled: the gender parity index halves.
    obs.loc[(obs["indicator_id"] == "gpi") & (obs["sex"] == "female"), "numerator"] *= 0.5
    tiny.write(tmp_path / "xx", observations=obs)
    tiny.served(tmp_path)  # published: the database already open sees the new version at its next read
    after = four_walls.results(database, "xx", "XX", scope, "en", NOW)
    after_gpi = gpi(after)
    assert after.view("chain").status == "at_risk"  # its KPIs disagree: three off track, one met
    assert after_gpi == pytest.approx(before_gpi / 2)


# ------------------------------------------------------------------------------------------------
# The wall pages under AppTest


PAGES = {
    "black": "wall_results.py",
    "red": "wall_crises.py",
    "blue": "wall_capacity.py",
    "white": "wall_policies.py",
}


def page(file: str, who=None, **params) -> AppTest:
    """A wall's page as the suite's meeting secretary, or signed in as `who`."""
    at = AppTest.from_file(str(ROOT / "views" / file), default_timeout=120)
    if who is not None:
        sign_in(at, who)
    for key, value in params.items():
        at.query_params[key] = value
    return at.run()


def views(at: AppTest) -> list[tuple[str, str]]:
    body = " ".join(e.proto.body for e in at.get("html"))
    return re.findall(r'data-view="([^"]+)" data-status="([^"]+)"', body)


@pytest.fixture(scope="module")
def meeting():
    """One open decision on each wall, in the store the pages under test read."""
    engine = store.engine(settings.load().state_url)
    made = {}
    for wall, (kind, subject) in {
        "black": ("area", "34"),
        "red": ("indicator", "schools_closed"),
        "blue": ("indicator", "schools_with_internet"),
        "white": ("policy", "smart_office"),
    }.items():
        made[wall] = decisions.record(
            engine, "th", f"Decision for the {wall} wall", "Owner", kind, subject, secretary("Secretary"), due_date=None
        )
    yield made
    engine.dispose()


@pytest.mark.parametrize("wall", PAGES)
def test_each_wall_page_runs_with_its_views_and_decisions(wall, meeting):
    at = page(PAGES[wall], lang="en")
    assert not at.exception, at.exception
    shown = views(at)
    assert 4 <= len(shown) <= 6, shown
    assert all(status in walls.STATUS_RANK for _, status in shown)
    body = " ".join(e.proto.body for e in at.get("html"))
    assert f'data-wall="{wall}"' in body
    assert "data-kiosk-theme" not in body  # not kiosk: the sidebar stays (the print stylesheet names it too)
    strip = re.findall(r'data-decision="(\d+)"', body)
    assert str(meeting[wall].id) in strip and f"Decision for the {wall} wall" in body
    assert all(f"Decision for the {other} wall" not in body for other in PAGES if other != wall)


def test_an_offices_walls_sum_up_its_own_area_not_the_countrys():
    """A regional office's Red wall read "672 schools closed" (the country's October) beside its own map of no
    incident: with no region chosen, a wall sums up the office's area, as a national reader's does with that region
    chosen, and names it."""

    def kpi_card(identity=None, **params) -> tuple[str, str]:
        at = page("wall_crises.py", identity, lang="en", **params)
        assert not at.exception, at.exception
        body = " ".join(e.proto.body for e in at.get("html"))
        card = body.split('data-view="kpi:schools_closed"')[1].split("data-view=")[0]
        title = re.search(r'class="wr-title">(.*?)</div>', body).group(1)
        return card, title

    office, office_title = kpi_card(demo_identity("regional_office"))
    chosen, chosen_title = kpi_card(region="reo:17")
    country, country_title = kpi_card()
    assert office == chosen != country
    assert "Regional Education Office 17" in office_title and "Regional Education Office 17" in chosen_title
    assert "wr-area" not in country_title


@pytest.mark.parametrize("wall", PAGES)
def test_kiosk_on_a_wall_page_starts_the_rotation_there(wall):
    at = page(PAGES[wall], lang="lo", country="la", kiosk="1")
    assert not at.exception, at.exception
    body = " ".join(e.proto.body for e in at.get("html"))
    assert '[data-testid="stSidebar"]' in body and "dark_theme" in body
    assert at.query_params["wall"] == wall and at.query_params["kiosk"] == "1"
    assert f'data-wall="{wall}"' in body


def test_the_white_walls_milestones_write_their_share_as_the_locale_does():
    at = page(PAGES["white"], lang="lo", country="la")  # Lao milestones are overdue on the suite's calendar
    assert not at.exception, at.exception
    body = " ".join(e.proto.body for e in at.get("html"))
    shares = re.findall(r">([^<>\s]+) ພາຍໃນ ", body)  # "75% ພາຍໃນ 30 ກ.ຍ. 2025": by i18n.percent, not "{share}%"
    assert shares and set(shares) <= {i18n.percent(s, "lo", 0) for s in (25, 50, 75, 100)}, shares


def test_the_stamp_turns_amber_only_for_a_source_that_is_overdue(monkeypatch):
    def stamp(wall: str) -> str:
        at = page(PAGES[wall], lang="en")
        assert not at.exception, at.exception
        return re.search(
            r'<div class="wr-stamp[^"]*" data-late="\w+">.*?</div>', " ".join(e.proto.body for e in at.get("html"))
        ).group(0)

    assert 'data-late="false"' in stamp("red")  # on the suite's day every Red wall source is current
    blue = stamp("blue")  # the demo's one late source: the budget figures, two months behind
    budget = indicators.catalogue(db.get(), "th").loc[stories.TH_LATE_SOURCE, "name_en"]
    assert 'data-late="true"' in blue and f"Overdue: {budget}" in blue and "Reporting" not in blue
    monkeypatch.setenv("COCKPIT_TODAY", (TODAY + timedelta(days=400)).isoformat())  # nobody delivered for a year
    assert 'data-late="true"' in stamp("red") and "Overdue:" in stamp("red")


def test_a_quarter_still_running_is_stamped_to_date_not_as_of_its_first_day(demo, monkeypatch):
    """The White wall read "Data as of 1 Oct 2569" in December: the policy progress of a quarter reported to date was
    dated by its first day, as if two months old. Within the quarter the stamp names it, to date; once it ends, its last
    day."""
    database, scope, area_id = demo["th"]
    quarter = four_walls.policies_wall(database, None, "th", area_id, scope, "en", NOW).freshness["policy_progress"]
    named = periods.label(quarter.period_start, "quarter", "th", "en")  # "Q1 FY2570", as the wall's card names it

    def white_stamp(today) -> str:
        monkeypatch.setenv("COCKPIT_TODAY", today.isoformat())
        at = page(PAGES["white"], lang="en")
        assert not at.exception, at.exception
        body = " ".join(e.proto.body for e in at.get("html"))
        return re.search(r'<div class="wr-stamp[^"]*" data-late="\w+">(.*?)<', body).group(1)

    assert white_stamp(quarter.period_start + timedelta(days=40)).startswith(f"Data to date for {named} ·")
    assert white_stamp(quarter.period_start + timedelta(days=100)).startswith("Data as of")


def test_broken_policy_rules_leave_the_white_wall_standing(demo, monkeypatch, tmp_path):

    database, scope, area_id = demo["th"]
    shutil.copytree(settings.load().config_dir, tmp_path / "config")
    (tmp_path / "config" / "policy_status.yaml").write_text("status: [not, a, mapping\n")
    monkeypatch.setenv("COCKPIT_CONFIG_DIR", str(tmp_path / "config"))
    wall = four_walls.policies_wall(database, None, "th", area_id, scope, "en", NOW)
    (view,) = wall.views
    assert view.status == "no_data" and "policy_status.yaml" in view.facts["error"]
