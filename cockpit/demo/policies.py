"""The policies and policy_progress tables: each country's programme, its policies and their projects, and their
progress per province and quarter against plan, budget disbursed, status and the notes a province would send.

Some policies are also reported by district (`districts`): "also" adds district rows beside the province's own
(One District One Quality School in Thailand), "only" reports the policy by district alone (Lao PDR's 40
priority districts: the province figure is then rolled up from them when the extract is published). A
district's progress is its province's, moved by a fixed share of the room left (towards 0 or 100), so that its
province's districts, weighted by their budgets, average to the province's own figure.

Budgets: THB for Thailand, LAK for Lao PDR. Each policy's projects split its budget.
"""

from __future__ import annotations

from datetime import date

import numpy as np
import pyarrow as pa

from cockpit.demo import common, stories

# fmt: off
_TH_POLICIES = dict(
    programme=dict(
        id="learn_well_be_happy", en="Learn well, be happy", local="เรียนดี มีความสุข",
        owner="Office of the Permanent Secretary, Ministry of Education",
        start=date(2023, 10, 1), end=date(2027, 9, 30),
    ),
    policies=[
        dict(id="reduce_teacher_burden", pace=0.92, en="Reducing teachers' burden", local="ลดภาระครูและบุคลากรทางการศึกษา",
             owner="Office of the Teacher Civil Service and Educational Personnel Commission (OTEPC)",
             budget=1.2e9, indicator="teacher_vacancy_rate",
             projects=[("reduce_teacher_burden_duties", "Cutting non-teaching duties and school assessments",
                        "ลดงานที่ไม่เกี่ยวข้องกับการสอนและการประเมินสถานศึกษา", 0.3),
                       ("reduce_teacher_burden_debt", "Teacher debt relief", "แก้ไขปัญหาหนี้สินครู", 0.3),
                       ("reduce_teacher_burden_transfer", "Online teacher transfers to home provinces (TRS)",
                        "ย้ายครูกลับภูมิลำเนาผ่านระบบออนไลน์ (TRS)", 0.4)]),
        dict(id="reduce_student_burden", pace=1.0, en="Reducing students' and parents' burden",
             local="ลดภาระนักเรียนและผู้ปกครอง",
             owner="Office of the Basic Education Commission (OBEC)", budget=2.5e9, indicator="poor_students_supported",
             projects=[("reduce_student_burden_costs", "Free uniforms, books and learning materials",
                        "ลดค่าใช้จ่ายด้านเครื่องแบบ หนังสือ และอุปกรณ์การเรียน", 0.8),
                       ("reduce_student_burden_homework", "Less homework and fewer tests",
                        "ลดการบ้านและการสอบที่ไม่จำเป็น", 0.2)]),
        dict(id="one_district_one_quality_school", pace=0.88, en="One District One Quality School",
             local="โรงเรียนดีประจำอำเภอ (หนึ่งอำเภอหนึ่งโรงเรียนคุณภาพ)",
             owner="Office of the Basic Education Commission (OBEC)", budget=3.0e9, indicator="quality_school_district",
             districts="also",
             projects=[("odoqs_buildings", "Upgrading buildings and laboratories of the selected schools",
                        "ปรับปรุงอาคารและห้องปฏิบัติการของโรงเรียนที่คัดเลือก", 0.7),
                       ("odoqs_teachers", "Teachers allocated to the quality schools",
                        "จัดสรรครูให้โรงเรียนดีประจำอำเภอ", 0.3)]),
        dict(id=stories.TH_STALLED_POLICY, pace=0.97, en="Anywhere-Anytime Learning",
             local="เรียนได้ทุกที่ ทุกเวลา (Anywhere Anytime)",
             owner="Office of the Permanent Secretary, ICT Centre", budget=2.0e9, indicator="schools_with_internet",
             projects=[("anywhere_learning_tablets", "Tablets for students", "จัดหาแท็บเล็ตสำหรับนักเรียน", 0.5),
                       ("anywhere_learning_platform", "National online learning platform",
                        "แพลตฟอร์มการเรียนรู้ออนไลน์แห่งชาติ", 0.2),
                       ("anywhere_learning_connectivity", "School broadband and Wi-Fi",
                        "อินเทอร์เน็ตความเร็วสูงและ Wi-Fi ในโรงเรียน", 0.3)]),
        dict(id="thailand_zero_dropout", pace=0.93, en="Thailand Zero Dropout",
             local="Thailand Zero Dropout พาน้องกลับมาเรียน",
             owner="Office of the Basic Education Commission (OBEC)", budget=0.8e9, indicator="dropout_rate",
             projects=[("zero_dropout_tracking", "Finding and following out-of-school children by name",
                        "ค้นหาและติดตามเด็กนอกระบบการศึกษารายบุคคล", 0.4),
                       ("zero_dropout_flexible_learning", "Flexible learning for children who return",
                        "การเรียนรู้แบบยืดหยุ่นสำหรับเด็กที่กลับเข้าเรียน", 0.6)]),
        dict(id="smart_office", pace=1.02, en="Smart Office / e-Meeting",
             local="สำนักงานอัจฉริยะ (Smart Office) และการประชุมไร้กระดาษ (e-Meeting)",
             owner="Office of the Permanent Secretary, ICT Centre", budget=0.3e9, indicator="smart_office_adoption",
             projects=[("smart_office_esaraban", "e-Saraban electronic document system",
                        "ระบบสารบรรณอิเล็กทรอนิกส์ (e-Saraban)", 1.0)]),
    ],
)

_LA_POLICIES = dict(
    programme=dict(
        # The plan period is 2021-2025; the demo extends it by a year for the transition to the next plan.
        id="essdp_2021_2025", en="Education and Sports Sector Development Plan 2021-2025 (ESSDP)",
        local="ແຜນພັດທະນາຂະແໜງການສຶກສາ ແລະ ກິລາ 2021-2025",
        owner="Ministry of Education and Sports, Department of Planning",
        start=date(2021, 1, 1), end=date(2026, 12, 31),
    ),
    policies=[
        dict(id="ece_expansion", pace=0.9, en="Expanding early childhood education", local="ການຂະຫຍາຍການສຶກສາປະຖົມໄວ",
             owner="Department of Early Childhood Education, MoES", budget=180e9, indicator="ece_age5",
             start=date(2021, 1, 1), end=date(2025, 12, 31),
             projects=[("ece_preprimary_classes", "Pre-primary classes attached to primary schools",
                        "ຫ້ອງກຽມປະຖົມຕິດກັບໂຮງຮຽນປະຖົມ", 0.7),
                       ("ece_community_groups", "Community child development groups", "ກຸ່ມພັດທະນາເດັກໃນຊຸມຊົນ", 0.3)]),
        dict(id="priority_district_completion", pace=0.82, en="Primary completion in the 40 priority districts",
             local="ການຮຽນຈົບຊັ້ນປະຖົມໃນ 40 ເມືອງບູລິມະສິດ", owner="Department of General Education, MoES",
             budget=250e9, indicator="cohort_survival_primary", start=date(2021, 1, 1), end=date(2026, 12, 31),
             priority_only=True, districts="only",
             projects=[("priority_school_meals", "School meals in the priority districts",
                        "ອາຫານໂຮງຮຽນໃນເມືອງບູລິມະສິດ", 0.6),
                       ("priority_complete_schools", "Completing incomplete primary schools",
                        "ປັບປຸງໂຮງຮຽນປະຖົມບໍ່ຄົບຊັ້ນໃຫ້ຄົບຊັ້ນ", 0.4)]),
        dict(id="teacher_deployment", pace=0.88, en="Teacher deployment to remote schools",
             local="ການຈັດສັນຄູໄປໂຮງຮຽນເຂດຫ່າງໄກ",
             owner="Department of Organisation and Personnel, MoES", budget=120e9, indicator="pupil_teacher_ratio",
             start=date(2021, 1, 1), end=date(2025, 12, 31),
             projects=[("teacher_quota_remote", "New teacher quotas for remote districts", "ໂກຕາຄູໃໝ່ສຳລັບເມືອງຫ່າງໄກ", 0.7),
                       ("teacher_redeployment", "Redeploying surplus teachers", "ການຍົກຍ້າຍຄູທີ່ເກີນຄວາມຕ້ອງການ", 0.3)]),
        dict(id="emis_strengthening", pace=0.95, en="Strengthening EMIS (LESMIS)",
             local="ການເສີມຂະຫຍາຍລະບົບຂໍ້ມູນຂ່າວສານການຄຸ້ມຄອງການສຶກສາ (LESMIS)",
             owner="Department of Planning, EMIS Centre, MoES", budget=40e9, indicator="reporting_completeness",
             start=date(2022, 1, 1), end=date(2026, 12, 31),
             projects=[("emis_school_tablets", "Tablets and training for school data entry",
                        "ແທັບເລັດ ແລະ ການຝຶກອົບຮົມການປ້ອນຂໍ້ມູນໂຮງຮຽນ", 0.6),
                       ("emis_dashboards", "Provincial and district dashboards", "ໜ້າປັດຂໍ້ມູນຂັ້ນແຂວງ ແລະ ເມືອງ", 0.4)]),
        dict(id="mass_capacity", en="Management capacity: MASS training for PESS and DESB staff",
             local="ການພັດທະນາຄວາມສາມາດດ້ານການຄຸ້ມຄອງ: ການຝຶກອົບຮົມ MASS ສຳລັບພະນັກງານ ພສ ແລະ ຫສ",
             owner="Department of Organisation and Personnel, MoES", budget=25e9, indicator="management_skills_score",
             start=date(2023, 1, 1), end=date(2026, 12, 31), uneven=True,
             projects=[("mass_survey", "MASS survey of training needs", "ການສຳຫຼວດຄວາມຕ້ອງການຝຶກອົບຮົມ (MASS)", 0.15),
                       ("mass_training", "Training courses for PESS and DESB staff",
                        "ຫຼັກສູດຝຶກອົບຮົມສຳລັບພະນັກງານ ພສ ແລະ ຫສ", 0.6),
                       ("mass_financial_plan", "Financial management and the medium-term financial master plan",
                        "ການຄຸ້ມຄອງການເງິນ ແລະ ແຜນແມ່ບົດການເງິນໄລຍະກາງ", 0.25)]),
        dict(id="sam_sang", pace=0.97, en="Sam Sang (three builds) in education", local="ສາມສ້າງ ດ້ານການສຶກສາ",
             owner="Department of Inspection, MoES", budget=60e9, indicator="sam_sang_focal_villages",
             start=date(2021, 1, 1), end=date(2025, 12, 31),
             projects=[("sam_sang_focal_villages", "Focal villages with complete schools",
                        "ບ້ານເປົ້າໝາຍທີ່ມີໂຮງຮຽນຄົບຊັ້ນ", 1.0)]),
    ],
)

# The offices' notes, written as they write them: in the country's language.
_TH_OBSTACLES = (
    "สำนักงบประมาณโอนงบประมาณล่าช้า",
    "ต้องประกวดราคาใหม่หลังมีผู้ร้องเรียนผลการเสนอราคา",
    "สำนักงานศึกษาธิการจังหวัดขาดแคลนบุคลากร",
    "รอแนวทางการดำเนินงานจากส่วนกลาง",
    "ผู้รับจ้างดำเนินงานล่าช้ากว่ากำหนด",
    "อินเทอร์เน็ตของโรงเรียนเร็วไม่พอสำหรับโครงการ",
    "น้ำท่วมทำให้งานในพื้นที่ล่าช้า",
    "เปลี่ยนโรงเรียนเป้าหมายหลังการทบทวนระดับอำเภอ",
)
_LA_OBSTACLES = (
    "ກະຊວງການເງິນໂອນງົບປະມານຊັກຊ້າ",
    "ລະດູຝົນ ເສັ້ນທາງສັນຈອນບໍ່ໄດ້",
    "ແຂວງຍັງບໍ່ມີຄູຝຶກ",
    "ພະນັກງານຫ້ອງການສຶກສາທິການ ແລະ ກິລາເມືອງ ປ່ຽນແປງເລື້ອຍໆ",
    "ທຶນຈາກຄູ່ຮ່ວມພັດທະນາຍັງບໍ່ທັນເບີກຈ່າຍ",
    "ອຸປະກອນຍັງບໍ່ມາຮອດ; ລໍຖ້າຜ່ານພາສີ",
    "ແຂວງຍັງບໍ່ໄດ້ຈັດສັນທຶນສົມທົບ",
)
_POLICY_OBSTACLES = {
    stories.TH_STALLED_POLICY: ("การจัดซื้อแท็บเล็ตล่าช้า รอการโอนงบประมาณ",
                                "โรงเรียนยังไม่ได้รับบัญชีผู้ใช้แพลตฟอร์ม"),
    "reduce_teacher_burden": ("โรงเรียนยังถูกหลายหน่วยงานขอรายงานซ้ำซ้อน",),
    "one_district_one_quality_school": ("เอกสารสิทธิ์ที่ดินสำหรับอาคารใหม่ยังไม่เรียบร้อย",),
    "thailand_zero_dropout": ("ติดตามเด็กที่ย้ายถิ่นตามผู้ปกครองไม่พบ",),
    "smart_office": ("หน่วยงานยังขอเอกสารกระดาษที่ลงนามแล้ว",),
    "ece_expansion": ("ບ້ານຫ່າງໄກສອກຫຼີກຂາດຄູອະນຸບານ",),
    "priority_district_completion": ("ສະບຽງອາຫານສຳລັບອາຫານໂຮງຮຽນມາຮອດຊ້າ",),
    "teacher_deployment": ("ຄູໃໝ່ປະຕິເສດການບັນຈຸໄປໂຮງຮຽນຫ່າງໄກ",),
    "emis_strengthening": ("ແທັບເລັດຂອງໂຮງຮຽນຍັງບໍ່ໄດ້ສົ່ງຮອດເມືອງຫ່າງໄກ",),
    "mass_capacity": ("ເລື່ອນການຝຶກອົບຮົມ: ພະນັກງານ ພສ ຕິດວຽກສຳຫຼວດສົກຮຽນ",
                      "ຄູຝຶກຕ້ອງແບ່ງໃຫ້ແຜນງານອື່ນ"),
    "sam_sang": ("ຍັງບໍ່ທັນສ້າງຕັ້ງຄະນະກຳມະການບ້ານ",),
}
_STALL_NOTES = (  # Thailand's stalled policy
    "ไม่มีความคืบหน้า: ระงับการจัดซื้อแท็บเล็ตเพื่อประกวดราคาใหม่ รอการโอนงบประมาณ",
    "ไม่มีความคืบหน้า: ยังไม่ได้ออกบัญชีผู้ใช้แพลตฟอร์ม สำนักงานศึกษาธิการภาครอแนวทางจากส่วนกลาง",
    "ไม่มีความคืบหน้า: ยังไม่ได้ลงนามสัญญาอินเทอร์เน็ตความเร็วสูง คณะกรรมการระดับจังหวัดยังไม่ได้ประชุม",
)
_ON_TRACK_NOTES = {
    "th": ("เป็นไปตามกำหนดหลังการประชุมคณะกรรมการศึกษาธิการจังหวัด",
           "เร็วกว่าแผน: โรงเรียนเข้าร่วมก่อนกำหนด",
           "ดำเนินการตามเป้าหมายของไตรมาสครบแล้ว"),
    "la": ("ເປັນໄປຕາມກຳນົດ ຫຼັງກອງປະຊຸມສຶກສາທິການແຂວງ",
           "ໄວກວ່າແຜນ: ໂຮງຮຽນເຂົ້າຮ່ວມກ່ອນກຳນົດ",
           "ສຳເລັດເປົ້າໝາຍຂອງໄຕມາດແລ້ວ"),
}
_NOT_STARTED_NOTE = {"th": "ยังไม่เริ่ม: รอการจัดสรรงบประมาณ", "la": "ຍັງບໍ່ທັນເລີ່ມ: ລໍຖ້າການຈັດສັນງົບປະມານ"}
_LAGGING_NOTE = "ການເບີກຈ່າຍຊ້າກວ່າແຜນ: ຄັງເງິນແຂວງປ່ອຍທຶນຊ້າ"  # Lao PDR's budget-lag story
# fmt: on


def _quarters(start: np.datetime64, end: np.datetime64, as_of: np.datetime64) -> np.ndarray:
    last = min(end, as_of)
    q0 = common.month_ord(np.array([start]))[0]
    q0 -= q0 % 3
    q1 = common.month_ord(np.array([last]))[0]
    return np.arange(q0, q1 + 1, 3).astype("datetime64[M]").astype("datetime64[D]")


def _smoothstep(x):
    x = np.clip(x, 0, 1)
    return x * x * (3 - 2 * x)


def generate(ctx: common.Ctx) -> tuple[dict, pa.Table]:
    """The policies table's columns, and the policy_progress table."""
    cfg = _TH_POLICIES if ctx.country == "th" else _LA_POLICIES
    rng = common.rng(ctx.seed, ctx.country, "policies")
    prog = cfg["programme"]
    P = len(ctx.prov_ids)
    prov_students = np.bincount(ctx.dist_prov, weights=ctx.students, minlength=P)
    prov_z = np.bincount(ctx.dist_prov, weights=ctx.z, minlength=P) / np.bincount(ctx.dist_prov, minlength=P)
    has_priority = np.bincount(ctx.dist_prov, weights=ctx.priority.astype(float), minlength=P) > 0
    lagging = np.isin(ctx.prov_ids, stories.LA_BUDGET_LAG_PROVINCES) if ctx.country == "la" else np.zeros(P, bool)
    obstacles = _TH_OBSTACLES if ctx.country == "th" else _LA_OBSTACLES

    rows = dict(
        policy_id=[],
        parent_id=[],
        level=[],
        name_en=[],
        name_local=[],
        owner=[],
        start=[],
        end=[],
        budget=[],
        indicator_id=[],
    )

    def add(pid, parent, level, en, local, owner, start, end, budget, indicator):
        for k, v in zip(
            rows, (pid, parent, level, en, local, owner, start, end, float(round(budget)), indicator), strict=True
        ):
            rows[k].append(v)

    total_budget = sum(p["budget"] for p in cfg["policies"])
    add(
        prog["id"],
        None,
        "programme",
        prog["en"],
        prog["local"],
        prog["owner"],
        ctx.day(prog["start"]),
        ctx.day(prog["end"]),
        total_budget,
        None,
    )
    progress_parts = []
    for pol in cfg["policies"]:
        start, end = ctx.day(pol.get("start", prog["start"])), ctx.day(pol.get("end", prog["end"]))
        add(
            pol["id"],
            prog["id"],
            "policy",
            pol["en"],
            pol["local"],
            pol["owner"],
            start,
            end,
            pol["budget"],
            pol["indicator"],
        )
        quarters = _quarters(common.day64(start), common.day64(end), ctx.as_of)
        Q = len(quarters)
        q_end = np.minimum(quarters.astype("datetime64[M]") + 3, ctx.as_of.astype("datetime64[M]") + 1)
        q_end = np.minimum(q_end.astype("datetime64[D]"), ctx.as_of)
        x = (q_end - common.day64(start)).astype(float) / (common.day64(end) - common.day64(start)).astype(float)
        planned = np.round(100 * _smoothstep(x), 1)
        provs = np.flatnonzero(has_priority) if pol.get("priority_only") else np.arange(P)
        n = len(provs)
        if pol.get("uneven"):
            speed = mass_speed(ctx)[provs]
        else:
            speed = np.clip(rng.normal(pol.get("pace", 0.95), 0.08, n) - 0.06 * prov_z[provs], 0.5, 1.12)
        share = prov_students[provs] ** 0.8
        share = share / share.sum()
        disb_ratio = np.clip(rng.normal(0.95, 0.04, n), 0.8, 1.02)[:, None] * np.ones(Q)
        # this fiscal year's lag (Lao PDR): disbursement stalls from January in a few provinces
        this_fy = quarters >= np.datetime64(f"{ctx.as_of.astype('datetime64[Y]')}-01-01")
        disb_ratio = np.where(lagging[provs][:, None] & this_fy[None, :], 0.55 * disb_ratio, disb_ratio)
        stalled = np.zeros(n, bool)
        if pol["id"] == stories.TH_STALLED_POLICY:
            stalled = np.isin(ctx.prov_ids[provs], stories.TH_STALLED_PROVINCES)
        proj_prog, proj_budget = [], []
        for pid, en, local, part in pol["projects"]:
            add(pid, pol["id"], "project", en, local, pol["owner"], start, end, pol["budget"] * part, pol["indicator"])
            sp = (
                speed[:, None] * np.exp(0.06 * rng.standard_normal((n, 1))) * np.exp(0.04 * rng.standard_normal((n, Q)))
            )
            prg = np.minimum(100.0, planned[None, :] * sp)
            prg = np.minimum(prg, planned[None, :] + 10)
            not_started = (planned[None, :] < 6) & (rng.random((n, Q)) < 0.35)
            prg = np.where(not_started, 0.0, prg)
            prg = np.maximum.accumulate(np.round(prg, 1), axis=1)
            if stalled.any() and Q > 4:
                prg[stalled, -4:] = prg[stalled, -5][:, None]
            proj_prog.append(prg)
            proj_budget.append(pol["budget"] * part)
            progress_parts.append(
                (pid, provs, quarters, planned, prg, pol["budget"] * part, share, disb_ratio, stalled, pol["id"])
            )
        weights = np.array(proj_budget) / sum(proj_budget)
        prg = np.round(sum(w * p for w, p in zip(weights, proj_prog, strict=True)), 1)
        if stalled.any() and Q > 4:
            prg[stalled, -4:] = prg[stalled, -5][:, None]
        progress_parts.append(
            (pol["id"], provs, quarters, planned, prg, pol["budget"], share, disb_ratio, stalled, pol["id"])
        )

    by_district = {pol["id"]: pol["districts"] for pol in cfg["policies"] if pol.get("districts")}
    reported_by_district = []
    pp = {k: [] for k in ("policy_id", "area", "period", "progress", "planned", "bplan", "bdisb", "status", "note")}
    for pid, provs, quarters, planned, prg, budget, share, disb_ratio, stalled, pol_id in progress_parts:
        n, Q = prg.shape
        plan2 = np.repeat(planned[None, :], n, axis=0)
        bplan = np.round(budget * share[:, None] * plan2 / 100)
        spent = np.minimum(prg, plan2 + 3) / 100
        bdisb = budget * share[:, None] * spent * disb_ratio * np.exp(0.03 * rng.standard_normal((n, Q)))
        bdisb = np.maximum.accumulate(np.round(np.maximum(bdisb, 0)), axis=1)
        gap = prg - plan2
        status = np.where(gap >= -5, "on_track", np.where(gap >= -15, "at_risk", "off_track")).astype(object)
        status[prg == 0] = "not_started"
        pick = rng.integers(0, 1000, (n, Q))
        u = rng.random((n, Q))
        specific = _POLICY_OBSTACLES.get(pol_id, ())
        pool = np.array(list(specific) * 2 + list(obstacles), dtype=object)
        note = np.full((n, Q), None, dtype=object)
        bad = ((status == "off_track") & (u < 0.85)) | ((status == "at_risk") & (u < 0.6))
        note[bad] = pool[pick[bad] % len(pool)]
        good = (status == "on_track") & (u < 0.06)
        on_track_notes = np.array(_ON_TRACK_NOTES[ctx.country], dtype=object)
        note[good] = on_track_notes[pick[good] % len(on_track_notes)]
        ns = (status == "not_started") & (u < 0.7)
        note[ns] = _NOT_STARTED_NOTE[ctx.country]
        if stalled.any() and Q > 4:
            stall_notes = np.array(_STALL_NOTES, dtype=object)
            note[stalled, -4:] = stall_notes[pick[stalled, -4:] % len(stall_notes)]
        if lagging[provs].any():
            this_fy = quarters >= np.datetime64(f"{ctx.as_of.astype('datetime64[Y]')}-01-01")
            lag_rows = lagging[provs][:, None] & this_fy[None, :] & (bdisb < 0.8 * bplan) & (u < 0.7)
            note[lag_rows] = _LAGGING_NOTE
        if pol_id in by_district:
            reported_by_district.append((pid, pol_id, provs, quarters, plan2, prg, bplan, bdisb))
            if by_district[pol_id] == "only":
                continue  # drawn all the same, so that the other policies' figures do not move
        pp["policy_id"].append(np.full(n * Q, pid, dtype=object))
        pp["area"].append(np.repeat(provs, Q))
        pp["period"].append(np.tile(quarters, n))
        pp["progress"].append(prg.reshape(-1))
        pp["planned"].append(plan2.reshape(-1))
        pp["bplan"].append(bplan.reshape(-1))
        pp["bdisb"].append(bdisb.reshape(-1))
        pp["status"].append(status.reshape(-1))
        pp["note"].append(note.reshape(-1))
    # Area codes: provinces as they are, districts after them (index P + district index).
    area_codes = np.concatenate([ctx.prov_ids.astype(str), ctx.dist_ids.astype(str)])
    _district_rows(ctx, cfg, reported_by_district, obstacles, pp)
    cat = {k: np.concatenate(v) for k, v in pp.items()}
    order = np.lexsort((cat["period"], cat["area"], cat["policy_id"].astype(str)))
    cat = {k: v[order] for k, v in cat.items()}
    progress = pa.table(
        {
            "policy_id": pa.array(cat["policy_id"], pa.string()),
            "area_id": pa.array(area_codes[cat["area"]], pa.string()),
            "period_start": pa.array(cat["period"].astype("datetime64[D]"), pa.date32()),
            "progress_pct": pa.array(cat["progress"], pa.float64()),
            "planned_pct": pa.array(cat["planned"], pa.float64()),
            "budget_planned": pa.array(cat["bplan"], pa.float64()),
            "budget_disbursed": pa.array(cat["bdisb"], pa.float64()),
            "status": pa.array(cat["status"], pa.string()),
            "note": pa.array(cat["note"], pa.string()),
        }
    )
    return rows, progress


def _district_rows(ctx: common.Ctx, cfg: dict, parts: list, obstacles: tuple, pp: dict) -> None:
    """Append to `pp` the district rows of the policies reported by district, around their provinces' figures.

    Each district d of a province gets a budget share w (its students ** 0.8 among the province's reporting
    districts) and a lead e (drawn once per policy, its projects sharing it; centred so that sum(w * e) = 0,
    |e| < 1); its progress is p + e * min(p, 100 - p) where p is the province's: never below 0 or above 100,
    rising when p rises, still where p is still (a stalled province's districts stall), and sum(w * progress)
    = p. Plan as the province's; budgets its share w of the province's.
    """
    if not parts:
        return
    rng = common.rng(ctx.seed, ctx.country, "policy_districts")  # a stream of its own: no other figure moves
    P = len(ctx.prov_ids)
    priority_only = {pol["id"] for pol in cfg["policies"] if pol.get("priority_only")}
    leads: dict[str, tuple[np.ndarray, np.ndarray, np.ndarray]] = {}
    for pid, pol_id, provs, quarters, plan2, prg, bplan, bdisb in parts:
        if pol_id not in leads:
            position = np.full(P, -1)
            position[provs] = np.arange(len(provs))
            row = position[ctx.dist_prov]  # each district's row in the province arrays (-1: not in the policy)
            taking = row >= 0
            if pol_id in priority_only:
                taking &= ctx.priority
            dists = np.flatnonzero(taking)
            row = row[dists]
            weight = np.maximum(ctx.students[dists], 1.0) ** 0.8
            weight = weight / np.bincount(row, weights=weight, minlength=len(provs))[row]
            lead = np.clip(rng.uniform(-0.45, 0.45, len(dists)) - 0.1 * ctx.z[dists], -0.5, 0.5)
            lead = lead - np.bincount(row, weights=weight * lead, minlength=len(provs))[row]
            leads[pol_id] = (dists, row, weight, lead)
        dists, row, weight, lead = leads[pol_id]
        n, Q = len(dists), len(quarters)
        base = prg[row]
        progress = np.round(base + lead[:, None] * np.minimum(base, 100 - base), 1)
        progress = np.maximum.accumulate(np.clip(progress, 0, 100), axis=1)
        planned = plan2[row]
        budget_planned = np.round(bplan[row] * weight[:, None])
        budget_disbursed = np.maximum.accumulate(np.round(bdisb[row] * weight[:, None]), axis=1)
        gap = progress - planned
        status = np.where(gap >= -5, "on_track", np.where(gap >= -15, "at_risk", "off_track")).astype(object)
        status[progress == 0] = "not_started"
        u = rng.random((n, Q))
        pick = rng.integers(0, 1000, (n, Q))
        pool = np.array(list(_POLICY_OBSTACLES.get(pol_id, ())) * 2 + list(obstacles), dtype=object)
        note = np.full((n, Q), None, dtype=object)
        bad = ((status == "off_track") & (u < 0.6)) | ((status == "at_risk") & (u < 0.3))
        note[bad] = pool[pick[bad] % len(pool)]
        pp["policy_id"].append(np.full(n * Q, pid, dtype=object))
        pp["area"].append(np.repeat(P + dists, Q))
        pp["period"].append(np.tile(quarters, n))
        pp["progress"].append(progress.reshape(-1))
        pp["planned"].append(planned.reshape(-1))
        pp["bplan"].append(budget_planned.reshape(-1))
        pp["bdisb"].append(budget_disbursed.reshape(-1))
        pp["status"].append(status.reshape(-1))
        pp["note"].append(note.reshape(-1))


def mass_speed(ctx: common.Ctx) -> np.ndarray:
    """Per-province pace of the Lao MASS capacity programme (shared by policy_progress and the skills score)."""
    rng = common.rng(ctx.seed, ctx.country, "mass_speed")
    return rng.uniform(0.3, 1.15, len(ctx.prov_ids))
