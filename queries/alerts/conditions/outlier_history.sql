-- grain: one row per area (at one level) whose latest value is an outlier against its own past periods
-- params: indicator_id, level, z, history_periods, min_peers, as_of
-- reads: area_facts
-- The baseline is the area's $history_periods values before the latest; modified z-score as in
-- outlier_peers.sql, with at least $min_peers past values.
with recent as (
    select period_start, row_number() over (order by period_start desc) as back
    from (select distinct period_start from area_facts
          where indicator_id = $indicator_id and level = 'country' and sex = 'total' and period_start <= $as_of)
),
series as (
    select f.area_id, f.period_start, f.value, r.back
    from area_facts f join recent r using (period_start)
    where f.indicator_id = $indicator_id and f.level = $level and f.sex = 'total'
      and r.back <= $history_periods + 1 and f.value is not null
),
baseline as (
    select area_id, median(value) as med, count(*) as n from series where back > 1 group by area_id
),
spread as (
    select s.area_id, median(abs(s.value - b.med)) as mad
    from series s join baseline b using (area_id) where s.back > 1 group by s.area_id
)
select
    s.area_id, s.period_start, s.value, b.med as reference,
    0.6745 * (s.value - b.med) / nullif(d.mad, 0) as z
from series s join baseline b using (area_id) join spread d using (area_id)
where s.back = 1 and b.n >= $min_peers and abs(0.6745 * (s.value - b.med) / nullif(d.mad, 0)) > $z
order by s.area_id;
