"""Keeps the Thai and Lao message catalogs in step with the code (run: `make messages`).

Finds every literal message given to tr(lang, "..."), ctx.tr("...") or N_("...") and merges
them into cockpit/locales/<lang>/LC_MESSAGES/messages.po with Babel, keeping existing
translations; new messages arrive untranslated for a translator to fill in. A message handed
on to be translated later (an error raised, a refusal recorded) is marked with N_() where it
is written.
"""

from __future__ import annotations

import ast
import sys
from pathlib import Path

from babel.messages.catalog import Catalog
from babel.messages.pofile import read_po, write_po

ROOT = Path(__file__).resolve().parent.parent
LOCALE_DIR = ROOT / "cockpit" / "locales"
SOURCES = ("cockpit", "views", "app.py")
MARKERS = {"tr", "N_"}


def messages_in(source: str) -> list[tuple[str, int]]:
    """The literal messages of tr()/N_() calls in Python source, with their lines.

    Read from the syntax tree rather than by Babel's token scan, which does not look inside f-strings
    (f"{n} {ctx.tr('open alerts')}") and takes a dict key inside the call (tr(lang, LABELS["critical"])) for
    a message. The message is the call's first literal argument among its first two: tr(lang, "…") and
    ctx.tr("…") alike."""
    found = []
    for node in ast.walk(ast.parse(source)):
        if not isinstance(node, ast.Call):
            continue
        func = node.func
        name = func.id if isinstance(func, ast.Name) else func.attr if isinstance(func, ast.Attribute) else None
        if name not in MARKERS:
            continue
        for arg in node.args[:2]:
            if isinstance(arg, ast.Constant) and isinstance(arg.value, str):
                if arg.value:
                    found.append((arg.value, node.lineno))
                break
    return found


def unmarked_in(source: str) -> list[tuple[str, int]]:
    """Literal strings a loop or comprehension hands one by one to tr() unmarked, with their lines:
    `(tr(h) for h in ("Quarters", …))` translates them, but the extraction sees no message, and the next
    `make messages` deleted "Quarters" from the catalogs (the page read it in English). Each is marked N_()."""
    found = []
    for node in ast.walk(ast.parse(source)):
        if isinstance(node, ast.For):
            loops = [(node.target, node.iter, node)]
        elif isinstance(node, ast.GeneratorExp | ast.ListComp | ast.SetComp | ast.DictComp):
            loops = [(g.target, g.iter, node) for g in node.generators]
        else:
            continue
        for target, iterable, body in loops:
            if not isinstance(target, ast.Name) or not isinstance(iterable, ast.Tuple | ast.List):
                continue
            literals = [e for e in iterable.elts if isinstance(e, ast.Constant) and isinstance(e.value, str)]
            if literals and any(_translates(call, target.id) for call in ast.walk(body)):
                found += [(e.value, e.lineno) for e in literals]
    return found


def _translates(node: ast.AST, name: str) -> bool:
    """Whether `node` is a tr() call whose message is the variable `name`."""
    if not isinstance(node, ast.Call):
        return False
    func = node.func
    called = func.id if isinstance(func, ast.Name) else func.attr if isinstance(func, ast.Attribute) else None
    return called == "tr" and any(isinstance(a, ast.Name) and a.id == name for a in node.args[:2])


def unmarked() -> list[tuple[str, str, int]]:
    """unmarked_in over the code: (message, file, line)."""
    found = []
    for source in SOURCES:
        path = ROOT / source
        for file in sorted(path.rglob("*.py")) if path.is_dir() else [path]:
            where = file.relative_to(ROOT).as_posix()
            found += [(m, where, line) for m, line in unmarked_in(file.read_text(encoding="utf-8"))]
    return found


def code_messages() -> dict[str, list[tuple[str, int]]]:
    """Each literal message in the code with where it appears."""
    found: dict[str, list[tuple[str, int]]] = {}
    for source in SOURCES:
        path = ROOT / source
        for file in sorted(path.rglob("*.py")) if path.is_dir() else [path]:
            where = file.relative_to(ROOT).as_posix()
            for message, lineno in messages_in(file.read_text(encoding="utf-8")):
                found.setdefault(message, []).append((where, lineno))
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
