"""War-room mode: the rotation across loops, pause and keys, staleness, all without sleeping; kiosk and filters
survive every switch and refresh (the Grafana and Superset failures); real-browser shots of every wall."""

import json
import re
import time
from datetime import UTC, date, datetime, timedelta

import pytest
from conftest import DATA_DIR, ROOT, TODAY
from identities import secretary
from page_checks import WALL_CUT_JS
from streamlit.testing.v1 import AppTest

from cockpit import clock, i18n
from cockpit.meeting import warroom

pytestmark = pytest.mark.calendar  # run again 400 days ahead and back by .ci/run (make test-calendar)

T0 = datetime(2026, 11, 22, 3, 0, tzinfo=UTC).timestamp()  # 10:00 in Bangkok


# ------------------------------------------------------------------------------------------------
# The rotation state machine


def test_a_wall_stays_up_for_its_interval_then_the_next_goes_up():
    r = warroom.start(interval=60, now=T0)
    assert warroom.at(r, T0 + 59.9).wall == "black"
    assert warroom.at(r, T0 + 60).wall == "red"
    assert warroom.at(r, T0 + 181).wall == "white"
    assert warroom.remaining(r, T0 + 45) == pytest.approx(15)


@pytest.mark.parametrize("loops", [1, 2, 7, 1000])
def test_the_rotation_loops_forever_without_drifting(loops):
    r = warroom.start(interval=30, now=T0)
    seen = []
    now = T0
    for _ in range(loops * 4):
        r = warroom.at(r, now)
        seen.append(r.wall)
        now += 30
    assert seen == list(warroom.WALLS) * loops
    # Evaluated in one jump (a sleeping laptop waking up) it lands on the same wall, on the same beat.
    jumped = warroom.at(warroom.start(interval=30, now=T0), T0 + loops * 120 + 31)
    assert jumped.wall == "red" and jumped.shown_at == T0 + loops * 120 + 30


def test_what_a_rotation_carries_is_only_the_wall_not_kiosk_or_filters():
    params = {"kiosk": "1", "country": "la", "lang": "lo", "region": "region:north", "interval": "20", "x": "y"}
    r = warroom.start(interval=20, now=T0)
    for step in range(1, 13):  # three loops
        r = warroom.at(r, T0 + 20 * step)
        kept = warroom.carried(params, wall=r.wall)
        assert kept == {
            "kiosk": "1",
            "country": "la",
            "lang": "lo",
            "region": "region:north",
            "interval": "20",
            "wall": r.wall,
        }
    assert warroom.carried(params, kiosk=None) == {
        "country": "la",
        "lang": "lo",
        "region": "region:north",
        "interval": "20",
    }


def test_pause_holds_the_wall_and_resume_gives_it_a_full_interval():
    r = warroom.pause(warroom.start(interval=60, now=T0), T0 + 50)
    assert warroom.at(r, T0 + 10_000).wall == "black"
    assert warroom.remaining(r, T0 + 10_000) == 60
    resumed = warroom.resume(r, T0 + 10_000)
    assert not resumed.paused
    assert warroom.at(resumed, T0 + 10_059).wall == "black"
    assert warroom.at(resumed, T0 + 10_060).wall == "red"
    assert warroom.toggle(warroom.toggle(r, T0 + 1), T0 + 2).paused


def test_next_and_previous_wrap_around_and_restart_the_interval():
    r = warroom.start(interval=60, now=T0)
    assert warroom.previous_wall(r, T0 + 5).wall == "white"
    moved = warroom.next_wall(warroom.next_wall(r, T0 + 5), T0 + 50)
    assert moved.wall == "blue"
    assert warroom.at(moved, T0 + 109).wall == "blue"  # a full interval from the key press
    assert warroom.at(moved, T0 + 110).wall == "white"
    # Moving while paused stays paused on the new wall.
    paused = warroom.next_wall(warroom.pause(r, T0), T0 + 500)
    assert paused.paused and warroom.at(paused, T0 + 9999).wall == "red"


def test_a_decision_being_recorded_holds_the_wall_and_keeps_the_rooms_pause_apart():
    r = warroom.start(interval=60, now=T0)
    held = warroom.hold(r, T0 + 50)
    assert warroom.at(held, T0 + 3600).wall == "black" and warroom.remaining(held, T0 + 3600) == 60
    back = warroom.release(held, T0 + 3600)
    assert not back.held and warroom.at(back, T0 + 3659).wall == "black"  # a full interval after the dialog
    assert warroom.at(back, T0 + 3660).wall == "red"
    paused = warroom.hold(warroom.pause(r, T0 + 10), T0 + 20)
    still = warroom.release(paused, T0 + 500)
    assert still.paused and warroom.at(still, T0 + 5000).wall == "black"  # the room's pause outlives the dialog
    assert warroom.release(r, T0 + 61).wall == "red"  # releasing what was never held just tells the time


def test_goto_retime_and_a_clock_that_goes_backwards():
    r = warroom.start(first="blue", interval=60, now=T0)
    assert r.wall == "blue"
    assert warroom.goto(r, "white", T0 + 1).wall == "white"
    assert warroom.goto(r, "purple", T0 + 1).wall == "blue"
    slower = warroom.retime(r, 120, T0 + 30)
    assert slower.interval == 120 and warroom.at(slower, T0 + 149).wall == "blue"
    back = warroom.at(r, T0 - 3600)  # the system clock was corrected
    assert back.wall == "blue" and back.shown_at == T0 - 3600
    assert warroom.start(first="nowhere", now=T0).wall == "black"
    with pytest.raises(ValueError):
        warroom.start(interval=0)


@pytest.mark.parametrize(
    "raw, seconds",
    [
        (None, 60),
        ("", 60),
        ("abc", 60),
        ("45", 45),
        ("45.9", 45),
        ("1", 10),
        ("999999", 3600),
        ("-5", 10),
        ("inf", 60),  # not a number of seconds: the default, not an OverflowError
        ("-inf", 60),
        ("1e999", 60),
        ("nan", 60),
    ],
)
def test_the_interval_from_the_url_is_bounded(raw, seconds):
    assert warroom.parse_interval(raw) == seconds


def test_the_refresh_from_the_url_is_bounded():
    assert warroom.parse_refresh(None) == warroom.REFRESH_SECONDS
    assert warroom.parse_refresh("1") == 5 and warroom.parse_refresh("120") == 120
    assert warroom.parse_refresh("inf") == warroom.parse_refresh("nan") == warroom.REFRESH_SECONDS


def test_kiosk_flag_and_tick():
    assert warroom.is_kiosk({"kiosk": "1"}) and warroom.is_kiosk({"kiosk": "True"})
    assert not warroom.is_kiosk({}) and not warroom.is_kiosk({"kiosk": "0"})
    assert warroom.tick_seconds(10) == 1 and warroom.tick_seconds(60) == 5 and warroom.tick_seconds(3600) == 5


# ------------------------------------------------------------------------------------------------
# How fresh the data is


def test_monthly_data_turns_stale_once_the_next_month_is_overdue():
    october = date(2026, 10, 1)
    fresh = warroom.freshness(october, "month", datetime(2026, 12, 1, 3, tzinfo=UTC).timestamp())
    assert fresh.as_of == date(2026, 10, 31) and fresh.age_days == 31 and not fresh.stale
    late = warroom.freshness(october, "month", datetime(2026, 12, 2, 3, tzinfo=UTC).timestamp())
    assert late.stale and late.age_days == 32


def test_the_day_is_the_meeting_rooms_not_utc():
    # 18:30 UTC on 1 Dec is already 2 Dec in Bangkok.
    now = datetime(2026, 12, 1, 18, 30, tzinfo=UTC).timestamp()
    assert clock.local_date(now) == date(2026, 12, 2)
    assert warroom.freshness(date(2026, 10, 1), "month", now).stale


def test_a_thai_fiscal_year_and_a_running_quarter():
    fy2569 = date(2025, 10, 1)
    assert not warroom.freshness(fy2569, "year", T0).stale
    assert warroom.freshness(fy2569, "year", datetime(2027, 10, 2, 3, tzinfo=UTC).timestamp()).stale
    running = warroom.freshness(date(2026, 10, 1), "quarter", T0, expected_days=92)
    assert running.as_of == date(2026, 10, 1) and running.running and not running.stale
    assert not warroom.freshness(date(2026, 7, 1), "quarter", T0, expected_days=92).running  # ended 30 Sep


def test_a_walls_stamp_is_its_newest_data_and_its_most_overdue_source():
    now = datetime(2026, 12, 15, 3, tzinfo=UTC).timestamp()
    monthly = warroom.freshness(date(2026, 11, 1), "month", now)
    yearly = warroom.freshness(date(2024, 10, 1), "year", now)
    assert warroom.newest([monthly, yearly]) is monthly
    assert warroom.stalest([monthly, yearly]) is yearly and yearly.stale
    assert warroom.newest([]) is None and warroom.stalest([]) is None


# ------------------------------------------------------------------------------------------------
# The war room page under AppTest: kiosk and filters survive every switch and refresh


def war_room(**params) -> AppTest:
    at = AppTest.from_file(str(ROOT / "views" / "warroom.py"), default_timeout=120)
    for key, value in params.items():
        at.query_params[key] = value
    return at


def html(at: AppTest) -> str:
    return " ".join(element.proto.body for element in at.get("html"))


def shown_wall(at: AppTest) -> str:
    return re.search(r'data-wall="(\w+)"', html(at)).group(1)


def test_kiosk_and_filters_survive_loops_of_the_rotation(monkeypatch):
    now = [T0]
    monkeypatch.setattr(clock, "timestamp", lambda: now[0])
    at = war_room(kiosk="1", country="th", lang="th", region="reo:11", interval="30").run()
    assert not at.exception, at.exception
    walls_seen = [shown_wall(at)]
    for _ in range(9):  # more than two loops, a run per wall change as the timer would trigger
        now[0] += 30
        at.run()
        assert not at.exception, at.exception
        walls_seen.append(shown_wall(at))
        body = html(at)
        assert '[data-testid="stSidebar"]' in body, "kiosk CSS lost"
        params = {k: at.query_params[k] for k in ("kiosk", "country", "lang", "region", "interval", "wall")}
        assert params == {
            "kiosk": "1",
            "country": "th",
            "lang": "th",
            "region": "reo:11",
            "interval": "30",
            "wall": walls_seen[-1],
        }
        assert at.selectbox(key="url_region").value == "reo:11"
        assert at.segmented_control(key="url_lang").value == "th"
        assert at.selectbox(key="url_country").value == "th"
    assert walls_seen == ["black", "red", "blue", "white"] * 2 + ["black", "red"]


def test_refreshing_in_place_keeps_the_wall_and_filters(monkeypatch):
    now = [T0]
    monkeypatch.setattr(clock, "timestamp", lambda: now[0])
    at = war_room(kiosk="1", lang="en", region="reo:14", wall="red", interval="600").run()
    assert shown_wall(at) == "red"
    for _ in range(5):  # refreshes within the wall's interval: same wall, same filters
        now[0] += 61
        at.run()
        assert shown_wall(at) == "red"
        assert at.query_params["region"] == "reo:14" and at.query_params["kiosk"] == "1"
    views = re.findall(r'data-view="([^"]+)"', html(at))
    assert "map" in views and "alerts" in views


def test_pause_next_and_previous_buttons(monkeypatch):
    now = [T0]
    monkeypatch.setattr(clock, "timestamp", lambda: now[0])
    at = war_room(lang="en", interval="30").run()
    assert shown_wall(at) == "black"
    at.button(key="warroom_next").click().run()
    assert shown_wall(at) == "red" and at.query_params["wall"] == "red"
    at.button(key="warroom_pause").click().run()
    assert at.query_params["paused"] == "1"
    now[0] += 3600
    at.run()
    assert shown_wall(at) == "red"
    at.button(key="warroom_previous").click().run()
    assert shown_wall(at) == "black"
    at.button(key="warroom_pause").click().run()
    assert "paused" not in at.query_params
    now[0] += 30
    at.run()
    assert shown_wall(at) == "red"
    at.segmented_control(key="warroom_wall").set_value("white").run()
    assert shown_wall(at) == "white"


def test_without_kiosk_the_page_has_its_chrome():
    at = war_room(lang="en").run()
    assert not at.exception
    assert "data-kiosk-theme" not in html(at)  # the kiosk's own marker (the print stylesheet names the sidebar)
    assert "wall" in at.query_params


# ------------------------------------------------------------------------------------------------
# Real browser: every wall in kiosk mode at 1920x1080 and 3840x2160, in Thai, Lao and English


WALL_SHOTS = ROOT / "shots" / "warroom"
SCREENS = {"1920x1080": 1, "3840x2160": 2}  # a 1920x1080 viewport at device scale 2 is a 4K wall at 200%
LANGUAGES = {"th": "th", "lo": "la", "en": "th"}
DECISIONS = {  # one on each wall, in the language of the meeting; the first is overdue
    "th": (
        "ให้ สพท. ที่มีอัตราการเข้าเรียนก่อนประถมต่ำสุดเสนอแผนเร่งรัดในการประชุมครั้งหน้า",
        "ส่งทีมประเมินความเสียหายไปโรงเรียนที่ถูกน้ำท่วมในอุบลราชธานีภายในสัปดาห์นี้",
        "จัดลำดับโรงเรียนที่ยังไม่มีอินเทอร์เน็ตเพื่อรับงบประมาณไตรมาสหน้า",
        "เร่งลงนามสัญญาอินเทอร์เน็ตโรงเรียนในจังหวัดที่ล่าช้า",
    ),
    "lo": (
        "ໃຫ້ແຂວງທີ່ມີອັດຕາເຂົ້າຮຽນອະນຸບານຕ່ຳສຸດສະເໜີແຜນເລັ່ງລັດໃນກອງປະຊຸມຄັ້ງໜ້າ",
        "ສົ່ງທີມປະເມີນຄວາມເສຍຫາຍໄປໂຮງຮຽນທີ່ຖືກນ້ຳຖ້ວມໃນແຂວງຈຳປາສັກພາຍໃນອາທິດນີ້",
        "ຈັດລຳດັບໂຮງຮຽນທີ່ຍັງບໍ່ມີອິນເຕີເນັດເພື່ອຮັບງົບປະມານໄຕມາດໜ້າ",
        "ເລັ່ງລັດການສົ່ງຄູໄປເມືອງທີ່ຂາດຄູ",
    ),
    "en": (
        "Provinces with the lowest pre-primary enrolment bring a catch-up plan to the next meeting",
        "Send damage assessment teams to the flooded schools in Ubon Ratchathani this week",
        "Rank the schools still without internet for next quarter's budget",
        "Speed up the school broadband contracts in the provinces that are behind",
    ),
}


def record_meeting(lang: str) -> None:
    """The meeting's decisions, one on each wall, written to the store the server under test reads."""
    from cockpit import settings
    from cockpit.data import db
    from cockpit.meeting import decisions
    from cockpit.review import policies
    from cockpit.state import store

    country = LANGUAGES[lang]
    engine = store.engine(settings.load().state_url)
    texts = DECISIONS[lang]
    policy = str(policies.catalogue(db.get(), country).query("level == 'policy'").index[0])
    subjects = (
        ("indicator", "ger_pre_primary"),
        ("indicator", "schools_closed"),
        ("indicator", "schools_with_internet"),
        ("policy", policy),
    )
    today = TODAY
    for number, (text, (kind, subject)) in enumerate(zip(texts, subjects, strict=True)):
        overdue = number == 0
        decisions.record(
            engine,
            country,
            text,
            "รองปลัดกระทรวง" if lang == "th" else ("ຮອງລັດຖະມົນຕີ" if lang == "lo" else "Deputy Permanent Secretary"),
            kind,
            subject,
            secretary("Meeting secretary", country),
            meeting_date=today - timedelta(days=33) if overdue else today,
            due_date=today - timedelta(days=12) if overdue else today + timedelta(days=60),
        )
    engine.dispose()


@pytest.mark.browser
@pytest.mark.screenshots
@pytest.mark.parametrize("lang", LANGUAGES)
def test_every_wall_in_kiosk_mode_and_the_time_to_switch(streamlit_url, new_page, lang):
    from streamlit_wait import wait_for_streamlit

    WALL_SHOTS.mkdir(parents=True, exist_ok=True)
    record_meeting(lang)
    timings = {}
    for screen, scale in SCREENS.items():
        page = new_page(1920, 1080, scale)
        url = f"{streamlit_url}/warroom?kiosk=1&country={LANGUAGES[lang]}&lang={lang}&wall=black&interval=3600"
        page.goto(url)
        # The page reloads itself once with the dark theme, during its first run: waiting for Streamlit before the
        # reload once caught the page between the two loads (CI: "Execution context was destroyed").
        page.wait_for_url(re.compile("embed_options=dark_theme"), timeout=90_000)
        wait_for_streamlit(page)
        assert not page.locator('[data-testid="stSidebar"]').is_visible()
        header = page.locator('[data-testid="stHeader"]')
        assert header.count() == 0 or not header.is_visible()
        background = page.evaluate(
            "() => getComputedStyle(document.querySelector('[data-testid=stApp]')).backgroundColor"
        )
        assert background == "rgb(11, 15, 23)", background  # the dark theme of .streamlit/config.toml
        pause_key = page.evaluate(
            "() => getComputedStyle(document.querySelector('.st-key-warroom_pause kbd'), '::after').content"
        )
        assert pause_key == json.dumps(i18n.tr(lang, "Space"), ensure_ascii=False)  # Streamlit's is "Space"
        for index, (wall, text) in enumerate(zip(("black", "red", "blue", "white"), DECISIONS[lang], strict=True)):
            if index:
                started = time.perf_counter()
                page.keyboard.press("ArrowRight")
                page.locator(f'[data-wall="{wall}"]').wait_for(timeout=60_000)
                wait_for_streamlit(page)
                timings.setdefault(screen, []).append(round(time.perf_counter() - started, 2))
            views = page.locator("[data-view]")
            assert 4 <= views.count() <= 6
            big = page.locator(".wr-big, .wr-mid").first
            assert big.evaluate("e => parseFloat(getComputedStyle(e).fontSize)") >= 0.025 * 1080
            strip = page.locator("[data-decisions]")
            assert text in strip.inner_text(), f"{wall}: the meeting's decision is not on its wall"
            assert page.evaluate(WALL_CUT_JS) == [], f"{wall} at {screen}"
            page.screenshot(path=WALL_SHOTS / f"{wall}_{lang}_{screen}.png")
        assert "kiosk=1" in page.url and f"lang={lang}" in page.url
    with open(WALL_SHOTS / f"switch_seconds_{lang}.json", "w") as f:
        json.dump(timings, f)


@pytest.mark.browser
def test_a_decision_recorded_from_the_wall_shows_on_it(streamlit_url, new_page):
    from streamlit_wait import wait_for_streamlit

    page = new_page(1920, 1080)
    page.goto(f"{streamlit_url}/warroom?kiosk=1&embed=true&embed_options=dark_theme&lang=en&wall=blue&interval=3600")
    wait_for_streamlit(page)
    page.keyboard.press("d")
    dialog = page.get_by_role("dialog")
    dialog.wait_for()
    text = "Connect the last 40 schools in Mae Hong Son before the rainy season"
    dialog.get_by_label("What was decided").fill(text)
    dialog.get_by_label("Owner (who acts)").fill("Director, ICT Centre")
    dialog.get_by_role("button", name="Record the decision").click()
    page.locator(f'[data-decisions] :text("{text[:30]}")').wait_for(timeout=30_000)
    wait_for_streamlit(page)
    assert page.locator('[data-wall="blue"]').count() == 1  # the room is still on the wall it was on
    assert "kiosk=1" in page.url


@pytest.mark.browser
def test_a_decision_typed_across_a_rotation_is_kept_and_saved(streamlit_url, new_page):
    """The secretary types for longer than a wall stays up: the dialog holds the wall, then the rotation resumes."""
    from streamlit_wait import wait_for_streamlit

    interval = 10
    page = new_page(1920, 1080)
    page.goto(
        f"{streamlit_url}/warroom?kiosk=1&embed=true&embed_options=dark_theme&lang=en&wall=red&interval={interval}"
    )
    wait_for_streamlit(page)
    page.keyboard.press("d")
    dialog = page.get_by_role("dialog")
    dialog.wait_for()
    wait_for_streamlit(page)
    countdown = page.locator(".wr-countdown")
    assert countdown.inner_text() == "Paused while a decision is recorded"
    text = "Open temporary learning centres in every flooded district of Ubon Ratchathani"
    dialog.get_by_label("What was decided").fill(text[:40])
    # The scenario itself, not a wait for readiness: more than one rotation interval goes by while typing.
    page.wait_for_timeout((interval + 3) * 1000)
    assert dialog.is_visible() and page.locator('[data-wall="red"]').count() == 1
    dialog.get_by_label("What was decided").press_sequentially(text[40:])
    dialog.get_by_label("Owner (who acts)").fill("Director, Ubon Ratchathani PEO")
    assert dialog.get_by_label("What was decided").input_value() == text
    dialog.get_by_role("button", name="Record the decision").click()
    page.locator(f'[data-decisions] :text("{text[:30]}")').wait_for(timeout=30_000)
    wait_for_streamlit(page)
    assert page.get_by_role("dialog").count() == 0
    assert countdown.inner_text().startswith("Next:")  # the rotation runs again


@pytest.mark.browser
def test_a_new_extract_shows_on_the_wall_without_a_reload(browser, tmp_path):
    """Superset's refresh left its filters stale; here a new version shows in place, wall and filters kept."""
    import shutil

    import pandas as pd
    from conftest import NON_LOCAL, start_streamlit, stop_streamlit
    from streamlit_wait import wait_for_streamlit

    from cockpit.publish import versions

    extracts = tmp_path / "extracts" / "la"
    shutil.copytree(DATA_DIR / "la", extracts)
    where = dict(data_url=str(tmp_path / "published"), state_url=f"sqlite:///{tmp_path / 'state.db'}")
    versions.publish("la", extracts, **where)
    proc, url, _log = start_streamlit({"COCKPIT_DATA_URL": where["data_url"], "COCKPIT_STATE_URL": where["state_url"]})
    context = browser.new_context(viewport={"width": 1920, "height": 1080})
    context.route(NON_LOCAL, lambda route: route.abort())
    try:
        page = context.new_page()
        page.goto(
            f"{url}/warroom?kiosk=1&embed=true&embed_options=dark_theme&country=la&lang=en&wall=red"
            "&region=region:south&interval=3600&refresh=5"
        )
        wait_for_streamlit(page)
        page.evaluate("() => { window.sameDocument = true; }")
        before = page.locator('[data-view="map"]').inner_text()
        incidents = pd.read_parquet(extracts / "incidents.parquet")
        open_ones = incidents["status"] != "closed"
        incidents.loc[open_ones, "students_affected"] += 1000  # a new extract lands and is published
        incidents.to_parquet(extracts / "incidents.parquet", index=False)
        versions.publish("la", extracts, **where)
        page.wait_for_function(
            "before => document.querySelector('[data-view=map]').innerText !== before", arg=before, timeout=60_000
        )
        assert page.evaluate("() => window.sameDocument === true"), "the page reloaded"
        assert page.locator('[data-wall="red"]').count() == 1
        assert "region=region%3Asouth" in page.url or "region=region:south" in page.url
        assert "kiosk=1" in page.url and not page.locator('[data-testid="stSidebar"]').is_visible()
    finally:
        context.close()
        stop_streamlit(proc)
