"""bench/load_server.py speaks Streamlit's websocket protocol itself: these check that it still reads it right (a
page finished, an exception shown, a rerun that cuts a run short) against a small app with a page of each kind."""

import asyncio
import sys
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

import pytest

BENCH = Path(__file__).resolve().parents[2] / "bench"
sys.path.insert(0, str(BENCH))

import load_server  # noqa: E402
from common import serve, stop  # noqa: E402

APP = """
import streamlit as st

def calm():
    st.title("Calm")
    st.dataframe({"value": list(range(5000))})

def broken():
    st.title("Broken")
    raise ValueError("a page that fails")

def restarting():
    if not st.session_state.get("restarted"):
        st.session_state.restarted = True
        st.rerun()  # the first run finishes early for this rerun: the click is done when the rerun is
    st.title("Restarted")

st.navigation([
    st.Page(calm, url_path="calm", default=True),
    st.Page(broken, url_path="broken"),
    st.Page(restarting, url_path="restarting"),
]).run()
"""


@pytest.fixture(scope="module")
def small_app(tmp_path_factory):
    script = tmp_path_factory.mktemp("load") / "small_app.py"
    script.write_text(APP, encoding="utf-8")
    process, url = serve(str(script))
    try:
        yield url
    finally:
        stop(process)


def _run(coroutine):
    """asyncio.run in a thread of its own: a browser test in the same worker keeps Playwright's loop running in this
    one."""
    with ThreadPoolExecutor(1) as pool:
        return pool.submit(asyncio.run, coroutine).result()


async def _clicks(url: str, pages: list[str]) -> list[tuple[float, int, bool]]:
    import websockets

    async with websockets.connect(
        url.replace("http", "ws", 1) + "/_stcore/stream", subprotocols=["streamlit"], origin=url, max_size=None
    ) as ws:
        cache = set()
        return [await load_server.click(ws, page, "", 30, cache) for page in pages]


def test_a_click_is_timed_to_its_page_finished_and_an_exception_is_seen(small_app):
    calm, broken, restarting, again = _run(_clicks(small_app, ["calm", "broken", "restarting", "calm"]))
    assert calm[0] > 0 and calm[1] > 10_000 and not calm[2]  # the table's bytes came with it
    assert broken[2]
    assert not restarting[2] and restarting[1] > 0
    assert again[1] < calm[1] - 10_000  # the table this reader already has is sent as a reference, not again


def test_sessions_record_their_clicks_and_errors(small_app):
    args = type("Args", (), {"sample_every": 1, "timeout": 30, "think": 0.05})()
    pages = lambda _round: ["calm", "broken"]  # noqa: E731
    run, samples = _run(load_server.drive([small_app], [], pages, 2, 3, args))
    assert {name for name, *_ in run.clicks} == {"calm"}
    assert {what for _name, _at, what in run.errors} == {"exception on the page"}
    assert len(run.first_round) == 2 and samples
