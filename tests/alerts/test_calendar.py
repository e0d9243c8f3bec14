"""The reporting calendar: which period is due on a day, its file's errors by key, and a month nobody reported."""

import shutil
from datetime import date

import pandas as pd
import pytest
import tiny
from conftest import AS_OF, DATA_DIR

from cockpit import config
from cockpit.alerts import calendar, evaluation, rules


@pytest.mark.parametrize(
    ("country", "frequency", "due_days", "as_of", "due"),
    [
        ("th", "month", 15, date(2026, 9, 14), date(2026, 7, 1)),
        ("th", "month", 15, date(2026, 9, 15), date(2026, 8, 1)),  # August's return is due on 15 September
        ("th", "year", 60, date(2026, 11, 28), date(2024, 10, 1)),
        ("th", "year", 60, date(2026, 11, 29), date(2025, 10, 1)),  # FY2569 ends 30 Sep 2026, due 60 days on
        ("la", "year", 90, date(2026, 11, 29), date(2025, 9, 1)),  # SY 2025-26 ends 31 Aug 2026
        ("th", "term", 30, date(2026, 11, 30), date(2026, 5, 16)),  # term 1/2569 ends 31 Oct
        ("th", "term", 30, date(2026, 11, 29), date(2025, 11, 1)),
    ],
)
def test_the_period_due_on_a_day(country, frequency, due_days, as_of, due):
    assert calendar.due_period(country, frequency, due_days, as_of) == due


def test_the_shipped_calendar_loads_and_fills_in_the_catalogue_frequency():
    shipped = calendar.load()
    assert calendar.due_for(shipped, "th", "attendance_rate", "month") == calendar.Due("month", 15)
    assert calendar.due_for(shipped, "la", "dropout_rate", "year") == calendar.Due("year", 90)


@pytest.mark.parametrize(
    ("text", "key"),
    [
        ("countries: {th: {indicators: {}}}", "countries.th.default"),
        ("countries: {th: {default: {due_days: 10}, indicator: {}}}", "countries.th.indicator"),
        ("countries: {th: {default: {due_days: -1}}}", "countries.th.default.due_days"),
        (
            "countries: {th: {default: {due_days: 10}, indicators: {x: {frequency: weekly}}}}",
            "countries.th.indicators.x.frequency",
        ),
        ("countries: {th: {default: {due_day: 10}}}", "countries.th.default.due_day"),
    ],
)
def test_a_broken_calendar_names_the_key(tmp_path, text, key):
    path = tmp_path / "reporting_calendar.yaml"
    path.write_text(text, encoding="utf-8")
    with pytest.raises(config.ConfigError) as caught:
        calendar.load(path)
    assert caught.value.key == key


@pytest.mark.calendar
def test_removing_every_districts_month_makes_every_district_missing(tmp_path):
    """On the Thai demo: the month the calendar says is due, taken out for every district, is missing everywhere."""
    extracts = tmp_path / "th"
    shutil.copytree(DATA_DIR / "th", extracts)
    observations = pd.read_parquet(extracts / "observations.parquet")
    due = calendar.due_period("th", "month", 15, AS_OF)
    gone = (observations["indicator_id"] == "attendance_rate") & (observations["period_start"] == due)
    assert gone.any()
    observations[~gone].to_parquet(extracts / "observations.parquet", index=False)
    db = tiny.served(tmp_path)
    ruleset = rules.RuleSet(
        (
            rules.parse_rule(
                dict(
                    uid="attendance-missing",
                    title="Attendance return missing",
                    watch={"indicator": "attendance_rate"},
                    condition={"kind": "missing_report"},
                    level="district",
                    severity="low",
                    runbook="Ask the district offices for the month's return.",
                ),
                "test.yaml",
            ),
        ),
        (),
    )
    result = evaluation.evaluate(db, "th", ruleset, AS_OF)
    areas = pd.read_parquet(extracts / "areas.parquet")
    districts = set(areas.loc[areas["level"] == "district", "area_id"])
    assert len(districts) == 928
    assert {f.area_id for f in result.firing} == districts
    assert {f.period_start for f in result.firing} == {due}
