"""The contract under hypothesis: any figure put into an observation is either refused with the file, column and
row, or accepted and then within what its unit allows; never an exception, never a silently absurd number."""

from __future__ import annotations

import math
import tempfile
from pathlib import Path

import tiny
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from cockpit.data import extracts, schema

FIGURES = st.one_of(
    st.floats(allow_nan=True, allow_infinity=True, width=64),
    st.integers(min_value=-(10**18), max_value=10**18).map(float),
    st.sampled_from([0.0, -0.0, 1e-300, 199.99, 200.0, 200.01, 5e18]),
)


@settings(max_examples=40, deadline=None, derandomize=True, suppress_health_check=[HealthCheck.too_slow])
@given(
    row=st.integers(min_value=0, max_value=5),
    column=st.sampled_from(["value", "numerator", "denominator"]),
    figure=FIGURES,
)
def test_any_figure_is_refused_where_it_is_or_accepted_within_its_unit(row, column, figure):
    observations = tiny.frames()["observations"]
    row = row % len(observations)
    observations[column] = observations[column].astype("float64")
    observations.loc[row, column] = figure
    with tempfile.TemporaryDirectory() as folder:
        errors = extracts.check(tiny.write(Path(folder), observations=observations))
    if errors:
        assert all(e.file == "observations.parquet" and e.column and e.row_count >= 1 for e in errors), errors
        assert any(row + 1 in e.rows for e in errors), errors
        return
    indicators = tiny.frames()["indicators"].set_index("indicator_id")
    changed = observations.loc[row]
    unit = indicators.loc[changed["indicator_id"], "unit"]
    low, high = schema.UNIT_RANGES[unit]
    value = changed["value"]
    if column == "value" and value is not None and not math.isnan(value) and changed["sex"] == "total":
        assert low <= value <= (high if high is not None else math.inf), (unit, value)
    if column == "denominator" and not math.isnan(figure):
        assert figure != 0  # a zero denominator is never accepted: the rate it divides is undefined
