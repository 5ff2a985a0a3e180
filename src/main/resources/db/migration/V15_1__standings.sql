-- Leaderboard rules (issue 15): boards are read from stored standings, each entrant's best
-- per task and board, written in the transaction that changes a score, a selection or an
-- exclusion; so a board read is an indexed, paginated query whatever the submission count.

alter table competitions
    add column private_board_rule     varchar(40) not null default 'BEST_PRIVATE_OF_TOP_SELECTION'
        check (private_board_rule in ('BEST_PRIVATE_OF_TOP_SELECTION', 'BEST_PUBLIC')),
    add column leaderboard_freezes_at timestamptz,
    add column private_reveal_at      timestamptz,
    add column selection_deadline     timestamptz,
    add column allow_late_submissions boolean not null default false;

-- Secondary metrics, one spec a line in tie-break order (specs may hold commas); a task may override the time rules.
alter table tasks
    add column secondary_metrics      varchar(1000) not null default '',
    add column leaderboard_freezes_at timestamptz,
    add column private_reveal_at      timestamptz,
    add column selection_deadline     timestamptz,
    -- set when the standings must be rebuilt from the submissions (rules changed)
    add column standings_stale        boolean not null default false;

-- Existing boards are rebuilt once at startup.
update tasks set standings_stale = true;

-- The secondary metrics of a scored submission (the primary stays on the submission).
create table submission_metrics (
    submission_id  uuid        not null references submissions (id) on delete cascade,
    metric         varchar(64) not null,
    public_score   double precision,
    private_score  double precision,
    primary key (submission_id, metric)
);

-- The categories of the board: RANKED entrants, BASELINE entries of organizers (each its own
-- slot), LATE entries (after the end, shown apart). slot_id is the entrant, or the submission
-- for a baseline. rank_key holds the primary then the secondary scores, each signed so that
-- greater is better, undefined ones as -Infinity; ties then go to the earlier submission.
create table standings (
    task_id        uuid        not null references tasks (id) on delete cascade,
    board          varchar(16) not null check (board in ('PUBLIC', 'FROZEN', 'PRIVATE')),
    category       varchar(16) not null check (category in ('RANKED', 'BASELINE', 'LATE')),
    slot_id        uuid        not null,
    entrant_id     uuid        not null,
    submission_id  uuid        not null references submissions (id) on delete cascade,
    score          double precision not null,
    rank_key       double precision[] not null,
    submitted_at   timestamptz not null,
    primary key (task_id, board, category, slot_id)
);
create index standings_order on standings (task_id, board, category, rank_key desc, submitted_at, submission_id);
create index standings_entrant on standings (task_id, entrant_id);

-- Organizer baselines are submissions marked as such: shown, never ranked.
alter table submissions
    add column baseline         boolean not null default false,
    add column excluded_at      timestamptz,
    add column excluded_reason  varchar(500),
    add column excluded_by      varchar(100);

-- A participant excluded from a competition's boards (a duplicate account, a disqualification);
-- lifting it deletes the row, the audit keeps both.
create table board_exclusions (
    competition_id  uuid         not null references competitions (id) on delete cascade,
    participant_id  uuid         not null references accounts (id) on delete cascade,
    reason          varchar(500) not null,
    excluded_by     varchar(100) not null,
    excluded_at     timestamptz  not null,
    primary key (competition_id, participant_id)
);

-- Who changed the rules of a board, when and why: exclusions, re-scores, time rules.
create table board_audit (
    id              bigserial    primary key,
    competition_id  uuid         not null references competitions (id) on delete cascade,
    task_id         uuid references tasks (id) on delete cascade,
    at              timestamptz  not null,
    actor           varchar(100) not null,
    action          varchar(40)  not null,
    detail          varchar(2000) not null
);
create index board_audit_competition on board_audit (competition_id, at);

-- The predictions a sandbox handed in (bounded by the task's file limit), kept so that a
-- MODEL submission can be re-scored without running it again.
create table submission_predictions (
    submission_id  uuid primary key references submissions (id) on delete cascade,
    content        bytea       not null,
    stored_at      timestamptz not null
);
