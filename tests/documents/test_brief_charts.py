"""The briefs' charts label their axes in the reader's locale."""

import pytest

from cockpit.documents.brief_charts import locale_ticks


@pytest.mark.parametrize(
    ("lang", "expected"),
    [("lo", ["0", "2,5", "92,5", "1.250", "0,3"]), ("th", ["0", "2.5", "92.5", "1,250", "0.3"])],
)
def test_tick_labels_follow_the_locale_with_the_decimals_each_tick_needs(lang, expected):
    label = locale_ticks(lang)
    assert [label(v, None) for v in (0, 2.5, 92.5, 1250, 0.1 + 0.2)] == expected
