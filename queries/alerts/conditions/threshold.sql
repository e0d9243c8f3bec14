-- grain: one row per area (at one level) whose value broke a threshold in each of the indicator's latest periods
-- params: indicator_id, level, above, below, status, for_periods, as_of
-- reads: area_facts, indicators
-- Exactly one of $above, $below, $status is set: a fixed value, or the KPI's status against its target
-- ('off_track', or 'at_risk' which includes off_track). The reference reported is the threshold crossed:
-- the value, or for a status the period's trajectory (at_risk) or the trajectory less its tolerance (off_track).
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
            when $status::varchar = 'off_track' then f.status = 'off_track'
            else f.status in ('off_track', 'at_risk')
        end as breaks,
        coalesce(
            $above::double,
            $below::double,
            case
                when $status::varchar = 'at_risk' then f.target
                when i.direction = 'higher_is_better' then f.target - f.tolerance
                else f.target + f.tolerance
            end
        ) as reference
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
