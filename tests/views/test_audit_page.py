"""The audit trail (administrators): read at 1366 px in the reader's language and calendar, filtered by days typed
in it, each entry whole when picked."""

from __future__ import annotations

import json
from datetime import timedelta

import pandas as pd
import pytest
from conftest import ROOT, TODAY, as_read
from identities import sign_in
from streamlit.testing.v1 import AppTest

from cockpit import i18n, settings
from cockpit.state import store
from cockpit.ui import tables
from cockpit.users import accounts, audit
from cockpit.users.identity import Identity

ADMIN = Identity("admin.th", "Administrator", "administrator", None, None, "local")
# Typed by a person when their account was made: shown as typed, never as Markdown.
OFFICER = Identity("somchai.k", "**Somchai** [K](http://x)", "provincial_office", "th", "67", "local")
LAO_OFFICER = Identity("bounmy.s", "Bounmy", "provincial_office", "la", "LA01", "local")


@pytest.fixture(scope="module")
def recorded():
    """A Lao officer's notes, then a Thai provincial officer's write and a refusal, recorded on the suite's day."""
    engine = store.engine(settings.load().state_url)
    for note in range(3):  # older: the Thai officer's entries are at the top, and a Lao list has rows there too
        audit.record(engine, LAO_OFFICER, "write", "note.add", target=f"note:{note}")
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


def test_every_column_has_a_width_within_a_laptops_table(recorded):
    """The Detail column had none: as wide as its longest detail (300 letters here), it scrolled the table sideways
    at 1366 px. The detail is whole in the entry picked."""
    at = page(lang="en")
    grid = next(d for d in at.dataframe if "when" in d.value.columns)
    config = json.loads(grid.proto.columns)
    shown = list(grid.proto.column_order)
    assert all("width" in config[c] for c in shown), shown
    assert sum(config[c]["width"] for c in shown) <= 904 - 35  # the grid's width at 1366 px, less the row pickers


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


def pick(at: AppTest, what: str) -> AppTest:
    """Picks the Thai officer's newest entry of the kind `what` (as the reader reads it), as a click does."""
    shown = entries(at)
    mine = zip(shown["what"], shown["who"].str.startswith("**Somchai**"), strict=True)
    row = next(n for n, (kind, by_him) in enumerate(mine) if kind == what and by_him)
    at.session_state[tables.selection_key("audit_table", shown["id"])] = {
        "selection": {"rows": [row], "columns": [], "cells": []}
    }
    return at.run()


def test_an_entry_picked_shows_every_field_and_its_whole_detail(recorded):
    """The table keeps when, who, what and where at 1366 px; a row picked shows the role by its title, how they
    signed in, the country and area, and the detail whole, as recorded."""
    at = pick(page(), "บันทึก")
    assert not at.exception, at.exception
    fields = next(d.value for d in at.dataframe if "ฟิลด์" in d.value.columns).set_index("ฟิลด์")["ค่า"]
    assert fields["บทบาท"] == "สำนักงานศึกษาธิการจังหวัด" and fields["วิธี"] == "รหัสผ่าน"
    assert (fields["ประเทศ"], fields["พื้นที่"], fields["เป้าหมาย"]) == ("ประเทศไทย", "67", "decision:7")
    assert fields["ใคร"] == "**Somchai** [K](http://x) (somchai.k)"  # whole here
    assert [c.value for c in at.code] == ["due 2/2/2570 " + "x" * 300]


def test_a_row_picked_is_let_go_when_the_list_changes_under_it(recorded):
    """Streamlit keeps a row picked by its position: filtered to another country, the row at that position, another
    entry (or none), was shown as the one picked. The country filter lists one country's entries."""
    at = pick(page(), "บันทึก")
    assert any("ฟิลด์" in d.value.columns for d in at.dataframe)
    at.selectbox(key="audit_country").select("la").run()
    assert not at.exception, at.exception
    assert not entries(at)["who"].astype(str).str.startswith("**Somchai**").any()  # a Thai office's entries
    assert "Bounmy (bounmy.s)" in set(entries(at)["who"])  # a row is there to be shown as picked, wrongly
    assert not any("ฟิลด์" in d.value.columns for d in at.dataframe) and not at.code
    at.selectbox(key="audit_country").select("th").run()
    assert entries(at)["who"].astype(str).str.startswith("**Somchai**").sum() == 2


def test_a_table_is_keyed_by_the_rows_it_lists():
    assert tables.selection_key("feed", [3, 1]) == tables.selection_key("feed", [3, 1])
    assert tables.selection_key("feed", [3, 1]) != tables.selection_key("feed", [1, 3])
    assert tables.selection_key("feed", [3, 1]) != tables.selection_key("feed", [4, 3, 1])  # a newer entry on top


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
