"""The sign-in cookie: signed, expiring, a pointer to an account as it stands now; and in a browser, a reload or a new
tab finds the reader still signed in, until they sign out."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import pytest
from conftest import start_streamlit, stop_streamlit
from identities import provincial
from streamlit_wait import wait_for_streamlit

from cockpit.state import store
from cockpit.users import accounts, sessions
from cockpit.users.identity import Identity

NOW = datetime(2026, 11, 22, 9, 0, tzinfo=UTC)


@pytest.fixture
def engine(tmp_path):
    eng = store.engine(f"sqlite:///{tmp_path / 'state.db'}")
    yield eng
    eng.dispose()


def test_a_cookie_names_its_reader_until_it_expires_and_only_with_its_signature():
    who = Identity("somchai", "Somchai", "analyst", via="local")
    cookie = sessions.make(who, NOW)
    assert sessions.read(cookie, NOW + timedelta(hours=1)) == ("local", "somchai")
    assert sessions.read(cookie, NOW + sessions.LASTS + timedelta(seconds=1)) is None
    body, signature = cookie.split(".")
    forged_body = sessions.make(Identity("admin", "Admin", "administrator", via="local"), NOW).split(".")[0]
    assert sessions.read(f"{forged_body}.{signature}", NOW) is None  # another login under this signature
    assert sessions.read(f"{body}.{signature[:-2]}xx", NOW) is None
    assert sessions.read("garbage", NOW) is None and sessions.read(None, NOW) is None
    # A wall screen has its token, the identity provider its own cookie: neither gets this one.
    assert sessions.make(Identity("w", "w", "wall", via="wall"), NOW) is None
    assert sessions.make(Identity("e@x", "e", "analyst", via="oidc"), NOW) is None


def test_the_cookie_restores_the_account_as_it_stands_now(engine, monkeypatch):
    admin = provincial("67")
    accounts.add(engine, "somchai", "Somchai", "analyst", password="a long passphrase", by=admin)
    cookie = sessions.make(Identity("somchai", "Somchai", "analyst", via="local"), NOW)
    assert sessions.restore(engine, cookie, NOW, on_demo=False).role == "analyst"
    accounts.set_active(engine, "somchai", False, by=admin)
    assert sessions.restore(engine, cookie, NOW, on_demo=False) is None  # a disabled account's cookie opens nothing
    demo = sessions.make(accounts.demo_identity("executive"), NOW)
    assert sessions.restore(engine, demo, NOW, on_demo=True) == accounts.demo_identity("executive")
    assert sessions.restore(engine, demo, NOW, on_demo=False) is None  # demo accounts only on the demo data
    monkeypatch.setenv("COCKPIT_SESSION_SECRET", "another replica's secret")
    assert sessions.restore(engine, demo, NOW, on_demo=True) is None  # signed with a secret it does not share


@pytest.mark.browser
def test_a_reload_and_a_new_tab_stay_signed_in_until_sign_out(browser, shot_dir):
    """Each reload met the sign-in page: Streamlit keeps who signed in per tab and per server process."""
    proc, url, log = start_streamlit({"COCKPIT_DEMO_ACCOUNT": "", "COCKPIT_SESSION_SECRET": "test secret"})
    try:
        context = browser.new_context(viewport={"width": 1366, "height": 768})
        page = context.new_page()
        page.goto(f"{url}/?lang=en")
        wait_for_streamlit(page)
        nav_links = page.locator('[data-testid="stSidebarNavLink"]')
        assert nav_links.count() == 0  # before sign-in no page list: every page is the sign-in page
        page.get_by_role("button", name="Executive", exact=True).click()
        page.get_by_text("Signed in as").wait_for()
        wait_for_streamlit(page)
        assert nav_links.count() == 15  # the executive's pages: every one but Data and Audit
        page.reload()
        wait_for_streamlit(page)
        assert page.get_by_text("Signed in as").count() and not page.locator(".st-key-demo_executive").count()
        other = context.new_page()  # a new tab: a new Streamlit session
        other.goto(f"{url}/alerts?lang=en")
        wait_for_streamlit(other)
        assert other.get_by_text("Signed in as").count()
        # Signed in by the cookie before the page list is drawn: the list is already the executive's, without the
        # Data and Audit pages (it listed every page on a new session's first run).
        links = other.locator('[data-testid="stSidebarNavLink"]')
        assert links.count() == 15 and not links.filter(has_text="Audit trail").count()
        other.screenshot(path=str(shot_dir / "signed_in_new_tab.png"))
        page.get_by_role("button", name="Sign out").click()
        page.locator(".st-key-demo_executive").wait_for()
        wait_for_streamlit(page)
        page.reload()
        wait_for_streamlit(page)
        assert page.locator(".st-key-demo_executive").count()  # signed out stays signed out
        context.close()
    finally:
        stop_streamlit(proc)
