"""Alert evaluation: every rule's condition runs as a named DuckDB query over the whole country at once.

`evaluate` turns the rules into the set of alerts firing now; `refresh` hands that set to the
state store (`lifecycle.sync`), which opens new alerts, refreshes running ones and resolves
those whose condition cleared unless a person has taken them. Results come through the query
cache, keyed by the published version, so evaluating again on unchanged data costs almost nothing.
"""

from __future__ import annotations

import threading
import time
from dataclasses import dataclass, field
from datetime import UTC, date, datetime, timedelta

import pandas as pd
import sqlalchemy as sa

from cockpit import clock, config, i18n, periods
from cockpit.alerts import calendar, lifecycle, rules
from cockpit.data import access, queries
from cockpit.data.access import Scope
from cockpit.data.db import Database

QUERY_BY_KIND = {
    "threshold": "alerts/conditions/threshold",
    "gap_to_target": "alerts/conditions/gap_to_target",
    "trend": "alerts/conditions/trend",
    "missing_report": "alerts/conditions/missing_report",
    "reporting_completeness": "alerts/conditions/reporting_completeness",
    "incidents": "alerts/conditions/incidents",
}


INDICATOR_KINDS = ("threshold", "gap_to_target", "trend", "outlier")
REPORTING_KINDS = ("missing_report", "reporting_completeness")
# Kinds whose query checks `for` itself (each of the latest N periods); the others are asked again per period.
FOR_IN_QUERY = ("threshold", "gap_to_target")


@dataclass(frozen=True)
class Evaluation:
    firing: tuple[lifecycle.Firing, ...]
    evaluated: tuple[str, ...]  # uids of the rules that ran without error
    errors: tuple[rules.RuleError, ...]
    judged: dict[str, date | None] = field(default_factory=dict)  # per rule: the period it judged
    clear_after: dict[str, int] = field(default_factory=dict)  # per rule: clear periods that end an episode


def _query_for(rule: rules.Rule, as_of: date, due_start: date | None = None) -> tuple[str, dict]:
    """The named query of a rule's condition and its parameters; `due_start` is the period the reporting
    calendar says is due (missing_report, reporting_completeness)."""
    p = rule.params
    common = dict(indicator_id=rule.indicator_id, level=rule.level, as_of=as_of)
    if rule.kind == "threshold":
        return QUERY_BY_KIND["threshold"], dict(
            common, above=p["above"], below=p["below"], status=p["status"], for_periods=rule.for_periods
        )
    if rule.kind == "gap_to_target":
        return QUERY_BY_KIND["gap_to_target"], dict(common, gap=p["gap"], for_periods=rule.for_periods)
    if rule.kind == "trend":
        return QUERY_BY_KIND["trend"], dict(common, periods=p["periods"], min_change=p["min_change"])
    if rule.kind == "outlier" and p["against"] == "peers":
        return "alerts/conditions/outlier_peers", dict(common, z=p["z"], min_peers=p["min_peers"])
    if rule.kind == "outlier":
        return "alerts/conditions/outlier_history", dict(
            common, z=p["z"], history_periods=p["history_periods"], min_peers=p["min_peers"]
        )
    if rule.kind == "missing_report":
        return QUERY_BY_KIND["missing_report"], dict(
            indicator_id=rule.indicator_id, level=rule.level, period_start=due_start
        )
    if rule.kind == "reporting_completeness":
        return QUERY_BY_KIND["reporting_completeness"], dict(
            indicator_id=rule.indicator_id, below=p["below"], period_start=due_start
        )
    if rule.kind == "incidents":
        return QUERY_BY_KIND["incidents"], dict(
            incident_type=rule.incident_type,
            level=rule.level,
            schools_above=p["schools_above"],
            students_above=p["students_above"],
            as_of=as_of,
        )
    if rule.kind == "stuck_policy":
        return "review/policies/stuck", dict(stuck_periods=config.stuck().periods, as_of=as_of)
    raise ValueError(f"no query for condition kind {rule.kind!r}")


def _stuck_rows(rows: pd.DataFrame, rule: rules.Rule) -> pd.DataFrame:
    """Stalled policies the rule watches: one policy or all, projects only when it asks for them."""
    if rule.policy_id not in (None, "*"):
        rows = rows[rows["policy_id"] == rule.policy_id]
    if not config.stuck().include_projects:
        rows = rows[rows["policy_level"] != "project"]
    return rows


def _due_start(rule: rules.Rule, country: str, frequency: str, as_of: date) -> date | None:
    """The period every area owes on `as_of`, by the reporting calendar (the rule's own due_days first)."""
    due = calendar.due_for(calendar.load(), country, rule.indicator_id, frequency)
    due_days = rule.params.get("due_days") if rule.kind == "missing_report" else None
    return calendar.due_period(country, due.frequency, due.due_days if due_days is None else due_days, as_of)


def _known_by(country: str, indicator_id: str, frequency: str, as_of: date) -> date | None:
    """The newest period of an indicator whose report was due by `as_of`: what a replay of that day may know."""
    due = calendar.due_for(calendar.load(), country, indicator_id, frequency)
    return calendar.due_period(country, due.frequency, due.due_days, as_of)


def _looked_at(
    db: Database, country: str, rule: rules.Rule, frequency: str, cap: date, due_start: date | None, n: int
) -> list[date]:
    """The periods a rule judges, newest first: the one it judges now and the n-1 before it (for `for`); for
    incidents, the day and the same day of the months before."""
    if rule.kind in INDICATOR_KINDS:
        found = db.query(
            country, "alerts/periods/indicator_periods", indicator_id=rule.indicator_id, as_of=cap, periods=n
        )
        return [periods.as_date(p) for p in found["period_start"]]
    if rule.kind == "stuck_policy":
        found = db.query(country, "alerts/periods/progress_periods", as_of=cap, periods=n)
        return [periods.as_date(p) for p in found["period_start"]]
    if rule.kind in REPORTING_KINDS:
        frequency = calendar.due_for(calendar.load(), country, rule.indicator_id, frequency).frequency
        starts = [due_start]
        while len(starts) < n:
            starts.append(calendar.previous_start(country, frequency, starts[-1]))
        return starts
    # incidents: active on the day, and on the same day of each month before
    return [_months_back(cap, k) for k in range(n)]


def _months_back(day: date, k: int) -> date:
    year, month = divmod(day.year * 12 + day.month - 1 - k, 12)
    month += 1
    last = (date(year + (month == 12), month % 12 + 1, 1) - timedelta(days=1)).day
    return date(year, month, min(day.day, last))


def applies(rule: rules.Rule, country: str) -> bool:
    return not rule.countries or country in rule.countries


def evaluate(db: Database, country: str, ruleset: rules.RuleSet, as_of: date, known_only: bool = False) -> Evaluation:
    """The alerts firing now in a country, by every rule that applies to it.

    `known_only` (a replay of a past day): each indicator is judged on the periods whose reports were
    due by `as_of` (the reporting calendar), never on data that came in later, so a replayed alert
    never rests on figures that did not exist yet on its day.
    """
    catalogue = db.query(country, "data/indicators").set_index("indicator_id")
    known = set(catalogue.index)
    whole_country = access.whole_country(db.query(country, "data/province_ids")["area_id"])
    firing: list[lifecycle.Firing] = []
    evaluated: list[str] = []
    judged: dict[str, date | None] = {}
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
        frequency = catalogue.loc[rule.indicator_id, "frequency"] if rule.indicator_id is not None else "month"
        cap, due_start = as_of, None
        try:
            if rule.kind in REPORTING_KINDS:
                due_start = _due_start(rule, country, frequency, as_of)
            elif rule.kind in INDICATOR_KINDS and known_only:
                cap = _known_by(country, rule.indicator_id, frequency, as_of)
            elif rule.kind == "stuck_policy":
                config.stuck()  # the definition of stuck, read before anything is judged by it
                if known_only:
                    cap = _quarter_start(as_of) - timedelta(days=1)  # the quarters that had ended
        except config.ConfigError as exc:
            what = "what stuck means" if rule.kind == "stuck_policy" else "reporting calendar"
            errors.append(rules.RuleError(rule.file, rule.uid, "condition", f"{what}: {exc}"))
            continue
        evaluated.append(rule.uid)
        if cap is None or (rule.kind in REPORTING_KINDS and due_start is None):
            judged[rule.uid] = None  # nothing known, or nothing due, yet
            continue
        repeat = 1 if rule.kind in FOR_IN_QUERY else rule.for_periods
        looked_at = _looked_at(db, country, rule, frequency, cap, due_start, repeat)
        judged[rule.uid] = looked_at[0] if looked_at else None
        if len(looked_at) < repeat:
            continue  # not enough periods yet for the condition to have held `for` them
        # The condition as judged in each period looked at; it fires for what held in all of them.
        found = [
            _rows(db, country, rule, as_of, moment, whole_country)
            if rule.kind in REPORTING_KINDS
            else _rows(db, country, rule, moment, None, whole_country)
            for moment in looked_at
        ]
        now_rows = found[0]
        held = set.intersection(*(set(zip(r["area_id"], _subjects(r, rule), strict=True)) for r in found))
        for row, subject in zip(now_rows.to_dict("records"), _subjects(now_rows, rule), strict=True):
            if (row["area_id"], subject) not in held:
                continue
            detail = {
                k: _plain(v) for k, v in row.items() if k not in ("area_id", "period_start", "value", "reference")
            }
            detail.update(kind=rule.kind, level=rule.level, respond=rule.respond, country=country)
            firing.append(
                lifecycle.Firing(
                    rule_id=rule.uid,
                    area_id=row["area_id"],
                    subject=subject,
                    period_start=_plain(row["period_start"]),
                    severity=rule.severity,
                    title=rule.text("title", "en"),
                    value=_plain(row["value"]),
                    threshold=_plain(row["reference"]),
                    detail=detail,
                    escalation=rule.escalate,
                    period_type=_period_type(rule, country, frequency),
                )
            )
    clear_after = {rule.uid: rule.clear_after for rule in ruleset.rules}
    return Evaluation(tuple(firing), tuple(evaluated), tuple(errors), judged, clear_after)


def _rows(db: Database, country: str, rule: rules.Rule, as_of: date, due_start, whole_country) -> pd.DataFrame:
    """What a rule's condition finds on `as_of` (or, for reporting rules, for the due period `due_start`)."""
    name, params = _query_for(rule, as_of, due_start)
    if "scope" in queries.get(name).params:  # the system evaluates for the whole country
        params["scope"] = whole_country
    rows = db.query(country, name, **params)
    return _stuck_rows(rows, rule) if rule.kind == "stuck_policy" else rows


def _subjects(rows: pd.DataFrame, rule: rules.Rule) -> list[str]:
    """Each row's subject: the stalled policy for a stuck_policy rule, else what the rule watches."""
    if rule.kind == "stuck_policy":
        return list(rows["policy_id"])
    return [rule.subject] * len(rows)


def _period_type(rule: rules.Rule, country: str, frequency: str) -> str:
    """How a rule's periods are counted: its indicator's (or the calendar's) frequency; incidents by month,
    policy progress by quarter."""
    if rule.kind == "stuck_policy":
        return "quarter"
    if rule.kind in REPORTING_KINDS:
        return calendar.due_for(calendar.load(), country, rule.indicator_id, frequency).frequency
    return "month" if rule.kind == "incidents" else frequency


def _quarter_start(day: date) -> date:
    return date(day.year, (day.month - 1) // 3 * 3 + 1, 1)


REPLAY_MONTHS = 12
SEVERITY_ORDER = {"critical": 0, "high": 1, "medium": 2, "low": 3}
# Map colours for the worst open alert of a province (RGB).
SEVERITY_COLORS = {"critical": (165, 0, 38), "high": (215, 48, 39), "medium": (245, 166, 35), "low": (120, 144, 156)}


@dataclass(frozen=True)
class Refresh:
    evaluation: Evaluation
    replayed: int  # past evaluations replayed because the store had never seen this country
    sync: lifecycle.SyncResult | None  # None when this data and these rules were already synced


_synced: dict[tuple, Refresh] = {}
_sync_lock = threading.Lock()


def month_ends(today: date, months: int) -> list[date]:
    """The last day of each of the `months` months before today's month, oldest first."""
    out = []
    year, month = today.year, today.month
    for _ in range(months):
        year, month = (year - 1, 12) if month == 1 else (year, month - 1)
        nxt = date(year + (month == 12), month % 12 + 1, 1)
        out.append(nxt - timedelta(days=1))
    return out[::-1]


def _evaluate_and_sync(db, country, engine, ruleset, as_of, now, rules_version, area_ids, replaying=False):
    start = time.perf_counter()
    evaluation = evaluate(db, country, ruleset, as_of, known_only=replaying)
    result = lifecycle.sync(
        engine,
        evaluation.firing,
        evaluation.evaluated,
        now=now,
        area_ids=area_ids,
        judged=evaluation.judged,
        clear_after=evaluation.clear_after,
        reconstructed=replaying,
    )
    lifecycle.record_evaluation(
        engine,
        lifecycle.EvaluationRecord(
            country=country,
            as_of=as_of,
            at=now,
            extract_version=db.version(country),
            rules_version=rules_version,
            firing=len(evaluation.firing),
            opened=len(result.opened) + len(result.reopened),
            resolved=len(result.auto_resolved),
            duration_ms=(time.perf_counter() - start) * 1000,
        ),
    )
    return evaluation, result


def refresh(
    db: Database,
    country: str,
    engine: sa.Engine,
    ruleset: rules.RuleSet,
    today: date,
    rules_version: str = "",
    publishing: bool = False,
) -> Refresh:
    """Evaluate the rules and record what fires in the store, once per (version, rules, day) in a page server.

    `publishing` (a publish or a rollback; never a page view) always evaluates and syncs, and the
    first time a store meets a country it replays the last REPLAY_MONTHS month-ends first, oldest
    first, as if the cockpit had been running: episodes open, grow and clear on the days they would
    have, so the history shows last season's haze as well as this week's floods. The replay judges each
    day only on the reports due by then, and its events are marked as reconstructed.
    """
    key = (str(engine.url), country, db.version(country), rules_version, today)
    with _sync_lock:
        if key in _synced and not publishing:
            return Refresh(_synced[key].evaluation, 0, None)
        area_ids = list(db.query(country, "data/area_ids")["area_id"])
        replayed = 0
        if publishing and lifecycle.last_evaluation(engine, country) is None:
            for as_of in month_ends(today, REPLAY_MONTHS):
                moment = datetime.combine(as_of, datetime.min.time(), tzinfo=UTC) + timedelta(hours=18)
                _evaluate_and_sync(db, country, engine, ruleset, as_of, moment, rules_version, area_ids, True)
                replayed += 1
        evaluation, result = _evaluate_and_sync(
            db, country, engine, ruleset, today, clock.utcnow(), rules_version, area_ids
        )
        done = Refresh(evaluation, replayed, result)
        _synced[key] = done
        return done


def evaluated_already(db: Database, country: str, engine: sa.Engine, today: date, rules_version: str) -> bool:
    """Whether the store's newest evaluation of the country is of this version, these rules and this day (a
    publish's, or another page server's): then a page has nothing to evaluate."""
    last = lifecycle.last_evaluation(engine, country)
    return (
        last is not None
        and last.extract_version == db.version(country)
        and last.rules_version == rules_version
        and last.as_of == today
    )


def areas_in_scope(db: Database, country: str, scope: Scope) -> pd.DataFrame:
    """Provinces and districts the caller may see, with their province and groupings, indexed by area_id."""
    return db.query(country, "alerts/views/areas_in_scope", scope=scope).set_index("area_id", drop=False)


def feed(
    db: Database, country: str, engine: sa.Engine, scope: Scope, ruleset: rules.RuleSet, lang: str, states=None
) -> pd.DataFrame:
    """The alerts of the areas in scope, newest first, with place names, region keys and titles in `lang`."""
    places = areas_in_scope(db, country, scope)
    table = lifecycle.list_alerts(engine, states=states, area_ids=list(places.index))
    if table.empty:
        return table.assign(
            place="",
            province_id="",
            province="",
            group_keys=None,
            rule_title="",
            runbook="",
            severity_rank=0,
            level="",
            respond="",
            labels=None,
            period_type="month",
        )
    local = i18n.local_names(country, lang)
    info = places.loc[table["area_id"]]
    table["level"] = info["level"].to_numpy()
    table["province_id"] = info["province_id"].to_numpy()
    names = info["name_local" if local else "name_en"].to_numpy()
    provinces = info["province_name_local" if local else "province_name_en"].to_numpy()
    table["province"] = provinces
    table["place"] = [
        p if lvl == "province" else f"{n}, {p}" for n, p, lvl in zip(names, provinces, table["level"], strict=True)
    ]
    table["group_keys"] = info["group_keys"].to_numpy()
    by_uid = ruleset.by_uid()
    table["rule_title"] = [
        by_uid[r].text("title", lang) if r in by_uid else t
        for r, t in zip(table["rule_id"], table["title"], strict=True)
    ]
    names = policy_names(db, country, lang)
    table["rule_title"] = [
        alert_title(t, d, s, lang, names)
        for t, d, s in zip(table["rule_title"], table["detail"], table["subject"], strict=True)
    ]
    table["runbook"] = [by_uid[r].text("runbook", lang) if r in by_uid else "" for r in table["rule_id"]]
    # The office level that must act (as recorded when it fired), and the rule's labels as "name: value".
    table["respond"] = [d.get("respond") or level for d, level in zip(table["detail"], table["level"], strict=True)]
    table["labels"] = [
        tuple(f"{k}: {v}" for k, v in by_uid[r].labels.items()) if r in by_uid else () for r in table["rule_id"]
    ]
    table["severity_rank"] = table["severity"].map(SEVERITY_ORDER)
    frequency = db.query(country, "data/indicators").set_index("indicator_id")["frequency"]
    # An alert's period is named like its indicator's periods (FY2569, Term 1/2567); others by month.
    table["period_type"] = [
        "quarter"
        if stalled_policy(d)
        else frequency.get(by_uid[r].indicator_id, "month")
        if r in by_uid and by_uid[r].indicator_id
        else "month"
        for r, d in zip(table["rule_id"], table["detail"], strict=True)
    ]
    return table


def stalled_policy(detail: dict | None) -> bool:
    """Whether an alert (by its recorded detail) is about a policy that stopped moving."""
    return (detail or {}).get("kind") == "stuck_policy"


def alert_title(title: str, detail: dict | None, subject: str, lang: str, names: dict[str, str]) -> str:
    """An alert's title for the reader (`title`: its rule's, in `lang`); a stalled policy's names the policy
    (`names`: policy_names): one rule watches every policy, and a province's four stalled ones read alike."""
    if stalled_policy(detail):
        return i18n.tr(lang, "Stuck: {policy}", policy=names.get(subject, subject))
    return title


def policy_names(db: Database, country: str, lang: str) -> dict[str, str]:
    """Every programme's, policy's and project's name for the reader, by policy_id."""
    catalogue = db.query(country, "review/policies/catalogue")
    column = "name_local" if i18n.local_names(country, lang) else "name_en"
    return dict(zip(catalogue["policy_id"], catalogue[column], strict=True))


def filter_feed(
    table: pd.DataFrame,
    severity="all",
    state="open",
    group_key="all",
    province_id="all",
    rule_id="all",
    label="all",
    office="all",
) -> pd.DataFrame:
    """The feed narrowed by the page's filters ('all' leaves a filter off; state 'open' = not resolved), most
    severe first; with an `office` level, the alerts that office must respond to come before the others."""
    keep = pd.Series(True, index=table.index)
    if severity != "all":
        keep &= table["severity"] == severity
    if state == "open":
        keep &= table["state"] != "resolved"
    elif state != "all":
        keep &= table["state"] == state
    if group_key != "all":
        keep &= table["group_keys"].map(lambda keys: keys is not None and group_key in list(keys))
    if province_id != "all":
        keep &= table["province_id"] == province_id
    if rule_id != "all":
        keep &= table["rule_id"] == rule_id
    if label != "all":
        keep &= table["labels"].map(lambda labels: labels is not None and label in labels)
    shown = table[keep]
    # From the rows kept, not the whole table: a Series given to a frame with no rows lends it its index, so
    # nothing kept became a row of blanks for every alert of the table.
    shown = shown.assign(not_ours=(shown["respond"] != office) if office != "all" else False)
    order = shown.sort_values(["not_ours", "severity_rank", "first_seen_at"], ascending=[True, True, False])
    return order.drop(columns="not_ours")


def feed_labels(table: pd.DataFrame) -> list[str]:
    """Every label of the alerts in a feed, as "name: value", sorted."""
    return sorted({label for labels in table["labels"] if labels is not None for label in labels})


def related_incidents(incident_rows: pd.DataFrame, alert: lifecycle.Alert) -> pd.DataFrame:
    """The incidents behind an incidents alert: its type, in its area, started since its period."""
    if incident_rows.empty:
        return incident_rows
    in_area = (incident_rows["district_id"] == alert.area_id) | (incident_rows["province_id"] == alert.area_id)
    since = pd.Timestamp(alert.period_start)
    return incident_rows[
        in_area & (incident_rows["type"] == alert.subject) & (pd.to_datetime(incident_rows["started_at"]) >= since)
    ]


def province_summary(feed_table: pd.DataFrame) -> pd.DataFrame:
    """Open alerts per province: how many, and the worst severity (for the map)."""
    open_alerts = feed_table[feed_table["state"] != "resolved"]
    if open_alerts.empty:
        return pd.DataFrame(columns=["open", "worst", "severity_rank"]).rename_axis("province_id")
    grouped = open_alerts.groupby("province_id")
    summary = pd.DataFrame({"open": grouped.size(), "severity_rank": grouped["severity_rank"].min()})
    summary["worst"] = summary["severity_rank"].map({v: k for k, v in SEVERITY_ORDER.items()})
    return summary


def evidence(db: Database, country: str, alert: lifecycle.Alert, scope: Scope, rule: rules.Rule | None):
    """The series an indicator alert was judged on (one row per period), or None for other kinds."""
    indicator_id = rule.indicator_id if rule is not None else None
    if indicator_id is None:
        known = set(db.query(country, "data/indicators")["indicator_id"])
        indicator_id = alert.subject if alert.subject in known else None
    if indicator_id is None:
        return None
    return db.query(
        country, "alerts/views/indicator_evidence", scope=scope, area_id=alert.area_id, indicator_id=indicator_id
    )


def incidents(db: Database, country: str, scope: Scope, since: date, as_of: date) -> pd.DataFrame:
    """Incidents in the provinces in scope active on `as_of` or started since `since`, newest first."""
    return db.query(country, "alerts/views/incidents", scope=scope, since=since, as_of=as_of)


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
