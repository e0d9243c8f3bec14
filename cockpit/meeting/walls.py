"""The four walls' content: at most six views each, every view a question with a status, its figures and a link.

Black (results and the causal chain X -> Y -> Z), Red (crises and alerts), Blue (capacity and
resources) and White (policies and projects). Each builder returns a `Wall` of `View`s whose status
comes from the data's own rules: an indicator's status from its thresholds (area_facts.status),
an alert's from its severity, a policy's from cockpit.policies' configured rules. Pages only lay
the views out; the war room shows the same walls in turn.
"""

from __future__ import annotations

import math
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from datetime import date, timedelta
from urllib.parse import urlencode

import pandas as pd
import sqlalchemy as sa

from cockpit import clock, i18n, periods
from cockpit.alerts import evaluation, lifecycle, rules
from cockpit.data import indicators
from cockpit.data.access import Scope
from cockpit.data.db import Database
from cockpit.i18n import N_
from cockpit.meeting import decisions, warroom
from cockpit.review import policies

WALLS = warroom.WALLS
WALL_TITLES = {
    "black": N_("Black wall: results"),
    "red": N_("Red wall: crises"),
    "blue": N_("Blue wall: capacity"),
    "white": N_("White wall: policies"),
}
WALL_QUESTIONS = {
    "black": N_("Where are we against our targets?"),
    "red": N_("What is in crisis right now, and who is acting?"),
    "blue": N_("Do we have the people, money, schools and data to deliver?"),
    "white": N_("Are policies and projects moving as planned?"),
}
WALL_PAGES = {
    "black": "views/wall_results.py",
    "red": "views/wall_crises.py",
    "blue": "views/wall_capacity.py",
    "white": "views/wall_policies.py",
}
MAX_VIEWS = 6
STATUS_RANK = {"red": 0, "amber": 1, "green": 2, "grey": 3}
# An incident's or alert's severity as a status colour: critical and high need action now.
SEVERITY_STATUS = {"critical": "red", "high": "red", "medium": "amber", "low": "amber"}
SEVERITY_RANK = evaluation.SEVERITY_ORDER
# Incidents that ended this many days ago still show on the Red wall, so the room sees what just closed.
RECENT_DAYS = 30
# How many rows a list view shows on the wall (the detail page has the rest).
LIST_ROWS = 6
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


def rollup(statuses: Iterable[str]) -> str:
    """A parent's status from its children's (LESMIS): green or red only if all children with data agree.

    Children without data (grey) do not vote; a parent none of whose children has data is grey;
    any disagreement, or children all amber, makes it amber.
    """
    voting = {s for s in statuses if s in ("green", "amber", "red")}
    if not voting:
        return "grey"
    if voting == {"green"}:
        return "green"
    if voting == {"red"}:
        return "red"
    return "amber"


def worst(statuses: Iterable[str]) -> str:
    """The worst status among some (red before amber before green); grey when none has data."""
    voting = [s for s in statuses if s in ("green", "amber", "red")]
    return min(voting, key=STATUS_RANK.__getitem__) if voting else "grey"


# ------------------------------------------------------------------------------------------------
# The causal chain X -> Y -> Z


@dataclass(frozen=True)
class ChainNode:
    """A goal (X), plan target (Y) or KPI (Z) with its status; a parent's status is rolled up from its children."""

    indicator_id: str
    kind: str
    status: str
    children: tuple[ChainNode, ...] = ()

    def leaves(self) -> list[ChainNode]:
        if not self.children:
            return [self]
        return [leaf for child in self.children for leaf in child.leaves()]

    def counts(self) -> dict[str, int]:
        """How many KPIs below this node are in each status."""
        out = dict.fromkeys(STATUS_RANK, 0)
        for leaf in self.leaves():
            if leaf.kind == "kpi":
                out[leaf.status] = out.get(leaf.status, 0) + 1
        return out


def chain_tree(catalogue: pd.DataFrame, statuses: Mapping[str, str]) -> tuple[ChainNode, ...]:
    """The causal chain as trees, roots first in catalogue order; KPI statuses from `statuses` (default grey).

    `catalogue` has indicator_id, kind and chain_parent. A node whose parent is not in the
    catalogue is a root; a cycle in chain_parent is broken where it closes (the node becomes a leaf
    there) rather than recursing forever.
    """
    ids = list(catalogue["indicator_id"])
    known = set(ids)
    kinds = dict(zip(catalogue["indicator_id"], catalogue["kind"], strict=True))
    parents = {
        i: p
        for i, p in zip(catalogue["indicator_id"], catalogue["chain_parent"], strict=True)
        if isinstance(p, str) and p in known and p != i
    }
    children: dict[str, list[str]] = {}
    for node in ids:
        if node in parents:
            children.setdefault(parents[node], []).append(node)

    def build(node: str, path: frozenset[str]) -> ChainNode:
        below = tuple(build(c, path | {c}) for c in children.get(node, []) if c not in path)
        if below:
            status = rollup(child.status for child in below)
        else:
            status = statuses.get(node, "grey") if kinds[node] == "kpi" else "grey"
            status = status if status in STATUS_RANK else "grey"
        return ChainNode(node, kinds[node], status, below)

    roots = [i for i in ids if i not in parents]
    # Nodes on a cycle have parents but no root above them: start a tree at the first of each cycle met.
    reached = {leaf for r in roots for leaf in _descendants(r, children)}
    for node in ids:
        if node not in reached:
            roots.append(node)
            reached |= _descendants(node, children)
    return tuple(build(r, frozenset({r})) for r in roots)


def _descendants(node: str, children: dict[str, list[str]]) -> set[str]:
    seen, stack = {node}, [node]
    while stack:
        for child in children.get(stack.pop(), []):
            if child not in seen:
                seen.add(child)
                stack.append(child)
    return seen


# ------------------------------------------------------------------------------------------------
# Views


@dataclass(frozen=True)
class Kpi:
    """One indicator's newest figure for an area, against its target and the period before."""

    indicator_id: str
    status: str
    value: float | None
    target: float | None
    previous: float | None
    period_start: date | None
    period_type: str | None
    series: tuple[float, ...] = ()
    female: float | None = None
    male: float | None = None
    numerator: float | None = None
    denominator: float | None = None

    @property
    def change(self) -> float | None:
        if self.value is None or self.previous is None:
            return None
        return self.value - self.previous


@dataclass(frozen=True, eq=False)
class View:
    """One view of a wall: the question it answers (in the reader's language), its status and what shows it."""

    key: str
    question: str
    status: str
    link: str  # the detail page: a path relative to the app with its own query (country and language are added)
    kpis: tuple[Kpi, ...] = ()
    rows: pd.DataFrame | None = None  # the view's list, in the order shown
    facts: dict = field(default_factory=dict)  # anything else the view shows (counts, totals, a name)


@dataclass(frozen=True, eq=False)
class Wall:
    name: str
    area_id: str
    views: tuple[View, ...]
    freshness: dict[str, warroom.Freshness]  # by indicator_id (or 'policy_progress')
    tree: tuple[ChainNode, ...] = ()

    @property
    def status(self) -> str:
        return worst(v.status for v in self.views)

    def view(self, key: str) -> View:
        return next(v for v in self.views if v.key == key)


def link(path: str, **params) -> str:
    """A link to a detail page: 'overview?indicator=dropout_rate' (relative, so a base URL path still works)."""
    query = urlencode({k: v for k, v in params.items() if v is not None})
    return f"{path}?{query}" if query else path


# ------------------------------------------------------------------------------------------------
# Figures shared by the walls


def latest(db: Database, country: str, area_id: str, scope: Scope) -> pd.DataFrame:
    """Each indicator's newest figures (every sex) for one area: queries/warroom/area_latest.sql."""
    return db.query(country, "warroom/area_latest", scope=scope, area_id=area_id)


def province_latest(db: Database, country: str, wall: str, scope: Scope) -> pd.DataFrame:
    """Each province's newest figures for the KPIs of one wall."""
    return db.query(country, "warroom/province_latest", scope=scope, wall=wall)


def kpis_for(ids: Iterable[str], facts: pd.DataFrame, series: pd.DataFrame, catalogue: pd.DataFrame) -> tuple[Kpi, ...]:
    """Kpi figures for some indicators from an area's `latest` rows and its `area_series` rows; unknown ids skipped."""
    out = []
    by_sex = {(r.indicator_id, r.sex): r for r in facts.itertuples()}
    for indicator_id in ids:
        if indicator_id not in catalogue.index:
            continue
        total = by_sex.get((indicator_id, "total"))
        history = series[series["indicator_id"] == indicator_id].sort_values("period_start")
        female, male = by_sex.get((indicator_id, "female")), by_sex.get((indicator_id, "male"))
        out.append(
            Kpi(
                indicator_id=indicator_id,
                status=(total.status if total is not None and isinstance(total.status, str) else "grey"),
                value=_number(total.value) if total is not None else None,
                target=_number(total.target) if total is not None else None,
                previous=_number(total.previous_value) if total is not None else None,
                period_start=periods.as_date(total.period_start) if total is not None else None,
                period_type=total.period_type if total is not None else None,
                series=tuple(float(v) for v in history["value"].dropna()),
                female=_number(female.value) if female is not None else None,
                male=_number(male.value) if male is not None else None,
                numerator=_number(total.numerator) if total is not None else None,
                denominator=_number(total.denominator) if total is not None else None,
            )
        )
    return tuple(out)


def worst_provinces(table: pd.DataFrame, indicator: pd.Series, count: int = 3) -> pd.DataFrame:
    """The provinces furthest off target for one indicator: worst status first, then by value in its direction."""
    rows = table[(table["indicator_id"] == indicator["indicator_id"]) & table["value"].notna()].copy()
    if rows.empty:
        return rows
    sign = -1.0 if indicator["direction"] == "higher_is_better" else 1.0
    rows["_rank"] = rows["status"].map(STATUS_RANK).fillna(3)
    rows["_badness"] = -sign * rows["value"]
    return rows.sort_values(["_rank", "_badness", "area_id"]).head(count).drop(columns=["_rank", "_badness"])


def status_counts(statuses: Iterable[str]) -> dict[str, int]:
    out = dict.fromkeys(STATUS_RANK, 0)
    for s in statuses:
        out[s if s in out else "grey"] += 1
    return out


def province_tally(table: pd.DataFrame) -> pd.DataFrame:
    """One row per province: how many of the wall's KPIs are red, amber and green; the most red first.

    A province's status is its worst KPI's: red when any is off track (the view asks where to look).
    """
    columns = ["area_id", "name_en", "name_local", "red", "amber", "green", "reported", "status"]
    if table.empty:
        return pd.DataFrame(columns=columns)
    tally = (
        table.assign(**{s: (table["status"] == s).astype(int) for s in ("red", "amber", "green")})
        .groupby(["area_id", "name_en", "name_local"], as_index=False)[["red", "amber", "green"]]
        .sum()
    )
    tally["reported"] = tally[["red", "amber", "green"]].sum(axis=1)
    tally["status"] = [
        "red" if r else ("amber" if a else ("green" if g else "grey"))
        for r, a, g in zip(tally["red"], tally["amber"], tally["green"], strict=True)
    ]
    return tally.sort_values(["red", "amber", "area_id"], ascending=[False, False, True])[columns]


def indicator_freshness(catalogue: pd.DataFrame, ids: Iterable[str], now: float) -> dict[str, warroom.Freshness]:
    """How current each indicator's newest national data is (see warroom.freshness)."""
    out = {}
    for indicator_id in ids:
        if indicator_id not in catalogue.index:
            continue
        row = catalogue.loc[indicator_id]
        if pd.isna(row["latest_period"]):
            continue
        out[indicator_id] = warroom.freshness(row["latest_period"], row["frequency"], now)
    return out


def _wall_kpis(catalogue: pd.DataFrame, wall: str) -> list[str]:
    chosen = catalogue[(catalogue["kind"] == "kpi") & (catalogue["wall"] == wall) & (catalogue["periods"] > 0)]
    return list(chosen.index)


def _series(db: Database, country: str, area_id: str, scope: Scope, catalogue: pd.DataFrame) -> pd.DataFrame:
    newest = catalogue["latest_period"].dropna()
    if newest.empty:
        return pd.DataFrame(columns=["indicator_id", "period_start", "value"])
    return db.query(country, "area_series", scope=scope, area_id=area_id, since=indicators.history_start(newest.max()))


def _number(value) -> float | None:
    if value is None:
        return None
    try:
        return None if pd.isna(value) else float(value)
    except (TypeError, ValueError):
        return None


# ------------------------------------------------------------------------------------------------
# Black wall: results


def results(db: Database, country: str, area_id: str, scope: Scope, lang: str, now: float) -> Wall:
    """The chain tree; per plan target, its worst KPI on this wall; and the provinces off track on most results."""
    cat = indicators.catalogue(db, country)
    facts = latest(db, country, area_id, scope)
    totals = facts[facts["sex"] == "total"]
    tree = chain_tree(cat, dict(zip(totals["indicator_id"], totals["status"], strict=True)))
    series = _series(db, country, area_id, scope, cat)
    wall_ids = _wall_kpis(cat, "black")
    by_province = province_latest(db, country, "black", scope)

    chain_view = View(
        key="chain",
        question=i18n.tr(lang, "Are we reaching the national goals?"),
        status=rollup(node.status for node in tree if node.kind != "kpi"),
        link=link("overview"),
    )
    # One view per plan target (Y) that has KPIs on this wall (or per goal, where KPIs hang from a goal
    # directly): the KPI furthest off track answers for it.
    candidates = []
    for order, node in enumerate(n for root in tree for n in (root, *_walk(root)) if n.kind != "kpi"):
        mine = [leaf for leaf in node.children if leaf.kind == "kpi" and leaf.indicator_id in wall_ids]
        if not mine:
            continue
        chosen = min(mine, key=lambda leaf: (STATUS_RANK[leaf.status], wall_ids.index(leaf.indicator_id)))
        candidates.append((STATUS_RANK[chosen.status], order, node.indicator_id, chosen.indicator_id))
    kept = sorted(sorted(candidates)[: MAX_VIEWS - 2], key=lambda c: c[1])
    kpi_views = []
    for _rank, _order, target_id, indicator_id in kept:
        indicator = cat.loc[indicator_id]
        kpi = kpis_for([indicator_id], facts, series, cat)[0]
        here = by_province[by_province["indicator_id"] == indicator_id]
        kpi_views.append(
            View(
                key=f"kpi:{indicator_id}",
                question=indicators.question(indicator, lang),
                status=kpi.status,
                link=link("overview", indicator=indicator_id),
                kpis=(kpi,),
                rows=worst_provinces(by_province, indicator),
                facts={"target_id": target_id, "provinces": status_counts(here["status"])},
            )
        )
    tally = province_tally(by_province)
    provinces_view = View(
        key="provinces",
        question=i18n.tr(lang, "Which provinces are off track on the most results?"),
        status=worst(tally["status"].head(1)) if len(tally) else "grey",
        link=link("overview"),
        rows=tally.head(LIST_ROWS * 2),
        facts={"kpis": len(wall_ids)},
    )
    return Wall(
        "black",
        area_id,
        (chain_view, *kpi_views, provinces_view),
        indicator_freshness(cat, wall_ids, now),
        tree,
    )


def _walk(node: ChainNode):
    for child in node.children:
        yield child
        yield from _walk(child)


# ------------------------------------------------------------------------------------------------
# Red wall: crises and alerts


@dataclass(frozen=True, eq=False)
class AlertState:
    """The alerts of the areas in scope as the store holds them, or why they could not be read."""

    feed: pd.DataFrame
    last_evaluated: object | None  # alert_store.EvaluationRecord
    error: str | None = None


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
    except (sa.exc.SQLAlchemyError, OSError, rules.RuleError, ValueError) as exc:
        return AlertState(empty, None, f"{type(exc).__name__}: {exc}")


def incidents(db: Database, country: str, scope: Scope, today: date) -> pd.DataFrame:
    """Incidents not yet closed, or closed in the last RECENT_DAYS days, worst first."""
    return db.query(country, "warroom/incidents", scope=scope, since=today - timedelta(days=RECENT_DAYS))


def incident_provinces(db: Database, country: str, scope: Scope) -> pd.DataFrame:
    """Provinces with open incidents: counts, schools and students affected, worst severity, as a status."""
    table = db.query(country, "warroom/incident_provinces", scope=scope)
    table["status"] = table["severity"].map(SEVERITY_STATUS).fillna("amber")
    return table


def crises(
    db: Database,
    country: str,
    area_id: str,
    scope: Scope,
    lang: str,
    now: float,
    alert_info: AlertState,
) -> Wall:
    """Open alerts by severity and who acts on them; incidents, where, and how many students; crisis KPIs."""
    cat = indicators.catalogue(db, country)
    today = clock.local_date(now)
    feed = alert_info.feed
    open_alerts = feed[feed["state"] != "resolved"] if len(feed) else feed
    counts = {s: int((open_alerts["severity"] == s).sum()) for s in SEVERITY_RANK} if len(feed) else {}
    untaken = open_alerts[open_alerts["state"] == "new"] if len(feed) else open_alerts
    alerts_view = View(
        key="alerts",
        question=i18n.tr(lang, "How many alerts are open, and how serious are they?"),
        status=worst(SEVERITY_STATUS[s] for s, n in counts.items() if n) if any(counts.values()) else "green",
        link=link("alerts"),
        facts={
            "counts": {s: counts.get(s, 0) for s in SEVERITY_RANK},
            "open": len(open_alerts),
            "untaken": len(untaken),
            "error": alert_info.error,
            "evaluated": alert_info.last_evaluated,
        },
    )
    if alert_info.error is not None:
        alerts_view = _with_status(alerts_view, "grey")

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
    map_view = View(
        key="map",
        question=i18n.tr(lang, "Where are schools closed by a crisis?"),
        status=worst(where["status"]) if len(where) else "green",
        link=link("alerts"),
        rows=where,
        facts={
            "schools": int(open_incidents["schools_affected"].sum()),
            "students": int(open_incidents["students_affected"].sum()),
            "incidents": len(open_incidents),
            "by_type": by_type,
            "points": open_incidents[["lat", "lon", "students_affected", "severity", "type"]],
            "provinces": list(db.query(country, "provinces", scope=scope)["area_id"]),
        },
    )
    incidents_view = View(
        key="incidents",
        question=i18n.tr(lang, "Which crises affect the most students?"),
        status=worst(open_incidents["severity"].map(SEVERITY_STATUS)) if len(open_incidents) else "green",
        link=link("alerts"),
        rows=incident_rows.head(LIST_ROWS),
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
    acting_status = "green"
    if len(untaken):
        acting_status = "red" if untaken["severity"].map(SEVERITY_STATUS).eq("red").any() else "amber"
    acting_view = View(
        key="acting",
        question=i18n.tr(lang, "Who is acting on each alert?"),
        status="grey" if alert_info.error is not None else acting_status,
        link=link("alerts"),
        rows=acting_rows.head(LIST_ROWS),
        facts={
            "states": {s: int((feed["state"] == s).sum()) for s in lifecycle.STATES} if len(feed) else {},
            "error": alert_info.error,
        },
    )
    facts = latest(db, country, area_id, scope)
    series = _series(db, country, area_id, scope, cat)
    wall_ids = _wall_kpis(cat, "red")
    counted = [i for i in wall_ids if cat.loc[i, "unit"] == "count"]
    others = [i for i in wall_ids if i not in counted]
    kpi_views = []
    for ids in (counted, others):
        if not ids:
            continue
        kpis = kpis_for(ids, facts, series, cat)
        kpi_views.append(
            View(
                key=f"kpi:{ids[0]}",
                question=indicators.question(cat.loc[ids[0]], lang),
                status=worst(k.status for k in kpis),
                link=link("overview", indicator=ids[0]),
                kpis=kpis,
            )
        )
    views = (alerts_view, map_view, incidents_view, acting_view, *kpi_views)[:MAX_VIEWS]
    return Wall("red", area_id, views, indicator_freshness(cat, wall_ids, now))


def _with_status(view: View, status: str) -> View:
    return View(view.key, view.question, status, view.link, view.kpis, view.rows, view.facts)


# ------------------------------------------------------------------------------------------------
# Blue wall: capacity and resources


def capacity(db: Database, country: str, area_id: str, scope: Scope, lang: str, now: float) -> Wall:
    """Teachers, training by sex, budget planned vs disbursed, facilities, books, and the health of the data."""
    cat = indicators.catalogue(db, country)
    facts = latest(db, country, area_id, scope)
    series = _series(db, country, area_id, scope, cat)
    wall_ids = _wall_kpis(cat, "blue")
    by_province = province_latest(db, country, "blue", scope)
    groups = [(key, question, [i for i in ids if i in wall_ids]) for key, question, ids in CAPACITY_VIEWS]
    placed = {i for _, _, ids in groups for i in ids}
    leftover = [i for i in wall_ids if i not in placed]
    if leftover:
        key, question, ids = groups[-1]
        groups[-1] = (key, question, ids + leftover)
    fresh = indicator_freshness(cat, wall_ids, now)
    views = []
    for key, question, ids in groups:
        if not ids:
            continue
        kpis = kpis_for(ids, facts, series, cat)
        extra: dict = {}
        rows = None
        if key == "data":
            late = sorted((f for f in fresh.values() if f.stale), key=lambda f: f.as_of)
            extra["late"] = [i for i, f in fresh.items() if f.stale]
            extra["oldest"] = late[0] if late else None
            completeness = by_province[by_province["indicator_id"].isin(ids)]
            rows = completeness.sort_values("value").head(3)
        elif len(ids) == 1:
            rows = worst_provinces(by_province, cat.loc[ids[0]])
        status = worst(k.status for k in kpis)
        if key == "data" and extra.get("late"):
            status = worst([status, "amber"])
        views.append(
            View(
                key=key,
                question=i18n.tr(lang, question),
                status=status,
                link=link("overview", indicator=ids[0]),
                kpis=kpis,
                rows=rows,
                facts=extra,
            )
        )
    return Wall("blue", area_id, tuple(views[:MAX_VIEWS]), fresh)


# ------------------------------------------------------------------------------------------------
# White wall: policies and projects


def policies_wall(
    db: Database,
    engine: sa.Engine | None,
    country: str,
    area_id: str,
    scope: Scope,
    lang: str,
    now: float,
) -> Wall:
    """Policies against plan, where the one needing attention is behind, what is stuck and why, money, milestones.

    Status by cockpit.policies' configured rules (config/policy_status.yaml), the same as the
    Policies page; the status the extract reports is not used to judge.
    """
    cat = indicators.catalogue(db, country)
    try:
        config = policies.load_config()
    except policies.ConfigError as exc:
        # The wall stays up in the meeting: the view says why it has no status instead of a traceback.
        broken = View(
            key="policies",
            question=i18n.tr(lang, "Are the policies on track against plan?"),
            status="grey",
            link=link("policies"),
            rows=pd.DataFrame(),
            facts={"error": str(exc)},
        )
        return Wall("white", area_id, (broken,), indicator_freshness(cat, _wall_kpis(cat, "white"), now))
    rows = policies.progress(db, country, scope, config)
    chain = policies.catalogue(db, country)
    wall_ids = _wall_kpis(cat, "white")
    fresh = indicator_freshness(cat, wall_ids, now)
    views: list[View] = []
    if rows.empty:
        return Wall("white", area_id, (), fresh)
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
        View(
            key="policies",
            question=i18n.tr(lang, "Are the policies on track against plan?"),
            status=worst(top["color"]),
            link=link("policies"),
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
            View(
                key="map",
                question=i18n.tr(lang, "Where is “{policy}” behind plan?", policy=table.loc[attention, "name"]),
                status=worst(where["color"]),
                link=link("policies", policy=attention),
                rows=where.reset_index(),
                facts={"policy_id": attention},
            )
        )
    notes = policies.notes(engine, scope, country) if engine is not None else pd.DataFrame()
    explained = policies.why(stuck_rows, notes) if len(notes) else stuck_rows.assign(why=stuck_rows["note"])
    if len(explained):
        explained = explained.sort_values(["gap", "periods_stuck"], ascending=[True, False])
        explained["name"] = [table.loc[p, "name"] if p in table.index else p for p in explained["policy_id"]]
        place = policies.province_names(db, country, scope, lang)["name"]
        explained["province"] = explained["area_id"].map(place).fillna(explained["area_id"])
    views.append(
        View(
            key="stuck",
            question=i18n.tr(lang, "What is stuck, and why?"),
            status="red" if len(explained) else "green",
            link=link("policies"),
            rows=explained.head(LIST_ROWS),
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
        View(
            key="budget",
            question=i18n.tr(lang, "Is the policy budget being spent as planned?"),
            status=worst(budget["color"]),
            link=link("policies"),
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
        View(
            key="milestones",
            question=i18n.tr(lang, "Which milestones are overdue or due now?"),
            status="red" if (due["state"] == "overdue").any() else ("amber" if len(due) else "green"),
            link=link("policies"),
            rows=due.head(LIST_ROWS),
            facts={"overdue": int((due["state"] == "overdue").sum()), "due": int((due["state"] == "due").sum())},
        )
    )
    if wall_ids:
        facts = latest(db, country, area_id, scope)
        series = _series(db, country, area_id, scope, cat)
        kpis = kpis_for(wall_ids, facts, series, cat)
        views.append(
            View(
                key="kpis",
                question=i18n.tr(lang, "Are the policies moving their indicators?"),
                status=worst(k.status for k in kpis),
                link=link("overview", indicator=wall_ids[0]),
                kpis=kpis,
            )
        )
    return Wall("white", area_id, tuple(views[:MAX_VIEWS]), fresh)


# ------------------------------------------------------------------------------------------------
# All four, by name


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
) -> Wall:
    """One wall by name, for the war room's rotation."""
    if wall == "black":
        return results(db, country, area_id, scope, lang, now)
    if wall == "red":
        today = clock.local_date(now)
        if engine is None:
            state = AlertState(pd.DataFrame(columns=[*lifecycle.ALERT_COLUMNS, "severity_rank"]), None, "no store")
        else:
            state = alert_state(db, engine, country, scope, lang, today, rules_dir)
        return crises(db, country, area_id, scope, lang, now, state)
    if wall == "blue":
        return capacity(db, country, area_id, scope, lang, now)
    if wall == "white":
        return policies_wall(db, engine, country, area_id, scope, lang, now)
    raise ValueError(f"unknown wall {wall!r}; one of {', '.join(WALLS)}")


def stamp(wall: Wall) -> tuple[warroom.Freshness | None, list[str]]:
    """A wall's 'data as of': its newest data, and the sources (indicator ids) overdue for their next delivery."""
    fresh = wall.freshness
    return warroom.newest(fresh.values()), [k for k, f in fresh.items() if f.stale]


def money(value, country: str, lang: str) -> str:
    """A budget for the wall, as the Policies page writes it ('13.5 million baht')."""
    if value is None or (isinstance(value, float) and math.isnan(value)):
        return i18n.NO_VALUE
    return policies.money(value, country, lang)


# ------------------------------------------------------------------------------------------------
# The meeting's decisions on the walls


def decision_subjects(
    db: Database, country: str, scope: Scope, lang: str, alert_feed: pd.DataFrame | None = None
) -> pd.DataFrame:
    """What a decision can be about, named for the reader: provinces in scope, KPIs, alerts, policies.

    Columns: subject_type, subject_id, area_id (the area it concerns, for areas and alerts), label.
    Open alerts come before resolved ones; everything else in catalogue order.
    """
    rows = []
    local = i18n.local_names(country, lang)
    provinces = db.query(country, "provinces", scope=scope)
    for p in provinces.itertuples():
        rows.append(("area", p.area_id, p.area_id, p.name_local if local else p.name_en))
    cat = indicators.kpis(db, country)
    for indicator_id, indicator in cat.iterrows():
        rows.append(("indicator", indicator_id, None, indicators.name(indicator, lang)))
    if alert_feed is not None and len(alert_feed):
        ordered = alert_feed.assign(_resolved=alert_feed["state"] == "resolved").sort_values(
            ["_resolved", "severity_rank", "id"]
        )
        for a in ordered.itertuples():
            title = getattr(a, "rule_title", None) or a.title
            place = getattr(a, "place", "") or a.area_id
            rows.append(("alert", str(a.id), a.area_id, f"#{a.id} {title} · {place}"))
    chain = policies.catalogue(db, country)
    for policy_id, node in chain.iterrows():
        rows.append(("policy", policy_id, None, policies.name(node, country, lang)))
    return pd.DataFrame(rows, columns=["subject_type", "subject_id", "area_id", "label"])


def subject_names(subjects: pd.DataFrame) -> dict[tuple[str, str], str]:
    return dict(zip(zip(subjects["subject_type"], subjects["subject_id"], strict=True), subjects["label"], strict=True))


def scoped_decisions(
    db: Database, engine: sa.Engine, country: str, scope: Scope, status: str | None = None, meeting_date=None
) -> pd.DataFrame:
    """Decisions about the areas in scope, and national ones (no area), in the order recorded."""
    table = decisions.list_decisions(engine, country, status=status, meeting_date=meeting_date)
    if table.empty:
        return table
    places = set(evaluation.areas_in_scope(db, country, scope).index)
    return table[table["area_id"].isna() | table["area_id"].isin(places)]


def open_decisions(
    db: Database, engine: sa.Engine, country: str, scope: Scope, wall: str | None = None
) -> pd.DataFrame:
    """Open decisions (about the areas in scope, or national ones), those of one wall when `wall` is given."""
    table = scoped_decisions(db, engine, country, scope, status="open")
    if table.empty:
        return table
    if wall is None:
        return table
    walls_of = indicators.catalogue(db, country)["wall"].to_dict()
    return decisions.for_wall(table, wall, walls_of)


def default_subject(wall: Wall) -> tuple[str, str] | None:
    """What a decision taken in front of this wall is most likely about: the indicator or policy of its worst view."""
    for view in sorted(wall.views, key=lambda v: STATUS_RANK.get(v.status, 3)):
        if view.kpis:
            worst_kpi = min(view.kpis, key=lambda k: STATUS_RANK.get(k.status, 3))
            return ("indicator", worst_kpi.indicator_id)
        if "policy_id" in view.facts:
            return ("policy", view.facts["policy_id"])
    return None
