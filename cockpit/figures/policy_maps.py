"""The Policies page's district layer: the districts of the chosen provinces, coloured by status, fitted to them."""

from __future__ import annotations

import copy
from collections.abc import Iterable

import pandas as pd
import pydeck as pdk

from cockpit.figures import maps


def district_layer(
    country: str,
    districts: pd.DataFrame,
    district_ids: Iterable[str],
    tooltip_lines: list[str],
    height: float = maps.MAP_HEIGHT,
) -> pdk.Deck:
    """The districts `district_ids` names (those of a province or a region: drawn grey where `districts`, indexed by
    area_id with a `status` colour key, has no row), zoomed to them by maps.choropleth's own fit; only they are
    drawn, so the map carries a province's or a region's boundaries, not the whole country's."""
    wanted = set(district_ids)
    whole = maps.choropleth(
        country,
        "district",
        districts,
        tooltip_lines=tooltip_lines,
        layer_id="policy-districts",
        focus=sorted(wanted),
        height=height,
    )
    # A narrower copy: the deck choropleth built is left as it is (it may be kept and shared).
    layer = copy.copy(whole.layers[0])
    source = whole.layers[0].data
    layer.data = {**source, "features": [f for f in source["features"] if f["properties"]["code"] in wanted]}
    return pdk.Deck(
        layers=[layer],
        initial_view_state=whole.initial_view_state,
        map_provider=None,  # no basemap: no tile server, no outside request
        tooltip=whole._tooltip,
    )
