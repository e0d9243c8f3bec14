"""The cockpit's frame: page config and the navigation; each page draws the sidebar's country and language."""

from pathlib import Path

import streamlit as st

from cockpit import config, i18n, settings
from cockpit.i18n import N_
from cockpit.ui import sidebar, signin, text, unknown_address

# The favicon is a file of ours, served by the app itself: an emoji or a Material icon is fetched from the internet.
FAVICON = Path(__file__).resolve().parent / "cockpit" / "ui" / "favicon.png"
st.set_page_config(page_title="Education Management Cockpit", page_icon=FAVICON, layout="wide")

lang = sidebar.language()


def tr(message: str) -> str:
    return i18n.tr(lang, message)


def config_broken(exc: config.ConfigError) -> None:
    """A configuration file that cannot be used: the reader is told which file, key and line, in their language.
    The roles sign every reader in, so with them broken no page opens; any other file stops only its own pages."""
    if Path(exc.file) == Path(settings.load().roles_file):
        message = N_(
            "A configuration file cannot be used: {problem}. Tell the administrator; no page opens until then."
        )
    else:
        message = N_("A configuration file cannot be used: {problem}. Tell the administrator; the other pages work.")
    st.error(
        i18n.tr(sidebar.language(), message, problem=text.plain(exc.for_reader())), icon=":material/settings_alert:"
    )


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

# A request that says who it is (the sign-in cookie, a wall's token, the demo setting) signs in before the page list
# is drawn: the list is then the role's own. A page the role does not see is left out of the list (a wall device: the
# war room and the walls only); opened by its link, it is refused (`signin.refuse_unseen_page`).
existing = [p for p in PAGES if (ROOT / p[1]).exists()]
try:
    who = signin.before_navigation(lang)
    listed = [p for p in existing if who is None or who.sees(p[4])]
except config.ConfigError as exc:
    config_broken(exc)
    st.stop()
default = "views/overview.py" if any(p[1] == "views/overview.py" for p in listed) else listed[0][1]
sections: dict[str, list] = {}
for entry in existing:
    section, file, title, icon, url_path = entry
    visibility = "visible" if entry in listed else "hidden"
    # Streamlit serves the default page at the root only, yet keeps its path: its address typed by hand (/overview)
    # was an English "Page not found" dialog. The default gives its path to a hidden page that opens it instead.
    own_path = f"{url_path}-home" if file == default else url_path
    page = st.Page(file, title=tr(title), icon=icon, url_path=own_path, default=file == default, visibility=visibility)
    sections.setdefault(tr(section), []).append(page)
    if file == default:
        st.session_state[signin.HOME] = page  # where a refused page sends its reader
        sections[tr(section)].append(st.Page(file, title=tr(title), url_path=url_path, visibility="hidden"))
own_paths = {p[4] for p in existing} | {f"{p[4]}-home" for p in existing}
asked = unknown_address.asked_for(own_paths)
if asked is not None:
    next(iter(sections.values())).append(unknown_address.page(lang, asked))
# Every page listed: collapsed, Streamlit hides the last pages (Policies, the League table…) behind its own "View 7
# more", in English whatever the reader's language. Before sign-in no list: every page is the sign-in page, and its
# link still opens that page once signed in.
chosen = st.navigation(sections, expanded=True, position="sidebar" if who is not None else "hidden")
# Streamlit gives the default page's url path as "".
home_path = next(p[4] for p in listed if p[1] == default)
st.session_state[signin.OPENED] = chosen.url_path or home_path
if chosen.url_path == home_path:  # the home page by its own path: its link marked open, as at the root
    sidebar.mark_home_open()
# The browser tab in the reader's language: the page, then the cockpit.
st.set_page_config(page_title=f"{chosen.title} · {tr('Education Management Cockpit')}")
try:
    chosen.run()
except config.ConfigError as exc:  # broken after the page began (the pages that read one say so in place)
    config_broken(exc)
