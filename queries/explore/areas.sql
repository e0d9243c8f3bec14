-- grain: one row per province and district in scope
-- params: scope
-- reads: areas
-- The areas an analyst may pick in the Explorer, with the province each belongs to and the Lao priority flag.
select
    area_id, level, case when level = 'province' then area_id else parent_id end as province_id,
    name_en, name_local, coalesce(is_priority, false) as is_priority
from areas
where level in ('province', 'district')
  and list_contains($scope, case when level = 'province' then area_id else parent_id end)
order by level desc, name_en;
