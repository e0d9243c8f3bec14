"""Figures a hundred or a thousand times off, caught before they are published.

A steward's file can hold a rate as a proportion (0.952 for 95.2 %: a spreadsheet cell formatted as a percent holds
the proportion, and "95.2%" in a CSV reads as one too) or a count in thousands. Published as they are, every area
would turn red against its target, the alert rules would open episodes and the critical ones would be sent. So an
import's figures are compared with what the served version holds for the same areas, periods and sexes (rolled up
to the import's level as the models roll them up), or, where it holds none of those, with the indicator's other
published figures at that level. A typical ratio of FACTOR or more, either way, stops the publish until the steward
confirms that the figures are right as they are; so do MIN_COMPARED or more figures that far off among figures that
agree (one office's sheet pasted in proportions into a national file), named by their areas. The publish makes the
same comparison on the version it builds (queries/publish/figures_off.sql) and says it in these words.
"""

from __future__ import annotations

from dataclasses import dataclass

import pandas as pd

from cockpit import i18n
from cockpit.data import areas as area_names
from cockpit.data import indicators as indicator_names
from cockpit.i18n import N_

KEY = ["area_id", "indicator_id", "period_start", "sex"]
LEVELS = ("country", "province", "district")
# A proportion read as a percent is 100 times off, a count in thousands 1,000; a revision moves a figure by a few
# percent, and a year a province's figures by far less than 20 times.
FACTOR = 20.0
MIN_COMPARED = 3  # fewer figures than this say nothing either way

SMALLER_THAN_SAME = N_(
    "{indicator}: the figures read are about {factor} times smaller than those published for the same areas, "
    "periods and sexes ({count} compared)"
)
LARGER_THAN_SAME = N_(
    "{indicator}: the figures read are about {factor} times larger than those published for the same areas, "
    "periods and sexes ({count} compared)"
)
SMALLER_THAN_OTHERS = N_(
    "{indicator}: the figures read are about {factor} times smaller than its other published figures ({count} compared)"
)
LARGER_THAN_OTHERS = N_(
    "{indicator}: the figures read are about {factor} times larger than its other published figures ({count} compared)"
)
SOME_SMALLER = N_(
    "{indicator}: {count} of the {of} figures compared are about {factor} times smaller than those published for the "
    "same areas, periods and sexes: {areas}"
)
SOME_LARGER = N_(
    "{indicator}: {count} of the {of} figures compared are about {factor} times larger than those published for the "
    "same areas, periods and sexes: {areas}"
)
AREAS_SHOWN = 5  # the areas named of the figures off; the report lists every row
HINT = N_(
    "A proportion where a percent is expected, or a count in thousands? Check the scale of its columns in the spec "
    "(100 turns a 0–1 proportion into a percent). If the figures are right as they are, confirm them to publish."
)


@dataclass(frozen=True)
class Suspect:
    """An indicator whose imported figures are FACTOR or more times off what is published."""

    indicator_id: str
    factor: float  # the imported figures over the published ones: the median of their ratios
    compared: int  # how many figures the factor rests on
    same_figures: bool  # compared figure by figure (same area, period, sex), not with the indicator's others
    of: int = 0  # only some figures off (one office's sheet): of how many compared; 0 when the indicator's are
    area_ids: tuple[str, ...] = ()  # the areas of those figures (the first AREAS_SHOWN are named)

    def message(self) -> tuple[str, dict]:
        """The finding as a message id and its values (the factor said as an order of magnitude)."""
        smaller = self.factor < 1
        times = 1 / self.factor if smaller else self.factor
        values = dict(indicator=self.indicator_id, factor=_about(times), count=self.compared)
        if self.of:
            areas = _listed(self.area_ids)
            return (SOME_SMALLER if smaller else SOME_LARGER), dict(values, of=self.of, areas=areas)
        message = {
            (True, True): SMALLER_THAN_SAME,
            (False, True): LARGER_THAN_SAME,
            (True, False): SMALLER_THAN_OTHERS,
            (False, False): LARGER_THAN_OTHERS,
        }[(smaller, self.same_figures)]
        return message, values

    def text(
        self, lang: str, indicators: pd.DataFrame | None = None, areas: pd.DataFrame | None = None, country: str = ""
    ) -> str:
        """The finding in the reader's language; the indicator named from `indicators` and the areas from `areas`
        (the country's extracts) when given."""
        message, values = self.message()
        values |= self.named(lang, indicators, areas, country)
        numbers = {k: i18n.number(values[k], lang, 0) for k in ("factor", "count", "of") if k in values}
        return i18n.tr(lang, message, **{**values, **numbers})

    def named(
        self, lang: str, indicators: pd.DataFrame | None = None, areas: pd.DataFrame | None = None, country: str = ""
    ) -> dict[str, str]:
        """The message's indicator and areas as `lang` names them, from `indicators` and `areas` when given."""
        found = {}
        if indicators is not None:
            found["indicator"] = indicator_names.named(indicators, self.indicator_id, lang)
        if areas is not None and self.area_ids:
            by_id = areas.set_index("area_id")
            found["areas"] = _listed(
                [area_names.name(by_id.loc[a], country, lang) if a in by_id.index else a for a in self.area_ids]
            )
        return found


def suspects(
    observations: pd.DataFrame, published: pd.DataFrame, areas: pd.DataFrame, indicators: pd.DataFrame, level: str
) -> list[Suspect]:
    """The indicators of `observations` (an import at `level`) whose figures are FACTOR or more times off the
    `published` observations of the same indicator; `areas` and `indicators` are the published extracts."""
    if observations.empty:
        return []
    read = _keyed(observations)
    published = _keyed(published[published["indicator_id"].isin(set(read["indicator_id"]))])
    there = _at_level(published, areas, indicators, level)
    pairs = read.merge(there, on=KEY, suffixes=("", "_published"))
    pairs = pairs[_nonzero(pairs["value"]) & _nonzero(pairs["value_published"])]
    found = []
    for indicator_id, figures in read.groupby("indicator_id", sort=True):
        same = pairs[pairs["indicator_id"] == indicator_id]
        if len(same) >= MIN_COMPARED:
            ratios = (same["value"] / same["value_published"]).abs()
            factor, compared = ratios.median(), len(same)
            slipped = (ratios >= FACTOR) | (ratios <= 1 / FACTOR)
            if not _off(factor) and slipped.sum() >= MIN_COMPARED:
                # Most figures agree, a few are a unit off (one office's sheet in proportions): named by area.
                where = tuple(dict.fromkeys(same.loc[slipped, "area_id"]))
                off_factor, off_count = float(ratios[slipped].median()), int(slipped.sum())
                found.append(Suspect(str(indicator_id), off_factor, off_count, True, of=compared, area_ids=where))
                continue
        else:
            mine = figures.loc[_nonzero(figures["value"]), "value"].abs()
            others = there.loc[(there["indicator_id"] == indicator_id) & _nonzero(there["value"]), "value"].abs()
            if len(mine) < MIN_COMPARED or len(others) < MIN_COMPARED:
                continue
            factor, compared = mine.median() / others.median(), len(mine)
        if _off(factor):
            found.append(Suspect(str(indicator_id), float(factor), int(compared), len(same) >= MIN_COMPARED))
    return found


def _listed(names) -> str:
    """The first AREAS_SHOWN names, and "…" when there are more (the report lists every row)."""
    return ", ".join(names[:AREAS_SHOWN]) + (" …" if len(names) > AREAS_SHOWN else "")


def _off(factor: float) -> bool:
    return factor >= FACTOR or factor <= 1 / FACTOR


def _about(times: float) -> int:
    """One significant digit (113 -> 100, 1,130 -> 1,000, 48 -> 50): an order of magnitude, said as one."""
    return int(float(f"{times:.0e}"))


def _keyed(observations: pd.DataFrame) -> pd.DataFrame:
    # Periods as dates whichever way each side holds them (an import: datetime.date; an extract: date or timestamp).
    out = observations.copy()
    out["period_start"] = pd.to_datetime(out["period_start"]).dt.normalize()
    return out


def _nonzero(values: pd.Series) -> pd.Series:
    return values.notna() & (values != 0)


def _at_level(observations: pd.DataFrame, areas: pd.DataFrame, indicators: pd.DataFrame, level: str) -> pd.DataFrame:
    """The figures by area of `level`: a row reported at that level as it is; rows below it rolled up as the models
    roll them up (queries/data/models/010_area_facts.sql: a sum, or a ratio of sums), where no row of its own is."""
    columns = [*KEY, "value"]
    if observations.empty:
        return pd.DataFrame(columns=columns)
    by_id = areas.set_index("area_id")
    owner = pd.Series(by_id.index, index=by_id.index)
    for _ in LEVELS:  # up the tree, one level a step, until each area reaches `level` (or the top)
        climbing = owner.map(by_id["level"]).ne(level) & owner.map(by_id["parent_id"]).notna()
        owner = owner.where(~climbing, owner.map(by_id["parent_id"]))
    owner = owner[owner.map(by_id["level"]) == level]
    area = observations["area_id"].astype("category")  # a thousand areas mapped, not a row at a time
    rows = observations.assign(owner=area.map(owner).astype(object), at=area.map(by_id["level"]).astype(object))
    rows = rows[rows["owner"].notna()]
    own = rows.loc[rows["at"] == level, columns]
    below = rows[rows["at"] != level].copy()
    info = indicators.set_index("indicator_id")
    scale = below["indicator_id"].astype("category").map(info["scale"]).astype(float).fillna(1.0)
    parts = below["numerator"].notna() & below["denominator"].notna()
    below["num"] = below["numerator"].where(parts, below["value"] / scale)  # a rate alone weighs one unit
    below["den"] = below["denominator"].where(parts, 1.0)
    below["scale"] = scale
    summed = below.groupby(["owner", "indicator_id", "period_start", "sex"], sort=False).agg(
        value_sum=("value", "sum"), num=("num", "sum"), den=("den", "sum"), scale=("scale", "first")
    )
    additive = summed.index.get_level_values("indicator_id").map(info["aggregation"]) == "sum"
    summed["value"] = summed["value_sum"].where(
        additive, summed["scale"] * summed["num"] / summed["den"].where(summed["den"] != 0)
    )
    rolled = summed.reset_index().rename(columns={"owner": "area_id"})[columns]
    rolled = rolled[~rolled.set_index(KEY).index.isin(own.set_index(KEY).index)]
    return pd.concat([own, rolled], ignore_index=True)
