"""The sidebar's country and language pickers and the page's context; what every page runs first (alerts
evaluated, a rejected extract reported)."""

from __future__ import annotations

from dataclasses import dataclass, replace

import pandas as pd
import sqlalchemy as sa
import streamlit as st
from sqlalchemy import exc as sa_exc

from cockpit import clock, i18n, periods, settings
from cockpit.alerts import evaluation, rules
from cockpit.data import areas, db
from cockpit.data.access import Scope
from cockpit.data.db import Database, NoData
from cockpit.data.extracts import ContractError, ExtractError
from cockpit.data.versions import Unreachable
from cockpit.ui import printing, screen, signin, store_status, tables, text, url_state
from cockpit.users.identity import Actor, Identity


@dataclass(frozen=True)
class Context:
    """What every page needs: the data, the country, the reader's language, who is signed in and their scope.

    The scope comes from the identity (`areas.scope_of`), never from the URL or a widget; a page may narrow it.
    """

    db: Database
    country: str
    lang: str
    scope: Scope
    identity: Identity
    # The state store when it answers (alerts, decisions, notes); None while it cannot be used: the page still
    # shows the published data, and its store sections say they are unavailable (cockpit.ui.store_status).
    store: sa.Engine | None = None

    @property
    def actor(self) -> Actor:
        """The signed-in identity as the actor of a write: what every write in the state store takes and checks."""
        return Actor(self.identity, self.country, self.scope)

    @property
    def own_area(self) -> str | None:
        """The office's own area in the country read (its province, or its region as "reo:17"); None for a national
        reader. A page about all the provinces in scope sums up this area, not the country: an office's walls showed
        the country's figures as its own."""
        return self.identity.area_id if self.identity.country == self.country else None

    def tr(self, message: str, **values) -> str:
        return i18n.tr(self.lang, message, **values)

    def period(self, start, period_type: str) -> str:
        return periods.label(start, period_type, self.country, self.lang)

    def latest(self) -> Context:
        """The same context on the newest published version: for a fragment that re-reads its data in place."""
        return replace(self, db=db.get().pinned())


def sidebar_controls() -> Context | None:
    """Country and language pickers in the sidebar; the page's context, or None when no data can be shown."""
    database = db.get().pinned()  # one version per country for the whole rerun
    lang_guess = language()  # the picker is drawn below: its messages before it in the language the frame took
    try:
        countries = database.countries()
    except Unreachable as exc:
        st.error(i18n.tr(lang_guess, "The published data cannot be read now: {error}", error=text.plain(exc)))
        return None
    with st.session_state[url_state.NOTICES_KEY]:
        engine = store_status.usable(lambda message, **values: i18n.tr(lang_guess, message, **values))
    identity = signin.require(database, engine, lang_guess)
    if identity.country is not None:
        countries = [c for c in countries if c == identity.country]
    with st.sidebar:
        if not countries:
            st.error(
                i18n.tr(
                    lang_guess,
                    "Nothing is published in {path}. Run `make demo`, publish extracts with "
                    "`python -m cockpit.publish`, or set COCKPIT_DATA_URL.",
                    path=database.store.url,
                )
            )
            return None
        default_country = settings.load().default_country
        country = url_state.url_choice(
            "country",
            countries,
            default_country if default_country in countries else countries[0],
            "🌏",
            format_func=lambda c: {"th": "ประเทศไทย · Thailand", "la": "ສປປ ລາວ · Lao PDR"}.get(c, c.upper()),
            lang=lang_guess,
            label_visibility="collapsed",
        )
        lang = url_state.url_choice(
            "lang",
            i18n.LANGUAGES,
            i18n.COUNTRY_LANGUAGE.get(country, settings.load().default_language),
            "Language",
            format_func=i18n.LANGUAGE_NAMES.get,
            widget=st.segmented_control,
            label_visibility="collapsed",
            required=True,
        )
    try:
        scope = areas.scope_of(database, identity, country)
    except Unreachable as exc:
        st.error(i18n.tr(lang, "The published data cannot be read now: {error}", error=text.plain(exc)))
        return None
    except NoData as exc:
        st.error(i18n.tr(lang, "The {country} extracts cannot be loaded.", country=country.upper()))
        if isinstance(exc.__cause__, ExtractError):
            contract_errors_table(lang, exc.__cause__.errors)
        else:
            st.code(str(exc), language=None)
        return None
    context = Context(database, country, lang, scope, identity, engine)
    with st.sidebar:
        area = identity.area_id and areas.area_name(database, identity.country or country, identity.area_id, lang)
        signin.sign_out_control(engine, identity, lang, area)
        served = database.snapshot(country)
        published = served.loaded_at.astimezone(clock.zone())
        st.caption(
            context.tr(
                "Data version {version}, published {day} at {time}",
                version=served.version,
                day=periods.day_label(published, lang),
                time=f"{published:%H:%M}",
            ),
            help=context.tr("The version every chart on this page reads; a new publish shows at the next click."),
        )
    # After the sidebar, so that a refused page still offers the language and the sign-out; before the page reads.
    signin.refuse_unseen_page(engine, identity, lang)
    problem = database.problem(country)
    if problem is not None:
        show_extract_problem(context, problem.error)
    return context


def show_extract_problem(ctx: Context, error: ExtractError) -> None:
    """A rejected extract: what is wrong and where, and that the previous data is still shown."""
    with st.container(border=True):
        st.warning(
            ctx.tr(
                "New extracts from {path} were rejected; the cockpit still shows the version published before.",
                path=error.directory,
            ),
            icon=":material/report:",
        )
        contract_errors_table(ctx.lang, error.errors)


PROBLEM_PX = 500  # what is left of a 1366 px laptop's table beside the file, column and rows


def contract_errors_table(lang: str, errors: list[ContractError]) -> None:
    """What is wrong, and where: one row per file, column and broken rule, with sample row numbers."""
    # A problem's sentence wraps between words instead of running past the box, in rows as tall as the most lines.
    problems, row_px = tables.wrapped([e.text(lang) for e in errors], PROBLEM_PX)
    rows = [
        {
            i18n.tr(lang, "File"): e.file,
            i18n.tr(lang, "Column"): e.column or "",
            i18n.tr(lang, "Rows"): ", ".join(map(str, e.rows)) + (" …" if e.row_count > len(e.rows) else ""),
            i18n.tr(lang, "Problem"): problem,
        }
        for e, problem in zip(errors, problems, strict=True)
    ]
    st.dataframe(
        pd.DataFrame(rows),
        hide_index=True,
        row_height=row_px,
        column_config={
            i18n.tr(lang, "File"): st.column_config.TextColumn(width=150),
            i18n.tr(lang, "Column"): st.column_config.TextColumn(width=90),
            i18n.tr(lang, "Rows"): st.column_config.TextColumn(width=80),
            i18n.tr(lang, "Problem"): st.column_config.TextColumn(width=PROBLEM_PX),
        },
    )


DENSE_CSS = """
<style>
  [data-testid="stMainBlockContainer"] { padding-top: 2.2rem; padding-bottom: 2rem; }
  /* A laptop's 1366 px: long Thai and Lao names wrap instead of being cut with an ellipsis (metric labels, their
     periods and targets, their values, links to pages). */
  [data-testid="stMetricLabel"], [data-testid="stMetricLabel"] *, [data-testid="stMetricDelta"] *,
  [data-testid="stMetric"] [data-testid="stCaptionContainer"],
  [data-testid="stMetric"] [data-testid="stCaptionContainer"] *,
  [data-testid="stPageLink"] a, [data-testid="stPageLink"] a * {
    white-space: normal !important; overflow: visible !important; text-overflow: clip !important;
    height: auto !important; overflow-wrap: anywhere;
  }
  [data-testid="stMetricLabel"] { min-height: fit-content; }
  [data-testid="stMetricValue"], [data-testid="stMetricValue"] * {
    white-space: normal !important; overflow: visible !important; text-overflow: clip !important;
    line-height: 1.15;
  }
</style>
"""


# The home page opened by its own path (/overview: a hidden page, as Streamlit serves the default page at the root
# only): no page of the list was marked as the one open. Its link gets an open page's background and weight
# (measured in Chromium; tests/views/test_browser.py compares them); not its colour, which the theme chosen sets.
HOME_OPEN_CSS = """
<style>
  [data-testid="stSidebarNavLink"][href$="/"] { background-color: rgba(146, 164, 200, 0.25); }
  [data-testid="stSidebarNavLink"][href$="/"] span { font-weight: 600; }
</style>
"""


def mark_home_open() -> None:
    st.html(HOME_OPEN_CSS)


def context() -> Context:
    """Render the sidebar's country and language pickers and return the page's context; stop if no data.

    Each page calls this first. (The frame, app.py, only names the pages: Streamlit's AppTest
    reruns a page file on its own, so the page must draw its own controls.)
    """
    st.html(DENSE_CSS)
    printing.stylesheet()  # A4 landscape without the sidebar and buttons, from any page
    screen.kiosk_mode()  # ?kiosk=1 on any page: no chrome, no sidebar, dark, type for the wall
    st.session_state[url_state.NOTICES_KEY] = st.container()
    ctx = sidebar_controls()
    if ctx is None:
        st.stop()
    evaluate_alerts(ctx)
    return ctx


def evaluate_alerts(ctx: Context):
    """Run the alert rules on this country's data once per data version, rules version and day, on any page,
    unless the store already holds that evaluation (a publish's, usually).

    Alerts are current wherever they are shown (the Province page, the walls) even if nobody has
    opened the Alerts page. A state store out of reach is reported, not fatal: the page still shows.
    """
    rules_dir = settings.load().rules_dir
    if ctx.store is None:
        return None  # the banner says the store cannot be used; alerts wait for it
    try:
        engine, today = ctx.store, clock.today()
        if evaluation.evaluated_already(ctx.db, ctx.country, engine, today, rules.fingerprint(rules_dir)):
            return None  # the publish (or another server) did it for this version, these rules and this day
        ruleset, version = rules.current(rules_dir)
        with st.spinner(ctx.tr("Evaluating the alert rules…"), show_time=False):
            return evaluation.refresh(ctx.db, ctx.country, engine, ruleset, today, version)
    except sa_exc.SQLAlchemyError as exc:
        with st.session_state[url_state.NOTICES_KEY]:
            store_status.not_current(ctx.tr, exc)
        return None


def state_engine():
    """The process's one engine on the state store (a pool of connections, kept across reruns). Pages use
    `ctx.store`, which is None while the store cannot be used."""
    return store_status.engine()


def language() -> str:
    """The reader's language as the URL or the language picker last set it, for the frame's page titles and
    navigation (app.py, before the page's picker runs). As for every URL-backed choice (url_state.url_choice), an
    address the picker did not write (Back across a change of language, a link) wins over what the session kept:
    the tab title and the page list stayed in the language left behind while the page itself followed the URL."""
    raw = st.query_params.get("lang")
    lang = raw if url_state.link_followed("lang", raw) else st.session_state.get("url_lang") or raw
    return lang if lang in i18n.LANGUAGES else settings.load().default_language


def open_province(ctx: Context, province_id: str | None) -> None:
    """Go to the Province page for a province in scope, keeping the country and language."""
    if province_id and ctx.scope.allows(province_id):
        st.switch_page(
            "views/province.py", query_params={"country": ctx.country, "lang": ctx.lang, "province": province_id}
        )
