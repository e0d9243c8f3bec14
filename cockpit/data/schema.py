"""The data contract: every extract's columns, types, allowed values and keys, declared once.

`cockpit.extracts` checks each Parquet file against this at load; `cockpit.demo` writes to it;
tests run the same check on the demo data. Change a column here and nowhere else.
"""

from __future__ import annotations

import hashlib
from dataclasses import dataclass, field

from cockpit.data import kpi_status, queries


@dataclass(frozen=True)
class Column:
    name: str
    type: str  # DuckDB type the column must cast to without loss
    required: bool = True  # no NULLs allowed
    allowed: tuple[str, ...] = ()  # closed vocabulary, when not empty
    min: float | None = None  # inclusive lower bound for numbers
    max: float | None = None  # inclusive upper bound: beyond it a figure is a typing or unit error, not news
    help: str = ""


@dataclass(frozen=True)
class ForeignKey:
    column: str
    table: str
    table_column: str


@dataclass(frozen=True)
class Extract:
    name: str
    grain: str
    columns: tuple[Column, ...]
    key: tuple[str, ...]
    foreign_keys: tuple[ForeignKey, ...] = field(default_factory=tuple)
    optional: bool = False  # may be absent from an extract directory
    # An empty file here would empty every page (and close every alert as if its problem had gone): refused.
    never_empty: bool = False

    @property
    def file_name(self) -> str:
        return f"{self.name}.parquet"

    def column(self, name: str) -> Column:
        return next(c for c in self.columns if c.name == name)


AREA_LEVELS = ("country", "region", "province", "district")
SEXES = ("total", "female", "male")
PERIOD_TYPES = ("year", "term", "month")
DIRECTIONS = ("higher_is_better", "lower_is_better")
# sum: add values. ratio: scale * sum(numerator) / sum(denominator) (ratio of sums, never a
# mean of ratios). weighted_mean: the same formula, numerator = value x weight. parity: the
# female rate over the male rate, each a ratio of sums (the gender parity index).
AGGREGATIONS = ("sum", "ratio", "weighted_mean", "parity")
WALLS = ("black", "red", "blue", "white")
INDICATOR_KINDS = ("goal", "target", "kpi")  # X -> Y -> Z of the causal chain
FREQUENCIES = PERIOD_TYPES
SEVERITIES = ("critical", "high", "medium", "low")
# The values an observation (and the rate its numerator and denominator give) may take, by indicator unit:
# a gross enrolment ratio may pass 100%, never 200%; a parity index is near 1. Units not listed: any value.
UNIT_RANGES: dict[str, tuple[float, float | None]] = {
    "%": (0.0, 200.0),
    "index": (0.0, 5.0),
    "ratio": (0.0, None),
    "score": (0.0, None),
    "count": (0.0, None),
    "days": (0.0, 366.0),
}
INCIDENT_TYPES = ("flood", "haze", "storm", "drought", "violence", "building_damage", "epidemic", "fire", "other")
INCIDENT_STATUSES = ("active", "recovering", "closed")
POLICY_LEVELS = ("programme", "policy", "project")
PROGRESS_STATUSES = ("on_track", "at_risk", "off_track", "not_started")

EXTRACTS: tuple[Extract, ...] = (
    Extract(
        name="areas",
        never_empty=True,
        grain="one row per area",
        key=("area_id",),
        columns=(
            Column("area_id", "VARCHAR", help="DOPA code for Thai areas (10, 1001), ISO 3166-2 for Lao provinces"),
            Column("level", "VARCHAR", allowed=AREA_LEVELS),
            Column("parent_id", "VARCHAR", required=False, help="NULL only for the country"),
            Column("name_en", "VARCHAR"),
            Column("name_local", "VARCHAR", help="Thai or Lao script"),
            Column("iso_code", "VARCHAR", required=False),
            Column("lat", "DOUBLE"),
            Column("lon", "DOUBLE"),
            Column("is_priority", "BOOLEAN", help="Lao ESSDP priority district; false elsewhere"),
        ),
        foreign_keys=(ForeignKey("parent_id", "areas", "area_id"),),
    ),
    Extract(
        name="area_groups",
        grain="one row per area and grouping",
        key=("group_type", "area_id"),
        columns=(
            Column("group_type", "VARCHAR", help="reo, inspection_region, region6 (Thailand); region (Lao PDR)"),
            Column("group_id", "VARCHAR"),
            Column("group_name_en", "VARCHAR"),
            Column("group_name_local", "VARCHAR"),
            Column("area_id", "VARCHAR"),
        ),
        foreign_keys=(ForeignKey("area_id", "areas", "area_id"),),
    ),
    Extract(
        name="schools",
        grain="one row per school",
        key=("school_id",),
        columns=(
            Column("school_id", "VARCHAR"),
            Column("name", "VARCHAR"),
            Column("area_id", "VARCHAR", help="the school's district"),
            Column("lat", "DOUBLE"),
            Column("lon", "DOUBLE"),
            Column("type", "VARCHAR", help="e.g. primary, lower_secondary, complete_secondary"),
            Column("is_public", "BOOLEAN"),
            Column("students", "BIGINT", min=0, max=100_000),
            Column("teachers", "BIGINT", min=0, max=10_000),
            Column("has_electricity", "BOOLEAN"),
            Column("has_internet", "BOOLEAN"),
            Column("has_water", "BOOLEAN"),
        ),
        foreign_keys=(ForeignKey("area_id", "areas", "area_id"),),
    ),
    Extract(
        name="indicators",
        never_empty=True,
        grain="one row per indicator (and per goal and plan target of the causal chain)",
        key=("indicator_id",),
        columns=(
            Column("indicator_id", "VARCHAR"),
            Column("kind", "VARCHAR", allowed=INDICATOR_KINDS, help="goal = X, target = Y, kpi = Z"),
            Column("name_en", "VARCHAR"),
            Column("name_th", "VARCHAR"),
            Column("name_lo", "VARCHAR"),
            Column("question_en", "VARCHAR", help="the question a view of it answers"),
            Column("question_th", "VARCHAR"),
            Column("question_lo", "VARCHAR"),
            Column("unit", "VARCHAR", help="%, ratio, score, count, index, days"),
            Column("decimals", "BIGINT", min=0, max=6),
            Column("direction", "VARCHAR", allowed=DIRECTIONS),
            Column("aggregation", "VARCHAR", allowed=AGGREGATIONS),
            Column("scale", "DOUBLE", help="multiplier of numerator/denominator: 100 for a percent"),
            Column("wall", "VARCHAR", allowed=WALLS),
            Column("chain_parent", "VARCHAR", required=False, help="the goal or target this moves"),
            Column("target", "DOUBLE", required=False, help="where the plan must end; reaching it is 'met target'"),
            Column("amber", "DOUBLE", required=False, help="a reference line only: no status follows from it"),
            Column("red", "DOUBLE", required=False, help="a reference line only: no status follows from it"),
            Column("source", "VARCHAR"),
            Column("frequency", "VARCHAR", allowed=FREQUENCIES),
        ),
        foreign_keys=(ForeignKey("chain_parent", "indicators", "indicator_id"),),
    ),
    Extract(
        name="observations",
        never_empty=True,
        grain="one row per district, indicator, period and sex",
        key=("area_id", "indicator_id", "period_start", "sex"),
        columns=(
            Column("area_id", "VARCHAR"),
            Column("indicator_id", "VARCHAR"),
            Column("period_start", "DATE"),
            Column("period_type", "VARCHAR", allowed=PERIOD_TYPES),
            Column("sex", "VARCHAR", allowed=SEXES),
            Column("value", "DOUBLE"),
            Column("numerator", "DOUBLE", required=False),
            Column("denominator", "DOUBLE", required=False, min=0),
            Column("target", "DOUBLE", required=False, help="this period's point on the target trajectory"),
        ),
        foreign_keys=(
            ForeignKey("area_id", "areas", "area_id"),
            ForeignKey("indicator_id", "indicators", "indicator_id"),
        ),
    ),
    Extract(
        name="incidents",
        grain="one row per incident",
        key=("incident_id",),
        columns=(
            Column("incident_id", "VARCHAR"),
            Column("type", "VARCHAR", allowed=INCIDENT_TYPES),
            Column("started_at", "DATE"),
            Column("ended_at", "DATE", required=False),
            Column("area_id", "VARCHAR", help="the district"),
            Column("school_id", "VARCHAR", required=False),
            Column("schools_affected", "BIGINT", min=0, max=100_000),
            Column("students_affected", "BIGINT", min=0, max=20_000_000),
            Column("severity", "VARCHAR", allowed=SEVERITIES),
            Column("status", "VARCHAR", allowed=INCIDENT_STATUSES),
            Column("description", "VARCHAR"),
            Column("response", "VARCHAR", required=False),
        ),
        foreign_keys=(
            ForeignKey("area_id", "areas", "area_id"),
            ForeignKey("school_id", "schools", "school_id"),
        ),
    ),
    Extract(
        name="policies",
        grain="one row per programme, policy or project",
        key=("policy_id",),
        columns=(
            Column("policy_id", "VARCHAR"),
            Column("parent_id", "VARCHAR", required=False),
            Column("level", "VARCHAR", allowed=POLICY_LEVELS),
            Column("name_en", "VARCHAR"),
            Column("name_local", "VARCHAR"),
            Column("owner", "VARCHAR"),
            Column("start", "DATE"),
            Column("end", "DATE"),
            Column("budget", "DOUBLE", min=0),
            Column("indicator_id", "VARCHAR", required=False, help="the KPI it is meant to move"),
        ),
        foreign_keys=(
            ForeignKey("parent_id", "policies", "policy_id"),
            ForeignKey("indicator_id", "indicators", "indicator_id"),
        ),
    ),
    Extract(
        name="policy_progress",
        grain="one row per policy, area (a province, or a district where the source reports by district) and period",
        key=("policy_id", "area_id", "period_start"),
        columns=(
            Column("policy_id", "VARCHAR"),
            Column(
                "area_id",
                "VARCHAR",
                help="a province, or a district: a province reported only by district is rolled up from them "
                "(queries/data/models/030_policy_province_progress.sql); a reported province figure stands as is",
            ),
            Column("period_start", "DATE"),
            Column("progress_pct", "DOUBLE", min=0, max=100),
            Column("planned_pct", "DOUBLE", min=0, max=100),
            Column("budget_planned", "DOUBLE", min=0),
            Column("budget_disbursed", "DOUBLE", min=0),
            Column("status", "VARCHAR", required=False, allowed=PROGRESS_STATUSES, help="as reported"),
            Column("note", "VARCHAR", required=False),
        ),
        foreign_keys=(
            ForeignKey("policy_id", "policies", "policy_id"),
            ForeignKey("area_id", "areas", "area_id"),
        ),
    ),
)

BY_NAME = {e.name: e for e in EXTRACTS}


def contract_version() -> str:
    """A short fingerprint of the contract as declared here and of what a version is built with (the model SQL
    in queries/data/models and config/kpi_status.yaml): a published version records which contract it passed,
    and a publish after either changed builds anew instead of keeping a version built the old way."""
    built_with = [m.sql for m in queries.models()] + [kpi_status.fingerprint()]
    return hashlib.sha256((repr(EXTRACTS) + "".join(built_with)).encode("utf-8")).hexdigest()[:12]
