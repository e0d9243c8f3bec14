"""The walls' HTML pieces (view cards, figures, sparklines, bars, status maps as SVG), built as escaped
strings."""

from __future__ import annotations

import base64
import functools
import html
import math
from collections.abc import Iterable

import pandas as pd

from cockpit import i18n
from cockpit.data import geo, indicators
from cockpit.meeting import walls as _walls
from cockpit.ui import links, screen, sidebar

WALL_CSS = """
<style>
  .wr { --wr-gap: 1vh; color: inherit; }
  .wr a { color: inherit; text-decoration: none; }
  .wr a:hover { text-decoration: underline; }
  .wr-grid { display: grid; gap: 1.1vh 0.8vw; }
  .wr-kiosk .wr-grid { height: var(--wr-h, 75vh); }
  .wr-countdown { white-space: nowrap; overflow: hidden; text-overflow: ellipsis; opacity: 0.7;
    font-size: 0.85rem; }
  .wr-view { position: relative; min-height: 0; min-width: 0; overflow: hidden; display: flex; flex-direction: column;
    gap: 0.7vh; padding: 1.1vh 0.9vw 1vh 1.1vw; border-radius: 6px; background: rgba(128, 128, 128, 0.09);
    border-left: 0.75vh solid var(--wr-c); }
  .wr-plain .wr-view { min-height: 16rem; }
  .wr-q { font-weight: 700; font-size: clamp(15px, 2.1vh, 64px); line-height: 1.22; }
  .wr-q .wr-go { opacity: 0.55; font-weight: 400; }
  /* The question keeps seven of its letters' widths a line at least: in a narrow view (four in a row on a laptop) the
     status chip goes under it rather than squeeze it to a word a line. */
  .wr-head { display: flex; flex-wrap: wrap; justify-content: space-between; align-items: flex-start;
    gap: 0.4vh 0.6vw; }
  .wr-head .wr-q { flex: 1 1 7em; min-width: 0; }
  .wr-chip { flex: none; display: inline-block; white-space: nowrap; font-size: clamp(11px, 1.45vh, 44px);
    font-weight: 700; padding: 0.15vh 0.5vw; border-radius: 4px; background: var(--wr-c); color: #fff; }
  .wr-big { font-size: clamp(28px, 6vh, 180px); font-weight: 700; line-height: 1.02; letter-spacing: -0.01em; }
  .wr-kiosk .wr-big { color: var(--wr-c); }
  .wr-valrow { display: flex; align-items: center; gap: 1vw; }
  .wr-valrow .wr-spark { flex: 1; min-width: 0; }
  .wr-mid { font-size: clamp(20px, 3.6vh, 110px); font-weight: 700; line-height: 1.05; }
  .wr-sub { font-size: clamp(12px, 1.65vh, 50px); opacity: 0.82; line-height: 1.3; }
  .wr-small { font-size: clamp(11px, 1.45vh, 44px); opacity: 0.75; line-height: 1.3; }
  .wr-one { white-space: nowrap; overflow: hidden; text-overflow: ellipsis; }
  .wr-row { display: flex; align-items: baseline; gap: 0.5vw; font-size: clamp(12px, 1.7vh, 52px); line-height: 1.3;
    padding: 0.25vh 0; border-bottom: 1px solid rgba(128, 128, 128, 0.18); min-width: 0; }
  .wr-row:last-child { border-bottom: none; }
  /* A list at a view's foot on the wall: the rows that fit the view's height, each whole (the rest wraps into a
     column out of sight), never the top half of one cut by the view's edge. */
  .wr-kiosk .wr-fit { flex: 1 1 0; min-height: 0; display: flex; flex-direction: column; flex-wrap: wrap;
    align-content: flex-start; overflow: hidden; }
  .wr-kiosk .wr-fit > * { width: 100%; }
  .wr-row .wr-grow { flex: 1; min-width: 0; overflow: hidden; text-overflow: ellipsis; white-space: nowrap; }
  /* A name on more lines (row_html lines=), where its view has the room: long Thai and Lao names, notes after them. */
  .wr-row .wr-grow.wr-wrap { white-space: normal; display: -webkit-box; -webkit-box-orient: vertical; }
  /* Off the wall a view grows with its rows (the page scrolls): such a name is never cut. */
  .wr-plain .wr-row .wr-grow.wr-wrap { display: block; -webkit-line-clamp: none !important; }
  .wr-row .wr-num { font-variant-numeric: tabular-nums; white-space: nowrap; font-weight: 600; }
  .wr-big-dot { width: 2.4vh !important; height: 2.4vh !important; vertical-align: middle; }
  .wr-dot { flex: none; display: inline-block; width: 1.1vh; height: 1.1vh; min-width: 9px; min-height: 9px;
    border-radius: 50%; background: var(--wr-c); }
  .wr-tiles { display: grid; gap: 0.8vh 0.8vw; flex: 0 0 auto; }
  /* A tile's figure among others is sized to the screen's height, and never wider than its tile: a narrow tile (two
     in a view, on a laptop) cut "217,363" at its view's edge. */
  .wr-tile { min-width: 0; display: flex; flex-direction: column; gap: 0.3vh; container-type: inline-size; }
  .wr-tile .wr-mid { font-size: min(clamp(20px, 3.6vh, 110px), 22cqi); }
  /* Tiles that are their view's whole body, on the wall: they share its height, and a tile's lines beyond it (its
     sparkline first, then its notes) wrap into a column out of sight instead of being cut by the view's edge. */
  .wr-kiosk .wr-tiles.wr-filling { flex: 1 1 0; min-height: 0; grid-auto-rows: minmax(0, 1fr); }
  .wr-kiosk .wr-filling > .wr-tile { min-height: 0; overflow: hidden; }
  .wr-kiosk .wr-filling > .wr-tile > .wr-tile { flex: 1 1 0; min-height: 0; flex-wrap: wrap; align-content: flex-start;
    overflow: hidden; }
  .wr-kiosk .wr-filling > .wr-tile > .wr-tile > * { width: 100%; }
  .wr-tile .wr-name { font-size: clamp(12px, 1.6vh, 48px); font-weight: 600; line-height: 1.2; }
  .wr-spark { width: 100%; height: 4.5vh; min-height: 32px; display: block; }
  .wr-kiosk .wr-spark { height: 5vh; }
  .wr-bar { position: relative; height: 1.5vh; min-height: 10px; border-radius: 3px;
    background: rgba(128, 128, 128, 0.22); }
  .wr-barline { display: flex; align-items: center; gap: 0.6vw; font-size: clamp(12px, 1.7vh, 52px); }
  .wr-barline .wr-bar { flex: 1; }
  .wr-bar > span { position: absolute; left: 0; top: 0; bottom: 0; border-radius: 3px; background: var(--wr-c); }
  .wr-bar > i { position: absolute; top: -0.35vh; bottom: -0.35vh; width: 2px; background: currentColor; opacity: 0.8; }
  .wr-map { flex: 1; min-height: 0; width: 100%; }
  .wr-map-img { width: 100%; height: 100%; display: block; object-fit: contain; }
  /* Off the wall a view is as tall as the tallest of its row: the map under its summary, not floating mid-view. */
  .wr-plain .wr-map-img { object-position: center top; }
  /* Each count as wide as its figure or its word, on a second line when a narrow view has no room: in equal quarters
     "115" ran into its neighbour on a laptop. */
  .wr-counts { display: flex; flex-wrap: wrap; justify-content: space-between; gap: 0.3vh 0.6vw; }
  .wr-counts > .wr-count { flex: 0 0 auto; }
  .wr-count { text-align: left; white-space: nowrap; min-width: 0; }
  .wr-count .wr-sub { font-size: clamp(11px, 1.45vh, 44px); }
  .wr-num .wr-red { color: #d73027; }
  .wr-num .wr-amber { color: #f5a623; }
  .wr-goal { border-left: 0.6vh solid var(--wr-c); padding-left: 0.6vw; padding-bottom: 0.3vh; }
  .wr-gname { font-size: clamp(13px, 2vh, 60px); font-weight: 700; line-height: 1.2; }
  .wr-goal + .wr-first { margin-top: 1.2vh; }
  .wr-goal + .wr-rule { margin-top: 1vh; }
  .wr-target { display: flex; gap: 0.45vw; align-items: baseline; font-size: clamp(12px, 1.75vh, 52px);
    line-height: 1.3; margin-top: 0.5vh; }
  .wr-target .wr-tname { flex: 1; min-width: 0; }
  .wr-leaves { display: inline-flex; gap: 0.22vw; flex-wrap: wrap; }
  .wr-leaf { display: inline-block; width: 1.35vh; height: 1.35vh; min-width: 10px; min-height: 10px;
    border-radius: 2px; background: var(--wr-c); }
  .wr-red-names { font-size: clamp(11px, 1.45vh, 44px); opacity: 0.85; }
  .wr-topbar { display: flex; align-items: center; justify-content: space-between; gap: 1vw; }
  .wr-title { font-size: clamp(22px, 3.6vh, 110px); font-weight: 800; line-height: 1.1; }
  .wr-area { font-weight: 500; }
  .wr-wallq { font-size: clamp(13px, 1.9vh, 58px); opacity: 0.8; }
  .wr-stamp { text-align: right; font-size: clamp(12px, 1.6vh, 48px); line-height: 1.3; white-space: nowrap;
              max-width: 45%; }
  .wr-overdue { white-space: normal; }
  .wr-stamp.wr-late { color: #f5a623; font-weight: 700; }
  .wr-decisions { display: flex; gap: 0.8vw; align-items: stretch; margin-top: 0.9vh; overflow: hidden; }
  .wr-decision { flex: 1 1 0; min-width: 0; padding: 0.6vh 0.7vw; border-radius: 5px;
    background: rgba(128, 128, 128, 0.09); border-top: 0.45vh solid var(--wr-c);
    font-size: clamp(12px, 1.55vh, 46px); line-height: 1.3; }
  .wr-decision b { font-weight: 700; }
  .wr-decision .wr-clip { display: -webkit-box; -webkit-line-clamp: 2; -webkit-box-orient: vertical; overflow: hidden; }
  .wr-dlabel { flex: none; align-self: center; white-space: nowrap; font-size: clamp(12px, 1.6vh, 48px);
    font-weight: 700; opacity: 0.8; }
  .wr-empty { opacity: 0.7; font-size: clamp(12px, 1.7vh, 52px); }
  .wr-legend { display: flex; flex-wrap: wrap; gap: 0.3vh 0.8vw; font-size: clamp(11px, 1.4vh, 42px); opacity: 0.85; }
  .wr-legend span { display: inline-flex; align-items: center; gap: 0.3vw; }
  .wr-exit { display: inline-block; padding: 0.45rem 0.8rem; border-radius: 6px; font-size: 0.9rem; white-space: nowrap;
    border: 1px solid rgba(128, 128, 128, 0.45); color: inherit !important; text-decoration: none !important; }
</style>
"""


def esc(text) -> str:
    return html.escape("" if text is None else str(text))


def note(css_class: str, text: str, style: str = "") -> str:
    """A line of text in the walls' HTML (escaped); keeps tr() calls out of f-strings, where Babel cannot find them."""
    styled = f' style="{style}"' if style else ""
    return f'<div class="{css_class}"{styled}>{esc(text)}</div>'


def color_var(status: str) -> str:
    return f"--wr-c: {indicators.hex_color(status)};"


def wall_href(ctx: sidebar.Context, link: str, kiosk: bool) -> str:
    """A view's detail link with the reader's country and language (and, on the wall, kiosk mode) added."""
    return links.with_context(ctx, link, kiosk)


def indicator_name(ctx: sidebar.Context, indicator: pd.Series, css_class: str = "wr-name") -> str:
    """An indicator's name over its figure, a link to its catalogue entry (`indicator`: a catalogue row)."""
    href = links.indicator_href(ctx, str(indicator.name), kiosk=screen.is_kiosk())
    return f'<a class="{css_class}" href="{esc(href)}">{esc(indicators.name(indicator, ctx.lang))}</a>'


def status_chip(ctx: sidebar.Context, status: str) -> str:
    return f'<span class="wr-chip" style="{color_var(status)}">{esc(indicators.status_label(status, ctx.lang))}</span>'


def wall_card(
    ctx: sidebar.Context, view: _walls.View, body: str, kiosk: bool, area: str, chip: str | None = None
) -> str:
    """One view: its question (linking to the detail page), its status chip and colour, and `body`."""
    href = wall_href(ctx, view.link, kiosk)
    chip = status_chip(ctx, view.status) if chip is None else chip
    return (
        f'<section class="wr-view" style="grid-area: {area}; {color_var(view.status)}" '
        f'data-view="{esc(view.key)}" data-status="{esc(view.status)}">'
        f'<div class="wr-head"><a class="wr-q" href="{esc(href)}">{esc(view.question)}'
        f' <span class="wr-go">›</span></a>{chip}</div>{body}</section>'
    )


def svg_img(svg: str, css_class: str, label: str = "") -> str:
    """An inline SVG as an <img> (st.html's sanitiser keeps HTML only, no <svg> elements; images may be data URIs)."""
    source = "data:image/svg+xml;base64," + base64.b64encode(svg.encode("utf-8")).decode("ascii")
    return f'<img class="{css_class}" src="{source}" alt="{esc(label)}" title="{esc(label)}"/>'


def sparkline(values, status: str, target: float | None = None) -> str:
    """A trend as a small line in the status colour (the target as a dashed grey line when given)."""
    points = [float(v) for v in values if v is not None and not pd.isna(v)]
    if len(points) < 2:
        return ""
    span_values = points + ([target] if target is not None and not pd.isna(target) else [])
    low, high = min(span_values), max(span_values)
    span = (high - low) or 1.0
    step = 100 / (len(points) - 1)

    def y(v: float) -> float:
        return 27 - (v - low) / span * 24

    line = " ".join(f"{i * step:.1f},{y(v):.1f}" for i, v in enumerate(points))
    target_line = ""
    if target is not None and not pd.isna(target):
        target_line = (
            f'<line x1="0" x2="100" y1="{y(target):.1f}" y2="{y(target):.1f}" stroke="#8a94a6" '
            'stroke-dasharray="3 3" vector-effect="non-scaling-stroke" stroke-width="1.5"/>'
        )
    color = indicators.hex_color(status)
    svg = (
        '<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 100 30" preserveAspectRatio="none">'
        f'{target_line}<polyline points="{line}" fill="none" stroke="{color}" stroke-width="3" '
        'vector-effect="non-scaling-stroke" stroke-linejoin="round" stroke-linecap="round"/></svg>'
    )
    return svg_img(svg, "wr-spark")


def kpi_html(
    ctx: sidebar.Context,
    indicator: pd.Series,
    kpi: _walls.Kpi,
    size: str = "big",
    trend: bool = True,
    status_in_chip: bool = False,
) -> str:
    """A KPI's figure for the wall: value (in its status colour on the wall), target, change, period and trend; its
    status in words too, unless the view's chip says it already (`status_in_chip`: the KPI's status is the view's)."""
    value = indicators.fmt(indicator, kpi.value, ctx.lang)
    spark = sparkline(kpi.series, kpi.status, kpi.target) if trend else ""
    if size == "big" and spark:
        # The trend beside the figure, not under it: the card keeps its height for the provinces below.
        parts = [f'<div class="wr-valrow"><div class="wr-{size}">{esc(value)}</div>{spark}</div>']
        spark = ""
    else:
        parts = [f'<div class="wr-{size}">{esc(value)}</div>']
    facts = []
    if not pd.isna(indicator["target"]):
        facts.append(ctx.tr("target {target}", target=indicators.fmt(indicator, indicator["target"], ctx.lang)))
    if kpi.change is not None:
        facts.append(ctx.tr("{change} on the period before", change=indicators.signed(indicator, kpi.change, ctx.lang)))
    if kpi.period_start is not None:
        facts.append(ctx.period(kpi.period_start, kpi.period_type))
    parts.append(f'<div class="wr-sub">{esc(" · ".join(facts))}</div>')
    reason = indicators.status_reason(indicator, kpi.value, kpi.target, kpi.status, ctx.lang)
    if status_in_chip:
        parts.append(f'<div class="wr-sub wr-reason">{esc(reason)}</div>')
    else:
        label = indicators.status_label(kpi.status, ctx.lang)
        parts.append(f'<div class="wr-sub wr-reason">{esc(label)}: {esc(reason)}</div>')
    if kpi.female is not None and kpi.male is not None:
        if indicator.get("aggregation") == "parity":
            # A parity index's sex rows are each sex's own ratio (girls enrolled / girls of the age), not two indices.
            by_sex = ctx.tr(
                "Girls {female} and boys {male} of their age group enrolled",
                female=i18n.percent(100 * kpi.female, ctx.lang, 1),
                male=i18n.percent(100 * kpi.male, ctx.lang, 1),
            )
        else:
            by_sex = ctx.tr(
                "Women {female} · men {male}",
                female=indicators.fmt(indicator, kpi.female, ctx.lang),
                male=indicators.fmt(indicator, kpi.male, ctx.lang),
            )
        parts.append('<div class="wr-sub">' + esc(by_sex) + "</div>")
    if spark:
        parts.append(spark)
    return f'<div class="wr-tile" style="{color_var(kpi.status)}">' + "".join(parts) + "</div>"


def view_tiles(
    ctx: sidebar.Context,
    view: _walls.View,
    size: str,
    across: int | None = None,
    filling: bool = False,
    trend: bool = True,
) -> str:
    """A view's KPIs as tiles, each its name (a link to its catalogue entry) over `kpi_html`, its status in words
    only where it differs from the view's chip; `across` a row (one column when None). `filling`: the tiles are the
    whole of their view, and on the wall they share its height, each showing its lines while they fit, each whole
    (`.wr-filling`)."""
    cat = indicators.catalogue(ctx.db, ctx.country)
    cells = []
    for kpi in view.kpis:
        indicator = cat.loc[kpi.indicator_id]
        figure = kpi_html(ctx, indicator, kpi, size=size, trend=trend, status_in_chip=kpi.status == view.status)
        cells.append(f'<div class="wr-tile">{indicator_name(ctx, indicator)}{figure}</div>')
    style = f' style="grid-template-columns: repeat({across}, minmax(0, 1fr));"' if across else ""
    return f'<div class="wr-tiles{" wr-filling" if filling else ""}"{style}>{"".join(cells)}</div>'


def row_html(
    status: str,
    label: str,
    value: str = "",
    href: str | None = None,
    small: str = "",
    value_html: str | None = None,
    lines: int = 1,
    label_html: str | None = None,
) -> str:
    """A list line: status dot, label (a link when `href`; or `label_html`, links of its own), a figure at the right
    (or `value_html`), a note; the label on at most `lines` lines, cut with an ellipsis beyond."""
    text = esc(label)
    if href:
        text = f'<a href="{esc(href)}">{text}</a>'
    if label_html is not None:
        text = label_html
    note = f' <span class="wr-small">{esc(small)}</span>' if small else ""
    return (
        f'<div class="wr-row" style="{color_var(status)}"><span class="wr-dot"></span>'
        f"<span {_clamped(lines)}>{text}{note}</span>"
        f'<span class="wr-num">{value_html or esc(value)}</span></div>'
    )


def _clamped(lines: int) -> str:
    if lines <= 1:
        return 'class="wr-grow"'
    return f'class="wr-grow wr-wrap" style="-webkit-line-clamp: {int(lines)}"'


def fitted(rows: list[str]) -> str:
    """`rows` at the foot of a view: on the wall, as many as fit it, each whole (`.wr-fit`)."""
    return '<div class="wr-fit">' + "".join(rows) + "</div>"


def bar_html(status: str, share: float | None, mark: float | None = None) -> str:
    """A progress bar (0-100) in a status colour, with a tick at `mark` (the plan)."""
    width = 0.0 if share is None or pd.isna(share) else max(0.0, min(100.0, float(share)))
    tick = ""
    if mark is not None and not pd.isna(mark):
        tick = f'<i style="left: calc({max(0.0, min(100.0, float(mark))):.1f}% - 1px)"></i>'
    return f'<div class="wr-bar" style="{color_var(status)}"><span style="width: {width:.1f}%"></span>{tick}</div>'


@functools.lru_cache(maxsize=32)
def _map_paths(
    country: str, level: str, focus: tuple[str, ...] = ()
) -> tuple[tuple[tuple[str, str], ...], tuple[float, ...]]:
    """Each area's SVG path on an equirectangular projection (x scaled by cos of the mid latitude), simplified.

    The projection spans the `focus` areas (every area when empty) 1000 units wide: a province's or a region's map is
    drawn as finely as the country's (points are rounded to whole units). Areas wholly outside that span are left out.
    """
    collection = geo.boundaries(country, level)
    rings = []
    for feature in collection["features"]:
        geometry = feature["geometry"]
        polygons = geometry["coordinates"] if geometry["type"] == "MultiPolygon" else [geometry["coordinates"]]
        rings.append((feature["properties"]["code"], [ring for polygon in polygons for ring in polygon]))
    framed = [rs for code, rs in rings if code in focus] or [rs for _, rs in rings]
    west, east, south, north = _bounds(framed)
    scale_x = math.cos(math.radians((south + north) / 2))
    width = 1000.0
    unit = width / ((east - west) * scale_x)
    height = (north - south) * unit
    paths = []
    for code, rs in rings:
        w, e, s, n = _bounds([rs])
        if e < west or w > east or n < south or s > north:
            continue
        parts = []
        for ring in rs:
            points, last = [], None
            for lon, lat in ring:
                point = (round((lon - west) * scale_x * unit), round((north - lat) * unit))
                if point != last:
                    points.append(point)
                    last = point
            if len(points) >= 3:
                parts.append("M" + "L".join(f"{x},{y}" for x, y in points) + "Z")
        paths.append((code, "".join(parts)))
    return tuple(paths), (west, north, scale_x * unit, unit, height)


def _bounds(areas: list[list]) -> tuple[float, float, float, float]:
    """West, east, south and north of some areas' rings."""
    lons = [pt[0] for rs in areas for ring in rs for pt in ring]
    lats = [pt[1] for rs in areas for ring in rs for pt in ring]
    return min(lons), max(lons), min(lats), max(lats)


def svg_map(
    country: str,
    statuses: dict[str, str],
    label: str = "",
    points: pd.DataFrame | None = None,
    level: str = "province",
    focus: Iterable[str] = (),
) -> str:
    """A map of areas coloured by status, as an SVG image (crisp on a 4K wall, drawn at once, no WebGL or basemap).

    Areas missing from `statuses` are drawn faint. `points` (lon, lat, students_affected) are drawn as
    open circles whose area grows with the count. `label` is the image's text alternative. The map is fitted to the
    `focus` areas (an office's or a chosen region's provinces), their neighbours faint around them; to every area
    when none is given.
    """
    paths, (west, north, x_unit, unit, height) = _map_paths(country, level, tuple(sorted(focus)))
    shapes = []
    for code, d in paths:
        status = statuses.get(code)
        fill = indicators.hex_color(status) if status else "#8a94a6"
        opacity = "0.92" if status else "0.28"
        shapes.append(
            f'<path data-area="{code}" d="{d}" fill="{fill}" fill-opacity="{opacity}" stroke="#ffffff" '
            'stroke-width="1.2"/>'
        )
    if points is not None and len(points):
        biggest = max(float(points["students_affected"].max()), 1.0)
        for p in points.sort_values("students_affected", ascending=False).itertuples():
            x = (p.lon - west) * x_unit
            y = (north - p.lat) * unit
            r = 4 + 24 * math.sqrt(max(float(p.students_affected), 0.0) / biggest)
            shapes.append(
                f'<circle cx="{x:.0f}" cy="{y:.0f}" r="{r:.1f}" fill="#ffffff" fill-opacity="0.4" '
                'stroke="#1b1f27" stroke-width="1.6"/>'
            )
    svg = (
        f'<svg xmlns="http://www.w3.org/2000/svg" viewBox="-6 -6 1012 {height + 12:.0f}" '
        'preserveAspectRatio="xMidYMid meet">' + "".join(shapes) + "</svg>"
    )
    return svg_img(svg, "wr-map-img", label)
