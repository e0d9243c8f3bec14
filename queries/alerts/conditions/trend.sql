-- grain: one row per area (at one level) whose indicator moved the wrong way in each of its latest changes
-- params: indicator_id, level, periods, min_change, as_of
-- reads: area_facts, indicators
-- Direction-aware: a rise is adverse where lower is better (dropout), a fall where higher is
-- better (completion). $periods changes need $periods + 1 values; the reference is the first.
with recent as (
    select period_start, row_number() over (order by period_start desc) as back
    from (select distinct period_start from area_facts
          where indicator_id = $indicator_id and level = 'country' and sex = 'total' and period_start <= $as_of)
),
series as (
    select
        f.area_id, f.period_start, f.value, r.back, i.direction,
        lag(f.value) over (partition by f.area_id order by f.period_start) as before
    from area_facts f
    join recent r using (period_start)
    join indicators i using (indicator_id)
    where f.indicator_id = $indicator_id and f.level = $level and f.sex = 'total' and r.back <= $periods + 1
),
changes as (
    select *,
        case when direction = 'higher_is_better' then before - value else value - before end as worsening
    from series
    where back <= $periods
)
select
    area_id,
    max(period_start) as period_start,
    arg_max(value, period_start) as value,
    arg_min(before, period_start) as reference,
    count(*) as periods_held
from changes
group by area_id
having count(*) filter (where worsening > $min_change) = $periods
order by area_id;
