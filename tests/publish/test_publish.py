"""Publishing: a version is whole or absent, `current` moves in one step, rollback, and a kill -9 costs nothing."""

import json
import shutil
import subprocess
import sys
from pathlib import Path

import duckdb
import pandas as pd
import pytest
import tiny
from conftest import ROOT

from cockpit import settings
from cockpit.alerts import lifecycle
from cockpit.data import access, plausibility, schema
from cockpit.data.db import Database
from cockpit.data.versions import Store, Unreachable, VersionError
from cockpit.publish import versions
from cockpit.publish.__main__ import main as cli
from cockpit.state import store

ALL = access.Scope(("P1", "P2"))
ENROLMENT = {"en": "Enrolment rate", "th": "อัตราการเข้าเรียน", "lo": "ອັດຕາເຂົ້າຮຽນ"}  # the tiny set names it "enrol"


@pytest.fixture
def place(tmp_path):
    """Extracts, a data folder and a state store of the test's own."""
    tiny.write(tmp_path / "extracts" / "xx")
    return dict(
        extracts=tmp_path / "extracts" / "xx",
        data_url=str(tmp_path / "published"),
        state_url=f"sqlite:///{tmp_path / 'state.db'}",
    )


def with_names(names: dict[str, str]) -> pd.DataFrame:
    """The tiny indicators with the enrolment rate named in each language."""
    indicators = tiny.frames()["indicators"]
    for lang, name in names.items():
        indicators.loc[indicators["indicator_id"] == "enrol", f"name_{lang}"] = name
    return indicators


def publish(place, **kw):
    return versions.publish("xx", place["extracts"], data_url=place["data_url"], state_url=place["state_url"], **kw)


def enrolment(db):
    rows = db.query("xx", "data/area_series", scope=ALL, area_id="XX", since=tiny.Y1)
    return rows[rows["indicator_id"] == "enrol"]["value"].iloc[-1]


def with_enrolment_halved(place):
    obs = tiny.frames()["observations"]
    obs.loc[obs["indicator_id"] == "enrol", "numerator"] /= 2
    tiny.write(place["extracts"], observations=obs)


def test_a_publish_writes_a_whole_version_with_its_manifest_and_switches_current(place):
    outcome = publish(place, by="steward")
    assert outcome.status == "published"
    s = Store(place["data_url"])
    assert s.current("xx") == outcome.version == s.versions("xx")[-1]
    manifest = s.manifest("xx", outcome.version)
    assert manifest["contract_version"] == schema.contract_version()
    assert manifest["published_by"] == "steward"
    assert manifest["newest_period"] == tiny.Y2.isoformat()
    obs = manifest["files"]["observations"]
    assert obs["rows"] == len(tiny.frames()["observations"]) and len(obs["sha256"]) == 64
    assert {"hash", "check and load", "models"} <= set(manifest["steps"])
    # The alert rules ran once, on this version, into the state store.
    record = lifecycle.last_evaluation(store.engine(place["state_url"]), "xx")
    assert record is not None and record.extract_version == outcome.version
    assert enrolment(Database(place["data_url"])) == pytest.approx(77.5)


def test_the_same_extracts_again_publish_nothing(place):
    first = publish(place)
    again = publish(place)
    assert again.status == "unchanged" and again.version == first.version
    assert len(Store(place["data_url"]).versions("xx")) == 1
    assert publish(place, force=True).status == "published"


def test_a_refused_publish_changes_nothing_and_says_why(place):
    first = publish(place)
    obs = tiny.frames()["observations"]
    obs.loc[2, "sex"] = "unknown"
    tiny.write(place["extracts"], observations=obs)
    refused = publish(place)
    assert refused.status == "rejected"
    assert [(e.file, e.column, e.rows) for e in refused.errors] == [("observations.parquet", "sex", (3,))]
    s = Store(place["data_url"])
    assert s.current("xx") == first.version and s.versions("xx") == [first.version]
    served = Database(place["data_url"])
    assert enrolment(served) == pytest.approx(77.5)
    assert served.problem("xx").error.errors[0].column == "sex"


def test_the_good_files_sent_again_after_a_refusal_end_the_report(place):
    """The refused files replaced by the ones in service: "unchanged", and the pages stop saying "rejected" (the
    banner stayed until some other publish went through)."""
    from cockpit.data import changes

    first = publish(place)
    obs = tiny.frames()["observations"]
    obs.loc[2, "sex"] = "unknown"
    tiny.write(place["extracts"], observations=obs)
    assert publish(place).status == "rejected"
    assert Database(place["data_url"]).problem("xx") is not None
    assert changes.refused(Store(place["data_url"]), "xx")["open"].all()
    tiny.write(place["extracts"])  # the files in service, sent again
    again = publish(place)
    assert again.status == "unchanged" and again.version == first.version
    assert Database(place["data_url"]).problem("xx") is None
    history = changes.refused(Store(place["data_url"]), "xx")
    assert len(history) == 1 and not history["open"].any()  # kept in the history, no longer open


def test_figures_a_hundred_times_off_the_served_ones_are_refused_until_confirmed(place, monkeypatch, capsys):
    """An extract whose enrolment rates came as proportions (0.8 for 80%): every area would turn red and the critical
    alerts go out. Refused like a contract error, naming the indicator and the factor, until the steward confirms."""
    first = publish(place)
    obs = tiny.frames()["observations"]
    obs.loc[obs["indicator_id"] == "enrol", ["value", "numerator"]] /= 100
    tiny.write(place["extracts"], observations=obs, indicators=with_names(ENROLMENT))
    refused = publish(place)
    assert refused.status == "rejected"
    [error] = refused.errors
    assert (error.file, error.column, error.message) == (
        "observations.parquet",
        "value",
        plausibility.SMALLER_THAN_SAME,
    )
    assert {k: v for k, v in error.values.items() if k != "named"} == dict(indicator="enrol", factor=100, count=18)
    assert error.problem == (
        "Enrolment rate (enrol): the figures read are about 100 times smaller than those published for the same "
        "areas, periods and sexes (18 compared); if they are right, publish again with --figures-confirmed"
    )
    # Named in the reader's language on the pages, from the record the refusal keeps.
    kept = Database(place["data_url"]).problem("xx").error.errors[0]
    assert kept.text("th").startswith("อัตราการเข้าเรียน (enrol): ตัวเลขที่อ่านได้น้อยกว่าที่เผยแพร่แล้ว")
    assert kept.text("lo").startswith("ອັດຕາເຂົ້າຮຽນ (enrol): ")
    assert Store(place["data_url"]).versions("xx") == [first.version]
    assert Database(place["data_url"]).problem("xx").error.errors[0].column == "value"
    # Confirmed on the command line: published, and the served enrolment is the one sent.
    monkeypatch.setenv("COCKPIT_DATA_URL", place["data_url"])
    monkeypatch.setenv("COCKPIT_STATE_URL", place["state_url"])
    code = cli(["--country", "xx", str(place["extracts"]), "--figures-confirmed"])
    assert code == 0 and "published" in capsys.readouterr().out
    rows = Database(place["data_url"]).query("xx", "data/area_series", scope=ALL, area_id="D1", since=tiny.Y1)
    assert rows[rows["indicator_id"] == "enrol"]["value"].iloc[-1] == pytest.approx(0.8)  # 80% sent as 0.8


def test_one_provinces_figures_a_unit_off_among_right_ones_are_refused_with_its_areas(place):
    """One office's districts sent in proportions, the rest right: the median agrees, the few off are named."""
    first = publish(place)
    obs = tiny.frames()["observations"]
    obs.loc[(obs["indicator_id"] == "enrol") & obs["area_id"].isin(["D1", "D2"]), ["value", "numerator"]] /= 100
    tiny.write(place["extracts"], observations=obs)
    refused = publish(place)
    [error] = refused.errors
    # Two years of D1, D2, their province P1 and its office's group reo:1; the country and P2 agree.
    named = error.values.pop("named")
    assert error.values == dict(indicator="enrol", factor=100, count=8, of=18, areas="D1, D2, P1, reo:1")
    # By their names where a reader reads them (Testland has no local script: English in every language).
    assert named["en"] == named["th"] == dict(indicator="enrol", areas="D One, D Two, North, Office 1")
    assert error.problem.startswith("enrol: 8 of the 18 figures compared are about 100 times smaller")
    assert error.problem.endswith(
        ": D One, D Two, North, Office 1; if they are right, publish again with --figures-confirmed"
    )
    assert Store(place["data_url"]).versions("xx") == [first.version]


def test_a_store_out_of_reach_while_publishing_is_a_message_and_changes_nothing(place, monkeypatch, capsys):
    """The bucket down when the served version is read to compare figures: not a traceback, and no check skipped."""
    first = publish(place)
    with_enrolment_halved(place)

    def down(self, *args):
        raise Unreachable("s3://ministry-extracts cannot be read: connection refused")

    monkeypatch.setattr(Store, "model_file", down)
    monkeypatch.setenv("COCKPIT_DATA_URL", place["data_url"])
    monkeypatch.setenv("COCKPIT_STATE_URL", place["state_url"])
    assert cli(["--country", "xx", str(place["extracts"])]) == 1
    said = capsys.readouterr().err
    assert "not published: s3://ministry-extracts cannot be read: connection refused" in said
    monkeypatch.undo()
    assert Store(place["data_url"]).versions("xx") == [first.version]


@pytest.mark.parametrize("served", ["damaged", "of another shape"])
def test_a_served_version_that_cannot_be_read_is_no_reason_to_refuse_the_next(place, served):
    """The served model damaged, or without the table compared (an older cockpit's): the next publish mends it,
    with nothing to compare its figures with."""
    first = publish(place)
    model = Store(place["data_url"]).model_file("xx", first.version)
    model.unlink()
    if served == "damaged":
        model.write_bytes(b"not a database")
    else:
        duckdb.connect(str(model)).close()
    obs = tiny.frames()["observations"]
    obs.loc[obs["indicator_id"] == "enrol", ["value", "numerator"]] /= 100
    tiny.write(place["extracts"], observations=obs)
    assert publish(place).status == "published"


def test_old_versions_are_pruned_but_never_the_current_one(place):
    made = [publish(place, force=True, keep=2).version for _ in range(4)]
    s = Store(place["data_url"])
    assert s.versions("xx") == made[-2:]
    versions.rollback("xx", data_url=place["data_url"], state_url=place["state_url"])
    assert s.current("xx") == made[-2]
    publish(place, force=True, keep=1)
    assert len(s.versions("xx")) == 1


def test_rollback_serves_the_version_before_and_its_alerts(place):
    first = publish(place).version
    with_enrolment_halved(place)
    second = publish(place).version
    served = Database(place["data_url"], check_seconds=0)
    assert enrolment(served) == pytest.approx(77.5 / 2)
    assert versions.rollback("xx", data_url=place["data_url"], state_url=place["state_url"]) == first
    assert enrolment(served) == pytest.approx(77.5)  # the process already serving moves back at its next read
    record = lifecycle.last_evaluation(store.engine(place["state_url"]), "xx")
    assert record.extract_version == first
    assert versions.rollback("xx", second, data_url=place["data_url"], state_url=place["state_url"]) == second
    with pytest.raises(VersionError, match="no complete version"):
        versions.rollback("xx", "20990101T000000.000000Z-nope", data_url=place["data_url"])


def test_the_command_line_publishes_lists_and_rolls_back(place, monkeypatch, capsys):
    monkeypatch.setenv("COCKPIT_DATA_URL", place["data_url"])
    monkeypatch.setenv("COCKPIT_STATE_URL", place["state_url"])
    assert cli(["--country", "xx", str(place["extracts"]), "--by", "steward"]) == 0
    with_enrolment_halved(place)
    assert cli(["--country", "xx", str(place["extracts"])]) == 0
    assert cli(["--country", "xx", "--list"]) == 0
    listing = capsys.readouterr().out.splitlines()[-2:]
    assert listing[0].startswith("  ") and "by steward" in listing[0] and listing[1].startswith("* ")
    assert cli(["--country", "xx", "--rollback"]) == 0
    assert "current is now" in capsys.readouterr().out
    assert cli(["--country", "xx", "--rollback", "nope"]) == 2
    assert "no complete version" in capsys.readouterr().err


# A publish killed with SIGKILL at each of these moments (the child patches the named function to kill itself).
KILL_POINTS = {
    "while the contract is checked": "cockpit.data.extracts._check_foreign_keys",
    "while the models are built": "cockpit.data.queries.build_models",
    "before the version folder is renamed into place": "os.rename",
    "before the alert rules run": "cockpit.publish.versions.evaluate_alerts",
    "before the pointer replaces the old one": "os.replace",
}

CHILD = """
import importlib, os, signal, sys
module, _, name = sys.argv[1].rpartition(".")
setattr(importlib.import_module(module), name, lambda *a, **k: os.kill(os.getpid(), signal.SIGKILL))
from cockpit.publish import versions
versions.publish("xx", sys.argv[2], data_url=sys.argv[3], state_url=sys.argv[4])
"""


@pytest.mark.parametrize("moment", KILL_POINTS)
def test_a_publish_killed_at_any_moment_leaves_current_and_every_version_intact(place, moment):
    first = publish(place).version
    with_enrolment_halved(place)
    child = subprocess.run(
        [
            sys.executable,
            "-c",
            CHILD,
            KILL_POINTS[moment],
            str(place["extracts"]),
            place["data_url"],
            place["state_url"],
        ],
        cwd=ROOT,
        capture_output=True,
        timeout=120,
    )
    assert child.returncode == -9, child.stderr.decode()[-2000:]
    s = Store(place["data_url"])
    assert s.current("xx") == first
    complete = s.versions("xx")
    assert complete[0] == first and len(complete) <= 2  # killed before the switch: at most a whole, unserved one
    assert enrolment(Database(place["data_url"])) == pytest.approx(77.5)
    # The next publish cleans what was left half-done and goes through.
    after = publish(place, force=True)
    assert after.status == "published" and s.current("xx") == after.version
    folder = Path(s.root) / "xx"
    assert sorted(p.name for p in folder.iterdir() if p.name.startswith(".")) == [".publish.lock"]
    assert sorted(p.name for p in (folder / "versions").iterdir()) == s.versions("xx")  # none without a manifest
    assert all(json.loads((folder / "versions" / v / "manifest.json").read_text()) for v in s.versions("xx"))
    assert enrolment(Database(place["data_url"])) == pytest.approx(77.5 / 2)


def test_a_publish_out_of_memory_is_a_message_and_changes_nothing(place, monkeypatch):
    first = publish(place).version
    with_enrolment_halved(place)
    monkeypatch.setenv("COCKPIT_PUBLISH_MEMORY_LIMIT", "1MB")  # far too little to build the models
    outcome = publish(place)
    assert outcome.status == "failed" and "out of memory" in outcome.message and "1MB" in outcome.message
    assert Store(place["data_url"]).current("xx") == first
    assert enrolment(Database(place["data_url"])) == pytest.approx(77.5)


def test_a_memory_limit_that_is_not_a_size_is_refused(place, monkeypatch):
    monkeypatch.setenv("COCKPIT_PUBLISH_MEMORY_LIMIT", "2GB'; drop table x; --")
    with pytest.raises(ValueError, match="a size such as 2GB"):
        publish(place)


def test_a_broken_status_config_is_a_message_and_changes_nothing(place, monkeypatch, tmp_path):

    first = publish(place).version
    configs = tmp_path / "config"
    shutil.copytree(settings.load().config_dir, configs)
    (configs / "kpi_status.yaml").write_text(
        "default: {share: 0.05}\nindicators: {enrol: {point: 2}}\n", encoding="utf-8"
    )
    monkeypatch.setenv("COCKPIT_CONFIG_DIR", str(configs))
    with_enrolment_halved(place)
    outcome = publish(place)
    assert outcome.status == "failed" and "kpi_status.yaml" in outcome.message and "enrol" in outcome.message
    assert Store(place["data_url"]).current("xx") == first
