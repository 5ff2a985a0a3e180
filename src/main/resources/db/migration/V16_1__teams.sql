-- Teams (issue 16). A participant without a team is a team of one: their entrant id is
-- their own account id and no row here names them. A team's id is its entrant id.
create table teams (
    id             uuid primary key,
    competition_id uuid         not null references competitions (id) on delete cascade,
    name           varchar(100) not null,
    -- the code a participant presents to join, hashed (SHA-256, hex); its members learn it
    -- when they create or rotate it
    join_code_hash varchar(64),
    created_at     timestamptz  not null,
    created_by     varchar(255) not null
);
create unique index teams_name on teams (competition_id, lower(name));

-- At most one team per participant and competition.
create table team_members (
    competition_id uuid        not null references competitions (id) on delete cascade,
    participant_id uuid        not null references accounts (id) on delete cascade,
    team_id        uuid        not null references teams (id) on delete cascade,
    joined_at      timestamptz not null,
    primary key (competition_id, participant_id)
);
create index team_members_team on team_members (team_id);

create table team_settings (
    competition_id uuid primary key references competitions (id) on delete cascade,
    self_service   boolean     not null,
    max_team_size  int         not null,
    merge_deadline timestamptz
);

-- Every creation, member added and merge: who did it, when, and what moved.
create table team_changes (
    id             bigserial primary key,
    competition_id uuid         not null references competitions (id) on delete cascade,
    team_id        uuid         not null,
    change         varchar(40)  not null,
    detail         text         not null,
    changed_by     varchar(255) not null,
    changed_at     timestamptz  not null
);
create index team_changes_competition on team_changes (competition_id, changed_at);

-- A task's queue rules, where its organizers set them (null: podium.submission.* defaults):
-- how many of one entrant's submissions may be evaluated at once, and whether an entrant's
-- duplicate is refused.
create table task_queue_limits (
    task_id           uuid primary key references tasks (id) on delete cascade,
    max_in_flight     int check (max_in_flight > 0),
    refuse_duplicates boolean
);
create index submissions_in_flight on submissions (task_id, entrant_id) where status = 'EVALUATING';

-- What a submission is, for refusing a team's duplicate: the file's SHA-256, or the model
-- at its pinned commit.
alter table submissions add column content_key varchar(400);
create index submissions_content on submissions (task_id, entrant_id, content_key) where content_key is not null;
