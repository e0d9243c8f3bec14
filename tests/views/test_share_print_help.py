"""Issue 19 item 6: a view's link to share (every choice, defaults included, reproduces the view in a fresh session),
the Print button and the print stylesheet, the Overview as a workbook, and 'How to read this page' on every page."""

import io
from urllib.parse import parse_qsl, urlsplit

import pytest
import streamlit as st
from conftest import ROOT
from openpyxl import load_workbook
from streamlit.testing.v1 import AppTest

from cockpit.ui import links, page_help, printing, text


def page(path: str, **params) -> AppTest:
    at = AppTest.from_file(str(ROOT / "app.py"), default_timeout=120)
    for key, value in params.items():
        at.query_params[key] = value
    if path != "views/overview.py":
        # Before a first run AppTest finds a page by its file name only: a wall (url_path 'wall-results', file
        # wall_results.py) would silently be the Overview.
        at.run()
    at.switch_page(path)
    return at.run()


def shared_link(at: AppTest) -> str:
    """The link in the Share box (the page's only st.code)."""
    (code,) = at.code
    return code.value


def opened(link: str) -> AppTest:
    """The link opened in a new session, as a colleague who receives it would."""
    parts = urlsplit(link)
    path = parts.path.strip("./") or "overview"
    return page(links.PAGES[path], **dict(parse_qsl(parts.query)))


def rows(at: AppTest) -> list:
    return at.dataframe[0].value.iloc[:, :3].astype(str).values.tolist()


# --- Share ---------------------------------------------------------------------------------------------------------


def test_the_overview_link_holds_the_defaults_it_does_not_write_into_the_url():
    at = page("views/overview.py", lang="en")
    assert not at.exception, at.exception
    params = dict(parse_qsl(urlsplit(shared_link(at)).query))
    assert set(params) == {"country", "lang", "indicator", "period", "region"}
    assert params["period"] == at.selectbox(key="url_period").value  # the newest period, which moves with a publish
    assert "period" not in at.query_params  # the page itself does not write it


def test_the_overview_link_reproduces_the_view():
    at = page("views/overview.py", lang="en")
    at.selectbox(key="url_indicator").set_value("dropout_rate").run()
    at.selectbox(key="url_region").set_value("reo:11").run()
    at.selectbox(key="url_period").select_index(1).run()  # an older period than the default
    assert not at.exception, at.exception
    chosen = at.selectbox(key="url_period").value
    fresh = opened(shared_link(at))
    assert not fresh.exception, fresh.exception
    assert fresh.selectbox(key="url_indicator").value == "dropout_rate"
    assert fresh.selectbox(key="url_period").value == chosen
    assert fresh.selectbox(key="url_region").value == "reo:11"
    assert rows(fresh) == rows(at)


def test_the_region_link_reproduces_the_view():
    at = page("views/region.py", lang="en", region="reo:11")
    at.segmented_control(key="url_wall").set_value("blue").run()
    assert not at.exception, at.exception
    link = shared_link(at)
    assert dict(parse_qsl(urlsplit(link).query))["wall"] == "blue"
    fresh = opened(link)
    assert fresh.selectbox(key="url_region").value == "reo:11"
    assert fresh.segmented_control(key="url_wall").value == "blue"
    assert fresh.title[0].value == at.title[0].value
    assert fresh.dataframe[0].value.equals(at.dataframe[0].value)


@pytest.mark.parametrize("wall", ["wall_results", "wall_crises", "wall_capacity", "wall_policies"])
def test_a_wall_link_reproduces_its_region(wall):
    at = page(f"views/{wall}.py", lang="en", region="reo:11")
    assert not at.exception, at.exception
    link = shared_link(at)
    assert urlsplit(link).path == wall.replace("_", "-")
    fresh = opened(link)
    assert fresh.selectbox(key="url_region").value == "reo:11"


def test_the_war_room_screen_has_no_share_or_print():
    at = page("views/warroom.py", lang="en")
    assert not at.exception, at.exception
    assert len(at.code) == 0 and not [b for b in at.button if b.key == "cockpit-print"]


# --- Print ---------------------------------------------------------------------------------------------------------


@pytest.mark.parametrize("path", ["views/overview.py", "views/region.py", "views/wall_results.py"])
def test_print_button_and_stylesheet(path):
    at = page(path, lang="th")
    assert not at.exception, at.exception
    assert at.button(key="cockpit-print").label == "พิมพ์"
    bodies = [h.proto.body for h in at.get("html")]
    assert sum("@page { size: A4 landscape; margin: 10mm; }" in b for b in bodies) == 1  # once per page
    assert any("window.print()" in b for b in bodies)


def test_every_page_gets_the_print_stylesheet():
    at = page("views/alerts.py", lang="en")
    assert any(printing.PRINT_CSS.strip() in h.proto.body for h in at.get("html"))


# --- The Overview as a workbook ------------------------------------------------------------------------------------


@pytest.fixture
def downloads(monkeypatch) -> dict:
    """The download buttons a page draws: label -> (file name, data). AppTest drops a button's deferred data (it
    has no media file manager), so the buttons are watched as the page makes them; calling the data makes the file
    as a click would, audit included."""
    made = {}
    real = st.download_button

    def watched(label, data, *args, **kwargs):
        made[label] = (kwargs.get("file_name"), data)
        return real(label, data, *args, **kwargs)

    monkeypatch.setattr(st, "download_button", watched)
    return made


def test_the_overview_workbook_holds_the_rows_shown(downloads):
    at = page("views/overview.py", lang="en", indicator="dropout_rate", region="reo:11")
    assert not at.exception, at.exception
    name, make = downloads["Excel"]
    data = make()
    assert name.startswith("overview-dropout-rate-reo-11-") and name.endswith(".xlsx")
    wb = load_workbook(io.BytesIO(data))
    assert wb.sheetnames[:2] == ["Ranking", "Headline results"]
    assert {"Indicator definitions", "Sources"} <= set(wb.sheetnames)
    ranking = wb["Ranking"]
    assert "Dropout" in ranking["A1"].value  # the heading names the indicator
    shown = at.dataframe[0].value
    table = [[c.value for c in r] for r in ranking.iter_rows(min_row=5) if r[0].value is not None or r[1].value]
    assert [r[1] for r in table] == [links.cell_text(c) for c in shown["link"]]  # the provinces, in the table's order
    assert [r[7] for r in table] == list(shown["status_label"])
    assert all(isinstance(r[3], float) for r in table if r[3] is not None)  # figures as numbers
    headlines = wb["Headline results"]
    assert headlines.max_row - 4 == len(at.metric)  # one row per headline card
    sources = {r[0].value: r[1].value for r in wb["Sources"].iter_rows(min_row=4, max_col=2) if r[0].value}
    assert sources["Data as of"] is not None and sources["Extract version"]


# --- How to read this page -----------------------------------------------------------------------------------------

HELP_PAGES = {
    "views/overview.py": "overview",
    "views/province.py": "province",
    "views/region.py": "region",
    "views/alerts.py": "alerts",
    "views/policies.py": "policies",
    "views/league.py": "league",
    "views/decisions.py": "decisions",
    "views/explore.py": "explore",
    "views/indicators.py": "indicators",
    "views/quality.py": "quality",
    "views/wall_results.py": "wall-results",
    "views/wall_crises.py": "wall-crises",
    "views/wall_capacity.py": "wall-capacity",
    "views/wall_policies.py": "wall-policies",
}


@pytest.mark.parametrize("path", list(HELP_PAGES))
def test_every_page_explains_how_to_read_it(path):
    at = page(path, lang="lo", country="la")
    assert not at.exception, at.exception
    lines = page_help.lines(HELP_PAGES[path], "lo")
    assert 1 <= len(lines) <= 8, lines  # short: a few lines, each a sentence or three
    assert not any(c.isascii() and c.isalpha() for line in lines for c in line), lines  # Lao, from the catalog
    shown = [m.value for m in at.markdown]
    assert ["- " + text.plain(line) for line in lines if "- " + text.plain(line) in shown] == [
        "- " + text.plain(line) for line in lines
    ]


def test_the_war_room_screen_has_no_help_panel():
    at = page("views/wall_results.py", lang="en", kiosk="1")
    assert not at.exception, at.exception
    assert not [m for m in at.markdown if m.value.startswith("- Met")]


def test_the_thresholds_come_from_the_configuration(tmp_path, monkeypatch):
    """A ministry that changes its thresholds sees them explained at once: nothing in the panel is written twice."""
    from cockpit import config

    for name in ("kpi_status.yaml", "policy_status.yaml", "league.yaml"):
        (tmp_path / name).write_text(config.path(name).read_text(encoding="utf-8"), encoding="utf-8")
    kpi = tmp_path / "kpi_status.yaml"
    kpi.write_text(kpi.read_text(encoding="utf-8").replace("share: 0.05", "share: 0.08"), encoding="utf-8")
    policy = tmp_path / "policy_status.yaml"
    policy.write_text(
        policy.read_text(encoding="utf-8")
        .replace("at_risk_gap: -15.0", "at_risk_gap: -12.0")
        .replace("periods: 3", "periods: 4"),
        encoding="utf-8",
    )
    monkeypatch.setenv("COCKPIT_CONFIG_DIR", str(tmp_path))
    kpi_lines = " ".join(page_help.lines("overview", "en"))
    assert "8% of the trajectory's value" in kpi_lines
    policy_lines = " ".join(page_help.lines("policies", "en"))
    assert "−12.0 pts" in policy_lines and "latest 4 reporting periods" in policy_lines
    assert "−5.0 pts" in policy_lines  # on track, as configured


def test_a_broken_configuration_file_is_named_in_the_panel(tmp_path, monkeypatch):
    from cockpit import config

    for name in ("kpi_status.yaml", "policy_status.yaml", "league.yaml"):
        (tmp_path / name).write_text(config.path(name).read_text(encoding="utf-8"), encoding="utf-8")
    (tmp_path / "kpi_status.yaml").write_text("default: {share: 2}\n", encoding="utf-8")
    monkeypatch.setenv("COCKPIT_CONFIG_DIR", str(tmp_path))
    lines = page_help.lines("overview", "en")
    assert any("kpi_status.yaml" in line for line in lines)
    assert any(line.startswith("Source:") for line in lines)  # the rest is still explained


# --- The print view in a real browser ------------------------------------------------------------------------------

# Each page once, in one language each (both scripts covered): a printout takes 10-20 s of the suite's browser.
PRINTED = [
    ("overview", "/?country=th&lang=th", "ภาพรวม"),
    ("region", "/region?country=la&lang=lo&region=region:north", "ພາກເໜືອ"),
]


@pytest.mark.browser
@pytest.mark.parametrize(("name", "path", "heading"), PRINTED)
def test_printed_on_a4_landscape(streamlit_url, new_page, shot_dir, name, path, heading):
    """The page printed (Chromium's PDF of the print media) on A4 landscape: every sheet rendered to PNG in shots/;
    the content is all there (the boxes grew to it, not one screen's height), nothing is wider than the paper, and
    the sidebar and buttons stay off the paper."""
    import fitz
    from streamlit_wait import wait_for_streamlit

    page_ = new_page(1366, 768)
    page_.goto(streamlit_url + path)
    wait_for_streamlit(page_)
    assert page_.locator(".cockpit-paper").count() == (name == "overview")
    assert not page_.locator(".cockpit-paper").first.is_visible()  # paper's copy of the ranking: on paper only
    page_.emulate_media(media="print")
    wait_for_streamlit(page_)
    page_.evaluate("() => window.dispatchEvent(new Event('beforeprint'))")  # as the browser does before printing
    width = page_.evaluate("() => document.documentElement.scrollWidth")
    inner = page_.evaluate("() => document.documentElement.clientWidth")
    assert width <= inner + 1, f"the print view is {width} px wide in a {inner} px page"
    pdf = page_.pdf(format="A4", landscape=True, print_background=True, prefer_css_page_size=True)
    doc = fitz.open(stream=pdf, filetype="pdf")
    lang = "th" if "lang=th" in path else "lo"
    words = ""
    for number, sheet in enumerate(doc, start=1):
        assert round(sheet.rect.width) == 842 and round(sheet.rect.height) == 595  # A4 landscape, in points
        sheet.get_pixmap(dpi=70).save(shot_dir / f"print_{name}_{lang}_page{number}.png")
        words += sheet.get_text()
    assert heading is None or heading in words
    assert len(doc) >= 2, "only one screen reached the paper"
    for absent in ("Sign out", "ออกจากระบบ", "ອອກຈາກລະບົບ", "พิมพ์", "ພິມ"):
        assert absent not in words.split(), absent  # the sidebar and the buttons are not printed
    if name == "overview":  # the ranking's every row, where its grid on screen is a canvas one screen high
        from cockpit.data import geo

        compact = "".join(words.split())
        provinces = [f["properties"]["name_th"] for f in geo.boundaries("th", "province")["features"]]
        missing = [p for p in provinces if "".join(p.split()) not in compact]
        assert len(provinces) == 77 and not missing, missing
