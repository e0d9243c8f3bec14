"""Benchmark of the Overview: server-side render (AppTest) and its key queries, cold and warm, at two scales.

Beside each figure stands a naive baseline measured in the same run: the same page's numbers
computed by re-reading the Parquet files with pandas on every rerun. Run: `make bench`
(or `python bench/bench_overview.py --scales 1 10 --repeat 5`). Prints a Markdown table.
"""

from __future__ import annotations

import argparse
import os
import statistics
import sys
import tempfile
import time
from datetime import date
from pathlib import Path

import pandas as pd

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from cockpit.data import areas, db, indicators  # noqa: E402
from cockpit.demo import build  # noqa: E402

COUNTRY = "th"


def timed(fn, repeat: int) -> tuple[float, object]:
    """Median wall time of `fn` in milliseconds over `repeat` runs, and its last result."""
    times, result = [], None
    for _ in range(repeat):
        start = time.perf_counter()
        result = fn()
        times.append((time.perf_counter() - start) * 1000)
    return statistics.median(times), result


def naive_overview(directory: Path, indicator_id: str, period: date) -> dict:
    """What the Overview shows, computed the naive way: re-read every Parquet file with pandas."""
    obs = pd.read_parquet(directory / "observations.parquet")
    areas_df = pd.read_parquet(directory / "areas.parquet")
    ind = pd.read_parquet(directory / "indicators.parquet").set_index("indicator_id")
    obs = obs[obs["sex"] == "total"].merge(
        areas_df[["area_id", "parent_id"]].rename(columns={"parent_id": "province_id"}), on="area_id"
    )
    province = obs.groupby(["province_id", "indicator_id", "period_start"], as_index=False)[
        ["value", "numerator", "denominator"]
    ].sum()
    national = obs.groupby(["indicator_id", "period_start"], as_index=False)[
        ["value", "numerator", "denominator"]
    ].sum()
    for frame in (province, national):
        scale = frame["indicator_id"].map(ind["scale"])
        ratio = frame["indicator_id"].map(ind["aggregation"]) != "sum"
        frame.loc[ratio, "value"] = scale[ratio] * frame.loc[ratio, "numerator"] / frame.loc[ratio, "denominator"]
    headline_ids = ind[(ind["kind"] == "kpi") & (ind["wall"] == "black")].index[:8]
    headlines = national[national["indicator_id"].isin(headline_ids)]
    chosen = province[(province["indicator_id"] == indicator_id)]
    ranking = chosen[chosen["period_start"] == pd.Timestamp(period)].sort_values("value")
    trends = chosen.groupby("province_id")["value"].agg(list)
    return {"headlines": headlines, "ranking": ranking, "trends": trends}


def apptest_render(warm: bool) -> float:
    from streamlit.testing.v1 import AppTest

    at = AppTest.from_file(str(ROOT / "app.py"), default_timeout=300)
    at.query_params["country"] = COUNTRY
    if not warm:
        db._database.cache_clear()  # a new process: no snapshot, no cached results
    start = time.perf_counter()
    at.run()
    first = (time.perf_counter() - start) * 1000
    if at.exception:
        raise RuntimeError(at.exception)
    if not warm:
        return first
    start = time.perf_counter()
    at.run()  # a rerun, as after a widget change
    return (time.perf_counter() - start) * 1000


def bench_scale(scale: int, repeat: int, workdir: Path) -> list[dict]:
    out = workdir / f"scale{scale}"
    if not (out / COUNTRY / "areas.parquet").exists():
        start = time.perf_counter()
        build.build(COUNTRY, out, scale=scale, seed=42)
        print(f"built scale {scale} in {time.perf_counter() - start:.1f} s", file=sys.stderr)
    os.environ["COCKPIT_DATA_DIR"] = str(out)
    db._database.cache_clear()
    database = db.get()
    load_ms, _ = timed(lambda: (database._snapshots.clear(), database.snapshot(COUNTRY)), 1)
    scope = areas.full_scope(database, COUNTRY)
    kpis = indicators.kpis(database, COUNTRY)
    indicator_id = "dropout_rate" if "dropout_rate" in kpis.index else kpis.index[0]
    period = indicators.available_periods(database, COUNTRY, indicator_id)["period_start"].iloc[0].date()
    country_id = areas.country(database, COUNTRY)["area_id"]
    since = indicators.history_start(period)
    queries = {
        "province_values": dict(scope=scope, indicator_id=indicator_id, period_start=period),
        "province_series": dict(scope=scope, indicator_id=indicator_id, since=since),
        "area_series": dict(scope=scope, area_id=country_id, since=since),
    }
    rows = []
    naive_ms, _ = timed(lambda: naive_overview(out / COUNTRY, indicator_id, period), repeat)
    rows.append(dict(scale=scale, what="naive baseline: pandas re-reads Parquet (per rerun)", ms=naive_ms))
    rows.append(dict(scale=scale, what="snapshot load + contract check + roll-up model (once per extract)", ms=load_ms))
    for name, params in queries.items():
        cold, _ = timed(lambda n=name, p=params: (database._cache.clear(), database.query(COUNTRY, n, **p)), repeat)
        warm, _ = timed(lambda n=name, p=params: database.query(COUNTRY, n, **p), repeat)
        rows.append(dict(scale=scale, what=f"query {name}, cold (no cache)", ms=cold))
        rows.append(dict(scale=scale, what=f"query {name}, warm (cached)", ms=warm))
    cold_render = statistics.median(apptest_render(warm=False) for _ in range(max(1, repeat // 2)))
    warm_render = statistics.median(apptest_render(warm=True) for _ in range(repeat))
    rows.append(dict(scale=scale, what="Overview render (AppTest), cold process", ms=cold_render))
    rows.append(dict(scale=scale, what="Overview rerun (AppTest), warm", ms=warm_render))
    for row in rows:
        row["vs_baseline"] = row["ms"] / naive_ms
    return rows


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--scales", type=int, nargs="+", default=[1, 10])
    parser.add_argument("--repeat", type=int, default=5)
    parser.add_argument("--workdir", type=Path, default=Path(tempfile.gettempdir()) / "cockpit-bench")
    args = parser.parse_args()
    # The pages evaluate the alert rules into the state store: keep the benchmark's out of the app's own.
    os.environ["COCKPIT_STATE_URL"] = f"sqlite:///{args.workdir / 'bench-state.db'}"
    rows = []
    for scale in args.scales:
        rows.extend(bench_scale(scale, args.repeat, args.workdir))
    print("| scale | what | median ms | × naive baseline |")
    print("|---:|---|---:|---:|")
    for r in rows:
        print(f"| {r['scale']} | {r['what']} | {r['ms']:.1f} | {r['vs_baseline']:.3f} |")


if __name__ == "__main__":
    main()
