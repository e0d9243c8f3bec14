-- grain: one row per area (at one level) with no value for an indicator in the period the reporting calendar says is due
-- params: indicator_id, level, period_start
-- reads: area_facts, areas
-- $period_start comes from the reporting calendar (cockpit/alerts/calendar.py), never from the data: when
-- no area reported the due period, every area is missing.
select a.area_id, $period_start::date as period_start, null::double as value, null::double as reference
from areas a
left join area_facts f
    on f.area_id = a.area_id and f.period_start = $period_start::date
   and f.indicator_id = $indicator_id and f.sex = 'total'
where a.level = $level and f.area_id is null
order by a.area_id;
