"""The Explorer's figures: a set against the others over time (Vega-Lite), a ranked bar and two indicators against
each other (Plotly), and a map at any level (pydeck, no basemap)."""

from __future__ import annotations

import pandas as pd
import plotly.graph_objects as go
import pydeck as pdk

from cockpit import i18n
from cockpit.data import geo
from cockpit.data.indicators import hex_color, status_rgb
from cockpit.figures import charts, maps
from cockpit.figures.charts import FONT

# Sides of a comparison (not statuses): the chosen set dark, the others light, all areas grey; girls dashed.
SIDE_COLORS = {"set": "#1f4e79", "others": "#e08214", "all": "#7f7f7f"}
SEX_DASH = {"total": [1, 0], "female": [8, 4], "male": [2, 3]}  # Vega-Lite stroke dashes
LABEL_ALL_BELOW = 30  # more points than this: only those worse on both are labelled (the rest on hover)


def _layout(fig: go.Figure, height: int, lang: str) -> go.Figure:
    fig.update_layout(
        height=height,
        separators=i18n.plotly_separators(lang),  # axis and hover numbers as the page writes them
        margin=dict(l=10, r=10, t=30, b=10),
        font=dict(family=FONT, size=14),
        legend=dict(orientation="h", yanchor="bottom", y=1.02, x=0),
    )
    return fig


def set_series(table: pd.DataFrame, unit: str, decimals: int = 1, height: int = 460, lang: str = "en") -> dict:
    """One line per side and sex over the periods (table from explore.series_table), as a Vega-Lite spec for
    st.vega_lite_chart: the Explorer opens on this chart, and Plotly's bundle costs a new tab about 0.9 s of the
    browser's time, Vega's about 0.2 s (README, "In the browser"). Vega writes the axis and the tooltip numbers with
    the reader's decimal and group marks (config.locale), and draws names as text."""
    rows = table.assign(line=table["side_label"] + " · " + table["sex_label"])
    lines = rows.drop_duplicates("line")
    number = f",.{int(decimals)}f"
    return {
        "height": height,
        "data": {"values": rows[["period", "value", "line"]].to_dict("records")},
        "mark": {"type": "line", "point": {"size": 70}, "strokeWidth": 3},
        "encoding": {
            "x": {
                "field": "period",
                "type": "ordinal",
                "sort": list(dict.fromkeys(rows["period"])),
                "title": None,
                "axis": {"labelAngle": 0},
            },
            "y": {
                "field": "value",
                "type": "quantitative",
                "title": unit or None,
                "axis": {"format": number},
                "scale": {"zero": False},  # the change is what the lines show, as the other charts' axes
            },
            "color": {
                "field": "line",
                "type": "nominal",
                "title": None,
                "scale": {"domain": list(lines["line"]), "range": [SIDE_COLORS.get(s, "#444") for s in lines["side"]]},
                "legend": {"orient": "top", "labelLimit": 400, "symbolType": "stroke", "symbolStrokeWidth": 3},
            },
            "strokeDash": {
                "field": "line",
                "type": "nominal",
                "scale": {"domain": list(lines["line"]), "range": [SEX_DASH.get(s, [1, 0]) for s in lines["sex"]]},
            },
            "tooltip": [
                {"field": "line", "type": "nominal", "title": " "},
                {"field": "period", "type": "ordinal", "title": i18n.tr(lang, "Period")},  # titles are keys: unique
                {"field": "value", "type": "quantitative", "format": number, "title": unit or " "},
            ],
        },
        "config": charts.vega_config(lang),
    }


def ranked_bar(
    table: pd.DataFrame, by_sex: bool, sex_names: dict[str, str], height: int | None = None, lang: str = "en"
) -> go.Figure:
    """Areas as horizontal bars, best at the top, coloured by status (or by sex, side by side)."""
    rows = table.iloc[::-1]
    height = height or max(320, 22 * len(rows) + 80)
    fig = go.Figure()
    if by_sex:
        for sex, color in (("female", "#8c510a"), ("male", "#01665e")):
            fig.add_trace(go.Bar(y=rows["name"], x=rows[sex], orientation="h", name=sex_names[sex], marker_color=color))
        fig.update_layout(barmode="group")
    else:
        fig.add_trace(
            go.Bar(
                y=rows["name"],
                x=rows["value"],
                orientation="h",
                marker_color=[hex_color(s) for s in rows["status"]],
                text=rows["value_label"],
                textposition="outside",
                customdata=rows["area_id"],
                hovertext=rows["status_reason"],
                showlegend=False,
            )
        )
    fig.update_yaxes(type="category", automargin=True)
    return _layout(fig, height, lang)


def scatter(
    table: pd.DataFrame,
    worse: pd.Series,
    x_name: str,
    y_name: str,
    both_name: str,
    height: int = 560,
    lang: str = "en",
) -> go.Figure:
    """Each area a labelled point; median lines; those worse than the median on both in red."""
    fig = go.Figure()
    for flag, color, name in ((False, "#4d4d4d", None), (True, hex_color("off_track"), both_name)):
        rows = table[worse == flag] if len(table) else table
        fig.add_trace(
            go.Scatter(
                x=rows["x"],
                y=rows["y"],
                mode="markers+text" if flag or len(table) <= LABEL_ALL_BELOW else "markers",
                text=rows["name"],
                hovertext=rows["name"],
                textposition="top center",
                textfont=dict(size=11),
                marker=dict(size=10, color=color),
                customdata=rows["area_id"],
                name=name or "",
                showlegend=bool(name),
            )
        )
    if len(table):
        fig.add_vline(x=table["x"].median(), line=dict(color="#999", dash="dot"))
        fig.add_hline(y=table["y"].median(), line=dict(color="#999", dash="dot"))
    fig.update_xaxes(title_text=x_name)
    fig.update_yaxes(title_text=y_name)
    return _layout(fig, height, lang)


def area_map(
    country: str,
    level: str,
    table: pd.DataFrame,
    province_ids_of: dict[str, list[str]],
    tooltip: list[str],
    width: float = 700,
    height: float = 600,
):
    """The areas of `table` (indexed by area_id; `status` and any labels) on their boundaries, fitted to them on a
    width × height px map.

    A grouping's rows are drawn on its provinces (`province_ids_of`), which carry its figures.
    """
    if level not in ("province", "district"):
        rows = []
        for key, row in table.iterrows():
            for province_id in province_ids_of.get(key, []):
                rows.append({**row.to_dict(), "area_id": province_id, "group_key": key})
        table = pd.DataFrame(rows).set_index("area_id") if rows else table
        level = "province"
    collection = geo.boundaries(country, level)
    records = table.to_dict("index")
    features = []
    for feature in collection["features"]:
        code = feature["properties"]["code"]
        if code not in records:
            continue
        props = {**feature["properties"], **{k: ("" if maps._missing(v) else v) for k, v in records[code].items()}}
        props["fill"] = [*status_rgb(records[code].get("status")), maps.FILL_ALPHA]
        features.append({"type": "Feature", "geometry": feature["geometry"], "properties": props})
    layer = pdk.Layer(
        "GeoJsonLayer",
        {"type": "FeatureCollection", "features": features},
        id="areas",
        pickable=True,
        auto_highlight=True,
        stroked=True,
        filled=True,
        get_fill_color="properties.fill",
        get_line_color=[255, 255, 255, 200],
        line_width_min_pixels=1,
        highlight_color=[40, 40, 60, 90],
    )
    view = maps.fit_view(maps.bounds(features), width, height) if features else maps.view_of(country, height=height)
    return pdk.Deck(
        layers=[layer],
        initial_view_state=pdk.ViewState(**view),
        map_provider=None,  # no basemap: no tile server, no outside request
        tooltip={"html": "<br/>".join(tooltip), "style": maps.TOOLTIP_STYLE},
    )
