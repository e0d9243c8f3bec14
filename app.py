"""The cockpit's frame: page config, the sidebar's country and language, and the navigation."""

import streamlit as st

from cockpit import ui

st.set_page_config(page_title="Education Management Cockpit", page_icon=":material/monitoring:", layout="wide")

context = ui.sidebar_controls()
st.session_state[ui.CONTEXT_KEY] = context
tr = context.tr if context else (lambda text, **_: text)

pages = {
    tr("Cockpit"): [
        st.Page("pages/overview.py", title=tr("Overview"), icon=":material/dashboard:", url_path="overview",
                default=True),
    ],
}
page = st.navigation(pages)
if context is None:
    st.stop()
ui.show_notices()
page.run()
