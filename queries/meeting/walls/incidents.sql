-- grain: one row per incident in a province in scope that is active or recovering, or ended on or after a date
-- params: since, scope
-- reads: incidents, areas, schools
-- Worst first: severity, then students affected. lat/lon are the school's when the incident names one,
-- else the district's.
select
    i.incident_id, i.type, i.started_at, i.ended_at, i.severity, i.status,
    i.schools_affected, i.students_affected, i.description, i.response,
    i.area_id as district_id, d.name_en as district_name_en, d.name_local as district_name_local,
    d.parent_id as province_id, p.name_en as province_name_en, p.name_local as province_name_local,
    i.school_id, s.name as school_name,
    coalesce(s.lat, d.lat) as lat, coalesce(s.lon, d.lon) as lon
from incidents i
join areas d on d.area_id = i.area_id
join areas p on p.area_id = d.parent_id
left join schools s on s.school_id = i.school_id
where list_contains($scope, d.parent_id)
  and (i.status <> 'closed' or i.ended_at >= $since)
order by
    case i.severity when 'critical' then 0 when 'high' then 1 when 'medium' then 2 else 3 end,
    i.students_affected desc, i.started_at desc, i.incident_id;
