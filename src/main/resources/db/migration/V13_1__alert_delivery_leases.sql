-- Webhook deliveries: a message id that receivers deduplicate by (the same on every retry),
-- and a lease that covers a whole batch, fencing completion to the instance holding it.
alter table alert_deliveries add column message_id   uuid not null default gen_random_uuid();
alter table alert_deliveries add column lease_token  uuid;
alter table alert_deliveries add column leased_until timestamptz;
