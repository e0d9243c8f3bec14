-- grain: one row per province whose share of districts reporting an indicator in the due period is below a share
-- params: indicator_id, below, period_start
-- reads: area_facts, areas
-- $period_start is the period the reporting calendar says is due (cockpit/alerts/calendar.py): a province
-- where no district reported it has a share of 0, not "no data".
with districts as (
    select parent_id as area_id, count(*) as expected from areas where level = 'district' group by parent_id
),
reported as (
    select f.area_id, f.reporting_districts
    from area_facts f
    where f.indicator_id = $indicator_id and f.level = 'province' and f.sex = 'total'
      and f.period_start = $period_start::date
)
select
    d.area_id,
    $period_start::date as period_start,
    coalesce(r.reporting_districts, 0) / d.expected as value,
    $below::double as reference
from districts d
left join reported r using (area_id)
where coalesce(r.reporting_districts, 0) / d.expected < $below
order by d.area_id;
