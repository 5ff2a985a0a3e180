-- Every 64th waiting submission of each task's round when the scheduler last counted the
-- queue, with how many waited before it in its round (see SubmissionQueue#refreshSnapshot):
-- a queue position counts what is ahead of it in its own round from the nearest mark, a
-- few dozen rows at most, instead of from the round's first submission.
create table queue_marks (
    task_id      uuid        not null references tasks (id) on delete cascade,
    fair_round   bigint      not null,
    submitted_at timestamptz not null,
    id           uuid        not null,
    place        bigint      not null,
    primary key (task_id, fair_round, submitted_at, id)
);
