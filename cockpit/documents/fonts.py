"""The bundled Noto fonts embedded in Word and PowerPoint files, so that a PC without them draws Thai and Lao as
the cockpit laid them out: Word's obfuscated fonts (ECMA-376 Part 1, 17.8.1) and PowerPoint's embedded font list
with the fonts as Embedded OpenType (uncompressed)."""

from __future__ import annotations

import functools
import io
import struct
import uuid

from lxml import etree

from cockpit.documents import pdf

FONT_RELATIONSHIP = "http://schemas.openxmlformats.org/officeDocument/2006/relationships/font"
OBFUSCATED_FONT = "application/vnd.openxmlformats-officedocument.obfuscatedFont"
PRESENTATION_FONT = "application/x-fontdata"
W = "http://schemas.openxmlformats.org/wordprocessingml/2006/main"
P = "http://schemas.openxmlformats.org/presentationml/2006/main"
R = "http://schemas.openxmlformats.org/officeDocument/2006/relationships"

# The family a document names -> the bundled files (regular, bold).
FAMILIES = {
    "Noto Sans": pdf.FONTS["noto"],
    "Noto Sans Thai": pdf.FONTS["notothai"],
    "Noto Sans Lao": pdf.FONTS["notolao"],
}

# Noto Sans is half a megabyte a style (Greek, Cyrillic, Vietnamese...): the documents embed what they write with
# it, Latin and the punctuation, arrows and signs of numbers and dates. Thai and Lao fonts are small and go whole.
LATIN_KEPT = [
    *range(0x20, 0x7F),
    *range(0xA0, 0x180),
    *range(0x2000, 0x2070),
    *range(0x20A0, 0x20C1),
    *range(0x2190, 0x2200),
    *range(0x2200, 0x2300),
    0x2026,
    0x25CF,
]


@functools.cache
def font_data(family: str, bold: bool) -> bytes:
    """The TrueType data of a bundled family's style (Noto Sans cut to Latin and signs)."""
    path = pdf.FONT_DIR / FAMILIES[family][1 if bold else 0]
    if family != "Noto Sans":
        return path.read_bytes()
    from fontTools import subset
    from fontTools.ttLib import TTFont

    font = TTFont(str(path))
    options = subset.Options()
    options.layout_features = ["*"]
    options.name_IDs = ["*"]
    options.notdef_outline = True
    subsetter = subset.Subsetter(options)
    subsetter.populate(unicodes=LATIN_KEPT)
    subsetter.subset(font)
    out = io.BytesIO()
    font.save(out)
    return out.getvalue()


# --- Word -------------------------------------------------------------------------------------------------------


def _obfuscate(data: bytes, key: str) -> bytes:
    """Word's font obfuscation: the first 32 bytes XOR the GUID's 16 bytes, taken from its last digit back."""
    digits = key.strip("{}").replace("-", "")
    key_bytes = bytes(int(digits[i : i + 2], 16) for i in range(30, -1, -2))
    head = bytes(b ^ key_bytes[i % 16] for i, b in enumerate(data[:32]))
    return head + data[32:]


def embed_in_docx(document, families: list[str]) -> None:
    """Embed the bundled `families` (regular and bold) in a python-docx Document, and ask Word to keep them."""
    from docx.opc.packuri import PackURI
    from docx.opc.part import Part

    font_table = next(rel.target_part for rel in document.part.rels.values() if rel.reltype.endswith("/fontTable"))
    root = etree.fromstring(font_table.blob)
    number = 0
    for family in families:
        element = root.find(f"{{{W}}}font[@{{{W}}}name='{family}']")
        if element is None:
            element = etree.SubElement(root, f"{{{W}}}font", {f"{{{W}}}name": family})
        for tag, bold in (("embedRegular", False), ("embedBold", True)):
            number += 1
            key = "{" + str(uuid.uuid4()).upper() + "}"
            part = Part(
                PackURI(f"/word/fonts/font{number}.odttf"),
                OBFUSCATED_FONT,
                _obfuscate(font_data(family, bold), key),
                document.part.package,
            )
            rid = font_table.relate_to(part, FONT_RELATIONSHIP)
            etree.SubElement(element, f"{{{W}}}{tag}", {f"{{{R}}}id": rid, f"{{{W}}}fontKey": key})
    font_table._blob = etree.tostring(root, xml_declaration=True, encoding="UTF-8", standalone=True)
    settings = document.settings.element
    if settings.find(f"{{{W}}}embedTrueTypeFonts") is None:
        settings.insert(0, settings.makeelement(f"{{{W}}}embedTrueTypeFonts", {}))


# --- PowerPoint -------------------------------------------------------------------------------------------------


def eot(data: bytes) -> bytes:
    """A TrueType font as Embedded OpenType (version 0x00020001, neither compressed nor XOR-ed), PowerPoint's form
    of an embedded font."""
    from fontTools.ttLib import TTFont

    font = TTFont(io.BytesIO(data))
    os2, head, names = font["OS/2"], font["head"], font["name"]

    def name(number: int) -> bytes:
        record = names.getName(number, 3, 1, 0x409) or names.getName(number, 1, 0, 0)
        text = record.toUnicode() if record else ""
        encoded = text.encode("utf-16-le")
        return struct.pack("<H", len(encoded)) + encoded

    panose = os2.panose
    fixed = struct.pack(
        "<LLLL10sBBLHHLLLLLLL4L",
        0,  # EOTSize, filled below
        len(data),
        0x00020001,
        0,  # flags: no subsetting, compression or XOR
        bytes(
            [
                panose.bFamilyType,
                panose.bSerifStyle,
                panose.bWeight,
                panose.bProportion,
                panose.bContrast,
                panose.bStrokeVariation,
                panose.bArmStyle,
                panose.bLetterForm,
                panose.bMidline,
                panose.bXHeight,
            ]
        ),
        1,  # DEFAULT_CHARSET
        1 if os2.fsSelection & 1 else 0,
        os2.usWeightClass,
        os2.fsType,
        0x504C,
        os2.ulUnicodeRange1,
        os2.ulUnicodeRange2,
        os2.ulUnicodeRange3,
        os2.ulUnicodeRange4,
        os2.ulCodePageRange1,
        os2.ulCodePageRange2,
        head.checkSumAdjustment,
        0,
        0,
        0,
        0,
    )
    pad = b"\0\0"
    variable = pad + name(1) + pad + name(2) + pad + name(5) + pad + name(4) + pad + struct.pack("<H", 0)
    body = fixed + variable + data
    return struct.pack("<L", len(body)) + body[4:]


def embed_in_pptx(presentation, families: list[str]) -> None:
    """Embed the bundled `families` (regular and bold) in a python-pptx Presentation's embedded font list."""
    from pptx.opc.package import Part
    from pptx.opc.packuri import PackURI

    pres_part = presentation.part
    root = pres_part._element
    font_list = root.find(f"{{{P}}}embeddedFontLst")
    if font_list is None:
        font_list = root.makeelement(f"{{{P}}}embeddedFontLst", {})
        # after sldSz / notesSz (and smartTags), before custShowLst, defaultTextStyle and the rest
        anchor = root.find(f"{{{P}}}notesSz")
        anchor.addnext(font_list)
    number = len(font_list)
    for family in families:
        entry = etree.SubElement(font_list, f"{{{P}}}embeddedFont")
        etree.SubElement(entry, f"{{{P}}}font", {"typeface": family, "charset": "0"})
        for tag, bold in (("regular", False), ("bold", True)):
            number += 1
            part = Part(
                PackURI(f"/ppt/fonts/font{number}.fntdata"),
                PRESENTATION_FONT,
                pres_part.package,
                eot(font_data(family, bold)),
            )
            rid = pres_part.relate_to(part, FONT_RELATIONSHIP)
            etree.SubElement(entry, f"{{{P}}}{tag}", {f"{{{R}}}id": rid})
    root.set("embedTrueTypeFonts", "1")
