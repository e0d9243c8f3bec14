"""The Data page under AppTest on the tiny extracts published twice: versions and manifests, the rollback
command, refused publishes, what changed; wrong links and a single version are clear messages."""

import json

import pytest
import tiny
from conftest import ROOT, as_read
from identities import sign_in
from streamlit.testing.v1 import AppTest

from cockpit.data.extracts import ContractError
from cockpit.data.versions import Unreachable
from cockpit.importer import matching, publishing
from cockpit.publish.versions import Outcome
from cockpit.ui import import_panels
from cockpit.ui.text import plain
from cockpit.users.identity import Identity

STEWARD = "**Somchai** <b>night</b> [shift](http://x)"  # typed by a person: shown as typed, never rendered


def edited_observations():
    """District D1's enrolment revised (P1 73.3% -> 83.3% in Y2) and D3's count of closures dropped."""
    obs = tiny.frames()["observations"]
    d1_enrol = (obs["area_id"] == "D1") & (obs["indicator_id"] == "enrol") & (obs["period_start"] == tiny.Y2)
    obs.loc[d1_enrol, ["value", "numerator"]] = [95.0, 95.0]
    return obs[~((obs["area_id"] == "D3") & (obs["indicator_id"] == "closed"))]


# The tiny extracts are not the demo's, so the demo accounts are refused: a steward with a local account.
DATA_STEWARD = Identity("steward.th", "Data steward", "data_steward", "th", None, "local")


def page(**params) -> AppTest:
    at = sign_in(AppTest.from_file(str(ROOT / "app.py"), default_timeout=120), DATA_STEWARD)
    for key, value in {"lang": "en", **params}.items():
        at.query_params[key] = value
    at.switch_page("views/data.py")
    return at.run()


@pytest.fixture
def published(tmp_path, monkeypatch):
    """Thailand's tiny extracts published, refused once, then published again with edits: (old, new)."""
    tiny.write(tmp_path / "th")
    database = tiny.served(tmp_path, by="first steward")
    old = database.store.current("th")
    broken = tiny.frames()["observations"]
    broken.loc[3, "sex"] = "unknown"
    tiny.write(tmp_path / "th", observations=broken)
    tiny.served(tmp_path, by=STEWARD)
    tiny.write(tmp_path / "th", observations=edited_observations())
    tiny.served(tmp_path, by=STEWARD)
    new = database.store.current("th")
    monkeypatch.setenv("COCKPIT_DATA_URL", database.store.url)
    return old, new


def text_of(at) -> str:
    blocks = [*at.markdown, *at.caption, *at.info, *at.warning, *at.success, *at.title, *at.subheader]
    return "\n".join(str(b.value) for b in blocks)


def test_versions_with_manifests_and_the_served_one_marked(published):
    old, new = published
    at = page()
    assert not at.exception, at.exception
    assert at.title[0].value == "Data"
    versions = at.dataframe[0].value
    assert list(versions["version"]) == [new, old]
    assert list(versions["current"]) == ["●", ""]
    assert list(versions["published_by"]) == [STEWARD, "first steward"]
    assert list(versions["observations"]) == [len(edited_observations()), len(tiny.frames()["observations"])]
    # Six columns fit a laptop; the version's steps and counts stand over its manifest.
    assert list(at.dataframe[0].proto.column_order) == [
        "current", "version", "published_at", "published_by", "newest_period", "observations"
    ]  # fmt: skip
    assert any(c.value.startswith("Steps (seconds): ") and "check and load" in c.value for c in at.caption)
    assert any(c.value.startswith(f"Schools {len(tiny.frames()['schools']):,} · All rows ") for c in at.caption)
    manifest = at.dataframe[1].value
    # Hashes by their first 16 characters (the whole one was cut at 1366 px); the whole manifest has them all.
    assert len(manifest) == 8 and manifest["sha256"].str.fullmatch("[0-9a-f]{16}…").all()
    whole = json.loads(next(c.value for c in at.code if c.language == "json"))
    assert [f"{f['sha256'][:16]}…" for f in whole["files"].values()] == list(manifest["sha256"])
    assert at.selectbox(key="url_version").value == new
    assert any("every page serves now" in i.value for i in at.info)  # the served version: nothing to roll back


def test_an_older_version_shows_the_rollback_command_and_no_button(published):
    old, _ = published
    at = page(version=old)
    assert not at.exception, at.exception
    commands = [c.value for c in at.code]
    assert f"python -m cockpit.publish --country th --rollback {old}" in commands
    assert "sign-in" in text_of(at)
    assert [b.key for b in at.button] == ["sign_out"]  # nothing on the page changes data


def test_refused_publishes_as_a_table_with_what_was_typed_as_typed(published):
    at = page()
    refused = next(d.value for d in at.dataframe if "problem" in d.value.columns)
    row = refused.iloc[0]
    assert list(row[["by", "file", "column", "rows", "state"]]) == [
        STEWARD,
        "observations.parquet",
        "sex",
        "4",
        "Fixed by a later publish",
    ]
    assert row["directory"].endswith("/th")
    assert "Somchai" not in text_of(at)  # never put into Markdown
    in_thai = next(d.value for d in page(lang="th").dataframe if "problem" in d.value.columns)
    assert in_thai.iloc[0]["problem"] != row["problem"] and in_thai.iloc[0]["problem"].startswith("ค่า")


def test_what_changed_between_the_served_version_and_the_one_before(published):
    old, new = published
    at = page()
    assert (at.selectbox(key="url_old").value, at.selectbox(key="url_new").value) == (old, new)
    assert [m.value for m in at.metric] == ["0", "1", "1"]
    by_indicator = next(d.value for d in at.dataframe if "removed" in d.value.columns)
    assert by_indicator.set_index("indicator")["changed"].to_dict() == {"closed": 0, "enrol": 1}
    movers = next(d.value for d in at.dataframe if "province" in d.value.columns)
    assert list(movers.iloc[0][["indicator", "province", "old", "new", "change"]]) == [
        "enrol",
        "North",
        "73.3%",
        "83.3%",
        "+10.0 pts",
    ]
    assert "old" not in at.query_params  # a page load writes only what the link did not say (no defaults)


def test_any_two_versions_from_the_url(published):
    old, new = published
    at = page(old=new, new=old)
    assert not at.exception, at.exception
    assert [m.value for m in at.metric] == ["1", "0", "1"]  # backwards: D3's closures come back
    movers = next(d.value for d in at.dataframe if "province" in d.value.columns)
    assert movers.iloc[0]["change"] == "\u221210.0 pts"  # a true minus sign, as in the policies' figures and the briefs
    at = page(old=old, new=old)
    assert any("two different versions" in i.value for i in at.info)


def test_a_wrong_version_in_the_link_is_reported_not_a_traceback(published):
    _, new = published
    at = page(version="nope", old="20990101T000000Z-gone")
    assert not at.exception, at.exception
    warned = " ".join(as_read(w.value) for w in at.warning)
    assert "version=nope" in warned and "old=20990101T000000Z-gone" in warned
    assert at.selectbox(key="url_version").value == new


def test_a_single_version_has_nothing_to_compare(tmp_path, monkeypatch):
    tiny.write(tmp_path / "th")
    monkeypatch.setenv("COCKPIT_DATA_URL", tiny.served(tmp_path).store.url)
    at = page()
    assert not at.exception, at.exception
    assert any("nothing to compare" in i.value for i in at.info)
    assert any("No publish has been refused" in s.value for s in at.success)


@pytest.mark.parametrize(("lang", "title"), [("th", "ข้อมูล"), ("lo", "ຂໍ້ມູນ")])
def test_in_thai_and_lao(published, lang, title):
    at = page(lang=lang)
    assert not at.exception, at.exception
    assert at.title[0].value == title
    assert at.subheader[0].value != "Published versions"
    if lang == "th":  # Thailand's source specs, named in Thai (the tiny extracts are Thailand's)
        assert "นักเรียนมัธยมศึกษาตอนต้นและประชากร รายจังหวัด (ชื่อภาษาอังกฤษ, Excel)" in at.selectbox(key="import_spec").options


def test_the_uploader_takes_files_up_to_the_import_limit_and_says_it_in_the_readers_language(published, monkeypatch):
    """The uploader said Streamlit's "200MB per file" while an import read 50 MB, and its help the default
    even when COCKPIT_IMPORT_MAX_MB was set."""
    monkeypatch.setenv("COCKPIT_IMPORT_MAX_MB", "7.5")
    uploader = page(lang="th").file_uploader(key="import_file")
    assert uploader.proto.max_upload_size_mb == 8  # whole megabytes: the import refuses the half in words
    assert uploader.help.endswith("ไม่เกิน 7.5 MB")


def test_an_import_whose_published_data_cannot_be_read_says_so_in_the_readers_language(published, monkeypatch):
    """The served version gone (a rollback, a cleanup) or its bucket down while a steward imports: a message in the
    steward's language that nothing was imported, not the exception's class name and English text."""

    def unreachable(country, into, data_url=None):
        raise Unreachable("s3://ministry-extracts cannot be read: connection refused")

    monkeypatch.setattr(publishing, "from_version", unreachable)
    import_panels._base.clear()
    at = uploaded(page(lang="th"))
    errors = [e.value for e in at.error]
    assert errors == ["ขณะนี้ไม่สามารถอ่านข้อมูลที่เผยแพร่ได้: s3\\://ministry\\-extracts cannot be read\\: connection refused"]
    assert "ไม่ได้นำเข้าข้อมูลใด และข้อมูลที่เผยแพร่แล้วไม่เปลี่ยนแปลง" in text_of(at)
    assert not at.exception


def uploaded(at: AppTest) -> AppTest:
    """OBEC's lower-secondary file (Thai, B.E.) uploaded under its spec: on the demo data it imports clean."""
    at.selectbox(key="import_spec").set_value("obec_lower_secondary").run()
    sample = ROOT / "tests" / "importer" / "samples" / "obec_lower_secondary_2566.csv"
    return at.file_uploader(key="import_file").set_value(("obec.csv", sample.read_bytes(), "text/csv")).run()


def unreachable(*args, **kwargs):
    raise Unreachable("s3://ministry-extracts cannot be read: connection refused")


def read_only(*args, **kwargs):
    raise PermissionError(13, "Permission denied", "/srv/cockpit/data/imports/th")


def out_of_memory(*args, **kwargs):
    return Outcome("th", "failed", message="out of memory while building the version")


# How a publish fails, what the steward is told, and the detail shown for the administrator (None: none).
PUBLISH_FAILURES = [
    (
        unreachable,
        "ขณะนี้ไม่สามารถอ่านข้อมูลที่เผยแพร่ได้: s3\\://ministry\\-extracts cannot be read\\: connection refused",
        None,
    ),
    (out_of_memory, "ไม่ได้เผยแพร่; ฉบับปัจจุบันยังคงใช้งานอยู่", "out of memory while building the version"),
    (
        read_only,
        "เขียนการนำเข้าไม่ได้: \\[Errno 13\\] Permission denied\\: '/srv/cockpit/data/imports/th' แจ้งผู้ดูแลระบบ",
        None,
    ),
]


def test_an_import_whose_publish_fails_says_why_and_changes_nothing(monkeypatch):
    """A steward publishes an import and the store of versions is out of reach or the install read-only (tracebacks
    before), or the publish fails (out of memory: "not published" was said, and why was not). One upload, each
    failure in turn, as a steward pressing Publish again would meet them."""
    at = uploaded(page(lang="th"))
    for fails, error, detail in PUBLISH_FAILURES:
        monkeypatch.setattr(publishing, "publish", fails)
        at.button(key="import_publish").click().run()
        assert not at.exception, fails.__name__
        assert error in [e.value for e in at.error], fails.__name__
        assert "ไม่ได้เผยแพร่; ฉบับปัจจุบันยังคงใช้งานอยู่" in text_of(at) + "\n".join(e.value for e in at.error)
        assert [c.value for c in at.code if "out of memory" in c.value] == ([detail] if detail else [])


def test_an_import_whose_publish_the_contract_refuses_says_what_and_where_in_the_readers_language(monkeypatch):
    """The publish after an import refused by the contract (the built version checked again, as every publish is):
    its problems in a table in the steward's language, as above every page (they were the command line's English,
    in a code block)."""
    message = "value above the maximum {maximum}"
    above = ContractError(
        "observations.parquet", "value", (12, 40), 2, "value above the maximum 100", message, {"maximum": "100"}
    )
    refused = Outcome("th", "rejected", errors=[above])
    monkeypatch.setattr(publishing, "publish", lambda *a, **kw: refused)
    at = uploaded(page(lang="th"))
    at.button(key="import_publish").click().run()
    assert not at.exception
    assert "ไม่ได้เผยแพร่; ฉบับปัจจุบันยังคงใช้งานอยู่" in [e.value for e in at.error]
    table = next(d.value for d in at.dataframe if "ปัญหา" in d.value.columns)
    assert table.to_dict("records") == [
        {"ไฟล์": "observations.parquet", "คอลัมน์": "value", "แถว": "12, 40", "ปัญหา": "ค่าสูงกว่าค่าสูงสุด 100"}
    ]
    assert not [c.value for c in at.code if "maximum" in c.value]


def test_an_alias_that_cannot_be_saved_says_so_and_the_name_stays_to_match(monkeypatch, tmp_path):
    """A steward picks the area a name means on a read-only install: a message saying where and why, in their
    language, and the name still offered to match (it was a traceback)."""

    def read_only(path, *args):
        raise PermissionError(13, "Permission denied", str(path))

    monkeypatch.setattr(matching, "add_alias", read_only)
    sample = ROOT / "tests" / "importer" / "samples" / "obec_lower_secondary_2566.csv"
    misspelt = sample.read_bytes().decode("cp874").replace("กรุงเทพมหานคร", "เมืองหลวงเก่า", 1).encode("cp874")
    at = page(lang="th")
    at.selectbox(key="import_spec").set_value("obec_lower_secondary").run()
    at.file_uploader(key="import_file").set_value(("obec.csv", misspelt, "text/csv")).run()
    pick = next(s for s in at.selectbox if s.key.startswith("import_pick_"))
    pick.set_value("10").run()
    next(b for b in at.button if b.key.startswith("import_alias_")).click().run()
    assert not at.exception
    assert any(e.value.startswith("บันทึกชื่อเรียกอื่นใน ") and "Permission denied" in e.value for e in at.error)
    assert any(s.key.startswith("import_pick_") for s in at.selectbox)  # still to be matched


@pytest.mark.parametrize(
    ("edit", "problem"),
    [
        ("id: obec\x00", "line 1, (file): not valid YAML: special characters are not allowed"),  # was a traceback
        ("[" * 500 + "]" * 500, "(file): not valid YAML: nested too deeply"),  # was a traceback
        ("{", "line 1, (file): not valid YAML: expected the node content, but found '<stream end>'"),
        ("id: obec", "line 1, country: missing"),  # named the file by the server's full path
        ("id: obec\n_x_: 1", "line 2, _x_: unknown key"),  # shown as typed, not in italics
    ],
    ids=["nul", "deep", "unclosed", "incomplete", "markdown"],
)
def test_a_spec_edited_wrong_on_the_page_is_named_by_its_file_and_line(edit, problem):
    at = uploaded(page(lang="th"))
    at.text_area(key="import_yaml_obec_lower_secondary").input(edit).run()
    assert not at.exception
    [error] = [e.value for e in at.error]
    assert as_read(error).startswith(f"obec_lower_secondary.yaml: อ่านข้อกำหนดไม่ได้: {problem}")
    assert error == plain(as_read(error))  # every formatting character escaped: shown as typed
    assert "ไม่ได้นำเข้าข้อมูลใด และข้อมูลที่เผยแพร่แล้วไม่เปลี่ยนแปลง" in text_of(at)


def test_figures_far_off_what_is_published_are_warned_about_and_the_publish_waits_for_a_confirmation(monkeypatch):
    """The students' count mapped as the enrolment ratio itself (a column chosen wrong in the spec): every province
    about 1,000 times its published ratio. Said in the steward's language before anything is published; the button
    waits until the steward confirms the figures, and the publish is told so."""
    at = uploaded(page(lang="th"))
    spec_text = at.text_area(key="import_yaml_obec_lower_secondary").value
    wrong_column = spec_text[: spec_text.index("values:")] + (
        "values:\n  - {column: นักเรียน ม.ต้น / รวม, indicator: ger_lower_secondary, role: value, sex: total}\n"
    )
    at.text_area(key="import_yaml_obec_lower_secondary").input(wrong_column).run()
    assert not at.exception
    [warning] = [w.value for w in at.warning]
    assert as_read(warning).startswith("อัตราการเข้าเรียนอย่างหยาบ ระดับมัธยมศึกษาตอนต้น (ger_lower_secondary): ")
    assert "1,000" in warning and warning == plain(as_read(warning))
    totals = next(d.value for d in at.dataframe if "imported" in d.value.columns)
    assert list(totals["indicator"]) == ["อัตราการเข้าเรียนอย่างหยาบ ระดับมัธยมศึกษาตอนต้น (ger_lower_secondary)"]
    assert at.button(key="import_publish").disabled
    asked = {}
    monkeypatch.setattr(publishing, "publish", lambda *a, **kw: asked.update(kw) or Outcome("th", "unchanged", "v1"))
    at.checkbox(key="import_figures_confirmed").check().run()
    assert not at.button(key="import_publish").disabled
    at.button(key="import_publish").click().run()
    assert asked["figures_confirmed"] is True and not at.exception


def test_a_file_of_which_no_row_is_imported_says_so_without_a_traceback():
    """Every row rejected (the spec reads the year as C.E. where the file writes B.E.): the report says why, and the
    check of figures against what is published has nothing to compare (it raised ArrowTypeError)."""
    at = uploaded(page(lang="th"))
    spec_text = at.text_area(key="import_yaml_obec_lower_secondary").value
    at.text_area(key="import_yaml_obec_lower_secondary").input(spec_text.replace("year_be", "year_ce")).run()
    assert not at.exception
    assert not at.warning  # no figures to find off
    reasons = next(d.value for d in at.dataframe if "reason" in d.value.columns)
    assert (reasons["status"] == "ถูกปฏิเสธ").sum() == 77
