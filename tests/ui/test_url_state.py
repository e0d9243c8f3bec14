"""URL choices under any query-string value (hypothesis): a valid choice or the documented fallback, never an
exception."""

from unittest import mock

from hypothesis import given, settings
from hypothesis import strategies as st

from cockpit.meeting import warroom
from cockpit.ui import url_state

PROPERTIES = settings(max_examples=100, deadline=None, derandomize=True, database=None)
OPTIONS = ["all", "reo:11", "reo:17", "50", "ນະຄອນຫຼວງວຽງຈັນ"]
# What people and scanners put in links: the options, near misses, numbers, paths, Markdown, very long text.
RAW = st.one_of(
    st.sampled_from(OPTIONS),
    st.sampled_from(
        ["", " all", "ALL", "inf", "-inf", "1e999", "nan", "¹", "../../../../tmp/x", "![x](http://e.org/i.png)"]
    ),
    st.text(max_size=300),
    st.integers().map(str),
)


class Streamlit:
    """Just what url_choice uses of Streamlit: the URL, the session, a warning and a select box that, like
    Streamlit's, refuses a value that is not among its options."""

    def __init__(self, params: dict):
        self.query_params = dict(params)
        self.session_state: dict = {}
        self.warnings: list[str] = []

    def warning(self, body, icon=None):
        self.warnings.append(body)

    def selectbox(self, label, options, format_func=str, key=None, **kwargs):
        value = self.session_state[key]
        assert value in options, f"the widget was given {value!r}, not an option"
        format_func(value)
        return value


@PROPERTIES
@given(raw=RAW, lang=st.sampled_from(["th", "lo", "en"]))
def test_any_url_value_gives_a_choice_or_the_default_with_a_notice(raw, lang):
    fake = Streamlit({"region": raw})
    with mock.patch.object(url_state, "st", fake):
        value = url_state.url_choice("region", OPTIONS, "all", "Region", format_func=str.upper, lang=lang)
    if raw in OPTIONS:
        assert value == raw and fake.warnings == []
    else:
        assert value == "all"  # the documented fallback: the default, and a notice saying so
        (notice,) = fake.warnings
        assert "ALL" in notice
    assert fake.query_params["region"] == value or ("region" not in fake.query_params and value == "all")


@PROPERTIES
@given(raw=st.none() | RAW | st.floats().map(str))
def test_any_interval_or_refresh_in_the_url_is_a_bounded_whole_number_of_seconds(raw):
    interval = warroom.parse_interval(raw)
    assert isinstance(interval, int)
    assert warroom.MIN_INTERVAL <= interval <= warroom.MAX_INTERVAL or interval == warroom.DEFAULT_INTERVAL
    refresh = warroom.parse_refresh(raw)
    assert isinstance(refresh, int)
    assert warroom.MIN_REFRESH <= refresh <= warroom.MAX_INTERVAL or refresh == warroom.REFRESH_SECONDS
