"""Every setting of the cockpit, declared once with its default and a help line; environment variables override."""

from __future__ import annotations

import os
from dataclasses import dataclass, fields
from functools import lru_cache
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent


@dataclass(frozen=True)
class Setting:
    name: str
    default: str
    help: str

    @property
    def env(self) -> str:
        return "COCKPIT_" + self.name.upper()


SETTINGS = (
    Setting(
        "data_url",
        str(ROOT / "data" / "published"),
        "Where published versions live: a folder, or s3://bucket/prefix (written by `python -m cockpit.publish`).",
    ),
    Setting("default_country", "th", "Country shown when the URL names none."),
    Setting("default_language", "th", "Interface language when the URL names none: th, lo or en."),
    Setting("query_cache_size", "512", "Query results kept in memory per process (least recently used go first)."),
    Setting(
        "state_url",
        "sqlite:///" + str(ROOT / "data" / "state" / "cockpit.db"),
        "SQLAlchemy URL of the state store (alert actions, decisions, notes): a SQLite file or postgresql+psycopg://…",
    ),
    Setting(
        "version_check_seconds",
        "2",
        "Seconds a page server trusts the `current` pointer it read before reading it again (0 = every rerun).",
    ),
    Setting("versions_kept", "5", "Published versions kept per country (the current one always is)."),
    Setting(
        "publish_memory_limit",
        "",
        "DuckDB's memory limit while a publish builds a version, e.g. 2GB (empty: DuckDB's default, 80% of RAM).",
    ),
    Setting(
        "cache_dir",
        str(ROOT / "data" / "cache"),
        "Local copies of versions read from a bucket (each process opens the copy of the version it serves).",
    ),
    Setting("rules_dir", str(ROOT / "rules"), "Folder of alert rule files (*.yaml)."),
    Setting(
        "config_dir",
        str(ROOT / "config"),
        "Folder of the configuration files: kpi_status.yaml, policy_status.yaml, league.yaml, reporting_calendar.yaml.",
    ),
    Setting(
        "notifications_file",
        str(ROOT / "config" / "notifications.yaml"),
        "Contact points and routes of the alert notifications (e-mail, webhooks); a missing file sends nothing.",
    ),
    Setting("warroom_interval", "60", "Seconds each wall stays on the war-room screen (?interval= overrides)."),
    Setting("warroom_refresh", "30", "Seconds between re-reads of the data on a wall (?refresh= overrides)."),
    Setting("timezone", "Asia/Bangkok", "The meeting room's time zone, for the clock and 'data as of' stamps."),
    Setting(
        "quality_mark_share",
        "0.95",
        "Figures resting on less than this share of the district reports expected carry a mark linking to Data "
        "quality (0.95: what that page calls complete).",
    ),
    Setting("roles_file", str(ROOT / "config" / "roles.yaml"), "The roles: what each may do and see (YAML)."),
    Setting(
        "session_secret",
        "",
        "Secret that signs the sign-in cookie, the same on every replica (empty: one per process, so a sign-in "
        "outlives a reload but not a restart or a move to another replica).",
    ),
    Setting(
        "idle_minutes", "30", "Minutes without a click after which a signed-in session ends (wall devices excepted)."
    ),
    Setting(
        "demo_account",
        "",
        "Sign every new session in as this role's built-in demo account (executive, analyst…), only while the "
        "served data is the demo; empty = the sign-in page.",
    ),
    Setting(
        "today",
        "",
        "Put the app's clock on this date (YYYY-MM-DD; the time of day still runs), for demos and tests; "
        "empty = the machine's clock.",
    ),
)


@dataclass(frozen=True)
class Settings:
    data_url: str
    default_country: str
    default_language: str
    query_cache_size: int
    state_url: str
    version_check_seconds: int
    versions_kept: int
    publish_memory_limit: str
    cache_dir: Path
    rules_dir: Path
    config_dir: Path
    notifications_file: Path
    warroom_interval: int
    warroom_refresh: int
    quality_mark_share: float
    roles_file: Path
    session_secret: str
    idle_minutes: int
    demo_account: str
    timezone: str
    today: str


def load(environ: dict[str, str] | None = None) -> Settings:
    """The settings, each from its environment variable (COCKPIT_<NAME>) when set, else its default.

    Pages ask for them a hundred times and more a rerun (every link and figure mark does): they are parsed once per
    set of values the environment gives them, so a changed variable (a test's, a deployment's) is seen at once.
    """
    if environ is None or environ is os.environ:
        # os.environ's own dict, its keys and values encoded as the platform keeps them: read directly, twenty
        # look-ups cost 1 µs instead of 30 (os.environ.get encodes the key and decodes the value each time).
        data = os.environ._data
        return _parsed(tuple(data.get(key) for key in _ENV_KEYS), os.environ.decodevalue)
    return _parsed(tuple(environ.get(s.env) for s in SETTINGS), None)


_ENV_KEYS = tuple(os.environ.encodekey(s.env) for s in SETTINGS)


@lru_cache(maxsize=32)
def _parsed(given: tuple, decode) -> Settings:
    """The settings from each one's value in the environment (None: unset, so its default; `decode` makes text of
    an encoded one). A Settings is frozen, so callers share it."""
    raw = {
        s.name: s.default if value is None else (value if decode is None else decode(value))
        for s, value in zip(SETTINGS, given, strict=True)
    }
    kinds = {f.name: f.type for f in fields(Settings)}
    values = {}
    for name, value in raw.items():
        kind = kinds[name]
        if kind == "Path":
            values[name] = Path(value)
        elif kind == "float":
            try:
                values[name] = float(value)
            except ValueError:
                raise ValueError(f"setting COCKPIT_{name.upper()} must be a number, got {value!r}") from None
        elif kind == "int":
            try:
                values[name] = int(value)
            except ValueError:
                raise ValueError(f"setting COCKPIT_{name.upper()} must be a whole number, got {value!r}") from None
        else:
            values[name] = value
    return Settings(**values)
