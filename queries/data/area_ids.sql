-- grain: one row per area of the extract (every level): only its id, to bound a country's alert evaluation
-- params: none
-- reads: areas
select area_id from areas order by area_id;
