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

# On a wall: what a view's edge cuts. A view whose content runs past its foot (a KPI's sparkline, its last line); a
# line of text half below the foot of the box that clips it, the view or a part of it (a list row with its figure cut
# away, the goal tree's last target); and a name given more than one line cut short all the same (a policy's, an
# incident's state, who acts on an alert); a figure running past its view's side, or a count into the next. A line
# wholly out of sight (a list's rows beyond the view, wrapped into a column to its right) is not cut.
WALL_CUT_JS = """() => {
  const found = [];
  for (const view of document.querySelectorAll('.wr-view')) {
    if (view.scrollHeight > view.clientHeight + 1)
      found.push(`${view.dataset.view}: runs ${view.scrollHeight - view.clientHeight} px past its foot`);
    for (const line of view.querySelectorAll('*')) {
      if (line.children.length || !line.textContent.trim()) continue;
      const box = line.getBoundingClientRect();
      let clip = null;
      for (let outer = line.parentElement; outer && outer !== view.parentElement; outer = outer.parentElement) {
        if (getComputedStyle(outer).overflow === 'visible') continue;
        const r = outer.getBoundingClientRect();
        clip = clip ? {right: Math.min(clip.right, r.right), bottom: Math.min(clip.bottom, r.bottom)} : r;
      }
      if (!clip || box.left >= clip.right - 1) continue;
      if (box.top < clip.bottom - 1 && box.bottom > clip.bottom + 1)
        found.push(`${view.dataset.view}: "${line.textContent.trim().slice(0, 30)}" cut at the foot`);
    }
    const side = view.getBoundingClientRect().right;
    for (const figure of view.querySelectorAll('.wr-big, .wr-mid, .wr-num')) {
      const text = document.createRange();
      text.selectNodeContents(figure);
      const box = text.getBoundingClientRect();
      if (box.left < side - 1 && box.right > side + 1)
        found.push(`${view.dataset.view}: figure "${figure.textContent.trim()}" cut at the side`);
    }
    for (const count of view.querySelectorAll('.wr-count')) {
      const text = document.createRange();
      text.selectNodeContents(count);
      if (text.getBoundingClientRect().right > count.getBoundingClientRect().right + 1)
        found.push(`${view.dataset.view}: count "${count.textContent.trim()}" runs into the next`);
    }
  }
  for (const name of document.querySelectorAll('.wr-wrap')) {
    if (name.scrollHeight > name.clientHeight + 1 || name.scrollWidth > name.clientWidth + 1)
      found.push(`name "${name.innerText.trim().slice(0, 30)}" cut`);
  }
  return found;
}"""
