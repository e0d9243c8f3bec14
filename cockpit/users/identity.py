"""The signed-in identity, and the actor of a write: that identity with the scope derived from it for one country.

Every write in the state store takes an Actor and asks `check` first: the role must allow the action and the
area written about must be in the actor's scope. A refusal is recorded in the audit trail and raised as
Forbidden, whatever page, URL, widget or direct call asked for it.
"""

from __future__ import annotations

from dataclasses import dataclass

from cockpit import i18n
from cockpit.data.access import Scope
from cockpit.i18n import N_
from cockpit.users import roles as roles_

VIA = ("local", "oidc", "demo", "wall", "cli")


class Forbidden(PermissionError):
    """An action the signed-in identity may not take: `message` is an interface message (English msgid)."""

    def __init__(self, message: str, **values):
        self.message, self.values = message, values
        super().__init__(message.format(**values) if values else message)

    def text(self, lang: str) -> str:
        """The refusal in `lang`, a role named by its title in it."""
        values = dict(self.values)
        if "role" in values:
            values["role"] = roles_.title(values["role"], lang)
        return i18n.tr(lang, self.message, **values)


@dataclass(frozen=True)
class Identity:
    login: str
    name: str
    role: str
    country: str | None = None  # None: every country
    area_id: str | None = None  # None: national; a province id or a province group key ("reo:17")
    via: str = "local"

    @property
    def label(self) -> str:
        """How the identity is written as the actor of an action: its name, and its login when they differ."""
        return self.name if self.name == self.login else f"{self.name} ({self.login})"

    @property
    def national(self) -> bool:
        """Whether it acts for the whole country (no province or province group of its own)."""
        return self.area_id is None

    def role_(self) -> roles_.Role:
        return roles_.get(self.role)

    def can(self, permission: str) -> bool:
        return permission in self.role_().can

    def sees(self, url_path: str) -> bool:
        return self.role_().sees(url_path)


@dataclass(frozen=True)
class Actor:
    """Who writes: the identity and its scope in the country written to (from `areas.scope_of`, never a page)."""

    identity: Identity
    country: str
    scope: Scope

    @property
    def label(self) -> str:
        """How the actor is written into what it records. A demo account by its name in the language of the country
        written to, where its records are read ("Demo meeting secretary" on Thai and Lao pages before)."""
        demo = self.identity.via == "demo"
        account = roles_.demo_accounts().get(self.identity.login.removeprefix("demo.")) if demo else None
        if account is None:
            return self.identity.label
        return f"{account.name_in(i18n.COUNTRY_LANGUAGE.get(self.country, 'en'))} ({self.identity.login})"

    def refusal(self, permission: str, country: str, area_id: str | None) -> Forbidden | None:
        """Why this actor may not `permission` on `area_id` of `country` (None for a national subject), or None."""
        if permission not in self.identity.role_().can:
            return Forbidden(N_("Your role ({role}) may not do this."), role=self.identity.role)
        if country != self.country or self.identity.country not in (None, country):
            return Forbidden(N_("This is outside your scope."))
        if area_id is None:
            if not self.identity.national:
                return Forbidden(N_("Only a national role may do this for the whole country."))
            return None
        if not self.scope.covers(area_id):
            return Forbidden(N_("This is outside your scope."))
        return None
