-- grain: one row per province, indicator and period of the version, both sexes together
-- params: none
-- reads: area_facts, areas
-- One side of the comparison of two versions (cockpit/data/changes.py): the provinces' rolled-up
-- values, so "which provinces moved most" compares what the pages show, not the raw rows.
select f.area_id, a.name_en, a.name_local, f.indicator_id, f.period_start, f.period_type, f.value
from area_facts f
join areas a using (area_id)
where f.level = 'province' and f.sex = 'total';
