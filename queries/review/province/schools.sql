-- grain: one row per school of one province in scope
-- params: province_id, scope
-- reads: schools, areas
select
    s.school_id, s.name, s.area_id as district_id,
    d.name_en as district_name_en, d.name_local as district_name_local,
    s.lat, s.lon, s.type, s.is_public, s.students, s.teachers,
    s.has_electricity, s.has_internet, s.has_water
from schools s
join areas d on d.area_id = s.area_id
where d.level = 'district' and d.parent_id = $province_id and list_contains($scope, $province_id)
order by s.school_id;
