"""Benchmark of the Overview: server-side render (AppTest) and its key queries, cold and warm, at two scales.

The extracts are published first (`cockpit.publish`, into the benchmark's own data folder and state
store), then served read-only, as the page servers do. Beside each figure stands a naive baseline
measured in the same run: the same page's numbers computed by re-reading the Parquet files with
pandas on every rerun. Run: `make bench` (or `python bench/bench_overview.py --scales 1 10 --repeat 5`).
Prints a Markdown table.
"""

from __future__ import annotations

import argparse
import os
import statistics
import time
from datetime import date
from pathlib import Path

import pandas as pd
from common import COUNTRY, ROOT, WORKDIR, ensure_extracts

from cockpit.alerts import evaluation
from cockpit.data import areas, db, indicators
from cockpit.publish import versions


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
        db._database.cache_clear()  # as in a new process: no version open, no cached results,
        evaluation._synced.clear()  # and the alert rules not yet evaluated by this process
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
    extracts_dir = ensure_extracts(workdir, scale)
    os.environ["COCKPIT_DATA_URL"] = str(workdir / f"overview-scale{scale}")
    outcome = versions.publish(COUNTRY, extracts_dir, by="bench", force=True)  # alerts too, as `make demo`
    publish_ms = sum(seconds for step, seconds in outcome.steps.items() if step != "alerts") * 1000
    db._database.cache_clear()
    database = db.get()
    scope = areas.full_scope(database, COUNTRY)
    kpis = indicators.kpis(database, COUNTRY)
    indicator_id = "dropout_rate" if "dropout_rate" in kpis.index else kpis.index[0]
    period = indicators.available_periods(database, COUNTRY, indicator_id)["period_start"].iloc[0].date()
    country_id = areas.country(database, COUNTRY)["area_id"]
    since = indicators.history_start(period)
    queries = {
        "data/province_values": dict(scope=scope, indicator_id=indicator_id, period_start=period),
        "data/province_series": dict(scope=scope, indicator_id=indicator_id, since=since),
        "data/area_series": dict(scope=scope, area_id=country_id, since=since),
    }
    rows = []
    naive_ms, _ = timed(lambda: naive_overview(extracts_dir, indicator_id, period), repeat)
    rows.append(dict(scale=scale, what="naive baseline: pandas re-reads Parquet (per rerun)", ms=naive_ms))
    rows.append(
        dict(scale=scale, what="publish: contract check, load, models, write (once per extract)", ms=publish_ms)
    )
    for name, params in queries.items():
        cold, _ = timed(lambda n=name, p=params: (database._cache.clear(), database.query(COUNTRY, n, **p)), repeat)
        warm, _ = timed(lambda n=name, p=params: database.query(COUNTRY, n, **p), repeat)
        rows.append(dict(scale=scale, what=f"query {name}, cold (no cache)", ms=cold))
        rows.append(dict(scale=scale, what=f"query {name}, warm (cached)", ms=warm))
    apptest_render(warm=False)  # not counted: the page's modules imported (a fresh process: bench_publish.py)
    cold_render = statistics.median(apptest_render(warm=False) for _ in range(max(1, repeat // 2)))
    warm_render = statistics.median(apptest_render(warm=True) for _ in range(repeat))
    rows.append(
        dict(scale=scale, what="Overview render (AppTest), cold: no version open, no result cached", ms=cold_render)
    )
    rows.append(dict(scale=scale, what="Overview rerun (AppTest), warm", ms=warm_render))
    for row in rows:
        row["vs_baseline"] = row["ms"] / naive_ms
    return rows


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--scales", type=int, nargs="+", default=[1, 10])
    parser.add_argument("--repeat", type=int, default=5)
    parser.add_argument("--workdir", type=Path, default=WORKDIR)
    args = parser.parse_args()
    # Publishes and pages evaluate the alert rules into the state store: keep the benchmark's out of the app's own.
    args.workdir.mkdir(parents=True, exist_ok=True)
    os.environ["COCKPIT_STATE_URL"] = f"sqlite:///{args.workdir / 'overview-state.db'}"
    rows = []
    for scale in args.scales:
        rows.extend(bench_scale(scale, args.repeat, args.workdir))
    print("| scale | what | median ms | × naive baseline |")
    print("|---:|---|---:|---:|")
    for r in rows:
        print(f"| {r['scale']} | {r['what']} | {r['ms']:.1f} | {r['vs_baseline']:.3f} |")


if __name__ == "__main__":
    main()
