"""What browser tests measure on a page, in Chromium."""

# Text elements whose content is wider than their box: cut (an ellipsis, a hidden overflow) or spilling over what
# is beside them. Tables are drawn on a canvas: theirs is measured by the grid's own horizontal scroll.
OVERFLOW_JS = """() => {
  const main = document.querySelector('[data-testid="stMain"]');
  const texts = main.querySelectorAll([
    'h1', 'h2', 'h3', 'h4', '[data-testid="stMetricLabel"]', '[data-testid="stMetricLabel"] *',
    '[data-testid="stMetricValue"]', '[data-testid="stMetricValue"] *', '[data-testid="stMetricDelta"] *',
    'button[role="tab"]', 'button[role="tab"] *', '[data-testid="stButton"] button',
    '[data-testid="stButton"] button *', '[data-testid="stDownloadButton"] button',
    '[data-testid="stDownloadButton"] button *', '[data-testid="stPopover"] button',
    '[data-testid="stPopover"] button *', '[data-testid="stLinkButton"] a', '[data-testid="stLinkButton"] a *',
    '[data-testid="stPageLink"] a *', '[data-testid="stCaptionContainer"]', '[data-testid="stCaptionContainer"] *',
    '[data-testid="stWidgetLabel"] *', '[data-testid="stMarkdownContainer"] p', 'td', 'th',
  ].join(','));
  const name = (el) => {
    let box = el.closest('[data-testid]');
    return (box ? box.dataset.testid : el.tagName) + ' ' + el.tagName.toLowerCase();
  };
  const found = [];
  for (const el of texts) {
    if (!el.offsetParent || el.clientWidth === 0) continue;
    if (getComputedStyle(el).display === 'inline') continue;
    if (el.scrollWidth > el.clientWidth + 1)
      found.push(`${name(el)} "${el.innerText.trim().slice(0, 40)}" ${el.scrollWidth}>${el.clientWidth}`);
  }
  for (const grid of main.querySelectorAll('[data-testid="stDataFrame"] .dvn-scroller')) {
    if (grid.scrollWidth > grid.clientWidth + 1) {
      const heads = [...grid.closest('[data-testid="stDataFrame"]').querySelectorAll('[role="columnheader"]')];
      const named = heads.slice(0, 3).map((h) => h.innerText.trim()).join(' | ');
      found.push(`stDataFrame "${named}" ${grid.scrollWidth}>${grid.clientWidth}`);
    }
  }
  const doc = document.documentElement;
  if (doc.scrollWidth > window.innerWidth) found.push(`page ${doc.scrollWidth}>${window.innerWidth}`);
  if (main.scrollWidth > main.clientWidth + 1) found.push(`stMain ${main.scrollWidth}>${main.clientWidth}`);
  return found;
}"""

# On a wall: what a view's edge cuts. A view whose content runs past its foot (a KPI's sparkline, its last line), a
# list row half below the edge (a province's name with its figure cut away), and
# a name given more than one line cut short all the same (a policy's, an incident's state, who acts on an alert).
WALL_CUT_JS = """() => {
  const found = [];
  for (const view of document.querySelectorAll('.wr-view')) {
    if (view.scrollHeight > view.clientHeight + 1)
      found.push(`${view.dataset.view}: runs ${view.scrollHeight - view.clientHeight} px past its foot`);
    const edge = view.getBoundingClientRect().bottom;
    for (const row of view.querySelectorAll('.wr-row')) {
      const box = row.getBoundingClientRect();
      if (box.top < edge - 1 && box.bottom > edge + 1)
        found.push(`${view.dataset.view}: row "${row.innerText.trim().slice(0, 30)}" cut by the edge`);
    }
  }
  for (const name of document.querySelectorAll('.wr-wrap')) {
    if (name.scrollHeight > name.clientHeight + 1 || name.scrollWidth > name.clientWidth + 1)
      found.push(`name "${name.innerText.trim().slice(0, 30)}" cut`);
  }
  return found;
}"""
