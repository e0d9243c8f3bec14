-- grain: one row per indicator whose figures are $factor times or more off the served version's, figure by figure
-- params: factor, min_compared
-- reads: area_facts, served.area_facts
-- The publish's guard against a unit slipped into an extract (cockpit/publish/versions.py): a rate sent as a
-- proportion (0.952 for 95.2) is 100 times smaller than the served version's figure for the same area, period
-- and sex, a count in thousands 1,000 times. The figures as the pages show them (area_facts: a rate from its
-- numerator and denominator where the extract gives them), every area at every level, neither side zero.
-- An indicator is listed when the median ratio is off (factor, compared), or when most agree but $min_compared
-- figures or more are off (slipped: how many, slipped_factor their median, areas: theirs, sorted).
with pairs as (
    select n.indicator_id, n.area_id, abs(n.value / s.value) as ratio
    from area_facts n
    join served.area_facts s
        on s.area_id = n.area_id and s.indicator_id = n.indicator_id
        and s.period_start = n.period_start and s.sex = n.sex
    where n.value <> 0 and s.value <> 0
),
judged as (
    select *, ratio >= $factor or ratio <= 1 / $factor as off
    from pairs
)
select
    indicator_id,
    median(ratio) as factor,
    count(*) as compared,
    count(*) filter (where off) as slipped,
    median(ratio) filter (where off) as slipped_factor,
    list(distinct area_id order by area_id) filter (where off) as areas
from judged
group by indicator_id
having count(*) >= $min_compared
    and (median(ratio) >= $factor or median(ratio) <= 1 / $factor or count(*) filter (where off) >= $min_compared)
order by indicator_id;
