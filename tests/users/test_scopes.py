"""Scopes from the signed-in identity, enforced below the page: Phetchabun's provincial office (67) tries to reach
Phitsanulok (65, the same regional office) through tampered URLs, widget values, exports and direct calls, and
the suite counts every area-level read and every write that crosses its scope: both counts must be 0."""

import pandas as pd
import pytest
from conftest import ROOT
from identities import actor, provincial, sign_in
from streamlit.testing.v1 import AppTest

from cockpit import settings
from cockpit.alerts import lifecycle
from cockpit.data import db as data_db
from cockpit.data.access import Scope
from cockpit.data.db import Database
from cockpit.documents import workbooks
from cockpit.meeting import decisions
from cockpit.review import policy_notes, province
from cockpit.state import store
from cockpit.state.tables import alert_events
from cockpit.state.tables import policy_notes as notes_table
from cockpit.users import accounts, audit
from cockpit.users.identity import Actor, Forbidden

PHETCHABUN, PHITSANULOK = "67", "65"


@pytest.fixture
def engine(monkeypatch, tmp_path):
    """A store of the test's own, with the alert history a publish would replay."""
    from cockpit.publish import versions

    url = "sqlite:///" + str(tmp_path / "state.db")
    monkeypatch.setenv("COCKPIT_STATE_URL", url)
    for country in ("th",):
        versions.evaluate_alerts(data_db.get(), country, url)
    eng = store.engine(url)
    yield eng
    eng.dispose()


@pytest.fixture
def reads(monkeypatch):
    """Every province any area-level query was bound to, as the pages and exports ran."""
    seen: list[str] = []
    original = Database.query

    def query(self, country, name, scope=None, **params):
        if scope is not None:
            seen.extend(scope.province_ids)
        return original(self, country, name, scope, **params)

    monkeypatch.setattr(Database, "query", query)
    return seen


def district_of(province_id: str) -> str:
    table = data_db.get().query("th", "data/district_provinces")
    return str(table[table["province_id"] == province_id]["area_id"].iloc[0])


def alert_in(engine, province_id: str) -> int:
    areas_of = [
        province_id,
        *data_db.get().query("th", "data/district_provinces").query("province_id == @province_id")["area_id"],
    ]
    table = lifecycle.list_alerts(engine, area_ids=areas_of)
    if table.empty:
        pytest.skip(f"no alert in {province_id} in this calendar's data")
    return int(table["id"].iloc[0])


def page(name: str, who, **params) -> AppTest:
    """A page in the app's frame (its links need the navigation), signed in as `who`."""
    at = AppTest.from_file(str(ROOT / "app.py"), default_timeout=120)
    sign_in(at, who)
    for key, value in params.items():
        at.query_params[key] = value
    at.switch_page(f"views/{name}.py")
    return at.run()


def page_text(at) -> str:
    parts = [
        e.value
        for kind in ("markdown", "caption", "title", "subheader", "header", "warning", "info", "error")
        for e in getattr(at, kind)
    ]
    for frame in at.dataframe:
        parts.append(frame.value.to_csv() if isinstance(frame.value, pd.DataFrame) else str(frame.value))
    return " ".join(map(str, parts))


def writes_about(engine, area_ids) -> int:
    """Rows in the store written by people about these areas: alert events (not the system's) and notes."""
    import sqlalchemy as sa

    from cockpit.state.tables import alerts

    with engine.connect() as conn:
        events = conn.execute(
            sa.select(sa.func.count())
            .select_from(alert_events.join(alerts))
            .where(alerts.c.area_id.in_(area_ids), alert_events.c.actor != lifecycle.SYSTEM)
        ).scalar()
        notes = conn.execute(
            sa.select(sa.func.count()).select_from(notes_table).where(notes_table.c.area_id.in_(area_ids))
        ).scalar()
        decided = conn.execute(
            sa.select(sa.func.count())
            .select_from(decisions.decisions)
            .where(decisions.decisions.c.area_id.in_(area_ids))
        ).scalar()
    return events + notes + decided


def test_phetchabun_sees_its_province_acts_on_its_alerts_and_writes_its_notes(engine, reads):
    peo = provincial(PHETCHABUN)
    at = page("province", peo, lang="en", province=PHETCHABUN)
    assert not at.exception, at.exception
    assert any("Phetchabun" in t.value for t in at.title)
    own = alert_in(engine, PHETCHABUN)
    done = lifecycle.act(engine, own, "comment", actor(peo, "th"), note="district team sent")
    assert lifecycle.history(engine, done.id)[-1].actor == peo.label
    note = policy_notes.add_note(engine, actor(peo, "th"), "th", "smart_office", PHETCHABUN, "progress", "on plan")
    assert note > 0
    written = audit.entries(engine, kinds=["write"], login=peo.login)
    assert set(written["action"]) == {"alert.comment", "note.add"} and set(written["area_id"]) <= {
        PHETCHABUN,
        *data_db.get().query("th", "data/district_provinces").query("province_id == @PHETCHABUN")["area_id"],
    }
    assert set(reads) == {PHETCHABUN}


@pytest.mark.parametrize("name", ["alerts", "policies"])
def test_phetchabun_is_offered_the_regions_it_is_in_and_one_it_is_not_in_is_no_traceback(engine, name):
    """Every grouping of the country was offered; one without Phetchabun left the Alerts feed a row of blanks per
    alert and the Policies page's milestones without a plan: tracebacks. Now only its own groupings, and a link
    naming another is a notice."""
    peo = provincial(PHETCHABUN)
    at = page(name, peo, lang="en")
    assert at.selectbox(key="url_region").options == [
        "All provinces",
        "Inspection Region 17",
        "Region · North",
        "Regional Education Office 17",
    ]
    at = page(name, peo, lang="en", region="reo:18")
    assert not at.exception, at.exception
    assert any("region=reo" in w.value for w in at.warning)


def test_no_way_across_to_phitsanulok(engine, reads):
    peo = provincial(PHETCHABUN)
    theirs = alert_in(engine, PHITSANULOK)
    phitsanulok_areas = [PHITSANULOK, district_of(PHITSANULOK)]
    before = writes_about(
        engine,
        [
            PHITSANULOK,
            *data_db.get().query("th", "data/district_provinces").query("province_id == @PHITSANULOK")["area_id"],
        ],
    )
    attempts = 0

    # Tampered URLs: the province, the alert, a region and a policy filter naming Phitsanulok.
    for name, params in [
        ("province", dict(province=PHITSANULOK)),
        ("alerts", dict(alert=str(theirs))),
        ("alerts", dict(province=PHITSANULOK)),
        ("overview", dict(region="reo:17")),
        ("region", dict(region="reo:17")),
        ("policies", dict(province=PHITSANULOK)),
        ("league", dict(province=PHITSANULOK)),
        ("decisions", {}),
    ]:
        at = page(name, peo, lang="en", **params)
        attempts += 1
        assert not at.exception, (name, at.exception)
        assert "Phitsanulok" not in page_text(at), name
    # The alert by URL: not shown, so no form to act with.
    at = page("alerts", peo, lang="en", alert=str(theirs))
    assert not any("Act on this alert" in m.value for m in at.markdown)

    # A tampered widget value: the note form's province set to Phitsanulok behind the selectbox's back.
    at = page("policies", peo, lang="en", policy="smart_office", province=PHETCHABUN)
    at.session_state["note_province"] = PHITSANULOK
    at.text_area(key="note_text").input("written for a neighbour")
    try:
        next(b for b in at.button if b.label == "Save the note").click().run()
        assert not at.exception, at.exception
    except ValueError as exc:  # Streamlit itself refuses a value outside the widget's options (all in scope)
        assert PHITSANULOK in str(exc)
    attempts += 1

    # Exports: the brief and workbook of Phitsanulok, asked for with Phetchabun's scope.
    with pytest.raises(LookupError):
        province.review(data_db.get(), "th", PHITSANULOK, actor(peo, "th").scope, "en")
    attempts += 1
    own = province.review(data_db.get(), "th", PHETCHABUN, actor(peo, "th").scope, "en", engine=engine)
    assert b"Phitsanulok" not in workbooks.province_workbook(own)

    # Direct calls to the state store, each refused and audited.
    me = actor(peo, "th")
    for call in (
        lambda: lifecycle.act(engine, theirs, "acknowledge", me),
        lambda: lifecycle.act(engine, theirs, "comment", me, note="x", area_ids=phitsanulok_areas),
        lambda: policy_notes.add_note(engine, me, "th", "smart_office", PHITSANULOK, "problem", "not mine"),
        lambda: decisions.record(engine, "th", "Close it", "PEO", "area", PHITSANULOK, me),
        lambda: decisions.record(engine, "th", "For all", "PEO", "indicator", "dropout_rate", me),  # a national one
        lambda: decisions.record(engine, "th", "There", "PEO", "policy", "smart_office", me, area_id=PHITSANULOK),
    ):
        with pytest.raises(Forbidden):
            call()
        attempts += 1

    # Its own meeting's decisions, about its province, are its own to record.
    mine = decisions.record(engine, "th", "Mine", "PEO", "policy", "smart_office", me, area_id=PHETCHABUN)
    assert (mine.subject_id, mine.area_id) == ("smart_office", PHETCHABUN)

    crossed_reads = sorted({p for p in reads if p != PHETCHABUN})
    after = writes_about(
        engine,
        [
            PHITSANULOK,
            *data_db.get().query("th", "data/district_provinces").query("province_id == @PHITSANULOK")["area_id"],
        ],
    )
    print(
        f"{attempts} attempts to cross from {PHETCHABUN} to {PHITSANULOK}: "
        f"{len(crossed_reads)} cross-scope reads, {after - before} cross-scope writes"
    )
    assert crossed_reads == [] and after - before == 0
    refused = audit.entries(engine, kinds=["refused"], login=peo.login)
    assert len(refused) >= 5 and PHITSANULOK in set(refused["area_id"])  # every refusal is in the trail


def test_the_wall_token_shows_the_war_room_and_writes_nothing(engine):
    from cockpit.users import accounts

    admin = provincial(PHETCHABUN)  # who adds it is recorded; the CLI uses the system user
    token = accounts.add(engine, "wall-1", "War room screen", "wall", kind="wall", country="th", by=admin)
    at = AppTest.from_file(str(ROOT / "views" / "warroom.py"), default_timeout=120)
    at.query_params.update(token=token, lang="en", interval="3600")
    at.run()
    assert not at.exception, at.exception
    who = at.session_state["cockpit_identity"]
    assert (who.role, who.via, who.login) == ("wall", "wall", "wall-1")
    assert "token" not in at.query_params  # taken out of the address bar
    assert who.sees("warroom") and who.sees("wall-crises") and not who.sees("alerts") and not who.sees("province")
    wall = actor(who, "th")
    own = alert_in(engine, PHETCHABUN)
    for call in (
        lambda: lifecycle.act(engine, own, "acknowledge", wall),
        lambda: decisions.record(engine, "th", "Decided", "Owner", "indicator", "dropout_rate", wall),
        lambda: policy_notes.add_note(engine, wall, "th", "smart_office", PHETCHABUN, "progress", "x"),
    ):
        with pytest.raises(Forbidden):
            call()
    assert writes_about(engine, [PHETCHABUN]) == 0
    bad = AppTest.from_file(str(ROOT / "views" / "warroom.py"), default_timeout=120)
    bad.query_params.update(token="not-a-token", lang="en")
    bad.run()
    assert "cockpit_identity" not in bad.session_state
    assert not audit.entries(engine, kinds=["sign_in_failed"], text="sign_in.wall").empty
    assert settings.load().demo_account  # the suite's own sign-in stayed out of the wall's way


def test_a_wall_screen_given_the_cockpits_address_opens_the_war_room(engine):
    """The address with no page names the Overview for a reader; a wall's role does not see it: the session signs
    in with the token before the page list is drawn, so the list is the wall's, and its first page, the war room,
    opens."""
    from cockpit.users import accounts

    token = accounts.add(engine, "wall-2", "Lobby screen", "wall", kind="wall", country="th", by=provincial(PHETCHABUN))
    at = AppTest.from_file(str(ROOT / "app.py"), default_timeout=120)
    at.query_params.update(token=token, lang="en", interval="3600")
    at.run()
    assert not at.exception, at.exception
    assert at.session_state["cockpit_identity"].role == "wall"
    assert not at.error
    assert at.segmented_control(key="warroom_wall").value == "black"  # the first wall: results


def test_a_demo_account_signs_what_it_records_in_the_language_of_the_country_written_about():
    """What the demo meeting secretary records about Thailand is read in Thai, about Lao PDR in Lao (it was signed
    "Demo meeting secretary" on both); a ministry's own account keeps its own name."""
    secretary = accounts.demo_identity("meeting_secretary")
    assert Actor(secretary, "th", Scope(())).label == "เลขานุการการประชุม (บัญชีสาธิต) (demo.meeting_secretary)"
    assert Actor(secretary, "la", Scope(())).label == "ເລຂານຸການກອງປະຊຸມ (ບັນຊີສາທິດ) (demo.meeting_secretary)"
    assert secretary.label == "Demo meeting secretary (demo.meeting_secretary)"  # the audit trail's, in English
    office = provincial("67")
    assert Actor(office, "th", Scope(())).label == office.label == "peo.67"


def test_a_lao_provincial_office_has_a_demo_account_of_its_own():
    """Lao PDR's ministry tries the cockpit as a provincial office too (the demo's province and region accounts were
    Thai only): a second account of the role, keyed apart, signs in the Lao office's name and reads its province."""
    office = accounts.demo_identity("provincial_office_la")
    assert (office.login, office.role, office.country, office.area_id) == (
        "demo.provincial_office_la",
        "provincial_office",
        "la",
        "LA-SV",
    )
    label = "ພະແນກສຶກສາທິການ ແລະ ກິລາ ແຂວງສະຫວັນນະເຂດ (ບັນຊີສາທິດ) (demo.provincial_office_la)"
    assert Actor(office, "la", Scope(("LA-SV",))).label == label  # not the Thai office's name
    assert accounts.demo_identity("provincial_office").area_id == "67"
    at = sign_in(AppTest.from_file(str(ROOT / "app.py"), default_timeout=90), office)
    at.query_params.update(country="la", lang="lo")
    at.switch_page("views/province.py").run()
    assert not at.exception, at.exception
    assert at.title[0].value == "ສະຫວັນນະເຂດ"
    assert at.selectbox(key="url_province").options == ["ສະຫວັນນະເຂດ"]  # its province alone
