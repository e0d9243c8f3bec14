"""The four walls built from the data: Black (results against target and the goal chain), Red (crises:
alerts, incidents, who acts), Blue (capacity: people, money, facilities, data), White (policies against plan)."""

from __future__ import annotations

import logging
from dataclasses import dataclass
from datetime import date, timedelta

import pandas as pd
import sqlalchemy as sa

from cockpit import clock, i18n
from cockpit.alerts import evaluation, lifecycle, rules
from cockpit.data import indicators
from cockpit.data.access import Scope
from cockpit.data.db import Database
from cockpit.i18n import N_
from cockpit.meeting import walls, warroom
from cockpit.review import policies, policy_notes

# The Blue wall's views: a question and the KPIs (of wall 'blue') that answer it. KPIs of the wall
# missing here are added to the last view, so a new indicator in the extract still shows.
CAPACITY_VIEWS = (
    ("teachers", N_("Do schools have the teachers they need?"), ("pupil_teacher_ratio", "teacher_vacancy_rate")),
    (
        "training",
        N_("Are staff trained, women as well as men, and do they use it?"),
        ("staff_trained", "training_applied", "management_skills_score"),
    ),
    ("budget", N_("Is the budget reaching schools as planned?"), ("budget_disbursement_rate",)),
    (
        "facilities",
        N_("Do schools have electricity, internet and water?"),
        ("schools_with_electricity", "schools_with_internet", "schools_with_water"),
    ),
    (
        "resources",
        N_("Are books and schools where the pupils are?"),
        ("textbook_pupil_ratio", "small_schools_share"),
    ),
    ("data", N_("Can we trust the data on these walls?"), ("reporting_completeness",)),
)


# Expected reporting cadence of policy progress when it cannot be read from the data (quarters).
POLICY_CADENCE_DAYS = 92


def results(db: Database, country: str, area_id: str, scope: Scope, lang: str, now: float) -> walls.Wall:
    """The chain tree; per plan target, its worst KPI on this wall; and the provinces off track on most results."""
    cat = indicators.catalogue(db, country)
    facts = walls.latest(db, country, area_id, scope)
    totals = facts[facts["sex"] == "total"]
    tree = walls.chain_tree(cat, dict(zip(totals["indicator_id"], totals["status"], strict=True)))
    series = walls.kpi_series(db, country, area_id, scope, cat)
    wall_ids = walls.wall_kpis(cat, "black")
    by_province = walls.province_latest(db, country, "black", scope)

    chain_view = walls.View(
        key="chain",
        question=i18n.tr(lang, "Are we reaching the national goals?"),
        status=walls.rollup(node.status for node in tree if node.kind != "kpi"),
        link=walls.link("overview"),
    )
    # One view per plan target (Y) that has KPIs on this wall (or per goal, where KPIs hang from a goal
    # directly): the KPI furthest off track answers for it.
    candidates = []
    for order, node in enumerate(n for root in tree for n in (root, *_walk(root)) if n.kind != "kpi"):
        mine = [leaf for leaf in node.children if leaf.kind == "kpi" and leaf.indicator_id in wall_ids]
        if not mine:
            continue
        chosen = min(mine, key=lambda leaf: (walls.STATUS_RANK[leaf.status], wall_ids.index(leaf.indicator_id)))
        candidates.append((walls.STATUS_RANK[chosen.status], order, node.indicator_id, chosen.indicator_id))
    kept = sorted(sorted(candidates)[: walls.MAX_VIEWS - 2], key=lambda c: c[1])
    kpi_views = []
    for _rank, _order, target_id, indicator_id in kept:
        indicator = cat.loc[indicator_id]
        kpi = walls.kpis_for([indicator_id], facts, series, cat)[0]
        here = by_province[by_province["indicator_id"] == indicator_id]
        kpi_views.append(
            walls.View(
                key=f"kpi:{indicator_id}",
                question=indicators.question(indicator, lang),
                status=kpi.status,
                link=walls.link("overview", indicator=indicator_id),
                kpis=(kpi,),
                rows=walls.worst_provinces(by_province, indicator),
                facts={"target_id": target_id, "provinces": walls.status_counts(here["status"])},
            )
        )
    tally = walls.province_tally(by_province)
    provinces_view = walls.View(
        key="provinces",
        question=i18n.tr(lang, "Which provinces are off track on the most results?"),
        status=walls.worst(tally["status"].head(1)) if len(tally) else "no_data",
        link=walls.link("overview"),
        rows=tally.head(walls.LIST_ROWS * 2),
        facts={"kpis": len(wall_ids)},
    )
    return walls.Wall(
        "black",
        area_id,
        (chain_view, *kpi_views, provinces_view),
        walls.indicator_freshness(cat, wall_ids, now),
        tree,
    )


def _walk(node: walls.ChainNode):
    for child in node.children:
        yield child
        yield from _walk(child)


log = logging.getLogger(__name__)

# Why the alerts cannot be shown, as the wall says it (a message id: the wall translates it).
NO_STORE = N_("The state store cannot be used now.")
NO_RULES = N_("The alert rules cannot be read now: the Alerts page says which and why.")


@dataclass(frozen=True, eq=False)
class AlertState:
    """The alerts of the areas in scope as the store holds them, or why they could not be read."""

    feed: pd.DataFrame
    last_evaluated: object | None  # lifecycle.EvaluationRecord
    error: str | None = None  # NO_STORE or NO_RULES


def alert_state(
    db: Database, engine: sa.Engine, country: str, scope: Scope, lang: str, today: date, rules_dir
) -> AlertState:
    """Evaluate the alert rules (once per extract, rules and day: cheap after the first) and read the feed.

    The wall is on screen in a meeting: a broken rule file or an unreachable state store must
    leave it showing incidents and indicators, with the reason, not a traceback.
    """
    empty = pd.DataFrame(columns=[*lifecycle.ALERT_COLUMNS, "place", "province_id", "rule_title", "severity_rank"])
    try:
        ruleset, version = rules.current(rules_dir)
        evaluation.refresh(db, country, engine, ruleset, today, version)
        feed = evaluation.feed(db, country, engine, scope, ruleset, lang)
        return AlertState(feed, lifecycle.last_evaluation(engine, country))
    except sa.exc.SQLAlchemyError as exc:
        # The details (host, port, file) are for the server's log, not for the wall of a meeting room.
        log.warning("alerts for the wall: state store unusable: %s", exc)
        return AlertState(empty, None, NO_STORE)
    except (OSError, rules.RuleError, ValueError) as exc:
        log.warning("alerts for the wall: rules unusable: %s", exc)
        return AlertState(empty, None, NO_RULES)


def incidents(db: Database, country: str, scope: Scope, today: date) -> pd.DataFrame:
    """Incidents not yet closed, or closed in the last RECENT_DAYS days, worst first."""
    return db.query(country, "meeting/walls/incidents", scope=scope, since=today - timedelta(days=walls.RECENT_DAYS))


def incident_provinces(db: Database, country: str, scope: Scope) -> pd.DataFrame:
    """Provinces with open incidents: counts, schools and students affected, worst severity, as a status."""
    table = db.query(country, "meeting/walls/incident_provinces", scope=scope)
    table["status"] = table["severity"].map(walls.SEVERITY_STATUS).fillna("at_risk")
    return table


def crises(
    db: Database,
    country: str,
    area_id: str,
    scope: Scope,
    lang: str,
    now: float,
    alert_info: AlertState,
) -> walls.Wall:
    """Open alerts by severity and who acts on them; incidents, where, and how many students; crisis KPIs."""
    cat = indicators.catalogue(db, country)
    today = clock.local_date(now)
    feed = alert_info.feed
    open_alerts = feed[feed["state"] != "resolved"] if len(feed) else feed
    counts = {s: int((open_alerts["severity"] == s).sum()) for s in walls.SEVERITY_RANK} if len(feed) else {}
    untaken = open_alerts[open_alerts["state"] == "new"] if len(feed) else open_alerts
    alerts_view = walls.View(
        key="alerts",
        question=i18n.tr(lang, "How many alerts are open, and how serious are they?"),
        status=walls.worst(walls.SEVERITY_STATUS[s] for s, n in counts.items() if n)
        if any(counts.values())
        else "on_track",
        link=walls.link("alerts"),
        facts={
            "counts": {s: counts.get(s, 0) for s in walls.SEVERITY_RANK},
            "open": len(open_alerts),
            "untaken": len(untaken),
            "error": alert_info.error,
            "evaluated": alert_info.last_evaluated,
        },
    )
    if alert_info.error is not None:
        alerts_view = _with_status(alerts_view, "no_data")

    incident_rows = incidents(db, country, scope, today)
    open_incidents = incident_rows[incident_rows["status"] != "closed"]
    where = incident_provinces(db, country, scope)
    by_type = (
        open_incidents.groupby("type")
        .agg(
            incidents=("incident_id", "size"),
            schools=("schools_affected", "sum"),
            students=("students_affected", "sum"),
        )
        .sort_values("students", ascending=False)
        .reset_index()
    )
    map_view = walls.View(
        key="map",
        question=i18n.tr(lang, "Where are schools closed by a crisis?"),
        status=walls.worst(where["status"]) if len(where) else "on_track",
        link=walls.link("alerts"),
        rows=where,
        facts={
            "schools": int(open_incidents["schools_affected"].sum()),
            "students": int(open_incidents["students_affected"].sum()),
            "incidents": len(open_incidents),
            "by_type": by_type,
            "points": open_incidents[["lat", "lon", "students_affected", "severity", "type"]],
            "provinces": list(db.query(country, "data/provinces", scope=scope)["area_id"]),
        },
    )
    incidents_view = walls.View(
        key="incidents",
        question=i18n.tr(lang, "Which crises affect the most students?"),
        status=walls.worst(open_incidents["severity"].map(walls.SEVERITY_STATUS))
        if len(open_incidents)
        else "on_track",
        link=walls.link("alerts"),
        rows=incident_rows.head(walls.LIST_ROWS),
        facts={"total": len(incident_rows)},
    )
    acting_rows = (
        feed.assign(
            _open=(feed["state"] == "resolved").astype(int),
            _new=(feed["state"] != "new").astype(int),
        )
        .sort_values(["_open", "severity_rank", "_new", "first_seen_at"], ascending=[True, True, True, False])
        .drop(columns=["_open", "_new"])
        if len(feed)
        else feed
    )
    # Nobody acting on a critical or high alert is red; any alert nobody has taken yet is amber.
    acting_status = "on_track"
    if len(untaken):
        acting_status = (
            "off_track" if untaken["severity"].map(walls.SEVERITY_STATUS).eq("off_track").any() else "at_risk"
        )
    acting_view = walls.View(
        key="acting",
        question=i18n.tr(lang, "Who is acting on each alert?"),
        status="no_data" if alert_info.error is not None else acting_status,
        link=walls.link("alerts"),
        rows=acting_rows.head(walls.LIST_ROWS),
        facts={
            "states": {s: int((feed["state"] == s).sum()) for s in lifecycle.STATES} if len(feed) else {},
            "error": alert_info.error,
        },
    )
    facts = walls.latest(db, country, area_id, scope)
    series = walls.kpi_series(db, country, area_id, scope, cat)
    wall_ids = walls.wall_kpis(cat, "red")
    counted = [i for i in wall_ids if cat.loc[i, "unit"] == "count"]
    others = [i for i in wall_ids if i not in counted]
    kpi_views = []
    for ids in (counted, others):
        if not ids:
            continue
        kpis = walls.kpis_for(ids, facts, series, cat)
        kpi_views.append(
            walls.View(
                key=f"kpi:{ids[0]}",
                question=indicators.question(cat.loc[ids[0]], lang),
                status=walls.worst(k.status for k in kpis),
                link=walls.link("overview", indicator=ids[0]),
                kpis=kpis,
            )
        )
    views = (alerts_view, map_view, incidents_view, acting_view, *kpi_views)[: walls.MAX_VIEWS]
    return walls.Wall("red", area_id, views, walls.indicator_freshness(cat, wall_ids, now))


def _with_status(view: walls.View, status: str) -> walls.View:
    return walls.View(view.key, view.question, status, view.link, view.kpis, view.rows, view.facts)


def capacity(db: Database, country: str, area_id: str, scope: Scope, lang: str, now: float) -> walls.Wall:
    """Teachers, training by sex, budget planned vs disbursed, facilities, books, and the health of the data."""
    cat = indicators.catalogue(db, country)
    facts = walls.latest(db, country, area_id, scope)
    series = walls.kpi_series(db, country, area_id, scope, cat)
    wall_ids = walls.wall_kpis(cat, "blue")
    by_province = walls.province_latest(db, country, "blue", scope)
    groups = [(key, question, [i for i in ids if i in wall_ids]) for key, question, ids in CAPACITY_VIEWS]
    placed = {i for _, _, ids in groups for i in ids}
    leftover = [i for i in wall_ids if i not in placed]
    if leftover:
        key, question, ids = groups[-1]
        groups[-1] = (key, question, ids + leftover)
    fresh = walls.indicator_freshness(cat, wall_ids, now)
    views = []
    for key, question, ids in groups:
        if not ids:
            continue
        kpis = walls.kpis_for(ids, facts, series, cat)
        extra: dict = {}
        rows = None
        if key == "data":
            late = sorted((f for f in fresh.values() if f.stale), key=lambda f: f.as_of)
            extra["late"] = [i for i, f in fresh.items() if f.stale]
            extra["oldest"] = late[0] if late else None
            completeness = by_province[by_province["indicator_id"].isin(ids)]
            rows = completeness.sort_values("value").head(3)
        elif len(ids) == 1:
            rows = walls.worst_provinces(by_province, cat.loc[ids[0]])
        status = walls.worst(k.status for k in kpis)
        if key == "data" and extra.get("late"):
            status = walls.worst([status, "at_risk"])
        views.append(
            walls.View(
                key=key,
                question=i18n.tr(lang, question),
                status=status,
                link=walls.link("overview", indicator=ids[0]),
                kpis=kpis,
                rows=rows,
                facts=extra,
            )
        )
    return walls.Wall("blue", area_id, tuple(views[: walls.MAX_VIEWS]), fresh)


def policies_wall(
    db: Database,
    engine: sa.Engine | None,
    country: str,
    area_id: str,
    scope: Scope,
    lang: str,
    now: float,
) -> walls.Wall:
    """Policies against plan, where the one needing attention is behind, what is stuck and why, money, milestones.

    Status by cockpit.policies' configured rules (config/policy_status.yaml), the same as the
    Policies page; the status the extract reports is not used to judge.
    """
    cat = indicators.catalogue(db, country)
    try:
        config = policies.load_config()
    except policies.ConfigError as exc:
        # The wall stays up in the meeting: the view says why it has no status instead of a traceback.
        broken = walls.View(
            key="policies",
            question=i18n.tr(lang, "Are the policies on track against plan?"),
            status="no_data",
            link=walls.link("policies"),
            rows=pd.DataFrame(),
            facts={"error": exc.for_reader()},
        )
        return walls.Wall(
            "white", area_id, (broken,), walls.indicator_freshness(cat, walls.wall_kpis(cat, "white"), now)
        )
    rows = policies.progress(db, country, scope, config)
    chain = policies.catalogue(db, country)
    wall_ids = walls.wall_kpis(cat, "white")
    fresh = walls.indicator_freshness(cat, wall_ids, now)
    views: list[walls.View] = []
    if rows.empty:
        return walls.Wall("white", area_id, (), fresh)
    as_of = policies.progress_periods(rows)[0]
    months = policies.period_months(rows["period_start"])
    fresh["policy_progress"] = warroom.freshness(as_of, "quarter", now, expected_days=max(28, round(months * 30.5)))
    area_rows = rows[rows["area_id"] == area_id]
    # The Policies page's portfolio for the country covers the provinces in scope; a region's group row
    # covers its provinces. An area with no rows of its own (a province) falls back to the country's.
    portfolio_area = area_id if len(area_rows) else rows.loc[rows["level"] == "country", "area_id"].iloc[0]
    table = policies.portfolio(rows, chain, portfolio_area, as_of)
    table["name"] = [policies.name(node, country, lang) for _, node in table.iterrows()]
    top = table[table["level"] == "policy"]
    if top.empty:
        top = table[table["depth"] == table["depth"].min()] if "depth" in table else table
    views.append(
        walls.View(
            key="policies",
            question=i18n.tr(lang, "Are the policies on track against plan?"),
            status=walls.worst(top["color"]),
            link=walls.link("policies"),
            rows=top,
            facts={
                "as_of": as_of,
                "projects": table[(table["level"] == "project") & table["gap"].notna()].sort_values("gap").head(5),
            },
        )
    )
    stuck_rows = policies.stuck(db, country, scope, as_of, config)
    summary = policies.stuck_summary(stuck_rows, chain)
    attention = policies.attention_first(table, summary)
    if attention is not None:
        names = policies.province_names(db, country, scope, lang)
        where = policies.provinces(rows, attention, as_of, names)
        views.append(
            walls.View(
                key="map",
                question=i18n.tr(lang, "Where is “{policy}” behind plan?", policy=table.loc[attention, "name"]),
                status=walls.worst(where["color"]),
                link=walls.link("policies", policy=attention),
                rows=where.reset_index(),
                # The provinces in scope frame the map: an office's or a chosen region's, not the country's.
                facts={"policy_id": attention, "provinces": list(names.index)},
            )
        )
    notes = policy_notes.notes(engine, scope, country) if engine is not None else pd.DataFrame()
    explained = policies.why(stuck_rows, notes) if len(notes) else stuck_rows.assign(why=stuck_rows["note"])
    if len(explained):
        explained = explained.sort_values(["gap", "periods_stuck"], ascending=[True, False])
        explained["name"] = [table.loc[p, "name"] if p in table.index else p for p in explained["policy_id"]]
        place = policies.province_names(db, country, scope, lang)["name"]
        explained["province"] = explained["area_id"].map(place).fillna(explained["area_id"])
    views.append(
        walls.View(
            key="stuck",
            question=i18n.tr(lang, "What is stuck, and why?"),
            status="off_track" if len(explained) else "on_track",
            link=walls.link("policies"),
            rows=explained.head(walls.LIST_ROWS),
            facts={"total": len(explained), "policies": len(summary)},
        )
    )
    budget = top[["policy_id", "name", "budget_planned", "budget_disbursed", "disbursed_share"]].copy()
    # Money spent is judged like work done: the share of the budget planned to date that was disbursed,
    # against the same configured gaps (a share 5 points short of 100% is on track, 15 short at risk).
    budget["color"] = policies.colour(
        budget["disbursed_share"] * 100, pd.Series(100.0, index=budget.index), config.status
    ).values
    views.append(
        walls.View(
            key="budget",
            question=i18n.tr(lang, "Is the policy budget being spent as planned?"),
            status=walls.worst(budget["color"]),
            link=walls.link("policies"),
            rows=budget,
            facts={
                "planned": float(budget["budget_planned"].sum()),
                "disbursed": float(budget["budget_disbursed"].sum()),
            },
        )
    )
    due = policies.milestones(rows, chain, portfolio_area, as_of, config)
    due = due[due["state"].isin(("overdue", "due"))].copy()
    if len(due):
        due["name"] = [table.loc[p, "name"] if p in table.index else p for p in due["policy_id"]]
        due["level"] = [table.loc[p, "level"] if p in table.index else "" for p in due["policy_id"]]
        due = due.sort_values(["state", "due_date"], ascending=[False, True])
    views.append(
        walls.View(
            key="milestones",
            question=i18n.tr(lang, "Which milestones are overdue or due now?"),
            status="off_track" if (due["state"] == "overdue").any() else ("at_risk" if len(due) else "on_track"),
            link=walls.link("policies"),
            rows=due.head(walls.LIST_ROWS),
            facts={"overdue": int((due["state"] == "overdue").sum()), "due": int((due["state"] == "due").sum())},
        )
    )
    if wall_ids:
        facts = walls.latest(db, country, area_id, scope)
        series = walls.kpi_series(db, country, area_id, scope, cat)
        kpis = walls.kpis_for(wall_ids, facts, series, cat)
        views.append(
            walls.View(
                key="kpis",
                question=i18n.tr(lang, "Are the policies moving their indicators?"),
                status=walls.worst(k.status for k in kpis),
                link=walls.link("overview", indicator=wall_ids[0]),
                kpis=kpis,
            )
        )
    return walls.Wall("white", area_id, tuple(views[: walls.MAX_VIEWS]), fresh)


def build(
    wall: str,
    db: Database,
    engine: sa.Engine | None,
    country: str,
    area_id: str,
    scope: Scope,
    lang: str,
    now: float,
    rules_dir=None,
) -> walls.Wall:
    """One wall by name, for the war room's rotation."""
    if wall == "black":
        return results(db, country, area_id, scope, lang, now)
    if wall == "red":
        today = clock.local_date(now)
        if engine is None:
            state = AlertState(pd.DataFrame(columns=[*lifecycle.ALERT_COLUMNS, "severity_rank"]), None, NO_STORE)
        else:
            state = alert_state(db, engine, country, scope, lang, today, rules_dir)
        return crises(db, country, area_id, scope, lang, now, state)
    if wall == "blue":
        return capacity(db, country, area_id, scope, lang, now)
    if wall == "white":
        return policies_wall(db, engine, country, area_id, scope, lang, now)
    raise ValueError(f"unknown wall {wall!r}; one of {', '.join(walls.WALLS)}")
