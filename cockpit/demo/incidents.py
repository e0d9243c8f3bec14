"""The incidents table: the seasons' floods, haze, storms and the rest in every district, the stories' own
incidents on top, and the schools closed and students affected per district and month that follow from them."""

from __future__ import annotations

import numpy as np
import pandas as pd

from cockpit.data import geo
from cockpit.demo import common, stories

# fmt: off
# type: (rate per district and month, {month: multiplier} (others 1), duration days (lo, hi),
#        share of the district's schools closed, one school only)
_BG_TH = {
    "flood": (0.0025, {8: 2, 9: 4, 10: 4, 11: 2, 1: 0.2, 2: 0.1, 3: 0.1, 4: 0.1, 5: 0.3, 6: 0.5}, (3, 21), 0.05, False),
    "haze": (0.03, {2: 0.5, 3: 1.0, 4: 0.4, **{m: 0 for m in (1, 5, 6, 7, 8, 9, 10, 11, 12)}}, (3, 14), 0.12, False),
    "storm": (0.0012, {**{m: 1.5 for m in range(5, 11)}, 1: 0.3, 2: 0.3, 3: 0.5}, (1, 7), 0.03, False),
    "drought": (0.001, {3: 3, 4: 3, 5: 2, **{m: 0 for m in (6, 7, 8, 9, 10, 11, 12, 1)}}, (10, 40), 0.05, False),
    "epidemic": (0.0008, {6: 2, 7: 2, 8: 2, 9: 2}, (5, 14), 0.02, False),
    "fire": (0.0006, {1: 2, 2: 2, 3: 2, 4: 2}, (1, 10), 0.0, True),
    "building_damage": (0.001, {}, (5, 60), 0.0, True),
    "violence": (0.006, {}, (1, 5), 0.1, False),
    "other": (0.0003, {}, (1, 5), 0.0, True),
}
_BG_LA = {
    "flood": (0.006, {7: 4, 8: 4, 9: 3, 11: 0.3, 12: 0.1, 1: 0.1, 2: 0.1, 3: 0.1, 4: 0.2, 5: 0.5},
              (3, 21), 0.06, False),
    "haze": (0.004, {2: 0.5, 3: 1.0, 4: 0.5, **{m: 0 for m in (1, 5, 6, 7, 8, 9, 10, 11, 12)}}, (3, 10), 0.08, False),
    "storm": (0.003, {6: 2, 7: 2, 8: 2, 9: 2, 12: 0.2, 1: 0.2, 2: 0.2}, (1, 7), 0.03, False),
    "drought": (0.002, {3: 3, 4: 3, 5: 2, **{m: 0 for m in (6, 7, 8, 9, 10, 11, 12, 1)}}, (10, 40), 0.04, False),
    "epidemic": (0.002, {6: 2, 7: 2, 8: 2, 9: 2}, (5, 14), 0.03, False),
    "fire": (0.0015, {1: 2, 2: 2, 3: 2, 4: 2}, (1, 10), 0.0, True),
    "building_damage": (0.003, {}, (5, 60), 0.0, True),
    "other": (0.002, {}, (1, 5), 0.0, True),  # unexploded ordnance
}

# What happened, as the office reporting it writes it: in the country's language, its places as it names them, a
# school by its name in the register (set apart by a space: the demo's are English). {cause} is where a story's flood
# came from, or nothing.
_DESC = {
    "th": {
        "flood": "น้ำท่วม{cause}ใน{place}: โรงเรียนปิด {schools} แห่ง นักเรียนได้รับผลกระทบ {students:,} คน",
        "haze": "ค่าฝุ่น PM2.5 เกินมาตรฐานใน{place}: โรงเรียน {schools} แห่งปิดหรือเปลี่ยนเป็นเรียนออนไลน์ "
        "นักเรียนได้รับผลกระทบ {students:,} คน",
        "storm": "พายุทำให้หลังคาและห้องเรียนเสียหายใน{place}: โรงเรียนปิด {schools} แห่ง "
        "นักเรียนได้รับผลกระทบ {students:,} คน",
        "drought": "ภัยแล้งใน{place}: โรงเรียน {schools} แห่งขาดแคลนน้ำ ลดเวลาเรียนในแต่ละวัน",
        "epidemic": "{disease}ระบาดใน{place}: งดการเรียนการสอนใน {schools} โรงเรียน",
        "fire": "ไฟไหม้ที่ {school} {place} งดการเรียนการสอน",
        "building_damage": "อาคารเรียนของ {school} {place} ไม่ปลอดภัย ย้ายไปเรียนในห้องเรียนชั่วคราว",
        "violence": "เหตุความไม่สงบใกล้โรงเรียนใน{place}: ปิดโรงเรียน {schools} แห่งเพื่อความปลอดภัย "
        "นักเรียนได้รับผลกระทบ {students:,} คน",
        "arson": "ลอบวางเพลิง {school} {place}: ปิดโรงเรียนใกล้เคียง {schools} แห่งเพื่อความปลอดภัย "
        "นักเรียนได้รับผลกระทบ {students:,} คน",
        "other": "{other}ใกล้ {school} {place} ปิดโรงเรียนเพื่อความปลอดภัย",
    },
    "la": {
        "flood": "ນ້ຳຖ້ວມ{cause}ຢູ່{place}: ໂຮງຮຽນປິດ {schools} ແຫ່ງ, ນັກຮຽນໄດ້ຮັບຜົນກະທົບ {students} ຄົນ",
        "haze": "ຄວັນໄຟ PM2.5 ເກີນມາດຕະຖານຢູ່{place}: ໂຮງຮຽນ {schools} ແຫ່ງປິດ ຫຼື ຮຽນທາງໄກ, "
        "ນັກຮຽນໄດ້ຮັບຜົນກະທົບ {students} ຄົນ",
        "storm": "ພາຍຸເຮັດໃຫ້ຫຼັງຄາ ແລະ ຫ້ອງຮຽນເປ່ເພຢູ່{place}: ໂຮງຮຽນປິດ {schools} ແຫ່ງ, "
        "ນັກຮຽນໄດ້ຮັບຜົນກະທົບ {students} ຄົນ",
        "drought": "ໄພແຫ້ງແລ້ງຢູ່{place}: ໂຮງຮຽນ {schools} ແຫ່ງຂາດນ້ຳ; ຫຼຸດເວລາຮຽນແຕ່ລະມື້",
        "epidemic": "{disease}ລະບາດຢູ່{place}: ໂຈະການຮຽນຢູ່ {schools} ໂຮງຮຽນ",
        "fire": "ໄຟໄໝ້ຢູ່ {school}, {place}; ໂຈະການຮຽນ",
        "building_damage": "ອາຄານຮຽນຂອງ {school}, {place} ບໍ່ປອດໄພ; ຍ້າຍໄປຮຽນຫ້ອງຮຽນຊົ່ວຄາວ",
        "violence": "ເຫດການບໍ່ສະຫງົບໃກ້ໂຮງຮຽນຢູ່{place}: ປິດໂຮງຮຽນ {schools} ແຫ່ງເພື່ອຄວາມປອດໄພ, "
        "ນັກຮຽນໄດ້ຮັບຜົນກະທົບ {students} ຄົນ",
        "arson": "ລອບຈູດ {school}, {place}: ປິດໂຮງຮຽນໃກ້ຄຽງ {schools} ແຫ່ງເພື່ອຄວາມປອດໄພ, "
        "ນັກຮຽນໄດ້ຮັບຜົນກະທົບ {students} ຄົນ",
        "other": "{other}ໃກ້ {school}, {place}; ປິດໂຮງຮຽນເພື່ອຄວາມປອດໄພ",
    },
}
# The words around a description's parts, in its language.
_WORDS = {
    "th": dict(
        cause="จาก{}",
        a_school="โรงเรียนแห่งหนึ่ง",
        other="ความเสี่ยงดินถล่ม",
        diseases=("โรคมือ เท้า ปาก", "ไข้เลือดออก"),
    ),
    "la": dict(
        cause="ຈາກ{}",
        a_school="ໂຮງຮຽນແຫ່ງໜຶ່ງ",
        other="ພົບລະເບີດບໍ່ທັນແຕກ",
        diseases=("ໄຂ້ເລືອດອອກ", "ໄຂ້ຫວັດໃຫຍ່"),
    ),
}
LA_RIVERS = ("ນ້ຳເຊກອງ", "ນ້ຳເຊໂດນ", "ແມ່ນ້ຳຂອງ")  # the Xekong, the Xedon and the Mekong: the south's floods


def place(country: str, district: str, province: str) -> str:
    """A district and its province as an office writes them: "อำเภอวารินชำราบ จังหวัดอุบลราชธานี", "ເມືອງ… ແຂວງ…";
    Bangkok's districts already say they are one (เขต…), and neither capital is a province."""
    if country == "th":
        return f"{district} {province}" if district.startswith("เขต") else f"อำเภอ{district} จังหวัด{province}"
    return f"ເມືອງ{district} " + (province if province.startswith("ນະຄອນຫຼວງ") else f"ແຂວງ{province}")


# What the offices did, as they write it: in the country's language.
_RESPONSES = {
    "th": {
        "flood": ("จัดพื้นที่เรียนชั่วคราวในวัด {k} แห่ง จัดหาหนังสือเรียนและชุดนักเรียนทดแทน",
                  "ย้ายนักเรียนไปเรียนโรงเรียนใกล้เคียง สำนักงานศึกษาธิการจังหวัดส่งทีมฟื้นฟูทำความสะอาด",
                  "อนุมัติงบซ่อมแซมเร่งด่วน จัดการเรียนการสอนต่อผ่าน DLTV"),
        "haze": ("เปลี่ยนเป็นเรียนออนไลน์ แจกหน้ากาก N95 และเครื่องฟอกอากาศ งดกิจกรรมกลางแจ้ง",
                 "จัดห้องปลอดฝุ่นใน {k} โรงเรียน ให้นักเรียนอยู่ในอาคาร"),
        "storm": ("ซ่อมหลังคาด้วยงบฉุกเฉินของจังหวัด เปิดเรียนต่อในห้องเรียนชั่วคราว",
                  "ปิดห้องเรียนที่เสียหาย จัดการเรียนในหอประชุมโรงเรียน"),
        "drought": ("จังหวัดส่งรถบรรทุกน้ำ ลดเวลาเรียนในแต่ละวัน",),
        "epidemic": ("ฆ่าเชื้อห้องเรียน คัดกรองสุขภาพร่วมกับโรงพยาบาลอำเภอ",),
        "fire": ("เก็บกวาดห้องที่เสียหาย ย้ายไปเรียนที่ห้องสมุด",),
        "building_damage": ("วิศวกรตรวจสอบอาคารแล้ว ขอตั้งงบประมาณซ่อมแซม",),
        "violence": ("ทหารพรานคุ้มกันครู เปิดโรงเรียนอีกครั้งหลังประเมินความปลอดภัย",
                     "ให้คำปรึกษานักเรียนและครู ฝึกซ้อมแผนรักษาความปลอดภัย"),
        "other": ("อำเภอตรวจพื้นที่แล้ว เปิดโรงเรียนอีกครั้ง",),
    },
    "la": {
        "flood": ("ຕັ້ງຫ້ອງຮຽນຊົ່ວຄາວດ້ວຍເຕັ້ນ; ພສ ສະໜອງປຶ້ມແບບຮຽນທົດແທນ",
                  "ຍ້າຍນັກຮຽນໄປໂຮງຮຽນບ່ອນສູງ; ຫສ ຈັດອະນາໄມຮ່ວມກັບຊາວບ້ານ",
                  "ແຂວງໃຫ້ທຶນສຸກເສີນ; ແຈກອຸປະກອນການຮຽນຮ່ວມກັບ UNICEF"),
        "haze": ("ງົດກິດຈະກຳກາງແຈ້ງ; ແຈກຜ້າອັດປາກ",),
        "storm": ("ບ້ານ ແລະ ຫສ ສ້ອມແປງຫຼັງຄາ; ເປີດຮຽນຄືນແລ້ວ",),
        "drought": ("ເມືອງສົ່ງນ້ຳໃຫ້; ຫຼຸດເວລາຮຽນແຕ່ລະມື້",),
        "epidemic": ("ອະນາໄມຫ້ອງຮຽນ; ໂຄສະນາປ້ອງກັນໄຂ້ເລືອດອອກຮ່ວມກັບຫ້ອງການສາທາລະນະສຸກເມືອງ",),
        "fire": ("ຍ້າຍໄປຮຽນທີ່ຫໍປະຊຸມບ້ານ",),
        "building_damage": ("ຊຸມຊົນສ້າງຫ້ອງຮຽນຊົ່ວຄາວ; ສະເໜີງົບປະມານສ້ອມແປງ",),
        "other": ("ເອີ້ນທີມເກັບກູ້ລະເບີດບໍ່ທັນແຕກ; ເປີດໂຮງຮຽນຄືນຫຼັງເກັບກູ້",),
    },
}


# fmt: on


def _severity(schools: np.ndarray, students: np.ndarray) -> np.ndarray:
    sev = np.full(len(schools), "low", dtype=object)
    sev[(schools >= 3) | (students >= 500)] = "medium"
    sev[(schools >= 10) | (students >= 2_000)] = "high"
    sev[(schools >= 40) | (students >= 8_000)] = "critical"
    return sev


def _pick_school(ctx: common.Ctx, dist: np.ndarray, rng) -> np.ndarray:
    return ctx.school_start[dist] + np.floor(rng.random(len(dist)) * ctx.n_schools[dist]).astype(np.int64)


def _affected_students(ctx: common.Ctx, dist, schools, rng) -> np.ndarray:
    mean_size = ctx.students[dist] / ctx.n_schools[dist]
    return np.minimum(ctx.students[dist], np.round(schools * mean_size * rng.lognormal(0, 0.25, len(dist)))).astype(
        np.int64
    )


def _background_incidents(ctx: common.Ctx, rng) -> list[dict]:
    months = ctx.periods["month"]
    moy = common.month_of_year(months)
    th = ctx.country == "th"
    region6 = None
    if th:
        g = geo.province_groups("th").set_index("province_code")["region6"]
        region6 = g.reindex(ctx.prov_ids[ctx.dist_prov]).to_numpy()
    parts = []
    for kind, (lam, season, dur, frac, single) in (_BG_TH if th else _BG_LA).items():
        s = np.array([season.get(m, 1.0) for m in range(1, 13)])[moy - 1]
        mult = np.ones(ctx.D)
        if kind == "haze":
            mult = (
                ctx.in_provinces(stories.TH_HAZE_PROVINCES).astype(float)
                if th
                else np.isin(
                    ctx.prov_ids[ctx.dist_prov], ["LA-PH", "LA-LM", "LA-OU", "LA-BK", "LA-LP", "LA-HO", "LA-XA"]
                ).astype(float)
            )
        elif kind == "violence":
            mult = ctx.in_provinces(stories.TH_DEEP_SOUTH).astype(float)
        elif kind == "flood" and th:
            mult = np.select([region6 == "northeast", region6 == "central", region6 == "south"], [1.5, 1.2, 0.8], 1.0)
        elif kind == "drought" and th:
            mult = np.where(region6 == "northeast", 2.0, 0.6)
        elif kind == "other" and not th:
            mult = np.where(ctx.in_provinces(stories.LA_UXO_PROVINCES), 3.0, 0.3)
        lam_dm = lam * mult[:, None] * s[None, :]
        d, m = np.nonzero(rng.poisson(lam_dm))
        n = len(d)
        if not n:
            continue
        start = np.minimum(months[m] + rng.integers(0, 28, n), ctx.as_of)
        end = start + rng.integers(dur[0], dur[1] + 1, n)
        if single:
            school = _pick_school(ctx, d, rng)
            schools = np.ones(n, np.int64)
            students = ctx.schools["students"].to_numpy()[school]
        else:
            school = np.full(n, -1)
            schools = 1 + rng.binomial(ctx.n_schools[d] - 1, frac)
            students = _affected_students(ctx, d, schools, rng)
        sev = _severity(schools, students)
        if kind == "violence":
            sev[:] = np.where(schools >= 5, "high", "medium")
        parts.append(
            dict(
                dist=d,
                type=np.full(n, kind, dtype=object),
                start=start,
                end=end,
                schools=schools,
                students=students,
                school=school,
                severity=sev,
                story=np.zeros(n, bool),
            )
        )
    return parts


def _story_incidents(
    ctx: common.Ctx, rng, kind, provinces, district_share, start, start_days, end_spec, frac, river=""
):
    """Incidents in a share of the districts of `provinces` (at least one each); `end_spec` is a list of
    (probability, first end date or None for still active, days spread)."""
    mask = ctx.in_provinces(provinces)
    cand = np.flatnonzero(mask)
    if not cand.size:
        return None
    take = rng.random(cand.size) < district_share
    # every province gets at least its first district
    first = np.unique(ctx.dist_prov[cand], return_index=True)[1]
    take[first] = True
    d = cand[take]
    n = len(d)
    st = common.day64(ctx.day(start)) + rng.integers(0, start_days + 1, n)
    probs = np.array([p for p, _, _ in end_spec])
    which = rng.choice(len(end_spec), size=n, p=probs / probs.sum())
    end = np.full(n, np.datetime64("NaT"), dtype="datetime64[D]")
    for i, (_, first_end, spread) in enumerate(end_spec):
        sel = which == i
        if first_end is not None:
            end[sel] = np.maximum(
                common.day64(ctx.day(first_end)) + rng.integers(0, spread + 1, sel.sum()), st[sel] + 1
            )
    schools = np.maximum(1, np.round(ctx.n_schools[d] * rng.uniform(frac[0], frac[1], n))).astype(np.int64)
    students = _affected_students(ctx, d, schools, rng)
    keep = st <= ctx.as_of
    end = np.where(end > ctx.as_of, np.datetime64("NaT"), end)
    return dict(
        dist=d[keep],
        type=np.full(keep.sum(), kind, dtype=object),
        start=st[keep],
        end=end[keep],
        schools=schools[keep],
        students=students[keep],
        school=np.full(keep.sum(), -1),
        severity=_severity(schools, students)[keep],
        story=np.ones(keep.sum(), bool),
        river=np.full(keep.sum(), river, dtype=object),
    )


def generate(ctx: common.Ctx) -> tuple[pd.DataFrame, np.ndarray, np.ndarray]:
    """The incidents table, and the schools closed and students affected per district and month (D, M)."""
    rng = common.rng(ctx.seed, ctx.country, "incidents")
    parts = _background_incidents(ctx, rng)
    story = []
    if ctx.country == "th":
        late = [(0.55, None, 0), (0.35, "2026-10-05", 20), (0.10, "2026-09-24", 5)]
        story += [
            _story_incidents(ctx, rng, "flood", ["34"], 0.8, "2026-09-05", 20, late, (0.25, 0.7), "แม่น้ำมูล"),
            _story_incidents(ctx, rng, "flood", ["33", "35"], 0.5, "2026-09-08", 18, late, (0.15, 0.5), "แม่น้ำมูล"),
            _story_incidents(ctx, rng, "flood", ["45", "40", "44"], 0.45, "2026-09-10", 18, late, (0.15, 0.5), "แม่น้ำชี"),
            _story_incidents(
                ctx,
                rng,
                "haze",
                list(stories.TH_HAZE_PROVINCES),
                0.5,
                "2026-02-25",
                12,
                [(1.0, "2026-03-20", 21)],
                (0.2, 0.6),
            ),
            _story_incidents(ctx, rng, "storm", ["80"], 0.35, "2025-11-20", 15, [(1.0, "2025-12-10", 20)], (0.1, 0.4)),
            _story_incidents(
                ctx,
                rng,
                "flood",
                ["90"],
                0.3,
                "2025-11-22",
                6,
                [(1.0, "2025-12-05", 14)],
                (0.1, 0.35),
                "ฝนตกหนัก",
            ),
            _story_incidents(
                ctx,
                rng,
                "violence",
                list(stories.TH_DEEP_SOUTH),
                0.12,
                "2026-06-01",
                140,
                [(0.5, "2026-10-01", 20), (0.5, None, 0)],
                (0.05, 0.2),
            ),
        ]
    else:
        late = [(0.35, None, 0), (0.4, "2026-10-03", 20), (0.25, "2026-09-10", 15)]
        story += [
            _story_incidents(ctx, rng, "flood", ["LA-AT"], 0.8, "2026-08-03", 20, late, (0.25, 0.6), LA_RIVERS[0]),
            _story_incidents(ctx, rng, "flood", ["LA-XE"], 0.6, "2026-08-05", 20, late, (0.2, 0.5), LA_RIVERS[0]),
            _story_incidents(ctx, rng, "flood", ["LA-SL"], 0.5, "2026-08-08", 20, late, (0.15, 0.45), LA_RIVERS[1]),
            _story_incidents(ctx, rng, "flood", ["LA-CH"], 0.5, "2026-08-10", 20, late, (0.15, 0.45), LA_RIVERS[2]),
        ]
    parts += [p for p in story if p is not None]
    cols = {
        k: np.concatenate([p[k] for p in parts])
        for k in ("dist", "type", "start", "end", "schools", "students", "school", "severity", "story")
    }
    river = np.concatenate([p.get("river", np.full(len(p["dist"]), "", dtype=object)) for p in parts])
    # violence story: one school named per incident
    is_viol = (cols["type"] == "violence") & cols["story"]
    cols["school"][is_viol] = _pick_school(ctx, cols["dist"][is_viol], rng)
    cols["severity"][is_viol] = "high"
    end = cols["end"].astype("datetime64[D]")
    end = np.where(end > ctx.as_of, np.datetime64("NaT"), end)
    order = np.lexsort((cols["type"].astype(str), cols["dist"], cols["start"]))
    cols = {k: v[order] for k, v in cols.items()}
    end, river = end[order], river[order]
    n = len(order)

    ago = (ctx.as_of - end).astype("timedelta64[D]").astype(float)
    active = np.isnat(end)
    status = np.where(active, "active", np.where(ago <= 30, "recovering", "closed")).astype(object)
    sch = ctx.schools
    names = sch["name"].to_numpy()
    prov_names = ctx.prov_names_local[ctx.dist_prov]
    k_spaces = rng.integers(2, 15, n)
    disease_i = rng.integers(0, 2, n)
    resp_i = rng.integers(0, 10, n)
    null_resp = active & (rng.random(n) < 0.5)
    responses, templates, words = _RESPONSES[ctx.country], _DESC[ctx.country], _WORDS[ctx.country]
    desc, resp = [], []
    for i in range(n):
        kind, d = cols["type"][i], cols["dist"][i]
        arson = kind == "violence" and cols["story"][i]
        desc.append(
            templates["arson" if arson else kind].format(
                place=place(ctx.country, ctx.dist_names_local[d], prov_names[d]),
                cause=words["cause"].format(river[i]) if river[i] else "",
                schools=cols["schools"][i],
                students=int(cols["students"][i]),
                school=names[cols["school"][i]] if cols["school"][i] >= 0 else words["a_school"],
                other=words["other"],
                disease=words["diseases"][disease_i[i]],
            )
        )
        options = responses[kind]
        resp.append(None if null_resp[i] else options[resp_i[i] % len(options)].format(k=k_spaces[i]))
    ids = np.char.add(f"{ctx.cfg['cc']}-INC-", np.char.zfill(np.arange(1, n + 1).astype(str), 5))
    frame = pd.DataFrame(
        dict(
            incident_id=ids.astype(object),
            type=cols["type"],
            started_at=cols["start"].astype("datetime64[D]"),
            ended_at=end,
            area_id=ctx.dist_ids[cols["dist"]],
            school_id=np.where(cols["school"] >= 0, sch["school_id"].to_numpy()[np.maximum(cols["school"], 0)], None),
            schools_affected=cols["schools"].astype(np.int64),
            students_affected=cols["students"].astype(np.int64),
            severity=cols["severity"],
            status=status,
            description=np.array(desc, dtype=object),
            response=np.array(resp, dtype=object),
        )
    )
    closed, affected = _monthly_impact(ctx, cols["dist"], cols["start"], end, cols["schools"], cols["students"])
    return frame, closed, affected


def _monthly_impact(ctx: common.Ctx, dist, start, end, schools, students):
    """Schools closed and students affected per district and month, from the incidents active in each month."""
    months = ctx.periods["month"]
    m0 = common.month_ord(months[:1])[0]
    M = len(months)
    first = common.month_ord(start) - m0
    last = common.month_ord(np.where(np.isnat(end), ctx.as_of, end)) - m0
    length = np.maximum(0, last - first + 1)
    rep = np.repeat(np.arange(len(dist)), length)
    offset = np.arange(len(rep)) - np.repeat(np.cumsum(length) - length, length)
    month = first[rep] + offset
    ok = (month >= 0) & (month < M)
    closed = np.zeros((ctx.D, M))
    affected = np.zeros((ctx.D, M))
    np.add.at(closed, (dist[rep][ok], month[ok]), schools[rep][ok])
    np.add.at(affected, (dist[rep][ok], month[ok]), students[rep][ok])
    closed = np.minimum(closed, ctx.n_schools[:, None])
    affected = np.minimum(affected, ctx.students[:, None])
    return closed, affected
