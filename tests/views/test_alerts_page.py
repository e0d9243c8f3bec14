"""The Alerts page under AppTest: it runs, filters by URL, and an acknowledgement with a note survives a restart."""

import json
import re

import pytest
import streamlit as st
from conftest import ROOT, as_read
from identities import officer, provincial, sign_in
from streamlit.testing.v1 import AppTest

from cockpit import i18n, settings
from cockpit.alerts import evaluation, lifecycle
from cockpit.figures import short_text
from cockpit.state import store
from cockpit.ui import alert_panels, links, tables
from cockpit.users.identity import Identity

pytestmark = pytest.mark.calendar  # run again 400 days ahead and back by .ci/run (make test-calendar)


def alerts_page(who=None, **params) -> AppTest:
    """The Alerts page as the suite's meeting secretary, or signed in as `who`."""
    at = AppTest.from_file(str(ROOT / "views" / "alerts.py"), default_timeout=120)
    if who is not None:
        sign_in(at, who)
    for key, value in params.items():
        at.query_params[key] = value
    return at.run()


def unwrapped(title: str) -> str:
    """An English title as written, from the lines the feed broke it into (at spaces and after hyphens)."""
    return title.replace("-\n", "-").replace("\n", " ")


def flood_alert_id() -> int:
    engine = store.engine(settings.load().state_url)
    table = lifecycle.list_alerts(engine, rule_ids=["flood-closures"], area_ids=["34"])
    engine.dispose()
    return int(table["id"].iloc[0])


def test_the_alerts_page_runs_and_counts_by_severity():
    at = alerts_page(lang="en")
    assert not at.exception
    assert at.title[0].value == "Alerts"
    counts = [int(m.value) for m in at.metric[:4]]
    assert counts[0] >= 5  # critical: the north-east flood closures


def test_filters_come_from_the_url():
    at = alerts_page(lang="en", region="reo:14", severity="critical")  # Ubon, Si Sa Ket, Yasothon, Amnat Charoen
    assert not at.exception
    assert at.selectbox(key="url_region").value == "reo:14"
    feed = at.dataframe[0].value
    assert set(feed["severity"]) == {"Critical"}
    assert {links.cell_text(p) for p in feed["place"]} == {"Ubon Ratchathani", "Si Sa Ket", "Yasothon"}
    quiet = alerts_page(lang="en", region="reo:11", severity="critical")
    assert any("No alerts match" in i.value for i in quiet.info)


def test_labels_filter_and_the_office_that_must_respond_comes_first():
    at = alerts_page(lang="en", label="hazard: flood", state="all")
    assert not at.exception, at.exception
    assert set(at.dataframe[0].value["title"].map(unwrapped)) == {"Schools closed by floods"}
    # The implausible-test-score rule asks the district office to respond; the other demo rules, the province's.
    feed = alerts_page(lang="en", office="district", state="all").dataframe[0].value
    # The feed breaks a title into the lines its column shows (at spaces, in English).
    district_first = list(feed["title"].map(unwrapped) == "Implausible O-NET grade 9 mean in a district")
    assert district_first[0] and district_first == sorted(district_first, reverse=True)


def test_labels_read_in_the_readers_language_and_the_address_keeps_their_key():
    at = alerts_page(lang="th", label="hazard: flood", state="all")
    assert not at.exception, at.exception
    picker = at.selectbox(key="url_label")
    assert picker.value == "hazard: flood" and picker.format_func(picker.value) == "ภัย: อุทกภัย"
    assert {"ผนัง: วิกฤต", "ผนัง: ผลลัพธ์", "ข้อมูล: ความครบถ้วน"} <= set(picker.options)
    assert not [o for o in picker.options if o.startswith(("wall:", "hazard:", "data:"))]
    # A label the cockpit does not know shows as its rule writes it, after the known name.
    assert "นโยบาย: zero-dropout" in picker.options
    at.query_params["alert"] = str(at.dataframe[0].value["id"].iloc[0])
    at.run()
    assert any(":gray-badge[ผนัง: วิกฤต] :gray-badge[ภัย: อุทกภัย]" in as_read(m.value) for m in at.markdown)


def test_a_provincial_office_sees_first_what_it_must_respond_to():
    at = sign_in(AppTest.from_file(str(ROOT / "views" / "alerts.py"), default_timeout=120), provincial("67"))
    at.query_params["lang"] = "en"
    at.run()
    assert not at.exception, at.exception
    assert at.selectbox(key="url_office").value == "province"  # from the signed-in identity, not the URL
    national = alerts_page(lang="en")
    assert national.selectbox(key="url_office").value == "all"


def test_a_provincial_office_is_told_how_many_alerts_fire_in_its_province_not_the_country():
    """Savannakhet's office read "67 alerts firing now" (the country's) above its own four open alerts."""

    def firing(at: AppTest) -> int:
        assert not at.exception, at.exception
        (told,) = [as_read(c.value) for c in at.caption if "alerts firing now" in as_read(c.value)]
        return int(re.search(r"; ([\d,]+) alerts? firing now", told).group(1).replace(",", ""))

    office = firing(alerts_page(provincial("67"), lang="en"))
    national = firing(alerts_page(lang="en"))
    assert 0 < office < national, (office, national)


@pytest.mark.parametrize(("country", "lang"), [("th", "th"), ("la", "lo"), ("th", "en")])
def test_the_feeds_titles_are_whole_in_a_laptops_two_thirds(country, lang):
    """The feed gave an alert's title 105 px: "โรงเรียนปิดเนื่องจ". Its titles, periods and states wrap between words,
    each line within its column, in rows as tall as the most lines; who an alert is assigned to is under its state
    (their columns shared), and the columns fit the two thirds of a laptop's main column."""
    at = alerts_page(lang=lang, country=country, state="all")
    assert not at.exception, at.exception
    grid = at.dataframe[0]
    config = json.loads(grid.proto.columns)
    shown = [c for c in config if c in ("severity", "title", "place", "since", "state")]
    assert sum(config[c]["width"] for c in shown) + 35 <= 592, config
    feed = grid.value
    for column in ("title", "since", "state"):
        room = short_text.room_px(config[column]["width"])
        lines = [line for cell in feed[column] for line in cell.split("\n")]
        assert all(short_text.width_px(line) <= room for line in lines), (column, lines)
    # Each place whole, unless it needs more than the most the column takes from the titles ("Ubon Ratchathani" was
    # cut in 90 px; a district with its province, "เขตสวนหลวง, กรุงเทพมหานคร", may be).
    room = short_text.room_px(config["place"]["width"])
    cut = [links.cell_text(p) for p in feed["place"] if short_text.width_px(links.cell_text(p)) > room]
    assert all(tables.text_column_px("", [p], bold=False) > alert_panels.PLACE_MOST_PX for p in cut), cut
    most = max(cell.count("\n") + 1 for column in ("title", "since", "state") for cell in feed[column])
    assert grid.proto.row_height == tables.lines_row_px(["\n" * (most - 1)], most_lines=4) and most > 1


def test_an_episode_says_how_long_it_has_lasted_and_who_responds():
    engine = store.engine(settings.load().state_url)
    (episode,) = lifecycle.list_alerts(engine, rule_ids=["budget-disbursement-lagging"], area_ids=["58"]).itertuples()
    engine.dispose()
    at = alerts_page(lang="en", alert=str(episode.id), state="all")
    assert not at.exception, at.exception
    header = next(as_read(m.value) for m in at.markdown if "periods in breach" in m.value)
    assert f"{episode.periods_in_breach} periods in breach" in header and "Provincial office responds" in header
    assert "reconstructed" in " ".join(m.value for m in at.markdown)  # the replayed opening, marked so


def test_acknowledgement_with_a_note_survives_a_restart(monkeypatch, tmp_path):
    monkeypatch.setenv("COCKPIT_STATE_URL", "sqlite:///" + str(tmp_path / "state.db"))  # a store of its own
    assert not alerts_page(lang="en").exception  # the first page view evaluates the rules into it
    alert_id = flood_alert_id()
    ubon = Identity("somchai", "Somchai, Ubon Ratchathani PEO", "provincial_office", "th", "34")
    at = alerts_page(ubon, lang="en", alert=str(alert_id))
    assert not at.exception
    at.segmented_control(key="alert_action").set_value("acknowledge")
    at.text_area(key="alert_note").input("Temporary classrooms opened in 12 temples.")
    at.button(key="alert_record").click().run()
    assert not at.exception

    st.cache_resource.clear()  # a restarted process: no engine, no cached store
    again = alerts_page(ubon, lang="en", alert=str(alert_id))
    assert not again.exception
    text = as_read(" ".join(m.value for m in again.markdown) + " ".join(c.value for c in again.caption))
    assert "Temporary classrooms opened in 12 temples." in text
    assert "Somchai, Ubon Ratchathani PEO" in text
    engine = store.engine(settings.load().state_url)
    assert lifecycle.get(engine, alert_id).state == "acknowledged"
    engine.dispose()


def test_an_action_missing_its_note_or_assignee_is_refused_in_the_readers_language(monkeypatch, tmp_path):
    """A comment with no note, an assignment with no name: refused in Thai, nothing recorded, the form as typed (it
    was "Not recorded: comment needs a note", in English, on a Thai page)."""
    monkeypatch.setenv("COCKPIT_STATE_URL", "sqlite:///" + str(tmp_path / "state.db"))
    assert not alerts_page(lang="th").exception
    alert_id = flood_alert_id()
    ubon = Identity("somchai", "สมชาย สำนักงานศึกษาธิการจังหวัดอุบลราชธานี", "provincial_office", "th", "34")
    at = alerts_page(ubon, lang="th", alert=str(alert_id))
    at.segmented_control(key="alert_action").set_value("comment")
    at.text_area(key="alert_note").input("   ")
    at.button(key="alert_record").click().run()
    assert not at.exception
    assert [e.value for e in at.error] == ["ไม่ได้บันทึก: การดำเนินการนี้ต้องมีบันทึกสิ่งที่ได้ทำ ตัดสินใจ หรือพบ"]
    at.segmented_control(key="alert_action").set_value("assign")
    at.text_area(key="alert_note").input("ส่งทีมอำเภอ")
    at.button(key="alert_record").click().run()
    assert [e.value for e in at.error] == ["ไม่ได้บันทึก: การมอบหมายต้องมีชื่อผู้ที่จะดำเนินการ"]
    assert at.text_area(key="alert_note").value == "ส่งทีมอำเภอ"  # what was typed is kept
    engine = store.engine(settings.load().state_url)
    alert = lifecycle.get(engine, alert_id)
    engine.dispose()
    assert (alert.state, alert.version) == ("new", 1)  # nothing recorded


@pytest.mark.parametrize("raw", ["999999", "¹", "-1", "1.5"])
def test_an_unknown_alert_in_the_url_is_reported(raw):
    at = alerts_page(lang="en", alert=raw)
    assert not at.exception
    assert any(raw in as_read(w.value) for w in at.warning)


def test_an_action_on_an_alert_someone_changed_meanwhile_is_refused_not_lost(monkeypatch, tmp_path):
    """A opens the alert; B assigns it; A's assignment is refused with a warning, B's stands, A's text stays."""
    monkeypatch.setenv("COCKPIT_STATE_URL", "sqlite:///" + str(tmp_path / "state.db"))
    assert not alerts_page(lang="en").exception
    alert_id = flood_alert_id()
    region = Identity("a", "A, Region 14", "regional_office", "th", "reo:14")
    at = alerts_page(region, lang="en", alert=str(alert_id))  # A reads the alert
    engine = store.engine(settings.load().state_url)
    seen = lifecycle.get(engine, alert_id).version
    lifecycle.act(engine, alert_id, "assign", officer("B, Ubon PEO"), assignee="Khun Malee", expected_version=seen)
    at.segmented_control(key="alert_action").set_value("assign")
    at.text_input(key="alert_assignee").input("Khun Somsak")
    at.text_area(key="alert_note").input("Send the district team")
    at.button(key="alert_record").click().run()
    assert not at.exception
    assert any("Someone else acted" in w.value for w in at.warning)
    assert lifecycle.get(engine, alert_id).assignee == "Khun Malee"  # B's assignment stands
    assert at.text_area(key="alert_note").value == "Send the district team"  # A's text is still there
    at.button(key="alert_record").click().run()  # A, having seen B's change, insists: now recorded
    assert lifecycle.get(engine, alert_id).assignee == "Khun Somsak"
    engine.dispose()


def test_names_and_notes_in_the_history_are_shown_as_typed(monkeypatch, tmp_path):
    """An audit trail shows what people typed; a link or an image in a note stays text."""
    monkeypatch.setenv("COCKPIT_STATE_URL", "sqlite:///" + str(tmp_path / "state.db"))
    assert not alerts_page(lang="en").exception
    alert_id = flood_alert_id()
    engine = store.engine(settings.load().state_url)
    version = lifecycle.get(engine, alert_id).version
    lifecycle.act(
        engine,
        alert_id,
        "comment",
        officer("**Boss**"),
        note="![x](http://example.invalid/x.png)",
        expected_version=version,
    )
    engine.dispose()
    at = alerts_page(lang="en", alert=str(alert_id))
    assert not at.exception
    assert any(c.value == "\\!\\[x\\]\\(http\\://example\\.invalid/x\\.png\\)" for c in at.caption)
    assert any("\\*\\*Boss\\*\\*" in m.value for m in at.markdown)
    assert any(as_read(c.value) == "![x](http://example.invalid/x.png)" for c in at.caption)  # reads as typed


def test_the_incident_register_shows_the_active_ones_unless_asked_and_downloads_the_year():
    import io
    from datetime import timedelta

    import pandas as pd

    from cockpit import clock
    from cockpit.alerts import evaluation
    from cockpit.data import access
    from cockpit.data.db import Database
    from cockpit.ui import alert_panels

    at = alerts_page(lang="en")
    assert not at.exception, at.exception
    db = Database(settings.load().data_url)
    today = clock.today()  # as the page asks, on the suite's calendar
    scope = access.whole_country(db.query("th", "data/province_ids")["area_id"])
    year = evaluation.incidents(db, "th", scope, today - timedelta(days=365), today)
    assert 0 < int(year["active"].sum()) < len(year)  # the demo has both, so the windows differ

    def register():
        return next(d.value for d in at.dataframe if "Students affected" in d.value)

    assert len(register()) == int(year["active"].sum())
    at.segmented_control(key="incident_window").set_value("year").run()
    assert len(register()) == len(year)
    assert "Ended" in next(d for d in at.dataframe if "Students affected" in d.value).proto.column_order
    at.segmented_control(key="incident_window").set_value("quarter").run()
    quarter = register()
    assert 0 < len(quarter) < len(year)

    ctx = type("Ctx", (), {"country": "th", "lang": "th", "tr": staticmethod(lambda m, **v: m.format(**v) if v else m)})
    year = year.assign(response=['=HYPERLINK("http://example.invalid")', *year["response"].iloc[1:]])
    csv = alert_panels.register_csv(ctx, year)
    assert csv.startswith(b"\xef\xbb\xbf")  # Excel reads Thai only with the byte-order mark
    read = pd.read_csv(io.BytesIO(csv), encoding="utf-8-sig")
    assert len(read) == len(year) and set(read["Province"]) <= set(year["province_name_local"])
    assert read["Response"].iloc[0].startswith("'=")  # a formula a spreadsheet would run is written as text


def test_an_alert_offers_a_decision_about_it_to_who_records_them():
    """The runbook ends with a decision to record: the alert links to the form about it (a plain link here, the page
    being run on its own), for the roles that record decisions."""
    alert_id = flood_alert_id()

    def decision_links(at: AppTest) -> list[str]:
        assert not at.exception, at.exception
        return [m.value for m in at.markdown if "decisions?" in m.value]

    (link,) = decision_links(alerts_page(lang="en", alert=str(alert_id)))
    assert f"alert={alert_id}" in link
    analyst = Identity("a", "An analyst", "analyst", "th", None)
    assert decision_links(alerts_page(analyst, lang="en", alert=str(alert_id))) == []


def test_a_chosen_alerts_heading_shows_its_rule_title_and_place_as_written(monkeypatch):
    """The heading over a chosen alert joins the rule's title and the area's name (from the rule file and the
    extracts): it was Markdown, so a name holding a link rendered one."""
    markup = "**Bold** [link](http://example.org)"
    feed = evaluation.feed

    def named_with_markup(*args, **kwargs):
        table = feed(*args, **kwargs)
        table["place"] = markup + " " + table["place"]
        return table

    assert not alerts_page(lang="en").exception  # the first view evaluates the rules into the store
    monkeypatch.setattr(evaluation, "feed", named_with_markup)
    at = alerts_page(lang="en", alert=str(flood_alert_id()))
    assert not at.exception
    [heading] = [s.value for s in at.subheader if "Bold" in s.value]
    assert "**Bold**" not in heading and markup in as_read(heading)


def test_an_incidents_alert_with_no_recent_incident_says_so_instead_of_an_empty_grid(monkeypatch):
    """A flood alert resolved months ago: its evidence grid was empty, captioned "empty" in English on every page."""
    assert not alerts_page(lang="en").exception
    monkeypatch.setattr(evaluation, "related_incidents", lambda rows, alert: rows.iloc[0:0])
    at = alerts_page(lang="th", alert=str(flood_alert_id()))
    assert not at.exception
    assert "ไม่มีเหตุการณ์ประเภทนี้บันทึกไว้ในพื้นที่นี้ในช่วง 90 วันที่ผ่านมา" in [as_read(c.value) for c in at.caption]


def test_an_alert_picked_stays_the_one_shown_when_the_feed_is_filtered_under_it():
    """Streamlit keeps a row picked by its position: filtered to high alerts, the feed's first row, another alert,
    became the one shown and written in the address."""
    at = alerts_page(lang="en")
    feed = at.dataframe[0].value
    assert feed["severity"].iloc[0] == "Critical"  # the feed's most severe first
    picked = int(feed["id"].iloc[0])
    at.session_state[tables.selection_key("alert_feed", feed["id"])] = {
        "selection": {"rows": [0], "columns": [], "cells": []}
    }
    at.run()
    assert at.query_params["alert"] == str(picked)
    at.selectbox(key="url_severity").select("high").run()
    assert not at.exception, at.exception
    assert set(at.dataframe[0].value["severity"]) == {"High"}  # another alert is at its position now
    assert at.query_params["alert"] == str(picked)
    [heading] = [h.value for h in at.subheader if " · " in h.value]  # the alert shown in detail
    assert heading.startswith(unwrapped(feed["title"].iloc[0]) + " · ")


def test_an_alert_a_link_names_is_told_first_and_one_picked_under_the_feed():
    """A link to an alert (an e-mail's, a province page's) opened the page on its map and feed, the alert told below
    them, out of sight: it is told first; an alert picked in the feed is told under the feed, and stays there when
    the feed is filtered under it."""

    def order(at) -> tuple[int, int]:
        headings = [as_read(h.value) for h in at.subheader]
        return next(i for i, h in enumerate(headings) if " · " in h), headings.index("Alert feed")

    at = alerts_page(lang="en", alert=str(flood_alert_id()))
    assert not at.exception, at.exception
    detail, feed_heading = order(at)
    assert detail < feed_heading
    feed = next(d.value for d in at.dataframe if "severity" in d.value.columns)
    assert feed["severity"].iloc[1] == "Critical"  # filtered to high alerts below, its row goes
    at.session_state[tables.selection_key("alert_feed", feed["id"])] = {
        "selection": {"rows": [1], "columns": [], "cells": []}
    }
    at.run()
    assert at.query_params["alert"] == str(int(feed["id"].iloc[1]))
    detail, feed_heading = order(at)
    assert detail > feed_heading
    at.selectbox(key="url_severity").select("high").run()  # the pick's row filtered away: still told there
    assert not at.exception, at.exception
    detail, feed_heading = order(at)
    assert detail > feed_heading


def register_year(lang: str = "en"):
    """The page, and the 12 months of incidents its register reads, on the suite's calendar."""
    from datetime import timedelta

    from cockpit import clock
    from cockpit.data import access
    from cockpit.data.db import Database

    db = Database(settings.load().data_url)
    today = clock.today()
    scope = access.whole_country(db.query("th", "data/province_ids")["area_id"])
    return evaluation.incidents(db, "th", scope, today - timedelta(days=365), today)


@pytest.mark.parametrize("lang", ["th", "en"])
def test_an_incident_picked_is_told_whole_and_the_register_fits_a_laptop(lang):
    """The register cut each response at 100 px (8 in Thai) and 13 English districts at 105 px: its columns are as
    wide as they need within a laptop's column, an "Ended" that reads "ongoing" in every row left out; the incident
    picked (?incident=ID) is told whole under it, its description and response as typed, and over the page once
    when a link opened the page about it."""
    year = register_year()
    answered = year[year["active"] & year["response"].fillna("").str.len().gt(40)]
    incident = answered.iloc[0]
    at = alerts_page(lang=lang, incident=str(incident["incident_id"]))
    assert not at.exception, at.exception
    students = i18n.tr(lang, "Students affected")
    grid = next(d for d in at.dataframe if students in d.value.columns)
    config = json.loads(grid.proto.columns)
    assert sum(c["width"] for c in config.values() if "width" in c) <= alert_panels.REGISTER_PX - alert_panels.PICKER_PX
    assert i18n.tr(lang, "Ended") not in grid.proto.column_order  # every row still active: "ongoing"
    cut = [
        name
        for heading in (i18n.tr(lang, "District"), i18n.tr(lang, "Province"))
        for name in (links.cell_text(c) for c in grid.value[heading])
        if short_text.width_px(name) > short_text.room_px(config[heading]["width"])
    ]
    # The places narrowed only as far as the response's 100 px needs (whole names in Thai here, one English district
    # cut; on other days a type as long as "Building damage" leaves the places less): a name is cut only then.
    response = config[i18n.tr(lang, "Response")]["width"]
    assert not cut or response <= alert_panels.RESPONSE_LEAST_PX + 1, (cut, response)
    read = [as_read(m.value) for m in at.markdown]
    assert incident["response"] in read and incident["description"] in read
    local = lang == "th"
    place = incident["district_name_local" if local else "district_name_en"]
    assert any(place in as_read(h.value) for h in at.subheader), [h.value for h in at.subheader]
    # Opened by a link about it (a wall's), it is told over the page too, once: the detail is below the feed.
    assert sum(m.value == "**" + i18n.tr(lang, "Response") + "**" for m in at.markdown) == 2
    at.run()
    assert sum(m.value == "**" + i18n.tr(lang, "Response") + "**" for m in at.markdown) == 1


def test_an_incident_the_register_does_not_have_is_reported_not_obeyed():
    at = alerts_page(lang="en", incident="[x](http://example.invalid)")
    assert not at.exception, at.exception
    assert any("incident [x](http://example.invalid)" in as_read(w.value) for w in at.warning)
    assert "incident" not in at.query_params
    assert any("Pick an incident" in c.value for c in at.caption)
