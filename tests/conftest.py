"""Shared fixtures: import paths, and for browser tests a Streamlit server on a free port and headless Chromium."""

import fcntl
import os
import re
import signal
import socket
import subprocess
import sys
import tempfile
import time
import urllib.request
from datetime import date, timedelta
from pathlib import Path

import pytest

TESTS = Path(__file__).resolve().parent
ROOT = TESTS.parent
for path in (TESTS, ROOT, ROOT / "scripts"):
    sys.path.insert(0, str(path))

from streamlit_wait import RUN_MESSAGES_JS  # noqa: E402  (after the path is set)

from cockpit import clock  # noqa: E402
from cockpit.data import db  # noqa: E402
from cockpit.demo import build, stories  # noqa: E402
from cockpit.publish import versions as publishing  # noqa: E402

# The suite's own calendar: the app's clock is put on TODAY and the demo extracts are built for AS_OF,
# so no test depends on the day it runs. COCKPIT_TEST_SHIFT_DAYS moves both (the calendar guard in
# .ci/run runs the date-sensitive tests 400 days ahead and back); the stories move with the as-of.
BASE_TODAY = date(2026, 11, 22)
SHIFT_DAYS = int(os.environ.get("COCKPIT_TEST_SHIFT_DAYS", "0"))
TODAY = BASE_TODAY + timedelta(days=SHIFT_DAYS)
AS_OF = clock.last_month_end(TODAY)
NEWEST_QUARTER = date(AS_OF.year, AS_OF.month - (AS_OF.month - 1) % 3, 1)  # of the policies' progress
DATA_DIR = ROOT / "data" / "test" / AS_OF.isoformat()  # the demo extracts, one folder per country
PUBLISHED = ROOT / "data" / "test" / f"{AS_OF.isoformat()}-published"  # their published versions
os.environ["COCKPIT_TODAY"] = TODAY.isoformat()
os.environ["COCKPIT_DATA_URL"] = str(PUBLISHED)
os.environ["COCKPIT_VERSION_CHECK_SECONDS"] = "0"
os.environ["STREAMLIT_CLIENT_SHOW_ERROR_DETAILS"] = "full"  # the app's own config shows only the type
# Pages run signed in as the demo's meeting secretary (reads the whole country, records decisions): the demo
# account the setting names, honoured only on the demo data, which these are. A test that needs another role
# signs in as it (tests/identities.py: AppTest's session state, or this variable for a server of its own).
os.environ["COCKPIT_DEMO_ACCOUNT"] = "meeting_secretary"
DATA_DIR.parent.mkdir(parents=True, exist_ok=True)
with open(DATA_DIR.parent / ".setup.lock", "w") as _lock:  # the test processes (pytest -n 2) build them once
    fcntl.flock(_lock, fcntl.LOCK_EX)
    build.ensure(DATA_DIR, AS_OF)
    for _country in build.COUNTRIES:  # published again only when the extracts changed; alerts: a store of its own
        publishing.publish(_country, DATA_DIR / _country, state_url=f"sqlite:///{PUBLISHED}-state.db")


def story_day(day: str) -> date:
    """A date the demo's stories are told on (as written for stories.STORY_AS_OF), in the suite's extracts."""
    return stories.story_day(day, AS_OF)


SHOT_DIR = Path(os.environ.get("SHOT_DIR", ROOT / "shots"))
CHROMIUM = os.environ.get("CHROMIUM", "/usr/bin/chromium")
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
NON_LOCAL = re.compile(r"^(?!https?://(127\.0\.0\.1|localhost)[:/])")


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def start_streamlit(env_extra: dict | None = None, args: list[str] | None = None, port: int | None = None):
    """Serve app.py on a free port (or `port`), with more command-line `args`; returns (process, url, log path).
    Caller stops it with stop_streamlit."""
    port = port or _free_port()
    cmd = [
        sys.executable,
        "-m",
        "streamlit",
        "run",
        "app.py",
        "--server.headless",
        "true",
        "--server.port",
        str(port),
        "--server.address",
        "127.0.0.1",
        "--server.fileWatcherType",
        "none",
        "--browser.gatherUsageStats",
        "false",
        *(args or []),
    ]
    log = tempfile.NamedTemporaryFile("w+", prefix=f"streamlit-{port}-", suffix=".log", delete=False)
    env = {**os.environ, **(env_extra or {})}
    proc = subprocess.Popen(
        cmd, cwd=ROOT, stdout=log, stderr=subprocess.STDOUT, stdin=subprocess.DEVNULL, start_new_session=True, env=env
    )
    url, deadline = f"http://127.0.0.1:{port}", time.monotonic() + 60
    while True:
        if proc.poll() is not None:
            raise RuntimeError(f"streamlit exited ({proc.returncode}); log: {log.name}")
        try:
            with urllib.request.urlopen(url + "/_stcore/health", timeout=2) as r:
                if r.status == 200:
                    return proc, url, log.name
        except OSError:
            pass
        if time.monotonic() > deadline:
            stop_streamlit(proc)
            raise RuntimeError(f"streamlit not healthy after 60 s; log: {log.name}")
        time.sleep(0.2)


def stop_streamlit(proc) -> None:
    os.killpg(proc.pid, signal.SIGTERM)
    try:
        proc.wait(timeout=10)
    except subprocess.TimeoutExpired:
        os.killpg(proc.pid, signal.SIGKILL)
        proc.wait()


@pytest.fixture(scope="session")
def streamlit_url():
    proc, url, _log = start_streamlit()
    try:
        yield url
    finally:
        stop_streamlit(proc)


@pytest.fixture(scope="session")
def browser():
    from playwright.sync_api import sync_playwright

    with sync_playwright() as p:
        b = p.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
        yield b
        b.close()


@pytest.fixture
def new_page(browser):
    contexts = []

    def make(width=1920, height=1080, scale=1):
        ctx = browser.new_context(viewport={"width": width, "height": height}, device_scale_factor=scale)
        ctx.add_init_script(RUN_MESSAGES_JS)
        ctx.route(NON_LOCAL, lambda route: route.abort())
        contexts.append(ctx)
        return ctx.new_page()

    yield make
    for ctx in contexts:
        ctx.close()


@pytest.fixture(scope="session")
def shot_dir():
    SHOT_DIR.mkdir(parents=True, exist_ok=True)
    return SHOT_DIR


@pytest.fixture(autouse=True, scope="session")
def _state_store_of_the_tests(tmp_path_factory):
    """Pages under test write to a throwaway state store, never to the app's own data/state; its alert history
    is replayed on the published versions as a publish does for a new store."""
    url = "sqlite:///" + str(tmp_path_factory.mktemp("state") / "cockpit.db")
    previous = os.environ.get("COCKPIT_STATE_URL")
    os.environ["COCKPIT_STATE_URL"] = url
    for country in build.COUNTRIES:
        publishing.evaluate_alerts(db.get(), country, url)
    yield url
    if previous is None:
        os.environ.pop("COCKPIT_STATE_URL", None)
    else:
        os.environ["COCKPIT_STATE_URL"] = previous


MAIN_MODULE = sys.modules["__main__"]


@pytest.fixture(autouse=True)
def _main_module_kept():
    """AppTest runs a page as __main__ and leaves it there (a module fixture may have done so before this test):
    a process the test spawns would run that page on start. Each test starts with pytest's own __main__."""
    sys.modules["__main__"] = MAIN_MODULE
    yield
    sys.modules["__main__"] = MAIN_MODULE


def as_read(markdown: str) -> str:
    """What a reader sees of a Markdown element's source that escapes its formatting characters (AppTest gives
    the source): the escapes removed."""
    return re.sub(r"\\(.)", r"\1", markdown)
