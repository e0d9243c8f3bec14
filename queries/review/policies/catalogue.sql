-- grain: one row per programme, policy or project (the X -> Y -> Z chain), in tree order
-- params: none
-- reads: policies, policy_progress
-- depth: 0 for a top node (a programme), 1 for its policies, 2 for their projects; `path` sorts
-- the tree depth-first. has_rows says whether the extract reports progress for the node itself
-- (a programme usually has none: its progress is rolled up from its policies).
with recursive tree(policy_id, depth, path) as (
    select policy_id, 0, [policy_id] from policies where parent_id is null
    union all
    select p.policy_id, t.depth + 1, list_append(t.path, p.policy_id)
    from tree t join policies p on p.parent_id = t.policy_id
),
reported as (
    select policy_id, count(*) as progress_rows, min(period_start) as first_period, max(period_start) as last_period
    from policy_progress
    group by policy_id
)
select
    p.policy_id, p.parent_id, p.level, p.name_en, p.name_local, p.owner, p.start, p."end", p.budget, p.indicator_id,
    t.depth, array_to_string(t.path, '/') as path,
    coalesce(r.progress_rows, 0) > 0 as has_rows, r.first_period, r.last_period
from policies p
join tree t using (policy_id)
left join reported r using (policy_id)
order by path;
