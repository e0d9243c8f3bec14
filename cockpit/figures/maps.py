"""Maps of areas on their real boundaries (pydeck, no basemap, so nothing is fetched from the internet)."""

from __future__ import annotations

import pandas as pd
import pydeck as pdk

from cockpit.data import geo
from cockpit.data.indicators import status_rgb

# Where each country sits on a ~600 px map; computed once from the bundled boundaries would be
# more general, but a fixed frame keeps every map of a country aligned in a meeting.
VIEWS = {
    "th": dict(latitude=13.1, longitude=100.9, zoom=4.7),
    "la": dict(latitude=18.0, longitude=104.1, zoom=5.25),
}
FILL_ALPHA = 215
TOOLTIP_STYLE = {"backgroundColor": "#1f2430", "color": "white", "fontSize": "14px", "padding": "8px 10px"}


def choropleth(
    country: str,
    level: str,
    areas: pd.DataFrame,
    tooltip_lines: list[str],
    layer_id: str = "areas",
    height_zoom: float = 0.0,
) -> pdk.Deck:
    """Areas coloured by `status`, one feature per boundary; `areas` is indexed by area_id.

    Every column of `areas` becomes a feature property, so `tooltip_lines` may name any of them
    in braces ("{name}", "{value_label}"). Boundaries without a row are drawn grey.
    """
    collection = geo.boundaries(country, level)
    records = areas.to_dict("index")
    for feature in collection["features"]:
        props = feature["properties"]
        row = records.get(props["code"], {})
        props.update({k: ("" if _missing(v) else v) for k, v in row.items()})
        color = status_rgb(row.get("status"))
        props["fill"] = [*color, FILL_ALPHA]
    layer = pdk.Layer(
        "GeoJsonLayer",
        collection,
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
    view = dict(VIEWS.get(country, VIEWS["th"]))
    view["zoom"] += height_zoom
    return pdk.Deck(
        layers=[layer],
        initial_view_state=pdk.ViewState(**view),
        map_provider=None,  # no basemap: no tile server, no outside request
        tooltip={"html": "<br/>".join(tooltip_lines), "style": TOOLTIP_STYLE},
    )


def _missing(value) -> bool:
    try:
        return bool(pd.isna(value))
    except (TypeError, ValueError):
        return False


def alert_map(country: str, worst: dict[str, str], province_tips: dict[str, str], incidents: pd.DataFrame) -> pdk.Deck:
    """Provinces coloured by their most severe open alert, with incidents as circles sized by students affected.

    `worst` maps a province code to the severity of its worst open alert, `province_tips` to its
    tooltip text; `incidents` has lat, lon, students_affected and a `tip`.
    """
    from cockpit.alerts.evaluation import SEVERITY_COLORS  # a map of alerts is drawn in the alerts' own colours

    collection = geo.boundaries(country, "province")
    for feature in collection["features"]:
        props = feature["properties"]
        severity = worst.get(props["code"])
        props["tip"] = province_tips.get(props["code"], props.get("name_en", ""))
        props["fill"] = [*SEVERITY_COLORS.get(severity, (225, 228, 232)), FILL_ALPHA if severity else 160]
    provinces = pdk.Layer(
        "GeoJsonLayer",
        collection,
        id="alert-provinces",
        pickable=True,
        auto_highlight=True,
        stroked=True,
        filled=True,
        get_fill_color="properties.fill",
        get_line_color=[255, 255, 255, 220],
        line_width_min_pixels=1,
    )
    points = incidents[["lat", "lon", "students_affected", "tip"]].copy()
    # Area, not radius, grows with the students affected, so a flood twice as large does not look four times.
    points["radius"] = 1500 + 60 * points["students_affected"].clip(lower=0).astype(float) ** 0.5
    dots = pdk.Layer(
        "ScatterplotLayer",
        points.to_dict("records"),
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
    return pdk.Deck(
        layers=[provinces, dots],
        initial_view_state=pdk.ViewState(**VIEWS.get(country, VIEWS["th"])),
        map_provider=None,
        tooltip={"html": "{tip}", "style": TOOLTIP_STYLE},
    )
