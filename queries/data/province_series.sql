-- grain: one row per province in scope and period, for one indicator, since a date
-- params: indicator_id, since, scope
-- reads: area_facts
select area_id, period_start, value, target, status
from area_facts
where level = 'province' and indicator_id = $indicator_id and sex = 'total'
  and period_start >= $since and list_contains($scope, area_id)
order by area_id, period_start;
