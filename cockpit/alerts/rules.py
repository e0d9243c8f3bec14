"""Alert rules as declarative YAML files: read, checked field by field, one broken rule never hiding the others.

A rule says what it watches (an indicator or an incident type), its condition, how long the
condition must hold, its severity, labels, a runbook and the area level that must respond.
`rules/SAMPLE.yaml` documents every field. A file that cannot be read, or a rule with a wrong
field, yields a RuleError naming the file, the rule and the field; the other rules load.
"""

from __future__ import annotations

import hashlib
import typing
from dataclasses import dataclass, field
from functools import lru_cache
from pathlib import Path
from typing import Annotated, Literal

from pydantic import Field, StringConstraints, model_validator

from cockpit import config
from cockpit.config import Invalid, Strict, Texts
from cockpit.data.schema import INCIDENT_TYPES, SEVERITIES
from cockpit.i18n import COUNTRY_LANGUAGE

LEVELS = ("district", "province")
MAX_FOR = 60  # periods a condition may be asked to hold: five years of months
RESPONDERS = ("school", "district", "province", "region", "country")
COUNTRIES = tuple(COUNTRY_LANGUAGE)
COMPARISONS = ("peers", "history")
Periods = Annotated[int, Field(ge=1, le=MAX_FOR)]
Count = Annotated[int, Field(ge=0)]


class RuleError(Exception):
    """A rule file or rule that cannot be used, and where (`line`: 1 = the file's first line)."""

    def __init__(self, file: str, rule: str | None, field_name: str | None, problem: str, line: int | None = None):
        self.file, self.rule, self.field, self.problem, self.line = file, rule, field_name, problem, line
        where = file + (f", rule '{rule}'" if rule else "") + (f", field '{field_name}'" if field_name else "")
        super().__init__(f"{where}{f', line {line}' if line else ''}: {problem}")


# ------------------------------------------------------------------------------------------------
# The schema: one model per condition kind, picked by `kind`; rules/SAMPLE.yaml documents each field


class Threshold(Strict):
    kind: Literal["threshold"]
    above: float | None = Field(None, description="fires when the value is above this")
    below: float | None = Field(None, description="fires when the value is below this")
    status: Literal["off_track", "at_risk"] | None = Field(
        None, description="fires on the KPI's status: 'off_track', or 'at_risk' (includes off_track)"
    )

    @model_validator(mode="after")
    def _one_bound(self):
        if sum(v is not None for v in (self.above, self.below, self.status)) != 1:
            raise Invalid("a threshold needs exactly one of above, below or status")
        return self


class GapToTarget(Strict):
    kind: Literal["gap_to_target"]
    gap: float = Field(description="fires when the value is this far from its target in the bad direction")


class Trend(Strict):
    kind: Literal["trend"]
    periods: int = Field(3, ge=2, le=MAX_FOR, description="fires after this many consecutive adverse changes")
    min_change: float = Field(0.0, ge=0, description="each change must be larger than this to count")


class Outlier(Strict):
    kind: Literal["outlier"]
    against: Literal[COMPARISONS] = Field(
        "peers", description="'peers' (other areas, same period) or 'history' (the area's own past)"
    )
    z: float = Field(3.0, gt=0, description="modified z-score (median and MAD) beyond which a value is an outlier")
    history_periods: int = Field(
        8, ge=2, le=10 * MAX_FOR, description="with against=history: how many past periods form the baseline"
    )
    min_peers: int = Field(5, ge=2, description="do not judge with fewer values than this")


class MissingReport(Strict):
    kind: Literal["missing_report"]
    due_days: int | None = Field(
        None,
        ge=0,
        le=366,
        description="days after a period ends by which every area must have reported"
        " (default: config/reporting_calendar.yaml)",
    )


class ReportingCompleteness(Strict):
    kind: Literal["reporting_completeness"]
    below: float = Field(gt=0, le=1, description="fires when the share of a province's districts reporting is below")


class Incidents(Strict):
    kind: Literal["incidents"]
    schools_above: Count | None = Field(None, description="fires when incidents close more schools than this")
    students_above: Count | None = Field(None, description="fires when incidents affect more students than this")

    @model_validator(mode="after")
    def _one_bound(self):
        if self.schools_above is None and self.students_above is None:
            raise Invalid("an incidents condition needs schools_above or students_above")
        return self


class StuckPolicy(Strict):
    """What "stuck" means is config/policy_status.yaml's, shared with the Policies page and the White wall."""

    kind: Literal["stuck_policy"]

    @model_validator(mode="before")
    @classmethod
    def _defined_once(cls, raw):
        for name in ("periods", "include_projects"):
            if isinstance(raw, dict) and name in raw:
                raise Invalid(
                    "what 'stuck' means is set once, in config/policy_status.yaml (stuck), for this rule, the"
                    " Policies page and the White wall alike: remove it here",
                    name,
                )
        return raw


Condition = Annotated[
    Threshold | GapToTarget | Trend | Outlier | MissingReport | ReportingCompleteness | Incidents | StuckPolicy,
    Field(discriminator="kind"),
]
# Each condition kind and its fields (rules/SAMPLE.yaml documents every one).
CONDITIONS: dict[str, tuple[str, ...]] = {
    typing.get_args(model.model_fields["kind"].annotation)[0]: tuple(n for n in model.model_fields if n != "kind")
    for model in typing.get_args(typing.get_args(Condition)[0])
}
# What each condition kind watches; every other kind watches an indicator.
WATCHES = {"incidents": "incident_type", "stuck_policy": "policy"}


Text = Annotated[str, StringConstraints(min_length=1)]
Id = Annotated[str, StringConstraints(strip_whitespace=True, min_length=1, max_length=200)]


class Watch(Strict):
    indicator: Id | None = None
    incident_type: Literal[INCIDENT_TYPES] | None = None
    policy: Id | None = None  # a policy id, or '*' for every policy

    @model_validator(mode="after")
    def _exactly_one(self):
        if sum(v is not None for v in (self.indicator, self.incident_type, self.policy)) != 1:
            raise Invalid("watches exactly one of indicator, incident_type or policy (one rule per indicator)")
        return self


class Escalation(Strict):
    after: int = Field(ge=2, le=MAX_FOR, description="periods in breach")
    severity: Literal[SEVERITIES]


class RuleModel(Strict):
    uid: Id
    title: Texts
    watch: Watch
    condition: Condition
    for_: Periods = Field(1, alias="for")
    severity: Literal[SEVERITIES]
    labels: dict[str, str | int | float | bool] = {}
    runbook: Texts
    level: Literal[LEVELS] = "province"
    respond: Literal[RESPONDERS] | None = None  # default: the level
    enabled: bool = True
    countries: list[Literal[COUNTRIES]] = []  # empty: every country
    clear_after: Periods = 1
    escalate: Escalation | None = None

    @model_validator(mode="after")
    def _consistent(self):
        watched = next(k for k, v in self.watch if v is not None)
        wanted = WATCHES.get(self.condition.kind, "indicator")
        if watched != wanted:
            raise Invalid(f"a '{self.condition.kind}' condition watches {wanted.replace('_', ' ')}", "watch")
        worse_first = list(SEVERITIES)
        if self.escalate and worse_first.index(self.escalate.severity) >= worse_first.index(self.severity):
            raise Invalid(f"a severity above the rule's own ({self.severity})", "escalate.severity")
        return self


class RuleFile(Strict):
    """A rule file: its rules, each checked on its own (RuleModel) so one broken rule costs only that rule."""

    rules: list[typing.Any]


TOP_FIELDS = {f.alias or name for name, f in RuleModel.model_fields.items()}


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
        return config.text_in(getattr(self, what), lang)


@dataclass(frozen=True)
class RuleSet:
    rules: tuple[Rule, ...]
    errors: tuple[RuleError, ...]

    def by_uid(self) -> dict[str, Rule]:
        return {r.uid: r for r in self.rules}


def parse_rule(raw, file: str, document: config.Document | None = None, prefix: tuple = ()) -> Rule:
    """One rule from its YAML mapping (at `prefix` in `document`, for the lines); RuleError names the first
    wrong field and its line."""
    document = document or config.Document(file, raw, None)
    uid = raw.get("uid") if isinstance(raw, dict) else None
    uid = uid.strip() or None if isinstance(uid, str) else None
    try:
        model = config.validate(RuleModel, document, prefix)
    except config.ConfigError as exc:
        key = exc.key
        if prefix:  # rules[3].severity → severity; rules[3], the rule itself → no field
            key = key.split(".", 1)[1] if "." in key else None
        key = None if key == config.WHOLE_FILE else key
        raise RuleError(file, uid, key, exc.problem, exc.line) from None
    watch = model.watch
    return Rule(
        uid=model.uid,
        file=file,
        title=dict(model.title),
        kind=model.condition.kind,
        indicator_id=watch.indicator,
        incident_type=watch.incident_type,
        policy_id=watch.policy,
        params=model.condition.model_dump(exclude={"kind"}),
        for_periods=model.for_,
        severity=model.severity,
        labels={k: str(v) for k, v in model.labels.items()},
        runbook=dict(model.runbook),
        level=model.level,
        respond=model.respond or model.level,
        enabled=model.enabled,
        countries=tuple(model.countries),
        clear_after=model.clear_after,
        escalate=(model.escalate.after, model.escalate.severity) if model.escalate else None,
        source=raw,
    )


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
            document = config.parse(name, path.read_bytes())
        except OSError as exc:
            errors.append(RuleError(name, None, None, f"cannot be read: {exc.strerror}"))
            continue
        except config.ConfigError as exc:  # not UTF-8, not YAML: the line where reading stopped
            errors.append(RuleError(name, None, None, exc.problem, exc.line))
            continue
        if document.data is None:
            continue
        try:
            rule_list = config.validate(RuleFile, document).rules
        except config.ConfigError as exc:
            key = None if exc.key == config.WHOLE_FILE else exc.key
            errors.append(RuleError(name, None, key, f"{exc.problem} (the file holds a list under 'rules:')", exc.line))
            continue
        for i, raw in enumerate(rule_list):
            try:
                rule = parse_rule(raw, name, document, ("rules", i))
            except RuleError as exc:
                errors.append(exc)
                continue
            if rule.uid in seen:
                _key, line = document.locate(["rules", i, "uid"])
                errors.append(
                    RuleError(
                        name, rule.uid, "uid", f"already used in {seen[rule.uid]}, whose rule keeps running", line
                    )
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
