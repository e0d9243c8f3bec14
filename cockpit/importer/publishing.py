"""An import into the publish path: the served version's extracts with the imported observations in place of
the rows they revise, written as contract extracts and published as a new version (`cockpit.publish`).
A refused or failed publish changes nothing: the version served before stays."""

from __future__ import annotations

import json
import shutil
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path

import duckdb
import pandas as pd

from cockpit import clock, i18n, settings
from cockpit.data import indicators as indicator_names
from cockpit.data import plausibility, schema
from cockpit.data.versions import Store, VersionError
from cockpit.documents import shown_tables
from cockpit.i18n import N_
from cockpit.importer import imports
from cockpit.importer.problems import Problem
from cockpit.publish import versions

KEY = ["area_id", "indicator_id", "period_start", "sex"]


@dataclass
class Base:
    """A country's extracts an import joins: a folder of Parquet files (written from the served version)."""

    country: str
    folder: Path

    def frame(self, name: str) -> pd.DataFrame:
        return pd.read_parquet(self.folder / schema.BY_NAME[name].file_name)

    def observations_of(self, indicator_ids) -> pd.DataFrame:
        """The observations of these indicators only (not to be changed: kept for the Data page's next rerun)."""
        return _observations_of(
            self.folder / schema.BY_NAME["observations"].file_name, tuple(sorted(set(indicator_ids)))
        )


@lru_cache(maxsize=2)
def _observations_of(path: Path, indicator_ids: tuple[str, ...]) -> pd.DataFrame:
    # A base's files do not change once written (a new version is a new folder); every rerun of the Data page after
    # an upload compares with them (0.3 s to read at scale 10; an indicator's rows then hold about 20 MB).
    return pd.read_parquet(path, filters=[("indicator_id", "in", list(indicator_ids))])


def from_version(country: str, into: Path, data_url: str | None = None) -> Base:
    """The served version's extracts, written to `into` (its tables are the checked extracts)."""
    s = settings.load()
    store = Store(data_url or s.data_url, s.cache_dir)
    current = store.current(country)
    if current is None:
        raise VersionError(f"nothing is published for {country!r}: publish its extracts first")
    into.mkdir(parents=True, exist_ok=True)
    con = duckdb.connect(str(store.model_file(country, current)), read_only=True)
    try:
        tables = {r[0] for r in con.execute("select table_name from information_schema.tables").fetchall()}
        for extract in schema.EXTRACTS:
            if extract.name in tables:
                target = str(into / extract.file_name).replace("'", "''")
                con.execute(f"copy (select * from {extract.name}) to '{target}' (format parquet)")
    finally:
        con.close()
    return Base(country, into)


def from_folder(country: str, folder: Path) -> Base:
    return Base(country, Path(folder))


def write(result: imports.Result, base: Base, out: Path) -> Path:
    """The base's extracts with the import's observations: each imported key replaces the base's row for it.
    Returns the folder of extracts, ready for `python -m cockpit.publish`."""
    out.mkdir(parents=True, exist_ok=True)
    for extract in schema.EXTRACTS:
        source = base.folder / extract.file_name
        if source.exists() and extract.name != "observations":
            shutil.copyfile(source, out / extract.file_name)
    old = base.frame("observations")
    new = result.observations.copy()
    new["period_start"] = pd.to_datetime(new["period_start"]).dt.date
    old["period_start"] = pd.to_datetime(old["period_start"]).dt.date
    revised = old.merge(new[KEY], on=KEY, how="left", indicator=True)["_merge"] == "both"
    if result.spec.level in ("province", "country"):
        # A figure for a whole province (or the country) replaces its districts' rows of the same indicator,
        # period and sex: otherwise they would go on standing for it (queries/data/models/010_area_facts.sql).
        areas = base.frame("areas").set_index("area_id")
        owner = old["area_id"].map(areas["parent_id"]) if result.spec.level == "province" else None
        if owner is None:
            owner = pd.Series(areas.index[areas["level"] == "country"][0], index=old.index)
        above = old.assign(area_id=owner.to_numpy())
        revised |= (above.merge(new[KEY], on=KEY, how="left", indicator=True)["_merge"] == "both").to_numpy()
    # A file brings figures, not the plan: a revised row keeps its trajectory point.
    new = new.drop(columns="target").merge(old[[*KEY, "target"]], on=KEY, how="left")
    columns = [c.name for c in schema.BY_NAME["observations"].columns]
    merged = pd.concat([old[~revised.to_numpy()][columns], new[columns]], ignore_index=True)
    merged["target"] = merged["target"].astype("float64")
    merged.to_parquet(out / "observations.parquet", index=False)
    return out


def save_report(result: imports.Result, out: Path, lang: str = "en", off: list | tuple = ()) -> Path:
    """The report as files beside the extracts: report.json (counts, totals and the figures that look off: `off`,
    from `suspects`) and rows.csv (every row)."""
    from cockpit.importer import report  # the report's text needs i18n only

    out.mkdir(parents=True, exist_ok=True)
    (out / "report.json").write_text(
        json.dumps(report.summary(result, lang, off), ensure_ascii=False, indent=2, default=str), encoding="utf-8"
    )
    # The file's cells as written: one starting "=" is text, not a formula.
    (out / "rows.csv").write_bytes(shown_tables.csv_bytes(report.rows_table(result, lang)))
    return out / "report.json"


def suspects(
    result: imports.Result, base: Base, areas: pd.DataFrame | None = None, indicators: pd.DataFrame | None = None
) -> list[plausibility.Suspect]:
    """The import's indicators whose figures look a hundred or a thousand times off the base's (a proportion read
    where a percent is expected, a count in thousands); `areas` and `indicators`: the base's, when the caller has
    them read already. None when nothing was imported: nothing to compare (and Parquet refuses to filter on an
    empty list)."""
    if result.observations.empty:
        return []
    return plausibility.suspects(
        result.observations,
        base.observations_of(result.observations["indicator_id"]),
        base.frame("areas") if areas is None else areas,
        base.frame("indicators") if indicators is None else indicators,
        result.spec.level,
    )


def _named(indicators: pd.DataFrame, off: list[plausibility.Suspect], lang: str) -> str:
    return ", ".join(indicator_names.named(indicators, s.indicator_id, lang) for s in off)


def publish(
    result: imports.Result,
    base: Base,
    out: Path,
    *,
    by: str | None = None,
    partial: bool = False,
    figures_confirmed: bool = False,
    off: list[plausibility.Suspect] | None = None,
    data_url: str | None = None,
    state_url: str | None = None,
    alerts: bool = True,
) -> versions.Outcome:
    """Write the extracts and publish them. Refused (a Problem) when the rows cannot join the contract, when
    rows are still ambiguous, unmatched or rejected and `partial` was not asked for, or when figures look a hundred
    or a thousand times off what is published (`suspects`; `off` when the caller has found them for this result and
    base already) and `figures_confirmed` was not given."""
    if result.observations.empty:
        raise Problem(N_("no row was imported, so there is nothing to publish"))
    if not result.clean and not partial:
        raise Problem(
            N_("{count} rows are ambiguous, unmatched, rejected or unreadable: fix them, or publish the rest only"),
            values=dict(count=sum(result.counts()[k] for k in ("ambiguous", "unmatched", "rejected"))),
        )
    off = suspects(result, base) if off is None else off
    if off and not figures_confirmed:
        indicators = base.frame("indicators")
        raise Problem(
            N_(
                "the figures of {indicators} look a hundred or a thousand times off what is published: check the "
                "scale of their columns in the spec, or confirm the figures to publish them"
            ),
            values=dict(
                indicators=", ".join(s.indicator_id for s in off),
                # As each reader names them: the command printed them so just above its refusal.
                named={lang: dict(indicators=_named(indicators, off, lang)) for lang in i18n.LANGUAGES},
            ),
        )
    extracts = write(result, base, out / "extracts")
    save_report(result, out, off=off)
    stamp = clock.utcnow().isoformat()
    (out / "import.json").write_text(
        json.dumps(dict(spec=result.spec.id, files=result.files, at=stamp, by=by), ensure_ascii=False, indent=2),
        encoding="utf-8",
    )
    return versions.publish(
        base.country,
        extracts,
        data_url=data_url,
        state_url=state_url,
        by=by,
        alerts=alerts,
        figures_confirmed=figures_confirmed,  # what `suspects` found, confirmed: the publish would find it again
    )
