-- grain: one row per area (at one level) that stayed further than a gap from its target, in the bad direction, for its latest periods
-- params: indicator_id, level, gap, for_periods, as_of
-- reads: area_facts, indicators
with recent as (
    select period_start, row_number() over (order by period_start desc) as back
    from (select distinct period_start from area_facts
          where indicator_id = $indicator_id and level = 'country' and sex = 'total' and period_start <= $as_of)
),
checked as (
    select
        f.area_id, f.period_start, f.value, f.target,
        case when i.direction = 'higher_is_better' then f.target - f.value else f.value - f.target end as shortfall
    from area_facts f
    join recent r using (period_start)
    join indicators i using (indicator_id)
    where f.indicator_id = $indicator_id and f.level = $level and f.sex = 'total' and r.back <= $for_periods
)
select
    area_id,
    max(period_start) as period_start,
    arg_max(value, period_start) as value,
    arg_max(target, period_start) as reference,
    arg_max(shortfall, period_start) as shortfall
from checked
group by area_id
having count(*) filter (where shortfall > $gap) = $for_periods
order by area_id;
