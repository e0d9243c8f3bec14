-- grain: one row per province of the country: only its id, to build a national user's scope
-- params: none
-- reads: areas
select area_id from areas where level = 'province' order by area_id;
