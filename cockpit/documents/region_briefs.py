"""A region's meeting brief (a regional education office's meeting), what every format shows: the region against
target and nation, its provinces side by side, its map, open alerts by province, stuck policies, decisions and notes.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

import pandas as pd

from cockpit import clock, i18n, periods
from cockpit.alerts import lifecycle
from cockpit.data import areas, geo, indicators
from cockpit.data.access import Scope
from cockpit.data.db import Database
from cockpit.documents import briefs, workbooks
from cockpit.figures import short_text
from cockpit.meeting import decisions as decisions_
from cockpit.review import policies, policy_notes, province, regions

# The KPIs the province-by-province table shows side by side (the table has a column each).
KEY_KPIS = 5


# A key KPI's name as a column heading of the province-by-province table: at most this many characters.
HEADING_CHARS = 44


# Items a point of the story lists at most (the tables after it hold them all).
STORY_ITEMS = 6


STATUS_ORDER = {"off_track": 0, "at_risk": 1, "on_track": 2, "met": 3, "no_data": 4}


@dataclass(frozen=True)
class RegionBrief:
    """A region's review with what its offices recorded: open alerts, stuck work, decisions and notes."""

    review: regions.RegionReview
    alerts: pd.DataFrame  # one row per open alert of its provinces or their districts: province.ALERT_COLUMNS, province
    stuck: pd.DataFrame  # one row per province and policy (or project) with no progress: policies.why's columns
    decisions: pd.DataFrame  # one row per decision about its provinces or districts: DECISION_COLUMNS, province
    notes: pd.DataFrame  # what its provinces reported on their policies: province.NOTE_COLUMNS, province; newest first
    policy_period: date | None  # the reporting quarter `stuck` is judged at

    @property
    def country(self) -> str:
        return self.review.country

    @property
    def lang(self) -> str:
        return self.review.lang

    @property
    def name(self) -> str:
        return self.review.name

    def tr(self, message: str, **values) -> str:
        return self.review.tr(message, **values)

    @property
    def province_names(self) -> pd.Series:
        """The region's provinces by area_id, named for the reader, in alphabetical order."""
        names = regions.area_names(self.review)
        ids = sorted(self.review.province_ids, key=lambda a: province.sort_key(str(names[a])))
        return names.loc[ids]


def build(
    db: Database, engine, rr: regions.RegionReview, scope: Scope, note_limit: int = 10, today: date | None = None
) -> RegionBrief:
    """The brief's content for a region review; without the state store's `engine`, no alerts, decisions or notes."""
    members = list(rr.province_ids)
    names = regions.area_names(rr)
    district_key = "name_lo" if rr.country == "la" else "name_th"
    local = i18n.local_names(rr.country, rr.lang)
    province_of, places = {p: p for p in members}, {p: str(names[p]) for p in members}
    for feature in geo.boundaries(rr.country, "district")["features"]:
        props = feature["properties"]
        if props["province_code"] in province_of:
            province_of[props["code"]] = props["province_code"]
            places[props["code"]] = (props.get(district_key) if local else None) or props["name_en"]
    area_ids = list(province_of)
    within = scope.within(members)
    alerts = province.alert_table(None, places, rr.lang, {})
    decisions = province.decision_table(None, places, rr.lang)
    notes = pd.DataFrame(columns=province.NOTE_COLUMNS)
    if engine is not None:
        stored = lifecycle.list_alerts(engine, states=lifecycle.OPEN_STATES, area_ids=area_ids)
        alerts = province.alert_table(stored, places, rr.lang, province.rule_titles(rr.lang))
        decisions = province.decision_table(
            decisions_.list_decisions(engine, rr.country, area_ids=area_ids), places, rr.lang, today
        )
        notes = pd.concat(
            [
                province.note_table(db, engine, rr.country, p, within, rr.lang, note_limit).assign(
                    province=str(names[p]), area_id=p
                )
                for p in members
            ],
            ignore_index=True,
        )
        notes = notes.sort_values("created_at", ascending=False, kind="stable").head(note_limit * 2)
    alerts = alerts.assign(province=[places[province_of[a]] if a in province_of else a for a in alerts["area_id"]])
    alerts = alerts.sort_values("province", key=lambda s: s.map(province.sort_key), kind="stable")
    decisions = decisions.assign(province=decisions["place"])
    stuck, quarter = _stuck(db, engine, rr, within)
    return RegionBrief(
        review=rr,
        alerts=alerts.reset_index(drop=True),
        stuck=stuck,
        decisions=decisions.reset_index(drop=True),
        notes=notes.reset_index(drop=True),
        policy_period=quarter,
    )


def _stuck(db: Database, engine, rr: regions.RegionReview, within: Scope) -> tuple[pd.DataFrame, date | None]:
    """The region's stuck work at the newest reporting quarter, with why (the province's latest note)."""
    columns = ["policy_id", "area_id", "stuck_since", "periods_stuck", "value", "reference", "gap", "why"]
    try:
        config = policies.load_config()
    except policies.ConfigError:  # the policy rules cannot be read: the brief goes out without stuck work
        return pd.DataFrame(columns=[*columns, "policy", "province"]), None
    rows = policies.progress(db, rr.country, within, config)
    if rows.empty:
        return pd.DataFrame(columns=[*columns, "policy", "province"]), None
    quarter = policies.progress_periods(rows)[0]
    stuck = policies.stuck(db, rr.country, within, quarter, config)
    if engine is not None:
        store_notes = policy_notes.notes(engine, within, rr.country)
    else:
        store_notes = pd.DataFrame(columns=policy_notes.NOTE_COLUMNS)
    stuck = policies.why(stuck, store_notes)
    chain = policies.catalogue(db, rr.country)
    names = regions.area_names(rr)
    stuck = stuck.assign(
        policy=[
            policies.name(chain.loc[p], rr.country, rr.lang) if p in chain.index else p for p in stuck["policy_id"]
        ],
        province=[str(names[a]) if a in names.index else a for a in stuck["area_id"]],
    )
    stuck = stuck.sort_values(["gap", "province"], kind="stable")
    return stuck.reset_index(drop=True), quarter


# --- What the brief shows ----------------------------------------------------------------------------------------


def title(rb: RegionBrief) -> str:
    return rb.tr("{region}: regional education review", region=rb.name)


def subtitle(rb: RegionBrief, today: date | None = None) -> str:
    rr = rb.review
    kind = rb.tr(areas.GROUP_TYPE_LABELS.get(rr.group["group_type"], "Region"))
    return " · ".join(
        [
            kind,
            rb.tr("Data as of {day}", day=periods.day_label(rr.as_of, rb.lang)),
            rb.tr("Data version {version}", version=rr.extract_version),
            rb.tr("Prepared {day}", day=periods.day_label(today or clock.today(), rb.lang)),
        ]
    )


def provinces_line(rb: RegionBrief) -> str:
    """'5 provinces: Phetchabun, Phitsanulok, …'."""
    names = list(rb.province_names)
    return rb.tr("{n} provinces", n=len(names)) + ": " + ", ".join(names)


def footer(rb: RegionBrief) -> str:
    return rb.tr(
        "Education Management Cockpit · {province} · data as of {day}",
        province=rb.name,
        day=periods.day_label(rb.review.as_of, rb.lang),
    )


def file_name(rb: RegionBrief, extension: str, today: date | None = None) -> str:
    """'region-reo-17-regional-education-office-17-2026-11-22.pdf'."""
    rr = rb.review
    return workbooks.file_name("region", rr.group["group_key"], rr.group["group_name_en"], extension, today)


def _label(rb: RegionBrief, indicator_id: str, value) -> str:
    return indicators.fmt(rb.review.catalogue.loc[indicator_id], value, rb.lang)


def _status_counts(statuses) -> dict[str, int]:
    counts = pd.Series(list(statuses)).value_counts()
    return {s: int(counts.get(s, 0)) for s in STATUS_ORDER}


def key_kpis(rb: RegionBrief, count: int = KEY_KPIS) -> pd.DataFrame:
    """The KPIs a regional meeting looks at first: where the most provinces are off track, then at risk, then the
    region's own status."""
    rr = rb.review
    provinces_ = rr.values[rr.values["role"] == "province"]
    off = provinces_[provinces_["status"] == "off_track"].groupby("indicator_id").size()
    risk = provinces_[provinces_["status"] == "at_risk"].groupby("indicator_id").size()
    table = rr.kpis.assign(
        _off=rr.kpis["indicator_id"].map(off).fillna(0),
        _risk=rr.kpis["indicator_id"].map(risk).fillna(0),
        _region=rr.kpis["region_status"].map(STATUS_ORDER).fillna(4),
    )
    return table.sort_values(["_off", "_risk", "_region"], ascending=[False, False, True], kind="stable").head(count)


def story(rb: RegionBrief) -> list[briefs.Point]:
    """The region's story for a meeting: its status, what is off track, its provinces, alerts, stuck work, decisions."""
    rr, tr = rb.review, rb.tr
    counts = _status_counts(rr.kpis["region_status"])
    grey = counts["no_data"]
    points = [
        briefs.Point(
            tr(
                "{n} KPIs: {met} met their target, {on_track} on track, {at_risk} at risk, {off_track} off track.",
                n=len(rr.kpis),
                **{k: counts[k] for k in ("met", "on_track", "at_risk", "off_track")},
            )
            + (" " + tr("{grey} without data.", grey=grey) if grey else "")
        )
    ]
    red = rr.kpis[rr.kpis["region_status"] == "off_track"]
    if not red.empty:
        items = [
            f"{k['name']}: {_label(rb, k['indicator_id'], k['region_value'])} ({k['region_reason']})"
            for _, k in red.head(STORY_ITEMS).iterrows()
        ]
        if len(red) > STORY_ITEMS:  # a meeting reads the rest in the table that follows
            items.append(tr("and {n} more (in the table that follows)", n=len(red) - STORY_ITEMS))
        points.append(briefs.Point(tr("Off track:"), tuple(items)))
    vs_nation = province.comparison_counts(rr.kpis, "vs_nation")
    points.append(
        briefs.Point(
            tr(
                "Better than the national figure on {better} KPIs, worse on {worse}.",
                better=vs_nation["better"],
                worse=vs_nation["worse"],
            )
        )
    )
    table = province_table(rb)
    worst = table[table["off_track"] > 0].sort_values(["off_track", "at_risk"], ascending=False).head(5)
    if not worst.empty:
        points.append(
            briefs.Point(
                tr("Provinces with the most KPIs off track:"),
                tuple(
                    tr("{province}: {n} off track, {at_risk} at risk", province=name, n=off, at_risk=risk)
                    for name, off, risk in zip(worst["name"], worst["off_track"], worst["at_risk"], strict=True)
                ),
            )
        )
    if rb.alerts.empty:
        points.append(briefs.Point(tr("No open alerts.")))
    else:
        severities = rb.alerts["severity"].value_counts()
        points.append(
            briefs.Point(
                tr(
                    "{n} open alerts: {critical} critical, {high} high, {medium} medium, {low} low.",
                    n=len(rb.alerts),
                    **{s: int(severities.get(s, 0)) for s in province.SEVERITY_ORDER},
                ),
                tuple(
                    tr("{province}: {n} open", province=p, n=n)
                    for p, n in rb.alerts["province"].value_counts().head(STORY_ITEMS).items()
                ),
            )
        )
    if not rb.stuck.empty:
        stuck_policies, stuck_provinces = rb.stuck["policy_id"].nunique(), rb.stuck["area_id"].nunique()
        points.append(
            briefs.Point(
                tr(
                    "Stuck: {n} policies or projects made no progress in {provinces} provinces.",
                    n=stuck_policies,
                    provinces=stuck_provinces,
                )
            )
        )
    if not rb.decisions.empty:
        open_ = rb.decisions[rb.decisions["status"] == "open"]
        points.append(
            briefs.Point(
                tr(
                    "Decisions: {open} open, {overdue} past their due date.",
                    open=len(open_),
                    overdue=int(open_["overdue"].sum()),
                )
            )
        )
    return points


def kpi_rows(rb: RegionBrief) -> tuple[list[str], list[list[str]], list[str]]:
    """The region on every KPI against its target and the nation: (headings, rows of text, the region's status)."""
    rr, tr = rb.review, rb.tr
    headings = [tr("KPI"), tr("Period"), rr.name, tr("Target"), tr("Status"), rr.nation_name, tr("Against the nation")]
    rows = [
        [
            k["name"],
            k["period"],
            _label(rb, k["indicator_id"], k["region_value"]),
            _label(rb, k["indicator_id"], k["period_target"]),
            indicators.status_label(k["region_status"], rb.lang),
            _label(rb, k["indicator_id"], k["nation_value"]),
            _comparison(rb, versus),
        ]
        for (_, k), versus in zip(rr.kpis.iterrows(), rr.kpis["vs_nation"], strict=True)
    ]
    return headings, rows, list(rr.kpis["region_status"])


def _comparison(rb: RegionBrief, versus) -> str:
    return rb.tr(province.COMPARISON_LABELS[versus]) if isinstance(versus, str) else i18n.NO_VALUE


def province_table(rb: RegionBrief) -> pd.DataFrame:
    """One row per province of the region (alphabetical): area_id, name, and how many KPIs have each status."""
    rr = rb.review
    provinces_ = rr.values[rr.values["role"] == "province"]
    rows = []
    for area_id, name in rb.province_names.items():
        counts = _status_counts(provinces_.loc[provinces_["area_id"] == area_id, "status"])
        rows.append({"area_id": area_id, "name": name, **counts})
    return pd.DataFrame(rows, columns=["area_id", "name", *STATUS_ORDER])


def province_rows(rb: RegionBrief) -> tuple[list[str], list[list[str]], list[list[str | None]]]:
    """Every province of the region side by side on the key KPIs, then its KPIs off track and at risk: (headings,
    rows of text, each cell's status or None)."""
    rr, tr = rb.review, rb.tr
    key = key_kpis(rb)
    values = rr.values.set_index(["area_id", "indicator_id"])
    # The KPIs' names at most three lines of a narrow column: the KPI table before it names them in full.
    names = [short_text.shorten(n, HEADING_CHARS) for n in key["name"]]
    headings = [tr("Province"), *names, tr("Off track"), tr("At risk")]
    rows, statuses = [], []
    region_id = rr.group["group_key"]
    nation_ids = list(rr.values.loc[rr.values["role"] == "nation", "area_id"].unique())
    table = province_table(rb)
    areas_ = [(r["area_id"], r["name"], r) for _, r in table.iterrows()]
    areas_ += [(region_id, rr.name, None)] + [(n, rr.nation_name, None) for n in nation_ids]
    for area_id, name, counts in areas_:
        row, cells = [name], [None]
        for indicator_id in key["indicator_id"]:
            if (area_id, indicator_id) in values.index:
                hit = values.loc[(area_id, indicator_id)]
                hit = hit.iloc[0] if isinstance(hit, pd.DataFrame) else hit
                row.append(hit["value_label"])
                cells.append(hit["status"] if isinstance(hit["status"], str) else "no_data")
            else:
                row.append(i18n.NO_VALUE)
                cells.append("no_data")
        if counts is None:
            row += ["", ""]
        else:
            row += [str(counts["off_track"]), str(counts["at_risk"])]
        rows.append(row)
        statuses.append([*cells, None, None])
    return headings, rows, statuses


def province_heading(rb: RegionBrief) -> str:
    return rb.tr("The provinces of {region} side by side", region=rb.name)


def map_rows(rb: RegionBrief, indicator_id: str) -> tuple[list[str], list[list[str]], list[str]]:
    """The provinces on one KPI, best first, with their rank in the region: beside the region's map."""
    rr, tr = rb.review, rb.tr
    rows_ = rr.values[(rr.values["role"] == "province") & (rr.values["indicator_id"] == indicator_id)].copy()
    direction = rr.catalogue.loc[indicator_id, "direction"]
    rows_ = rows_.sort_values("value", ascending=direction != "higher_is_better", na_position="last")
    headings = [tr("Province"), tr("Value"), tr("Status"), tr("Rank")]
    rows = [
        [r["name"], r["value_label"], indicators.status_label(r["status"], rb.lang), str(i)]
        for i, (_, r) in enumerate(rows_.iterrows(), start=1)
    ]
    return headings, rows, list(rows_["status"])


def map_heading(rb: RegionBrief, indicator_id: str) -> str:
    return rb.tr("Provinces: {indicator}", indicator=indicators.name(rb.review.catalogue.loc[indicator_id], rb.lang))


def alert_rows(rb: RegionBrief) -> tuple[list[str], list[list[str]]]:
    tr = rb.tr
    headings = [tr("Province"), tr("Severity"), tr("Alert"), tr("Where"), tr("Since")]
    rows = [
        [
            a["province"],
            a["severity_label"],
            f"{a['title']} ({a['period']})",
            a["place"],
            periods.day_label(a["first_seen_at"], rb.lang),
        ]
        for _, a in rb.alerts.iterrows()
    ]
    return headings, rows


def stuck_heading(rb: RegionBrief) -> str:
    text = rb.tr("Stuck policies and projects")
    quarter = rb.policy_period
    return text + (f" · {policies.quarter_label(quarter, rb.country, rb.lang)}" if quarter is not None else "")


def stuck_rows(rb: RegionBrief) -> tuple[list[str], list[list[str]]]:
    tr = rb.tr
    headings = [
        tr("Policy or project"),
        tr("Province"),
        tr("Stuck since"),
        tr("Progress"),
        tr("Planned by now"),
        tr("Why (latest note)"),
    ]
    rows = [
        [
            s["policy"],
            s["province"],
            policies.quarter_label(s["stuck_since"], rb.country, rb.lang),
            policies.percent(s["value"], rb.lang),
            policies.percent(s["reference"], rb.lang),
            briefs.typed(s["why"]) if isinstance(s["why"], str) and s["why"] else tr("no reason reported"),
        ]
        for _, s in rb.stuck.iterrows()
    ]
    return headings, rows


def decision_rows(rb: RegionBrief) -> tuple[list[str], list[list[str]], list[str]]:
    """The decisions about the region's provinces as the province brief prints them, with where each applies."""
    view = _Decisions(rb)
    headings, rows, statuses = briefs.decision_rows(view)
    headings = [rb.tr("Where"), *headings]
    rows = [[place, *row] for place, row in zip(rb.decisions["place"], rows, strict=True)]
    return headings, rows, statuses


@dataclass(frozen=True)
class _Decisions:
    """What briefs.decision_rows and briefs.note_rows read of a review, for a region."""

    rb: RegionBrief

    @property
    def lang(self) -> str:
        return self.rb.lang

    def tr(self, message: str, **values) -> str:
        return self.rb.tr(message, **values)

    @property
    def decisions(self) -> pd.DataFrame:
        return self.rb.decisions

    @property
    def policy_notes(self) -> pd.DataFrame:
        return self.rb.notes


def notes_heading(rb: RegionBrief) -> str:
    return rb.tr("What the provinces of {region} reported", region=rb.name)


def note_rows(rb: RegionBrief) -> tuple[list[str], list[list[str]]]:
    """What the region's provinces reported on their policies, newest first, each with its province."""
    headings, rows = briefs.note_rows(_Decisions(rb))
    headings = [rb.tr("Province"), *headings]
    return headings, [[p, *row] for p, row in zip(rb.notes["province"], rows, strict=True)]
