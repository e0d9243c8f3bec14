-- grain: one row per district of the country: its id and its province's, to build a user's scope
-- params: none
-- reads: areas
select area_id, parent_id as province_id from areas where level = 'district' order by area_id;
