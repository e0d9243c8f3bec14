"""Two page servers, one version: a publish in a third process switches both without a restart; rollback too."""

import os
import re
import shutil
import subprocess
import sys

import pandas as pd
import pytest
from conftest import DATA_DIR, NON_LOCAL, ROOT, start_streamlit, stop_streamlit
from streamlit_wait import wait_for_streamlit

from cockpit.data.versions import Store

pytestmark = pytest.mark.browser
VERSION = re.compile(r"\d{8}T\d{6}\.\d{6}Z-[0-9a-f]{10}")


def run_publish(env, *args):
    """`python -m cockpit.publish …` as a data steward runs it, in a process of its own."""
    done = subprocess.run(
        [sys.executable, "-m", "cockpit.publish", "--country", "la", *args],
        cwd=ROOT,
        env={**os.environ, **env},
        capture_output=True,
        text=True,
        timeout=300,
    )
    assert done.returncode == 0, done.stderr[-2000:]


def shown_version(page, url):
    page.goto(f"{url}/?country=la&lang=lo")
    wait_for_streamlit(page)
    caption = page.get_by_test_id("stSidebar").get_by_text(VERSION).inner_text()
    return VERSION.search(caption).group(0)


def test_two_servers_agree_and_switch_together(browser, tmp_path):
    extracts = tmp_path / "extracts" / "la"
    shutil.copytree(DATA_DIR / "la", extracts)
    env = {
        "COCKPIT_DATA_URL": str(tmp_path / "published"),
        "COCKPIT_STATE_URL": f"sqlite:///{tmp_path / 'state.db'}",
        "COCKPIT_VERSION_CHECK_SECONDS": "0",  # every rerun reads the pointer: no waiting out an interval
        "COCKPIT_RULES_DIR": str(tmp_path / "no-rules"),  # versions are the point here: no alert replay per publish
    }
    (tmp_path / "no-rules").mkdir()
    run_publish(env, str(extracts))
    store = Store(env["COCKPIT_DATA_URL"])
    first = store.current("la")
    servers = [start_streamlit(env), start_streamlit(env)]
    context = browser.new_context(viewport={"width": 1920, "height": 1080})
    context.route(NON_LOCAL, lambda route: route.abort())
    try:
        pages = [context.new_page() for _ in servers]
        assert [shown_version(p, url) for p, (_proc, url, _log) in zip(pages, servers, strict=True)] == [first, first]

        schools = pd.read_parquet(extracts / "schools.parquet")
        schools["students"] += 1  # a new delivery
        schools.to_parquet(extracts / "schools.parquet", index=False)
        run_publish(env, str(extracts))
        second = store.current("la")
        assert second != first
        assert [shown_version(p, url) for p, (_proc, url, _log) in zip(pages, servers, strict=True)] == [second] * 2

        run_publish(env, "--rollback")
        assert [shown_version(p, url) for p, (_proc, url, _log) in zip(pages, servers, strict=True)] == [first] * 2
        assert all(proc.poll() is None for proc, _url, _log in servers)  # neither server restarted
    finally:
        context.close()
        for proc, _url, _log in servers:
            stop_streamlit(proc)
