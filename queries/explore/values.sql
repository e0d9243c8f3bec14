-- grain: one row per area at one level (district, province or a province grouping), period and sex, for one indicator since a date
-- params: indicator_id, level, since, scope
-- reads: area_facts
-- level: 'district', 'province', 'country' or a grouping's type ('reo', 'region'), whose rows are
-- named '<group_type>:<group_id>'. Districts and provinces outside the caller's scope return no rows;
-- groups and the country are visible to everyone, as the benchmarks an office compares itself against.
select area_id, period_start, period_type, sex, value, numerator, denominator, target, status, reporting_districts
from area_facts
where indicator_id = $indicator_id
  and period_start >= $since
  and case
      when $level in ('district', 'province', 'country') then level = $level
      else level = 'group' and starts_with(area_id, $level || ':')
  end
  and (province_id is null or list_contains($scope, province_id))
order by area_id, sex, period_start;
