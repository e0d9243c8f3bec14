-- grain: one row per indicator and sex holding data for one area (country, province group, province or district), at its newest period
-- params: area_id, scope
-- reads: area_facts
-- previous_value is the area's value in the period before its newest, for "better or worse than last time".
-- A province or district outside the caller's scope returns no rows; country and group totals are visible to all.
with facts as (
    select
        indicator_id, sex, period_start, period_type, value, target, status, numerator, denominator,
        reporting_districts,
        row_number() over (partition by indicator_id, sex order by period_start desc) as age
    from area_facts
    where area_id = $area_id
      and (province_id is null or list_contains($scope, province_id))
)
select
    f.indicator_id, f.sex, f.period_start, f.period_type, f.value, f.target, f.status, f.numerator, f.denominator,
    f.reporting_districts, p.value as previous_value, p.period_start as previous_period
from facts f
left join facts p on p.indicator_id = f.indicator_id and p.sex = f.sex and p.age = 2
where f.age = 1
order by f.indicator_id, f.sex;
