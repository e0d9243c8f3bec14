"""The fault matrix: every page under every class of fault a ministry's cockpit meets, and never a traceback.

For each fault the whole app is opened once and every page visited in turn (AppTest), asserting on each: no
exception element, the page's own title or wall still drawn, its charts from the published data still there, and
where the fault touches the page, a message that names the cause in the reader's language. The faults:

- the state store out of reach, read-only, locked by a slow writer, or its file deleted while served;
- alert rule files that are not UTF-8, have a wrong type, or reuse a rule's uid;
- every URL parameter the pages read set to a hostile value;
- an extract set refused by the contract, over a version still in service, or with none ever served.

The figure in the README (pages × faults, tracebacks) is this file's parametrisation.
"""

from __future__ import annotations

import shutil
import sqlite3
from dataclasses import dataclass, field
from pathlib import Path

import pytest
import tiny
from conftest import ROOT, as_read
from identities import demo, sees_page, sign_in
from streamlit.testing.v1 import AppTest

from cockpit import settings
from cockpit.state import store
from cockpit.users.identity import Identity

pytestmark = pytest.mark.filterwarnings("ignore")

PAGES = sorted(str(p.relative_to(ROOT)) for p in (ROOT / "views").glob("*.py") if p.name != "__init__.py")
WALLS = {p for p in PAGES if "wall" in p or "warroom" in p}  # drawn as HTML, with no Streamlit title
# Pages whose whole content is kept in the state store: with the store unusable they show their title and the banner.
STORE_PAGES = {"views/alerts.py", "views/decisions.py", "views/audit.py"}
ANALYST = Identity("analyst", "Analyst", "analyst")  # a local account: the tiny extracts are not the demo's


@dataclass
class Fault:
    """What a fault does to the environment, and what every page must then say and still show."""

    arrange: object  # (monkeypatch, tmp_path) -> None
    says: tuple[str, ...]  # any of these in a message on each page in `named_on`
    named_on: set[str] = field(default_factory=lambda: set(PAGES))
    who: Identity | None = None  # None: the suite's demo accounts
    data_kept: bool = True  # the published data's charts still drawn


def fresh_store(monkeypatch, tmp_path) -> Path:
    """A state store of the test's own, migrated, as the setting the app reads."""
    path = tmp_path / "state" / "cockpit.db"
    url = f"sqlite:///{path}"
    store.engine(url).dispose()
    monkeypatch.setenv("COCKPIT_STATE_URL", url)
    return path


def store_unreachable(monkeypatch, tmp_path):
    monkeypatch.setenv("COCKPIT_STATE_URL", "postgresql+psycopg://nobody:secret@127.0.0.1:9/cockpit")


def store_removed(monkeypatch, tmp_path):
    fresh_store(monkeypatch, tmp_path).unlink()


def store_read_only(monkeypatch, tmp_path):
    path = fresh_store(monkeypatch, tmp_path)
    monkeypatch.setenv("COCKPIT_STATE_URL", f"sqlite:///file:{path}?mode=ro&uri=true")


def store_locked(monkeypatch, tmp_path, holders=[]):  # noqa: B006 (the lock's holder lives as long as the test)
    path = fresh_store(monkeypatch, tmp_path)
    monkeypatch.setattr(store, "SQLITE_BUSY_MS", 200)  # the wait a writer gives up after, sooner than in service
    writer = sqlite3.connect(path, isolation_level=None)
    writer.execute("BEGIN IMMEDIATE")  # someone recording, and slow about it: held while every page is visited
    holders.append(writer)


def broken_rules(monkeypatch, tmp_path):
    fresh_store(monkeypatch, tmp_path)
    rules = tmp_path / "rules"
    shutil.copytree(settings.load().rules_dir, rules)
    (rules / "zz_cp874.yaml").write_bytes("rules:\n  - uid: ห้องเรียน\n".encode("cp874"))
    (rules / "zz_types.yaml").write_text(
        "rules:\n  - uid: two_at_once\n    title: Two\n    runbook: r\n    severity: warning\n"
        "    watch: {indicator: [dropout_rate, ner_primary]}\n    condition: {kind: threshold, above: 1}\n",
        encoding="utf-8",
    )
    first_uid = next(
        line.split(":", 1)[1].strip() for line in (rules / "results.yaml").read_text().splitlines() if "uid:" in line
    )
    (rules / "zz_reuse.yaml").write_text(
        f"rules:\n  - uid: {first_uid}\n    title: Impostor\n    runbook: r\n    severity: critical\n"
        "    watch: {indicator: dropout_rate}\n    condition: {kind: threshold, above: 0}\n",
        encoding="utf-8",
    )
    monkeypatch.setenv("COCKPIT_RULES_DIR", str(rules))


def broken_config(monkeypatch, tmp_path):
    """Each config file broken a different way: a misspelt key, a file in cp874, a wrong type, a YAML slip."""
    fresh_store(monkeypatch, tmp_path)
    configs = tmp_path / "config"
    shutil.copytree(settings.load().config_dir, configs)
    league = (configs / "league.yaml").read_text(encoding="utf-8")
    (configs / "league.yaml").write_text(league.replace("policy_progress:", "policy_progres:", 1), encoding="utf-8")
    status = (configs / "policy_status.yaml").read_text(encoding="utf-8")
    (configs / "policy_status.yaml").write_bytes(("# สถานะ\n" + status).encode("cp874"))
    (configs / "kpi_status.yaml").write_text("default: {share: many}\n", encoding="utf-8")
    (configs / "reporting_calendar.yaml").write_text("countries: [th, la\n", encoding="utf-8")
    monkeypatch.setenv("COCKPIT_CONFIG_DIR", str(configs))


HOSTILE_URL = {
    "country": "¹",
    "lang": "../../../../tmp/x",
    "indicator": "![x](http://example.invalid/x.png)",
    "province": "x" * 300,
    "region": "1e999",
    "period": "inf",
    "alert": "¹",
    "incident": "TH-INC-\x00'; --",
    "school": "%' or 1=1 --",
    "interval": "-inf",
    "refresh": "1e999",
    "policy": "'; drop table alerts; --",
    "wall": "<script>alert(1)</script>",
    "level": "NaN",
    "status": "∞",
    "state": "resolved\x00",
    "severity": "-1",
    "meeting": "2026-13-45",
    "view": "%00",
    "sex": "both",
    "areas": ",,,",
    "label": "a" * 1000,
    "office": "../",
    "rule": "*",
    "version": "../../etc/passwd",
    "area": "🙂",
    "paused": "maybe",
    "kiosk": "2",
}


def hostile_url(monkeypatch, tmp_path):
    fresh_store(monkeypatch, tmp_path)


def refused_publish(monkeypatch, tmp_path):
    fresh_store(monkeypatch, tmp_path)
    tiny.write(tmp_path / "extracts" / "th")
    tiny.served(tmp_path / "extracts")
    empty = tiny.frames()["observations"].iloc[0:0]
    tiny.write(tmp_path / "extracts" / "th", observations=empty)
    monkeypatch.setenv("COCKPIT_DATA_URL", tiny.served(tmp_path / "extracts").store.url)


def nothing_served(monkeypatch, tmp_path):
    fresh_store(monkeypatch, tmp_path)
    obs = tiny.frames()["observations"]
    obs.loc[3, "sex"] = "unknown"
    tiny.write(tmp_path / "extracts" / "th", observations=obs)
    monkeypatch.setenv("COCKPIT_DATA_URL", tiny.served(tmp_path / "extracts").store.url)


FAULTS = {
    "store unreachable": Fault(store_unreachable, ("state store cannot be reached",)),
    "store file deleted": Fault(store_removed, ("state store's file is missing",)),
    "store read-only": Fault(store_read_only, ("read-only",)),
    "store locked": Fault(store_locked, ("could not be evaluated",), named_on={"views/overview.py"}),
    "rule files broken": Fault(broken_rules, ("zz_cp874.yaml", "not UTF-8"), named_on={"views/alerts.py"}),
    "config files broken": Fault(
        broken_config,
        ("league.yaml", "policy_status.yaml"),
        named_on={"views/league.py", "views/policies.py", "views/province.py", "views/wall_policies.py"},
        data_kept=False,
    ),
    "hostile URL": Fault(hostile_url, ("The link asks for",), named_on={"views/overview.py", "views/alerts.py"}),
    "extracts refused": Fault(refused_publish, ("were rejected",), who=ANALYST, data_kept=False),
    "no extract ever valid": Fault(nothing_served, ("cannot be loaded",), who=ANALYST, data_kept=False),
}


def role_for(page: str) -> str:
    return "data_steward" if page == "views/data.py" else "administrator"


def visit(fault: Fault, params: dict) -> dict[str, AppTest]:
    """Every page once, each in the session of a role allowed to open it; the AppTest after each page's run."""
    sessions: dict[str, AppTest] = {}
    seen = {}
    for page in PAGES:
        key = "local" if fault.who is not None else role_for(page)
        who = fault.who or demo(key)
        if not sees_page(who, page):
            continue  # refused before it reads anything (test_pages): nothing of the fault to show
        at = sessions.get(key)
        if at is None:
            at = AppTest.from_file(str(ROOT / "app.py"), default_timeout=120)
            sign_in(at, who)
            for name, value in {"lang": "en", **params}.items():
                at.query_params[name] = value
            sessions[key] = at.run()
        at.switch_page(page)
        for name, value in {"lang": "en", **params}.items():
            at.query_params[name] = value
        seen[page] = _shape(at.run())
    return seen


def _shape(at: AppTest) -> dict:
    said = [e.value for kind in ("error", "warning", "info", "caption", "toast") for e in at.get(kind)]
    said += [getattr(e, "proto", None) and getattr(e.proto, "body", "") for e in at.get("html")]
    said += [e.label for e in at.expander]
    said += [frame.value.to_string() for frame in at.dataframe if len(frame.value) <= 50]  # e.g. a problems table
    return dict(
        exceptions=[e.message for e in at.exception],
        title=[t.value for t in at.title],
        charts=sum(
            len(at.get(kind)) for kind in ("plotly_chart", "echarts_chart", "deck_gl_json_chart", "vega_lite_chart")
        ),
        html=len(at.get("html")),
        said=" ".join(as_read(str(s)) for s in said if s),  # as the reader sees it, Markdown escapes undone
    )


@pytest.fixture(scope="module")
def baseline(tmp_path_factory):
    with pytest.MonkeyPatch.context() as monkeypatch:
        fresh_store(monkeypatch, tmp_path_factory.mktemp("baseline"))
        return visit(Fault(None, ()), {})


@pytest.mark.parametrize("name", FAULTS)
def test_every_page_under_every_fault_is_a_message_not_a_traceback(name, baseline, monkeypatch, tmp_path):
    fault = FAULTS[name]
    fault.arrange(monkeypatch, tmp_path)
    seen = visit(fault, HOSTILE_URL if name == "hostile URL" else {})
    problems = []
    for page, shape in seen.items():
        if shape["exceptions"]:
            problems.append(f"{page}: traceback {shape['exceptions'][0][:200]}")
            continue
        before = baseline.get(page)
        if before is None:
            continue
        if page in WALLS:
            if not shape["html"]:
                problems.append(f"{page}: the wall is not drawn")
        elif fault.data_kept and not shape["title"]:
            problems.append(f"{page}: no title")
        if fault.data_kept and page not in STORE_PAGES and page not in WALLS and shape["charts"] < before["charts"]:
            problems.append(f"{page}: {shape['charts']} charts instead of {before['charts']}")
        if page in fault.named_on and not any(s in shape["said"] for s in fault.says):
            problems.append(f"{page}: nothing says {fault.says}")
    assert seen, "no page visited"
    assert not problems, "\n".join(problems)


@pytest.mark.parametrize("fault", ["store locked", "store read-only"])
def test_a_decision_the_store_cannot_take_says_so_and_keeps_what_was_typed(fault, monkeypatch, tmp_path):
    """It waited 30 s, showed "database is locked" as a traceback and lost the text; now: a message, text kept."""
    FAULTS[fault].arrange(monkeypatch, tmp_path)
    at = AppTest.from_file(str(ROOT / "views" / "decisions.py"), default_timeout=120)
    at.query_params["lang"] = "en"
    at.run()
    typed = "Send a recovery team to the flooded schools in Ubon Ratchathani"
    at.text_area(key="decisions_form_text").input(typed)
    at.text_input(key="decisions_form_owner").input("Director, Ubon Ratchathani PEO")
    at.selectbox(key="decisions_form_subject").set_value(("area", "34", "34"))
    next(b for b in at.button if b.label == "Record the decision").click()
    at.run()
    assert not at.exception, at.exception
    said = " ".join(e.value for e in at.error)
    assert "Not recorded" in said and ("busy" in said if fault == "store locked" else "read-only" in said)
    assert at.text_area(key="decisions_form_text").value == typed
    assert not at.toast  # never "Decision recorded."


def test_a_text_longer_than_the_store_keeps_is_refused_in_words_on_every_database(monkeypatch, tmp_path):
    """An alert note of 5,000 characters: SQLite kept it, PostgreSQL answered with a DataError quoting the SQL."""
    from cockpit.alerts import lifecycle
    from cockpit.state import tables

    fresh_store(monkeypatch, tmp_path)
    at = AppTest.from_file(str(ROOT / "app.py"), default_timeout=120)
    sign_in(at, demo("provincial_office"))
    at.query_params["lang"] = "en"
    at.run()
    at.switch_page("views/alerts.py").run()
    engine = store.engine(settings.load().state_url)
    alert = lifecycle.list_alerts(engine, area_ids=["67"]).iloc[0]  # Phetchabun's: the demo office acts on them
    at.query_params["alert"] = str(alert["id"])
    at.run()
    note = "n" * (tables.TEXT_MAX_CHARS + 1000)
    at.text_area(key="alert_note").input(note)
    at.button(key="alert_record").click()
    at.run()
    assert not at.exception, at.exception
    assert any("longer than" in e.value or "at most" in e.value for e in at.error), [e.value for e in at.error]
    assert lifecycle.history(engine, int(alert["id"]))[-1].note != note
