"""The Policies and League table pages under AppTest (the URL drives the view), and one look in a real browser."""

import json
import re

import pytest
from conftest import NEWEST_QUARTER, ROOT, as_read
from identities import provincial, sign_in
from streamlit.testing.v1 import AppTest

from cockpit import i18n
from cockpit.figures import short_text, vega_maps
from cockpit.ui import links, tables
from cockpit.users.identity import Identity

STALLED = {"47", "48", "49"}  # regional education office 11: Sakon Nakhon, Nakhon Phanom, Mukdahan


def page(name: str, who=None, **params) -> AppTest:
    at = AppTest.from_file(str(ROOT / "views" / f"{name}.py"), default_timeout=90)
    if who is not None:
        sign_in(at, who)
    for key, value in params.items():
        at.query_params[key] = value
    return at.run()


def vega_specs(at) -> list[dict]:
    return [json.loads(c.proto.spec) for c in at.get("vega_lite_chart")]


def map_areas(at) -> list[dict]:
    """The areas the page's map draws, each with its code, status and tooltip values (vega_maps.choropleth)."""
    for spec in vega_specs(at):
        for layer in spec.get("layer", []):
            if any(p["name"] == vega_maps.SELECTION for p in layer.get("params", [])):
                return layer["data"]["values"]
    raise AssertionError("no map on the page")


def progress_lines(at) -> dict[str, list[float]]:
    """The progress chart's lines by name, in its legend's order (progress, comparison, plan)."""
    for spec in vega_specs(at):
        lines = spec.get("layer", [{}])[0]
        if lines.get("encoding", {}).get("strokeDash", {}).get("field") == "line":
            names = lines["encoding"]["color"]["scale"]["domain"]
            return {n: [p["value"] for p in lines["data"]["values"] if p["line"] == n] for n in names}
    raise AssertionError("no progress chart on the page")


def timeline_states(at) -> set[str]:
    """The states the milestone timeline's marks are in (their labels)."""
    return {
        row["state_label"]
        for spec in vega_specs(at)
        for layer in spec.get("layer", [])
        for row in layer.get("data", {}).get("values", [])
        if "state_label" in row
    }


def shown(cells) -> list[str]:
    """The names link cells show (each opens the province's page)."""
    return [links.cell_text(c) for c in cells]


def subheaders(at) -> list[str]:
    return [as_read(s.value) for s in at.subheader]


@pytest.fixture(scope="module")
def thai_policies():
    return page("policies", lang="en")


def test_policies_page_opens_on_the_stalled_policy(thai_policies):
    at = thai_policies
    assert not at.exception, at.exception
    assert at.title[0].value == "Policies: plans against reality"
    # nobody chose a policy: the one a meeting should look at first is shown (a default stays out of the URL,
    # so the page's load adds no entry to the browser's history)
    assert at.selectbox(key="url_policy").value == "anywhere_anytime_learning"
    assert "policy" not in at.query_params
    banner = [e.value for e in at.error]
    assert any("Anywhere-Anytime Learning" in b and "Nakhon Phanom" in b for b in banner), banner
    assert [m.label for m in at.metric] == [
        "Policies on track",
        "Provinces with stuck work",
        "Budget disbursed of planned to date",
        "Overdue milestones",
    ]
    assert at.metric[1].value == "3"


def test_policies_page_maps_the_stalled_provinces_off_track(thai_policies):
    features = {area["code"]: area for area in map_areas(thai_policies)}
    assert len(features) == 77
    for code in STALLED:
        assert features[code]["status"] == "off_track", features[code]
        assert re.fullmatch(r"Q[1-4] FY25\d\d", features[code]["stuck_label"]), features[code]  # "Stuck since: …"
    assert sum(1 for p in features.values() if p.get("stuck_label")) == 3  # the others' tooltips leave it out


def test_policies_page_lists_the_portfolio_and_what_is_stuck(thai_policies):
    tables = thai_policies.dataframe
    portfolio = tables[0].value
    assert len(portfolio) == 20  # 1 programme, 6 policies, 13 projects
    assert portfolio.iloc[0]["label"] == "Learn well, be happy"
    assert list(tables[1].value.columns) == ["label", "owner", "span_label", "budget_label"]  # the details
    provinces = tables[2].value
    assert len(provinces) == 77 and set(shown(provinces["link"].iloc[:3])) == {
        "Mukdahan",
        "Nakhon Phanom",
        "Sakon Nakhon",
    }
    stuck = next(t.value for t in tables if "Stuck since" in t.value.columns)
    assert set(shown(stuck["Province"])) == {"Sakon Nakhon", "Nakhon Phanom", "Mukdahan"}
    assert "What is stuck, where, since when, and why?" in subheaders(thai_policies)
    # The map and the milestone timeline (no province chosen yet), in Vega-Lite: no Plotly, no deck.gl in a new tab
    assert not thai_policies.get("plotly_chart") and not thai_policies.get("deck_gl_json_chart")
    assert len(thai_policies.get("vega_lite_chart")) == 2


def test_a_province_from_the_url_opens_its_detail():
    at = page(
        "policies",
        lang="en",
        policy="anywhere_anytime_learning",
        province="48",
        period=NEWEST_QUARTER.isoformat(),
    )
    assert not at.exception, at.exception
    assert "Nakhon Phanom: Anywhere-Anytime Learning against plan" in subheaders(at)
    assert "Nakhon Phanom: which milestones are overdue?" in subheaders(at)
    assert len(at.get("vega_lite_chart")) == 3  # the map, the province's progress, its milestones
    lines = progress_lines(at)
    assert list(lines) == ["Nakhon Phanom", "Thailand", "Plan"]
    frozen = lines["Nakhon Phanom"]
    assert frozen[-4:] == pytest.approx([frozen[-5]] * 4) and frozen[-5] > 0  # no progress in four quarters
    assert "Overdue" in timeline_states(at)


def test_a_region_narrows_the_map_and_the_table():
    at = page("policies", lang="en", region="reo:11", policy="anywhere_anytime_learning")
    assert not at.exception, at.exception
    assert set(shown(at.dataframe[2].value["link"])) == {"Sakon Nakhon", "Nakhon Phanom", "Mukdahan"}
    # the office's name says its kind already: once, not "Regional education office · Regional Education Office 11"
    assert at.subheader[0].value.startswith("Regional Education Office 11")


ODOQS = "one_district_one_quality_school"  # reported by province and by district in the Thai demo
# a province's districts
DISTRICT_DETAIL = ["name", "status_label", "progress_pct", "progress_pct_bar", "planned_pct", "gap"]


def district_codes(at) -> set[str]:
    return {area["code"] for area in map_areas(at)}


def test_the_district_layer_draws_the_chosen_provinces_districts():
    import pandas as pd
    from conftest import DATA_DIR

    at = page("policies", lang="en", policy=ODOQS, level="district", province="48")
    assert not at.exception, at.exception
    areas = pd.read_parquet(DATA_DIR / "th" / "areas.parquet")
    nakhon_phanom = set(areas.loc[areas["parent_id"] == "48", "area_id"])
    assert district_codes(at) == nakhon_phanom  # the districts of the chosen province, no other boundary
    district_map = next(spec for spec in vega_specs(at) if "projection" in spec)
    assert district_map["projection"] == {"type": "mercator"}  # fitted to what it draws: the province's districts
    statuses = {area["status"] for area in map_areas(at)}
    assert statuses <= {"on_track", "at_risk", "off_track"} and statuses  # judged by the configured rules
    table = at.dataframe[2].value
    assert set(table.index) == nakhon_phanom and "province_link" not in table.columns  # the heading names it
    # the province's detail lists its districts' progress
    listed = [t.value for t in at.dataframe if list(t.value.columns) == DISTRICT_DETAIL]
    assert len(listed) == 1 and set(listed[0]["name"]) == set(table["name"])


def test_the_level_and_the_district_are_choices_in_the_url():
    at = page("policies", lang="en", policy=ODOQS, region="reo:11")
    assert at.button_group(key="url_level").value == "province" and "level" not in at.query_params
    at.button_group(key="url_level").set_value("district").run()
    assert not at.exception, at.exception
    assert at.query_params["level"] == "district"
    assert {c[:2] for c in district_codes(at)} == STALLED  # the region's three provinces, by district
    provinces = {"Sakon Nakhon", "Nakhon Phanom", "Mukdahan"}
    assert set(shown(at.dataframe[2].value["province_link"])) == provinces  # each opens the province's review
    at.selectbox(key="url_district").set_value("4701").run()
    assert at.query_params["district"] == "4701"
    assert "Mueang Sakon Nakhon: One District One Quality School against plan" in subheaders(at)
    # the district against its province
    assert list(progress_lines(at)) == ["Mueang Sakon Nakhon", "Sakon Nakhon", "Plan"]


def test_a_policy_without_district_rows_offers_no_district_level():
    at = page("policies", lang="en", policy="anywhere_anytime_learning", level="district")
    assert not at.exception, at.exception
    assert "url_level" not in [b.key for b in at.get("button_group")]
    assert len(map_areas(at)) == 77  # provinces


def test_lao_priority_districts_roll_up_into_their_province():
    at = page("policies", country="la", lang="en", policy="priority_district_completion", province="LA-PH")
    assert not at.exception, at.exception
    captions = [c.value for c in at.caption]
    assert any(c.startswith("10 provinces report it only by district") for c in captions), captions
    assert any("Phongsaly's figure is its districts' progress" in c for c in captions), captions
    at.button_group(key="url_level").set_value("district").run()
    codes = district_codes(at)
    assert codes >= {"LA0202", "LA0203"} and all(c.startswith("LA02") for c in codes)  # Phongsaly's districts
    judged = {area["code"]: area["status"] for area in map_areas(at)}
    assert judged["LA0201"] is None and judged["LA0203"]  # not a priority district: grey, no row


def test_a_wrong_policy_in_the_url_is_reported_not_obeyed():
    at = page("policies", lang="en", policy="no_such_policy")
    assert not at.exception, at.exception
    assert any("no_such_policy" in as_read(w.value) for w in at.warning)
    assert at.selectbox(key="url_policy").value != "no_such_policy"


def test_a_provincial_office_adds_a_note_and_sees_it():
    mukdahan = Identity("malee", "Malee, Mukdahan provincial education office", "provincial_office", "th", "49")
    at = page("policies", mukdahan, lang="en", policy="anywhere_anytime_learning", province="49")
    at.radio(key="note_kind").set_value("obstacle")
    at.text_area(key="note_text").input("Broadband contract still not signed; asked the governor to intervene")
    next(b for b in at.button if b.label == "Save the note").click().run()
    assert not at.exception, at.exception
    assert any("Note saved for Mukdahan" in s.value for s in at.success)
    notes = next(t.value for t in at.dataframe if "By" in t.value.columns)
    assert notes.iloc[0]["Note"].startswith("Broadband contract") and notes.iloc[0]["Kind"] == "Obstacle"
    stuck = next(t.value for t in at.dataframe if "Stuck since" in t.value.columns)
    assert stuck["Why (latest note)"].str.startswith("Broadband contract").any()


def test_an_empty_note_is_refused_with_a_message():
    at = page("policies", provincial("10"), lang="en", policy="smart_office", province="10")
    next(b for b in at.button if b.label == "Save the note").click().run()
    assert not at.exception, at.exception
    assert any(e.value == "Write the note before saving it." for e in at.error)


def test_policies_page_in_lao():
    at = page("policies", country="la", lang="lo")
    assert not at.exception, at.exception
    assert len(map_areas(at)) == 18
    assert len(at.dataframe[0].value) == 19


@pytest.mark.parametrize("lang", ["th", "lo", "en"])
def test_what_is_stuck_and_why_is_read_whole(lang):
    """The stuck table cut each policy's name at 200 px and each note, the "why" its heading asks, at 240 px (12 of
    12 Thai notes lost their end): both wrap between words, each line within its column, in rows tall enough for the
    most lines, the table within a laptop's column."""
    at = page("policies", country="la" if lang == "lo" else "th", lang=lang)
    assert not at.exception, at.exception
    policy, why = (i18n.tr(lang, h) for h in ("Policy or project", "Why (latest note)"))
    grid = next(d for d in at.dataframe if why in d.value.columns)
    headings = ("Policy or project", "Province", "Stuck since", "Quarters", "Progress", "Plan", "Why (latest note)")
    assert list(grid.value.columns) == [i18n.tr(lang, h) for h in headings]
    if lang != "en":  # each heading in the reader's language ("Quarters" once fell out of the catalogs)
        assert not set(grid.value.columns) & set(headings), list(grid.value.columns)
    config = json.loads(grid.proto.columns)
    assert sum(c["width"] for c in config.values() if "width" in c) <= 904  # the grid's room at 1366 px
    cells = [str(c) for column in (policy, why) for c in grid.value[column]]
    assert any(c for c in grid.value[why])  # notes to read
    for column in (policy, why):
        room = short_text.room_px(config[column]["width"])
        lines = [line for cell in grid.value[column] for line in str(cell).split("\n")]
        assert all(short_text.width_px(line) <= room for line in lines), (column, lines)
    assert max(c.count("\n") + 1 for c in cells) < 6  # none cut at the most lines a row shows
    assert grid.proto.row_height == tables.lines_row_px(cells)


def test_league_page_ranks_and_explains():
    at = page("league", lang="en", province="48")
    assert not at.exception, at.exception
    table = at.dataframe[0].value
    assert len(table) == 77 and list(table["rank"].iloc[:3]) == [1, 2, 3]
    assert at.subheader[0].value.startswith("Nakhon Phanom:") and "rank 74 of 77" in at.subheader[0].value
    explanation = at.dataframe[-1].value
    assert len(explanation) == 8 and explanation["Out of"].sum() == pytest.approx(100.0)
    assert explanation["Component"].iloc[-1] == "Policy progress against plan"


def test_league_page_ranks_within_a_region():
    at = page("league", lang="en", region="reo:11")
    assert not at.exception, at.exception
    table = at.dataframe[0].value
    assert set(shown(table["name"])) == {"Sakon Nakhon", "Nakhon Phanom", "Mukdahan"}
    assert list(table["rank"]) == [1, 2, 3]


def test_a_provincial_office_reads_its_national_rank():
    """Ranked among its own provinces alone, an office's province was "1" under "All provinces (national rank)"."""
    mukdahan = Identity("malee", "Malee, Mukdahan provincial education office", "provincial_office", "th", "49")
    everyone = page("league", lang="en").dataframe[0].value
    national = everyone["rank"].iloc[shown(everyone["name"]).index("Mukdahan")]
    at = page("league", who=mukdahan, lang="en")
    assert not at.exception, at.exception
    table = at.dataframe[0].value
    assert shown(table["name"]) == ["Mukdahan"] and table["rank"].iloc[0] == national > 1
    assert any("77 provinces ranked" in c.value for c in at.caption)


def test_the_leagues_components_wrap_between_words_in_rows_tall_enough():
    """The grid broke "อัตราการสำเร็จการศึกษา…" between letters ("การศึ|กษา"), and a name of four lines lost its last."""
    at = page("league", lang="th")
    assert not at.exception, at.exception
    grid = next(d for d in at.dataframe if "องค์ประกอบ" in d.value.columns)
    names = list(grid.value["องค์ประกอบ"])
    completion = next(n for n in names if n.replace("\n", "").startswith("อัตราการสำเร็จการศึกษา"))
    assert any("สำเร็จการศึกษา" in line for line in completion.split("\n"))
    most = max(n.count("\n") + 1 for n in names)
    assert most >= 4 and grid.proto.row_height >= tables.THREE_LINES_PX + tables.LINE_PX * (most - 3)


def test_league_page_in_lao():
    at = page("league", country="la", lang="lo")
    assert not at.exception, at.exception
    assert len(at.dataframe[0].value) == 18


# --- A real browser: the map draws, Thai renders, screenshots to look at ---------------------------------------------


@pytest.mark.browser
def test_policies_in_a_browser(streamlit_url, new_page, shot_dir):
    from playwright.sync_api import expect
    from streamlit_wait import colored_pixels, wait_for_streamlit

    browser_page = new_page(1920, 1080, scale=2)
    # the frame must have run once before a page's own URL is opened (see the report on st.navigation)
    browser_page.goto(streamlit_url + "/?country=th&lang=th")
    wait_for_streamlit(browser_page)
    browser_page.goto(streamlit_url + "/policies?country=th&lang=th&province=48")
    wait_for_streamlit(browser_page)
    assert browser_page.locator('[data-testid="stException"]').count() == 0
    expect(browser_page.get_by_test_id("stMetric")).to_have_count(4)
    expect(browser_page.get_by_role("heading", name="นครพนม").first).to_be_visible()  # Thai renders
    browser_page.screenshot(path=shot_dir / "policies_th_3840x2160.png")
    assert browser_page.get_by_test_id("stDeckGlJsonChart").count() == 0
    assert browser_page.get_by_test_id("stPlotlyChart").count() == 0
    province_map = browser_page.get_by_test_id("stVegaLiteChart").first
    assert colored_pixels(province_map.screenshot()) > 500
    # A click on a province on the map chooses it: its detail opens below
    drawn = list(vega_maps.shapes("th", "province"))  # Vega draws a map's areas in its data's order
    mukdahan = province_map.locator("g.mark-shape path").nth(drawn.index("49"))
    mukdahan.scroll_into_view_if_needed()
    box = mukdahan.bounding_box()
    browser_page.mouse.click(box["x"] + box["width"] / 2, box["y"] + box["height"] / 2)
    expect(browser_page.get_by_role("heading", name="มุกดาหาร").first).to_be_visible(timeout=60_000)
    wait_for_streamlit(browser_page)
    assert "province=49" in browser_page.url
    league_page = new_page(1920, 1080)
    league_page.goto(streamlit_url + "/league?country=la&lang=lo&province=LA-PH")
    wait_for_streamlit(league_page)
    assert league_page.locator('[data-testid="stException"]').count() == 0
    expect(league_page.get_by_text("ຜົ້ງສາລີ").first).to_be_visible()
    league_page.screenshot(path=shot_dir / "league_la_1920x1080.png")


# A point of the page inside an SVG area (the middle of its box may fall outside a district's outline).
INSIDE_JS = """(path) => {
  const b = path.getBBox(), m = path.getScreenCTM();
  for (let n = 2; n < 40; n++) for (let i = 1; i < n; i++) for (let j = 1; j < n; j++) {  // the middle first
    const p = new DOMPoint(b.x + b.width * i / n, b.y + b.height * j / n);
    if (path.isPointInFill(p)) { const q = p.matrixTransform(m); return [q.x, q.y]; }
  }
  throw new Error('no point inside the area');
}"""


@pytest.mark.browser
def test_a_district_picked_on_the_policies_map_or_in_its_table_opens_its_detail(streamlit_url, new_page):
    """On a laptop, in Thai: a click on a district of the district map, then on a row of the district table, each
    puts the district in the address and opens its detail against plan."""
    import pandas as pd
    from conftest import DATA_DIR
    from playwright.sync_api import expect
    from streamlit_wait import wait_for_streamlit

    names = pd.read_parquet(DATA_DIR / "th" / "areas.parquet").set_index("area_id")
    nakhon_phanom = names[names["parent_id"] == "48"]

    def chosen_district() -> str:
        found = re.search(r"[?&]district=(\d+)", browser_page.url)
        assert found, browser_page.url
        return found.group(1)

    browser_page = new_page(1366, 768)
    browser_page.goto(streamlit_url + "/?country=th&lang=th")  # the frame runs once before a page's own URL
    wait_for_streamlit(browser_page)
    browser_page.goto(streamlit_url + f"/policies?country=th&lang=th&policy={ODOQS}&level=district&province=48")
    wait_for_streamlit(browser_page)
    district_map = browser_page.get_by_test_id("stVegaLiteChart").filter(has=browser_page.locator("g.mark-shape"))
    area = district_map.first.locator("g.mark-shape path").nth(0)
    area.scroll_into_view_if_needed()
    x, y = area.evaluate(INSIDE_JS)
    browser_page.mouse.click(x, y)
    expect(browser_page).to_have_url(re.compile(r"[?&]district=\d+"), timeout=60_000)
    wait_for_streamlit(browser_page)
    by_map = chosen_district()
    assert by_map in nakhon_phanom.index
    heading = browser_page.get_by_role("heading", name=names.loc[by_map, "name_local"] + ":")
    expect(heading.first).to_be_visible()
    # the table's second row (the first may be the district the map chose): its selection box, on the canvas
    table = browser_page.locator(".st-key-district_table [data-testid='stDataFrame']")
    table.scroll_into_view_if_needed()
    grid = table.bounding_box()
    browser_page.mouse.click(grid["x"] + 18, grid["y"] + 35 + 35 + 17)
    expect(browser_page).not_to_have_url(re.compile(rf"[?&]district={by_map}(&|$)"), timeout=60_000)
    wait_for_streamlit(browser_page)
    by_table = chosen_district()
    assert by_table in nakhon_phanom.index and by_table != by_map
    expect(browser_page.get_by_role("heading", name=names.loc[by_table, "name_local"] + ":").first).to_be_visible()


@pytest.mark.parametrize(
    ("who", "named"),
    [
        (provincial("67"), "Phetchabun"),
        (Identity("reo.17", "REO 17", "regional_office", "th", "reo:17", "local"), "Regional Education Office 17"),
    ],
)
def test_an_offices_figures_are_headed_and_mapped_as_its_area_not_the_country(who, named):
    """The figures over "all provinces" are the office's provinces' (a provincial office's progress is its
    province's): they were headed "Thailand: policies against plan"."""
    at = page("policies", who, lang="en")
    assert not at.exception, at.exception
    heading = next(h.value for h in at.subheader if "policies against plan" in h.value)
    assert heading.startswith(f"{named}: policies against plan, ")
    # and its provinces fill the map (they were a spot on the country's)
    province_map = next(spec for spec in vega_specs(at) if "projection" in spec)
    assert "fit" in province_map["projection"]
    assert (
        "fit"
        not in next(spec for spec in vega_specs(page("policies", lang="en")) if "projection" in spec)["projection"]
    )
