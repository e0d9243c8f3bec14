"""The Data quality tables: built once per version, scope, day and calendar, each caller with its own copy."""

from datetime import date

from cockpit import settings
from cockpit.alerts import calendar, quality
from cockpit.data import areas, indicators
from cockpit.data.db import Database

DAY = date(2025, 6, 1)


def test_the_quality_tables_are_built_once_per_version_scope_and_day(monkeypatch):
    db = Database(settings.load().data_url)
    everyone, cal = areas.full_scope(db, "th"), calendar.load()
    kpis = indicators.kpis(db, "th")
    built = []
    real = quality._sources
    monkeypatch.setattr(quality, "_sources", lambda *args: built.append(args[4]) or real(*args))
    quality._tables.clear()
    first = quality.sources(db, "th", everyone, kpis, DAY, cal)
    first["source"] = "changed"  # each caller's own copy: changing it changes no other's
    again = quality.sources(db, "th", everyone, kpis, DAY, cal)
    assert built == [DAY] and (again["source"] != "changed").all()
    # Another day, or a narrower scope, is another table.
    quality.sources(db, "th", everyone, kpis, date(2025, 7, 1), cal)
    narrower = quality.sources(db, "th", everyone.within(["47"]), kpis, DAY, cal)
    assert len(built) == 3 and narrower["expected"].max() < again["expected"].max()
    # A calendar that says something else is another table too.
    edited = {**cal, "th": {**cal["th"], "default": calendar.Due(None, cal["th"]["default"].due_days + 30)}}
    quality.sources(db, "th", everyone, kpis, DAY, edited)
    assert len(built) == 4


def test_the_districts_missing_are_named_in_english_and_in_the_countrys_language():
    """A Thai reader read the districts that did not report in English: both names are kept, in the same order."""
    db = Database(settings.load().data_url)
    scope = areas.full_scope(db, "th").within(["67"])
    period = indicators.available_periods(db, "th", "dropout_rate")["period_start"].iloc[0].date()
    rows = db.query("th", "quality/district_reports", scope=scope, indicator_id="dropout_rate", period_start=period)
    half = rows.assign(reported=[n % 2 == 0 for n in range(len(rows))])  # the demo's reporting is complete
    [row] = quality.reports_by_province(half).to_dict("records")
    assert len(row["missing_en"]) == row["expected"] - row["reported"] == len(row["missing_local"]) == len(rows) // 2
    assert all(n.isascii() for n in row["missing_en"]) and not any(n.isascii() for n in row["missing_local"])
    assert quality.reports_by_province(rows).loc[0, "missing_local"] == []  # all reported


def test_a_provinces_missing_districts_are_named_or_all_counted():
    assert quality.missing_label(["Pai", "Mae La Noi"], 5, 164, "en") == "Pai, Mae La Noi"
    assert quality.missing_label(["Pai", "Mae La Noi"], 2, 164, "en") == "All 2 districts"  # none reported
    assert quality.missing_label([], 2, 164, "en") == ""  # all reported
    many = quality.missing_label([f"Bang District {n}" for n in range(50)], 60, 164, "en")
    assert many.startswith("Bang District 0, ") and many.endswith(" more districts")
