"""Benchmark of the alert evaluation: every rule over the whole country, at two scales.

The question is whether evaluating the rules is cheap enough to run on every data refresh, so
the baseline, measured in the same run, is that refresh itself: loading a new extract
(contract check and roll-up model). Run: `make bench` (or `python bench/bench_alerts.py`).
"""

from __future__ import annotations

import argparse
import os
import statistics
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from cockpit import clock  # noqa: E402
from cockpit.alerts import evaluation, lifecycle, rules  # noqa: E402
from cockpit.data import db  # noqa: E402
from cockpit.demo import build  # noqa: E402
from cockpit.state import store  # noqa: E402

COUNTRY = "th"
TODAY = clock.today()  # the demo is built for the last month-end before it


def ms(start: float) -> float:
    return (time.perf_counter() - start) * 1000


def bench_scale(scale: int, repeat: int, workdir: Path) -> list[dict]:
    out = workdir / f"scale{scale}"
    if not (out / COUNTRY / "areas.parquet").exists():
        build.build(COUNTRY, out, scale=scale, seed=42)
    os.environ["COCKPIT_DATA_DIR"] = str(out)
    db._database.cache_clear()
    database = db.get()
    start = time.perf_counter()
    database.snapshot(COUNTRY)
    load_ms = ms(start)
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
    refresh = evaluation.refresh(database, COUNTRY, engine, ruleset, TODAY, "bench")
    first_ms = ms(start)
    opened = len(lifecycle.list_alerts(engine))
    engine.dispose()
    rows = [
        dict(scale=scale, what="baseline: a data refresh (load + contract check + roll-up)", ms=load_ms),
        dict(
            scale=scale,
            what=f"evaluate {len(refresh.evaluation.evaluated)} rules, cold (first run on the extract)",
            ms=cold_ms,
        ),
        dict(scale=scale, what="evaluate again, same extract (cached queries)", ms=statistics.median(warm)),
        dict(
            scale=scale,
            what=f"first refresh into an empty store: 12-month replay + today ({opened} alerts)",
            ms=first_ms,
        ),
    ]
    for row in rows:
        row["vs_baseline"] = row["ms"] / load_ms
    print(f"scale {scale}: {len(evaluation.firing)} alerts firing today", file=sys.stderr)
    return rows


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--scales", type=int, nargs="+", default=[1, 10])
    parser.add_argument("--repeat", type=int, default=5)
    parser.add_argument("--workdir", type=Path, default=Path(tempfile.gettempdir()) / "cockpit-bench")
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
