"""Issue 19's story, in one browser at 1366×768, in Thai and in Lao: a provincial office opens its province from a
shared link, reads every figure without scrolling sideways, follows a stuck-policy alert to the policy in its
province, records a note and a decision about it, and each press of Back returns to the view before. On the way it
acknowledges the alert with a note; every form it sends is emptied for the next."""

from urllib.parse import parse_qsl, urlsplit

import pytest
import yaml
from conftest import ROOT, start_streamlit, stop_streamlit
from page_checks import OVERFLOW_JS
from playwright.sync_api import expect
from streamlit_wait import after_its_run, wait_for_streamlit

from cockpit import i18n
from cockpit.alerts import evaluation, lifecycle
from cockpit.data import access, db
from cockpit.meeting import decisions
from cockpit.publish import versions as publishing
from cockpit.review import policy_notes
from cockpit.state import store

pytestmark = pytest.mark.browser

# What the office types, in its language.
TYPED = {
    "th": ("รับทราบ กำลังประสานส่วนกลาง", "ยังไม่ได้รับแท็บเล็ต รอการจัดส่งจากส่วนกลาง", "เร่งรัดให้ครบภายในไตรมาสนี้", "ศึกษาธิการจังหวัด"),
    "lo": ("ຮັບຊາບ ກຳລັງປະສານກັບສູນກາງ", "ຍັງບໍ່ໄດ້ຮັບງົບປະມານ ລໍຖ້າສູນກາງ", "ເລັ່ງໃຫ້ສຳເລັດພາຍໃນໄຕມາດນີ້", "ຫົວໜ້າພະແນກສຶກສາ"),
}
SAVED_WITHIN_MS = 60_000  # a form's rerun after saving, on a busy machine


def query(url: str) -> dict[str, str]:
    return dict(parse_qsl(urlsplit(url).query))


@pytest.fixture(params=[("th", "th"), ("la", "lo")], ids=["th", "lo"])
def provincial_office(request, tmp_path):
    """A server of its own, every session signed in as the provincial office of a province with an open
    stuck-policy alert (the demo's office is Phetchabun's, whose policies move: the roles file here names another
    province, in Thailand or in Lao PDR), on a state store of its own: (url, store engine, the alert, country, lang)."""
    country, lang = request.param
    state_url = "sqlite:///" + str(tmp_path / "state.db")
    publishing.evaluate_alerts(db.get(), country, state_url)
    engine = store.engine(state_url)
    stuck = lifecycle.list_alerts(engine, rule_ids=["policy-stalled"], states=["new"])
    provinces = set(db.get().query(country, "data/province_ids")["area_id"])
    alert = stuck[stuck["area_id"].isin(provinces)].iloc[0]
    roles = yaml.safe_load((ROOT / "config" / "roles.yaml").read_text(encoding="utf-8"))
    office = roles["demo_accounts"]["provincial_office"]
    office.update(country=country, area=alert["area_id"], name=f"Demo office {alert['area_id']}")
    roles_file = tmp_path / "roles.yaml"
    roles_file.write_text(yaml.safe_dump(roles, allow_unicode=True), encoding="utf-8")
    proc, url, _log = start_streamlit(
        {
            "COCKPIT_STATE_URL": state_url,
            "COCKPIT_DEMO_ACCOUNT": "provincial_office",
            "COCKPIT_ROLES_FILE": str(roles_file),
        }
    )
    try:
        yield url, engine, alert, country, lang
    finally:
        stop_streamlit(proc)
        engine.dispose()


def the_row_of(page, table, text: str) -> int:
    """The row of a table (0 first) whose cells read `text`, from the grid's accessible copy of what it draws."""
    rows = table.locator('[role="row"]')
    # The grid writes that copy after it has drawn its canvas, a moment after Streamlit's run is over: in about one
    # run in three the rows were not there yet when read.
    expect(rows.nth(1)).to_be_attached()
    # A cell's text may be broken into lines (tables.wrapped): compared without the whitespace between its lines.
    wanted = "".join(text.split())
    for n in range(rows.count()):
        if wanted in "".join(rows.nth(n).inner_text().split()):
            return n - 1  # the first is the headings'
    raise AssertionError(f"no row reads {text!r}")


def send(page, field: str, text: str, button) -> None:
    """Type `text` into the form field keyed `field`, press the form's `button` (a locator), and wait until the
    saved form is emptied again, in the browser."""
    box = page.locator(f".st-key-{field} textarea")
    box.fill(text)
    button.click()
    expect(box).to_have_value("", timeout=SAVED_WITHIN_MS)
    wait_for_streamlit(page)


def form_button(page, field: str, name: str):
    """The button called `name` of the form holding the field keyed `field`."""
    return page.locator('[data-testid="stForm"]', has=page.locator(f".st-key-{field}")).get_by_role("button", name=name)


def test_a_provincial_office_from_a_shared_link_to_a_decision_and_back(provincial_office, new_page, shot_dir):
    url, engine, alert, country, lang = provincial_office
    province, policy = alert["area_id"], alert["subject"]
    acknowledged, note, decided, owner = (f"{t} ({alert['id']})" for t in TYPED[lang])
    page = new_page(1366, 768)

    # A shared link to the province: every figure read without scrolling sideways.
    shared = f"{url}/province?country={country}&lang={lang}&province={province}"
    page.goto(shared)
    wait_for_streamlit(page)
    assert page.evaluate(OVERFLOW_JS) == []
    page.screenshot(path=shot_dir / f"journey_1_province_{lang}_1366x768.png")

    # Its alerts: the stuck policy's, named by its policy, opens in this tab.
    table = page.locator(".st-key-province_alerts")
    table.scroll_into_view_if_needed()
    wait_for_streamlit(page)
    title = i18n.tr(lang, "Stuck: {policy}", policy=evaluation.policy_names(db.get(), country, lang)[policy])
    row = the_row_of(page, table, title)
    box = table.bounding_box()
    # Rows are as tall as their longest title's lines: the grid's height, less its headings', shared by its rows.
    row_px = (box["height"] - 35) / (table.locator('[role="row"]').count() - 1)
    page.mouse.click(box["x"] + 14, box["y"] + 35 + row_px * row + row_px / 2)  # the row's selector, left of its cells
    page.wait_for_url(f"**/alerts?**alert={alert['id']}**")
    wait_for_streamlit(page)
    alert_view = page.url
    page.screenshot(path=shot_dir / f"journey_2_alert_{lang}_1366x768.png")

    # The office acknowledges it, with a note: recorded, and the form emptied for the next action.
    send(page, "alert_note", acknowledged, page.locator(".st-key-alert_record button"))
    assert acknowledged in {event.note for event in lifecycle.history(engine, int(alert["id"]))}
    assert page.url == alert_view

    # The alert's policy, opened in the alert's province.
    page.get_by_role("link", name=i18n.tr(lang, "Open the policy")).click()
    page.wait_for_url("**/policies?**")
    wait_for_streamlit(page)
    policy_view = page.url
    assert {"policy": policy, "province": province}.items() <= query(policy_view).items()

    # A note from the province.
    send(page, "note_text", note, form_button(page, "note_text", i18n.tr(lang, "Save the note")))
    notes = policy_notes.notes(engine, access.Scope((province,)), country, area_id=province)
    assert note in set(notes["text"])
    assert page.url == policy_view  # saving a note is no step for Back
    page.screenshot(path=shot_dir / f"journey_3_policy_note_{lang}_1366x768.png")

    # A decision about the policy in the province, from the link beside the note.
    page.locator('[data-testid="stPageLink"] a[href*="decisions"]').click()
    page.wait_for_url("**/decisions?**")
    wait_for_streamlit(page)
    assert {"policy": policy, "area": province}.items() <= query(page.url).items()
    page.locator(".st-key-decisions_form_owner input").fill(owner)
    button = form_button(page, "decisions_form_text", i18n.tr(lang, "Record the decision"))
    send(page, "decisions_form_text", decided, button)
    recorded = decisions.list_decisions(engine, country)
    mine = recorded[recorded["text"] == decided]
    assert len(mine) == 1
    assert (mine.iloc[0]["subject_type"], mine.iloc[0]["subject_id"], mine.iloc[0]["area_id"]) == (
        "policy",
        policy,
        province,
    )
    page.screenshot(path=shot_dir / f"journey_4_decision_{lang}_1366x768.png")

    # Back, one press a view: the policy, the alert, the province as shared.
    for previous in (policy_view, alert_view, shared):
        after_its_run(page, page.go_back)
        assert page.url == previous
