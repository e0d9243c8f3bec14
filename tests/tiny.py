"""A tiny hand-made extract set (one country, two provinces, three districts) with roll-ups easy to check by hand."""

from __future__ import annotations

from datetime import date
from pathlib import Path

import pandas as pd

from cockpit.data import schema
from cockpit.data.db import Database
from cockpit.publish import versions as publishing

Y1, Y2 = date(2023, 10, 1), date(2024, 10, 1)


def frames() -> dict[str, pd.DataFrame]:
    areas = pd.DataFrame(
        [
            ("XX", "country", None, "Testland", "ทดสอบ", None, 15.0, 100.0, False),
            ("P1", "province", "XX", "North", "เหนือ", "XX-1", 18.0, 99.0, False),
            ("P2", "province", "XX", "South", "ใต้", "XX-2", 8.0, 100.0, False),
            ("D1", "district", "P1", "D One", "หนึ่ง", None, 18.1, 99.1, False),
            ("D2", "district", "P1", "D Two", "สอง", None, 18.2, 99.2, True),
            ("D3", "district", "P2", "D Three", "สาม", None, 8.1, 100.1, False),
        ],
        columns=[c.name for c in schema.BY_NAME["areas"].columns],
    )
    area_groups = pd.DataFrame(
        [
            ("reo", "1", "Office 1", "สำนักงาน 1", "P1"),
            ("reo", "2", "Office 2", "สำนักงาน 2", "P2"),
            ("region6", "all", "Everywhere", "ทุกที่", "P1"),
            ("region6", "all", "Everywhere", "ทุกที่", "P2"),
        ],
        columns=[c.name for c in schema.BY_NAME["area_groups"].columns],
    )
    schools = pd.DataFrame(
        [
            ("S1", "School 1", "D1", 18.1, 99.1, "primary", True, 100, 5, True, True, True),
            ("S2", "School 2", "D2", 18.2, 99.2, "primary", True, 50, 3, True, False, True),
            ("S3", "School 3", "D3", 8.1, 100.1, "lower_secondary", True, 200, 10, True, True, False),
        ],
        columns=[c.name for c in schema.BY_NAME["schools"].columns],
    )

    def indicator(iid, kind, unit, direction, aggregation, scale, target, amber, red, parent=None):
        return dict(
            indicator_id=iid,
            kind=kind,
            name_en=iid,
            name_th=iid,
            name_lo=iid,
            question_en=f"How is {iid}?",
            question_th=iid,
            question_lo=iid,
            unit=unit,
            decimals=1,
            direction=direction,
            aggregation=aggregation,
            scale=scale,
            wall="black",
            chain_parent=parent,
            target=target,
            amber=amber,
            red=red,
            source="test",
            frequency="year",
        )

    indicators = pd.DataFrame(
        [
            indicator("goal", "goal", "", "higher_is_better", "ratio", 1.0, None, None, None),
            indicator("enrol", "kpi", "%", "higher_is_better", "ratio", 100.0, 80.0, 75.0, 70.0, "goal"),
            indicator("closed", "kpi", "count", "lower_is_better", "sum", 1.0, 0.0, 2.0, 5.0, "goal"),
            indicator("gpi", "kpi", "index", "higher_is_better", "parity", 1.0, 1.0, 0.97, 0.94, "goal"),
            indicator("score", "kpi", "score", "higher_is_better", "weighted_mean", 1.0, 50.0, 45.0, 40.0, "goal"),
        ]
    )
    rows = []

    def obs(area, iid, period, value, num=None, den=None, target=None, sex="total"):
        rows.append(
            dict(
                area_id=area,
                indicator_id=iid,
                period_start=period,
                period_type="year",
                sex=sex,
                value=value,
                numerator=num,
                denominator=den,
                target=target,
            )
        )

    # enrol: D1 80/100, D2 30/50, D3 45/50 in Y2; Y1 a little lower.
    for period, bump in ((Y1, -10), (Y2, 0)):
        obs("D1", "enrol", period, 100 * (80 + bump) / 100, 80 + bump, 100, 80)
        obs("D2", "enrol", period, 100 * (30 + bump / 2) / 50, 30 + bump / 2, 50, 80)
        obs("D3", "enrol", period, 100 * (45 + bump / 2) / 50, 45 + bump / 2, 50, 80)
    # closed: a count, summed.
    obs("D1", "closed", Y2, 1, 1, None, 0)
    obs("D2", "closed", Y2, 3, 3, None, 0)
    obs("D3", "closed", Y2, 0, 0, None, 0)
    # gpi: girls 45/50 and 40/50, boys 50/50 and 40/40 in D1, D2.
    obs("D1", "gpi", Y2, 0.9, 95, 100, 1.0)
    obs("D1", "gpi", Y2, 90.0, 45, 50, None, "female")
    obs("D1", "gpi", Y2, 100.0, 50, 50, None, "male")
    obs("D2", "gpi", Y2, 0.8, 80, 90, 1.0)
    obs("D2", "gpi", Y2, 80.0, 40, 50, None, "female")
    obs("D2", "gpi", Y2, 100.0, 40, 40, None, "male")
    # score: mean 40 over 10 pupils in D1, 60 over 30 in D2 -> P1 = (400 + 1800) / 40 = 55.
    obs("D1", "score", Y2, 40.0, 400, 10, 50)
    obs("D2", "score", Y2, 60.0, 1800, 30, 50)
    observations = pd.DataFrame(rows)
    incidents = pd.DataFrame(
        [("I1", "flood", date(2024, 10, 5), None, "D1", "S1", 1, 100, "high", "active", "Flood in D One", None)],
        columns=[c.name for c in schema.BY_NAME["incidents"].columns],
    )
    policies = pd.DataFrame(
        [("POL1", None, "policy", "Zero dropout", "ศูนย์", "OPS", date(2023, 10, 1), date(2025, 9, 30), 1e6, "enrol")],
        columns=[c.name for c in schema.BY_NAME["policies"].columns],
    )
    policy_progress = pd.DataFrame(
        [("POL1", "P1", Y2, 40.0, 50.0, 1e5, 8e4, "at_risk", None)],
        columns=[c.name for c in schema.BY_NAME["policy_progress"].columns],
    )
    return dict(
        areas=areas,
        area_groups=area_groups,
        schools=schools,
        indicators=indicators,
        observations=observations,
        incidents=incidents,
        policies=policies,
        policy_progress=policy_progress,
    )


def write(directory: Path, **replace: pd.DataFrame) -> Path:
    """Write the tiny extracts (with any frames replaced) as Parquet files into `directory`."""
    directory.mkdir(parents=True, exist_ok=True)
    for name, frame in {**frames(), **replace}.items():
        frame.to_parquet(directory / f"{name}.parquet", index=False)
    return directory


def served(extract_root: Path, **publish) -> Database:
    """Publish each country folder under `extract_root` into `extract_root/published`, as a data steward would
    (without the alert rules unless asked), and a Database serving them."""
    root = extract_root / "published"
    for folder in sorted(p for p in extract_root.iterdir() if p.is_dir() and p != root):
        if (folder / "areas.parquet").exists():
            publish.setdefault("alerts", False)
            publishing.publish(folder.name, folder, data_url=str(root), **publish)
    return Database(root, check_seconds=0)
