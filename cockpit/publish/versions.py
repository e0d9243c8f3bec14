"""Publish a country's extracts as a new version, or roll back to an earlier one.

    extracts ─► contract check ─► models (area_facts, kpi_periods) ─► version folder + manifest
             ─► alert rules evaluated on it into the state store ─► `current` switched ─► old versions pruned

A publish the contract refuses is kept as a rejection (file, column, rows) and changes nothing else.
A publish killed at any moment leaves `current` and every complete version as they were: a version
is written whole before the pointer names it, and the next publish removes what was left half-done.
"""

from __future__ import annotations

import contextlib
import fcntl
import getpass
import hashlib
import shutil
import tempfile
import time
from contextlib import contextmanager
from dataclasses import dataclass, field
from pathlib import Path

import duckdb
import pandas as pd
import pyarrow.parquet as pq

from cockpit import clock, config, i18n, settings
from cockpit.alerts import evaluation, rules
from cockpit.data import extracts, plausibility, queries, schema
from cockpit.data.db import Database
from cockpit.data.versions import MODEL, Store, Unreachable, VersionError
from cockpit.demo import build
from cockpit.notify import config as notify_config
from cockpit.notify import messages, sending
from cockpit.state import store as state_store
from cockpit.users import audit
from cockpit.users.identity import Identity


@dataclass
class Outcome:
    country: str
    status: str  # "published", "unchanged", "rejected", "failed" (nothing changed; `message` says why)
    version: str | None = None
    errors: list[extracts.ContractError] = field(default_factory=list)
    steps: dict[str, float] = field(default_factory=dict)  # seconds per step
    alerts: evaluation.Refresh | None = None
    removed: list[str] = field(default_factory=list)  # partial and pruned versions
    message: str = ""
    notifications: list[sending.Attempt] = field(default_factory=list)  # new critical alerts sent
    notify_error: str = ""  # why notifications could not be sent (the publish went through regardless)


def _sha256(path: Path) -> str:
    digest = hashlib.sha256()
    with path.open("rb") as f:
        for block in iter(lambda: f.read(1 << 20), b""):
            digest.update(block)
    return digest.hexdigest()


def sources(directory: Path) -> dict[str, dict]:
    """The extract files found: name → file, bytes, SHA-256 and rows (from the Parquet footer, when readable)."""
    found = {}
    for extract in schema.EXTRACTS:
        path = directory / extract.file_name
        if not path.exists():
            continue
        try:
            rows = pq.ParquetFile(path).metadata.num_rows
        except Exception:  # noqa: BLE001 (any unreadable file: the contract check names it)
            rows = None
        found[extract.name] = dict(file=extract.file_name, bytes=path.stat().st_size, sha256=_sha256(path), rows=rows)
    return found


def _content_id(files: dict[str, dict]) -> str:
    digest = hashlib.sha256(schema.contract_version().encode())
    for name in sorted(files):
        digest.update(f"{name}:{files[name]['sha256']};".encode())
    return digest.hexdigest()[:10]


def _timed(steps: dict, name: str, started: float) -> float:
    now = time.perf_counter()
    steps[name] = round(now - started, 3)
    return now


def publish(
    country: str,
    directory: Path | str,
    *,
    data_url: str | None = None,
    state_url: str | None = None,
    by: str | None = None,
    keep: int | None = None,
    force: bool = False,
    alerts: bool = True,
    figures_confirmed: bool = False,
) -> Outcome:
    """Check `directory`'s extracts and publish them as the country's current version.

    `alerts=False` skips the alert rules (tests and benchmarks of the data alone); a ministry's publish runs them.
    An indicator whose figures are 20 times off the served version's or more (a rate sent as a proportion, a count
    in thousands) refuses the publish as the contract does, unless `figures_confirmed`.
    """
    s = settings.load()
    directory = Path(directory)
    data_url = data_url or s.data_url
    store = Store(data_url, s.cache_dir)
    try:
        with _one_publisher(store, country):
            return _publish(
                store, country, directory, state_url or s.state_url, by, keep, force, alerts, figures_confirmed
            )
    except config.ConfigError as exc:
        # A broken config/*.yaml that the models are built with: not the extracts' fault, nothing changes.
        message = f"{exc}. Fix the file and publish again; the current version stays in service."
        return Outcome(country, "failed", message=message)
    except Unreachable as exc:  # the store of versions out of reach (a bucket down): said, never a traceback
        return Outcome(country, "failed", message=f"{exc}. Publish again once it can be reached.")


def _publish(store, country, directory, state_url, by, keep, force, alerts, figures_confirmed) -> Outcome:
    steps: dict[str, float] = {}
    started = time.perf_counter()
    removed = store.clean_partial(country)
    files = sources(directory)
    content = _content_id(files)
    current = store.current(country)
    # The demo's own extracts are marked so (their build manifest beside them): only then do the built-in demo
    # accounts sign in. A version published before the mark existed is published again once to carry it.
    demo = build.manifest(directory) is not None
    if current is not None and not force:
        served = store.manifest(country, current)
        if served.get("content") == content and served.get("demo", False) == demo:
            _settle_refusal(store, country, content, by)
            return Outcome(country, "unchanged", current, removed=removed)
    now = clock.utcnow()
    version = f"{now:%Y%m%dT%H%M%S.%fZ}-{content}"
    taken = set(store.versions(country))
    for n in range(2, 100):
        if version not in taken:
            break
        version = f"{now:%Y%m%dT%H%M%S.%fZ}-{content}-{n}"
    t = _timed(steps, "hash", started)

    work = Path(tempfile.mkdtemp(prefix=f".{version}.", dir=_work_parent(store, country)))
    try:
        model_path = work / MODEL

        def refuse(errors: list[extracts.ContractError]) -> Outcome:
            record = dict(at=now.isoformat(), directory=str(directory), by=by or _user(), content=content, files=files)
            store.reject(country, f"{now:%Y%m%dT%H%M%S%fZ}", dict(record, errors=[dict(e.__dict__) for e in errors]))
            return Outcome(country, "rejected", None, errors, steps, removed=removed)

        try:
            loaded = extracts.load(directory, model_path, settings.load().publish_memory_limit)
        except extracts.ExtractError as exc:
            return refuse(exc.errors)
        except duckdb.OutOfMemoryException as exc:
            return _out_of_memory(country, steps, removed, exc)
        t = _timed(steps, "check and load", t)
        try:
            queries.build_models(loaded.connection)
        except duckdb.OutOfMemoryException as exc:
            loaded.connection.close()
            return _out_of_memory(country, steps, removed, exc)
        t = _timed(steps, "models", t)
        if current is not None and not figures_confirmed:
            off = figures_off(loaded.connection, store, country, current)
            if off:
                loaded.connection.close()
                return refuse(off)
            t = _timed(steps, "figures", t)
        newest = loaded.connection.execute("select max(period_start) from observations").fetchall()[0][0]
        loaded.connection.execute("checkpoint")
        loaded.connection.close()
        for name, count in loaded.row_counts.items():
            files[name]["rows"] = count
        manifest = dict(
            version=version,
            country=country,
            content=content,
            contract_version=schema.contract_version(),
            source=str(directory.resolve()),
            files=files,
            newest_period=newest.isoformat() if newest is not None else None,
            published_by=by or _user(),
            published_at=now.isoformat(),
            steps=steps,
            demo=demo,
        )
        store.add_version(country, version, model_path, manifest)
        t = _timed(steps, "write", t)
    finally:
        shutil.rmtree(work, ignore_errors=True)
        if store.local:
            with contextlib.suppress(OSError):
                work.parent.rmdir()  # the staging folder, when no other publish left anything in it

    refresh = None
    if alerts:
        served = Database(store.url, cache_dir=store.cache_dir).pinned(**{country: version})
        refresh = evaluate_alerts(served, country, state_url)
        t = _timed(steps, "alerts", t)
    store.switch(country, version)
    removed += store.prune(country, keep if keep is not None else settings.load().versions_kept)
    t = _timed(steps, "switch", t)
    if alerts:
        _audit(state_url, by, "publish", country, version, f"newest period {manifest['newest_period']}")
    outcome = Outcome(country, "published", version, [], steps, refresh, removed)
    if refresh is not None:
        # After the switch, so whoever follows the message finds the alert on the data it came from.
        outcome.notifications, outcome.notify_error = notify_new(served, country, state_url, refresh)
        _timed(steps, "notify", t)
    return outcome


def figures_off(
    connection: duckdb.DuckDBPyConnection, store: Store, country: str, served: str
) -> list[extracts.ContractError]:
    """The indicators of the version built in `connection` whose figures are 20 times off or more those of the
    `served` version for the same areas, periods and sexes, as refusals. None when the served version cannot be
    read (gone from the store, or damaged): then this publish is what mends it, and nothing is there to compare."""
    try:
        connection.execute("attach $path as served (read_only)", {"path": str(store.model_file(country, served))})
    except (VersionError, duckdb.Error):
        return []
    try:
        found = queries.execute(
            connection, "publish/figures_off", factor=plausibility.FACTOR, min_compared=plausibility.MIN_COMPARED
        )
    except duckdb.Error:  # a served model of another shape (built by an older cockpit): nothing to compare with
        return []
    finally:
        connection.execute("detach served")
    errors = []
    for row in found.itertuples(index=False):
        if plausibility.FACTOR > row.factor > 1 / plausibility.FACTOR:  # most agree: the few off, with their areas
            suspect = plausibility.Suspect(
                row.indicator_id, float(row.slipped_factor), int(row.slipped), True, int(row.compared), tuple(row.areas)
            )
        else:
            suspect = plausibility.Suspect(row.indicator_id, float(row.factor), int(row.compared), same_figures=True)
        message, values = suspect.message()
        # Named as each reader names them ("เพชรบูรณ์" where it said "67"): the refusal is written where the new
        # version's names are at hand, and read later, on pages that serve another version.
        names = {f"name_{lang}": getattr(row, f"name_{lang}") for lang in ("en", "th", "lo")}
        indicator = pd.DataFrame([dict(indicator_id=row.indicator_id, **names)])
        areas = pd.DataFrame(dict(area_id=row.areas, name_en=row.area_names_en, name_local=row.area_names_local))
        values["named"] = {lang: suspect.named(lang, indicator, areas, country) for lang in i18n.LANGUAGES}
        found = suspect.text("en", indicator, areas, country)
        problem = f"{found}; if they are right, publish again with --figures-confirmed"  # after "…" too
        errors.append(extracts.ContractError("observations.parquet", "value", (), 0, problem, message, values))
    return errors


def _out_of_memory(country: str, steps: dict, removed: list, exc: Exception) -> Outcome:
    limit = settings.load().publish_memory_limit or "DuckDB's default"
    first_line = str(exc).splitlines()[0]
    message = (
        f"out of memory while building the version (COCKPIT_PUBLISH_MEMORY_LIMIT: {limit}); raise the limit or "
        f"leave it empty. The current version stays in service. ({first_line})"
    )
    return Outcome(country, "failed", steps=steps, removed=removed, message=message)


def rollback(country: str, version: str | None = None, *, data_url: str | None = None, state_url=None) -> str:
    """Point `current` back at `version` (default: the one before it); its alerts become the ones shown."""
    s = settings.load()
    data_url = data_url or s.data_url
    store = Store(data_url, s.cache_dir)
    known = store.versions(country)
    current = store.current(country)
    if version is None:
        older = [v for v in known if current is None or v < current]
        if not older:
            raise VersionError(f"no version of {country!r} older than {current} to roll back to")
        version = older[-1]
    if version not in known:
        raise VersionError(f"no complete version {version!r} of {country!r}; known: {', '.join(known) or 'none'}")
    served = Database(data_url, cache_dir=store.cache_dir).pinned(**{country: version})
    evaluate_alerts(served, country, state_url or s.state_url)
    store.switch(country, version)
    _audit(state_url or s.state_url, None, "publish.rollback", country, version, f"from {current}")
    return version


def _audit(state_url: str, by: str | None, action: str, country: str, version: str, detail: str) -> None:
    """A publish or rollback in the audit trail, by whoever ran the command; never fails the publish itself."""
    who = by or _user()
    try:
        audit.record(
            state_store.engine(state_url),
            Identity(f"cli:{who}", who, "data_steward", via="cli"),
            "publish",
            action,
            country=country,
            target=version,
            detail=detail,
        )
    except Exception as exc:  # the version is served already: a state store out of reach must not undo that
        print(f"audit trail not written: {type(exc).__name__}: {str(exc).splitlines()[0]}")


def evaluate_alerts(db: Database, country: str, state_url: str) -> evaluation.Refresh:
    """The alert rules on the version `db` serves, synced into the state store; a store that never met the
    country gets the past twelve month-ends replayed first, so its history starts with the data, not today."""
    ruleset, rules_version = rules.current(settings.load().rules_dir)
    engine = state_store.engine(state_url)
    return evaluation.refresh(db, country, engine, ruleset, clock.today(), rules_version, publishing=True)


def notify_new(db: Database, country: str, state_url: str, refresh: evaluation.Refresh):
    """Send the critical alerts this publish opened; (the attempts, why none could be sent). A failed send is
    recorded for `python -m cockpit.notify retry`; nothing here may fail or undo the publish."""
    try:
        if refresh.sync is None or not refresh.sync.opened:
            return [], ""  # nothing opened: no need to read the areas
        places = messages.places(db, country)
        return sending.send_new(state_store.engine(state_url), refresh.sync, country, places=places), ""
    except notify_config.ConfigError as exc:
        return [], f"notifications not sent: {exc}"
    except Exception as exc:  # a broken notification setup (store, rules, data) must not stop the data going out
        return [], f"notifications not sent: {type(exc).__name__}: {exc}"


@contextmanager
def _one_publisher(store: Store, country: str):
    """One publish at a time per country and data folder: the second waits (a bucket has no lock; run one)."""
    if not store.local:
        yield
        return
    folder = Path(store.root) / country
    folder.mkdir(parents=True, exist_ok=True)
    with (folder / ".publish.lock").open("w") as lock:
        fcntl.flock(lock, fcntl.LOCK_EX)
        yield


def _work_parent(store: Store, country: str) -> str | None:
    """Build beside the versions when they are local (the move into place is a rename), else in the temp folder."""
    if not store.local:
        return None
    parent = Path(store.root) / country / ".staging"
    parent.mkdir(parents=True, exist_ok=True)
    return str(parent)


def _settle_refusal(store: Store, country: str, content: str, by: str | None) -> None:
    """The served version's own files sent again after a refused publish: the problem is settled (the refused
    files were replaced by good ones), so the pages stop reporting it; recorded like a refusal, marked resolved."""
    last = store.rejections(country, last=1)
    if last and not last[-1].get("resolved"):
        now = clock.utcnow()
        payload = dict(at=now.isoformat(), resolved=True, content=content, by=by or _user(), errors=[])
        store.reject(country, f"{now:%Y%m%dT%H%M%S%fZ}", payload)


def _user() -> str:
    try:
        return getpass.getuser()
    except (KeyError, OSError):
        return "unknown"
