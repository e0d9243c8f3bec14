"""The briefs' charts as PNG (matplotlib, Noto fonts for Thai and Lao): status counts, trends, the district map."""

from __future__ import annotations

import io
import math
import threading

import pandas as pd
from matplotlib import font_manager
from matplotlib.backends.backend_agg import FigureCanvasAgg
from matplotlib.collections import PatchCollection
from matplotlib.figure import Figure
from matplotlib.patches import Polygon, Rectangle
from shapely.geometry import shape

from cockpit.data import indicators
from cockpit.data.indicators import STATUS_COLORS, status_rgb
from cockpit.documents import briefs, pdf
from cockpit.figures import province_charts, province_maps, short_text
from cockpit.review import province

MAP_LABELS_UP_TO = 20


_fonts_lock = threading.Lock()


_fonts_ready = False


def register_fonts() -> None:
    """Make matplotlib know the bundled Noto fonts (once per process)."""
    global _fonts_ready
    with _fonts_lock:
        if _fonts_ready:
            return
        for path in sorted(pdf.FONT_DIR.glob("*.ttf")):
            font_manager.fontManager.addfont(str(path))
        _fonts_ready = True


def rgb(color: tuple[int, int, int]) -> tuple[float, float, float]:
    return tuple(c / 255 for c in color)


def _figure(width: float, height: float) -> Figure:
    register_fonts()
    fig = Figure(figsize=(width, height), dpi=150)
    FigureCanvasAgg(fig)
    fig.patch.set_facecolor("white")
    return fig


def _png(fig: Figure) -> bytes:
    out = io.BytesIO()
    fig.savefig(out, format="png", dpi=150, facecolor="white")
    return out.getvalue()


FONT_FAMILY = ["Noto Sans", "Noto Sans Thai", "Noto Sans Lao"]


def status_chart(rv: province.ProvinceReview) -> bytes:
    """One bar: how many KPIs are on track, at risk, off track and without data."""
    counts = province.status_counts(rv.kpis)
    fig = _figure(6.0, 1.5)
    ax = fig.add_axes((0.02, 0.35, 0.96, 0.45))
    left = 0
    for status in ("on_track", "at_risk", "off_track", "no_data"):
        n = counts[status]
        if not n:
            continue
        ax.barh(0, n, left=left, color=rgb(STATUS_COLORS[status]), edgecolor="white", height=0.9)
        ax.text(
            left + n / 2,
            0,
            str(n),
            ha="center",
            va="center",
            color="white",
            fontsize=14,
            fontweight="bold",
            family=FONT_FAMILY,
        )
        left += n
    ax.set_xlim(0, max(left, 1))
    ax.axis("off")
    handles = [
        Rectangle((0, 0), 1, 1, color=rgb(STATUS_COLORS[status]), label=indicators.status_label(status, rv.lang))
        for status in ("on_track", "at_risk", "off_track", "no_data")
        if counts[status]
    ]
    fig.legend(
        handles=handles,
        loc="lower left",
        ncol=len(handles),
        frameon=False,
        prop={"family": FONT_FAMILY, "size": 10},
        handlelength=1.0,
        borderaxespad=0.2,
    )
    return _png(fig)


def trend_chart(rv: province.ProvinceReview, kpis: pd.DataFrame, columns: int = 3) -> bytes:
    """Small multiples of some KPIs: the province (its end coloured by status), its region, the nation, the target."""
    rows = max(1, -(-len(kpis) // columns))
    fig = _figure(12.0, 2.35 * rows + 0.5)
    names = {"province": rv.name, "region": rv.group_name or rv.tr("Region"), "nation": rv.nation_name}
    styles = {"province": ("-", 2.6), "region": ("--", 1.6), "nation": (":", 1.8)}
    axes = fig.subplots(rows, columns, squeeze=False)
    for ax in axes.flat:
        ax.set_visible(False)
    for ax, (_, kpi) in zip(axes.flat, kpis.iterrows(), strict=True):
        ax.set_visible(True)
        data = rv.series[
            (rv.series["indicator_id"] == kpi["indicator_id"]) & (rv.series["period_start"] <= kpi["period_start"])
        ]
        own = data[data["role"] == "province"].sort_values("period_start")
        ticks = list(own["period_short"])
        position = {p: i for i, p in enumerate(ticks)}
        for role in ("nation", "region", "province"):
            line = data[data["role"] == role].sort_values("period_start")
            line = line[line["period_short"].isin(position)]
            if line.empty:
                continue
            style, width = styles[role]
            ax.plot(
                [position[p] for p in line["period_short"]],
                line["value"],
                style,
                lw=width,
                color=province_charts.LINE_COLORS[role],
                label=names[role],
            )
        target = own.dropna(subset=["target"])
        if not target.empty:
            ax.plot(
                [position[p] for p in target["period_short"]],
                target["target"],
                "-.",
                lw=1,
                color=province_charts.LINE_COLORS["target"],
                label=rv.tr("Target"),
            )
        if not own.empty:
            last = own.iloc[-1]
            ax.scatter(
                [position[last["period_short"]]],
                [last["value"]],
                s=70,
                zorder=5,
                color=rgb(status_rgb(last["status"])),
                edgecolor="white",
            )
        shown = list(range(0, len(ticks), max(1, len(ticks) // 4)))
        if ticks and shown[-1] != len(ticks) - 1:
            shown.append(len(ticks) - 1)
        ax.set_xticks(shown, [ticks[i] for i in shown], fontsize=7.5, family=FONT_FAMILY)
        ax.tick_params(axis="y", labelsize=8)
        ax.set_title(
            short_text.shorten(kpi["name"], 48), fontsize=10, family=FONT_FAMILY, loc="left", color=rgb(briefs.INK)
        )
        ax.grid(axis="y", color="#eceff3")
        for side in ("top", "right"):
            ax.spines[side].set_visible(False)
    handles, labels = axes.flat[0].get_legend_handles_labels()
    fig.legend(handles, labels, loc="upper center", ncol=4, frameon=False, prop={"family": FONT_FAMILY, "size": 10})
    fig.subplots_adjust(
        left=0.05, right=0.99, top=1 - 0.45 / fig.get_figheight(), bottom=0.06, hspace=0.55, wspace=0.22
    )
    return _png(fig)


def district_map(rv: province.ProvinceReview, indicator_id: str) -> bytes:
    """The province's districts coloured by status on one KPI, each labelled with its value."""
    districts, own, _around = province_maps.province_features(rv.country, rv.province_id)
    table = province.district_table(rv, indicator_id).set_index("area_id")
    box = province_maps.bounds(districts) if districts else (0.0, 0.0, 1.0, 1.0)
    # Degrees of longitude shrink with latitude: keep the districts' real proportions.
    stretch = 1 / max(0.2, math.cos(math.radians((box[1] + box[3]) / 2)))
    ratio = (box[3] - box[1]) * stretch / max(box[2] - box[0], 1e-6)
    fig = _figure(6.0 / max(ratio, 1.0), 6.0 * min(ratio, 1.0))
    ax = fig.add_axes((0.01, 0.01, 0.98, 0.98))
    patches, colors = [], []
    for feature in districts:
        row = table.loc[feature["properties"]["code"]] if feature["properties"]["code"] in table.index else None
        status = row["status"] if row is not None else "no_data"
        for polygon in _polygons(feature):
            patches.append(Polygon(polygon, closed=True))
            colors.append(rgb(status_rgb(status)))
    ax.add_collection(PatchCollection(patches, facecolor=colors, edgecolor="white", linewidth=0.8))
    crowded = len(districts) > MAP_LABELS_UP_TO
    for feature in districts:
        code = feature["properties"]["code"]
        # Where districts are many and small (Bangkok has 50), only those not on track are named.
        if code not in table.index or (crowded and table.loc[code, "status"] in ("on_track", "no_data")):
            continue
        anchor = shape(feature["geometry"]).representative_point()
        ax.text(
            anchor.x,
            anchor.y,
            f"{table.loc[code, 'name']}\n{table.loc[code, 'value_label']}",
            ha="center",
            va="center",
            fontsize=7,
            family=FONT_FAMILY,
            color="white",
            fontweight="bold",
        )
    ax.set_xlim(box[0], box[2])
    ax.set_ylim(box[1], box[3])
    ax.set_aspect(stretch)
    ax.axis("off")
    return _png(fig)


def _polygons(feature: dict) -> list[list[list[float]]]:
    geometry = feature["geometry"]
    polygons = geometry["coordinates"] if geometry["type"] == "MultiPolygon" else [geometry["coordinates"]]
    return [polygon[0] for polygon in polygons]
