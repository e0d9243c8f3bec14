"""The Province page's maps (Vega-Lite, no basemap): districts coloured by a KPI, schools as points to click, the
provinces around drawn faint for context.

Vega-Lite, not Plotly: with its trend chart in Vega-Lite too, the page loads no Plotly, whose bundle costs a new tab
about 0.9 s of the browser's time; Vega's about 0.2 s (README, "Which chart library a page loads"). Not deck.gl: its
3 MB module and a software-WebGL context per map on a laptop without a GPU, for a dozen districts and a few hundred
schools. Vega draws them in SVG, fitted to the map's box by a Mercator projection.
"""

from __future__ import annotations

from functools import lru_cache

from cockpit import i18n
from cockpit.data import geo, per_version
from cockpit.data.indicators import hex_color
from cockpit.figures import vega_maps
from cockpit.figures.maps import bounds
from cockpit.review import province

HEIGHT = 560
DIGITS = 4  # a boundary's coordinates to about 10 m: finer than a pixel at any province's zoom, half the bytes
MARGIN = vega_maps.MARGIN
FILL_OPACITY = 0.88
CONTEXT_FILL = "#eceef1"
OUTLINE = "#1f2430"
SCHOOL_POINT = "#1f2430"  # semi-transparent: overlapping points darken, so where schools crowd reads at a glance
SCHOOL_CHOSEN = "#f5a623"
SELECTION = "school"  # the school map's point selection: st.vega_lite_chart's event.selection.school
SVG_MOST = 2000  # points drawn as SVG elements up to this many (each one an element to find); more on a canvas


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
def _shapes(country: str, province_id: str, which: str) -> tuple[dict, ...]:
    """The features of `which` ("districts", "around" or "own") as the maps draw them: rounded, wound for d3-geo,
    with their code and name as properties. Built once per province; callers copy before adding properties."""
    districts, own, around = province_features(country, province_id)
    shapes = []
    for feature in {"districts": districts, "around": around, "own": [own] if own else []}[which]:
        properties = feature["properties"]
        shapes.append(
            {
                "type": "Feature",
                "geometry": vega_maps.geometry(feature, DIGITS),
                "properties": {"code": properties.get("code"), "name": properties.get("name_en", "")},
            }
        )
    return tuple(shapes)


def frame(country: str, province_id: str) -> dict | None:
    """What the projection fits to the map's box: the province's districts with a margin."""
    districts = province_features(country, province_id)[0]
    return vega_maps.frame(bounds(districts), MARGIN) if districts else None


def _around(rv: province.ProvinceReview) -> list[dict]:
    shapes = _shapes(rv.country, rv.province_id, "around")
    if not shapes:
        return []
    mark = {"type": "geoshape", "fill": CONTEXT_FILL, "stroke": "white", "strokeWidth": 1, "clip": True}
    return [{"data": {"values": list(shapes)}, "mark": mark}]


def _outline(rv: province.ProvinceReview) -> list[dict]:
    shapes = _shapes(rv.country, rv.province_id, "own")
    if not shapes:
        return []
    mark = {"type": "geoshape", "fill": None, "stroke": OUTLINE, "strokeWidth": 2, "clip": True}
    return [{"data": {"values": list(shapes)}, "mark": mark}]


def _spec(rv: province.ProvinceReview, layers: list[dict], height: int, points: int = 0) -> dict:
    fit = frame(rv.country, rv.province_id)
    return vega_maps.map_spec(layers, rv.lang, height, fit=fit, svg=points <= SVG_MOST)


# Specs built from a review, under the review's key (its version, scope, language...) and the map's arguments.
_maps = per_version.Cache(64)


def _cached(review_key: tuple | None, args: tuple, build) -> dict:
    return build() if review_key is None else _maps.get((*review_key, *args), build)


def district_map(
    rv: province.ProvinceReview, indicator_id: str, tooltip: list[tuple[str, str]], height: int = HEIGHT
) -> dict:
    """The province's districts on their real boundaries, coloured by status on one KPI, fitted to the map's box, as
    a Vega-Lite spec.

    A district's tooltip is `tooltip`'s (column of the district table, title) pairs; "status_text" is its status and
    why. Vega writes tooltip values as text. Built once per review key, KPI, tooltip and height.
    """
    args = ("districts", indicator_id, tuple(tooltip), height)
    return _cached(rv.cache_key, args, lambda: _district_map(rv, indicator_id, tooltip, height))


def _district_map(rv: province.ProvinceReview, indicator_id: str, tooltip: list[tuple[str, str]], height: int) -> dict:
    table = province.district_table(rv, indicator_id)
    table = table.assign(status_text=vega_maps.status_text(table))
    rows = table.set_index("area_id").to_dict("index")
    shapes = []
    for shape in _shapes(rv.country, rv.province_id, "districts"):
        code = shape["properties"]["code"]
        row = rows.get(code, {})
        values = {column: vega_maps.text(row.get(column)) for column, _title in tooltip}
        values = {column: value for column, value in values.items() if value}  # a line without its value: left out
        if not row:  # a district without a figure: its name, grey
            values = {"name": shape["properties"]["name"]}
        properties = {**values, "code": code, "status": row.get("status"), "fill": hex_color(row.get("status"))}
        shapes.append({**shape, "properties": properties})
    districts = {
        "data": {"values": shapes},
        "mark": {"type": "geoshape", "stroke": "white", "strokeWidth": 1, "fillOpacity": FILL_OPACITY},
        "encoding": {
            "fill": {"field": "properties.fill", "type": "nominal", "scale": None, "legend": None},
            "tooltip": [
                {"field": f"properties.{column}", "type": "nominal", "title": title} for column, title in tooltip
            ],
        },
    }
    return _spec(rv, [*_around(rv), districts, *_outline(rv)], height)


def school_map(rv: province.ProvinceReview, tooltip: list[tuple[str, str]], height: int = HEIGHT) -> dict:
    """The province's schools as points over its districts' outlines, each a point to hover and to click (a click
    selects its school_id: see clicked_school), fitted to the map's box, as a Vega-Lite spec. `tooltip` is
    (column, title) pairs among name, type_label, district, students_label and school_id. Built once per review
    key, tooltip and height."""
    args = ("schools", tuple(tooltip), height)
    return _cached(rv.cache_key, args, lambda: _school_map(rv, tooltip, height))


def _school_map(rv: province.ProvinceReview, tooltip: list[tuple[str, str]], height: int) -> dict:
    points = rv.schools[["school_id", "name", "type_label", "district", "students", "lon", "lat"]]
    points = points.assign(students_label=points["students"].map(lambda v: i18n.number(v, rv.lang)))
    points = points.drop(columns="students").dropna(subset=["lon", "lat"])
    districts = {
        "data": {"values": list(_shapes(rv.country, rv.province_id, "districts"))},
        "mark": {"type": "geoshape", "fill": "#fafafa", "stroke": "#969ea8", "strokeWidth": 1},
    }
    chosen = {"param": SELECTION, "empty": False}
    schools = {
        "data": {"values": points.astype({"lon": float, "lat": float}).to_dict("records")},
        "params": [{"name": SELECTION, "select": {"type": "point", "fields": ["school_id"], "on": "click"}}],
        "mark": {"type": "circle", "stroke": "white", "strokeWidth": 0.5, "cursor": "pointer"},
        "encoding": {
            "longitude": {"field": "lon", "type": "quantitative"},
            "latitude": {"field": "lat", "type": "quantitative"},
            "color": {"condition": {**chosen, "value": SCHOOL_CHOSEN}, "value": SCHOOL_POINT},
            "opacity": {"condition": {**chosen, "value": 1}, "value": 0.7},
            "size": {"condition": {**chosen, "value": 200}, "value": 60},
            "tooltip": [{"field": column, "type": "nominal", "title": title} for column, title in tooltip],
        },
    }
    layers = [*_around(rv), districts, *_outline(rv), schools]
    return _spec(rv, layers, height, points=len(points))


def clicked_school(selection) -> str | None:
    """The school_id of the point a click on the school map selected, from st.vega_lite_chart's selection."""
    for point in (selection or {}).get(SELECTION) or []:
        school_id = point.get("school_id") if isinstance(point, dict) else None
        if isinstance(school_id, str):
            return school_id
    return None
