"""Finding a school by its name or code, anywhere in the reader's scope, to open its card on its province's page."""

from __future__ import annotations

import pandas as pd

from cockpit import i18n
from cockpit.data.access import Scope
from cockpit.data.db import Database

MOST_SHOWN = 20
LONGEST_TEXT = 100  # longer than any school's name or code: what is beyond cannot match anyway


def search(db: Database, country: str, scope: Scope, text: str | None, lang: str) -> pd.DataFrame:
    """Up to MOST_SHOWN schools in scope whose code or name contains `text` (case ignored), the closest first, with
    `district` and `province` named for the reader; empty for empty text."""
    wanted = " ".join((text or "").split())[:LONGEST_TEXT]
    if not wanted:
        return pd.DataFrame(columns=["school_id", "name", "province_id", "district", "province"])
    found = db.query(country, "review/province/school_search", scope=scope, text=wanted, most=MOST_SHOWN)
    local = i18n.local_names(country, lang)
    found["district"] = found["district_name_local" if local else "district_name_en"]
    found["province"] = found["province_name_local" if local else "province_name_en"]
    return found[["school_id", "name", "province_id", "district", "province"]]
