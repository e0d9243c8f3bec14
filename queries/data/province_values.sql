-- grain: one row per province in scope, for one indicator and period, ranked nationally
-- params: indicator_id, period_start, scope
-- reads: area_facts, indicators, areas
-- rank 1 is the best province in the indicator's own direction; previous_value is the
-- province's value in the period before, for "what changed".
with ranked as (
    select
        f.area_id, f.value, f.target, f.status, f.reporting_districts,
        rank() over (
            order by case when i.direction = 'higher_is_better' then -f.value else f.value end
        ) as rank,
        count(*) over () as ranked_provinces
    from area_facts f
    join indicators i using (indicator_id)
    where f.level = 'province' and f.indicator_id = $indicator_id
      and f.period_start = $period_start and f.sex = 'total' and f.value is not null
),
previous as (
    select area_id, value as previous_value
    from area_facts
    where level = 'province' and indicator_id = $indicator_id and sex = 'total'
      and period_start = (
          select max(period_start) from area_facts
          where level = 'country' and indicator_id = $indicator_id and period_start < $period_start
      )
)
select
    a.area_id, a.name_en, a.name_local, a.iso_code,
    r.value, r.target, r.status, r.rank, r.ranked_provinces, r.reporting_districts,
    p.previous_value
from areas a
left join ranked r using (area_id)
left join previous p using (area_id)
where a.level = 'province' and list_contains($scope, a.area_id)
order by r.rank nulls last, a.name_en;
