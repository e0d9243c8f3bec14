"""The one clock: the machine's when nothing is set, moved whole by COCKPIT_TODAY, in the meeting room's zone."""

from datetime import UTC, date, datetime

import pytest
import time_machine

from cockpit import clock


def test_unset_it_is_the_machines_clock_in_the_meeting_rooms_zone(monkeypatch):
    monkeypatch.setenv("COCKPIT_TODAY", "")
    with time_machine.travel(datetime(2027, 1, 31, 18, 30, tzinfo=UTC), tick=False):
        assert clock.today() == date(2027, 2, 1)  # 01:30 in Bangkok
        assert clock.utcnow() == datetime(2027, 1, 31, 18, 30, tzinfo=UTC)


def test_cockpit_today_moves_the_date_and_the_time_of_day_keeps_running(monkeypatch):
    monkeypatch.setenv("COCKPIT_TODAY", "2030-06-15")
    with time_machine.travel(datetime(2027, 3, 1, 3, 0, tzinfo=UTC), tick=False) as traveller:
        assert clock.today() == date(2030, 6, 15) and clock.now().hour == 10
        before = clock.timestamp()
        traveller.shift(90)
        assert clock.timestamp() - before == pytest.approx(90)  # rotations and refreshes still count seconds
        assert clock.local_date(clock.timestamp()) == date(2030, 6, 15)


@pytest.mark.parametrize("value", ["15/06/2030", "tomorrow", "2030-13-01"])
def test_a_wrong_date_is_named_with_its_setting(monkeypatch, value):
    monkeypatch.setenv("COCKPIT_TODAY", value)
    with pytest.raises(clock.ClockError, match="COCKPIT_TODAY must be a date as YYYY-MM-DD"):
        clock.today()


def test_the_last_month_end_before_a_day():
    assert clock.last_month_end(date(2026, 12, 3)) == date(2026, 11, 30)
    assert clock.last_month_end(date(2026, 11, 30)) == date(2026, 10, 31)  # November is not over yet
    assert clock.last_month_end(date(2028, 3, 1)) == date(2028, 2, 29)
