-- grain: one row: the country of the extract, with its province count and the newest data period
-- params: none
-- reads: areas, observations
select
    c.area_id, c.name_en, c.name_local,
    (select count(*) from areas where level = 'province') as provinces,
    (select count(*) from areas where level = 'district') as districts,
    (select max(period_start) from observations) as latest_period
from areas c
where c.level = 'country';
