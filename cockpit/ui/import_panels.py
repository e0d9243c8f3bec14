"""The Data page's import: upload a file, choose or adjust its spec, preview the rows as they will be read, see
the match report, pick the area of a name left unmatched (which adds an alias), then publish. What a file holds
is shown in tables or code blocks, never as Markdown."""

from __future__ import annotations

import math
import tempfile
from pathlib import Path

import pandas as pd
import streamlit as st

from cockpit import clock, i18n, settings
from cockpit.data import areas as area_names
from cockpit.data import indicators as indicator_names
from cockpit.data import plausibility
from cockpit.data.versions import Unreachable, VersionError
from cockpit.documents import shown_tables
from cockpit.i18n import N_
from cockpit.importer import imports, matching, publishing, readers, report, specs
from cockpit.importer.problems import Problem
from cockpit.ui import sidebar, tables
from cockpit.ui.text import plain

SPEC_DIR = settings.ROOT / "config" / "import"
SUFFIXES = sorted({s.lstrip(".") for s in specs.SUFFIXES})
COUNTS = (
    ("rows_read", N_("Rows read")),
    ("imported", N_("Imported")),
    ("ambiguous", N_("Ambiguous")),
    ("unmatched", N_("Unmatched")),
    ("skipped", N_("Skipped")),
    ("rejected", N_("Rejected")),
)


@st.cache_resource(show_spinner=False, max_entries=4)
def _base(country: str, version: str) -> publishing.Base:
    """The served version's extracts as files, once per version (an import joins them)."""
    folder = Path(tempfile.mkdtemp(prefix=f"cockpit-import-{country}-"))
    return publishing.from_version(country, folder)


def import_panel(ctx: sidebar.Context) -> None:
    tr = ctx.tr
    found = {k: s for k, s in specs.folder(SPEC_DIR).items() if s.country == ctx.country}
    if not found:
        st.info(tr("No source spec for this country in config/import yet."))
        return
    left, right = st.columns([2, 3])
    with left:
        spec_id = st.selectbox(
            tr("Source spec"), list(found), format_func=lambda k: found[k].title_in(ctx.lang), key="import_spec"
        )
    with right:
        upload = st.file_uploader(
            tr("File"),
            type=SUFFIXES,
            key="import_file",
            help=tr(
                "CSV, Excel, JSON, a DHIS2 dataValueSets export or SDMX; up to {mb} MB",
                mb=i18n.number(readers.max_mb(), ctx.lang, None),
            ),
            # The browser refuses a larger file before sending it, and the uploader says the import's limit.
            max_upload_size=math.ceil(readers.max_mb()),
        )
    with st.expander(tr("Adjust the spec"), icon=":material/tune:"):
        st.caption(tr("Changes apply to this import only; config/import/SAMPLE.yaml documents every key."))
        text = st.text_area(
            tr("Spec (YAML)"),
            Path(found[spec_id].path).read_text(encoding="utf-8"),
            height=260,
            key=f"import_yaml_{spec_id}",
        )
    if upload is None:
        st.caption(tr("Choose a file to see its rows as they will be read and how their areas match."))
        return
    try:
        spec = specs.from_text(text, found[spec_id].path)
        base = _base(ctx.country, ctx.db.version(ctx.country))
        areas, indicators = base.frame("areas"), base.frame("indicators")  # read once a rerun: 12 ms together
        result = imports.run(spec, [(upload.name, upload.getvalue())], areas, indicators)
    except Problem as problem:
        st.error(plain(problem.text(ctx.lang)), icon=":material/error:")
        st.caption(tr("Nothing was imported, and nothing published changed."))
        return
    except (VersionError, Unreachable) as exc:  # the served version gone (a rollback, a cleanup) or its store down
        st.error(tr("The published data cannot be read now: {error}", error=plain(exc)), icon=":material/error:")
        st.caption(tr("Nothing was imported, and nothing published changed."))
        return
    _preview(ctx, result)
    _report(ctx, result, indicators)
    off = publishing.suspects(result, base, areas, indicators)
    _figures_off(ctx, off, areas, indicators)
    _fix_names(ctx, result, areas)
    _publish(ctx, result, base, off)


def _preview(ctx: sidebar.Context, result: imports.Result) -> None:
    st.markdown("**" + ctx.tr("The first rows as they will be read") + "**")
    for name, frame in result.previews.items():
        encoding = next((f["encoding"] for f in result.files if f["name"] == name), None)
        st.caption(plain(name) + (" · " + ctx.tr("read as {encoding}", encoding=encoding) if encoding else ""))
        shown = frame[[readers.ROW, *(c for c in frame.columns if c != readers.ROW)]]
        shown = shown.rename(columns={readers.ROW: ctx.tr("Row")}).fillna("")
        st.dataframe(shown.astype(str), hide_index=True, height=tables.fit_height(len(shown), 300))


CANDIDATES_PX, REASON_PX = 200, 300


def _report(ctx: sidebar.Context, result: imports.Result, indicators: pd.DataFrame) -> None:
    tr, lang = ctx.tr, ctx.lang
    st.markdown("**" + tr("Match report") + "**")
    counts = result.counts()
    for cell, (key, label) in zip(st.columns(len(COUNTS)), COUNTS, strict=True):
        cell.metric(tr(label), i18n.number(counts[key], lang), border=True)
    methods = [f"{tr(report.METHOD_NAMES[m])}: {i18n.number(n, lang)}" for m, n in counts["matched_by"].items() if n]
    if methods:
        st.caption(tr("Matched") + " " + " · ".join(methods))
    for problem in result.problems:
        st.error(plain(problem.text(lang)), icon=":material/error:")
    rows = report.rows_table(result, lang)
    left_out = rows[result.rows["status"] != "imported"].fillna("")
    if not left_out.empty:
        several_files = len(result.files) > 1
        # Why a row was left out is a sentence, and the nearest areas a list: both wrap, between words, in rows as
        # tall as the longest needs. One file read: its name in the caption.
        left_out["reason"], reason_px = tables.wrapped(left_out["reason"], REASON_PX)
        left_out["candidates"], candidates_px = tables.wrapped(left_out["candidates"], CANDIDATES_PX)
        row_px = max(reason_px, candidates_px)
        st.dataframe(
            left_out,
            hide_index=True,
            row_height=row_px,
            height=tables.fit_height(len(left_out), 420, row_px=row_px),
            column_order=[
                *(["file"] if several_files else []),
                "row",
                "area",
                "status",
                "candidates",
                "reason",
                "column",
            ],
            column_config={
                "file": st.column_config.TextColumn(tr("File"), width=120),
                "row": st.column_config.NumberColumn(tr("Row"), width=50),
                "area": st.column_config.TextColumn(tr("Area as written"), width=130),
                "status": st.column_config.TextColumn(tr("State"), width=90),
                "candidates": st.column_config.TextColumn(tr("Nearest areas"), width=CANDIDATES_PX),
                "reason": st.column_config.TextColumn(tr("Why"), width=REASON_PX),
                "column": st.column_config.TextColumn(tr("Column"), width=100),
            },
        )
    totals = result.totals
    st.dataframe(
        tables.localized(
            pd.DataFrame(
                {
                    "indicator": [indicator_names.named(indicators, i, ctx.lang) for i in totals["indicator"]],
                    "role": [tr(report.ROLE_NAMES.get(r, r)) for r in totals["role"]],
                    "read": totals["read"],
                    "imported": totals["imported"],
                    "left": totals["read"] - totals["imported"],
                }
            ),
            lang,
            numbers={"read": 0, "imported": 0, "left": 0},
        ),
        hide_index=True,
        column_config={
            "indicator": st.column_config.TextColumn(tr("Indicator"), width=400),
            "role": st.column_config.TextColumn(tr("Figure"), width=110),
            "read": st.column_config.NumberColumn(tr("Total read"), width=120),
            "imported": st.column_config.NumberColumn(tr("Total imported"), width=120),
            "left": st.column_config.NumberColumn(
                tr("Left out"), width=110, help=tr("The rows listed above, which were not imported")
            ),
        },
    )
    st.download_button(
        tr("Download the report (CSV)"),
        shown_tables.csv_bytes(rows),  # the file's cells as written: one starting "=" is text, not a formula
        file_name=f"import-{result.spec.id}.csv",
        mime="text/csv",
        icon=":material/download:",
    )


def _figures_off(
    ctx: sidebar.Context, off: list[plausibility.Suspect], areas: pd.DataFrame, indicators: pd.DataFrame
) -> None:
    """Figures a hundred or a thousand times off what is published: said before anything is published."""
    if not off:
        return
    for suspect in off:
        st.warning(plain(suspect.text(ctx.lang, indicators, areas, ctx.country)), icon=":material/warning:")
    st.caption(ctx.tr(plausibility.HINT))


def _fix_names(ctx: sidebar.Context, result: imports.Result, areas: pd.DataFrame) -> None:
    tr = ctx.tr
    open_names = result.open_names()
    if open_names.empty:
        return
    st.markdown("**" + tr("Names to match") + "**")
    st.caption(tr("Pick the area each name means: it is kept as an alias, so the next file with it matches too."))
    level = areas[areas["level"] == result.spec.level]
    labels = {r["area_id"]: area_names.name(r, ctx.country, ctx.lang) for _, r in level.iterrows()}
    for i, row in enumerate(open_names.itertuples()):
        suggested = [c[0] for c in row.candidates or ()]
        options = [""] + suggested + sorted((a for a in labels if a not in suggested), key=labels.get)
        name_column, pick_column, add_column = st.columns([2, 3, 1], vertical_alignment="bottom")
        name_column.code(row.area_text or i18n.NO_VALUE, language=None)
        chosen = pick_column.selectbox(
            tr("Area"),
            options,
            format_func=lambda a: labels.get(a, "") if a else tr("Choose…"),
            key=f"import_pick_{i}_{row.area_text}",
        )
        if add_column.button(tr("Add alias"), key=f"import_alias_{i}_{row.area_text}", disabled=not chosen):
            try:
                matching.add_alias(
                    imports.ALIASES,
                    ctx.country,
                    result.spec.level,
                    row.area_text,
                    chosen,
                    ctx.identity.login,
                    clock.today().isoformat(),
                )
            except OSError as exc:  # a read-only install or a full disk: the name stays to be matched
                message = N_("The alias cannot be saved in {path}: {error}. Tell the administrator.")
                st.error(tr(message, path=plain(imports.ALIASES), error=plain(exc.strerror or exc)))
            else:
                st.rerun()


def _publish(
    ctx: sidebar.Context, result: imports.Result, base: publishing.Base, off: list[plausibility.Suspect]
) -> None:
    tr = ctx.tr
    st.markdown("**" + tr("Publish this import") + "**")
    if not result.publishable:
        return
    partial = False
    if not result.clean:
        partial = st.checkbox(
            tr("Publish the imported rows only; the rows listed above stay out"), key="import_partial"
        )
    confirmed = False
    if off:
        confirmed = st.checkbox(
            tr("The figures warned about above are right as they are"), key="import_figures_confirmed"
        )
    ready = (result.clean or partial) and (confirmed or not off)
    publish = st.button(tr("Publish as a new version"), type="primary", disabled=not ready, key="import_publish")
    if publish:
        out = settings.ROOT / "data" / "imports" / ctx.country / f"{clock.utcnow():%Y%m%dT%H%M%S}"
        try:
            with st.spinner(tr("Publishing…"), show_time=True):
                outcome = publishing.publish(
                    result, base, out, by=ctx.identity.login, partial=partial, figures_confirmed=confirmed, off=off
                )
        except Problem as problem:
            st.error(plain(problem.text(ctx.lang)), icon=":material/error:")
            return
        except (VersionError, Unreachable) as exc:  # the store of versions out of reach: nothing was published
            st.error(tr("The published data cannot be read now: {error}", error=plain(exc)), icon=":material/error:")
            st.caption(tr("Not published; the current version stays in service."))
            return
        except OSError as exc:  # a read-only install or a full disk
            st.error(tr("The import cannot be written: {error}. Tell the administrator.", error=plain(exc)))
            st.caption(tr("Not published; the current version stays in service."))
            return
        if outcome.status == "published":
            st.success(tr("Published version {version}.", version=outcome.version), icon=":material/task_alt:")
        elif outcome.status == "unchanged":
            st.info(tr("Nothing changed: {version} stays current.", version=outcome.version))
        else:
            st.error(tr("Not published; the current version stays in service."), icon=":material/report:")
            if outcome.errors:  # refused by the contract: what and where, in the steward's language
                sidebar.contract_errors_table(ctx.lang, outcome.errors)
            if outcome.message:  # a failed publish (out of memory, a broken config file): why, for the steward
                st.code(outcome.message, language=None)
