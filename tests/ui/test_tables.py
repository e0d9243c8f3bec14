"""Tables and charts write numbers in the reader's locale: a Lao page shows a decimal comma, Thai and English a
point, in table cells (a Styler's display text over numbers that still sort), progress bars and chart hovers."""

import json

import pandas as pd
import pytest
from conftest import ROOT
from streamlit.dataframe_util import convert_arrow_bytes_to_pandas_df
from streamlit.testing.v1 import AppTest

from cockpit import i18n
from cockpit.ui import tables


def page(name: str, **params) -> AppTest:
    at = AppTest.from_file(str(ROOT / "views" / f"{name}.py"), default_timeout=90)
    for key, value in params.items():
        at.query_params[key] = value
    return at.run()


def shown_text(element) -> pd.DataFrame:
    """What the reader sees in a st.dataframe's cells: the Styler's display values."""
    return convert_arrow_bytes_to_pandas_df(element.proto.arrow_data.styler.display_values)


def column_config(element) -> dict:
    return json.loads(element.proto.columns)


@pytest.mark.parametrize(
    ("lang", "expected"), [("lo", "1.234,5 · 52,9%"), ("th", "1,234.5 · 52.9%"), ("en", "1,234.5 · 52.9%")]
)
def test_a_styled_table_writes_numbers_as_the_locale_does(lang, expected):
    table = pd.DataFrame({"points": [1234.5], "share": [52.94]})
    html = tables.localized(table, lang, numbers={"points": 1}, percents={"share": 1, "absent": 1}).to_html()
    points, share = expected.split(" · ")
    assert f">{points}<" in html and f">{share}<" in html


@pytest.mark.parametrize("lang", i18n.LANGUAGES)
def test_a_progress_bar_labels_itself_only_with_whole_numbers_as_the_locale_writes_them(lang):
    label = tables.bar_label_format(lang, percent=True)
    assert label == "%.0f%%"  # printf writes '.' for a decimal mark, which a Lao page writes ','
    assert all(label % v == i18n.percent(v, lang, 0) for v in (0, 7.2, 52.9, 99.4, 100))
    assert tables.bar_label_format(lang) == "%.0f"


def progress_with_decimals(element) -> list[tuple[str, str]]:
    """(column, format) of a table's progress bars whose label would write a decimal: none may, in any language."""
    return [
        (name, config["type_config"].get("format"))
        for name, config in column_config(element).items()
        if config.get("type_config", {}).get("type") == "progress"
        and config["type_config"].get("format") not in (" ", "%.0f", "%.0f%%")
    ]


def figures_in_locale(element, column: str, decimal: str) -> None:
    """`column` is a number column (it sorts by number) written in the reader's locale with one decimal."""
    assert element.value[column].dtype.kind == "f"
    assert "format" not in column_config(element)[column].get("type_config", {})  # it would override the Styler's text
    written = [c for c in shown_text(element)[column] if c != i18n.NO_VALUE]
    assert written and all(c.count(decimal) == 1 and c.rstrip("%").rsplit(decimal, 1)[1].isdigit() for c in written)


def figures_beside_bars(element, column: str, decimal: str) -> None:
    """`column` is written in the reader's locale (figures_in_locale), and its copy beside it is a bar with no label
    of its own."""
    figures_in_locale(element, column, decimal)
    bar = column_config(element)[column + tables.BAR]
    assert bar["type_config"]["format"] == " " and not bar["label"]  # draws no digit, under no heading of its own


@pytest.mark.parametrize(("lang", "decimal"), [("lo", ","), ("th", "."), ("en", ".")])
def test_the_league_table_reads_in_the_readers_locale_and_sorts_by_number(lang, decimal):
    at = page("league", country="la", lang=lang)
    assert not at.exception, at.exception
    league = at.dataframe[0]
    assert league.value["kpi_points"].dtype.kind == "f"  # the numbers underneath: the column sorts as numbers
    cells = shown_text(league)["kpi_points"]
    written = [c for c in cells if any(ch.isdigit() for ch in c)]
    assert written and all(c.count(decimal) == 1 and c.rsplit(decimal, 1)[1].isdigit() for c in written)
    config = column_config(league)
    assert "format" not in config["kpi_points"].get("type_config", {})  # a format would override the Styler's text
    figures_beside_bars(league, "score", decimal)  # the score with its decimal, 52,9 in Lao, not a bar's 53
    assert not progress_with_decimals(league)


@pytest.mark.parametrize(("lang", "decimal"), [("lo", ","), ("en", ".")])
def test_the_policies_progress_and_chart_follow_the_locale(lang, decimal):
    at = page("policies", lang=lang, policy="anywhere_anytime_learning", province="49")
    assert not at.exception, at.exception
    with_progress = [d for d in at.dataframe if "progress_pct" in d.value.columns]
    assert len(with_progress) == 2  # the portfolio and the provinces
    for table in with_progress:
        figures_in_locale(table, "progress_pct", decimal)  # 52,9% in Lao, not a bar's 53%
        # No bar beside it: at the 35 px these tables have room for, a bar drew the same dot for every figure.
        assert "progress_pct" + tables.BAR not in column_config(table)
        assert not progress_with_decimals(table)
    progress = next(
        spec for spec in (json.loads(c.proto.spec) for c in at.get("vega_lite_chart")) if "projection" not in spec
    )  # the province's progress, beside the map
    assert progress["config"]["locale"]["number"]["decimal"] == decimal
    assert all(t["format"] == ",.1f" for layer in progress["layer"] for t in layer["encoding"]["tooltip"][-1:])


@pytest.mark.parametrize(("lang", "decimal"), [("lo", ","), ("en", ".")])
def test_the_policies_plan_and_gap_are_numbers_written_in_the_locale(lang, decimal):
    at = page("policies", lang=lang, policy="anywhere_anytime_learning")
    assert not at.exception, at.exception
    with_plan = [d for d in at.dataframe if "planned_pct" in d.value.columns]
    assert len(with_plan) == 2  # the portfolio and the provinces
    points = i18n.tr(lang, "pts")
    for table in with_plan:
        assert not {"plan_label", "gap_label"} & set(table.value.columns)  # text would sort "10,0%" before "9,5%"
        config, shown = column_config(table), shown_text(table)
        for column in ("planned_pct", "gap"):
            assert table.value[column].dtype.kind == "f"  # numbers underneath: the column sorts by number
            assert "format" not in config[column].get("type_config", {})  # a format would override the text
        planned = [c for c in shown["planned_pct"] if c != i18n.NO_VALUE]
        assert planned and all(c.endswith("%") and c.count(decimal) == 1 for c in planned)
        gaps = [c for c in shown["gap"] if c != i18n.NO_VALUE]
        assert gaps and all(c[0] in "+−±" and c.endswith(" " + points) and c.count(decimal) == 1 for c in gaps)
    stuck = next(d for d in at.dataframe if i18n.tr(lang, "Stuck since") in d.value.columns)
    for column in (i18n.tr(lang, "Progress"), i18n.tr(lang, "Plan")):
        assert stuck.value[column].dtype.kind == "f"
        written = list(shown_text(stuck)[column])
        assert written and all(c.endswith("%") and c.count(decimal) == 1 for c in written)


@pytest.mark.parametrize(("lang", "decimal"), [("lo", ","), ("en", ".")])
def test_the_province_policies_are_numbers_written_in_the_locale(lang, decimal):
    at = AppTest.from_file(str(ROOT / "app.py"), default_timeout=90)  # the page links to others of the frame
    for key, value in {"lang": lang, "province": "67"}.items():
        at.query_params[key] = value
    at.run().switch_page("views/province.py").run()
    assert not at.exception, at.exception
    table = next(d for d in at.dataframe if "gap_trend" in d.value.columns)
    assert not {"progress_label", "plan_label", "gap_label"} & set(table.value.columns)
    config, shown = column_config(table), shown_text(table)
    for column in ("progress_pct", "planned_pct", "gap"):
        assert table.value[column].dtype.kind == "f"  # numbers underneath: the column sorts by number
        assert "format" not in config[column].get("type_config", {})  # a format would override the text
    for column in ("progress_pct", "planned_pct"):
        written = [c for c in shown[column] if c != i18n.NO_VALUE]
        assert written and all(c.endswith("%") and c.count(decimal) == 1 for c in written)
    gaps = [c for c in shown["gap"] if c != i18n.NO_VALUE]
    assert gaps and all(c[0] in "+−±" and c.endswith(" " + i18n.tr(lang, "pts")) for c in gaps)


@pytest.mark.parametrize(("lang", "decimal"), [("lo", ","), ("th", ".")])
def test_the_province_trends_hover_with_each_indicators_decimals_and_unit(lang, decimal):
    at = AppTest.from_file(str(ROOT / "app.py"), default_timeout=90)  # the page links to others of the frame
    for key, value in {"lang": lang, "province": "67", "indicator": "ner_primary"}.items():  # a percentage, 1 place
        at.query_params[key] = value
    at.run().switch_page("views/province.py").run()
    assert not at.exception, at.exception
    trends = _trend_lines(at)
    assert trends["config"]["locale"]["number"]["decimal"] == decimal
    formats = [trends["encoding"]["y"]["axis"]["format"], trends["encoding"]["tooltip"][2]["format"]]
    assert formats == [",.1f", ",.1f"]  # the indicator's one place, on the axis and in the tooltip
    assert trends["encoding"]["tooltip"][2]["title"] == "%"  # its unit names the figure
    at.query_params["indicator"] = "dropout_rate"  # two places
    at.run()
    assert _trend_lines(at)["encoding"]["y"]["axis"]["format"] == ",.2f"


def _trend_lines(at) -> dict:
    """The Province's trend chart's lines: the Vega-Lite layer whose points carry a line name."""
    for chart in at.get("vega_lite_chart"):
        spec = json.loads(chart.proto.spec)
        for layer in spec.get("layer", []):
            if layer.get("encoding", {}).get("color", {}).get("field") == "line":
                return {**layer, "config": spec["config"]}
    raise AssertionError("no trend chart on the page")


@pytest.mark.parametrize(("lang", "decimal"), [("lo", ","), ("en", ".")])
def test_the_overview_and_quality_bars_are_in_percent_points_with_the_locales_label(lang, decimal):
    label = "%.0f%%"  # whole points in every language: these bars had no decimals before either
    at = page("overview", lang=lang)
    assert not at.exception, at.exception
    overview = at.dataframe[0]
    assert column_config(overview)["attainment"]["type_config"]["format"] == label
    assert overview.value["attainment"].max() > 1  # percent points, the bar's 0-100 scale
    at = page("quality", lang=lang)
    assert not at.exception, at.exception
    sources = next(d for d in at.dataframe if "completeness" in column_config(d))
    assert column_config(sources)["completeness"]["type_config"]["format"] == label
    worst = next(d for d in at.dataframe if "schools_reporting" in d.value.columns)
    written = [c for c in shown_text(worst)["schools_reporting"] if c != i18n.NO_VALUE]
    assert written and all(c.count(decimal) == 1 for c in written)


@pytest.mark.parametrize(("lang", "decimal"), [("lo", ","), ("en", ".")])
def test_the_explorer_tables_write_the_indicators_decimals_in_the_locale(lang, decimal):
    at = page(
        "explore",
        country="th",
        lang=lang,
        view="scatter",
        indicator="dropout_rate",
        indicator2="teacher_vacancy_rate",
        level="province",
    )
    assert not at.exception, at.exception
    both = at.dataframe[0]
    assert both.value["x"].dtype.kind == "f"
    assert all(c.count(decimal) == 1 for c in shown_text(both)["x"])
    at = page("explore", country="th", lang=lang, view="pivot", indicator="ner_primary", level="reo")
    assert not at.exception, at.exception
    pivot = shown_text(at.dataframe[0])
    numbers = [c for column in pivot.columns[1:] for c in pivot[column] if c != i18n.NO_VALUE]
    assert numbers and all(c.count(decimal) == 1 for c in numbers)


@pytest.mark.parametrize(("lang", "group"), [("lo", "."), ("th", ",")])
def test_the_province_school_counts_group_thousands_as_the_locale_does(lang, group):
    at = AppTest.from_file(str(ROOT / "app.py"), default_timeout=90)
    for key, value in {"lang": lang, "province": "67"}.items():
        at.query_params[key] = value
    at.run().switch_page("views/province.py").run()
    assert not at.exception, at.exception
    schools = next(d for d in at.dataframe if "students" in d.value.columns)
    assert schools.value["students"].dtype.kind in "if"
    big = [c for c, v in zip(shown_text(schools)["students"], schools.value["students"], strict=True) if v >= 1000]
    assert big and all(group in c and c.replace(group, "").isdigit() for c in big)


@pytest.mark.parametrize(("lang", "decimal"), [("lo", ","), ("en", ".")])
def test_the_region_strips_hover_in_the_locale(lang, decimal):
    at = AppTest.from_file(str(ROOT / "app.py"), default_timeout=90)
    for key, value in {"lang": lang, "region": "reo:17"}.items():
        at.query_params[key] = value
    at.run().switch_page("views/region.py").run()
    assert not at.exception, at.exception
    strips = json.loads(at.get("echarts_chart")[0].proto.spec)
    # Each strip has its own scale (positions 0-1), so the tooltip names the value as written in the reader's locale.
    assert strips["tooltip"]["formatter"] == "{@[2]}: {@[3]}"
    hovered = [s for s in strips["series"] if "name" in s]  # the marks; the unnamed series are text
    written = [p["value"][3] for s in hovered for p in s["data"] if any(ch.isdigit() for ch in p["value"][3])]
    other = "," if decimal == "." else "."
    percents = [v for v in written if "%" in v]  # below 1,000, so no grouping mark: only the decimal one
    assert any(decimal in v for v in percents) and not any(other in v for v in percents)


def test_a_wrapped_cell_is_given_the_lines_its_longest_sentence_needs():
    """A publish refused for figures off says so in about 240 characters: at three lines in a 500 px column its
    areas, at the end, were cut. One line: the default row; else three lines at least (the grid wraps only in rows
    taller than 64 px), six at most (then it cuts)."""
    refusal = (
        "Gross enrolment ratio, pre-primary (ger_pre_primary): 180 of the 15,735 figures compared are about 100 times "
        "smaller than those published for the same areas, periods and sexes: Phetchabun, Mueang Phetchabun, Chon "
        "Daen, Lom Sak, Lom Kao …"
    )
    assert tables.wrapped(["the date is not a date"], 500) == (["the date is not a date"], tables.ROW_PX)
    (short, long), row_px = tables.wrapped(["the date is not a date", refusal], 500)
    assert long.count("\n") == 3 and long.replace("\n", " ") == refusal
    assert row_px == tables.THREE_LINES_PX + tables.LINE_PX
    assert tables.wrapped([refusal * 3], 320)[1] == tables.THREE_LINES_PX + 3 * tables.LINE_PX  # six lines at most
    assert tables.wrapped([], 500) == ([], tables.ROW_PX)


def test_rows_wrap_only_where_a_text_would_be_cut():
    """The Quality page's sources: one line where every name fits its column; else rows tall enough that the grid
    wraps them (Streamlit wraps a cell only in rows taller than 4 rem, 64 px)."""
    assert tables.wrapped(["LESMIS", "OPS ICT Centre"], 150) == (["LESMIS", "OPS ICT Centre"], tables.ROW_PX)
    names, row_px = tables.wrapped(["LESMIS", "OBEC and OVEC EMIS; DOPA civil registration"], 150)
    assert names[1].count("\n") == 2 and row_px == tables.THREE_LINES_PX > 64
    assert tables.wrapped(["OBEC and OVEC EMIS; DOPA civil registration"], 400)[1] == tables.ROW_PX


def test_columns_get_what_they_want_and_the_widest_are_narrowed_first():
    assert tables.shared_widths({"a": 60, "b": 100}, 300, 55) == {"a": 60, "b": 100}
    # 60 and 120 fit in the 240 px the first leaves; the widest is narrowed to what is left
    assert tables.shared_widths({"a": 60, "c": 150, "b": 120}, 300, 55) == {"a": 60, "c": 120, "b": 120}
    assert tables.shared_widths({"a": 60, "b": 170, "c": 150}, 300, 55) == {"a": 60, "b": 120, "c": 120}
    assert tables.shared_widths({"a": 200, "b": 200}, 100, 55) == {"a": 55, "b": 55}  # never under the least


def test_columns_that_do_not_fit_are_split_into_runs_of_near_equal_count_in_their_order():
    assert tables.fitting_runs({"a": 60, "b": 100}, 300) == [["a", "b"]]
    twenty = {f"p{i:02d}": 80 for i in range(20)}  # six fit in 495 px: four runs of five, not 6, 6, 6, 2
    runs = tables.fitting_runs(twenty, 495)
    assert [len(r) for r in runs] == [5, 5, 5, 5] and sum(runs, []) == list(twenty)
    seven = {"a": 100, "b": 100, "c": 100, "d": 100, "e": 100, "f": 100, "g": 130}
    assert tables.fitting_runs(seven, 495) == [["a", "b", "c", "d"], ["e", "f", "g"]]
    assert tables.fitting_runs({"a": 600, "b": 50}, 495) == [["a"], ["b"]]  # too wide alone: a run of its own
    assert tables.fitting_runs({}, 495) == []


def test_a_text_column_is_as_wide_as_its_heading_or_its_widest_figure():
    from cockpit.figures import short_text

    room = short_text.CELL_PADDING_PX + 2
    name = "พระนครศรีอยุธยา"
    assert tables.text_column_px(name, ["83.5%", "100.0%"], 55) >= short_text.width_px(name) + room > 100
    assert tables.text_column_px("REO", ["100.0%"], 55) >= short_text.width_px("100.0%", bold=True) + room
    assert tables.text_column_px("A", ["1"], 55) == 55


def test_a_names_column_takes_what_its_names_need_within_what_the_others_leave():
    from cockpit.figures import short_text

    names = ["Phra Nakhon Si Ayutthaya", "Trat"]
    needed = short_text.column_px(short_text.width_px(names[0]))
    assert tables.name_column_px("Province", names, 95, 400) == needed  # room enough: as wide as the longest
    assert tables.name_column_px("Province", names, 95, 150) == 150 < needed  # what the others leave
    assert tables.name_column_px("Province", ["Trat"], 95, 400) == 95  # short names: the least
    assert tables.name_column_px("Province", names, 95, 60) == 95  # no room left: still the least
