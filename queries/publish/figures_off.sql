-- grain: one row per indicator whose figures are $factor times or more off the served version's, figure by figure
-- params: factor, min_compared
-- reads: area_facts, areas, area_groups, indicators, served.area_facts
-- The publish's guard against a unit slipped into an extract (cockpit/publish/versions.py): a rate sent as a
-- proportion (0.952 for 95.2) is 100 times smaller than the served version's figure for the same area, period
-- and sex, a count in thousands 1,000 times. The figures as the pages show them (area_facts: a rate from its
-- numerator and denominator where the extract gives them), every area at every level, neither side zero.
-- An indicator is listed when the median ratio is off (factor, compared), or when most agree but $min_compared
-- figures or more are off (slipped: how many, slipped_factor their median, areas: theirs, sorted, with their names
-- in English and in the local script, in the same order). The indicator's names come along: a refusal is read
-- in the steward's language, where its id alone says little.
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
),
listed as (
    select
        indicator_id,
        median(ratio) as factor,
        count(*) as compared,
        count(*) filter (where off) as slipped,
        median(ratio) filter (where off) as slipped_factor
    from judged
    group by indicator_id
    having count(*) >= $min_compared
        and (median(ratio) >= $factor or median(ratio) <= 1 / $factor or count(*) filter (where off) >= $min_compared)
),
-- area_facts names a group by its key ("reo:1"), as the pages do
area_names as (
    select area_id, name_en, name_local from areas
    union all
    select distinct group_type || ':' || group_id, group_name_en, group_name_local from area_groups
),
off_areas as (
    select
        o.indicator_id,
        list(o.area_id order by o.area_id) as areas,
        list(coalesce(a.name_en, o.area_id) order by o.area_id) as area_names_en,
        list(coalesce(a.name_local, o.area_id) order by o.area_id) as area_names_local
    from (select distinct indicator_id, area_id from judged where off) o
    left join area_names a using (area_id)
    group by o.indicator_id
)
select
    l.*,
    coalesce(o.areas, []) as areas,
    coalesce(o.area_names_en, []) as area_names_en,
    coalesce(o.area_names_local, []) as area_names_local,
    i.name_en, i.name_th, i.name_lo
from listed l
left join off_areas o using (indicator_id)
left join indicators i using (indicator_id)
order by l.indicator_id;
