-- grain: one row per province in scope and policy (or project) with no progress for N periods
-- params: stuck_periods, as_of, scope
-- reads: policy_province_progress, policies
-- A period makes no progress when its progress_pct is not above the period before (the first
-- period is compared with 0). A province and policy (or project) fires when each of its latest
-- $stuck_periods periods starting on or before $as_of made no progress while its plan kept moving
-- (planned_pct rose over those periods) and the work is not complete (progress below 100).
-- period_start: the latest period considered; value: the progress % that is stuck; reference: the
-- planned % now; stuck_since: the first period without progress (the run may be longer than
-- $stuck_periods); periods_stuck: the run's length; note: the province's latest reported note.
-- The alert rule (kind stuck_policy) runs it over the whole country; the Policies page within the
-- caller's scope. Provinces as policy_province_progress has them: reported, or rolled up from their districts.
with considered as (
    select
        policy_id, area_id, period_start, progress_pct, planned_pct, note,
        progress_pct - lag(progress_pct, 1, 0) over w as progress_change,
        lag(planned_pct, 1, 0) over w as planned_before,
        row_number() over (partition by policy_id, area_id order by period_start desc) as back
    from policy_province_progress
    where period_start <= $as_of and list_contains($scope, area_id)
    window w as (partition by policy_id, area_id order by period_start)
),
last_rise as (
    select policy_id, area_id, max(period_start) filter (where progress_change > 0) as last_rise
    from considered
    group by policy_id, area_id
),
runs as (
    select c.policy_id, c.area_id, min(c.period_start) as stuck_since, count(*) as periods_stuck
    from considered c
    join last_rise r using (policy_id, area_id)
    where r.last_rise is null or c.period_start > r.last_rise
    group by c.policy_id, c.area_id
),
latest as (
    select
        policy_id, area_id,
        max(period_start) as period_start,
        arg_max(progress_pct, period_start) as value,
        arg_max(planned_pct, period_start) as reference,
        arg_min(planned_before, period_start) as planned_before_window,
        arg_max(note, period_start) as note,
        count(*) as periods,
        count(*) filter (where progress_change <= 0) as periods_without_progress
    from considered
    where back <= $stuck_periods
    group by policy_id, area_id
)
select
    l.area_id,
    l.policy_id,
    l.period_start,
    l.value,
    l.reference,
    r.stuck_since,
    r.periods_stuck,
    l.value - l.reference as gap,
    p.level as policy_level,
    p.parent_id,
    l.note
from latest l
join runs r using (policy_id, area_id)
join policies p using (policy_id)
where l.periods = $stuck_periods
  and l.periods_without_progress = $stuck_periods
  and l.value < 100
  and l.reference > l.planned_before_window
order by l.policy_id, l.area_id;
