-- grain: one row per province in scope, indicator and period since a date that any district reported: how many of
--        the province's districts reported it, and how many it has (the Data quality page's completeness, at once
--        for every figure a page shows)
-- params: since, scope
-- reads: areas, area_facts
-- A district reported a period when it has a value for it (all sexes together), as in district_reports.sql.
with districts as (
    select parent_id as province_id, count(*) as expected
    from areas
    where level = 'district' and list_contains($scope, parent_id)
    group by parent_id
),
reports as (
    select province_id, indicator_id, period_start, count(distinct area_id) as reported
    from area_facts
    where level = 'district' and sex = 'total' and value is not null and period_start >= $since
      and list_contains($scope, province_id)
    group by province_id, indicator_id, period_start
),
figures as (
    select distinct indicator_id, period_start from reports
)
select d.province_id, f.indicator_id, f.period_start, coalesce(r.reported, 0) as reported, d.expected
from districts d
cross join figures f
left join reports r
    on r.province_id = d.province_id and r.indicator_id = f.indicator_id and r.period_start = f.period_start
order by d.province_id, f.indicator_id, f.period_start;
