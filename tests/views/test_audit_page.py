"""The audit trail (administrators): read at 1366 px in the reader's language and calendar, filtered by days typed
in it, each entry whole when picked."""

from __future__ import annotations

from datetime import timedelta

import pandas as pd
import pytest
from conftest import ROOT, TODAY, as_read
from identities import sign_in
from streamlit.testing.v1 import AppTest

from cockpit import i18n, settings
from cockpit.state import store
from cockpit.users import accounts, audit
from cockpit.users.identity import Identity

ADMIN = Identity("admin.th", "Administrator", "administrator", None, None, "local")
# Typed by a person when their account was made: shown as typed, never as Markdown.
OFFICER = Identity("somchai.k", "**Somchai** [K](http://x)", "provincial_office", "th", "67", "local")


@pytest.fixture(scope="module")
def recorded():
    """A provincial officer's write and a refusal, recorded on the suite's day."""
    engine = store.engine(settings.load().state_url)
    audit.record(engine, OFFICER, "write", "decision.record", target="decision:7", detail="due 2/2/2570 " + "x" * 300)
    audit.record(engine, OFFICER, "refused", "page.audit", detail="Your role may not read the audit trail.")
    return engine


def page(lang: str = "th", **typed) -> AppTest:
    at = sign_in(AppTest.from_file(str(ROOT / "app.py"), default_timeout=90), ADMIN)
    at.query_params.update(country="th", lang=lang)
    at.switch_page("views/audit.py").run()
    for key, value in typed.items():
        at.text_input(key=key).input(value).run()
    return at


def entries(at) -> pd.DataFrame:
    return next(d.value for d in at.dataframe if "when" in d.value.columns)


def test_entries_read_in_the_readers_calendar_with_their_key_columns(recorded):
    at = page()
    assert not at.exception, at.exception
    shown = entries(at)
    mine = shown[shown["who"].str.startswith("**Somchai**")]
    assert len(mine) == 2
    assert mine["when"].iloc[0].startswith(f"{TODAY.day} ") and str(TODAY.year + 543) in mine["when"].iloc[0]
    assert set(mine["what"]) == {"บันทึก", "ถูกปฏิเสธ"}
    # As typed; cut to its column with a mark (whole in the entry picked).
    assert all(w.startswith("**Somchai** [K](http://x) (") and w.endswith("…") for w in mine["who"])
    assert not at.error


def test_the_role_and_how_they_signed_in_in_the_readers_language(recorded):
    rows = audit.entries(recorded, login="somchai.k")
    readable = audit.readable(rows, "lo")
    assert set(readable["role"]) == {"ພະແນກສຶກສາທິການ ແລະ ກິລາ ແຂວງ"}
    assert set(readable["how"]) == {"ລະຫັດຜ່ານ"}


def test_days_typed_in_the_buddhist_era_filter_and_a_wrong_one_is_said_and_changes_nothing(recorded):
    yesterday = TODAY - timedelta(days=1)
    at = page(audit_until=f"{yesterday.day}/{yesterday.month}/{yesterday.year + 543}")
    assert not at.exception, at.exception
    assert not entries(at)["who"].astype(str).str.startswith("**Somchai**").any()
    at = page(audit_since="31/2/2569")
    assert not at.exception, at.exception
    [error] = [e.value for e in at.error]
    assert as_read(error).startswith("31/2/2569 ")
    assert entries(at)["who"].astype(str).str.startswith("**Somchai**").sum() == 2  # the last 30 days, as before
    at = page(audit_until="**1** [x](http://x)")
    [error] = [e.value for e in at.error]
    assert "\\*\\*1\\*\\*" in error  # as typed, not in bold


def test_an_entry_picked_shows_every_field_and_its_whole_detail(recorded):
    """The table keeps when, who, what and where at 1366 px; a row picked shows the role by its title, how they
    signed in, the country and area, and the detail whole, as recorded."""
    at = page()
    row = next(n for n, what in enumerate(entries(at)["what"]) if what == "บันทึก")
    at.session_state["audit_table"] = {"selection": {"rows": [row], "columns": [], "cells": []}}
    at.run()
    assert not at.exception, at.exception
    fields = next(d.value for d in at.dataframe if "ฟิลด์" in d.value.columns).set_index("ฟิลด์")["ค่า"]
    assert fields["บทบาท"] == "สำนักงานศึกษาธิการจังหวัด" and fields["วิธี"] == "รหัสผ่าน"
    assert (fields["ประเทศ"], fields["พื้นที่"], fields["เป้าหมาย"]) == ("th", "67", "decision:7")
    assert fields["ใคร"] == "**Somchai** [K](http://x) (somchai.k)"  # whole here
    assert [c.value for c in at.code] == ["due 2/2/2570 " + "x" * 300]


def test_the_accounts_in_the_readers_language(recorded):
    """The accounts' table: the role by its title, how the account signs in and its last sign-in in the reader's
    language and calendar (they were keys and timestamps)."""
    accounts.add(
        recorded, "audit.peo", "สมหญิง", "provincial_office", password="x" * 12, country="th", area_id="67", by=ADMIN
    )
    at = page()
    listed = next(d.value for d in at.dataframe if "login" in d.value.columns).set_index("login").loc["audit.peo"]
    assert (listed["role"], listed["how"], listed["area"]) == ("สำนักงานศึกษาธิการจังหวัด", "รหัสผ่าน", "th 67")
    assert listed["last"] == i18n.NO_VALUE and bool(listed["active"])  # never signed in
