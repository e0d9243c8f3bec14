-- grain: one row per KPI holding data, for one province in scope, at the KPI's newest period
-- params: province_id, group_key, scope
-- reads: kpi_periods, area_facts, area_groups
-- The province against its target, its province group (e.g. 'reo:17') and the country. Ranks count
-- every province of the country (rank) and of the group (group_rank), whatever the caller's scope,
-- as the Overview's ranking does; rank 1 is the best in the indicator's own direction. previous_*
-- is the period before the newest. No rows when the province is outside the scope.
with catalogue as (
    select indicator_id, direction, wall_order, position from kpi_periods
),
latest as (
    select indicator_id, latest_period as period_start from kpi_periods where latest_period is not null
),
previous as (
    select indicator_id, previous_period as period_start from kpi_periods where previous_period is not null
),
peers as (
    select
        f.indicator_id,
        f.area_id,
        case when c.direction = 'higher_is_better' then -f.value else f.value end as sort_key,
        f.area_id in (select area_id from area_groups where group_type || ':' || group_id = $group_key) as in_group
    from area_facts f
    join latest l using (indicator_id, period_start)
    join catalogue c using (indicator_id)
    where f.level = 'province' and f.sex = 'total' and f.value is not null
),
national_ranks as (
    select
        indicator_id, area_id,
        rank() over (partition by indicator_id order by sort_key) as rank,
        count(*) over (partition by indicator_id) as ranked_provinces
    from peers
),
group_ranks as (
    select
        indicator_id, area_id,
        rank() over (partition by indicator_id order by sort_key) as group_rank,
        count(*) over (partition by indicator_id) as group_provinces
    from peers
    where in_group
)
select
    c.indicator_id,
    l.period_start,
    coalesce(p.period_type, n.period_type) as period_type,
    p.value,
    p.target,
    coalesce(p.status, 'grey') as status,
    p.reporting_districts,
    pv.period_start as previous_period,
    pp.value as previous_value,
    pp.status as previous_status,
    r.rank,
    r.ranked_provinces,
    gr.group_rank,
    gr.group_provinces,
    g.value as group_value,
    coalesce(g.status, 'grey') as group_status,
    n.value as nation_value,
    coalesce(n.status, 'grey') as nation_status
from catalogue c
join latest l using (indicator_id)
left join previous pv using (indicator_id)
left join area_facts p
    on p.level = 'province' and p.area_id = $province_id and p.indicator_id = c.indicator_id
    and p.period_start = l.period_start and p.sex = 'total'
left join area_facts pp
    on pp.level = 'province' and pp.area_id = $province_id and pp.indicator_id = c.indicator_id
    and pp.period_start = pv.period_start and pp.sex = 'total'
left join national_ranks r on r.indicator_id = c.indicator_id and r.area_id = $province_id
left join group_ranks gr on gr.indicator_id = c.indicator_id and gr.area_id = $province_id
left join area_facts g
    on g.level = 'group' and g.area_id = $group_key and g.indicator_id = c.indicator_id
    and g.period_start = l.period_start and g.sex = 'total'
left join area_facts n
    on n.level = 'country' and n.indicator_id = c.indicator_id and n.period_start = l.period_start and n.sex = 'total'
where list_contains($scope, $province_id)
order by c.wall_order, c.position;
