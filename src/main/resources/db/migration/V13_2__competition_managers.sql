-- Who manages which competition besides operators: the organizer who created it, and those
-- an operator granted it. Competitions created before this have no manager but operators.
create table competition_managers (
    competition_id  uuid        not null references competitions (id) on delete cascade,
    account_id      uuid        not null references accounts (id) on delete cascade,
    since           timestamptz not null,
    primary key (competition_id, account_id)
);
create index competition_managers_account on competition_managers (account_id);

-- Every change of who manages a competition, and who made it.
create table competition_manager_changes (
    id              bigserial    primary key,
    competition_id  uuid         not null references competitions (id) on delete cascade,
    account_id      uuid         not null references accounts (id) on delete cascade,
    change          varchar(16)  not null check (change in ('CREATED', 'GRANTED', 'REVOKED')),
    changed_by      varchar(100) not null,
    changed_at      timestamptz  not null
);
create index competition_manager_changes_competition on competition_manager_changes (competition_id, changed_at);
