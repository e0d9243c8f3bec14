"""Maps fit their areas: every area shown lies inside the map's frame at the size the 1366×768 layout draws it, and
a chosen region or province fills the map rather than sitting small in the country's view."""

import pytest

from cockpit.data import geo
from cockpit.figures import maps, province_maps

# The maps' boxes in Chromium at 1366×768 with the sidebar open (wide layout), measured on the pages.
OVERVIEW = (309, 640)
ALERTS = (294, 560)


def outside(boxes: dict, view: dict, width: float, height: float) -> list[str]:
    """The codes of the boxes any corner of which deck.gl would draw outside a width × height px map of `view`."""
    out = []
    for code, (west, south, east, north) in boxes.items():
        for lon, lat in ((west, south), (west, north), (east, south), (east, north)):
            x, y = maps.on_screen(lon, lat, view, width, height)
            if not (0 <= x <= width and 0 <= y <= height):
                out.append(code)
                break
    return out


def filled(boxes: dict, view: dict, width: float, height: float) -> float:
    """The largest share of the map's width or height the boxes together span."""
    west = min(b[0] for b in boxes.values())
    south = min(b[1] for b in boxes.values())
    east = max(b[2] for b in boxes.values())
    north = max(b[3] for b in boxes.values())
    x0, y0 = maps.on_screen(west, north, view, width, height)
    x1, y1 = maps.on_screen(east, south, view, width, height)
    return max((x1 - x0) / width, (y1 - y0) / height)


def region_choices(country: str) -> list[tuple[str, list[str]]]:
    """(a grouping's key, its provinces) for every grouping the region filter offers, from data/geo."""
    table = geo.province_groups(country)
    columns = [c for c in ("reo", "inspection_region", "region6", "region") if c in table.columns]
    return [
        (f"{column}:{value}", list(rows["province_code"]))
        for column in columns
        for value, rows in table.groupby(column)
        if value != ""
    ]


@pytest.mark.parametrize("country", geo.COUNTRIES)
@pytest.mark.parametrize("level", geo.LEVELS)
@pytest.mark.parametrize("size", [OVERVIEW, ALERTS], ids=["overview", "alerts"])
def test_the_whole_country_fits(country, level, size):
    view = maps.view_of(country, level, width=maps.MAP_WIDTH, height=size[1])
    boxes = maps.area_bounds(country, level)
    assert outside(boxes, view, *size) == []
    assert filled(boxes, view, *size) > 0.85  # and fills the map


@pytest.mark.parametrize("country", geo.COUNTRIES)
def test_a_chosen_region_fills_the_map(country):
    boxes = maps.area_bounds(country, "province")
    choices = region_choices(country)
    assert len(choices) >= 3
    for key, provinces in choices:
        view = maps.view_of(country, "province", provinces, height=ALERTS[1])
        shown = {p: boxes[p] for p in provinces}
        assert outside(shown, view, *ALERTS) == [], key
        assert filled(shown, view, *ALERTS) > 0.85, key  # zoomed to the region, not the country's frame


def test_unknown_focus_falls_back_to_the_country():
    assert maps.view_of("la", focus=["nowhere"]) == maps.view_of("la")


def test_the_decks_use_the_fitted_view():
    import pandas as pd

    deck = maps.choropleth("la", "province", pd.DataFrame(index=pd.Index([], name="area_id")), ["{name}"])
    view = deck.initial_view_state
    assert (view.latitude, view.longitude, view.zoom) == tuple(maps.view_of("la").values())
    north = ["LA-PH", "LA-LM", "LA-OU", "LA-BK", "LA-LP", "LA-HO", "LA-XA"]
    deck = maps.alert_map("la", {}, {}, pd.DataFrame(columns=["lat", "lon", "students_affected", "tip"]), north)
    assert deck.initial_view_state.zoom == pytest.approx(maps.view_of("la", focus=north)["zoom"])
    assert deck.initial_view_state.zoom > maps.view_of("la")["zoom"]


def _extremes() -> list[tuple[str, str]]:
    """Khammouan (cut off before), Phetchabun, and the tallest and widest provinces of both countries."""
    cases = {("la", "LA-KH"), ("th", "67")}
    for country in geo.COUNTRIES:
        by_province: dict[str, list[dict]] = {}
        for feature in geo.boundaries(country, "district")["features"]:
            by_province.setdefault(feature["properties"]["province_code"], []).append(feature)
        aspect = {}
        for code, features in by_province.items():
            west, south, east, north = maps.bounds(features)
            aspect[code] = (east - west) / (north - south)
        cases.add((country, min(aspect, key=aspect.get)))
        cases.add((country, max(aspect, key=aspect.get)))
    return sorted(cases)


OUTLINE_BOX_JS = """chart => {
  const outline = [...chart.querySelectorAll('g.mark-shape path')].filter(
    p => p.getAttribute('stroke') === 'OUTLINE' && p.getAttribute('stroke-width') === '2');
  const frame = chart.querySelector('svg.marks').getBoundingClientRect();
  const box = outline.length === 1 ? outline[0].getBoundingClientRect() : null;
  return {frame: [frame.left, frame.top, frame.right, frame.bottom],
          box: box && [box.left, box.top, box.right, box.bottom], outlines: outline.length};
}""".replace("OUTLINE", province_maps.OUTLINE)


@pytest.mark.browser
@pytest.mark.parametrize(("country", "province"), _extremes())
def test_a_province_fits_its_district_and_school_maps(country, province, streamlit_url, new_page):
    """As Chromium draws them at 1366×768: the province's outline whole inside each map and filling it one way."""
    from streamlit_wait import wait_for_streamlit

    page = new_page(1366, 768)
    page.goto(f"{streamlit_url}/province?country={country}&province={province}&lang=en")
    wait_for_streamlit(page, 120_000)
    charts = page.get_by_test_id("stVegaLiteChart")
    for n in (1, 2):  # the districts' map, the schools' map (the trend chart is first)
        charts.nth(n).scroll_into_view_if_needed()
        drawn = charts.nth(n).evaluate(OUTLINE_BOX_JS)
        assert drawn["outlines"] == 1, drawn
        (left, top, right, bottom), (x0, y0, x1, y1) = drawn["frame"], drawn["box"]
        assert left - 1 <= x0 < x1 <= right + 1 and top - 1 <= y0 < y1 <= bottom + 1, (n, drawn)
        assert max((x1 - x0) / (right - left), (y1 - y0) / (bottom - top)) > 0.85, (n, drawn)


def test_a_focus_may_be_an_array():
    import numpy as np

    assert maps.view_of("la", focus=np.array(["LA-SL", "LA-XE"])) == maps.view_of("la", focus=["LA-SL", "LA-XE"])


def _provinces(country: str):
    import pandas as pd

    codes = list(maps.area_bounds(country, "province"))
    return pd.DataFrame(
        {
            "name": [f"P {c}" for c in codes],
            "status": ["met", "off_track"] * (len(codes) // 2) + ["at_risk"] * (len(codes) % 2),
            "trend": [[1.0, 2.0]] * len(codes),  # in the page's frame, not in the map's tooltip
        },
        index=codes,
    )


def test_a_map_is_built_once_for_what_it_shows_and_sent_compact():
    import json

    from pydeck.bindings.json_tools import serialize

    frame = _provinces("th")
    deck = maps.choropleth("th", "province", frame, ["<b>{name}</b>"], layer_id="provinces")
    assert maps.choropleth("th", "province", frame.copy(), ["<b>{name}</b>"], layer_id="provinces") is deck  # a rerun
    text = deck.to_json()
    spec = json.loads(text)
    assert text == json.dumps(spec, sort_keys=True, separators=(",", ":"))  # no indentation, no spaces
    assert len(text) < len(serialize(deck)) / 3  # pydeck's own JSON is indented
    props = spec["layers"][0]["data"]["features"][0]["properties"]
    assert {"code", "name", "status", "fill"} <= set(props) and "trend" not in props  # only what the map shows
    # Another figure is another map: the changed province's colour with it.
    changed = frame.copy()
    first = frame.index[0]
    changed.loc[first, "status"] = "at_risk"
    other = maps.choropleth("th", "province", changed, ["<b>{name}</b>"], layer_id="provinces")
    assert other is not deck
    fills = {
        f["properties"]["code"]: f["properties"]["fill"]
        for f in json.loads(other.to_json())["layers"][0]["data"]["features"]
    }
    assert fills[first][:3] == list(maps.status_rgb("at_risk"))
    # The fit is the view's, whatever the cache: a region chosen is another map.
    north = ["LA-PH", "LA-LM", "LA-OU"]
    lao = maps.choropleth("la", "province", _provinces("la"), ["{name}"], focus=north)
    assert lao.initial_view_state.zoom == pytest.approx(maps.view_of("la", focus=north)["zoom"])


def test_the_alert_map_is_built_once_for_what_it_shows():
    import pandas as pd

    incidents = pd.DataFrame({"lat": [17.9], "lon": [102.6], "students_affected": [400], "tip": ["Flood"]})
    deck = maps.alert_map("la", {"LA-VT": "critical"}, {"LA-VT": "Vientiane"}, incidents)
    assert maps.alert_map("la", {"LA-VT": "critical"}, {"LA-VT": "Vientiane"}, incidents.copy()) is deck
    assert maps.alert_map("la", {"LA-VT": "warning"}, {"LA-VT": "Vientiane"}, incidents) is not deck
    assert "\n" not in deck.to_json()
