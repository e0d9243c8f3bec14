"""A provincial office's laptop (1366×768): on every page, in Thai, Lao and English, no text is cut off by its box
(in a table: no figure, status, date or heading; long names may end at their cell's edge, NAME_COLUMNS), no wall's
question is squeezed to a word a line, and the page never scrolls sideways (measured in headless Chromium)."""

import pandas as pd
import pytest
from conftest import DATA_DIR, NON_LOCAL, start_streamlit, stop_streamlit
from identities import secretary
from page_checks import OVERFLOW_JS, WALL_CUT_JS
from streamlit_wait import RUN_MESSAGES_JS, after_its_run, wait_for_streamlit

from cockpit import i18n
from cockpit.data import db
from cockpit.meeting import decisions
from cockpit.publish import versions as publishing
from cockpit.state import store

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

# Tables are drawn on a canvas, so no element tells that a cell's text is wider than the cell: this script, run before
# the page's own, follows each canvas context's clip (save/restore, rect, clip) and notes every text drawn with the
# clip it is drawn in. Grids draw on offscreen canvases copied onto the page's (drawImage): each is traced to the
# canvas it ends up on.
CANVAS_TEXT_JS = """(() => {
  const P = CanvasRenderingContext2D.prototype;
  const state = new WeakMap();  // context -> its clip, the clips saved, the rectangle of the path being made
  const owner = new WeakMap();  // offscreen canvas -> the canvas it is copied onto
  window.__canvasText = [];
  const of = (ctx) => {
    if (!state.has(ctx)) state.set(ctx, {clip: null, stack: [], rect: null});
    return state.get(ctx);
  };
  const onPage = (ctx, x, y) => {
    const m = ctx.getTransform();
    return [m.a * x + m.c * y + m.e, m.b * x + m.d * y + m.f];
  };
  const wrap = (name, note) => {
    const original = P[name];
    P[name] = function (...args) { note(this, args); return original.apply(this, args); };
  };
  wrap('save', (c) => { const s = of(c); s.stack.push(s.clip); });
  wrap('restore', (c) => { const s = of(c); s.clip = s.stack.length ? s.stack.pop() : null; });
  wrap('beginPath', (c) => { of(c).rect = null; });
  wrap('rect', (c, [x, y, w, h]) => {
    const [l, t] = onPage(c, x, y), [r, b] = onPage(c, x + w, y + h);
    of(c).rect = {l, t, r, b};
  });
  wrap('clip', (c) => {
    const s = of(c), o = s.clip, n = s.rect;
    if (!n) return;
    s.clip = o ? {l: Math.max(o.l, n.l), t: Math.max(o.t, n.t), r: Math.min(o.r, n.r), b: Math.min(o.b, n.b)} : n;
  });
  wrap('drawImage', (c, [source]) => {
    if (source instanceof HTMLCanvasElement || source instanceof OffscreenCanvas) owner.set(source, c.canvas);
  });
  wrap('fillText', (c, [text, x, y]) => {
    const s = of(c);
    if (!s.clip || !String(text).trim()) return;
    const w = c.measureText(text).width, align = c.textAlign;
    const left = align === 'right' || align === 'end' ? x - w : align === 'center' ? x - w / 2 : x;
    const [l, top] = onPage(c, left, y), [r] = onPage(c, left + w, y);
    window.__canvasText.push({canvas: c.canvas, text: String(text), l, r, y: top, clip: s.clip});
  });
  window.__canvasOwner = (canvas) => {
    for (let hops = 0; owner.has(canvas) && hops < 5; hops++) canvas = owner.get(canvas);
    return canvas;
  };
})();"""

# A wall's question squeezed beside its status chip in a narrow view: fewer than seven of its letters' widths a line
# ("“โรงเรียน / ดีประจำ / อำเภอ / (หนึ่ง / …" on eleven lines, in four views a row at 1366 px).
# And a wall's title squeezed by its stamp onto more than two lines: the sources overdue, named on one line, left
# "ผนังน้ำเงิน: ขีดความ / สามารถ · …" on six.
SQUEEZED_JS = """() => [...document.querySelectorAll('.wr-head .wr-q')]
  .filter((q) => q.offsetParent && q.getBoundingClientRect().width < 7 * parseFloat(getComputedStyle(q).fontSize) - 1)
  .map((q) => `question squeezed to ${Math.round(q.getBoundingClientRect().width)} px: ${q.textContent.slice(0, 40)}`)
  .concat([...document.querySelectorAll('.wr-topbar .wr-title')]
    .filter((t) => t.getBoundingClientRect().height > 2.5 * parseFloat(getComputedStyle(t).lineHeight))
    .map((t) => `wall title squeezed to ${Math.round(t.getBoundingClientRect().width)} px: ${t.textContent.trim()}`))
"""

# The next page, within the app as Back and Forward go (Streamlit runs the page the address names): the canvas texts
# of the page before are forgotten.
GO_JS = """(address) => {
  window.__canvasText = [];
  history.pushState(null, '', address);
  window.dispatchEvent(new PopStateEvent('popstate'));
}"""

# Each table's texts wider than their cell, by the cell's column heading: the last drawing of each cell only (a
# grid redraws as the page settles).
CUT_JS = """() => {
  const tables = [...document.querySelectorAll('[data-testid="stDataFrame"]')];
  const last = new Map();
  for (const e of window.__canvasText) {
    const canvas = window.__canvasOwner(e.canvas);
    const table = canvas.closest ? canvas.closest('[data-testid="stDataFrame"]') : null;
    if (!table || !table.offsetParent) continue;
    const index = tables.indexOf(table);
    // By its clip's top too: a row scrolled under the headings is drawn at their height (rows of three lines put
    // "Nan" where "Where" was written, and the column lost its heading).
    last.set(`${index}|${Math.round(e.clip.l)}|${Math.round(e.clip.t)}|${Math.round(e.y)}`, {...e, table: index});
  }
  const drawn = [...last.values()];
  const top = new Map();
  for (const e of drawn) top.set(e.table, Math.min(top.get(e.table) ?? Infinity, e.clip.t));
  const headers = drawn.filter((e) => e.clip.t === top.get(e.table));
  const cut = [];
  for (const e of drawn) {
    const over = Math.max(e.r - e.clip.r, e.clip.l - e.l);
    if (over <= 2) continue;
    const middle = (e.clip.l + e.clip.r) / 2;
    const head = headers.find((h) => h.table === e.table && h.clip.l <= middle && middle <= h.clip.r);
    cut.push({table: e.table, header: head ? head.text : '', text: e.text, isHeader: e.clip.t === top.get(e.table),
              over: Math.round(over), width: Math.round(e.clip.r - e.clip.l)});
  }
  return cut;
}"""

# A grid draws the rows in its view only: each grid taller than its box is scrolled a box at a time (`step` boxes
# down), and the page is read again once the grid has drawn (two animation frames). A status cut in the Overview's
# 60th row went unseen before.
SCROLL_GRIDS_JS = """async (step) => {
  let moved = false;
  for (const s of document.querySelectorAll('[data-testid="stDataFrame"] .dvn-scroller')) {
    const top = Math.min(step * s.clientHeight, s.scrollHeight - s.clientHeight);
    if (top > s.scrollTop) { s.scrollTop = top; moved = true; }
  }
  await new Promise((done) => requestAnimationFrame(() => requestAnimationFrame(done)));
  return moved;
}"""


def cut_in_grids(page) -> list[dict]:
    """What CUT_JS finds in every row of every grid, each grid scrolled through."""
    cut = page.evaluate(CUT_JS)
    step = 1
    while page.evaluate(SCROLL_GRIDS_JS, step):
        cut += [c for c in page.evaluate(CUT_JS) if c not in cut]
        step += 1
    return cut


# Every page in every language, each visit within the app after the first (GO_JS), 40 s on this machine (a
# new page load for each visit made 14 of them, one language per page, take 70–90 s).
VISITS = [(path, country, lang) for country, lang in LANGS for path in PAGES]
# Views a page shows only with a choice in its URL, each visited in th, lo and en: the Policies page with a policy and
# a province chosen (its progress, milestones, what it reported, its districts), and by district with no province
# chosen (the district table then carries a province column); Bangkok's review (a secondary-ESA column); a province's
# points in the League table explained.
CHOSEN = {
    "th": [
        "policies?policy=one_district_one_quality_school&province=48",
        "policies?policy=one_district_one_quality_school&level=district",
        "province?province=10",  # Bangkok: its districts in two secondary ESAs, a column more in their table
        "league?province=67",  # a province's points explained (its last three columns ran past the edge)
    ],
    "lo": [
        "policies?policy=teacher_deployment&province=LA-PH",
        "policies?policy=priority_district_completion&province=LA-PH",
        "policies?policy=priority_district_completion&level=district",
        "league?province=LA-SV",
    ],
}
CHOSEN["en"] = CHOSEN["th"]
VISITS += [(view, country, lang) for country, lang in LANGS for view in CHOSEN[lang]]


# What a meeting decided, as long as a secretary writes it, with its owner: on a state store of the test's own the
# Decisions page always lists some (on the suite's shared store it listed them only after the war-room tests).
DECIDED = {
    "th": ("ให้สำนักงานเขตพื้นที่การศึกษาที่มีอัตราการเข้าเรียนก่อนประถมต่ำสุดเสนอแผนเร่งรัดภายในสองสัปดาห์", "รองปลัดกระทรวงศึกษาธิการ"),
    "la": ("ໃຫ້ພະແນກສຶກສາທິການ ແລະ ກິລາແຂວງ ສົ່ງແຜນເລັ່ງລັດການເຂົ້າຮຽນກ່ອນໄວຮຽນພາຍໃນສອງອາທິດ", "ຮອງລັດຖະມົນຕີ ກະຊວງສຶກສາທິການ ແລະ ກິລາ"),
}


@pytest.fixture(scope="module")
def measured(browser, tmp_path_factory):
    """The pages visited, one server and one browser context: what overflows, per (page, language)."""
    state_url = "sqlite:///" + str(tmp_path_factory.mktemp("laptop") / "state.db")
    engine = store.engine(state_url)
    for country, (text, owner) in DECIDED.items():
        publishing.evaluate_alerts(db.get(), country, state_url)
        decisions.record(engine, country, text, owner, "indicator", "ger_pre_primary", secretary("Secretary", country))
    engine.dispose()
    proc, url, _log = start_streamlit({"COCKPIT_STATE_URL": state_url})
    found, titles, outside, cut, nav = {}, {}, [], {}, {}
    try:
        ctx = browser.new_context(viewport={"width": 1366, "height": 768})
        ctx.add_init_script(CANVAS_TEXT_JS)
        ctx.add_init_script(RUN_MESSAGES_JS)
        ctx.route(NON_LOCAL, lambda route: (outside.append(route.request.url), route.abort()))
        page = ctx.new_page()
        for n, (path, country, lang) in enumerate(VISITS):
            path_only, _, chosen = path.partition("?")
            address = f"{url}/{path_only}?country={country}&lang={lang}" + (f"&{chosen}" if chosen else "")
            if n == 0:
                page.goto(address)
                wait_for_streamlit(page)
            else:  # within the app, as Back and Forward go: the same findings, 0.8 s a visit instead of 2
                after_its_run(page, lambda address=address: page.evaluate(GO_JS, address))
            found[path, lang] = page.evaluate(OVERFLOW_JS)
            if path.startswith("wall-"):  # and on a wall off the wall, where its views grow: no name cut short
                found[path, lang] += page.evaluate(WALL_CUT_JS) + page.evaluate(SQUEEZED_JS)
            titles[path, lang] = page.title()
            cut[path, lang] = cut_in_grids(page)
            nav[path, lang] = (
                page.locator('[data-testid="stSidebarNavLink"]:visible').count(),
                page.locator('[data-testid="stSidebarNavViewButton"]').count(),
            )
        ctx.close()
    finally:
        stop_streamlit(proc)
    return found, titles, outside, cut, nav


@pytest.mark.parametrize(("path", "lang"), [(path, lang) for path, _country, lang in VISITS])
def test_no_text_overflows_at_1366(measured, path, lang):
    found = measured[0][path, lang]
    assert not found, f"/{path} in {lang} at 1366×768:\n" + "\n".join(found)


def test_the_tab_is_titled_in_the_readers_language_and_nothing_is_fetched_from_the_internet(measured):
    """The favicon is the app's own file (an emoji or a Material icon would be fetched from a CDN)."""
    titles, outside = measured[1], measured[2]
    for (path, lang), title in titles.items():
        assert title.endswith(" · " + i18n.tr(lang, "Education Management Cockpit")), (path, lang, title)
    assert not outside, sorted(set(outside))


def test_every_page_the_role_sees_is_listed_in_the_sidebar(measured):
    """No page hidden behind Streamlit's "View 7 more" button, which is written in English whatever the language; and
    none the role does not see, even in a new session's first page list (each visit is a new session)."""
    from cockpit.users import accounts

    nav = measured[4]
    secretary = accounts.demo_identity("meeting_secretary")  # the suite's demo account
    assert not secretary.sees("data") and not secretary.sees("audit") and secretary.sees("warroom")
    pages = len(PAGES) + 1  # and the war room; not Data and Audit
    assert {key: counts for key, counts in nav.items() if counts != (pages, 0)} == {}


# Columns of names and notes, by their headings: a KPI's or a policy's full name is longer than any column a laptop
# has room for, and Thai and Lao do not wrap in a table cell (no spaces between words: the grid would break them
# mid-word), so they end at the cell's edge and are read whole in the row's detail, the map and the tooltips. Every
# other column (figures, statuses, dates, periods, counts) is read whole, and so is every heading but an area's name
# heading a column of figures (the Region page's provinces: each named in full in its heading's help).
NAME_COLUMNS = [
    "KPI",
    "Indicator",
    "Alert",
    "Where",
    "Province",
    "District",
    "Component",
    "Source",
    "Response",
    "Programme, policy, project",
    "Policy or project",
    "Why (latest note)",
    "Decision",  # what a meeting decided and who acts on it, as typed: whole in the decision's detail
    "Owner",
    "About",  # what a decision is about: an area's, a KPI's, a policy's or an alert's name
]


@pytest.fixture(scope="module")
def area_names():
    names = set()
    for country in ("th", "la"):
        areas = pd.read_parquet(DATA_DIR / country / "areas.parquet", columns=["name_en", "name_local"])
        names |= set(areas["name_en"]) | set(areas["name_local"])
    return names


@pytest.mark.parametrize(("path", "lang"), [(path, lang) for path, _country, lang in VISITS])
def test_no_figure_status_or_heading_is_cut_in_a_table_at_1366(measured, area_names, path, lang):
    named = {i18n.tr(lang, heading) for heading in NAME_COLUMNS}
    cut = [
        f"table {c['table']}, column {c['header']!r}: {c['text'][:40]!r} {c['over']} px wider than its {c['width']}"
        for c in measured[3][path, lang]
        if not (c["header"] in named and not c["isHeader"]) and not (c["isHeader"] and c["text"] in area_names)
    ]
    assert not cut, f"/{path} in {lang} at 1366×768:\n" + "\n".join(cut)


def test_an_offices_walls_keep_their_titles_whole_beside_an_overdue_stamp(browser):
    """An office's walls name its area after their title; beside the sources overdue, named on one line, REO 17's
    Blue wall title took six lines in a third of the bar on an office's 1280×1024 screen (the wall's letters grow
    with the screen's height). The overdue names wrap under the stamp instead."""
    proc, url, _log = start_streamlit({"COCKPIT_DEMO_ACCOUNT": "regional_office"})
    try:
        page = browser.new_page(viewport={"width": 1280, "height": 1024})
        found = []
        for path in ("wall-results", "wall-crises", "wall-capacity", "wall-policies"):
            page.goto(f"{url}/{path}?lang=th")
            wait_for_streamlit(page)
            # The views' questions at 1280 px: four views a row narrower than seven letters of its height's font
            # (the walls are designed for 1080p and 4K, the laptop pages for 1366×768); the title is what is asked.
            found += [f"{path}: {f}" for f in page.evaluate(SQUEEZED_JS) if f.startswith("wall title")]
        assert page.locator(".wr-title .wr-area").count() == 1  # the office's area named (the last wall visited)
        page.close()
    finally:
        stop_streamlit(proc)
    assert not found, found
