"""The contact points and routes of config/notifications.yaml, read and checked field by field."""

from __future__ import annotations

import re
from dataclasses import dataclass
from pathlib import Path
from typing import Annotated, Literal

from pydantic import AfterValidator, BeforeValidator, Field, StringConstraints, model_validator

from cockpit import config, settings
from cockpit.alerts.rules import RESPONDERS
from cockpit.config import ConfigError, Invalid, Strict
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


def _listed(value):
    """One value, or a list of them."""
    return [value] if isinstance(value, str) else value


def _http(url: str) -> str:
    if url and not url.startswith(("http://", "https://")):
        raise Invalid(f"must start with http:// or https://, got {url!r}")
    return url


def _address(value: str) -> str:
    if "@" not in value:
        raise Invalid(f"must be an e-mail address, got {value!r}")
    return value


Text = Annotated[str, StringConstraints(strip_whitespace=True, min_length=1, max_length=500)]
Name = Annotated[str, StringConstraints(pattern=NAME.pattern)]
EnvName = Annotated[str, StringConstraints(pattern=ENV_NAME.pattern)]
Address = Annotated[Text, AfterValidator(_address)]
Url = Annotated[Text, AfterValidator(_http)]
Listed = BeforeValidator(_listed)


class Smtp(Strict):
    host: Text
    port: Annotated[int, Field(ge=1, le=65535)] | None = None  # default: 587 with starttls, 25 without
    sender: Address = Field(alias="from")
    starttls: bool = True
    user: Annotated[str, StringConstraints(strip_whitespace=True)] = ""
    password_env: EnvName | None = None  # the environment variable holding the password: never the password

    @model_validator(mode="before")
    @classmethod
    def _no_password(cls, raw):
        if isinstance(raw, dict) and "password" in raw:
            raise Invalid("never write a password here: name its variable in password_env", "password")
        return raw

    @model_validator(mode="after")
    def _password_named(self):
        if self.user and not self.password_env:
            raise Invalid("required with user: the environment variable holding the password", "password_env")
        return self


class Email(Strict):
    kind: Literal["email"]
    name: Name
    enabled: bool = True
    to: Annotated[list[Address], Listed, Field(min_length=1)]
    smtp: Smtp


class Header(Strict):
    name: Text
    value_env: EnvName  # the environment variable holding the header's value (a token)


class Webhook(Strict):
    kind: Literal["webhook"]
    name: Name
    enabled: bool = True
    url: Url
    header: Header | None = None


class Retry(Strict):
    max_attempts: int = Field(5, ge=1, le=100)
    first_delay_minutes: float = Field(5.0, ge=0, le=24 * 60)


class RouteEntry(Strict):
    name: Name
    country: Annotated[str, StringConstraints(pattern=COUNTRY.pattern)]
    severity: Annotated[list[Literal[SEVERITIES]], Listed] | None = None
    min_severity: Literal[SEVERITIES] | None = None
    areas: list[Annotated[str, StringConstraints(min_length=1)]] = []  # province or district ids: quote them
    respond: Annotated[list[Literal[RESPONDERS]], Listed] = []
    contact_points: Annotated[list[str], Listed, Field(min_length=1)]
    language: Literal[LANGUAGES] | None = None  # default: the country's language
    mode: Literal[MODES]

    @model_validator(mode="after")
    def _severities(self):
        if self.severity is not None and self.min_severity is not None:
            raise Invalid("give severity (a list) or min_severity, not both", "min_severity")
        if self.mode == "immediate" and "critical" not in self.severities():
            # Only a new critical alert is sent at once; the rest wait for the digest.
            raise Invalid("an immediate route sends only critical alerts: include critical", "severity")
        return self

    def severities(self) -> tuple[str, ...]:
        if self.min_severity is not None:
            return SEVERITIES[: SEVERITIES.index(self.min_severity) + 1]  # SEVERITIES runs from the worst
        return tuple(s for s in SEVERITIES if s in (self.severity or SEVERITIES))


class NotificationsFile(Strict):
    base_url: Annotated[str, StringConstraints(strip_whitespace=True), AfterValidator(_http)] = ""
    retry: Retry | None = None
    contact_points: list[Annotated[Email | Webhook, Field(discriminator="kind")]] | None = None
    routes: list[RouteEntry] | None = None

    @model_validator(mode="after")
    def _names(self):
        points = [p.name for p in self.contact_points or []]
        for i, name in enumerate(points):
            if name in points[:i]:
                raise Invalid(f"{name!r} is named twice", f"contact_points.{i}.name")
        routes = [r.name for r in self.routes or []]
        for i, route in enumerate(self.routes or []):
            if route.name in routes[:i]:
                raise Invalid(f"{route.name!r} is named twice", f"routes.{i}.name")
            for point in route.contact_points:
                if point not in points:
                    known = ", ".join(points) or "none"
                    raise Invalid(f"no contact point {point!r} (known: {known})", f"routes.{i}.contact_points")
        return self


def load(file: Path | str | None = None) -> Notifications:
    """The notifications configured in `file` (default: the notifications_file setting); ConfigError names
    the file, the field, its line and the problem. No file at all is no notifications, not an error."""
    file = Path(file) if file is not None else path()
    if not file.exists():
        return Notifications({}, (), "", 5, 5.0)
    parsed, _stamp = config.load(file, NotificationsFile, "contact_points and routes")
    retry = parsed.retry or Retry()
    points = {p.name: _contact_point(p) for p in parsed.contact_points or []}
    routes = tuple(
        Route(
            name=r.name,
            country=r.country,
            severities=r.severities(),
            areas=tuple(r.areas),
            respond=tuple(r.respond),
            contact_points=tuple(r.contact_points),
            language=r.language or COUNTRY_LANGUAGE.get(r.country, "en"),
            mode=r.mode,
        )
        for r in parsed.routes or []
    )
    return Notifications(points, routes, parsed.base_url.rstrip("/"), retry.max_attempts, retry.first_delay_minutes)


def _contact_point(entry: Email | Webhook) -> ContactPoint:
    if isinstance(entry, Webhook):
        header = entry.header
        return ContactPoint(
            entry.name,
            entry.kind,
            entry.enabled,
            url=entry.url,
            header_name=header.name if header else "",
            header_env=header.value_env if header else "",
        )
    smtp = entry.smtp
    return ContactPoint(
        entry.name,
        entry.kind,
        entry.enabled,
        to=tuple(entry.to),
        smtp_host=smtp.host,
        smtp_port=smtp.port if smtp.port is not None else 587 if smtp.starttls else 25,
        sender=smtp.sender,
        starttls=smtp.starttls,
        user=smtp.user,
        password_env=smtp.password_env or "",
    )
