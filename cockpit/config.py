"""Configuration files in version control (config/*.yaml): read, cached until they change, errors naming the key."""

from __future__ import annotations

from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path

import yaml

from cockpit import settings

POLICY_STATUS_FILE = settings.ROOT / "config" / "policy_status.yaml"


class ConfigError(Exception):
    """A configuration file that cannot be used, naming the file and the key at fault."""

    def __init__(self, file: Path | str, key: str, problem: str):
        self.file, self.key, self.problem = str(file), key, problem
        super().__init__(f"{file}: {key}: {problem}")


def read(path: Path | str, expected: str) -> tuple[dict, int]:
    """The YAML mapping in `path` and the file's modification stamp (a cache key for what is built from it).

    `expected` says what the mapping should hold, for the error when it holds something else.
    """
    path = Path(path)
    try:
        stamp = path.stat().st_mtime_ns
    except OSError as exc:
        raise ConfigError(path, "(file)", f"cannot be read: {exc.strerror}") from None
    return _read(str(path), stamp, expected), stamp


@lru_cache(maxsize=16)
def _read(path: str, _stamp: int, expected: str) -> dict:
    try:
        with open(path, encoding="utf-8") as f:
            raw = yaml.safe_load(f)
    except UnicodeDecodeError as exc:
        raise ConfigError(path, "(file)", f"is not UTF-8 text (byte {exc.start}); save it as UTF-8") from None
    except yaml.YAMLError as exc:
        mark = getattr(exc, "problem_mark", None)
        raise ConfigError(path, f"(line {mark.line + 1})" if mark else "(file)", "not valid YAML") from None
    if not isinstance(raw, dict):
        raise ConfigError(path, "(file)", f"must be a mapping with {expected}")
    return raw


@dataclass(frozen=True)
class Stuck:
    """What "stuck" means, once for the Policies page, the White wall and the stuck_policy alert rule."""

    periods: int  # reporting periods in a row without progress while the plan moved on
    include_projects: bool  # projects count, not only policies and programmes


def stuck(path: Path | str = POLICY_STATUS_FILE) -> Stuck:
    """The `stuck` section of the policy status config; ConfigError names the key."""
    raw, _stamp = read(path, "status, stuck and milestones")
    section = raw.get("stuck")
    if not isinstance(section, dict):
        raise ConfigError(path, "stuck", "missing, or not a mapping of periods and include_projects")
    unknown = set(section) - {"periods", "include_projects"}
    if unknown:
        raise ConfigError(path, f"stuck.{sorted(unknown)[0]}", "unknown key (periods, include_projects)")
    periods = section.get("periods")
    if isinstance(periods, bool) or not isinstance(periods, int) or periods < 1:
        raise ConfigError(path, "stuck.periods", f"must be a whole number of periods >= 1, got {periods!r}")
    include_projects = section.get("include_projects", True)
    if not isinstance(include_projects, bool):
        raise ConfigError(path, "stuck.include_projects", f"must be true or false, got {include_projects!r}")
    return Stuck(periods, include_projects)
