"""Maps of areas on their real boundaries (pydeck, no basemap, so nothing is fetched from the internet)."""

from __future__ import annotations

import json
import math
import re
import weakref
from collections.abc import Iterable
from functools import lru_cache

import pandas as pd
import pydeck as pdk
from pydeck.bindings.json_tools import default_serialize

from cockpit.data import geo, per_version
from cockpit.data.indicators import status_rgb

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


class Deck(pdk.Deck):
    """A deck that is not changed once built, so its JSON is made once (Streamlit asks for it on every rerun); and
    compact: pydeck indents it, which makes the province map 755 kB to send instead of 150 kB, and takes Python's
    slow encoder (27 ms instead of 5)."""

    def to_json(self) -> str:
        text = _json_of.get(self)
        if text is None:  # kept beside the deck, not on it: pydeck serialises every attribute a deck has
            text = json.dumps(self, sort_keys=True, default=default_serialize, separators=(",", ":"))
            _json_of[self] = text
        return text


_json_of: weakref.WeakKeyDictionary = weakref.WeakKeyDictionary()


# Decks under what they show: the country, level, layer, tooltip, view and every feature's properties (compact JSON).
# The areas' frame a page passes carries everything its map shows (the version's figures, the reader's scope and
# language, the choices), so the same key is the same map: a rerun, or another reader seeing the same, reuses it, and
# a new version's figures, another scope or language make another key. Bounded: a few hundred kB each.
_decks = per_version.Cache(64)

_FIELD = re.compile(r"\{(\w+)\}")


def choropleth(
    country: str,
    level: str,
    areas: pd.DataFrame,
    tooltip_lines: list[str],
    layer_id: str = "areas",
    focus: Iterable[str] | None = None,
    width: float = MAP_WIDTH,
    height: float = MAP_HEIGHT,
) -> pdk.Deck:
    """Areas coloured by `status`, one feature per boundary; `areas` is indexed by area_id.

    The columns `tooltip_lines` name in braces ("{name}", "{value_label}") and `status` become feature properties,
    beside the boundary's own (code, names); a click's selection reads `code`. Boundaries without a row are drawn
    grey. The view fits the areas `focus` names (a chosen region; the whole country when None) on a width × height
    px map. Built once per content (see `_decks`) and serialised compactly; callers never change the deck.
    """
    shown = [c for c in dict.fromkeys([*_FIELD.findall("".join(tooltip_lines)), "status"]) if c in areas.columns]
    records = areas[shown].to_dict("index")
    properties = []
    for feature in geo.shared(country, level)["features"]:
        props = dict(feature["properties"])
        row = records.get(props["code"], {})
        props.update({k: ("" if _missing(v) else v) for k, v in row.items()})
        props["fill"] = [*status_rgb(row.get("status")), FILL_ALPHA]
        properties.append(props)
    focus_key = None if focus is None else tuple(focus)
    key = (
        "choropleth",
        country,
        level,
        layer_id,
        tuple(tooltip_lines),
        focus_key,
        width,
        height,
        json.dumps(properties, sort_keys=True, default=str, separators=(",", ":")),
    )
    return _decks.get(
        key, lambda: _choropleth(country, level, properties, tooltip_lines, layer_id, focus_key, width, height)
    )


def _with_properties(country: str, level: str, properties: list[dict]) -> dict:
    """The bundled boundaries with these properties: the geometry is shared with geo.shared, never copied (nothing
    changes it; json only reads it)."""
    features = geo.shared(country, level)["features"]
    return {
        "type": "FeatureCollection",
        "features": [
            {"type": "Feature", "geometry": f["geometry"], "properties": p}
            for f, p in zip(features, properties, strict=True)
        ],
    }


def _choropleth(country, level, properties, tooltip_lines, layer_id, focus, width, height) -> Deck:
    layer = pdk.Layer(
        "GeoJsonLayer",
        _with_properties(country, level, properties),
        id=layer_id,
        pickable=True,
        auto_highlight=True,
        stroked=True,
        filled=True,
        get_fill_color="properties.fill",
        get_line_color=[255, 255, 255, 200],
        line_width_min_pixels=1,
        highlight_color=[40, 40, 60, 90],
    )
    deck = Deck(
        layers=[layer],
        initial_view_state=pdk.ViewState(**view_of(country, level, focus, width, height)),
        map_provider=None,  # no basemap: no tile server, no outside request
        tooltip={"html": "<br/>".join(tooltip_lines), "style": TOOLTIP_STYLE},
    )
    deck.to_json()
    return deck


def _missing(value) -> bool:
    try:
        return bool(pd.isna(value))
    except (TypeError, ValueError):
        return False


def alert_map(
    country: str,
    worst: dict[str, str],
    province_tips: dict[str, str],
    incidents: pd.DataFrame,
    focus: Iterable[str] | None = None,
    width: float = MAP_WIDTH,
    height: float = MAP_HEIGHT,
) -> pdk.Deck:
    """Provinces coloured by their most severe open alert, with incidents as circles sized by students affected.

    `worst` maps a province code to the severity of its worst open alert, `province_tips` to its
    tooltip text; `incidents` has lat, lon, students_affected and a `tip`. The view fits the provinces `focus`
    names (the whole country when None).
    """
    from cockpit.alerts.evaluation import SEVERITY_COLORS  # a map of alerts is drawn in the alerts' own colours

    properties = []
    for feature in geo.shared(country, "province")["features"]:
        props = dict(feature["properties"])
        severity = worst.get(props["code"])
        props["tip"] = province_tips.get(props["code"], props.get("name_en", ""))
        props["fill"] = [*SEVERITY_COLORS.get(severity, (225, 228, 232)), FILL_ALPHA if severity else 160]
        properties.append(props)
    points = incidents[["lat", "lon", "students_affected", "tip"]].copy()
    # Area, not radius, grows with the students affected, so a flood twice as large does not look four times.
    points["radius"] = 1500 + 60 * points["students_affected"].clip(lower=0).astype(float) ** 0.5
    records = points.to_dict("records")
    focus_key = None if focus is None else tuple(focus)
    key = (
        "alert_map",
        country,
        focus_key,
        width,
        height,
        json.dumps([properties, records], sort_keys=True, default=str, separators=(",", ":")),
    )
    return _decks.get(key, lambda: _alert_map(country, properties, records, focus_key, width, height))


def _alert_map(country, properties, records, focus, width, height) -> Deck:
    provinces = pdk.Layer(
        "GeoJsonLayer",
        _with_properties(country, "province", properties),
        id="alert-provinces",
        pickable=True,
        auto_highlight=True,
        stroked=True,
        filled=True,
        get_fill_color="properties.fill",
        get_line_color=[255, 255, 255, 220],
        line_width_min_pixels=1,
    )
    dots = pdk.Layer(
        "ScatterplotLayer",
        records,
        id="incidents",
        pickable=True,
        get_position=["lon", "lat"],
        get_radius="radius",
        radius_min_pixels=3,
        radius_max_pixels=45,
        get_fill_color=[31, 78, 121, 170],
        get_line_color=[255, 255, 255, 230],
        stroked=True,
        line_width_min_pixels=1,
    )
    deck = Deck(
        layers=[provinces, dots],
        initial_view_state=pdk.ViewState(**view_of(country, "province", focus, width, height)),
        map_provider=None,
        tooltip={"html": "{tip}", "style": TOOLTIP_STYLE},
    )
    deck.to_json()
    return deck
