"""The Data page's panels for data stewards: the versions and their manifests, the rollback command, the
publishes refused, and what changed between two versions. Text a person typed (who published, a folder)
is shown as plain text in tables or code blocks, never as Markdown."""

from __future__ import annotations

import json

import pandas as pd
import streamlit as st

from cockpit import clock, i18n, periods
from cockpit.data import areas, changes, indicators
from cockpit.i18n import N_
from cockpit.ui import sidebar, tables

PROBLEM_PX = 320  # the refusals' problem column
HASH_SHOWN = 16  # a manifest's file hashes, by their first characters

# The steps a publish times (cockpit/publish/versions.py), as the reader names them.
STEP_LABELS = {
    "hash": N_("hashing"),
    "check and load": N_("check and load"),
    "models": N_("models"),
    "figures": N_("figures against the served version"),
    "write": N_("writing"),
    "alerts": N_("alert rules"),
    "switch": N_("switch"),
}


def when(ctx: sidebar.Context, moment) -> str:
    """A timestamp as the reader's day (Buddhist era for Thai readers) and time, in the meeting room's zone."""
    if moment is None or pd.isna(moment):
        return i18n.NO_VALUE
    local = moment.astimezone(clock.zone())
    return f"{periods.day_label(local, ctx.lang)} {local:%H:%M}"


def version_label(ctx: sidebar.Context, history: pd.DataFrame, version: str) -> str:
    """A version as a reader tells them apart: when it was published, its content id, and whether it is served."""
    row = history.set_index("version").loc[version]
    content = version.split("-", 1)[1] if "-" in version else version
    label = f"{when(ctx, row['published_at'])} · {content}"
    return label + " · " + ctx.tr("served now") if row["current"] else label


def steps_text(ctx: sidebar.Context, steps: dict) -> str:
    """Each step of a publish and its seconds (the column's title names the unit)."""
    return i18n.labelled(((ctx.tr(STEP_LABELS.get(name, name)), s) for name, s in steps.items()), ctx.lang, 1)


def versions_table(ctx: sidebar.Context, history: pd.DataFrame, key: str, on_select) -> None:
    """The versions, newest first, the served one marked; picking a row shows its manifest."""
    view = pd.DataFrame(
        {
            "current": history["current"].map(lambda c: "●" if c else ""),
            "version": history["version"],
            "published_at": [when(ctx, t) for t in history["published_at"]],
            "published_by": history["published_by"],
            "newest_period": [
                i18n.NO_VALUE if pd.isna(p) else ctx.period(p, "month") for p in history["newest_period"]
            ],
            "observations": history["observations"],
            "schools": history["schools"],
            "rows": history["rows"],
            "steps": [steps_text(ctx, s) for s in history["steps"]],
            "contract_version": history["contract_version"],
        }
    )
    st.dataframe(
        tables.localized(view, ctx.lang, numbers={"observations": 0, "schools": 0, "rows": 0}),
        hide_index=True,
        key=key,
        on_select=on_select,
        selection_mode="single-row",
        height=tables.fit_height(len(view), 420),
        # What tells the versions apart; the rest of a version (its schools, rows, steps, contract) under its manifest,
        # a pick away: all ten columns needed 1,410 px, a laptop's page has 900.
        column_order=["current", "version", "published_at", "published_by", "newest_period", "observations"],
        column_config={
            "current": st.column_config.TextColumn(
                ctx.tr("Served"), width=50, help=ctx.tr("The version every page reads now")
            ),
            "version": st.column_config.TextColumn(ctx.tr("Version"), width=270),
            "published_at": st.column_config.TextColumn(ctx.tr("Published"), width=135),
            "published_by": st.column_config.TextColumn(ctx.tr("By"), width=90),
            "newest_period": st.column_config.TextColumn(
                ctx.tr("Newest period"), width=105, help=ctx.tr("The newest month with observations")
            ),
            "observations": st.column_config.NumberColumn(ctx.tr("Observations"), width=100),
            "schools": st.column_config.NumberColumn(ctx.tr("Schools"), width=80),
            "rows": st.column_config.NumberColumn(
                ctx.tr("All rows"), width=95, help=ctx.tr("Rows in all eight extracts")
            ),
            "steps": st.column_config.TextColumn(
                ctx.tr("Steps (seconds)"), width=365, help=ctx.tr("How long each step of the publish took")
            ),
            "contract_version": st.column_config.TextColumn(
                ctx.tr("Contract"),
                width=100,
                help=ctx.tr("The fingerprint of the data contract it was checked against"),
            ),
        },
    )
    st.caption(ctx.tr("Pick a row to see its manifest."))


def short_hash(sha256: str) -> str:
    """A file's hash as a laptop's table has room for it: its first HASH_SHOWN characters (the whole one was cut at
    1366 px, mid-way and unmarked), enough to tell two files apart; the whole manifest has all 64."""
    return sha256[:HASH_SHOWN] + "…" if len(sha256) > HASH_SHOWN else sha256


def manifest_panel(ctx: sidebar.Context, store, version: str, history: pd.DataFrame) -> None:
    """A version's manifest: its schools, rows, contract and publish steps (from `history`), its source files with
    rows, size and SHA-256, where they came from, and the whole file."""
    manifest = store.manifest(ctx.country, version)
    files = manifest.get("files") or {}
    found = history[history["version"] == version]
    if not found.empty:
        row = found.iloc[0]
        counts = i18n.labelled([(ctx.tr("Schools"), row["schools"]), (ctx.tr("All rows"), row["rows"])], ctx.lang)
        st.caption(f"{counts} · {ctx.tr('Contract')} {row['contract_version']}")
        st.caption(f"{ctx.tr('Steps (seconds)')}: {steps_text(ctx, row['steps'])}")
    st.dataframe(
        tables.localized(
            pd.DataFrame(
                {
                    "name": list(files),
                    "file": [f.get("file", "") for f in files.values()],
                    "rows": [f.get("rows") for f in files.values()],
                    "bytes": [f.get("bytes") for f in files.values()],
                    "sha256": [short_hash(f.get("sha256", "")) for f in files.values()],
                }
            ),
            ctx.lang,
            numbers={"rows": 0, "bytes": 0},
        ),
        hide_index=True,
        column_config={
            "name": st.column_config.TextColumn(ctx.tr("Extract"), width=120),
            "file": st.column_config.TextColumn(ctx.tr("File"), width=190),
            "rows": st.column_config.NumberColumn(ctx.tr("Rows"), width=90),
            "bytes": st.column_config.NumberColumn(ctx.tr("Bytes"), width=100),
            "sha256": st.column_config.TextColumn(
                "SHA-256",
                width=180,
                help=ctx.tr(
                    "Its first {shown} characters of 64: the whole manifest below has them all", shown=HASH_SHOWN
                ),
            ),
        },
    )
    st.caption(ctx.tr("Published from this folder:"))
    st.code(manifest.get("source") or i18n.NO_VALUE, language=None)
    with st.expander(ctx.tr("The whole manifest"), icon=":material/data_object:"):
        st.code(json.dumps(manifest, indent=2, ensure_ascii=False), language="json")


def rollback_panel(ctx: sidebar.Context, version: str, current: str | None) -> None:
    """The command that serves a chosen version again; a button waits for sign-in, which decides who may."""
    with st.container(border=True):
        st.markdown("**" + ctx.tr("Roll back to this version") + "**")
        if version == current:
            st.info(ctx.tr("This is the version every page serves now."), icon=":material/check_circle:")
            return
        st.caption(ctx.tr("To serve this version instead of the current one, run on the server:"))
        st.code(f"python -m cockpit.publish --country {ctx.country} --rollback {version}", language="bash")
        st.caption(
            ctx.tr(
                "Why not a button: a rollback changes what every reader sees, so it must know who asks for it. "
                "Who may roll back is settled when sign-in arrives; until then it is done from the command line. "
                "It also brings the alerts back in line with that version's data."
            )
        )


def refused_table(ctx: sidebar.Context, refused: pd.DataFrame) -> None:
    """The publishes the contract refused, newest first: when, who, from which folder, and what was wrong."""
    if refused.empty:
        st.success(ctx.tr("No publish has been refused."), icon=":material/task_alt:")
        return
    open_count = refused.drop_duplicates("at")["open"].sum()
    if open_count:
        st.warning(
            ctx.tr("The newest publish was refused; the version served is the one before it."),
            icon=":material/report:",
        )
    view = pd.DataFrame(
        {
            "at": [when(ctx, t) for t in refused["at"]],
            "state": [ctx.tr("Not yet fixed") if o else ctx.tr("Fixed by a later publish") for o in refused["open"]],
            "by": refused["by"],
            "directory": refused["directory"],
            "file": refused["file"],
            "column": refused["column"],
            "rows": [
                ", ".join(map(str, rows)) + (" …" if count > len(rows) else "")
                for rows, count in zip(refused["rows"], refused["row_count"], strict=True)
            ],
            "row_count": refused["row_count"],
        }
    )
    view["problem"], row_px = tables.wrapped([error.text(ctx.lang) for error in refused["error"]], PROBLEM_PX)
    st.dataframe(
        tables.localized(view, ctx.lang, numbers={"row_count": 0}),
        hide_index=True,
        row_height=row_px,  # a problem's sentence wraps within its column
        height=tables.fit_height(len(view), 420, row_px=row_px),
        column_config={
            "at": st.column_config.TextColumn(ctx.tr("When"), width=140),
            "state": st.column_config.TextColumn(ctx.tr("State"), width=230),
            "by": st.column_config.TextColumn(ctx.tr("By"), width=100),
            "directory": st.column_config.TextColumn(ctx.tr("Folder"), width=240),
            "file": st.column_config.TextColumn(ctx.tr("File"), width=160),
            "column": st.column_config.TextColumn(ctx.tr("Column"), width=110),
            "rows": st.column_config.TextColumn(ctx.tr("Rows"), width=110, help=ctx.tr("Sample rows at fault")),
            "row_count": st.column_config.NumberColumn(ctx.tr("Rows at fault"), width=100),
            "problem": st.column_config.TextColumn(ctx.tr("Problem"), width=PROBLEM_PX),
        },
    )


def changes_panel(ctx: sidebar.Context, result: changes.Changes) -> None:
    """Two versions compared: the rows added, removed and changed per indicator, and the provinces that moved most."""
    if result.same:
        st.info(ctx.tr("The two versions hold the same observations."), icon=":material/check_circle:")
        return
    catalogue = indicators.catalogue(ctx.db, ctx.country)

    def indicator_name(indicator_id: str) -> str:
        if indicator_id in catalogue.index:
            return indicators.name(catalogue.loc[indicator_id], ctx.lang)
        return indicator_id

    totals = result.totals()
    cells = st.columns(3)
    for cell, (key, label) in zip(
        cells,
        (
            ("added", N_("Observation rows added")),
            ("removed", N_("Observation rows removed")),
            ("changed", N_("Observation rows changed")),
        ),
        strict=True,
    ):
        cell.metric(ctx.tr(label), i18n.number(totals[key], ctx.lang), border=True)
    left, right = st.columns([5, 6])
    with left:
        st.markdown("**" + ctx.tr("Rows by indicator") + "**")
        rows = result.observations
        st.dataframe(
            tables.localized(
                pd.DataFrame(
                    {
                        "indicator": [indicator_name(i) for i in rows["indicator_id"]],
                        "added": rows["added"],
                        "removed": rows["removed"],
                        "changed": rows["changed"],
                    }
                ),
                ctx.lang,
                numbers={"added": 0, "removed": 0, "changed": 0},
            ),
            hide_index=True,
            height=tables.fit_height(len(rows), 560),
            column_config={
                "indicator": st.column_config.TextColumn(ctx.tr("Indicator"), width=340),
                "added": st.column_config.NumberColumn(ctx.tr("Added"), width=80),
                "removed": st.column_config.NumberColumn(ctx.tr("Removed"), width=80),
                "changed": st.column_config.NumberColumn(ctx.tr("Changed"), width=80),
            },
        )
    with right:
        st.markdown("**" + ctx.tr("Provinces whose values moved most") + "**")
        moved = result.movers
        if moved.empty:
            st.info(ctx.tr("No province's value moved."))
            return

        def shown(indicator_id: str, value) -> str:
            if indicator_id in catalogue.index:
                return indicators.fmt(catalogue.loc[indicator_id], value, ctx.lang)
            return i18n.number(value, ctx.lang, 2)

        def change(indicator_id: str, value) -> str:
            if indicator_id in catalogue.index:
                return indicators.signed(catalogue.loc[indicator_id], value, ctx.lang)
            return i18n.number(value, ctx.lang, 2)

        st.dataframe(
            pd.DataFrame(
                {
                    "indicator": [indicator_name(i) for i in moved["indicator_id"]],
                    "province": [areas.name(row, ctx.country, ctx.lang) for _, row in moved.iterrows()],
                    "period": [
                        ctx.period(p, t) for p, t in zip(moved["period_start"], moved["period_type"], strict=True)
                    ],
                    "old": [shown(i, v) for i, v in zip(moved["indicator_id"], moved["old_value"], strict=True)],
                    "new": [shown(i, v) for i, v in zip(moved["indicator_id"], moved["new_value"], strict=True)],
                    "change": [change(i, v) for i, v in zip(moved["indicator_id"], moved["change"], strict=True)],
                }
            ),
            hide_index=True,
            height=tables.fit_height(len(moved), 560),
            column_config={
                "indicator": st.column_config.TextColumn(ctx.tr("Indicator"), width=240),
                "province": st.column_config.TextColumn(ctx.tr("Province"), width=150),
                "period": st.column_config.TextColumn(ctx.tr("Period"), width=110),
                "old": st.column_config.TextColumn(ctx.tr("Old value"), width=100),
                "new": st.column_config.TextColumn(ctx.tr("New value"), width=100),
                "change": st.column_config.TextColumn(ctx.tr("Change"), width=110),
            },
        )
        st.caption(
            ctx.tr(
                "Up to {n} provinces per indicator, each at the period its value moved most in, both sexes together.",
                n=changes.MOVERS,
            )
        )
