-- Request rates: one token bucket per caller (an account, a sandbox, or an anonymous client
-- address), in Bucket4j's serialized form, shared by every instance. expires_at (epoch
-- milliseconds) lets idle buckets that have refilled be swept.
create table rate_buckets (
    id          varchar(200) primary key,
    state       bytea,
    expires_at  bigint
);
create index rate_buckets_expiry on rate_buckets (expires_at);
