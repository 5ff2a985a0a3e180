-- A team's own submissions, newest first (GET /api/me/submissions, the participant's page):
-- without it, every such read scanned the whole table, whatever the task (issue 14).
create index submissions_own on submissions (entrant_id, submitted_at desc, id desc);

-- What finished lately, for the queue and competition pages' state counts.
create index submissions_finished on submissions (finished_at) where finished_at is not null;
