"""The contact points and routes of config/notifications.yaml, read and checked field by field."""

from __future__ import annotations

import re
from dataclasses import dataclass
from pathlib import Path

from cockpit import settings
from cockpit.alerts.rules import RESPONDERS
from cockpit.config import ConfigError, read
from cockpit.data.schema import SEVERITIES
from cockpit.i18n import COUNTRY_LANGUAGE, LANGUAGES

__all__ = ["ConfigError", "ContactPoint", "Notifications", "Route", "load"]

KINDS = ("email", "webhook")
MODES = ("immediate", "digest")
COUNTRY = re.compile(r"^[a-z]{2,10}$")  # a country code as the extracts use it: th, la
NAME = re.compile(r"^[A-Za-z0-9_.-]{1,100}$")
ENV_NAME = re.compile(r"^[A-Za-z_][A-Za-z0-9_]*$")


@dataclass(frozen=True)
class ContactPoint:
    name: str
    kind: str  # email or webhook
    enabled: bool
    # email
    to: tuple[str, ...] = ()
    smtp_host: str = ""
    smtp_port: int = 25
    sender: str = ""
    starttls: bool = True
    user: str = ""
    password_env: str = ""  # the environment variable holding the password: never the password itself
    # webhook
    url: str = ""
    header_name: str = ""
    header_env: str = ""  # the environment variable holding the header's value (a token)


@dataclass(frozen=True)
class Route:
    name: str
    country: str
    severities: tuple[str, ...]
    areas: tuple[str, ...]  # province or district ids; empty: every area
    respond: tuple[str, ...]  # the levels that must respond; empty: any
    contact_points: tuple[str, ...]
    language: str
    mode: str  # immediate (critical alerts, at once) or digest (once a day)

    def matches(self, country: str, severity: str, area_ids: tuple[str, ...], respond: str) -> bool:
        """Whether an alert is for this route; `area_ids` are its area and the province that holds it."""
        return (
            country == self.country
            and severity in self.severities
            and (not self.areas or any(a in self.areas for a in area_ids))
            and (not self.respond or respond in self.respond)
        )


@dataclass(frozen=True)
class Notifications:
    contact_points: dict[str, ContactPoint]
    routes: tuple[Route, ...]
    base_url: str  # where links in messages point; empty: no links
    max_attempts: int
    first_delay_minutes: float

    def enabled_points(self, route: Route) -> list[ContactPoint]:
        return [self.contact_points[n] for n in route.contact_points if self.contact_points[n].enabled]


def path() -> Path:
    return settings.load().notifications_file


def load(file: Path | str | None = None) -> Notifications:
    """The notifications configured in `file` (default: the notifications_file setting); ConfigError names
    the file, the field and the problem. No file at all is no notifications, not an error."""
    file = Path(file) if file is not None else path()
    if not file.exists():
        return Notifications({}, (), "", 5, 5.0)
    raw, _stamp = read(file, "contact_points and routes")
    unknown = set(raw) - {"base_url", "retry", "contact_points", "routes"}
    if unknown:
        raise ConfigError(file, sorted(unknown)[0], "unknown field (expected base_url, retry, contact_points, routes)")
    base_url = _text(raw, "base_url", file, "base_url", required=False).rstrip("/")
    if base_url and not base_url.startswith(("http://", "https://")):
        raise ConfigError(file, "base_url", f"must start with http:// or https://, got {base_url!r}")
    retry = raw.get("retry") or {}
    if not isinstance(retry, dict):
        raise ConfigError(file, "retry", "must be a mapping of max_attempts and first_delay_minutes")
    max_attempts = _number(retry, "max_attempts", file, "retry.max_attempts", 5, int, 1)
    first_delay = _number(retry, "first_delay_minutes", file, "retry.first_delay_minutes", 5.0, float, 0)
    points: dict[str, ContactPoint] = {}
    for i, item in enumerate(_list(raw, "contact_points", file, "contact_points")):
        point = _contact_point(item, file, f"contact_points[{i}]")
        if point.name in points:
            raise ConfigError(file, f"contact_points[{i}].name", f"{point.name!r} is named twice")
        points[point.name] = point
    routes = []
    for i, item in enumerate(_list(raw, "routes", file, "routes")):
        route = _route(item, file, f"routes[{i}]", points)
        if route.name in {r.name for r in routes}:
            raise ConfigError(file, f"routes[{i}].name", f"{route.name!r} is named twice")
        routes.append(route)
    return Notifications(points, tuple(routes), base_url, max_attempts, first_delay)


def _contact_point(raw, file: Path, where: str) -> ContactPoint:
    if not isinstance(raw, dict):
        raise ConfigError(file, where, "must be a mapping with name, kind and the kind's fields")
    name = _name(raw, file, where)
    kind = _choice(raw, "kind", file, f"{where}.kind", KINDS)
    enabled = _flag(raw, "enabled", file, f"{where}.enabled", True)
    allowed = {"name", "kind", "enabled"} | ({"to", "smtp"} if kind == "email" else {"url", "header"})
    _no_unknown(raw, allowed, file, where)
    if kind == "webhook":
        url = _text(raw, "url", file, f"{where}.url")
        if not url.startswith(("http://", "https://")):
            raise ConfigError(file, f"{where}.url", f"must start with http:// or https://, got {url!r}")
        header = raw.get("header") or {}
        if not isinstance(header, dict):
            raise ConfigError(file, f"{where}.header", "must be a mapping of name and value_env")
        _no_unknown(header, {"name", "value_env"}, file, f"{where}.header")
        header_name = _text(header, "name", file, f"{where}.header.name", required=bool(header))
        header_env = _env(header, "value_env", file, f"{where}.header.value_env", required=bool(header))
        return ContactPoint(name, kind, enabled, url=url, header_name=header_name, header_env=header_env)
    to = raw.get("to")
    if isinstance(to, str):
        to = [to]
    if not isinstance(to, list) or not to or not all(isinstance(a, str) and "@" in a for a in to):
        raise ConfigError(file, f"{where}.to", "must be an e-mail address or a list of them")
    smtp = raw.get("smtp")
    if not isinstance(smtp, dict):
        raise ConfigError(file, f"{where}.smtp", "missing, or not a mapping of host, port, from, starttls, user")
    at = f"{where}.smtp"
    if "password" in smtp:
        raise ConfigError(file, f"{at}.password", "never write a password here: name its variable in password_env")
    _no_unknown(smtp, {"host", "port", "from", "starttls", "user", "password_env"}, file, at)
    starttls = _flag(smtp, "starttls", file, f"{at}.starttls", True)
    user = _text(smtp, "user", file, f"{at}.user", required=False)
    sender = _text(smtp, "from", file, f"{at}.from")
    if "@" not in sender:
        raise ConfigError(file, f"{at}.from", f"must be an e-mail address, got {sender!r}")
    return ContactPoint(
        name,
        kind,
        enabled,
        to=tuple(to),
        smtp_host=_text(smtp, "host", file, f"{at}.host"),
        smtp_port=_number(smtp, "port", file, f"{at}.port", 587 if starttls else 25, int, 1),
        sender=sender,
        starttls=starttls,
        user=user,
        password_env=_env(smtp, "password_env", file, f"{at}.password_env", required=bool(user)),
    )


def _route(raw, file: Path, where: str, points: dict[str, ContactPoint]) -> Route:
    if not isinstance(raw, dict):
        raise ConfigError(file, where, "must be a mapping with name, country, contact_points, language and mode")
    _no_unknown(
        raw,
        {"name", "country", "severity", "min_severity", "areas", "respond", "contact_points", "language", "mode"},
        file,
        where,
    )
    name = _name(raw, file, where)
    country = raw.get("country")
    if not isinstance(country, str) or not COUNTRY.match(country):
        raise ConfigError(file, f"{where}.country", f"required: a country code such as th or la, got {country!r}")
    mode = _choice(raw, "mode", file, f"{where}.mode", MODES)
    if "severity" in raw and "min_severity" in raw:
        raise ConfigError(file, f"{where}.min_severity", "give severity (a list) or min_severity, not both")
    if "min_severity" in raw:
        lowest = _choice(raw, "min_severity", file, f"{where}.min_severity", SEVERITIES)
        severities = SEVERITIES[: SEVERITIES.index(lowest) + 1]  # SEVERITIES runs from the worst
    else:
        severities = _strings(raw, "severity", file, f"{where}.severity", SEVERITIES) or SEVERITIES
    if mode == "immediate" and "critical" not in severities:
        # Only a new critical alert is sent at once; the rest wait for the digest.
        raise ConfigError(file, f"{where}.severity", "an immediate route sends only critical alerts: include critical")
    contact_points = _strings(raw, "contact_points", file, f"{where}.contact_points")
    if not contact_points:
        raise ConfigError(file, f"{where}.contact_points", "must name at least one contact point")
    for point in contact_points:
        if point not in points:
            known = ", ".join(points) or "none"
            raise ConfigError(file, f"{where}.contact_points", f"no contact point {point!r} (known: {known})")
    language = raw.get("language", COUNTRY_LANGUAGE.get(country, "en"))
    if language not in LANGUAGES:
        raise ConfigError(file, f"{where}.language", f"must be one of {', '.join(LANGUAGES)}, got {language!r}")
    return Route(
        name=name,
        country=country,
        severities=tuple(s for s in SEVERITIES if s in severities),
        areas=tuple(str(a) for a in _list(raw, "areas", file, f"{where}.areas")),
        respond=_strings(raw, "respond", file, f"{where}.respond", RESPONDERS),
        contact_points=contact_points,
        language=language,
        mode=mode,
    )


def _no_unknown(raw: dict, allowed: set[str], file: Path, where: str) -> None:
    unknown = sorted(set(raw) - allowed)
    if unknown:
        raise ConfigError(file, f"{where}.{unknown[0]}", f"unknown field (expected {', '.join(sorted(allowed))})")


def _name(raw: dict, file: Path, where: str) -> str:
    name = raw.get("name")
    if not isinstance(name, str) or not NAME.match(name):
        raise ConfigError(file, f"{where}.name", f"required: letters, digits, '-', '_' or '.', got {name!r}")
    return name


def _text(raw: dict, key: str, file: Path, where: str, required: bool = True) -> str:
    value = raw.get(key)
    if not required and (value is None or value == ""):
        return ""
    if not isinstance(value, str) or not value.strip():
        raise ConfigError(file, where, "required text" if value is None else f"must be text, got {value!r}")
    return value.strip()


def _env(raw: dict, key: str, file: Path, where: str, required: bool) -> str:
    name = _text(raw, key, file, where, required)
    if name and not ENV_NAME.match(name):
        raise ConfigError(file, where, f"must be the name of an environment variable, got {name!r}")
    return name


def _choice(raw: dict, key: str, file: Path, where: str, choices: tuple[str, ...]) -> str:
    value = raw.get(key)
    if value not in choices:
        raise ConfigError(file, where, f"must be one of {', '.join(choices)}, got {value!r}")
    return value


def _flag(raw: dict, key: str, file: Path, where: str, default: bool) -> bool:
    value = raw.get(key, default)
    if not isinstance(value, bool):
        raise ConfigError(file, where, f"must be true or false, got {value!r}")
    return value


def _number(raw: dict, key: str, file: Path, where: str, default, kind: type, least: float):
    value = raw.get(key, default)
    if isinstance(value, bool) or not isinstance(value, int | float) or (kind is int and value != int(value)):
        raise ConfigError(file, where, f"must be a {'whole ' if kind is int else ''}number, got {value!r}")
    if value < least:
        raise ConfigError(file, where, f"must be at least {least}, got {value!r}")
    return kind(value)


def _list(raw: dict, key: str, file: Path, where: str) -> list:
    value = raw.get(key)
    if value is None:
        return []
    if not isinstance(value, list):
        raise ConfigError(file, where, f"must be a list, got {value!r}")
    return value


def _strings(raw: dict, key: str, file: Path, where: str, choices: tuple[str, ...] | None = None) -> tuple[str, ...]:
    value = raw.get(key)
    if isinstance(value, str):
        value = [value]
    values = _list({key: value}, key, file, where)
    for v in values:
        if not isinstance(v, str) or (choices is not None and v not in choices):
            expected = f"one of {', '.join(choices)}" if choices else "a name"
            raise ConfigError(file, where, f"each must be {expected}, got {v!r}")
    return tuple(values)
