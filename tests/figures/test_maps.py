"""Maps fit their areas: every area shown lies inside the map's frame at the size the 1366×768 layout draws it, and
a chosen region or province fills the map rather than sitting small in the country's view."""

import pytest

from cockpit.data import geo, indicators
from cockpit.figures import maps, province_maps, vega_maps

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


def test_a_vega_map_fits_a_chosen_region_and_otherwise_what_it_draws():
    import pandas as pd

    empty = pd.DataFrame(index=pd.Index([], name="area_id"))
    whole = vega_maps.choropleth("la", "province", empty, [("name", "Province")], "en", 560)
    assert whole["projection"] == {"type": "mercator"}  # Vega fits the projection to the 18 provinces it draws
    assert len(whole["layer"][0]["data"]["values"]) == 18
    north = ["LA-PH", "LA-LM", "LA-OU", "LA-BK", "LA-LP", "LA-HO", "LA-XA"]
    region = vega_maps.choropleth("la", "province", empty, [("name", "Province")], "en", 560, focus=north)
    shapes = vega_maps.shapes("la", "province")
    fit = region["projection"]["fit"]["geometry"]["coordinates"]
    west, south, east, north_edge = vega_maps.bounds([shapes[c] for c in north])
    assert fit[0][0] < west < east < fit[1][0] and fit[0][1] < south < north_edge < fit[1][1]
    assert len(region["layer"][0]["data"]["values"]) == 18 and region["layer"][0]["mark"]["clip"]  # the rest clipped
    unknown = vega_maps.choropleth("la", "province", empty, [("name", "Province")], "en", 560, focus=["nowhere"])
    assert "fit" not in unknown["projection"]


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
    import pandas as pd

    empty = pd.DataFrame(index=pd.Index([], name="area_id"))
    as_array = vega_maps.choropleth("la", "province", empty, [], "en", 560, focus=np.array(["LA-SL", "LA-XE"]))
    assert as_array == vega_maps.choropleth("la", "province", empty, [], "en", 560, focus=["LA-SL", "LA-XE"])
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


def test_a_vega_map_carries_only_what_it_shows_coloured_by_status():
    import pandas as pd

    frame = _provinces("th").assign(name=lambda f: f["name"].where(f.index != "10", "<b>Bangkok</b>"))
    spec = vega_maps.choropleth("th", "province", frame, [("name", "Province")], "en", 640)
    areas = {a["code"]: a for a in spec["layer"][0]["data"]["values"]}
    assert len(areas) == 77
    first = frame.index[0]
    assert set(areas[first]) == {"code", "name", "status", "fill", "geo"}  # no trend: only what the map shows
    assert areas[first]["fill"] == indicators.hex_color(frame.loc[first, "status"])
    assert areas["10"]["name"] == "<b>Bangkok</b>"  # as written: Vega's tooltip writes values as text
    # every ring wound for d3-geo, else a shape would fill the globe
    for area in areas.values():
        for polygon in area["geo"]["geometry"]["coordinates"]:
            ring = polygon[0]
            assert sum(x0 * y1 - x1 * y0 for (x0, y0), (x1, y1) in zip(ring, ring[1:], strict=False)) < 0
    # a click selects an area by its code
    assert spec["layer"][0]["params"][0]["select"]["fields"] == ["code"]
    assert vega_maps.clicked({vega_maps.SELECTION: [{"code": "10"}]}) == "10"
    assert vega_maps.clicked({vega_maps.SELECTION: {}}) is None and vega_maps.clicked(None) is None
    # a fill of its own (a severity's colour) wins; `only` draws those areas alone; `above` adds layers on top
    own = frame.assign(fill="#a50026")
    dots = {"mark": "circle"}
    spec = vega_maps.choropleth(
        "th", "province", own, [("name", "Province")], "en", 640, only=["10", "11"], above=[dots]
    )
    assert [a["fill"] for a in spec["layer"][0]["data"]["values"]] == ["#a50026", "#a50026"]
    assert spec["layer"][1] is dots
    incidents = pd.DataFrame({"lon": [102.6], "lat": [17.9], "students": [400.0], "what": ["Flood <b>"]})
    layer = vega_maps.circles(incidents, "students", [("what", "What")])
    assert layer["encoding"]["size"]["field"] == "students" and layer["encoding"]["size"]["scale"]["zero"]
    assert layer["data"]["values"] == [{"lon": 102.6, "lat": 17.9, "students": 400.0, "what": "Flood <b>"}]


AREAS_BOX_JS = """chart => {
  const frame = chart.querySelector('svg.marks').getBoundingClientRect();
  const boxes = [...chart.querySelectorAll('g.mark-shape path')].map(p => p.getBoundingClientRect());
  return {frame: [frame.left, frame.top, frame.right, frame.bottom], count: boxes.length,
          union: [Math.min(...boxes.map(b => b.left)), Math.min(...boxes.map(b => b.top)),
                  Math.max(...boxes.map(b => b.right)), Math.max(...boxes.map(b => b.bottom))]};
}"""


@pytest.mark.browser
@pytest.mark.parametrize(
    ("path", "areas"),
    [("?country=la&lang=lo", 18), ("alerts?country=la&lang=lo", 18), ("?country=th&lang=th", 77)],
    ids=["overview-la", "alerts-la", "overview-th"],
)
def test_a_national_map_shows_the_whole_country(path, areas, streamlit_url, new_page):
    """As Chromium draws them at 1366×768: every province inside the map (Lao maps once cut Xaignabouly, Louangnamtha
    and Bokeo at the left edge), the country filling the map one way."""
    from streamlit_wait import wait_for_streamlit

    page = new_page(1366, 768)
    page.goto(f"{streamlit_url}/{path}")
    wait_for_streamlit(page, 120_000)
    chart = page.get_by_test_id("stVegaLiteChart").filter(has=page.locator("g.mark-shape")).first
    chart.scroll_into_view_if_needed()
    drawn = chart.evaluate(AREAS_BOX_JS)
    (left, top, right, bottom), (x0, y0, x1, y1) = drawn["frame"], drawn["union"]
    assert drawn["count"] == areas, drawn
    assert left - 1 <= x0 < x1 <= right + 1 and top - 1 <= y0 < y1 <= bottom + 1, drawn
    assert max((x1 - x0) / (right - left), (y1 - y0) / (bottom - top)) > 0.85, drawn
