"""A province's meeting brief, what every format shows: the story in words, the KPIs in focus, the tables
(KPIs, districts, alerts, policies, decisions), titles and file names, in the reader's language."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date

import pandas as pd

from cockpit import clock, i18n, periods
from cockpit.documents import workbooks
from cockpit.figures import short_text
from cockpit.review import policies, province

COMPLEX_SCRIPT_FONTS = {"th": "Noto Sans Thai", "la": "Noto Sans Lao"}


LANGUAGE_TAGS = {"th": "th-TH", "lo": "lo-LA", "en": "en-GB"}


LATIN_FONT = "Noto Sans"


INK = (31, 36, 48)


MUTED = (98, 106, 118)


FOCUS_COUNT = 9

# What someone typed (a decision, its owner, a note) as a brief shows it: its words on one line, at most this many
# characters. A form takes 4,000; a long decision as a meeting records it is 450, and a slide's or a page's table
# cell holds about 600. The Decisions and Policies pages and the workbook hold it whole.
TYPED_CHARS = 600


def typed(text) -> str:
    return short_text.shorten(" ".join(str(text).split()), TYPED_CHARS)


def pages_by_height(heights: list[float], room: float, most: int) -> list[tuple[int, int]]:
    """A table's rows a page, as (start, end): as many as `room` holds of their `heights`, at most `most`, at least
    one; a table without rows has one page."""
    pages, start, used = [], 0, 0.0
    for index, height in enumerate(heights):
        if index > start and (used + height > room or index - start >= most):
            pages.append((start, index))
            start, used = index, 0.0
        used += height
    return [*pages, (start, len(heights))]


@dataclass(frozen=True)
class Point:
    """One point of the story: a sentence, and the items it lists (KPIs with their figures), if any."""

    text: str
    items: tuple[str, ...] = field(default_factory=tuple)


def _kpi_item(row: pd.Series, lang: str) -> str:
    return f"{row['name']}: {row['value_label']} ({row['change_label'] or i18n.NO_VALUE})"


def _status_item(row: pd.Series) -> str:
    """A KPI with its value and why it has its status ('68% of target, 3.1 pts behind the trajectory')."""
    return f"{row['name']}: {row['value_label']} ({row['status_reason']})"


def story(rv: province.ProvinceReview) -> list[Point]:
    """The province's story for a meeting: status, off-track KPIs, what changed, where it ranks, alerts, decisions."""
    # The KPIs' part changes only with the published version: made once (the Province page's rerun 151 → 116 ms).
    return [*province.per_review(rv, lambda: tuple(_kpi_story(rv)), "story"), *_store_story(rv)]


def _kpi_story(rv: province.ProvinceReview) -> list[Point]:
    """Status, off-track KPIs, what changed and where the province ranks: from the published version alone."""
    tr = rv.tr
    counts = province.status_counts(rv.kpis)
    grey = counts["no_data"]
    total = len(rv.kpis)
    points = [
        Point(
            tr(
                "{n} KPIs: {met} met their target, {on_track} on track, {at_risk} at risk, {off_track} off track.",
                n=total,
                met=counts["met"],
                on_track=counts["on_track"],
                at_risk=counts["at_risk"],
                off_track=counts["off_track"],
            )
            + (" " + tr("{grey} without data.", grey=grey) if grey else "")
        )
    ]
    red = rv.kpis[rv.kpis["status"] == "off_track"]
    if not red.empty:
        points.append(Point(tr("Off track:"), tuple(_status_item(r) for _, r in red.iterrows())))
    newly_red = rv.kpis[
        (rv.kpis["status"] == "off_track")
        & rv.kpis["previous_status"].notna()
        & (rv.kpis["previous_status"] != "off_track")
    ]
    if not newly_red.empty:
        points.append(Point(tr("Fell off track since the previous period:"), tuple(newly_red["name"])))
    recovered = rv.kpis[
        rv.kpis["status"].isin(["on_track", "met"]) & rv.kpis["previous_status"].isin(["off_track", "at_risk"])
    ]
    if not recovered.empty:
        points.append(Point(tr("Back on track since the previous period:"), tuple(recovered["name"])))
    kinds = rv.kpis["change_kind"].value_counts()
    points.append(
        Point(
            tr(
                "Since the previous period, {improved} KPIs improved, {worsened} worsened and {unchanged} held steady.",
                improved=int(kinds.get("improved", 0)),
                worsened=int(kinds.get("worsened", 0)),
                unchanged=int(kinds.get("unchanged", 0)),
            )
        )
    )
    best = province.biggest_changes(rv.kpis, "improved")
    if not best.empty:
        points.append(Point(tr("Biggest improvements:"), tuple(_kpi_item(r, rv.lang) for _, r in best.iterrows())))
    worst = province.biggest_changes(rv.kpis, "worsened")
    if not worst.empty:
        points.append(Point(tr("Biggest deteriorations:"), tuple(_kpi_item(r, rv.lang) for _, r in worst.iterrows())))
    vs_region = province.comparison_counts(rv.kpis, "vs_region")
    vs_nation = province.comparison_counts(rv.kpis, "vs_nation")
    if rv.group is not None:
        points.append(
            Point(
                tr(
                    "Better than {region} on {better} KPIs, worse on {worse}.",
                    region=rv.group_name,
                    better=vs_region["better"],
                    worse=vs_region["worse"],
                )
            )
        )
    points.append(
        Point(
            tr(
                "Better than the national figure on {better} KPIs, worse on {worse}.",
                better=vs_nation["better"],
                worse=vs_nation["worse"],
            )
        )
    )
    # Counts (schools closed, students affected) grow with a province's size: ranking on them says little.
    ranked = rv.kpis[rv.kpis["unit"] != "count"].dropna(subset=["rank"])
    if not ranked.empty:
        share = ranked["rank"] / ranked["ranked_provinces"]
        top, bottom = ranked.loc[share.idxmin()], ranked.loc[share.idxmax()]
        best, best_rank, worst_, worst_rank = top["name"], top["rank_label"], bottom["name"], bottom["rank_label"]
        points.append(
            Point(
                tr(
                    "Best national rank: {best} ({best_rank}); lowest: {worst} ({worst_rank}).",
                    best=best,
                    best_rank=best_rank,
                    worst=worst_,
                    worst_rank=worst_rank,
                )
            )
        )
    return points


def _store_story(rv: province.ProvinceReview) -> list[Point]:
    """Open alerts, policies behind plan and open decisions: the store's and the policy rules' of the moment."""
    tr, points = rv.tr, []
    open_alerts = rv.open_alerts
    if open_alerts.empty:
        points.append(Point(tr("No open alerts.")))
    else:
        severities = province.severity_counts(rv)
        points.append(
            Point(
                tr(
                    "{n} open alerts: {critical} critical, {high} high, {medium} medium, {low} low.",
                    n=len(open_alerts),
                    **severities,
                ),
                tuple(
                    f"{a['severity_label']} · {a['title']} · {a['place']}" for _, a in open_alerts.head(5).iterrows()
                ),
            )
        )
    behind = rv.policies[rv.policies["status"].isin(["off_track", "at_risk"])]
    if not rv.policies.empty:
        red_policies = rv.policies[rv.policies["status"] == "off_track"]
        points.append(
            Point(
                tr(
                    "Policies and projects: {behind} of {total} behind plan, {red} off track.",
                    behind=len(behind),
                    total=len(rv.policies),
                    red=len(red_policies),
                ),
                tuple(_policy_item(p, rv) for _, p in red_policies.head(5).iterrows()),
            )
        )
    open_decisions = rv.decisions[rv.decisions["status"] == "open"]
    if not rv.decisions.empty:
        points.append(
            Point(
                tr(
                    "Decisions: {open} open, {overdue} past their due date.",
                    open=len(open_decisions),
                    overdue=int(open_decisions["overdue"].sum()),
                ),
                tuple(_decision_item(d, rv) for _, d in open_decisions.head(5).iterrows()),
            )
        )
    return points


def _policy_item(policy: pd.Series, rv: province.ProvinceReview) -> str:
    name, progress, plan, gap = policy["name"], policy["progress_label"], policy["plan_label"], policy["gap_label"]
    return rv.tr(
        "{policy}: {progress} done against {plan} planned ({gap})",
        policy=name.strip("\u2003· "),
        progress=progress,
        plan=plan,
        gap=gap,
    )


def _decision_item(decision: pd.Series, rv: province.ProvinceReview) -> str:
    due = decision["due_date"]
    text = f"{typed(decision['text'])} · {typed(decision['owner'])}"
    if due is not None and not pd.isna(due):
        text += " · " + rv.tr("due {day}", day=periods.day_label(due, rv.lang))
    return text


def focus_kpis(rv: province.ProvinceReview, count: int = FOCUS_COUNT) -> pd.DataFrame:
    """The KPIs a meeting should look at first: off track, then the biggest deteriorations, then at risk."""
    order = {"off_track": 0, "at_risk": 2, "on_track": 3, "met": 4, "no_data": 5}
    table = rv.kpis.copy()
    table["_order"] = table["status"].map(order).fillna(5)
    table.loc[(table["change_kind"] == "worsened") & (table["status"] != "off_track"), "_order"] = 1
    table["_size"] = table["relative_change"].fillna(0)
    return table.sort_values(["_order", "_size"]).head(count)


def title(rv: province.ProvinceReview) -> str:
    return rv.tr("{province}: provincial education review", province=rv.name)


def subtitle(rv: province.ProvinceReview, today: date | None = None) -> str:
    parts = [rv.group_name] if rv.group_name else []
    parts.append(rv.tr("Data as of {day}", day=periods.day_label(rv.as_of, rv.lang)))
    parts.append(rv.tr("Prepared {day}", day=periods.day_label(today or clock.today(), rv.lang)))
    return " · ".join(parts)


def kpi_rows(rv: province.ProvinceReview) -> tuple[list[str], list[list[str]], list[str]]:
    """The KPI table as the brief prints it: (headings, rows of text, status of each row)."""
    headings = [
        rv.tr("KPI"),
        rv.tr("Period"),
        rv.tr("Value"),
        rv.tr("Target"),
        rv.tr("Status"),
        rv.tr("Change"),
        rv.group_heading,
        rv.tr("Nation"),
        rv.tr("National rank"),
    ]
    rows = [
        [
            k["name"],
            k["period"],
            k["value_label"],
            k["target_label"],
            k["status_label"],
            k["change_label"] or i18n.NO_VALUE,
            k["region_label"],
            k["nation_label"],
            k["rank_label"],
        ]
        for _, k in rv.kpis.iterrows()
    ]
    return headings, rows, list(rv.kpis["status"])


def district_rows(rv: province.ProvinceReview, indicator_id: str) -> tuple[list[str], list[list[str]], list[str]]:
    table = province.district_table(rv, indicator_id)
    headings = [rv.tr("District"), rv.tr("Value"), rv.tr("Status"), rv.tr("Change"), rv.tr("Rank")]
    rows = [
        [r["name"], r["value_label"], r["status_label"], r["change_label"] or i18n.NO_VALUE, r["rank_label"]]
        for _, r in table.iterrows()
    ]
    return headings, rows, list(table["status"])


def alert_rows(rv: province.ProvinceReview) -> tuple[list[str], list[list[str]]]:
    headings = [rv.tr("Severity"), rv.tr("Alert"), rv.tr("Where"), rv.tr("State"), rv.tr("Since")]
    rows = [
        [
            a["severity_label"],
            f"{a['title']} ({a['period']})",
            a["place"],
            a["state_label"],
            periods.day_label(a["first_seen_at"], rv.lang),
        ]
        for _, a in rv.open_alerts.iterrows()
    ]
    return headings, rows


def policy_heading(rv: province.ProvinceReview) -> str:
    quarter = rv.policy_period
    text = rv.tr("Policies and projects: progress against plan")
    return text + (f" · {policies.quarter_label(quarter, rv.country, rv.lang)}" if quarter is not None else "")


def policy_rows(rv: province.ProvinceReview) -> tuple[list[str], list[list[str]], list[str]]:
    headings = [rv.tr("Policy or project"), rv.tr("Done"), rv.tr("Planned"), rv.tr("Gap"), rv.tr("Status")]
    rows = [
        [p["name"], p["progress_label"], p["plan_label"], p["gap_label"], p["status_label"]]
        for _, p in rv.policies.iterrows()
    ]
    return headings, rows, list(rv.policies["status"])


def decision_rows(rv: province.ProvinceReview) -> tuple[list[str], list[list[str]], list[str]]:
    headings = [rv.tr("Meeting"), rv.tr("Decision"), rv.tr("Owner"), rv.tr("Due"), rv.tr("Status")]
    rows, statuses = [], []
    for _, d in rv.decisions.iterrows():
        due = d["due_date"]
        rows.append(
            [
                periods.day_label(d["meeting_date"], rv.lang),
                typed(d["text"]),
                typed(d["owner"]),
                periods.day_label(due, rv.lang),
                d["status_label"] + (" · " + rv.tr("overdue") if d["overdue"] else ""),
            ]
        )
        statuses.append("off_track" if d["overdue"] else ("at_risk" if d["status"] == "open" else "on_track"))
    return headings, rows, statuses


def notes_heading(rv: province.ProvinceReview) -> str:
    return rv.tr("What {province} reported", province=rv.name)


def note_rows(rv: province.ProvinceReview) -> tuple[list[str], list[list[str]]]:
    """What the province reported on its policies (progress, problems, obstacles, advice), newest first."""
    headings = [rv.tr("Date"), rv.tr("Policy or project"), rv.tr("Kind"), rv.tr("Note"), rv.tr("Author")]
    rows = [
        [periods.day_label(n["created_at"], rv.lang), n["policy"], n["kind_label"], typed(n["text"]), n["author"]]
        for _, n in rv.policy_notes.iterrows()
    ]
    return headings, rows


def footer(rv: province.ProvinceReview) -> str:
    return rv.tr(
        "Education Management Cockpit · {province} · data as of {day}",
        province=rv.name,
        day=periods.day_label(rv.as_of, rv.lang),
    )


def default_indicator(rv: province.ProvinceReview) -> str:
    """The KPI the district breakdown shows when the reader chose none: the first to look at."""
    return str(focus_kpis(rv, 1)["indicator_id"].iloc[0])


def file_name(rv: province.ProvinceReview, extension: str, today: date | None = None) -> str:
    """'province-67-phetchabun-2026-11-22.pptx'."""
    return workbooks.file_name("province", rv.province_id, rv.name_en, extension, today)
