-- The daily creation budget: how many sandboxes a namespace may create per window, a ledger
-- with one charge per sandbox name, the audit of every change, and durable alerts.

create table creation_budgets (
    namespace      varchar(96) primary key,
    creation_limit int         not null check (creation_limit between 0 and 100000),
    -- set when the Hub answered 429 although the ledger had room
    blocked_until  timestamptz,
    updated_at     timestamptz not null,
    version        bigint      not null default 0
);

create table budget_changes (
    id          bigserial primary key,
    namespace   varchar(96)  not null references creation_budgets (namespace),
    changed_by  varchar(100) not null,
    changed_at  timestamptz  not null,
    old_limit   int          not null,
    new_limit   int          not null,
    reason      varchar(500) not null
);

-- One row per sandbox name, so that a retried creation never charges twice. A creation the
-- Hub refused with 429 is refunded: it did not happen.
create table creation_charges (
    sandbox_name  varchar(96) primary key,
    namespace     varchar(96) not null references creation_budgets (namespace),
    charged_at    timestamptz not null,
    refunded_at   timestamptz
);
create index creation_charges_window on creation_charges (namespace, charged_at) where refunded_at is null;

-- Each threshold alerts once per window, also across restarts and instances.
create table budget_threshold_marks (
    namespace     varchar(96) not null,
    window_start  timestamptz not null,
    threshold     int         not null,
    primary key (namespace, window_start, threshold)
);

-- Alerts are written in the transaction that raises them and delivered later, with retries.
create table alert_deliveries (
    id               bigserial primary key,
    url              varchar(2000) not null,
    type             varchar(64)   not null,
    payload          text          not null,
    created_at       timestamptz   not null,
    attempts         int           not null default 0,
    next_attempt_at  timestamptz   not null,
    delivered_at     timestamptz,
    failed_at        timestamptz,
    last_error       varchar(500)
);
create index alert_deliveries_due on alert_deliveries (next_attempt_at) where delivered_at is null and failed_at is null;
