-- grain: one row per programme, policy or project, province and period: as the source reports the province, or rolled up from its districts where the source reports the policy there only by district
-- params: none
-- reads: policy_progress, areas
-- The one place a province's policy figure is derived from its districts. progress.sql and stuck.sql read
-- provinces from here, never from policy_progress directly.
-- A province row the source reports stands as reported: district rows of the same policy never replace it,
-- even where their roll-up differs (both are shown; the province's own figure is the official one).
-- Where a policy (or project) has district rows in a province and no row at all for the province itself, the
-- province's row for each period is derived:
--   progress_pct = sum(w * progress_pct) / sum(w) over the province's districts, planned_pct likewise, where w is
--                  the district's allocation for the policy: budget_planned * 100 / planned_pct at its latest
--                  period with planned_pct > 0 (the budget weight progress.sql gives provinces). When any of the
--                  province's districts has no allocation (no budget planned), w = 1: the plain mean.
--   budget_planned, budget_disbursed = their sums over the districts.
-- A district counts from its first row; in a period it did not report, its latest earlier row stands (carried
-- forward). A derived row's status and note are NULL (the source reported none for the province).
-- districts: how many districts a derived row rests on (NULL on a reported row); reported_districts: how many
-- of them reported in the period itself.
create or replace table policy_province_progress as
with located as (
    select
        p.*, a.level,
        case a.level when 'province' then a.area_id when 'district' then a.parent_id end as province_id
    from policy_progress p
    join areas a using (area_id)
),
reported as (
    select distinct policy_id, province_id from located where level = 'province'
),
district_rows as (
    select d.*
    from located d
    anti join reported r on r.policy_id = d.policy_id and r.province_id = d.province_id
    where d.level = 'district'
),
allocations as (
    select
        policy_id, province_id, area_id,
        arg_max(budget_planned * 100 / planned_pct, period_start) filter (where planned_pct > 0) as allocation,
        min(period_start) as first_period
    from district_rows
    group by policy_id, province_id, area_id
),
weighting as (
    select policy_id, province_id, bool_and(coalesce(allocation, 0) > 0) as by_budget
    from allocations
    group by policy_id, province_id
),
periods as (
    select distinct policy_id, province_id, period_start from district_rows
),
grid as (
    select
        a.policy_id, a.province_id, a.area_id, p.period_start,
        case when w.by_budget then a.allocation else 1.0 end as weight
    from allocations a
    join weighting w using (policy_id, province_id)
    join periods p
        on p.policy_id = a.policy_id and p.province_id = a.province_id and p.period_start >= a.first_period
),
carried as (
    select
        g.policy_id, g.province_id, g.period_start, g.weight,
        r.period_start as reported_period, r.progress_pct, r.planned_pct, r.budget_planned, r.budget_disbursed
    from grid g
    asof join district_rows r
        on r.policy_id = g.policy_id and r.area_id = g.area_id and g.period_start >= r.period_start
)
select
    policy_id, area_id, period_start, progress_pct, planned_pct, budget_planned, budget_disbursed, status, note,
    null::bigint as districts, null::bigint as reported_districts
from located
where level = 'province'
union all
select
    policy_id,
    province_id as area_id,
    period_start,
    sum(weight * progress_pct) / sum(weight) as progress_pct,
    sum(weight * planned_pct) / sum(weight) as planned_pct,
    sum(budget_planned) as budget_planned,
    sum(budget_disbursed) as budget_disbursed,
    null::varchar as status,
    null::varchar as note,
    count(*) as districts,
    count(*) filter (where reported_period = period_start) as reported_districts
from carried
group by policy_id, province_id, period_start;
