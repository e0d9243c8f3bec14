-- grain: one row per area (each province in scope, one province group, the country) and KPI holding data, at the KPI's newest period
-- params: group_key, scope
-- reads: kpi_periods, area_facts, areas
-- For a region's review: its provinces side by side with the region and the nation. A province's rank
-- counts every province of the country (1 = best in the indicator's own direction), whatever the scope.
with catalogue as (
    select indicator_id, direction, wall_order, position from kpi_periods
),
latest as (
    select indicator_id, latest_period as period_start from kpi_periods where latest_period is not null
),
previous as (
    select indicator_id, previous_period as period_start from kpi_periods where previous_period is not null
),
current_facts as (
    select
        f.area_id, f.level, f.indicator_id, f.period_start, f.period_type, f.value, f.target, f.status,
        c.wall_order, c.position,
        case when f.level = 'province' and f.value is not null then
            rank() over (
                partition by f.indicator_id, f.level
                order by case when c.direction = 'higher_is_better' then -f.value else f.value end nulls last
            )
        end as rank,
        count(f.value) over (partition by f.indicator_id, f.level) as ranked
    from area_facts f
    join latest l using (indicator_id, period_start)
    join catalogue c using (indicator_id)
    where f.sex = 'total' and f.level in ('province', 'group', 'country')
)
select
    cf.area_id,
    case cf.level when 'country' then 'nation' when 'group' then 'region' else 'province' end as role,
    a.name_en,
    a.name_local,
    cf.indicator_id,
    cf.period_start,
    cf.period_type,
    cf.value,
    cf.target,
    coalesce(cf.status, 'grey') as status,
    pf.value as previous_value,
    cf.rank,
    case when cf.level = 'province' then cf.ranked end as ranked_provinces
from current_facts cf
left join previous pv on pv.indicator_id = cf.indicator_id
left join area_facts pf
    on pf.area_id = cf.area_id and pf.indicator_id = cf.indicator_id and pf.period_start = pv.period_start
    and pf.sex = 'total'
left join areas a on a.area_id = cf.area_id
where (cf.level = 'province' and list_contains($scope, cf.area_id))
   or (cf.level = 'group' and cf.area_id = $group_key)
   or cf.level = 'country'
order by cf.wall_order, cf.position, role, cf.rank nulls last, cf.area_id;
