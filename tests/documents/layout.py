"""The layout check of a document page by page: no text line or image overlaps another, nothing runs off the
page, no page is a near-empty overflow. Works on a PDF's placed geometry (PyMuPDF), so a PowerPoint or Word file is
checked on the PDF LibreOffice renders of it; and on a matplotlib figure's artists, for what a chart image holds."""

from __future__ import annotations

import shutil
import subprocess
from dataclasses import dataclass
from pathlib import Path

# Text at least this size (pt) is a heading: a page that has one was started on purpose.
HEADING_PT = 16.0
# A page without a heading whose content fills less than this share of the page height is an overflow page.
NEAR_EMPTY_SHARE = 0.25
# ... and holds at most this many lines (a last table row with the signatures under it is a page of its own).
NEAR_EMPTY_LINES = 6
# The footer band at the bottom of a page (pt), left out when judging how full a page is.
FOOTER_BAND_PT = 48.0
# How far (pt) something may stick out of the page before it counts as cut off (anti-aliasing, rounding).
TOLERANCE_PT = 1.0


@dataclass(frozen=True)
class Box:
    kind: str  # "text" or "image"
    rect: tuple[float, float, float, float]  # x0, y0, x1, y1 in pt, origin top left
    text: str = ""
    size: float = 0.0

    def core(self) -> tuple[float, float, float, float]:
        """The part of a text line its letters surely cover: the middle of its height (fonts' line boxes, with Thai
        and Lao marks above and below, reach into the next line's box), a point in from each end."""
        x0, y0, x1, y1 = self.rect
        if self.kind != "text":
            return (x0 + TOLERANCE_PT, y0 + TOLERANCE_PT, x1 - TOLERANCE_PT, y1 - TOLERANCE_PT)
        h = y1 - y0
        return (x0 + TOLERANCE_PT, y0 + 0.3 * h, x1 - TOLERANCE_PT, y1 - 0.3 * h)

    def __str__(self) -> str:
        where = ", ".join(f"{v:.0f}" for v in self.rect)
        return f"{self.kind} [{where}]" + (f" {self.text[:40]!r}" if self.text else "")


def _intersect(a, b) -> bool:
    return min(a[2], b[2]) - max(a[0], b[0]) > 0.5 and min(a[3], b[3]) - max(a[1], b[1]) > 0.5


def page_boxes(page) -> list[Box]:
    """Every text line and image placed on a PyMuPDF page, those off the page included."""
    import pymupdf

    flags = pymupdf.TEXTFLAGS_DICT & ~pymupdf.TEXT_MEDIABOX_CLIP
    boxes = []
    for block in page.get_text("dict", flags=flags)["blocks"]:
        if block["type"] != 0:
            continue
        for line in block["lines"]:
            text = "".join(span["text"] for span in line["spans"]).strip("\u200b ")
            if not text:
                continue
            size = max(span["size"] for span in line["spans"])
            boxes.append(Box("text", tuple(line["bbox"]), text, size))
    for image in page.get_image_info():
        boxes.append(Box("image", tuple(image["bbox"])))
    return boxes


def page_problems(boxes: list[Box], width: float, height: float, first_page: bool = False) -> list[str]:
    """What is wrong with one page's layout, in words; empty when nothing is."""
    problems = []
    for box in boxes:
        x0, y0, x1, y1 = box.rect
        if x0 < -TOLERANCE_PT or y0 < -TOLERANCE_PT or x1 > width + TOLERANCE_PT or y1 > height + TOLERANCE_PT:
            problems.append(f"cut off at the page's edge: {box}")
    for i, a in enumerate(boxes):
        for b in boxes[i + 1 :]:
            if a.kind == "text" and b.kind == "text" and a.rect == b.rect and a.text == b.text:
                continue  # one line reported twice (a PDF writer's fallback-font run)
            if _intersect(a.core(), b.core()):
                problems.append(f"overlap: {a} and {b}")
    body = [b for b in boxes if b.rect[1] < height - FOOTER_BAND_PT]
    largest = max((b.size for b in boxes), default=0.0)
    has_heading = largest >= HEADING_PT

    def is_heading(box: Box) -> bool:  # the page's largest text, when heading-sized
        return box.kind == "text" and has_heading and box.size >= largest - 0.5

    if not first_page and body and all(is_heading(b) for b in body):
        problems.append("a page with nothing but its heading")
    if not first_page and not has_heading:
        top = min((b.rect[1] for b in body), default=0.0)
        bottom = max((b.rect[3] for b in body), default=0.0)
        if bottom - top < NEAR_EMPTY_SHARE * height and len(body) <= NEAR_EMPTY_LINES:
            problems.append(f"a near-empty overflow page: {len(body)} lines and no heading")
    return problems


def pdf_problems(data: bytes) -> dict[int, list[str]]:
    """Each page (numbered from 1) of a PDF that has layout problems, with them."""
    import pymupdf

    found = {}
    with pymupdf.open(stream=data, filetype="pdf") as doc:
        for number, page in enumerate(doc, start=1):
            problems = page_problems(page_boxes(page), page.rect.width, page.rect.height, first_page=number == 1)
            if problems:
                found[number] = problems
    return found


def page_count(data: bytes) -> int:
    import pymupdf

    with pymupdf.open(stream=data, filetype="pdf") as doc:
        return doc.page_count


def figure_problems(fig) -> list[str]:
    """What overlaps or is cut off in a matplotlib figure: its texts (titles, tick labels, legend, labels drawn on
    it) against each other and the figure's edge, the legend against the axes."""
    renderer = fig.canvas.get_renderer()
    fig.draw_without_rendering()
    width, height = fig.bbox.width, fig.bbox.height
    texts, seen = [], set()
    from matplotlib.text import Text

    # An axis keeps tick objects it does not draw (outside its view): only the labels it draws count.
    tick_labels, drawn = set(), set()
    for ax in fig.axes:
        for axis in (ax.xaxis, ax.yaxis):
            for tick in [*axis.majorTicks, *axis.minorTicks]:
                tick_labels.update((id(tick.label1), id(tick.label2)))
            low, high = sorted(axis.get_view_interval())
            margin = (high - low) * 1e-6
            locations = axis.get_majorticklocs()
            for tick, location in zip(axis.majorTicks, locations, strict=False):
                if low - margin <= location <= high + margin:
                    drawn.update((id(tick.label1), id(tick.label2)))
    for text in fig.findobj(Text):
        if id(text) in seen or (id(text) in tick_labels and id(text) not in drawn):
            continue
        seen.add(id(text))
        if not text.get_visible() or not str(text.get_text()).strip():
            continue
        if text.axes is not None and not text.axes.get_visible():
            continue
        texts.append((str(text.get_text()), text.get_window_extent(renderer)))
    problems = []
    for label, box in texts:
        if box.x0 < -1 or box.y0 < -1 or box.x1 > width + 1 or box.y1 > height + 1:
            problems.append(f"cut off at the figure's edge: {label!r}")
    for i, (a, box_a) in enumerate(texts):
        for b, box_b in texts[i + 1 :]:
            if box_a.bounds == box_b.bounds:
                continue
            if _intersect(_shrunk(box_a), _shrunk(box_b)):
                problems.append(f"texts overlap: {a!r} and {b!r}")
    for legend in [*fig.legends, *(ax.get_legend() for ax in fig.axes if ax.get_legend())]:
        box = legend.get_window_extent(renderer)
        for ax in fig.axes:
            if not ax.get_visible() or ax.get_legend() is legend:
                continue
            for title in (ax.title, ax._left_title, ax._right_title):
                if title.get_text() and _intersect(_shrunk(box), _shrunk(title.get_window_extent(renderer))):
                    problems.append(f"the legend covers the title {title.get_text()!r}")
    return problems


def _shrunk(bbox) -> tuple[float, float, float, float]:
    # display coordinates: y grows upwards; the same middle band as Box.core
    h = bbox.y1 - bbox.y0
    return (bbox.x0 + 1, bbox.y0 + 0.25 * h, bbox.x1 - 1, bbox.y1 - 0.25 * h)


SOFFICE = shutil.which("soffice") or shutil.which("libreoffice")


def start_rendering(paths: list[Path], out_dir: Path, env: dict | None = None) -> subprocess.Popen:
    """Start LibreOffice headless rendering PowerPoint and Word files to PDF in `out_dir`, all in one run (its start
    is slow); the caller works on meanwhile and collects them with `rendered`."""
    out_dir.mkdir(parents=True, exist_ok=True)
    profile = out_dir / "lo-profile"
    command = [SOFFICE, f"-env:UserInstallation=file://{profile}", "--headless", "--norestore"]
    command += ["--convert-to", "pdf", "--outdir", str(out_dir), *map(str, paths)]
    return subprocess.Popen(command, stdout=subprocess.PIPE, stderr=subprocess.STDOUT, env=env)


def rendered(process: subprocess.Popen, paths: list[Path], out_dir: Path, timeout: float = 300) -> dict[Path, bytes]:
    """The PDFs of a start_rendering run, by the file each renders."""
    output, _ = process.communicate(timeout=timeout)
    if process.returncode:
        raise RuntimeError(f"LibreOffice failed ({process.returncode}): {output.decode(errors='replace')[-2000:]}")
    return {path: (out_dir / (path.stem + ".pdf")).read_bytes() for path in paths}


def fontconfig_without(folder: Path, word: str = "noto") -> Path:
    """A fontconfig file that sees every system font but those whose folder or file names `word`: a ministry PC
    without the Noto fonts, for LibreOffice to render on (FONTCONFIG_FILE)."""
    folders = sorted(
        {
            str(path.parent)
            for path in Path("/usr/share/fonts").rglob("*")
            if path.suffix.lower() in (".ttf", ".otf", ".ttc") and word not in str(path).lower()
        }
    )
    conf = folder / "fonts.conf"
    conf.write_text(
        '<?xml version="1.0"?>\n<!DOCTYPE fontconfig SYSTEM "fonts.dtd">\n<fontconfig>\n'
        + "".join(f"  <dir>{d}</dir>\n" for d in folders)
        + f"  <cachedir>{folder / 'cache'}</cachedir>\n</fontconfig>\n"
    )
    return conf


def fonts_of_script(data: bytes, low: str, high: str) -> set[str]:
    """The fonts a PDF draws the letters between `low` and `high` with (subset prefixes removed)."""
    import pymupdf

    used = set()
    with pymupdf.open(stream=data, filetype="pdf") as doc:
        for page in doc:
            for block in page.get_text("dict")["blocks"]:
                for line in block.get("lines", []):
                    for span in line["spans"]:
                        if any(low <= ch <= high for ch in span["text"]):
                            used.add(span["font"].split("+")[-1])
    return used
