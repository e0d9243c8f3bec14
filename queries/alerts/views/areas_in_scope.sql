-- grain: one row per province or district in scope, with its province and the province's groupings
-- params: scope
-- reads: areas, area_groups
-- Alerts are raised on provinces and districts; this names them and places them in their
-- province and region, and is the list of areas whose alerts the caller may see.
with provinces as (
    select area_id as province_id, name_en as province_name_en, name_local as province_name_local
    from areas
    where level = 'province' and list_contains($scope, area_id)
),
groups as (
    select area_id as province_id, list(group_type || ':' || group_id order by group_type) as group_keys
    from area_groups
    group by area_id
)
select a.area_id, a.level, p.province_id, a.name_en, a.name_local, p.province_name_en, p.province_name_local,
       a.lat, a.lon, coalesce(g.group_keys, []) as group_keys
from areas a
join provinces p on p.province_id = case when a.level = 'province' then a.area_id else a.parent_id end
left join groups g on g.province_id = p.province_id
where a.level in ('province', 'district')
order by a.area_id;
