-- grain: one row per side (the chosen set of areas, the others, both together), period and sex, for one indicator since a date
-- params: indicator_id, member_ids, since, scope
-- reads: area_facts, indicators
-- A set is its districts, named directly or through their province (member_ids holds district or
-- province ids). Each side's value is computed as area_facts computes every roll-up: a ratio of sums of
-- its districts' numerators and denominators (a sum for counts; for a parity index the female rate over
-- the male rate), never a mean of the districts' rates. Only districts in the caller's scope count.
with districts as (
    select
        f.*,
        list_contains($member_ids, f.area_id) or list_contains($member_ids, f.province_id) as in_set
    from area_facts f
    where f.level = 'district' and f.indicator_id = $indicator_id and f.period_start >= $since
      and list_contains($scope, f.province_id)
),
sides as (
    select
        case when grouping(in_set) = 1 then 'all' when in_set then 'set' else 'others' end as side,
        period_start, any_value(period_type) as period_type, sex,
        sum(value) as value_sum, sum(numerator) as numerator, sum(denominator) as denominator,
        count(value) as reporting_districts, count(*) as districts
    from districts
    group by grouping sets ((in_set, period_start, sex), (period_start, sex))
),
rates as (
    select
        s.*, i.aggregation,
        case when i.aggregation = 'sum' then s.value_sum
             else i.scale * s.numerator / nullif(s.denominator, 0) end as rate
    from sides s
    join indicators i on i.indicator_id = $indicator_id
)
select
    r.side, r.period_start, r.period_type, r.sex,
    case when r.aggregation = 'parity' and r.sex = 'total' then f.rate / nullif(m.rate, 0) else r.rate end as value,
    r.numerator, r.denominator, r.reporting_districts
from rates r
left join rates f on f.side = r.side and f.period_start = r.period_start and f.sex = 'female'
left join rates m on m.side = r.side and m.period_start = r.period_start and m.sex = 'male'
order by r.side, r.sex, r.period_start;
