"""The schools table: each district's schools, their type, size, staff and facilities, placed inside the district."""

from __future__ import annotations

import numpy as np
import pandas as pd
import shapely

from cockpit.demo import common

_TH_TYPES = ("primary", "lower_secondary", "upper_secondary", "complete_secondary")
_TH_TYPE_P = np.array([[0.62, 0.18, 0.03, 0.17], [0.45, 0.10, 0.05, 0.40]])  # rest, Bangkok
_TH_SIZE = np.array([[104, 0.75], [165, 0.6], [600, 0.7], [640, 0.8]])  # median students, sigma
_LA_TYPES = ("nursery", "incomplete_primary", "primary", "lower_secondary", "upper_secondary", "complete_secondary")
_LA_TYPE_P = np.array([[0.22, 0.14, 0.49, 0.08, 0.01, 0.06], [0.30, 0.02, 0.42, 0.08, 0.03, 0.15]])  # rest, capital
_LA_SIZE = np.array([[38, 0.55], [32, 0.5], [115, 0.6], [260, 0.6], [320, 0.5], [620, 0.6]])


def generate(ctx: common.Ctx) -> pd.DataFrame:
    """The schools, district by district (`_dist` is the district's index, dropped when the table is written)."""
    rng = common.rng(ctx.seed, ctx.country, "schools")
    D, th = ctx.D, ctx.country == "th"
    prov_codes = ctx.prov_ids[ctx.dist_prov]
    capital = prov_codes == ("10" if th else "LA-VT")
    lat = shapely.get_y(shapely.point_on_surface(ctx.polys))
    area = shapely.area(ctx.polys) * np.cos(np.radians(lat))
    w = np.sqrt(area) * rng.lognormal(0, 0.35, D) * np.exp(0.1 * ctx.z)
    if th:
        w[capital] = np.median(w) * 0.5
        w[np.char.startswith(ctx.dist_names.astype(str), "Mueang")] *= 1.5
    else:
        w[capital] *= 1.5
    total = ctx.cfg["schools"] * ctx.scale
    n_min = 3 * ctx.scale
    counts = n_min + rng.multinomial(total - n_min * D, w / w.sum())
    dist = np.repeat(np.arange(D), counts)
    N = len(dist)
    start = np.concatenate([[0], np.cumsum(counts)[:-1]])
    seq = np.arange(N) - start[dist] + 1

    types, type_p, size = (_TH_TYPES, _TH_TYPE_P, _TH_SIZE) if th else (_LA_TYPES, _LA_TYPE_P, _LA_SIZE)
    cdf = np.cumsum(type_p, axis=1)
    group = capital[dist].astype(int)
    t = (rng.random(N)[:, None] > cdf[group]).sum(1)
    t = np.minimum(t, len(types) - 1)
    z = ctx.z[dist]
    mult = np.exp(-0.22 * z) * np.where(capital[dist], 2.0 if th else 1.6, 1.0)
    if th:
        mult *= np.where(np.char.startswith(ctx.dist_names[dist].astype(str), "Mueang"), 1.3, 1.0)
    students = size[t, 0] * mult * np.exp(size[t, 1] * rng.standard_normal(N))
    students = np.clip(np.round(students), 5, 5_500 if th else 3_000).astype(np.int64)
    if th:
        ptr = 16.5 * (students / 250) ** 0.22 * np.exp(rng.normal(0, 0.15, N))
        ptr = np.clip(ptr, 4, 40)
    else:
        ptr = 23 * (students / 120) ** 0.15 * np.exp(0.2 * z + rng.normal(0, 0.2, N))
        ptr = np.clip(np.where(t == 0, 0.8 * ptr, ptr), 6, 60)
    teachers = np.maximum(1, np.round(students / ptr)).astype(np.int64)
    public = rng.random(N) < np.where(capital[dist], 0.6 if th else 0.8, 0.9 if th else 0.96)
    size_term = 0.4 * np.log(students / 100)
    if th:
        elec = common.logistic(6.0 - 1.2 * z + size_term)
        water = common.logistic(3.8 - 0.9 * z + size_term)
        net = common.logistic(2.4 - 1.0 * z + size_term)
    else:
        elec = common.logistic(1.3 - 1.3 * z + size_term)
        water = common.logistic(0.5 - 0.9 * z + size_term)
        net = common.logistic(-1.7 - 1.2 * z + size_term)
    has_elec = rng.random(N) < elec
    has_water = rng.random(N) < water
    has_net = (rng.random(N) < net) & (has_elec | (rng.random(N) < 0.2))

    x, y = _points_in_polygons(ctx.polys, dist, rng)
    if th and counts.max() <= 9999:
        ids = np.char.add(np.char.add("TH", ctx.dist_ids[dist].astype(str)), np.char.zfill(seq.astype(str), 4))
    else:
        width = 8 if th else 7
        ids = np.char.add(ctx.cfg["cc"], np.char.zfill(np.arange(1, N + 1).astype(str), width))
    names = np.char.add(np.char.add(ctx.dist_names[dist].astype(str), " School "), seq.astype(str))
    return pd.DataFrame(
        dict(
            school_id=ids.astype(object),
            name=names.astype(object),
            area_id=ctx.dist_ids[dist],
            lat=y,
            lon=x,
            type=np.array(types, dtype=object)[t],
            is_public=public,
            students=students,
            teachers=teachers,
            has_electricity=has_elec,
            has_internet=has_net,
            has_water=has_water,
            _dist=dist,
        )
    )


def _points_in_polygons(polys: np.ndarray, which: np.ndarray, rng: np.random.Generator):
    """One random point inside polys[which[i]] for each i: vectorised rejection sampling on the bounding boxes."""
    bounds = shapely.bounds(polys)
    shapely.prepare(polys)
    n = len(which)
    x, y = np.empty(n), np.empty(n)
    todo = np.arange(n)
    for _ in range(500):
        if not todo.size:
            break
        d = which[todo]
        cx = bounds[d, 0] + rng.random(todo.size) * (bounds[d, 2] - bounds[d, 0])
        cy = bounds[d, 1] + rng.random(todo.size) * (bounds[d, 3] - bounds[d, 1])
        ok = shapely.contains_xy(polys[d], cx, cy)
        x[todo[ok]], y[todo[ok]] = cx[ok], cy[ok]
        todo = todo[~ok]
    if todo.size:  # pathological shapes: fall back to a point on the surface
        pts = shapely.point_on_surface(polys[which[todo]])
        x[todo], y[todo] = shapely.get_x(pts), shapely.get_y(pts)
    return x, y
