-- grain: one row per area (district, province, province group, country), indicator, period and sex
-- params: none
-- reads: observations, areas, area_groups, indicators
-- Every roll-up is computed once per snapshot from the districts' numerators and denominators
-- (a ratio of sums, never a mean of ratios), so the queries that pages run only filter and rank.
-- A province group's area_id is '<group_type>:<group_id>', e.g. 'reo:11'.
-- status: for higher_is_better, below `red` is red, below `amber` is amber, else green (mirrored
-- for lower_is_better); grey when there is no value or the indicator has no thresholds.
create or replace table area_facts as
with district_units as (
    select area_id as district_id, area_id as unit_id, 'district' as unit_level, parent_id as province_id
    from areas where level = 'district'
    union all
    select area_id, parent_id, 'province', parent_id
    from areas where level = 'district'
    union all
    select d.area_id, g.group_type || ':' || g.group_id, 'group', null
    from areas d join area_groups g on g.area_id = d.parent_id
    where d.level = 'district'
    union all
    select d.area_id, p.parent_id, 'country', null
    from areas d join areas p on p.area_id = d.parent_id
    where d.level = 'district'
),
sums as (
    select
        u.unit_id as area_id,
        u.unit_level as level,
        any_value(u.province_id) as province_id,
        o.indicator_id,
        o.period_start,
        any_value(o.period_type) as period_type,
        o.sex,
        sum(o.value) as value_sum,
        sum(o.numerator) as numerator,
        sum(o.denominator) as denominator,
        sum(o.target * coalesce(o.denominator, 1))
            / nullif(sum(case when o.target is not null then coalesce(o.denominator, 1) end), 0) as target_weighted,
        sum(o.target) as target_sum,
        count(*) as reporting_districts
    from observations o
    join district_units u on u.district_id = o.area_id
    group by u.unit_id, u.unit_level, o.indicator_id, o.period_start, o.sex
),
rates as (
    select
        s.*,
        i.aggregation,
        i.direction,
        i.amber,
        i.red,
        case when i.aggregation = 'sum' then s.value_sum
             else i.scale * s.numerator / nullif(s.denominator, 0) end as rate
    from sums s
    join indicators i using (indicator_id)
),
parity as (
    select f.area_id, f.indicator_id, f.period_start, f.rate / nullif(m.rate, 0) as gpi
    from rates f
    join rates m using (area_id, indicator_id, period_start)
    where f.aggregation = 'parity' and f.sex = 'female' and m.sex = 'male'
),
valued as (
    select
        r.area_id, r.level, r.province_id, r.indicator_id, r.period_start, r.period_type, r.sex,
        case when r.aggregation = 'parity' and r.sex = 'total' then p.gpi else r.rate end as value,
        r.numerator,
        r.denominator,
        case when r.aggregation = 'sum' then r.target_sum else r.target_weighted end as target,
        r.reporting_districts,
        r.direction, r.amber, r.red
    from rates r
    left join parity p using (area_id, indicator_id, period_start)
)
select
    area_id, level, province_id, indicator_id, period_start, period_type, sex, value, numerator, denominator,
    target, reporting_districts,
    case
        when value is null or (amber is null and red is null) then 'grey'
        when direction = 'higher_is_better' then
            case when value < red then 'red' when value < amber then 'amber' else 'green' end
        else
            case when value > red then 'red' when value > amber then 'amber' else 'green' end
    end as status
from valued
order by indicator_id, level, area_id, period_start;
