"""Many readers at once (issue 17 item 2): N real browser sessions clicking through the cockpit for a fixed time.

One headless Chromium, N contexts (a reader each, 1366×768), driven with asyncio: each signs in as the demo meeting
secretary (as the benchmarks do), opens the Overview, then clicks in the sidebar's navigation Overview → Province →
Alerts → a wall (the four walls in turn) until the time is up. Every click is timed to ready: Streamlit's script
for that click finished, connected, no element stale and every chart drawn (tests/streamlit_wait.py, never a
sleep). An error is a page that shows an exception, a disconnection or a click not ready within `--timeout`.
Meanwhile the server's resident memory (RSS) and CPU time are sampled every few seconds; the growth is measured
from the end of the first round (every session has opened every page once, so the caches are warm) to the end.

Run: `make load` (N=20 for 10 minutes: `make load LOAD_SESSIONS=20 LOAD_SECONDS=600`), or
`python bench/load.py --sessions 20 --seconds 180`. Prints a Markdown report and appends it, with the load
average, to bench/results/load.md (kept out of the repository). The browsers run on the same machine as the
server: the report says how much of the CPU the server had.
"""

from __future__ import annotations

import argparse
import asyncio
import os
import re
import statistics
import time
from pathlib import Path

from bench_pages import prepare
from common import (
    CHROMIUM,
    CHROMIUM_ARGS,
    COUNTRY,
    LOCAL_ONLY,
    ROOT,
    WORKDIR,
    ready_js,
    record,
    rss_mb,
    run_heading,
    serve,
    stop,
)

RESULTS = ROOT / "bench" / "results" / "load.md"
WALLS = ["wall-results", "wall-crises", "wall-capacity", "wall-policies"]
ROUND = ["", "province", "alerts"]  # then a wall; "" is the Overview (the default page)
NAMES = {"": "Overview", "province": "Province", "alerts": "Alerts", **{w: "wall" for w in WALLS}}
ARRIVAL_SECONDS = 1.5
STARTED_JS = """() => {
  // Set when Streamlit starts the script the click asked for: ready means after it, not the page before it.
  window.__loadRan = false;
  const app = document.querySelector('[data-testid="stApp"]');
  // The records, not the state when the observer runs: a quick run may be over by then.
  new MutationObserver(records => {
    for (const r of records)
      if (r.oldValue === 'running' || app.dataset.testScriptState === 'running') window.__loadRan = true;
  }).observe(app, {attributes: true, attributeFilter: ['data-test-script-state'], attributeOldValue: true});
}"""


class Run:
    """What the sessions record: each click's page, start (s since the run began), ms to ready, error."""

    def __init__(self):
        self.start = time.monotonic()
        self.clicks: list[tuple[str, float, float]] = []
        self.errors: list[tuple[str, float, str]] = []
        self.first_round: dict[int, float] = {}  # session → when it finished its first round

    def now(self) -> float:
        return time.monotonic() - self.start


async def session(browser, number: int, url: str, run: Run, deadline: float, timeout_ms: int, ready: str):
    context = await browser.new_context(viewport={"width": 1366, "height": 768})
    await context.route(re.compile(LOCAL_ONLY), lambda route: route.abort())
    page = await context.new_page()
    disconnected = []
    page.on("websocket", lambda ws: ws.on("close", lambda _ws: disconnected.append(run.now())))
    home = f"{url}/?country={COUNTRY}&lang=th"
    opens: list[float] = []  # each open after the first closes the page's websocket itself

    async def open_home() -> bool:
        """The Overview by its link (the first visit, or after an error); an error too when not ready in time."""
        at = run.now()
        opens.append(at)
        try:
            await page.goto(home, wait_until="commit")
            await page.wait_for_function(ready, polling=100, timeout=timeout_ms)
            return True
        except Exception as exc:
            run.errors.append(("open", at, type(exc).__name__ + ": " + str(exc).splitlines()[0][:120]))
            return False

    try:
        await asyncio.sleep(number * ARRIVAL_SECONDS)  # readers arrive over the first half minute, not in one instant
        while not await open_home():
            if run.now() >= deadline:
                return
        rounds = 0
        while run.now() < deadline:
            for path in [*ROUND, WALLS[rounds % len(WALLS)]]:
                if run.now() >= deadline:
                    break
                name = NAMES[path]
                at = run.now()
                try:
                    more = page.locator('[data-testid="stSidebarNavViewButton"]')
                    if await more.count() and "more" in ((await more.first.inner_text()) or "").lower():
                        await more.first.click()
                    await page.evaluate(STARTED_JS)
                    started = time.perf_counter()
                    await page.locator(f'[data-testid="stSidebarNav"] a[href$="/{path}"]').first.click()
                    await page.wait_for_function(
                        f"() => window.__loadRan && ({ready})()", polling=50, timeout=timeout_ms
                    )
                    ms = (time.perf_counter() - started) * 1000
                    if await page.locator('[data-testid="stException"]').count():
                        run.errors.append((name, at, "exception on the page"))
                    else:
                        run.clicks.append((name, at, ms))
                except Exception as exc:  # a click not ready in time, a page gone: an error, and the reader goes on
                    run.errors.append((name, at, type(exc).__name__ + ": " + str(exc).splitlines()[0][:120]))
                    while not await open_home():
                        if run.now() >= deadline:
                            return
            if run.now() < deadline:  # a round cut by the deadline is not a round done
                run.first_round.setdefault(number, run.now())
            rounds += 1
    finally:
        closed = [at for at in disconnected if at < deadline]
        for at in closed[max(len(opens) - 1, 0) :]:
            run.errors.append(("websocket", at, "closed while the reader was on the page"))
        await context.close()


def cpu_seconds(pid: int) -> float:
    with open(f"/proc/{pid}/stat", encoding="ascii") as f:
        fields = f.read().rsplit(")", 1)[1].split()
    return (int(fields[11]) + int(fields[12])) / os.sysconf("SC_CLK_TCK")


async def sample(pid: int, run: Run, deadline: float, every: float, samples: list):
    """(s, RSS MB, server CPU s, load average) every `every` seconds until the deadline."""
    while True:
        samples.append((run.now(), rss_mb(pid), cpu_seconds(pid), os.getloadavg()[0]))
        if run.now() >= deadline:
            return
        await asyncio.sleep(min(every, max(deadline - run.now(), 0.1)))


async def drive(url: str, pid: int, sessions: int, seconds: float, timeout_ms: int, every: float):
    from playwright.async_api import async_playwright

    run, samples = Run(), []
    ready = ready_js()
    async with async_playwright() as p:
        browser = await p.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
        deadline = run.now() + seconds
        await asyncio.gather(
            sample(pid, run, deadline, every, samples),
            *(session(browser, i, url, run, deadline, timeout_ms, ready) for i in range(sessions)),
        )
        await browser.close()
    return run, samples


def percentile(values: list[float], q: float) -> float:
    return statistics.quantiles(values, n=100, method="inclusive")[q - 1] if len(values) > 1 else values[0]


def report(run: Run, samples: list, sessions: int, seconds: float, loads: list[float]) -> str:
    # Warm from when every session has finished one round: before it, first visits fill the caches.
    first_round_end = _first_round_end(run, sessions)
    lines = ["| page | clicks | p50, ms | p95, ms | max, ms |", "|---|---:|---:|---:|---:|"]
    by_page: dict[str, list[float]] = {}
    for name, _at, ms in run.clicks:
        by_page.setdefault(name, []).append(ms)
    everything = [ms for _n, _t, ms in run.clicks]
    for name in ["Overview", "Province", "Alerts", "wall"]:
        values = by_page.get(name, [])
        if values:
            lines.append(
                f"| {name} | {len(values)} | {percentile(values, 50):.0f} | {percentile(values, 95):.0f} "
                f"| {max(values):.0f} |"
            )
    if everything:
        lines.append(
            f"| **all** | {len(everything)} | {percentile(everything, 50):.0f} | {percentile(everything, 95):.0f} "
            f"| {max(everything):.0f} |"
        )
    warm = [s for s in samples if s[0] >= first_round_end]
    if not warm:  # no session got round: memory from the first minute's end instead, and the report says so
        warm = [s for s in samples if s[0] >= 60] or samples
    start_rss, end_rss = warm[0][1], samples[-1][1]
    growth = 100 * (end_rss - start_rss) / start_rss
    cpu = samples[-1][2] - samples[0][2]
    wall_time = samples[-1][0] - samples[0][0]
    memory = [
        "| s | RSS, MB | server CPU, % of one core (since the last row) | load average |",
        "|---:|---:|---:|---:|",
    ]
    step = max(1, len(samples) // 12)
    shown = samples[::step] + ([samples[-1]] if (len(samples) - 1) % step else [])
    previous = None
    for t, rss, cpu_s, load in shown:
        share = "" if previous is None else f"{100 * (cpu_s - previous[2]) / max(t - previous[0], 1e-9):.0f}"
        memory.append(f"| {t:.0f} | {rss:.0f} | {share} | {load:.1f} |")
        previous = (t, rss, cpu_s)
    errors = ["", f"Errors: {len(run.errors)}"]
    for name, at, what in run.errors[:10]:
        errors.append(f"- {at:.0f} s, {name}: {what}")
    warm_clicks = [ms for _n, t, ms in run.clicks if t >= first_round_end]
    summary = (
        f"{sessions} sessions for {seconds:.0f} s: {len(everything)} clicks, p50 "
        f"{percentile(everything, 50) if everything else float('nan'):.0f} ms, p95 "
        f"{percentile(everything, 95) if everything else float('nan'):.0f} ms (target 2,000); after every session's "
        f"first round {len(warm_clicks)} clicks, p50 {percentile(warm_clicks, 50) if warm_clicks else float('nan'):.0f}"
        f" ms, p95 {percentile(warm_clicks, 95) if warm_clicks else float('nan'):.0f} ms; errors "
        f"{len(run.errors)} (target 0); server RSS {start_rss:.0f} MB at {warm[0][0]:.0f} s ("
        + ("every session past its first round" if first_round_end < float("inf") else "no session got round")
        + f") → {end_rss:.0f} MB at the end, {growth:+.1f}% (target ≤ 10%), peak "
        f"{max(s[1] for s in samples):.0f} MB; the server used {100 * cpu / max(wall_time, 1e-9):.0f}% of one core "
        f"on average (the browsers the rest); load average " + " → ".join(f"{x:.1f}" for x in loads) + "."
    )
    return "\n".join([summary, "", *lines, "", *memory, *errors]) + "\n"


def _first_round_end(run: Run, sessions: int) -> float:
    """When the last session finished its first round (Overview, Province, Alerts, a wall): the caches are warm."""
    return max(run.first_round.values()) if len(run.first_round) == sessions else float("inf")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--sessions", type=int, default=20)
    parser.add_argument("--seconds", type=float, default=180)
    parser.add_argument("--timeout", type=float, default=60, help="seconds a click may take before it is an error")
    parser.add_argument("--sample-every", type=float, default=5)
    parser.add_argument("--workdir", type=Path, default=WORKDIR)
    parser.add_argument("--label", help="what this run measures, for the results file")
    args = parser.parse_args()
    os.environ["COCKPIT_DEMO_ACCOUNT"] = "meeting_secretary"  # reads the whole country
    prepare(1, args.workdir)
    app, url = serve("app.py")
    loads = [os.getloadavg()[0]]
    try:
        run, samples = asyncio.run(
            drive(url, app.pid, args.sessions, args.seconds, int(args.timeout * 1000), args.sample_every)
        )
    finally:
        stop(app)
    loads.append(os.getloadavg()[0])
    heading = (
        run_heading("load") + f", scale 1, Chromium 1366×768, "
        f"{args.sessions} sessions, {args.seconds:.0f} s" + (f", {args.label}" if args.label else "")
    )
    text = heading + "\n\n" + report(run, samples, args.sessions, args.seconds, loads)
    record(RESULTS, text)


if __name__ == "__main__":
    main()
