-- grain: one row per programme, policy or project, area (province, province group, all provinces in scope) and period
-- params: scope
-- reads: policies, policy_progress, policy_province_progress, areas, area_groups
-- Roll-ups are budget-weighted ratios of sums, never means of percentages: each province counts
-- with its allocation for the policy, which its rows imply as budget_planned / planned_pct (the
-- budget planned to date over the share of the plan due to date), so
--   progress_pct = sum(allocation * progress_pct) / sum(allocation), and planned_pct likewise.
-- A node without rows of its own (a programme) is rolled up from the nearest nodes below it that
-- have rows. Every node is carried forward: in a period a province did not report (or after a
-- policy ended) its latest earlier row stands, so totals do not jump when one policy stops
-- reporting; `reported_provinces` counts the provinces that did report in the period itself.
-- area_id of a level 'group' row is '<group_type>:<group_id>' (e.g. 'reo:11'); level 'country'
-- rows hold the country's area_id but cover only the provinces in $scope.
-- reported_status and note are the extract's own, on a node's own province rows, in the period reported only.
-- Provinces come from policy_province_progress: as reported, or where the source reports a policy in a province
-- only by district, rolled up from its districts there (see that model). districts: on a node's own province
-- rows, how many districts a derived figure rests on (NULL where the province reported it). District rows
-- themselves: district_progress.sql.
with recursive
has_rows as (
    select distinct policy_id from policy_progress
),
lifted(policy_id, source_id) as (
    select policy_id, policy_id from has_rows
    union all
    select p.parent_id, l.source_id
    from lifted l
    join policies p on p.policy_id = l.policy_id
    where p.parent_id is not null and p.parent_id not in (select policy_id from has_rows)
),
in_scope as (
    select * from policy_province_progress where list_contains($scope, area_id)
),
allocations as (
    select policy_id, area_id,
        arg_max(budget_planned * 100 / planned_pct, period_start) filter (where planned_pct > 0) as allocation,
        min(period_start) as first_period
    from in_scope
    group by policy_id, area_id
),
periods as (
    select distinct period_start from in_scope
),
grid as (
    select a.policy_id, a.area_id, a.allocation, p.period_start
    from allocations a
    join periods p on p.period_start >= a.first_period
),
carried as (
    select
        g.policy_id, g.area_id, g.allocation, g.period_start,
        r.period_start as reported_period, r.progress_pct, r.planned_pct, r.budget_planned, r.budget_disbursed,
        r.status, r.note, r.districts
    from grid g
    asof join in_scope r
        on r.policy_id = g.policy_id and r.area_id = g.area_id and g.period_start >= r.period_start
),
units as (
    select area_id as province_id, area_id as unit_id, 'province' as level from areas where level = 'province'
    union all
    select g.area_id, g.group_type || ':' || g.group_id, 'group'
    from area_groups g join areas a on a.area_id = g.area_id and a.level = 'province'
    union all
    select area_id, parent_id, 'country' from areas where level = 'province'
)
select
    l.policy_id,
    u.unit_id as area_id,
    u.level,
    c.period_start,
    sum(c.allocation * c.progress_pct) / nullif(sum(c.allocation), 0) as progress_pct,
    sum(c.allocation * c.planned_pct) / nullif(sum(c.allocation), 0) as planned_pct,
    sum(c.budget_planned) as budget_planned,
    sum(c.budget_disbursed) as budget_disbursed,
    sum(c.allocation) as allocation,
    count(distinct c.area_id) as provinces,
    count(distinct c.area_id) filter (where c.reported_period = c.period_start) as reported_provinces,
    any_value(c.status) filter (where u.level = 'province' and l.policy_id = l.source_id
                                  and c.reported_period = c.period_start) as reported_status,
    any_value(c.note) filter (where u.level = 'province' and l.policy_id = l.source_id
                                and c.reported_period = c.period_start) as note,
    any_value(c.districts) filter (where u.level = 'province' and l.policy_id = l.source_id) as districts
from lifted l
join carried c on c.policy_id = l.source_id
join units u on u.province_id = c.area_id
group by l.policy_id, u.unit_id, u.level, c.period_start
order by l.policy_id, u.level, u.unit_id, c.period_start;
