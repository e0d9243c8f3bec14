"""Alert evaluation: every rule's condition runs as a named DuckDB query over the whole country at once.

`evaluate` turns the rules into the set of alerts firing now; `refresh` hands that set to the
state store (`alert_store.sync`), which opens new alerts, refreshes running ones and resolves
those whose condition cleared unless a person has taken them. Results come through the query
cache, keyed by the extract version, so evaluating again on unchanged data costs almost nothing.
"""

from __future__ import annotations

import threading
from dataclasses import dataclass
from datetime import date

import sqlalchemy as sa

from cockpit import alert_store, rules
from cockpit.db import Database

QUERY_BY_KIND = {
    "threshold": "alerts/threshold",
    "gap_to_target": "alerts/gap_to_target",
    "trend": "alerts/trend",
    "missing_report": "alerts/missing_report",
    "reporting_completeness": "alerts/reporting_completeness",
    "incidents": "alerts/incidents",
}


@dataclass(frozen=True)
class Evaluation:
    firing: tuple[alert_store.Firing, ...]
    evaluated: tuple[str, ...]  # uids of the rules that ran without error
    errors: tuple[rules.RuleError, ...]


def _query_for(rule: rules.Rule, as_of: date) -> tuple[str, dict]:
    p = rule.params
    common = dict(indicator_id=rule.indicator_id, level=rule.level)
    if rule.kind == "threshold":
        return QUERY_BY_KIND["threshold"], dict(
            common, above=p["above"], below=p["below"], status=p["status"], for_periods=rule.for_periods
        )
    if rule.kind == "gap_to_target":
        return QUERY_BY_KIND["gap_to_target"], dict(common, gap=p["gap"], for_periods=rule.for_periods)
    if rule.kind == "trend":
        return QUERY_BY_KIND["trend"], dict(common, periods=p["periods"], min_change=p["min_change"])
    if rule.kind == "outlier" and p["against"] == "peers":
        return "alerts/outlier_peers", dict(common, z=p["z"], min_peers=p["min_peers"])
    if rule.kind == "outlier":
        return "alerts/outlier_history", dict(
            common, z=p["z"], history_periods=p["history_periods"], min_peers=p["min_peers"]
        )
    if rule.kind == "missing_report":
        return QUERY_BY_KIND["missing_report"], dict(common, due_days=p["due_days"], as_of=as_of)
    if rule.kind == "reporting_completeness":
        return QUERY_BY_KIND["reporting_completeness"], dict(indicator_id=rule.indicator_id, below=p["below"])
    if rule.kind == "incidents":
        return QUERY_BY_KIND["incidents"], dict(
            incident_type=rule.incident_type,
            level=rule.level,
            schools_above=p["schools_above"],
            students_above=p["students_above"],
            as_of=as_of,
        )
    raise ValueError(f"no query for condition kind {rule.kind!r}")


def applies(rule: rules.Rule, country: str) -> bool:
    return not rule.countries or country in rule.countries


def evaluate(db: Database, country: str, ruleset: rules.RuleSet, as_of: date) -> Evaluation:
    """The alerts firing now in a country, by every rule that applies to it."""
    known = set(db.query(country, "indicators")["indicator_id"])
    firing: list[alert_store.Firing] = []
    evaluated: list[str] = []
    errors = list(ruleset.errors)
    for rule in ruleset.rules:
        if not applies(rule, country):
            continue
        if rule.indicator_id is not None and rule.indicator_id not in known:
            errors.append(
                rules.RuleError(
                    rule.file, rule.uid, "watch", f"no indicator '{rule.indicator_id}' in the {country} extracts"
                )
            )
            continue
        name, params = _query_for(rule, as_of)
        rows = db.query(country, name, **params)
        evaluated.append(rule.uid)
        for row in rows.to_dict("records"):
            detail = {
                k: _plain(v) for k, v in row.items() if k not in ("area_id", "period_start", "value", "reference")
            }
            detail.update(kind=rule.kind, level=rule.level, respond=rule.respond, country=country)
            firing.append(
                alert_store.Firing(
                    rule_id=rule.uid,
                    area_id=row["area_id"],
                    subject=rule.subject,
                    period_start=_plain(row["period_start"]),
                    severity=rule.severity,
                    title=rule.text("title", "en"),
                    value=_plain(row["value"]),
                    threshold=_plain(row["reference"]),
                    detail=detail,
                )
            )
    return Evaluation(tuple(firing), tuple(evaluated), tuple(errors))


_synced: dict[tuple, alert_store.SyncResult] = {}
_sync_lock = threading.Lock()


def refresh(
    db: Database, country: str, engine: sa.Engine, ruleset: rules.RuleSet, as_of: date, rules_version: str = ""
) -> tuple[Evaluation, alert_store.SyncResult | None]:
    """Evaluate and sync into the store, once per (extract version, rules version, day) in this process."""
    key = (str(engine.url), country, db.version(country), rules_version, as_of)
    evaluation = evaluate(db, country, ruleset, as_of)
    with _sync_lock:
        if key in _synced:
            return evaluation, None
        area_ids = db.query(country, "area_ids")["area_id"]
        result = alert_store.sync(engine, evaluation.firing, evaluation.evaluated, area_ids=list(area_ids))
        _synced[key] = result
    return evaluation, result


def _plain(value):
    """numpy / pandas scalars as plain Python values, for JSON and the store."""
    if value is None:
        return None
    if hasattr(value, "to_pydatetime") and hasattr(value, "date"):
        return value.date()
    if hasattr(value, "item"):
        value = value.item()
    if isinstance(value, float) and value != value:  # NaN
        return None
    return value
