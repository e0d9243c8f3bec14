-- grain: one row per province in scope and KPI of one wall (both sexes together), at the KPI's newest national period
-- params: wall, scope
-- reads: area_facts, indicators, areas
-- The newest period is the country's, so a province that has not reported it has no row (it is grey, not
-- shown with an older value as if it were current).
with latest as (
    select f.indicator_id, max(f.period_start) as period_start
    from area_facts f
    join indicators i using (indicator_id)
    where f.level = 'country' and f.sex = 'total' and i.wall = $wall and i.kind = 'kpi'
    group by f.indicator_id
)
select
    a.area_id, a.name_en, a.name_local, f.indicator_id, f.period_start, f.period_type, f.value, f.target, f.status
from area_facts f
join latest l using (indicator_id, period_start)
join areas a on a.area_id = f.area_id
where f.level = 'province' and f.sex = 'total' and list_contains($scope, f.area_id)
order by a.area_id, f.indicator_id;
