-- grain: one row per district in scope, for one indicator and period: whether it reported
-- params: indicator_id, period_start, scope
-- reads: areas, area_facts
select
    d.area_id, d.parent_id as province_id, d.name_en, d.name_local,
    f.value is not null as reported, f.value
from areas d
left join area_facts f
    on f.area_id = d.area_id and f.indicator_id = $indicator_id and f.period_start = $period_start
   and f.sex = 'total' and f.level = 'district'
where d.level = 'district' and list_contains($scope, d.parent_id)
order by d.parent_id, d.name_en;
