"""Downloads in the audit trail: a download button's data, made only when clicked, recorded as an export by whom."""

from __future__ import annotations

from collections.abc import Callable

from cockpit.ui import sidebar
from cockpit.users import audit


def audited(ctx: sidebar.Context, action: str, make: Callable[[], bytes], area_id: str | None = None):
    """`make` for st.download_button(data=…), recorded as an export (or refused: a role without `export`)."""

    def data() -> bytes:
        engine = sidebar.state_engine()
        if not ctx.identity.can("export"):
            refused = audit.refuse(
                engine, ctx.identity, f"export.{action}", "Your role ({role}) may not download.", role=ctx.identity.role
            )
            return str(refused).encode()
        audit.record(engine, ctx.identity, "export", action, country=ctx.country, area_id=area_id)
        return make()

    return data
