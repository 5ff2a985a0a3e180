-- Re-scoring a task from stored predictions: one row per request, its progress counted in
-- the transaction that re-scores each submission, so that a crash loses nothing and a batch
-- run twice changes nothing twice. A submission carries the re-score that last scored it.
create table rescores (
    id              uuid primary key,
    competition_id  uuid         not null references competitions (id) on delete cascade,
    task_id         uuid         not null references tasks (id) on delete cascade,
    reason          varchar(500) not null,
    requested_by    varchar(100) not null,
    requested_at    timestamptz  not null,
    status          varchar(16)  not null check (status in ('RUNNING', 'DONE')),
    total           int          not null,
    processed       int          not null default 0,
    changed         int          not null default 0,
    unscorable      int          not null default 0,
    finished_at     timestamptz
);
create unique index rescores_running on rescores (task_id) where status = 'RUNNING';
create index rescores_task on rescores (task_id, requested_at);

alter table submissions add column rescore_id uuid;
