-- grain: one row per indicator whose figures are $factor times or more off the served version's, figure by figure
-- params: factor, min_compared
-- reads: area_facts, served.area_facts
-- The publish's guard against a unit slipped into an extract (cockpit/publish/versions.py): a rate sent as a
-- proportion (0.952 for 95.2) is 100 times smaller than the served version's figure for the same area, period
-- and sex, a count in thousands 1,000 times. The figures as the pages show them (area_facts: a rate from its
-- numerator and denominator where the extract gives them), every area at every level. Per indicator, the median
-- ratio over the figures both versions hold (neither zero); fewer than $min_compared of them say nothing.
select n.indicator_id, median(abs(n.value / s.value)) as factor, count(*) as compared
from area_facts n
join served.area_facts s
    on s.area_id = n.area_id and s.indicator_id = n.indicator_id
    and s.period_start = n.period_start and s.sex = n.sex
where n.value <> 0 and s.value <> 0
group by n.indicator_id
having count(*) >= $min_compared
    and (median(abs(n.value / s.value)) >= $factor or median(abs(n.value / s.value)) <= 1 / $factor)
order by n.indicator_id;
