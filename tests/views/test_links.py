"""The links that wire the pages together (cockpit/ui/links.py): every province name opens its Province page and
every indicator name its catalogue entry, with the reader's country and language; figures resting on too few
reports carry a mark linking to Data quality; links keep their context; Back returns in one press."""

import html
import json
import re
from urllib.parse import parse_qsl, urlsplit

import pandas as pd
import pytest
from conftest import ROOT
from playwright.sync_api import TimeoutError as PlaywrightTimeout
from playwright.sync_api import expect
from streamlit.testing.v1 import AppTest
from streamlit_wait import after_its_run, wait_for_streamlit

from cockpit import settings
from cockpit.alerts import lifecycle, quality
from cockpit.data import access, db, indicators
from cockpit.state import store
from cockpit.ui import links


def page(path: str, **params) -> AppTest:
    """`path` opened in the app with `params`. The app runs once first: switched to before its navigation is
    registered, a wall (whose URL path is not its file's name) quietly ran the Overview instead."""
    at = AppTest.from_file(str(ROOT / "app.py"), default_timeout=120)
    for key, value in params.items():
        at.query_params[key] = value
    at.run()
    at.switch_page(path)
    for key, value in params.items():
        at.query_params[key] = value
    return at.run()


def hrefs(at: AppTest) -> list[str]:
    """Every link the page draws: cells of link columns, page links, links in metric labels, anchors of the walls."""
    found = []
    for frame in at.dataframe:
        config = json.loads(frame.proto.columns or "{}")
        for column, spec in config.items():
            if spec.get("type_config", {}).get("type") == "link" and column in frame.value.columns:
                found += [v for v in frame.value[column] if isinstance(v, str)]
    found += [f"{p.proto.page}?{p.proto.query_string}" for p in at.get("page_link")]
    for metric in at.metric:
        found += re.findall(r"\]\(([^)\s]+)\)", metric.label)
    for block in at.get("html"):
        found += [html.unescape(h) for h in re.findall(r'href="([^"]+)"', block.proto.body)]
    return found


def target(href: str) -> tuple[str, dict[str, str]]:
    parts = urlsplit(href)
    return parts.path.strip("/"), dict(parse_qsl(parts.query))


def links_to(at: AppTest, path: str) -> list[dict[str, str]]:
    return [params for p, params in map(target, hrefs(at)) if p == path]


CASES = [
    # page, its URL, whether it shows province names and indicator names
    ("views/overview.py", {}, True, True),
    ("views/alerts.py", {}, True, False),
    ("views/policies.py", {}, True, False),
    ("views/league.py", {}, True, False),
    ("views/region.py", {"region": "reo:11"}, True, True),
    ("views/province.py", {"province": "67"}, False, True),
    ("views/explore.py", {}, False, True),
    ("views/indicators.py", {}, False, True),
    ("views/quality.py", {}, True, True),
    ("views/wall_results.py", {}, True, True),
    ("views/wall_crises.py", {}, True, True),
    ("views/wall_capacity.py", {}, True, True),
    ("views/wall_policies.py", {}, False, True),
]


@pytest.mark.parametrize(("path", "params", "provinces", "names"), CASES, ids=[c[0][6:-3] for c in CASES])
def test_province_and_indicator_names_link_to_their_pages(path, params, provinces, names):
    at = page(path, country="th", lang="th", **params)
    assert not at.exception, at.exception
    catalogue = indicators.catalogue(db.get(), "th")
    if provinces:
        found = links_to(at, "province")
        assert found, f"{path} links no province to its page"
        assert all(p["country"] == "th" and p["lang"] == "th" and p["province"].isdigit() for p in found)
    if names:
        found = links_to(at, "indicators")
        assert [p for p in found if p.get("indicator") in catalogue.index], f"{path} links no indicator"
        assert all(p["country"] == "th" and p["lang"] == "th" for p in found)


def test_the_red_walls_incidents_open_each_told_whole():
    """An incident on the Red wall opens its detail under the Alerts page's register, with the reader's country and
    language; the Alerts page tells that incident whole."""
    at = page("views/wall_crises.py", country="th", lang="en")
    assert not at.exception, at.exception
    found = links_to(at, "alerts")
    incidents = [p["incident"] for p in found if "incident" in p]
    assert incidents and all(p["country"] == "th" and p["lang"] == "en" for p in found)
    alerts = page("views/alerts.py", country="th", lang="en", incident=incidents[0])
    assert not alerts.exception, alerts.exception
    assert not alerts.warning  # no "the link asks for…": the register has it
    assert any(m.value == "**Response**" for m in alerts.markdown)


def test_a_table_cell_shows_the_name_and_opens_the_page():
    at = page("views/overview.py", country="la", lang="lo")
    cells = [h for h in hrefs(at) if h.startswith("province?")]
    shown = re.match(links.CELL_TEXT.replace("$", ""), "#" + cells[0].split("#", 1)[1])
    assert shown and "%" in shown.group(1)  # the Lao name, escaped in the link, shown decoded by the table
    assert target(cells[0])[1]["country"] == "la"


def test_a_page_load_writes_nothing_the_link_did_not_say():
    """Every change of the query string is an entry in the browser's history: a page that wrote each of its
    choices on load took several presses of Back to leave."""
    at = page("views/overview.py", country="th", lang="th")
    assert dict(at.query_params) in ({"country": "th", "lang": "th"}, {"country": ["th"], "lang": ["th"]})
    at.selectbox(key="url_indicator").set_value("dropout_rate").run()
    assert at.query_params["indicator"] in ("dropout_rate", ["dropout_rate"])  # a choice the reader makes is kept


def test_a_province_chosen_on_one_page_does_not_filter_the_next():
    at = page("views/province.py", country="th", lang="en", province="67")
    assert at.selectbox(key="url_province").value == "67"
    del at.query_params["province"]
    at.switch_page("views/alerts.py").run()
    assert not at.exception, at.exception
    assert at.selectbox(key="url_province").value == "all"
    assert "province" not in at.query_params


def test_links_from_a_province_page_carry_the_province():
    at = page("views/province.py", country="th", lang="en", province="67")
    assert {"province": "67", "country": "th", "lang": "en"}.items() <= links_to(at, "policies")[0].items()
    assert links_to(at, "decisions")[0]["area"] == "67"


def _stuck_alert() -> pd.Series:
    engine = store.engine(settings.load().state_url)
    try:
        table = lifecycle.list_alerts(engine, rule_ids=["policy-stalled"])
    finally:
        engine.dispose()
    return table[table["area_id"].str.isdigit()].iloc[0]


def test_open_the_policy_opens_it_in_the_alerts_province():
    alert = _stuck_alert()
    at = page("views/alerts.py", country="th", lang="en", alert=str(alert["id"]))
    assert not at.exception, at.exception
    (link,) = links_to(at, "policies")
    assert link["province"] == alert["area_id"] and link["policy"] == alert["subject"]
    at = page("views/policies.py", **link)
    assert not at.exception, at.exception
    assert not at.warning  # no "the link asks for province=…, which does not exist here"
    assert at.selectbox(key="url_province").value == alert["area_id"]
    assert at.selectbox(key="url_policy").value == alert["subject"]


def test_a_province_link_opens_a_policy_that_province_takes_part_in():
    """In Laos some policies cover the ten priority provinces only: a link about another province picks a policy
    it takes part in rather than reporting the province as unknown."""
    cursor = db.get().snapshot("la").cursor()
    # Provinces a policy covers, itself or through its districts (a priority-district policy reports districts).
    outside = cursor.execute(
        "with covered as (select p.policy_id, case when a.level = 'province' then a.area_id else a.parent_id end"
        " as province from policy_progress p join areas a using (area_id)),"
        " narrowest as (select policy_id from covered group by 1 order by count(distinct province), 1 limit 1)"
        " select area_id from areas where level = 'province' and area_id not in"
        " (select province from covered where policy_id = (select policy_id from narrowest)) order by area_id"
    ).df()["area_id"]
    assert len(outside)  # the demo's Lao policies do not all cover every province
    for province in outside[:3]:
        at = page("views/policies.py", country="la", lang="en", province=province)
        assert not at.exception, at.exception
        assert not at.warning, (province, [w.value for w in at.warning])
        assert at.selectbox(key="url_province").value == province


# --- Quality marks -------------------------------------------------------------------------------------------------


def test_province_reports_are_the_quality_pages_completeness():
    database = db.get()
    scope = access.whole_country(database.query("th", "data/province_ids")["area_id"])
    period = indicators.available_periods(database, "th", "dropout_rate")["period_start"].iloc[0]
    page_view = quality.by_province(database, "th", scope, "dropout_rate", period.date()).set_index("province_id")
    shares = quality.completeness_of(quality.province_reports(database, "th", scope, period), "dropout_rate", period)
    assert shares.reindex(page_view.index).tolist() == page_view["completeness"].tolist()


@pytest.fixture
def phetchabun_half_reported(monkeypatch):
    """Half of Phetchabun's districts (67) reporting every figure: the demo's reporting is complete."""
    real = quality.province_reports

    def fewer(*args, **kwargs):
        rows = real(*args, **kwargs)
        mine = rows["province_id"] == "67"
        rows.loc[mine, "reported"] = rows.loc[mine, "expected"] // 2
        rows["completeness"] = rows["reported"] / rows["expected"]
        return rows

    monkeypatch.setattr(quality, "province_reports", fewer)


def _marked(values) -> list:
    return [v for v in values if isinstance(v, str) and v.endswith(links.MARK)]


def test_complete_reporting_carries_no_mark():
    at = page("views/overview.py", country="th", lang="en", indicator="dropout_rate")
    assert not _marked(at.dataframe[0].value["value_label"])
    assert not links_to(at, "quality")


@pytest.mark.parametrize(
    ("path", "params"),
    [
        ("views/overview.py", {"indicator": "dropout_rate"}),
        ("views/province.py", {"province": "67"}),
        ("views/region.py", {"region": "reo:2"}),  # not Phetchabun's (nothing marked there)
        ("views/region.py", {"region": "reo:17"}),
    ],
)
def test_a_figure_on_too_few_reports_carries_the_mark(phetchabun_half_reported, path, params):
    at = page(path, country="th", lang="en", **params)
    assert not at.exception, at.exception
    cells = [v for frame in at.dataframe[:1] for column in frame.value.columns for v in frame.value[column]]
    in_phetchabun = params.get("region") != "reo:2"
    assert bool(_marked(cells)) == in_phetchabun
    assert bool(links_to(at, "quality")) == in_phetchabun
    if path == "views/overview.py":
        table = at.dataframe[0].value
        marked = table[table["value_label"].str.endswith(links.MARK)]
        assert [target(h)[1]["province"] for h in marked["link"]] == ["67"]
        assert links_to(at, "quality")[0]["indicator"] == "dropout_rate"


# --- In the browser: same-tab links and Back -------------------------------------------------------------------------


@pytest.mark.browser
def test_from_the_overview_to_a_province_and_back_in_one_press(streamlit_url, new_page, shot_dir):
    page_ = new_page(1366, 768)
    start = streamlit_url + "/?country=th&lang=th"
    page_.goto(start)
    wait_for_streamlit(page_)
    assert page_.url == start  # the page's own choices stay out of the URL (and out of the history)
    table = page_.get_by_test_id("stDataFrame").first
    table.scroll_into_view_if_needed()
    wait_for_streamlit(page_)
    box = table.bounding_box()
    # The first row's selector (the grid's leftmost column): the province ranked first opens in this tab.
    for attempt in range(3):  # a table redrawn between pointing and clicking loses the click: clicked again
        page_.mouse.click(box["x"] + 14, box["y"] + 35 + 17)
        try:
            page_.wait_for_url("**/province?**province=*", timeout=30_000)
            break
        except PlaywrightTimeout:
            if attempt == 2:
                raise
            wait_for_streamlit(page_)
    wait_for_streamlit(page_)
    assert set(target(page_.url)[1]) == {"country", "lang", "province"}  # the link's context, nothing more
    expect(page_.get_by_text("การทบทวนผลการจัดการศึกษาระดับจังหวัด").first).to_be_visible()
    page_.screenshot(path=shot_dir / "links_province_from_overview_th_1366x768.png")
    page_.go_back()
    expect(page_).to_have_url(start)
    wait_for_streamlit(page_)
    expect(page_.get_by_role("heading", name="ภาพรวม")).to_be_visible()
    assert page_.url == start


@pytest.mark.browser
def test_from_a_wall_to_an_indicators_catalogue_entry_and_back(streamlit_url, new_page, shot_dir):
    page_ = new_page(1366, 768)
    wall = streamlit_url + "/wall-results?country=th&lang=en"
    page_.goto(wall)
    wait_for_streamlit(page_)
    name = page_.locator("a.wr-name, a.wr-one").first
    indicator = target(name.get_attribute("href"))[1]["indicator"]
    label = name.inner_text()
    name.click()
    page_.wait_for_url(f"**/indicators?**indicator={indicator}**")
    wait_for_streamlit(page_)
    expect(page_.get_by_role("heading", name=label, exact=True)).to_be_visible()
    page_.screenshot(path=shot_dir / "links_wall_to_catalogue_en_1366x768.png")
    page_.go_back()
    expect(page_).to_have_url(wall)
    wait_for_streamlit(page_)
    assert page_.url == wall


def typed_by_hand(page_, before: str, typed: str):
    """`typed` opened as a reader types an address, after a page of the app (`before`) that Back should return to."""
    for address in (before, typed):
        page_.goto(address)
        wait_for_streamlit(page_)
    return page_


@pytest.mark.browser
def test_the_overviews_own_address_typed_by_hand_opens_it_and_back_leaves_in_one_press(streamlit_url, new_page):
    """Streamlit serves the default page at the root only: /overview typed by hand was its English "Page not found"
    dialog, then a redirect to the root that Back returned to (Back never left the Overview)."""
    before = streamlit_url + "/alerts?country=th&lang=th"
    typed = streamlit_url + "/overview?country=th&lang=th&indicator=dropout_rate"
    page_ = typed_by_hand(new_page(1366, 768), before, typed)
    expect(page_.get_by_role("heading", name="ภาพรวม")).to_be_visible()
    assert page_.get_by_role("dialog").count() == 0
    assert page_.url == typed  # the link's choices kept
    indicator = page_.get_by_test_id("stMain").get_by_test_id("stSelectbox").first.locator("input")
    assert indicator.input_value().startswith("อัตราการออกกลางคัน")
    page_.go_back()
    expect(page_).to_have_url(before)
    wait_for_streamlit(page_)
    expect(page_.get_by_role("heading", name="การแจ้งเตือน", exact=True)).to_be_visible()


def test_an_address_that_names_no_page_says_so_in_the_readers_language(streamlit_url, new_page):
    """A mistyped address (or a bookmark of a page since renamed) was Streamlit's English "Page not found" dialog over
    the Overview, and the address was replaced: now it says so in the reader's language, keeps the address, and leads
    to the reader's first page with their country and language."""
    before = streamlit_url + "/alerts?country=la&lang=lo"
    typed = streamlit_url + "/provinse?country=la&lang=lo&province=LA-VT"
    page_ = typed_by_hand(new_page(1366, 768), before, typed)
    expect(page_.get_by_role("heading", name="ບໍ່ພົບໜ້າຕາມທີ່ຢູ່ນີ້")).to_be_visible()
    expect(page_.get_by_test_id("stAlertContentWarning")).to_contain_text("“provinse”")
    assert page_.get_by_role("dialog").count() == 0
    assert page_.url == typed
    assert page_.title().startswith("ບໍ່ພົບໜ້າຕາມທີ່ຢູ່ນີ້ · ")
    page_.go_back()
    expect(page_).to_have_url(before)
    wait_for_streamlit(page_)
    page_.go_forward()
    expect(page_).to_have_url(typed)
    wait_for_streamlit(page_)
    page_.get_by_test_id("stPageLink").get_by_role("link").click()
    expect(page_).to_have_url(re.compile(r"/\?(country=la&lang=lo|lang=lo&country=la)$"))
    wait_for_streamlit(page_)
    expect(page_.get_by_role("heading", name="ພາບລວມ")).to_be_visible()


def test_back_across_a_change_of_language_is_the_page_before_in_its_language(streamlit_url, new_page):
    """The reader switches Thai to English, then presses Back: the page came back in Thai, but the tab's title and the
    page list stayed English (the frame took the language the session kept over the address's)."""
    page_ = new_page(1366, 768)
    page_.goto(streamlit_url + "/alerts?country=th&lang=th")
    wait_for_streamlit(page_)
    english = page_.get_by_test_id("stSidebar").get_by_role("radio", name="English", exact=True)
    after_its_run(page_, english.click)
    expect(page_.get_by_role("heading", name="Alerts", exact=True)).to_be_visible()
    assert page_.title() == "Alerts · Education Management Cockpit"
    after_its_run(page_, page_.go_back)
    expect(page_).to_have_url(streamlit_url + "/alerts?country=th&lang=th")
    expect(page_.get_by_role("heading", name="การแจ้งเตือน", exact=True)).to_be_visible()
    assert page_.title() == "การแจ้งเตือน · ห้องบริหารการศึกษา"
    expect(page_.get_by_test_id("stSidebarNavLink").first).to_have_text(re.compile("ภาพรวม"))
