-- What the dashboards count (issue 14): submissions per task, participant and state, kept
-- as the submissions change instead of aggregated over all of them on every page view.
-- A change appends a row to submission_count_changes (no row is updated, so concurrent
-- writers never wait on one another or deadlock); the scheduler's housekeeping folds the
-- changes into submission_counts now and then. A reader sums both.
create table submission_counts (
    task_id           uuid        not null references tasks (id) on delete cascade,
    participant_id    uuid        not null references accounts (id) on delete cascade,
    competition_id    uuid        not null references competitions (id) on delete cascade,
    status            varchar(16) not null,
    n                 bigint      not null,
    -- the latest submission that ever entered this state
    last_submitted_at timestamptz,
    primary key (task_id, participant_id, status)
);
create index submission_counts_competition on submission_counts (competition_id);

create table submission_count_changes (
    id                bigserial   primary key,
    task_id           uuid        not null,
    participant_id    uuid        not null,
    competition_id    uuid        not null,
    status            varchar(16) not null,
    delta             int         not null,
    last_submitted_at timestamptz
);

create function submission_counted() returns trigger language plpgsql as $$
begin
    if tg_op in ('UPDATE', 'DELETE') then
        insert into submission_count_changes (task_id, participant_id, competition_id, status, delta)
        values (old.task_id, old.participant_id, old.competition_id, old.status, -1);
    end if;
    if tg_op in ('INSERT', 'UPDATE') then
        insert into submission_count_changes (task_id, participant_id, competition_id, status, delta, last_submitted_at)
        values (new.task_id, new.participant_id, new.competition_id, new.status, 1, new.submitted_at);
    end if;
    return null;
end
$$;

create trigger submissions_counted_insert after insert on submissions
    for each row execute function submission_counted();
create trigger submissions_counted_update after update of status, task_id, participant_id, competition_id
    on submissions
    for each row when (old.status is distinct from new.status or old.task_id is distinct from new.task_id
                       or old.participant_id is distinct from new.participant_id
                       or old.competition_id is distinct from new.competition_id)
    execute function submission_counted();
create trigger submissions_counted_delete after delete on submissions
    for each row execute function submission_counted();

create function submissions_truncated() returns trigger language plpgsql as $$
begin
    truncate submission_counts, submission_count_changes;
    return null;
end
$$;
create trigger submissions_counted_truncate after truncate on submissions
    for each statement execute function submissions_truncated();

insert into submission_counts (task_id, participant_id, competition_id, status, n, last_submitted_at)
select task_id, participant_id, competition_id, status, count(*), max(submitted_at)
from submissions group by task_id, participant_id, competition_id, status;

-- The counts as they stand: what was folded plus what changed since.
create view submission_tallies as
select task_id, participant_id, competition_id, status, sum(n) as n, max(last_submitted_at) as last_submitted_at
from (select task_id, participant_id, competition_id, status, n, last_submitted_at from submission_counts
      union all
      -- the changes of a deleted task or account go with it (the fold drops them)
      select c.task_id, c.participant_id, c.competition_id, c.status, c.delta, c.last_submitted_at
      from submission_count_changes c
      where exists (select 1 from tasks t where t.id = c.task_id)
        and exists (select 1 from accounts a where a.id = c.participant_id)) c
group by task_id, participant_id, competition_id, status;
