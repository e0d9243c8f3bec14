"""Demo extracts: synthetic but plausible education data for Thailand and Lao PDR, built one country at a time.

    python -m cockpit.demo --country th|la [--scale N] [--seed S] [--out data/demo] [--as-of 2026-10-31]
    python -m cockpit.demo --ensure          # what `make run` and `make test` call

writes the eight Parquet extracts of `cockpit.schema` under `<out>/<country>/`, and `demo.json` beside
them (the as-of date, seed and scale they were built for, and the generator's fingerprint). The as-of
date defaults to the last month-end before today on the app's clock (`cockpit.clock`), so the demo
never looks late only because it is old; `--ensure` rebuilds a set built for an earlier as-of date
or by another version of this package (a change to the generator reaches the next run and test).
The stories are written for STORY_AS_OF and move with the as-of date by whole months, keeping their
place relative to it.

The set is built in a temporary sibling directory, checked with `extracts.check()`, and only then
swapped into place, so a reader never sees a half-written set. Same seed, scale and as-of date:
byte-identical files.

Areas use the real codes and names of the bundled boundaries (`cockpit.geo`); everything else is made
up, shaped to tell the stories a meeting would act on (see `stories.STORIES`). Each table has its
module (geography, schools, incidents, observations, catalogue, policies); the conventions of the
observations are in `observations`.
"""

from __future__ import annotations

import hashlib
import json
import shutil
import tempfile
from datetime import date
from pathlib import Path

import numpy as np
import pandas as pd
import pyarrow as pa
import pyarrow.parquet as pq

from cockpit import clock, settings
from cockpit.data import extracts, schema
from cockpit.demo import catalogue, common, geography, incidents, observations, policies, schools, stories

COUNTRIES = ("th", "la")
DEFAULT_OUT = settings.ROOT / "data" / "demo"
MANIFEST = "demo.json"
DEFAULT_SCALE = 1
DEFAULT_SEED = 42


def generator_fingerprint() -> str:
    """A digest of this package's sources: a set built by other sources is rebuilt, or the suite and the demo kept
    showing what the generator made before a change (its as-of date alone decided)."""
    digest = hashlib.sha256()
    for path in sorted(Path(__file__).parent.glob("*.py")):
        digest.update(path.name.encode() + b"\0" + path.read_bytes())
    return digest.hexdigest()[:16]


# The countries' parameters, shared by the generators as `ctx.cfg`.
_COUNTRY = {
    "th": dict(
        cc="TH",
        name_en="Thailand",
        name_local="ประเทศไทย",
        local="name_th",
        year_month=10,  # fiscal year starts 1 October
        fy_month=10,  # budget year = fiscal year
        schools=29_000,
        per_student=4_500.0,  # THB of operating budget per student and year
        pop_growth=-0.015,  # school-age population shrinks 1.5% a year
        female_pop=0.488,
        female_staff=0.70,
        small_school=120,
        target_horizon=1,  # targets are for FY2570, a year after the latest complete fiscal year
    ),
    "la": dict(
        cc="LA",
        name_en="Lao PDR",
        name_local="ສາທາລະນະລັດ ປະຊາທິປະໄຕ ປະຊາຊົນລາວ",
        local="name_lo",
        year_month=9,  # school year starts 1 September
        fy_month=1,  # Lao fiscal year = calendar year
        schools=9_000,
        per_student=250_000.0,  # LAK
        pop_growth=0.012,
        female_pop=0.492,
        female_staff=0.35,
        small_school=120,
        target_horizon=0,  # ESSDP 2021-2025 targets are for the 2025-26 school year, the latest
    ),
}


# --------------------------------------------------------------------------------------------------
# Assembly and writing

_ARROW = {
    "VARCHAR": pa.string(),
    "DOUBLE": pa.float64(),
    "BIGINT": pa.int64(),
    "BOOLEAN": pa.bool_(),
    "DATE": pa.date32(),
}


def _arrow_schema(name: str) -> pa.Schema:
    return pa.schema([pa.field(c.name, _ARROW[c.type]) for c in schema.BY_NAME[name].columns])


def _to_table(name: str, columns) -> pa.Table:
    """A table with exactly the contract's columns, in order, with the contract's types."""
    target = _arrow_schema(name)
    if isinstance(columns, pa.Table):
        return columns.select(target.names).cast(target)
    arrays = []
    for f in target:
        v = columns[f.name]
        if isinstance(v, pd.Series):
            v = v.to_numpy()
        if f.type == pa.date32():
            arr = np.asarray(v)
            if arr.dtype.kind == "M":
                v = pa.array(arr.astype("datetime64[D]"), pa.date32(), from_pandas=True)
            else:
                v = pa.array(list(arr), pa.date32())
        elif f.type == pa.string():
            v = pa.array([None if x is None or x is pd.NA or x != x else str(x) for x in v], pa.string())
        else:
            v = pa.array(v, f.type, from_pandas=True)
        arrays.append(v)
    return pa.Table.from_arrays(arrays, schema=target)


def _generate(country: str, scale: int, seed: int, as_of: date) -> dict[str, pa.Table]:
    """The eight tables of one country, in the contract's order; the generators run in the order they depend on."""
    if country not in COUNTRIES:
        raise ValueError(f"unknown country {country!r}; expected one of {COUNTRIES}")
    if scale < 1:
        raise ValueError("scale must be at least 1")
    cfg = _COUNTRY[country]
    as_of64 = common.day64(as_of)
    area_cols, provs, _, dists, dist_geoms = geography.areas(country, cfg)
    prov_ids = provs["code"].to_numpy().astype(str)
    prov_idx = np.searchsorted(prov_ids, dists["province_code"].to_numpy().astype(str))
    priority = np.asarray(area_cols["is_priority"][1 + len(provs) :])
    z = geography.disadvantage(country, seed, provs, dists, prov_idx, priority)
    periods, latest = common.period_grids(country, cfg, as_of64, scale)
    ctx = common.Ctx(
        country=country,
        cfg=cfg,
        seed=seed,
        scale=scale,
        as_of=as_of64,
        prov_ids=prov_ids,
        prov_names=provs["name_en"].to_numpy().astype(str),
        dist_ids=dists["code"].to_numpy().astype(str),
        dist_names=dists["name_en"].to_numpy().astype(str),
        prov_names_local=provs[cfg["local"]].to_numpy().astype(str),
        dist_names_local=dists[cfg["local"]].to_numpy().astype(str),
        dist_prov=prov_idx,
        polys=dist_geoms,
        priority=priority,
        z=z,
        periods=periods,
        latest_year=latest,
        shift_months=common.months_between(stories.STORY_AS_OF, as_of),
    )
    school_frame = schools.generate(ctx)
    dist = school_frame["_dist"].to_numpy()
    ctx.schools = school_frame
    ctx.n_schools = np.bincount(dist, minlength=ctx.D)
    ctx.school_start = np.concatenate([[0], np.cumsum(ctx.n_schools)[:-1]])
    ctx.students = np.bincount(dist, weights=school_frame["students"].to_numpy(), minlength=ctx.D)
    ctx.teachers = np.bincount(dist, weights=school_frame["teachers"].to_numpy(), minlength=ctx.D)
    ctx.bases = observations.bases(ctx)
    incident_frame, closed, affected = incidents.generate(ctx)
    series, freqs = observations.generate(ctx, closed, affected)
    if country == "th":
        series[stories.TH_LATE_SOURCE] = observations.undelivered(
            series[stories.TH_LATE_SOURCE], stories.TH_LATE_SOURCE_MONTHS
        )
    policy_columns, progress = policies.generate(ctx)
    return {
        "areas": _to_table("areas", area_cols),
        "area_groups": _to_table("area_groups", geography.area_groups(country)),
        "schools": _to_table("schools", school_frame),
        "indicators": _to_table("indicators", catalogue.indicator_columns(country)),
        "observations": _to_table("observations", observations.table(ctx, series, freqs)),
        "incidents": _to_table("incidents", incident_frame),
        "policies": _to_table("policies", policy_columns),
        "policy_progress": _to_table("policy_progress", progress),
    }


def build(
    country: str,
    out: Path,
    scale: int = DEFAULT_SCALE,
    seed: int = DEFAULT_SEED,
    as_of: date | None = None,
) -> Path:
    """Generate one country's extracts and swap them into `<out>/<country>/` atomically; returns that path.

    `as_of` defaults to the last month-end before today on the app's clock (see default_as_of).
    """
    out = Path(out)
    as_of = as_of or default_as_of()
    out.mkdir(parents=True, exist_ok=True)
    tables = _generate(country, scale, seed, as_of)
    final = out / country
    tmp = Path(tempfile.mkdtemp(prefix=f".{country}.new-", dir=out))
    try:
        tmp.chmod(0o755)  # mkdtemp makes it private; the swapped-in directory must be readable like any other
        for name, table in tables.items():
            pq.write_table(table, tmp / schema.BY_NAME[name].file_name, compression="zstd")
        errors = extracts.check(tmp)
        if errors:
            raise extracts.ExtractError(tmp, errors)
        manifest = {"as_of": as_of.isoformat(), "seed": seed, "scale": scale, "generator": generator_fingerprint()}
        (tmp / MANIFEST).write_text(json.dumps(manifest, indent=2) + "\n", encoding="utf-8")
        old = None
        if final.exists():
            old = Path(tempfile.mkdtemp(prefix=f".{country}.old-", dir=out))
            old.rmdir()
            final.rename(old)
        tmp.rename(final)
        if old is not None:
            shutil.rmtree(old, ignore_errors=True)
    except BaseException:
        shutil.rmtree(tmp, ignore_errors=True)
        raise
    return final


def default_as_of() -> date:
    """The last month-end before today on the app's clock: the newest month a ministry could have complete."""
    return clock.last_month_end(clock.today())


def manifest(directory: Path) -> dict | None:
    """What a demo set was built for (as_of, seed, scale), or None when it has no readable manifest."""
    try:
        found = json.loads((Path(directory) / MANIFEST).read_text(encoding="utf-8"))
        date.fromisoformat(found["as_of"])
        return found
    except (OSError, ValueError, KeyError, TypeError):
        return None


def ensure(out: Path, as_of: date | None = None) -> list[Path]:
    """Build the Thai and Lao demo extracts where missing, built for another as-of date or by other generator
    sources; returns those built.

    A set built before for another as-of keeps its seed and scale (a benchmark's --scale 10 stays 10).
    """
    out, as_of, generator = Path(out), as_of or default_as_of(), generator_fingerprint()
    built = []
    for country in COUNTRIES:
        found = manifest(out / country) if (out / country).is_dir() else None
        if found is not None and (found["as_of"], found.get("generator")) == (as_of.isoformat(), generator):
            continue
        seed = int(found.get("seed", DEFAULT_SEED)) if found else DEFAULT_SEED
        scale = int(found.get("scale", DEFAULT_SCALE)) if found else DEFAULT_SCALE
        built.append(build(country, out, scale, seed, as_of))
    return built
