"""Benchmark of the alert evaluation: every rule over the whole country, at two scales.

The question is whether evaluating the rules is cheap enough to run on every publish, so the
baseline, measured in the same run, is the rest of that publish: checking the extracts, loading
them and building the models into a version (`cockpit.publish` without its alert step). The rules
then run on the published version, served read-only as the pages serve it. Run: `make bench`
(or `python bench/bench_alerts.py`).
"""

from __future__ import annotations

import argparse
import statistics
import sys
import time
from pathlib import Path

from common import COUNTRY, ROOT, WORKDIR, ensure_extracts  # bench/common.py: puts the checkout on sys.path

from cockpit import clock
from cockpit.alerts import evaluation, lifecycle, rules
from cockpit.data.db import Database
from cockpit.publish import versions
from cockpit.state import store

TODAY = clock.today()  # the demo is built for the last month-end before it


def ms(start: float) -> float:
    return (time.perf_counter() - start) * 1000


def bench_scale(scale: int, repeat: int, workdir: Path) -> list[dict]:
    extracts_dir = ensure_extracts(workdir, scale)
    data_url = str(workdir / f"alerts-scale{scale}")
    outcome = versions.publish(COUNTRY, extracts_dir, data_url=data_url, by="bench", force=True, alerts=False)
    load_ms = sum(outcome.steps.values()) * 1000
    database = Database(data_url)
    ruleset = rules.load(ROOT / "rules")

    start = time.perf_counter()
    evaluation.evaluate(database, COUNTRY, ruleset, TODAY)
    cold_ms = ms(start)
    warm = []
    for _ in range(repeat):
        start = time.perf_counter()
        evaluation.evaluate(database, COUNTRY, ruleset, TODAY)
        warm.append(ms(start))
    store_path = workdir / f"state-{scale}.db"
    store_path.unlink(missing_ok=True)
    engine = store.engine(f"sqlite:///{store_path}")
    start = time.perf_counter()
    refresh = evaluation.refresh(database, COUNTRY, engine, ruleset, TODAY, "bench", publishing=True)
    first_ms = ms(start)
    opened = len(lifecycle.list_alerts(engine))
    engine.dispose()
    rows = [
        dict(scale=scale, what="baseline: a publish without alerts (check, load, models, write)", ms=load_ms),
        dict(
            scale=scale,
            what=f"evaluate {len(refresh.evaluation.evaluated)} rules, cold (first run on the extract)",
            ms=cold_ms,
        ),
        dict(scale=scale, what="evaluate again, same extract (cached queries)", ms=statistics.median(warm)),
        dict(
            scale=scale,
            what=f"publish's alert step, empty store: 12-month replay + today ({opened} alerts)",
            ms=first_ms,
        ),
    ]
    for row in rows:
        row["vs_baseline"] = row["ms"] / load_ms
    print(f"scale {scale}: {len(refresh.evaluation.firing)} alerts firing today", file=sys.stderr)
    return rows


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--scales", type=int, nargs="+", default=[1, 10])
    parser.add_argument("--repeat", type=int, default=5)
    parser.add_argument("--workdir", type=Path, default=WORKDIR)
    args = parser.parse_args()
    rows = []
    for scale in args.scales:
        rows.extend(bench_scale(scale, args.repeat, args.workdir))
    print("| scale | what | median ms | × baseline |")
    print("|---:|---|---:|---:|")
    for r in rows:
        print(f"| {r['scale']} | {r['what']} | {r['ms']:.1f} | {r['vs_baseline']:.3f} |")


if __name__ == "__main__":
    main()
