"""Downloads in the audit trail: a download button's data, made only when clicked, recorded as an export by whom."""

from __future__ import annotations

from collections.abc import Callable

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
