-- grain: one row per area (at one level) whose value broke a threshold in each of the indicator's latest periods
-- params: indicator_id, level, above, below, status, for_periods, as_of
-- reads: area_facts, indicators
-- Exactly one of $above, $below, $status is set: a fixed value, or the indicator's own status
-- ('red', or 'amber' which includes red). The reference reported is the threshold crossed.
with recent as (
    select period_start, row_number() over (order by period_start desc) as back
    from (select distinct period_start from area_facts
          where indicator_id = $indicator_id and level = 'country' and sex = 'total' and period_start <= $as_of)
),
checked as (
    select
        f.area_id, f.period_start, f.value, r.back,
        case
            when $above::double is not null then f.value > $above::double
            when $below::double is not null then f.value < $below::double
            when $status::varchar = 'red' then f.status = 'red'
            else f.status in ('red', 'amber')
        end as breaks,
        coalesce($above::double, $below::double, case when $status::varchar = 'red' then i.red else i.amber end)
            as reference
    from area_facts f
    join recent r using (period_start)
    join indicators i using (indicator_id)
    where f.indicator_id = $indicator_id and f.level = $level and f.sex = 'total' and r.back <= $for_periods
)
select
    area_id,
    max(period_start) as period_start,
    arg_max(value, period_start) as value,
    any_value(reference) as reference,
    count(*) as periods_held
from checked
group by area_id
having count(*) filter (where breaks) = $for_periods
order by area_id;
