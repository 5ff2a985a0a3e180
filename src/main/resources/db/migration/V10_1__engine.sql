-- The second engine: sandboxes are claimed under a lease whose epoch fences every write of
-- an older owner, serve a stream of jobs for a scope, and every state has a deadline.
-- Submissions are claimed one job at a time, fenced by their attempt id.

-- Wave-1 sandboxes held a static batch; nothing of that survives the upgrade: their
-- submissions go back to the queue (not counted as attempts) and the sandboxes are deleted.
update submissions set status = 'QUEUED', sandbox_id = null, attempt_id = null, started_at = null,
                       evaluating_at = null, attempts = greatest(attempts - 1, 0)
where status in ('PROVISIONING', 'EVALUATING');

alter table sandboxes drop constraint sandboxes_status_check;
update sandboxes set status = 'DESTROYING', next_step_at = now(), outcome = 'retired by the upgrade to streaming sandboxes'
where status in ('CREATING', 'STARTING', 'RUNNING');
alter table sandboxes add constraint sandboxes_status_check
    check (status in ('CREATING', 'STARTING', 'RUNNING', 'DRAINING', 'DESTROYING', 'DESTROYED'));

alter table sandboxes
    alter column task_id drop not null,
    drop column deadline_at,
    add column scope             varchar(16) not null default 'PARTICIPANT'
        check (scope in ('PARTICIPANT', 'TASK', 'COMPETITION')),
    add column competition_id    uuid references competitions (id) on delete cascade,
    add column hardware          varchar(64),
    -- incremented whenever another instance takes the lease over: fences the old owner
    add column lease_epoch       bigint      not null default 0,
    add column jobs_served       int         not null default 0,
    add column max_jobs          int         not null default 1,
    add column retire_at         timestamptz,
    add column idle_timeout_seconds int,
    add column idle_since        timestamptz,
    add column create_attempts   int         not null default 0,
    -- when the current state must have been left
    add column state_deadline_at timestamptz,
    add column observed_at       timestamptz,
    add column observed_stage    varchar(64),
    -- the waiting submission whose scope the creation was for
    add column trigger_submission_id uuid,
    add column drain_reason      varchar(300);

update sandboxes s set competition_id = t.competition_id, hardware = t.hardware
from tasks t where t.id = s.task_id;

create index sandboxes_serving on sandboxes (task_id) where status in ('CREATING', 'STARTING', 'RUNNING');
create index sandboxes_lease on sandboxes (lease_owner) where status <> 'DESTROYED';

alter table tasks drop constraint tasks_reuse_scope_check;
alter table tasks add constraint tasks_reuse_scope_check check (reuse_scope in ('PARTICIPANT', 'TASK', 'COMPETITION'));
alter table tasks drop constraint tasks_evaluations_per_sandbox_check;
alter table tasks add constraint tasks_evaluations_per_sandbox_check check (evaluations_per_sandbox between 1 and 10000);
alter table tasks
    add column sandbox_lifetime_seconds int check (sandbox_lifetime_seconds between 60 and 172800),
    add column idle_timeout_seconds     int check (idle_timeout_seconds between 0 and 172800);

alter table submissions
    -- the fair order: lowest round first (see SubmissionQueue)
    add column fair_round            bigint      not null default 0,
    -- pre-flight passed (a FILE submission needs none): it may be handed to a sandbox
    add column checked_at            timestamptz,
    add column preflight_lease_until timestamptz,
    add column preflight_not_before  timestamptz,
    -- a MODEL submission as the Hub resolved it: the id after renames, the pinned commit
    add column model_resolved        varchar(200),
    add column revision_sha          varchar(64),
    -- the job's time limit starts when the sandbox has downloaded what it needs
    add column job_started_at        timestamptz,
    add column job_deadline_at       timestamptz,
    -- waits for an operator (too many platform failures today)
    add column held_at               timestamptz,
    add column held_reason           varchar(300);

update submissions set checked_at = submitted_at where kind = 'FILE' or status <> 'QUEUED';

create index submissions_claim on submissions (task_id, fair_round, submitted_at, id) where status = 'QUEUED';
create index submissions_evaluating on submissions (sandbox_id) where status = 'EVALUATING';
create index submissions_unchecked on submissions (submitted_at) where status = 'QUEUED' and checked_at is null;
drop index submissions_queue;

-- Each entrant's next round per task, and the round a task is serving now.
create table queue_rounds (
    task_id     uuid   not null references tasks (id) on delete cascade,
    entrant_id  uuid   not null,
    next_round  bigint not null,
    primary key (task_id, entrant_id)
);

create table queue_fronts (
    task_id       uuid primary key references tasks (id) on delete cascade,
    serving_round bigint not null
);

-- A definitive refusal of a creation (400, 402, 403) stops creations for the task until
-- an operator or organizer has fixed it.
create table task_creation_blocks (
    task_id     uuid primary key references tasks (id) on delete cascade,
    reason      varchar(500) not null,
    status_code int          not null,
    blocked_at  timestamptz  not null
);

-- Platform faults per participant and day: beyond a cap, work waits for an operator.
create table platform_fault_days (
    participant_id uuid not null references accounts (id) on delete cascade,
    day            date not null,
    faults         int  not null,
    primary key (participant_id, day)
);

-- This deployment's identity, generated once: part of every sandbox name, so that two
-- deployments sharing a Hub namespace never touch each other's Spaces.
create table deployment (
    singleton     boolean primary key default true check (singleton),
    deployment_id varchar(16) not null,
    created_at    timestamptz not null
);
