-- grain: one row per indicator, goal and plan target of the causal chain, with its newest period
-- params: none
-- reads: indicators, area_facts
with latest as (
    select indicator_id, max(period_start) as latest_period, count(distinct period_start) as periods
    from area_facts
    where level = 'country' and sex = 'total'
    group by indicator_id
)
select i.*, l.latest_period, coalesce(l.periods, 0) as periods
from indicators i
left join latest l using (indicator_id)
order by case i.kind when 'goal' then 0 when 'target' then 1 else 2 end, i.wall, i.indicator_id;
