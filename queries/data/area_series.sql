-- grain: one row per indicator and period for one area (country, province group, province or district) since a date
-- params: area_id, since, scope
-- reads: area_facts
-- A province or district outside the caller's scope returns no rows; country and group totals are
-- visible to everyone, as the benchmark each office compares itself against.
select indicator_id, period_start, period_type, value, target, status, numerator, denominator, reporting_districts
from area_facts
where area_id = $area_id
  and sex = 'total'
  and period_start >= $since
  and (province_id is null or list_contains($scope, province_id))
order by indicator_id, period_start;
