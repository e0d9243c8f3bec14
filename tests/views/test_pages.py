"""Every page runs under AppTest on the demo extracts with no exception; the URL drives the view."""

import json
import re

import pytest
import streamlit as st
from conftest import ROOT, _free_port, as_read
from identities import demo, sees_page, sign_in
from pandas.io.formats.style import Styler
from streamlit.testing.v1 import AppTest

from cockpit import i18n
from cockpit.data import indicators
from cockpit.figures import short_text
from cockpit.review import policies
from cockpit.ui import links, tables
from cockpit.users import roles
from cockpit.users.identity import Identity

PAGES = sorted(str(p.relative_to(ROOT)) for p in (ROOT / "views").glob("*.py") if p.name != "__init__.py")


def app_test(**params) -> AppTest:
    """The app in English, as a reader would first open it."""
    return app(lang="en", **params)


def app(who=None, **params) -> AppTest:
    """The app as the suite's demo meeting secretary, or signed in as `who` (on data that is not the demo)."""
    at = AppTest.from_file(str(ROOT / "app.py"), default_timeout=90)
    if who is not None:
        sign_in(at, who)
    for key, value in params.items():
        at.query_params[key] = value
    return at.run()


def map_areas(at) -> list[dict]:
    """The areas the page's first map draws (vega_maps.choropleth), each with its code and status."""
    spec = next(s for s in (json.loads(c.proto.spec) for c in at.get("vega_lite_chart")) if "projection" in s)
    return spec["layer"][0]["data"]["values"]


def test_every_page_is_in_the_navigation():
    frame = (ROOT / "app.py").read_text(encoding="utf-8")
    assert [p for p in PAGES if f'"{p}"' not in frame] == []


@pytest.mark.parametrize("country", ["th", "la"])
@pytest.mark.parametrize("page", PAGES)
def test_every_page_runs_and_no_grid_is_taller_than_its_rows(page, country, monkeypatch):
    """A grid given a fixed height shows blank rows under a short table (the Policies page's 10 provinces in a grid
    of 18 rows' height, in Lao PDR): every grid is as tall as its rows or scrolls."""
    grids = []
    shown = st.dataframe

    def dataframe(data, *args, **kwargs):
        rows = len(data.data if isinstance(data, Styler) else data)
        grids.append((kwargs.get("key"), rows, kwargs.get("height", "auto"), kwargs.get("row_height") or tables.ROW_PX))
        return shown(data, *args, **kwargs)

    monkeypatch.setattr(st, "dataframe", dataframe)
    who = demo("meeting_secretary")  # the suite's demo account; the Data and Audit pages: a demo role that sees them
    who = who if sees_page(who, page) else next(demo(r) for r in roles.demo_accounts() if sees_page(demo(r), page))
    at = app(who=who, lang="en", country=country)
    at.switch_page(page).run()
    assert not at.exception, at.exception
    assert at.segmented_control(key="url_lang").value == "en"  # the sidebar's state survives the page switch
    too_tall = [
        (key, rows, height)
        for key, rows, height, row_px in grids  # rows of their own height where a grid wraps them
        if isinstance(height, int) and height > tables.HEADER_PX + row_px * rows
    ]
    assert too_tall == []


def test_overview_in_thai_by_default():
    at = app()
    assert not at.exception
    assert at.title[0].value == "ภาพรวม"
    assert len(at.metric) == 8
    features = map_areas(at)
    assert len(features) == 77
    assert all(f["status"] in ("met", "on_track", "at_risk", "off_track") for f in features)
    assert len(at.dataframe) == 1 and len(at.dataframe[0].value) == 77


def test_a_card_whose_change_rounds_to_nothing_has_no_arrow_or_colour():
    """The parity index moved by less than its two decimals: "↑ ±0.00" in green read as an improvement."""
    from streamlit.proto.Metric_pb2 import Metric

    cards = app(lang="en").metric
    flat = [m.proto for m in cards if m.proto.delta.startswith("±")]
    moved = [m.proto for m in cards if m.proto.delta[:1] in "+-"]
    assert flat and moved
    assert all(m.direction == Metric.MetricDirection.NONE and m.color == Metric.MetricColor.GRAY for m in flat)
    assert all(m.direction != Metric.MetricDirection.NONE and m.color != Metric.MetricColor.GRAY for m in moved)


def test_lao_country_and_language_from_the_url():
    at = app(country="la", lang="lo")
    assert not at.exception
    assert at.title[0].value == "ພາບລວມ"
    assert len(map_areas(at)) == 18


def test_language_switch_keeps_the_view():
    at = app(indicator="dropout_rate")
    at.segmented_control(key="url_lang").set_value("en").run()
    assert not at.exception
    assert at.title[0].value == "Overview"
    assert at.selectbox(key="url_indicator").value == "dropout_rate"
    assert at.query_params["lang"] == "en" and at.query_params["indicator"] == "dropout_rate"


def test_region_filter_narrows_the_table():
    at = app(region="reo:11", lang="en")
    assert not at.exception
    assert len(at.dataframe[0].value) == 3  # Sakon Nakhon, Nakhon Phanom, Mukdahan


def test_a_wrong_url_parameter_is_reported_not_obeyed():
    at = app(indicator="no_such_indicator", lang="en")
    assert not at.exception
    assert any("no_such_indicator" in as_read(w.value) for w in at.warning)
    assert at.selectbox(key="url_indicator").value != "no_such_indicator"


def test_a_link_with_markdown_is_shown_as_plain_text():
    """A value in the URL is quoted as typed: no link, no image fetched by every viewer's browser."""
    at = app(indicator="![t](http://example.invalid/x.png)", lang="en")
    assert not at.exception
    (warning,) = [w for w in at.warning if "example" in w.value]
    assert "\\!\\[t\\]\\(http\\:" in warning.value  # every formatting character escaped


@pytest.mark.parametrize(
    "params",
    [
        dict(lang="../../../../tmp/x"),
        dict(lang="x" * 300, country="nowhere"),
        dict(interval="inf", lang="en"),
        dict(refresh="-inf", lang="en"),
    ],
)
def test_a_hostile_url_is_no_traceback(params):
    assert not app(**params).exception


def publish_a_broken_extract(tmp_path, monkeypatch, good_first: bool):
    """Serve `tmp_path`'s publishes to the app after one with an unknown sex on row 4 (a good one before, if asked)."""
    import tiny

    if good_first:
        tiny.write(tmp_path / "th")
        tiny.served(tmp_path)
    obs = tiny.frames()["observations"]
    obs.loc[3, "sex"] = "unknown"
    tiny.write(tmp_path / "th", observations=obs)
    monkeypatch.setenv("COCKPIT_DATA_URL", tiny.served(tmp_path).store.url)


ANALYST = Identity("analyst", "Analyst", "analyst")  # a local account: the tiny extracts are not the demo's


def test_a_broken_extract_is_a_clear_message_not_a_traceback(tmp_path, monkeypatch):
    publish_a_broken_extract(tmp_path, monkeypatch, good_first=False)
    at = app(ANALYST, lang="en")
    assert not at.exception
    assert any("cannot be loaded" in e.value for e in at.error)
    problems = at.dataframe[0].value
    assert list(problems.iloc[0][["File", "Column", "Rows"]]) == ["observations.parquet", "sex", "4"]


def test_a_refused_publish_is_reported_over_the_version_still_served(tmp_path, monkeypatch):
    publish_a_broken_extract(tmp_path, monkeypatch, good_first=True)
    at = app(ANALYST, lang="en")
    assert not at.exception
    assert any("were rejected" in w.value and "version published before" in w.value for w in at.warning)
    assert list(at.dataframe[0].value.iloc[0][["File", "Column", "Rows"]]) == ["observations.parquet", "sex", "4"]
    assert at.selectbox(key="url_indicator").options  # the page goes on with the published version


def test_a_viewer_never_sees_a_traceback_or_a_server_path():
    """The shipped config shows an unexpected error's type only (the suite turns details back on for itself)."""
    import tomllib

    shipped = tomllib.loads((ROOT / ".streamlit" / "config.toml").read_text(encoding="utf-8"))
    assert shipped["client"]["showErrorDetails"] in ("type", "none")


def test_an_unreachable_store_is_a_message_not_a_traceback(monkeypatch):
    """The bucket behind COCKPIT_DATA_URL refuses connections: the page says so, in the reader's language."""
    port = _free_port()
    for key, value in dict(
        AWS_ACCESS_KEY_ID="test",
        AWS_SECRET_ACCESS_KEY="test",
        AWS_DEFAULT_REGION="us-east-1",
        AWS_ENDPOINT_URL=f"http://127.0.0.1:{port}",  # nothing listens there
        AWS_MAX_ATTEMPTS="1",
        COCKPIT_DATA_URL="s3://nowhere/versions",
    ).items():
        monkeypatch.setenv(key, value)
    at = app(lang="th")
    assert not at.exception, at.exception
    assert any("ขณะนี้ไม่สามารถอ่านข้อมูลที่เผยแพร่ได้" in e.value and "nowhere" in e.value for e in at.error)


@pytest.mark.parametrize("demo_account", ["meeting_secretary", ""], ids=["signed-in-before-the-list", "sign-in-page"])
def test_a_broken_roles_file_is_its_line_in_the_readers_language_not_a_traceback(demo_account, tmp_path, monkeypatch):
    """Every reader signs in by the roles, so with the file broken no page opens: the reader is told which line, and
    not that "the other pages work". Signed in before the page list (the demo setting here; a cookie or a wall's
    token alike), the roles were read outside any page, where a broken file was a traceback."""
    shipped = (ROOT / "config" / "roles.yaml").read_text(encoding="utf-8")
    line = shipped.splitlines().index("    scope: national") + 1
    broken = tmp_path / "roles.yaml"
    broken.write_text(shipped.replace("    scope: national\n", "    scope: everywhere\n", 1), encoding="utf-8")
    monkeypatch.setenv("COCKPIT_ROLES_FILE", str(broken))
    monkeypatch.setenv("COCKPIT_DEMO_ACCOUNT", demo_account)
    at = app(lang="th")
    assert not at.exception, at.exception
    shown = [e.value.replace("\\", "") for e in at.error]  # as plain text: Markdown's characters escaped
    assert [m for m in shown if f"roles.yaml (line {line})" in m and "ทุกหน้าจะเปิดไม่ได้" in m], shown


def test_an_accounts_area_is_named_not_coded(monkeypatch):
    """The sidebar and the sign-in page's demo buttons read "67" and "reo:17": a province and an office now go by
    their names, in the reader's language."""
    signed_in = app(demo("provincial_office"), lang="th")
    assert signed_in.sidebar.caption[0].value.endswith("· สำนักงานศึกษาธิการจังหวัด · เพชรบูรณ์")
    monkeypatch.setenv("COCKPIT_DEMO_ACCOUNT", "")  # the sign-in page
    buttons = [b.label for b in app(lang="en").button]
    assert "Regional office · Regional Education Office 17" in buttons
    assert "Provincial office · Phetchabun" in buttons
    # In Thai the office's name says its role already: said once, not "สำนักงานศึกษาธิการภาค · สำนักงานศึกษาธิการภาค 17"
    assert "สำนักงานศึกษาธิการภาค 17" in [b.label for b in app(lang="th").button]


def test_a_state_store_that_does_not_answer_is_waited_for_once_a_run(monkeypatch):
    """The sign-in before the page list opened the store, then the page's banner opened it again: a store that does
    not answer cost two connect timeouts a run (20 s instead of 10 s)."""
    import sqlalchemy as sa

    from cockpit.ui import store_status

    tries = []

    def no_answer(url):
        tries.append(url)
        raise sa.exc.OperationalError("connect", {}, TimeoutError("timeout expired"))

    monkeypatch.setattr(store_status, "_engine", no_answer)
    at = app(lang="en")
    assert not at.exception, at.exception
    assert any("The state store cannot be reached now" in w.value for w in at.warning)
    assert len(tries) == 1


def test_the_headline_cards_follow_the_period_chosen():
    """FY2567 chosen, every card stayed on FY2569: now each shows its value as that period ended."""
    at = app(lang="en", indicator="ger_lower_secondary")
    newest = [m.value for m in at.metric]
    named = app(lang="en", indicator="ger_lower_secondary", period=at.selectbox(key="url_period").value)
    assert [m.value for m in named.metric] == newest  # the newest period named in the link: the same cards
    choice = at.selectbox(key="url_period")
    choice.set_value(choice.options[2]).run()  # two years back
    assert not at.exception, at.exception
    earlier = [m.value for m in at.metric]
    assert len(earlier) == len(newest) and earlier != newest


@pytest.mark.parametrize(("country", "lang"), [("th", "th"), ("la", "lo"), ("th", "en")])
def test_the_rankings_provinces_are_as_wide_as_their_names_need(country, lang):
    """In 95 px, "กรุงเทพมหานคร", "พระนครศรีอยุธยา" and "ນະຄອນຫຼວງວຽງຈັນ" were cut: the province column is as wide as
    the names need, up to what the other columns leave in 70% of a laptop's page (the English names longest)."""
    at = app(country=country, lang=lang)
    assert not at.exception, at.exception
    (grid,) = [g for g in at.dataframe if "trend" in g.value.columns]
    config = json.loads(grid.proto.columns)
    widths = {c: v["width"] for c, v in config.items() if "width" in v}
    assert sum(widths.values()) + 35 <= 619, widths
    names = [links.cell_text(c) for c in grid.value["link"]]
    cut = [n for n in names if short_text.width_px(n) > short_text.room_px(widths["link"])]
    if lang == "en":
        assert "Phra Nakhon Si Ayutthaya" in cut and len(cut) <= 3
    else:
        assert not cut, cut


@pytest.mark.parametrize(("who", "area"), [("provincial_office", "Phetchabun"), ("regional_office", "Office 17")])
def test_an_offices_headline_cards_are_its_own_areas(who, area):
    """An office's Overview headed its cards "Thailand" above a map and ranking of its own provinces: the cards are
    its own area's, as the walls' and the Policies page's are; a region chosen still sums up that region."""
    office = app(demo(who), lang="en")
    assert not office.exception, office.exception
    heading = [as_read(s.value) for s in office.subheader if "headline results" in as_read(s.value)]
    assert len(heading) == 1 and area in heading[0], heading
    national = app(lang="en")
    assert [as_read(s.value) for s in national.subheader if "headline results" in as_read(s.value)] == [
        "Thailand: headline results against target"
    ]
    assert [m.value for m in office.metric] != [m.value for m in national.metric]
    if who == "regional_office":  # the same cards as its region chosen by a national reader
        chosen = app(lang="en", region=demo(who).area_id)
        assert [m.value for m in office.metric] == [m.value for m in chosen.metric]


@pytest.mark.parametrize(
    ("country", "lang", "title", "demo_account"),
    [("th", "th", "เลขานุการการประชุม", "บัญชีสาธิต"), ("la", "lo", "ເລຂານຸການກອງປະຊຸມ", "ບັນຊີສາທິດ")],
)
def test_a_role_is_named_in_the_readers_language(country, lang, title, demo_account):
    """In the sidebar and in a refusal, the demo meeting secretary's role reads in Thai and Lao, never as its key;
    and the account is called a demo account there, not by its one English name ("Demo meeting secretary")."""
    at = app(country=country, lang=lang)
    signed_in = [c.value for c in at.sidebar.caption if title in c.value]
    assert len(signed_in) == 1 and "Meeting secretary" not in signed_in[0]
    assert demo_account in signed_in[0] and "Demo" not in signed_in[0]
    at = AppTest.from_file(str(ROOT / "app.py"), default_timeout=90)
    at.query_params.update(country=country, lang=lang)
    at.switch_page("views/audit.py").run()  # by its link: the account signs in on the page, which refuses it
    assert not at.exception, at.exception
    refusal = at.error[0].value
    assert title in refusal and "meeting_secretary" not in refusal


def test_a_page_the_role_does_not_see_is_refused_when_its_link_opens_a_new_session():
    """The page list leaves the Data page out for the demo meeting secretary (no `publish`), but its link still
    opens it: refused, in Thai, and the refusal is in the audit."""
    from cockpit.state import store
    from cockpit.users import audit

    engine = store.engine()

    def refusals() -> int:
        refused = audit.entries(engine, kinds=["refused"], login="demo.meeting_secretary")
        return int((refused["action"] == "page.data").sum())

    before = refusals()
    at = AppTest.from_file(str(ROOT / "app.py"), default_timeout=90)
    at.query_params.update(country="th", lang="th")
    at.switch_page("views/data.py").run()
    assert not at.exception, at.exception
    assert [e.value for e in at.error] == ["บทบาทของคุณ (เลขานุการการประชุม) ไม่มีสิทธิ์เปิดหน้านี้"]
    assert not at.dataframe and not at.expander  # no versions, no import
    assert refusals() == before + 1
    assert at.button(key="sign_out").label == "ออกจากระบบ"  # the sidebar is drawn: the language, the sign-out
    (home,) = at.get("page_link")  # not a dead end: the role's first page, named in Thai
    assert home.proto.label == "ไปที่หน้าภาพรวม" and home.proto.page_script_hash


MARKUP = "**Bold** <b>tag</b> [link](http://example.org) $x$ :red[r]"


@pytest.mark.parametrize("page", ["views/overview.py", "views/province.py", "views/region.py", "views/policies.py"])
def test_names_from_the_extracts_are_shown_as_written_not_as_markdown(page, tmp_path, monkeypatch):
    """Every area, grouping, indicator, source and policy named with Markdown and HTML: the headings, captions and
    titles show the name as written (the Province page's title, its subheaders, the Region page's, the Overview's
    headline and source, the Policies page's were Markdown). Two areas of one region table named alike: the Region
    page gave a traceback (Styler on duplicate columns)."""
    import tiny

    frames = tiny.frames()
    for table, columns in {
        "areas": ["name_en", "name_local"],
        "area_groups": ["group_name_en", "group_name_local"],
        "indicators": ["name_en", "name_th", "source"],
        "policies": ["name_en", "name_local"],
    }.items():
        for column in columns:
            frames[table][column] = [f"{MARKUP} {i % 2}" for i in range(len(frames[table]))]  # names twice alike
    tiny.write(tmp_path / "th", **frames)
    monkeypatch.setenv("COCKPIT_DATA_URL", tiny.served(tmp_path).store.url)
    at = AppTest.from_file(str(ROOT / "app.py"), default_timeout=90)
    sign_in(at, Identity("secretary", "Secretary", "meeting_secretary", None, None, "local"))
    at.query_params.update(country="th", lang="en")
    at.run()
    at.switch_page(page)
    at.query_params.update(country="th", lang="en", province="P1")
    at.run()
    assert not at.exception
    shown = [e.value for kind in ("title", "subheader", "markdown", "caption", "info") for e in getattr(at, kind)]
    named = [value for value in shown if "Bold" in value]
    assert named, "the page shows no name from the extracts"
    assert [value for value in named if "**Bold**" in value or "[link](" in value or "<b>tag" in value] == []
    assert any(MARKUP in as_read(value) for value in named)  # the name as written, escapes aside


# An ISO day, or a common-era year: a Thai reader counts years in the Buddhist era (2569).
NOT_THAI_DAY = re.compile(r"\b\d{4}-\d{2}-\d{2}\b|\b20\d\d\b")
SHOWN_TEXT = ("title", "header", "subheader", "markdown", "caption", "info", "success", "warning", "error", "metric")


@pytest.mark.parametrize("page", PAGES)
def test_every_page_writes_its_days_in_the_readers_calendar(page):
    """A day on a Thai page reads '22 พ.ย. 2569' and a year 2569 (item 3 of issue 19): the Explorer's caption said
    '2026-11-22'. Its page titles, headings, text, messages and tiles are read."""
    who = demo("meeting_secretary")
    who = who if sees_page(who, page) else next(demo(r) for r in roles.demo_accounts() if sees_page(demo(r), page))
    at = app(who=who, lang="th", country="th")
    at.switch_page(page).run()
    assert not at.exception, at.exception
    shown = [str(e.value) for kind in SHOWN_TEXT for e in at.get(kind)] + [str(m.label) for m in at.get("metric")]
    assert [text for text in shown if NOT_THAI_DAY.search(text)] == []


# A policy and a province chosen: the Policies page's tables of its districts and provinces.
CHOSEN_POLICY = {
    "th": dict(policy="one_district_one_quality_school", province="48"),
    "lo": dict(policy="priority_district_completion", province="LA-PH"),
}


@pytest.mark.parametrize("lang", ["th", "lo"])
@pytest.mark.parametrize(
    "page, chosen",
    [
        ("views/overview.py", False),
        ("views/province.py", False),
        ("views/policies.py", False),
        ("views/policies.py", True),
    ],
)
def test_no_status_is_cut_in_its_column(page, chosen, lang, monkeypatch):
    """A status is written bold in its colour (badges.status_cell_css): "ไม่เป็นไปตามเป้า" was cut in the Overview's
    and the Policies page's status columns (100 and 95 px), in rows below those a laptop shows first."""
    grids = []
    shown = st.dataframe

    def dataframe(data, *args, **kwargs):
        grids.append((data.data if isinstance(data, Styler) else data, kwargs.get("column_config") or {}))
        return shown(data, *args, **kwargs)

    monkeypatch.setattr(st, "dataframe", dataframe)
    labels = (*indicators.STATUS_LABELS.values(), *policies.STATUS_LABELS.values())
    statuses = {i18n.tr(lang, label) for label in labels}
    at = app(lang=lang, country={"th": "th", "lo": "la"}[lang], **(CHOSEN_POLICY[lang] if chosen else {}))
    grids.clear()  # the Overview's, opened first
    at.switch_page(page).run()
    assert not at.exception, at.exception
    cut = [
        (column, text, config["width"])
        for table, configs in grids
        for column, config in configs.items()
        if column in table.columns and isinstance(config, dict) and isinstance(config.get("width"), int)
        for text in set(table[column].astype(str)) & statuses
        if short_text.width_px(text, bold=True) + short_text.CELL_PADDING_PX > config["width"]
    ]
    assert any(set(table.astype(str).stack()) & statuses for table, _ in grids)  # statuses were shown
    assert cut == []
