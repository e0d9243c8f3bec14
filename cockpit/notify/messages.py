"""What a notification says: an alert or a day's alerts as plain text in the reader's language."""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from datetime import date
from urllib.parse import urlencode

from cockpit import clock
from cockpit.alerts import evaluation, lifecycle, rules
from cockpit.data import areas
from cockpit.data.db import Database
from cockpit.data.schema import SEVERITIES
from cockpit.i18n import N_, local_names, tr

SEVERITY_LABELS, STATE_LABELS = lifecycle.SEVERITY_LABELS, lifecycle.STATE_LABELS
RESPOND_LABELS = {
    "school": N_("School"),
    "district": N_("District"),
    "province": N_("Province"),
    "region": N_("Region"),
    "country": N_("National level"),
}


@dataclass(frozen=True)
class Message:
    subject: str
    body: str  # plain text: titles and names are never markup, so nothing needs escaping


@dataclass(frozen=True)
class Place:
    """An area an alert is raised on, named in English and in the local script, and the province holding it."""

    level: str
    province_id: str
    name_en: str
    name_local: str
    province_en: str
    province_local: str


Places = Mapping[str, Place]


def places(db: Database, country: str) -> dict[str, Place]:
    """Every province and district of the version `db` serves, by area id."""
    table = evaluation.areas_in_scope(db, country, areas.full_scope(db, country))
    return {
        row.area_id: Place(
            row.level, row.province_id, row.name_en, row.name_local, row.province_name_en, row.province_name_local
        )
        for row in table.itertuples(index=False)
    }


def place_name(area_id: str, country: str, lang: str, known: Places) -> str:
    """'District, Province' or 'Province' as the reader names them; the id when the data does not know it."""
    place = known.get(area_id)
    if place is None:
        return area_id
    local = local_names(country, lang)
    name = place.name_local if local else place.name_en
    if place.level == "province":
        return name
    return f"{name}, {place.province_local if local else place.province_en}"


def title(alert: lifecycle.Alert, lang: str, by_uid: Mapping[str, rules.Rule]) -> str:
    rule = by_uid.get(alert.rule_id)
    return rule.text("title", lang) if rule else alert.title  # a rule since removed keeps its recorded title


def link(base_url: str, alert: lifecycle.Alert, country: str, lang: str) -> str:
    if not base_url:
        return ""
    return f"{base_url}/alerts?{urlencode({'alert': alert.id, 'country': country, 'lang': lang})}"


def critical(
    alert: lifecycle.Alert, country: str, lang: str, known: Places, by_uid: Mapping[str, rules.Rule], base_url: str
) -> Message:
    """The message that a critical alert has just opened: what, where, who must act, what to do."""
    what = title(alert, lang, by_uid)
    where = place_name(alert.area_id, country, lang, known)
    respond = alert.detail.get("respond", "")
    lines = [
        what,
        "",
        tr(lang, "Where: {place}", place=where),
        tr(lang, "Severity: {severity}", severity=tr(lang, SEVERITY_LABELS["critical"])),
        tr(lang, "Since: {day}", day=_day(alert)),
    ]
    if respond:
        lines.append(tr(lang, "Who must respond: {level}", level=tr(lang, RESPOND_LABELS.get(respond, respond))))
    rule = by_uid.get(alert.rule_id)
    if rule is not None and rule.text("runbook", lang):
        lines += ["", tr(lang, "What to do:"), rule.text("runbook", lang)]
    url = link(base_url, alert, country, lang)
    if url:
        lines += ["", tr(lang, "Open it in the cockpit: {url}", url=url)]
    return Message(tr(lang, "Critical alert: {title} – {place}", title=what, place=where), "\n".join(lines) + "\n")


def digest(
    alerts: Iterable[lifecycle.Alert],
    day: date,
    country: str,
    lang: str,
    known: Places,
    by_uid: Mapping[str, rules.Rule],
    base_url: str,
) -> Message:
    """The day's open alerts that opened or changed, worst severity first, each with its place and state."""
    alerts = list(alerts)
    lines = [tr(lang, "Alerts opened or changed on {day} that are still open:", day=day.isoformat())]
    for severity in SEVERITIES:
        group = [a for a in alerts if a.severity == severity]
        if not group:
            continue
        lines += ["", f"{tr(lang, SEVERITY_LABELS[severity])} ({len(group)})"]
        for alert in sorted(group, key=lambda a: (place_name(a.area_id, country, lang, known), a.id)):
            state = tr(lang, STATE_LABELS.get(alert.state, alert.state))
            where = place_name(alert.area_id, country, lang, known)
            lines.append(f"- {title(alert, lang, by_uid)} – {where} ({state})")
            url = link(base_url, alert, country, lang)
            if url:
                lines.append(f"  {url}")
    subject = tr(lang, "Cockpit alerts of {day}: {count} open", day=day.isoformat(), count=len(alerts))
    return Message(subject, "\n".join(lines) + "\n")


def _day(alert: lifecycle.Alert) -> str:
    return alert.first_seen_at.astimezone(clock.zone()).date().isoformat()
