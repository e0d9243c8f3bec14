-- grain: one row per incident in a province in scope that was active on a day or started since a date
-- params: since, as_of, scope
-- reads: incidents, areas, schools
-- Placed at its school when it names one, else at its district; `active` says whether it was
-- still going on $as_of.
select
    i.incident_id, i.type, i.started_at, i.ended_at, i.status, i.severity,
    i.schools_affected, i.students_affected, i.description, i.response,
    i.area_id as district_id, d.parent_id as province_id,
    d.name_en as district_name_en, d.name_local as district_name_local,
    p.name_en as province_name_en, p.name_local as province_name_local,
    coalesce(s.lat, d.lat) as lat, coalesce(s.lon, d.lon) as lon,
    i.started_at <= $as_of and (i.ended_at is null or i.ended_at >= $as_of) as active
from incidents i
join areas d on d.area_id = i.area_id
join areas p on p.area_id = d.parent_id
left join schools s on s.school_id = i.school_id
where list_contains($scope, d.parent_id)
  and (i.started_at >= $since or i.ended_at is null or i.ended_at >= $since)
order by i.started_at desc, i.incident_id;
