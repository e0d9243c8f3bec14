-- grain: one row per area (district, province, province group, country), indicator, period and sex
-- params: none
-- reads: observations, areas, area_groups, indicators, kpi_status_rules
-- Every roll-up is computed once per snapshot from the districts' numerators and denominators
-- (a ratio of sums, never a mean of ratios), so the queries that pages run only filter and rank.
-- A source that reports by province (or only nationally) has rows at that level instead: they stand for
-- their province (or the country) wherever no district row of the same indicator, period and sex does.
-- A province group's area_id is '<group_type>:<group_id>', e.g. 'reo:11'.
-- target: the period's trajectory (observations.target, weighted like the value; the indicator's final
-- target where the extract gives none). final_target: indicators.target. behind: how far the value is
-- behind the trajectory in the indicator's direction (negative: ahead). tolerance: how far behind is
-- still at risk (config/kpi_status.yaml, through kpi_status_rules).
-- status ("are we where we should be?"): met when the value meets the final target, on_track when it
-- meets the trajectory, at_risk when behind by at most the tolerance, off_track further behind;
-- no_data without a value or a target. Parity rows by sex hold enrolment rates, not an index: no target.
create or replace table area_facts as
with district_sums as (
    -- Each district's own row, with the additive parts every roll-up needs.
    select
        o.area_id, 'district' as level, d.parent_id as province_id, o.indicator_id, o.period_start, o.period_type,
        o.sex, o.value as value_sum, o.numerator, o.denominator,
        o.target * coalesce(o.denominator, 1) as target_weight_sum,
        case when o.target is not null then coalesce(o.denominator, 1) end as weight_sum,
        o.target as target_sum,
        1 as reporting_districts
    from observations o
    join areas d on d.area_id = o.area_id and d.level = 'district'
),
-- Rows a source reports for a whole province or the whole country, with the same additive parts.
reported_above as (
    select
        o.area_id, a.level, o.indicator_id, o.period_start, o.period_type,
        o.sex, o.value as value_sum, o.numerator, o.denominator,
        o.target * coalesce(o.denominator, 1) as target_weight_sum,
        case when o.target is not null then coalesce(o.denominator, 1) end as weight_sum,
        o.target as target_sum,
        null::bigint as reporting_districts
    from observations o
    join areas a on a.area_id = o.area_id and a.level in ('province', 'country')
),
province_sums as (
    select
        province_id as area_id, 'province' as level, province_id, indicator_id, period_start,
        any_value(period_type) as period_type, sex,
        sum(value_sum) as value_sum, sum(numerator) as numerator, sum(denominator) as denominator,
        sum(target_weight_sum) as target_weight_sum, sum(weight_sum) as weight_sum, sum(target_sum) as target_sum,
        sum(reporting_districts) as reporting_districts
    from district_sums
    group by province_id, indicator_id, period_start, sex
    union all by name
    select r.* exclude (level), 'province' as level, r.area_id as province_id
    from reported_above r
    where r.level = 'province' and not exists (
        select 1 from district_sums d
        where d.province_id = r.area_id and d.indicator_id = r.indicator_id
          and d.period_start = r.period_start and d.sex = r.sex
    )
),
-- Sums of sums: a group or the country adds up its provinces' parts, never their rates.
group_sums as (
    select
        g.group_type || ':' || g.group_id as area_id, 'group' as level, null as province_id, p.indicator_id,
        p.period_start, any_value(p.period_type) as period_type, p.sex,
        sum(p.value_sum) as value_sum, sum(p.numerator) as numerator, sum(p.denominator) as denominator,
        sum(p.target_weight_sum) as target_weight_sum, sum(p.weight_sum) as weight_sum,
        sum(p.target_sum) as target_sum, sum(p.reporting_districts) as reporting_districts
    from province_sums p
    join area_groups g on g.area_id = p.area_id
    group by g.group_type, g.group_id, p.indicator_id, p.period_start, p.sex
),
country_sums as (
    select
        a.parent_id as area_id, 'country' as level, null as province_id, p.indicator_id,
        p.period_start, any_value(p.period_type) as period_type, p.sex,
        sum(p.value_sum) as value_sum, sum(p.numerator) as numerator, sum(p.denominator) as denominator,
        sum(p.target_weight_sum) as target_weight_sum, sum(p.weight_sum) as weight_sum,
        sum(p.target_sum) as target_sum, sum(p.reporting_districts) as reporting_districts
    from province_sums p
    join areas a on a.area_id = p.area_id
    group by a.parent_id, p.indicator_id, p.period_start, p.sex
    union all by name
    select r.* exclude (level), 'country' as level, null as province_id
    from reported_above r
    where r.level = 'country' and not exists (
        select 1 from province_sums p
        where p.indicator_id = r.indicator_id and p.period_start = r.period_start and p.sex = r.sex
    )
),
sums as (
    select *, target_weight_sum / nullif(weight_sum, 0) as target_weighted
    from (
        select * from district_sums
        union all by name select * from province_sums
        union all by name select * from group_sums
        union all by name select * from country_sums
    )
),
rates as (
    select
        s.*,
        i.aggregation,
        i.direction,
        case when i.aggregation = 'parity' and s.sex <> 'total' then null else i.target end as final_target,
        k.tolerance_points,
        k.tolerance_share,
        case when i.aggregation = 'sum' then s.value_sum
             else i.scale * s.numerator / nullif(s.denominator, 0) end as rate
    from sums s
    join indicators i using (indicator_id)
    left join kpi_status_rules k using (indicator_id)
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
        coalesce(case when r.aggregation = 'sum' then r.target_sum else r.target_weighted end, r.final_target)
            as target,
        r.final_target,
        r.reporting_districts,
        r.direction,
        coalesce(r.tolerance_points, r.tolerance_share * abs(
            coalesce(case when r.aggregation = 'sum' then r.target_sum else r.target_weighted end, r.final_target)
        )) as tolerance
    from rates r
    left join parity p using (area_id, indicator_id, period_start)
),
judged as (
    select
        *,
        case when direction = 'higher_is_better' then target - value else value - target end as behind,
        case when direction = 'higher_is_better' then value >= final_target else value <= final_target end
            as meets_target
    from valued
)
select
    area_id, level, province_id, indicator_id, period_start, period_type, sex, value, numerator, denominator,
    target, final_target, behind, tolerance, reporting_districts,
    case
        when value is null or target is null then 'no_data'
        when meets_target then 'met'
        when behind <= 0 then 'on_track'
        when behind <= coalesce(tolerance, 0) then 'at_risk'
        else 'off_track'
    end as status
from judged
order by indicator_id, level, area_id, period_start;
