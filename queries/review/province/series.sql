-- grain: one row per KPI, area (one province in scope, its province group, the country) and period since a date
-- params: province_id, group_key, since, scope
-- reads: area_facts, indicators
-- role names the area for the trend charts: province, region (the group, e.g. 'reo:17') or nation.
-- No rows when the province is outside the scope.
select
    f.indicator_id,
    case f.level when 'country' then 'nation' when 'group' then 'region' else 'province' end as role,
    f.period_start,
    f.period_type,
    f.value,
    f.target,
    f.status
from area_facts f
join indicators i using (indicator_id)
where i.kind = 'kpi'
  and f.sex = 'total'
  and f.period_start >= $since
  and list_contains($scope, $province_id)
  and (
      (f.level = 'province' and f.area_id = $province_id)
      or (f.level = 'group' and f.area_id = $group_key)
      or f.level = 'country'
  )
order by f.indicator_id, role, f.period_start;
