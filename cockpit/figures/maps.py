"""Maps of areas on their real boundaries (pydeck, no basemap, so nothing is fetched from the internet): the views
the Explorer's map of any level fits; the pages' other maps are Vega-Lite (vega_maps)."""

from __future__ import annotations

import math
from collections.abc import Iterable
from functools import lru_cache

import pandas as pd

from cockpit.data import geo

# The map's size in pixels in the layout it is designed for: Streamlit's wide layout at 1366×768 with the sidebar
# open (measured in Chromium: the Overview's map 309×640, the Alerts' 294×560). The view is fitted on the server,
# so it is fitted to the narrowest box the map is drawn in; a wider screen only adds margin around the areas.
MAP_WIDTH = 290
MAP_HEIGHT = 560
PADDING = 10  # px left free on every side, so the outline's edge is never on the frame
FILL_ALPHA = 215
TOOLTIP_STYLE = {"backgroundColor": "#1f2430", "color": "white", "fontSize": "14px", "padding": "8px 10px"}


def bounds(features: Iterable[dict]) -> tuple[float, float, float, float]:
    """(west, south, east, north) of some GeoJSON (Multi)Polygon features."""
    xs, ys = [], []
    for feature in features:
        geometry = feature["geometry"]
        polygons = geometry["coordinates"] if geometry["type"] == "MultiPolygon" else [geometry["coordinates"]]
        for polygon in polygons:
            for ring in polygon:
                xs.extend(p[0] for p in ring)
                ys.extend(p[1] for p in ring)
    if not xs:
        raise ValueError("no coordinates to bound")
    return min(xs), min(ys), max(xs), max(ys)


def _mercator_y(lat: float) -> float:
    return math.log(math.tan(math.pi / 4 + math.radians(lat) / 2))


def fit_view(
    box: tuple[float, float, float, float], width: float, height: float, padding: float = PADDING
) -> dict[str, float]:
    """The centre and zoom at which a (west, south, east, north) box fits a width × height px Web-Mercator map with
    `padding` px free on each side (deck.gl's world is 512 px wide at zoom 0)."""
    west, south, east, north = box
    y_south, y_north = _mercator_y(south), _mercator_y(north)
    usable_w, usable_h = max(width - 2 * padding, 1.0), max(height - 2 * padding, 1.0)
    zoom_x = math.log2(usable_w * 360 / (512 * max(east - west, 1e-6)))
    zoom_y = math.log2(usable_h * 2 * math.pi / (512 * max(y_north - y_south, 1e-9)))
    y_mid = (y_south + y_north) / 2
    latitude = math.degrees(2 * math.atan(math.exp(y_mid)) - math.pi / 2)
    return dict(latitude=latitude, longitude=(west + east) / 2, zoom=min(zoom_x, zoom_y))


def on_screen(lon: float, lat: float, view: dict, width: float, height: float) -> tuple[float, float]:
    """Where deck.gl draws a point in a width × height px map of `view`, in the map's pixels from its top left."""
    scale = 512 * 2 ** view["zoom"] / (2 * math.pi)
    x = width / 2 + math.radians(lon - view["longitude"]) * scale
    y = height / 2 - (_mercator_y(lat) - _mercator_y(view["latitude"])) * scale
    return x, y


@lru_cache(maxsize=4)
def area_bounds(country: str, level: str) -> dict[str, tuple[float, float, float, float]]:
    """Each area's (west, south, east, north), by its code, from the bundled boundaries."""
    return {f["properties"]["code"]: bounds([f]) for f in geo.boundaries(country, level)["features"]}


def view_of(
    country: str,
    level: str = "province",
    focus: Iterable[str] | None = None,
    width: float = MAP_WIDTH,
    height: float = MAP_HEIGHT,
) -> dict[str, float]:
    """The view that shows the areas `focus` names (all the country's when None or none of them is known) whole on a
    width × height px map: the country, a region the reader chose, a province."""
    boxes = area_bounds(country, level)
    chosen = [boxes[c] for c in (() if focus is None else focus) if c in boxes] or list(boxes.values())
    box = (
        min(b[0] for b in chosen),
        min(b[1] for b in chosen),
        max(b[2] for b in chosen),
        max(b[3] for b in chosen),
    )
    return fit_view(box, width, height)


def _missing(value) -> bool:
    try:
        return bool(pd.isna(value))
    except (TypeError, ValueError):
        return False
