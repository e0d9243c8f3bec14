"""The naive baseline page for bench_pages.py: what a page would cost that reads the Parquet extracts with pandas on
every rerun and draws the same kind of charts (a province ranking, a trend, a table) with no model and no cache."""

import os
from pathlib import Path

import pandas as pd
import plotly.express as px
import streamlit as st

directory = Path(os.environ["BENCH_EXTRACTS"])
indicator_id = os.environ.get("BENCH_INDICATOR", "dropout_rate")
obs = pd.read_parquet(directory / "observations.parquet")
areas = pd.read_parquet(directory / "areas.parquet")
obs = obs[(obs["sex"] == "total") & (obs["indicator_id"] == indicator_id)].merge(
    areas[["area_id", "parent_id"]].rename(columns={"parent_id": "province_id"}), on="area_id"
)
province = obs.groupby(["province_id", "period_start"], as_index=False)[["numerator", "denominator"]].sum()
province["value"] = 100 * province["numerator"] / province["denominator"]
latest = province[province["period_start"] == province["period_start"].max()].sort_values("value")
names = areas.set_index("area_id")["name_en"]
latest["name"] = latest["province_id"].map(names)
st.title("Naive page")
st.plotly_chart(px.bar(latest, x="name", y="value"))
national = province.groupby("period_start", as_index=False)[["numerator", "denominator"]].sum()
national["value"] = 100 * national["numerator"] / national["denominator"]
st.plotly_chart(px.line(national, x="period_start", y="value"))
st.dataframe(latest[["name", "value"]])
