-- grain: one row per district in scope, indicator and period whose female and male parts do not add up to its total
-- params: since, scope
-- reads: observations, areas
-- Checked on the extract's own rows (numerators and denominators, or values for counts), with a
-- tolerance of half a unit for rounding. Indicators without rows by sex are not checked.
with parts as (
    select
        o.area_id, a.parent_id as province_id, o.indicator_id, o.period_start,
        max(case when o.sex = 'total' then o.numerator end) as total_numerator,
        sum(case when o.sex in ('female', 'male') then o.numerator end) as sexes_numerator,
        max(case when o.sex = 'total' then o.denominator end) as total_denominator,
        sum(case when o.sex in ('female', 'male') then o.denominator end) as sexes_denominator,
        count(*) filter (where o.sex in ('female', 'male')) as sex_rows
    from observations o
    join areas a on a.area_id = o.area_id
    where o.period_start >= $since and list_contains($scope, a.parent_id)
    group by o.area_id, a.parent_id, o.indicator_id, o.period_start
)
select *
from parts
where sex_rows = 2
  and (abs(coalesce(total_numerator, 0) - coalesce(sexes_numerator, 0)) > 0.5
       or abs(coalesce(total_denominator, 0) - coalesce(sexes_denominator, 0)) > 0.5)
order by indicator_id, period_start, area_id;
