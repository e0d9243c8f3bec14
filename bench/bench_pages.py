"""Page budgets (issue 17 item 1): every page's warm rerun under AppTest, at scale 1 and 10, beside a naive page.

Each page of app.py is opened (signed in as the demo meeting secretary, on the Thai demo data published into the
benchmark's own folder), run once to warm it, then rerun `--repeat` times, as after a widget change; the median
is compared with the budget (150 ms at scale 1, 300 ms at scale 10) and with the naive baseline measured in the
same run: bench/naive_page.py, which reads the Parquet extracts with pandas on every rerun and draws a ranking, a
trend and a table, measured before and after the pages (the median of both sets of reruns, since other processes
come and go on a shared machine). Run: `make bench` (or `python bench/bench_pages.py --scales 1 10 --repeat 5`).
Prints a Markdown table and appends it, with the date and the load average, to bench/results/pages.md (`--pages`
measures some pages only, as when one figure looks noisy). `--profile PAGE` prints where one page's reruns spend
their time instead. `--year` measures with a year of meetings in the state store (24 meetings of 80 decisions, a
note a quarter from each province on 12 policies), as a ministry's store holds after a year of use.
"""

from __future__ import annotations

import argparse
import os
import statistics
import sys
import time
from pathlib import Path

from common import COUNTRY, ROOT, WORKDIR, ensure_extracts, record, run_heading

BUDGET_MS = {1: 150, 10: 300}
RESULTS = ROOT / "bench" / "results" / "pages.md"
PAGES = [  # (name, file, query parameters)
    ("Overview", "views/overview.py", {}),
    ("Alerts", "views/alerts.py", {}),
    ("Decisions", "views/decisions.py", {}),
    ("Black wall", "views/wall_results.py", {}),
    ("Red wall", "views/wall_crises.py", {}),
    ("Blue wall", "views/wall_capacity.py", {}),
    ("White wall", "views/wall_policies.py", {}),
    ("Province", "views/province.py", {"province": "67"}),
    ("Region", "views/region.py", {"region": "reo:17"}),
    ("Explorer", "views/explore.py", {}),
    ("Indicators", "views/indicators.py", {}),
    ("Data quality", "views/quality.py", {}),
    ("Policies", "views/policies.py", {}),
    ("League table", "views/league.py", {}),
]


def reruns(make, repeat: int) -> list[float]:
    """The ms of `repeat` reruns of the AppTest `make()` returns, after one warm-up run."""
    at = make()
    at.run()
    if at.exception:
        raise RuntimeError(at.exception)
    times = []
    for _ in range(repeat):
        start = time.perf_counter()
        at.run()
        times.append((time.perf_counter() - start) * 1000)
    if at.exception:
        raise RuntimeError(at.exception)
    return times


def compile_once() -> None:
    """AppTest compiles the app and its page again on every run (a new ScriptCache each time, Streamlit's magic
    included); the server compiles them once and keeps the bytecode. So that a rerun here costs what it costs there,
    AppTest shares one cache (the Policies page's script took 26 ms to compile, the naive page's 1 ms)."""
    from streamlit.runtime.scriptrunner.script_cache import ScriptCache
    from streamlit.testing.v1 import app_test, local_script_runner

    shared = ScriptCache()
    app_test.ScriptCache = local_script_runner.ScriptCache = lambda: shared


def page_test(file: str, params: dict):
    from streamlit.testing.v1 import AppTest

    def make():
        at = AppTest.from_file(str(ROOT / "app.py"), default_timeout=300)
        for key, value in {"country": COUNTRY, "lang": "en", **params}.items():
            at.query_params[key] = value
        at.run()
        at.switch_page(file)
        for key, value in params.items():
            at.query_params[key] = value
        return at

    return make


def profile(make, repeat: int, top: int = 40) -> None:
    """Print where `repeat` warm reruns of a page spend their time: cProfile of the script thread, by cumulative."""
    import cProfile
    import pstats

    from streamlit.runtime.scriptrunner import script_runner

    at = make()
    at.run()  # warm, not profiled
    profiler, run_script = cProfile.Profile(), script_runner.ScriptRunner._run_script

    def profiled(self, *args, **kwargs):
        profiler.enable()
        try:
            return run_script(self, *args, **kwargs)
        finally:
            profiler.disable()

    script_runner.ScriptRunner._run_script = profiled
    try:
        for _ in range(repeat):
            at.run()
    finally:
        script_runner.ScriptRunner._run_script = run_script
    if at.exception:
        raise RuntimeError(at.exception)
    stats = pstats.Stats(profiler).sort_stats("cumulative")
    stats.print_stats(top)
    stats.print_stats(r"cockpit/|views/|streamlit/elements/", top)  # the project's own calls and the page's elements


def naive_test():
    from streamlit.testing.v1 import AppTest

    return AppTest.from_file(str(ROOT / "bench" / "naive_page.py"), default_timeout=300)


def prepare(scale: int, workdir: Path, year: bool = False) -> Path:
    """The scale's extracts published into the benchmark's folder (again only when they changed); with `year`, a
    state store of its own that holds a year of meetings."""
    from cockpit.data import db
    from cockpit.publish import versions

    extracts = ensure_extracts(workdir, scale)
    os.environ["COCKPIT_DATA_URL"] = str(workdir / f"overview-scale{scale}")
    state = workdir / f"pages-state-{scale}{'-year' if year else ''}.db"
    if year:  # filled afresh
        state.unlink(missing_ok=True)
    os.environ["COCKPIT_STATE_URL"] = f"sqlite:///{state}"
    versions.publish(COUNTRY, extracts, by="bench")
    db._database.cache_clear()
    versions.evaluate_alerts(db.get(), COUNTRY, os.environ["COCKPIT_STATE_URL"])
    if year:
        year_of_meetings(os.environ["COCKPIT_STATE_URL"])
    os.environ["BENCH_EXTRACTS"] = str(extracts)
    return extracts


def year_of_meetings(state_url: str, meetings: int = 24, decided: int = 80, policies: int = 12) -> None:
    """What a year of use leaves in the state store: `meetings` meetings (two a month) of `decided` decisions each
    about a province, and a note a quarter from each province on each of `policies` policies."""
    import random
    from datetime import UTC, date, datetime, timedelta

    from cockpit.data import areas, db
    from cockpit.meeting import decisions
    from cockpit.review import policy_notes
    from cockpit.state import store
    from cockpit.users.identity import Identity

    engine, served = store.engine(state_url), db.get()
    provinces = list(served.query(COUNTRY, "data/province_ids")["area_id"])
    chosen = list(dict.fromkeys(served.query(COUNTRY, "review/policies/catalogue")["policy_id"]))[:policies]
    secretary = areas.actor(served, Identity("secretary", "secretary", "meeting_secretary", None, None), COUNTRY)
    pick = random.Random(7)
    for meeting in range(meetings):
        day = date(2025, 12, 1) + timedelta(days=15 * meeting)
        for number in range(decided):
            province = pick.choice(provinces)
            text = f"Decision {meeting + 1}.{number + 1}: follow up the district reports on returning pupils"
            decisions.record(
                engine,
                COUNTRY,
                text,
                "Provincial education office",
                "area",
                province,
                secretary,
                meeting_date=day,
                due_date=day + timedelta(days=30),
                area_id=province,
                now=datetime.combine(day, datetime.min.time(), UTC),
            )
    for province in provinces:
        office = areas.actor(
            served, Identity(f"peo.{province}", "PEO", "provincial_office", COUNTRY, province), COUNTRY
        )
        for quarter in range(4):
            for policy in chosen:
                policy_notes.add_note(
                    engine,
                    office,
                    COUNTRY,
                    policy,
                    province,
                    "progress",
                    f"Quarter {quarter + 1}: on plan in most districts, two behind.",
                    now=datetime(2026, 1 + 3 * quarter, 5, tzinfo=UTC),
                )
    engine.dispose()


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--scales", type=int, nargs="+", default=[1, 10])
    parser.add_argument("--repeat", type=int, default=5)
    parser.add_argument("--workdir", type=Path, default=WORKDIR)
    parser.add_argument("--pages", nargs="+", help="only these pages (names as in the table)")
    parser.add_argument("--label", help="what this run measures, for the results file (e.g. the code before a fix)")
    parser.add_argument("--profile", metavar="PAGE", help="print where this page's reruns spend their time instead")
    parser.add_argument(
        "--year", action="store_true", help="with a year of meetings in the state store: 1,920 decisions, 3,696 notes"
    )
    args = parser.parse_args()
    os.environ["COCKPIT_DEMO_ACCOUNT"] = "meeting_secretary"  # reads the whole country
    args.workdir.mkdir(parents=True, exist_ok=True)
    compile_once()
    if args.profile:
        prepare(args.scales[0], args.workdir, args.year)
        (_, file, params) = next(p for p in PAGES if p[0] == args.profile)
        profile(page_test(file, params), args.repeat)
        return
    names = [name for name, _, _ in PAGES if not args.pages or name in args.pages]
    results: dict[tuple[int, str], float] = {}
    naive: dict[int, float] = {}
    loads = [os.getloadavg()[0]]
    for scale in args.scales:
        prepare(scale, args.workdir, args.year)
        before = reruns(naive_test, args.repeat)
        for name, file, params in PAGES:
            if name in names:
                try:
                    results[scale, name] = statistics.median(reruns(page_test(file, params), args.repeat))
                except RuntimeError as exc:  # one broken page does not cost the whole run: the table says so
                    print(f"{name} at scale {scale} failed: {exc}", file=sys.stderr)
                    results[scale, name] = None
        naive[scale] = statistics.median(before + reruns(naive_test, args.repeat))
        loads.append(os.getloadavg()[0])
    text = table(args.scales, names, results, naive)
    heading = (
        run_heading("bench_pages") + f", warm reruns: median of "
        f"{args.repeat}, load average "
        + " → ".join(f"{x:.1f}" for x in loads)
        + (", a year of meetings in the state store" if args.year else "")
        + (f", {args.label}" if args.label else "")
    )
    record(RESULTS, heading + "\n\n" + text)


def table(scales: list[int], names: list[str], results: dict, naive: dict) -> str:
    """One row per page, per scale its median, its ratio to the naive page and whether it meets the budget."""
    head = "| page |" + "".join(f" scale {s}, ms | × naive | ≤ {BUDGET_MS[s]} ms |" for s in scales)
    rule = "|---|" + "---:|---:|:---:|" * len(scales)
    lines = [head, rule]
    for name in names:
        cells = []
        for scale in scales:
            ms = results[scale, name]
            if ms is None:
                cells.append(" error | | |")
                continue
            cells.append(f" {ms:.0f} | {ms / naive[scale]:.2f} × | {'yes' if ms <= BUDGET_MS[scale] else '**no**'} |")
        lines.append(f"| {name} |" + "".join(cells))
    lines.append("| *naive page* |" + "".join(f" {naive[s]:.0f} | 1 × | |" for s in scales))
    return "\n".join(lines) + "\n"


if __name__ == "__main__":
    main()
