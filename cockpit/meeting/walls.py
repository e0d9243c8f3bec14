"""What a wall is made of: at most six views, each a question with a status, its figures and a link; the
goal chain's roll-up, the walls' shared figures, their 'data as of' stamp and the meeting's decisions on them.

Statuses come from the data's own rules: an indicator's from its thresholds (area_facts.status), an alert's
from its severity, a policy's from the review package's configured rules. Pages only lay the views out."""

from __future__ import annotations

import math
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from datetime import date
from urllib.parse import urlencode

import pandas as pd
import sqlalchemy as sa

from cockpit import i18n, periods
from cockpit.alerts import evaluation
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


STATUS_RANK = {s: rank for rank, s in enumerate(indicators.STATUS_ORDER)}  # worst first, no data last


# An incident's or alert's severity as a status colour: critical and high need action now.
SEVERITY_STATUS = {"critical": "off_track", "high": "off_track", "medium": "at_risk", "low": "at_risk"}


SEVERITY_RANK = evaluation.SEVERITY_ORDER


# Incidents that ended this many days ago still show on the Red wall, so the room sees what just closed.
RECENT_DAYS = 30


# How many rows a list view shows on the wall (the detail page has the rest).
LIST_ROWS = 6


VOTING = ("off_track", "at_risk", "on_track", "met")


def rollup(statuses: Iterable[str]) -> str:
    """A parent's status from its children's, by the LESMIS rule: good or off track only if all children agree.

    Met when every child with data has met its target; on track when every one is met or on track;
    off track when every one is off track; at risk otherwise (a disagreement, or all at risk).
    Children without data do not vote; a parent none of whose children has data has no data.
    """
    voting = {s for s in statuses if s in VOTING}
    if not voting:
        return "no_data"
    if voting == {"met"}:
        return "met"
    if voting <= {"met", "on_track"}:
        return "on_track"
    if voting == {"off_track"}:
        return "off_track"
    return "at_risk"


def worst(statuses: Iterable[str]) -> str:
    """The worst status among some (off track, at risk, on track, met); no data when none has data."""
    voting = [s for s in statuses if s in VOTING]
    return min(voting, key=STATUS_RANK.__getitem__) if voting else "no_data"


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
            status = statuses.get(node, "no_data") if kinds[node] == "kpi" else "no_data"
            status = status if status in STATUS_RANK else "no_data"
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


def latest(db: Database, country: str, area_id: str, scope: Scope) -> pd.DataFrame:
    """Each indicator's newest figures (every sex) for one area: queries/warroom/area_latest.sql."""
    return db.query(country, "meeting/walls/area_latest", scope=scope, area_id=area_id)


def province_latest(db: Database, country: str, wall: str, scope: Scope) -> pd.DataFrame:
    """Each province's newest figures for the KPIs of one wall."""
    return db.query(country, "meeting/walls/province_latest", scope=scope, wall=wall)


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
                status=(total.status if total is not None and isinstance(total.status, str) else "no_data"),
                value=number(total.value) if total is not None else None,
                target=number(total.target) if total is not None else None,
                previous=number(total.previous_value) if total is not None else None,
                period_start=periods.as_date(total.period_start) if total is not None else None,
                period_type=total.period_type if total is not None else None,
                series=tuple(float(v) for v in history["value"].dropna()),
                female=number(female.value) if female is not None else None,
                male=number(male.value) if male is not None else None,
                numerator=number(total.numerator) if total is not None else None,
                denominator=number(total.denominator) if total is not None else None,
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
        out[s if s in out else "no_data"] += 1
    return out


def province_tally(table: pd.DataFrame) -> pd.DataFrame:
    """One row per province: how many of the wall's KPIs are in each status; the most off track first.

    A province's status is its worst KPI's: off track when any is (the view asks where to look).
    """
    columns = ["area_id", "name_en", "name_local", *VOTING, "reported", "status"]
    if table.empty:
        return pd.DataFrame(columns=columns)
    tally = (
        table.assign(**{s: (table["status"] == s).astype(int) for s in VOTING})
        .groupby(["area_id", "name_en", "name_local"], as_index=False)[list(VOTING)]
        .sum()
    )
    tally["reported"] = tally[list(VOTING)].sum(axis=1)
    tally["status"] = [worst(s for s in VOTING if row[s]) for _, row in tally.iterrows()]
    return tally.sort_values(["off_track", "at_risk", "area_id"], ascending=[False, False, True])[columns]


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


def wall_kpis(catalogue: pd.DataFrame, wall: str) -> list[str]:
    chosen = catalogue[(catalogue["kind"] == "kpi") & (catalogue["wall"] == wall) & (catalogue["periods"] > 0)]
    return list(chosen.index)


def kpi_series(db: Database, country: str, area_id: str, scope: Scope, catalogue: pd.DataFrame) -> pd.DataFrame:
    newest = catalogue["latest_period"].dropna()
    if newest.empty:
        return pd.DataFrame(columns=["indicator_id", "period_start", "value"])
    return db.query(
        country, "data/area_series", scope=scope, area_id=area_id, since=indicators.history_start(newest.max())
    )


def number(value) -> float | None:
    if value is None:
        return None
    try:
        return None if pd.isna(value) else float(value)
    except (TypeError, ValueError):
        return None


def stamp(wall: Wall) -> tuple[warroom.Freshness | None, list[str]]:
    """A wall's 'data as of': its newest data, and the sources (indicator ids) overdue for their next delivery."""
    fresh = wall.freshness
    return warroom.newest(fresh.values()), [k for k, f in fresh.items() if f.stale]


def money(value, country: str, lang: str) -> str:
    """A budget for the wall, as the Policies page writes it ('13.5 million baht')."""
    if value is None or (isinstance(value, float) and math.isnan(value)):
        return i18n.NO_VALUE
    return policies.money(value, country, lang)


def decision_subjects(
    db: Database,
    country: str,
    scope: Scope,
    lang: str,
    alert_feed: pd.DataFrame | None = None,
    national: bool = True,
    place: str | None = None,
) -> pd.DataFrame:
    """What a decision can be about, named for the reader: provinces in scope, KPIs, alerts, policies.

    Columns: subject_type, subject_id, area_id (the area it concerns), label (what the form offers) and name
    (the subject alone). A KPI or a policy is a national subject (no area) for a `national` role; a provincial or
    regional office decides about it in its own provinces, so each province in scope offers it again, tied to
    that province. `place` (a province in scope, from a link about it) offers them tied to that province only.
    Open alerts come before resolved ones; everything else in catalogue order.
    """
    rows = []
    local = i18n.local_names(country, lang)
    provinces = db.query(country, "data/provinces", scope=scope)
    province_names = dict(zip(provinces["area_id"], provinces["name_local" if local else "name_en"], strict=True))
    for area_id, name in province_names.items():
        rows.append(("area", area_id, area_id, name, name))
    if place in province_names:
        tied = [place]
    else:
        tied = [] if national else list(province_names)

    def anywhere(subject_type: str, subject_id: str, name: str) -> None:
        if national:
            rows.append((subject_type, subject_id, None, name, name))
        rows.extend((subject_type, subject_id, p, f"{name} · {province_names[p]}", name) for p in tied)

    cat = indicators.kpis(db, country)
    for indicator_id, indicator in cat.iterrows():
        anywhere("indicator", indicator_id, indicators.name(indicator, lang))
    if alert_feed is not None and len(alert_feed):
        ordered = alert_feed.assign(_resolved=alert_feed["state"] == "resolved").sort_values(
            ["_resolved", "severity_rank", "id"]
        )
        for a in ordered.itertuples():
            title = getattr(a, "rule_title", None) or a.title
            where = getattr(a, "place", "") or a.area_id
            label = f"#{a.id} {title} · {where}"
            rows.append(("alert", str(a.id), a.area_id, label, label))
    chain = policies.catalogue(db, country)
    for policy_id, node in chain.iterrows():
        anywhere("policy", policy_id, policies.name(node, country, lang))
    return pd.DataFrame(rows, columns=["subject_type", "subject_id", "area_id", "label", "name"])


def linked_subject(area: str | None, policy: str | None, alert: str | None) -> tuple | None:
    """What a link to the decision form asks it to be about: a policy (in an area when it names one), an alert, or
    an area; None when it names none. Only a starting choice, matched against the subjects offered."""
    if policy:
        return ("policy", policy, area) if area else ("policy", policy)
    if alert:
        return ("alert", alert)
    return ("area", area) if area else None


def about(names: dict[tuple[str, str], str], subject_type: str, subject_id: str, area_id, lang: str) -> str:
    """What a decision is about, for the register ("Policy: …"), and where when a KPI or a policy is decided for
    one area. `names`: subject_names."""
    said = (
        f"{i18n.tr(lang, decisions.SUBJECT_LABELS[subject_type])}: {names.get((subject_type, subject_id), subject_id)}"
    )
    if subject_type in ("indicator", "policy") and isinstance(area_id, str):
        said += " · " + names.get(("area", area_id), area_id)
    return said


def subject_names(subjects: pd.DataFrame) -> dict[tuple[str, str], str]:
    """Each subject's name by (subject_type, subject_id), without the province a decision may tie it to."""
    return dict(zip(zip(subjects["subject_type"], subjects["subject_id"], strict=True), subjects["name"], strict=True))


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
