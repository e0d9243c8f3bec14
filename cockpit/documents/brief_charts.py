"""The briefs' charts as PNG (matplotlib, Noto fonts for Thai and Lao): status counts, trends, the district and
region maps."""

from __future__ import annotations

import io
import math
import threading
from collections import OrderedDict

import pandas as pd
from matplotlib import font_manager
from matplotlib.backends.backend_agg import FigureCanvasAgg
from matplotlib.collections import PatchCollection
from matplotlib.figure import Figure
from matplotlib.patches import Polygon, Rectangle
from matplotlib.ticker import FuncFormatter
from shapely.geometry import shape

from cockpit import i18n
from cockpit.data import geo, indicators
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


def _figure(width: float, height: float, layout: str | None = None) -> Figure:
    register_fonts()
    fig = Figure(figsize=(width, height), dpi=150, layout=layout)
    FigureCanvasAgg(fig)
    fig.patch.set_facecolor("white")
    return fig


def _png(fig: Figure) -> bytes:
    out = io.BytesIO()
    fig.savefig(out, format="png", dpi=150, facecolor="white")
    return out.getvalue()


FONT_FAMILY = ["Noto Sans", "Noto Sans Thai", "Noto Sans Lao"]


# The PNGs of the reviews briefed last: the PowerPoint and the PDF of one review draw the same charts once.
_made: OrderedDict[tuple, tuple[province.ProvinceReview, bytes]] = OrderedDict()


_MADE_KEPT = 12


def _memo(rv: province.ProvinceReview, key: tuple, draw) -> bytes:
    # Keyed by the review object itself (kept with its PNG, so its id is not reused while the entry lives).
    key = (id(rv), *key)
    with _fonts_lock:
        if key in _made:
            _made.move_to_end(key)
            return _made[key][1]
    png = _png(draw())
    with _fonts_lock:
        _made[key] = (rv, png)
        while len(_made) > _MADE_KEPT:
            _made.popitem(last=False)
    return png


def status_chart(rv: province.ProvinceReview) -> bytes:
    """One bar: how many KPIs are on track, at risk, off track and without data (PNG)."""
    return _memo(rv, ("status",), lambda: status_figure(rv))


def status_figure(rv: province.ProvinceReview) -> Figure:
    """One bar: how many KPIs are on track, at risk, off track and without data."""
    return counts_figure(province.status_counts(rv.kpis), rv.lang)


def region_status_chart(rb) -> bytes:
    """The region's KPIs by status, one bar (PNG) of a region brief (region_briefs.RegionBrief)."""
    counts = province.status_counts(rb.review.kpis.assign(status=rb.review.kpis["region_status"]))
    return _memo(rb, ("status",), lambda: counts_figure(counts, rb.lang))


def counts_figure(counts: dict[str, int], lang: str) -> Figure:
    """One bar: how many KPIs are on track, at risk, off track and without data (`counts` by status)."""
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
        Rectangle((0, 0), 1, 1, color=rgb(STATUS_COLORS[status]), label=indicators.status_label(status, lang))
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
    return fig


def trend_chart(rv: province.ProvinceReview, kpis: pd.DataFrame, columns: int = 3) -> bytes:
    """The trend_figure as PNG."""
    return _memo(rv, ("trend", tuple(kpis["indicator_id"]), columns), lambda: trend_figure(rv, kpis, columns))


# A subplot's title: at most this many characters a line, two lines (a 12-inch figure in three columns).
TITLE_LINE_CHARS = 44


def trend_figure(rv: province.ProvinceReview, kpis: pd.DataFrame, columns: int = 3) -> Figure:
    """Small multiples of some KPIs: the province (its end coloured by status), its region, the nation, the target.

    The legend sits in a band of its own above the subplots (constrained layout keeps it off their titles)."""
    rows = max(1, -(-len(kpis) // columns))
    fig = _figure(12.0, 2.6 * rows + 0.5, layout="constrained")
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
        step = max(1, len(ticks) // 4)
        shown = list(range(0, len(ticks), step))
        if ticks and shown[-1] != len(ticks) - 1:
            if len(shown) > 1 and len(ticks) - 1 - shown[-1] < step:
                shown.pop()  # too near the newest period's label, which is always shown
            shown.append(len(ticks) - 1)
        ax.set_xticks(shown, [ticks[i] for i in shown], fontsize=7.5, family=FONT_FAMILY)
        ax.tick_params(axis="y", labelsize=8)
        ax.yaxis.set_major_formatter(locale_ticks(rv.lang))
        ax.set_title(_title_lines(kpi["name"]), fontsize=9.5, family=FONT_FAMILY, loc="left", color=rgb(briefs.INK))
        ax.grid(axis="y", color="#eceff3")
        for side in ("top", "right"):
            ax.spines[side].set_visible(False)
    handles, labels = axes.flat[0].get_legend_handles_labels()
    fig.legend(
        handles, labels, loc="outside upper center", ncol=4, frameon=False, prop={"family": FONT_FAMILY, "size": 10}
    )
    fig.get_layout_engine().set(h_pad=0.06, w_pad=0.06, hspace=0.06, wspace=0.04)
    return fig


def locale_ticks(lang: str) -> FuncFormatter:
    """An axis's tick labels in the reader's locale (92,5 and 1.250 in Lao), with the decimals each tick needs
    (up to 3), as matplotlib's own labels would have them."""

    def label(value: float, _position) -> str:
        places = next((d for d in range(3) if abs(value - round(value, d)) < 1e-9 * max(1.0, abs(value))), 3)
        return i18n.number(value, lang, places)

    return FuncFormatter(label)


def _title_lines(name: str) -> str:
    """A KPI's name on at most two lines of a subplot's width, shortened with '…' when longer."""
    clusters = short_text.cluster_starts(name)
    if len(name) <= TITLE_LINE_CHARS:
        return name
    spaces = [i for i in range(1, len(name)) if name[i] == " " and i <= TITLE_LINE_CHARS]
    cut = spaces[-1] if spaces and spaces[-1] > TITLE_LINE_CHARS // 2 else None
    if cut is None:  # Thai and Lao: no spaces between words; break between two words ("ในกา|รทำงาน" before)
        words = [w for w in short_text.word_starts(name) if TITLE_LINE_CHARS // 2 < w <= TITLE_LINE_CHARS]
        clusters_in = [c for c in clusters if 0 < c <= TITLE_LINE_CHARS]
        cut = max(words) if words else max(clusters_in, default=TITLE_LINE_CHARS)
    return name[:cut].rstrip() + "\n" + short_text.shorten(name[cut:].strip(), TITLE_LINE_CHARS)


def district_map(rv: province.ProvinceReview, indicator_id: str) -> bytes:
    """The district_figure as PNG."""
    return _memo(rv, ("districts", indicator_id), lambda: district_figure(rv, indicator_id))


def district_figure(rv: province.ProvinceReview, indicator_id: str) -> Figure:
    """The province's districts coloured by status on one KPI, labelled with its value where a label has room:
    the districts furthest from on track first, a label that would cover another one left out."""
    districts, own, _around = province_maps.province_features(rv.country, rv.province_id)
    table = province.district_table(rv, indicator_id).set_index("area_id")
    return area_figure(districts, table)


def region_map(rb, indicator_id: str) -> bytes:
    """The region_figure of a region brief (region_briefs.RegionBrief) as PNG."""
    return _memo(rb, ("provinces", indicator_id), lambda: region_figure(rb, indicator_id))


def region_figure(rb, indicator_id: str) -> Figure:
    """A region's provinces coloured by their status on one KPI, labelled with name and value where there is room."""
    rr = rb.review
    members = set(rr.province_ids)
    features = [f for f in geo.boundaries(rr.country, "province")["features"] if f["properties"]["code"] in members]
    rows = rr.values[(rr.values["role"] == "province") & (rr.values["indicator_id"] == indicator_id)]
    return area_figure(features, rows.drop_duplicates("area_id").set_index("area_id"))


def area_figure(features: list[dict], table: pd.DataFrame) -> Figure:
    """Areas (GeoJSON features) coloured by status, labelled with name and value where a label has room: those
    furthest from on track first, a label that would cover another one left out. `table` is indexed by the features'
    codes, with name, value_label and status."""
    box = province_maps.bounds(features) if features else (0.0, 0.0, 1.0, 1.0)
    # Degrees of longitude shrink with latitude: keep the areas' real proportions.
    stretch = 1 / max(0.2, math.cos(math.radians((box[1] + box[3]) / 2)))
    ratio = (box[3] - box[1]) * stretch / max(box[2] - box[0], 1e-6)
    fig = _figure(6.0 / max(ratio, 1.0), 6.0 * min(ratio, 1.0))
    ax = fig.add_axes((0.01, 0.01, 0.98, 0.98))
    patches, colors = [], []
    for feature in features:
        row = table.loc[feature["properties"]["code"]] if feature["properties"]["code"] in table.index else None
        status = row["status"] if row is not None and isinstance(row["status"], str) else "no_data"
        for polygon in _polygons(feature):
            patches.append(Polygon(polygon, closed=True))
            colors.append(rgb(status_rgb(status)))
    ax.add_collection(PatchCollection(patches, facecolor=colors, edgecolor="white", linewidth=0.8))
    ax.set_xlim(box[0], box[2])
    ax.set_ylim(box[1], box[3])
    ax.set_aspect(stretch)
    ax.axis("off")
    crowded = len(features) > MAP_LABELS_UP_TO
    order = {"off_track": 0, "at_risk": 1, "on_track": 2, "met": 3, "no_data": 4}
    named = [f for f in features if f["properties"]["code"] in table.index]
    named.sort(key=lambda f: order.get(table.loc[f["properties"]["code"], "status"], 5))
    renderer = fig.canvas.get_renderer()
    placed = []
    for feature in named:
        code = feature["properties"]["code"]
        # Where areas are many and small (Bangkok has 50 districts), only those not on track are named.
        if crowded and table.loc[code, "status"] in ("on_track", "met", "no_data"):
            continue
        anchor = shape(feature["geometry"]).representative_point()
        label = ax.text(
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
        extent = label.get_window_extent(renderer)
        inside = fig.bbox.x0 <= extent.x0 and extent.x1 <= fig.bbox.x1 and fig.bbox.y0 <= extent.y0
        if not inside or extent.y1 > fig.bbox.y1 or any(extent.overlaps(other) for other in placed):
            label.remove()
            continue
        placed.append(extent)
    return fig


def _polygons(feature: dict) -> list[list[list[float]]]:
    geometry = feature["geometry"]
    polygons = geometry["coordinates"] if geometry["type"] == "MultiPolygon" else [geometry["coordinates"]]
    return [polygon[0] for polygon in polygons]
