"""Text that XML, and so Word, Excel and PowerPoint files, can hold: XML 1.0 refuses the C0 control characters other
than tab, line feed and carriage return. A paste, a form or an extract can carry them (a bell, a vertical tab)."""

from __future__ import annotations

import re

CONTROLS = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f]")


def held(text: str) -> str:
    """`text` with U+FFFD (the replacement character) for each character XML refuses."""
    return CONTROLS.sub("\ufffd", text)
