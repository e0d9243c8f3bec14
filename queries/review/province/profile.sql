-- grain: one row: one province in scope, with its counts of districts, schools, students and teachers
-- params: province_id, scope
-- reads: areas, schools
with districts as (
    select area_id from areas where level = 'district' and parent_id = $province_id
),
school_totals as (
    select
        count(*) as schools,
        coalesce(sum(students), 0) as students,
        coalesce(sum(teachers), 0) as teachers
    from schools
    where area_id in (select area_id from districts)
)
select
    p.area_id, p.name_en, p.name_local, p.iso_code, p.lat, p.lon,
    (select count(*) from districts) as districts,
    t.schools, t.students, t.teachers
from areas p
cross join school_totals t
where p.level = 'province' and p.area_id = $province_id and list_contains($scope, p.area_id);
