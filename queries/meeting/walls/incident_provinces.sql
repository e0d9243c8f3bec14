-- grain: one row per province in scope with at least one incident not yet closed
-- params: scope
-- reads: incidents, areas
-- severity is the worst among the province's open incidents; types lists them by type.
with open_incidents as (
    select
        d.parent_id as area_id, i.type, i.status, i.schools_affected, i.students_affected, i.severity,
        case i.severity when 'critical' then 0 when 'high' then 1 when 'medium' then 2 else 3 end as severity_rank
    from incidents i
    join areas d on d.area_id = i.area_id
    where i.status <> 'closed' and list_contains($scope, d.parent_id)
)
select
    o.area_id, p.name_en, p.name_local, p.lat, p.lon,
    count(*) as incidents,
    count(*) filter (where o.status = 'active') as active,
    sum(o.schools_affected) as schools_affected,
    sum(o.students_affected) as students_affected,
    arg_min(o.severity, o.severity_rank) as severity,
    list(distinct o.type order by o.type) as types
from open_incidents o
join areas p on p.area_id = o.area_id
group by o.area_id, p.name_en, p.name_local, p.lat, p.lon
order by min(o.severity_rank), sum(o.students_affected) desc, o.area_id;
