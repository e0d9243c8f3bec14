"""An address that names no page (mistyped, or a page since renamed): said in the reader's language, with the way to
their first page. Streamlit's own answer is an English "Page not found" dialog over its main page."""

from __future__ import annotations

import streamlit as st
from streamlit.runtime.scriptrunner import get_script_run_ctx

from cockpit import i18n
from cockpit.i18n import N_
from cockpit.ui import signin, text, url_state

TITLE = N_("No page at this address")


def asked_for(known: set[str]) -> str | None:
    """The page name the address itself asks for, when no page has it; None for the root, a page's own address or a
    link followed in the app (which names its page by its hash, never by its name).

    Only a name Streamlit can give a page of its own (one path segment) is answered here; a nested path is not served
    by Streamlit at all."""
    run = get_script_run_ctx()
    if run is None or run.pages_manager.intended_page_script_hash:
        return None
    name = run.pages_manager.intended_page_name or ""
    if not name or name in known or name != name.strip().strip("/") or "/" in name:
        return None
    return name


def page(lang: str, name: str) -> st.Page:
    """A hidden page at the unknown address, so the address stays as typed and Back leaves it in one press."""

    def draw() -> None:
        st.header(i18n.tr(lang, TITLE), anchor=False)
        message = N_("The address asks for a page called “{name}”, which the cockpit does not have.")
        st.warning(i18n.tr(lang, message, name=text.plain(name)), icon=":material/link_off:")
        home = st.session_state.get(signin.HOME)
        if home is not None:
            kept = {key: st.query_params[key] for key in url_state.STICKY if key in st.query_params}
            label = i18n.tr(lang, "Go to {page}", page=home.title)
            st.page_link(home, label=label, icon=":material/arrow_forward:", query_params=kept)

    return st.Page(draw, title=i18n.tr(lang, TITLE), url_path=name, visibility="hidden")
