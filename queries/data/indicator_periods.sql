-- grain: one row per period holding data for one indicator, newest first
-- params: indicator_id
-- reads: area_facts
select distinct period_start, period_type
from area_facts
where indicator_id = $indicator_id and level = 'country' and sex = 'total'
order by period_start desc;
