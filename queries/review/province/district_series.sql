-- grain: one row per district of one province in scope and period, for one indicator, since a date
-- params: province_id, indicator_id, since, scope
-- reads: area_facts
select area_id, period_start, value, status
from area_facts
where level = 'district'
  and province_id = $province_id
  and list_contains($scope, $province_id)
  and indicator_id = $indicator_id
  and sex = 'total'
  and period_start >= $since
order by area_id, period_start;
