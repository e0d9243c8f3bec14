-- grain: one row per observation of the version (area, indicator, period and sex: the extract's key)
-- params: none
-- reads: observations
-- One side of the comparison of two versions (cockpit/data/changes.py): run on each version's
-- file, matched on the key; a row is changed when its value, numerator, denominator or target moved.
select area_id, indicator_id, period_start, sex, value, numerator, denominator, target
from observations;
