"""What is wrong with a file or a spec, said in the reader's language and naming the file, row and column."""

from __future__ import annotations

from dataclasses import dataclass, field

from cockpit import i18n


@dataclass
class Problem(Exception):
    """A file the importer cannot read as its spec says. `message` is an English msgid with {placeholders}
    (translated by i18n.tr), `values` fill them (those named per language under `named`: {lang: {placeholder: text}},
    indicators by their names); `row` is the row as a spreadsheet numbers it (1 = the first line)."""

    message: str
    file: str = ""
    row: int | None = None
    column: str | None = None
    values: dict = field(default_factory=dict)

    def text(self, lang: str = "en") -> str:
        # Counts in the reader's locale ("50,001 columns"); a row keeps the number the spreadsheet shows.
        counts = {k: i18n.number(v, lang, None) for k, v in self.values.items() if type(v) in (int, float)}
        named = (self.values.get("named") or {}).get(lang) or {}
        what = i18n.tr(lang, self.message, **{**self.values, **counts, **named})
        where = [self.file] if self.file else []
        if self.row is not None:
            where.append(i18n.tr(lang, "row {row}", row=self.row))
        if self.column:
            where.append(i18n.tr(lang, "column “{column}”", column=self.column))
        return ", ".join(where) + ": " + what if where else what

    def __str__(self) -> str:
        return self.text("en")
