-- Podium's first schema: who may call the API, what competitions exist, and the submission
-- rows that are at once the participant's record and the evaluation queue.

create table competitions (
    id          uuid primary key,
    slug        varchar(64)  not null unique,
    title       varchar(200) not null,
    starts_at   timestamptz  not null,
    ends_at     timestamptz  not null,
    timezone    varchar(64)  not null,
    created_at  timestamptz  not null,
    check (ends_at > starts_at)
);

create table tasks (
    id                      uuid primary key,
    competition_id          uuid         not null references competitions (id) on delete cascade,
    position                int          not null,
    slug                    varchar(64)  not null,
    title                   varchar(200) not null,
    submission_kind         varchar(16)  not null check (submission_kind in ('FILE', 'MODEL')),
    evaluation              varchar(16)  not null check (evaluation in ('SANDBOX', 'INLINE')),
    metric                  varchar(64)  not null,
    higher_is_better        boolean      not null,
    daily_submission_limit  int          not null check (daily_submission_limit between 1 and 1000),
    selection_limit         int          not null check (selection_limit between 1 and 100),
    id_column               varchar(64)  not null,
    max_file_bytes          bigint       not null check (max_file_bytes > 0),
    hardware                varchar(64)  not null,
    evaluations_per_sandbox int          not null check (evaluations_per_sandbox between 1 and 100),
    reuse_scope             varchar(16)  not null check (reuse_scope in ('PARTICIPANT', 'TASK')),
    timeout_seconds         int          not null check (timeout_seconds > 0),
    local_command           text,
    unique (competition_id, slug)
);

create table task_solutions (
    task_id      uuid primary key references tasks (id) on delete cascade,
    content      bytea       not null,
    row_count    int         not null,
    uploaded_at  timestamptz not null
);

-- Operators and organizers have no competition; a participant belongs to exactly one.
create table accounts (
    id              uuid primary key,
    name            varchar(100) not null,
    role            varchar(16)  not null check (role in ('OPERATOR', 'ORGANIZER', 'PARTICIPANT')),
    competition_id  uuid references competitions (id) on delete cascade,
    token_hash      varchar(64)     not null unique,
    created_at      timestamptz  not null,
    check ((role = 'PARTICIPANT') = (competition_id is not null))
);
create unique index accounts_staff_name on accounts (name) where competition_id is null;
create unique index accounts_participant_name on accounts (competition_id, name) where competition_id is not null;

create table submissions (
    id                      uuid primary key,
    competition_id          uuid         not null references competitions (id) on delete cascade,
    task_id                 uuid         not null references tasks (id) on delete cascade,
    participant_id          uuid         not null references accounts (id) on delete cascade,
    kind                    varchar(16)  not null check (kind in ('FILE', 'MODEL')),
    description             varchar(1000),
    model                   varchar(200),
    revision                varchar(255),
    access_token_sealed     bytea,
    file_name               varchar(255),
    file_bytes              bigint,
    status                  varchar(16)  not null,
    -- the competition-local day whose daily limit this submission is charged to
    quota_day               date         not null,
    submitted_at            timestamptz  not null,
    started_at              timestamptz,
    evaluating_at           timestamptz,
    finished_at             timestamptz,
    public_score            double precision,
    private_score           double precision,
    failure_category        varchar(16) check (failure_category in ('SUBMISSION', 'PLATFORM')),
    failure_message         varchar(2000),
    selected                boolean      not null default false,
    idempotency_key         varchar(255),
    request_fingerprint     varchar(64),
    version                 bigint       not null default 0,
    unique (participant_id, idempotency_key)
);
create index submissions_queue on submissions (submitted_at) where status = 'QUEUED';
create index submissions_quota on submissions (participant_id, task_id, quota_day);
create index submissions_task on submissions (task_id, status);

create table submission_files (
    submission_id  uuid primary key references submissions (id) on delete cascade,
    content        bytea not null
);
