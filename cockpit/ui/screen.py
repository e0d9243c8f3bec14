"""Kiosk mode for the wall screen (?kiosk=1 on any page): no chrome or sidebar, the dark theme, type sized
to the screen."""

from __future__ import annotations

from urllib.parse import urlencode

import streamlit as st

from cockpit.meeting import warroom

# Kiosk: no Streamlit chrome, no sidebar, type that scales with the screen (rem follows the viewport's
# height, so a 3840x2160 wall at 100% or 200% reads like a 1920x1080 one from across the room).
KIOSK_CSS = """
<style>
  [data-testid="stSidebar"], [data-testid="stSidebarCollapsedControl"], [data-testid="stSidebarCollapseButton"],
  [data-testid="stHeader"], [data-testid="stToolbar"], [data-testid="stDecoration"],
  [data-testid="stMainMenu"], [data-testid="stAppDeployButton"], footer { display: none !important; }
  html { font-size: clamp(15px, 1.6vh, 64px) !important; }
  [data-testid="stMain"] { margin-left: 0 !important; }
  [data-testid="stMainBlockContainer"] { max-width: 100% !important; padding: 1.2vh 1.4vw 0.6vh 1.4vw !important; }
  [data-testid="stAppViewContainer"] { overflow-x: hidden; }
  [data-testid="stMainBlockContainer"] [data-testid="stVerticalBlock"] { gap: 0.55rem; }
  /* the theme script below runs once; its element takes no room */
  [data-testid="stElementContainer"]:has(script[data-kiosk-theme]) { display: none; }
</style>
"""


# Streamlit's dark theme is chosen when the page loads, from ?embed_options=dark_theme; embed=true keeps the
# options on every page switch. A kiosk URL that lacks them is reloaded once with them (nothing else changes).
KIOSK_THEME_JS = """
<script data-kiosk-theme="1">
(() => {
  const url = new URL(window.location.href);
  if (!["1", "true", "yes", "on"].includes((url.searchParams.get("kiosk") || "").toLowerCase())) return;
  if (url.searchParams.getAll("embed_options").includes("dark_theme")) return;
  url.searchParams.set("embed", "true");
  url.searchParams.append("embed_options", "dark_theme");
  window.location.replace(url.toString());
})();
</script>
"""


KIOSK_THEME_PARAMS = {"embed": "true", "embed_options": "dark_theme"}


def is_kiosk() -> bool:
    """Whether this view is on the wall: `?kiosk=1` in the URL."""
    return warroom.is_kiosk(st.query_params)


def kiosk_mode() -> bool:
    """Hide the chrome and sidebar, scale the type and turn the dark theme on when `?kiosk=1`; returns the flag.

    Meant for ui.context() (so `?kiosk=1` works on every page); the war room and the walls call it too.
    """
    if not is_kiosk():
        return False
    st.html(KIOSK_CSS)
    st.html(KIOSK_THEME_JS, unsafe_allow_javascript=True)
    return True


def kiosk_href(path: str = "", **overrides) -> str:
    """A link (relative) that opens `path` in kiosk mode with this view's filters and the dark theme."""
    params = warroom.carried(st.query_params, kiosk="1", **overrides)
    return f"{path}?{urlencode({**params, **KIOSK_THEME_PARAMS})}"


def exit_kiosk_href(path: str = "") -> str:
    """A link (relative) that leaves kiosk mode: the same view, the theme the reader chose, the sidebar back."""
    params = warroom.carried(st.query_params, kiosk=None, paused=None, interval=None)
    return f"{path}?{urlencode(params)}" if params else (path or "?")
