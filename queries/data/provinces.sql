-- grain: one row per province in scope
-- params: scope
-- reads: areas
select area_id, name_en, name_local, iso_code, lat, lon
from areas
where level = 'province' and list_contains($scope, area_id)
order by area_id;
