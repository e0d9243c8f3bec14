"""The roles of config/roles.yaml: what each may do (`can`), the scope it reads, the pages it sees; demo accounts."""

from __future__ import annotations

import fnmatch
from dataclasses import dataclass
from pathlib import Path

from cockpit import config, settings

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
# Pages only some roles see when a role lists no pages of its own: page → the permission it needs.
GUARDED_PAGES = {"data": "publish", "audit": "read_audit"}


@dataclass(frozen=True)
class Role:
    name: str
    title: str
    scope: str
    can: frozenset[str]
    pages: tuple[str, ...] | None  # url paths (fnmatch patterns); None: every page its permissions allow

    def sees(self, url_path: str) -> bool:
        if self.pages is not None:
            return any(fnmatch.fnmatchcase(url_path, p) for p in self.pages)
        needed = GUARDED_PAGES.get(url_path)
        return needed is None or needed in self.can


@dataclass(frozen=True)
class DemoAccount:
    role: str
    name: str
    country: str | None
    area_id: str | None


def load(path: Path | str | None = None) -> dict[str, Role]:
    """Every role by name; config.ConfigError naming the key at fault when the file is wrong."""
    path = Path(path or settings.load().roles_file)
    raw, _ = config.read(path, "roles")
    found = raw.get("roles")
    if not isinstance(found, dict) or not found:
        raise config.ConfigError(path, "roles", "must map each role's name to its title, scope and can")
    roles = {}
    for name, entry in found.items():
        key = f"roles.{name}"
        if not isinstance(entry, dict):
            raise config.ConfigError(path, key, "must be a mapping with title, scope and can")
        scope = entry.get("scope")
        if scope not in SCOPES:
            raise config.ConfigError(path, f"{key}.scope", f"must be one of {', '.join(SCOPES)}")
        can = entry.get("can") or []
        unknown = sorted(set(can) - set(PERMISSIONS))
        if not isinstance(can, list) or unknown:
            raise config.ConfigError(
                path, f"{key}.can", f"unknown {', '.join(map(str, unknown))}; one of {PERMISSIONS}"
            )
        pages = entry.get("pages")
        if pages is not None and not (isinstance(pages, list) and all(isinstance(p, str) for p in pages)):
            raise config.ConfigError(path, f"{key}.pages", "must be a list of url paths")
        roles[name] = Role(
            name, str(entry.get("title") or name), scope, frozenset(can), tuple(pages) if pages else None
        )
    return roles


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
    """The built-in demo account of each role (config/roles.yaml's demo_accounts), by role."""
    path = Path(path or settings.load().roles_file)
    raw, _ = config.read(path, "roles")
    roles = load(path)
    out = {}
    for role, entry in (raw.get("demo_accounts") or {}).items():
        if role not in roles or not isinstance(entry, dict):
            raise config.ConfigError(path, f"demo_accounts.{role}", "must name a role and map name, country, area")
        out[role] = DemoAccount(role, str(entry.get("name") or role), entry.get("country"), entry.get("area"))
    return out
