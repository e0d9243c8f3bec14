"""Links between the pages, built in one place: each carries the reader's country and language (and the period
where the page opened reads one), so a province, an indicator or a quality mark opens the page about it as the
reader sees it now; table cells that link, page links, and the walls' anchors all come from here."""

from __future__ import annotations

from urllib.parse import parse_qsl, quote, unquote, urlencode, urljoin

import pandas as pd
import streamlit as st
from streamlit.errors import StreamlitPageNotFoundError

from cockpit import i18n, settings
from cockpit.ui import screen, sidebar, text

# Each linked page: its file (for st.page_link and st.switch_page) and its URL path (app.py's url_path).
PAGES = {
    "overview": "views/overview.py",
    "province": "views/province.py",
    "region": "views/region.py",
    "indicators": "views/indicators.py",
    "quality": "views/quality.py",
    "policies": "views/policies.py",
    "decisions": "views/decisions.py",
    "alerts": "views/alerts.py",
    "explore": "views/explore.py",
    "wall-results": "views/wall_results.py",
    "wall-crises": "views/wall_crises.py",
    "wall-capacity": "views/wall_capacity.py",
    "wall-policies": "views/wall_policies.py",
}
# A table cell's link shows its text after '#': a URL fragment, which no page reads, decoded by the table for display.
CELL_TEXT = r"#(.+)$"
MARK = "◔"  # the quality mark: a figure resting on fewer reports than expected


def params(ctx: sidebar.Context, **values) -> dict[str, str]:
    """The query parameters of a link: the reader's country and language, then `values` (None left out)."""
    return {"country": ctx.country, "lang": ctx.lang, **{k: str(v) for k, v in values.items() if v is not None}}


def href(ctx: sidebar.Context, page: str, kiosk: bool = False, label: str | None = None, **values) -> str:
    """A relative link to a page (so a base URL path still works); `label` rides in the fragment for a table cell."""
    query = params(ctx, **values)
    if kiosk:
        query.update(kiosk="1", **screen.KIOSK_THEME_PARAMS)
    # The Overview is the default page, served at the root: its own address opens it too (app.py), but there the
    # sidebar does not mark it as the page shown.
    link = f"{'./' if page == 'overview' else page}?{urlencode(query)}"
    return f"{link}#{quote(label, safe='')}" if label else link


def with_context(ctx: sidebar.Context, link: str, kiosk: bool = False) -> str:
    """A link written as 'page?name=value' (a wall view's detail) with the reader's context added."""
    path, _, query = link.partition("?")
    return href(ctx, path, kiosk, **dict(parse_qsl(query)))


def province_href(ctx: sidebar.Context, province_id: str, label: str | None = None, kiosk: bool = False) -> str:
    return href(ctx, "province", kiosk, label, province=province_id)


def indicator_href(ctx: sidebar.Context, indicator_id: str, label: str | None = None, kiosk: bool = False) -> str:
    return href(ctx, "indicators", kiosk, label, indicator=indicator_id)


def quality_href(
    ctx: sidebar.Context, indicator_id: str | None = None, period=None, label: str | None = None, kiosk: bool = False
) -> str:
    period = None if period is None or pd.isna(period) else pd.Timestamp(period).strftime("%Y-%m-%d")
    return href(ctx, "quality", kiosk, label, indicator=indicator_id, period=period)


def province_cells(ctx: sidebar.Context, province_ids, names) -> list[str]:
    """A table column of province names, each linking to its Province page (see `column`)."""
    return [province_href(ctx, p, str(n)) for p, n in zip(province_ids, names, strict=True)]


def indicator_cells(ctx: sidebar.Context, indicator_ids, names) -> list[str]:
    """A table column of indicator names, each linking to its catalogue entry (see `column`)."""
    return [indicator_href(ctx, i, str(n)) for i, n in zip(indicator_ids, names, strict=True)]


def column(label: str, width=None, **kwargs):
    """The column_config of a column of `province_cells` or `indicator_cells`: the name shown, the page behind it.

    Streamlit opens a table's link in a new tab (its LinkColumn); the maps and the page links open in the same
    tab, so Back returns to where the reader was.
    """
    kwargs.setdefault("alignment", "left")  # a name, read as text (a LinkColumn with display text centres it)
    return st.column_config.LinkColumn(label, width=width, display_text=CELL_TEXT, **kwargs)


def cell_text(cell: str) -> str:
    """The text a link cell of `province_cells` or `indicator_cells` shows."""
    return unquote(cell.partition("#")[2]) if "#" in cell else cell


def page_link(ctx: sidebar.Context, page: str, label: str, icon: str | None = None, **values) -> None:
    """st.page_link to one of PAGES, carrying the reader's context and `values` (same tab: Back comes back)."""
    try:
        st.page_link(PAGES[page], label=text.plain(label), icon=icon, query_params=params(ctx, **values))
    except StreamlitPageNotFoundError:  # a page run on its own, outside app.py's navigation: a plain link
        st.markdown(f"[{text.plain(label)}]({href(ctx, page, **values)})")


def province_link(ctx: sidebar.Context, province_id: str, label: str, icon: str = ":material/location_on:") -> None:
    page_link(ctx, "province", label, icon, province=province_id)


def indicator_link(ctx: sidebar.Context, indicator_id: str, label: str, icon: str | None = None) -> None:
    page_link(ctx, "indicators", label, icon, indicator=indicator_id)


def open_province(ctx: sidebar.Context, province_id: str | None) -> None:
    """Go to the Province page of a province in scope (a click on a map or a row), as its link would."""
    if province_id and ctx.scope.allows(province_id):
        go(ctx, "province", province=province_id)


_GO = """<style>.st-key-cockpit-go { display: none; }</style><script>
(() => {
  let tries = 0;
  const timer = setInterval(() => {
    const link = document.querySelector('.st-key-cockpit-go a');
    if (link || ++tries > 100) { clearInterval(timer); if (link) link.click(); }
  }, 30);
})();
</script>"""


def go(ctx: sidebar.Context, page: str, **values) -> None:
    """Open a page from the server as a click on its link does: one entry in the browser's history, so Back
    returns at once. (st.switch_page with query parameters makes two: first the parameters on this page, then
    the page; Back from the province landed on this page with a stray ?province=.)"""
    with st.container(key="cockpit-go"):
        page_link(ctx, page, page, **values)
    st.html(_GO, unsafe_allow_javascript=True)


# --- Sharing a view ------------------------------------------------------------------------------------------------


def share_href(ctx: sidebar.Context, page: str, **choices) -> str:
    """The full link of the view as the reader sees it: the page, the reader's country and language and every
    choice the page shows, its defaults included (a page load no longer writes them into the URL, and a default
    may change: the newest period moves with each publish). Absolute when the browser has told its address."""
    link = href(ctx, page, **choices)
    here = st.context.url  # this page's address without its query; None under AppTest or before the first run
    return urljoin(here, link) if here else link


def share(ctx: sidebar.Context, page: str, **choices) -> None:
    """A 'Share' button: the link of this view (`share_href`) in a box with a copy button, and what it keeps."""
    link = share_href(ctx, page, **choices)
    with st.popover(ctx.tr("Share"), icon=":material/share:"):
        st.caption(ctx.tr("The link to this view with its choices; copy it with the button at its right."))
        st.code(link, language=None, wrap_lines=True)


# --- Quality marks -------------------------------------------------------------------------------------------------


def mark_share() -> float:
    """The share of expected reports under which a figure carries the quality mark (COCKPIT_QUALITY_MARK_SHARE)."""
    return settings.load().quality_mark_share


def marked(completeness) -> bool:
    """Whether a figure resting on this share of the expected reports carries the mark (no share known: no mark)."""
    return completeness is not None and not pd.isna(completeness) and float(completeness) < mark_share()


def marked_label(label: str, completeness) -> str:
    """A figure's text with the mark after it when it rests on too few reports."""
    return f"{label} {MARK}" if marked(completeness) else label


def quality_note(ctx: sidebar.Context, count: int, indicator_id: str | None = None, period=None) -> None:
    """Under a table or map with marked figures: what the mark means, and the Data quality page behind it."""
    if not count:
        return
    share = i18n.percent(100 * mark_share(), ctx.lang, 0)
    st.page_link(
        PAGES["quality"],
        label=ctx.tr(
            "{mark} {n} figures rest on fewer than {share} of the reports expected: see Data quality",
            mark=MARK,
            n=count,
            share=share,
        ),
        icon=":material/fact_check:",
        query_params=params(
            ctx,
            indicator=indicator_id,
            period=None if period is None else pd.Timestamp(period).strftime("%Y-%m-%d"),
        ),
    )
