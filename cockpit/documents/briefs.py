"""Meeting briefs an office takes to its own meeting: the province's story in words, its charts, as PowerPoint and PDF.

Everything comes from one `province.ProvinceReview`, the object the Province page shows, so the
brief says what the screen says, in the reader's language. Charts are matplotlib PNGs drawn with
the bundled Noto fonts (Thai and Lao labels render); the PDF embeds the fonts and shapes its text
with HarfBuzz (`cockpit.pdf`); the PowerPoint names Noto Sans Thai / Noto Sans Lao as the
complex-script font of every run, so PowerPoint and LibreOffice pick a font that has the glyphs.
"""

from __future__ import annotations

import io
import math
import threading
from dataclasses import dataclass, field
from datetime import date

import pandas as pd
from matplotlib import font_manager
from matplotlib.backends.backend_agg import FigureCanvasAgg
from matplotlib.collections import PatchCollection
from matplotlib.figure import Figure
from matplotlib.patches import Polygon, Rectangle
from pptx import Presentation
from pptx.dml.color import RGBColor
from pptx.oxml.ns import qn
from pptx.util import Emu, Inches, Pt
from shapely.geometry import shape

from cockpit import clock, i18n
from cockpit.data import indicators
from cockpit.data.indicators import STATUS_COLORS
from cockpit.documents import pdf, workbooks
from cockpit.figures import province_charts, province_maps, short_text
from cockpit.review import policies, province

COMPLEX_SCRIPT_FONTS = {"th": "Noto Sans Thai", "la": "Noto Sans Lao"}
LANGUAGE_TAGS = {"th": "th-TH", "lo": "lo-LA", "en": "en-GB"}
LATIN_FONT = "Noto Sans"
INK = (31, 36, 48)
MUTED = (98, 106, 118)
FOCUS_COUNT = 9
TABLE_ROWS_PER_SLIDE = 12
PDF_TABLE_ROWS = 17
STORY_LINES_PER_SLIDE = 15
DISTRICTS_BESIDE_MAP = 16
MAP_LABELS_UP_TO = 20
DISTRICTS_BESIDE_MAP_PDF = 24

_fonts_lock = threading.Lock()
_fonts_ready = False


def _register_fonts() -> None:
    """Make matplotlib know the bundled Noto fonts (once per process)."""
    global _fonts_ready
    with _fonts_lock:
        if _fonts_ready:
            return
        for path in sorted(pdf.FONT_DIR.glob("*.ttf")):
            font_manager.fontManager.addfont(str(path))
        _fonts_ready = True


# --- The story in words -----------------------------------------------------------------------------------------


@dataclass(frozen=True)
class Point:
    """One point of the story: a sentence, and the items it lists (KPIs with their figures), if any."""

    text: str
    items: tuple[str, ...] = field(default_factory=tuple)


def _kpi_item(row: pd.Series, lang: str) -> str:
    return f"{row['name']}: {row['value_label']} ({row['change_label'] or i18n.NO_VALUE})"


def story(rv: province.ProvinceReview) -> list[Point]:
    """The province's story for a meeting: status, off-track KPIs, what changed, where it ranks, alerts, decisions."""
    tr = rv.tr
    counts = province.status_counts(rv.kpis)
    grey = counts["grey"]
    total = len(rv.kpis)
    points = [
        Point(
            tr(
                "{n} KPIs: {green} on track, {amber} at risk, {red} off track.",
                n=total,
                green=counts["green"],
                amber=counts["amber"],
                red=counts["red"],
            )
            + (" " + tr("{grey} without data.", grey=grey) if grey else "")
        )
    ]
    red = rv.kpis[rv.kpis["status"] == "red"]
    if not red.empty:
        points.append(Point(tr("Off track:"), tuple(_kpi_item(r, rv.lang) for _, r in red.iterrows())))
    newly_red = rv.kpis[
        (rv.kpis["status"] == "red") & rv.kpis["previous_status"].notna() & (rv.kpis["previous_status"] != "red")
    ]
    if not newly_red.empty:
        points.append(Point(tr("Fell off track since the previous period:"), tuple(newly_red["name"])))
    recovered = rv.kpis[(rv.kpis["status"] == "green") & rv.kpis["previous_status"].isin(["red", "amber"])]
    if not recovered.empty:
        points.append(Point(tr("Back on track since the previous period:"), tuple(recovered["name"])))
    kinds = rv.kpis["change_kind"].value_counts()
    points.append(
        Point(
            tr(
                "Since the previous period, {improved} KPIs improved, {worsened} worsened and {unchanged} held steady.",
                improved=int(kinds.get("improved", 0)),
                worsened=int(kinds.get("worsened", 0)),
                unchanged=int(kinds.get("unchanged", 0)),
            )
        )
    )
    best = province.biggest_changes(rv.kpis, "improved")
    if not best.empty:
        points.append(Point(tr("Biggest improvements:"), tuple(_kpi_item(r, rv.lang) for _, r in best.iterrows())))
    worst = province.biggest_changes(rv.kpis, "worsened")
    if not worst.empty:
        points.append(Point(tr("Biggest deteriorations:"), tuple(_kpi_item(r, rv.lang) for _, r in worst.iterrows())))
    vs_region = province.comparison_counts(rv.kpis, "vs_region")
    vs_nation = province.comparison_counts(rv.kpis, "vs_nation")
    if rv.group is not None:
        points.append(
            Point(
                tr(
                    "Better than {region} on {better} KPIs, worse on {worse}.",
                    region=rv.group_name,
                    better=vs_region["better"],
                    worse=vs_region["worse"],
                )
            )
        )
    points.append(
        Point(
            tr(
                "Better than the national figure on {better} KPIs, worse on {worse}.",
                better=vs_nation["better"],
                worse=vs_nation["worse"],
            )
        )
    )
    # Counts (schools closed, students affected) grow with a province's size: ranking on them says little.
    ranked = rv.kpis[rv.kpis["unit"] != "count"].dropna(subset=["rank"])
    if not ranked.empty:
        share = ranked["rank"] / ranked["ranked_provinces"]
        top, bottom = ranked.loc[share.idxmin()], ranked.loc[share.idxmax()]
        best, best_rank, worst_, worst_rank = top["name"], top["rank_label"], bottom["name"], bottom["rank_label"]
        points.append(
            Point(
                tr(
                    "Best national rank: {best} ({best_rank}); lowest: {worst} ({worst_rank}).",
                    best=best,
                    best_rank=best_rank,
                    worst=worst_,
                    worst_rank=worst_rank,
                )
            )
        )
    open_alerts = rv.open_alerts
    if open_alerts.empty:
        points.append(Point(tr("No open alerts.")))
    else:
        severities = province.severity_counts(rv)
        points.append(
            Point(
                tr(
                    "{n} open alerts: {critical} critical, {high} high, {medium} medium, {low} low.",
                    n=len(open_alerts),
                    **severities,
                ),
                tuple(
                    f"{a['severity_label']} · {a['title']} · {a['place']}" for _, a in open_alerts.head(5).iterrows()
                ),
            )
        )
    behind = rv.policies[rv.policies["status"].isin(["red", "amber"])]
    if not rv.policies.empty:
        red_policies = rv.policies[rv.policies["status"] == "red"]
        points.append(
            Point(
                tr(
                    "Policies and projects: {behind} of {total} behind plan, {red} off track.",
                    behind=len(behind),
                    total=len(rv.policies),
                    red=len(red_policies),
                ),
                tuple(_policy_item(p, rv) for _, p in red_policies.head(5).iterrows()),
            )
        )
    open_decisions = rv.decisions[rv.decisions["status"] == "open"]
    if not rv.decisions.empty:
        points.append(
            Point(
                tr(
                    "Decisions: {open} open, {overdue} past their due date.",
                    open=len(open_decisions),
                    overdue=int(open_decisions["overdue"].sum()),
                ),
                tuple(_decision_item(d, rv) for _, d in open_decisions.head(5).iterrows()),
            )
        )
    return points


def _policy_item(policy: pd.Series, rv: province.ProvinceReview) -> str:
    name, progress, plan, gap = policy["name"], policy["progress_label"], policy["plan_label"], policy["gap_label"]
    return rv.tr(
        "{policy}: {progress} done against {plan} planned ({gap})",
        policy=name.strip("\u2003· "),
        progress=progress,
        plan=plan,
        gap=gap,
    )


def _decision_item(decision: pd.Series, rv: province.ProvinceReview) -> str:
    due = decision["due_date"]
    text = f"{decision['text']} · {decision['owner']}"
    if due is not None and not pd.isna(due):
        text += " · " + rv.tr("due {day}", day=short_text.day_label(due, rv.lang))
    return text


def focus_kpis(rv: province.ProvinceReview, count: int = FOCUS_COUNT) -> pd.DataFrame:
    """The KPIs a meeting should look at first: off track, then the biggest deteriorations, then at risk."""
    order = {"red": 0, "amber": 2, "green": 3, "grey": 4}
    table = rv.kpis.copy()
    table["_order"] = table["status"].map(order).fillna(4)
    table.loc[(table["change_kind"] == "worsened") & (table["status"] != "red"), "_order"] = 1
    table["_size"] = table["relative_change"].fillna(0)
    return table.sort_values(["_order", "_size"]).head(count)


# --- Charts (matplotlib, PNG) -----------------------------------------------------------------------------------


def _rgb(color: tuple[int, int, int]) -> tuple[float, float, float]:
    return tuple(c / 255 for c in color)


def _figure(width: float, height: float) -> Figure:
    _register_fonts()
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
    for status in ("green", "amber", "red", "grey"):
        n = counts[status]
        if not n:
            continue
        ax.barh(0, n, left=left, color=_rgb(STATUS_COLORS[status]), edgecolor="white", height=0.9)
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
        Rectangle((0, 0), 1, 1, color=_rgb(STATUS_COLORS[status]), label=indicators.status_label(status, rv.lang))
        for status in ("green", "amber", "red", "grey")
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
                color=_rgb(STATUS_COLORS.get(last["status"], STATUS_COLORS["grey"])),
                edgecolor="white",
            )
        shown = list(range(0, len(ticks), max(1, len(ticks) // 4)))
        if ticks and shown[-1] != len(ticks) - 1:
            shown.append(len(ticks) - 1)
        ax.set_xticks(shown, [ticks[i] for i in shown], fontsize=7.5, family=FONT_FAMILY)
        ax.tick_params(axis="y", labelsize=8)
        ax.set_title(short_text.shorten(kpi["name"], 48), fontsize=10, family=FONT_FAMILY, loc="left", color=_rgb(INK))
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
        status = row["status"] if row is not None else "grey"
        for polygon in _polygons(feature):
            patches.append(Polygon(polygon, closed=True))
            colors.append(_rgb(STATUS_COLORS.get(status, STATUS_COLORS["grey"])))
    ax.add_collection(PatchCollection(patches, facecolor=colors, edgecolor="white", linewidth=0.8))
    crowded = len(districts) > MAP_LABELS_UP_TO
    for feature in districts:
        code = feature["properties"]["code"]
        # Where districts are many and small (Bangkok has 50), only those not on track are named.
        if code not in table.index or (crowded and table.loc[code, "status"] in ("green", "grey")):
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


# Characters the bundled fonts lack, as the PDF writes them.
PDF_REPLACEMENTS = str.maketrans({"\u2212": "-", "\u2192": "->", "\u2265": ">=", "\u2264": "<="})


def _fit(doc, text: str, width: float) -> str:
    """Text for a PDF cell `width` mm wide: fonts' missing characters replaced, and every run without spaces
    that is wider than the cell (Thai and Lao write words without spaces) broken between two clusters, so the
    line breaks there and never between a letter and its vowel or tone mark."""
    text = str(text).translate(PDF_REPLACEMENTS)
    words = []
    for word in text.split(" "):
        if doc.get_string_width(word) <= width:
            words.append(word)
            continue
        pieces, start = [], 0
        starts = [*short_text.cluster_starts(word), len(word)]
        last = 0
        for end in starts:
            if doc.get_string_width(word[start:end]) > width and last > start:
                pieces.append(word[start:last])
                start = last
            last = end
        pieces.append(word[start:])
        words.append("\n".join(pieces))
    return " ".join(words)


# --- What every brief shows -------------------------------------------------------------------------------------


def title(rv: province.ProvinceReview) -> str:
    return rv.tr("{province}: provincial education review", province=rv.name)


def subtitle(rv: province.ProvinceReview, today: date | None = None) -> str:
    parts = [rv.group_name] if rv.group_name else []
    parts.append(rv.tr("Data as of {day}", day=short_text.day_label(rv.as_of, rv.lang)))
    parts.append(rv.tr("Prepared {day}", day=short_text.day_label(today or clock.today(), rv.lang)))
    return " · ".join(parts)


def kpi_rows(rv: province.ProvinceReview) -> tuple[list[str], list[list[str]], list[str]]:
    """The KPI table as the brief prints it: (headings, rows of text, status of each row)."""
    headings = [
        rv.tr("KPI"),
        rv.tr("Period"),
        rv.tr("Value"),
        rv.tr("Target"),
        rv.tr("Status"),
        rv.tr("Change"),
        rv.tr("Region"),
        rv.tr("Nation"),
        rv.tr("National rank"),
    ]
    rows = [
        [
            k["name"],
            k["period"],
            k["value_label"],
            k["target_label"],
            k["status_label"],
            k["change_label"] or i18n.NO_VALUE,
            k["region_label"],
            k["nation_label"],
            k["rank_label"],
        ]
        for _, k in rv.kpis.iterrows()
    ]
    return headings, rows, list(rv.kpis["status"])


def district_rows(rv: province.ProvinceReview, indicator_id: str) -> tuple[list[str], list[list[str]], list[str]]:
    table = province.district_table(rv, indicator_id)
    headings = [rv.tr("District"), rv.tr("Value"), rv.tr("Status"), rv.tr("Change"), rv.tr("Rank")]
    rows = [
        [r["name"], r["value_label"], r["status_label"], r["change_label"] or i18n.NO_VALUE, r["rank_label"]]
        for _, r in table.iterrows()
    ]
    return headings, rows, list(table["status"])


def alert_rows(rv: province.ProvinceReview) -> tuple[list[str], list[list[str]]]:
    headings = [rv.tr("Severity"), rv.tr("Alert"), rv.tr("Where"), rv.tr("State"), rv.tr("Since")]
    rows = [
        [
            a["severity_label"],
            f"{a['title']} ({a['period']})",
            a["place"],
            a["state_label"],
            short_text.day_label(a["first_seen_at"], rv.lang),
        ]
        for _, a in rv.open_alerts.iterrows()
    ]
    return headings, rows


def policy_heading(rv: province.ProvinceReview) -> str:
    quarter = rv.policy_period
    text = rv.tr("Policies and projects: progress against plan")
    return text + (f" · {policies.quarter_label(quarter, rv.country, rv.lang)}" if quarter is not None else "")


def policy_rows(rv: province.ProvinceReview) -> tuple[list[str], list[list[str]], list[str]]:
    headings = [rv.tr("Policy or project"), rv.tr("Done"), rv.tr("Planned"), rv.tr("Gap"), rv.tr("Status")]
    rows = [
        [p["name"], p["progress_label"], p["plan_label"], p["gap_label"], p["status_label"]]
        for _, p in rv.policies.iterrows()
    ]
    return headings, rows, list(rv.policies["status"])


def decision_rows(rv: province.ProvinceReview) -> tuple[list[str], list[list[str]], list[str]]:
    headings = [rv.tr("Meeting"), rv.tr("Decision"), rv.tr("Owner"), rv.tr("Due"), rv.tr("Status")]
    rows, statuses = [], []
    for _, d in rv.decisions.iterrows():
        due = d["due_date"]
        rows.append(
            [
                short_text.day_label(d["meeting_date"], rv.lang),
                d["text"],
                d["owner"],
                short_text.day_label(due, rv.lang) if due is not None and not pd.isna(due) else i18n.NO_VALUE,
                d["status_label"] + (" · " + rv.tr("overdue") if d["overdue"] else ""),
            ]
        )
        statuses.append("red" if d["overdue"] else ("amber" if d["status"] == "open" else "green"))
    return headings, rows, statuses


def footer(rv: province.ProvinceReview) -> str:
    return rv.tr(
        "Education Management Cockpit · {province} · data as of {day}",
        province=rv.name,
        day=short_text.day_label(rv.as_of, rv.lang),
    )


def default_indicator(rv: province.ProvinceReview) -> str:
    """The KPI the district breakdown shows when the reader chose none: the first to look at."""
    return str(focus_kpis(rv, 1)["indicator_id"].iloc[0])


# --- PowerPoint -------------------------------------------------------------------------------------------------


def _font_run(run, rv: province.ProvinceReview, size: float, bold: bool = False, color=INK) -> None:
    font = run.font
    font.size = Pt(size)
    font.bold = bold
    font.name = LATIN_FONT
    font.color.rgb = RGBColor(*color)
    rpr = run._r.get_or_add_rPr()
    rpr.set("lang", LANGUAGE_TAGS.get(rv.lang, "en-GB"))
    script_font = COMPLEX_SCRIPT_FONTS.get(rv.country, "Noto Sans Thai")
    for tag in ("a:ea", "a:cs"):
        element = rpr.find(qn(tag))
        if element is None:
            element = rpr.makeelement(qn(tag), {})
            # a:latin must come before a:ea and a:cs in the schema's order.
            latin = rpr.find(qn("a:latin"))
            if latin is not None:
                latin.addnext(element) if tag == "a:ea" else rpr.find(qn("a:ea")).addnext(element)
            else:
                rpr.append(element)
        element.set("typeface", script_font)


def _text(slide, rv, left, top, width, height, text: str, size: float, bold=False, color=INK, align=None):
    box = slide.shapes.add_textbox(left, top, width, height)
    frame = box.text_frame
    frame.word_wrap = True
    paragraph = frame.paragraphs[0]
    if align is not None:
        paragraph.alignment = align
    run = paragraph.add_run()
    run.text = text
    _font_run(run, rv, size, bold, color)
    return box


def _slide(prs, rv, heading: str):
    slide = prs.slides.add_slide(prs.slide_layouts[6])  # blank
    _text(slide, rv, Inches(0.5), Inches(0.3), Inches(12.3), Inches(0.8), heading, 26, bold=True)
    _text(slide, rv, Inches(0.5), Inches(7.0), Inches(12.3), Inches(0.4), footer(rv), 10, color=MUTED)
    return slide


def _bullets(slide, rv, points: list[Point], left, top, width, height, size=16):
    box = slide.shapes.add_textbox(left, top, width, height)
    frame = box.text_frame
    frame.word_wrap = True
    first = True
    for point in points:
        paragraph = frame.paragraphs[0] if first else frame.add_paragraph()
        first = False
        run = paragraph.add_run()
        run.text = "• " + point.text
        _font_run(run, rv, size, bold=bool(point.items))
        paragraph.space_after = Pt(4)
        for item in point.items:
            sub = frame.add_paragraph()
            sub.level = 1
            run = sub.add_run()
            run.text = "– " + item
            _font_run(run, rv, size - 3)
    return box


def _table(slide, rv, headings, rows, statuses, left, top, width, widths, status_column=None, size=11):
    shape = slide.shapes.add_table(len(rows) + 1, len(headings), left, top, width, Inches(0.3) * (len(rows) + 1))
    table = shape.table
    total = sum(widths)
    for i, w in enumerate(widths):
        table.columns[i].width = Emu(int(width * w / total))
    for c, heading in enumerate(headings):
        cell = table.cell(0, c)
        cell.text = ""
        run = cell.text_frame.paragraphs[0].add_run()
        run.text = heading
        _font_run(run, rv, size, bold=True, color=(255, 255, 255))
        cell.fill.solid()
        cell.fill.fore_color.rgb = RGBColor(*INK)
    for r, row in enumerate(rows, start=1):
        for c, text in enumerate(row):
            cell = table.cell(r, c)
            cell.text = ""
            run = cell.text_frame.paragraphs[0].add_run()
            run.text = str(text)
            is_status = status_column is not None and c == status_column
            _font_run(run, rv, size, bold=is_status, color=(255, 255, 255) if is_status else INK)
            cell.fill.solid()
            if is_status:
                cell.fill.fore_color.rgb = RGBColor(*STATUS_COLORS.get(statuses[r - 1], STATUS_COLORS["grey"]))
            else:
                cell.fill.fore_color.rgb = RGBColor(255, 255, 255) if r % 2 else RGBColor(244, 246, 248)
            cell.margin_top = cell.margin_bottom = Emu(20000)
    return shape


def _table_slides(prs, rv, heading, headings, rows, statuses, widths, status_column=None, size=11) -> None:
    """A table over as many slides as its rows need, each slide titled 'heading (2/3)'."""
    pages = max(1, -(-len(rows) // TABLE_ROWS_PER_SLIDE))
    for page in range(pages):
        start = page * TABLE_ROWS_PER_SLIDE
        slide = _slide(prs, rv, heading + (f" ({page + 1}/{pages})" if pages > 1 else ""))
        _table(
            slide,
            rv,
            headings,
            rows[start : start + TABLE_ROWS_PER_SLIDE],
            statuses[start : start + TABLE_ROWS_PER_SLIDE],
            Inches(0.5),
            Inches(1.2),
            Inches(12.3),
            widths,
            status_column=status_column,
            size=size,
        )


def _story_pages(points: list[Point], lines: int) -> list[list[Point]]:
    """The story's points in slide-sized groups, a point and its items never split; long lines count twice."""
    pages: list[list[Point]] = [[]]
    used = 0
    for point in points:
        size = sum(1 + len(text) // 95 for text in (point.text, *point.items))
        if pages[-1] and used + size > lines:
            pages.append([])
            used = 0
        pages[-1].append(point)
        used += size
    return pages


def province_pptx(rv: province.ProvinceReview, indicator_id: str | None = None, today: date | None = None) -> bytes:
    """The meeting brief as a 16:9 PowerPoint: title, the story, every KPI, trends, districts, alerts."""
    indicator_id = indicator_id or default_indicator(rv)
    prs = Presentation()
    prs.slide_width, prs.slide_height = Inches(13.333), Inches(7.5)
    slide = prs.slides.add_slide(prs.slide_layouts[6])
    _text(slide, rv, Inches(0.8), Inches(2.3), Inches(11.7), Inches(1.4), title(rv), 40, bold=True)
    _text(slide, rv, Inches(0.8), Inches(3.8), Inches(11.7), Inches(0.8), subtitle(rv, today), 18, color=MUTED)
    profile = rv.profile
    _text(
        slide,
        rv,
        Inches(0.8),
        Inches(4.6),
        Inches(11.7),
        Inches(0.8),
        rv.tr(
            "{districts} districts · {schools} schools · {students} students · {teachers} teachers",
            districts=i18n.number(profile["districts"], rv.lang),
            schools=i18n.number(profile["schools"], rv.lang),
            students=i18n.number(profile["students"], rv.lang),
            teachers=i18n.number(profile["teachers"], rv.lang),
        ),
        18,
        color=MUTED,
    )

    # The story over as many slides as it needs: about 15 lines of 14 pt fit under a slide's heading.
    pages = _story_pages(story(rv), STORY_LINES_PER_SLIDE)
    chart = status_chart(rv)
    for number, points in enumerate(pages, start=1):
        heading = rv.tr("In brief") + (f" ({number}/{len(pages)})" if len(pages) > 1 else "")
        slide = _slide(prs, rv, heading)
        _bullets(slide, rv, points, Inches(0.5), Inches(1.2), Inches(7.6), Inches(5.7), size=14)
        if number == 1:
            slide.shapes.add_picture(io.BytesIO(chart), Inches(8.4), Inches(1.3), width=Inches(4.5))

    headings, rows, statuses = kpi_rows(rv)
    _table_slides(
        prs,
        rv,
        rv.tr("Every KPI against target, region and nation"),
        headings,
        rows,
        statuses,
        [5.2, 1.5, 1.1, 1.1, 1.5, 1.2, 1.1, 1.1, 1.2],
        status_column=4,
    )

    focus = focus_kpis(rv)
    slide = _slide(prs, rv, rv.tr("The KPIs to watch: five-year trends"))
    picture = io.BytesIO(trend_chart(rv, focus))
    slide.shapes.add_picture(picture, Inches(0.6), Inches(1.15), height=Inches(5.8))

    indicator = rv.indicator(indicator_id)
    heading = rv.tr("Districts: {indicator}", indicator=indicators.name(indicator, rv.lang))
    slide = _slide(prs, rv, heading)
    slide.shapes.add_picture(io.BytesIO(district_map(rv, indicator_id)), Inches(0.5), Inches(1.15), height=Inches(5.8))
    headings, rows, statuses = district_rows(rv, indicator_id)
    widths = [2.6, 1.1, 1.6, 1.1, 1.0]
    first = DISTRICTS_BESIDE_MAP
    _table(
        slide,
        rv,
        headings,
        rows[:first],
        statuses[:first],
        Inches(6.6),
        Inches(1.2),
        Inches(6.2),
        widths,
        status_column=2,
        size=10,
    )
    if len(rows) > first:  # a province of many districts (Bangkok has 50): the rest on slides of their own
        _table_slides(prs, rv, heading, headings, rows[first:], statuses[first:], widths, status_column=2, size=10)

    headings, rows = alert_rows(rv)
    if rows:
        _table_slides(prs, rv, rv.tr("Open alerts"), headings, rows, ["grey"] * len(rows), [1.2, 5.0, 2.6, 1.5, 1.5])
    else:
        slide = _slide(prs, rv, rv.tr("Open alerts"))
        _text(slide, rv, Inches(0.5), Inches(1.4), Inches(12), Inches(1), rv.tr("No open alerts."), 18)

    if not rv.policies.empty:
        headings, rows, statuses = policy_rows(rv)
        _table_slides(
            prs, rv, policy_heading(rv), headings, rows, statuses, [6.0, 1.3, 1.3, 1.3, 1.8], status_column=4, size=10
        )

    if not rv.decisions.empty:
        headings, rows, statuses = decision_rows(rv)
        _table_slides(
            prs,
            rv,
            rv.tr("Decisions about {province}", province=rv.name),
            headings,
            rows,
            statuses,
            [1.4, 5.4, 2.0, 1.4, 1.3],
            status_column=4,
        )

    out = io.BytesIO()
    prs.core_properties.title = title(rv)
    prs.core_properties.author = "Education Management Cockpit"
    prs.save(out)
    return out.getvalue()


# --- PDF --------------------------------------------------------------------------------------------------------


def province_pdf(rv: province.ProvinceReview, indicator_id: str | None = None, today: date | None = None) -> bytes:
    """The meeting brief as an A4 landscape PDF, fonts embedded and text shaped: the same pages as the PowerPoint."""
    from fpdf.fonts import FontFace

    indicator_id = indicator_id or default_indicator(rv)
    doc = pdf.document("landscape", title=title(rv), author="Education Management Cockpit")
    doc.set_lang(LANGUAGE_TAGS.get(rv.lang, "en-GB"))
    doc.set_auto_page_break(True, margin=14)
    foot = footer(rv)

    def page_footer():
        doc.set_y(-11)
        _font(doc, "", 8)
        doc.set_text_color(*MUTED)
        doc.cell(0, 5, _fit(doc, f"{foot} · {doc.page_no()}", doc.epw), align="C")
        doc.set_text_color(*INK)

    doc.footer = page_footer

    def heading(text: str, size: float = 18):
        _font(doc, "B", size)
        doc.set_text_color(*INK)
        doc.multi_cell(0, size * 0.5, _fit(doc, text, doc.epw - 2), new_x="LMARGIN", new_y="NEXT", align="L")
        doc.ln(2)
        _font(doc, "", 10)

    def table(headings, rows, statuses, widths, status_column=None, size=8.5):
        _font(doc, "", size)
        with doc.table(
            col_widths=widths,
            width=sum(widths),
            align="LEFT",
            text_align="LEFT",
            line_height=size * 0.55,
            headings_style=FontFace(emphasis="BOLD", color=(255, 255, 255), fill_color=INK),
            borders_layout="HORIZONTAL_LINES",
            padding=1.2,
        ) as t:
            room = [w - 3.0 for w in widths]  # less the cell's padding
            head = t.row()
            for c, h in enumerate(headings):
                head.cell(_fit(doc, h, room[c]))
            for r, row in enumerate(rows):
                line = t.row()
                for c, text in enumerate(row):
                    if status_column is not None and c == status_column:
                        color = STATUS_COLORS.get(statuses[r], STATUS_COLORS["grey"])
                        style = FontFace(emphasis="BOLD", color=(255, 255, 255), fill_color=color)
                        line.cell(_fit(doc, text, room[c]), style=style)
                    else:
                        line.cell(_fit(doc, text, room[c]))

    doc.add_page()
    heading(title(rv), 22)
    _font(doc, "", 11)
    doc.set_text_color(*MUTED)
    doc.multi_cell(0, 6, _fit(doc, subtitle(rv, today), doc.epw - 2), new_x="LMARGIN", new_y="NEXT", align="L")
    profile = rv.profile
    _font(doc, "", 11)
    doc.multi_cell(
        0,
        6,
        rv.tr(
            "{districts} districts · {schools} schools · {students} students · {teachers} teachers",
            districts=i18n.number(profile["districts"], rv.lang),
            schools=i18n.number(profile["schools"], rv.lang),
            students=i18n.number(profile["students"], rv.lang),
            teachers=i18n.number(profile["teachers"], rv.lang),
        ),
        new_x="LMARGIN",
        new_y="NEXT",
    )
    doc.set_text_color(*INK)
    doc.ln(3)
    top = doc.get_y()
    doc.image(io.BytesIO(status_chart(rv)), x=doc.w - doc.r_margin - 95, y=top, w=95)
    _font(doc, "B", 14)
    doc.cell(0, 8, rv.tr("In brief"), new_x="LMARGIN", new_y="NEXT", align="L")
    width = doc.epw - 100
    for point in story(rv):
        _font(doc, "B" if point.items else "", 10.5)
        doc.multi_cell(width, 5.6, _fit(doc, "• " + point.text, width - 2), new_x="LMARGIN", new_y="NEXT", align="L")
        for item in point.items:
            _font(doc, "", 9.5)
            doc.set_x(doc.l_margin + 5)
            doc.multi_cell(width - 5, 5.0, _fit(doc, "– " + item, width - 7), new_x="LMARGIN", new_y="NEXT", align="L")
        doc.ln(0.8)

    # One table a page, never broken by fpdf's automatic page break: text after such a break can lose its
    # font (fpdf 2.8 with fallback fonts), so each page starts its table afresh.
    def paged_table(title_, headings, rows, statuses, widths, status_column=None):
        pages = max(1, -(-len(rows) // PDF_TABLE_ROWS))
        for page in range(pages):
            doc.add_page()
            heading(title_ + (f" ({page + 1}/{pages})" if pages > 1 else ""))
            start = page * PDF_TABLE_ROWS
            table(
                headings,
                rows[start : start + PDF_TABLE_ROWS],
                statuses[start : start + PDF_TABLE_ROWS],
                widths,
                status_column=status_column,
            )

    headings, rows, statuses = kpi_rows(rv)
    paged_table(
        rv.tr("Every KPI against target, region and nation"),
        headings,
        rows,
        statuses,
        [92, 28, 18, 18, 28, 22, 18, 18, 25],
        status_column=4,
    )

    doc.add_page()
    heading(rv.tr("The KPIs to watch: five-year trends"))
    image_width = doc.epw
    doc.image(io.BytesIO(trend_chart(rv, focus_kpis(rv))), x=doc.l_margin, w=image_width * 0.92)

    indicator = rv.indicator(indicator_id)
    title_ = rv.tr("Districts: {indicator}", indicator=indicators.name(indicator, rv.lang))
    doc.add_page()
    heading(title_)
    top = doc.get_y()
    widths = [44, 18, 30, 20, 18]
    room = doc.epw - sum(widths) - 8
    picture = doc.image(
        io.BytesIO(district_map(rv, indicator_id)), x=doc.l_margin, y=top, w=room, h=150, keep_aspect_ratio=True
    )
    margin = doc.l_margin
    doc.set_left_margin(margin + min(float(picture.rendered_width), room) + 8)
    doc.set_xy(doc.l_margin, top)
    headings, rows, statuses = district_rows(rv, indicator_id)
    first = DISTRICTS_BESIDE_MAP_PDF
    table(headings, rows[:first], statuses[:first], widths, status_column=2, size=8)
    doc.set_left_margin(margin)
    if len(rows) > first:
        paged_table(title_, headings, rows[first:], statuses[first:], widths, status_column=2)

    headings, rows = alert_rows(rv)
    if rows:
        paged_table(rv.tr("Open alerts"), headings, rows, [], [22, 110, 60, 30, 30])
    else:
        doc.add_page()
        heading(rv.tr("Open alerts"))
        _font(doc, "", 12)
        doc.multi_cell(0, 7, _fit(doc, rv.tr("No open alerts."), doc.epw - 2), new_x="LMARGIN", new_y="NEXT", align="L")
    if not rv.policies.empty:
        headings, rows, statuses = policy_rows(rv)
        paged_table(policy_heading(rv), headings, rows, statuses, [150, 25, 25, 25, 35], status_column=4)
    if not rv.decisions.empty:
        headings, rows, statuses = decision_rows(rv)
        paged_table(
            rv.tr("Decisions about {province}", province=rv.name),
            headings,
            rows,
            statuses,
            [28, 140, 45, 28, 26],
            status_column=4,
        )
    return bytes(doc.output())


def _font(doc, style: str, size: float) -> None:
    """Set the text font, making fpdf write it out again even when unchanged.

    fpdf 2.8 writes each line in its own q…Q block and switches to a fallback font (Thai, Lao) inside
    it; a later line in the same font then carries no font of its own and is not drawn ("No font in
    show"). Selecting another font first makes fpdf set this one again, outside any q…Q block.
    """
    doc.set_font("notothai", style, size)
    doc.set_font("noto", style, size)


def file_name(rv: province.ProvinceReview, extension: str, today: date | None = None) -> str:
    """'province-67-phetchabun-2026-11-22.pptx'."""
    return workbooks.file_name("province", rv.province_id, rv.name_en, extension, today)
