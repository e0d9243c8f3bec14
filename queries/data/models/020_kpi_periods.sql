-- grain: one row per KPI: its wall's order, its place in the catalogue, and its newest and previous periods with data
-- params: none
-- reads: indicators, area_facts
-- Pages that show every KPI at its own newest period (a province's review, a region's) start here.
create or replace table kpi_periods as
with catalogue as (
    select
        indicator_id, direction,
        case wall when 'black' then 0 when 'red' then 1 when 'blue' then 2 else 3 end as wall_order,
        row_number() over () as position
    from indicators
    where kind = 'kpi'
),
periods as (
    select indicator_id, period_start, row_number() over (partition by indicator_id order by period_start desc) as back
    from (
        select distinct indicator_id, period_start
        from area_facts
        where level = 'country' and sex = 'total' and value is not null
    )
)
select
    c.*,
    max(p.period_start) filter (where p.back = 1) as latest_period,
    max(p.period_start) filter (where p.back = 2) as previous_period
from catalogue c
left join periods p using (indicator_id)
group by all;
