"""Rule files: the sample documents every field; broken files and rules are named precisely and skipped alone."""

import os
import shutil

import pytest
import yaml
from conftest import ROOT

from cockpit.alerts import rules

RULES = ROOT / "rules"


def test_the_shipped_rules_load_without_error():
    ruleset = rules.load(RULES)
    assert ruleset.errors == ()
    assert {"flood-closures", "haze-closures", "dropout-rising"} <= set(ruleset.by_uid())


def test_the_sample_documents_every_field_and_condition_kind():
    text = (RULES / "SAMPLE.yaml").read_text(encoding="utf-8")
    sample = yaml.safe_load(text)["rules"]
    assert {r["condition"]["kind"] for r in sample} == set(rules.CONDITIONS)
    for name in rules.TOP_FIELDS:
        assert f"{name}:" in text, f"SAMPLE.yaml does not document '{name}'"
    for kind, fields in rules.CONDITIONS.items():
        for name in fields:
            assert f"{name}:" in text, f"SAMPLE.yaml does not document {kind}.{name}"
    # it parses, and its rules are all disabled so they never fire
    for raw in sample:
        assert rules.parse_rule(raw, "SAMPLE.yaml").enabled is False


def broken(tmp_path, text: str) -> rules.RuleSet:
    shutil.copy(RULES / "crises.yaml", tmp_path / "crises.yaml")
    (tmp_path / "broken.yaml").write_text(text, encoding="utf-8")
    return rules.load(tmp_path)


def test_unreadable_yaml_names_the_file_and_line(tmp_path):
    ruleset = broken(tmp_path, "rules:\n  - uid: x\n    title: [unclosed\n")
    (error,) = ruleset.errors
    assert (error.file, error.line) == ("broken.yaml", 4) and "not valid YAML" in error.problem
    assert "flood-closures" in ruleset.by_uid()  # the other file keeps working


def test_a_wrong_field_names_file_rule_and_field(tmp_path):
    text = """
rules:
  - uid: good-one
    title: {en: Fine}
    watch: {indicator: dropout_rate}
    condition: {kind: threshold, above: 2}
    severity: high
    runbook: {en: Act.}
  - uid: bad-severity
    title: {en: Bad}
    watch: {indicator: dropout_rate}
    condition: {kind: threshold, above: 2}
    severity: urgent
    runbook: {en: Act.}
  - uid: bad-condition
    title: {en: Bad}
    watch: {indicator: dropout_rate}
    condition: {kind: trend, periods: "three"}
    severity: high
    runbook: {en: Act.}
  - uid: bad-watch
    title: {en: Bad}
    watch: {incident_type: meteor}
    condition: {kind: incidents, schools_above: 1}
    severity: high
    runbook: {en: Act.}
  - uid: good-one
    title: {en: Duplicate}
    watch: {indicator: dropout_rate}
    condition: {kind: threshold, above: 3}
    severity: high
    runbook: {en: Act.}
"""
    ruleset = broken(tmp_path, text)
    found = {(e.file, e.rule, e.field) for e in ruleset.errors}
    assert found == {
        ("broken.yaml", "bad-severity", "severity"),
        ("broken.yaml", "bad-condition", "condition.periods"),
        ("broken.yaml", "bad-watch", "watch.incident_type"),
        ("broken.yaml", "good-one", "uid"),
    }
    assert "good-one" in ruleset.by_uid() and "flood-closures" in ruleset.by_uid()
    message = str(next(e for e in ruleset.errors if e.rule == "bad-severity"))
    assert message.startswith("broken.yaml, rule 'bad-severity', field 'severity'")


def test_a_threshold_needs_exactly_one_bound(tmp_path):
    raw = dict(
        uid="t",
        title="T",
        watch={"indicator": "x"},
        condition={"kind": "threshold", "above": 1, "below": 2},
        severity="low",
        runbook="r",
    )
    try:
        rules.parse_rule(raw, "f.yaml")
    except rules.RuleError as exc:
        assert exc.field == "condition"
    else:
        raise AssertionError("a threshold with two bounds was accepted")


def test_the_version_changes_when_a_file_changes(tmp_path):
    shutil.copy(RULES / "crises.yaml", tmp_path / "crises.yaml")
    first, v1 = rules.current(tmp_path)
    (tmp_path / "more.yaml").write_text("rules: []\n", encoding="utf-8")
    _, v2 = rules.current(tmp_path)
    assert v1 != v2 and len(first.rules) == len(rules.load(tmp_path).rules)


RULE = """
  - uid: {uid}
    title: {{en: A rule}}
    watch: {watch}
    condition: {condition}
    for: {for_}
    severity: high
    runbook: {{en: Act.}}
"""


def one_rule(uid="r", watch="{indicator: dropout_rate}", condition="{kind: threshold, above: 2}", for_=1) -> str:
    return "rules:" + RULE.format(uid=uid, watch=watch, condition=condition, for_=for_)


def test_a_file_that_is_not_utf8_is_named_and_the_others_run(tmp_path):
    shutil.copy(RULES / "crises.yaml", tmp_path / "crises.yaml")
    # Thai in cp874, a default of some Thai editors.
    (tmp_path / "thai.yaml").write_bytes(one_rule().replace("A rule", "กฎ").encode("cp874"))
    ruleset = rules.load(tmp_path)
    (error,) = ruleset.errors
    assert error.file == "thai.yaml" and "not UTF-8" in error.problem
    assert "flood-closures" in ruleset.by_uid()


@pytest.mark.parametrize(
    ("watch", "condition", "for_", "field"),
    [
        ("{indicator: [dropout_rate, ner_primary]}", "{kind: threshold, above: 2}", 1, "watch.indicator"),
        ("{indicator: dropout_rate}", "{kind: outlier, z: .nan}", 1, "condition.z"),
        ("{indicator: dropout_rate}", "{kind: threshold, above: .inf}", 1, "condition.above"),
        ("{indicator: dropout_rate}", "{kind: threshold, above: 2}", 1000000, "for"),
        ("{indicator: dropout_rate}", "{kind: threshold, above: 2}", 0, "for"),
    ],
)
def test_a_rule_that_could_never_fire_is_refused_by_field(tmp_path, watch, condition, for_, field):
    ruleset = broken(tmp_path, one_rule(watch=watch, condition=condition, for_=for_))
    assert [(e.file, e.rule, e.field) for e in ruleset.errors] == [("broken.yaml", "r", field)]


def test_a_new_file_reusing_a_live_uid_is_refused_and_the_live_rule_keeps_running(tmp_path):
    shutil.copy(RULES / "crises.yaml", tmp_path / "crises.yaml")
    live = rules.load(tmp_path).by_uid()["flood-closures"]
    newcomer = tmp_path / "000-first-by-name.yaml"  # sorts first, but is the newer file
    newcomer.write_text(one_rule(uid="flood-closures"), encoding="utf-8")
    old = (tmp_path / "crises.yaml").stat().st_mtime_ns
    os.utime(newcomer, ns=(old + 10**9, old + 10**9))
    ruleset = rules.load(tmp_path)
    assert ruleset.by_uid()["flood-closures"] == live
    (error,) = ruleset.errors
    assert (error.file, error.rule, error.field) == ("000-first-by-name.yaml", "flood-closures", "uid")
    assert "crises.yaml" in error.problem


def test_a_stuck_rule_of_its_own_is_pointed_to_the_one_definition(tmp_path):
    ruleset = broken(
        tmp_path,
        "rules:\n  - uid: stalled\n    title: Stalled\n    runbook: Ask\n    severity: high\n"
        "    watch: {policy: '*'}\n    condition: {kind: stuck_policy, periods: 2}\n",
    )
    (error,) = ruleset.errors
    assert (error.rule, error.field) == ("stalled", "condition.periods")
    assert "config/policy_status.yaml" in error.problem


def test_the_definition_of_stuck_is_checked_key_by_key(tmp_path):
    from cockpit import config

    path = tmp_path / "policy_status.yaml"
    path.write_text("stuck: {periods: 3, include_projects: yes}\n", encoding="utf-8")
    assert config.stuck(path) == config.Stuck(3, True)
    for n, (text, key) in enumerate(
        (
            ("stuck: {periods: 0}\n", "stuck.periods"),
            ("stuck: {periods: 3, include_project: true}\n", "stuck.include_project"),
            ("stuck: {periods: 3, include_projects: maybe}\n", "stuck.include_projects"),
            ("status: {}\n", "stuck"),
        )
    ):
        path = tmp_path / f"policy_status_{n}.yaml"  # a file each: the reader caches by modification time
        path.write_text(text, encoding="utf-8")
        with pytest.raises(config.ConfigError) as caught:
            config.stuck(path)
        assert caught.value.key == key, text
