"""Browser benchmark (issue 19 item 2): every page opened in headless Chromium at 1366×768, warm, timed to ready.

A Streamlit server serves the cockpit on the Thai demo data at scale 1 (published into the benchmark's own folder,
signed in as the demo meeting secretary, as bench_pages.py does), another serves the naive page
(bench/naive_page.py) the same way: the baseline, measured in the same run, before and after the pages. Each page
is opened once (the server's caches and the browser's cache of Streamlit's scripts warm), then `--repeat` times
more, each a fresh load of its URL (as a shared link or a reload opens it), timed from the request to ready:
Streamlit's script finished, connected, no element stale and every chart drawn (tests/streamlit_wait.py, never a
sleep). Two ways in: by its link in a new tab (a shared link; the browser's cache keeps Streamlit's scripts), and
switched to in the app by a click in the sidebar's navigation from a light page (the reader moving between pages;
Streamlit drops the page's URL choices on a switch, so the Province and Region pages show their default). Beside
the medians: what the page sent (bytes over the websocket), how many elements it drew, its maps, tables and charts,
and the browser's main-thread time (Chromium's TaskDuration and ScriptDuration), to see what makes a slow page
slow. Target: ≤ 2 s warm per page at scale 1.

Run: `python bench/bench_browser.py` (`--pages Overview Province` for some, `--lang lo`). Prints a Markdown table and
appends it, with the date and the load average, to bench/results/browser.md (kept out of the repository).
"""

from __future__ import annotations

import argparse
import os
import re
import statistics
import time
from pathlib import Path

from bench_pages import PAGES, prepare
from common import (
    CHROMIUM,
    CHROMIUM_ARGS,
    COUNTRY,
    LOCAL_ONLY,
    ROOT,
    WORKDIR,
    ready_js,
    record,
    run_heading,
    serve,
    stop,
)

TARGET_MS = 2000
RESULTS = ROOT / "bench" / "results" / "browser.md"
URL_PATHS = {  # the page's url_path in app.py
    "views/overview.py": "overview",
    "views/alerts.py": "alerts",
    "views/decisions.py": "decisions",
    "views/wall_results.py": "wall-results",
    "views/wall_crises.py": "wall-crises",
    "views/wall_capacity.py": "wall-capacity",
    "views/wall_policies.py": "wall-policies",
    "views/province.py": "province",
    "views/region.py": "region",
    "views/explore.py": "explore",
    "views/indicators.py": "indicators",
    "views/quality.py": "quality",
    "views/policies.py": "policies",
    "views/league.py": "league",
}
WAITING_JS = """() => {
  const app = document.querySelector('[data-testid="stApp"]');
  return {url: location.href, connection: app && app.dataset.testConnectionState,
    script: app && app.dataset.testScriptState, ran: window.__benchRan,
    // undefined after a switch: the click loaded a new document instead of switching the page in this one
    same_document: window.__benchRan !== undefined,
    status: document.querySelectorAll('[data-testid="stStatusWidget"]').length,
    stale: [...document.querySelectorAll('[data-testid="stElementContainer"][data-stale="true"]')].length,
    maps_drawn: [...document.querySelectorAll('[data-testid="stDeckGlJsonChart"]')]
      .map(e => !!e.querySelector('canvas')),
    charts_drawn: [...document.querySelectorAll('[data-testid="stPlotlyChart"]')]
      .map(e => !!e.querySelector('.main-svg')),
    echarts_drawn: [...document.querySelectorAll('[data-testid="stEChartsChart"]')]
      .map(e => !!e.querySelector('canvas'))};
}"""
COUNT_JS = """() => ({
  elements: document.querySelectorAll('[data-testid="stElementContainer"]').length,
  maps: document.querySelectorAll('[data-testid="stDeckGlJsonChart"]').length,
  tables: document.querySelectorAll('[data-testid="stDataFrame"], [data-testid="stTable"]').length,
  charts: document.querySelectorAll(
    '[data-testid="stPlotlyChart"], [data-testid="stVegaLiteChart"], [data-testid="stEChartsChart"]').length,
})"""


def page_url(base: str, file: str, params: dict, lang: str) -> str:
    from urllib.parse import urlencode

    path = "" if file == "views/overview.py" else URL_PATHS[file]  # the default page's URL is the app's own
    return f"{base}/{path}?" + urlencode({"country": COUNTRY, "lang": lang, **params})


SWITCH_JS = """() => {
  // Set when Streamlit starts the script the click asked for: ready means after it, not the page before it.
  window.__benchRan = false;
  const app = document.querySelector('[data-testid="stApp"]');
  // The records, not the state when the observer runs: a quick run may be over by then.
  new MutationObserver(records => {
    for (const r of records)
      if (r.oldValue === 'running' || app.dataset.testScriptState === 'running') window.__benchRan = true;
  }).observe(app, {attributes: true, attributeFilter: ['data-test-script-state'], attributeOldValue: true});
  // A run quick enough (a light page, 250 ms) may never show 'running' in the DOM: React renders the state it ends
  // in. The page's title changing says the script the click asked for has drawn it.
  window.__benchTitle = (document.querySelector('h1') || {}).innerText;
}"""
SWITCHED_JS = "() => (window.__benchRan || (document.querySelector('h1') || {}).innerText !== window.__benchTitle)"


class Visitor:
    """A browser context at 1366×768 (its HTTP cache kept between visits, as a reader's browser keeps Streamlit's
    scripts) that opens pages and measures each visit."""

    def __init__(self, browser):
        self.context = browser.new_context(viewport={"width": 1366, "height": 768})
        self.context.route(re.compile(LOCAL_ONLY), lambda route: route.abort())
        self.ready = ready_js()
        self.received = 0
        self.tab = None

    def _count(self, payload) -> None:
        self.received += len(payload)

    @staticmethod
    def _wait(page, condition: str) -> None:
        """Until `condition` holds; a page never ready says what it was waiting for."""
        try:
            page.wait_for_function(condition, polling=50, timeout=120_000)
        except Exception as exc:
            raise RuntimeError(f"not ready after 120 s: {page.evaluate(WAITING_JS)}") from exc

    def _open_tab(self):
        page = self.context.new_page()
        page.on("websocket", lambda ws: ws.on("framereceived", self._count))
        cdp = self.context.new_cdp_session(page)
        cdp.send("Performance.enable")
        return page, cdp

    @staticmethod
    def _metrics(cdp) -> dict[str, float]:
        return {m["name"]: m["value"] for m in cdp.send("Performance.getMetrics")["metrics"]}

    def _result(self, page, ms: float, before: dict, after: dict) -> dict:
        exception = page.locator('[data-testid="stException"]')
        if exception.count():
            raise RuntimeError(exception.first.inner_text()[:300])
        return {
            "ms": ms,
            "kb": self.received / 1024,
            "task_ms": 1000 * (after["TaskDuration"] - before.get("TaskDuration", 0.0)),
            "script_ms": 1000 * (after["ScriptDuration"] - before.get("ScriptDuration", 0.0)),
            **page.evaluate(COUNT_JS),
        }

    def link(self, url: str) -> dict:
        """Open `url` in a new tab, as a shared link: ms to ready, kB received on the websocket, elements drawn, the
        tab's main-thread ms."""
        page, cdp = self._open_tab()
        try:
            self.received = 0
            start = time.perf_counter()
            page.goto(url, wait_until="commit")
            self._wait(page, self.ready)
            ms = (time.perf_counter() - start) * 1000
            return self._result(page, ms, {}, self._metrics(cdp))
        finally:
            page.close()

    def switch(self, start_url: str, path: str) -> dict:
        """From `start_url`, open the page at `path` with a click in the sidebar's navigation, as a reader moves
        between pages: ms from the click to ready (the app and its scripts already loaded)."""
        if self.tab is None:
            self.tab = self._open_tab()
        page, cdp = self.tab
        page.goto(start_url, wait_until="commit")
        self._wait(page, self.ready)
        more = page.locator('[data-testid="stSidebarNavViewButton"]')
        if more.count() and "more" in (more.first.inner_text() or "").lower():
            more.first.click()
        target = page.locator(f'[data-testid="stSidebarNav"] a[href$="/{path}"]').first
        page.evaluate(SWITCH_JS)
        before, self.received = self._metrics(cdp), 0
        start = time.perf_counter()
        target.click()
        self._wait(page, f"() => ({SWITCHED_JS})() && ({self.ready})()")
        ms = (time.perf_counter() - start) * 1000
        return self._result(page, ms, before, self._metrics(cdp))

    def close(self) -> None:
        self.context.close()


def measure(visit, repeat: int) -> dict:
    """One visit to warm, then `repeat` timed: the medians."""
    visit()
    runs = [visit() for _ in range(repeat)]
    return {key: statistics.median(r[key] for r in runs) for key in runs[0]}


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--repeat", type=int, default=5)
    parser.add_argument("--workdir", type=Path, default=WORKDIR)
    parser.add_argument("--pages", nargs="+", help="only these pages (names as in the table)")
    parser.add_argument("--lang", default="th", choices=["th", "lo", "en"])
    parser.add_argument("--label", help="what this run measures, for the results file")
    args = parser.parse_args()
    from playwright.sync_api import sync_playwright

    os.environ["COCKPIT_DEMO_ACCOUNT"] = "meeting_secretary"  # reads the whole country
    extracts = prepare(1, args.workdir)
    app, app_url = serve("app.py")
    naive, naive_url = serve("bench/naive_app.py", {"BENCH_EXTRACTS": str(extracts)})
    loads = [os.getloadavg()[0]]
    results: dict[str, tuple[dict, dict] | None] = {}
    home = f"{app_url}/indicators?country={COUNTRY}&lang={args.lang}"  # where a switch starts: a light page

    def naive_pair(visitor: Visitor) -> tuple[dict, dict]:
        return (
            measure(lambda: visitor.link(f"{naive_url}/naive"), args.repeat),
            measure(lambda: visitor.switch(f"{naive_url}/", "naive"), args.repeat),
        )

    try:
        with sync_playwright() as p:
            browser = p.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
            visitor = Visitor(browser)
            baseline = [naive_pair(visitor)]
            for name, file, params in PAGES:
                if args.pages and name not in args.pages:
                    continue
                path = "" if file == "views/overview.py" else URL_PATHS[file]  # as the sidebar's link ends
                start = home if file != "views/indicators.py" else f"{app_url}/?country={COUNTRY}&lang={args.lang}"
                try:
                    url = page_url(app_url, file, params, args.lang)
                    results[name] = (
                        measure(lambda u=url: visitor.link(u), args.repeat),
                        measure(lambda s=start, p=path: visitor.switch(s, p), args.repeat),
                    )
                except Exception as exc:  # one broken page does not cost the whole run: the table says so
                    print(f"{name} failed: {exc}")
                    results[name] = None
                print(name, results[name], flush=True)
            baseline.append(naive_pair(visitor))
            visitor.close()
            browser.close()
    finally:
        stop(app)
        stop(naive)
    loads.append(os.getloadavg()[0])
    naive_ms = (
        statistics.median([b[0]["ms"] for b in baseline]),
        statistics.median([b[1]["ms"] for b in baseline]),
    )
    text = table(results, baseline, naive_ms)
    heading = (
        run_heading("bench_browser") + f", Chromium 1366×768, "
        f"lang={args.lang}, scale 1, warm visits: median of {args.repeat}, load average "
        + " → ".join(f"{x:.1f}" for x in loads)
        + (f", {args.label}" if args.label else "")
    )
    record(RESULTS, heading + "\n\n" + text)


def table(results: dict, baseline: list[tuple[dict, dict]], naive_ms: tuple[float, float]) -> str:
    """One row per page: opened by its link and switched to in the app (ms, ratio to the naive page's, target),
    then what the link's visit received and drew and the browser's main-thread time."""
    head = (
        "| page | by link, ms | × naive | ≤ 2 s | switched to, ms | × naive | ≤ 2 s | sent, kB | elements | maps "
        "| tables | charts | browser main thread, ms | of which script, ms |"
    )
    lines = [head, "|---|---:|---:|:---:|---:|---:|:---:|---:|---:|---:|---:|---:|---:|---:|"]

    def row(name: str, link: dict, switched: dict, target: bool) -> str:
        cells = []
        for r, base in ((link, naive_ms[0]), (switched, naive_ms[1])):
            verdict = ("yes" if r["ms"] <= TARGET_MS else "**no**") if target else ""
            cells.append(f"{r['ms']:.0f} | {r['ms'] / base:.2f} × | {verdict}")
        return (
            f"| {name} | {cells[0]} | {cells[1]} | {link['kb']:.0f} | {link['elements']:.0f} | {link['maps']:.0f} "
            f"| {link['tables']:.0f} | {link['charts']:.0f} | {link['task_ms']:.0f} | {link['script_ms']:.0f} |"
        )

    for name, r in results.items():
        lines.append(f"| {name} | error |" + " |" * 12 if r is None else row(name, *r, target=True))
    for label, b in zip(("*naive page, before*", "*naive page, after*"), baseline, strict=True):
        lines.append(row(label, *b, target=False))
    return "\n".join(lines) + "\n"


if __name__ == "__main__":
    main()
