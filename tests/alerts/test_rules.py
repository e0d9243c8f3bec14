"""Rule files: the sample documents every field; broken files and rules are named precisely and skipped alone."""

import os
import shutil

import pytest
import yaml
from conftest import ROOT
from hypothesis import given, settings
from hypothesis import strategies as st

from cockpit import config
from cockpit.alerts import rules
from cockpit.data.schema import INCIDENT_TYPES, SEVERITIES

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


# --- Lines, and the parser under generated input (hypothesis) ---------------------------------------------------------


@pytest.mark.parametrize(
    ("condition", "for_", "field", "problem"),
    [
        ("{kind: threshold, abov: 2}", 1, "condition.abov", "unknown key"),
        ("{kind: trend, periods: '3'}", 1, "condition.periods", "must be a whole number"),
        ("{kind: outlier, z: true}", 1, "condition.z", "must be a number"),
        ("{kind: reporting_completeness, below: 90}", 1, "condition.below", "at most 1"),
        ("{kind: threshold, above: 2}", 1000000, "for", "at most 60"),
        ("{kind: sometimes}", 1, "condition.kind", "must be one of threshold"),
    ],
)
def test_a_broken_rule_names_its_line(tmp_path, condition, for_, field, problem):
    text = one_rule(uid="good") + RULE.format(uid="r", watch="{indicator: x}", condition=condition, for_=for_)
    ruleset = broken(tmp_path, text)
    (error,) = ruleset.errors
    line = 1 + text.splitlines().index(f"    {field.split('.')[0]}: " + (condition if field != "for" else str(for_)))
    assert (error.file, error.rule, error.field, error.line) == ("broken.yaml", "r", field, line)
    assert problem in error.problem and f", line {line}: " in str(error)
    assert "good" in ruleset.by_uid()


def test_a_file_not_in_utf8_names_the_line_of_the_first_bad_byte(tmp_path):
    (tmp_path / "thai.yaml").write_bytes(one_rule().encode("utf-8") + "    labels: {team: กฎ}\n".encode("cp874"))
    (error,) = rules.load(tmp_path).errors
    assert (error.file, error.rule, error.line) == ("thai.yaml", None, 9) and "not UTF-8" in error.problem


def test_a_reused_uid_names_the_newcomer_line(tmp_path):
    text = one_rule(uid="mine") + RULE.format(uid="mine", watch="{indicator: x}", condition="{kind: trend}", for_=1)
    (error,) = broken(tmp_path, text).errors
    second = [n for n, line in enumerate(text.splitlines(), 1) if line == "  - uid: mine"][1]
    assert (error.rule, error.field, error.line) == ("mine", "uid", second) and "keeps running" in error.problem


PROPERTIES = settings(max_examples=80, deadline=None, derandomize=True, database=None)
IDS = st.from_regex(r"[a-z][a-z0-9_-]{0,15}", fullmatch=True)
WORDS = st.text(st.characters(categories=["L", "N"]) | st.sampled_from(" .,-:"), min_size=1, max_size=20)
FINITE = st.floats(-1e6, 1e6, allow_nan=False)
KINDS = list(rules.CONDITIONS)


def _optional(**fields):
    return st.fixed_dictionaries({}, optional=fields)


CONDITION = {
    "threshold": st.one_of(
        st.builds(dict, above=FINITE),
        st.builds(dict, below=FINITE),
        st.builds(dict, status=st.sampled_from(["off_track", "at_risk"])),
    ),
    "gap_to_target": st.builds(dict, gap=FINITE),
    "trend": _optional(periods=st.integers(2, rules.MAX_FOR), min_change=st.floats(0, 100)),
    "outlier": _optional(
        against=st.sampled_from(rules.COMPARISONS),
        z=st.floats(0.1, 10),
        history_periods=st.integers(2, 100),
        min_peers=st.integers(2, 50),
    ),
    "missing_report": _optional(due_days=st.integers(0, 366)),
    "reporting_completeness": st.builds(dict, below=st.floats(0.01, 1)),
    "incidents": st.one_of(
        st.builds(dict, schools_above=st.integers(0, 10_000)),
        st.builds(dict, students_above=st.integers(0, 10**6)),
        st.builds(dict, schools_above=st.integers(0, 100), students_above=st.integers(0, 100)),
    ),
    "stuck_policy": st.just({}),
}


@st.composite
def valid_rules(draw) -> dict:
    kind = draw(st.sampled_from(KINDS))
    watched = rules.WATCHES.get(kind, "indicator")
    subject = {"incident_type": st.sampled_from(INCIDENT_TYPES), "policy": st.just("*") | IDS}.get(watched, IDS)
    texts = WORDS | st.fixed_dictionaries({"en": WORDS}, optional={"th": WORDS, "lo": WORDS})
    severity = draw(st.sampled_from(SEVERITIES))
    raw = {
        "uid": draw(IDS),
        "title": draw(texts),
        "watch": {watched: draw(subject)},
        "condition": {"kind": kind, **draw(CONDITION[kind])},
        "severity": severity,
        "runbook": draw(texts),
    }
    optional = {
        "for": st.integers(1, rules.MAX_FOR),
        "clear_after": st.integers(1, rules.MAX_FOR),
        "level": st.sampled_from(rules.LEVELS),
        "respond": st.sampled_from(rules.RESPONDERS),
        "enabled": st.booleans(),
        "countries": st.lists(st.sampled_from(rules.COUNTRIES), unique=True),
        "labels": st.dictionaries(IDS, WORDS, max_size=3),
    }
    worse = SEVERITIES[: SEVERITIES.index(severity)]
    if worse:
        optional["escalate"] = st.builds(dict, after=st.integers(2, rules.MAX_FOR), severity=st.sampled_from(worse))
    raw.update(draw(st.fixed_dictionaries({}, optional=optional)))
    return raw


def as_raw(rule: rules.Rule) -> dict:
    """A rule written back as its YAML mapping, every field spelt out."""
    watch = {"indicator": rule.indicator_id, "incident_type": rule.incident_type, "policy": rule.policy_id}
    raw = {
        "uid": rule.uid,
        "title": rule.title,
        "watch": {k: v for k, v in watch.items() if v is not None},
        "condition": {"kind": rule.kind, **{k: v for k, v in rule.params.items() if v is not None}},
        "for": rule.for_periods,
        "severity": rule.severity,
        "labels": rule.labels,
        "runbook": rule.runbook,
        "level": rule.level,
        "respond": rule.respond,
        "enabled": rule.enabled,
        "countries": list(rule.countries),
        "clear_after": rule.clear_after,
    }
    if rule.escalate:
        raw["escalate"] = {"after": rule.escalate[0], "severity": rule.escalate[1]}
    return raw


@PROPERTIES
@given(valid_rules())
def test_valid_generated_rules_parse_and_round_trip(raw):
    rule = rules.parse_rule(raw, "gen.yaml")
    assert rule.kind == raw["condition"]["kind"] and rule.severity == raw["severity"]
    assert rules.parse_rule(as_raw(rule), "gen.yaml") == rule
    # and through a file, as YAML
    document = config.parse("gen.yaml", yaml.safe_dump({"rules": [as_raw(rule)]}, allow_unicode=True).encode())
    assert rules.parse_rule(document.data["rules"][0], "gen.yaml", document, ("rules", 0)) == rule


SCALARS = (
    st.none()
    | st.booleans()
    | st.integers()
    | st.floats()
    | st.text(max_size=8)
    | st.sampled_from([*KINDS, *SEVERITIES, *INCIDENT_TYPES, *rules.LEVELS, "*", "en", "th", "x"])
)
KEYS = st.sampled_from(
    sorted(rules.TOP_FIELDS | {n for f in rules.CONDITIONS.values() for n in f} | {"kind", "indicator", "en", "after"})
) | st.text(max_size=6)
VALUES = st.recursive(
    SCALARS, lambda inner: st.lists(inner, max_size=3) | st.dictionaries(KEYS, inner, max_size=4), max_leaves=12
)


@st.composite
def mangled_rules(draw) -> dict:
    """A valid rule with some fields replaced, added or removed, or any mapping at all."""
    if draw(st.booleans()):
        return draw(st.dictionaries(KEYS, VALUES, max_size=8))
    raw = draw(valid_rules())
    for _ in range(draw(st.integers(1, 3))):
        key = draw(st.sampled_from(sorted(raw)) | KEYS)
        if draw(st.booleans()) and key in raw:
            del raw[key]
        elif key == "condition" or (isinstance(raw.get(key), dict) and draw(st.booleans())):
            inner = dict(raw.get(key) or {})
            inner[draw(KEYS)] = draw(VALUES)
            raw[key] = inner
        else:
            raw[key] = draw(VALUES)
    return raw


@PROPERTIES
@given(mangled_rules())
def test_any_mapping_is_a_rule_or_a_rule_error(raw):
    try:
        rule = rules.parse_rule(raw, "gen.yaml")
    except rules.RuleError as exc:
        assert exc.file == "gen.yaml" and exc.problem
    else:
        assert rule.uid and rule.kind in rules.CONDITIONS
    # In a file, the error also names a line of it.
    text = yaml.safe_dump({"rules": [raw]}, allow_unicode=True)
    document = config.parse("gen.yaml", text.encode())
    try:
        rules.parse_rule(document.data["rules"][0], "gen.yaml", document, ("rules", 0))
    except rules.RuleError as exc:
        assert exc.line is not None and 1 <= exc.line <= text.count("\n") + 1
