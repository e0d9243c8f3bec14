"""PDF documents that render Thai and Lao correctly: the bundled Noto fonts embedded, text shaped by HarfBuzz."""

from __future__ import annotations

from fpdf import FPDF

from cockpit import settings

FONT_DIR = settings.ROOT / "static" / "fonts"
# Latin first; characters it lacks fall back to Thai, then Lao, then the symbols Noto Sans has not (the minus sign
# of a signed change, arrows, ≤ and ≥: the PDFs wrote them "-", "->", "<="). The symbols have no bold.
FONTS = {
    "noto": ("NotoSans-Regular.ttf", "NotoSans-Bold.ttf"),
    "notothai": ("NotoSansThai-Regular.ttf", "NotoSansThai-Bold.ttf"),
    "notolao": ("NotoSansLao-Regular.ttf", "NotoSansLao-Bold.ttf"),
    "notomath": ("NotoSansMath-Symbols.ttf", "NotoSansMath-Symbols.ttf"),
}


def document(orientation: str = "portrait", title: str = "", author: str = "") -> FPDF:
    """An A4 FPDF with the Noto fonts embedded, Thai and Lao fallbacks and text shaping on."""
    pdf = FPDF(orientation="L" if orientation.startswith("l") else "P", unit="mm", format="A4")
    for family, (regular, bold) in FONTS.items():
        pdf.add_font(family, "", str(FONT_DIR / regular))
        pdf.add_font(family, "B", str(FONT_DIR / bold))
    pdf.set_font("noto", size=11)
    pdf.set_fallback_fonts(["notothai", "notolao", "notomath"])
    pdf.set_text_shaping(True)
    pdf.set_title(title)
    pdf.set_author(author)
    pdf.set_creator("Education Management Cockpit")
    return pdf
