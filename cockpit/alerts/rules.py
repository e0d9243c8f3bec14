"""Alert rules as declarative YAML files: read, checked field by field, one broken rule never hiding the others.

A rule says what it watches (an indicator or an incident type), its condition, how long the
condition must hold, its severity, labels, a runbook and the area level that must respond.
`rules/SAMPLE.yaml` documents every field. A file that cannot be read, or a rule with a wrong
field, yields a RuleError naming the file, the rule and the field; the other rules load.
"""

from __future__ import annotations

import hashlib
import math
from dataclasses import dataclass, field
from functools import lru_cache
from pathlib import Path

import yaml

from cockpit.data.schema import INCIDENT_TYPES, SEVERITIES
from cockpit.i18n import LANGUAGES

LEVELS = ("district", "province")
MAX_FOR = 60  # periods a condition may be asked to hold: five years of months
RESPONDERS = ("school", "district", "province", "region", "country")

# Each condition kind and its fields: name -> (type, required, default, help).
CONDITIONS: dict[str, dict[str, tuple]] = {
    "threshold": {
        "above": (float, False, None, "fires when the value is above this"),
        "below": (float, False, None, "fires when the value is below this"),
        "status": (str, False, None, "fires on the KPI's status: 'off_track', or 'at_risk' (includes off_track)"),
    },
    "gap_to_target": {
        "gap": (float, True, None, "fires when the value is this far from its target in the bad direction"),
    },
    "trend": {
        "periods": (int, False, 3, "fires after this many consecutive adverse changes (direction-aware)"),
        "min_change": (float, False, 0.0, "each change must be larger than this to count"),
    },
    "outlier": {
        "against": (str, False, "peers", "'peers' (other areas, same period) or 'history' (the area's own past)"),
        "z": (float, False, 3.0, "modified z-score (median and MAD) beyond which a value is an outlier"),
        "history_periods": (int, False, 8, "with against=history: how many past periods form the baseline"),
        "min_peers": (int, False, 5, "do not judge with fewer values than this"),
    },
    "missing_report": {
        "due_days": (
            int,
            False,
            None,
            "days after a period ends by which every area must have reported (default: config/reporting_calendar.yaml)",
        ),
    },
    "reporting_completeness": {
        "below": (float, True, None, "fires when the share of a province's districts reporting is below this (0-1)"),
    },
    "incidents": {
        "schools_above": (int, False, None, "fires when active incidents close more schools than this in an area"),
        "students_above": (int, False, None, "fires when active incidents affect more students than this"),
    },
    # What "stuck" means is config/policy_status.yaml's, shared with the Policies page and the White wall.
    "stuck_policy": {},
}
# What each condition kind watches.
WATCHES = {"incidents": "incident_type", "stuck_policy": "policy"}
COMPARISONS = ("peers", "history")


class RuleError(Exception):
    """A rule file or rule that cannot be used, and where."""

    def __init__(self, file: str, rule: str | None, field_name: str | None, problem: str):
        self.file, self.rule, self.field, self.problem = file, rule, field_name, problem
        where = file + (f", rule '{rule}'" if rule else "") + (f", field '{field_name}'" if field_name else "")
        super().__init__(f"{where}: {problem}")


@dataclass(frozen=True)
class Rule:
    uid: str
    file: str
    title: dict[str, str]
    kind: str
    indicator_id: str | None
    incident_type: str | None
    policy_id: str | None  # a policy id, or '*' for every policy
    params: dict
    for_periods: int
    severity: str
    labels: dict[str, str]
    runbook: dict[str, str]
    level: str
    respond: str
    enabled: bool = True
    countries: tuple[str, ...] = ()  # empty: every country
    clear_after: int = 1  # periods judged clear before an episode ends
    escalate: tuple[int, str] | None = None  # (periods in breach, severity it rises to)
    source: dict = field(default_factory=dict, repr=False, compare=False)

    @property
    def subject(self) -> str:
        return self.indicator_id or self.incident_type or self.policy_id or ""

    def text(self, what: str, lang: str) -> str:
        texts = getattr(self, what)
        return texts.get(lang) or texts.get("en", "")


@dataclass(frozen=True)
class RuleSet:
    rules: tuple[Rule, ...]
    errors: tuple[RuleError, ...]

    def by_uid(self) -> dict[str, Rule]:
        return {r.uid: r for r in self.rules}


def _texts(raw, file: str, uid: str, name: str, required: bool) -> dict[str, str]:
    if raw is None:
        if required:
            raise RuleError(file, uid, name, "missing; give the text in en (and th, lo)")
        return {}
    if isinstance(raw, str):
        return {"en": raw}
    if not isinstance(raw, dict) or not all(isinstance(v, str) for v in raw.values()):
        raise RuleError(file, uid, name, "must be text, or a mapping of language (en, th, lo) to text")
    unknown = set(raw) - set(LANGUAGES)
    if unknown:
        raise RuleError(file, uid, name, f"unknown language(s) {sorted(unknown)}; use en, th, lo")
    if "en" not in raw:
        raise RuleError(file, uid, name, "needs an English (en) text to fall back on")
    return dict(raw)


def _coerce(value, kind: type, file: str, uid: str, name: str):
    if kind is float and isinstance(value, int | float) and not isinstance(value, bool):
        if not math.isfinite(value):  # .nan or .inf in YAML: a rule that could never fire, or always would
            raise RuleError(file, uid, name, f"must be a finite number, got {value!r}")
        return float(value)
    if kind is int and isinstance(value, int) and not isinstance(value, bool):
        return value
    if kind is str and isinstance(value, str):
        return value
    if kind is bool and isinstance(value, bool):
        return value
    raise RuleError(file, uid, name, f"must be a {kind.__name__}, got {value!r}")


TOP_FIELDS = {
    "uid",
    "title",
    "watch",
    "condition",
    "for",
    "severity",
    "labels",
    "runbook",
    "level",
    "respond",
    "enabled",
    "countries",
    "clear_after",
    "escalate",
}


def parse_rule(raw, file: str) -> Rule:
    """One rule from its YAML mapping; RuleError names the first wrong field."""
    if not isinstance(raw, dict):
        raise RuleError(file, None, None, "each rule must be a mapping of fields")
    uid = raw.get("uid")
    if not isinstance(uid, str) or not uid.strip():
        raise RuleError(file, None, "uid", "every rule needs a stable uid (text)")
    unknown = set(raw) - TOP_FIELDS
    if unknown:
        raise RuleError(file, uid, sorted(unknown)[0], "unknown field (see rules/SAMPLE.yaml)")
    title = _texts(raw.get("title"), file, uid, "title", required=True)
    runbook = _texts(raw.get("runbook"), file, uid, "runbook", required=True)

    watch = raw.get("watch")
    if not isinstance(watch, dict) or len(watch) != 1 or not set(watch) <= {"indicator", "incident_type", "policy"}:
        raise RuleError(
            file, uid, "watch", "must be {indicator: <id>}, {incident_type: <type>} or {policy: <id> or '*'}"
        )
    (watched,) = watch.values()
    if not isinstance(watched, str) or not watched.strip():
        raise RuleError(file, uid, "watch", "watches one id, as text (write one rule per indicator or policy)")
    indicator_id = watch.get("indicator")
    incident_type = watch.get("incident_type")
    policy_id = watch.get("policy")
    if incident_type is not None and incident_type not in INCIDENT_TYPES:
        raise RuleError(file, uid, "watch", f"incident_type must be one of {', '.join(INCIDENT_TYPES)}")

    condition = raw.get("condition")
    if not isinstance(condition, dict) or "kind" not in condition:
        raise RuleError(file, uid, "condition", "must be a mapping with a 'kind'")
    kind = condition["kind"]
    if kind not in CONDITIONS:
        raise RuleError(file, uid, "condition.kind", f"must be one of {', '.join(CONDITIONS)}")
    if (kind == "incidents") != (incident_type is not None):
        raise RuleError(
            file,
            uid,
            "watch",
            f"a '{kind}' condition watches " + ("an incident_type" if kind == "incidents" else "an indicator"),
        )
    spec = CONDITIONS[kind]
    extra = set(condition) - set(spec) - {"kind"}
    if kind == "stuck_policy" and extra & {"periods", "include_projects"}:
        raise RuleError(
            file,
            uid,
            f"condition.{sorted(extra)[0]}",
            "what 'stuck' means is set once, in config/policy_status.yaml (stuck), for this rule, the Policies"
            " page and the White wall alike: remove it here",
        )
    if extra:
        raise RuleError(file, uid, f"condition.{sorted(extra)[0]}", f"not a field of a '{kind}' condition")
    params = {}
    for name, (ptype, required, default, _help) in spec.items():
        if name in condition:
            params[name] = _coerce(condition[name], ptype, file, uid, f"condition.{name}")
        elif required:
            raise RuleError(file, uid, f"condition.{name}", f"required by a '{kind}' condition")
        else:
            params[name] = default
    if kind == "threshold" and sum(params[k] is not None for k in ("above", "below", "status")) != 1:
        raise RuleError(file, uid, "condition", "a threshold needs exactly one of above, below or status")
    if kind == "threshold" and params["status"] not in (None, "off_track", "at_risk"):
        raise RuleError(file, uid, "condition.status", "must be 'off_track' or 'at_risk' (which includes off_track)")
    if kind == "incidents" and params["schools_above"] is None and params["students_above"] is None:
        raise RuleError(file, uid, "condition", "an incidents condition needs schools_above or students_above")
    if kind == "outlier" and params["against"] not in COMPARISONS:
        raise RuleError(file, uid, "condition.against", "must be 'peers' or 'history'")
    if kind == "trend" and params["periods"] < 2:
        raise RuleError(file, uid, "condition.periods", "a trend needs at least 2 periods")
    if kind == "reporting_completeness" and not 0 < params["below"] <= 1:
        raise RuleError(file, uid, "condition.below", "a share between 0 and 1")

    for_periods = raw.get("for", 1)
    if not isinstance(for_periods, int) or isinstance(for_periods, bool) or not 1 <= for_periods <= MAX_FOR:
        raise RuleError(
            file, uid, "for", f"how many consecutive periods the condition must hold: a whole number, 1 to {MAX_FOR}"
        )
    severity = raw.get("severity")
    if severity not in SEVERITIES:
        raise RuleError(file, uid, "severity", f"must be one of {', '.join(SEVERITIES)}")
    clear_after = raw.get("clear_after", 1)
    if not isinstance(clear_after, int) or isinstance(clear_after, bool) or not 1 <= clear_after <= MAX_FOR:
        raise RuleError(
            file, uid, "clear_after", f"how many periods judged clear end an episode: a whole number, 1 to {MAX_FOR}"
        )
    escalate = _escalation(raw.get("escalate"), severity, file, uid)
    level = raw.get("level", "province")
    if level not in LEVELS:
        raise RuleError(file, uid, "level", f"areas evaluated: one of {', '.join(LEVELS)}")
    respond = raw.get("respond", level)
    if respond not in RESPONDERS:
        raise RuleError(file, uid, "respond", f"the area level that must respond: one of {', '.join(RESPONDERS)}")
    labels = raw.get("labels", {})
    if not isinstance(labels, dict) or not all(isinstance(k, str) for k in labels):
        raise RuleError(file, uid, "labels", "a mapping of label names to values")
    enabled = raw.get("enabled", True)
    if not isinstance(enabled, bool):
        raise RuleError(file, uid, "enabled", "true or false")
    countries = raw.get("countries", [])
    if not isinstance(countries, list) or not all(isinstance(c, str) for c in countries):
        raise RuleError(file, uid, "countries", "a list of country codes (th, la); leave out for every country")
    return Rule(
        uid=uid,
        file=file,
        title=title,
        kind=kind,
        indicator_id=indicator_id,
        incident_type=incident_type,
        policy_id=policy_id,
        params=params,
        for_periods=for_periods,
        severity=severity,
        labels={k: str(v) for k, v in labels.items()},
        runbook=runbook,
        level=level,
        respond=respond,
        enabled=enabled,
        countries=tuple(countries),
        clear_after=clear_after,
        escalate=escalate,
        source=raw,
    )


def _escalation(raw, severity: str, file: str, uid: str) -> tuple[int, str] | None:
    """`escalate: {after: 6, severity: critical}`: the episode's severity once it has lasted that many periods."""
    if raw is None:
        return None
    if not isinstance(raw, dict) or set(raw) != {"after", "severity"}:
        raise RuleError(file, uid, "escalate", "must be {after: <periods in breach>, severity: <higher severity>}")
    after = raw["after"]
    if not isinstance(after, int) or isinstance(after, bool) or not 2 <= after <= MAX_FOR:
        raise RuleError(file, uid, "escalate.after", f"periods in breach: a whole number, 2 to {MAX_FOR}")
    worse_first = list(SEVERITIES)
    if raw["severity"] not in SEVERITIES or worse_first.index(raw["severity"]) >= worse_first.index(severity):
        raise RuleError(file, uid, "escalate.severity", f"a severity above the rule's own ({severity})")
    return (after, raw["severity"])


def load(directory: Path | str) -> RuleSet:
    """Every rule in *.yaml under `directory`; broken files and rules are reported, not fatal.

    A uid used twice stays with the rule of the file that has held it longest (the older file): a new
    file that reuses a live rule's uid is refused, and the live rule and its alerts go on.
    """
    directory = Path(directory)
    rules: list[Rule] = []
    errors: list[RuleError] = []
    seen: dict[str, str] = {}
    # Oldest file first, so a newcomer meets the uids already in service.
    for path in sorted(directory.glob("*.yaml"), key=lambda p: (_mtime(p), p.name)):
        name = path.name
        try:
            with open(path, encoding="utf-8") as f:
                document = yaml.safe_load(f)
        except UnicodeDecodeError as exc:
            errors.append(
                RuleError(name, None, None, f"is not UTF-8 text (byte {exc.start}); save it as UTF-8 and it is read")
            )
            continue
        except (OSError, yaml.YAMLError) as exc:
            mark = getattr(exc, "problem_mark", None)
            where = f" (line {mark.line + 1})" if mark else ""
            errors.append(RuleError(name, None, None, f"cannot be read as YAML{where}: {exc}"))
            continue
        if document is None:
            continue
        if not isinstance(document, dict) or not isinstance(document.get("rules"), list):
            errors.append(RuleError(name, None, "rules", "the file must hold a list under 'rules:'"))
            continue
        for raw in document["rules"]:
            try:
                rule = parse_rule(raw, name)
            except RuleError as exc:
                errors.append(exc)
                continue
            if rule.uid in seen:
                errors.append(
                    RuleError(name, rule.uid, "uid", f"already used in {seen[rule.uid]}, whose rule keeps running")
                )
                continue
            seen[rule.uid] = name
            if rule.enabled:
                rules.append(rule)
    return RuleSet(tuple(rules), tuple(errors))


def _mtime(path: Path) -> int:
    try:
        return path.stat().st_mtime_ns
    except OSError:
        return 0


def fingerprint(directory: Path | str) -> str:
    """Changes whenever a rule file is added, removed or edited."""
    h = hashlib.sha1()
    for path in sorted(Path(directory).glob("*.yaml")):
        stat = path.stat()
        h.update(f"{path.name}:{stat.st_size}:{stat.st_mtime_ns};".encode())
    return h.hexdigest()[:16]


@lru_cache(maxsize=8)
def _load_version(directory: str, version: str) -> RuleSet:
    return load(directory)


def current(directory: Path | str) -> tuple[RuleSet, str]:
    """The rules in `directory` and their version, read again only when a file changes."""
    version = fingerprint(directory)
    return _load_version(str(directory), version), version
