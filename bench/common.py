"""What the benchmarks share: the Thai demo extracts built once per scale and as-of date into data/bench/, and
a publish of them into a benchmark's own data folder and state store (never the app's)."""

from __future__ import annotations

import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
if str(ROOT) not in sys.path:
    sys.path.insert(0, str(ROOT))

COUNTRY = "th"
WORKDIR = ROOT / "data" / "bench"


def ensure_extracts(workdir: Path, scale: int) -> Path:
    """The demo extracts at `scale`, built into `workdir`/scale<N>/th unless already there for today's as-of date."""
    from cockpit.demo import build

    workdir.mkdir(parents=True, exist_ok=True)
    ignore = workdir / ".gitignore"
    if not ignore.exists():
        ignore.write_text("*\n")  # extracts, versions and stores for the benchmarks only
    out = workdir / f"scale{scale}"
    found = build.manifest(out / COUNTRY) if (out / COUNTRY).is_dir() else None
    if found is None or found.get("scale") != scale or found.get("as_of") != build.default_as_of().isoformat():
        start = time.perf_counter()
        build.build(COUNTRY, out, scale=scale, seed=42)
        print(f"built scale {scale} extracts in {time.perf_counter() - start:.1f} s", file=sys.stderr)
    return out / COUNTRY


# --- A Streamlit server and headless Chromium, for the browser benchmark and the load script --------------------------

CHROMIUM = "/usr/bin/chromium"  # Debian's (shared/e2e/RECIPE.md): `playwright install` is never run
CHROMIUM_ARGS = [
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
]
LOCAL_ONLY = r"^(?!https?://(127\.0\.0\.1|localhost)[:/])"  # every other request is refused: the cockpit is offline


def serve(script: str, env: dict[str, str] | None = None):
    """`streamlit run script` on a free local port, as tests/conftest.py serves the app: (process, url) once healthy.
    Stop it with `stop`."""
    import os
    import socket
    import subprocess
    import tempfile
    import urllib.request

    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        port = s.getsockname()[1]
    cmd = [sys.executable, "-m", "streamlit", "run", script, "--server.headless", "true", "--server.port", str(port)]
    cmd += ["--server.address", "127.0.0.1", "--server.fileWatcherType", "none", "--browser.gatherUsageStats", "false"]
    log = tempfile.NamedTemporaryFile("w+", prefix=f"bench-streamlit-{port}-", suffix=".log", delete=False)
    proc = subprocess.Popen(
        cmd,
        cwd=ROOT,
        stdout=log,
        stderr=subprocess.STDOUT,
        stdin=subprocess.DEVNULL,
        start_new_session=True,
        # As deploy/ serves it: two malloc arenas unless the caller says otherwise (MALLOC_ARENA_MAX=0: glibc's own).
        env={"MALLOC_ARENA_MAX": "2", **os.environ, **(env or {})},
    )
    url, deadline = f"http://127.0.0.1:{port}", time.monotonic() + 90
    while True:
        if proc.poll() is not None:
            raise RuntimeError(f"streamlit exited ({proc.returncode}); log: {log.name}")
        try:
            with urllib.request.urlopen(url + "/_stcore/health", timeout=2) as r:
                if r.status == 200:
                    return proc, url
        except OSError:
            pass
        if time.monotonic() > deadline:
            stop(proc)
            raise RuntimeError(f"streamlit not healthy after 90 s; log: {log.name}")
        time.sleep(0.2)


def stop(proc) -> None:
    """Stop a server `serve` started (its own process group only)."""
    import os
    import signal
    import subprocess

    os.killpg(proc.pid, signal.SIGTERM)
    try:
        proc.wait(timeout=10)
    except subprocess.TimeoutExpired:
        os.killpg(proc.pid, signal.SIGKILL)
        proc.wait()


def rss_mb(pid: int) -> float:
    """A process's resident memory in MB (Linux /proc)."""
    with open(f"/proc/{pid}/status", encoding="ascii") as f:
        for line in f:
            if line.startswith("VmRSS:"):
                return int(line.split()[1]) / 1024
    return float("nan")


# Streamlit's own state says when a page is ready (tests/streamlit_wait.py, shared/e2e/RECIPE.md): connected, the
# script not running, no element stale, every chart drawn. Never a sleep.
def ready_js() -> str:
    sys.path.insert(0, str(ROOT / "tests"))
    from streamlit_wait import _READY_JS

    return _READY_JS


# --- Results files ----------------------------------------------------------------------------------------------------


def run_heading(name: str) -> str:
    """A run's heading in its results file: the benchmark, when, and on what machine."""
    import os
    import platform
    from datetime import datetime

    cpu = platform.processor() or platform.machine()
    return f"## {name}, {datetime.now():%Y-%m-%d %H:%M}, {os.cpu_count()} cores ({cpu})"


def record(results: Path, text: str) -> None:
    """Print a run's report and append it to its results file (bench/results/, kept out of git)."""
    print(text)
    results.parent.mkdir(parents=True, exist_ok=True)
    with results.open("a", encoding="utf-8") as f:
        f.write(text + "\n")
