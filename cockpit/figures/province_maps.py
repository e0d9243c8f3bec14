"""The Province page's maps (pydeck, no basemap): districts coloured by a KPI, schools as points, the
provinces around drawn faint for context."""

from __future__ import annotations

import json
import math
import weakref
from functools import lru_cache

import pydeck as pdk
from pydeck.bindings.json_tools import default_serialize

from cockpit import i18n
from cockpit.data import geo, per_version
from cockpit.data.indicators import status_rgb
from cockpit.review import province

# Density of schools (not a status): a single-hue ramp from light to dark slate blue.
DENSITY_RAMP = [[222, 231, 240], [183, 201, 221], [140, 167, 199], [98, 132, 173], [62, 98, 146], [31, 66, 115]]


SCHOOL_POINT_COLOR = [31, 36, 48, 230]


CONTEXT_FILL = [236, 238, 241, 255]


TOOLTIP_STYLE = {"backgroundColor": "#1f2430", "color": "white", "fontSize": "14px", "padding": "8px 10px"}


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


def fit_view(box: tuple[float, float, float, float], width: int = 760, height: int = 560, margin: float = 0.92) -> dict:
    """The centre and zoom at which a (west, south, east, north) box fills a width × height px web-mercator map."""
    west, south, east, north = box

    def mercator_y(lat: float) -> float:
        return math.log(math.tan(math.pi / 4 + math.radians(lat) / 2))

    y_south, y_north = mercator_y(south), mercator_y(north)
    # deck.gl's world is 512 px wide at zoom 0.
    zoom_x = math.log2(width * 360 / (512 * max(east - west, 1e-6)))
    zoom_y = math.log2(height * 2 * math.pi / (512 * max(y_north - y_south, 1e-9)))
    y_mid = (y_south + y_north) / 2
    latitude = math.degrees(2 * math.atan(math.exp(y_mid)) - math.pi / 2)
    return dict(latitude=latitude, longitude=(west + east) / 2, zoom=min(zoom_x, zoom_y) + math.log2(margin))


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


# Decks built from a review, under the review's key (its version, scope, language...) and the deck's arguments.
_decks = per_version.Cache(64)


_json_of: weakref.WeakKeyDictionary = weakref.WeakKeyDictionary()


class Deck(pdk.Deck):
    """A deck that is not changed once built, so its JSON is made once; and compact (pydeck indents it, which makes
    four times the bytes to send to the browser and takes Python's slow encoder)."""

    def to_json(self) -> str:
        text = _json_of.get(self)
        if text is None:
            text = json.dumps(self, sort_keys=True, default=default_serialize, separators=(",", ":"))
            _json_of[self] = text
        return text

    def freeze(self) -> Deck:
        """Its JSON made now and its layers' data let go, for a deck kept in a cache: the JSON is all Streamlit reads,
        and a scale-10 province's schools as records take ten times its 2-3 MB."""
        self.to_json()
        for layer in self.layers:
            layer.data = None
        return self


def _cached(review_key: tuple | None, args: tuple, build) -> Deck:
    return build() if review_key is None else _decks.get((*review_key, *args), lambda: build().freeze())


def _context_layers(own: dict | None, around: list[dict]) -> list[pdk.Layer]:
    layers = []
    if around:
        layers.append(
            pdk.Layer(
                "GeoJsonLayer",
                {"type": "FeatureCollection", "features": around},
                id="around",
                stroked=True,
                filled=True,
                get_fill_color=CONTEXT_FILL,
                get_line_color=[255, 255, 255, 255],
                line_width_min_pixels=1,
            )
        )
    return layers


def _outline_layer(own: dict | None) -> list[pdk.Layer]:
    if own is None:
        return []
    return [
        pdk.Layer(
            "GeoJsonLayer",
            {"type": "FeatureCollection", "features": [own]},
            id="outline",
            stroked=True,
            filled=False,
            get_line_color=[31, 36, 48, 255],
            line_width_min_pixels=2,
        )
    ]


def district_deck(
    rv: province.ProvinceReview, indicator_id: str, tooltip_lines: list[str], width=760, height=560
) -> pdk.Deck:
    """The province's districts on their real boundaries, coloured by status on one KPI, zoomed to the province.

    Built once per review key, KPI, tooltip and size.
    """
    args = ("districts", indicator_id, tuple(tooltip_lines), width, height)
    return _cached(rv.cache_key, args, lambda: _district_deck(rv, indicator_id, tooltip_lines, width, height))


def _district_deck(rv: province.ProvinceReview, indicator_id: str, tooltip_lines: list[str], width, height) -> Deck:
    districts, own, around = province_features(rv.country, rv.province_id)
    rows = province.district_table(rv, indicator_id).set_index("area_id")
    columns = [
        "name",
        "value_label",
        "target_label",
        "change_label",
        "rank_label",
        "status",
        "status_label",
        "status_reason",
    ]
    records = rows[columns]
    records = records.to_dict("index")
    features = []
    for f in districts:
        row = records.get(f["properties"]["code"], {})
        props = {**f["properties"], **{k: ("" if v is None else v) for k, v in row.items()}}
        props.setdefault("name", f["properties"].get("name_en", ""))
        props["fill"] = [*status_rgb(row.get("status")), 225]
        features.append({"type": "Feature", "geometry": f["geometry"], "properties": props})
    layer = pdk.Layer(
        "GeoJsonLayer",
        {"type": "FeatureCollection", "features": features},
        id="districts",
        pickable=True,
        auto_highlight=True,
        stroked=True,
        filled=True,
        get_fill_color="properties.fill",
        get_line_color=[255, 255, 255, 230],
        line_width_min_pixels=1,
        highlight_color=[40, 40, 60, 90],
    )
    view = fit_view(bounds(districts), width, height) if districts else dict(latitude=0, longitude=0, zoom=1)
    return Deck(
        layers=[*_context_layers(own, around), layer, *_outline_layer(own)],
        initial_view_state=pdk.ViewState(**view),
        map_provider=None,  # no basemap: no tile server, no outside request
        tooltip={"html": "<br/>".join(tooltip_lines), "style": TOOLTIP_STYLE},
    )


def school_deck(rv: province.ProvinceReview, tooltip_lines: list[str], width=900, height=560) -> pdk.Deck:
    """The province's schools: hexagons counting schools when zoomed out, each school a point to click when zoomed in.

    Points are sized in metres (at most a few pixels at the province's zoom), so the hexagons carry the
    picture until the reader zooms in; the `schools` layer is the one a click selects. Built once per review key,
    tooltip and size.
    """
    args = ("schools", tuple(tooltip_lines), width, height)
    return _cached(rv.cache_key, args, lambda: _school_deck(rv, tooltip_lines, width, height))


def _school_deck(rv: province.ProvinceReview, tooltip_lines: list[str], width, height) -> Deck:
    districts, own, around = province_features(rv.country, rv.province_id)
    box = bounds(districts) if districts else (100.0, 10.0, 101.0, 11.0)
    view = fit_view(box, width, height)
    # About 40 hexagons across the province's longest side.
    km_per_degree = 111.32
    extent_km = max(
        (box[2] - box[0]) * km_per_degree * math.cos(math.radians((box[1] + box[3]) / 2)),
        (box[3] - box[1]) * km_per_degree,
    )
    radius_m = max(1500.0, min(10000.0, extent_km * 1000 / 40))
    points = rv.schools[["school_id", "name", "type_label", "district", "students", "teachers", "lon", "lat"]]
    points = points.assign(students_label=points["students"].map(lambda v: i18n.number(v, rv.lang)))
    records = points.to_dict("records")
    positions = points[["lon", "lat"]].to_dict("records")  # all the hexagons need: not every school's card again
    outlines = pdk.Layer(
        "GeoJsonLayer",
        {"type": "FeatureCollection", "features": districts},
        id="district_outlines",
        stroked=True,
        filled=True,
        get_fill_color=[250, 250, 250, 255],
        get_line_color=[150, 158, 168, 255],
        line_width_min_pixels=1,
    )
    hexagons = pdk.Layer(
        "HexagonLayer",
        positions,
        id="school_density",
        get_position=["lon", "lat"],
        radius=radius_m,
        coverage=0.92,
        extruded=False,
        opacity=0.55,
        color_range=DENSITY_RAMP,
        pickable=False,
    )
    schools_layer = pdk.Layer(
        "ScatterplotLayer",
        records,
        id="schools",
        get_position=["lon", "lat"],
        get_radius=radius_m / 12,  # metres (pydeck would read the string "meters" as an expression)
        radius_min_pixels=2,
        radius_max_pixels=14,
        get_fill_color=SCHOOL_POINT_COLOR,
        get_line_color=[255, 255, 255, 255],
        stroked=True,
        line_width_min_pixels=1,
        pickable=True,
        auto_highlight=True,
        highlight_color=[245, 166, 35, 255],
    )
    return Deck(
        layers=[*_context_layers(own, around), outlines, hexagons, *_outline_layer(own), schools_layer],
        initial_view_state=pdk.ViewState(**view),
        map_provider=None,
        tooltip={"html": "<br/>".join(tooltip_lines), "style": TOOLTIP_STYLE},
    )
