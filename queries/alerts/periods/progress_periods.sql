-- grain: one row per period of policy progress reporting, newest first
-- params: as_of, periods
-- reads: policy_progress
-- The $periods latest progress periods starting on or before $as_of (see indicator_periods.sql).
select distinct period_start
from policy_progress
where period_start <= $as_of
order by period_start desc
limit $periods;
