"""Keeps the Thai and Lao message catalogs in step with the code (run: `make messages`).

Finds every literal message given to tr(lang, "..."), ctx.tr("...") or N_("...") and merges
them into cockpit/locales/<lang>/LC_MESSAGES/messages.po with Babel, keeping existing
translations; new messages arrive untranslated for a translator to fill in.
"""

from __future__ import annotations

import sys
from pathlib import Path

from babel.messages.catalog import Catalog
from babel.messages.extract import extract_from_dir
from babel.messages.pofile import read_po, write_po

ROOT = Path(__file__).resolve().parent.parent
LOCALE_DIR = ROOT / "cockpit" / "locales"
SOURCES = (("cockpit", "**.py"), ("views", "**.py"), (".", "app.py"))


def code_messages() -> dict[str, list[tuple[str, int]]]:
    """Each literal message in the code with where it appears."""
    found: dict[str, list[tuple[str, int]]] = {}
    # tr's message is its 2nd argument in i18n.tr(lang, msg) and its 1st in Context.tr(msg).
    for keywords in ({"tr": (2,), "N_": None}, {"tr": (1,)}):
        for folder, pattern in SOURCES:
            for filename, lineno, message, _comments, _context in extract_from_dir(
                ROOT / folder, method_map=[(pattern, "python")], keywords=keywords
            ):
                if isinstance(message, str) and message:
                    found.setdefault(message, []).append((str(Path(folder) / filename), lineno))
    return found


def update(languages=("th", "lo")) -> None:
    template = Catalog()
    for message, places in sorted(code_messages().items()):
        template.add(message, locations=places)
    for lang in languages:
        path = LOCALE_DIR / lang / "LC_MESSAGES" / "messages.po"
        path.parent.mkdir(parents=True, exist_ok=True)
        if path.exists():
            with open(path, "rb") as f:
                catalog = read_po(f, locale=lang)
        else:
            catalog = Catalog(locale=lang, project="Education Management Cockpit")
        catalog.update(template, no_fuzzy_matching=True)
        with open(path, "wb") as f:
            write_po(f, catalog, width=120, omit_header=False, ignore_obsolete=True)
        missing = [m.id for m in catalog if m.id and not m.string]
        print(f"{path.relative_to(ROOT)}: {len(catalog)} messages, {len(missing)} untranslated", file=sys.stderr)


if __name__ == "__main__":
    update()
