-- grain: one row per period of one indicator for one area in scope: the series an alert is judged on
-- params: area_id, indicator_id, scope
-- reads: area_facts
select period_start, period_type, value, target, status, numerator, denominator, reporting_districts
from area_facts
where area_id = $area_id and indicator_id = $indicator_id and sex = 'total'
  and (province_id is null or list_contains($scope, province_id))
order by period_start;
