"""Every picker of every page, each at its first, second and last option, as a provincial office, whose scope leaves
many choices with nothing to show (a grouping without its province, a severity it has no alert of): every page must
then say so, never a traceback. Choosing every option of every picker as each role found three (CHANGELOG)."""

import pytest
from conftest import ROOT
from identities import provincial, sign_in
from streamlit.testing.v1 import AppTest

# The pages whose pickers narrow what a provincial office reads. Not the Province and Region pages: their area
# pickers offer only the office's own, and AppTest cannot choose an option whose label its picker's format_func
# does not pass through (the indicator picker's); nor the walls, whose one picker is the wall's own.
PAGES = [
    "views/alerts.py",
    "views/explore.py",
    "views/league.py",
    "views/overview.py",
    "views/policies.py",
    "views/quality.py",
]
SKIPPED = {"url_country"}  # the sidebar's: one country for a provincial office


@pytest.mark.parametrize("page", PAGES)
def test_each_picker_at_its_first_second_and_last_option_is_never_a_traceback(page):
    at = sign_in(AppTest.from_file(str(ROOT / "app.py"), default_timeout=120), provincial("67"))
    at.query_params.update(country="th", lang="th")
    at.switch_page(page).run()
    assert not at.exception, at.exception
    keys = [s.key for s in at.selectbox if s.key and s.key not in SKIPPED]
    assert keys, "no picker found"
    tried = []
    for key in keys:
        count = len(at.selectbox(key=key).options)
        for index in sorted({0, min(1, count - 1), count - 1}):
            if not any(s.key == key for s in at.selectbox):  # a choice before took this picker away
                break
            at.selectbox(key=key).select_index(index).run()
            tried.append((key, index))
            assert not at.exception, (key, index, at.exception)
        if any(s.key == key for s in at.selectbox):
            at.selectbox(key=key).select_index(0).run()
    assert len(tried) >= len(keys)
