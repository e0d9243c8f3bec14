"""Maps as Vega-Lite specs (st.vega_lite_chart): areas drawn from the bundled boundaries by Vega's geoshape in a
Mercator projection fitted to the map's box; no basemap, nothing fetched.

Vega-Lite, not deck.gl or Plotly, where a page has no other use for them: a new tab parses and runs every chart
library a page uses, Vega's bundle in about 0.2 s, Plotly's 0.9 s, deck.gl's 3 MB with a software-WebGL context on a
laptop without a GPU (README, "Which chart library a page loads").
"""

from __future__ import annotations

from collections.abc import Iterable
from functools import lru_cache

import pandas as pd

from cockpit.data import geo
from cockpit.data.indicators import hex_color
from cockpit.figures import charts
from cockpit.figures.maps import bounds

MARGIN = 0.04  # of the areas' extent, left free on every side so their edge is never on the frame
FILL_OPACITY = 0.88
SELECTION = "area"  # a choropleth's point selection: st.vega_lite_chart's event.selection.area, [{"code": ...}]
CHOSEN_STROKE = "#1f2430"
NO_DATA = "#e1e4e8"  # an area with nothing to colour it by (no open alert)


def hex_of(rgb: tuple[int, int, int]) -> str:
    """An (r, g, b) colour as Vega reads it."""
    return "#{:02x}{:02x}{:02x}".format(*rgb)


def wound(ring: list, exterior: bool, digits: int = 4) -> list[list[float]]:
    """A ring's points rounded and in the order d3-geo (which draws Vega's maps) reads: an exterior ring clockwise,
    a hole counter-clockwise. d3 reads a ring on the sphere, so an exterior wound the other way would be the whole
    globe but the shape: filled everywhere, and a map fitted to it would show the Earth."""
    points = [[round(p[0], digits), round(p[1], digits)] for p in ring]
    twice_area = sum(x0 * y1 - x1 * y0 for (x0, y0), (x1, y1) in zip(points, points[1:], strict=False))
    if (twice_area > 0) == exterior:  # counter-clockwise on the plane of longitude and latitude
        points.reverse()
    return points


def geometry(feature: dict, digits: int = 4) -> dict:
    """A feature's boundary as a MultiPolygon Vega draws: rounded (4 digits is about 10 m) and wound for d3-geo."""
    shape = feature["geometry"]
    polygons = shape["coordinates"] if shape["type"] == "MultiPolygon" else [shape["coordinates"]]
    rings = [[wound(ring, i == 0, digits) for i, ring in enumerate(polygon)] for polygon in polygons]
    return {"type": "MultiPolygon", "coordinates": rings}


@lru_cache(maxsize=8)
def shapes(country: str, level: str, digits: int = 3) -> dict[str, dict]:
    """Every area of a level as a GeoJSON feature Vega draws, by code; built once. 3 digits (about 100 m) is finer
    than a pixel on a country's or a region's map, and a third of the bytes of the source."""
    return {
        f["properties"]["code"]: {"type": "Feature", "geometry": geometry(f, digits), "properties": {}}
        for f in geo.shared(country, level)["features"]
    }


def frame(box: tuple[float, float, float, float], margin: float = MARGIN) -> dict:
    """What a projection fits to the map's box: a (west, south, east, north) box with a margin, as its two corners
    (a rectangle would be a ring, and its winding a question)."""
    west, south, east, north = box
    pad = margin * max(east - west, north - south, 1e-6)
    corners = [[west - pad, south - pad], [east + pad, north + pad]]
    return {"type": "Feature", "geometry": {"type": "MultiPoint", "coordinates": corners}, "properties": {}}


def map_spec(layers: list[dict], lang: str, height: int, fit: dict | None = None, svg: bool = True) -> dict:
    """Layers on one Mercator projection (fitted to `fit`, else to what they draw), in the reader's number locale,
    without the view's frame; SVG unless told (each shape an element a test or a screen reader can find)."""
    projection = {"type": "mercator"}
    if fit is not None:
        projection["fit"] = fit
    spec = {
        "height": height,
        "projection": projection,
        "layer": layers,
        "config": {**charts.vega_config(lang), "view": {"stroke": None}},
    }
    if svg:
        spec["usermeta"] = {"embedOptions": {"renderer": "svg"}}
    return spec


def choropleth(
    country: str,
    level: str,
    areas: pd.DataFrame,
    tooltip: list[tuple[str, str]],
    lang: str,
    height: int,
    only: Iterable[str] | None = None,
    focus: Iterable[str] | None = None,
    above: Iterable[dict] = (),
) -> dict:
    """Areas coloured by `status` (areas indexed by area_id; an area without a row is grey), a tooltip of
    `tooltip`'s (column, title) pairs, and a click that selects an area: event.selection.area is [{"code": ...}].

    An area's `fill` column, where there is one, colours it instead of its status (a severity's colour). `only`
    draws those areas alone (a province's or a region's districts); `focus` fits the map to some of them (a chosen
    region), the others drawn but clipped at the frame; neither: the map fits what it draws. `above`: more layers
    drawn over the areas (incidents as circles).
    """
    everything = shapes(country, level)
    codes = list(everything) if only is None else [c for c in only if c in everything]
    records = areas.to_dict("index")
    rows = []
    for code in codes:
        row = records.get(code, {})
        values = {column: text(row.get(column)) for column, _title in tooltip}
        values = {column: value for column, value in values.items() if value}  # a line without its value: left out
        status = row.get("status")
        fill = row.get("fill") or hex_color(status)
        rows.append({**values, "code": code, "status": status, "fill": fill, "geo": everything[code]})
    chosen = {"param": SELECTION, "empty": False}
    layer = {
        "data": {"values": rows},
        "params": [{"name": SELECTION, "select": {"type": "point", "fields": ["code"], "on": "click"}}],
        "mark": {"type": "geoshape", "fillOpacity": FILL_OPACITY, "clip": True, "cursor": "pointer"},
        "encoding": {
            "shape": {"field": "geo", "type": "geojson"},
            "fill": {"field": "fill", "type": "nominal", "scale": None, "legend": None},
            "stroke": {"condition": {**chosen, "value": CHOSEN_STROKE}, "value": "white"},
            "strokeWidth": {"condition": {**chosen, "value": 2.5}, "value": 0.8},
            "tooltip": [{"field": column, "type": "nominal", "title": title} for column, title in tooltip],
        },
    }
    wanted = [everything[c] for c in ([] if focus is None else list(focus)) if c in everything]  # a list or an array
    return map_spec([layer, *above], lang, height, fit=frame(bounds(wanted)) if wanted else None)


def circles(points: pd.DataFrame, size: str, tooltip: list[tuple[str, str]], color: str = "#1f4e79") -> dict:
    """A layer of points at their lon and lat, the area of each growing with `size` (so a flood twice as large does
    not look four times as large), with a tooltip of `tooltip`'s (column, title) pairs: drawn over a choropleth."""
    return {
        "data": {"values": points.to_dict("records")},
        "mark": {"type": "circle", "color": color, "opacity": 0.67, "stroke": "white", "strokeWidth": 1},
        "encoding": {
            "longitude": {"field": "lon", "type": "quantitative"},
            "latitude": {"field": "lat", "type": "quantitative"},
            "size": {
                "field": size,
                "type": "quantitative",
                "scale": {"zero": True, "range": [16, 1600]},
                "legend": None,
            },
            "tooltip": [{"field": column, "type": "nominal", "title": title} for column, title in tooltip],
        },
    }


def status_text(table: pd.DataFrame) -> pd.Series:
    """Each row's status and why, as a map's tooltip says it: "Off track: 18% of the target"."""
    return table["status_label"] + ": " + table["status_reason"].fillna("")


def text(value) -> str:
    """A tooltip value as the page writes it: nothing for a missing one."""
    if value is None or (isinstance(value, float) and pd.isna(value)):
        return ""
    return str(value)


def clicked(selection, param: str = SELECTION) -> str | None:
    """The code of the area a click on a choropleth selected, from st.vega_lite_chart's selection."""
    for point in (selection or {}).get(param) or []:
        code = point.get("code") if isinstance(point, dict) else None
        if isinstance(code, str):
            return code
    return None
