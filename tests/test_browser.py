"""A few real-browser checks in Debian's headless Chromium: the page renders, the map draws, Thai shows."""

import pytest
from playwright.sync_api import expect
from streamlit_wait import colored_pixels, wait_for_streamlit

pytestmark = pytest.mark.browser


def test_overview_at_1920(streamlit_url, new_page, shot_dir):
    page = new_page(1920, 1080)
    page.goto(streamlit_url + "/?country=th&lang=th")
    wait_for_streamlit(page)
    assert page.locator('[data-testid="stException"], [data-testid="stAlertContentError"]').count() == 0
    expect(page.get_by_role("heading", name="ภาพรวม")).to_be_visible()
    expect(page.get_by_test_id("stMetricValue")).to_have_count(8)
    deck = page.get_by_test_id("stDeckGlJsonChart")
    assert colored_pixels(deck.screenshot()) > 500, "the province map drew no status colours"
    page.screenshot(path=shot_dir / "overview_th_1920x1080.png")
    # Hovering a province shows its value, target and rank.
    deck.scroll_into_view_if_needed()
    box = deck.bounding_box()
    page.mouse.move(box["x"] + box["width"] * 0.5, box["y"] + box["height"] * 0.35)
    tooltip = page.locator(".deck-tooltip")
    expect(tooltip).to_contain_text("อันดับ")
    expect(tooltip).to_contain_text("เป้าหมาย")
    deck.screenshot(path=shot_dir / "overview_th_map.png")


def test_overview_in_lao(streamlit_url, new_page, shot_dir):
    page = new_page(1920, 1080)
    page.goto(streamlit_url + "/?country=la&lang=lo")
    wait_for_streamlit(page)
    expect(page.get_by_role("heading", name="ພາບລວມ")).to_be_visible()
    assert colored_pixels(page.get_by_test_id("stDeckGlJsonChart").screenshot()) > 200
    page.screenshot(path=shot_dir / "overview_la_1920x1080.png")
