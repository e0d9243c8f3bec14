-- grain: one row per area (at one level) with no value for an indicator in its latest period that is already due
-- params: indicator_id, level, due_days, as_of
-- reads: area_facts, areas
-- A period is due $due_days after its last day. The latest due period is the newest period any area
-- reported in whose due date is on or before $as_of; an area without a row for it is missing.
with periods as (
    select distinct period_start, period_type from area_facts
    where indicator_id = $indicator_id and level = 'country' and sex = 'total'
),
due as (
    select max(period_start) as period_start
    from periods
    where case period_type
              when 'month' then period_start + interval 1 month
              when 'year' then period_start + interval 1 year
              else period_start + interval 6 month
          end - interval 1 day + to_days($due_days) <= $as_of
),
expected as (
    select a.area_id, d.period_start
    from areas a, due d
    where a.level = $level and d.period_start is not null
)
select e.area_id, e.period_start, null::double as value, null::double as reference
from expected e
left join area_facts f
    on f.area_id = e.area_id and f.period_start = e.period_start
   and f.indicator_id = $indicator_id and f.sex = 'total'
where f.area_id is null
order by e.area_id;
