"""A few real-browser checks in Debian's headless Chromium: the page renders, the map draws, Thai shows."""

import pytest
from conftest import start_streamlit, stop_streamlit
from playwright.sync_api import TimeoutError as PlaywrightTimeout
from playwright.sync_api import expect
from streamlit_wait import colored_pixels, wait_for_streamlit

pytestmark = pytest.mark.browser
TOOLTIP = "#vg-tooltip-element.visible"  # Vega's tooltip, while it shows


def national_map(page):
    """The page's map of the provinces: its first Vega-Lite chart that draws shapes."""
    return page.get_by_test_id("stVegaLiteChart").filter(has=page.locator("g.mark-shape")).first


def test_overview_at_1920(streamlit_url, new_page, shot_dir):
    page = new_page(1920, 1080)
    page.goto(streamlit_url + "/?country=th&lang=th")
    wait_for_streamlit(page)
    assert page.locator('[data-testid="stException"], [data-testid="stAlertContentError"]').count() == 0
    expect(page.get_by_role("heading", name="ภาพรวม")).to_be_visible()
    expect(page.get_by_test_id("stMetricValue")).to_have_count(8)
    assert page.get_by_test_id("stDeckGlJsonChart").count() == 0  # no deck.gl module for a new tab to load
    province_map = national_map(page)
    assert colored_pixels(province_map.screenshot()) > 500, "the province map drew no status colours"
    page.screenshot(path=shot_dir / "overview_th_1920x1080.png")
    # Hovering a province shows its value, target and rank.
    province_map.scroll_into_view_if_needed()
    box = province_map.bounding_box()
    page.mouse.move(box["x"] + box["width"] * 0.5, box["y"] + box["height"] * 0.35)
    tooltip = page.locator(TOOLTIP)
    expect(tooltip).to_contain_text("อันดับ")
    expect(tooltip).to_contain_text("เป้าหมาย")
    province_map.screenshot(path=shot_dir / "overview_th_map.png")


def test_overview_in_lao(streamlit_url, new_page, shot_dir):
    page = new_page(1920, 1080)
    page.goto(streamlit_url + "/?country=la&lang=lo")
    wait_for_streamlit(page)
    expect(page.get_by_role("heading", name="ພາບລວມ")).to_be_visible()
    assert colored_pixels(national_map(page).screenshot()) > 200
    page.screenshot(path=shot_dir / "overview_la_1920x1080.png")


def test_a_deep_link_is_the_first_request_of_a_fresh_server(new_page):
    """A shared link opened first after a restart gets the whole app (frame, navigation, wide layout), not the
    page file alone: Streamlit runs a folder named pages/ as a legacy multipage app until st.navigation has run,
    which is why the pages live in views/."""
    from conftest import start_streamlit, stop_streamlit

    proc, url, _log = start_streamlit()
    try:
        page = new_page(1920, 1080)
        page.goto(url + "/province?province=67&lang=en")
        wait_for_streamlit(page)
        expect(page.get_by_role("heading", name="Phetchabun", exact=True)).to_be_visible()
        nav = page.get_by_test_id("stSidebarNav")
        expect(nav).to_contain_text("Overview")
        expect(nav).to_contain_text("War room")
        width = page.get_by_test_id("stMainBlockContainer").bounding_box()["width"]
        assert width > 1200, f"the page ran without the frame's wide layout ({width:.0f} px)"
    finally:
        stop_streamlit(proc)


def _navigation_state(page) -> str:
    """What a failed map click left behind: the address, and whether the page wrote its go-to link (links.go) and
    where that link points, so a failure says whether the click was lost or the navigation was."""
    go_link = page.locator(".st-key-cockpit-go a")
    href = go_link.first.get_attribute("href") if go_link.count() else None
    return f"url={page.url} go_link={go_link.count()} href={href} tooltip={page.locator(TOOLTIP).count()}"


@pytest.fixture
def own_server():
    """A page server of this test's own: in the whole suite, the shared one (after a few hundred sessions of other
    tests) lost this map click three times in a row, while it passed alone."""
    proc, url, _log = start_streamlit()
    try:
        yield url
    finally:
        stop_streamlit(proc)


def test_a_click_on_phetchabun_opens_its_page(own_server, new_page, shot_dir):
    from cockpit.figures import vega_maps

    streamlit_url = own_server

    page = new_page(1920, 1080)
    page.goto(streamlit_url + "/?country=th&lang=th")
    wait_for_streamlit(page)
    province_map = national_map(page)
    province_map.scroll_into_view_if_needed()
    wait_for_streamlit(page)  # drawn again after the scroll
    drawn = list(vega_maps.shapes("th", "province"))  # Vega draws the provinces in its data's order
    shape = province_map.locator("g.mark-shape path").nth(drawn.index("67")).bounding_box()
    x, y = shape["x"] + shape["width"] / 2, shape["y"] + shape["height"] / 2
    page.mouse.move(x, y)
    expect(page.locator(TOOLTIP)).to_contain_text("เพชรบูรณ์")  # the pointer is on Phetchabun
    # The map may be redrawn between pointing and clicking (a rerun under load): a lost click is clicked again
    # once Streamlit is idle, never more than three times.
    for attempt in range(3):
        page.mouse.click(x, y)
        try:
            page.wait_for_url("**/province?**province=67**", timeout=30_000)
            break
        except PlaywrightTimeout as timeout:
            wait_for_streamlit(page)
            if "province=67" in page.url:  # the click was taken, only slow (a loaded machine): not clicked again
                break
            if attempt == 2:
                state = _navigation_state(page)
                raise AssertionError(f"three clicks on Phetchabun did not open its page: {state}") from timeout
            page.mouse.move(x, y)
    wait_for_streamlit(page)
    expect(page.get_by_role("heading", name="เพชรบูรณ์", exact=True)).to_be_visible()
    page.screenshot(path=shot_dir / "province_th_from_overview_click.png")


OPEN_LINK_JS = """() => [...document.querySelectorAll('[data-testid=stSidebarNavLink]')].map(a => {
    const label = [...a.querySelectorAll('span')].pop();
    return [a.getAttribute('href').split('/').pop(), getComputedStyle(a).backgroundColor,
            getComputedStyle(label).fontWeight];
})"""


def test_the_home_page_by_its_own_path_is_marked_open_in_the_list(streamlit_url, new_page):
    """/overview (where the walls' links lead) marked no page of the list as open: its link now has an open page's
    background and weight, and no other link has."""
    page = new_page(1366, 768)
    page.goto(streamlit_url + "/alerts?country=th&lang=en")
    wait_for_streamlit(page)
    links = {href: style for href, *style in page.evaluate(OPEN_LINK_JS)}
    opened, closed = links["alerts"], links["warroom"]
    assert opened != closed
    page.goto(streamlit_url + "/overview?country=th&lang=en")
    wait_for_streamlit(page)
    links = {href: style for href, *style in page.evaluate(OPEN_LINK_JS)}
    assert links[""] == opened  # the home link: its href ends with "/"
    assert links["alerts"] == closed and links["warroom"] == closed
