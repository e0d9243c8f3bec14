"""Benchmark of publish-once, serve-read-only, beside the old in-process design, at two scales (issue 11).

Each figure stands beside a baseline measured in the same run:

1. Cold process → first Overview: a fresh Python process renders the Overview (AppTest on app.py,
   whose default page is views/overview.py), timed from before the process is started to the end of
   the render. This design: the process opens the published version read-only. Baseline, the old
   design: the process loads the extracts into an in-memory DuckDB (`extracts.load` with the contract
   check, `queries.build_models`) and replays twelve months of alerts into an empty store
   (`evaluation.refresh(..., publishing=True)`), then renders.
2. Peak memory (max RSS) of that process, both designs.
3. Cached queries in a serving process, p50/p95/max, while `python -m cockpit.publish` publishes the
   same country in another process; baseline: the same loop with no publish running.
4. Publish time per step (the manifest's `steps`): the first publish (empty store: alerts replayed),
   a routine publish (alerts of today only), and one without the alert step.

Run: `make bench` (or `python bench/bench_publish.py --scales 1 10 --repeat 3`). Extracts are built
once into data/bench/ and reused while they are for the same as-of date. Prints a Markdown table and
appends it to bench/results/publish.md.
"""

from __future__ import annotations

import argparse
import json
import os
import resource
import shutil
import statistics
import subprocess
import sys
import threading
import time
from pathlib import Path

from common import COUNTRY, ROOT, WORKDIR, ensure_extracts, record, run_heading  # common puts the checkout on sys.path

RESULTS = ROOT / "bench" / "results" / "publish.md"
TARGETS = {  # scale → (cold start s, max RSS MB); p95 ms of cached queries during a publish
    1: (1.5, 400),
    10: (3.0, 1024),
}
P95_TARGET_MS = 50


def maxrss_mb() -> float:
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024  # kB on Linux


# ---- children: each runs in a fresh process --------------------------------------------------------


def child_serve(design: str, extracts_dir: Path, stub_dir: Path) -> dict:
    """Render the Overview once in this (fresh) process and report when it was done and the peak RSS."""
    phases = {}
    t = time.perf_counter()
    if design == "new-lean":  # what-if (--profile): no Alembic import, and no migration check (publish migrated)
        import types

        for name, attrs in (("alembic", dict(command=None)), ("alembic.config", dict(Config=None))):
            sys.modules[name] = types.SimpleNamespace(**attrs)
    from streamlit.testing.v1 import AppTest

    from cockpit import clock, settings
    from cockpit.alerts import evaluation, rules
    from cockpit.data import db
    from cockpit.state import store

    phases["imports"] = time.perf_counter() - t
    if design == "old":
        t = time.perf_counter()
        database = _old_design_database(extracts_dir, stub_dir, phases)
        db.get = lambda: database  # what the pages read: the in-memory snapshot, as before publishing existed
        t = time.perf_counter()
        ruleset, rules_version = rules.current(settings.load().rules_dir)
        engine = store.engine(settings.load().state_url)  # an empty store: the first page view replayed 12 months
        evaluation.refresh(database, COUNTRY, engine, ruleset, clock.today(), rules_version, publishing=True)
        engine.dispose()
        phases["alert replay"] = time.perf_counter() - t
    profile = None
    if design in ("new-no-page-alerts", "new-lean"):  # what-if (--profile): the page trusts the publish's alerts
        from cockpit.ui import sidebar

        sidebar.evaluate_alerts = lambda ctx: None
    if design == "new-lean":
        store.upgrade = lambda eng, revision="head": None
    elif design == "new-profile":  # cProfile of the script thread, where AppTest runs the page
        import cProfile

        from streamlit.runtime.scriptrunner import script_runner

        profile, run_script = cProfile.Profile(), script_runner.ScriptRunner._run_script

        def profiled(self, *args, **kwargs):
            profile.enable()
            try:
                return run_script(self, *args, **kwargs)
            finally:
                profile.disable()

        script_runner.ScriptRunner._run_script = profiled
    t = time.perf_counter()
    at = AppTest.from_file(str(ROOT / "app.py"), default_timeout=600)
    at.query_params["country"] = COUNTRY
    at.run()
    phases["render"] = time.perf_counter() - t
    if profile is not None:
        profile.dump_stats(str(stub_dir / "render.prof"))
    done = time.time()
    if at.exception:
        raise RuntimeError(at.exception)
    if not at.title or len(at.dataframe) != 1:
        raise RuntimeError("the Overview did not render its title and table")
    return dict(done=done, maxrss_mb=maxrss_mb(), phases=phases)


def _old_design_database(extracts_dir: Path, stub_dir: Path, phases: dict):
    """The old design: the extracts checked and loaded into an in-memory DuckDB, the models built, in this process.

    It is served through today's `Database`, pre-opened on the in-memory snapshot (a stub folder holds only
    the `current` pointer so the country is listed), so both designs run the same page and query code.
    """
    import threading as _threading

    from cockpit.data import db, extracts, queries

    t = time.perf_counter()
    loaded = extracts.load(extracts_dir)  # :memory:
    phases["check and load"] = time.perf_counter() - t
    t = time.perf_counter()
    queries.build_models(loaded.connection)
    phases["models"] = time.perf_counter() - t
    version = f"memory-{loaded.version}"
    (stub_dir / COUNTRY).mkdir(parents=True, exist_ok=True)
    (stub_dir / COUNTRY / "current").write_text(version + "\n")
    database = db.Database(stub_dir, check_seconds=1e9)
    database._pointers[COUNTRY] = (version, time.monotonic())
    database._open[(COUNTRY, version)] = db.Served(
        version=version,
        connection=loaded.connection,
        loaded_at=loaded.loaded_at,
        row_counts=loaded.row_counts,
        manifest=dict(version=version, published_at=loaded.loaded_at.isoformat()),
        _lock=_threading.Lock(),
    )
    return database


def _overview_queries(database) -> dict[str, dict]:
    """The Overview's key queries and their parameters on the served version."""
    from cockpit.data import areas, indicators

    scope = areas.full_scope(database, COUNTRY)
    kpis = indicators.kpis(database, COUNTRY)
    indicator_id = "dropout_rate" if "dropout_rate" in kpis.index else kpis.index[0]
    period = indicators.available_periods(database, COUNTRY, indicator_id)["period_start"].iloc[0].date()
    country_id = areas.country(database, COUNTRY)["area_id"]
    since = indicators.history_start(period)
    return {
        "data/indicators": {},
        "data/province_ids": {},
        "data/province_values": dict(scope=scope, indicator_id=indicator_id, period_start=period),
        "data/province_series": dict(scope=scope, indicator_id=indicator_id, since=since),
        "data/area_series": dict(scope=scope, area_id=country_id, since=since),
    }


def child_query_loop(data_url: str, stop_file: Path, pause: float) -> dict:
    """Database.query on warm keys, paced, until `stop_file` appears; each call's latency and version."""
    from cockpit.data.db import Database

    database = Database(data_url)
    keys = _overview_queries(database)
    for name, params in keys.items():
        database.query(COUNTRY, name, **params)
    print("ready", flush=True)
    calls = []
    names = list(keys)
    i = 0
    while not stop_file.exists():
        name = names[i % len(names)]
        start = time.perf_counter()
        database.query(COUNTRY, name, **keys[name])
        calls.append((time.time(), (time.perf_counter() - start) * 1000, database.version(COUNTRY)))
        i += 1
        time.sleep(pause)
    return dict(at=[c[0] for c in calls], ms=[c[1] for c in calls], versions=[c[2] for c in calls])


def child_publish(extracts_dir: Path, data_url: str, state_url: str, alerts: bool, force: bool) -> dict:
    from cockpit.publish import versions

    start = time.perf_counter()
    outcome = versions.publish(
        COUNTRY, extracts_dir, data_url=data_url, state_url=state_url, by="bench", force=force, alerts=alerts
    )
    total = time.perf_counter() - start
    replayed = outcome.alerts.replayed if outcome.alerts is not None else 0
    return dict(status=outcome.status, steps=outcome.steps, total=total, replayed=replayed, maxrss_mb=maxrss_mb())


# ---- the parent ------------------------------------------------------------------------------------


def run_child(args: list[str], env: dict) -> tuple[dict, float]:
    """Start this script as a child; its JSON result and the wall time from before the start to its `done`."""
    started = time.time()
    proc = subprocess.run(
        [sys.executable, str(Path(__file__).resolve()), "--child", *args],
        env=env,
        capture_output=True,
        text=True,
        cwd=ROOT,
    )
    if proc.returncode != 0:
        raise RuntimeError(f"child {args[0]} failed:\n{proc.stderr[-4000:]}")
    result = json.loads(proc.stdout.strip().splitlines()[-1])
    return result, result.get("done", time.time()) - started


def phase_note(runs: list[tuple[float, dict]]) -> str:
    """Where a cold start's time went, medians over the runs (the interpreter's start: wall time less the phases)."""
    phases = {k: statistics.median(r["phases"][k] for _, r in runs) for k in runs[0][1]["phases"]}
    start = statistics.median(w - sum(r["phases"].values()) for w, r in runs)
    return f"cold start {statistics.median(w for w, _ in runs):.2f} s: interpreter start {start:.2f} s, " + ", ".join(
        f"{k} {v:.2f} s" for k, v in phases.items()
    )


def profile_cold_start(scale: int, repeat: int, workdir: Path) -> None:
    """Where the cold start goes: imports (-X importtime), the page's functions (cProfile), and a what-if."""
    import pstats

    extracts_dir = ensure_extracts(workdir, scale)
    run = workdir / f"run-scale{scale}"
    data_url = str(run / "published")
    env = dict(os.environ, COCKPIT_DATA_URL=data_url, COCKPIT_STATE_URL=f"sqlite:///{run / 'state.db'}")
    env.pop("PYTHONDONTWRITEBYTECODE", None)
    env["PYTHONPYCACHEPREFIX"] = str(workdir / "pycache")
    if not (run / "published" / COUNTRY / "current").exists():
        run_child(["publish", str(extracts_dir), data_url, env["COCKPIT_STATE_URL"], "alerts", "noforce"], env)
    stub = run / "profile"
    stub.mkdir(parents=True, exist_ok=True)
    serve = ["serve", "new", str(extracts_dir), str(stub)]
    run_child(serve, env)  # warm-up
    runs = {"new": [], "new-no-page-alerts": [], "new-lean": []}
    for _ in range(repeat):
        for design, results in runs.items():
            results.append(run_child(["serve", design, str(extracts_dir), str(stub)], env)[::-1])
    for design, results in runs.items():
        print(f"scale {scale}, {design}: " + phase_note(results))
    started = time.time()
    proc = subprocess.run(
        [sys.executable, "-X", "importtime", str(Path(__file__).resolve()), "--child", *serve],
        env=env,
        capture_output=True,
        text=True,
        cwd=ROOT,
    )
    print(f"\nimports over 50 ms (cumulative, -X importtime inflates them; run took {time.time() - started:.2f} s):")
    for line in proc.stderr.splitlines():
        if line.startswith("import time:") and "|" in line:
            _, cumulative, name = (part.strip() for part in line.split("|"))
            if cumulative.isdigit() and int(cumulative) > 50_000 and not name.startswith(("encodings", "site")):
                depth = (len(line.split("|")[2]) - len(line.split("|")[2].lstrip())) // 2
                print(f"  {int(cumulative) / 1000:7.0f} ms  {'  ' * depth}{name}")
    run_child(["serve", "new-profile", str(extracts_dir), str(stub)], env)
    print("\nthe page (cProfile of the script thread, cumulative):")
    pstats.Stats(str(stub / "render.prof")).sort_stats("cumulative").print_stats(r"cockpit/|views/|app\.py", 30)


def percentile(values: list[float], q: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, round(q * (len(ordered) - 1)))]


def bench_scale(scale: int, repeat: int, workdir: Path, loop_seconds: float) -> tuple[list[dict], list[str]]:
    extracts_dir = ensure_extracts(workdir, scale)
    run = workdir / f"run-scale{scale}"
    shutil.rmtree(run, ignore_errors=True)
    run.mkdir(parents=True)
    data_url = str(run / "published")
    state_url = f"sqlite:///{run / 'state.db'}"
    # Bytecode cached as on a server that has started before (this sandbox sets PYTHONDONTWRITEBYTECODE, which
    # made every child compile cockpit/ afresh); kept out of the checkout under the work folder.
    env = dict(os.environ, COCKPIT_DATA_URL=data_url, COCKPIT_STATE_URL=state_url)
    env.pop("PYTHONDONTWRITEBYTECODE", None)
    env["PYTHONPYCACHEPREFIX"] = str(workdir / "pycache")
    rows, notes = [], []

    def row(what, new, old=None, unit="s", target=None):
        rows.append(dict(scale=scale, what=what, new=new, old=old, unit=unit, target=target))

    # 4. Publish: first (empty store, 12-month replay), routine (today's alerts), without alerts.
    publish_args = ["publish", str(extracts_dir), data_url, state_url]
    first, _ = run_child([*publish_args, "alerts", "noforce"], env)
    routine, _ = run_child([*publish_args, "alerts", "force"], env)
    no_alerts, _ = run_child([*publish_args, "noalerts", "force"], env)
    assert first["status"] == routine["status"] == no_alerts["status"] == "published", (first, routine, no_alerts)

    # 1 and 2. Cold process → first Overview, alternating the designs; the old design gets an empty store each time.
    run_child(["serve", "new", str(extracts_dir), str(run / "stub")], env)  # warm-up, not counted: bytecode, files
    new_runs, old_runs = [], []
    for i in range(repeat):
        result, wall = run_child(["serve", "new", str(extracts_dir), str(run / "stub")], env)
        new_runs.append((wall, result))
        old_state = run / f"old-state-{i}.db"
        old_env = dict(env, COCKPIT_STATE_URL=f"sqlite:///{old_state}")
        result, wall = run_child(["serve", "old", str(extracts_dir), str(run / f"stub-{i}")], old_env)
        old_runs.append((wall, result))
    new_cold = statistics.median(w for w, _ in new_runs)
    old_cold = statistics.median(w for w, _ in old_runs)
    new_rss = max(r["maxrss_mb"] for _, r in new_runs)
    old_rss = max(r["maxrss_mb"] for _, r in old_runs)
    cold_target, rss_target = TARGETS.get(scale, (None, None))
    row("cold process → first Overview rendered", new_cold, old_cold, "s", cold_target)
    row("peak memory (max RSS) of that process", new_rss, old_rss, "MB", rss_target)
    for design, runs in (("this design", new_runs), ("old design", old_runs)):
        notes.append(f"scale {scale}, {design}, " + phase_note(runs))

    # 3. Cached queries while a publish runs in another process (the big scale only, unless asked), and without.
    if loop_seconds:
        busy = query_loop(extracts_dir, data_url, env, run, publish=True)
        during, after = busy["during"], busy["after"]
        quiet = query_loop(extracts_dir, data_url, env, run, publish=False, seconds=busy["seconds"])["during"]
        for label, q in (("p50", 0.5), ("p95", 0.95)):
            row(
                f"cached query {label}, publish running (vs none)",
                percentile(during, q),
                percentile(quiet, q),
                "ms",
                P95_TARGET_MS if label == "p95" else None,
            )
        row("cached query max, publish running (vs none)", max(during), max(quiet), "ms")
        notes.append(
            f"scale {scale}: cached queries every 10 ms, {len(during)} during a {busy['seconds']:.1f} s publish "
            f"(`python -m cockpit.publish --force`, alerts included), {len(quiet)} in as long with none; after the "
            f"switch the first query on the new version took {after[0] if after else float('nan'):.0f} ms (a miss: "
            f"new version opened, query run), the next {len(after) - 1} p95 "
            f"{percentile(after[1:], 0.95) if len(after) > 1 else float('nan'):.2f} ms"
        )

    # 4, as rows: the baseline is the old design's in-process preparation (load + models + replay), per process.
    old_phases = {k: statistics.median(r["phases"][k] for _, r in old_runs) for k in old_runs[0][1]["phases"]}
    old_prepare = old_phases["check and load"] + old_phases["models"] + old_phases["alert replay"]
    old_data = old_phases["check and load"] + old_phases["models"]
    for label, outcome, base in (
        ("publish, first (alerts: 12-month replay)", first, old_prepare),
        ("publish, routine (alerts: today)", routine, old_prepare),
        ("publish without the alert step", no_alerts, old_data),
    ):
        row(label, outcome["total"], base, "s")
        steps = ", ".join(f"{k} {v:.2f}" for k, v in outcome["steps"].items())
        notes.append(
            f"scale {scale}, {label}: {outcome['total']:.2f} s = {steps} s; "
            f"publish process max RSS {outcome['maxrss_mb']:.0f} MB"
        )
    notes.append(
        f"scale {scale}, old design's preparation in each page process: check and load "
        f"{old_phases['check and load']:.2f} s, models {old_phases['models']:.2f} s, "
        f"alert replay {old_phases['alert replay']:.2f} s"
    )
    return rows, notes


def query_loop(extracts_dir, data_url, env, run, publish: bool, seconds: float = 0, pause: float = 0.01) -> dict:
    """The paced loop of cached queries in one process, beside `python -m cockpit.publish` in another (or nothing).

    The loop goes on a few seconds after the publish, past the version check, to see the switch: the calls
    during the publish and the calls after the switch (the first cold on the new version) are told apart.
    """
    stop = run / "stop-loop"
    stop.unlink(missing_ok=True)
    loop = subprocess.Popen(
        [sys.executable, str(Path(__file__).resolve()), "--child", "loop", data_url, str(stop), str(pause)],
        env=env,
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
        cwd=ROOT,
    )
    err = []
    threading.Thread(target=lambda: err.append(loop.stderr.read()), daemon=True).start()
    if loop.stdout.readline().strip() != "ready":
        loop.wait()
        raise RuntimeError("query loop failed:\n" + "".join(err)[-4000:])
    time.sleep(0.5)
    began = time.time()
    if publish:
        cmd = [sys.executable, "-m", "cockpit.publish", "--country", COUNTRY, "--force", str(extracts_dir)]
        subprocess.run(cmd, env=env, cwd=ROOT, check=True, capture_output=True)
    else:
        time.sleep(seconds)
    ended = time.time()
    if publish:
        time.sleep(float(env.get("COCKPIT_VERSION_CHECK_SECONDS", 2)) + 1.5)
    stop.touch()
    out, _ = loop.communicate()
    if loop.returncode != 0:
        raise RuntimeError("query loop failed:\n" + "".join(err)[-4000:])
    calls = json.loads(out.strip().splitlines()[-1])
    first_version = calls["versions"][0]
    during = [ms for at, ms in zip(calls["at"], calls["ms"], strict=True) if began <= at <= ended]
    after = [ms for ms, v in zip(calls["ms"], calls["versions"], strict=True) if v != first_version]
    return dict(during=during, seconds=ended - began, after=after)


def fmt(value: float | None, unit: str) -> str:
    if value is None:
        return "–"
    if unit == "MB":
        return f"{value:.0f} MB"
    if unit == "ms":
        return f"{value:.2f} ms" if value < 10 else f"{value:.0f} ms"
    return f"{value:.2f} s"


def table(rows: list[dict]) -> list[str]:
    lines = [
        "| scale | figure | this design | old design (baseline) | × baseline | target | met |",
        "|---:|---|---:|---:|---:|---:|:---:|",
    ]
    for r in rows:
        ratio = f"{r['new'] / r['old']:.2f} ×" if r["old"] else "–"
        target = fmt(r["target"], r["unit"]) if r["target"] else ""
        met = ("yes" if r["new"] <= r["target"] else "**no**") if r["target"] else ""
        lines.append(
            f"| {r['scale']} | {r['what']} | {fmt(r['new'], r['unit'])} | {fmt(r['old'], r['unit'])} "
            f"| {ratio} | {target} | {met} |"
        )
    return lines


def main() -> None:
    if len(sys.argv) > 1 and sys.argv[1] == "--child":
        kind, *rest = sys.argv[2:]
        if kind == "serve":
            result = child_serve(rest[0], Path(rest[1]), Path(rest[2]))
        elif kind == "loop":
            result = child_query_loop(rest[0], Path(rest[1]), float(rest[2]))
        else:
            result = child_publish(Path(rest[0]), rest[1], rest[2], rest[3] == "alerts", rest[4] == "force")
        print(json.dumps(result), flush=True)
        return
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--scales", type=int, nargs="+", default=[1, 10])
    parser.add_argument("--repeat", type=int, default=3, help="cold starts per design (median)")
    parser.add_argument("--workdir", type=Path, default=WORKDIR)
    parser.add_argument(
        "--loop-scales", type=int, nargs="*", default=[10], help="scales whose publish runs beside a query loop"
    )
    parser.add_argument("--profile", type=int, metavar="SCALE", help="profile the cold start at SCALE instead")
    args = parser.parse_args()
    if args.profile:
        profile_cold_start(args.profile, args.repeat, args.workdir)
        return
    load = os.getloadavg()[0]
    rows, notes = [], []
    for scale in args.scales:
        r, n = bench_scale(scale, args.repeat, args.workdir, loop_seconds=scale in args.loop_scales)
        rows.extend(r)
        notes.extend(n)
    header = (
        run_heading("bench_publish") + ", "
        f"cold starts: median of {args.repeat}, peak memory: max of {args.repeat}, "
        f"load average {load:.1f} before, {os.getloadavg()[0]:.1f} after"
    )
    text = "\n".join([header, "", *table(rows), "", *(f"- {n}" for n in notes), ""])
    record(RESULTS, text)


if __name__ == "__main__":
    main()
