"""Sign-in through a real OpenID Connect provider (node's oidc-provider, started here on 127.0.0.1) with Streamlit's
own st.login, in headless Chromium: the provider's login form, the redirect back, the account's role in the cockpit,
and the sign-in in the audit trail. No mock of st.login anywhere."""

import os
import shutil
import subprocess
import time
import urllib.request

import pytest
from conftest import ROOT, _free_port, start_streamlit, stop_streamlit
from playwright.sync_api import expect
from streamlit_wait import wait_for_streamlit

from cockpit.state import store
from cockpit.users import accounts, audit
from cockpit.users.identity import Identity

PROVIDER = ROOT / "tests" / "oidc_provider"
pytestmark = [
    pytest.mark.browser,
    pytest.mark.skipif(
        shutil.which("node") is None or not (PROVIDER / "node_modules" / "oidc-provider").exists(),
        reason="needs node and `npm ci` in tests/oidc_provider (make test does it)",
    ),
]
EMAIL = "somchai@phetchabun.moe.go.th"


@pytest.fixture
def provider_and_app(tmp_path):
    op_port, app_port = _free_port(), _free_port()
    redirect = f"http://127.0.0.1:{app_port}/oauth2callback"
    op = subprocess.Popen(
        ["node", "provider.js", str(op_port), redirect],
        cwd=PROVIDER,
        stdout=subprocess.PIPE,
        stderr=subprocess.STDOUT,
        start_new_session=True,
    )
    state_url = "sqlite:///" + str(tmp_path / "state.db")
    engine = store.engine(state_url)
    accounts.add(
        engine,
        EMAIL,
        "Somchai",
        "provincial_office",
        kind="oidc",
        country="th",
        area_id="67",
        by=Identity("cli:test", "test", "administrator", via="cli"),
    )
    secrets = tmp_path / "secrets.toml"
    secrets.write_text(
        "[auth]\n"
        f'redirect_uri = "{redirect}"\n'
        'cookie_secret = "test-only-cookie-secret-not-for-any-deployment"\n'
        'client_id = "cockpit"\n'
        'client_secret = "test-only-client-secret"\n'
        f'server_metadata_url = "http://127.0.0.1:{op_port}/.well-known/openid-configuration"\n'
        # Streamlit asks for prompt=select_account by default, which this provider (like many) does not support.
        'client_kwargs = { prompt = "login" }\n'
    )
    app = None
    try:
        deadline = time.monotonic() + 30
        while True:
            try:
                urllib.request.urlopen(f"http://127.0.0.1:{op_port}/.well-known/openid-configuration", timeout=2)
                break
            except OSError:
                if time.monotonic() > deadline or op.poll() is not None:
                    raise RuntimeError("the OpenID provider did not start: " + op.stdout.read1().decode()) from None
                time.sleep(0.2)
        env = {"COCKPIT_STATE_URL": state_url, "COCKPIT_DEMO_ACCOUNT": "", "AUTHLIB_INSECURE_TRANSPORT": "1"}
        app, url, _log = start_streamlit(env, args=["--secrets.files", str(secrets)], port=app_port)
        yield url, engine
    finally:
        if app is not None:
            stop_streamlit(app)
        os.killpg(op.pid, 15)
        op.wait(timeout=10)
        engine.dispose()


def test_a_ministry_account_signs_in_through_the_identity_provider(provider_and_app, new_page):
    url, engine = provider_and_app
    page = new_page(1366, 768)
    page.goto(url + "/?lang=en")
    wait_for_streamlit(page)
    page.get_by_role("button", name="Sign in with the ministry's account").click()
    page.locator('input[name="login"]').wait_for(timeout=30_000)  # the provider's own login form
    assert page.url.startswith("http://127.0.0.1:") and "/interaction/" in page.url
    page.locator('input[name="login"]').fill(EMAIL)
    page.locator('input[name="password"]').fill("anything")
    page.locator('button[type="submit"]').click()
    page.wait_for_url(url + "/**", timeout=30_000)
    wait_for_streamlit(page)
    expect(page.get_by_test_id("stSidebar").get_by_text(EMAIL, exact=False)).to_be_visible(timeout=30_000)
    wait_for_streamlit(page)
    signed = audit.entries(engine, kinds=["sign_in"], login=EMAIL)
    assert list(signed["action"]) == ["sign_in.oidc"] and list(signed["via"]) == ["oidc"]
    assert list(signed["area_id"]) == ["67"]
