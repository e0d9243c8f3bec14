"""The Province page's maps (Plotly, in SVG, no basemap): districts coloured by a KPI, schools as points to click,
the provinces around drawn faint for context.

Plotly, not deck.gl: the page already loads Plotly for its trend chart, and a province's dozen districts and few
hundred schools are a light SVG; two deck.gl maps cost a laptop without a GPU deck.gl's 3 MB module and a
software-WebGL context each, about a quarter of the page's time in the browser (README, In the browser).
"""

from __future__ import annotations

import html
import math
import re
from functools import lru_cache

import plotly.graph_objects as go

from cockpit import i18n
from cockpit.data import geo, per_version
from cockpit.data.indicators import status_rgb
from cockpit.figures.province_charts import FONT, Figure
from cockpit.review import province

HEIGHT = 560
DIGITS = 4  # a boundary's coordinates to about 10 m: finer than a pixel at any province's zoom, half the bytes
MARGIN = 0.04  # of the province's extent, left free on every side so its edge is never on the frame
FILL_ALPHA = 0.88
CONTEXT_FILL = "rgb(236, 238, 241)"
OUTLINE = "rgb(31, 36, 48)"
SCHOOL_POINT = "rgba(31, 36, 48, 0.7)"  # overlapping points darken: where schools crowd reads at a glance
SCHOOL_CHOSEN = "rgb(245, 166, 35)"
HOVER_LABEL = dict(
    bgcolor="#1f2430", bordercolor="#1f2430", align="left", font=dict(color="white", size=14, family=FONT)
)
WRAP = 36  # characters a tooltip line holds in the district map's 354 px at 1366 px
CONFIG = {"displayModeBar": False, "scrollZoom": True}  # for st.plotly_chart: drag to move, scroll to zoom


def bounds(features: list[dict]) -> tuple[float, float, float, float]:
    """(west, south, east, north) of some GeoJSON features."""
    xs, ys = [], []
    for feature in features:
        geometry = feature["geometry"]
        polygons = geometry["coordinates"] if geometry["type"] == "MultiPolygon" else [geometry["coordinates"]]
        for polygon in polygons:
            for ring in polygon:
                xs.extend(p[0] for p in ring)
                ys.extend(p[1] for p in ring)
    return min(xs), min(ys), max(xs), max(ys)


def mercator_y(lat: float) -> float:
    """A latitude's web-mercator y in degrees of longitude, so one unit is the same length on either axis."""
    return math.degrees(math.log(math.tan(math.pi / 4 + math.radians(lat) / 2)))


def fit_ranges(box: tuple[float, float, float, float], margin: float = MARGIN) -> tuple[list[float], list[float]]:
    """The x (longitude) and y (mercator) ranges that show a (west, south, east, north) box with a margin.

    The maps lock one unit of y to one of x (scaleanchor), so Plotly widens whichever range the box's shape leaves
    room for: the box is whole and as large as it fits at any width the page draws the map at.
    """
    west, south, east, north = box
    y_south, y_north = mercator_y(south), mercator_y(north)
    pad = margin * max(east - west, y_north - y_south, 1e-6)
    return [west - pad, east + pad], [y_south - pad, y_north + pad]


@lru_cache(maxsize=128)
def province_features(country: str, province_id: str) -> tuple[list[dict], dict | None, list[dict]]:
    """(its districts, its own outline, the provinces around it) from the bundled boundaries, found once per
    province; shared between callers, who never change them."""
    districts = [
        f for f in geo.shared(country, "district")["features"] if f["properties"]["province_code"] == province_id
    ]
    provinces_ = geo.shared(country, "province")["features"]
    own = next((f for f in provinces_ if f["properties"]["code"] == province_id), None)
    if not districts:
        return [], own, []
    west, south, east, north = bounds(districts)
    pad_x, pad_y = (east - west) * 0.6, (north - south) * 0.6
    around = []
    for f in provinces_:
        if f is own:
            continue
        w, s, e, n = bounds([f])
        if w < east + pad_x and e > west - pad_x and s < north + pad_y and n > south - pad_y:
            around.append(f)
    return districts, own, around


@lru_cache(maxsize=256)
def _path(country: str, province_id: str, which: str, index: int | None = None) -> tuple[tuple, tuple]:
    """Features' rings as a path Plotly draws and fills ring by ring: (x, y) with None between rings, y in mercator
    degrees. `which` is "districts", "around" or "own"; `index` one of them, or None for all in one path (one trace
    instead of one per shape: Plotly lays out and draws every trace on its own)."""
    districts, own, around = province_features(country, province_id)
    features = {"districts": districts, "around": around, "own": [own] if own else []}[which]
    xs: list[float | None] = []
    ys: list[float | None] = []
    for feature in features if index is None else [features[index]]:
        geometry = feature["geometry"]
        polygons = geometry["coordinates"] if geometry["type"] == "MultiPolygon" else [geometry["coordinates"]]
        for polygon in polygons:
            for ring in polygon:
                xs.extend(round(p[0], DIGITS) for p in ring)
                ys.extend(round(mercator_y(p[1]), DIGITS) for p in ring)
                xs.append(None)
                ys.append(None)
    return tuple(xs[:-1]), tuple(ys[:-1])


def _shape(country: str, province_id: str, which: str, index: int | None = None, **style) -> go.Scatter:
    xs, ys = _path(country, province_id, which, index)
    return go.Scatter(x=xs, y=ys, mode="lines", showlegend=False, **style)


_PLACEHOLDER = re.compile(r"{(\w+)}")


def wrap(text: str, width: int = WRAP) -> str:
    """Text broken at spaces into lines of at most `width` characters (a longer word stays whole), joined by <br>:
    Plotly draws a tooltip on one line per <br> and clips what leaves the map's box."""
    lines: list[str] = []
    for word in text.split(" "):
        if lines and len(lines[-1]) + 1 + len(word) <= width:
            lines[-1] += " " + word
        else:
            lines.append(word)
    return "<br>".join(lines)


def fill(template: str, values: dict) -> str:
    """A tooltip line with its {field}s replaced by the values, escaped (the line itself may carry <b>) and a long
    one wrapped; a field the values lack is left as written."""
    return _PLACEHOLDER.sub(
        lambda m: wrap(html.escape(str(values[m[1]]))) if m[1] in values else m[0],
        template,
    )


def _context(rv: province.ProvinceReview) -> list[go.Scatter]:
    if not province_features(rv.country, rv.province_id)[2]:
        return []
    return [
        _shape(
            rv.country,
            rv.province_id,
            "around",
            fill="toself",
            fillcolor=CONTEXT_FILL,
            line=dict(color="white", width=1),
            hoverinfo="skip",
        )
    ]


def _outline(rv: province.ProvinceReview) -> list[go.Scatter]:
    if province_features(rv.country, rv.province_id)[1] is None:
        return []
    return [_shape(rv.country, rv.province_id, "own", line=dict(color=OUTLINE, width=2), hoverinfo="skip")]


def _layout(fig: go.Figure, districts: list[dict], height: int) -> None:
    x_range, y_range = fit_ranges(bounds(districts)) if districts else ([-1, 1], [-1, 1])
    axis = dict(visible=False, showgrid=False, zeroline=False, fixedrange=False)
    fig.update_layout(
        height=height,
        margin=dict(l=0, r=0, t=0, b=0),
        font=dict(family=FONT, size=13),
        paper_bgcolor="rgba(0,0,0,0)",
        plot_bgcolor="rgba(0,0,0,0)",
        showlegend=False,
        hovermode="closest",
        hoverlabel={**HOVER_LABEL, "namelength": -1},  # a district's card is its trace's name: never cut it
        dragmode="pan",
        xaxis=dict(axis, range=x_range),
        yaxis=dict(axis, range=y_range, scaleanchor="x", scaleratio=1),
    )


# Figures built from a review, under the review's key (its version, scope, language...) and the map's arguments.
_maps = per_version.Cache(64)


def _cached(review_key: tuple | None, args: tuple, build) -> go.Figure:
    return build() if review_key is None else _maps.get((*review_key, *args), build)


def district_map(
    rv: province.ProvinceReview, indicator_id: str, tooltip_lines: list[str], height: int = HEIGHT
) -> go.Figure:
    """The province's districts on their real boundaries, coloured by status on one KPI, fitted to the map's box.

    One shape a district, its tooltip (`tooltip_lines`, each {field} one of the district table's columns) as the
    shape's name, which Plotly shows on hovering the shape. Built once per review key, KPI, tooltip and height.
    """
    args = ("districts", indicator_id, tuple(tooltip_lines), height)
    return _cached(rv.cache_key, args, lambda: _district_map(rv, indicator_id, tooltip_lines, height))


def _district_map(rv: province.ProvinceReview, indicator_id: str, tooltip_lines: list[str], height: int) -> Figure:
    districts, _own, _around = province_features(rv.country, rv.province_id)
    rows = province.district_table(rv, indicator_id).set_index("area_id")
    records = rows.to_dict("index")
    fig = Figure()
    for trace in _context(rv):
        fig.add_trace(trace)
    for i, feature in enumerate(districts):
        code = feature["properties"]["code"]
        row = records.get(code)
        if row is None:  # a district without a figure: its name, grey
            name = feature["properties"].get("name_en", code)
            card = fill(tooltip_lines[0], {"name": name})
            status = None
        else:
            card = "<br>".join(
                fill(line, {k: "" if v is None else v for k, v in row.items()}) for line in tooltip_lines
            )
            status = row["status"]
        r, g, b = status_rgb(status)
        fig.add_trace(
            _shape(
                rv.country,
                rv.province_id,
                "districts",
                i,
                fill="toself",
                fillcolor=f"rgba({r}, {g}, {b}, {FILL_ALPHA})",
                line=dict(color="white", width=1),
                hoveron="fills",
                hoverinfo="name",
                name=card,
                meta={"district": code, "status": status},
            )
        )
    for trace in _outline(rv):
        fig.add_trace(trace)
    _layout(fig, districts, height)
    return fig


def school_map(rv: province.ProvinceReview, tooltip_lines: list[str], height: int = HEIGHT) -> go.Figure:
    """The province's schools as points over its districts' outlines, each a point to hover and to click (its
    school_id is the point's customdata), fitted to the map's box. Built once per review key, tooltip and height."""
    args = ("schools", tuple(tooltip_lines), height)
    return _cached(rv.cache_key, args, lambda: _school_map(rv, tooltip_lines, height))


def _school_map(rv: province.ProvinceReview, tooltip_lines: list[str], height: int) -> Figure:
    districts, _own, _around = province_features(rv.country, rv.province_id)
    fig = Figure()
    for trace in _context(rv):
        fig.add_trace(trace)
    if districts:
        fig.add_trace(
            _shape(
                rv.country,
                rv.province_id,
                "districts",
                fill="toself",
                fillcolor="rgb(250, 250, 250)",
                line=dict(color="rgb(150, 158, 168)", width=1),
                hoverinfo="skip",
            )
        )
    for trace in _outline(rv):
        fig.add_trace(trace)
    points = rv.schools[["school_id", "name", "type_label", "district", "students", "lon", "lat"]]
    points = points.assign(students_label=points["students"].map(lambda v: i18n.number(v, rv.lang)))
    cards = ["<br>".join(fill(line, row) for line in tooltip_lines) for row in points.to_dict("records")]
    fig.add_trace(
        go.Scatter(
            x=points["lon"].tolist(),
            y=[mercator_y(lat) for lat in points["lat"]],
            mode="markers",
            name="schools",
            customdata=points["school_id"].tolist(),
            text=cards,
            hovertemplate="%{text}<extra></extra>",
            marker=dict(size=8, color=SCHOOL_POINT, line=dict(color="white", width=0.5)),
            # a click selects a school; the others keep their look rather than fade
            selected=dict(marker=dict(color=SCHOOL_CHOSEN, size=14)),
            unselected=dict(marker=dict(opacity=1)),
        )
    )
    _layout(fig, districts, height)
    return fig


def clicked_school(selection) -> str | None:
    """The school_id of the point a click on the school map selected, from st.plotly_chart's selection."""
    for point in (selection or {}).get("points", []):
        school_id = point.get("customdata")
        if isinstance(school_id, list):
            school_id = school_id[0] if school_id else None
        if isinstance(school_id, str):
            return school_id
    return None
