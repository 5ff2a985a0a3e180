-- Organizers ask for a larger creation budget; operators approve or refuse. An approval with
-- an end changes the limit back then: ends_at is the revert's due time, revert_to the limit
-- it restores, and version fences every change of a request.
create table budget_requests (
    id              uuid         primary key,
    namespace       varchar(96)  not null references creation_budgets (namespace),
    status          varchar(16)  not null check (status in ('OPEN', 'APPROVED', 'REFUSED', 'ENDED')),
    requested_by    varchar(100) not null,
    requested_by_id uuid         not null,
    requested_at    timestamptz  not null,
    requested_limit int          not null check (requested_limit between 1 and 100000),
    reason          varchar(500) not null,
    until           timestamptz,
    decided_by      varchar(100),
    decided_at      timestamptz,
    decision_reason varchar(500),
    -- the limit before the approval, restored at until
    revert_to       int,
    ended_at        timestamptz,
    version         bigint       not null default 0
);
create index budget_requests_open on budget_requests (namespace, requested_at) where status = 'OPEN';
create index budget_requests_due on budget_requests (until) where status = 'APPROVED' and until is not null;

-- Every step of every request, for the audit: asked, approved, refused, ended, superseded.
create table budget_request_events (
    id          bigserial    primary key,
    request_id  uuid         not null references budget_requests (id),
    at          timestamptz  not null,
    actor       varchar(100) not null,
    action      varchar(32)  not null,
    detail      varchar(600) not null
);
create index budget_request_events_request on budget_request_events (request_id, at);
