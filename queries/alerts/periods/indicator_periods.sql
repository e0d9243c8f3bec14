-- grain: one row per period of an indicator in the national series, newest first
-- params: indicator_id, as_of, periods
-- reads: area_facts
-- The $periods latest periods starting on or before $as_of: the periods an evaluation on $as_of judges
-- (the newest) and looks back over when a rule's condition must hold for several periods.
select distinct period_start
from area_facts
where indicator_id = $indicator_id and level = 'country' and sex = 'total' and period_start <= $as_of
order by period_start desc
limit $periods;
