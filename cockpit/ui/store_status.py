"""The state store's health as the reader sees it: one banner when it cannot be used, a plain message when an
action could not be recorded, and the rest of the page going on with the published data.

What went wrong in detail (host, port, file) goes to the server's log, never to the screen.
"""

from __future__ import annotations

import logging
from collections.abc import Callable, Iterator
from contextlib import contextmanager

import sqlalchemy as sa
import streamlit as st

from cockpit import settings
from cockpit.i18n import N_
from cockpit.state import store

log = logging.getLogger(__name__)

# Shown once at the top of a page when the store cannot be used at all.
BANNERS = {
    store.UNREACHABLE: N_(
        "The state store cannot be reached now: alerts, decisions and notes cannot be shown or recorded. "
        "The published data on this page is complete."
    ),
    store.READ_ONLY: N_("The state store is read-only now: what was recorded shows, but nothing new can be recorded."),
    store.LOCKED: N_("The state store is busy: alerts, decisions and notes could not be read. Try again in a moment."),
    store.REMOVED: N_(
        "The state store's file is missing: alerts, decisions and notes cannot be shown or recorded until the "
        "administrator restores it. The published data on this page is complete."
    ),
}
# Said where an action was not recorded; what the person typed stays in the form.
NOT_RECORDED = {
    store.UNREACHABLE: N_("Not recorded: the state store cannot be reached now. What you typed is kept: try again."),
    store.READ_ONLY: N_("Not recorded: the state store is read-only now. What you typed is kept."),
    store.LOCKED: N_("Not recorded: the state store is busy. What you typed is kept: try again in a moment."),
    store.REMOVED: N_(
        "Not recorded: the state store's file is missing. What you typed is kept: tell the administrator."
    ),
    store.TOO_LONG: N_("Not recorded: a text is longer than the store keeps. Shorten it and record again."),
}
STALE_ALERTS = N_(
    "The alert rules could not be evaluated into the state store now: the alerts shown are the last ones recorded."
)
NOT_RECORDED_NOW = N_("Not recorded: the state store cannot be used now (see above). What you typed is kept.")
# A section of a page that needs the store, when it cannot be read.
SECTION = N_("Not available while the state store cannot be used.")


@st.cache_resource(show_spinner=False)
def _engine(url: str) -> sa.Engine:
    return store.engine(url)


def engine() -> sa.Engine:
    """The process's one engine on the state store (a pool of connections kept across reruns); raises when the
    store cannot be opened."""
    return _engine(settings.load().state_url)


# engine() as app.py met it before the page list (an engine, or the error), for the same run's `usable`.
OPENED_THIS_RUN = "cockpit_store_opened_this_run"


def open_for_run() -> sa.Engine | None:
    """engine() for app.py's sign-in before the page list, or None; kept for the run's `usable`, so that a store
    that does not answer is waited for once a run, not twice (20 s instead of 10 s with the connect timeout)."""
    try:
        found = engine()
    except sa.exc.SQLAlchemyError as exc:
        st.session_state[OPENED_THIS_RUN] = exc
        return None
    st.session_state[OPENED_THIS_RUN] = found
    return found


def usable(tr: Callable[..., str]) -> sa.Engine | None:
    """The process's engine on the state store when it answers now; otherwise None, with a banner saying why.

    A failed start is not cached, so the store is tried again on the next rerun once it is back.
    """
    opened = st.session_state.pop(OPENED_THIS_RUN, None)
    try:
        if isinstance(opened, sa.exc.SQLAlchemyError):
            raise opened
        found = opened or engine()
        store.check(found)
        if not store.writable(found):  # what is recorded still shows; the forms say they cannot record
            st.warning(tr(BANNERS[store.READ_ONLY]), icon=":material/edit_off:")
        return found
    except sa.exc.SQLAlchemyError as exc:
        trouble = store.trouble(exc)
        log.warning("state store unusable (%s): %s", trouble, exc)
        st.warning(tr(BANNERS.get(trouble, BANNERS[store.UNREACHABLE])), icon=":material/cloud_off:")
        return None


def not_current(tr: Callable[..., str], exc: sa.exc.SQLAlchemyError) -> None:
    """The alert rules could not be evaluated into the store: the alerts shown are the last ones recorded."""
    log.warning("alert evaluation could not write to the state store (%s): %s", store.trouble(exc), exc)
    st.warning(tr(STALE_ALERTS), icon=":material/cloud_off:")


def not_recorded(tr: Callable[..., str], exc: sa.exc.SQLAlchemyError | None = None) -> None:
    """Say, where the action was, that it was not recorded and why, in the reader's language (`exc` None: the
    store was unusable when the page was drawn, and the banner above says why)."""
    if exc is None:
        st.error(tr(NOT_RECORDED_NOW), icon=":material/cloud_off:")
        return
    trouble = store.trouble(exc)
    log.warning("a write to the state store failed (%s): %s", trouble, exc)
    st.error(tr(NOT_RECORDED.get(trouble, NOT_RECORDED[store.UNREACHABLE])), icon=":material/cloud_off:")


@contextmanager
def section(tr: Callable[..., str], engine: sa.Engine | None) -> Iterator[sa.Engine | None]:
    """A part of a page that reads the store: skipped with a short note when the store is unusable, and ended
    with one if the store fails while it is drawn; the rest of the page goes on either way."""
    if engine is None:
        st.caption(tr(SECTION))
        yield None
        return
    try:
        yield engine
    except sa.exc.SQLAlchemyError as exc:
        log.warning("state store failed during a page (%s): %s", store.trouble(exc), exc)
        st.caption(tr(SECTION))
