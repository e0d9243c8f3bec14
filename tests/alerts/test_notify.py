"""Notifications: what a real SMTP server and HTTP receiver get; routing, no duplicates, retries, config errors."""

import json
import socket
import threading
from datetime import UTC, date, datetime, timedelta
from email import message_from_bytes
from email.policy import default as email_policy
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path

import pytest
import time_machine
import tiny
from aiosmtpd.controller import Controller
from conftest import ROOT
from databases import DATABASES, fresh_database
from identities import officer

from cockpit import settings
from cockpit.alerts import lifecycle, rules
from cockpit.alerts.lifecycle import Firing
from cockpit.notify import config, sending
from cockpit.notify.__main__ import main as cli
from cockpit.notify.messages import Place
from cockpit.publish import versions
from cockpit.state import store

# Fixed moments: 09:00 in Bangkok on a fixed day, never the machine's.
T0 = datetime(2025, 3, 10, 2, 0, tzinfo=UTC)
DAY = date(2025, 3, 10)
RULES = rules.load(ROOT / "rules")
PLACES = {
    "50": Place("province", "50", "Chiang Mai", "เชียงใหม่", "Chiang Mai", "เชียงใหม่"),
    "5001": Place("district", "50", "Mueang Chiang Mai", "เมืองเชียงใหม่", "Chiang Mai", "เชียงใหม่"),
    "10": Place("province", "10", "Bangkok", "กรุงเทพมหานคร", "Bangkok", "กรุงเทพมหานคร"),
    "LA-VT": Place("province", "LA-VT", "Vientiane Capital", "ນະຄອນຫຼວງວຽງຈັນ", "Vientiane Capital", "ນະຄອນຫຼວງວຽງຈັນ"),
    "LA-BK": Place("province", "LA-BK", "Bokeo", "ບໍ່ແກ້ວ", "Bokeo", "ບໍ່ແກ້ວ"),
}


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


class Inbox:
    """aiosmtpd's handler: keeps every message the server accepted."""

    def __init__(self):
        self.messages = []

    async def handle_DATA(self, server, session, envelope):
        mail = message_from_bytes(envelope.original_content, policy=email_policy)
        self.messages.append((envelope.rcpt_tos, mail))
        return "250 OK"


@pytest.fixture
def smtp():
    inbox = Inbox()
    controller = Controller(inbox, hostname="127.0.0.1", port=_free_port())
    controller.start()
    inbox.port = controller.port
    yield inbox
    controller.stop()


class Hook:
    """A local HTTP receiver: records each POST, answers with the next status in `statuses` (then 200)."""

    def __init__(self):
        self.received, self.statuses = [], []
        hook = self

        class Handler(BaseHTTPRequestHandler):
            def do_POST(self):
                body = self.rfile.read(int(self.headers["Content-Length"]))
                hook.received.append((self.path, dict(self.headers), json.loads(body)))
                self.send_response(hook.statuses.pop(0) if hook.statuses else 200)
                self.end_headers()

            def log_message(self, *args):
                pass

        self.server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self.url = f"http://127.0.0.1:{self.server.server_port}"
        threading.Thread(target=self.server.serve_forever, daemon=True).start()

    def texts(self, path=None):
        return [payload["text"] for p, _h, payload in self.received if path is None or p == path]


@pytest.fixture
def hook():
    h = Hook()
    yield h
    h.server.shutdown()
    h.server.server_close()


@pytest.fixture(params=DATABASES)
def engine(request, tmp_path):
    with fresh_database(request.param, tmp_path) as url:
        eng = store.engine(url)
        yield eng
        eng.dispose()


def write_config(tmp_path: Path, text: str) -> Path:
    path = tmp_path / "notifications.yaml"
    path.write_text(text, encoding="utf-8")
    return path


def setup(tmp_path, smtp=None, hook=None, routes="", retry="") -> config.Notifications:
    points = []
    if smtp is not None:
        points.append(
            f"""
  - name: office
    kind: email
    to: [duty@example.org, deputy@example.org]
    smtp: {{host: 127.0.0.1, port: {smtp.port}, from: cockpit@example.org, starttls: false}}"""
        )
    if hook is not None:
        for name in ("chat-north", "chat-south"):
            points.append(
                f"""
  - name: {name}
    kind: webhook
    url: {hook.url}/{name}"""
            )
    text = f"base_url: https://cockpit.example.org\n{retry}\ncontact_points:{''.join(points)}\nroutes:\n{routes}"
    return config.load(write_config(tmp_path, text))


def open_alerts(engine, *firings, now=T0) -> lifecycle.SyncResult:
    return lifecycle.sync(engine, list(firings), sorted({f.rule_id for f in firings}), now=now)


def flood(area="5001", country="th", severity="critical", rule="flood-closures", respond="province"):
    return Firing(
        rule_id=rule,
        area_id=area,
        subject="flood",
        period_start=date(2025, 3, 1),
        severity=severity,
        # Rules the repository lacks keep this recorded title, so each alert can be told apart in a message.
        title=rule,
        value=14.0,
        threshold=10.0,
        detail={"country": country, "respond": respond, "level": "province", "kind": "incidents"},
    )


def send_new(engine, result, cfg, country="th", now=T0):
    return sending.send_new(engine, result, country, places=PLACES, config=cfg, ruleset=RULES, now=now)


def test_a_new_critical_alert_is_emailed_at_once_in_thai(engine, smtp, tmp_path):
    cfg = setup(
        tmp_path,
        smtp=smtp,
        routes="  - {name: th-now, country: th, severity: [critical], mode: immediate, contact_points: [office]}",
    )
    result = open_alerts(engine, flood())
    attempts = send_new(engine, result, cfg)
    assert [(a.status, a.contact_point, a.attempts) for a in attempts] == [("sent", "office", 1)]
    [(to, mail)] = smtp.messages
    assert to == ["duty@example.org", "deputy@example.org"]
    assert mail["Subject"] == "การแจ้งเตือนวิกฤต: โรงเรียนปิดเนื่องจากอุทกภัย – เมืองเชียงใหม่, เชียงใหม่"
    body = mail.get_content()
    assert "พื้นที่: เมืองเชียงใหม่, เชียงใหม่" in body
    assert "ความรุนแรง: วิกฤต" in body
    assert "ผู้ต้องดำเนินการ: จังหวัด" in body
    assert "ยืนยันรายชื่อโรงเรียนที่ปิดกับอำเภอภายในวันนี้" in body  # the rule's runbook, in Thai
    assert f"https://cockpit.example.org/alerts?alert={result.opened[0]}&country=th&lang=th" in body
    [row] = sending.recorded(engine)
    assert (row["status"], row["reason"], row["channel"], row["attempts"]) == ("sent", "critical", "email", 1)
    assert json.loads(row["alert_ids"]) == list(result.opened) and row["sent_at"] == T0


def test_routes_choose_by_country_severity_area_and_respond_level(engine, hook, tmp_path):
    cfg = setup(
        tmp_path,
        hook=hook,
        routes="""
  - {name: north, country: th, mode: immediate, areas: ["50"], contact_points: [chat-north], language: en}
  - {name: south, country: th, mode: immediate, areas: ["90"], contact_points: [chat-south], language: en}
  - {name: schools, country: th, mode: immediate, respond: [school], contact_points: [chat-south], language: en}
  - {name: lao, country: la, mode: immediate, contact_points: [chat-south], language: lo}
""",
    )
    result = open_alerts(
        engine,
        flood("5001"),  # a district of province 50: the north route's, through its province
        flood("10", rule="haze-closures"),  # Bangkok: no area route; the school route wants another level
        flood("50", rule="storm-damage", severity="high"),  # not critical: waits for the digest
    )
    send_new(engine, result, cfg)
    assert hook.texts("/chat-south") == []
    [text] = hook.texts("/chat-north")
    assert text.startswith("Critical alert: Schools closed by floods – Mueang Chiang Mai, Chiang Mai")
    path, headers, payload = hook.received[0]
    assert headers["Content-Type"] == "application/json; charset=utf-8"
    assert (payload["country"], payload["reason"], payload["route"]) == ("th", "critical", "north")


def test_the_same_alert_is_never_sent_twice_to_one_contact_point(engine, smtp, tmp_path):
    cfg = setup(
        tmp_path,
        smtp=smtp,
        routes="""
  - {name: national, country: th, mode: immediate, contact_points: [office]}
  - {name: north, country: th, mode: immediate, areas: ["50"], contact_points: [office]}
""",
    )
    result = open_alerts(engine, flood())
    assert len(send_new(engine, result, cfg)) == 1
    assert send_new(engine, result, cfg, now=T0 + timedelta(hours=1)) == []  # the publish's sync, seen again
    since = T0 - timedelta(days=1)
    missed = sending.send_missed(engine, "th", since=since, places=PLACES, config=cfg, ruleset=RULES, now=T0)
    assert missed == [] and len(smtp.messages) == 1 and len(sending.recorded(engine)) == 1


def test_a_critical_alert_no_publish_sent_goes_out_with_the_next_sweep(engine, smtp, tmp_path):
    cfg = setup(tmp_path, smtp=smtp, routes="  - {name: th, country: th, mode: immediate, contact_points: [office]}")
    open_alerts(engine, flood())  # opened by a page server's evaluation: nobody called send_new
    old = open_alerts(engine, flood("10", rule="haze-closures"), now=T0 - timedelta(days=3))
    since = T0 - timedelta(days=1)
    kw = dict(places=PLACES, config=cfg, ruleset=RULES, now=T0)
    assert [a.status for a in sending.send_missed(engine, "th", since=since, **kw)] == ["sent"]
    assert "เมืองเชียงใหม่" in smtp.messages[0][1]["Subject"]
    assert json.loads(sending.recorded(engine)[0]["alert_ids"]) != list(old.opened)


def test_a_failed_send_is_recorded_and_retried_with_backoff_until_it_goes(engine, hook, tmp_path):
    cfg = setup(
        tmp_path,
        hook=hook,
        routes="  - {name: north, country: th, mode: immediate, contact_points: [chat-north], language: en}",
        retry="retry: {max_attempts: 4, first_delay_minutes: 5}",
    )
    hook.statuses = [500, 503]
    [first] = send_new(engine, open_alerts(engine, flood()), cfg)
    assert (first.status, first.error, first.next_try_at) == (
        "failed",
        "HTTP 500 Internal Server Error",
        T0 + timedelta(minutes=5),
    )
    assert sending.retry_failed(engine, T0 + timedelta(minutes=4), config=cfg) == []  # not due yet
    [second] = sending.retry_failed(engine, T0 + timedelta(minutes=5), config=cfg)
    assert (second.status, second.attempts) == ("failed", 2)
    assert second.next_try_at == T0 + timedelta(minutes=15)  # the delay doubled
    [third] = sending.retry_failed(engine, T0 + timedelta(minutes=15), config=cfg)
    assert (third.status, third.attempts, third.next_try_at) == ("sent", 3, None)
    assert sending.retry_failed(engine, T0 + timedelta(days=1), config=cfg) == []
    texts = hook.texts("/chat-north")
    assert len(texts) == 3 and len(set(texts)) == 1  # the same words each time
    [row] = sending.recorded(engine)
    assert (row["status"], row["attempts"], row["error"], row["sent_at"]) == (
        "sent",
        3,
        None,
        T0 + timedelta(minutes=15),
    )


def test_a_send_that_keeps_failing_stops_after_the_last_attempt(engine, tmp_path):
    dead = f"http://127.0.0.1:{_free_port()}"  # nothing listens there
    cfg = config.load(
        write_config(
            tmp_path,
            f"""
retry: {{max_attempts: 2, first_delay_minutes: 1}}
contact_points: [{{name: gone, kind: webhook, url: "{dead}"}}]
routes: [{{name: r, country: th, mode: immediate, contact_points: [gone]}}]
""",
        )
    )
    [first] = send_new(engine, open_alerts(engine, flood()), cfg)
    assert first.status == "failed" and "Connection refused" in first.error
    [last] = sending.retry_failed(engine, T0 + timedelta(minutes=1), config=cfg)
    assert (last.status, last.attempts, last.next_try_at) == ("failed", 2, None)
    assert sending.retry_failed(engine, T0 + timedelta(days=1), config=cfg) == []
    assert sending.recorded(engine)[0]["attempts"] == 2


def test_a_secret_missing_from_the_environment_is_a_recorded_failure(engine, smtp, tmp_path, monkeypatch):
    monkeypatch.delenv("NOTIFY_TEST_PASSWORD", raising=False)
    cfg = config.load(
        write_config(
            tmp_path,
            f"""
contact_points:
  - name: office
    kind: email
    to: duty@example.org
    smtp: {{host: 127.0.0.1, port: {smtp.port}, from: c@example.org, starttls: false, user: u,
            password_env: NOTIFY_TEST_PASSWORD}}
routes: [{{name: r, country: th, mode: immediate, contact_points: [office]}}]
""",
        )
    )
    [attempt] = send_new(engine, open_alerts(engine, flood()), cfg)
    assert (attempt.status, attempt.error) == ("failed", "environment variable NOTIFY_TEST_PASSWORD is not set")
    assert smtp.messages == []


def test_the_daily_digest_groups_the_days_open_alerts_by_severity_in_lao(engine, smtp, tmp_path, monkeypatch):
    cfg = setup(
        tmp_path,
        smtp=smtp,
        routes="  - {name: la-daily, country: la, min_severity: medium, mode: digest, contact_points: [office]}",
    )
    morning = T0 + timedelta(hours=1)  # 10:00 in Vientiane, on DAY
    before = T0 - timedelta(days=2)
    # Opened on DAY: a high and a medium one; a low one the route does not want; a Thai one it does not either.
    open_alerts(engine, flood("LA-VT", "la", "high", "storm-damage"), now=morning)
    open_alerts(engine, flood("LA-BK", "la", "medium", "haze-closures"), now=morning)
    open_alerts(engine, flood("LA-BK", "la", "low", "drought-low"), now=morning)
    open_alerts(engine, flood("50", "th", "high", "th-storm"), now=morning)
    # Opened before DAY: one acknowledged on DAY (changed: in), one left alone (out), one resolved on DAY (out).
    [changed] = open_alerts(engine, flood("LA-VT", "la", "critical", "flood-closures"), now=before).opened
    open_alerts(engine, flood("LA-BK", "la", "high", "quiet"), now=before)
    [resolved] = open_alerts(engine, flood("LA-VT", "la", "high", "gone"), now=before).opened
    with_time = dict(places=PLACES, config=cfg, ruleset=RULES)
    monkeypatch.setenv("COCKPIT_TODAY", "")  # people act on the machine's clock, which time-machine sets
    _act_at(engine, changed, "acknowledge", morning)
    _act_at(engine, resolved, "resolve", morning)

    [attempt] = sending.send_digest(engine, "la", DAY, now=T0 + timedelta(days=1), **with_time)
    assert attempt.status == "sent"
    [(_to, mail)] = smtp.messages
    assert mail["Subject"] == "ການແຈ້ງເຕືອນຂອງ Cockpit ວັນທີ 2025-03-10: ຍັງຄ້າງ 3 ລາຍການ"
    body = mail.get_content()
    assert body.startswith("ການແຈ້ງເຕືອນທີ່ເກີດຂຶ້ນ ຫຼື ປ່ຽນແປງໃນວັນທີ 2025-03-10 ແລະ ຍັງຄ້າງຢູ່:")
    critical, high, medium = (body.index(h) for h in ("ວິກິດ (1)", "ສູງ (1)", "ປານກາງ (1)"))
    assert critical < high < medium  # worst first
    assert "ໂຮງຮຽນປິດຍ້ອນນ້ຳຖ້ວມ – ນະຄອນຫຼວງວຽງຈັນ" in body  # the rule's Lao title and the place's Lao name
    assert "quiet" not in body and "gone" not in body and "drought-low" not in body and "th-storm" not in body
    # Once per route and day, however often cron runs it.
    assert sending.send_digest(engine, "la", DAY, now=T0 + timedelta(days=1, hours=1), **with_time) == []
    assert len(smtp.messages) == 1
    [row] = sending.recorded(engine)
    assert (row["reason"], row["digest_day"], row["language"]) == ("digest", DAY, "lo")


def test_a_day_without_news_sends_no_digest(engine, smtp, tmp_path):
    cfg = setup(tmp_path, smtp=smtp, routes="  - {name: d, country: th, mode: digest, contact_points: [office]}")
    open_alerts(engine, flood(), now=T0 - timedelta(days=3))
    assert sending.send_digest(engine, "th", DAY, places=PLACES, config=cfg, ruleset=RULES, now=T0) == []
    assert smtp.messages == []


def _act_at(engine, alert_id, action, when):
    with time_machine.travel(when, tick=False):
        lifecycle.act(engine, alert_id, action, officer("somchai"), note=f"{action} note")


BROKEN = [
    ("contact_points: [\n", "(file)", "not valid YAML"),
    ("contact_points: [{name: x, kind: pager}]", "contact_points[0].kind", "must be one of email, webhook"),
    (
        "contact_points: [{name: x, kind: email, to: a@b.org, smtp: {host: h, from: c@d.org, password: hunter2}}]",
        "contact_points[0].smtp.password",
        "never write a password here",
    ),
    ("contact_points: [{name: x, kind: webhook, url: ftp://x}]", "contact_points[0].url", "http:// or https://"),
    (
        "contact_points: [{name: x, kind: webhook, url: 'http://x'}]\n"
        "routes: [{name: r, country: th, mode: immediate, contact_points: [y]}]",
        "routes[0].contact_points",
        "no contact point 'y' (known: x)",
    ),
    (
        "contact_points: [{name: x, kind: webhook, url: 'http://x'}]\n"
        "routes: [{name: r, country: th, mode: immediate, severity: [high], contact_points: [x]}]",
        "routes[0].severity",
        "an immediate route sends only critical alerts",
    ),
    (
        "contact_points: [{name: x, kind: webhook, url: 'http://x'}]\n"
        "routes: [{name: r, country: th, mode: digest, language: fr, contact_points: [x]}]",
        "routes[0].language",
        "must be one of th, lo, en",
    ),
    ("retry: {max_attempts: 0}", "retry.max_attempts", "must be at least 1"),
]


@pytest.mark.parametrize(("text", "field", "problem"), BROKEN)
def test_a_broken_file_is_a_clear_error_naming_file_field_and_problem(tmp_path, text, field, problem):
    path = write_config(tmp_path, text)
    with pytest.raises(config.ConfigError) as caught:
        config.load(path)
    assert caught.value.file == str(path) and caught.value.key.startswith(field) and problem in caught.value.problem


def test_the_command_line_reports_a_broken_file_without_a_traceback(tmp_path, monkeypatch, capsys):
    monkeypatch.setenv("COCKPIT_NOTIFICATIONS_FILE", str(write_config(tmp_path, "routes: [{name: r}]")))
    assert cli(["retry"]) == 2
    err = capsys.readouterr().err
    assert err.startswith("error: ") and "notifications.yaml (line 1): routes[0].country: missing" in err
    assert "Traceback" not in err


def test_the_shipped_example_is_valid_and_sends_nothing():
    cfg = config.load(ROOT / "config" / "notifications.yaml")
    assert cfg.routes and cfg.contact_points
    assert not any(point.enabled for point in cfg.contact_points.values())
    assert config.load(settings.load().notifications_file) == cfg


# Publishing: a publish that opens a critical alert sends it; nothing about notifications can fail it.

RULE = """
rules:
  - uid: enrolment-collapse
    title: {en: Enrolment collapsed, th: การลงทะเบียนเรียนลดลงอย่างรุนแรง}
    watch: {indicator: enrol}
    condition: {kind: threshold, below: 50}
    severity: critical
    runbook: {en: Call the province today.}
"""


@pytest.fixture
def place(tmp_path, monkeypatch):
    (tmp_path / "rules").mkdir()
    (tmp_path / "rules" / "tiny.yaml").write_text(RULE, encoding="utf-8")
    monkeypatch.setenv("COCKPIT_RULES_DIR", str(tmp_path / "rules"))
    tiny.write(tmp_path / "extracts" / "xx")
    return dict(
        extracts=tmp_path / "extracts" / "xx",
        data_url=str(tmp_path / "published"),
        state_url=f"sqlite:///{tmp_path / 'state.db'}",
    )


def publish_with_enrolment_halved(place):
    versions.publish("xx", place["extracts"], data_url=place["data_url"], state_url=place["state_url"])
    obs = tiny.frames()["observations"]
    obs.loc[obs["indicator_id"] == "enrol", "numerator"] /= 2  # both provinces fall below 50%
    tiny.write(place["extracts"], observations=obs)
    return versions.publish("xx", place["extracts"], data_url=place["data_url"], state_url=place["state_url"])


def test_a_publish_that_opens_a_critical_alert_sends_it(place, hook, tmp_path, monkeypatch):
    path = write_config(
        tmp_path,
        f"""
contact_points: [{{name: chat, kind: webhook, url: "{hook.url}/chat"}}]
routes: [{{name: xx-now, country: xx, mode: immediate, areas: [P1], contact_points: [chat], language: th}}]
""",
    )
    monkeypatch.setenv("COCKPIT_NOTIFICATIONS_FILE", str(path))
    outcome = publish_with_enrolment_halved(place)
    assert outcome.status == "published" and outcome.notify_error == ""
    assert [a.status for a in outcome.notifications] == ["sent"]
    [text] = hook.texts()
    # The rule's Thai title; the place in English, as Thai readers see areas of a country not their own.
    assert text.startswith("การแจ้งเตือนวิกฤต: การลงทะเบียนเรียนลดลงอย่างรุนแรง – North\n")


def test_a_publish_goes_through_when_notifications_cannot_be_sent(place, hook, tmp_path, monkeypatch):
    hook.statuses = [500]
    path = write_config(
        tmp_path,
        f"""
contact_points: [{{name: chat, kind: webhook, url: "{hook.url}/chat"}}]
routes: [{{name: xx-now, country: xx, mode: immediate, contact_points: [chat], language: en}}]
""",
    )
    monkeypatch.setenv("COCKPIT_NOTIFICATIONS_FILE", str(path))
    outcome = publish_with_enrolment_halved(place)
    assert outcome.status == "published"
    assert sorted(a.status for a in outcome.notifications) == ["failed", "sent"]  # one per province; one got a 500
    [failed] = [row for row in sending.recorded(store.engine(place["state_url"])) if row["status"] == "failed"]
    assert failed["error"] == "HTTP 500 Internal Server Error" and failed["next_try_at"] is not None


def test_a_publish_goes_through_when_the_notifications_file_is_broken(place, tmp_path, monkeypatch):
    monkeypatch.setenv("COCKPIT_NOTIFICATIONS_FILE", str(write_config(tmp_path, "routes: [{name: r, mode: often}]")))
    outcome = publish_with_enrolment_halved(place)
    assert outcome.status == "published" and outcome.notifications == []
    assert outcome.notify_error.startswith("notifications not sent: ") and "routes[0].country" in outcome.notify_error
