"""Config files are strict: every kind names the file, the key and the line of an unknown key, a wrong type,
an impossible value and a file that is not UTF-8."""

import pytest
from conftest import ROOT

from cockpit import config
from cockpit.alerts import calendar
from cockpit.data import kpi_status
from cockpit.importer import specs
from cockpit.importer.problems import Problem
from cockpit.notify import config as notify_config
from cockpit.review import league, policies
from cockpit.users import roles

CONFIG = ROOT / "config"


def _spec_error(path):
    """An import spec's Problem as the (file, key, line) every other kind's ConfigError gives."""
    try:
        specs.load(path)
    except Problem as problem:
        assert problem.file.endswith(path.name) and str(problem.values["error"]) in str(problem)
        raise problem.values.get("cause") or problem.values["error"] from None
    raise AssertionError(f"{path} was accepted")


# kind: (shipped file, loader)
KINDS = {
    "league": (CONFIG / "league.yaml", league.load_config),
    "policy_status": (CONFIG / "policy_status.yaml", policies.load_config),
    "kpi_status": (CONFIG / "kpi_status.yaml", kpi_status.load),
    "reporting_calendar": (CONFIG / "reporting_calendar.yaml", calendar.load),
    "roles": (CONFIG / "roles.yaml", roles.load),
    "notifications": (CONFIG / "notifications.yaml", notify_config.load),
    "import_spec": (CONFIG / "import" / "obec_lower_secondary.yaml", _spec_error),
}

# (kind, what is wrong, the line as shipped, the line as broken, the key named)
CASES = [
    ("league", "unknown", "    policy_progress: 30", "    policy_progres: 30", "countries.th.policy_progres"),
    ("league", "type", "      ner_primary: 10", '      ner_primary: "10"', "countries.th.kpis.ner_primary"),
    ("league", "impossible", "      ner_primary: 10", "      ner_primary: .inf", "countries.th.kpis.ner_primary"),
    ("league", "impossible", "      ner_primary: 10", "      ner_primary: -10", "countries.th.kpis.ner_primary"),
    ("policy_status", "unknown", "  periods: 3", "  period: 3", "stuck.period"),
    ("policy_status", "type", "  on_track_gap: -5.0", '  on_track_gap: "-5"', "status.on_track_gap"),
    ("policy_status", "impossible", "  at_risk_gap: -15.0", "  at_risk_gap: 5.0", "status.at_risk_gap"),
    ("policy_status", "impossible", "  periods: 3", "  periods: 1000000", "stuck.periods"),
    (
        "kpi_status",
        "unknown",
        "  dropout_rate: {points: 0.3}",
        "  dropout_rate: {pts: 0.3}",
        "indicators.dropout_rate.pts",
    ),
    ("kpi_status", "type", "  share: 0.05", "  share: 5%", "default.share"),
    ("kpi_status", "impossible", "  share: 0.05", "  share: .nan", "default.share"),
    (
        "reporting_calendar",
        "unknown",
        "    default: {due_days: 60}",
        "    default: {due_day: 60}",
        "countries.th.default.due_day",
    ),
    (
        "reporting_calendar",
        "type",
        "      attendance_rate: {due_days: 15}",
        "      attendance_rate: {due_days: fifteen}",
        "countries.th.indicators.attendance_rate.due_days",
    ),
    (
        "reporting_calendar",
        "impossible",
        "      attendance_rate: {due_days: 15}",
        "      attendance_rate: {due_days: 1000}",
        "countries.th.indicators.attendance_rate.due_days",
    ),
    ("roles", "unknown", "    scope: national", "    scopes: national", "roles.executive.scopes"),
    ("roles", "type", "    can: [read, export]", "    can: read", "roles.executive.can"),
    (
        "roles",
        "impossible",
        "  executive: {name: {en: Demo executive,",
        "  emperor: {name: {en: Demo,",
        "demo_accounts.emperor",
    ),
    (
        "roles",
        "impossible",
        "    title: {en: Executive,",
        "    title: {fr: Cadre dirigeant,",
        "roles.executive.title.fr",
    ),
    ("notifications", "unknown", "    enabled: false", "    enable: false", "contact_points[0].enable"),
    ("notifications", "type", "      port: 587", '      port: "587"', "contact_points[0].smtp.port"),
    ("notifications", "impossible", "  max_attempts: 5", "  max_attempts: 0", "retry.max_attempts"),
    ("import_spec", "unknown", "skip_rows: 1", "skip_row: 1", "skip_row"),
    ("import_spec", "type", "header_rows: 2", "header_rows: two", "header_rows"),
    ("import_spec", "impossible", "header_rows: 2", "header_rows: 0", "header_rows"),
]


def broken_copy(tmp_path, kind: str, old: str, new: bytes) -> tuple:
    """The shipped file of `kind` with `old`, at the start of a line, replaced by `new` (the rest of the line,
    a comment, kept): its path and the line's number."""
    shipped, _loader = KINDS[kind]
    text = shipped.read_text(encoding="utf-8")
    at = ("\n" + text).index("\n" + old)
    path = tmp_path / shipped.name
    path.write_bytes(text[:at].encode("utf-8") + new + text[at + len(old) :].encode("utf-8"))
    return path, text.count("\n", 0, at) + 1


def error_of(kind: str, path) -> config.ConfigError:
    with pytest.raises(config.ConfigError) as caught:
        KINDS[kind][1](path)
    return caught.value


@pytest.mark.parametrize("kind", KINDS)
def test_the_shipped_files_load(kind):
    shipped, loader = KINDS[kind]
    if kind == "import_spec":
        assert specs.load(shipped).id == "obec_lower_secondary"
    else:
        assert loader(shipped)


@pytest.mark.parametrize(
    ("kind", "what", "old", "new", "key"), CASES, ids=[f"{c[0]}-{c[1]}-{n}" for n, c in enumerate(CASES)]
)
def test_a_wrong_key_or_value_names_file_key_and_line(tmp_path, kind, what, old, new, key):
    path, line = broken_copy(tmp_path, kind, old, new.encode("utf-8"))
    error = error_of(kind, path)
    assert (error.key, error.line) == (key, line), error
    assert path.name in error.file and f"(line {line}): {key}: " in str(error)
    if what == "unknown":
        assert error.problem.startswith("unknown key")


@pytest.mark.parametrize("kind", KINDS)
def test_a_file_that_is_not_utf8_names_the_line(tmp_path, kind):
    old = next(c[2] for c in CASES if c[0] == kind)
    # Thai in cp874, a default of some Thai editors, on a comment line of its own above `old`.
    path, line = broken_copy(tmp_path, kind, old, "# ลำดับที่หนึ่ง\n".encode("cp874") + old.encode("utf-8"))
    error = error_of(kind, path)
    assert (error.key, error.line) == (config.WHOLE_FILE, line)
    assert path.name in str(error) and f"(line {line})" in str(error) and "not UTF-8" in error.problem


def test_a_missing_key_points_at_its_parent(tmp_path):
    path = tmp_path / "kpi_status.yaml"
    path.write_text("# tolerances\nindicators:\n  dropout_rate: {points: 0.3}\n", encoding="utf-8")
    error = error_of("kpi_status", path)
    assert (error.key, error.problem, error.line) == ("default", "missing", 2)  # the file's mapping starts there
    path = tmp_path / "reporting_calendar.yaml"
    path.write_text("countries:\n  th:\n    indicators: {}\n", encoding="utf-8")
    error = error_of("reporting_calendar", path)
    assert (error.key, error.line) == ("countries.th.default", 2)


def test_strict_types_refuse_what_a_lax_reader_would_take(tmp_path):
    """No "3" for 3, no true for 1: a weight of `yes` is not a weight of 1."""
    for n, value in enumerate(('"30"', "yes", "[30]", "{}")):
        path = tmp_path / f"league_{n}.yaml"
        path.write_text(f"countries:\n  th:\n    region_group: reo\n    policy_progress: {value}\n", encoding="utf-8")
        error = error_of("league", path)
        assert (error.key, error.line) == ("countries.th.policy_progress", 4), value


def test_yaml_that_does_not_parse_names_its_line(tmp_path):
    path = tmp_path / "league.yaml"
    path.write_text("missing: zero\ncountries:\n  th: {region_group: reo\n", encoding="utf-8")
    error = error_of("league", path)
    assert error.key == config.WHOLE_FILE and error.line == 4 and "not valid YAML" in error.problem


@pytest.mark.parametrize("kind", KINDS)
@pytest.mark.parametrize(
    ("content", "line", "problem"),
    [
        (b"countries:\n  th: \x00\n", 2, "special characters are not allowed"),  # was a ReaderError, uncaught
        (b"# \x07\n", 1, "special characters are not allowed"),
        (b"[" * 500 + b"]" * 500, None, "nested too deeply"),  # was a RecursionError
    ],
    ids=["nul", "bell", "deep"],
)
def test_a_character_yaml_refuses_or_a_nesting_too_deep_is_a_config_error(tmp_path, kind, content, line, problem):
    """Every config file, rule file and import spec is read by config.parse (the Data page passes its spec editor's
    text too): what YAML cannot read is a ConfigError naming the file and line, not a traceback."""
    path = tmp_path / KINDS[kind][0].name
    path.write_bytes(content)
    error = error_of(kind, path)
    assert (error.key, error.line, error.problem) == (config.WHOLE_FILE, line, f"not valid YAML: {problem}")
    assert path.name in str(error)


def test_an_error_found_later_by_the_data_still_names_its_line(tmp_path):
    path = tmp_path / "league.yaml"
    path.write_text("countries:\n  th:\n    region_group: reo\n    kpis:\n      no_such_kpi: 5\n", encoding="utf-8")
    error = config.error(path, "countries.th.kpis.no_such_kpi", "no such indicator in the extract")
    assert error.line == 5 and str(error).endswith(
        "(line 5): countries.th.kpis.no_such_kpi: no such indicator in the extract"
    )
