"""Text people typed (names, notes, decisions) and values from the URL, shown exactly as typed."""

from __future__ import annotations

import re

# Everything Streamlit's Markdown would read as formatting, a link, an image, an icon or math.
_MARKDOWN = re.compile(r"([\\`*_{}\[\]()#+\-.!|<>~$:])")


def plain(value) -> str:
    """Text for a Markdown element (st.markdown, st.caption, st.warning…) shown as typed: every formatting
    character escaped, so `[click](http://…)` stays text and `![x](http://…)` fetches nothing."""
    return _MARKDOWN.sub(r"\\\1", str(value))
