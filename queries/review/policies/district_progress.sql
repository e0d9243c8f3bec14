-- grain: one row per district of a province in scope and period, for one programme, policy or project ($policy_id)
-- params: policy_id, scope
-- reads: policy_progress, areas
-- The districts' own rows, where the source reports a policy by district (how a province without a row of its
-- own is derived from them: queries/data/models/030_policy_province_progress.sql). Each district counts from
-- its first row; in a period it did not report, its latest earlier row stands (carried forward, as progress.sql
-- carries provinces), and reported_districts is 0 (1 when it reported in the period itself). allocation: the
-- district's budget for the policy implied by its rows (budget_planned * 100 / planned_pct, latest period with
-- planned_pct > 0). reported_status and note are the extract's own, in the period reported only. One node at a
-- time: a page shows one policy's districts, and the whole country's district rows cost a Thai page 0.1-0.4 s.
with in_scope as (
    select p.*, a.parent_id as province_id, a.name_en, a.name_local, a.is_priority
    from policy_progress p
    join areas a on a.area_id = p.area_id and a.level = 'district'
    where p.policy_id = $policy_id and list_contains($scope, a.parent_id)
),
districts as (
    select
        policy_id, area_id, province_id, name_en, name_local, is_priority,
        arg_max(budget_planned * 100 / planned_pct, period_start) filter (where planned_pct > 0) as allocation,
        min(period_start) as first_period
    from in_scope
    group by policy_id, area_id, province_id, name_en, name_local, is_priority
),
periods as (
    select distinct policy_id, period_start from in_scope
),
grid as (
    select d.*, p.period_start
    from districts d
    join periods p on p.policy_id = d.policy_id and p.period_start >= d.first_period
)
select
    g.policy_id,
    g.area_id,
    'district' as level,
    g.province_id,
    g.name_en,
    g.name_local,
    g.is_priority,
    g.period_start,
    r.progress_pct,
    r.planned_pct,
    r.budget_planned,
    r.budget_disbursed,
    g.allocation,
    (r.period_start = g.period_start)::int as reported_districts,
    case when r.period_start = g.period_start then r.status end as reported_status,
    case when r.period_start = g.period_start then r.note end as note
from grid g
asof join in_scope r
    on r.policy_id = g.policy_id and r.area_id = g.area_id and g.period_start >= r.period_start
order by g.policy_id, g.province_id, g.area_id, g.period_start;
