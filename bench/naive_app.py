"""The browser benchmark's baseline app: the naive page (bench/naive_page.py) and a minimal page with one table,
in Streamlit's own navigation, so the baseline is opened by its URL and switched to in the app as the cockpit's
pages are."""

import pandas as pd
import streamlit as st

st.set_page_config(layout="wide", initial_sidebar_state="expanded")  # as the cockpit's pages are laid out


def minimal():
    st.title("Minimal page")
    st.dataframe(pd.DataFrame({"province": [f"P{i}" for i in range(77)], "value": range(77)}))


st.navigation(
    [st.Page(minimal, title="Minimal", url_path="minimal", default=True), st.Page("naive_page.py", url_path="naive")]
).run()
