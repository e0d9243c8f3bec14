"""The cockpit's frame: page config and the navigation; each page draws the sidebar's country and language."""

import streamlit as st

from cockpit import i18n, ui

st.set_page_config(page_title="Education Management Cockpit", page_icon=":material/monitoring:", layout="wide")

lang = ui.language()


def tr(message: str) -> str:
    return i18n.tr(lang, message)


pages = {
    tr("Cockpit"): [
        st.Page(
            "pages/overview.py", title=tr("Overview"), icon=":material/dashboard:", url_path="overview", default=True
        ),
    ],
}
st.navigation(pages).run()
