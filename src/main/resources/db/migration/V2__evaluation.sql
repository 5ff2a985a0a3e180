-- The evaluation pipeline: sandboxes that evaluate queued submissions, leased by the Podium
-- instance that drives them so that a crashed instance's work is found and finished.

create table sandboxes (
    id                uuid primary key,
    -- deterministic, so that a repeated create finds the sandbox it made
    name              varchar(96)  not null unique,
    provider          varchar(32)  not null,
    task_id           uuid         not null references tasks (id) on delete cascade,
    participant_id    uuid references accounts (id) on delete cascade,
    status            varchar(16)  not null
        check (status in ('CREATING', 'STARTING', 'RUNNING', 'DESTROYING', 'DESTROYED')),
    token_hash        varchar(64)     not null,
    lease_owner       varchar(128),
    lease_expires_at  timestamptz,
    next_step_at      timestamptz  not null,
    created_at        timestamptz  not null,
    ready_at          timestamptz,
    deadline_at       timestamptz,
    destroyed_at      timestamptz,
    outcome           varchar(2000),
    version           bigint       not null default 0
);
create index sandboxes_live on sandboxes (next_step_at) where status <> 'DESTROYED';

alter table submissions
    add column attempts         int not null default 0,
    add column not_before       timestamptz,
    add column sandbox_id       uuid references sandboxes (id),
    -- a new attempt id each time the submission is claimed: writes of an older attempt are fenced off
    add column attempt_id       uuid;

create index submissions_sandbox on submissions (sandbox_id) where sandbox_id is not null;

-- Every status change of a submission, for its history and for evaluation durations.
create table submission_transitions (
    id             bigserial primary key,
    submission_id  uuid        not null references submissions (id) on delete cascade,
    status         varchar(16) not null,
    at             timestamptz not null,
    detail         varchar(2000)
);
create index submission_transitions_submission on submission_transitions (submission_id, at);
