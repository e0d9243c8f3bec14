"""Data, for data stewards: the versions published and their manifests, how to roll back, the publishes
refused, and what changed between two versions."""

import streamlit as st

from cockpit.data import changes
from cockpit.data.versions import VersionError
from cockpit.ui import data_panels, import_panels, sidebar, url_state

ctx = sidebar.context()
tr = ctx.tr
store = ctx.db.store

st.title(tr("Data"))
st.caption(
    tr(
        "For data stewards: every version published with its manifest, the publishes the data contract "
        "refused, and what changed from one version to the next."
    )
)

with st.expander(
    tr("Import a file"), icon=":material/upload_file:", expanded=bool(st.session_state.get("import_file"))
):
    import_panels.import_panel(ctx)

history = changes.history(store, ctx.country)
if history.empty:
    st.info(tr("Nothing is published for this country yet."), icon=":material/inventory_2:")
    st.code(f"python -m cockpit.publish --country {ctx.country} /path/to/extracts", language="bash")
    st.stop()
newest_first = list(history["version"])
current = next(iter(history.loc[history["current"], "version"]), None)


def label(version: str) -> str:
    return data_panels.version_label(ctx, history, version)


def pick_version():
    """A row picked in the versions table shows that version's manifest (and goes into the URL)."""
    event = st.session_state.get("data_versions") or {}
    rows = event.get("selection", {}).get("rows") or []
    if rows:
        st.session_state["url_version"] = newest_first[rows[0]]


st.subheader(tr("Published versions"))
data_panels.versions_table(ctx, history, "data_versions", pick_version)
chosen_column, rollback_column = st.columns([2, 3])
with chosen_column:
    version = url_state.url_choice(
        "version", newest_first, current or newest_first[0], tr("Manifest of"), format_func=label, lang=ctx.lang
    )
with rollback_column:
    data_panels.rollback_panel(ctx, version, current)
data_panels.manifest_panel(ctx, store, version, history)

st.subheader(tr("Refused publishes"))
data_panels.refused_table(ctx, changes.refused(store, ctx.country))

st.subheader(tr("What changed"))
pair = changes.default_pair(list(reversed(newest_first)), current)
if pair is None:
    st.info(tr("Only one version is published, so there is nothing to compare it with yet."))
    st.stop()
old_column, new_column, _ = st.columns([2, 2, 3])
with old_column:
    old = url_state.url_choice("old", newest_first, pair[0], tr("From version"), format_func=label, lang=ctx.lang)
with new_column:
    new = url_state.url_choice("new", newest_first, pair[1], tr("To version"), format_func=label, lang=ctx.lang)
if old == new:
    st.info(tr("Pick two different versions to compare."))
    st.stop()
try:
    with st.spinner(tr("Comparing the two versions…"), show_time=True):
        result = changes.compare(store, ctx.country, old, new)
except VersionError:
    st.warning(tr("One of these versions is no longer kept; pick another."), icon=":material/link_off:")
    st.stop()
data_panels.changes_panel(ctx, result)
