-- grain: one row per area (at one level) whose active incidents of one type close or affect more than a limit
-- params: incident_type, level, schools_above, students_above, as_of
-- reads: incidents, areas
-- Active on $as_of by its dates (so a past day can be replayed): started, and not yet ended. The alert's period is the month the earliest
-- of those incidents started, so a new outbreak next season is a new alert.
with active as (
    select
        case when $level = 'district' then i.area_id else d.parent_id end as area_id,
        i.started_at, i.schools_affected, i.students_affected, i.incident_id
    from incidents i
    join areas d on d.area_id = i.area_id
    where i.type = $incident_type
      and i.started_at <= $as_of and (i.ended_at is null or i.ended_at >= $as_of)
      and not (i.status = 'closed' and i.ended_at is null)
)
select
    area_id,
    date_trunc('month', min(started_at))::date as period_start,
    sum(schools_affected)::double as value,
    coalesce($schools_above::double, $students_above::double) as reference,
    sum(students_affected) as students_affected,
    sum(schools_affected) as schools_affected,
    count(*) as incidents
from active
group by area_id
having ($schools_above::bigint is not null and sum(schools_affected) > $schools_above::bigint)
    or ($students_above::bigint is not null and sum(students_affected) > $students_above::bigint)
order by area_id;
