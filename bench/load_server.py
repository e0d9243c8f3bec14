"""Many readers at once, measured at the server (issue 17 item 2): N sessions speaking Streamlit's own protocol.

bench/load.py drives real Chromium tabs, and on this 2-core machine twenty of them take the CPU the server would
need: it measures the browsers. Here each reader is a websocket to /_stcore/stream that sends what the browser's
sidebar sends on a click (a `rerun_script` BackMsg: the page's URL path and the query string) and reads the
ForwardMsgs until Streamlit's `script_finished`. So a click's time is the server's part of time-to-ready: the
script run, the messages written and carried to the reader. What the browser adds on top (drawing the charts and
maps) is measured once per page, without load, by bench/bench_browser.py.

Before the clock starts, each server is asked for every page once (a server that has been up since the version was
published has its caches warm). Each session signs in as the demo meeting secretary (as the other benchmarks do),
opens the Overview, then goes Province → Alerts → a wall (the four in turn) → Overview … until the time is up.
Between clicks it reads for `--think` seconds (uniform from half to one and a half times it, seeded per session: the
same run twice makes the same clicks); `--think 0` is the stress case of readers who click the moment a page is
ready. An error is an exception on the page, a click not finished within `--timeout`, or a websocket closed under
the reader. The widget states a browser sends with a click are not sent: each page runs with its defaults, as on a
first visit. The large elements already received are named in each click, as the browser's message cache does, so
the server sends a reference for an unchanged map instead of the map again.

The baseline, measured in the same run with the same sessions, think time and length: bench/naive_app.py's naive
page (reads the Parquet extracts with pandas on every run and draws a bar chart, a line chart and a table), asked
for on every click. `--replicas K` serves the cockpit from K Streamlit processes on the same published version and
state store, each session on one of them in turn, as nginx's hash spreads them in deploy/local-cluster.

Run: `python bench/load_server.py --sessions 20 --seconds 120` (part of `make bench`; `make load` for 10 minutes).
Prints a Markdown report and appends it, with the load average, to bench/results/load_server.md (kept out of git).
"""

from __future__ import annotations

import argparse
import asyncio
import os
import random
import statistics
import time
from pathlib import Path

from bench_pages import prepare
from common import COUNTRY, ROOT, WORKDIR, record, rss_mb, run_heading, serve, stop
from load import cpu_seconds, percentile

RESULTS = ROOT / "bench" / "results" / "load_server.md"
WALLS = ["wall-results", "wall-crises", "wall-capacity", "wall-policies"]
ROUND = ["", "province", "alerts"]  # then a wall; "" is the Overview (the default page)
NAMES = {
    "": "Overview",
    "province": "Province",
    "alerts": "Alerts",
    "naive": "naive page",
    **{w: "wall" for w in WALLS},
}
ARRIVAL_SECONDS = 1.5  # readers arrive over the first half minute, not in one instant
FINISHED_EARLY_FOR_RERUN = 2  # ScriptFinishedStatus: a run cut short by the next one; wait for that one


class Run:
    """What the sessions record: each click's page, start (s since the run began), ms, bytes received; errors."""

    def __init__(self):
        self.start = time.monotonic()
        self.clicks: list[tuple[str, float, float, int]] = []
        self.errors: list[tuple[str, float, str]] = []
        self.first_round: dict[int, float] = {}  # session → when it finished its first round

    def now(self) -> float:
        return time.monotonic() - self.start


async def click(ws, page: str, query: str, timeout: float, cache: set[str]) -> tuple[float, int, bool]:
    """Ask for `page` as the sidebar does; (ms until the script finished, bytes received, an exception shown).
    `cache` holds the hashes of the large elements this reader has been sent, as the browser keeps them: the server
    sends a reference for those instead of the element again."""
    from streamlit.proto.BackMsg_pb2 import BackMsg
    from streamlit.proto.ForwardMsg_pb2 import ForwardMsg

    message = BackMsg()
    message.rerun_script.query_string = query
    message.rerun_script.page_name = page
    message.rerun_script.cached_message_hashes.extend(sorted(cache))
    started = time.perf_counter()
    await ws.send(message.SerializeToString())
    received, exception = 0, False
    async with asyncio.timeout(timeout):
        while True:
            data = await ws.recv()
            received += len(data)
            forward = ForwardMsg()
            forward.ParseFromString(data)
            kind = forward.WhichOneof("type")
            if forward.metadata.cacheable:
                cache.add(forward.hash)
            if kind == "delta" and forward.delta.WhichOneof("type") == "new_element":
                exception |= forward.delta.new_element.WhichOneof("type") == "exception"
            elif kind == "script_finished" and forward.script_finished != FINISHED_EARLY_FOR_RERUN:
                return (time.perf_counter() - started) * 1000, received, exception


async def session(number: int, url: str, pages, run: Run, deadline: float, timeout: float, think: float):
    import websockets

    rng = random.Random(number)
    query = f"country={COUNTRY}&lang=th"
    await asyncio.sleep(number * ARRIVAL_SECONDS)
    while run.now() < deadline:
        at = run.now()
        try:
            async with websockets.connect(
                url.replace("http", "ws", 1) + "/_stcore/stream",
                subprotocols=["streamlit"],
                origin=url,
                max_size=None,
                open_timeout=timeout,
            ) as ws:
                rounds, cache = 0, set()
                while run.now() < deadline:
                    for page in pages(rounds):
                        if run.now() >= deadline:
                            break
                        at = run.now()
                        ms, received, exception = await click(ws, page, query, timeout, cache)
                        if exception:
                            run.errors.append((NAMES.get(page, page), at, "exception on the page"))
                        else:
                            run.clicks.append((NAMES.get(page, page), at, ms, received))
                        await asyncio.sleep(think * rng.uniform(0.5, 1.5))
                    if run.now() < deadline:  # a round cut by the deadline is not a round done
                        run.first_round.setdefault(number, run.now())
                    rounds += 1
        except Exception as exc:  # a click not finished in time, a websocket closed: an error; the reader reconnects
            run.errors.append(("click", at, type(exc).__name__ + ": " + (str(exc).splitlines() or [""])[0][:120]))
            await asyncio.sleep(1)  # a server that refuses at once is not asked again in a tight loop


async def sample(pids: list[int], run: Run, deadline: float, every: float, samples: list):
    """(s, RSS MB, CPU s, load average) of the servers, summed, every `every` seconds until the deadline."""
    while True:
        samples.append((run.now(), sum(rss_mb(p) for p in pids), sum(cpu_seconds(p) for p in pids), os.getloadavg()[0]))
        if run.now() >= deadline:
            return
        await asyncio.sleep(min(every, max(deadline - run.now(), 0.1)))


async def warm_up(url: str, pages: list[str], timeout: float) -> None:
    """Every page once before the clock starts, as a server that has been up since the version was published."""
    import websockets

    async with websockets.connect(
        url.replace("http", "ws", 1) + "/_stcore/stream", subprotocols=["streamlit"], origin=url, max_size=None
    ) as ws:
        for page in pages:
            await click(ws, page, f"country={COUNTRY}&lang=th", timeout, set())


async def drive(urls: list[str], pids: list[int], pages, sessions: int, seconds: float, args) -> tuple[Run, list]:
    await asyncio.gather(
        *(warm_up(url, sorted({p for r in range(len(WALLS)) for p in pages(r)}), args.timeout) for url in urls)
    )
    run, samples = Run(), []
    deadline = run.now() + seconds
    await asyncio.gather(
        sample(pids, run, deadline, args.sample_every, samples),
        *(session(i, urls[i % len(urls)], pages, run, deadline, args.timeout, args.think) for i in range(sessions)),
    )
    return run, samples


def cockpit_pages(rounds: int) -> list[str]:
    return [*ROUND, WALLS[rounds % len(WALLS)]]


def naive_pages(_rounds: int) -> list[str]:
    return ["naive"]


def measure(script: str, replicas: int, pages, env: dict[str, str] | None, args) -> tuple[Run, list]:
    servers = [serve(script, env) for _ in range(replicas)]
    try:
        return asyncio.run(
            drive([url for _, url in servers], [p.pid for p, _ in servers], pages, args.sessions, args.seconds, args)
        )
    finally:
        for process, _url in servers:
            stop(process)


def summary(run: Run, samples: list, sessions: int) -> dict:
    """The figures of one run: clicks, p50/p95/max ms (all, and warm), KB per click by page, memory, CPU."""
    warm_from = max(run.first_round.values()) if len(run.first_round) == sessions else float("inf")
    times = [ms for _n, _t, ms, _b in run.clicks]
    warm = [ms for _n, t, ms, _b in run.clicks if t >= warm_from]
    pages: dict[str, list[tuple[float, int]]] = {}
    for name, _t, ms, received in run.clicks:
        pages.setdefault(name, []).append((ms, received))
    after_round = [s for s in samples if s[0] >= warm_from] or [s for s in samples if s[0] >= 60] or samples
    span = max(samples[-1][0] - samples[0][0], 1e-9)
    return {
        "clicks": len(times),
        "p50": percentile(times, 50) if times else float("nan"),
        "p95": percentile(times, 95) if times else float("nan"),
        "max": max(times, default=float("nan")),
        "warm": len(warm),
        "warm_p95": percentile(warm, 95) if warm else float("nan"),
        "warm_from": warm_from,
        "errors": len(run.errors),
        "pages": pages,
        "rss_from": (after_round[0][0], after_round[0][1]),
        "rss_end": samples[-1][1],
        "rss_half": min(samples, key=lambda s: abs(s[0] - samples[-1][0] / 2))[:2],
        "rss_peak": max(s[1] for s in samples),
        "cpu": 100 * (samples[-1][2] - samples[0][2]) / span,
        "memory": samples[:: max(1, len(samples) // 10)] + samples[-1:],
    }


def report(cockpit: dict, naive: dict, run: Run, args, loads: list[float]) -> str:
    growth = 100 * (cockpit["rss_end"] - cockpit["rss_from"][1]) / cockpit["rss_from"][1]
    half_at, half_mb = cockpit["rss_half"]
    half_growth = 100 * (cockpit["rss_end"] - half_mb) / half_mb
    lines = [
        f"{args.sessions} sessions for {args.seconds:.0f} s each, think time {args.think:g} s (±50%), scale "
        f"{args.scale}, {args.replicas} cockpit replica(s); load average " + " → ".join(f"{x:.1f}" for x in loads),
        "",
        "| | clicks | p50, ms | p95, ms | max, ms | p95 × naive | errors | server CPU, % of one core |",
        "|---|---:|---:|---:|---:|---:|---:|---:|",
    ]
    for name, f in [("cockpit", cockpit), ("*naive page*", naive)]:
        lines.append(
            f"| {name} | {f['clicks']} | {f['p50']:.0f} | {f['p95']:.0f} | {f['max']:.0f} | "
            f"{f['p95'] / naive['p95']:.2f} × | {f['errors']} | {f['cpu']:.0f} |"
        )
    lines += ["", "| cockpit page | clicks | p50, ms | p95, ms | KB received, median |", "|---|---:|---:|---:|---:|"]
    for name in ["Overview", "Province", "Alerts", "wall"]:
        values = cockpit["pages"].get(name, [])
        if values:
            times = [ms for ms, _ in values]
            size = statistics.median(b for _, b in values) / 1024
            lines.append(
                f"| {name} | {len(values)} | {percentile(times, 50):.0f} | {percentile(times, 95):.0f} | {size:.0f} |"
            )
    warm = cockpit["warm_from"] < float("inf")
    lines += [
        "",
        f"Once every session had been round once ({cockpit['warm_from']:.0f} s): {cockpit['warm']} clicks, p95 "
        f"{cockpit['warm_p95']:.0f} ms."
        if warm
        else "No session got round before the end: every click above includes first visits.",
        f"Server memory (RSS, all replicas): {cockpit['rss_from'][1]:.0f} MB at {cockpit['rss_from'][0]:.0f} s → "
        f"{cockpit['rss_end']:.0f} MB at the end, {growth:+.1f}% (target ≤ 10%); peak {cockpit['rss_peak']:.0f} MB. "
        # A leak grows as fast in the second half as in the first; caches and sessions filling up do not.
        f"Over the second half ({half_at:.0f} s → end): {half_mb:.0f} → {cockpit['rss_end']:.0f} MB, "
        f"{half_growth:+.1f}%.",
        "Server memory over the run (s: MB): "
        + ", ".join(f"{t:.0f}: {rss:.0f}" for t, rss, _cpu, _load in cockpit["memory"])
        + ".",
        f"Errors: {cockpit['errors']} (target 0)",
        *(f"- {at:.0f} s, {name}: {what}" for name, at, what in run.errors[:10]),
    ]
    return "\n".join(lines) + "\n"


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--sessions", type=int, default=20)
    parser.add_argument("--seconds", type=float, default=120, help="how long the cockpit is driven")
    parser.add_argument("--baseline-seconds", type=float, help="how long the naive page is (default: --seconds)")
    parser.add_argument("--think", type=float, default=2.0, help="seconds a reader reads before the next click")
    parser.add_argument("--replicas", type=int, default=1)
    parser.add_argument("--scale", type=int, default=1)
    parser.add_argument("--timeout", type=float, default=60, help="seconds a click may take before it is an error")
    parser.add_argument("--sample-every", type=float, default=5)
    parser.add_argument("--workdir", type=Path, default=WORKDIR)
    parser.add_argument("--label", help="what this run measures, for the results file")
    args = parser.parse_args()
    os.environ["COCKPIT_DEMO_ACCOUNT"] = "meeting_secretary"  # reads the whole country
    extracts = prepare(args.scale, args.workdir)
    loads = [os.getloadavg()[0]]
    baseline_args = argparse.Namespace(**{**vars(args), "seconds": args.baseline_seconds or args.seconds})
    naive_run, naive_samples = measure(
        "bench/naive_app.py", 1, naive_pages, {"BENCH_EXTRACTS": str(extracts)}, baseline_args
    )
    loads.append(os.getloadavg()[0])
    run, samples = measure("app.py", args.replicas, cockpit_pages, None, args)
    loads.append(os.getloadavg()[0])
    heading = run_heading("load_server") + (f", {args.label}" if args.label else "")
    text = (
        heading
        + "\n\n"
        + report(
            summary(run, samples, args.sessions), summary(naive_run, naive_samples, args.sessions), run, args, loads
        )
    )
    record(RESULTS, text)


if __name__ == "__main__":
    main()
