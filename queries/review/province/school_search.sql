-- grain: one row per school in scope whose code or name contains the text; the closest first, at most $most
-- params: text, scope, most
-- reads: schools, areas
-- A code typed whole comes first, then codes and names that start with the text, then the rest by name. The text is
-- matched as written (contains(), not LIKE), so '%' or '_' a reader types find themselves, not everything.
select
    s.school_id, s.name, d.parent_id as province_id,
    d.name_en as district_name_en, d.name_local as district_name_local,
    p.name_en as province_name_en, p.name_local as province_name_local
from schools s
join areas d on d.area_id = s.area_id and d.level = 'district'
join areas p on p.area_id = d.parent_id
where list_contains($scope, d.parent_id)
  and (contains(lower(s.school_id), lower($text)) or contains(lower(s.name), lower($text)))
order by
    lower(s.school_id) = lower($text) desc,
    starts_with(lower(s.school_id), lower($text)) desc,
    starts_with(lower(s.name), lower($text)) desc,
    s.name, s.school_id
limit $most;
