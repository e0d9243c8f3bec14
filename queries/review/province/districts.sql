-- grain: one row per district of one province in scope and KPI holding data, at the KPI's newest period
-- params: province_id, scope
-- reads: kpi_periods, areas, area_facts
-- rank orders the province's districts in the indicator's own direction (1 = best); districts without
-- a value have no rank. previous_value is the district's value in the period before the newest.
with catalogue as (
    select indicator_id, direction, wall_order, position from kpi_periods
),
latest as (
    select indicator_id, latest_period as period_start from kpi_periods where latest_period is not null
),
previous as (
    select indicator_id, previous_period as period_start from kpi_periods where previous_period is not null
),
districts as (
    select area_id, name_en, name_local, is_priority, lat, lon
    from areas
    where level = 'district' and parent_id = $province_id and list_contains($scope, $province_id)
),
facts as (
    select
        d.area_id, d.name_en, d.name_local, d.is_priority, d.lat, d.lon,
        c.indicator_id, c.wall_order, c.position,
        l.period_start,
        f.period_type,
        f.value,
        f.target,
        coalesce(f.status, 'grey') as status,
        pf.value as previous_value,
        case when c.direction = 'higher_is_better' then -f.value else f.value end as sort_key
    from districts d
    cross join catalogue c
    join latest l on l.indicator_id = c.indicator_id
    left join previous pv on pv.indicator_id = c.indicator_id
    left join area_facts f
        on f.level = 'district' and f.area_id = d.area_id and f.indicator_id = c.indicator_id
        and f.period_start = l.period_start and f.sex = 'total'
    left join area_facts pf
        on pf.level = 'district' and pf.area_id = d.area_id and pf.indicator_id = c.indicator_id
        and pf.period_start = pv.period_start and pf.sex = 'total'
)
select
    area_id, name_en, name_local, is_priority, lat, lon, indicator_id, period_start, period_type,
    value, target, status, previous_value,
    case when value is null then null
         else rank() over (partition by indicator_id order by sort_key nulls last) end as rank,
    count(value) over (partition by indicator_id) as ranked_districts
from facts
order by wall_order, position, rank nulls last, name_en;
