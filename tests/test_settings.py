"""Settings: parsed once per set of values the environment gives them, and a changed variable is seen at once."""

import pytest

from cockpit import settings


def test_settings_are_parsed_once_while_the_environment_stays(monkeypatch):
    monkeypatch.setenv("COCKPIT_IDLE_MINUTES", "17")
    first = settings.load()
    assert settings.load() is first  # pages ask a hundred times a rerun: no parsing again
    assert first.idle_minutes == 17


def test_a_changed_variable_is_seen_at_once(monkeypatch):
    monkeypatch.setenv("COCKPIT_IDLE_MINUTES", "17")
    monkeypatch.setenv("COCKPIT_TODAY", "2026-01-02")
    assert (settings.load().idle_minutes, settings.load().today) == (17, "2026-01-02")
    monkeypatch.setenv("COCKPIT_IDLE_MINUTES", "18")
    monkeypatch.delenv("COCKPIT_TODAY")
    assert (settings.load().idle_minutes, settings.load().today) == (18, "")
    monkeypatch.setenv("COCKPIT_IDLE_MINUTES", "soon")
    with pytest.raises(ValueError, match="COCKPIT_IDLE_MINUTES must be a whole number"):
        settings.load()


def test_an_environment_given_is_read_instead():
    assert settings.load({"COCKPIT_WARROOM_INTERVAL": "5"}).warroom_interval == 5
    assert settings.load({}).warroom_interval == 60
