"""A provincial office's laptop (1366×768): on every page, in Thai, Lao and English, no text is cut off by its box
and the page never scrolls sideways (measured in headless Chromium)."""

import os

import pytest
from conftest import NON_LOCAL, start_streamlit, stop_streamlit
from streamlit_wait import wait_for_streamlit

from cockpit import i18n

pytestmark = pytest.mark.browser

# The pages a regional or provincial office reads (the Data and Audit pages are for stewards and administrators,
# on a desk; the war room rotates the walls, visited one by one here).
PAGES = [
    "",  # the Overview
    "alerts",
    "decisions",
    "wall-results",
    "wall-crises",
    "wall-capacity",
    "wall-policies",
    "province",
    "region",
    "explore",
    "indicators",
    "quality",
    "policies",
    "league",
]
LANGS = [("th", "th"), ("la", "lo"), ("th", "en")]

# Text elements whose content is wider than their box: cut (an ellipsis, a hidden overflow) or spilling over what
# is beside them. Tables are drawn on a canvas: theirs is measured by the grid's own horizontal scroll.
OVERFLOW_JS = """() => {
  const main = document.querySelector('[data-testid="stMain"]');
  const texts = main.querySelectorAll([
    'h1', 'h2', 'h3', 'h4', '[data-testid="stMetricLabel"]', '[data-testid="stMetricLabel"] *',
    '[data-testid="stMetricValue"]', '[data-testid="stMetricValue"] *', '[data-testid="stMetricDelta"] *',
    'button[role="tab"]', 'button[role="tab"] *', '[data-testid="stButton"] button',
    '[data-testid="stButton"] button *', '[data-testid="stLinkButton"] a', '[data-testid="stLinkButton"] a *',
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

# The whole matrix is 14 pages × 3 languages, about four minutes on two cores: the suite visits each page once,
# in th, lo and en in turn (the Province page in Lao, the Overview in Thai); COCKPIT_LAPTOP_ALL=1 visits them all.
# The views chosen through the URL (below) are visited in all three languages either way.
if os.environ.get("COCKPIT_LAPTOP_ALL"):
    VISITS = [(path, country, lang) for country, lang in LANGS for path in PAGES]
else:
    VISITS = [(path, *LANGS[i % len(LANGS)]) for i, path in enumerate(PAGES)]
# Views a page shows only with a choice in its URL, each visited in th, lo and en: the Policies page with a policy and
# a province chosen (its progress, milestones, what it reported, its districts), and by district with no province
# chosen (the district table then carries a province column).
CHOSEN = {
    "th": [
        "policies?policy=one_district_one_quality_school&province=48",
        "policies?policy=one_district_one_quality_school&level=district",
    ],
    "lo": [
        "policies?policy=teacher_deployment&province=LA-PH",
        "policies?policy=priority_district_completion&province=LA-PH",
        "policies?policy=priority_district_completion&level=district",
    ],
}
CHOSEN["en"] = CHOSEN["th"]
VISITS += [(view, country, lang) for country, lang in LANGS for view in CHOSEN[lang]]


@pytest.fixture(scope="module")
def measured(browser):
    """The pages visited, one server and one browser context: what overflows, per (page, language)."""
    proc, url, _log = start_streamlit()
    found, titles, outside = {}, {}, []
    try:
        ctx = browser.new_context(viewport={"width": 1366, "height": 768})
        ctx.route(NON_LOCAL, lambda route: (outside.append(route.request.url), route.abort()))
        page = ctx.new_page()
        for path, country, lang in VISITS:
            path_only, _, chosen = path.partition("?")
            page.goto(f"{url}/{path_only}?country={country}&lang={lang}" + (f"&{chosen}" if chosen else ""))
            wait_for_streamlit(page)
            found[path, lang] = page.evaluate(OVERFLOW_JS)
            titles[path, lang] = page.title()
        ctx.close()
    finally:
        stop_streamlit(proc)
    return found, titles, outside


@pytest.mark.parametrize(("path", "lang"), [(path, lang) for path, _country, lang in VISITS])
def test_no_text_overflows_at_1366(measured, path, lang):
    found = measured[0][path, lang]
    assert not found, f"/{path} in {lang} at 1366×768:\n" + "\n".join(found)


def test_the_tab_is_titled_in_the_readers_language_and_nothing_is_fetched_from_the_internet(measured):
    """The favicon is the app's own file (an emoji or a Material icon would be fetched from a CDN)."""
    _found, titles, outside = measured
    for (path, lang), title in titles.items():
        assert title.endswith(" · " + i18n.tr(lang, "Education Management Cockpit")), (path, lang, title)
    assert not outside, sorted(set(outside))
