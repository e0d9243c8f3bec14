-- grain: one row per province in scope, listed indicator and moment (the latest period up to a date, and a year before it)
-- params: indicator_ids, as_of, scope
-- reads: area_facts, indicators, areas
-- The league table's shared-KPI component. moment 'current': each indicator's newest national
-- period starting on or before $as_of; moment 'previous': its newest period at least a year
-- before that one (the period a change in rank is measured from). value and target are NULL
-- where a province did not report.
with current_period as (
    select indicator_id, max(period_start) as period_start
    from area_facts
    where level = 'country' and sex = 'total' and list_contains($indicator_ids, indicator_id)
      and period_start <= $as_of
    group by indicator_id
),
previous_period as (
    select f.indicator_id, max(f.period_start) as period_start
    from area_facts f
    join current_period c using (indicator_id)
    where f.level = 'country' and f.sex = 'total' and f.period_start <= c.period_start - interval 1 year
    group by f.indicator_id
),
moments as (
    select 'current' as moment, * from current_period
    union all
    select 'previous', * from previous_period
)
select
    m.moment,
    a.area_id,
    m.indicator_id,
    m.period_start,
    f.period_type,
    f.value,
    f.target,
    i.direction
from areas a
cross join moments m
join indicators i on i.indicator_id = m.indicator_id
left join area_facts f
    on f.area_id = a.area_id and f.indicator_id = m.indicator_id and f.period_start = m.period_start
   and f.level = 'province' and f.sex = 'total'
where a.level = 'province' and list_contains($scope, a.area_id)
order by m.moment, a.area_id, m.indicator_id;
