-- grain: one row per province grouping (regional education office, inspection region, region), with its provinces
-- params: none
-- reads: area_groups
select
    group_type,
    group_id,
    group_type || ':' || group_id as group_key,
    any_value(group_name_en) as group_name_en,
    any_value(group_name_local) as group_name_local,
    list(area_id order by area_id) as province_ids
from area_groups
group by group_type, group_id
order by group_type, try_cast(group_id as integer) nulls last, group_id;
