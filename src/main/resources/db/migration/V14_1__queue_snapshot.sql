-- How many submissions waited in each fair round of each task when the scheduler last
-- counted them (see SubmissionQueue#refreshSnapshot): queue positions and start estimates
-- read earlier rounds from here instead of counting the whole queue on every request.
create table queue_round_counts (
    task_id        uuid   not null references tasks (id) on delete cascade,
    fair_round     bigint not null,
    waiting        bigint not null,
    -- waiting in the task's earlier rounds
    waiting_before bigint not null,
    primary key (task_id, fair_round)
);

create table queue_snapshots (
    id           int primary key check (id = 1),
    refreshed_at timestamptz not null
);

-- What arrived in a task's queue since the snapshot, counted without walking its rounds.
create index submissions_arrivals on submissions (task_id, submitted_at) where status = 'QUEUED';
