"""The cockpit's frame: page config and the navigation; each page draws the sidebar's country and language."""

from pathlib import Path

import streamlit as st

from cockpit import config, i18n
from cockpit.i18n import N_
from cockpit.ui import sidebar, signin, text

# The favicon is a file of ours, served by the app itself: an emoji or a Material icon is fetched from the internet.
FAVICON = Path(__file__).resolve().parent / "cockpit" / "ui" / "favicon.png"
st.set_page_config(page_title="Education Management Cockpit", page_icon=FAVICON, layout="wide")

lang = sidebar.language()


def tr(message: str) -> str:
    return i18n.tr(lang, message)


# (section, file, title, icon, url path)
PAGES = [
    (N_("Cockpit"), "views/overview.py", N_("Overview"), ":material/dashboard:", "overview"),
    (N_("Cockpit"), "views/alerts.py", N_("Alerts"), ":material/crisis_alert:", "alerts"),
    (N_("Cockpit"), "views/warroom.py", N_("War room"), ":material/tv:", "warroom"),
    (N_("Cockpit"), "views/decisions.py", N_("Decisions"), ":material/gavel:", "decisions"),
    (N_("Walls"), "views/wall_results.py", N_("Black wall: results"), ":material/flag:", "wall-results"),
    (N_("Walls"), "views/wall_crises.py", N_("Red wall: crises"), ":material/emergency:", "wall-crises"),
    (N_("Walls"), "views/wall_capacity.py", N_("Blue wall: capacity"), ":material/groups:", "wall-capacity"),
    (N_("Walls"), "views/wall_policies.py", N_("White wall: policies"), ":material/checklist:", "wall-policies"),
    (N_("Areas"), "views/province.py", N_("Province"), ":material/location_on:", "province"),
    (N_("Areas"), "views/region.py", N_("Region"), ":material/map:", "region"),
    (N_("Analysis"), "views/explore.py", N_("Explorer"), ":material/query_stats:", "explore"),
    (N_("Analysis"), "views/indicators.py", N_("Indicators"), ":material/menu_book:", "indicators"),
    (N_("Analysis"), "views/quality.py", N_("Data quality"), ":material/fact_check:", "quality"),
    (N_("Policies"), "views/policies.py", N_("Policies"), ":material/account_tree:", "policies"),
    (N_("Policies"), "views/league.py", N_("League table"), ":material/leaderboard:", "league"),
    (N_("Data"), "views/data.py", N_("Data"), ":material/database:", "data"),
    (N_("Data"), "views/audit.py", N_("Audit trail"), ":material/policy:", "audit"),
]
ROOT = Path(__file__).resolve().parent

# Only the pages the signed-in role sees (a wall device: the war room and the walls); before sign-in every page
# draws the sign-in page. A page left out cannot be opened by its URL either.
who = signin.current()
shown = [p for p in PAGES if (ROOT / p[1]).exists() and (who is None or who.sees(p[4]))]
default = "views/overview.py" if any(p[1] == "views/overview.py" for p in shown) else shown[0][1]
sections: dict[str, list] = {}
for section, file, title, icon, url_path in shown:
    page = st.Page(file, title=tr(title), icon=icon, url_path=url_path, default=file == default)
    sections.setdefault(tr(section), []).append(page)
# Every page listed: collapsed, Streamlit hides the last pages (Policies, the League table…) behind its own "View 7
# more", in English whatever the reader's language.
chosen = st.navigation(sections, expanded=True)
# A page this role does not see is refused once signed in: its url path (Streamlit gives the default page's as ""),
# and whether the address named no page.
opened = chosen.url_path or next(p[4] for p in shown if p[1] == default)
st.session_state[signin.OPENED] = (opened, chosen.url_path == "")
# The browser tab in the reader's language: the page, then the cockpit.
st.set_page_config(page_title=f"{chosen.title} · {tr('Education Management Cockpit')}")
try:
    chosen.run()
except config.ConfigError as exc:
    # A configuration file broken after the page began (the pages that read one say so in place): the reader is
    # told which file, key and line, in their language, and every other page goes on working.
    st.error(
        i18n.tr(
            sidebar.language(),
            "A configuration file cannot be used: {problem}. Tell the administrator; the other pages work.",
            problem=text.plain(exc.for_reader()),
        ),
        icon=":material/settings_alert:",
    )
