-- grain: one row per indicator and period since a date: how many districts in scope reported it
-- params: since, scope
-- reads: area_facts
-- A district reported a period when it has a value for it (all sexes together). What was expected comes
-- from the reporting calendar (cockpit/alerts/calendar.py), not from these rows.
select indicator_id, period_start, any_value(period_type) as period_type, count(distinct area_id) as reporting
from area_facts
where level = 'district' and sex = 'total' and value is not null and period_start >= $since
  and list_contains($scope, province_id)
group by indicator_id, period_start
order by indicator_id, period_start;
