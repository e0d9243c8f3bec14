-- grain: one row per province whose share of districts reporting an indicator in its latest period is below a share
-- params: indicator_id, below, as_of
-- reads: area_facts, areas
with latest as (
    select max(period_start) as period_start from area_facts
    where indicator_id = $indicator_id and level = 'country' and sex = 'total' and period_start <= $as_of
),
districts as (
    select parent_id as area_id, count(*) as expected from areas where level = 'district' group by parent_id
),
reported as (
    select f.area_id, f.period_start, f.reporting_districts
    from area_facts f join latest using (period_start)
    where f.indicator_id = $indicator_id and f.level = 'province' and f.sex = 'total'
)
select
    d.area_id,
    (select period_start from latest) as period_start,
    coalesce(r.reporting_districts, 0) / d.expected as value,
    $below::double as reference
from districts d
left join reported r using (area_id)
where coalesce(r.reporting_districts, 0) / d.expected < $below
order by d.area_id;
