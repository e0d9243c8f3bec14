"""The observations table: every KPI of the catalogue, per district and period, with the stories in its values.

Conventions the rest of the cockpit relies on
- Observations are at district level only. Province, region and national figures are aggregated
  from them with the indicator's `aggregation`.
- sum: numerator = value, denominator NULL (never 1).
- ratio: value = scale * numerator / denominator on every row (female and male rows included).
- weighted_mean: numerator = value * weight (e.g. score x students tested), denominator = weight, scale 1.
- parity (gender parity index): the female row holds female enrolled / female population, the male row
  the same for boys (value = scale * numerator / denominator, scale 1); the total row holds the district
  GPI as value and the combined enrolled / population as numerator / denominator, so on that row only
  value != numerator / denominator. Aggregate it from the female and male rows.
- Every KPI has a total row for every district and period (a full grid; a missing row would mean "no data").
  A row whose denominator would be 0 is left out rather than written as 0 / 0; the demo avoids such rows.
- observations.target is the period's point on a national trajectory: flat at the baseline (the national
  value at the start of the plan window, the last 5 years / 60 months / 10 terms) before the window, then
  straight to the indicator's target at the latest period; the target itself when the baseline already
  meets it. Lao ESSDP priority districts get their own trajectory for ECE at age 5 (83%) and primary
  cohort survival (78%). Sum indicators carry the constant target (0). Parity sex rows carry no target.
- Yearly periods: Thai fiscal years (period_start 1 Oct), Lao school years (1 Sep); only complete years
  up to as-of. Monthly: the first of each month, up to as-of's month. Terms (Thailand): 16 May and 1 Nov.
- Budget disbursement is monthly and cumulative within the fiscal year (Thailand Oct-Sep, Lao PDR
  Jan-Dec): numerator = disbursed since the start of the fiscal year, denominator = planned to date.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
import pyarrow as pa

from cockpit.data import schema
from cockpit.demo import catalogue, common, policies, stories


@dataclass
class _Series:
    """One indicator's rows: arrays shaped (D, P, S) with S = 1 (total) or 3 (total, female, male)."""

    periods: np.ndarray
    value: np.ndarray
    num: np.ndarray
    den: np.ndarray  # NaN for sum indicators
    target: np.ndarray


def bases(ctx: common.Ctx) -> dict[str, np.ndarray]:
    """Per district, the populations and counts the denominators are drawn from (school-age children, staff...)."""
    s = ctx.students.astype(float)
    rng = common.rng(ctx.seed, ctx.country, "bases")
    jitter = lambda: np.exp(rng.normal(0, 0.05, ctx.D))  # noqa: E731
    if ctx.country == "th":
        f = dict(
            pop_pre=0.16,
            pop_5=0.055,
            pop_primary=0.42,
            pop_lsec=0.22,
            pop_usec=0.24,
            pop_6_14=0.66,
            grade_cohort=0.07,
            poor=0.25,
        )
        staff = ctx.teachers * 1.12
        respondents = ctx.n_schools + 15.0
    else:
        f = dict(
            pop_pre=0.30,
            pop_5=0.11,
            pop_primary=0.50,
            pop_lsec=0.30,
            pop_usec=0.22,
            pop_6_14=0.85,
            grade_cohort=0.10,
            poor=0.30,
        )
        staff = 12 + 0.002 * s
        respondents = staff
    out = {k: s * v * jitter() for k, v in f.items()}
    out.update(
        students=s,
        schools=ctx.n_schools.astype(float),
        teachers=ctx.teachers.astype(float),
        posts=ctx.teachers * (1.04 if ctx.country == "th" else 1.08),
        staff=staff,
        respondents=respondents,
    )
    return out


def _latent(ctx: common.Ctx, g: dict, rng) -> np.ndarray:
    """This indicator's disadvantage per district: the common one plus its own province and district parts."""
    rho = g.get("rho", 0.75)
    own = 0.6 * rng.standard_normal(len(ctx.prov_ids))[ctx.dist_prov] + 0.8 * rng.standard_normal(ctx.D)
    return rho * ctx.z + np.sqrt(1 - rho**2) * own


def _level(ctx: common.Ctx, ind: catalogue.Indicator, g: dict, periods, rng, zi=None) -> np.ndarray:
    """(D, P) values in value units: mean - disadvantage - trend back in time + noise."""
    sign = 1.0 if ind.direction == "higher_is_better" else -1.0
    zi = _latent(ctx, g, rng) if zi is None else zi
    yb = ctx.years_back(periods)
    eff = 8.0 * np.tanh(yb / 8.0)  # old history flattens out
    trend_d = g.get("tr", 0.0) * np.exp(0.3 * rng.standard_normal(ctx.D))
    v = g["m"] - sign * g["s"] * zi[:, None] - sign * trend_d[:, None] * eff[None, :]
    v = v + g.get("nz", 0.0) * rng.standard_normal((ctx.D, len(periods)))
    if g.get("prio"):
        v = v - sign * g["prio"] * ctx.priority[:, None]
    return v


def _den(ctx: common.Ctx, g: dict, periods, rng, basis=None) -> np.ndarray:
    base = ctx.bases[basis or g["den"]] * g.get("df", 1.0)
    popf = np.exp(-ctx.cfg["pop_growth"] * ctx.years_back(periods))
    noise = np.exp(0.02 * rng.standard_normal((ctx.D, len(periods))))
    return np.maximum(1.0, np.round(base[:, None] * popf[None, :] * noise))


def _ratio_rows(ctx, ind: catalogue.Indicator, g, periods, rate, den, rng, zi=None, sex=None) -> tuple:
    """(value, num, den) shaped (D, P, S) from rates in value units, split by sex when asked."""
    lo, hi = g.get("lo", -np.inf), g.get("hi", np.inf)
    sex = ind.sex if sex is None else sex
    if not sex:
        num = np.round(np.clip(rate, lo, hi) / ind.scale * den)
        return (ind.scale * num / den)[..., None], num[..., None], den[..., None]
    gap = g.get("gap", 0.0) + g.get("gz", 0.0) * (zi if zi is not None else ctx.z)[:, None]
    den_f = np.round(den * ctx.cfg["female_pop"] if ind.model != "trained" else den * ctx.cfg["female_staff"])
    den_f = np.clip(den_f, 1, den - 1)
    den_m = den - den_f
    num_f = np.round(np.clip(rate + gap / 2, lo, hi) / ind.scale * den_f)
    num_m = np.round(np.clip(rate - gap / 2, lo, hi) / ind.scale * den_m)
    return _stack_sex(ind.scale, num_f, den_f, num_m, den_m)


def _stack_sex(scale, num_f, den_f, num_m, den_m):
    num = np.stack([num_f + num_m, num_f, num_m], axis=-1)
    den = np.stack([den_f + den_m, den_f, den_m], axis=-1)
    return scale * num / den, num, den


def _trajectory(ctx: common.Ctx, ind: catalogue.Indicator, spec: dict, freq: str, value, num, den) -> np.ndarray:
    """Each row's target: the period's point on a straight line from the national baseline to the target."""
    D, P, S = value.shape
    target = spec.get("target")
    out = np.full((D, P, S), np.nan)
    if target is None:
        return out
    if ind.aggregation == "sum":
        out[:] = target
        return out
    window = {"year": 5, "month": 60, "term": 10}[freq]
    per_year = {"year": 1, "month": 12, "term": 2}[freq]
    w0 = max(0, P - window)
    reach = P - 1 + ctx.cfg["target_horizon"] * per_year  # the period index at which the target is due
    higher = ind.direction == "higher_is_better"

    def line(mask, goal):
        if ind.aggregation == "parity":
            f = num[mask, :, 1].sum(0) / den[mask, :, 1].sum(0)
            m = num[mask, :, 2].sum(0) / den[mask, :, 2].sum(0)
            nat = f / m
        else:
            nat = ind.scale * num[mask, :, 0].sum(0) / den[mask, :, 0].sum(0)
        base = nat[w0]
        if (base >= goal) if higher else (base <= goal):
            return np.full(P, float(goal))
        frac = np.clip((np.arange(P) - w0) / max(1, reach - w0), 0, 1)
        return np.round(base + (goal - base) * frac, 3)

    everyone = np.ones(D, bool)
    out[:] = line(everyone, target)[None, :, None]
    if spec.get("target_priority") is not None and ctx.priority.any():
        out[ctx.priority] = line(ctx.priority, spec["target_priority"])[None, :, None]
    if ind.aggregation == "parity" and S == 3:
        out[:, :, 1:] = np.nan
    return out


def _story_shift(ctx: common.Ctx, ind: catalogue.Indicator, periods: np.ndarray, v: np.ndarray) -> np.ndarray:
    """The stories that live in a generic indicator's values."""
    P = len(periods)
    if ind.id == "dropout_rate":
        provs, ramp = (
            (stories.TH_DROPOUT_PROVINCES, [0.0, 0.45, 0.95, 1.5])
            if ctx.country == "th"
            else (stories.LA_DROPOUT_PROVINCES, [0, 1.2, 2.5, 4.0])
        )
        bump = np.zeros(P)
        k = min(P, len(ramp))
        bump[P - k :] = ramp[len(ramp) - k :]
        v = v + ctx.in_provinces(provs)[:, None] * bump[None, :]
    elif ind.id == "reporting_completeness" and ctx.country == "th":
        late = ctx.in_provinces(stories.TH_LATE_REPORTING)
        dip = np.zeros(P)
        dip[-4:] = [18, 26, 32, 35][-min(4, P) :]
        v = v - late[:, None] * dip[None, :]
    return v


def generate(ctx: common.Ctx, closed: np.ndarray, affected: np.ndarray) -> tuple[dict, dict]:
    """Every KPI's series for this country, by indicator id, and each one's frequency."""
    cc = ctx.country
    out: dict[str, _Series] = {}
    for ind in catalogue.CATALOGUE:
        spec = ind.spec(cc)
        if spec is None or ind.kind != "kpi":
            continue
        freq = spec.get("frequency", ind.frequency)
        periods = ctx.periods[freq]
        rng = common.rng(ctx.seed, cc, "obs", ind.id)
        g = spec.get("g", {})
        model = ind.model
        if model in ("rate", "trained"):
            zi = _latent(ctx, g, rng)
            rate = _story_shift(ctx, ind, periods, _level(ctx, ind, g, periods, rng, zi))
            den = _den(ctx, g, periods, rng)
            value, num, den3 = _ratio_rows(ctx, ind, g, periods, rate, den, rng, zi)
            if model == "trained" and "men" in g:
                num, value = _tracer_year(ctx, g, rate, den3, num, rng)
        elif model == "applied":
            trained = out["staff_trained"]
            zi = _latent(ctx, g, rng)
            rate = _level(ctx, ind, g, trained.periods, rng, zi)
            den = np.round(trained.num[:, :, 0] * g.get("df", 1.0))
            value, num, den3 = _ratio_rows(ctx, ind, g, trained.periods, rate, np.maximum(den, 1), rng)
            den3 = np.where(den[..., None] > 0, den3, 0.0)
            periods = trained.periods
        elif model == "score":
            zi = _latent(ctx, g, rng)
            score = _level(ctx, ind, g, periods, rng, zi)
            if "mass_gain" in g:  # the MASS programme lifts scores where it moves
                speed = policies.mass_speed(ctx)[ctx.dist_prov]
                ramp = np.clip((common.year_frac(periods) - ctx.year(2023.0)) / 3.5, 0, 1)
                score = score + g["mass_gain"] * speed[:, None] * ramp[None, :]
            score = np.round(np.clip(score, g["lo"], g["hi"]), 2)
            den = _den(ctx, g, periods, rng)
            num = score * den
            value, num, den3 = (num / den)[..., None], num[..., None], den[..., None]
        elif model == "parity":
            value, num, den3 = _parity(ctx, ind, g, periods, rng)
        elif model in ("closed", "affected"):
            v = closed if model == "closed" else affected
            value = num = v[..., None].astype(float)
            den3 = np.full_like(value, np.nan)
        elif model == "attendance":
            value, num, den3 = _attendance(ctx, ind, g, periods, affected, rng)
        elif model == "budget":
            value, num, den3 = _budget(ctx, ind, g, periods, rng)
        elif model == "ptr":
            value, num, den3 = _ptr(ctx, periods, rng)
        elif model == "school_share":
            value, num, den3 = _school_share(ctx, g, periods, rng)
        elif model == "adoption":
            value, num, den3 = _adoption(ctx, g, periods, rng)
        elif model == "flag":
            value, num, den3 = _flag(ctx, g, periods, rng)
        else:  # pragma: no cover
            raise ValueError(f"unknown model {model!r} for {ind.id}")
        target = _trajectory(ctx, ind, spec, freq, value, num, den3)
        out[ind.id] = _Series(periods, value, num, den3, target)
    return out, {ind.id: (ind.spec(cc).get("frequency", ind.frequency)) for ind in catalogue.CATALOGUE if ind.id in out}


def undelivered(series: _Series, periods: int) -> _Series:
    """The series without its newest `periods`: a source whose latest deliveries have not arrived."""
    keep = slice(0, len(series.periods) - periods)
    return _Series(series.periods[keep], *(a[:, keep] for a in (series.value, series.num, series.den, series.target)))


def _tracer_year(ctx: common.Ctx, g: dict, rate, den3, num, rng):
    """Lao staff trained: in the latest year exactly `men` men and `women` women nationally (the tracer study)."""
    lo, hi = g["lo"], g["hi"]
    propensity = np.clip(rate[:, -1], lo, hi)
    num = num.copy()
    for s, total in ((2, g["men"]), (1, g["women"])):
        p = den3[:, -1, s] * propensity
        alloc = rng.multinomial(total, p / p.sum()).astype(float)
        num[:, -1, s] = np.minimum(alloc, den3[:, -1, s])
    # every district sends someone: move one man from the best-served districts to each district without a trainee
    empty = np.flatnonzero(num[:, -1, 1] + num[:, -1, 2] == 0)
    if empty.size:
        donors = np.argsort(-num[:, -1, 2], kind="stable")[: empty.size]
        num[donors, -1, 2] -= 1
        num[empty, -1, 2] += 1
    num[:, -1, 0] = num[:, -1, 1] + num[:, -1, 2]
    return num, 100.0 * num / den3


def _parity(ctx: common.Ctx, ind, g, periods, rng):
    zi = _latent(ctx, g, rng)
    gpi = np.clip(_level(ctx, ind, g, periods, rng, zi), g["lo"], g["hi"])
    ger = g["ger"] + g["ger_s"] * rng.standard_normal(ctx.D)[:, None] + 0.5 * rng.standard_normal(gpi.shape)
    den = _den(ctx, g, periods, rng)
    den_f = np.round(den * ctx.cfg["female_pop"])
    den_m = den - den_f
    num_f = np.round(ger * np.sqrt(gpi) / 100 * den_f)
    num_m = np.round(ger / np.sqrt(gpi) / 100 * den_m)
    _, num, den3 = _stack_sex(1.0, num_f, den_f, num_m, den_m)
    value = num / den3
    value[..., 0] = value[..., 1] / value[..., 2]
    return value, num, den3


def _attendance(ctx: common.Ctx, ind, g, periods, affected, rng):
    rate = _level(ctx, ind, g, periods, rng)
    moy = common.month_of_year(periods)
    north = (
        ctx.in_provinces(stories.TH_HAZE_PROVINCES)
        if ctx.country == "th"
        else np.isin(ctx.prov_ids[ctx.dist_prov], ["LA-PH", "LA-LM", "LA-OU", "LA-BK", "LA-LP", "LA-HO", "LA-XA"])
    )
    rate = rate - north[:, None] * (moy == 3)[None, :] * 1.5  # the smoke season every March
    share = affected / ctx.students[:, None]
    rate = rate - 35.0 * share
    if ctx.country == "th":
        days = np.array([20, 19, 14, 3, 10, 21, 21, 19, 20, 6, 18, 17])
    else:
        days = np.array([20, 19, 20, 14, 20, 10, 3, 3, 18, 21, 20, 16])
    den = _den(ctx, dict(den="students"), periods, rng) * days[moy - 1][None, :]
    num = np.round(np.clip(rate, g["lo"], g["hi"]) / 100 * den)
    return (100 * num / den)[..., None], num[..., None], den[..., None]


def _budget(ctx: common.Ctx, ind, g, periods, rng):
    fy = ctx.cfg["fy_month"]
    fm = (common.month_of_year(periods) - fy) % 12 + 1  # month of the fiscal year, 1..12
    fy_id = common.month_ord(periods) - (fm - 1)  # first month of each period's fiscal year
    zi = _latent(ctx, g, rng)
    level = g["m"] - g["s"] * zi
    r = level[:, None] - 3.0 * (12 - fm)[None, :] / 11 + g["nz"] * rng.standard_normal((ctx.D, len(periods)))
    if ctx.country == "la":  # this fiscal year's lag in a few provinces
        current = fy_id == fy_id[-1]
        r = r - 22.0 * ctx.in_provinces(stories.LA_BUDGET_LAG_PROVINCES)[:, None] * current[None, :]
    r = np.clip(r, g["lo"], g["hi"])
    annual = ctx.students * ctx.cfg["per_student"] * np.exp(0.1 * rng.standard_normal(ctx.D))
    popf = np.exp(-ctx.cfg["pop_growth"] * ctx.years_back(periods))
    den = np.maximum(1.0, np.round(annual[:, None] * popf[None, :] * (fm / 12)[None, :]))
    num = np.round(r / 100 * den)
    return (100 * num / den)[..., None], num[..., None], den[..., None]


def _ptr(ctx: common.Ctx, periods, rng):
    """Latest year: exactly the schools extract; earlier years: a little worse, with noise."""
    yb = ctx.years_back(periods)
    eff = 8.0 * np.tanh(np.maximum(yb, 0) / 8.0)
    popf = np.exp(-ctx.cfg["pop_growth"] * yb)
    students = np.round(
        ctx.students[:, None] * popf[None, :] * np.exp(0.01 * rng.standard_normal((ctx.D, len(periods))))
    )
    ptr = (
        (ctx.students / ctx.teachers)[:, None]
        * (1 + 0.012 * eff[None, :])
        * np.exp(0.02 * rng.standard_normal((ctx.D, len(periods))))
    )
    teachers = np.maximum(1, np.round(students / ptr))
    students[:, -1], teachers[:, -1] = ctx.students, ctx.teachers
    return (students / teachers)[..., None], students[..., None], teachers[..., None]


def _school_share(ctx: common.Ctx, g, periods, rng):
    sch = ctx.schools
    if g["col"] == "small":
        flag = (sch["students"] < ctx.cfg["small_school"]).to_numpy()
    else:
        flag = sch[g["col"]].to_numpy()
    latest = np.bincount(sch["_dist"].to_numpy(), weights=flag.astype(float), minlength=ctx.D)
    den = ctx.n_schools.astype(float)
    eff = np.maximum(ctx.years_back(periods), 0)
    rate_d = g["decline"] * np.exp(0.3 * rng.standard_normal(ctx.D))
    factor = np.clip(1 - rate_d[:, None] * 8.0 * np.tanh(eff[None, :] / 8.0), 0, None)
    num = np.minimum(den[:, None], np.round(latest[:, None] * factor))
    num[:, -1] = latest
    den2 = np.repeat(den[:, None], len(periods), axis=1)
    return (100 * num / den2)[..., None], num[..., None], den2[..., None]


def _adoption(ctx: common.Ctx, g, periods, rng):
    zi = _latent(ctx, dict(rho=0.6), rng)
    centre = ctx.year(g["center"]) + g["zc"] * zi + 0.3 * rng.standard_normal(ctx.D)
    t = common.year_frac(periods)
    rate = g["cap"] * common.logistic((t[None, :] - centre[:, None]) / g["width"])
    den = np.repeat((ctx.n_schools + 1.0)[:, None], len(periods), axis=1)
    num = np.round(rate / 100 * den)
    return (100 * num / den)[..., None], num[..., None], den[..., None]


def _flag(ctx: common.Ctx, g, periods, rng):
    zi = _latent(ctx, dict(rho=0.6), rng)
    q = np.clip(rng.random(ctx.D) + g["zc"] * zi, 0, 1)
    p = g["cap"] * common.logistic((common.year_frac(periods) - ctx.year(g["center"])) / g["width"])
    num = (q[:, None] < p[None, :]).astype(float)
    den = np.ones_like(num)
    return (100 * num)[..., None], num[..., None], den[..., None]


def table(ctx: common.Ctx, series: dict[str, _Series], freqs: dict[str, str]) -> pa.Table:
    """The observations table from the series: the contract's columns, rows without a denominator left out."""
    parts = {k: [] for k in ("ind", "area", "period", "sex", "value", "num", "den", "target")}
    ids = list(series)
    for i, key in enumerate(ids):
        s = series[key]
        D, P, S = s.value.shape
        keep = np.isfinite(s.den) & (s.den > 0) if np.isfinite(s.den).any() else np.ones((D, P, S), bool)
        keep = keep.reshape(-1)
        parts["ind"].append(np.full(keep.sum(), i, np.int32))
        parts["area"].append(np.repeat(np.arange(D, dtype=np.int32), P * S)[keep])
        parts["period"].append(np.tile(np.repeat(s.periods, S), D)[keep])
        parts["sex"].append(np.tile(np.arange(S, dtype=np.int32), D * P)[keep])
        for name, arr in (("value", s.value), ("num", s.num), ("den", s.den), ("target", s.target)):
            parts[name].append(arr.reshape(-1)[keep].astype(float))
    cat = {k: np.concatenate(v) for k, v in parts.items()}
    if not np.isfinite(cat["value"]).all():
        raise ValueError("demo generator produced a non-finite observation value")
    ind_ids = pa.array(ids, pa.string())
    period_types = pa.array([freqs[k] for k in ids], pa.string())
    return pa.table(
        {
            "area_id": pa.DictionaryArray.from_arrays(pa.array(cat["area"]), pa.array(ctx.dist_ids.astype(str))).cast(
                pa.string()
            ),
            "indicator_id": pa.DictionaryArray.from_arrays(pa.array(cat["ind"]), ind_ids).cast(pa.string()),
            "period_start": pa.array(cat["period"].astype("datetime64[D]"), pa.date32()),
            "period_type": pa.DictionaryArray.from_arrays(pa.array(cat["ind"]), period_types).cast(pa.string()),
            "sex": pa.DictionaryArray.from_arrays(pa.array(cat["sex"]), pa.array(list(schema.SEXES))).cast(pa.string()),
            "value": pa.array(cat["value"], pa.float64()),
            "numerator": pa.array(cat["num"], pa.float64(), from_pandas=True),
            "denominator": pa.array(cat["den"], pa.float64(), from_pandas=True),
            "target": pa.array(cat["target"], pa.float64(), from_pandas=True),
        }
    )
