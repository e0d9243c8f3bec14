"""The roles of config/roles.yaml: what each may do (`can`), the scope it reads, the pages it sees; demo accounts."""

from __future__ import annotations

import fnmatch
from dataclasses import dataclass
from pathlib import Path
from typing import Annotated, Literal

from pydantic import Field, StringConstraints, model_validator

from cockpit import config, settings
from cockpit.config import Invalid, Strict, Texts
from cockpit.i18n import COUNTRY_LANGUAGE

PERMISSIONS = (
    "read",
    "export",
    "act_alerts",
    "write_notes",
    "record_decisions",
    "publish",
    "manage_users",
    "read_audit",
)
SCOPES = ("national", "region", "province")
COUNTRIES = tuple(COUNTRY_LANGUAGE)
# Pages only some roles see when a role lists no pages of its own: page → the permission it needs.
GUARDED_PAGES = {"data": "publish", "audit": "read_audit"}


@dataclass(frozen=True)
class Role:
    name: str
    title: dict[str, str]  # by language (en, th, lo); English at least
    scope: str
    can: frozenset[str]
    pages: tuple[str, ...] | None  # url paths (fnmatch patterns); None: every page its permissions allow

    def title_in(self, lang: str) -> str:
        return config.text_in(self.title, lang)

    def sees(self, url_path: str) -> bool:
        if self.pages is not None:
            return any(fnmatch.fnmatchcase(url_path, p) for p in self.pages)
        needed = GUARDED_PAGES.get(url_path)
        return needed is None or needed in self.can


@dataclass(frozen=True)
class DemoAccount:
    key: str  # its login is demo.<key>
    role: str
    names: dict[str, str]  # by language; English at least
    country: str | None
    area_id: str | None

    @property
    def name(self) -> str:
        """In English: the account's name in the audit trail and the logs."""
        return self.names["en"]

    def name_in(self, lang: str) -> str:
        return config.text_in(self.names, lang)


class RoleEntry(Strict):
    title: Texts | None = None  # default: the role's name
    scope: Literal[SCOPES]
    can: list[Literal[PERMISSIONS]] = []
    pages: list[Annotated[str, StringConstraints(min_length=1)]] | None = None  # url paths (fnmatch patterns)


class DemoEntry(Strict):
    role: str | None = None  # default: the entry's key (a second account of a role needs a key of its own)
    name: Texts | None = None
    country: Literal[COUNTRIES] | None = None
    area: Annotated[str, StringConstraints(min_length=1)] | None = None  # an area id, quoted: "67"


class RolesFile(Strict):
    roles: Annotated[dict[str, RoleEntry], Field(min_length=1)]
    demo_accounts: dict[str, DemoEntry] | None = None

    @model_validator(mode="after")
    def _known_roles(self):
        for key, entry in (self.demo_accounts or {}).items():
            if (entry.role or key) not in self.roles:
                raise Invalid(f"no role {entry.role or key!r} in roles", f"demo_accounts.{key}")
        return self


def _file(path: Path | str | None) -> RolesFile:
    parsed, _ = config.load(Path(path or settings.load().roles_file), RolesFile, "roles")
    return parsed


def load(path: Path | str | None = None) -> dict[str, Role]:
    """Every role by name; config.ConfigError naming the key at fault and its line when the file is wrong."""
    return {
        name: Role(
            name,
            entry.title or {"en": name},
            entry.scope,
            frozenset(entry.can),
            tuple(entry.pages) if entry.pages else None,
        )
        for name, entry in _file(path).roles.items()
    }


def get(name: str, path: Path | str | None = None) -> Role:
    roles = load(path)
    if name not in roles:
        raise config.ConfigError(path or settings.load().roles_file, "roles", f"no role {name!r}")
    return roles[name]


# The office a role's scope stands for, as alert rules name who must respond (`respond` in rules/*.yaml).
OFFICE_OF_SCOPE = {"province": "province", "region": "region"}


def office(name: str) -> str | None:
    """The office level whose alerts this role must respond to first; None for a national role."""
    return OFFICE_OF_SCOPE.get(get(name).scope)


def demo_accounts(path: Path | str | None = None) -> dict[str, DemoAccount]:
    """The built-in demo accounts (config/roles.yaml's demo_accounts), by key: one of each role, named by it, and
    a Lao provincial office beside the Thai one."""
    return {
        key: DemoAccount(key, entry.role or key, entry.name or {"en": key}, entry.country, entry.area)
        for key, entry in (_file(path).demo_accounts or {}).items()
    }


def title(name: str, lang: str) -> str:
    """Role `name`'s title in `lang` (its name when config/roles.yaml no longer has it)."""
    role = load().get(name)
    return role.title_in(lang) if role else name
