-- grain: one row per district in scope whose value for one indicator and period is an outlier among the country's districts
-- params: indicator_id, period_start, z, scope
-- reads: area_facts
-- The modified z-score the outlier alert rules use (queries/alerts/conditions/outlier_peers.sql;
-- Iglewicz and Hoaglin, as DHIS2): 0.6745 (x - median) / MAD over every district of the country in
-- that period (peers outside the scope set the median; only districts in scope are listed). Both tails.
with peers as (
    select area_id, province_id, value
    from area_facts
    where indicator_id = $indicator_id and period_start = $period_start and level = 'district'
      and sex = 'total' and value is not null
),
centre as (select median(value) as med from peers),
spread as (select median(abs(p.value - c.med)) as mad from peers p, centre c)
select p.area_id, p.province_id, p.value, c.med as median, 0.6745 * (p.value - c.med) / nullif(s.mad, 0) as z
from peers p, centre c, spread s
where list_contains($scope, p.province_id)
  and abs(0.6745 * (p.value - c.med) / nullif(s.mad, 0)) > $z
order by abs(0.6745 * (p.value - c.med) / nullif(s.mad, 0)) desc;
