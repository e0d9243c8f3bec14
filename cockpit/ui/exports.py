"""Downloads in the audit trail: a download button's data, made only when clicked, recorded as an export by whom."""

from __future__ import annotations

from collections.abc import Callable

import streamlit as st

from cockpit.documents import workbooks
from cockpit.i18n import N_
from cockpit.state import store
from cockpit.ui import sidebar, store_status
from cockpit.users import audit


def audited(ctx: sidebar.Context, action: str, make: Callable[[], bytes], area_id: str | None = None):
    """`make` for st.download_button(data=…), recorded as an export (or refused: a role without `export`)."""

    def data() -> bytes:
        engine = ctx.store
        if engine is None:  # every download is in the audit trail: none while it cannot be written
            return ctx.tr(store_status.NOT_RECORDED[store.UNREACHABLE]).encode()
        if not ctx.identity.can("export"):
            refused = audit.refuse(
                engine,
                ctx.identity,
                f"export.{action}",
                N_("Your role ({role}) may not download."),
                role=ctx.identity.role,
            )
            return str(refused).encode()
        audit.record(engine, ctx.identity, "export", action, country=ctx.country, area_id=area_id)
        return make()

    return data


# The meeting files a review page offers: each kind's button label, file type and icon.
MEETING_FILES = {
    "pptx": (
        N_("Meeting brief (PowerPoint)"),
        "application/vnd.openxmlformats-officedocument.presentationml.presentation",
        ":material/slideshow:",
    ),
    "pdf": (N_("Meeting brief (PDF)"), "application/pdf", ":material/picture_as_pdf:"),
    "xlsx": (N_("The figures (Excel)"), workbooks.MIME, ":material/table_view:"),
}


def meeting_file(
    ctx: sidebar.Context,
    kind: str,
    action: str,
    make: Callable[[], bytes],
    area_id: str | None,
    file_name: str,
    **options,
) -> None:
    """A download button for a meeting file (MEETING_FILES' `kind`), made only when clicked and audited."""
    label, mime, icon = MEETING_FILES[kind]
    st.download_button(
        ctx.tr(label),
        data=audited(ctx, action, make, area_id),
        file_name=file_name,
        mime=mime,
        icon=icon,
        on_click="ignore",
        **options,
    )
