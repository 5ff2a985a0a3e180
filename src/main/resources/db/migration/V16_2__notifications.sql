-- Telling teams when their submissions are done (issue 16).

-- A team's webhook (a participant alone is a team of one: their entrant id is their
-- account id). The signing secret is Podium's to use, not to check: sealed, not hashed,
-- its owner learns it once when it is made.
create table entrant_webhooks (
    entrant_id     uuid primary key,
    competition_id uuid          not null references competitions (id) on delete cascade,
    url            varchar(2000) not null,
    secret_sealed  bytea         not null,
    registered_at  timestamptz   not null,
    registered_by  uuid          not null references accounts (id) on delete cascade
);

-- Where a participant wants their own submissions' outcomes mailed.
create table notification_addresses (
    account_id uuid primary key references accounts (id) on delete cascade,
    address    varchar(320) not null,
    updated_at timestamptz  not null
);

-- Deliveries to a registered webhook name it (e.g. entrant:<id>): they are signed with its
-- secret, and checked again just before sending; operators' webhooks leave it null.
alter table alert_deliveries add column signing_key varchar(100);
create index alert_deliveries_signing_key on alert_deliveries (signing_key, id)
    where signing_key is not null;
