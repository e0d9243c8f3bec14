"""Area matching a steward can trust: every name or code in a file ends matched (and how), ambiguous (with its
candidates) or unmatched (with the nearest names as suggestions), never dropped and never guessed.

In order: codes the cockpit knows (the area id: DOPA for Thailand, the Lao codes; ISO 3166-2; ISO 3166-1 for a
country; DHIS2 organisation unit UIDs through a mapping table), a steward's alias (data/geo/aliases.csv: their
choice outranks any guess), names in Thai, Lao and English after normalisation (spaces and punctuation,
the prefixes จังหวัด / จ. / อำเภอ / อ. / เขต / ແຂວງ / ເມືອງ, case, accents, romanisation variants such as
ph/p, kh/k, ou/u, x/s), and last a fuzzy match (rapidfuzz) at or above the spec's threshold with no rival
within two points.
"""

from __future__ import annotations

import csv
import re
import unicodedata
from dataclasses import dataclass, field
from pathlib import Path

import pandas as pd
from rapidfuzz import fuzz, process

from cockpit.importer.parsing import clean_text

METHODS = ("code", "dhis2", "alias", "name", "fuzzy")
ALIAS_COLUMNS = ("country", "level", "name", "area_id", "added_by", "added_at")
ALPHA3 = {"TH": "THA", "LA": "LAO"}
RIVAL_MARGIN = 2.0  # a fuzzy winner must beat any other area by this many points

_PREFIXES = ("จังหวัด", "กิ่งอำเภอ", "อำเภอ", "จ.", "อ.", "เขต", "ແຂວງ", "ເມືອງ", "ຂ.", "ມ.")
_WORDS = re.compile(r"\b(province|changwat|district|amphoe|amphur|amphoe|khet|khoueng|khweng|prov|dist)\b\.?")
_PUNCT = re.compile(r"[\s\-\.'’‘`,()/_&]+")
# Romanisations of Thai and Lao names differ in these ways (Louangphabang, Luang Prabang; Xaignabouly, Sainyabuli).
_FOLDS = (("ou", "u"), ("oo", "u"), ("ue", "u"), ("eu", "u"), ("kh", "k"), ("ph", "p"), ("th", "t"), ("ch", "c"),
          ("x", "s"), ("z", "s"), ("y", "i"), ("ie", "i"), ("ae", "e"), ("w", "v"))  # fmt: skip
_DOUBLE = re.compile(r"([a-z])\1")


def normalise(text) -> str:
    """A name reduced to what tells areas apart: 'จ. บุรีรัมย์' = 'บุรีรัมย์', 'Buri Ram' = 'buriram' = 'Buriram'."""
    text = clean_text(text).lower()
    for prefix in _PREFIXES:
        if text.startswith(prefix):
            text = text[len(prefix) :].strip()
    text = _WORDS.sub(" ", text)
    # Accents off Latin letters only: Thai and Lao vowels and tones are combining marks too, and they matter.
    decomposed = unicodedata.normalize("NFKD", text)
    kept = [c for i, c in enumerate(decomposed) if not (unicodedata.combining(c) and i and decomposed[i - 1].isascii())]
    text = unicodedata.normalize("NFC", "".join(kept))
    text = _PUNCT.sub("", text)
    if text.isascii():
        for old, new in _FOLDS:
            text = text.replace(old, new)
        text = _DOUBLE.sub(r"\1", text)
    return text


@dataclass(frozen=True)
class Match:
    status: str  # matched, ambiguous, unmatched
    area_id: str | None = None
    method: str | None = None  # how it matched: one of METHODS
    score: float | None = None  # the fuzzy score (0–100), for a fuzzy match
    candidates: tuple[tuple[str, str, float], ...] = ()  # (area_id, name, score): the rivals, or suggestions


@dataclass
class Gazetteer:
    """The areas of one country and level, with every way a file may name them."""

    country: str
    level: str
    areas: pd.DataFrame  # the country's areas extract
    aliases: dict[str, str] = field(default_factory=dict)  # normalised name -> area_id
    uids: dict[str, str] = field(default_factory=dict)  # DHIS2 uid -> area_id
    threshold: float = 90.0

    def __post_init__(self):
        self.areas = self.areas.copy()
        self.areas["area_id"] = self.areas["area_id"].astype(str)
        here = self.areas[self.areas["level"] == self.level]
        self.ids = set(here["area_id"])
        self.parent = dict(zip(here["area_id"], here["parent_id"], strict=True))
        self.label = {r.area_id: f"{r.name_local} · {r.name_en}" for r in here.itertuples()}
        self.codes: dict[str, str] = {}
        for r in here.itertuples():
            for code in (r.area_id, r.iso_code, ALPHA3.get(str(r.area_id)) if self.level == "country" else None):
                if isinstance(code, str) and code:
                    self.codes[code.upper()] = r.area_id
        self.names: dict[str, set[str]] = {}
        for r in here.itertuples():
            for name in (r.name_en, r.name_local):
                key = normalise(name)
                if key:
                    self.names.setdefault(key, set()).add(r.area_id)
        self._cache: dict[tuple, Match] = {}

    def code(self, text: str) -> str | None:
        """An area id from a code of any kind the cockpit knows (zero-padded or zero-filled forms too)."""
        upper = text.upper().replace(" ", "")
        if upper in self.codes:
            return self.codes[upper]
        if upper.isdigit():
            if self.country == "th":  # DOPA: 2 digits a province, 4 a district, padded with zeros to 6 or 8
                width = 2 if self.level == "province" else 4
                if len(upper) >= width and set(upper[width:]) <= {"0"}:
                    return self.codes.get(upper[:width])
            if self.country == "la":  # Lao district codes: PPDD, written LA0101, 0101 or 101
                return self.codes.get(f"LA{upper.zfill(4)}")
        return None

    def match(self, value, within: str | None = None) -> Match:
        """Where a file's area cell points; `within` (a province id) narrows the names of districts."""
        key = (clean_text(value), within)
        if key not in self._cache:
            self._cache[key] = self._match(key[0], within)
        return self._cache[key]

    def _match(self, text: str, within: str | None) -> Match:
        if not text:
            return Match("unmatched")
        found = self.code(text)
        if found:
            return Match("matched", found, "code")
        if text in self.uids and self.uids[text] in self.ids:
            return Match("matched", self.uids[text], "dhis2")
        name = normalise(text)
        if name in self.aliases and self.aliases[name] in self.ids:
            return Match("matched", self.aliases[name], "alias")
        ids = self.names.get(name, set())
        if within is not None:
            ids = {i for i in ids if self.parent.get(i) == within}
        if len(ids) == 1:
            return Match("matched", next(iter(ids)), "name")
        if len(ids) > 1:
            return Match("ambiguous", candidates=tuple((i, self.label[i], 100.0) for i in sorted(ids)))
        return self._fuzzy(name, within)

    def _fuzzy(self, name: str, within: str | None) -> Match:
        choices = {
            (key, area): key
            for key, areas in self.names.items()
            for area in areas
            if within is None or self.parent.get(area) == within
        }
        if not name or not choices:
            return Match("unmatched")
        best: dict[str, float] = {}
        for _choice, score, (_key, area) in process.extract(name, choices, scorer=fuzz.ratio, limit=12):
            best[area] = max(best.get(area, 0.0), score)
        ranked = sorted(best.items(), key=lambda kv: (-kv[1], kv[0]))[:3]
        candidates = tuple((area, self.label[area], round(score, 1)) for area, score in ranked)
        top_area, top = ranked[0]
        rivals = [a for a, s in ranked[1:] if s >= self.threshold and top - s < RIVAL_MARGIN]
        if top >= self.threshold and not rivals:
            return Match("matched", top_area, "fuzzy", round(top, 1), candidates[1:])
        if top >= self.threshold:
            return Match("ambiguous", candidates=candidates)
        return Match("unmatched", candidates=candidates)


# ---- the steward's tables in data/geo ------------------------------------------------------------------------


def read_aliases(path: Path, country: str, level: str) -> dict[str, str]:
    """A steward's aliases for a country and level: normalised name -> area id."""
    if not path.exists():
        return {}
    with path.open(encoding="utf-8", newline="") as f:
        rows = [r for r in csv.DictReader(f) if r.get("country") == country and r.get("level") == level]
    return {normalise(r["name"]): r["area_id"] for r in rows if r.get("name") and r.get("area_id")}


def add_alias(path: Path, country: str, level: str, name: str, area_id: str, by: str, at: str) -> None:
    """Append an alias (a steward chose the area a name means); the file is created with its header if new."""
    path.parent.mkdir(parents=True, exist_ok=True)
    new = not path.exists() or path.stat().st_size == 0
    with path.open("a", encoding="utf-8", newline="") as f:
        writer = csv.writer(f)
        if new:
            writer.writerow(ALIAS_COLUMNS)
        writer.writerow((country, level, clean_text(name), area_id, by, at))


def read_uids(paths: list[Path]) -> dict[str, str]:
    """DHIS2 organisation unit UIDs -> area ids, from CSV files with the columns uid and area_id."""
    found: dict[str, str] = {}
    for path in paths:
        if path and path.exists():
            with path.open(encoding="utf-8", newline="") as f:
                for row in csv.DictReader(line for line in f if not line.startswith("#")):
                    if row.get("uid") and row.get("area_id"):
                        found[row["uid"].strip()] = row["area_id"].strip()
    return found
