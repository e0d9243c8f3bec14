-- grain: one row per area (at one level) whose latest value is an outlier among its peers in the same period
-- params: indicator_id, level, z, min_peers, as_of
-- reads: area_facts
-- Modified z-score (Iglewicz and Hoaglin, as DHIS2 uses): 0.6745 (x - median) / MAD; both tails
-- are flagged, since an implausibly good value is as much a question as a bad one.
with latest as (
    select max(period_start) as period_start from area_facts
    where indicator_id = $indicator_id and level = 'country' and sex = 'total' and period_start <= $as_of
),
peers as (
    select f.area_id, f.period_start, f.value
    from area_facts f join latest using (period_start)
    where f.indicator_id = $indicator_id and f.level = $level and f.sex = 'total' and f.value is not null
),
centre as (
    select median(value) as med, count(*) as n from peers
),
spread as (
    select median(abs(p.value - c.med)) as mad from peers p, centre c
)
select
    p.area_id, p.period_start, p.value, c.med as reference,
    0.6745 * (p.value - c.med) / nullif(s.mad, 0) as z
from peers p, centre c, spread s
where c.n >= $min_peers and abs(0.6745 * (p.value - c.med) / nullif(s.mad, 0)) > $z
order by p.area_id;
