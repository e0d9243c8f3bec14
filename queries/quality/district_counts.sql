-- grain: one row per district in scope and indicator: the periods it reported between two dates
-- params: since, as_of, scope
-- reads: areas, area_facts
-- Districts that reported nothing for an indicator have no row; the caller sets what was expected
-- from the reporting calendar.
select f.area_id, f.province_id, f.indicator_id, count(distinct f.period_start) as reported
from area_facts f
where f.level = 'district' and f.sex = 'total' and f.value is not null
  and f.period_start >= $since and f.period_start <= $as_of
  and list_contains($scope, f.province_id)
group by f.area_id, f.province_id, f.indicator_id
order by f.area_id, f.indicator_id;
