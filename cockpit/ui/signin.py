"""Sign-in: who is at the screen, kept for the session until they sign out or stay idle too long.

Four ways in, tried in this order on a session's first run:
- a wall device's token in the URL (`?token=…`, from `python -m cockpit.users wall`): the war-room screen
  needs no keyboard; the token is then taken out of the address bar;
- the ministry's identity provider through Streamlit's `st.login` (OIDC, configured in `[auth]` of
  `.streamlit/secrets.toml`): the e-mail it vouches for must be an account here (`users add --oidc`);
- a local account's login and password (argon2 hashes in the state store; `python -m cockpit.users add`);
- on the demo data only, a built-in demo account per role: one click on the sign-in page, or every new
  session at once when the `COCKPIT_DEMO_ACCOUNT` setting names a role (what `make run`'s newcomer and the
  test suite use). Refused as soon as the data served is not the demo's.

A form or demo sign-in also leaves a signed cookie (`cockpit.users.sessions`), so a reload, a new tab or the other
replica finds the reader still signed in; signing out, or staying idle too long, takes it away.

app.py signs a session in by the ways that need no form before it draws the page list, so the list is the role's.
"""

from __future__ import annotations

import logging
import time

import sqlalchemy as sa
import streamlit as st

from cockpit import clock, i18n, settings
from cockpit.data import areas, db
from cockpit.data.db import Database, NoData
from cockpit.data.versions import Unreachable
from cockpit.i18n import N_
from cockpit.ui import store_status, text
from cockpit.users import accounts, audit, roles, sessions
from cockpit.users.identity import Forbidden, Identity

log = logging.getLogger(__name__)

IDENTITY = "cockpit_identity"  # the signed-in Identity of this session (tests put one here under AppTest)
LAST_SEEN = "cockpit_last_seen"  # time.monotonic() of the session's last run
NOTICE = "cockpit_sign_in_notice"  # why the session was signed out, shown on the sign-in page
COOKIE_TO_WRITE = "cockpit_cookie_to_write"  # the cookie's new value ("" to take it away), sent on the next run
SIGNED_OUT = "cockpit_signed_out"  # this session signed out: the cookie it started with no longer counts
OPENED = "cockpit_page_opened"  # the url path of the page this run draws (app.py)
HOME = "cockpit_home_page"  # the role's first page, an st.Page (app.py)
TRIED = "cockpit_sign_in_tried"  # app.py tried to sign the session in, this run


def on_demo(database: Database) -> bool:
    """Whether every country served is the demo's own data (the demo accounts work only then)."""
    try:
        countries = database.countries()
        return bool(countries) and all(database.snapshot(c).manifest.get("demo") is True for c in countries)
    except Exception:  # noqa: BLE001 (no data, or out of reach: then certainly not the demo)
        return False


def current() -> Identity | None:
    return st.session_state.get(IDENTITY)


def identify(database: Database, engine, lang: str) -> Identity | None:
    """Who is at the screen, without asking: signed in already, by the cookie, a wall token, the identity provider
    or the demo setting; None when the sign-in page must ask."""
    who = current()
    if who is None:
        who = _from_cookie(database, engine)
    if who is not None:
        if who.via == "demo" and not on_demo(database):
            _sign_out(engine, who, "not on the demo data", lang, N_("The demo accounts work only on the demo data."))
        elif who.via != "wall" and _idle_too_long():
            minutes = settings.load().idle_minutes
            _sign_out(
                engine,
                who,
                f"idle {minutes} min",
                lang,
                N_("Signed out after {minutes} minutes without a click."),
                minutes=minutes,
            )
        else:
            st.session_state[LAST_SEEN] = time.monotonic()
            return who
    who = _automatic(database, engine, lang)
    return _start(who) if who is not None else None


def before_navigation(lang: str) -> Identity | None:
    """app.py, before it draws the navigation: sign the session in now if the request says who it is, so that a new
    session's first page list is already the role's (drawn before, it listed every page once)."""
    st.session_state[TRIED] = True  # the page then does not try again: a wall's bad token is taken out of the URL
    # None: the page says so in its banner; meanwhile a cookie or a token cannot be checked.
    return identify(db.get().pinned(), store_status.open_for_run(), lang)


def require(database: Database, engine, lang: str) -> Identity:
    """The signed-in identity; otherwise the sign-in page is drawn and the run stops there."""
    _write_cookie()
    tried = st.session_state.pop(TRIED, False)  # by app.py, this run
    who = current() if tried else identify(database, engine, lang)
    if who is not None:
        return who
    page(database, engine, lang)
    st.stop()


def refuse_unseen_page(engine, who: Identity, lang: str) -> None:
    """Stop a page the signed-in role does not see: app.py keeps such a page out of the list, but its link still
    opens it (the Data page's link, kept by a provincial office). Refused in the reader's language, and recorded."""
    opened = st.session_state.get(OPENED)
    if opened is None or who.sees(opened):
        return
    refused = Forbidden(N_("Your role ({role}) may not open this page."), role=who.role)
    if engine is not None:
        try:
            audit.refuse(engine, who, f"page.{opened}", refused.message, **refused.values)
        except sa.exc.SQLAlchemyError as exc:
            log.warning("a refused page not recorded: the state store failed: %s", exc)
    st.error(refused.text(lang), icon=":material/block:")
    home = st.session_state.get(HOME)
    if home is not None:  # not a dead end: the role's own first page, by its title in the reader's language
        st.page_link(home, label=i18n.tr(lang, "Go to {page}", page=home.title), icon=":material/arrow_forward:")
    st.stop()


def _idle_too_long() -> bool:
    last = st.session_state.get(LAST_SEEN)
    return last is not None and time.monotonic() - last > settings.load().idle_minutes * 60


def _from_cookie(database: Database, engine) -> Identity | None:
    """The reader this browser signed in as before (a reload, a new tab, another replica), as the store has them
    now; recorded in the audit trail as a resumed sign-in."""
    if engine is None or st.session_state.get(SIGNED_OUT):
        return None
    try:
        who = sessions.restore(engine, st.context.cookies.get(sessions.COOKIE), clock.utcnow(), on_demo(database))
    except sa.exc.SQLAlchemyError as exc:
        log.warning("sign-in cookie not checked: the state store failed: %s", exc)
        return None
    if who is None:
        return None
    _audit(engine, who, "sign_in", f"sign_in.{who.via}", detail="resumed from the sign-in cookie")
    st.session_state[IDENTITY] = who
    st.session_state[LAST_SEEN] = time.monotonic()
    return who


def _write_cookie() -> None:
    """Set or take away the sign-in cookie in the browser: Streamlit has no API for it, so a script in the page
    does it (the value is ours: letters, digits, '-', '_' and '.')."""
    value = st.session_state.pop(COOKIE_TO_WRITE, None)
    if value is None:
        return
    age = int(sessions.LASTS.total_seconds()) if value else 0
    with st.sidebar:
        st.html(
            f"<script>document.cookie = '{sessions.COOKIE}={value}; path=/; max-age={age}; SameSite=Strict';</script>",
            unsafe_allow_javascript=True,
        )


def _start(who: Identity, remember: bool = False) -> Identity:
    """Sign `who` in for this session; `remember` (a form or a demo button): for the browser's next sessions too."""
    st.session_state[IDENTITY] = who
    st.session_state.pop(SIGNED_OUT, None)
    cookie = sessions.make(who, clock.utcnow()) if remember else None
    if cookie is not None:
        st.session_state[COOKIE_TO_WRITE] = cookie
    st.session_state[LAST_SEEN] = time.monotonic()
    st.session_state.pop(NOTICE, None)
    return who


# Accounts and wall tokens are checked against the state store: while it cannot be used, nobody new signs in.
NEEDS_STORE = N_("Signing in needs the state store, which cannot be used now. Try again in a minute.")


def _audit(engine, who: Identity, kind: str, action: str, **details) -> None:
    """Record a sign-in or sign-out in the audit trail; while the store cannot be used, in the server's log."""
    if engine is None:
        log.warning("audit not recorded (state store unusable): %s %s %s %s", who.login, kind, action, details)
        return
    try:
        audit.record(engine, who, kind, action, **details)
    except sa.exc.SQLAlchemyError as exc:  # a busy or read-only store must not keep a signed-in reader out
        log.warning("audit not recorded (%s): %s %s %s %s", exc, who.login, kind, action, details)


def _sign_out(engine, who: Identity, reason: str, lang: str, notice: str, **values) -> None:
    _audit(engine, who, "sign_out", "sign_out", detail=reason)
    st.session_state[SIGNED_OUT] = True
    st.session_state[COOKIE_TO_WRITE] = ""
    for key in (IDENTITY, LAST_SEEN):
        st.session_state.pop(key, None)
    st.session_state[NOTICE] = (notice, values)
    if who.via == "oidc" and _oidc_signed_in():
        st.logout()  # ends the provider's cookie too; the next run is a new session at the sign-in page


def _automatic(database: Database, engine, lang: str) -> Identity | None:
    """Sign in without a form where the request itself says who it is: a wall token, the identity provider, or the
    configured demo account."""
    token = st.query_params.get("token")
    if engine is None and (token is not None or _oidc_signed_in()):
        st.session_state[NOTICE] = (NEEDS_STORE, {})
        return None
    try:
        return _checked_automatic(engine, token, database)
    except sa.exc.SQLAlchemyError as exc:
        log.warning("sign-in: the state store failed: %s", exc)
        st.session_state[NOTICE] = (NEEDS_STORE, {})
        return None


def _checked_automatic(engine, token: str | None, database: Database) -> Identity | None:
    if token is not None:
        del st.query_params["token"]  # out of the address bar: the screen's link is kept like a password
        result = accounts.sign_in_wall(engine, token)
        if result.identity is not None:
            return result.identity
        st.session_state[NOTICE] = (result.message, {})
        return None  # a screen with a bad token waits at the sign-in page: it never falls back to another account
    if _oidc_signed_in():
        result = accounts.sign_in_oidc(engine, st.user.get("email"), st.user.get("iss"))
        if result.identity is not None:
            return result.identity
        st.session_state[NOTICE] = (result.message, {"login": st.user.get("email") or "?"})
        st.session_state["cockpit_oidc_refused"] = True
        return None
    key = settings.load().demo_account
    if key and key in roles.demo_accounts() and on_demo(database):
        who = accounts.demo_identity(key)
        _audit(engine, who, "sign_in", "sign_in.demo", detail="COCKPIT_DEMO_ACCOUNT")
        return who
    return None


def _auth_section() -> dict:
    try:
        return dict(st.secrets.get("auth", {}))
    except Exception:  # noqa: BLE001 (no secrets file, or one that does not parse: no identity provider)
        return {}


def oidc_providers() -> list[str | None]:
    """The identity providers configured in secrets: [None] for a single unnamed one, else their names."""
    auth = _auth_section()
    if not auth.get("redirect_uri"):
        return []
    if auth.get("client_id"):
        return [None]
    return [name for name, value in auth.items() if isinstance(value, dict) and value.get("client_id")]


def _oidc_signed_in() -> bool:
    try:
        return bool(oidc_providers()) and bool(st.user.is_logged_in)
    except Exception:  # noqa: BLE001 (auth not configured in this Streamlit)
        return False


def page(database: Database, engine, lang: str) -> None:
    """The sign-in page: the identity provider's button, a local account's form, and on the demo the demo accounts."""
    from cockpit.ui import url_state  # url_state reads the sidebar's Context, which imports this module

    def tr(message: str, **values) -> str:
        return i18n.tr(lang, message, **values)

    with st.sidebar:
        lang = url_state.url_choice(
            "lang",
            i18n.LANGUAGES,
            lang,
            "Language",
            format_func=i18n.LANGUAGE_NAMES.get,
            widget=st.segmented_control,
            label_visibility="collapsed",
            required=True,
        )
    st.title(tr("Education Management Cockpit"))
    st.subheader(tr("Sign in"))
    notice = st.session_state.get(NOTICE)
    if notice and notice[0]:
        st.warning(tr(notice[0], **{k: text.plain(v) for k, v in notice[1].items()}), icon=":material/lock:")
    left, right = st.columns([3, 2], gap="large")
    with left:
        providers = oidc_providers()
        if providers:
            st.markdown(f"**{tr('With your ministry account')}**")
            for name in providers:
                label = (
                    tr("Sign in with {provider}", provider=name) if name else tr("Sign in with the ministry's account")
                )
                if st.button(label, key=f"oidc_{name}", type="primary", icon=":material/badge:"):
                    st.login(name) if name else st.login()
            if st.session_state.get("cockpit_oidc_refused") and st.button(tr("Sign out of the identity provider")):
                st.session_state.pop("cockpit_oidc_refused", None)
                st.logout()
            st.divider()
        st.markdown(f"**{tr('With a local account')}**")
        if engine is None:
            st.info(tr(NEEDS_STORE), icon=":material/cloud_off:")
        with st.form("sign_in", border=True):
            login = st.text_input(tr("Login"), key="sign_in_login", autocomplete="username")
            password = st.text_input(
                tr("Password"), type="password", key="sign_in_password", autocomplete="current-password"
            )
            submitted = st.form_submit_button(tr("Sign in"), type="primary", icon=":material/login:")
        if submitted and engine is not None:
            try:
                result = accounts.sign_in_local(engine, login, password)
            except sa.exc.SQLAlchemyError as exc:
                log.warning("sign-in: the state store failed: %s", exc)
                st.error(tr(NEEDS_STORE), icon=":material/cloud_off:")
                st.stop()
            if result.identity is not None:
                _start(result.identity, remember=True)
                st.rerun()
            st.error(tr(result.message, seconds=result.wait_seconds), icon=":material/block:")
    with right:
        if on_demo(database):
            st.markdown(f"**{tr('Demo accounts')}**")
            st.caption(
                tr(
                    "The cockpit is on its demo data: sign in as any role with one click. These accounts are "
                    "refused on a ministry's data."
                )
            )
            found = roles.load()
            for key, account in roles.demo_accounts().items():
                if st.button(
                    areas.kind_and_name(found[account.role].title_in(lang), _demo_area(database, account, lang)),
                    key=f"demo_{key}",
                    width="stretch",
                    help=tr("Sign in as {name}", name=account.name_in(lang)),
                ):
                    who = accounts.demo_identity(key)
                    _audit(engine, who, "sign_in", "sign_in.demo")
                    _start(who, remember=True)
                    st.rerun()
        else:
            st.caption(tr("Ask your administrator for an account (python -m cockpit.users add)."))


def _demo_area(database: Database, account, lang: str) -> str | None:
    """A demo account's area, named where the data served can name it (else its code); None for a national one."""
    if not account.area_id or not account.country:
        return account.area_id
    try:
        return areas.area_name(database, account.country, account.area_id, lang)
    except (NoData, Unreachable):  # the sign-in page stays up whatever the data: the button says the area's code
        return account.area_id


def sign_out_control(engine, who: Identity, lang: str, area: str | None) -> None:
    """In the sidebar: who is signed in, as which role and for which area (named), and the button to sign out."""
    role = areas.kind_and_name(roles.title(who.role, lang), area)
    # A demo account has one name in every language (roles.yaml): the reader is told what kind of account it is.
    name = i18n.tr(lang, "a demo account") if who.via == "demo" else who.label
    st.caption(text.plain(i18n.tr(lang, "Signed in as {name}", name=name) + f" · {role}"))
    if who.via != "wall" and st.button(i18n.tr(lang, "Sign out"), icon=":material/logout:", key="sign_out"):
        _sign_out(engine, who, "signed out", lang, "")
        st.rerun()
