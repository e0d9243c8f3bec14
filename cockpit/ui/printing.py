"""The print view: a page printed from the browser (its Print button or Ctrl+P) on A4 landscape, without the
sidebar, the header and the controls nobody can press on paper."""

from __future__ import annotations

import html
from typing import TYPE_CHECKING

import pandas as pd
import streamlit as st

if TYPE_CHECKING:  # sidebar.context() draws the stylesheet: importing sidebar here would be a cycle
    from cockpit.ui import sidebar

# Streamlit lays a page out in a scrolling box one screen high: printed as it is, only that screen reaches the paper.
# In print the boxes grow with their content, the sidebar and chrome go, and what is wider than the paper shrinks to it.
# Containers keyed 'noprint…' (st.container(key="noprint-…")) hold what a page does not need on paper, those keyed
# 'paperonly…' what only paper needs (paper_table).
PRINT_CSS = """
<style>
@media print {
  @page { size: A4 landscape; margin: 10mm; }
  html, body { background: white !important; }
  [data-testid="stSidebar"], [data-testid="stSidebarCollapsedControl"], [data-testid="stSidebarCollapseButton"],
  [data-testid="stHeader"], [data-testid="stToolbar"], [data-testid="stDecoration"], [data-testid="stStatusWidget"],
  [data-testid="stMainMenu"], [data-testid="stAppDeployButton"], footer,
  [data-testid="stButton"], [data-testid="stDownloadButton"], [data-testid="stPopover"],
  [data-testid="stLinkButton"], [data-testid="stExpander"], [class*="st-key-noprint"] { display: none !important; }
  .stApp, [data-testid="stApp"], [data-testid="stAppViewContainer"], [data-testid="stMain"],
  [data-testid="stMainBlockContainer"] {
    position: static !important; height: auto !important; min-height: 0 !important; max-height: none !important;
    overflow: visible !important;
  }
  [data-testid="stMain"] { margin-left: 0 !important; }
  [data-testid="stMainBlockContainer"] {
    max-width: 100% !important; width: 100% !important; padding: 0 !important; zoom: var(--cockpit-print-zoom, 1);
  }
  [data-testid="stVerticalBlock"] { gap: 0.5rem !important; }
  /* charts, maps and tables within the page's width */
  [data-testid="stVegaLiteChart"], [data-testid="stEChartsChart"], [data-testid="stPlotlyChart"],
  [data-testid="stDeckGlJsonChart"], [data-testid="stDataFrame"], [data-testid="stTable"], [data-testid="stHtml"],
  [data-testid="stElementContainer"] {
    max-width: 100% !important; overflow: hidden !important;
  }
  canvas, svg, img { max-width: 100% !important; }
  /* a chart, a map, a table, a card or a heading with what follows is not cut across two sheets */
  [data-testid="stVegaLiteChart"], [data-testid="stEChartsChart"], [data-testid="stPlotlyChart"],
  [data-testid="stDeckGlJsonChart"], [data-testid="stMetric"], [data-testid="stHorizontalBlock"] {
    break-inside: avoid;
  }
  h1, h2, h3, [data-testid="stHeading"] { break-after: avoid; }
  .cockpit-paper { border-collapse: collapse; width: 100%; font-size: 10pt; }
  .cockpit-paper th { text-align: left; border-bottom: 2px solid #444; padding: 2px 6px; }
  .cockpit-paper td { border-bottom: 1px solid #ccc; padding: 2px 6px; }
  .cockpit-paper tr { break-inside: avoid; }
  * { -webkit-print-color-adjust: exact !important; print-color-adjust: exact !important; }
}
@media screen { [class*="st-key-paperonly"] { display: none !important; } }
</style>
"""

# A click on the Print button prints the page in the browser (Streamlit has no API for it): one listener on the
# document, added once, that catches the button's click before Streamlit sends it to the server.
PRINT_JS = """<script>
(() => {
  if (window.cockpitPrint) return;
  window.cockpitPrint = true;
  // Tables and maps are canvases drawn for the screen's width: printed on a narrower sheet they were cut at its
  // edge. The page is laid out on paper as wide as on screen and scaled down to the sheet (277 mm: A4 landscape
  // less its margins), so each canvas keeps the width it was drawn for.
  window.addEventListener('beforeprint', () => {
    const main = document.querySelector('[data-testid="stMainBlockContainer"]');
    const paper = 277 * 96 / 25.4;
    const zoom = main ? Math.min(1, paper / main.getBoundingClientRect().width) : 1;
    document.documentElement.style.setProperty('--cockpit-print-zoom', String(zoom));
  });
  window.addEventListener('afterprint', () => document.documentElement.style.removeProperty('--cockpit-print-zoom'));
  document.addEventListener('click', (event) => {
    if (!event.target.closest('.st-key-cockpit-print')) return;
    event.preventDefault();
    event.stopPropagation();
    window.print();
  }, true);
})();
</script>"""


def stylesheet() -> None:
    """The print stylesheet, once per page run (sidebar.context() puts it on every page)."""
    st.html(PRINT_CSS)


def button(ctx: sidebar.Context) -> None:
    """A 'Print' button: the browser's print dialog, on A4 landscape with the print stylesheet."""
    # No gap between the script's empty element and the button: with one, the button sat a gap lower than the
    # buttons beside it (below the button, the script lifted it off its row).
    with st.container(gap=None, width="content"):
        st.html(PRINT_JS, unsafe_allow_javascript=True)
        st.button(
            ctx.tr("Print"),
            icon=":material/print:",
            key="cockpit-print",
            help=ctx.tr("Prints this page on A4 landscape, without the sidebar and the buttons."),
        )


def paper_table(frame: pd.DataFrame, key: str, cell_css: dict[str, pd.Series] | None = None) -> None:
    """`frame`'s every row on paper, where the page shows it in a data grid: a grid is a canvas one screen high, so
    a printed Overview showed the first 17 of 77 provinces. A plain table, hidden on screen; its cells are text
    (escaped here), `cell_css` paints a column's cells (a status in its colour). Put the grid in a container keyed
    'noprint-…' beside it."""
    cell_css = cell_css or {}
    head = "".join(f"<th>{html.escape(str(c))}</th>" for c in frame.columns)
    # Column by column, as lists: a cell read with .iloc cost 8 ms a run for the Overview's 77 rows.
    columns = [
        [_cell(value, css) for value, css in zip(frame[column], cell_css.get(column, [""] * len(frame)), strict=True)]
        for column in frame.columns
    ]
    rows = ["<tr>" + "".join(cells) + "</tr>" for cells in zip(*columns, strict=True)]
    with st.container(key=f"paperonly-{key}"):
        st.html(f'<table class="cockpit-paper"><thead><tr>{head}</tr></thead><tbody>{"".join(rows)}</tbody></table>')


def _cell(value, css: str) -> str:
    """A table cell of `value` as plain text (escaped), painted with `css` if any."""
    text = "" if value is None or (not isinstance(value, str) and pd.isna(value)) else str(value)
    style = f' style="{html.escape(css)}"' if css else ""
    return f"<td{style}>{html.escape(text)}</td>"
